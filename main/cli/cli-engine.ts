/**
 * The engine a CLI command works with: the data folder's catalog, the settings (table <
 * environment < flags) and a Node worker host whose worker output goes to stderr; and the job
 * commands' way of opening a data folder, reading its results and closing it all again.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../../shared/errors.js'
import { resolveSettings, settingsFromFlags, type EngineSettings } from '../../shared/settings.js'
import { ENGINE_LOCK_FILE, JobEngine, NodeWorkerHost, traceWorkerEntry, type JobEngineOptions } from '../engine/index.js'
import type { ManagedPolicy } from '../../shared/policy.js'
import { loadMachinePolicy, type LoadedPolicy } from '../policy/index.js'
import { ResultService } from '../results/index.js'
import { catalogPathOf, openCatalog, resultsDirOf, type Catalog, type JobRow } from '../store/index.js'
import { APP_VERSION } from './app-version.js'
import { dataDirOf, type Flags } from './flags.js'
import type { CliIo } from './io.js'

/** How long closing waits for the engine's workers (a job command has none of its own but `rerun`'s). */
export const ENGINE_SHUTDOWN_MS = 2000

export interface CliEngine {
  dataDir: string
  catalog: Catalog
  engine: JobEngine
  /** The settings the engine started with. */
  settings: EngineSettings
  /** The settings resolved again from the same layers (the stored values may have changed since). */
  resolveSettings: () => EngineSettings
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
  engineOptions: Pick<JobEngineOptions, 'spareWorker'> = {},
): CliEngine {
  const { policy, warnings: policyWarnings } = loadPolicy()
  for (const warning of policyWarnings) stderr(`warning: ${warning}\n`)
  mkdirSync(dataDir, { recursive: true })
  const catalog = openCatalog(catalogPathOf(dataDir))
  try {
    const flagSettings = settingsFromFlags(flags)
    const resolveAgain = (): EngineSettings => resolveSettings({ policy: policy.settings, stored: catalog.allSettings(), env: process.env, flags: flagSettings })
    const settings = resolveAgain()
    const engine = new JobEngine({
      catalog,
      host: new NodeWorkerHost({ onOutput: stderr }),
      workerEntry: traceWorkerEntry(),
      resultsDir: resultsDirOf(dataDir),
      settings,
      appVersion: APP_VERSION,
      lockPath: join(dataDir, ENGINE_LOCK_FILE),
      ...engineOptions,
    })
    return { dataDir, catalog, engine, settings, resolveSettings: resolveAgain, policy, policyWarnings }
  } catch (error) {
    catalog.close()
    throw error
  }
}

/** A data folder opened for a job command: its engine (not started) and the results read through it. */
export interface JobStore extends CliEngine {
  /** Opens, caches and closes the result files; a command never closes a reader itself. */
  results: ResultService
}

/**
 * Opens the catalog of `--data-dir` and an engine on it (not started: nothing is queued,
 * recovered or swept) with its result service, runs `fn`, and closes all of it whatever happens.
 */
export async function withJobStore<T>(flags: Flags, io: Pick<CliIo, 'stderr'>, fn: (store: JobStore) => Promise<T> | T): Promise<T> {
  const opened = openCliEngine(dataDirOf(flags), flags, (text) => io.stderr(text))
  const results = new ResultService(opened.engine)
  try {
    return await fn({ ...opened, results })
  } finally {
    results.close()
    await opened.engine.shutdown(ENGINE_SHUTDOWN_MS)
    opened.catalog.close()
  }
}

/**
 * A command that changes one job no other process is running (`cancel`, `rm`): opens the data
 * folder as {@link withJobStore} does and hands `fn` the job's row; a job running elsewhere is
 * refused, saying to `what` there.
 */
export function withJobNotRunningElsewhere<T>(
  flags: Flags,
  io: Pick<CliIo, 'stderr'>,
  jobId: string,
  what: string,
  fn: (store: JobStore, row: JobRow) => Promise<T> | T,
): Promise<T> {
  return withJobStore(flags, io, (store) => {
    const row = store.engine.status(jobId)
    if (row.status === 'running') throw runningElsewhere(jobId, what)
    return fn(store, row)
  })
}

/** A job running in another process: its worker is not ours to stop. */
export function runningElsewhere(jobId: string, what: string): AppError {
  return new AppError(
    'job/not-finished',
    `Job ${jobId} is running in another MES Trace process (the desktop app or a \`mes-trace run\`), which owns its worker; ${what} there. ` +
      'Should that process end before the job does, the job reads interrupted at once.',
    { jobId, status: 'running' },
  )
}
