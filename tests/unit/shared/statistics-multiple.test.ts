/**
 * The tests behind naming a cause: false-discovery-rate q-values over every factor of a run, and
 * the Cochran–Mantel–Haenszel test that tells a factor that rides along with a stronger one from
 * one that stands alone. Checked against published values (Benjamini & Hochberg 1995, R's
 * `p.adjust` and `mantelhaen.test`, tables of erfc) and against their definitions by brute force.
 */
import { describe, expect, it } from 'vitest'
import {
  benjaminiHochberg,
  chiSquare1UpperTail,
  cochranMantelHaenszel,
  fisherExact,
  mulberry32,
  normalUpperTail,
  type TwoByTwo,
} from '../../../shared/statistics.js'
import { thrown } from '../../fixtures/thrown.js'

/** A small deterministic generator, so failures repeat. */
const rng = mulberry32

describe('benjaminiHochberg', () => {
  it('gives R\'s p.adjust(p, "BH") on the 15 p-values of Benjamini & Hochberg (1995)', () => {
    const p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1]
    const expected = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.063857142857, 0.063857142857, 0.0645, 0.0765, 0.486, 0.581181818182, 0.714875, 0.753230769231, 0.813214285714, 1]
    const q = benjaminiHochberg(p)
    q.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 11))
    // The paper's point: at FDR 0.05, BH rejects the first four.
    expect(q.filter((value) => value <= 0.05)).toHaveLength(4)
  })

  it('keeps the input order and ties, and caps at 1', () => {
    // R: p.adjust(c(0.04, 0.01, 0.04, 0.03, 0.9), "BH") = 0.05 0.05 0.05 0.05 0.90
    expect(benjaminiHochberg([0.04, 0.01, 0.04, 0.03, 0.9])).toEqual([0.05, 0.05, 0.05, 0.05, 0.9])
    expect(benjaminiHochberg([0.6, 0.7])).toEqual([0.7, 0.7])
    expect(benjaminiHochberg([])).toEqual([])
  })

  it('equals its definition, min over j ≥ i of n·p(j)/j, on random p-values with ties', () => {
    const random = rng(15)
    for (let round = 0; round < 50; round++) {
      const n = 1 + Math.floor(random() * 60)
      const p = Array.from({ length: n }, () => (random() < 0.2 ? 0.01 : random() ** 3))
      const sorted = [...p].sort((x, y) => x - y)
      const brute = p.map((value) => {
        // Any rank of this value gives the same minimum over the ranks at or after its first one.
        const first = sorted.indexOf(value)
        let best = 1
        for (let j = first; j < n; j++) best = Math.min(best, (n * sorted[j]!) / (j + 1))
        return best
      })
      expect(benjaminiHochberg(p)).toEqual(brute)
    }
  })

  it('refuses what is not a p-value, naming it', () => {
    expect(thrown(() => benjaminiHochberg([0.1, 1.5]))).toMatchObject({ code: 'input/invalid', details: { field: 'pValues[1]' } })
    expect(thrown(() => benjaminiHochberg([Number.NaN]))).toMatchObject({ code: 'input/invalid', details: { field: 'pValues[0]' } })
    expect(thrown(() => benjaminiHochberg('0.1' as never))).toMatchObject({ code: 'input/invalid', details: { field: 'pValues' } })
  })
})

describe('chi-square and normal tails', () => {
  it('match published values of erfc (Abramowitz & Stegun 7.1) to 1e-14 relative, far into the tail', () => {
    const erfc = (x: number): number => chiSquare1UpperTail(2 * x * x)
    const table: [number, number][] = [
      [0.3, 0.6713732405408726],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [5, 1.5374597944280349e-12],
      [10, 2.088487583762545e-45],
      [26, 5.663192408856143e-296],
    ]
    for (const [x, value] of table) expect(Math.abs(erfc(x) - value) / value).toBeLessThan(1e-14)
  })

  it('give the familiar critical values', () => {
    expect(chiSquare1UpperTail(3.841458820694124)).toBeCloseTo(0.05, 14)
    expect(chiSquare1UpperTail(6.634896601021214)).toBeCloseTo(0.01, 14)
    expect(normalUpperTail(1.959963984540054)).toBeCloseTo(0.025, 14)
    expect(normalUpperTail(-1.959963984540054)).toBeCloseTo(0.975, 14)
    expect(normalUpperTail(0)).toBe(0.5)
    expect(chiSquare1UpperTail(0)).toBe(1)
  })
})

/** Tables as R's mantelhaen.test reads a 2×2×K array: x[1,1] = a, x[1,2] = b, x[2,1] = c, x[2,2] = d. */
const RABBITS: TwoByTwo[] = [
  { a: 0, b: 6, c: 0, d: 5 },
  { a: 3, b: 3, c: 0, d: 6 },
  { a: 6, b: 0, c: 2, d: 4 },
  { a: 5, b: 1, c: 6, d: 0 },
  { a: 2, b: 0, c: 5, d: 0 },
]

describe('cochranMantelHaenszel', () => {
  it('gives R\'s mantelhaen.test on its Rabbits example: X-squared = 3.9286, p-value = 0.04747', () => {
    const result = cochranMantelHaenszel(RABBITS)
    expect(result.statistic).toBeCloseTo(3.928571428571, 10)
    expect(result.twoSided).toBeCloseTo(0.04747, 5)
    // alternative = "greater": the one-sided tail on the side of Δ > 0.
    expect(result.greater).toBeCloseTo(result.twoSided / 2, 14)
    // Strata 1 and 5 have an empty column: no information.
    expect(result.informativeStrata).toBe(3)
  })

  it('equals its definition on random strata, with and without the continuity correction', () => {
    const random = rng(1995)
    for (let round = 0; round < 200; round++) {
      const k = 1 + Math.floor(random() * 6)
      const strata = Array.from({ length: k }, () => ({
        a: Math.floor(random() * 30),
        b: Math.floor(random() * 30),
        c: Math.floor(random() * 30),
        d: Math.floor(random() * 30),
      }))
      for (const correct of [true, false]) {
        let delta = 0
        let variance = 0
        let num = 0
        let den = 0
        for (const { a, b, c, d } of strata) {
          const n = a + b + c + d
          if (n < 2) continue
          delta += a - ((a + b) * (a + c)) / n
          variance += ((a + b) * (c + d) * (a + c) * (b + d)) / (n * n * (n - 1))
          num += (a * d) / n
          den += (b * c) / n
        }
        const result = cochranMantelHaenszel(strata, { correct })
        expect(result.commonOddsRatio).toEqual(num / den)
        if (variance === 0) {
          expect(result.twoSided).toBe(1)
          continue
        }
        const stat = (Math.abs(delta) - (correct && Math.abs(delta) >= 0.5 ? 0.5 : 0)) ** 2 / variance
        expect(result.statistic).toBeCloseTo(stat, 9)
        expect(result.twoSided).toBeCloseTo(chiSquare1UpperTail(stat), 12)
      }
    }
  })

  it('takes away the signal of a factor that only rides along with a stronger one, and keeps the stronger one\'s', () => {
    // 2 000 lots. Machine M touches 400 lots and makes 30 % of them defective; the rest fail at 2 %.
    // Material lot R was consumed only by 200 of M's lots (its bad period) and does nothing itself.
    const mr = { n: 200, bad: 60 } // M and R
    const mOnly = { n: 200, bad: 60 } // M without R: as bad as with it
    const rest = { n: 1600, bad: 32 }
    // Marginally, R looks strong: 30 % against (60 + 32) / 1800.
    const marginalR = fisherExact({ a: mr.bad, b: mr.n - mr.bad, c: mOnly.bad + rest.bad, d: mOnly.n - mOnly.bad + rest.n - rest.bad })
    expect(marginalR.greater).toBeLessThan(1e-20)
    // Within M's lots and within the others, R adds nothing.
    const rGivenM = cochranMantelHaenszel([
      { a: mr.bad, b: mr.n - mr.bad, c: mOnly.bad, d: mOnly.n - mOnly.bad },
      { a: 0, b: 0, c: rest.bad, d: rest.n - rest.bad },
    ])
    expect(rGivenM.greater).toBeGreaterThan(0.4)
    // M, within R's lots and within the others, still stands out.
    const mGivenR = cochranMantelHaenszel([
      { a: mr.bad, b: mr.n - mr.bad, c: 0, d: 0 },
      { a: mOnly.bad, b: mOnly.n - mOnly.bad, c: rest.bad, d: rest.n - rest.bad },
    ])
    expect(mGivenR.greater).toBeLessThan(1e-20)
  })

  it('refuses a bad table, naming the stratum and the cell', () => {
    expect(thrown(() => cochranMantelHaenszel([{ a: 1, b: 2, c: 3, d: 4 }, { a: 1, b: -2, c: 3, d: 4 }]))).toMatchObject({
      code: 'input/invalid',
      details: { field: 'strata[1].b' },
    })
    expect(thrown(() => cochranMantelHaenszel(null as never))).toMatchObject({ code: 'input/invalid', details: { field: 'strata' } })
    expect(cochranMantelHaenszel([])).toMatchObject({ statistic: 0, twoSided: 1, greater: 1, informativeStrata: 0 })
  })
})
