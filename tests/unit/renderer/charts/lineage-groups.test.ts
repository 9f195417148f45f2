/** The grouped lineage graph: groups with counts, opened groups, revealed nodes, merged links. */
import { describe, expect, it } from 'vitest'
import { GROUP_ID_PREFIX, GROUP_THRESHOLD, defaultGroupMode, drawOrder, groupGraph, groupKeyOf } from '../../../../renderer/src/charts/lineage-groups'
import { buildLineageModel, visibleGraph } from '../../../../renderer/src/charts/lineage-view'
import type { ForwardLineage, LineageNode } from '../../../../shared/trace'
import { bigForwardLineage, mergeLineage } from './fixtures'

/**
 * Two wafers W1, W2; work order GA-1 holds A1 → {A1-1, A1-2} (split) from W1, GA-2 holds B1 → B1-1
 * from W2, and A1-2 is merged into B1-1; the lots A1 and B1 were typed.
 */
function plant(): ForwardLineage {
  const n = (cid: string, type: LineageNode['node_type'], order: string | null, wafer: string): LineageNode => ({
    container_id: cid,
    container_name: cid,
    mfgorder_name: order,
    wafer_lot: wafer,
    node_type: type,
  })
  return {
    direction: 'forward',
    names: {},
    nodes: {
      W1: n('W1', 'WAFER', null, 'W1'),
      W2: n('W2', 'WAFER', null, 'W2'),
      A1: n('A1', 'GA', 'GA-1', 'W1'),
      'A1-1': n('A1-1', 'GA', 'GA-1', 'W1'),
      'A1-2': n('A1-2', 'GA', 'GA-1', 'W1'),
      B1: n('B1', 'GA', 'GA-2', 'W2'),
      'B1-1': n('B1-1', 'GD', 'GA-2', 'W2'),
    },
    edges: [
      { from_cid: 'W1', to_cid: 'A1', edge_type: 'wafer_origin' },
      { from_cid: 'W1', to_cid: 'A1-1', edge_type: 'wafer_origin' },
      { from_cid: 'W1', to_cid: 'A1-2', edge_type: 'wafer_origin' },
      { from_cid: 'W2', to_cid: 'B1', edge_type: 'wafer_origin' },
      { from_cid: 'W2', to_cid: 'B1-1', edge_type: 'wafer_origin' },
      { from_cid: 'A1-2', to_cid: 'B1-1', edge_type: 'merge_source' },
    ],
    total_nodes: 7,
    truncated: false,
    truncation_reasons: [],
    roots: ['W1', 'W2'],
    seeds: ['A1', 'B1'],
    children_map: { W1: ['A1'], W2: ['B1'], A1: ['A1-1', 'A1-2'], B1: ['B1-1'] },
    leaf_serials: {},
  }
}

const state = (mode: 'none' | 'work_order' | 'wafer_lot' | 'type', opened: string[] = [], revealed: string[] = []) => ({
  mode,
  opened: new Set(opened),
  revealed: new Set(revealed),
})

describe('groupGraph', () => {
  const model = buildLineageModel(plant())
  const view = visibleGraph(model, { collapsed: new Set(), focus: null })

  it('draws one node per work order with its members, wafers in their type group', () => {
    const g = groupGraph(model, view, state('work_order'))
    expect([...g.items.keys()].sort()).toEqual(['group:type:WAFER', 'group:wo:GA-1', 'group:wo:GA-2'])
    expect(g.items.get('group:wo:GA-1')).toMatchObject({ kind: 'group', name: 'GA-1', type: 'GA', members: ['A1', 'A1-1', 'A1-2'] })
    expect(g.items.get('group:wo:GA-2')!.members.sort()).toEqual(['B1', 'B1-1'])
    expect(g.items.get('group:type:WAFER')).toMatchObject({ name: '', type: 'WAFER' })
    expect([g.groups, g.singles]).toEqual([3, 0])
    expect(g.itemOf.get('A1-2')).toBe('group:wo:GA-1')
  })

  it('merges links between groups with their count per type and drops links inside a group', () => {
    const g = groupGraph(model, view, state('work_order'))
    const link = (from: string, to: string) => g.edges.find((e) => e.from === `${GROUP_ID_PREFIX}${from}` && e.to === `${GROUP_ID_PREFIX}${to}`)
    // The wafer edges to split children are thinned: W1 reaches A1 only, W2 reaches B1 only.
    expect(link('type:WAFER', 'wo:GA-1')).toMatchObject({ type: 'wafer_origin', counts: { wafer_origin: 1 } })
    expect(link('type:WAFER', 'wo:GA-2')).toMatchObject({ type: 'wafer_origin', counts: { wafer_origin: 1 } })
    expect(link('wo:GA-1', 'wo:GA-2')).toMatchObject({ type: 'merge_source', counts: { merge_source: 1 } })
    expect(g.edges).toHaveLength(3)
    expect(g.children.get('group:wo:GA-1')).toEqual(['group:wo:GA-2'])
    expect(g.parents.get('group:wo:GA-2')!.sort()).toEqual(['group:type:WAFER', 'group:wo:GA-1'])
  })

  it('opens a group into its members, and draws revealed nodes on their own beside their group', () => {
    const opened = groupGraph(model, view, state('work_order', ['wo:GA-1']))
    expect(opened.items.has('group:wo:GA-1')).toBe(false)
    expect(['A1', 'A1-1', 'A1-2'].map((id) => opened.items.get(id)?.kind)).toEqual(['node', 'node', 'node'])
    expect(opened.edges.find((e) => e.from === 'A1' && e.to === 'A1-1')?.type).toBe('split_from')
    expect(opened.edges.find((e) => e.from === 'A1-2' && e.to === 'group:wo:GA-2')?.type).toBe('merge_source')

    const revealed = groupGraph(model, view, state('work_order', [], ['A1-2']))
    expect(revealed.items.get('group:wo:GA-1')!.members).toEqual(['A1', 'A1-1'])
    expect(revealed.items.get('A1-2')?.kind).toBe('node')
    expect([revealed.groups, revealed.singles]).toEqual([3, 1])
    // A group left with one member is drawn as that node.
    const alone = groupGraph(model, view, state('work_order', [], ['B1']))
    expect(alone.items.has('group:wo:GA-2')).toBe(false)
    expect(alone.items.get('B1-1')?.kind).toBe('node')
  })

  it('groups by wafer lot or type, or not at all', () => {
    expect(groupGraph(model, view, state('wafer_lot')).items.get('group:wl:W1')!.members.sort()).toEqual(['A1', 'A1-1', 'A1-2', 'W1'])
    expect(groupGraph(model, view, state('type')).items.get('group:type:GA')!.members).toHaveLength(4)
    const none = groupGraph(model, view, state('none'))
    expect([none.groups, none.singles]).toEqual([0, 7])
    expect(groupKeyOf(model, 'B1-1', 'type')).toBe('type:GD')
    expect(groupKeyOf(model, 'W1', 'work_order')).toBe('type:WAFER')
  })

  it('orders drawn items by name, type groups by their type', () => {
    const g = groupGraph(model, view, state('work_order'))
    expect([...g.items.keys()].sort(drawOrder(g))).toEqual(['group:wo:GA-1', 'group:wo:GA-2', 'group:type:WAFER'])
  })
})

describe('defaultGroupMode', () => {
  it('groups by work order above the threshold only', () => {
    expect(defaultGroupMode(buildLineageModel(mergeLineage()))).toBe('none')
    expect(defaultGroupMode(buildLineageModel(bigForwardLineage(GROUP_THRESHOLD)))).toBe('none')
    expect(defaultGroupMode(buildLineageModel(bigForwardLineage(GROUP_THRESHOLD + 1)))).toBe('work_order')
  })
})
