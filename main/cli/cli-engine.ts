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
import { loadMachinePolicy, type LoadedPolicy } from '../policy/index.js'
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
  /** Why the machine policy was ignored or not checked, or a variable not honoured (already on stderr). */
  policyWarnings: string[]
}

/**
 * The policy of the CLI. The CLI always runs on a Node of the machine, from a checkout or an npm
 * install, never as the installed app (its runAsNode fuse is off): a development build, which
 * honours MES_TRACE_POLICY_FILE only on a machine without a machine policy
 * (main/policy/policy-override.ts). Anyone can run a copy of the CLI they changed, so the CLI is no
 * wall against its own user; what matters is that it offers no switch that turns a policy IT
 * placed off.
 */
function cliPolicy(): LoadedPolicy {
  return loadMachinePolicy({ build: 'development' })
}

/**
 * Opens the catalog of `dataDir` and an engine on it, not started. A bad setting closes the
 * catalog again and throws `input/invalid` naming its flag or variable. The policy's warnings go
 * to `stderr` here, once per command. `loadPolicy` is for tests.
 */
export function openCliEngine(
  dataDir: string,
  flags: Readonly<Record<string, unknown>>,
  stderr: (text: string) => void,
  loadPolicy: () => LoadedPolicy = cliPolicy,
): CliEngine {
  const { policy, warnings: policyWarnings } = loadPolicy()
  for (const warning of policyWarnings) stderr(`warning: ${warning}\n`)
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
    return { dataDir, catalog, engine, settings, policy, policyWarnings }
  } catch (error) {
    catalog.close()
    throw error
  }
}
