/**
 * Where the machine's policy file lives and how it is read. The file is written by IT (never by
 * the app); a missing file means nothing is managed, a malformed one is an error naming the entry.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../../shared/errors.js'
import { EMPTY_POLICY, parsePolicy, type ManagedPolicy } from '../../shared/policy.js'

/** Folder name of the product in machine-wide locations. */
const PRODUCT = 'MES Trace Desktop'

/**
 * The policy file of this machine: `MES_TRACE_POLICY_FILE` when set, else
 * `%ProgramData%\MES Trace Desktop\policy.json` (Windows),
 * `/Library/Application Support/MES Trace Desktop/policy.json` (macOS),
 * `/etc/mes-trace-desktop/policy.json` (Linux).
 */
export function policyPathOf(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (env.MES_TRACE_POLICY_FILE) return env.MES_TRACE_POLICY_FILE
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', PRODUCT, 'policy.json')
  if (platform === 'darwin') return join('/Library/Application Support', PRODUCT, 'policy.json')
  return '/etc/mes-trace-desktop/policy.json'
}

/** Reads and validates the policy at `path`; a file that does not exist manages nothing. */
export function loadPolicy(path: string = policyPathOf()): ManagedPolicy {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_POLICY
    throw new AppError('policy/invalid', `The policy file ${path} cannot be read: ${(error as Error).message}`, { path })
  }
  let raw: unknown
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new AppError('policy/invalid', `The policy file ${path} is not valid JSON: ${(error as Error).message}`, { path, field: '(file)' })
  }
  return parsePolicy(raw, path)
}
