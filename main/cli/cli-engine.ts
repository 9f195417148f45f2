/**
 * The engine a CLI command works with: the data folder's catalog, the settings (table <
 * environment < flags) and a Node worker host whose worker output goes to stderr.
 */
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { invalidInput } from '../../shared/errors.js'
import { resolveSettings, settingsFromFlags, type EngineSettings } from '../../shared/settings.js'
import { ENGINE_LOCK_FILE, JobEngine, NodeWorkerHost, traceWorkerEntry } from '../engine/index.js'
import type { ManagedPolicy } from '../../shared/policy.js'
import { loadPolicy } from '../policy/index.js'
import { catalogPathOf, openCatalog, resultsDirOf, type Catalog } from '../store/index.js'
import { APP_VERSION } from './app-version.js'
import { defaultDataDir } from './data-dir.js'

/** `--data-dir`, or the app's data folder; an empty value is `input/invalid` naming the flag. */
export function dataDirOf(flags: Readonly<Record<string, unknown>>): string {
  const given = flags['data-dir']
  if (given !== undefined && String(given).trim() === '') throw invalidInput('--data-dir', 'must not be empty')
  return resolve(given === undefined ? defaultDataDir() : String(given))
}

export interface CliEngine {
  dataDir: string
  catalog: Catalog
  engine: JobEngine
  settings: EngineSettings
  /** The machine's policy (locked values are already in `settings`). */
  policy: ManagedPolicy
}

/**
 * Opens the catalog of `dataDir` and an engine on it, not started. A bad setting closes the
 * catalog again and throws `input/invalid` naming its flag or variable.
 */
export function openCliEngine(dataDir: string, flags: Readonly<Record<string, unknown>>, stderr: (text: string) => void): CliEngine {
  const policy = loadPolicy()
  mkdirSync(dataDir, { recursive: true })
  const catalog = openCatalog(catalogPathOf(dataDir))
  try {
    const settings = resolveSettings({ policy: policy.settings, stored: catalog.allSettings(), env: process.env, flags: settingsFromFlags(flags) })
    const engine = new JobEngine({
      catalog,
      host: new NodeWorkerHost({ onOutput: stderr }),
      workerEntry: traceWorkerEntry(),
      resultsDir: resultsDirOf(dataDir),
      settings,
      appVersion: APP_VERSION,
      lockPath: join(dataDir, ENGINE_LOCK_FILE),
    })
    return { dataDir, catalog, engine, settings, policy }
  } catch (error) {
    catalog.close()
    throw error
  }
}
