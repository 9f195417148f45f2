/**
 * Where a trace job's time went: the `stage_ms` record a worker measures for every trace, stores in
 * the result file's manifest and every surface shows (`run --json`, `show`, the job card). All
 * values are milliseconds of wall time (`performance.now()` in the worker), never negative.
 *
 * The top-level stages run one after the other, so `resolve + lineage + events + (each analysis
 * step) + sort_index + finish` never exceeds `total`. Inside `events` the domains' batches run in
 * parallel (two at a time by default), so a domain's `fetch` may overlap other domains' fetches and
 * writes; only the writes are serialized, so their sum never exceeds `events`.
 */
import { DOMAINS, type Domain } from './trace.js'

/**
 * Steps of the MSD analysis that follow the events, in the order they run (a direction runs only
 * some: forward has no `families`, `ranking`, `explain` nor `suspects`).
 */
export const MSD_ANALYSIS_STEPS = ['detection', 'lot_map', 'factor_tables', 'aggregate', 'families', 'ranking', 'explain', 'detail', 'suspects'] as const

/**
 * One step of the MSD analysis:
 * - `detection`: reading the detection station's records from the source and writing them into the result file;
 * - `lot_map`: writing the detection lot → containers map and creating the MSD output tables;
 * - `factor_tables`: building the per-lot factor tables (machines, materials, wafer roots; forward: downstream stations) over the stored events;
 * - `aggregate`: the SQL tallies over them: KPI, factor tallies and populations, charts, daily trend;
 * - `families`: reading the suspect machines' families from the source (backward);
 * - `ranking`: ranking the suspects and their significance (backward);
 * - `explain`: naming the cause of the significant suspects and their time views (backward);
 * - `detail`: writing the detail rows;
 * - `suspects`: writing the suspect rows (backward).
 */
export type MsdAnalysisStep = (typeof MSD_ANALYSIS_STEPS)[number]

/** The steps each MSD direction runs, in order (forward has no families, ranking, explain or suspects). */
export const MSD_DIRECTION_STEPS: Readonly<Record<'backward' | 'forward', readonly MsdAnalysisStep[]>> = {
  backward: MSD_ANALYSIS_STEPS,
  forward: ['detection', 'lot_map', 'factor_tables', 'aggregate', 'detail'],
}

/**
 * Each step's usual share of the analysis time, measured on whole-plant backward runs (bench-msd-run,
 * 120 000 lots): what the time estimate weighs the steps done with while the analysis runs.
 */
export const MSD_STEP_WEIGHTS: Readonly<Record<MsdAnalysisStep, number>> = {
  detection: 15,
  lot_map: 4,
  factor_tables: 38,
  aggregate: 18,
  families: 0.1,
  ranking: 0.1,
  explain: 10,
  detail: 12,
  suspects: 2,
}

/**
 * The usual share of the analysis time (0..1) that the first `done` steps of a direction's step
 * list take ({@link MSD_STEP_WEIGHTS}); null when `step` is not that list's step `done`.
 */
export function msdStepsShareDone(progress: { step: MsdAnalysisStep; steps_done: number; steps_total: number }): number | null {
  const { step, steps_done: done, steps_total: total } = progress
  const steps = Object.values(MSD_DIRECTION_STEPS).find((list) => list.length === total && list[done] === step)
  if (!steps) return null
  const weight = (list: readonly MsdAnalysisStep[]): number => list.reduce((n, s) => n + MSD_STEP_WEIGHTS[s], 0)
  return weight(steps.slice(0, done)) / weight(steps)
}

/** Time of one event domain inside the `events` stage. */
export interface DomainStageMs {
  /**
   * Wall time during which at least one batch of the domain was waiting for its rows (the
   * statement and the rows' post-processing, retries included). Other work of the job may run
   * meanwhile (other batches, the writes), so it is at most `events`, not a share of it.
   */
  fetch: number
  /** Time spent writing the domain's rows into the result file, summed over its batches. */
  write: number
}

/** Where a trace job's time went (see the module comment). Milliseconds. */
export interface StageTimings {
  /** Resolving the input to seed containers (or the detection station's lots of a date range) and writing them. */
  resolve: number
  /** Resolving the genealogy and writing it into the result file (0 without seeds). */
  lineage: number
  /** The whole event stage: every domain's reads and writes, wall time (0 without seeds or domains). */
  events: number
  /** Each requested domain's share of `events`, in request order (empty when there were no seeds). */
  domains: Partial<Record<Domain, DomainStageMs>>
  /** Each MSD analysis step that ran; empty for the other profiles. */
  analysis: Partial<Record<MsdAnalysisStep, number>>
  /** Building the result file's lineage indexes and every sortable column's index and sort table. */
  sort_index: number
  /**
   * Finishing the result file: the aggregation and the manifest, and the planner statistics. The
   * file's close, sync and rename that follow are not in it: the record is stored in that file.
   */
  finish: number
  /**
   * From the start of the job (opening the source and checking its schema, then creating the
   * result file, which no stage covers) to the end of `finish`.
   */
  total: number
}

/**
 * `timings` to a tenth of a millisecond, every part rounded down and the total up, so the parts
 * still add up to at most the total.
 */
export function roundStageTimings(timings: StageTimings): StageTimings {
  const down = (ms: number): number => Math.max(0, Math.floor(ms * 10) / 10)
  const domains: StageTimings['domains'] = {}
  for (const [domain, d] of Object.entries(timings.domains) as [Domain, DomainStageMs][]) domains[domain] = { fetch: down(d.fetch), write: down(d.write) }
  const analysis: StageTimings['analysis'] = {}
  for (const [step, ms] of Object.entries(timings.analysis) as [MsdAnalysisStep, number][]) analysis[step] = down(ms)
  return {
    resolve: down(timings.resolve),
    lineage: down(timings.lineage),
    events: down(timings.events),
    domains,
    analysis,
    sort_index: down(timings.sort_index),
    finish: down(timings.finish),
    total: Math.max(0, Math.ceil(timings.total * 10) / 10),
  }
}

function isMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

function isRecordOf(value: unknown, keys: readonly string[], ok: (v: unknown) => boolean): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  return Object.entries(value).every(([k, v]) => keys.includes(k) && ok(v))
}

/**
 * Whether `value` is a well-formed {@link StageTimings} (a result file is a file anyone can hand
 * over: a reader shows its stage times only when they hold together).
 */
export function isStageTimings(value: unknown): value is StageTimings {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    (['resolve', 'lineage', 'events', 'sort_index', 'finish', 'total'] as const).every((k) => isMs(v[k])) &&
    isRecordOf(v.domains, DOMAINS, (d) => isRecordOf(d, ['fetch', 'write'], isMs) && isMs((d as DomainStageMs).fetch) && isMs((d as DomainStageMs).write)) &&
    isRecordOf(v.analysis, MSD_ANALYSIS_STEPS, isMs)
  )
}

/** A stage as `show` and the job card list it: its name, its time, and its share of the total. */
export interface StageLine {
  /** `resolve`, `events`, `events.history.fetch`, `analysis.detail`, … */
  stage: string
  /** Nesting depth: 0 for a top-level stage, 1 for a part of `events` or `analysis`. */
  depth: 0 | 1
  ms: number
  /** Share of `total`, 0…1 (0 when the total is 0). */
  share: number
}

/**
 * The stages of `timings` in the order they ran, each domain's fetch and write under `events`
 * and each analysis step under `analysis` (whose own line is their sum), then `total`.
 */
export function stageLines(timings: StageTimings): StageLine[] {
  const share = (ms: number): number => (timings.total > 0 ? Math.min(1, ms / timings.total) : 0)
  const line = (stage: string, ms: number, depth: 0 | 1 = 0): StageLine => ({ stage, depth, ms, share: share(ms) })
  const lines = [line('resolve', timings.resolve), line('lineage', timings.lineage), line('events', timings.events)]
  // The record's own order: the domains as the request listed them.
  for (const [domain, d] of Object.entries(timings.domains) as [Domain, DomainStageMs][]) {
    lines.push(line(`events.${domain}.fetch`, d.fetch, 1), line(`events.${domain}.write`, d.write, 1))
  }
  const steps = MSD_ANALYSIS_STEPS.filter((s) => timings.analysis[s] !== undefined)
  if (steps.length > 0) {
    lines.push(line('analysis', steps.reduce((sum, s) => sum + timings.analysis[s]!, 0)))
    for (const s of steps) lines.push(line(`analysis.${s}`, timings.analysis[s]!, 1))
  }
  lines.push(line('sort_index', timings.sort_index), line('finish', timings.finish), line('total', timings.total))
  return lines
}
