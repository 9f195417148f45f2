/** The Pareto builder and rounding rules of the MSD aggregation (domain.md §5.8). */
import { describe, expect, it } from 'vitest'
import { buildPareto, PARETO_OTHER, ratePct, roundTo } from '../../../shared/msd.js'

describe('rounding', () => {
  it('rounds half away from zero at the given decimals', () => {
    expect(roundTo(0.125, 2)).toBe(0.13)
    expect(roundTo(1.00005, 4)).toBe(1.0001)
    expect(roundTo(-2.5, 0)).toBe(-3)
    expect(roundTo(33.333333, 4)).toBe(33.3333)
  })
  it('gives rates in percent with 4 decimals, 0 without input', () => {
    expect(ratePct(11, 220)).toBe(5)
    expect(ratePct(1, 3)).toBe(33.3333)
    expect(ratePct(5, 0)).toBe(0)
  })
})

describe('buildPareto', () => {
  it('is empty for no records', () => {
    expect(buildPareto([])).toEqual([])
  })

  it('groups, sorts by defects and adds the cumulative share', () => {
    const chart = buildPareto([
      { name: 'B', input_qty: 100, defect_qty: 5, lot_count: 1 },
      { name: 'A', input_qty: 100, defect_qty: 10, lot_count: 1 },
      { name: 'B', input_qty: 100, defect_qty: 5, lot_count: 1 },
    ])
    expect(chart).toEqual([
      { name: 'A', input_qty: 100, defect_qty: 10, defect_rate: 10, lot_count: 1, cumulative_pct: 50 },
      { name: 'B', input_qty: 200, defect_qty: 10, defect_rate: 5, lot_count: 2, cumulative_pct: 100 },
    ])
  })

  it('credits a comma-joined name to each part', () => {
    const chart = buildPareto([{ name: 'X, Y', input_qty: 100, defect_qty: 3, lot_count: 1 }])
    expect(chart.map((i) => [i.name, i.defect_qty, i.input_qty])).toEqual([['X', 3, 100], ['Y', 3, 100]])
  })

  it('keeps the top 10 and folds the rest into 其他', () => {
    // 12 machines with 12, 11, …, 1 defects on 100 each; the last two (2 + 1) fold into 其他.
    const records = Array.from({ length: 12 }, (_, i) => ({ name: `M${String(i).padStart(2, '0')}`, input_qty: 100, defect_qty: 12 - i, lot_count: 1 }))
    const chart = buildPareto(records)
    expect(chart).toHaveLength(11)
    expect(chart[10]).toEqual({ name: PARETO_OTHER, input_qty: 200, defect_qty: 3, defect_rate: 1.5, lot_count: 2, cumulative_pct: 100 })
    // 78 defects in all; the first bar holds 12 of them.
    expect(chart[0]!.cumulative_pct).toBe(15.38)
    expect(chart.map((i) => i.cumulative_pct)).toEqual([...chart.map((i) => i.cumulative_pct)].sort((a, b) => a - b))
  })

  it('leaves out an empty 其他 and can order by rate', () => {
    const records = Array.from({ length: 11 }, (_, i) => ({ name: `M${i}`, input_qty: i === 10 ? 0 : 100, defect_qty: i === 10 ? 0 : 10 - i }))
    expect(buildPareto(records).map((i) => i.name)).not.toContain(PARETO_OTHER)
    const byRate = buildPareto([
      { name: 'BIG', input_qty: 1000, defect_qty: 20 },
      { name: 'SHARP', input_qty: 10, defect_qty: 5 },
    ], { sortBy: 'rate' })
    expect(byRate.map((i) => [i.name, i.cumulative_pct])).toEqual([['SHARP', 20], ['BIG', 100]])
  })
})
