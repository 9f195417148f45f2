import { describe, expect, it } from 'vitest'
import { drillOfBar, drillOfSuspect, relativesOf } from '../../../renderer/src/drill'
import { parseMaterialKey } from '../../../shared/msd'
import type { BackwardLineage, ForwardLineage } from '../../../shared/trace'

describe('drill-down', () => {
  it('splits a material key into part and lot', () => {
    expect(parseMaterialKey('EMC-G600-A (SMB260923-57)')).toEqual({ part: 'EMC-G600-A', lot: 'SMB260923-57' })
    expect(parseMaterialKey('WR-CU-0.8MIL')).toEqual({ part: 'WR-CU-0.8MIL', lot: null })
  })

  it('takes a machine suspect to the lots that went through it at its station, and to its upstream events', () => {
    expect(drillOfSuspect({ factor_type: 'machine', name: 'GWBE-0029', station: '焊接_WB' })).toEqual({
      kind: 'machine',
      name: '焊接_WB/GWBE-0029',
      detail: [{ column: 'UPSTREAM_MACHINES', op: 'item', value: '焊接_WB/GWBE-0029' }],
      events: { domain: 'upstream_history', filter: [{ column: 'EQUIPMENTNAME', op: 'eq', value: 'GWBE-0029' }] },
    })
  })

  it('carries the suspect\'s lot count, which the detail rows (one per lot and reason) would overstate', () => {
    expect(drillOfSuspect({ factor_type: 'machine', name: 'GWBE-0029', station: '焊接_WB', lots: 801 }).lots).toBe(801)
    expect(drillOfSuspect({ factor_type: 'material', name: 'EMC-G600-A (SMB260923-57)', station: '成型', lots: 261 }).lots).toBe(261)
    expect(drillOfSuspect({ factor_type: 'machine', name: 'GWBE-0029', station: '焊接_WB' })).not.toHaveProperty('lots')
  })

  it('takes a material suspect to the lots that consumed that lot of the part, and to its material rows', () => {
    const drill = drillOfSuspect({ factor_type: 'material', name: 'EMC-G600-A (SMB260923-57)', station: '成型' })
    expect(drill.detail).toEqual([{ column: 'UPSTREAM_MATERIALS', op: 'item', value: 'EMC-G600-A/SMB260923-57' }])
    expect(drill.events).toEqual({
      domain: 'materials',
      filter: [
        { column: 'MATERIALPARTNAME', op: 'eq', value: 'EMC-G600-A' },
        { column: 'MATERIALLOTNAME', op: 'eq', value: 'SMB260923-57' },
      ],
    })
  })

  it('takes a wafer root to its lots only', () => {
    expect(drillOfSuspect({ factor_type: 'wafer_root', name: '56098S24Y-8F03R', station: null })).toMatchObject({
      detail: [{ column: 'WAFER_ROOT', op: 'eq', value: '56098S24Y-8F03R' }],
      events: null,
    })
  })

  it('drills from bars, but not from the folded 其他 bar', () => {
    expect(drillOfBar('by_machine', '其他')).toBeNull()
    expect(drillOfBar('by_loss_reason', '201_OPEN')?.detail).toEqual([{ column: 'LOSS_REASON', op: 'eq', value: '201_OPEN' }])
    expect(drillOfBar('by_detection_machine', 'GTMA-0025')?.detail).toEqual([{ column: 'DETECTION_EQUIPMENTNAME', op: 'eq', value: 'GTMA-0025' }])
    // A machine bar: exact with the station the attribution gives, else any station.
    expect(drillOfBar('by_machine', 'GWBE-0029', (m) => (m === 'GWBE-0029' ? '焊接_WB' : undefined))?.detail).toEqual([
      { column: 'UPSTREAM_MACHINES', op: 'item', value: '焊接_WB/GWBE-0029' },
    ])
    expect(drillOfBar('by_machine', 'GWBE-0029')?.detail).toEqual([{ column: 'UPSTREAM_MACHINES', op: 'contains', value: '/GWBE-0029' }])
    expect(drillOfBar('by_downstream_machine', 'GPLT-0008')).toEqual({
      kind: 'downstream_machine',
      name: 'GPLT-0008',
      detail: [],
      events: { domain: 'downstream_rejects', filter: [{ column: 'EQUIPMENTNAME', op: 'eq', value: 'GPLT-0008' }] },
    })
  })
})

describe('relativesOf', () => {
  it('is the lot and its ancestors backward, the lot and its descendants forward', () => {
    const backward = { direction: 'backward', ancestors: { c3: ['c1', 'c2'] }, parent_map: {}, edges: [] } as unknown as BackwardLineage
    expect(relativesOf(backward, 'c3')).toEqual(['c3', 'c1', 'c2'])
    expect(relativesOf(backward, 'c9')).toEqual(['c9'])
    const forward = { direction: 'forward', children_map: { a: ['b', 'c'], b: ['d'], c: ['d'] }, edges: [] } as unknown as ForwardLineage
    expect(relativesOf(forward, 'a')).toEqual(['a', 'b', 'c', 'd'])
    expect(relativesOf(null, 'x')).toEqual(['x'])
  })

  it('walks every drawn edge: merges forward, parents of any node backward', () => {
    // b is merged into m (a typed edge only, not in children_map): m belongs to b's subtree.
    const forward = {
      direction: 'forward',
      children_map: { a: ['b'] },
      edges: [{ from_cid: 'b', to_cid: 'm', edge_type: 'merge_source' }],
    } as unknown as ForwardLineage
    expect(relativesOf(forward, 'a')).toEqual(['a', 'b', 'm'])
    // A non-seed node backward: its parents come from parent_map, not from the seeds' ancestors.
    const backward = {
      direction: 'backward',
      ancestors: { s: ['p', 'q', 'w'] },
      parent_map: { s: ['p'], p: ['q'], q: ['w'] },
      edges: [],
    } as unknown as BackwardLineage
    expect(relativesOf(backward, 'p')).toEqual(['p', 'q', 'w'])
  })

  it('unites the subtrees of several lots, the picked ones first, each container once', () => {
    const forward = { direction: 'forward', children_map: { a: ['b', 'c'], x: ['c', 'y'] }, edges: [] } as unknown as ForwardLineage
    expect(relativesOf(forward, ['x', 'a'])).toEqual(['x', 'a', 'c', 'y', 'b'])
    expect(relativesOf(forward, ['a', 'b'])).toEqual(['a', 'b', 'c'])
    expect(relativesOf(forward, [])).toEqual([])
  })

  it('has no cap: a lineage of thousands of containers is picked whole', () => {
    const children_map: Record<string, string[]> = { root: Array.from({ length: 7769 }, (_, i) => `k${i}`) }
    const forward = { direction: 'forward', children_map, edges: [] } as unknown as ForwardLineage
    const got = relativesOf(forward, 'root')
    expect(got).toHaveLength(7770)
    expect(got[0]).toBe('root')
    expect(got[7769]).toBe('k7768')
  })
})
