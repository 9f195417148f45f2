/** The MSD aggregation as a person reads it on a terminal: KPI, top suspects or later stations. */
import type { BackwardAggregation, ForwardAggregation, MsdAggregation, ParetoItem, Suspect, SuspectFactor, SuspectRef, SuspectSummary } from '../../shared/msd.js'

/** Suspects printed after a backward run (the full list is in the result file). */
const SHOWN_SUSPECTS = 10

function pValue(p: number | null): string {
  if (p === null) return '-'
  if (p === 0) return '<1e-300'
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3)
}

const kindOf = (factor: SuspectFactor): string => (factor === 'machine' ? 'machine' : factor === 'material' ? 'material' : 'wafer root')
const refText = (r: SuspectRef): string => `${kindOf(r.factor_type)} ${r.name}${r.station ? ` @ ${r.station}` : ''}`
/** A false-discovery rate as a percentage: 0.05 → `5%`. */
const percent = (fraction: number): string => `${Number((fraction * 100).toFixed(2))}%`
const lotRate = (rate: number | null): string => (rate === null ? '-' : `${rate.toFixed(2)}%`)

/**
 * What the analysis concluded about a suspect: independent or explained by another (with the
 * conditional p), its onset; null for a result written before significance was tested.
 */
function verdictLine(s: Suspect, summary: SuspectSummary): string | null {
  if (summary.fdr === null) return null
  const onset = s.onset ? `; onset ${s.onset} (defective lots ${lotRate(s.rate_before_onset)} → ${lotRate(s.rate_after_onset)})` : ''
  if (!s.significant) return `not significant (q above ${percent(summary.fdr)})`
  if (s.explained_by) {
    return `explained by ${refText(s.explained_by)}${s.conditional_p_value === null ? '' : ` (conditional p ${pValue(s.conditional_p_value)})`}${onset}`
  }
  return `independent${onset}`
}

function suspectLine(s: Suspect, summary: SuspectSummary): string {
  const where = s.station ? ` @ ${s.station}` : ''
  const lift = s.lift === null ? '-' : `×${s.lift.toFixed(2)}`
  const baseline = s.baseline_rate === null ? '-' : `${s.baseline_rate.toFixed(3)}%`
  const q = summary.fdr === null ? '' : `, q ${pValue(s.q_value)}`
  const verdict = verdictLine(s, summary)
  return (
    `  ${String(s.rank ?? '-').padStart(3)}. ${kindOf(s.factor_type).padEnd(10)} ${s.name}${where}\n` +
    `       ${s.defective_lots}/${s.lots} lots defective, rate ${s.defect_rate.toFixed(3)}% vs ${baseline} (lift ${lift}), p ${pValue(s.p_value)}${q}` +
    `${s.inconclusive ? (s.no_contrast ? ' — every lot shared it' : ' — inconclusive (few lots)') : ''}` +
    (verdict ? `\n       ${verdict}` : '')
  )
}

/**
 * How the factors came out: how many are significant, independent and explained (or, for a
 * result written before significance was tested, that it was not), then how many rank at all.
 */
function summaryLines(summary: SuspectSummary): string[] {
  const ranked =
    `${summary.ranked} ranked of ${summary.total} factors ` +
    `(${summary.not_elevated} no worse than their baseline, ${summary.inconclusive} inconclusive, ` +
    `${summary.no_contrast} shared by every lot)`
  if (summary.fdr === null) {
    return [`Suspects      ${ranked}`, `${' '.repeat(14)}this result predates significance testing (no q-values, explained-by or onsets): run it again for them`]
  }
  // Every factor with a p-value is tested; only those whose lots all touched it have none.
  const tested = summary.total - summary.no_contrast
  return [
    `Suspects      ${summary.significant} significant of ${tested} factors tested (FDR q ≤ ${percent(summary.fdr)}): ` +
      `${summary.independent} independent, ${summary.explained} explained by another`,
    `${' '.repeat(14)}${ranked}`,
  ]
}

function chartLine(title: string, items: readonly ParetoItem[], count = 3): string {
  const shown = items.slice(0, count).map((i) => `${i.name} ${i.defect_qty} (${i.defect_rate.toFixed(3)}%)`)
  return `${title.padEnd(14)}${shown.join(' · ') || '-'}`
}

function formatBackward(a: BackwardAggregation): string {
  const k = a.kpi
  const lines = [
    `MSD backward at ${a.station}${a.loss_reasons.length ? ` (reasons: ${a.loss_reasons.join(', ')})` : ''}`,
    `Detection     ${k.lot_count} lots, input ${k.total_input}, defects ${k.total_defect_qty} (${k.total_defect_rate.toFixed(4)}%), ${k.defective_lot_count} defective lots`,
    `Top reason    ${k.top_loss_reason || '-'}; machines with defects: ${k.affected_machine_count}`,
    chartLine('By machine', a.charts.by_machine),
    chartLine('By material', a.charts.by_material),
    chartLine('By wafer root', a.charts.by_wafer_root),
    ...summaryLines(a.suspect_summary),
    // List order: the independent significant suspects first, then those explained by another.
    ...a.suspects.filter((s) => s.rank !== null).slice(0, SHOWN_SUSPECTS).map((s) => suspectLine(s, a.suspect_summary)),
  ]
  const more = a.suspect_summary.ranked - Math.min(SHOWN_SUSPECTS, a.suspects.filter((s) => s.rank !== null).length)
  if (more > 0) lines.push(`${' '.repeat(7)}… ${more} more ranked (mes-trace show JOB --suspects, or export JOB --suspects)`)
  return lines.join('\n')
}

function formatForward(a: ForwardAggregation): string {
  const k = a.kpi
  const lines = [
    `MSD forward from ${a.station}${a.loss_reasons.length ? ` (reasons: ${a.loss_reasons.join(', ')})` : ''}`,
    `Detection     ${k.detection_lot_count} lots; ${k.defect_lot_count} with defects (${k.detection_defect_qty}, ${k.detection_defect_rate.toFixed(4)}%)`,
    `Tracked       ${k.tracked_lot_count} containers (defect lots and their descendants), ${k.downstream_stations_reached} later stations`,
    `Downstream    ${k.downstream_total_reject} rejects, ${k.downstream_reject_rate.toFixed(4)}% vs ${k.baseline_downstream_reject_rate === null ? '-' : `${k.baseline_downstream_reject_rate.toFixed(4)}%`} for the lots without a detection defect` +
      `; amplification ${k.amplification === null ? '—' : `×${k.amplification}`}`,
    ...[...a.charts.by_downstream_station]
      .sort((x, y) => x.order - y.order)
      .map(
        (s) =>
          `  ${s.name.padEnd(8)} ${String(s.defect_qty).padStart(8)} rejects / ${String(s.input_qty).padStart(10)} in  ${s.defect_rate.toFixed(4)}%` +
          ` vs ${s.baseline_rate === null ? '-' : `${s.baseline_rate.toFixed(4)}%`}${s.lift === null ? '' : ` (×${s.lift.toFixed(2)})`}  top: ${s.top_loss_reason || '-'}`,
      ),
    `${'By reason'.padEnd(14)}${a.charts.by_downstream_loss_reason.slice(0, 3).map((i) => `${i.name} ${i.defect_qty}`).join(' · ') || '-'}`,
  ]
  return lines.join('\n')
}

/** Multi-line summary of an aggregation, with its warnings. */
export function formatAggregation(a: MsdAggregation): string {
  const body = a.direction === 'forward' ? formatForward(a) : formatBackward(a)
  const notes = [
    ...(a.container_mode_hint ? [`Note          ${a.container_mode_hint}`] : []),
    ...(a.genealogy_status === 'error' ? ['Note          the genealogy was not traced: charts show the detection station only'] : []),
    ...a.warnings.map((w) => `Warning       ${w}`),
    `Detail rows   ${a.detail_total_count} (mes-trace export JOB --detail)`,
  ]
  return [body, ...notes].join('\n')
}
