/**
 * When a factor started to fail (the change point of a proportion) and the p-chart of the daily
 * trend. The change point's statistic is checked against the G statistic of its before/after
 * table written out by its textbook formula, its permutation p-value against exact enumeration of
 * every relabelling on small sequences, and the p-chart against Montgomery's example.
 */
import { describe, expect, it } from 'vitest'
import { fnv1a, pChart, proportionChangePoint, type CountGroup } from '../../../shared/statistics.js'
import { thrown } from '../../fixtures/thrown.js'

/** G = 2[Σ cell ln cell + N ln N − Σ margin ln margin] for a 2×2 table (Sokal & Rohlf). */
function gStatistic(a: number, b: number, c: number, d: number): number {
  const xlx = (x: number): number => (x > 0 ? x * Math.log(x) : 0)
  const n = a + b + c + d
  return 2 * (xlx(a) + xlx(b) + xlx(c) + xlx(d) + xlx(n) - xlx(a + b) - xlx(c + d) - xlx(a + c) - xlx(b + d))
}

/** Groups of single trials from a 0/1 sequence. */
const singles = (bits: string): CountGroup[] => [...bits].map((b) => ({ n: 1, x: b === '1' ? 1 : 0 }))

/** The best increasing split's statistic by brute force over the splits (for the exact test). */
function bestStatistic(xs: readonly number[], sizes: readonly number[], minSize: number): number {
  const n = sizes.reduce((s, v) => s + v, 0)
  const x = xs.reduce((s, v) => s + v, 0)
  let best = 0
  for (let k = 1; k < xs.length; k++) {
    const n1 = sizes.slice(0, k).reduce((s, v) => s + v, 0)
    const x1 = xs.slice(0, k).reduce((s, v) => s + v, 0)
    const n2 = n - n1
    const x2 = x - x1
    if (n1 < minSize || n2 < minSize || x2 / n2 <= x1 / n1) continue
    best = Math.max(best, gStatistic(x1, n1 - x1, x2, n2 - x2) / 2)
  }
  return best
}

/** Every way to choose which `k` of `n` trials failed. */
function* subsets(n: number, k: number, start = 0, chosen: number[] = []): Generator<number[]> {
  if (chosen.length === k) {
    yield chosen
    return
  }
  for (let i = start; i <= n - (k - chosen.length); i++) yield* subsets(n, k, i + 1, [...chosen, i])
}

/** Exact permutation p-value: the share of all relabellings at least as extreme. */
function exactP(groups: readonly CountGroup[], minSize: number): number {
  const sizes = groups.map((g) => g.n)
  const n = sizes.reduce((s, v) => s + v, 0)
  const k = groups.reduce((s, g) => s + g.x, 0)
  const groupOf = sizes.flatMap((size, i) => new Array<number>(size).fill(i))
  const observed = bestStatistic(groups.map((g) => g.x), sizes, minSize)
  let extreme = 0
  let total = 0
  for (const failed of subsets(n, k)) {
    const xs = new Array<number>(groups.length).fill(0)
    for (const t of failed) xs[groupOf[t]!]!++
    if (bestStatistic(xs, sizes, minSize) >= observed - 1e-9) extreme++
    total++
  }
  return extreme / total
}

describe('proportionChangePoint', () => {
  it('finds a step rise at its day, with the G statistic of the before/after table', () => {
    // 10 days of 10 lots: 1 failure a day for 6 days, then 7 a day.
    const groups = [...Array.from({ length: 6 }, () => ({ n: 10, x: 1 })), ...Array.from({ length: 4 }, () => ({ n: 10, x: 7 }))]
    const result = proportionChangePoint(groups)
    expect(result.index).toBe(6)
    expect(result.before).toEqual({ n: 60, x: 6 })
    expect(result.after).toEqual({ n: 40, x: 28 })
    // G of [[6, 54], [28, 12]] by its formula: the statistic is half of it.
    expect(result.statistic * 2).toBeCloseTo(gStatistic(6, 54, 28, 12), 10)
    // The smallest p-value 999 relabellings can give.
    expect(result.pValue!).toBe(0.001)
  })

  it('agrees with the textbook G of a 10/20 against 20/10 table (G = 6.796)', () => {
    // Before: 30 trials, 10 failed; after: 30 trials, 20 failed.
    const result = proportionChangePoint([{ n: 30, x: 10 }, { n: 30, x: 20 }], { minSize: 1 })
    expect(result.statistic * 2).toBeCloseTo(6.796, 3)
    expect(result.statistic * 2).toBeCloseTo(gStatistic(10, 20, 20, 10), 10)
  })

  it('matches the exact permutation p-value of every relabelling, within Monte Carlo error', () => {
    const cases: { groups: CountGroup[]; minSize: number }[] = [
      { groups: singles('0001001011'), minSize: 2 },
      { groups: singles('000000111011'), minSize: 3 },
      { groups: [{ n: 3, x: 0 }, { n: 2, x: 1 }, { n: 4, x: 1 }, { n: 3, x: 3 }], minSize: 3 },
      { groups: singles('0100010111'), minSize: 2 },
    ]
    for (const { groups, minSize } of cases) {
      const exact = exactP(groups, minSize)
      expect(exact).toBeGreaterThan(0)
      expect(exact).toBeLessThan(1)
      // All 40 000 relabellings (standard error ≤ 0.0025), then the sequential stop at 200 extreme ones.
      const full = proportionChangePoint(groups, { minSize, permutations: 40_000, seed: 7, stopAfterExtreme: Number.POSITIVE_INFINITY })
      expect(Math.abs(full.pValue! - exact)).toBeLessThan(0.01)
      const sequential = proportionChangePoint(groups, { minSize, permutations: 40_000, seed: 7, stopAfterExtreme: 200 })
      expect(Math.abs(sequential.pValue! - exact)).toBeLessThan(0.25 * exact)
    }
  })

  it('finds no significant onset in a factor that was always bad, nor in one that got better', () => {
    const bad = Array.from({ length: 20 }, (_, i) => ({ n: 5, x: i % 3 === 0 ? 5 : 4 }))
    expect(proportionChangePoint(bad).pValue!).toBeGreaterThan(0.05)
    const better = [...Array.from({ length: 5 }, () => ({ n: 10, x: 8 })), ...Array.from({ length: 5 }, () => ({ n: 10, x: 1 }))]
    expect(proportionChangePoint(better)).toMatchObject({ index: null, pValue: null, statistic: 0 })
  })

  it('needs minSize trials on each side and is the same for the same seed', () => {
    expect(proportionChangePoint([{ n: 2, x: 0 }, { n: 2, x: 2 }], { minSize: 3 }).index).toBeNull()
    const groups = singles('0010000100011101111')
    expect(proportionChangePoint(groups, { seed: 5 })).toEqual(proportionChangePoint(groups, { seed: 5 }))
  })

  it('refuses counts that are not counts, naming the field', () => {
    expect(thrown(() => proportionChangePoint([{ n: 3, x: 4 }]))).toMatchObject({ code: 'input/invalid', details: { field: 'groups[0].x' } })
    expect(thrown(() => proportionChangePoint([{ n: 1.5, x: 0 }]))).toMatchObject({ code: 'input/invalid', details: { field: 'groups[0].n' } })
  })
})

describe('pChart', () => {
  it("reproduces Montgomery's orange-juice can example: p̄ 0.2313, UCL 0.4102, LCL 0.0524 (n = 50)", () => {
    // Introduction to Statistical Quality Control, Example 7.1: 30 samples of 50 cans, 347 nonconforming.
    const counts = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]
    expect(counts.reduce((s, x) => s + x, 0)).toBe(347)
    const chart = pChart(counts.map((x) => ({ n: 50, x })))!
    expect(chart.center).toBeCloseTo(0.2313, 4)
    expect(chart.points[0]!.ucl).toBeCloseTo(0.4102, 4)
    expect(chart.points[0]!.lcl).toBeCloseTo(0.0524, 4)
    // Samples 15 (22/50 = 0.44) and 23 (24/50 = 0.48) are out of control, as in the book.
    expect(chart.points.flatMap((p, i) => (p.signal ? [[i + 1, p.signal]] : []))).toEqual([[15, 'above'], [23, 'above']])
  })

  it('takes each sample’s limits from its own size, clips them to [0, 1] and skips empty samples', () => {
    const chart = pChart([{ n: 100, x: 10 }, { n: 4, x: 0 }, { n: 0, x: 0 }, { n: 400, x: 30 }])!
    const center = 40 / 504
    expect(chart.center).toBeCloseTo(center, 12)
    expect(chart.points).toHaveLength(3)
    expect(chart.points[0]!.ucl).toBeCloseTo(center + 3 * Math.sqrt((center * (1 - center)) / 100), 12)
    expect(chart.points[1]!.lcl).toBe(0)
    expect(chart.points[2]!.ucl).toBeCloseTo(center + 3 * Math.sqrt((center * (1 - center)) / 400), 12)
    expect(pChart([{ n: 0, x: 0 }])).toBeNull()
  })
})

describe('fnv1a (the onset test\'s seed of a factor)', () => {
  it('gives the published FNV-1a 32-bit values', () => {
    // From the FNV reference test vectors (Fowler, Noll, Vo): "", "a", "foobar".
    expect(fnv1a('')).toBe(0x811c9dc5)
    expect(fnv1a('a')).toBe(0xe40c292c)
    expect(fnv1a('foobar')).toBe(0xbf9cf968)
  })

  it('starts from another basis when given one', () => {
    expect(fnv1a('', 7)).toBe(7)
    expect(fnv1a('a', 0x811c9dc5)).toBe(fnv1a('a'))
    expect(fnv1a('a', 1)).not.toBe(fnv1a('a'))
  })
})
