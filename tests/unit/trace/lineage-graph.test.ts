import { describe, expect, it } from 'vitest'
import {
  EdgeSet,
  gdSourceOf,
  nodeTypeOf,
  sortByNameThenCid,
  toLineageNode,
  walkSeedAncestry,
} from '../../../main/trace/lineage-graph.js'
import type { ContainerSnapshot } from '../../../main/trace/lineage-reader.js'

function snapshot(cid: string, fields: Partial<Omit<ContainerSnapshot, 'cid'>> = {}): ContainerSnapshot {
  return {
    cid,
    name: null,
    mfgOrder: null,
    objectType: null,
    firstName: null,
    splitFrom: null,
    originalCid: null,
    qty: null,
    ...fields,
  }
}

describe('lineage graph helpers', () => {
  describe('nodeTypeOf', () => {
    it('applies the precedence WAFER > GD > GC > GA > LOT > UNKNOWN', () => {
      const gd = snapshot('1', { name: 'GC2501-01', mfgOrder: 'GD2501', objectType: 'LOT' })
      expect(nodeTypeOf(gd, true)).toBe('WAFER')
      expect(nodeTypeOf(gd, false)).toBe('GD')
      expect(nodeTypeOf(snapshot('2', { name: 'GA2501-01', mfgOrder: 'GC2501' }), false)).toBe('GC')
      expect(nodeTypeOf(snapshot('3', { name: 'ga2501-01', mfgOrder: null, objectType: 'LOT' }), false)).toBe('GA')
      expect(nodeTypeOf(snapshot('4', { name: 'WAF-01', objectType: 'LOT' }), false)).toBe('LOT')
      expect(nodeTypeOf(snapshot('5', { name: 'WAF-01', objectType: 'MATERIAL' }), false)).toBe('UNKNOWN')
      expect(nodeTypeOf(undefined, false)).toBe('UNKNOWN')
    })

    it('reads the prefix from the name when the order is another family', () => {
      expect(nodeTypeOf(snapshot('1', { name: 'gd2501-01', mfgOrder: 'GA2501' }), false)).toBe('GD')
    })
  })

  describe('gdSourceOf', () => {
    it('prefers ORIGINALCONTAINERID, falls back to SPLITFROMID, ignores self-references', () => {
      expect(gdSourceOf(snapshot('d', { mfgOrder: 'GD1', originalCid: 'o', splitFrom: 's' }))).toBe('o')
      expect(gdSourceOf(snapshot('d', { mfgOrder: 'GD1', splitFrom: 's' }))).toBe('s')
      expect(gdSourceOf(snapshot('d', { mfgOrder: 'GD1', originalCid: 'd', splitFrom: 's' }))).toBe('s')
      expect(gdSourceOf(snapshot('d', { mfgOrder: 'GD1', originalCid: 'd', splitFrom: 'd' }))).toBeNull()
      expect(gdSourceOf(snapshot('d', { mfgOrder: 'GA1', originalCid: 'o' }))).toBeNull()
    })
  })

  describe('toLineageNode', () => {
    it('carries the container quantity when the source has one, and leaves it out when not', () => {
      expect(toLineageNode('a1', snapshot('a1', { name: 'GA1', objectType: 'LOT', qty: 12_000 }), false).qty).toBe(12_000)
      expect('qty' in toLineageNode('a1', snapshot('a1', { name: 'GA1', objectType: 'LOT' }), false)).toBe(false)
    })

    it('falls back to the CID as name for a container that does not exist', () => {
      expect(toLineageNode('ffff', undefined, false)).toEqual({
        container_id: 'ffff',
        container_name: 'ffff',
        mfgorder_name: null,
        wafer_lot: null,
        node_type: 'UNKNOWN',
      })
    })
  })

  describe('EdgeSet', () => {
    it('drops duplicates on (from, to, type) and sorts by from, to, type', () => {
      const edges = new EdgeSet()
      edges.add('b', 'c', 'split_from')
      edges.add('a', 'c', 'wafer_origin')
      edges.add('b', 'c', 'gd_rework_source')
      edges.add('b', 'c', 'split_from')
      expect(edges.sorted()).toEqual([
        { from_cid: 'a', to_cid: 'c', edge_type: 'wafer_origin' },
        { from_cid: 'b', to_cid: 'c', edge_type: 'gd_rework_source' },
        { from_cid: 'b', to_cid: 'c', edge_type: 'split_from' },
      ])
    })
  })

  describe('sortByNameThenCid', () => {
    it('orders by name, then CID for equal names', () => {
      const names: Record<string, string> = { x: 'B', y: 'A', z: 'A' }
      expect(sortByNameThenCid(['x', 'z', 'y'], (cid) => names[cid] ?? cid)).toEqual(['y', 'z', 'x'])
    })
  })

  describe('walkSeedAncestry', () => {
    const nameOf = (names: Record<string, string>) => (cid: string) => names[cid] ?? cid

    it('picks the parentless ancestor farthest from the seed, even over a smaller name', () => {
      const parents = new Map([
        ['s', ['y', 'z']],
        ['z', ['q']],
      ])
      const result = walkSeedAncestry('s', parents, 20, nameOf({ s: 'S', y: 'AAA', z: 'ZZZ', q: 'QQQ' }))
      expect(result).toEqual({ ancestors: ['q', 'y', 'z'], rootName: 'QQQ', depthCut: false })
    })

    it('breaks a distance tie by the smaller name', () => {
      const parents = new Map([['s', ['r1', 'r2', 'r3']]])
      expect(walkSeedAncestry('s', parents, 20, nameOf({ r1: 'Z', r2: 'C', r3: 'B' })).rootName).toBe('B')
    })

    it('takes the farthest ancestor when every ancestor has parents (a cycle)', () => {
      const parents = new Map([
        ['l5', ['p1']],
        ['p1', ['p2']],
        ['p2', ['p1']],
      ])
      expect(walkSeedAncestry('l5', parents, 20, nameOf({ p1: 'L5P1', p2: 'L5P2' }))).toEqual({
        ancestors: ['p1', 'p2'],
        rootName: 'L5P2',
        depthCut: false,
      })
    })

    it('stops after maxDepth hops and reports the cut', () => {
      const parents = new Map([
        ['c3', ['c2']],
        ['c2', ['c1']],
        ['c1', ['c0']],
      ])
      expect(walkSeedAncestry('c3', parents, 2, nameOf({}))).toEqual({
        ancestors: ['c1', 'c2'],
        rootName: 'c1',
        depthCut: true,
      })
    })

    it('makes a seed without ancestors its own root', () => {
      expect(walkSeedAncestry('s', new Map(), 20, nameOf({ s: 'LOT-S' }))).toEqual({
        ancestors: [],
        rootName: 'LOT-S',
        depthCut: false,
      })
    })
  })
})
