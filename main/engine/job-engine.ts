/**
 * The job engine of the main process: every trace is a background job with a catalog row, run in
 * its own worker process, limited in time and memory, cancellable, recovered after a crash of the
 * app, expired on time. Built on p-queue; no Electron import, so the CLI, the browser host and the
 * desktop app run the same engine with different worker hosts.
 *
 * The engine is the only creator and changer of job rows — a trace it queues and a result file it
 * imports alike — and every change is announced with the job's whole view. The data folder's lock
 * and the expiry sweeper are small classes of their own; readers of finished results belong to the
 * results service, which the engine tells before a job's file goes away.
 */
import { createHash } from 'node:crypto'
import { renameSync, rmSync, statSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import PQueue from 'p-queue'
import { AppError, toErrorData, type AppErrorData } from '../../shared/errors.js'
import { JOB_LOG_MAX_ENTRIES, JOB_LOG_MAX_MESSAGE_CHARS, type JobView } from '../../shared/jobs.js'
import { MSD_SUSPECT_FDR } from '../../shared/msd.js'
import type { EngineSettings } from '../../shared/settings.js'
import type { SourceSpec } from '../../shared/source-spec.js'
import { normalizeTraceRequest, toTraceRequest, type NormalizedTraceRequest, type PushdownMode } from '../../shared/trace-request.js'
import { daysBetween } from '../../shared/time.js'
import { isPattern } from '../../shared/tokens.js'
import { msdStepsShareDone } from '../../shared/stage-timings.js'
import type { TraceProgress } from '../../shared/trace.js'
import type { WorkerInspection, WorkerJobSummary, WorkerToMainMessage } from '../../shared/worker-protocol.js'
import { parseSourceSpec, passwordEnvNameOf, passwordEnvOf, sourceIdOf, withoutPassword } from '../sources/index.js'
import {
  PARTIAL_SUFFIX,
  RESULT_FORMAT_VERSION,
  removeOrphanPartials,
  resultPathOf,
  type Catalog,
  type JobRow,
  type ListJobsQuery,
  type StoredLogEntry,
  type TerminalJobStatus,
} from '../store/index.js'
import { DataFolderLock, processAlive } from './data-folder-lock.js'
import { ExpirySweeper } from './expiry-sweeper.js'
import { copyForeignResult } from './foreign-result.js'
import { newJobId } from './job-id.js'
import { IMPORT_SOURCE_PREFIX, jobViewOf } from './job-view.js'
import type { WorkerHandle, WorkerHost } from './worker-host.js'
import { RssWatchdog, workerRssSampler } from './rss-watchdog.js'
import { workerExitError } from './worker-exit.js'
import { inspectInWorker, inspectTimeoutMsOf } from './result-inspection.js'

/** Progress pushed to listeners (≤ 10 per second per job). */
export interface JobProgressEvent {
  jobId: string
  progress: TraceProgress
  elapsedMs: number
  /** Estimated time left from the share of event batches done; absent before the events stage. */
  etaMs?: number
}

/** A job was created or changed: its whole view as every surface shows it. */
export interface JobStatusEvent {
  job: JobView
}

/** What an import made: the new job's row and what the file says about itself. */
export interface ImportedResult {
  row: JobRow
  /** The job id written in the file (the job it was exported from). */
  fileJobId: string
  /** When the file's source was read (epoch ms). */
  asOf: number
}

/** Longest `detail` (stack and causes) of a log entry kept. */
const LOG_DETAIL_MAX_CHARS = 8000

export interface JobEngineOptions {
  catalog: Catalog
  host: WorkerHost
  /** Absolute path of the trace worker's compiled entry. */
  workerEntry: string
  resultsDir: string
  settings: EngineSettings
  appVersion: string
  /** @default Date.now */
  now?: () => number
  /** Time a cancelled worker gets to stop by itself before it is killed. @default 1500 */
  cancelGraceMs?: number
  /** Period of the expiry sweeper. @default 300_000 */
  sweepIntervalMs?: number
  /** Minimum time between two progress events of one job. @default 100 */
  progressIntervalMs?: number
  /**
   * A file naming the process whose engine owns this data folder's running jobs. Only the owner
   * recovers at start (marks running jobs interrupted, removes partial files): a second engine on
   * the same folder — the CLI beside the desktop app — must not touch the other's work.
   * @default no lock: this engine always recovers
   */
  lockPath?: string
  /**
   * Keep one worker process started and ready ahead of the next trace, so a small trace does not
   * wait for a process to start and load (a few hundred ms of the ~0.5 s a 5-lot trace takes). Each
   * process still runs one job; the spare is replaced as soon as it is taken, and killed at
   * shutdown. For long-lived hosts (the app, `serve`); a one-shot CLI command gains nothing.
   * @default false
   */
  spareWorker?: boolean
}

/** A worker started ahead of its job: its handle once ready, the heap limit it was started with, and whether it has ended since. */
interface SpareWorker {
  handle: Promise<WorkerHandle>
  maxOldSpaceMb: number
  ended: boolean
  stopWatching: () => void
}

export interface EnqueueOptions {
  source: SourceSpec
  /** Person-readable source description for lists. @default `sqlite:<path>` */
  sourceDescription?: string
  /** Run even when an identical unexpired result exists. @default false */
  force?: boolean
  /** Environment carrying the source's password to the worker (kept in memory, never stored). */
  secretEnv?: Record<string, string>
  /**
   * Whether an MSD request that does not say (`params.pushdown`) has the source summarize its
   * events (docs/pushdown.md): `on`, `off`, or `auto` — on a database server when the trace is
   * expected to touch more than `MSD_PUSHDOWN_MIN_CIDS` CIDs. @default 'auto'
   */
  pushdown?: PushdownMode
}

/**
 * `raw` with `params.pushdown: true` when `mode` pushes this request down: an MSD request that does
 * not say itself, under `on`, or under `auto` when it reads a database server and is expected to
 * touch more than `minCids` CIDs. Anything else comes back as it is.
 */
export function withPushdown(raw: unknown, mode: PushdownMode, source: SourceSpec, minCids: number): unknown {
  if (mode === 'off' || typeof raw !== 'object' || raw === null) return raw
  const request = raw as { profile?: unknown; params?: unknown }
  if (request.profile !== 'mid_section_defect' || typeof request.params !== 'object' || request.params === null) return raw
  const params = request.params as Record<string, unknown>
  if (params.pushdown !== undefined) return raw
  if (mode === 'auto') {
    if (source.kind === 'sqlite') return raw
    if (estimateCids(normalizeTraceRequest(raw)) <= minCids) return raw
  }
  return { ...request, params: { ...params, pushdown: true } }
}

export interface EnqueueResult {
  jobId: string
  /** True when answered from an earlier identical job's result. */
  cached: boolean
  /** Completion time (epoch ms) of the result answering a cached request. */
  asOf?: number
}

interface RunningJob {
  handle: WorkerHandle | undefined
  cancelRequested: boolean
  killTimer?: NodeJS.Timeout
  /** Unsubscribes from the worker's events once the job has settled. */
  detach: (() => void)[]
}

type Listener<T> = (event: T) => void

/** Version of the MSD analysis's output; a cached MSD result of another version is not reused. */
export const MSD_ANALYSIS_VERSION = 2

/**
 * Which copy of a SQLite source file a trace reads: its size and modification time. A replica
 * file refreshed overnight (or a demo plant made again) is other data under the same path, and a
 * result made from the old copy must not answer for the new one. Null for server sources (their
 * data changes all day; the result's expiry and "as of" cover them) and for a file that cannot be
 * read (the trace will say why).
 */
export function sourceCopyOf(source: SourceSpec): string | null {
  if (source.kind !== 'sqlite') return null
  try {
    const stat = statSync(source.path)
    return `${stat.size}:${Math.trunc(stat.mtimeMs)}`
  } catch {
    return null
  }
}

/**
 * A stable hash of everything that makes two traces the same (domain.md §14 #1). `suspectFdr` is
 * the MSD suspect list's false-discovery rate: a result made at another rate names other suspects.
 * `copy` names which copy of a source file was read ({@link sourceCopyOf}).
 */
export function dedupKeyOf(request: NormalizedTraceRequest, source: SourceSpec, suspectFdr: number = MSD_SUSPECT_FDR, copy: string | null = null): string {
  const canonical = JSON.stringify({
    profile: request.profile,
    direction: request.direction,
    seed: request.seed,
    station: request.station,
    loss_reasons: [...request.loss_reasons].sort(),
    domains: [...request.domains].sort(),
    ...(request.pushdown ? { pushdown: true } : {}),
    source,
    ...(copy !== null ? { copy } : {}),
    // A result written in an older format (other event columns, an older genealogy) does not
    // answer a request to today's: it would open without the columns and marks the screens expect.
    format: RESULT_FORMAT_VERSION,
    // A result made by an older analysis does not answer a request to today's.
    ...(request.profile === 'mid_section_defect' ? { analysis: MSD_ANALYSIS_VERSION, ...(suspectFdr !== MSD_SUSPECT_FDR ? { fdr: suspectFdr } : {}) } : {}),
  })
  return createHash('sha256').update(canonical).digest('hex')
}

/**
 * CIDs a request will probably touch, known before it runs: tokens × the usual lineage fan-out,
 * a wildcard as a work order's worth of lots, a date range as a day's detection population.
 */
export function estimateCids(request: NormalizedTraceRequest): number {
  const FAN_OUT = 1.7
  if (request.seed.mode === 'date_range') {
    const days = daysBetween(request.seed.start_date, request.seed.end_date) + 1
    return Math.round(days * 500 * FAN_OUT)
  }
  const perToken = request.seed.resolve_type === 'work_order' || request.seed.resolve_type === 'gd_work_order' ? 100 : 1
  return Math.round(request.seed.values.reduce((n, v) => n + (isPattern(v) ? 1000 : perToken), 0) * FAN_OUT)
}

/** Kills a worker and resolves once its process has ended (at once when it already had). */
function endWorker(handle: WorkerHandle): Promise<void> {
  return new Promise((resolve) => {
    handle.onExit(() => resolve())
    handle.kill()
  })
}

/** `text` cut to `max` characters, marked with `…` when cut. */
function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

function sourceOf(row: JobRow): SourceSpec {
  return parseSourceSpec(row.source_id)
}

export class JobEngine {
  private readonly catalog: Catalog
  private readonly host: WorkerHost
  private readonly now: () => number
  private settings: EngineSettings
  private readonly queue: PQueue
  /** Bulk traces pass this gate first, so one slot always stays free for interactive ones. */
  private readonly bulkGate: PQueue
  private readonly queuedAborts = new Map<string, AbortController>()
  private readonly running = new Map<string, RunningJob>()
  private readonly progressListeners = new Set<Listener<JobProgressEvent>>()
  private readonly statusListeners = new Set<Listener<JobStatusEvent>>()
  private readonly removeListeners = new Set<Listener<string>>()
  /** The worker started ahead of the next trace (`spareWorker`). */
  private spare: SpareWorker | undefined
  /**
   * Per running job: the last stored report's time, stage and analysis step, and when that stage
   * began (throttling reads no catalog).
   */
  private readonly lastProgress = new Map<string, { at: number; stage: string; step?: string; stageAt: number }>()
  /**
   * Source passwords of jobs, by the variable a client of the source reads them from (never
   * stored; handed to the job's worker in its start message).
   */
  private readonly secrets = new Map<string, Record<string, string>>()
  /**
   * The suspect FDR each job queued here was keyed with (`dedupKeyOf`), so it runs at that rate
   * even when the setting changes while it waits; a job queued by an earlier run of the app runs
   * at today's.
   */
  private readonly queuedFdr = new Map<string, number>()
  private readonly lock: DataFolderLock
  private readonly sweeper: ExpirySweeper
  private stopped = false

  constructor(private readonly options: JobEngineOptions) {
    this.catalog = options.catalog
    this.host = options.host
    this.now = options.now ?? Date.now
    this.settings = options.settings
    const slots = this.settings.TRACE_WORKER_COUNT
    this.queue = new PQueue({ concurrency: slots })
    this.bulkGate = new PQueue({ concurrency: Math.max(1, slots - 1) })
    this.lock = new DataFolderLock(options.lockPath)
    this.sweeper = new ExpirySweeper({
      catalog: this.catalog,
      now: this.now,
      intervalMs: options.sweepIntervalMs ?? 300_000,
      remove: (row) => this.removeRow(row),
    })
  }

  /**
   * Settings changed while the engine runs (the settings view): the traces that start from now on
   * use them (how many run at once, their limits and timeout, the pushdown threshold, the FDR),
   * while a running trace keeps those it started with. A spare worker started with another heap
   * limit is not used (see `takeWorker`).
   */
  updateSettings(settings: EngineSettings): void {
    this.settings = settings
    const slots = settings.TRACE_WORKER_COUNT
    this.queue.concurrency = slots
    this.bulkGate.concurrency = Math.max(1, slots - 1)
  }

  /** Recovers from the previous run, starts the sweeper and the jobs found queued. */
  start(): { requeued: string[]; interrupted: string[]; removedPartials: string[] } {
    if (!this.lock.acquire()) {
      // Another live engine owns the running jobs and their partial files: leave them alone.
      this.sweeper.start()
      return { requeued: [], interrupted: [], removedPartials: [] }
    }
    const { requeued, interrupted } = this.catalog.markStaleOnStart({
      ttlMs: this.ttlMs(),
      now: this.now(),
      // This process has run nothing yet; another live process still runs its own jobs.
      stillRunning: (pid) => pid !== process.pid && processAlive(pid),
    })
    for (const jobId of interrupted) this.emitStatus(jobId)
    const removedPartials = removeOrphanPartials(this.options.resultsDir)
    this.sweeper.start()
    this.refillSpare()
    for (const jobId of requeued) this.schedule(jobId)
    return { requeued, interrupted, removedPartials }
  }

  /** Starts the spare worker when the engine keeps one and has none. */
  private refillSpare(): void {
    if (!this.options.spareWorker || this.stopped || this.spare) return
    const maxOldSpaceMb = this.settings.TRACE_WORKER_MAX_MEMORY_MB
    const spare: SpareWorker = {
      handle: this.host.spawn({ entry: this.options.workerEntry, maxOldSpaceMb, serviceName: 'trace (ready)' }),
      maxOldSpaceMb,
      ended: false,
      stopWatching: () => undefined,
    }
    spare.handle.then(
      (handle) => {
        if (this.spare !== spare) return
        spare.stopWatching = handle.onExit(() => {
          spare.ended = true
          // Ended while waiting (killed from outside, a fault): the next trace starts its own.
          if (this.spare === spare) this.spare = undefined
        })
      },
      () => {
        spare.ended = true
        if (this.spare === spare) this.spare = undefined
      },
    )
    this.spare = spare
  }

  /**
   * A worker for a trace: the spare when there is a live one started with today's heap limit (a
   * new spare is started at once), else a new process.
   */
  private takeWorker(jobId: string, maxOldSpaceMb: number): Promise<WorkerHandle> {
    const spare = this.spare
    this.spare = undefined
    const fresh = (): Promise<WorkerHandle> => this.host.spawn({ entry: this.options.workerEntry, maxOldSpaceMb, serviceName: `trace ${jobId}` })
    let handle: Promise<WorkerHandle>
    if (spare && !spare.ended && spare.maxOldSpaceMb === maxOldSpaceMb) {
      spare.stopWatching()
      // Its exit is no longer watched from here on: a process gone in the meantime is replaced.
      handle = spare.handle.then(
        (h) => (spare.ended || h.pid === undefined || !processAlive(h.pid) ? fresh() : h),
        () => fresh(),
      )
    } else {
      if (spare) void spare.handle.then((h) => h.kill(), () => undefined)
      handle = fresh()
    }
    this.refillSpare()
    return handle
  }

  onDidProgress(listener: Listener<JobProgressEvent>): () => void {
    this.progressListeners.add(listener)
    return () => this.progressListeners.delete(listener)
  }

  onDidChangeStatus(listener: Listener<JobStatusEvent>): () => void {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  /**
   * Called with a job's id just before its result file and row are deleted (removed, or expired):
   * whoever holds the file open closes it here.
   */
  onWillRemove(listener: Listener<string>): () => void {
    this.removeListeners.add(listener)
    return () => this.removeListeners.delete(listener)
  }

  /**
   * Validates and queues a trace. Bad input is refused with `input/invalid` before anything is
   * written. An identical request with an unexpired finished result is answered from it.
   */
  enqueue(raw: unknown, options: EnqueueOptions): EnqueueResult {
    if (this.stopped) throw new AppError('job/engine-stopped', 'The job engine is shutting down.')
    // A source password stays in this process's memory for the job's worker; never in the catalog.
    const { spec: source, password } = withoutPassword(options.source)
    const request = normalizeTraceRequest(withPushdown(raw, options.pushdown ?? 'auto', source, this.settings.MSD_PUSHDOWN_MIN_CIDS))
    const suspectFdr = this.settings.MSD_SUSPECT_FDR_PERCENT / 100
    const dedupKey = dedupKeyOf(request, source, suspectFdr, sourceCopyOf(source))
    if (!options.force) {
      const reusable = this.catalog.findReusable(dedupKey, this.now())
      if (reusable) return { jobId: reusable.job_id, cached: true, asOf: reusable.completed_at ?? undefined }
    }
    const jobId = newJobId()
    const estimate = estimateCids(request)
    this.catalog.insertJob({
      job_id: jobId,
      profile: request.profile,
      direction: request.direction,
      domains: request.domains,
      request,
      dedup_key: dedupKey,
      source_id: sourceIdOf(source),
      source_description: options.sourceDescription ?? sourceIdOf(source),
      result_path: join(this.options.resultsDir, `${jobId}.sqlite`),
      priority: estimate > this.settings.TRACE_ASYNC_CID_THRESHOLD ? 0 : 1,
      created_at: this.now(),
    })
    this.queuedFdr.set(jobId, suspectFdr)
    if (password !== null) this.secrets.set(jobId, passwordEnvOf(source, password))
    else if (options.secretEnv) this.secrets.set(jobId, options.secretEnv)
    this.emitStatus(jobId)
    this.schedule(jobId)
    return { jobId, cached: false }
  }

  /**
   * The catalog row of a job as it stands now, or `job/not-found`: a running job whose engine is
   * gone reads `interrupted`, and one with a pending cancel has `cancel_requested`.
   */
  status(jobId: string): JobRow {
    const row = this.catalog.getJob(jobId)
    if (!row) throw new AppError('job/not-found', `No job ${jobId} (it may have expired or been deleted).`, { jobId })
    return this.present(row)
  }

  /** Jobs of the catalog as they stand now (see {@link status}). */
  list(filter: ListJobsQuery = {}): JobRow[] {
    return this.catalog.listJobs(filter).map((row) => this.present(row))
  }

  /** The view of a job as every surface shows it. */
  view(jobId: string): JobView {
    return jobViewOf(this.status(jobId))
  }

  /**
   * A stored row as it stands now. A running job is interrupted when the process that runs it is
   * gone: the one its row names, or for a row that names none, the data folder's lock holder. Such
   * a row stays `running` in the catalog until the next engine that owns the folder recovers it.
   */
  private present(row: JobRow): JobRow {
    if (row.status !== 'running') return row
    const run = this.running.get(row.job_id)
    if (run) return run.cancelRequested ? { ...row, cancel_requested: true } : row
    const alive = row.runner_pid !== null ? processAlive(row.runner_pid) : this.lock.heldByLiveProcess()
    if (alive) return row
    return {
      ...row,
      status: 'interrupted',
      error_code: 'job/interrupted',
      error_message: 'The program running this trace stopped before it finished. Run it again to get a result.',
    }
  }

  /**
   * Checks a result file offered for import in a worker process, under a time limit that grows
   * with its size: resolves with what it holds, rejects with `import/invalid` saying why it is
   * refused. `jobId` is the id the import will give it; `name` is how messages call the file
   * (the path the person gave, when `path` is a private copy). Nothing in this process reads it.
   */
  async inspectResultFile(path: string, jobId: string, options: { name?: string; timeoutMs?: number } = {}): Promise<WorkerInspection> {
    let bytes = 0
    try {
      bytes = statSync(path).size
    } catch {
      // The worker reports a file it cannot read.
    }
    return inspectInWorker({
      host: this.host,
      entry: this.options.workerEntry,
      path,
      ...(options.name !== undefined ? { name: options.name } : {}),
      jobId,
      maxOldSpaceMb: this.settings.TRACE_WORKER_MAX_MEMORY_MB,
      timeoutMs: options.timeoutMs ?? inspectTimeoutMsOf(bytes),
    })
  }

  /**
   * Imports a result file exported elsewhere as a new, pinned, finished job (it has no source to
   * run again). The file is untrusted: it is copied into the results folder under a `.partial`
   * name without being opened by SQLite, the copy is checked in a worker process under a time limit
   * (`import/invalid` says why it is refused), and only then is the row written and the copy given
   * its final name. Start-up recovery removes a `.partial` a crash left behind.
   */
  async importResult(file: string): Promise<ImportedResult> {
    if (this.stopped) throw new AppError('job/engine-stopped', 'The job engine is shutting down.')
    const path = resolve(file)
    const jobId = newJobId()
    const dest = resultPathOf(this.options.resultsDir, jobId)
    const partial = `${dest}${PARTIAL_SUFFIX}`
    await copyForeignResult(path, this.options.resultsDir, partial)
    let row: JobRow | undefined
    let found: WorkerInspection
    try {
      found = await this.inspectResultFile(partial, jobId, { name: path })
      const now = this.now()
      row = this.catalog.insertJob({
        job_id: jobId,
        profile: found.request.profile,
        direction: found.request.direction,
        domains: found.domains,
        request: found.request,
        dedup_key: null,
        source_id: `${IMPORT_SOURCE_PREFIX}${basename(path)}`,
        source_description: `${found.source} (imported from ${path})`,
        result_path: dest,
        priority: 1,
        status: 'finished',
        created_at: now,
        completed_at: now,
        ttl_ms: this.ttlMs(),
        pinned: true,
        seed_count: found.seedCount,
        cid_count: found.cidCount,
        row_counts: found.rowCounts,
        quality: found.quality?.status ?? null,
        cached_from: null,
      })
      renameSync(partial, dest)
    } catch (error) {
      if (row) this.catalog.deleteJob(jobId)
      try {
        rmSync(partial, { force: true })
      } catch {
        // Still held open (an antivirus scan, say): the next start removes `.partial` leftovers.
      }
      if (error instanceof AppError) throw error
      throw new AppError('storage/write-failed', `Importing ${path} failed: ${(error as Error).message}`, {}, { cause: error })
    }
    this.emitStatus(jobId)
    return { row, fileJobId: found.fileJobId, asOf: found.asOf }
  }

  /** Cancels a job: a queued one is removed at once, a running one is told to stop, then killed. */
  cancel(jobId: string): JobRow {
    const row = this.status(jobId)
    if (row.status === 'queued') {
      this.queuedAborts.get(jobId)?.abort()
      this.queuedAborts.delete(jobId)
      this.finish(jobId, 'cancelled')
      return this.status(jobId)
    }
    const run = this.running.get(jobId)
    if (row.status === 'running' && run && !run.cancelRequested) {
      run.cancelRequested = true
      try {
        run.handle?.send({ type: 'cancel', jobId })
      } catch {
        // Already gone: the exit handler settles the job.
      }
      run.killTimer = setTimeout(() => run.handle?.kill(), this.options.cancelGraceMs ?? 1500)
      // The view says a cancel is pending at once; the worker's exit settles the status.
      this.emitStatus(jobId)
    }
    return this.status(jobId)
  }

  /** The process id of a running job's worker (for diagnostics), if it has one yet. */
  workerPid(jobId: string): number | undefined {
    return this.running.get(jobId)?.handle?.pid
  }

  /** Pins (never expires) or unpins a job. */
  pin(jobId: string, pinned = true): JobRow {
    this.status(jobId)
    this.catalog.setPinned(jobId, pinned)
    this.emitStatus(jobId)
    return this.status(jobId)
  }

  /** Deletes a job and its result file; a running job is cancelled first. */
  remove(jobId: string): void {
    this.secrets.delete(jobId)
    const row = this.status(jobId)
    if (row.status === 'queued' || row.status === 'running') this.cancel(jobId)
    this.removeRow(row)
  }

  /** Deletes a job's result file and row, after telling whoever reads the file. */
  private removeRow(row: JobRow): void {
    for (const listener of this.removeListeners) listener(row.job_id)
    if (row.result_path) rmSync(row.result_path, { force: true })
    this.catalog.deleteJob(row.job_id)
  }

  /** Queues the same request again as a new job (a one-command re-run of an interrupted job). */
  rerun(jobId: string, options: { secretEnv?: Record<string, string> } = {}): EnqueueResult {
    const row = this.status(jobId)
    // The source's password as it is now (a profile's), else as the first run had it in this process.
    const secret = options.secretEnv ?? this.secrets.get(jobId)
    return this.enqueue(toTraceRequest(row.request), {
      source: sourceOf(row),
      ...(row.source_description ? { sourceDescription: row.source_description } : {}),
      force: true,
      // Handed over before the job can start: the queue may spawn its worker at once.
      ...(secret ? { secretEnv: secret } : {}),
    })
  }

  /** Waits until no job is queued or running. */
  async whenIdle(): Promise<void> {
    await this.bulkGate.onIdle()
    await this.queue.onIdle()
  }

  /** Stops taking jobs, cancels running ones and waits for their workers until `deadlineMs`. */
  async shutdown(deadlineMs = 5000): Promise<void> {
    this.stopped = true
    const spare = this.spare
    this.spare = undefined
    // A spare still starting is killed once it is ready (a starting process cannot be reached
    // before its handshake); shutdown waits for that too, within the deadline, so no worker
    // outlives the engine.
    const spareGone = spare ? spare.handle.then((h) => endWorker(h), () => undefined) : Promise.resolve()
    this.sweeper.stop()
    this.bulkGate.pause()
    this.queue.pause()
    for (const jobId of this.running.keys()) this.cancel(jobId)
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, deadlineMs).unref())
    await Promise.race([this.queue.onPendingZero(), deadline])
    for (const run of this.running.values()) run.handle?.kill()
    // Killed workers settle their jobs (recorded as cancelled) before the catalog may be closed.
    const settleDeadline = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())
    await Promise.race([Promise.all([this.queue.onPendingZero(), spareGone]), settleDeadline])
    this.lock.release()
  }

  /** Deletes expired jobs and their files (small batches). */
  sweep(): string[] {
    return this.sweeper.sweep()
  }

  private schedule(jobId: string): void {
    const row = this.catalog.getJob(jobId)
    if (!row || row.status !== 'queued') return
    const abort = new AbortController()
    this.queuedAborts.set(jobId, abort)
    const task = (): Promise<void> => this.run(jobId)
    const queued =
      row.priority === 0
        ? this.bulkGate.add(() => this.queue.add(task, { priority: 0, signal: abort.signal }), { signal: abort.signal })
        : this.queue.add(task, { priority: 1, signal: abort.signal })
    queued.catch((error: unknown) => {
      // An aborted queue entry is a cancelled job, already recorded by cancel().
      if ((error as { name?: string }).name !== 'AbortError') this.finish(jobId, 'failed', toErrorData(error))
    })
  }

  private async run(jobId: string): Promise<void> {
    this.queuedAborts.delete(jobId)
    const row = this.catalog.getJob(jobId)
    if (!row || row.status !== 'queued') return
    const started = this.now()
    // The settings as the trace starts: a change made while it runs applies to the next one.
    const settings = this.settings
    const queuedFdr = this.queuedFdr.get(jobId)
    const suspectFdr = queuedFdr ?? settings.MSD_SUSPECT_FDR_PERCENT / 100
    const run: RunningJob = { handle: undefined, cancelRequested: false, detach: [] }
    // Known as this engine's before its row says running, so no reader takes it for orphaned.
    this.running.set(jobId, run)
    this.catalog.updateJob(jobId, {
      status: 'running',
      started_at: started,
      stage: 'seed',
      runner_pid: process.pid,
      // Queued before the app last stopped, the job runs at today's rate and is keyed by it, so an
      // identical request at the rate it was queued with does not take this result for its own.
      ...(queuedFdr === undefined ? { dedup_key: dedupKeyOf(row.request, sourceOf(row), suspectFdr, sourceCopyOf(sourceOf(row))) } : {}),
    })
    this.emitStatus(jobId)
    const maxMemoryMb = settings.TRACE_WORKER_MAX_MEMORY_MB
    let watchdog: RssWatchdog | undefined
    let timeout: NodeJS.Timeout | undefined
    try {
      const outcome = await new Promise<{ summary?: WorkerJobSummary; error?: AppErrorData }>((resolve) => {
        let settled = false
        const settle = (value: { summary?: WorkerJobSummary; error?: AppErrorData }): void => {
          if (!settled) {
            settled = true
            resolve(value)
          }
        }
        this.takeWorker(jobId, maxMemoryMb)
          .then((handle) => {
            run.handle = handle
            timeout = setTimeout(() => {
              settle({ error: new AppError('job/timeout', `The trace ran longer than ${settings.TRACE_JOB_TIMEOUT_SECONDS} s (TRACE_JOB_TIMEOUT_SECONDS) and was stopped.`).toJSON() })
              handle.kill()
            }, settings.TRACE_JOB_TIMEOUT_SECONDS * 1000)
            watchdog = new RssWatchdog({
              capBytes: maxMemoryMb * 1024 * 1024,
              sample: workerRssSampler(handle),
              onExceeded: () => {
                settle({ error: new AppError('worker/memory-limit', `The trace used more than ${maxMemoryMb} MB (TRACE_WORKER_MAX_MEMORY_MB) and was stopped.`).toJSON() })
                handle.kill('memory-limit')
              },
            })
            run.detach.push(
              handle.onMessage((message) => {
                if (settled) return
                const result = this.onWorkerMessage(jobId, started, message)
                if (result) settle(result)
              }),
              handle.onExit((exit) => {
                if (run.cancelRequested) settle({ error: new AppError('trace/cancelled', 'The trace was cancelled.').toJSON() })
                else settle({ error: workerExitError(exit).toJSON() })
              }),
            )
            if (run.cancelRequested) handle.kill()
            // The source's password travels in the start message, never in the worker's
            // environment (which any process of the user can read in /proc or a debugger).
            const source = sourceOf(row)
            const variable = passwordEnvNameOf(source.kind)
            const password = variable ? this.secrets.get(jobId)?.[variable] : undefined
            handle.send({
              type: 'start',
              jobId,
              request: row.request,
              source,
              ...(password ? { password } : {}),
              resultPath: row.result_path!,
              appVersion: this.options.appVersion,
              limits: {
                maxDepth: settings.LINEAGE_MAX_DEPTH,
                maxNodes: settings.LINEAGE_MAX_NODES,
                maxRowsPerDomain: settings.EVENT_FETCHER_MAX_TOTAL_ROWS,
                maxResultBytes: settings.TRACE_RESULT_MAX_MB * 1024 * 1024,
                suspectFdr,
              },
            })
          })
          .catch((error: unknown) => settle({ error: toErrorData(error) }))
      })
      if (outcome.summary) {
        this.finish(jobId, 'finished', undefined, outcome.summary)
      } else {
        const error = outcome.error!
        const status: TerminalJobStatus = error.code === 'trace/cancelled' || run.cancelRequested ? 'cancelled' : 'failed'
        // Nothing half-written stays visible as a result.
        if (row.result_path) {
          rmSync(`${row.result_path}.partial`, { force: true })
          rmSync(row.result_path, { force: true })
        }
        this.finish(jobId, status, status === 'cancelled' ? undefined : error)
      }
    } finally {
      if (timeout) clearTimeout(timeout)
      if (run.killTimer) clearTimeout(run.killTimer)
      watchdog?.stop()
      for (const detach of run.detach) detach()
      run.handle?.kill()
      this.running.delete(jobId)
      this.lastProgress.delete(jobId)
    }
  }

  /** Handles one worker message; returns the job's outcome when the message ends it. */
  private onWorkerMessage(
    jobId: string,
    started: number,
    message: WorkerToMainMessage,
  ): { summary?: WorkerJobSummary; error?: AppErrorData } | undefined {
    switch (message.type) {
      case 'progress':
        this.onProgress(jobId, started, message.progress)
        return undefined
      case 'done':
        return { summary: message.summary }
      case 'error':
        return { error: message.error }
      case 'log':
        this.onLog(jobId, message)
        return undefined
      default:
        return undefined
    }
  }

  /** Keeps a worker's log entry with its job (bounded), and says it on the listeners' view. */
  private onLog(jobId: string, message: Extract<WorkerToMainMessage, { type: 'log' }>): void {
    const entry: StoredLogEntry = {
      at: this.now(),
      level: message.level,
      message: cut(String(message.message), JOB_LOG_MAX_MESSAGE_CHARS),
      ...(typeof message.detail === 'string' && message.detail !== '' ? { detail: cut(message.detail, LOG_DETAIL_MAX_CHARS) } : {}),
    }
    this.catalog.appendLog(jobId, [entry], JOB_LOG_MAX_ENTRIES)
  }

  private onProgress(jobId: string, started: number, progress: TraceProgress): void {
    const now = this.now()
    // The first report of a run follows the row's `seed` stage, written when the run started.
    const last = this.lastProgress.get(jobId) ?? { at: 0, stage: 'seed', stageAt: started }
    const isStageChange = progress.completed_stages.length > 0 && progress.stage !== last.stage
    // A new analysis step always gets through too: there are a handful, and the last one shown stays up for seconds.
    const isStepChange = progress.analysis !== undefined && progress.analysis.step !== last.step
    if (!isStageChange && !isStepChange && now - last.at < (this.options.progressIntervalMs ?? 100)) return
    const stageAt = progress.stage !== last.stage ? now : last.stageAt
    this.lastProgress.set(jobId, { at: now, stage: progress.stage, stageAt, ...(progress.analysis ? { step: progress.analysis.step } : {}) })
    this.catalog.updateJob(jobId, { stage: progress.stage, completed_stages: progress.completed_stages, progress })
    const elapsedMs = now - started
    const etaMs = stageEtaMs(progress, now - stageAt)
    const event: JobProgressEvent = { jobId, progress, elapsedMs, ...(etaMs !== undefined ? { etaMs } : {}) }
    for (const listener of this.progressListeners) listener(event)
  }

  private ttlMs(): number {
    return this.settings.TRACE_JOB_TTL_SECONDS * 1000
  }

  private finish(jobId: string, status: TerminalJobStatus, error?: AppErrorData, summary?: WorkerJobSummary): void {
    this.queuedFdr.delete(jobId)
    this.catalog.completeJob(jobId, {
      status,
      completed_at: this.now(),
      ttlMs: this.ttlMs(),
      error_code: error?.code ?? null,
      error_message: error?.message ?? null,
      ...(summary
        ? { seed_count: summary.seedCount, cid_count: summary.cidCount, row_counts: summary.rows, quality: summary.quality.status }
        : {}),
    })
    this.emitStatus(jobId)
  }

  /** Announces a job's view as it stands now to every listener. */
  private emitStatus(jobId: string): void {
    if (this.statusListeners.size === 0) return
    const row = this.catalog.getJob(jobId)
    if (!row) return
    const event: JobStatusEvent = { job: jobViewOf(this.present(row)) }
    for (const listener of this.statusListeners) listener(event)
  }
}

/**
 * Time left in the current stage, from the pace of the stage so far (not of the whole job, whose
 * earlier stages ran at another pace): the events by batches done, the analysis by its steps done
 * weighed with their usual share of its time. Undefined until there is a pace to go by.
 */
export function stageEtaMs(progress: TraceProgress, stageElapsedMs: number): number | undefined {
  if (progress.stage === 'events') {
    const domains = Object.values(progress.domains ?? {})
    const total = domains.reduce((n, d) => n + d.batches_total, 0)
    const done = domains.reduce((n, d) => n + d.batches_done, 0)
    return total > 0 && done > 0 ? Math.round((stageElapsedMs / done) * (total - done)) : undefined
  }
  if (progress.stage === 'analysis' && progress.analysis) {
    const doneShare = msdStepsShareDone(progress.analysis)
    return doneShare !== null && doneShare > 0 ? Math.round((stageElapsedMs * (1 - doneShare)) / doneShare) : undefined
  }
  return undefined
}
