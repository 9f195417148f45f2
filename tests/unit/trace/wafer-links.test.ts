import { describe, expect, it } from 'vitest'
import { topmostWaferLinks } from '../../../main/trace/lineage.js'

const links = (entries: Record<string, string[]>): Map<string, string[]> => new Map(Object.entries(entries))
const wafers = (wafer: string, ...children: string[]): Map<string, string> => new Map(children.map((c) => [c, wafer]))

describe('topmostWaferLinks', () => {
  it('keeps the links of the split tops of a wafer lot and drops those the tops reach', () => {
    // W cut into tops A and B; A → A1 → A11, B → B1; A11 merged into M (also of W).
    const kept = topmostWaferLinks(
      wafers('W', 'A11', 'M', 'B1', 'A', 'A1', 'B'),
      links({ A: ['A1'], A1: ['A11'], A11: ['M'], B: ['B1'] }),
    )
    expect([...kept].sort()).toEqual([['A', 'W'], ['B', 'W']])
  })

  it('gives the same answer whatever order the containers arrive in', () => {
    const other = links({ A: ['A1'], A1: ['A11'], B: ['B1'], X: ['A1'] })
    const expected = [['A', 'W'], ['B', 'W'], ['X', 'W']]
    for (const order of [['A11', 'A1', 'A', 'X', 'B1', 'B'], ['B', 'X', 'A', 'B1', 'A1', 'A11'], ['A1', 'B1', 'X', 'A11', 'B', 'A']]) {
      expect([...topmostWaferLinks(wafers('W', ...order), other)].sort()).toEqual(expected)
    }
  })

  it('drops the link of a container the wafer reaches through its own split children', () => {
    // W is also the split parent of V1, and V1 → V2.
    expect([...topmostWaferLinks(wafers('W', 'V1', 'V2'), links({ W: ['V1'], V1: ['V2'] }))]).toEqual([])
  })

  it('keeps one link into a cycle, to its smallest CID', () => {
    expect([...topmostWaferLinks(wafers('W', 'C2', 'C1', 'C3'), links({ C1: ['C2'], C2: ['C1'], C3: [] }))].sort()).toEqual([
      ['C1', 'W'],
      ['C3', 'W'],
    ])
  })

  it('treats each wafer on its own: a container reached only from another wafer keeps its link', () => {
    // A (wafer W1) merged into M, whose own wafer is W2.
    const kept = topmostWaferLinks(new Map([['A', 'W1'], ['M', 'W2']]), links({ A: ['M'] }))
    expect([...kept].sort()).toEqual([['A', 'W1'], ['M', 'W2']])
  })
})
