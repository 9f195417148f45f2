/**
 * The MSD (mid-section defect) analysis output: its shapes, the Pareto builder and the rounding
 * rules of domain.md §5.6–§5.8, and the detail-row columns with the original's export headers.
 *
 * Pure data and pure functions: the worker builds the aggregation with them, the CLI prints it,
 * and the renderer can rebuild a chart (e.g. re-sorted by rate) without another query.
 */
import { compareCodeUnits } from './compare.js'
import type { PageFilter } from './page-query.js'

/** Bars a Pareto chart shows before folding the rest into {@link PARETO_OTHER}. */
export const PARETO_TOP_N = 10

/** Name of the bar holding everything past the top N. */
export const PARETO_OTHER = '其他'

/** Name shown for a missing value (no workflow, no machine family…). */
export const MSD_UNKNOWN = '(未知)'

/** Loss reason of a reject row without one. */
export const MSD_NO_REASON = '(未填寫)'

/**
 * Fewest lots on each side of a suspect's contrast (lots that touched the factor, lots of the same
 * population that did not); below it the factor is reported as inconclusive.
 */
export const MSD_MIN_SUSPECT_LOTS = 3

/** Suspects kept in the aggregation itself; the result file holds the full list. */
export const MSD_SUSPECTS_IN_AGGREGATION = 100

/**
 * Ranked suspects of each factor type the aggregation keeps besides the overall top
 * {@link MSD_SUSPECTS_IN_AGGREGATION}, so each factor chart can show its own top ten.
 */
export const MSD_SUSPECTS_PER_TYPE_IN_AGGREGATION = 20

/**
 * Default false-discovery rate: a ranked suspect whose Benjamini–Hochberg q-value is at most this
 * is *significant* (setting `MSD_SUSPECT_FDR_PERCENT`).
 */
export const MSD_SUSPECT_FDR = 0.05

/**
 * A significant suspect whose one-sided conditional p-value, given another significant suspect,
 * is above this has no elevation of its own once that one is accounted for.
 */
export const MSD_EXPLAIN_ALPHA = 0.05

/** Largest p-value of the change point for a factor to be given an onset. */
export const MSD_ONSET_ALPHA = 0.05

/** One lot's record at the detection station (domain.md §5.3, one row per lot). */
export interface MsdDetectionLot {
  cid: string
  container_name: string
  mfgorder_name: string | null
  pj_type: string
  productline_name: string
  /** The lot's workflow, else the detection step's spec (domain.md §5.3 step 4). */
  workflow: string
  finishedruncard: string | null
  spec_name: string | null
  equipment_id: string | null
  equipment_name: string
  /** The session's input: the largest TRACKINQTY of the latest track-in's partial track-outs (§14 #4). */
  input_qty: number
  /** `YYYY-MM-DDTHH:MM:SS`. */
  trackin_time: string
}

/** A lot's rejects at the detection station for one loss reason (six quantity fields summed). */
export interface MsdDetectionReject {
  cid: string
  reason: string
  qty: number
}

/** Rounds half away from zero to `digits` decimals (Python's `round` on these magnitudes). */
export function roundTo(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value
  const factor = 10 ** digits
  const scaled = Math.abs(value) * factor
  // The epsilon keeps 0.125 → 0.13 although 0.125 * 100 is 12.499999… in binary.
  const rounded = Math.round(scaled + scaled * Number.EPSILON) / factor
  return Math.sign(value) * rounded
}

/** A defect rate in percent, 4 decimals; 0 when there is no input (domain.md §5.10). */
export function ratePct(defect: number, input: number): number {
  return input > 0 ? roundTo((defect / input) * 100, 4) : 0
}

/** One bar of a Pareto chart (domain.md §5.6 `pareto_item`). */
export interface ParetoItem {
  name: string
  input_qty: number
  defect_qty: number
  /** Percent, 4 decimals. */
  defect_rate: number
  lot_count: number
  /** Running share of the defects over the bars shown, percent, 2 decimals. */
  cumulative_pct: number
}

/** A record the Pareto builder groups (one attribution record, one lot, one reason…). */
export interface ParetoRecord {
  /** The dimension value; a comma inside credits the whole record to each part. */
  name: string
  input_qty: number
  defect_qty: number
  lot_count?: number
}

/** Options of {@link buildPareto}. */
export interface ParetoOptions {
  /** @default PARETO_TOP_N */
  topN?: number
  /** Order of the bars: by defect quantity (the original) or by rate. @default 'qty' */
  sortBy?: 'qty' | 'rate'
}

/**
 * Builds a Pareto chart (domain.md §5.8): groups by name (a name holding commas is credited to
 * each part, non-exclusively), sums quantities and lot counts, sorts by defect quantity (or rate)
 * descending, keeps the top N and folds the rest into `其他` when it has any defect or input,
 * then adds the cumulative percentage of defects over the bars shown.
 */
export function buildPareto(records: Iterable<ParetoRecord>, options: ParetoOptions = {}): ParetoItem[] {
  const topN = options.topN ?? PARETO_TOP_N
  const groups = new Map<string, { input: number; defect: number; lots: number }>()
  for (const r of records) {
    const parts = r.name.includes(',') ? [...new Set(r.name.split(',').map((p) => p.trim()).filter((p) => p !== ''))] : [r.name]
    for (const name of parts) {
      const g = groups.get(name) ?? { input: 0, defect: 0, lots: 0 }
      g.input += r.input_qty
      g.defect += r.defect_qty
      g.lots += r.lot_count ?? 0
      groups.set(name, g)
    }
  }
  const rate = (g: { input: number; defect: number }): number => (g.input > 0 ? g.defect / g.input : 0)
  const sorted = [...groups].sort(
    ([an, a], [bn, b]) =>
      (options.sortBy === 'rate' ? rate(b) - rate(a) || b.defect - a.defect : b.defect - a.defect || rate(b) - rate(a)) ||
      compareCodeUnits(an, bn),
  )
  const shown = sorted.slice(0, topN).map(([name, g]) => ({ name, ...g }))
  const rest = sorted.slice(topN)
  if (rest.length > 0) {
    const other = { name: PARETO_OTHER, input: 0, defect: 0, lots: 0 }
    for (const [, g] of rest) {
      other.input += g.input
      other.defect += g.defect
      other.lots += g.lots
    }
    if (other.defect > 0 || other.input > 0) shown.push(other)
  }
  const totalDefect = shown.reduce((sum, g) => sum + g.defect, 0)
  let running = 0
  return shown.map((g) => {
    running += g.defect
    return {
      name: g.name,
      input_qty: g.input,
      defect_qty: g.defect,
      defect_rate: ratePct(g.defect, g.input),
      lot_count: g.lots,
      cumulative_pct: totalDefect > 0 ? roundTo((running / totalDefect) * 100, 2) : 0,
    }
  })
}

/** One day of the detection trend (date mode). */
export interface TrendItem {
  /** `YYYY-MM-DD`, plant local. */
  date: string
  input_qty: number
  defect_qty: number
  defect_rate: number
  /**
   * Detection lots tracked in that day and, of those, lots with a (selected-reason) defect: the
   * p-chart's sample. Null in a result written before they were recorded.
   */
  lot_count: number | null
  defective_lot_count: number | null
}

/** A machine's attribution record (domain.md §5.6 `attribution_item`). */
export interface MachineAttribution {
  WORKCENTER_GROUP: string
  EQUIPMENT_NAME: string
  EQUIPMENT_ID: string
  RESOURCEFAMILYNAME: string
  DETECTION_LOT_COUNT: number
  INPUT_QTY: number
  DEFECT_QTY: number
  DEFECT_RATE: number
  WORKFLOW: string
  PRODUCTLINENAME: string
  PJ_TYPE: string
  DETECTION_EQUIPMENTNAME: string
}

/** Kinds of factor a suspect can be. */
export type SuspectFactor = 'machine' | 'material' | 'wafer_root'

/** Names one suspect: its type, name and station (null for wafer roots). */
export interface SuspectRef {
  factor_type: SuspectFactor
  name: string
  station: string | null
}

/**
 * A factor's contrast: the lots that touched it against the lots of the same population that
 * did not (machines: lots through the same station group; materials: lots that consumed the same
 * part; wafer roots: every detection lot).
 */
export interface Suspect {
  factor_type: SuspectFactor
  /** Machine name, material key `PART (LOT)`, or root container name. */
  name: string
  /** Station group of the machine or where the material was consumed; null for wafer roots. */
  station: string | null
  /** Detection lots that touched the factor. */
  lots: number
  /** Of those, lots with a (selected-reason) defect at the detection station. */
  defective_lots: number
  input_qty: number
  defect_qty: number
  /** Defect quantity ÷ input of the lots that touched it, percent, 4 decimals. */
  defect_rate: number
  /** The same rate over the population's lots that did not touch it; null without such lots. */
  baseline_rate: number | null
  /** Lots and defective lots of that baseline group. */
  baseline_lots: number
  baseline_defective_lots: number
  /**
   * `defect_rate ÷ baseline_rate`, 4 decimals (from the unrounded rates); 1 when both are 0; null
   * without a baseline or when only the baseline is 0.
   */
  lift: number | null
  /**
   * One-sided Fisher exact test on lot counts (defective / clean × touched / not touched): the
   * chance of at least this many defective lots among the factor's lots if the factor made no
   * difference. Null when there is no contrast.
   */
  p_value: number | null
  /** Too few lots on either side (< {@link MSD_MIN_SUSPECT_LOTS}), or no contrast at all. */
  inconclusive: boolean
  /** Every lot of the population touched it: reported, never ranked. */
  no_contrast: boolean
  /**
   * 1 = strongest suspect. Only conclusive factors whose lots fare worse than the baseline are
   * ranked; null for the others (inconclusive, no contrast, or not over-represented: lift ≤ 1).
   */
  rank: number | null
  /**
   * Benjamini–Hochberg adjusted p-value over every factor of the run that has a p-value (the
   * false-discovery rate at which this factor would just be called); null when `p_value` is.
   */
  q_value: number | null
  /** Ranked and `q_value` ≤ the run's false-discovery rate ({@link SuspectSummary.fdr}). */
  significant: boolean
  /**
   * The significant suspect that accounts for this one's elevation: given it (a
   * Cochran–Mantel–Haenszel test stratified by that factor's lots, after its onset when it has
   * one), this factor's lots fare no worse than the rest, while the other stays elevated given
   * this one. Null for an independent suspect and for suspects that are not significant.
   */
  explained_by: SuspectRef | null
  /**
   * For a significant suspect sharing lots with other significant ones: its one-sided CMH p-value
   * given the one that explains it (or given several at once, when it took several), or
   * (independent) the largest over the others it shares lots with and does not itself explain.
   * Null when there is no such other, or when it is not significant.
   */
  conditional_p_value: number | null
  /**
   * Machines and material lots that are significant: the first day (`YYYY-MM-DD`, plant local) of
   * a rise in the defective-lot rate of its lots, in the order they passed the factor (track-in
   * at the machine, consumption of the material), from a rate no worse than the rest of its
   * population. Null when there is no significant rise, when its lots were already failing before
   * the rise (a factor that was always bad has none), and for other factors.
   */
  onset: string | null
  /** Permutation p-value of that change point; null when none was tested. */
  onset_p_value: number | null
  /** Defective-lot rate of the factor's lots before and from the onset, percent, 4 decimals. */
  rate_before_onset: number | null
  rate_after_onset: number | null
}

/** What the analysis concluded about a factor. */
export type SuspectVerdict =
  /** Significant, and not accounted for by another significant suspect. */
  | 'independent'
  /** Significant, but its elevation goes away once another suspect is accounted for. */
  | 'explained'
  /** Ranked (worse than its baseline), but its q-value is above the run's false-discovery rate. */
  | 'not_significant'
  /** Its lots fare no worse than its baseline (not ranked). */
  | 'not_elevated'
  /** Too few lots on one side of its contrast. */
  | 'inconclusive'
  /** Every lot of its population touched it. */
  | 'no_contrast'

/** The verdict on a suspect, from its fields. */
export function suspectVerdict(s: Pick<Suspect, 'significant' | 'explained_by' | 'inconclusive' | 'no_contrast' | 'rank'>): SuspectVerdict {
  if (s.significant) return s.explained_by ? 'explained' : 'independent'
  if (s.no_contrast) return 'no_contrast'
  if (s.inconclusive) return 'inconclusive'
  return s.rank === null ? 'not_elevated' : 'not_significant'
}

/** One day of a suspect's time view: its lots and the rest of its population, by when they passed. */
export interface SuspectTimelineDay {
  /** `YYYY-MM-DD`, plant local: the day the lots passed the factor's station (or consumed the part). */
  date: string
  lots: number
  defective_lots: number
  /** Lots of the population that passed that day without the factor. */
  rest_lots: number
  rest_defective_lots: number
}

/** The time view of a machine or material suspect (see {@link BackwardAggregation.suspect_timelines}). */
export interface SuspectTimeline extends SuspectRef {
  days: SuspectTimelineDay[]
}

/** How many factors were tested, and how they came out. */
export interface SuspectSummary {
  machines: number
  materials: number
  wafer_roots: number
  /** Conclusive factors whose lots fare worse than the baseline (the suspects). */
  ranked: number
  /** Conclusive factors whose lots fare no worse than the baseline (lift ≤ 1). */
  not_elevated: number
  inconclusive: number
  no_contrast: number
  /** Rows of the full list in the result file. */
  total: number
  /** Ranked suspects with q ≤ `fdr`. */
  significant: number
  /** Of those, not explained by another. */
  independent: number
  explained: number
  /** The false-discovery rate the run used; null in a result written before q-values were computed. */
  fdr: number | null
}

/** Backward KPI (domain.md §5.6 step 7). */
export interface BackwardKpi {
  total_input: number
  lot_count: number
  defective_lot_count: number
  total_defect_qty: number
  total_defect_rate: number
  top_loss_reason: string
  affected_machine_count: number
}

/** Forward KPI (domain.md §5.6/§5.7 with the re-keying of §14 #8). */
export interface ForwardKpi {
  detection_lot_count: number
  /** Lots with a selected-reason defect at the detection station (the tracked seeds). */
  defect_lot_count: number
  detection_defect_qty: number
  /** Detection defect quantity ÷ detection input of the defect lots, percent. */
  detection_defect_rate: number
  /** Containers followed: the defect lots and all their descendants. */
  tracked_lot_count: number
  downstream_stations_reached: number
  downstream_total_reject: number
  /** Σ downstream rejects ÷ Σ downstream input over the stations, percent. */
  downstream_reject_rate: number
  /** The same rate for the lots without a detection defect (and their descendants); null when none reached a later station. */
  baseline_downstream_reject_rate: number | null
  /**
   * Downstream rate ÷ detection rate (from the unrounded rates); null when the detection rate is 0
   * or no tracked lot reached a later station, 0 when nothing was rejected later.
   */
  amplification: number | null
}

/** A later station as the forward analysis sees it. */
export interface DownstreamStationItem extends ParetoItem {
  /** Order of the station group in the flow. */
  order: number
  /** Reject rate at this station of the lots without a detection defect, percent; null when none got there. */
  baseline_rate: number | null
  /** `defect_rate ÷ baseline_rate`, 4 decimals, null without a baseline. */
  lift: number | null
  /** The loss reason with the most rejects here among the tracked lots. */
  top_loss_reason: string
}

/** Fields every aggregation has. */
interface AggregationBase {
  station: string
  /** Selected loss reasons (empty: all). */
  loss_reasons: string[]
  /** Distinct reasons with a defect among the detection lots, before the filter. */
  available_loss_reasons: string[]
  genealogy_status: 'ready' | 'error'
  daily_trend: TrendItem[]
  detail_total_count: number
  /** Set in container mode when the seeds have no record at the detection station. */
  container_mode_hint?: string
  /** Things the engineer should know about this analysis (missing domains, truncation…). */
  warnings: string[]
}

export interface BackwardAggregation extends AggregationBase {
  direction: 'backward'
  kpi: BackwardKpi
  /**
   * Distinct upstream containers the genealogy walk reached for the detection lots, the lots
   * themselves not counted (the original's 血緣追溯涵蓋上游 LOT). Absent in a result written before
   * it was recorded.
   */
  ancestor_count?: number
  charts: {
    by_machine: ParetoItem[]
    by_detection_machine: ParetoItem[]
    by_material: ParetoItem[]
    by_wafer_root: ParetoItem[]
    by_loss_reason: ParetoItem[]
  }
  /** Every machine attribution record, by defect rate descending. */
  attribution: MachineAttribution[]
  /**
   * The strongest suspects in list order (independent significant ones first): the top
   * {@link MSD_SUSPECTS_IN_AGGREGATION}, plus the top {@link MSD_SUSPECTS_PER_TYPE_IN_AGGREGATION}
   * ranked ones of each factor type.
   */
  suspects: Suspect[]
  suspect_summary: SuspectSummary
  /**
   * Time views of the machine and material suspects among `suspects` that are significant or
   * among the top ten ranked of their type (what the factor charts show).
   */
  suspect_timelines: SuspectTimeline[]
}

export interface ForwardAggregation extends AggregationBase {
  direction: 'forward'
  kpi: ForwardKpi
  charts: {
    by_downstream_station: DownstreamStationItem[]
    by_downstream_machine: ParetoItem[]
    by_downstream_loss_reason: ParetoItem[]
    by_detection_machine: ParetoItem[]
  }
  attribution: []
}

export type MsdAggregation = BackwardAggregation | ForwardAggregation

/** A column of the detail table: its key in rows and its header in exports (the original's). */
export interface DetailColumn {
  key: string
  header: string
  /** Numbers are right-aligned and sort as numbers. */
  numeric: boolean
}

/** Backward detail rows (domain.md §5.11), in export order; `CONTAINERID` leads for lookups. */
export const BACKWARD_DETAIL_COLUMNS: readonly DetailColumn[] = [
  { key: 'CONTAINERNAME', header: 'LOT ID', numeric: false },
  { key: 'PJ_TYPE', header: 'TYPE', numeric: false },
  { key: 'PRODUCTLINENAME', header: 'PACKAGE', numeric: false },
  { key: 'WORKFLOW', header: 'WORKFLOW', numeric: false },
  { key: 'FINISHEDRUNCARD', header: '完工流水碼', numeric: false },
  { key: 'DETECTION_EQUIPMENTNAME', header: '偵測設備', numeric: false },
  { key: 'INPUT_QTY', header: '投入數', numeric: true },
  { key: 'LOSS_REASON', header: '不良原因', numeric: false },
  { key: 'DEFECT_QTY', header: '不良數', numeric: true },
  { key: 'DEFECT_RATE', header: '不良率(%)', numeric: true },
  { key: 'ANCESTOR_COUNT', header: '上游LOT數', numeric: true },
  { key: 'UPSTREAM_MACHINE_COUNT', header: '上游台數', numeric: true },
  { key: 'UPSTREAM_MACHINES', header: '上游機台', numeric: false },
  { key: 'UPSTREAM_MATERIALS', header: '上游原物料', numeric: false },
  { key: 'WAFER_ROOT', header: '源頭批次', numeric: false },
  { key: 'SUSPECT_HIT_COUNT', header: '嫌疑命中數', numeric: true },
  { key: 'SUSPECT_HITS', header: '嫌疑命中', numeric: false },
]

/**
 * Backward detail columns that result files before format version 4 do not have: the significant
 * suspects each lot touched (original-ui.md §5.5, computed against the whole suspect list).
 */
export const DETAIL_COLUMNS_SINCE_V4: readonly string[] = ['SUSPECT_HIT_COUNT', 'SUSPECT_HITS']

/** Forward detail rows (domain.md §5.7 step 8, with the keys the original's UI expected). */
export const FORWARD_DETAIL_COLUMNS: readonly DetailColumn[] = [
  { key: 'CONTAINERNAME', header: 'LOT ID', numeric: false },
  { key: 'PJ_TYPE', header: 'TYPE', numeric: false },
  { key: 'PRODUCTLINENAME', header: 'PACKAGE', numeric: false },
  { key: 'WORKFLOW', header: 'WORKFLOW', numeric: false },
  { key: 'DETECTION_EQUIPMENTNAME', header: '偵測設備', numeric: false },
  { key: 'TRACKINQTY', header: '偵測投入', numeric: true },
  { key: 'DEFECT_QTY', header: '偵測不良', numeric: true },
  { key: 'DOWNSTREAM_STATIONS_REACHED', header: '下游到達站數', numeric: true },
  { key: 'DOWNSTREAM_TOTAL_REJECT', header: '下游不良總數', numeric: true },
  { key: 'DOWNSTREAM_REJECT_RATE', header: '下游不良率(%)', numeric: true },
  { key: 'WORST_DOWNSTREAM_STATION', header: '最差下游站', numeric: false },
]

/**
 * Detail columns of a direction, as a result file of `formatVersion` has them (the newest when not
 * given): files before version 4 have no suspect-hit columns.
 */
export function detailColumnsOf(direction: 'backward' | 'forward', formatVersion?: number): readonly DetailColumn[] {
  if (direction === 'forward') return FORWARD_DETAIL_COLUMNS
  return formatVersion !== undefined && formatVersion < 4 ? BACKWARD_DETAIL_COLUMNS.filter((c) => !DETAIL_COLUMNS_SINCE_V4.includes(c.key)) : BACKWARD_DETAIL_COLUMNS
}

/** Columns of the suspect list in result files of format version 1. */
export const SUSPECT_COLUMNS_V1: readonly DetailColumn[] = [
  { key: 'rank', header: 'RANK', numeric: true },
  { key: 'factor_type', header: 'FACTOR', numeric: false },
  { key: 'name', header: 'NAME', numeric: false },
  { key: 'station', header: 'STATION', numeric: false },
  { key: 'lots', header: 'LOTS', numeric: true },
  { key: 'defective_lots', header: 'DEFECTIVE_LOTS', numeric: true },
  { key: 'input_qty', header: 'INPUT_QTY', numeric: true },
  { key: 'defect_qty', header: 'DEFECT_QTY', numeric: true },
  { key: 'defect_rate', header: 'DEFECT_RATE(%)', numeric: true },
  { key: 'baseline_rate', header: 'BASELINE_RATE(%)', numeric: true },
  { key: 'baseline_lots', header: 'BASELINE_LOTS', numeric: true },
  { key: 'baseline_defective_lots', header: 'BASELINE_DEFECTIVE_LOTS', numeric: true },
  { key: 'lift', header: 'LIFT', numeric: true },
  { key: 'p_value', header: 'P_VALUE', numeric: true },
  { key: 'inconclusive', header: 'INCONCLUSIVE', numeric: false },
  { key: 'no_contrast', header: 'NO_CONTRAST', numeric: false },
]

/**
 * Columns of the suspect list as stored and exported: the first version's, then the significance,
 * verdict ({@link suspectVerdict}), explain-away and onset columns. `explained_by` is stored as
 * its three parts.
 */
export const SUSPECT_COLUMNS: readonly DetailColumn[] = [
  ...SUSPECT_COLUMNS_V1,
  { key: 'q_value', header: 'Q_VALUE', numeric: true },
  { key: 'significant', header: 'SIGNIFICANT', numeric: false },
  { key: 'verdict', header: 'VERDICT', numeric: false },
  { key: 'explained_by_type', header: 'EXPLAINED_BY_FACTOR', numeric: false },
  { key: 'explained_by_name', header: 'EXPLAINED_BY_NAME', numeric: false },
  { key: 'explained_by_station', header: 'EXPLAINED_BY_STATION', numeric: false },
  { key: 'conditional_p_value', header: 'CONDITIONAL_P_VALUE', numeric: true },
  { key: 'onset', header: 'ONSET', numeric: false },
  { key: 'onset_p_value', header: 'ONSET_P_VALUE', numeric: true },
  { key: 'rate_before_onset', header: 'DEFECTIVE_LOT_RATE_BEFORE_ONSET(%)', numeric: true },
  { key: 'rate_after_onset', header: 'DEFECTIVE_LOT_RATE_AFTER_ONSET(%)', numeric: true },
]

/**
 * A suspect as a row of the stored list, its cells in {@link SUSPECT_COLUMNS} order: booleans as
 * `yes`/`no`, `explained_by` in its parts. One array per suspect, no object keyed by column: a
 * plant-wide run stores tens of thousands of suspects.
 */
export function suspectCells(s: Suspect): (string | number | null)[] {
  const cells: (string | number | null)[] = []
  for (const c of SUSPECT_COLUMNS_V1) {
    const value = s[c.key as keyof Suspect] as string | number | boolean | null | undefined
    cells.push(typeof value === 'boolean' ? (value ? 'yes' : 'no') : (value ?? null))
  }
  cells.push(
    s.q_value,
    s.significant ? 'yes' : 'no',
    suspectVerdict(s),
    s.explained_by?.factor_type ?? null,
    s.explained_by?.name ?? null,
    s.explained_by?.station ?? null,
    s.conditional_p_value,
    s.onset,
    s.onset_p_value,
    s.rate_before_onset,
    s.rate_after_onset,
  )
  return cells
}

/** A suspect as a row of the stored list, keyed by column (see {@link suspectCells}). */
export function suspectRow(s: Suspect): Record<string, string | number | null> {
  const cells = suspectCells(s)
  return Object.fromEntries(SUSPECT_COLUMNS.map((c, i) => [c.key, cells[i] ?? null]))
}

/** A material suspect's name `PART (LOT)` → part and lot; a bare part has no lot. */
export function parseMaterialKey(name: string): { part: string; lot: string | null } {
  const match = /^(.*) \(([^()]*)\)$/.exec(name)
  return match ? { part: match[1]!, lot: match[2]! } : { part: name, lot: null }
}

/**
 * The conditions on the backward detail table that pick the lots behind a factor, as the detail
 * rows spell their lists: upstream machines as `station/machine`, materials as `part/lot`. The
 * drill-down and the evidence report both read a suspect's lots with them.
 */
export function suspectDetailFilter(suspect: Pick<Suspect, 'factor_type' | 'name' | 'station'>): PageFilter[] {
  switch (suspect.factor_type) {
    case 'machine':
      return [
        suspect.station
          ? { column: 'UPSTREAM_MACHINES', op: 'item', value: `${suspect.station}/${suspect.name}` }
          : { column: 'UPSTREAM_MACHINES', op: 'contains', value: `/${suspect.name}` },
      ]
    case 'material': {
      const { part, lot } = parseMaterialKey(suspect.name)
      return [{ column: 'UPSTREAM_MATERIALS', op: 'item', value: lot ? `${part}/${lot}` : part }]
    }
    case 'wafer_root':
      return [{ column: 'WAFER_ROOT', op: 'eq', value: suspect.name }]
  }
}
