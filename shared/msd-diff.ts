/**
 * Run-to-run diff of two MSD results of the same detection station ("this week against last
 * week"): the KPI of both with their differences, and — backward — which suspects are new, gone
 * or still there with their values in both runs; forward, the later stations of both.
 *
 * Pure: the main side reads both results (the aggregation and the FULL stored suspect list, so a
 * factor that dropped out of the aggregation's top list still matches) and hands them here; the
 * CLI prints the answer and the workspace shows it.
 */
import { invalidInput } from './errors.js'
import {
  roundTo,
  type BackwardAggregation,
  type DownstreamStationItem,
  type ForwardAggregation,
  type MsdAggregation,
  type Suspect,
  type SuspectFactor,
  type SuspectRef,
} from './msd.js'
import type { NormalizedTraceRequest } from './trace-request.js'

/** One finished result as the diff reads it. */
export interface MsdDiffInput {
  job_id: string
  /** The request written in the result file. */
  request: NormalizedTraceRequest
  /** The source as a person reads it. */
  source: string
  /** When the source was read (epoch ms). */
  as_of: number
  /** Version of MES Trace that wrote the result. */
  app_version: string
  /** Null for a result without an MSD analysis. */
  aggregation: MsdAggregation | null
  /** Every suspect of a backward result in list order (the stored list, not the aggregation's top); empty for forward. */
  suspects: readonly Suspect[]
}

/** What the diff says of each run. */
export interface MsdDiffRun {
  job_id: string
  /** The requested window (date-range mode); null for a run seeded by containers. */
  start_date: string | null
  end_date: string | null
  /** First and last day of the run's detection trend (the days its lots were tracked in). */
  first_day: string | null
  last_day: string | null
  loss_reasons: string[]
  source: string
  as_of: number
  app_version: string
  /** False-discovery rate of the run; null when it was written before q-values were computed. */
  fdr: number | null
}

/** The unit of a KPI, which says how to show it and its difference. */
export type MsdDiffUnit = 'count' | 'percent' | 'ratio' | 'text'

/** One KPI in both runs. */
export interface KpiDelta {
  /** The KPI's key: one of {@link BACKWARD_DIFF_KPIS} or {@link FORWARD_DIFF_KPIS}. */
  key: (typeof BACKWARD_DIFF_KPIS)[number] | (typeof FORWARD_DIFF_KPIS)[number]
  unit: MsdDiffUnit
  a: number | string | null
  b: number | string | null
  /** `b − a` (percent: percentage points, 4 decimals); null for text or when either side has none. */
  delta: number | null
}

/**
 * Where a suspect stands in one run: `independent` / `explained` (significant, explained away by
 * another or not), `not_significant` (ranked, q above the run's FDR), `ranked` (a run without
 * q-values), `not_ranked` (tested, but inconclusive or no worse than its baseline).
 */
export type SuspectStatus = (typeof SUSPECT_STATUSES)[number]

/** Every {@link SuspectStatus}, for whoever names them. */
export const SUSPECT_STATUSES = ['independent', 'explained', 'not_significant', 'ranked', 'not_ranked'] as const

/** The KPI of a backward diff, in the order it lists them. */
export const BACKWARD_DIFF_KPIS = [
  'lot_count', 'defective_lot_count', 'defective_lot_rate', 'total_input', 'total_defect_qty', 'total_defect_rate', 'top_loss_reason',
  'affected_machine_count', 'suspects_ranked', 'suspects_significant', 'suspects_independent', 'suspects_explained',
] as const

/** The KPI of a forward diff (the forward KPI's own keys), in the order it lists them. */
export const FORWARD_DIFF_KPIS = [
  'detection_lot_count', 'defect_lot_count', 'detection_defect_qty', 'detection_defect_rate', 'tracked_lot_count', 'downstream_stations_reached',
  'downstream_total_reject', 'downstream_reject_rate', 'baseline_downstream_reject_rate', 'amplification',
] as const satisfies readonly (keyof ForwardAggregation['kpi'])[]

/** A suspect's values in one run. */
export interface SuspectState {
  rank: number | null
  lots: number
  defective_lots: number
  /** Defect rate of its lots, percent. */
  defect_rate: number
  baseline_rate: number | null
  lift: number | null
  p_value: number | null
  q_value: number | null
  status: SuspectStatus
  explained_by: SuspectRef | null
  onset: string | null
  rate_before_onset: number | null
  rate_after_onset: number | null
}

/** What differs between the two runs of a suspect found in both. */
export type SuspectChange = 'rate' | 'lift' | 'q' | 'status' | 'onset'

/** One suspect in both runs. */
export interface SuspectDiff extends SuspectRef {
  /** Its values in A; null when A did not test the factor at all. */
  a: SuspectState | null
  /** Its values in B; null when B did not test the factor at all. */
  b: SuspectState | null
  /** Defect-rate change `b − a`, percentage points (4 decimals); null when a side lacks the factor. */
  rate_delta: number | null
  /** Lift change `b − a` (4 decimals); null when a side lacks it. */
  lift_delta: number | null
  /** What differs (empty when nothing does). */
  changes: SuspectChange[]
}

/** A later station in both forward runs. */
export interface StationState {
  order: number
  input_qty: number
  defect_qty: number
  defect_rate: number
  baseline_rate: number | null
  lift: number | null
  top_loss_reason: string
}

/** A later station of a forward diff. */
export interface StationDiff {
  name: string
  /** Null when the run's tracked lots did not reach the station. */
  a: StationState | null
  b: StationState | null
  rate_delta: number | null
  lift_delta: number | null
}

/** Something the person should know before reading the diff. */
export type MsdDiffWarning =
  /** The runs selected different loss reasons: their rates count different defects. */
  | { code: 'loss_reasons'; a: string[]; b: string[] }
  /** The runs read different sources. */
  | { code: 'source'; a: string; b: string }
  /** A (the baseline) is not the older window: its window ends after B's. */
  | { code: 'order'; a: string; b: string }
  /** The runs used different false-discovery rates: "significant" is not the same bar. */
  | { code: 'fdr'; a: number; b: number }
  /** A run's genealogy was not traced: its suspects are missing. */
  | { code: 'genealogy'; runs: ('a' | 'b')[] }

/**
 * Which suspects the backward diff compares: `significant` ones (q ≤ the run's FDR), or `ranked`
 * ones when a run was written before q-values were computed.
 */
export type MsdDiffBasis = 'significant' | 'ranked'

interface MsdDiffBase {
  station: string
  /** A: the baseline (older) run. */
  a: MsdDiffRun
  /** B: the newer run. */
  b: MsdDiffRun
  kpi: KpiDelta[]
  warnings: MsdDiffWarning[]
}

export interface BackwardMsdDiff extends MsdDiffBase {
  direction: 'backward'
  basis: MsdDiffBasis
  /** The runs without q-values (the reason the basis is `ranked`). */
  without_q_values: ('a' | 'b')[]
  /** Suspects of each run in the compared set. */
  compared: { a: number; b: number }
  /** In B's compared set, not in A's (B's list order). */
  new: SuspectDiff[]
  /** In A's compared set, not in B's (A's list order). */
  gone: SuspectDiff[]
  /** In both compared sets (B's list order). */
  changed: SuspectDiff[]
}

export interface ForwardMsdDiff extends MsdDiffBase {
  direction: 'forward'
  /** Every later station either run reached, in flow order. */
  stations: StationDiff[]
}

/** The diff of two MSD results of one station and direction. */
export type MsdDiff = BackwardMsdDiff | ForwardMsdDiff

/** The fields a refusal names: the two job arguments as the caller calls them. */
export interface MsdDiffFields {
  a: string
  b: string
}

const PROFILE_WORDS: Record<string, string> = {
  query_tool: 'a lot trace (query_tool)',
  query_tool_reverse: 'a serial reverse trace (query_tool_reverse)',
}

/** The key a suspect matches by in the other run: factor type, station and name. */
export function suspectKey(ref: SuspectRef): string {
  return `${ref.factor_type}\u0000${ref.station ?? ''}\u0000${ref.name}`
}

function num(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  return null
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

const FACTORS: readonly SuspectFactor[] = ['machine', 'material', 'wafer_root']

/**
 * A row of the stored suspect list (`SUSPECT_COLUMNS`, or the first version's 16) as a suspect:
 * `yes`/`no` as booleans, the three `explained_by_*` columns as one reference. Columns a
 * version-1 file lacks read as not recorded (null, false). Null for a row that names no factor.
 */
export function suspectOfRow(row: Readonly<Record<string, unknown>>): Suspect | null {
  const factor = row.factor_type
  const name = text(row.name)
  if (!FACTORS.includes(factor as SuspectFactor) || name === null) return null
  const yes = (v: unknown): boolean => v === 'yes' || v === true || v === 1
  const explainedType = row.explained_by_type
  const explainedName = text(row.explained_by_name)
  return {
    factor_type: factor as SuspectFactor,
    name,
    station: text(row.station),
    lots: num(row.lots) ?? 0,
    defective_lots: num(row.defective_lots) ?? 0,
    input_qty: num(row.input_qty) ?? 0,
    defect_qty: num(row.defect_qty) ?? 0,
    defect_rate: num(row.defect_rate) ?? 0,
    baseline_rate: num(row.baseline_rate),
    baseline_lots: num(row.baseline_lots) ?? 0,
    baseline_defective_lots: num(row.baseline_defective_lots) ?? 0,
    lift: num(row.lift),
    p_value: num(row.p_value),
    inconclusive: yes(row.inconclusive),
    no_contrast: yes(row.no_contrast),
    rank: num(row.rank),
    q_value: num(row.q_value),
    significant: yes(row.significant),
    explained_by:
      FACTORS.includes(explainedType as SuspectFactor) && explainedName !== null
        ? { factor_type: explainedType as SuspectFactor, name: explainedName, station: text(row.explained_by_station) }
        : null,
    conditional_p_value: num(row.conditional_p_value),
    onset: text(row.onset),
    onset_p_value: num(row.onset_p_value),
    rate_before_onset: num(row.rate_before_onset),
    rate_after_onset: num(row.rate_after_onset),
  }
}

function delta(a: number | null | undefined, b: number | null | undefined, digits: number): number | null {
  return typeof a === 'number' && typeof b === 'number' ? roundTo(b - a, digits) : null
}

function kpiDelta(key: KpiDelta['key'], unit: MsdDiffUnit, a: number | string | null, b: number | string | null): KpiDelta {
  const d = unit === 'text' || typeof a !== 'number' || typeof b !== 'number' ? null : delta(a, b, unit === 'count' ? 0 : 4)
  return { key, unit, a, b, delta: d }
}

function runOf(input: MsdDiffInput, aggregation: MsdAggregation): MsdDiffRun {
  const seed = input.request.seed
  const days = aggregation.daily_trend.map((d) => d.date).sort()
  return {
    job_id: input.job_id,
    start_date: seed.mode === 'date_range' ? seed.start_date : null,
    end_date: seed.mode === 'date_range' ? seed.end_date : null,
    first_day: days[0] ?? null,
    last_day: days[days.length - 1] ?? null,
    loss_reasons: [...aggregation.loss_reasons],
    source: input.source,
    as_of: input.as_of,
    app_version: input.app_version,
    fdr: aggregation.direction === 'backward' ? aggregation.suspect_summary.fdr : null,
  }
}

/** The aggregation of an MSD result; `input/invalid` naming `field` for any other result. */
function msdOf(input: Omit<MsdDiffInput, 'suspects'>, field: string): MsdAggregation {
  const profile = input.request.profile
  if (profile !== 'mid_section_defect') {
    throw invalidInput(field, `job ${input.job_id} is ${PROFILE_WORDS[profile] ?? profile}, not an MSD analysis; compare two MSD results`, {
      jobId: input.job_id,
      profile,
    })
  }
  if (!input.aggregation) {
    throw invalidInput(field, `job ${input.job_id} holds no MSD analysis (its result has no aggregation); compare two MSD results`, { jobId: input.job_id })
  }
  return input.aggregation
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort()
  const y = [...new Set(b)].sort()
  return x.length === y.length && x.every((v, i) => v === y[i])
}

function warningsOf(a: MsdDiffRun, b: MsdDiffRun, aggA: MsdAggregation, aggB: MsdAggregation): MsdDiffWarning[] {
  const warnings: MsdDiffWarning[] = []
  if (!sameSet(a.loss_reasons, b.loss_reasons)) warnings.push({ code: 'loss_reasons', a: [...a.loss_reasons], b: [...b.loss_reasons] })
  if (a.source !== b.source) warnings.push({ code: 'source', a: a.source, b: b.source })
  const endA = a.end_date ?? a.last_day
  const endB = b.end_date ?? b.last_day
  if (endA !== null && endB !== null && endA > endB) warnings.push({ code: 'order', a: endA, b: endB })
  if (a.fdr !== null && b.fdr !== null && a.fdr !== b.fdr) warnings.push({ code: 'fdr', a: a.fdr, b: b.fdr })
  const broken = (['a', 'b'] as const).filter((side) => (side === 'a' ? aggA : aggB).genealogy_status === 'error')
  if (broken.length > 0) warnings.push({ code: 'genealogy', runs: broken })
  return warnings
}

function statusOf(s: Suspect, withQ: boolean): SuspectStatus {
  if (!withQ) return s.rank !== null ? 'ranked' : 'not_ranked'
  if (s.significant) return s.explained_by ? 'explained' : 'independent'
  return s.rank !== null ? 'not_significant' : 'not_ranked'
}

function stateOf(s: Suspect, withQ: boolean): SuspectState {
  return {
    rank: s.rank,
    lots: s.lots,
    defective_lots: s.defective_lots,
    defect_rate: s.defect_rate,
    baseline_rate: s.baseline_rate,
    lift: s.lift,
    p_value: s.p_value,
    q_value: withQ ? s.q_value : null,
    status: statusOf(s, withQ),
    explained_by: withQ ? s.explained_by : null,
    onset: withQ ? s.onset : null,
    rate_before_onset: withQ ? s.rate_before_onset : null,
    rate_after_onset: withQ ? s.rate_after_onset : null,
  }
}

/** Two q-values are the same when equal to 9 significant digits (they are recomputed floats). */
function sameQ(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b))
}

function changesOf(a: SuspectState | null, b: SuspectState | null): SuspectChange[] {
  if (!a || !b) return []
  const changes: SuspectChange[] = []
  if (a.defect_rate !== b.defect_rate) changes.push('rate')
  if (a.lift !== b.lift) changes.push('lift')
  if (!sameQ(a.q_value, b.q_value)) changes.push('q')
  const ref = (r: SuspectRef | null): string => (r ? suspectKey(r) : '')
  if (a.status !== b.status || ref(a.explained_by) !== ref(b.explained_by)) changes.push('status')
  if (a.onset !== b.onset) changes.push('onset')
  return changes
}

function suspectDiff(ref: SuspectRef, a: SuspectState | null, b: SuspectState | null): SuspectDiff {
  return {
    factor_type: ref.factor_type,
    name: ref.name,
    station: ref.station,
    a,
    b,
    rate_delta: delta(a?.defect_rate, b?.defect_rate, 4),
    lift_delta: delta(a?.lift, b?.lift, 4),
    changes: changesOf(a, b),
  }
}

/** The suspects of a run by key, first occurrence kept (a stored list names each factor once). */
function byKey(suspects: readonly Suspect[]): Map<string, Suspect> {
  const map = new Map<string, Suspect>()
  for (const s of suspects) if (!map.has(suspectKey(s))) map.set(suspectKey(s), s)
  return map
}

function backwardKpi(a: BackwardAggregation, b: BackwardAggregation): KpiDelta[] {
  const lotRate = (k: BackwardAggregation['kpi']): number => (k.lot_count > 0 ? roundTo((k.defective_lot_count / k.lot_count) * 100, 4) : 0)
  const withQ = (agg: BackwardAggregation, value: number): number | null => (agg.suspect_summary.fdr === null ? null : value)
  return [
    kpiDelta('lot_count', 'count', a.kpi.lot_count, b.kpi.lot_count),
    kpiDelta('defective_lot_count', 'count', a.kpi.defective_lot_count, b.kpi.defective_lot_count),
    kpiDelta('defective_lot_rate', 'percent', lotRate(a.kpi), lotRate(b.kpi)),
    kpiDelta('total_input', 'count', a.kpi.total_input, b.kpi.total_input),
    kpiDelta('total_defect_qty', 'count', a.kpi.total_defect_qty, b.kpi.total_defect_qty),
    kpiDelta('total_defect_rate', 'percent', a.kpi.total_defect_rate, b.kpi.total_defect_rate),
    kpiDelta('top_loss_reason', 'text', a.kpi.top_loss_reason || null, b.kpi.top_loss_reason || null),
    kpiDelta('affected_machine_count', 'count', a.kpi.affected_machine_count, b.kpi.affected_machine_count),
    kpiDelta('suspects_ranked', 'count', a.suspect_summary.ranked, b.suspect_summary.ranked),
    kpiDelta('suspects_significant', 'count', withQ(a, a.suspect_summary.significant), withQ(b, b.suspect_summary.significant)),
    kpiDelta('suspects_independent', 'count', withQ(a, a.suspect_summary.independent), withQ(b, b.suspect_summary.independent)),
    kpiDelta('suspects_explained', 'count', withQ(a, a.suspect_summary.explained), withQ(b, b.suspect_summary.explained)),
  ]
}

function forwardKpi(a: ForwardAggregation, b: ForwardAggregation): KpiDelta[] {
  const unitOf = (key: (typeof FORWARD_DIFF_KPIS)[number]): MsdDiffUnit =>
    key === 'amplification' ? 'ratio' : key.endsWith('_rate') ? 'percent' : 'count'
  return FORWARD_DIFF_KPIS.map((key) => kpiDelta(key, unitOf(key), a.kpi[key], b.kpi[key]))
}

function stationState(s: DownstreamStationItem): StationState {
  return {
    order: s.order,
    input_qty: s.input_qty,
    defect_qty: s.defect_qty,
    defect_rate: s.defect_rate,
    baseline_rate: s.baseline_rate,
    lift: s.lift,
    top_loss_reason: s.top_loss_reason,
  }
}

function forwardStations(a: ForwardAggregation, b: ForwardAggregation): StationDiff[] {
  const inA = new Map(a.charts.by_downstream_station.map((s) => [s.name, s]))
  const inB = new Map(b.charts.by_downstream_station.map((s) => [s.name, s]))
  const names = [...new Set([...inA.keys(), ...inB.keys()])]
  const orderOf = (name: string): number => inB.get(name)?.order ?? inA.get(name)?.order ?? 0
  names.sort((x, y) => orderOf(x) - orderOf(y) || (x < y ? -1 : x > y ? 1 : 0))
  return names.map((name) => {
    const sa = inA.get(name)
    const sb = inB.get(name)
    return {
      name,
      a: sa ? stationState(sa) : null,
      b: sb ? stationState(sb) : null,
      rate_delta: delta(sa?.defect_rate, sb?.defect_rate, 4),
      lift_delta: delta(sa?.lift, sb?.lift, 4),
    }
  })
}

function backwardDiff(
  a: MsdDiffInput,
  b: MsdDiffInput,
  aggA: BackwardAggregation,
  aggB: BackwardAggregation,
  base: MsdDiffBase,
): BackwardMsdDiff {
  const without = (['a', 'b'] as const).filter((side) => (side === 'a' ? aggA : aggB).suspect_summary.fdr === null)
  const basis: MsdDiffBasis = without.length > 0 ? 'ranked' : 'significant'
  const inSet = (s: Suspect): boolean => (basis === 'significant' ? s.significant && s.rank !== null : s.rank !== null)
  const withQA = aggA.suspect_summary.fdr !== null
  const withQB = aggB.suspect_summary.fdr !== null
  // The stored list holds every factor; the aggregation's top list stands in for a result without one.
  const listA = a.suspects.length > 0 ? a.suspects : aggA.suspects
  const listB = b.suspects.length > 0 ? b.suspects : aggB.suspects
  const mapA = byKey(listA)
  const mapB = byKey(listB)
  const setA = [...mapA.values()].filter(inSet)
  const setB = [...mapB.values()].filter(inSet)
  const keysA = new Set(setA.map(suspectKey))
  const keysB = new Set(setB.map(suspectKey))
  const pair = (s: Suspect): SuspectDiff => {
    const key = suspectKey(s)
    const inA = mapA.get(key)
    const inB = mapB.get(key)
    return suspectDiff(s, inA ? stateOf(inA, withQA) : null, inB ? stateOf(inB, withQB) : null)
  }
  return {
    direction: 'backward',
    ...base,
    basis,
    without_q_values: without,
    compared: { a: setA.length, b: setB.length },
    new: setB.filter((s) => !keysA.has(suspectKey(s))).map(pair),
    gone: setA.filter((s) => !keysB.has(suspectKey(s))).map(pair),
    changed: setB.filter((s) => keysA.has(suspectKey(s))).map(pair),
  }
}

/**
 * Checks that two results can be compared: two different jobs, both MSD analyses of the same
 * detection station and direction; otherwise `input/invalid` naming the job argument at fault
 * (`fields`, as the caller calls them). Returns both aggregations.
 */
export function assertComparable(
  a: Omit<MsdDiffInput, 'suspects'>,
  b: Omit<MsdDiffInput, 'suspects'>,
  fields: MsdDiffFields = { a: 'JOB_A', b: 'JOB_B' },
): [MsdAggregation, MsdAggregation] {
  if (a.job_id === b.job_id) throw invalidInput(fields.b, `is the same job as ${fields.a} (${a.job_id}); give two different runs`, { jobId: b.job_id })
  const aggA = msdOf(a, fields.a)
  const aggB = msdOf(b, fields.b)
  if (aggA.direction !== aggB.direction) {
    throw invalidInput(
      fields.b,
      `job ${b.job_id} is an MSD ${aggB.direction} analysis but ${fields.a} (${a.job_id}) is ${aggA.direction}; compare two runs of the same direction`,
      { jobId: b.job_id, direction: aggB.direction, expected: aggA.direction },
    )
  }
  if (aggA.station !== aggB.station) {
    throw invalidInput(
      fields.b,
      `job ${b.job_id} analyses detection station ${aggB.station} but ${fields.a} (${a.job_id}) analyses ${aggA.station}; compare two runs of the same station`,
      { jobId: b.job_id, station: aggB.station, expected: aggA.station },
    )
  }
  return [aggA, aggB]
}

/**
 * Compares two MSD results: A the baseline (older), B the newer; refuses what
 * {@link assertComparable} refuses. Backward results are compared by their significant suspects,
 * or by their ranked ones when either run has no q-values (written by an earlier version; `basis`
 * and `without_q_values` say so).
 */
export function diffMsdRuns(a: MsdDiffInput, b: MsdDiffInput, fields: MsdDiffFields = { a: 'JOB_A', b: 'JOB_B' }): MsdDiff {
  const [aggA, aggB] = assertComparable(a, b, fields)
  const runA = runOf(a, aggA)
  const runB = runOf(b, aggB)
  const warnings = warningsOf(runA, runB, aggA, aggB)
  if (aggA.direction === 'forward' && aggB.direction === 'forward') {
    return { direction: 'forward', station: aggA.station, a: runA, b: runB, kpi: forwardKpi(aggA, aggB), warnings, stations: forwardStations(aggA, aggB) }
  }
  const backA = aggA as BackwardAggregation
  const backB = aggB as BackwardAggregation
  return backwardDiff(a, b, backA, backB, { station: aggA.station, a: runA, b: runB, kpi: backwardKpi(backA, backB), warnings })
}
