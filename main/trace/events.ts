/**
 * Stage 3 of a trace: fetch the events of the requested domains for every CID (domain.md §4.1),
 * in batches, and hand each batch to the caller as soon as it is ready.
 *
 * Memory stays flat whatever the result size: a batch is read with `source.stream`, post-processed,
 * awaited through `onBatch` (the consumer writes it away) and dropped. Nothing here holds a whole
 * domain. A failed batch is never silent: it is recorded in the domain's `quality_meta`
 * (domain.md §14 #2).
 *
 * `jobs` matches CIDs with `LIKE` terms, and every such statement is a full scan of its table. When
 * the CIDs need more than one jobs statement, the domain is read instead as one batch holding all
 * CIDs: a single scan of the table (`EventDomainDefinition.buildScanSql`) matched in code, delivered
 * in parts of at most {@link SCAN_PART_ROWS} rows as the scan goes. What such a scan cannot see
 * (the jobs on the lots' machines during their visits) is read first into the same batch, per
 * batch of CIDs (`EventDomainDefinition.buildBeforeScanSql`).
 */
import PQueue from 'p-queue'
import { normalizeTokens } from '../../shared/tokens.js'
import { cancelledError, invalidInput, isAppError } from '../../shared/errors.js'
import { EVENT_MAX_ROWS_PER_DOMAIN } from '../../shared/limits.js'
import { formatLocalDateTime, normalizePlantTime } from '../../shared/time.js'
import { DOMAINS, isDomain, type Domain, type EventRow, type QualityMeta } from '../../shared/trace.js'
import { chunk, DEFAULT_FETCH_SIZE, type Dialect, type MesSource, type SourceRow } from '../sources/index.js'
import {
  EVENT_DOMAINS,
  loadSpecMap,
  SPEC_WORKCENTER_TABLE,
  type BatchContext,
  type BuiltSql,
  type EventDomainDefinition,
  type SpecMap,
} from './event-domains.js'
import { domainQualityMeta, mergeQualityMetas, type FailedBatch } from './quality.js'

/** Parallel batches when the caller does not say (the original ran 2 domains × 2 batches). */
export const DEFAULT_EVENT_CONCURRENCY = 2

/** Most rows in one delivered part of a table-scan batch. */
export const SCAN_PART_ROWS = 2000

/** Tries of one batch statement when the source cannot be reached (a dropped connection, a restarting server). */
export const BATCH_ATTEMPTS = 3

/** Wait before the second try; doubled before each further one. */
export const RETRY_BACKOFF_MS = 500

/**
 * A failure worth trying again: the source could not be reached — not a wrong statement, a
 * timeout, or a refused login (`details.permanent`: retrying a password can lock the account).
 */
function isTransient(error: unknown): boolean {
  return isAppError(error, 'source/unreachable') && (error as { details?: { permanent?: unknown } }).details?.permanent !== true
}

/**
 * One batch of event rows of one domain, or one part of it: a table-scan batch (`jobs` past one
 * statement's worth of CIDs) is delivered in several parts of at most {@link SCAN_PART_ROWS} rows,
 * all with the same `batchIndex`, in the scan's order.
 */
export interface EventBatch {
  domain: Domain
  /** 0-based index of the batch within its domain. */
  batchIndex: number
  /** Number of batches of the domain (1 for a table scan). */
  batchCount: number
  /**
   * The rows, ordered as domain.md §4.2 says (within the batch only). The parts of a table-scan
   * batch follow each other in that order too, within each read (the reads before the scan, then
   * the scan).
   */
  rows: EventRow[]
}

/** Progress of one domain, reported after each of its batches settles and after each part of a table scan. */
export interface EventProgress {
  domain: Domain
  /** Batches settled: delivered, failed, or skipped because the domain had stopped. */
  batchesDone: number
  batchesTotal: number
  /** Rows of the domain delivered so far. */
  rows: number
}

/** What {@link fetchEvents} reads, and where it hands the rows. */
export interface FetchEventsOptions {
  /** The MES source to read (never written). */
  source: MesSource
  /** CIDs to fetch; normalized (strings only, trimmed, non-empty, de-duplicated, order kept). */
  cids: readonly string[]
  /** Domains to fetch; an unknown name is `input/invalid` naming `domains`. */
  domains: readonly Domain[]
  /**
   * Receives every read batch, possibly with no rows. Awaited, and never called twice at once, so a
   * slow consumer slows the fetch down (backpressure) instead of rows piling up. Batches of several
   * domains interleave and may arrive out of index order; there is no order across batches. A
   * throw stops the whole fetch and `fetchEvents` rejects with that error.
   */
  onBatch: (batch: EventBatch) => void | Promise<void>
  /**
   * Called after each batch of a domain settles, and after each delivered part of a table-scan
   * batch (with `rows` grown and `batchesDone` not yet counting the scan).
   */
  onProgress?: (progress: EventProgress) => void
  /** Aborting stops the fetch promptly; `fetchEvents` then rejects with `trace/cancelled`. */
  signal?: AbortSignal
  /**
   * CIDs per statement. Larger values are lowered to the dialect's IN-list limit; `jobs` is further
   * capped by the dialect's OR-term limit, and reads its table once (one batch of all CIDs) when
   * the CIDs need more than one jobs statement.
   * @default dialect.maxInList (1000)
   */
  batchSize?: number
  /**
   * Batches read in parallel, across all domains.
   * @default 2
   */
  concurrency?: number
  /**
   * Rows a domain may deliver. Reaching it stops the domain and marks it `truncated`
   * (`max_total_rows_exceeded`, `max_rows`).
   * @default 10_000_000
   */
  maxRowsPerDomain?: number
  /**
   * `true`: a failed batch makes its domain `partial` (`chunk_failure`, `failed_ranges`) and the
   * other batches go on. `false`: the first failed batch stops its domain, which becomes `failed`.
   * Either way, a domain whose every batch failed is `failed` (`domain_fetch_failed`) and the
   * other domains carry on.
   * @default true
   */
  allowPartialResults?: boolean
  /** Tries of a batch whose source could not be reached. @default BATCH_ATTEMPTS */
  retryAttempts?: number
  /** Wait before the second try, doubled after each. @default RETRY_BACKOFF_MS */
  retryBackoffMs?: number
  /**
   * Plant-local now (`YYYY-MM-DDTHH:MM:SS`) that open holds are measured to. Read once per fetch,
   * so every row of a run agrees.
   * @default the machine's local clock
   */
  now?: () => string
}

/** The quality of a finished fetch; the rows themselves went to `onBatch`. */
export interface FetchEventsResult {
  /** Quality of each requested domain. */
  domains: Partial<Record<Domain, QualityMeta>>
  /** Query-scope quality, derived from `domains`. */
  quality_meta: QualityMeta
  /** Degraded features the user should know about (e.g. a missing optional table). */
  warnings: string[]
  /**
   * Per requested domain, the wall time (ms) during which at least one of its batches was waiting
   * for rows (statement and post-processing); see `DomainStageMs.fetch`.
   */
  fetch_ms: Partial<Record<Domain, number>>
}

/** Strings only, trimmed, non-empty, de-duplicated, first occurrence kept (domain.md §4.1). */
export function normalizeCids(cids: readonly unknown[]): string[] {
  return normalizeTokens(cids)
}

function validateDomains(domains: unknown): Domain[] {
  if (!Array.isArray(domains)) throw invalidInput('domains', 'expected a list of event domains')
  const unknown = domains.filter((d) => !isDomain(d))
  if (unknown.length > 0) {
    throw invalidInput('domains', `unknown event domain ${unknown.map((d) => JSON.stringify(d)).join(', ')}; expected one of ${DOMAINS.join(', ')}`, {
      unknown,
    })
  }
  return [...new Set(domains as Domain[])]
}

function positiveInteger(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < 1) throw invalidInput(field, `expected a positive integer, got ${String(value)}`)
  return value
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Resolves with `promise`, or rejects as soon as `signal` aborts — so a statement that ignores its
 * signal cannot hold the fetch hostage. A late rejection of `promise` is observed, never unhandled.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined)
    return Promise.reject(signal.reason)
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

/** Mutable bookkeeping of one domain during a fetch. */
interface DomainRun {
  domain: Domain
  definition: EventDomainDefinition
  batches: string[][]
  /** The table-scan statement when the domain is read as one scan batch of all CIDs. */
  scan: BuiltSql | undefined
  settled: number
  rows: number
  failed: FailedBatch[]
  truncatedAt: number | undefined
  stoppedOnFailure: boolean
  /** Aborted when the domain stops early (row cap, or a failure with partial results off). */
  stop: AbortController
  /** Batches of the domain waiting for rows right now, since when, and the time summed so far. */
  reading: number
  readingSince: number
  fetchMs: number
}

interface Task {
  run: DomainRun
  index: number
  cids: string[]
}

/** The chunks of one statement; stops promptly on abort and releases the statement on early exit. */
async function* statementChunks(source: MesSource, { sql, params }: BuiltSql, signal: AbortSignal): AsyncGenerator<SourceRow[], void, undefined> {
  const iterator = source.stream(sql, params, { signal, fetchSize: DEFAULT_FETCH_SIZE })[Symbol.asyncIterator]()
  let finished = false
  try {
    for (;;) {
      const next = await untilAborted(iterator.next(), signal)
      if (next.done) break
      yield next.value
    }
    finished = true
  } finally {
    // Not awaited, because a stuck driver must not block us.
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined)
  }
}

/**
 * One run of {@link fetchEvents}: its batches (every domain's, in order) wait on a p-queue that
 * reads `concurrency` of them at a time. Cancellation and a consumer error abort `stopAll`, which
 * stops every statement in flight and empties the queue; the run still waits for the batches in
 * flight to settle before it answers.
 */
class EventFetch {
  private readonly dialect: Dialect
  private readonly batchSize: number
  private readonly maxRows: number
  private readonly allowPartial: boolean
  private readonly retryAttempts: number
  private readonly retryBackoffMs: number
  private readonly cids: string[]
  private readonly now: string
  private readonly runs: DomainRun[]
  private readonly queue: PQueue
  private readonly warnings: string[] = []
  /** Aborted on cancellation and on a consumer error, so every in-flight statement stops. */
  private readonly stopAll = new AbortController()
  /** The first error that stopped the run (not a cancellation). */
  private fatal: { error: unknown } | undefined
  /** The spec map is small and the same for every batch: read once, on the first batch that needs it. */
  private specMap: Promise<SpecMap | null> | undefined
  /** onBatch calls are serialized: consumers (one SQLite writer per result file) need not be re-entrant. */
  private delivery: Promise<void> = Promise.resolve()

  /** Checks the options (`input/invalid` naming the field) and plans the batches; `trace/cancelled` when already aborted. */
  constructor(private readonly options: FetchEventsOptions) {
    const domains = validateDomains(options.domains)
    if (!Array.isArray(options.cids)) throw invalidInput('cids', 'expected a list of container IDs')
    this.dialect = options.source.dialect
    this.batchSize = Math.min(positiveInteger('batchSize', options.batchSize, this.dialect.maxInList), this.dialect.maxInList)
    const concurrency = positiveInteger('concurrency', options.concurrency, DEFAULT_EVENT_CONCURRENCY)
    this.maxRows = positiveInteger('maxRowsPerDomain', options.maxRowsPerDomain, EVENT_MAX_ROWS_PER_DOMAIN)
    this.allowPartial = options.allowPartialResults ?? true
    this.retryAttempts = Math.max(1, options.retryAttempts ?? BATCH_ATTEMPTS)
    this.retryBackoffMs = Math.max(0, options.retryBackoffMs ?? RETRY_BACKOFF_MS)
    if (options.signal?.aborted) throw cancelledError()

    this.cids = normalizeCids(options.cids)
    this.now = normalizePlantTime(options.now ? options.now() : formatLocalDateTime(new Date())) ?? formatLocalDateTime(new Date())
    this.runs = domains.map((domain) => this.planDomain(domain))
    this.queue = new PQueue({ concurrency })
  }

  private planDomain(domain: Domain): DomainRun {
    const { cids } = this
    const definition = EVENT_DOMAINS[domain]
    const size = Math.min(this.batchSize, definition.maxBatchSize(this.dialect))
    // More than one statement's worth of CIDs: one scan of the table beats a full scan per batch.
    const scan = cids.length > size ? definition.buildScanSql?.(this.dialect) : undefined
    return {
      domain,
      definition,
      batches: cids.length === 0 ? [] : scan ? [cids] : chunk(cids, size),
      scan,
      settled: 0,
      rows: 0,
      failed: [],
      truncatedAt: undefined,
      stoppedOnFailure: false,
      stop: new AbortController(),
      reading: 0,
      readingSince: 0,
      fetchMs: 0,
    }
  }

  /** Reads every batch; resolves with the quality of every domain once all batches settled. */
  async run(): Promise<FetchEventsResult> {
    const outer = this.options.signal
    const forwardAbort = (): void => this.stopAll.abort(cancelledError())
    outer?.addEventListener('abort', forwardAbort, { once: true })
    // Batches not started yet never start once the run stops; the ones in flight stop on `stopAll`.
    this.stopAll.signal.addEventListener('abort', () => this.queue.clear(), { once: true })
    try {
      for (const run of this.runs) {
        run.batches.forEach((cids, index) => {
          // Caught inside the task, so the run stops before the queue can start another batch.
          void this.queue.add(() => this.runTask({ run, index, cids }).catch((error: unknown) => this.fail(error)))
        })
      }
      await this.queue.onIdle()
    } finally {
      outer?.removeEventListener('abort', forwardAbort)
    }
    if (outer?.aborted) throw cancelledError()
    if (this.fatal) throw this.fatal.error

    const metas: Partial<Record<Domain, QualityMeta>> = {}
    const fetchMs: Partial<Record<Domain, number>> = {}
    for (const run of this.runs) {
      fetchMs[run.domain] = run.fetchMs
      metas[run.domain] = domainQualityMeta({
        domain: run.domain,
        observedRows: run.rows,
        batchCount: run.batches.length,
        failedBatches: run.failed,
        ...(run.truncatedAt !== undefined ? { truncatedAt: run.truncatedAt } : {}),
        stoppedOnFailure: run.stoppedOnFailure,
      })
    }
    return { domains: metas, quality_meta: mergeQualityMetas(metas), warnings: this.warnings, fetch_ms: fetchMs }
  }

  /** A batch threw: the first error not caused by the run stopping stops it. */
  private fail(error: unknown): void {
    if (this.stopAll.signal.aborted) return
    this.fatal ??= { error }
    this.stopAll.abort(error)
  }

  private specMapOnce(): Promise<SpecMap | null> {
    this.specMap ??= loadSpecMap(this.options.source, this.stopAll.signal).then((map) => {
      if (map === null) {
        this.warnings.push(`${SPEC_WORKCENTER_TABLE} is missing: history and rejects are grouped by the station substring rules.`)
      }
      return map
    })
    return this.specMap
  }

  private deliver(batch: EventBatch): Promise<void> {
    const turn = this.delivery.then(async () => {
      if (this.stopAll.signal.aborted) throw this.stopAll.signal.reason
      await this.options.onBatch(batch)
    })
    this.delivery = turn.catch(() => undefined)
    return turn
  }

  private report(run: DomainRun): void {
    this.options.onProgress?.({ domain: run.domain, batchesDone: run.settled, batchesTotal: run.batches.length, rows: run.rows })
  }

  /**
   * The post-processed rows of one batch, in parts: the whole batch at once for a per-batch
   * statement, parts of at most {@link SCAN_PART_ROWS} rows (at least one, maybe empty) for a
   * table scan, post-processed chunk by chunk as the scan goes.
   */
  private async *readBatch(task: Task, signal: AbortSignal): AsyncGenerator<EventRow[], void, undefined> {
    const { definition, scan } = task.run
    const map = definition.usesSpecMap ? await untilAborted(this.specMapOnce(), signal) : null
    const context: BatchContext = { cids: task.cids, now: this.now, specMap: map }
    if (!scan) {
      // Nothing of a batch is delivered before its statement ends, so a transient failure can be
      // tried again from the start: up to BATCH_ATTEMPTS tries, with a growing wait between them.
      for (let attempt = 1; ; attempt++) {
        const raw: SourceRow[] = []
        try {
          for await (const rows of statementChunks(this.options.source, definition.buildSql(this.dialect, task.cids), signal)) {
            for (const row of rows) raw.push(row)
          }
        } catch (error) {
          if (attempt >= this.retryAttempts || !isTransient(error) || signal.aborted) throw error
          await untilAborted(new Promise<void>((resolve) => setTimeout(resolve, this.retryBackoffMs * 2 ** (attempt - 1))), signal)
          continue
        }
        yield definition.postProcess(raw, context)
        return
      }
    }
    // What the scan's filter cannot see is read first, per batch of CIDs, into the same batch.
    const carry = new Set<string>()
    const reads: { sql: BuiltSql; context: BatchContext }[] = [
      ...(definition.buildBeforeScanSql
        ? chunk(task.cids, this.batchSize).map((cids) => ({
            sql: definition.buildBeforeScanSql!(this.dialect, cids),
            context: { ...context, cids, read: 'before-scan' as const, carry },
          }))
        : []),
      { sql: scan, context: { ...context, read: 'scan', carry } },
    ]
    let part: EventRow[] = []
    let parts = 0
    for (const read of reads) {
      for await (const rows of statementChunks(this.options.source, read.sql, signal)) {
        for (const row of definition.postProcess(rows, read.context)) {
          part.push(row)
          if (part.length < SCAN_PART_ROWS) continue
          parts += 1
          yield part
          part = []
        }
      }
    }
    if (part.length > 0 || parts === 0) yield part
  }

  private recordFailure(task: Task, error: unknown): void {
    const { run } = task
    const start = task.cids[0] ?? ''
    const end = task.cids[task.cids.length - 1] ?? start
    const what = run.scan
      ? `${run.definition.sourceTable} scan for ${task.cids.length} CIDs`
      : `batch ${task.index + 1}/${run.batches.length}`
    run.failed.push({ start, end, message: `${what} (${start}…${end}): ${messageOf(error)}` })
    if (!this.allowPartial) {
      run.stoppedOnFailure = true
      run.stop.abort()
    }
  }

  /** Reads and delivers one batch; rejects only when the whole run must stop. */
  private async runTask(task: Task): Promise<void> {
    const { run } = task
    if (!run.stop.signal.aborted) {
      const parts = this.readBatch(task, AbortSignal.any([this.stopAll.signal, run.stop.signal]))
      try {
        for (;;) {
          let next: IteratorResult<EventRow[]>
          // Timed as the union of the domain's waiting batches, so parallel batches count once.
          if (run.reading++ === 0) run.readingSince = performance.now()
          try {
            next = await parts.next()
          } catch (error) {
            if (this.stopAll.signal.aborted) throw this.stopAll.signal.reason
            // A batch interrupted because its domain stopped is skipped, not failed.
            if (!run.stop.signal.aborted) this.recordFailure(task, error)
            break
          } finally {
            if (--run.reading === 0) run.fetchMs += performance.now() - run.readingSince
          }
          if (next.done || run.stop.signal.aborted) break
          // Rows are reserved before the await below, so parallel batches of one domain share the cap.
          let rows = next.value
          const room = this.maxRows - run.rows
          if (rows.length > room) {
            rows = rows.slice(0, room)
            run.truncatedAt = this.maxRows
            run.stop.abort()
          }
          run.rows += rows.length
          await this.deliver({ domain: run.domain, batchIndex: task.index, batchCount: run.batches.length, rows })
          if (run.stop.signal.aborted) break
          if (run.scan) this.report(run)
        }
      } finally {
        // Releases the statement when the batch stops early (row cap, stopped domain, consumer error).
        await parts.return()
      }
    }
    run.settled += 1
    this.report(run)
  }
}

/**
 * Fetches the events of `domains` for `cids`, batch by batch, handing each batch to `onBatch`.
 * Resolves with the quality of every domain and of the query once all batches settled; rejects
 * with `trace/cancelled` when `signal` aborts and with the consumer's error when `onBatch` throws.
 * Batch failures do not reject: they are reported in the quality metas.
 */
export async function fetchEvents(options: FetchEventsOptions): Promise<FetchEventsResult> {
  return new EventFetch(options).run()
}
