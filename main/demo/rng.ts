/**
 * Seeded randomness for the demo plant. Everything the generator draws comes from here, so the
 * same seed gives the same plant on every run and every machine (no `Math.random`, no clock).
 */

/** A 128-bit hash of a string as four 32-bit lanes (cyrb128); seeds {@link Rng}. */
export function hashString128(text: string): [number, number, number, number] {
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  h1 ^= h2 ^ h3 ^ h4
  h2 ^= h1
  h3 ^= h1
  h4 ^= h1
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0]
}

/**
 * MurmurHash3's 32-bit finalizer. Every step is invertible, so it is a bijection on 32-bit
 * integers: distinct inputs give distinct outputs, which is what makes generated IDs unique.
 */
export function fmix32(value: number): number {
  let h = value >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Lower-case hex of a 32-bit integer, zero-padded to `width` characters (≤ 8). */
export function hex32(value: number, width = 8): string {
  const text = (value >>> 0).toString(16)
  return text.length >= width ? text.slice(text.length - width) : '0'.repeat(width - text.length) + text
}

/** A seeded pseudo-random generator (sfc32: small, fast, passes PractRand for this use). */
export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: readonly [number, number, number, number]) {
    this.a = seed[0] >>> 0
    this.b = seed[1] >>> 0
    this.c = seed[2] >>> 0
    this.d = seed[3] >>> 0
    // The first outputs of sfc32 still resemble the seed; discard them.
    for (let i = 0; i < 15; i++) this.nextU32()
  }

  /** A generator seeded from any parts (joined unambiguously), e.g. `Rng.from(seed, 'order', 12)`. */
  static from(...parts: readonly (string | number)[]): Rng {
    return new Rng(hashString128(parts.join('\u0001')))
  }

  /** The next 32-bit unsigned integer. */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** A float in [0, 1). */
  float(): number {
    return this.nextU32() / 4294967296
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.float()
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1))
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p
  }

  /** One element of a non-empty list, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list')
    return items[Math.floor(this.float() * items.length)] as T
  }

  /** A standard normal deviate (Box–Muller). */
  normal(): number {
    const u = 1 - this.float()
    const v = this.float()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** A log-normal factor with mean 1 and the given spread (`sigma` of the underlying normal). */
  logNormal(sigma: number): number {
    return Math.exp(sigma * this.normal() - (sigma * sigma) / 2)
  }
}

/** A list with weights, picked in proportion to them. */
export class WeightedList<T> {
  private readonly cumulative: number[]
  private readonly total: number

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length === 0 || items.length !== weights.length) throw new Error('WeightedList: bad items/weights')
    let sum = 0
    this.cumulative = weights.map((w) => (sum += w))
    this.total = sum
  }

  /** Weights that fall off like 1/rank^exponent: a long-tail (Pareto-like) frequency. */
  static zipf<T>(items: readonly T[], exponent = 1.1): WeightedList<T> {
    return new WeightedList(
      items,
      items.map((_, i) => 1 / Math.pow(i + 1, exponent)),
    )
  }

  /** One item, in proportion to its weight. */
  pick(rng: Rng): T {
    const target = rng.float() * this.total
    const cumulative = this.cumulative
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((cumulative[mid] as number) > target) hi = mid
      else lo = mid + 1
    }
    return this.items[lo] as T
  }
}

/**
 * Unique 16-hex IDs that look random. The low 32 bits are a keyed bijection of a counter, so two
 * IDs of one factory never collide; the rest is a 4-hex prefix (e.g. the plant's `4880`) and 16
 * random bits.
 */
export class HexIdFactory {
  private counter = 0
  private readonly key: number
  private readonly rng: Rng

  constructor(seed: string, space: string) {
    this.rng = Rng.from(seed, 'ids', space)
    this.key = this.rng.nextU32()
  }

  /** The next ID with the given 4-hex prefix. */
  next(prefix: string): string {
    const low = fmix32((this.counter++ ^ this.key) >>> 0)
    return prefix + hex32(this.rng.nextU32() >>> 16, 4) + hex32(low)
  }

  /** How many IDs were handed out. */
  get count(): number {
    return this.counter
  }
}
