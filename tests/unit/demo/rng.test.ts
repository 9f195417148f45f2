import { describe, expect, it } from 'vitest'
import { HexIdFactory, Rng, WeightedList, fmix32, hashString128, hex32 } from '../../../main/demo/rng.js'

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextU32())
}

describe('Rng', () => {
  it('gives the same sequence for the same seed parts and a different one otherwise', () => {
    expect(draws(Rng.from('mes-trace', 'order', 1), 20)).toEqual(draws(Rng.from('mes-trace', 'order', 1), 20))
    expect(draws(Rng.from('mes-trace', 'order', 1), 20)).not.toEqual(draws(Rng.from('mes-trace', 'order', 2), 20))
    // Joining is unambiguous: ('ab', 'c') is not ('a', 'bc').
    expect(draws(Rng.from('ab', 'c'), 5)).not.toEqual(draws(Rng.from('a', 'bc'), 5))
  })

  it('pins hash and first outputs: a change here changes every demo plant', () => {
    expect(hashString128('mes-trace')).toEqual([1460123261, 803500077, 2099060921, 4140685385])
    expect(draws(new Rng([1, 2, 3, 4]), 3)).toEqual([800524041, 903873393, 3641854082])
    expect(new HexIdFactory('mes-trace', 'container').next('4880')).toBe('4880e29720ead6aa')
  })

  it('keeps float, int and between inside their ranges', () => {
    const rng = Rng.from('ranges')
    for (let i = 0; i < 5000; i++) {
      const f = rng.float()
      expect(f).toBeGreaterThanOrEqual(0)
      expect(f).toBeLessThan(1)
      const n = rng.int(3, 7)
      expect(Number.isInteger(n) && n >= 3 && n <= 7).toBe(true)
      const b = rng.between(-2, 2)
      expect(b >= -2 && b < 2).toBe(true)
    }
  })

  it('hits every integer of a small range about equally', () => {
    const rng = Rng.from('uniform')
    const counts = [0, 0, 0, 0]
    for (let i = 0; i < 40_000; i++) counts[rng.int(0, 3)]!++
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600)
  })

  it('draws log-normal factors with mean ≈ 1', () => {
    const rng = Rng.from('lognormal')
    let sum = 0
    for (let i = 0; i < 50_000; i++) sum += rng.logNormal(0.5)
    expect(sum / 50_000).toBeGreaterThan(0.97)
    expect(sum / 50_000).toBeLessThan(1.03)
  })

  it('refuses to pick from an empty list', () => {
    expect(() => Rng.from('x').pick([])).toThrow(/empty/)
  })
})

describe('WeightedList', () => {
  it('picks in proportion to the weights', () => {
    const list = new WeightedList(['a', 'b', 'c'], [1, 3, 0])
    const rng = Rng.from('weights')
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 }
    for (let i = 0; i < 40_000; i++) counts[list.pick(rng)]!++
    expect(counts.c).toBe(0)
    expect(counts.b! / counts.a!).toBeGreaterThan(2.7)
    expect(counts.b! / counts.a!).toBeLessThan(3.3)
  })

  it('gives a long tail with zipf weights', () => {
    const items = Array.from({ length: 40 }, (_, i) => i)
    const list = WeightedList.zipf(items)
    const rng = Rng.from('zipf')
    const counts = new Array<number>(40).fill(0)
    for (let i = 0; i < 50_000; i++) counts[list.pick(rng)]!++
    expect(counts[0]!).toBeGreaterThan(counts[1]!)
    expect(counts[1]!).toBeGreaterThan(counts[9]!)
    expect(counts[39]!).toBeGreaterThan(0)
    expect(counts[0]! / counts[39]!).toBeGreaterThan(20)
  })

  it('rejects mismatched items and weights', () => {
    expect(() => new WeightedList(['a'], [1, 2])).toThrow()
  })
})

describe('IDs', () => {
  it('formats 32-bit hex with padding', () => {
    expect(hex32(255)).toBe('000000ff')
    expect(hex32(0xffff, 4)).toBe('ffff')
    expect(hex32(-1)).toBe('ffffffff')
  })

  it('fmix32 is a bijection: distinct inputs never collide', () => {
    const seen = new Set<number>()
    for (let i = 0; i < 200_000; i++) seen.add(fmix32(i))
    expect(seen.size).toBe(200_000)
  })

  it('hands out unique 16-hex IDs with the requested prefix, the same for the same seed', () => {
    const ids = new HexIdFactory('seed', 'container')
    const made = Array.from({ length: 100_000 }, (_, i) => ids.next(i % 2 === 0 ? '4880' : '48a0'))
    expect(new Set(made).size).toBe(made.length)
    expect(made.every((id) => /^[0-9a-f]{16}$/.test(id))).toBe(true)
    expect(made[0]!.startsWith('4880')).toBe(true)
    expect(made[1]!.startsWith('48a0')).toBe(true)
    expect(ids.count).toBe(100_000)
    const again = new HexIdFactory('seed', 'container')
    expect(again.next('4880')).toBe(made[0])
    expect(new HexIdFactory('seed', 'job').next('4880')).not.toBe(made[0])
  })
})
