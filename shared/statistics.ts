/**
 * Fisher's exact test on 2×2 tables, for MSD suspect statistics: do the lots that touched a
 * factor (a machine, a material lot…) turn out defective more often than chance would give?
 *
 * It runs once per factor, thousands of times per analysis, on up to ~150 000 lots, so it never
 * enumerates the whole distribution. Probabilities come from Loader's saddle-point form of the
 * hypergeometric (what R's `dhyper` uses): accurate to ~1e-14 relative at any size, where
 * differences of huge log-factorials (log 150000! ≈ 1.6e6) would lose ~1e-9 and worse. Tails are
 * summed outward with the term-ratio recurrence, away from the mode: the distribution is unimodal,
 * so the terms only shrink, and the sum stops once they no longer move it. Cost is O(√n) at worst.
 */
import { invalidInput } from './errors.js'

/** A 2×2 table: a = factor & defective, b = factor & clean, c = no factor & defective, d = no factor & clean. */
export interface TwoByTwo {
  a: number
  b: number
  c: number
  d: number
}

/** What {@link fisherExact} returns. */
export interface FisherResult {
  /** P(X ≥ a): the factor's lots are defective more often than chance (one-sided, "greater"). */
  greater: number
  /** P(X ≤ a) (one-sided, "less"). */
  less: number
  /** Two-sided: sum of the probabilities of all tables with the same margins at most as likely as the observed one (R/SciPy convention, relative tolerance 1e-7). */
  twoSided: number
  /** Sample odds ratio ad/bc (Infinity when bc = 0 and ad > 0, NaN when both 0). */
  oddsRatio: number
}

/** "At most as likely as the observed table" allows this relative slack, as R's `fisher.test` does, so exact ties survive rounding. */
const TWO_SIDED_REL_TOL = 1e-7

/** A tail sum stops once a term adds less than this fraction of it (below double precision). */
const NEGLIGIBLE = 1e-17

/** ln(2π). */
const LN_2PI = 1.8378770664093456

/** stirlerr(n) for n = 0..15 (R's nmath table, to double precision; index 0 is never used). */
const STIRLERR_SMALL = [
  0, 0.08106146679532726, 0.0413406959554093, 0.02767792568499834, 0.020790672103765093, 0.016644691189821193,
  0.013876128823070748, 0.01189670994589177, 0.010411265261972096, 0.009255462182712733, 0.00833056343336287,
  0.007573675487951841, 0.00694284010720953, 0.006408994188004207, 0.0059513701127588475, 0.005554733551962801,
]

/** stirlerr(n) = ln(n!) − ln(√(2πn)·(n/e)ⁿ), the error of Stirling's formula, for integer n ≥ 1. */
function stirlerr(n: number): number {
  if (n <= 15) return STIRLERR_SMALL[n] ?? 0
  const nn = n * n
  const s0 = 1 / 12, s1 = 1 / 360, s2 = 1 / 1260, s3 = 1 / 1680, s4 = 1 / 1188
  if (n > 500) return (s0 - s1 / nn) / n
  if (n > 80) return (s0 - (s1 - s2 / nn) / nn) / n
  if (n > 35) return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n
  return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n
}

/** bd0(x, np) = x·ln(x/np) + np − x, by a series when x ≈ np, where the direct form cancels. */
function bd0(x: number, np: number): number {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    let v = (x - np) / (x + np)
    let s = (x - np) * v
    if (Math.abs(s) < Number.MIN_VALUE) return s
    let ej = 2 * x * v
    v *= v
    for (let j = 1; j < 1000; j++) {
      ej *= v
      const next = s + ej / (2 * j + 1)
      if (next === s) return next
      s = next
    }
    return s
  }
  return x * Math.log(x / np) + np - x
}

/** ln of the binomial probability of x successes in n trials (p + q = 1, both > 0; R's `dbinom_raw`). */
function logBinomialRaw(x: number, n: number, p: number, q: number): number {
  if (x === 0) return n === 0 ? 0 : p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log(q)
  if (x === n) return q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p)
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q)
  return lc - 0.5 * (LN_2PI + Math.log(x) + Math.log1p(-x / n))
}

/** {@link hypergeometricLogPmf} without argument checks, for the hot loops. */
function logPmf(x: number, marked: number, unmarked: number, draws: number): number {
  if (x < Math.max(0, draws - unmarked) || x > Math.min(marked, draws)) return -Infinity
  const total = marked + unmarked
  if (draws === 0 || draws === total) return 0
  // Binomials at p = draws/total sit near their centres, so none of the three logs is huge.
  const p = draws / total
  const q = (total - draws) / total
  return logBinomialRaw(x, marked, p, q) + logBinomialRaw(draws - x, unmarked, p, q) - logBinomialRaw(draws, total, p, q)
}

/** Throws `input/invalid` naming `field` unless `value` is a non-negative safe integer. */
function checkCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidInput(field, `must be a whole number ≥ 0, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`)
  }
  return value
}

/**
 * ln P(X = x) for a hypergeometric X: x marked items among `draws` drawn without replacement from
 * `marked` marked and `unmarked` unmarked ones (R's `dhyper(x, marked, unmarked, draws, log = TRUE)`).
 * For a {@link TwoByTwo}: `hypergeometricLogPmf(a, a + b, c + d, a + c)`. −Infinity outside the
 * support; accurate to ~1e-14 relative in the probability.
 */
export function hypergeometricLogPmf(x: number, marked: number, unmarked: number, draws: number): number {
  checkCount(x, 'x')
  checkCount(marked, 'marked')
  checkCount(unmarked, 'unmarked')
  checkCount(draws, 'draws')
  if (!Number.isSafeInteger(marked + unmarked) || draws > marked + unmarked) {
    throw invalidInput('draws', `must be at most marked + unmarked (${marked + unmarked}), got ${draws}`)
  }
  return logPmf(x, marked, unmarked, draws)
}

/** The distribution of the top-left cell given the margins: rows r1 (factor), r2; defective column c1. */
interface Margins {
  r1: number
  r2: number
  c1: number
  lo: number
  hi: number
}

/** P(X = x + 1) / P(X = x). */
function ratioUp(m: Margins, x: number): number {
  return ((m.r1 - x) * (m.c1 - x)) / ((x + 1) * (m.r2 - m.c1 + x + 1))
}

/** P(X = x − 1) / P(X = x). */
function ratioDown(m: Margins, x: number): number {
  return (x * (m.r2 - m.c1 + x)) / ((m.r1 - x + 1) * (m.c1 - x + 1))
}

/** ln P(X = x). */
function logPmfOf(m: Margins, x: number): number {
  return logPmf(x, m.r1, m.r2, m.c1)
}

/**
 * P(X ≤ from) (`step` −1) or P(X ≥ from) (`step` +1). `from` must be on the far side of the mode
 * (or at it), so every term is smaller than the one before and the sum stops when they vanish.
 */
function tail(m: Margins, from: number, step: 1 | -1): number {
  let term = 1
  let sum = 1
  for (let x = from; step > 0 ? x < m.hi : x > m.lo; x += step) {
    term *= step > 0 ? ratioUp(m, x) : ratioDown(m, x)
    sum += term
    if (term < NEGLIGIBLE * sum) break
  }
  return Math.exp(logPmfOf(m, from)) * sum
}

/** A most likely value of X: the textbook mode, nudged in case rounding of the product moved it. */
function modeOf(m: Margins): number {
  const guess = Math.floor(((m.r1 + 1) * (m.c1 + 1)) / (m.r1 + m.r2 + 2))
  let mode = Math.min(m.hi, Math.max(m.lo, guess))
  while (mode < m.hi && ratioUp(m, mode) > 1) mode++
  while (mode > m.lo && ratioDown(m, mode) > 1) mode--
  return mode
}

/**
 * Binary search over [from, to], where ln P rises with x (`rising`) or falls: the x nearest the
 * far end whose ln P is at most `limit`, or undefined when none is.
 */
function lastBelow(m: Margins, from: number, to: number, limit: number, rising: boolean): number | undefined {
  let lo = from
  let hi = to
  if (rising) {
    if (logPmfOf(m, lo) > limit) return undefined
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2)
      if (logPmfOf(m, mid) <= limit) lo = mid
      else hi = mid - 1
    }
    return lo
  }
  if (logPmfOf(m, hi) > limit) return undefined
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2)
    if (logPmfOf(m, mid) <= limit) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** Clamps a probability into [0, 1] (sums can stray by an ulp). */
function clamp01(p: number): number {
  return Math.min(1, Math.max(0, p))
}

/**
 * Fisher's exact test of a 2×2 table: conditional on the margins, X = a is hypergeometric, and
 * the p-values are its tails. All three are 1 when the margins allow only one table (an empty row
 * or column). Throws `input/invalid` naming the field (`table.a`…) unless every count is a
 * non-negative safe integer, and naming `table` when the total is not a safe integer.
 */
export function fisherExact(table: TwoByTwo): FisherResult {
  if (typeof table !== 'object' || table === null) throw invalidInput('table', 'must be an object with counts a, b, c, d')
  const a = checkCount(table.a, 'table.a')
  const b = checkCount(table.b, 'table.b')
  const c = checkCount(table.c, 'table.c')
  const d = checkCount(table.d, 'table.d')
  if (!Number.isSafeInteger(a + b + c + d)) throw invalidInput('table', `the counts must add up to at most ${Number.MAX_SAFE_INTEGER}`)

  const oddsRatio = (a * d) / (b * c) // IEEE gives Infinity for x/0 and NaN for 0/0.
  const r1 = a + b
  const r2 = c + d
  const c1 = a + c
  const m: Margins = { r1, r2, c1, lo: Math.max(0, c1 - r2), hi: Math.min(r1, c1) }
  if (m.lo === m.hi) return { greater: 1, less: 1, twoSided: 1, oddsRatio }

  const mode = modeOf(m)
  const logPa = logPmfOf(m, a)
  const pa = Math.exp(logPa)
  // The tail on the mode's side is large, so 1 − (other tail) loses nothing that matters.
  let less: number
  let greater: number
  if (a < mode) {
    less = tail(m, a, -1)
    greater = 1 - (less - pa)
  } else if (a > mode) {
    greater = tail(m, a, 1)
    less = 1 - (greater - pa)
  } else {
    less = tail(m, a, -1)
    greater = tail(m, a, 1)
  }

  // Tables at most as likely as the observed one form the two tails beyond a cut on each side.
  const limit = logPa + Math.log1p(TWO_SIDED_REL_TOL)
  let twoSided = 1
  if (logPmfOf(m, mode) > limit) {
    const left = mode > m.lo ? lastBelow(m, a < mode ? a : m.lo, mode - 1, limit, true) : undefined
    const right = mode < m.hi ? lastBelow(m, mode + 1, a > mode ? a : m.hi, limit, false) : undefined
    const leftMass = left === undefined ? 0 : left === a ? less : tail(m, left, -1)
    const rightMass = right === undefined ? 0 : right === a ? greater : tail(m, right, 1)
    twoSided = leftMass + rightMass
  }
  return { greater: clamp01(greater), less: clamp01(less), twoSided: clamp01(twoSided), oddsRatio }
}

// ─── Multiple testing and stratified tests ───────────────────────────────────────────────────

/**
 * Benjamini–Hochberg false-discovery-rate adjusted p-values (q-values), as R's
 * `p.adjust(p, "BH")`: with the p-values in increasing order p₍₁₎ ≤ … ≤ p₍ₙ₎,
 * q₍ᵢ₎ = min over j ≥ i of min(1, n·p₍ⱼ₎ / j), returned in the input's order. Ties keep their
 * positions. Throws `input/invalid` naming `pValues[i]` unless every p is a number in [0, 1].
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  if (!Array.isArray(pValues)) throw invalidInput('pValues', 'must be a list of p-values')
  pValues.forEach((p, i) => {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw invalidInput(`pValues[${i}]`, `must be a p-value from 0 to 1, got ${String(p)}`)
  })
  const n = pValues.length
  const order = pValues.map((_, i) => i).sort((x, y) => pValues[x]! - pValues[y]! || x - y)
  const q = new Array<number>(n)
  let running = 1
  for (let rank = n; rank >= 1; rank--) {
    const i = order[rank - 1]!
    running = Math.min(running, (n * pValues[i]!) / rank)
    q[i] = running
  }
  return q
}

/**
 * erfc(x) for x ≥ 0, to ~1e-15 relative: the Maclaurin series of erf below 0.5, the continued
 * fraction erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))) (modified Lentz) above.
 * Exact in its tail far below double precision's smallest normal (erfc(26) ≈ 5.7e-296).
 */
function erfc(x: number): number {
  if (x < 0.5) {
    // erf(x) = 2/√π · Σ (−1)ⁿ x^(2n+1) / (n! (2n+1)).
    let term = x
    let sum = x
    for (let n = 1; n < 60; n++) {
      term *= (-x * x) / n
      const add = term / (2 * n + 1)
      sum += add
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum
  }
  // Lentz's method on x + a₁/(x + a₂/(x + …)), aₖ = k/2.
  const tiny = 1e-300
  let f = x
  let c = x
  let d = 0
  for (let k = 1; k < 5000; k++) {
    const a = k / 2
    d = x + a * d
    d = d === 0 ? tiny : d
    c = x + a / c
    c = c === 0 ? tiny : c
    d = 1 / d
    const delta = c * d
    f *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f)
}

/** P(χ²₁ > x): the upper tail of a chi-square with one degree of freedom (R's `pchisq(x, 1, lower.tail = FALSE)`). */
export function chiSquare1UpperTail(x: number): number {
  if (typeof x !== 'number' || Number.isNaN(x)) throw invalidInput('x', `must be a number, got ${String(x)}`)
  if (x <= 0) return 1
  return clamp01(erfc(Math.sqrt(x / 2)))
}

/** P(Z > z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  if (typeof z !== 'number' || Number.isNaN(z)) throw invalidInput('z', `must be a number, got ${String(z)}`)
  return z >= 0 ? erfc(z / Math.SQRT2) / 2 : 1 - erfc(-z / Math.SQRT2) / 2
}

/** What {@link cochranMantelHaenszel} returns. */
export interface CmhResult {
  /** The Mantel–Haenszel chi-square statistic (one degree of freedom). */
  statistic: number
  /** Two-sided p-value: P(χ²₁ ≥ statistic). */
  twoSided: number
  /** One-sided p-value that the factor raises the odds in the strata taken together ("greater"). */
  greater: number
  /** The Mantel–Haenszel common odds ratio Σ(aᵢdᵢ/nᵢ) / Σ(bᵢcᵢ/nᵢ) (Infinity or NaN as IEEE gives). */
  commonOddsRatio: number
  /** Strata that carried information (n ≥ 2 and a non-zero variance of a). */
  informativeStrata: number
}

/**
 * The Cochran–Mantel–Haenszel test of a factor across strata of 2×2 tables: is the factor
 * associated with the outcome once each stratum (say, the lots another factor did or did not
 * touch) is compared only within itself? As R's `mantelhaen.test(x, correct)` for 2×2×K tables:
 * Δ = Σ(aᵢ − E aᵢ), E aᵢ = r1ᵢc1ᵢ/nᵢ, V = Σ r1ᵢr2ᵢc1ᵢc2ᵢ / (nᵢ²(nᵢ − 1)); the statistic is
 * (|Δ| − ½)²/V with the continuity correction (when |Δ| ≥ ½), else Δ²/V; the one-sided p-value is
 * P(Z > sign(Δ)·√statistic). Strata of fewer than two lots carry nothing and are skipped (R refuses
 * them). With no informative stratum every p-value is 1. Throws `input/invalid` naming the field.
 */
export function cochranMantelHaenszel(strata: readonly TwoByTwo[], options: { correct?: boolean } = {}): CmhResult {
  if (!Array.isArray(strata)) throw invalidInput('strata', 'must be a list of 2×2 tables')
  const correct = options.correct ?? true
  let delta = 0
  let variance = 0
  let num = 0
  let den = 0
  let informative = 0
  strata.forEach((table, i) => {
    if (typeof table !== 'object' || table === null) throw invalidInput(`strata[${i}]`, 'must be an object with counts a, b, c, d')
    const a = checkCount(table.a, `strata[${i}].a`)
    const b = checkCount(table.b, `strata[${i}].b`)
    const c = checkCount(table.c, `strata[${i}].c`)
    const d = checkCount(table.d, `strata[${i}].d`)
    const n = a + b + c + d
    if (n < 2) return
    const r1 = a + b
    const r2 = c + d
    const c1 = a + c
    const c2 = b + d
    num += (a * d) / n
    den += (b * c) / n
    const v = (r1 * r2 * c1 * c2) / (n * n * (n - 1))
    if (v === 0) return
    informative++
    delta += a - (r1 * c1) / n
    variance += v
  })
  const commonOddsRatio = num / den
  if (informative === 0) return { statistic: 0, twoSided: 1, greater: 1, commonOddsRatio, informativeStrata: 0 }
  const yates = correct && Math.abs(delta) >= 0.5 ? 0.5 : 0
  const statistic = (Math.abs(delta) - yates) ** 2 / variance
  return {
    statistic,
    twoSided: chiSquare1UpperTail(statistic),
    greater: normalUpperTail(Math.sign(delta) * Math.sqrt(statistic)),
    commonOddsRatio,
    informativeStrata: informative,
  }
}

// ─── Change point of a proportion ───────────────────────────────────────────────────────────────

/** A group of ordered trials (e.g. a day of lots): `n` trials, `x` of them failures. */
export interface CountGroup {
  n: number
  x: number
}

/** Options of {@link proportionChangePoint}. */
export interface ChangePointOptions {
  /** Fewest trials on each side of the change. @default 3 */
  minSize?: number
  /** Random relabellings of the permutation test. @default 999 */
  permutations?: number
  /** Seed of the permutation test's generator (the result is a function of the data and the seed). @default 1 */
  seed?: number
  /**
   * Stop relabelling once this many were at least as extreme (Besag & Clifford's sequential
   * test: a change that is not there costs ~this many relabellings ÷ p, not all of them).
   * @default 20
   */
  stopAfterExtreme?: number
}

/** Where the failure proportion of an ordered sequence changes most, and how surprising that is. */
export interface ChangePointResult {
  /** Index of the first group after the change; null when no split qualifies. */
  index: number | null
  /**
   * Log-likelihood ratio of two proportions (before, after) against one: half the G statistic of
   * the before/after × failed/passed table. 0 when no split qualifies.
   */
  statistic: number
  before: CountGroup
  after: CountGroup
  /**
   * Permutation p-value of the maximal statistic (the failures relabelled at random over the
   * trials, group sizes kept): (1 + relabellings at least as extreme) ÷ (1 + relabellings), or
   * the sequential estimate of Besag & Clifford (1991), extreme ÷ relabellings, once
   * `stopAfterExtreme` were. Null when no split qualifies.
   */
  pValue: number | null
}

/** `x ln(x/n) + (n−x) ln(1−x/n)`, the binomial log-likelihood at its maximum (0 ln 0 = 0). */
function binomialLogLikelihood(x: number, n: number): number {
  if (n === 0 || x === 0 || x === n) return 0
  return x * Math.log(x / n) + (n - x) * Math.log((n - x) / n)
}

/** The best increasing split of a cumulative sequence: its index and log-likelihood ratio. */
function bestIncrease(groups: readonly CountGroup[], xs: ArrayLike<number>, totalN: number, totalX: number, minSize: number): { index: number; statistic: number } {
  const whole = binomialLogLikelihood(totalX, totalN)
  let best = { index: -1, statistic: 0 }
  let n1 = 0
  let x1 = 0
  for (let k = 1; k < groups.length; k++) {
    n1 += groups[k - 1]!.n
    x1 += xs[k - 1]!
    const n2 = totalN - n1
    if (n1 < minSize) continue
    if (n2 < minSize) break
    const x2 = totalX - x1
    // Only a rise counts: x2/n2 > x1/n1.
    if (x2 * n1 <= x1 * n2) continue
    const statistic = binomialLogLikelihood(x1, n1) + binomialLogLikelihood(x2, n2) - whole
    if (statistic > best.statistic + 1e-12) best = { index: k, statistic }
  }
  return best
}

/**
 * FNV-1a over a text's UTF-16 code units, as an unsigned 32-bit number; `basis` is the offset
 * basis (FNV's own by default; a hash table may draw its own).
 */
export function fnv1a(text: string, basis = 0x811c9dc5): number {
  let hash = basis
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return hash >>> 0
}

/** mulberry32: a small, fast seeded 32-bit generator of numbers in [0, 1); enough for relabelling trials. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * The single change point at which the failure proportion of an ordered sequence of groups rises
 * most (maximum likelihood over the boundaries between groups, each side at least `minSize`
 * trials), with a permutation p-value for the maximum over all boundaries, so testing every
 * boundary is paid for. Exact in distribution given the failures' count: each relabelling picks
 * which trials failed uniformly at random.
 */
export function proportionChangePoint(groups: readonly CountGroup[], options: ChangePointOptions = {}): ChangePointResult {
  const minSize = options.minSize ?? 3
  const permutations = options.permutations ?? 999
  const stopAfter = options.stopAfterExtreme ?? 20
  let totalN = 0
  let totalX = 0
  groups.forEach((g, i) => {
    checkCount(g.n, `groups[${i}].n`)
    checkCount(g.x, `groups[${i}].x`)
    if (g.x > g.n) throw invalidInput(`groups[${i}].x`, 'must not exceed n')
    totalN += g.n
    totalX += g.x
  })
  const observed = bestIncrease(groups, groups.map((g) => g.x), totalN, totalX, minSize)
  if (observed.index < 0) return { index: null, statistic: 0, before: { n: 0, x: 0 }, after: { n: 0, x: 0 }, pValue: null }
  const before = groups.slice(0, observed.index).reduce((s, g) => ({ n: s.n + g.n, x: s.x + g.x }), { n: 0, x: 0 })
  const after = { n: totalN - before.n, x: totalX - before.x }

  // Relabel: a random subset of the trials fails (partial Fisher–Yates over a persistent order,
  // drawing the smaller of the failed and passed sets), counted per group.
  const random = mulberry32(options.seed ?? 1)
  const groupOf = new Int32Array(totalN)
  let at = 0
  groups.forEach((g, i) => groupOf.fill(i, at, (at += g.n)))
  const order = new Int32Array(totalN).map((_, i) => i)
  const drawFailed = totalX <= totalN - totalX
  const draws = drawFailed ? totalX : totalN - totalX
  const xs = new Float64Array(groups.length)
  const threshold = observed.statistic - 1e-9 * Math.max(1, observed.statistic)
  let extreme = 0
  let done = 0
  for (; done < permutations && extreme < stopAfter; done++) {
    if (drawFailed) xs.fill(0)
    else groups.forEach((g, i) => (xs[i] = g.n))
    for (let i = 0; i < draws; i++) {
      const j = i + Math.floor(random() * (totalN - i))
      const picked = order[j]!
      order[j] = order[i]!
      order[i] = picked
      xs[groupOf[picked]!]! += drawFailed ? 1 : -1
    }
    if (bestIncrease(groups, xs, totalN, totalX, minSize).statistic >= threshold) extreme++
  }
  const pValue = extreme >= stopAfter ? extreme / done : (1 + extreme) / (1 + done)
  return { index: observed.index, statistic: observed.statistic, before, after, pValue }
}

// ─── p-chart ────────────────────────────────────────────────────────────────────────────────────

/** One sample of a p-chart with its limits. */
export interface PChartPoint {
  n: number
  x: number
  /** x ÷ n. */
  p: number
  /** 3-sigma limits from this sample's size, clipped to [0, 1]. */
  lcl: number
  ucl: number
  /** Outside the limits: above the upper, below the lower, or neither. */
  signal: 'above' | 'below' | null
}

/**
 * A p-chart (fraction nonconforming with variable sample size): centre line p̄ = Σx ÷ Σn, and for
 * each sample p̄ ± 3·√(p̄(1−p̄)/nᵢ), clipped to [0, 1]. Samples with n = 0 are left out. Null when
 * no sample has a trial.
 */
export function pChart(samples: readonly CountGroup[]): { center: number; points: PChartPoint[] } | null {
  let n = 0
  let x = 0
  samples.forEach((s, i) => {
    checkCount(s.n, `samples[${i}].n`)
    checkCount(s.x, `samples[${i}].x`)
    if (s.x > s.n) throw invalidInput(`samples[${i}].x`, 'must not exceed n')
    n += s.n
    x += s.x
  })
  if (n === 0) return null
  const center = x / n
  const points = samples.filter((s) => s.n > 0).map((s): PChartPoint => {
    const sigma = Math.sqrt((center * (1 - center)) / s.n)
    const lcl = Math.max(0, center - 3 * sigma)
    const ucl = Math.min(1, center + 3 * sigma)
    const p = s.x / s.n
    return { n: s.n, x: s.x, p, lcl, ucl, signal: p > ucl ? 'above' : p < lcl ? 'below' : null }
  })
  return { center, points }
}
