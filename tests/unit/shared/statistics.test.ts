import { describe, expect, it } from 'vitest'
import { fisherExact, hypergeometricLogPmf, type FisherResult, type TwoByTwo } from '../../../shared/statistics.js'

/** C(n, k) exactly. */
function binom(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n
  const kk = Math.min(k, n - k)
  let r = 1n
  for (let i = 0; i < kk; i++) r = (r * BigInt(n - i)) / BigInt(i + 1)
  return r
}

/** num/den as the nearest double (64 quotient bits, then scaled; fine down to subnormals). */
function ratio(num: bigint, den: bigint): number {
  if (num === 0n) return 0
  const shift = den.toString(2).length - num.toString(2).length + 64
  const q = shift >= 0 ? (num << BigInt(shift)) / den : num / (den << BigInt(-shift))
  const half = Math.floor(shift / 2)
  return Number(q) * 2 ** -half * 2 ** -(shift - half)
}

/**
 * The test by definition, in exact integer arithmetic: weights C(a+b, x)·C(c+d, a+c−x) over the
 * whole support, tails and the R/SciPy two-sided rule (weight ≤ observed × (1 + 1e-7)) on BigInts.
 */
function exactFisher({ a, b, c, d }: TwoByTwo): Omit<FisherResult, 'oddsRatio'> & { pmf: number } {
  const r1 = a + b
  const r2 = c + d
  const c1 = a + c
  const lo = Math.max(0, c1 - r2)
  const hi = Math.min(r1, c1)
  const weights: bigint[] = []
  let w = binom(r1, lo) * binom(r2, c1 - lo)
  for (let x = lo; x <= hi; x++) {
    weights.push(w)
    // Exact: C(r1, x+1)·C(r2, c1−x−1) · (x+1)(r2−c1+x+1) = C(r1, x)·C(r2, c1−x) · (r1−x)(c1−x).
    if (x < hi) w = (w * BigInt((r1 - x) * (c1 - x))) / BigInt((x + 1) * (r2 - c1 + x + 1))
  }
  const total = binom(r1 + r2, c1)
  const sum = (keep: (x: number, w: bigint) => boolean): bigint =>
    weights.reduce((s, wx, i) => (keep(lo + i, wx) ? s + wx : s), 0n)
  expect(sum(() => true)).toBe(total) // Vandermonde: the weights really are the distribution.
  const wa = weights[a - lo] ?? 0n
  return {
    greater: ratio(sum((x) => x >= a), total),
    less: ratio(sum((x) => x <= a), total),
    twoSided: ratio(sum((_x, wx) => wx * 10_000_000n <= wa * 10_000_001n), total),
    pmf: ratio(wa, total),
  }
}

/** |actual − expected| ≤ 1e-9·|expected| (plus 1e-300 so underflowed tails compare). */
function expectClose(actual: number, expected: number, label: string, rel = 1e-9): void {
  const ok = Math.abs(actual - expected) <= rel * Math.abs(expected) + 1e-300
  expect(ok, `${label}: got ${actual}, expected ${expected}`).toBe(true)
}

function expectMatchesExact(table: TwoByTwo): void {
  const got = fisherExact(table)
  const want = exactFisher(table)
  const name = JSON.stringify(table)
  expectClose(got.greater, want.greater, `${name} greater`)
  expectClose(got.less, want.less, `${name} less`)
  expectClose(got.twoSided, want.twoSided, `${name} twoSided`)
  const logPmf = hypergeometricLogPmf(table.a, table.a + table.b, table.c + table.d, table.a + table.c)
  expectClose(Math.exp(logPmf), want.pmf, `${name} pmf`)
}

/** Deterministic pseudo-random integers (LCG), so failures reproduce. */
function lcg(seed: number): (below: number) => number {
  let s = seed >>> 0
  return (below) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return Math.floor((s / 2 ** 32) * below)
  }
}

describe('fisherExact: published values', () => {
  it("matches Fisher's tea-tasting table", () => {
    // [[3,1],[1,3]]: weights C(4,x)·C(4,4−x) = 1, 16, 36, 16, 1 over 70.
    const r = fisherExact({ a: 3, b: 1, c: 1, d: 3 })
    expectClose(r.twoSided, 34 / 70, 'twoSided') // 0.4857142857: x = 0, 1, 3, 4
    expectClose(r.greater, 17 / 70, 'greater') // 0.2428571429: x = 3, 4
    expectClose(r.less, 69 / 70, 'less')
    expect(r.oddsRatio).toBe(9)
  })

  it("matches SciPy's documented example", () => {
    // scipy.stats.fisher_exact([[8, 2], [1, 5]]) → pvalue 0.0349650349650349 = 5/143.
    const r = fisherExact({ a: 8, b: 2, c: 1, d: 5 })
    expectClose(r.twoSided, 5 / 143, 'twoSided')
    expectClose(r.twoSided, 0.03496503496503495, 'twoSided literal')
    expectClose(r.greater, 0.024475524475524476, 'greater') // 35/1430
    expect(r.oddsRatio).toBe(20)
  })

  it("matches R's documented Convictions example (alternative = 'less')", () => {
    // ?fisher.test: Convictions <- matrix(c(2, 10, 15, 3), nrow = 2) → p-value = 0.0004652.
    const r = fisherExact({ a: 2, b: 15, c: 10, d: 3 })
    expect(r.less).toBeCloseTo(0.0004652, 7)
    expectClose(r.less, 0.00046518094336290503, 'less') // exact rational, via Python fractions
  })

  it('gets tables small enough to check by hand', () => {
    // [[1,0],[0,1]]: X ∈ {0, 1}, each 1/2; the observed X = 1 is as likely as X = 0.
    const one = fisherExact({ a: 1, b: 0, c: 0, d: 1 })
    expectClose(one.greater, 1 / 2, 'greater')
    expect([one.less, one.twoSided, one.oddsRatio]).toEqual([1, 1, Infinity])
    // [[2,0],[0,2]]: P(X = 0, 1, 2) = 1/6, 4/6, 1/6 → greater 1/6, two-sided 2/6.
    const r = fisherExact({ a: 2, b: 0, c: 0, d: 2 })
    expectClose(r.greater, 1 / 6, 'greater')
    expectClose(r.less, 1, 'less')
    expectClose(r.twoSided, 1 / 3, 'twoSided')
    // [[0,3],[3,0]]: P(X = 0..3) = 1, 9, 9, 1 over 20 → less 1/20, two-sided 2/20.
    const s = fisherExact({ a: 0, b: 3, c: 3, d: 0 })
    expectClose(s.less, 1 / 20, 'less')
    expectClose(s.greater, 1, 'greater')
    expectClose(s.twoSided, 1 / 10, 'twoSided')
    expect(s.oddsRatio).toBe(0)
  })
})

describe('fisherExact: against exact BigInt arithmetic', () => {
  it('matches every table with counts 0..5', () => {
    for (let a = 0; a <= 5; a++)
      for (let b = 0; b <= 5; b++)
        for (let c = 0; c <= 5; c++) for (let d = 0; d <= 5; d++) expectMatchesExact({ a, b, c, d })
  })

  it('matches asymmetric, zero-cell and extreme tables in the thousands', () => {
    const tables: TwoByTwo[] = [
      { a: 50, b: 10, c: 200, d: 4000 },
      { a: 0, b: 1000, c: 500, d: 1500 },
      { a: 1000, b: 0, c: 0, d: 3 },
      { a: 400, b: 0, c: 0, d: 400 }, // p ≈ 1e-239, far beyond the mode's reach
      { a: 0, b: 400, c: 400, d: 0 },
      { a: 1, b: 2999, c: 0, d: 2000 },
      { a: 3, b: 997, c: 97, d: 3903 }, // a little under the expected count
      { a: 17, b: 483, c: 83, d: 4417 }, // at the mode
      { a: 2500, b: 2500, c: 2500, d: 2500 },
      { a: 2501, b: 2499, c: 2499, d: 2501 },
      { a: 7, b: 0, c: 1900, d: 3100 },
      { a: 0, b: 7, c: 1900, d: 3100 },
      { a: 5, b: 2, c: 0, d: 6000 },
    ]
    for (const t of tables) expectMatchesExact(t)
  })

  it('matches random tables with totals in the thousands', () => {
    const next = lcg(20240601)
    for (let i = 0; i < 60; i++) {
      // A rare-defect population, a factor of varying reach and a varying defect lift.
      const factor = 1 + next(1500)
      const rest = 1 + next(4000)
      const rate = 0.002 + next(300) / 1000
      const a = Math.min(factor, Math.round(factor * rate * (0.5 + next(300) / 100)))
      const c = Math.min(rest, Math.round(rest * rate))
      expectMatchesExact({ a, b: factor - a, c, d: rest - c })
    }
  })

  it('does not depend on which way round the table is written', () => {
    const t = { a: 12, b: 88, c: 40, d: 900 }
    const r = fisherExact(t)
    expect(fisherExact({ a: t.a, b: t.c, c: t.b, d: t.d })).toEqual(r) // transposed
    const flipped = fisherExact({ a: t.d, b: t.c, c: t.b, d: t.a }) // both factors relabelled
    expectClose(flipped.greater, r.greater, 'greater')
    expectClose(flipped.twoSided, r.twoSided, 'twoSided')
  })
})

describe('fisherExact: edge cases and input', () => {
  it('gives p = 1 when a margin is empty', () => {
    for (const t of [
      { a: 0, b: 0, c: 5, d: 7 }, // no lot touched the factor
      { a: 4, b: 6, c: 0, d: 0 }, // every lot touched it
      { a: 0, b: 6, c: 0, d: 9 }, // no defects at all
      { a: 3, b: 0, c: 4, d: 0 }, // every lot defective
    ]) {
      const r = fisherExact(t)
      expect([r.greater, r.less, r.twoSided]).toEqual([1, 1, 1])
    }
    expect(fisherExact({ a: 0, b: 0, c: 0, d: 0 })).toEqual({ greater: 1, less: 1, twoSided: 1, oddsRatio: NaN })
  })

  it('computes the sample odds ratio', () => {
    expect(fisherExact({ a: 2, b: 3, c: 4, d: 5 }).oddsRatio).toBeCloseTo(10 / 12, 15)
    expect(fisherExact({ a: 2, b: 0, c: 1, d: 3 }).oddsRatio).toBe(Infinity)
    expect(fisherExact({ a: 0, b: 2, c: 1, d: 3 }).oddsRatio).toBe(0)
    expect(fisherExact({ a: 0, b: 2, c: 0, d: 3 }).oddsRatio).toBeNaN()
  })

  it('refuses counts that are not non-negative safe integers, naming the field', () => {
    const bad: [Partial<Record<keyof TwoByTwo, unknown>>, string][] = [
      [{ a: -1 }, 'table.a'],
      [{ b: 1.5 }, 'table.b'],
      [{ c: Number.NaN }, 'table.c'],
      [{ d: Infinity }, 'table.d'],
      [{ a: 2 ** 53 }, 'table.a'],
      [{ b: '3' }, 'table.b'],
    ]
    for (const [patch, field] of bad) {
      const table = { a: 1, b: 2, c: 3, d: 4, ...patch } as TwoByTwo
      let thrown: unknown
      try {
        fisherExact(table)
      } catch (e) {
        thrown = e
      }
      expect(thrown, field).toMatchObject({ code: 'input/invalid', details: { field } })
      expect((thrown as Error).message.startsWith(`${field}: `)).toBe(true)
    }
    expect(() => fisherExact({ a: 2 ** 52, b: 2 ** 52, c: 0, d: 0 })).toThrow(/^table: /)
    expect(() => hypergeometricLogPmf(1, 2, 3, 6)).toThrow(/^draws: /)
    expect(() => hypergeometricLogPmf(-1, 2, 3, 4)).toThrow(/^x: /)
  })
})

describe('fisherExact: plant-sized tables (150 000 lots)', () => {
  /** ln n! by compensated summation of Math.log, independent of the module's saddle-point form. */
  const logFactorials = (() => {
    const out = new Float64Array(150_001)
    let sum = 0
    let carry = 0
    for (let i = 2; i < out.length; i++) {
      const y = Math.log(i) - carry
      const t = sum + y
      carry = t - sum - y
      sum = t
      out[i] = sum
    }
    return out
  })()
  const lf = (n: number): number => logFactorials[n] ?? Number.NaN
  const pmfByLogFactorials = ({ a, b, c, d }: TwoByTwo): number =>
    Math.exp(lf(a + b) + lf(c + d) + lf(a + c) + lf(b + d) - lf(a + b + c + d) - lf(a) - lf(b) - lf(c) - lf(d))

  it('returns consistent probabilities in [0, 1]', () => {
    const next = lcg(7)
    for (let i = 0; i < 200; i++) {
      const factor = 1 + next(20_000)
      const a = next(Math.min(factor, 5000) + 1)
      const t = { a, b: factor - a, c: 5000 - a, d: 150_000 - factor - (5000 - a) }
      const r = fisherExact(t)
      for (const p of [r.greater, r.less, r.twoSided]) expect(p >= 0 && p <= 1, JSON.stringify(t)).toBe(true)
      // The two one-sided tails overlap in exactly P(X = a); ln n! near 1.6e6 limits this check to ~1e-8.
      const pa = pmfByLogFactorials(t)
      expect(Math.abs(r.greater + r.less - pa - 1), JSON.stringify(t)).toBeLessThan(1e-8)
      expect(r.twoSided).toBeGreaterThanOrEqual(Math.min(r.greater, r.less) * (1 - 1e-12))
    }
  })

  it('matches exact values computed with Python big-integer fractions', () => {
    // sum(comb(a+b, x) * comb(c+d, a+c-x) …) / comb(n, a+c) with fractions.Fraction, then float().
    const cases: [TwoByTwo, Partial<FisherResult> & { pmf?: number }][] = [
      [{ a: 120, b: 880, c: 4880, d: 144_120 }, { greater: 3.2892602904576324e-33, twoSided: 3.2892602904576324e-33, pmf: 2.4817442121637806e-33 }],
      [{ a: 33, b: 967, c: 4967, d: 144_033 }, { greater: 0.5479708877322838, less: 0.5225835117529698, twoSided: 1, pmf: 0.0705543994852535 }],
      [{ a: 0, b: 2000, c: 5000, d: 143_000 }, { greater: 1, less: 2.2495097473749324e-30, twoSided: 5.4987746132098525e-30 }],
    ]
    for (const [t, want] of cases) {
      const r = fisherExact(t)
      for (const key of ['greater', 'less', 'twoSided'] as const) {
        const w = want[key]
        if (w !== undefined) expectClose(r[key], w, `${JSON.stringify(t)} ${key}`)
      }
      if (want.pmf !== undefined) {
        expectClose(Math.exp(hypergeometricLogPmf(t.a, t.a + t.b, t.c + t.d, t.a + t.c)), want.pmf, 'pmf')
      }
    }
  })

  it('underflows to 0, not NaN, for overwhelming evidence', () => {
    const r = fisherExact({ a: 900, b: 100, c: 4100, d: 144_900 })
    expect(r).toMatchObject({ greater: 0, less: 1, twoSided: 0 })
  })
})
