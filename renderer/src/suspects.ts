/**
 * The full suspect list as the dashboard pages it from the result (`results:detail`, table
 * `suspects`): a stored row read back into typed fields, the verdict a row shows, and the list's
 * filters as page conditions the result reader applies.
 */
import { suspectVerdict, type SuspectFactor, type SuspectRef, type SuspectSummary, type SuspectVerdict } from '../../shared/msd'
import type { PageFilter } from '../../shared/page-query'

/** A stored cell: text, a number or nothing. */
type Cell = string | number | null | undefined

/** What a row says about its suspect (shared with the analysis, which stores it as `verdict`). */
export type { SuspectVerdict }

/** The verdicts a person filters by. */
export const VERDICT_FILTERS = ['independent', 'explained', 'not_significant'] as const
export type VerdictFilter = (typeof VERDICT_FILTERS)[number]

/** The filters of the suspect table (those a column box does not cover). */
export interface SuspectFilters {
  /** Only this kind of factor; null: all. */
  factorType: SuspectFactor | null
  /** Part of the station's name; empty: any. */
  station: string
  /** Smallest lift; null: any. */
  minLift: number | null
  /** Largest q-value; null: any. */
  maxQ: number | null
  /** Only this verdict; `not_significant` covers every suspect that is not significant. */
  verdict: VerdictFilter | null
}

/** No filter at all. */
export const NO_SUSPECT_FILTERS: Readonly<SuspectFilters> = Object.freeze({ factorType: null, station: '', minLift: null, maxQ: null, verdict: null })

/** A stored suspect row read back: the fields the table shows. */
export interface SuspectRow extends SuspectRef {
  rank: number | null
  lots: number
  defective_lots: number
  defect_rate: number | null
  baseline_rate: number | null
  lift: number | null
  p_value: number | null
  q_value: number | null
  /** Null in a result written before significance was tested (the column is not there). */
  significant: boolean | null
  explained_by: SuspectRef | null
  conditional_p_value: number | null
  onset: string | null
  rate_before_onset: number | null
  rate_after_onset: number | null
  inconclusive: boolean
  no_contrast: boolean
}

const FACTORS: readonly SuspectFactor[] = ['machine', 'material', 'wafer_root']

const numberOf = (v: Cell): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null)
const textOf = (v: Cell): string | null => (v === null || v === undefined || v === '' ? null : String(v))
const factorOf = (v: Cell): SuspectFactor | null => (FACTORS.includes(v as SuspectFactor) ? (v as SuspectFactor) : null)

/** A row of the stored list as typed fields; null for a row that names no factor (not a suspect row). */
export function suspectOfRow(row: Readonly<Record<string, Cell>>): SuspectRow | null {
  const factor = factorOf(row.factor_type)
  const name = textOf(row.name)
  if (!factor || name === null) return null
  const explainedType = factorOf(row.explained_by_type)
  const explainedName = textOf(row.explained_by_name)
  return {
    factor_type: factor,
    name,
    station: textOf(row.station),
    rank: numberOf(row.rank),
    lots: numberOf(row.lots) ?? 0,
    defective_lots: numberOf(row.defective_lots) ?? 0,
    defect_rate: numberOf(row.defect_rate),
    baseline_rate: numberOf(row.baseline_rate),
    lift: numberOf(row.lift),
    p_value: numberOf(row.p_value),
    q_value: numberOf(row.q_value),
    significant: 'significant' in row ? row.significant === 'yes' : null,
    explained_by: explainedName !== null ? { factor_type: explainedType ?? factor, name: explainedName, station: textOf(row.explained_by_station) } : null,
    conditional_p_value: numberOf(row.conditional_p_value),
    onset: textOf(row.onset),
    rate_before_onset: numberOf(row.rate_before_onset),
    rate_after_onset: numberOf(row.rate_after_onset),
    inconclusive: row.inconclusive === 'yes',
    no_contrast: row.no_contrast === 'yes',
  }
}

/** The verdict of a suspect; null for a result written before significance was tested. */
export function verdictOf(s: Pick<SuspectRow, 'significant' | 'explained_by' | 'inconclusive' | 'no_contrast' | 'rank'>): SuspectVerdict | null {
  if (s.significant === null) return null
  return suspectVerdict({ ...s, significant: s.significant })
}

/** Whether a result was written before significance testing (no q-values, verdicts or onsets). */
export function predatesSignificance(summary: Pick<SuspectSummary, 'fdr'>): boolean {
  return summary.fdr === null
}

/**
 * Factors that were tested: every one with a p-value, which is every one but those whose lots
 * all touched it (no contrast). Benjamini–Hochberg adjusts over exactly these.
 */
export function testedFactors(summary: Pick<SuspectSummary, 'total' | 'no_contrast'>): number {
  return summary.total - summary.no_contrast
}

/** A suspect that has a time view in the aggregation (`suspect_timelines`). */
export function hasTimeline(s: Pick<SuspectRow, 'factor_type' | 'name' | 'station'>, timelines: readonly SuspectRef[]): boolean {
  return timelines.some((t) => t.factor_type === s.factor_type && t.name === s.name && t.station === s.station)
}

/** The page conditions of the filters (an older result has no q-value or verdict columns). */
export function suspectPageFilters(filters: Readonly<SuspectFilters>, options: { predatesSignificance: boolean }): PageFilter[] {
  const out: PageFilter[] = []
  if (filters.factorType) out.push({ column: 'factor_type', op: 'eq', value: filters.factorType })
  const station = filters.station.trim()
  if (station !== '') out.push({ column: 'station', op: 'contains', value: station })
  if (filters.minLift !== null && Number.isFinite(filters.minLift)) out.push({ column: 'lift', op: 'gte', value: filters.minLift })
  // Asking an older result for columns it does not have would be refused.
  if (options.predatesSignificance) return out
  if (filters.maxQ !== null && Number.isFinite(filters.maxQ)) out.push({ column: 'q_value', op: 'lte', value: filters.maxQ })
  if (filters.verdict === 'not_significant') out.push({ column: 'significant', op: 'eq', value: 'no' })
  else if (filters.verdict !== null) out.push({ column: 'verdict', op: 'eq', value: filters.verdict })
  return out
}

/** Whether any filter is set. */
export function hasSuspectFilters(filters: Readonly<SuspectFilters>): boolean {
  return filters.factorType !== null || filters.station.trim() !== '' || filters.minLift !== null || filters.maxQ !== null || filters.verdict !== null
}
