import { describe, expect, it } from 'vitest'
import { CidIndex, CidLookup, distinctCids } from '../../../main/trace/lineage-staged.js'
import { mulberry32 } from '../../../shared/statistics.js'

describe('CidIndex', () => {
  it('gives each CID the id it joined with, through every growth of its table, as a Map does', () => {
    const next = mulberry32(19)
    // CIDs as a source may hold them: hex ids, look-alikes differing in one code unit, the empty
    // string, numeric keys, non-Latin text, a lone surrogate and very long strings.
    const alphabet = ['0', '1', 'a', 'F', '-', ' ', 'é', '批', '\u{1F600}', '\uD800', '\u0000']
    const made = new Set<string>(['', '0', '00', '4294967294', 'GA25010001', 'GA25010001 '])
    while (made.size < 20_000) {
      const length = Math.floor(next() * (next() < 0.01 ? 2000 : 24))
      let cid = ''
      for (let i = 0; i < length; i++) cid += alphabet[Math.floor(next() * alphabet.length)]
      made.add(cid)
    }
    const cids = [...made]
    const index = new CidIndex()
    const expected = new Map<string, number>()
    const absent = cids.slice(10_000)
    cids.slice(0, 10_000).forEach((cid) => {
      expected.set(cid, expected.size)
      expect(index.has(cid)).toBe(false)
      expect(index.add(cid)).toBe(expected.get(cid))
    })
    expect(index.size).toBe(10_000)
    expect(index.cids).toEqual([...expected.keys()])
    for (const [cid, id] of expected) expect(index.idOf(cid)).toBe(id)
    for (const cid of absent) expect(index.idOf(cid)).toBe(-1)
    // Different strings with the same text are the same CID.
    expect(index.idOf(['GA2501', '0001'].join(''))).toBe(expected.get('GA25010001'))
  })

  it('finds nothing once cleared, and keeps the CIDs by id', () => {
    const index = new CidIndex()
    for (let i = 0; i < 3000; i++) index.add(`C${i}`)
    index.clear()
    expect(index.idOf('C1')).toBe(-1)
    expect(index.has('C2999')).toBe(false)
    expect(index.cids[2999]).toBe('C2999')
    expect(index.size).toBe(3000)
  })

  it('tells apart CIDs that collide in every bit its table uses', () => {
    // Many CIDs into a small table: probing must compare the text, not the hash.
    const index = new CidIndex()
    const cids = Array.from({ length: 511 }, (_, i) => `X${i.toString(36)}`)
    cids.forEach((cid) => index.add(cid))
    cids.forEach((cid, id) => expect(index.idOf(cid)).toBe(id))
    expect(index.idOf('X')).toBe(-1)
  })
})

describe('distinctCids', () => {
  it('returns the list itself when no CID repeats', () => {
    const list = ['B', 'A', 'C']
    expect(distinctCids(list)).toBe(list)
  })

  it('keeps the first of each CID, in the order first seen', () => {
    expect(distinctCids(['B', 'A', 'B', 'C', 'A', ''])).toEqual(['B', 'A', 'C', ''])
  })
})

describe('CidLookup', () => {
  it('finds each CID of a list at its place in it, and nothing else', () => {
    const list = Array.from({ length: 5000 }, (_, i) => `L${(i * 7919).toString(16)}`)
    const lookup = new CidLookup(list)
    expect(lookup.size).toBe(5000)
    list.forEach((cid, at) => expect(lookup.idOf(cid)).toBe(at))
    expect(lookup.idOf('L')).toBe(-1)
    expect(lookup.has(list[4999]!)).toBe(true)
    expect(new CidLookup([]).idOf('')).toBe(-1)
  })
})
