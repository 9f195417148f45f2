/**
 * `mes-trace diff JOB_A JOB_B`: what changed between two MSD results of one detection station —
 * A the baseline (last week), B the newer run (this week): the KPI of both and their difference,
 * and the suspects new in B, gone from B and found in both, matched by factor, station and name
 * over each result's full suspect list. Forward runs compare their KPI and later stations.
 */
import { invalidInput } from '../../../shared/errors.js'
import type { BackwardMsdDiff, ForwardMsdDiff, KpiDelta, MsdDiff, MsdDiffRun, MsdDiffWarning, SuspectDiff, SuspectState } from '../../../shared/msd-diff.js'
import { diffResults } from '../../results/index.js'
import { assertJobId } from '../../store/index.js'
import { withJobStore } from '../cli-engine.js'
import type { Command } from '../command.js'
import { JOB_FLAGS, SWITCH_FLAG } from '../flags.js'
import { printJson, printLine } from '../io.js'
import { cellText, formatTable, formatTime } from '../job-format.js'

/** Suspects each section prints without `--all` (`--json` always has them all). */
export const DIFF_SHOWN_PER_SECTION = 20

/** Width of the labels of the header lines. */
const LABEL_WIDTH = 10

/** What a person calls each KPI of the diff. */
const KPI_LABELS: Record<KpiDelta['key'], string> = {
  lot_count: 'Lots',
  defective_lot_count: 'Defective lots',
  defective_lot_rate: 'Defective-lot rate',
  total_input: 'Input',
  total_defect_qty: 'Defects',
  total_defect_rate: 'Defect rate',
  top_loss_reason: 'Top loss reason',
  affected_machine_count: 'Machines with defects',
  suspects_ranked: 'Ranked suspects',
  suspects_significant: 'Significant suspects',
  suspects_independent: '  independent',
  suspects_explained: '  explained by another',
  detection_lot_count: 'Detection lots',
  defect_lot_count: 'Lots with a defect',
  detection_defect_qty: 'Detection defects',
  detection_defect_rate: 'Detection defect rate',
  tracked_lot_count: 'Tracked containers',
  downstream_stations_reached: 'Later stations reached',
  downstream_total_reject: 'Later rejects',
  downstream_reject_rate: 'Later reject rate',
  baseline_downstream_reject_rate: '  without a detection defect',
  amplification: 'Amplification',
}

function jobArgs(positionals: readonly string[]): [string, string] {
  if (positionals.length < 2) {
    throw invalidInput(positionals.length === 0 ? 'JOB_A' : 'JOB_B', 'is required: give two MSD jobs, the baseline (older) run first, e.g. `mes-trace diff trace-evt-… trace-evt-…` (see `mes-trace jobs`)')
  }
  if (positionals.length > 2) throw invalidInput('JOB_B', `give two jobs (also got ${JSON.stringify(positionals[2]!.slice(0, 60))})`)
  const [a, b] = positionals as [string, string]
  assertJobId(a, 'JOB_A')
  assertJobId(b, 'JOB_B')
  return [a, b]
}

const signed = (value: number, digits: number): string => (value === 0 ? '0' : `${value > 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)}`)

function pct(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : `${value.toFixed(3)}%`
}

function liftText(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : `×${value.toFixed(2)}`
}

function qText(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-'
  if (value === 0) return '<1e-300'
  return value < 0.001 ? value.toExponential(1) : value.toFixed(3)
}

function kpiValue(k: KpiDelta, value: number | string | null): string {
  if (value === null) return '-'
  if (typeof value === 'string') return cellText(value)
  if (k.unit === 'percent') return `${value.toFixed(4)}%`
  if (k.unit === 'ratio') return `×${value.toFixed(2)}`
  return String(value)
}

function kpiDeltaText(k: KpiDelta): string {
  if (k.delta === null) return k.unit === 'text' && k.a !== k.b ? 'changed' : ''
  if (k.unit === 'percent') return `${signed(k.delta, 4)} pp`
  return signed(k.delta, k.unit === 'count' ? 0 : 2)
}

function kpiTable(kpi: readonly KpiDelta[]): string {
  return formatTable(
    ['KPI', 'A', 'B', 'B−A'],
    kpi.map((k) => [KPI_LABELS[k.key], kpiValue(k, k.a), kpiValue(k, k.b), kpiDeltaText(k)]),
    new Set([1, 2, 3]),
  )
}

function windowText(run: MsdDiffRun): string {
  if (run.start_date !== null && run.end_date !== null) return `${run.start_date} … ${run.end_date}`
  return run.first_day !== null ? `lots of ${run.first_day} … ${run.last_day}` : 'no lots'
}

function runLine(label: string, run: MsdDiffRun): string {
  return `${label.padEnd(LABEL_WIDTH)}${run.job_id}  ${windowText(run)}  (as of ${formatTime(run.as_of)})`
}

function warningText(w: MsdDiffWarning): string {
  const list = (reasons: readonly string[]): string => (reasons.length > 0 ? reasons.join(', ') : 'all')
  switch (w.code) {
    case 'loss_reasons':
      return `the runs count different loss reasons (A: ${list(w.a)}; B: ${list(w.b)}): their rates are not like for like`
    case 'source':
      return `the runs read different sources (A: ${w.a}; B: ${w.b})`
    case 'order':
      return `A should be the baseline (older) run, but its window ends ${w.a}, after B's (${w.b}); swap them for "new" to mean new`
    case 'fdr':
      return `the runs called suspects significant at different false-discovery rates (A: ${w.a}, B: ${w.b})`
    case 'genealogy':
      return `the genealogy of ${w.runs.map((r) => r.toUpperCase()).join(' and ')} was not traced: its suspects are missing`
  }
}

function statusText(state: SuspectState | null): string {
  if (!state) return 'not tested'
  switch (state.status) {
    case 'independent':
      return 'independent'
    case 'explained':
      return state.explained_by ? `explained by ${state.explained_by.name}` : 'explained'
    case 'not_significant':
      return 'not significant'
    case 'ranked':
      return `ranked #${state.rank}`
    case 'not_ranked':
      return 'not ranked'
  }
}

const arrow = (a: string, b: string): string => (a === b ? a : `${a} → ${b}`)

function suspectRows(items: readonly SuspectDiff[]): string[][] {
  return items.map((s) => [
    s.factor_type === 'wafer_root' ? 'wafer root' : s.factor_type,
    cellText(s.name, 40),
    cellText(s.station ?? '-', 16),
    arrow(s.a ? pct(s.a.defect_rate) : '-', s.b ? pct(s.b.defect_rate) : '-'),
    s.rate_delta === null ? '' : `${signed(s.rate_delta, 3)} pp`,
    arrow(s.a ? liftText(s.a.lift) : '-', s.b ? liftText(s.b.lift) : '-'),
    arrow(s.a ? qText(s.a.q_value) : '-', s.b ? qText(s.b.q_value) : '-'),
    cellText(arrow(statusText(s.a), statusText(s.b)), 60),
    arrow(s.a?.onset ?? '-', s.b?.onset ?? '-'),
  ])
}

function suspectSection(title: string, items: readonly SuspectDiff[], all: boolean): string[] {
  const lines = ['', `${title} (${items.length})`]
  if (items.length === 0) return [...lines, '  none']
  const shown = all ? items : items.slice(0, DIFF_SHOWN_PER_SECTION)
  const table = formatTable(['  FACTOR', 'NAME', 'STATION', 'RATE A → B', 'Δ RATE', 'LIFT A → B', 'Q A → B', 'STATUS A → B', 'ONSET A → B'], suspectRows(shown).map((r) => [`  ${r[0]}`, ...r.slice(1)]), new Set([4]))
  lines.push(table)
  if (shown.length < items.length) lines.push(`  … and ${items.length - shown.length} more (--all or --json lists them)`)
  return lines
}

function formatBackward(diff: BackwardMsdDiff, all: boolean): string[] {
  const set = diff.basis === 'significant' ? `significant suspects (q ≤ ${diff.a.fdr ?? diff.b.fdr})` : 'ranked suspects'
  const lines = [`${'Compared'.padEnd(LABEL_WIDTH)}${set}: A ${diff.compared.a}, B ${diff.compared.b}`]
  if (diff.basis === 'ranked') {
    const old = diff.without_q_values.map((side) => `${side.toUpperCase()} (MES Trace ${diff[side].app_version})`).join(' and ')
    lines.push(
      `${''.padEnd(LABEL_WIDTH)}${old} ${diff.without_q_values.length > 1 ? 'were' : 'was'} written before q-values were computed: without significance, every ranked suspect is compared`,
    )
  }
  lines.push('', kpiTable(diff.kpi))
  const what = diff.basis === 'significant' ? 'significant' : 'ranked'
  lines.push(
    ...suspectSection(`New — ${what} in B, not in A`, diff.new, all),
    ...suspectSection(`Gone — ${what} in A, not in B`, diff.gone, all),
    ...suspectSection(`Changed — ${what} in both`, diff.changed, all),
  )
  return lines
}

function formatForward(diff: ForwardMsdDiff): string[] {
  const rows = diff.stations.map((s) => [
    cellText(s.name, 16),
    arrow(s.a ? pct(s.a.defect_rate) : 'not reached', s.b ? pct(s.b.defect_rate) : 'not reached'),
    s.rate_delta === null ? '' : `${signed(s.rate_delta, 3)} pp`,
    arrow(s.a ? liftText(s.a.lift) : '-', s.b ? liftText(s.b.lift) : '-'),
    cellText(arrow(s.a?.top_loss_reason || '-', s.b?.top_loss_reason || '-'), 40),
  ])
  return [
    '',
    kpiTable(diff.kpi),
    '',
    `Later stations (${diff.stations.length})`,
    rows.length > 0 ? formatTable(['  STATION', 'REJECT RATE A → B', 'Δ RATE', 'LIFT A → B', 'TOP REASON A → B'], rows.map((r) => [`  ${r[0]}`, ...r.slice(1)]), new Set([2])) : '  none',
  ]
}

/** The diff for a person: the two runs, notes, the KPI table and the suspect (or station) sections. */
export function formatDiff(diff: MsdDiff, all = false): string {
  const lines = [
    `MSD ${diff.direction} diff ${diff.direction === 'backward' ? 'at' : 'from'} ${cellText(diff.station)} — A is the baseline, B the newer run`,
    runLine('A', diff.a),
    runLine('B', diff.b),
    ...diff.warnings.map((w) => `${'Note'.padEnd(LABEL_WIDTH)}${warningText(w)}`),
    ...(diff.direction === 'backward' ? formatBackward(diff, all) : formatForward(diff)),
  ]
  return lines.join('\n')
}

/** `mes-trace diff JOB_A JOB_B`. */
export const diffCommand: Command = {
  summary: 'Compare two MSD results of one detection station: A the baseline (older) run, B the newer\n' +
    '(KPI deltas; suspects new, gone and changed: rate, lift, q, explained/independent, onset)',
  positional: 'JOB_A JOB_B',
  options: { all: SWITCH_FLAG, ...JOB_FLAGS },
  usage: [
    `--all             every suspect of each section (default: the first ${DIFF_SHOWN_PER_SECTION})`,
    '--json            one object: {direction, station, a, b, kpi, warnings} and, backward,',
    '                  {basis, without_q_values, compared, new, gone, changed}, forward {stations}.',
    '                  a, b: {job_id, start_date, end_date, first_day, last_day, loss_reasons,',
    '                  source, as_of, app_version, fdr}; kpi: [{key, unit, a, b, delta}];',
    '                  new/gone/changed: [{factor_type, name, station, a, b, rate_delta, lift_delta,',
    '                  changes}] with a and b {rank, lots, defective_lots, defect_rate, baseline_rate,',
    '                  lift, p_value, q_value, status, explained_by, onset, rate_before_onset,',
    '                  rate_after_onset} or null (not tested in that run); warnings: [{code, …}]',
    "--data-dir DIR    catalog and results (default: the app's data folder)",
    'Suspects match by factor type, station and name over each result\'s full suspect list. They',
    'are compared by significance (q ≤ the run\'s FDR); when a run was written before q-values',
    'were computed, every ranked suspect is compared instead (basis "ranked").',
  ],
  async run({ flags, positionals }, io) {
    const [jobA, jobB] = jobArgs(positionals)
    return withJobStore(flags, io, async ({ results }) => {
      const diff = await diffResults(results, jobA, jobB)
      if (flags.json) printJson(io, diff)
      else printLine(io, formatDiff(diff, flags.all === true))
      return 0
    })
  },
}
