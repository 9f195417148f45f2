/** Suspect statistics: the contrast of one factor and the ranking, on hand-computed tallies. */
import { describe, expect, it } from 'vitest'
import { rankSuspects, suspectOf, type FactorTally } from '../../../main/msd/index.js'

const factor = (over: Partial<FactorTally>): FactorTally => ({
  factor_type: 'machine', name: 'M1', station: '焊接_WB', lots: 3, defective_lots: 3, input_qty: 300, defect_qty: 30,
  population: { lots: 6, defective_lots: 3, input_qty: 600, defect_qty: 30 },
  ...over,
})

describe('suspectOf', () => {
  it('contrasts a factor with the rest of its population', () => {
    // Touched: 3 lots, all defective, 30/300 = 10 %. Rest: 3 lots, none defective, 0/300.
    // Fisher (greater): P(X ≥ 3) with margins 3 touched, 3 defective of 6 = 1 / C(6,3) = 0.05.
    const s = suspectOf(factor({}))
    expect(s).toMatchObject({
      defect_rate: 10, baseline_rate: 0, baseline_lots: 3, baseline_defective_lots: 0, lift: null, inconclusive: false, no_contrast: false,
    })
    expect(s.p_value).toBeCloseTo(0.05, 12)
  })

  it('computes lift from the rates and marks small groups inconclusive', () => {
    // Touched: 4 lots (2 defective) 20/400 = 5 %; rest: 4 lots (1 defective) 10/500 = 2 %; lift 2.5.
    // P(X ≥ 2) for 4 touched of 8 with 3 defective: [C(3,2)C(5,2) + C(3,3)C(5,1)] / C(8,4) = (30 + 5) / 70 = 0.5.
    const s = suspectOf(factor({ lots: 4, defective_lots: 2, input_qty: 400, defect_qty: 20, population: { lots: 8, defective_lots: 3, input_qty: 900, defect_qty: 30 } }))
    expect([s.defect_rate, s.baseline_rate, s.lift, s.inconclusive]).toEqual([5, 2, 2.5, false])
    expect(s.p_value).toBeCloseTo(0.5, 12)
    const few = suspectOf(factor({ lots: 2, defective_lots: 2, input_qty: 200, defect_qty: 20, population: { lots: 8, defective_lots: 3, input_qty: 900, defect_qty: 30 } }))
    expect(few.inconclusive).toBe(true)
    const fewRest = suspectOf(factor({ lots: 6, defective_lots: 3, input_qty: 600, defect_qty: 30, population: { lots: 8, defective_lots: 3, input_qty: 900, defect_qty: 30 } }))
    expect([fewRest.baseline_lots, fewRest.inconclusive]).toEqual([2, true])
  })

  it('reports a factor every lot shared without a baseline or p-value', () => {
    const s = suspectOf(factor({ lots: 6, defective_lots: 3, input_qty: 600, defect_qty: 30 }))
    expect(s).toMatchObject({ no_contrast: true, inconclusive: true, baseline_rate: null, lift: null, p_value: null, baseline_lots: 0 })
  })

  it('gives lift 1 when neither side has defects', () => {
    const s = suspectOf(factor({ defective_lots: 0, defect_qty: 0, population: { lots: 6, defective_lots: 0, input_qty: 600, defect_qty: 0 } }))
    expect([s.lift, s.p_value]).toEqual([1, 1])
  })
})

describe('rankSuspects', () => {
  it('ranks conclusive factors by p-value then lift, and lists the rest after them unranked', () => {
    const strong = suspectOf(factor({ name: 'STRONG' }))
    const weak = suspectOf(factor({ name: 'WEAK', lots: 4, defective_lots: 2, input_qty: 400, defect_qty: 20, population: { lots: 8, defective_lots: 3, input_qty: 900, defect_qty: 30 } }))
    const few = suspectOf(factor({ name: 'FEW', lots: 2, defective_lots: 2, input_qty: 200, defect_qty: 40, population: { lots: 8, defective_lots: 3, input_qty: 900, defect_qty: 50 } }))
    const shared = suspectOf(factor({ name: 'SHARED', lots: 6, defective_lots: 3, input_qty: 600, defect_qty: 30 }))
    // Same p-value as STRONG, higher volume but lower lift: ranked after it.
    const sameP = suspectOf(factor({ name: 'SAMEP', factor_type: 'material', input_qty: 3000, defect_qty: 90, population: { lots: 6, defective_lots: 3, input_qty: 3300, defect_qty: 93 } }))
    const ranked = rankSuspects([few, weak, shared, sameP, strong])
    expect(ranked.map((s) => [s.name, s.rank])).toEqual([
      ['STRONG', 1], ['SAMEP', 2], ['WEAK', 3], ['SHARED', null], ['FEW', null],
    ])
  })
})
