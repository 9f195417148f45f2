/**
 * The data directory shared by the desktop app and the CLI: Electron's `userData` folder for the
 * product name, computed the same way Electron does so both find the same cached results.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'

export const PRODUCT_NAME = 'MES Trace Desktop'

/** `userData` of the app on this OS (`--data-dir` or `MES_TRACE_DATA_DIR` override it). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.MES_TRACE_DATA_DIR) return env.MES_TRACE_DATA_DIR
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME)
}
