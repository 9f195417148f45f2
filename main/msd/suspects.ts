/**
 * Suspect statistics (beyond the original): for each factor, the lots that touched it against the
 * lots of the same population that did not. Rates are on quantities (defects ÷ input, as every
 * MSD rate); the significance is a one-sided Fisher exact test on lot counts (defective or
 * clean × touched or not), so a factor is suspect when its lots fail more often than the rest, not
 * when it merely saw the most lots.
 */
import { compareCodeUnits } from '../../shared/compare.js'
import { MSD_MIN_SUSPECT_LOTS, ratePct, roundTo, type Suspect, type SuspectFactor } from '../../shared/msd.js'
import { benjaminiHochberg, fisherExact } from '../../shared/statistics.js'

/** What the analysis counted for a factor or for its whole population. */
export interface Tally {
  lots: number
  defective_lots: number
  input_qty: number
  defect_qty: number
}

/** A factor's tally and the tally of the population it is compared within. */
export interface FactorTally extends Tally {
  factor_type: SuspectFactor
  name: string
  station: string | null
  population: Tally
}

/**
 * The contrast of one factor. Lots of the factor are part of its population, so the baseline is
 * the population minus the factor.
 */
export function suspectOf(factor: FactorTally, minLots = MSD_MIN_SUSPECT_LOTS): Suspect {
  const rest: Tally = {
    lots: factor.population.lots - factor.lots,
    defective_lots: factor.population.defective_lots - factor.defective_lots,
    input_qty: factor.population.input_qty - factor.input_qty,
    defect_qty: factor.population.defect_qty - factor.defect_qty,
  }
  const defect_rate = ratePct(factor.defect_qty, factor.input_qty)
  const noContrast = rest.lots <= 0
  const baseline_rate = noContrast ? null : ratePct(rest.defect_qty, rest.input_qty)
  const rawBaseline = rest.input_qty > 0 ? rest.defect_qty / rest.input_qty : 0
  const rawRate = factor.input_qty > 0 ? factor.defect_qty / factor.input_qty : 0
  // Lift from unrounded rates; a zero baseline gives no finite lift unless the factor is zero too.
  const lift = noContrast ? null : rawBaseline > 0 ? roundTo(rawRate / rawBaseline, 4) : rawRate === 0 ? 1 : null
  const p_value = noContrast
    ? null
    : fisherExact({
        a: factor.defective_lots,
        b: factor.lots - factor.defective_lots,
        c: rest.defective_lots,
        d: rest.lots - rest.defective_lots,
      }).greater
  return {
    factor_type: factor.factor_type,
    name: factor.name,
    station: factor.station,
    lots: factor.lots,
    defective_lots: factor.defective_lots,
    input_qty: factor.input_qty,
    defect_qty: factor.defect_qty,
    defect_rate,
    baseline_rate,
    baseline_lots: Math.max(0, rest.lots),
    baseline_defective_lots: Math.max(0, rest.defective_lots),
    lift,
    p_value,
    inconclusive: noContrast || factor.lots < minLots || rest.lots < minLots,
    no_contrast: noContrast,
    rank: null,
    q_value: null,
    significant: false,
    explained_by: null,
    conditional_p_value: null,
    onset: null,
    onset_p_value: null,
    rate_before_onset: null,
    rate_after_onset: null,
  }
}

/** Lift for ordering: a missing lift over a zero baseline is the strongest (the rest had no defects). */
function liftKey(s: Suspect): number {
  return s.lift ?? (s.defect_qty > 0 ? Number.POSITIVE_INFINITY : 0)
}

/** A conclusive factor whose lots fare worse than its baseline: a suspect. */
function isOverRepresented(s: Suspect): boolean {
  return !s.inconclusive && liftKey(s) > 1
}

/**
 * Orders suspects and numbers the ranked ones: conclusive factors whose lots fare worse than the
 * baseline first, by significance (smallest p), then lift, then defective lots; then every other
 * factor (not over-represented, inconclusive, no contrast), unranked, by defective lots. Ties end
 * on the factor type and name, so the order is stable.
 */
export function rankSuspects(suspects: Suspect[]): Suspect[] {
  const ranked = suspects.filter(isOverRepresented)
  const rest = suspects.filter((s) => !isOverRepresented(s))
  const tieBreak = (a: Suspect, b: Suspect): number =>
    compareCodeUnits(a.factor_type, b.factor_type) || compareCodeUnits(a.station ?? '', b.station ?? '') || compareCodeUnits(a.name, b.name)
  ranked.sort((a, b) => a.p_value! - b.p_value! || liftKey(b) - liftKey(a) || b.defective_lots - a.defective_lots || tieBreak(a, b))
  rest.sort((a, b) => b.defective_lots - a.defective_lots || b.defect_qty - a.defect_qty || tieBreak(a, b))
  ranked.forEach((s, i) => {
    s.rank = i + 1
  })
  return [...ranked, ...rest]
}

/**
 * Sets each suspect's Benjamini–Hochberg q-value over every factor of the run with a p-value,
 * and marks the ranked ones with q ≤ `fdr` significant.
 */
export function assignSignificance(suspects: readonly Suspect[], fdr: number): void {
  const tested = suspects.filter((s) => s.p_value !== null)
  const q = benjaminiHochberg(tested.map((s) => s.p_value!))
  tested.forEach((s, i) => {
    s.q_value = q[i]!
  })
  for (const s of suspects) s.significant = s.rank !== null && s.q_value !== null && s.q_value <= fdr
}

/**
 * The list order once the explain-away is done: significant suspects that nothing explains first,
 * then the explained ones, then the other ranked ones, each in their ranked order; then the
 * unranked. Ranks are renumbered in that order.
 */
export function orderSuspects(suspects: readonly Suspect[]): Suspect[] {
  const tier = (s: Suspect): number => (s.rank === null ? 3 : !s.significant ? 2 : s.explained_by ? 1 : 0)
  const ordered = suspects.map((s, i) => ({ s, i })).sort((a, b) => tier(a.s) - tier(b.s) || a.i - b.i).map(({ s }) => s)
  let rank = 0
  for (const s of ordered) if (s.rank !== null) s.rank = ++rank
  return ordered
}
