/**
 * The trace pipeline: seed resolve → lineage → events, run against one read-only source. It is a
 * plain library (no Electron, no process globals) so the same code runs inside a worker process,
 * the CLI and tests. Event rows go to the caller's sink batch by batch and are never held whole.
 */
import type { TimeWindow } from '../../shared/data-window.js'
import { isAppError, throwIfCancelled } from '../../shared/errors.js'
import { LINEAGE_MAX_DEPTH, LINEAGE_MAX_NODES } from '../../shared/limits.js'
import { ownValue } from '../../shared/own-keys.js'
import type { StageTimings } from '../../shared/stage-timings.js'
import type { NormalizedTraceRequest } from '../../shared/trace-request.js'
import type { Domain, EventRow, LineageResult, QualityMeta, SeedResult, TraceProgress } from '../../shared/trace.js'
import { readDataWindow, type MesSource } from '../sources/index.js'
import type { LineageStream, ResultFileWriter, SqliteDatabase } from '../store/index.js'
import { fetchEvents } from './events.js'
import { resolveBackwardLineage, resolveForwardLineage, type LineageOptions } from './lineage.js'
import { resolveBackwardLineageStaged } from './lineage-staged.js'
import { resolveForwardLineageStaged } from './lineage-staged-forward.js'
import { mergeQuality } from './quality.js'
import { resolveContainerSeeds, resolveDetectionPopulation } from './seed-resolve.js'

/** Receives what the pipeline produces, in order. Each callback is awaited (backpressure). */
export interface TraceSink {
  onSeeds?(result: SeedResult): void | Promise<void>
  onLineage?(lineage: LineageResult): void | Promise<void>
  /**
   * Takes the genealogy piece by piece instead of `onLineage`. Given with {@link lineageWorkspace},
   * a run that keeps only the outline walks its genealogy (either direction) with its state in the
   * workspace's temporary tables (`lineage-staged.ts`, `lineage-staged-forward.ts`), so the graph
   * is never held whole in the process.
   */
  onLineageStream?(lineage: LineageStream): void | Promise<void>
  /** The connection whose temporary tables hold the staged walk's state (the result file's). */
  lineageWorkspace?(): SqliteDatabase
  /**
   * Told after {@link onLineageStream} once the walk that made the stream is released (its graph
   * is garbage then): the result file joins the genealogy's parts here, not while the graph is held.
   */
  onLineageReleased?(): void | Promise<void>
  onEventBatch?(batch: { domain: Domain; batchIndex: number; batchCount: number; rows: EventRow[] }): void | Promise<void>
}

/**
 * The sink of a job: everything into its result file, a backward genealogy walked with its state in
 * the file's temporary tables and written piece by piece.
 */
export function resultFileSink(writer: ResultFileWriter): TraceSink {
  return {
    onSeeds: (seeds) => writer.writeSeeds(seeds),
    onLineage: (lineage) => writer.writeLineage(lineage),
    onLineageStream: (lineage) => writer.writeLineageStream(lineage),
    lineageWorkspace: () => writer.workspace(),
    onLineageReleased: () => writer.joinLineageParts(),
    onEventBatch: (batch) => writer.writeEvents(batch.domain, batch.rows),
  }
}

export interface RunTraceOptions {
  source: MesSource
  request: NormalizedTraceRequest
  sink?: TraceSink
  signal?: AbortSignal
  onProgress?: (progress: TraceProgress) => void
  /** @default LINEAGE_MAX_DEPTH */
  maxDepth?: number
  /** @default LINEAGE_MAX_NODES */
  maxNodes?: number
  /** Passed to the event fetcher (see `fetchEvents`). */
  maxRowsPerDomain?: number
  concurrency?: number
  allowPartialResults?: boolean
  now?: () => string
  /**
   * What the outcome keeps of the genealogy: all of it, or — once the sink has it — only its
   * {@link LineageOutline}, so none of its maps is held through the events and the analysis.
   * @default 'full'
   */
  keepLineage?: 'full' | 'outline'
  /**
   * Told where a step has just left what it worked on as garbage: after each stage, and once the
   * genealogy walk's graph is released. A worker collects its heap there (`collectBetweenSteps`).
   */
  onStepEnd?: () => void
}

/**
 * What a job keeps of the genealogy after the sink has written it: its direction, size and caps.
 * The MSD analysis follows the links from the result file (`writeLotMap`); at plant scale the maps
 * left out here are tens of megabytes held through the events and the analysis.
 */
export type LineageOutline = Pick<LineageResult, 'direction' | 'total_nodes' | 'truncated' | 'truncation_reasons'>

/** The outline of `lineage`. */
function lineageOutline(lineage: LineageResult): LineageOutline {
  const { direction, total_nodes, truncated, truncation_reasons } = lineage
  return { direction, total_nodes, truncated, truncation_reasons }
}

export interface TraceOutcome<Lineage extends LineageOutline = LineageResult> {
  seeds: SeedResult
  /** `null` when there were no seeds (nothing to trace). */
  lineage: Lineage | null
  /** CIDs whose events were fetched (seeds first). */
  event_cids: string[]
  domains: Partial<Record<Domain, QualityMeta>>
  /** Query-scope quality; a truncated lineage makes it at least `truncated`. */
  quality_meta: QualityMeta
  rows: Partial<Record<Domain, number>>
  /** Degraded features the user should know about (e.g. a missing optional table). */
  warnings: string[]
  /** The trace's stages (the sink's writes included); the job adds the analysis and the file's finish. */
  stage_ms: Pick<StageTimings, 'resolve' | 'lineage' | 'events' | 'domains'>
  /**
   * A date-range trace that found no lot: the detection station's track-in window in the source,
   * so the result can say where the data is (null when it could not be read). Absent otherwise.
   */
  station_window?: TimeWindow | null
}

/**
 * The CIDs whose events a trace fetches (domain.md §3.7): MSD backward = seeds ∪ their ancestors;
 * MSD forward = seeds ∪ their descendants (siblings of seeds are not included); the query-tool
 * profiles fetch every node of the graph they show, so any node can be inspected.
 */
export function eventCids(request: NormalizedTraceRequest, seeds: readonly string[], lineage: LineageResult): string[] {
  const out = new Set<string>(seeds)
  if (request.profile !== 'mid_section_defect') {
    for (const cid of Object.keys(lineage.nodes)) out.add(cid)
    for (const edge of lineage.edges) {
      out.add(edge.from_cid)
      out.add(edge.to_cid)
    }
    return [...out]
  }
  // Own keys only: a CID such as `constructor` must not find what every object inherits.
  const own = (record: Record<string, string[]>, cid: string): string[] => ownValue(record, cid) ?? []
  if (lineage.direction === 'backward') {
    for (const seed of seeds) for (const a of own(lineage.ancestors, seed)) out.add(a)
    return [...out]
  }
  // Walked by index: `shift` on a queue this long moves the whole array each time.
  const queue = [...seeds]
  for (let i = 0; i < queue.length; i++) {
    const cid = queue[i]!
    for (const child of own(lineage.children_map, cid)) {
      if (!out.has(child)) {
        out.add(child)
        queue.push(child)
      }
    }
  }
  return [...out]
}

/**
 * What a job keeps of its trace for the analysis and its summary: the seeds' count, what was not
 * found and their CIDs, not their entries (the result file has them: 136 005 entries with their
 * names and lot IDs were 11 MB of the heap through the walk at 240 000 lots), and how many CIDs the
 * events covered.
 */
export interface JobTrace extends Omit<TraceOutcome<LineageOutline>, 'seeds' | 'event_cids'> {
  seeds: Omit<SeedResult, 'seeds'>
  seed_cids: string[]
  event_cid_count: number
}

/** What the stages hand back, with the seeds' entries and the events' CIDs only when kept. */
interface TraceStages extends Omit<TraceOutcome<LineageOutline>, 'seeds' | 'event_cids'> {
  seedCounts: Omit<SeedResult, 'seeds'>
  /** The sink's seed result, kept only for {@link runTrace}. */
  seedResult: SeedResult | null
  seedCids: string[]
  eventCids: string[] | null
  eventCidCount: number
}

/** Runs one trace to the end. Throws `trace/cancelled` when the signal aborts. */
export async function runTrace(options: RunTraceOptions & { keepLineage: 'outline' }): Promise<TraceOutcome<LineageOutline>>
export async function runTrace(options: RunTraceOptions & { keepLineage?: 'full' }): Promise<TraceOutcome>
export async function runTrace(options: RunTraceOptions): Promise<TraceOutcome<LineageOutline>> {
  const { seedCounts, seedResult, seedCids: _cids, eventCids, eventCidCount: _count, ...rest } = await traceStages(options, false)
  return { seeds: seedResult ?? { ...seedCounts, seeds: [] }, event_cids: eventCids ?? [], ...rest }
}

/**
 * Runs one trace as a job does: the genealogy kept as its outline once the sink has it, the seeds'
 * entries only in the sink (the outcome keeps their CIDs), the events' CIDs only while they are
 * fetched. Throws `trace/cancelled` when the signal aborts.
 */
export async function runJobTrace(options: Omit<RunTraceOptions, 'keepLineage'>): Promise<JobTrace> {
  const { seedCounts, seedResult: _result, seedCids, eventCids: _cids, eventCidCount, ...rest } = await traceStages({ ...options, keepLineage: 'outline' }, true)
  return { ...rest, seeds: seedCounts, seed_cids: seedCids, event_cid_count: eventCidCount }
}

/** Resolves the seeds and hands them to the sink; the whole result is returned only when `keep`. */
async function resolveSeeds(
  options: RunTraceOptions,
  keep: boolean,
): Promise<{ counts: Omit<SeedResult, 'seeds'>; result: SeedResult | null; cids: string[] }> {
  const { source, request, sink = {}, signal } = options
  const result =
    request.seed.mode === 'date_range'
      ? await resolveDetectionPopulation(request.seed, { source, signal })
      : await resolveContainerSeeds(request.seed, { source, signal })
  await sink.onSeeds?.(result)
  const { seeds, ...counts } = result
  return { counts, result: keep ? result : null, cids: seeds.map((s) => s.container_id) }
}

/** The stages of {@link runTrace} and {@link runJobTrace}; `forJob` drops what a job does not keep. */
async function traceStages(options: RunTraceOptions, forJob: boolean): Promise<TraceStages> {
  const { source, request, sink = {}, signal, onProgress } = options
  const completed: TraceProgress['completed_stages'] = []
  const timings: TraceOutcome['stage_ms'] = { resolve: 0, lineage: 0, events: 0, domains: {} }

  // Seed
  onProgress?.({ stage: 'seed', completed_stages: [...completed], message: 'resolving input' })
  let started = performance.now()
  const { counts: seedCounts, result: seedResult, cids: seedCids } = await resolveSeeds(options, !forJob)
  timings.resolve = performance.now() - started
  completed.push('seed')
  throwIfCancelled(signal)
  options.onStepEnd?.()

  const emptyQuality = mergeQuality({}, [])
  if (seedCounts.seed_count === 0) {
    const empty = {
      seedCounts,
      seedResult,
      seedCids,
      lineage: null,
      eventCids: forJob ? null : [],
      eventCidCount: 0,
      domains: {},
      quality_meta: emptyQuality,
      rows: {},
      warnings: [],
      stage_ms: timings,
    }
    if (request.seed.mode !== 'date_range') return empty
    return { ...empty, station_window: await stationWindowOf(source, request.seed.station, signal) }
  }

  // Lineage
  onProgress?.({ stage: 'lineage', completed_stages: [...completed], message: `tracing ${seedCounts.seed_count} seeds` })
  started = performance.now()
  const lineageOptions = {
    source,
    signal,
    maxDepth: options.maxDepth ?? LINEAGE_MAX_DEPTH,
    maxNodes: options.maxNodes ?? LINEAGE_MAX_NODES,
    // A pushed-down run has the server follow the genealogy's relations too.
    ...(request.pushdown ? { readAhead: true } : {}),
    onProgress: (p: { level: number; nodes: number }) =>
      onProgress?.({ stage: 'lineage', completed_stages: [...completed], message: `level ${p.level}, ${p.nodes} nodes` }),
    ...(options.onStepEnd ? { onStepEnd: options.onStepEnd } : {}),
  }
  const { lineage, cids } = await traceLineage(request, seedCids, lineageOptions, sink, options.keepLineage ?? 'full')
  timings.lineage = performance.now() - started
  completed.push('lineage')
  throwIfCancelled(signal)
  options.onStepEnd?.()

  // Events
  const rows: Partial<Record<Domain, number>> = {}
  const progress: NonNullable<TraceProgress['domains']> = {}
  let rowsSoFar = 0
  const writeMs: Partial<Record<Domain, number>> = {}
  started = performance.now()
  const fetched =
    request.domains.length === 0
      ? { domains: {}, quality_meta: emptyQuality, warnings: [], fetch_ms: {} }
      : await fetchEvents({
          source,
          cids,
          domains: request.domains,
          signal,
          ...(options.maxRowsPerDomain !== undefined ? { maxRowsPerDomain: options.maxRowsPerDomain } : {}),
          ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
          ...(options.allowPartialResults !== undefined ? { allowPartialResults: options.allowPartialResults } : {}),
          ...(options.now ? { now: options.now } : {}),
          onBatch: async (batch) => {
            rows[batch.domain] = (rows[batch.domain] ?? 0) + batch.rows.length
            rowsSoFar += batch.rows.length
            const writing = performance.now()
            await sink.onEventBatch?.(batch)
            writeMs[batch.domain] = (writeMs[batch.domain] ?? 0) + performance.now() - writing
          },
          onProgress: (p) => {
            progress[p.domain] = { batches_done: p.batchesDone, batches_total: p.batchesTotal, rows: p.rows }
            onProgress?.({ stage: 'events', completed_stages: [...completed], domains: { ...progress }, rows_so_far: rowsSoFar })
          },
        })
  timings.events = performance.now() - started
  for (const d of request.domains) timings.domains[d] = { fetch: fetched.fetch_ms[d] ?? 0, write: writeMs[d] ?? 0 }
  completed.push('events')
  onProgress?.({ stage: 'events', completed_stages: [...completed], domains: { ...progress }, rows_so_far: rowsSoFar })

  const quality_meta = lineage.truncated ? withLineageTruncation(fetched.quality_meta) : fetched.quality_meta
  for (const d of request.domains) rows[d] ??= 0
  return {
    seedCounts,
    seedResult,
    seedCids,
    lineage,
    eventCids: forJob ? null : cids,
    eventCidCount: cids.length,
    domains: fetched.domains,
    quality_meta,
    rows,
    warnings: fetched.warnings,
    stage_ms: timings,
  }
}

/**
 * Walks the genealogy, hands it to the sink and returns what the outcome keeps of it with the CIDs
 * whose events the trace fetches. The whole graph lives only in this frame: with `outline`, it can
 * be collected as soon as this returns.
 */
async function traceLineage(
  request: NormalizedTraceRequest,
  seedCids: readonly string[],
  lineageOptions: LineageOptions,
  sink: TraceSink,
  keep: 'full' | 'outline',
): Promise<{ lineage: LineageOutline; cids: string[] }> {
  if (keep === 'outline' && sink.onLineageStream && sink.lineageWorkspace) {
    const streamed = await streamStagedLineage(request, seedCids, lineageOptions, sink.onLineageStream.bind(sink), sink.lineageWorkspace())
    // The walk's graph is garbage from here on: the file joins the genealogy's parts after it.
    lineageOptions.onStepEnd?.()
    await sink.onLineageReleased?.()
    return streamed
  }
  const full =
    request.direction === 'backward' ? await resolveBackwardLineage(seedCids, lineageOptions) : await resolveForwardLineage(seedCids, lineageOptions)
  await sink.onLineage?.(full)
  return { lineage: keep === 'outline' ? lineageOutline(full) : full, cids: eventCids(request, seedCids, full) }
}

/**
 * Walks the genealogy with its state in `workspace` and streams it to `onStream`. The walk's graph
 * lives only in this frame: it is garbage once this returns.
 */
async function streamStagedLineage(
  request: NormalizedTraceRequest,
  seedCids: readonly string[],
  lineageOptions: LineageOptions,
  onStream: (lineage: LineageStream) => void | Promise<void>,
  workspace: SqliteDatabase,
): Promise<{ lineage: LineageOutline; cids: string[] }> {
  const walk = request.direction === 'backward' ? resolveBackwardLineageStaged : resolveForwardLineageStaged
  const staged = await walk(seedCids, lineageOptions, workspace)
  try {
    await onStream(staged.stream)
    return { lineage: staged.outline, cids: staged.eventCids(request.profile) }
  } finally {
    staged.dispose()
  }
}

/** A truncated genealogy means the events cover fewer lots than asked: say so at query scope. */
function withLineageTruncation(meta: QualityMeta): QualityMeta {
  return {
    ...meta,
    status: meta.status === 'complete' ? 'truncated' : meta.status,
    reasons: meta.reasons.includes('lineage_truncated') ? meta.reasons : [...meta.reasons, 'lineage_truncated'],
  }
}

/**
 * The track-in window of `station` in the source, to explain an empty detection population; null
 * when the read fails (the empty result still stands and says so without the window).
 */
async function stationWindowOf(source: MesSource, station: string, signal: AbortSignal | undefined): Promise<TimeWindow | null> {
  try {
    const window = await readDataWindow(source, signal ? { signal } : {})
    return window.stations[station] ?? { first: null, last: null }
  } catch (error) {
    if (isAppError(error, 'trace/cancelled')) throw error
    return null
  }
}
