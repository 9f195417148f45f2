/** The run-to-run diff of two MSD results: refusals, KPI deltas, suspects new/gone/changed, old results without q-values. */
import { describe, expect, it } from 'vitest'
import { suspectRow, type BackwardAggregation, type ForwardAggregation, type Suspect, type SuspectSummary } from '../../../shared/msd.js'
import { BACKWARD_DIFF_KPIS, diffMsdRuns, FORWARD_DIFF_KPIS, suspectOfRow, type BackwardMsdDiff, type ForwardMsdDiff, type MsdDiffInput } from '../../../shared/msd-diff.js'
import type { NormalizedTraceRequest } from '../../../shared/trace-request.js'

const JOB_A = 'trace-evt-00000000000a'
const JOB_B = 'trace-evt-00000000000b'

function suspect(name: string, over: Partial<Suspect> = {}): Suspect {
  return {
    factor_type: 'machine', name, station: '焊接_WB', lots: 50, defective_lots: 20, input_qty: 100_000, defect_qty: 1000, defect_rate: 1,
    baseline_rate: 0.5, baseline_lots: 900, baseline_defective_lots: 200, lift: 2, p_value: 1e-4, inconclusive: false, no_contrast: false,
    rank: 1, q_value: 0.001, significant: true, explained_by: null, conditional_p_value: null, onset: null, onset_p_value: null,
    rate_before_onset: null, rate_after_onset: null, ...over,
  }
}

function summary(over: Partial<SuspectSummary> = {}): SuspectSummary {
  return { machines: 10, materials: 10, wafer_roots: 5, ranked: 8, not_elevated: 10, inconclusive: 5, no_contrast: 2, total: 25, significant: 3, independent: 2, explained: 1, fdr: 0.05, ...over }
}

function backward(over: Partial<BackwardAggregation> = {}): BackwardAggregation {
  return {
    direction: 'backward', station: '測試', loss_reasons: [], available_loss_reasons: ['201_OPEN'], genealogy_status: 'ready',
    daily_trend: [
      { date: '2026-10-19', input_qty: 1, defect_qty: 0, defect_rate: 0, lot_count: 1, defective_lot_count: 0 },
      { date: '2026-10-18', input_qty: 1, defect_qty: 0, defect_rate: 0, lot_count: 1, defective_lot_count: 0 },
    ],
    detail_total_count: 10, warnings: [],
    kpi: { total_input: 1_000_000, lot_count: 400, defective_lot_count: 100, total_defect_qty: 8000, total_defect_rate: 0.8, top_loss_reason: '201_OPEN', affected_machine_count: 40 },
    charts: { by_machine: [], by_detection_machine: [], by_material: [], by_wafer_root: [], by_loss_reason: [] },
    attribution: [], suspects: [], suspect_summary: summary(), suspect_timelines: [],
    ...over,
  }
}

function request(start: string, end: string, direction: 'backward' | 'forward' = 'backward', station = '測試'): NormalizedTraceRequest {
  return { profile: 'mid_section_defect', direction, seed: { mode: 'date_range', station, start_date: start, end_date: end }, station, loss_reasons: [], domains: ['upstream_history'] }
}

function input(jobId: string, aggregation: BackwardAggregation | ForwardAggregation, suspects: Suspect[], window: [string, string] = ['2026-10-18', '2026-10-24']): MsdDiffInput {
  return {
    job_id: jobId, request: request(window[0], window[1], aggregation.direction, aggregation.station), source: 'sqlite:/data/plant.sqlite',
    as_of: Date.UTC(2026, 10, 1), app_version: '1.2.0', aggregation, suspects,
  }
}

const WEEK_A: [string, string] = ['2026-10-18', '2026-10-24']
const WEEK_B: [string, string] = ['2026-10-25', '2026-10-31']

function backwardDiff(a: MsdDiffInput, b: MsdDiffInput): BackwardMsdDiff {
  const diff = diffMsdRuns(a, b)
  if (diff.direction !== 'backward') throw new Error('expected a backward diff')
  return diff
}

describe('diffMsdRuns', () => {
  describe('when the two runs are not comparable', () => {
    it('refuses a run of another station, naming JOB_B and both stations', () => {
      const a = input(JOB_A, backward(), [])
      const b = input(JOB_B, backward({ station: '成型' }), [], WEEK_B)
      expect(() => diffMsdRuns(a, b)).toThrowError(/^JOB_B: job trace-evt-00000000000b analyses detection station 成型 but JOB_A \(trace-evt-00000000000a\) analyses 測試/)
      try {
        diffMsdRuns(a, b)
      } catch (error) {
        expect(error).toMatchObject({ code: 'input/invalid', details: { field: 'JOB_B', station: '成型', expected: '測試' } })
      }
    })

    it('refuses a run of the other direction', () => {
      const forward = { ...backward(), direction: 'forward' } as unknown as ForwardAggregation
      expect(() => diffMsdRuns(input(JOB_A, backward(), []), input(JOB_B, forward, []))).toThrowError(
        /^JOB_B: job trace-evt-00000000000b is an MSD forward analysis but JOB_A \(trace-evt-00000000000a\) is backward/,
      )
    })

    it('refuses a lot trace, naming the field the caller gave', () => {
      const lot: MsdDiffInput = {
        ...input(JOB_A, backward(), []),
        request: { profile: 'query_tool', direction: 'forward', seed: { mode: 'containers', resolve_type: 'lot_id', values: ['GA1'] }, station: null, loss_reasons: [], domains: ['history'] },
        aggregation: null,
      }
      expect(() => diffMsdRuns(lot, input(JOB_B, backward(), []), { a: 'job_a', b: 'job_b' })).toThrowError(
        'job_a: job trace-evt-00000000000a is a lot trace (query_tool), not an MSD analysis; compare two MSD results',
      )
    })

    it('refuses the same job twice', () => {
      expect(() => diffMsdRuns(input(JOB_A, backward(), []), input(JOB_A, backward(), []))).toThrowError(/^JOB_B: is the same job as JOB_A/)
    })
  })

  describe('with q-values in both runs', () => {
    // A: M1 independent, M2 explained by M1, MAT significant; B: M1 still, M3 new, MAT fell below significance, M2 independent now.
    const a = input(JOB_A, backward(), [
      suspect('M1', { rank: 1, defect_rate: 2.5, lift: 4, q_value: 1e-10 }),
      suspect('M2', { rank: 2, defect_rate: 1.5, lift: 2.5, q_value: 0.001, explained_by: { factor_type: 'machine', name: 'M1', station: '焊接_WB' } }),
      suspect('CAP-1 (L1)', { factor_type: 'material', station: '焊接_WB', rank: 3, q_value: 0.01 }),
      suspect('M3', { rank: 4, q_value: 0.4, significant: false, defect_rate: 0.9, lift: 1.1 }),
      suspect('M9', { rank: null, q_value: 0.9, significant: false, lift: 0.8 }),
    ])
    const b = input(
      JOB_B,
      backward({ kpi: { total_input: 1_200_000, lot_count: 420, defective_lot_count: 84, total_defect_qty: 9000, total_defect_rate: 0.75, top_loss_reason: '202_SHORT', affected_machine_count: 41 } }),
      [
        suspect('M3', { rank: 1, q_value: 1e-6, defect_rate: 3.1, lift: 5, onset: '2026-10-27', rate_before_onset: 10, rate_after_onset: 60 }),
        suspect('M1', { rank: 2, defect_rate: 2, lift: 3.2, q_value: 1e-5 }),
        suspect('M2', { rank: 3, defect_rate: 1.5, lift: 2.5, q_value: 0.001 }),
        suspect('CAP-1 (L1)', { factor_type: 'material', station: '焊接_WB', rank: 4, q_value: 0.2, significant: false }),
      ],
      WEEK_B,
    )
    const diff = backwardDiff(a, b)

    it('compares the significant suspects and says so', () => {
      expect(diff.basis).toBe('significant')
      expect(diff.without_q_values).toEqual([])
      expect(diff.compared).toEqual({ a: 3, b: 3 })
    })

    it('lists a suspect significant only in B as new, with its values in A', () => {
      expect(diff.new.map((s) => s.name)).toEqual(['M3'])
      const m3 = diff.new[0]!
      expect(m3.a).toMatchObject({ status: 'not_significant', rank: 4, q_value: 0.4, defect_rate: 0.9 })
      expect(m3.b).toMatchObject({ status: 'independent', onset: '2026-10-27', rate_before_onset: 10, rate_after_onset: 60 })
      expect(m3.rate_delta).toBe(2.2)
      expect(m3.lift_delta).toBe(3.9)
    })

    it('lists a suspect significant only in A as gone, in A’s order', () => {
      expect(diff.gone.map((s) => `${s.factor_type}:${s.name}`)).toEqual(['material:CAP-1 (L1)'])
      expect(diff.gone[0]!.b).toMatchObject({ status: 'not_significant', q_value: 0.2 })
    })

    it('lists suspects significant in both as changed, in B’s order, saying what changed', () => {
      expect(diff.changed.map((s) => s.name)).toEqual(['M1', 'M2'])
      const [m1, m2] = diff.changed
      expect(m1!.changes).toEqual(['rate', 'lift', 'q'])
      expect(m1!.rate_delta).toBe(-0.5)
      expect(m2!.a!.status).toBe('explained')
      expect(m2!.a!.explained_by).toEqual({ factor_type: 'machine', name: 'M1', station: '焊接_WB' })
      expect(m2!.b!.status).toBe('independent')
      expect(m2!.changes).toEqual(['status'])
    })

    it('gives each KPI of A and B with B − A', () => {
      expect(diff.kpi.map((k) => k.key)).toEqual([...BACKWARD_DIFF_KPIS])
      const kpi = Object.fromEntries(diff.kpi.map((k) => [k.key, k]))
      expect(kpi.lot_count).toEqual({ key: 'lot_count', unit: 'count', a: 400, b: 420, delta: 20 })
      expect(kpi.total_defect_rate).toEqual({ key: 'total_defect_rate', unit: 'percent', a: 0.8, b: 0.75, delta: -0.05 })
      expect(kpi.defective_lot_rate).toEqual({ key: 'defective_lot_rate', unit: 'percent', a: 25, b: 20, delta: -5 })
      expect(kpi.top_loss_reason).toEqual({ key: 'top_loss_reason', unit: 'text', a: '201_OPEN', b: '202_SHORT', delta: null })
      expect(kpi.suspects_significant).toMatchObject({ a: 3, b: 3, delta: 0 })
    })

    it('gives the date windows of both runs and no warning for a like-for-like pair', () => {
      expect(diff.a).toMatchObject({ job_id: JOB_A, start_date: '2026-10-18', end_date: '2026-10-24', first_day: '2026-10-18', last_day: '2026-10-19', fdr: 0.05 })
      expect(diff.b).toMatchObject({ job_id: JOB_B, start_date: '2026-10-25', end_date: '2026-10-31' })
      expect(diff.warnings).toEqual([])
    })
  })

  it('matches a suspect that only the full stored list of A holds (past the aggregation’s top list)', () => {
    // A's aggregation keeps its top suspect only; the stored list has the one B calls significant too.
    const aggA = backward({ suspects: [suspect('M1')] })
    const a = input(JOB_A, aggA, [suspect('M1'), suspect('M150', { rank: 150, q_value: 0.02 })])
    const b = input(JOB_B, backward(), [suspect('M150', { rank: 1, q_value: 0.001 })], WEEK_B)
    const diff = backwardDiff(a, b)
    expect(diff.new).toEqual([])
    expect(diff.changed.map((s) => [s.name, s.a?.rank, s.b?.rank])).toEqual([['M150', 150, 1]])
    expect(diff.gone.map((s) => s.name)).toEqual(['M1'])
  })

  it('tells a machine and a material lot of the same name and station apart', () => {
    const a = input(JOB_A, backward(), [suspect('X'), suspect('X', { factor_type: 'material' })])
    const b = input(JOB_B, backward(), [suspect('X', { factor_type: 'material' })], WEEK_B)
    const diff = backwardDiff(a, b)
    expect(diff.gone.map((s) => s.factor_type)).toEqual(['machine'])
    expect(diff.changed.map((s) => s.factor_type)).toEqual(['material'])
  })

  it('marks a factor B never tested as null in B', () => {
    const diff = backwardDiff(input(JOB_A, backward(), [suspect('OLD')]), input(JOB_B, backward(), [], WEEK_B))
    expect(diff.gone[0]).toMatchObject({ name: 'OLD', b: null, rate_delta: null, lift_delta: null, changes: [] })
  })

  describe('when a run was written before q-values', () => {
    const oldSuspect = (name: string, rank: number | null): Suspect => suspect(name, { rank, q_value: null, significant: false })
    const a = input(JOB_A, backward({ suspect_summary: summary({ fdr: null, significant: 0, independent: 0, explained: 0 }) }), [oldSuspect('M1', 1), oldSuspect('M2', 2), oldSuspect('M4', null)])
    a.app_version = '1.0.0'
    const b = input(JOB_B, backward(), [suspect('M1', { rank: 1 }), suspect('M4', { rank: 2, significant: false, q_value: 0.3 })], WEEK_B)
    const diff = backwardDiff(a, b)

    it('compares the ranked suspects and names the run without q-values', () => {
      expect(diff.basis).toBe('ranked')
      expect(diff.without_q_values).toEqual(['a'])
      expect(diff.compared).toEqual({ a: 2, b: 2 })
      expect(diff.new.map((s) => s.name)).toEqual(['M4'])
      expect(diff.gone.map((s) => s.name)).toEqual(['M2'])
      expect(diff.changed.map((s) => s.name)).toEqual(['M1'])
    })

    it('shows A without q or significance, and B as it is', () => {
      expect(diff.changed[0]!.a).toMatchObject({ status: 'ranked', q_value: null })
      expect(diff.changed[0]!.b).toMatchObject({ status: 'independent', q_value: 0.001 })
      expect(diff.new[0]!.a).toMatchObject({ status: 'not_ranked' })
      expect(diff.new[0]!.b).toMatchObject({ status: 'not_significant' })
    })

    it('has no significant-suspect counts for A rather than zeros', () => {
      const significant = diff.kpi.find((k) => k.key === 'suspects_significant')
      expect(significant).toEqual({ key: 'suspects_significant', unit: 'count', a: null, b: 3, delta: null })
    })
  })

  it('warns when A is not the older run, the loss reasons or the sources differ, or the FDRs differ', () => {
    const a = input(JOB_A, backward({ loss_reasons: ['201_OPEN'] }), [], WEEK_B)
    const b = input(JOB_B, backward({ suspect_summary: summary({ fdr: 0.1 }) }), [], WEEK_A)
    b.source = 'sqlite:/other.sqlite'
    expect(diffMsdRuns(a, b).warnings).toEqual([
      { code: 'loss_reasons', a: ['201_OPEN'], b: [] },
      { code: 'source', a: 'sqlite:/data/plant.sqlite', b: 'sqlite:/other.sqlite' },
      { code: 'order', a: '2026-10-31', b: '2026-10-24' },
      { code: 'fdr', a: 0.05, b: 0.1 },
    ])
  })

  it('compares two forward runs by their KPI and later stations', () => {
    const station = (name: string, order: number, rate: number, lift: number | null) => ({
      name, order, input_qty: 10_000, defect_qty: rate * 100, defect_rate: rate, lot_count: 5, cumulative_pct: 0, baseline_rate: 0.5, lift, top_loss_reason: 'CRACK',
    })
    const forward = (stations: ReturnType<typeof station>[], amplification: number | null): ForwardAggregation => ({
      direction: 'forward', station: '成型', loss_reasons: [], available_loss_reasons: [], genealogy_status: 'ready', daily_trend: [], detail_total_count: 0, warnings: [],
      kpi: { detection_lot_count: 100, defect_lot_count: 10, detection_defect_qty: 50, detection_defect_rate: 0.5, tracked_lot_count: 30, downstream_stations_reached: stations.length, downstream_total_reject: 40, downstream_reject_rate: 1.2, baseline_downstream_reject_rate: 0.6, amplification },
      charts: { by_downstream_station: stations, by_downstream_machine: [], by_downstream_loss_reason: [], by_detection_machine: [] },
      attribution: [],
    })
    const diff = diffMsdRuns(
      input(JOB_A, forward([station('測試', 9, 1, 2), station('切割', 6, 2, 4)], 2.4), []),
      input(JOB_B, forward([station('切割', 6, 1.5, 3), station('包裝', 10, 0.2, null)], null), [], WEEK_B),
    ) as ForwardMsdDiff
    expect(diff.direction).toBe('forward')
    expect(diff.stations.map((s) => [s.name, s.a?.defect_rate ?? null, s.b?.defect_rate ?? null, s.rate_delta, s.lift_delta])).toEqual([
      ['切割', 2, 1.5, -0.5, -1],
      ['測試', 1, null, null, null],
      ['包裝', null, 0.2, null, null],
    ])
    expect(diff.kpi.map((k) => k.key)).toEqual([...FORWARD_DIFF_KPIS])
    expect(diff.kpi.find((k) => k.key === 'detection_defect_rate')).toMatchObject({ unit: 'percent', delta: 0 })
    expect(diff.kpi.find((k) => k.key === 'amplification')).toEqual({ key: 'amplification', unit: 'ratio', a: 2.4, b: null, delta: null })
    expect(diff.kpi.find((k) => k.key === 'downstream_stations_reached')).toMatchObject({ a: 2, b: 2, delta: 0 })
  })
})

describe('suspectOfRow', () => {
  it('reads back a stored row as the suspect it was written from', () => {
    const s = suspect('GWBE-0029', { explained_by: { factor_type: 'material', name: 'CAP-1 (L1)', station: '焊接_WB' }, onset: '2026-10-20', onset_p_value: 0.001, rate_before_onset: 5, rate_after_onset: 70, conditional_p_value: 0.4 })
    expect(suspectOfRow(suspectRow(s))).toEqual(s)
  })

  it('reads a version-1 row (16 columns) without the new fields as not recorded', () => {
    const row = { rank: '', factor_type: 'wafer_root', name: 'W1', station: null, lots: 3, defective_lots: 1, input_qty: 10, defect_qty: 1, defect_rate: 10, baseline_rate: 5, baseline_lots: 7, baseline_defective_lots: 1, lift: 2, p_value: 0.5, inconclusive: 'yes', no_contrast: 'no' }
    expect(suspectOfRow(row)).toMatchObject({ factor_type: 'wafer_root', name: 'W1', station: null, rank: null, inconclusive: true, no_contrast: false, q_value: null, significant: false, explained_by: null, onset: null })
  })

  it('skips a row that names no factor', () => {
    expect(suspectOfRow({ factor_type: 'oven', name: 'X' })).toBeNull()
    expect(suspectOfRow({ factor_type: 'machine', name: '' })).toBeNull()
  })
})
