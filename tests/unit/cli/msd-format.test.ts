import { describe, expect, it } from 'vitest'
import { formatAggregation } from '../../../main/cli/msd-format.js'
import type { BackwardAggregation, Suspect, SuspectSummary } from '../../../shared/msd.js'
import { bonderSuspect as suspect } from '../../fixtures/suspect-fixture.js'

const BONDER = suspect({})
const CAPILLARY = suspect({
  factor_type: 'material',
  name: 'CAP-WB38 (CAP261009-GWBE-0029)',
  lots: 60,
  defective_lots: 59,
  defect_rate: 2.726,
  baseline_rate: 0.813,
  lift: 3.35,
  p_value: 4e-15,
  rank: 2,
  q_value: 1.1e-12,
  explained_by: { factor_type: 'machine', name: 'GWBE-0029', station: '焊接_WB' },
  conditional_p_value: 0.41,
  onset: null,
  onset_p_value: null,
  rate_before_onset: null,
  rate_after_onset: null,
})
const WEAK = suspect({ factor_type: 'material', name: 'EMC-G600-A (SMB261020-11)', station: '成型', rank: 3, p_value: 0.004, q_value: 0.21, significant: false, conditional_p_value: null, onset: null })
const ROOT = suspect({ factor_type: 'wafer_root', name: '56098S24Y-8F03R', station: null, rank: null, significant: false, inconclusive: true, explained_by: null })

const SUMMARY: SuspectSummary = { machines: 300, materials: 250, wafer_roots: 61, ranked: 3, not_elevated: 300, inconclusive: 51, no_contrast: 1, total: 611, significant: 2, independent: 1, explained: 1, fdr: 0.05 }

function backward(suspects: Suspect[], summary: SuspectSummary): BackwardAggregation {
  return {
    direction: 'backward',
    station: '測試',
    loss_reasons: [],
    available_loss_reasons: ['201_OPEN'],
    genealogy_status: 'ready',
    daily_trend: [],
    detail_total_count: 20,
    warnings: [],
    kpi: { total_input: 1000, lot_count: 10, defective_lot_count: 4, total_defect_qty: 8, total_defect_rate: 0.8, top_loss_reason: '201_OPEN', affected_machine_count: 2 },
    charts: { by_machine: [], by_detection_machine: [], by_material: [], by_wafer_root: [], by_loss_reason: [] },
    attribution: [],
    suspects,
    suspect_summary: summary,
    suspect_timelines: [],
  }
}

describe('formatAggregation of a backward result', () => {
  it('says how many suspects are significant, independent and explained', () => {
    const text = formatAggregation(backward([BONDER, CAPILLARY, WEAK, ROOT], SUMMARY))
    expect(text).toContain(
      'Suspects      2 significant of 610 factors tested (FDR q ≤ 5%): 1 independent, 1 explained by another\n' +
        '              3 ranked of 611 factors (300 no worse than their baseline, 51 inconclusive, 1 shared by every lot)\n',
    )
  })

  it('prints q, the verdict and the onset under each top suspect, in list order, ranked ones only', () => {
    const text = formatAggregation(backward([BONDER, CAPILLARY, WEAK, ROOT], SUMMARY))
    expect(text).toContain(
      '    1. machine    GWBE-0029 @ 焊接_WB\n' +
        '       655/801 lots defective, rate 2.320% vs 0.660% (lift ×3.52), p 8.2e-67, q 2.9e-63\n' +
        '       independent; onset 2026-09-17 (defective lots 45.86% → 92.26%)\n' +
        '    2. material   CAP-WB38 (CAP261009-GWBE-0029) @ 焊接_WB\n' +
        '       59/60 lots defective, rate 2.726% vs 0.813% (lift ×3.35), p 4.0e-15, q 1.1e-12\n' +
        '       explained by machine GWBE-0029 @ 焊接_WB (conditional p 0.410)\n' +
        '    3. material   EMC-G600-A (SMB261020-11) @ 成型\n' +
        '       655/801 lots defective, rate 2.320% vs 0.660% (lift ×3.52), p 0.004, q 0.210\n' +
        '       not significant (q above 5%)\n',
    )
    expect(text).not.toContain('56098S24Y-8F03R')
  })

  it('says how many ranked suspects are not shown', () => {
    const many = Array.from({ length: 12 }, (_, i) => suspect({ name: `GWBE-${String(i).padStart(4, '0')}`, rank: i + 1 }))
    const text = formatAggregation(backward(many, { ...SUMMARY, ranked: 40 }))
    expect(text).toContain('   10. machine    GWBE-0009 @ 焊接_WB')
    expect(text).not.toContain('GWBE-0010')
    expect(text).toContain('       … 30 more ranked (mes-trace show JOB --suspects, or export JOB --suspects)')
  })

  it('says an older result predates significance testing, with neither q nor verdicts', () => {
    const old = (s: Suspect): Suspect => ({ ...s, q_value: null, significant: false, explained_by: null, conditional_p_value: null, onset: null, rate_before_onset: null, rate_after_onset: null })
    const text = formatAggregation(backward([old(BONDER), old(CAPILLARY)], { ...SUMMARY, ranked: 2, significant: 0, independent: 0, explained: 0, fdr: null }))
    expect(text).toContain(
      'Suspects      2 ranked of 611 factors (300 no worse than their baseline, 51 inconclusive, 1 shared by every lot)\n' +
        '              this result predates significance testing (no q-values, explained-by or onsets): run it again for them\n',
    )
    expect(text).not.toContain('significant of')
    expect(text).toContain('       655/801 lots defective, rate 2.320% vs 0.660% (lift ×3.52), p 8.2e-67\n    2. material')
    expect(text).not.toMatch(/independent|explained by|q 0|q -/)
  })
})
