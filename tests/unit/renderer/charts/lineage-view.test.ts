/** Graph logic of the lineage view: model, collapse, focus, cap and layered layout. */
import { describe, expect, it } from 'vitest'
import {
  ancestorsOf,
  buildLineageModel,
  collapseToSources,
  descendantsOf,
  focusSet,
  layoutLineage,
  lineageSummary,
  nextSelection,
  subtreeOf,
  toggleCollapsed,
  visibleGraph,
} from '../../../../renderer/src/charts/lineage-view'
import type { LineageModel } from '../../../../renderer/src/charts/lineage-view'
import type { ForwardLineage } from '../../../../shared/trace'
import { bigForwardLineage, forwardLineage, mergeLineage } from './fixtures'

const sorted = (s: Iterable<string>): string[] => [...s].sort()
const all = (model: LineageModel): Set<string> => new Set(model.nodes.keys())

describe('buildLineageModel', () => {
  it('takes nodes, typed edges, sources and seeds from a backward lineage', () => {
    const model = buildLineageModel(mergeLineage())
    expect(model.nodes.size).toBe(9)
    expect(model.edges).toHaveLength(9)
    expect(model.sources).toEqual(['W', 'X'])
    expect(model.seeds).toEqual(['S'])
    expect(model.nodes.get('S')).toMatchObject({ name: 's', type: 'LOT', isSeed: true })
    expect(model.nodes.get('W')).toMatchObject({ type: 'WAFER', waferLot: 'WL-W', isSeed: false })
    expect(sorted(model.parents.get('M')!)).toEqual(['B', 'C', 'X'])
    expect(model.edges.find((e) => e.from === 'D' && e.to === 'E')?.type).toBe('gd_rework_source')
  })

  it('completes missing edges from parent_map, typed as merges from merge_edges', () => {
    const lineage = mergeLineage()
    lineage.edges = lineage.edges.filter((e) => e.to_cid !== 'M')
    const model = buildLineageModel(lineage)
    expect(model.edges.filter((e) => e.to === 'M').map((e) => [e.from, e.type])).toEqual([
      ['B', 'merge_source'],
      ['C', 'merge_source'],
      ['X', 'merge_source'],
    ])
  })

  it('adds forward children_map edges once and serial numbers as shared leaf nodes', () => {
    const model = buildLineageModel(forwardLineage())
    expect(model.edges.filter((e) => e.from === 'R' && e.to === 'K1')).toHaveLength(1)
    expect(model.nodes.get('serial:SN1')).toMatchObject({ name: 'SN1', type: 'SERIAL' })
    expect(sorted(model.parents.get('serial:SN1')!)).toEqual(['K2', 'L1'])
    expect(model.edges.filter((e) => e.type === 'serial')).toHaveLength(3)
    expect(buildLineageModel(forwardLineage(), { includeSerials: false }).nodes.has('serial:SN1')).toBe(false)
  })

  it('names CIDs such as constructor and __proto__ by the lineage, never by what objects inherit', () => {
    const lineage: ForwardLineage = {
      ...forwardLineage(),
      roots: ['constructor'],
      seeds: ['constructor'],
      children_map: JSON.parse('{"constructor":["__proto__","toString"]}') as Record<string, string[]>,
      leaf_serials: {},
      names: JSON.parse('{"__proto__":"lot P"}') as Record<string, string>,
      nodes: {},
      edges: [],
    }
    const model = buildLineageModel(lineage)
    expect(sorted(model.nodes.keys())).toEqual(['__proto__', 'constructor', 'toString'])
    expect(model.nodes.get('__proto__')!.name).toBe('lot P')
    expect(model.nodes.get('constructor')!.name).toBe('constructor')
    expect(model.nodes.get('toString')!.name).toBe('toString')
  })

  it('creates an UNKNOWN node for an edge end missing from nodes, named from names', () => {
    const lineage = mergeLineage()
    lineage.edges = [...lineage.edges, { from_cid: 'Q', to_cid: 'W', edge_type: 'split_from' }]
    lineage.names.Q = 'q-name'
    const model = buildLineageModel(lineage)
    expect(model.nodes.get('Q')).toMatchObject({ name: 'q-name', type: 'UNKNOWN' })
    expect(model.sources).toEqual(['Q', 'X'])
  })
})

describe('queried lots, serial leaves and wafer edges', () => {
  it('marks the lots the user typed (a forward lineage\'s seeds) as queried, not its wafer roots', () => {
    const lineage = { ...forwardLineage(), seeds: ['K1'] }
    const model = buildLineageModel(lineage)
    expect(model.seeds).toEqual(['K1'])
    expect([...model.nodes.values()].filter((n) => n.isSeed).map((n) => n.id)).toEqual(['K1'])
    // A result written before the seeds were recorded marks none: its roots are not what was typed.
    expect(buildLineageModel(forwardLineage()).seeds).toEqual([])
    expect([...buildLineageModel(forwardLineage()).nodes.values()].some((n) => n.isSeed)).toBe(false)
  })

  it('draws the serial numbers a reverse trace\'s lots were merged into as leaves below them', () => {
    const lineage = { ...mergeLineage(), seed_serials: { S: ['PSN1', 'PSN2'] } }
    const model = buildLineageModel(lineage)
    expect(model.nodes.get('serial:PSN1')).toMatchObject({ type: 'SERIAL', name: 'PSN1', isSeed: false })
    expect(model.children.get('S')).toEqual(['serial:PSN1', 'serial:PSN2'])
    expect(model.edges.filter((e) => e.type === 'serial').map((e) => e.from)).toEqual(['S', 'S'])
    // Older results without seed_serials: no leaves.
    expect([...buildLineageModel(mergeLineage()).nodes.keys()].some((id) => id.startsWith('serial:'))).toBe(false)
  })

  it('leaves out a wafer edge to a lot that another lot of the same wafer lot leads to', () => {
    const lineage = forwardLineage()
    lineage.nodes = Object.fromEntries(Object.entries(lineage.nodes).map(([k, n]) => [k, { ...n, wafer_lot: 'WL1' }]))
    lineage.nodes.W = { container_id: 'W', container_name: 'WL1', mfgorder_name: null, wafer_lot: 'WL1', node_type: 'WAFER' }
    lineage.edges = ['R', 'K1', 'K2', 'L1'].map((to) => ({ from_cid: 'W', to_cid: to, edge_type: 'wafer_origin' as const }))
    const model = buildLineageModel(lineage)
    expect(model.edges.filter((e) => e.type === 'wafer_origin').map((e) => e.to)).toEqual(['R'])
    expect(model.thinnedWaferEdges).toBe(3)
    // Every lot is still downstream of the wafer.
    expect(sorted(descendantsOf(model, ['W'])).filter((id) => !id.startsWith('serial:'))).toEqual(['K1', 'K2', 'L1', 'R'])
  })
})

describe('subtreeOf', () => {
  it('is the nodes with their descendants forward, serial numbers left out', () => {
    const model = buildLineageModel(forwardLineage())
    expect(subtreeOf(model, ['K1'])).toEqual(['K1', 'L1'])
    expect(subtreeOf(model, ['K2', 'R'])).toEqual(['K2', 'R', 'K1', 'L1'])
    expect(subtreeOf(model, ['nope'])).toEqual([])
  })

  it('is the nodes with their ancestors backward, through merges', () => {
    const model = buildLineageModel(mergeLineage())
    expect(sorted(subtreeOf(model, ['M']))).toEqual(['A', 'B', 'C', 'M', 'W', 'X'])
    expect(subtreeOf(model, ['D'])).toEqual(['D', 'C', 'A', 'W'])
  })
})

describe('ancestors, descendants and focus', () => {
  const model = buildLineageModel(mergeLineage())
  it('walks up and down through merges', () => {
    expect(sorted(ancestorsOf(model, ['M']))).toEqual(['A', 'B', 'C', 'W', 'X'])
    expect(sorted(descendantsOf(model, ['C']))).toEqual(['D', 'E', 'M', 'S'])
    expect(sorted(focusSet(model, ['D']))).toEqual(['A', 'C', 'D', 'E', 'W'])
  })

  it('keeps only the focus with its ancestors and descendants', () => {
    const view = visibleGraph(model, { collapsed: new Set(), focus: ['D'] })
    expect(sorted(view.nodes)).toEqual(['A', 'C', 'D', 'E', 'W'])
    expect(view.hiddenByFocus).toBe(4)
    expect(view.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['W>A', 'A>C', 'C>D', 'D>E'])
  })
})

describe('visibleGraph with collapsed nodes', () => {
  const model = buildLineageModel(mergeLineage())

  it('shows everything when nothing is collapsed', () => {
    const view = visibleGraph(model, { collapsed: new Set(), focus: null })
    expect(view.nodes.size).toBe(9)
    expect(view.hiddenByCollapse + view.hiddenByCap + view.hiddenByFocus).toBe(0)
  })

  it('hides what is reachable only through the collapsed node', () => {
    const view = visibleGraph(model, { collapsed: new Set(['C']), focus: null })
    // M stays: it is also reached through B and X.
    expect(sorted(view.nodes)).toEqual(['A', 'B', 'C', 'M', 'S', 'W', 'X'])
    expect(view.hiddenByCollapse).toBe(2)
    expect([...view.collapsedWithHidden]).toEqual(['C'])
  })

  it('keeps a merge child reachable from another source', () => {
    const view = visibleGraph(model, { collapsed: new Set(['A']), focus: null })
    expect(sorted(view.nodes)).toEqual(['A', 'M', 'S', 'W', 'X'])
    expect(view.hiddenByCollapse).toBe(4)
  })

  it('does not mark a collapsed node whose children all stay visible', () => {
    const view = visibleGraph(model, { collapsed: new Set(['X']), focus: null })
    expect(view.nodes.size).toBe(9)
    expect(view.collapsedWithHidden.size).toBe(0)
  })

  it('collapses to the sources and toggles back', () => {
    const roots = collapseToSources(model)
    expect(sorted(roots)).toEqual(['W', 'X'])
    expect(sorted(visibleGraph(model, { collapsed: roots, focus: null }).nodes)).toEqual(['W', 'X'])
    const next = toggleCollapsed(roots, 'W')
    expect(sorted(next)).toEqual(['X'])
    expect(sorted(roots)).toEqual(['W', 'X'])
    expect(visibleGraph(model, { collapsed: next, focus: null }).nodes.size).toBe(9)
  })

  it('applies collapse inside a focus', () => {
    const view = visibleGraph(model, { collapsed: new Set(['C']), focus: ['D'] })
    expect(sorted(view.nodes)).toEqual(['A', 'C', 'W'])
    expect(view.hiddenByFocus).toBe(4)
    expect(view.hiddenByCollapse).toBe(2)
  })
})

describe('visibleGraph with the node cap', () => {
  it('keeps the nodes nearest to the seeds', () => {
    const model = buildLineageModel(mergeLineage())
    const view = visibleGraph(model, { collapsed: new Set(), focus: null, maxNodes: 3 })
    expect(sorted(view.nodes)).toEqual(['B', 'M', 'S'])
    expect(view.hiddenByCap).toBe(6)
    expect(view.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['B>M', 'M>S'])
    expect(lineageSummary(model, view)).toEqual({ total: 9, shown: 3, edges: 2, seeds: 1, hidden: 6, hiddenByCap: 6 })
  })

  it('caps a 20 000-node lineage at 1500 and lays it out', () => {
    const model = buildLineageModel(bigForwardLineage(20_000))
    const view = visibleGraph(model, { collapsed: new Set(), focus: null })
    expect(view.nodes.size).toBe(1500)
    expect(view.hiddenByCap).toBe(18_500)
    // Breadth-first from the seed N0: the first 1500 numbers.
    expect(view.nodes.has('N0') && view.nodes.has('N1499') && !view.nodes.has('N1500')).toBe(true)
    const layout = layoutLineage(model, view.nodes)
    expect(layout.size).toBe(1500)
    // Layers of a ternary tree: 1, 3, 9, 27, 81, 243, 729 nodes, then N1093… on layer 7.
    expect(layout.get('N1092')!.layer).toBe(6)
    expect(layout.get('N1499')!.layer).toBe(7)
  })
})

describe('layoutLineage', () => {
  it('puts each node on its longest path from a source', () => {
    const model = buildLineageModel(mergeLineage())
    const layout = layoutLineage(model, all(model))
    const layers = Object.fromEntries([...layout].map(([id, p]) => [id, p.layer]))
    expect(layers).toEqual({ W: 0, X: 0, A: 1, B: 2, C: 2, D: 3, M: 3, E: 4, S: 4 })
  })

  it('keeps nodes of a layer at least one row apart', () => {
    const model = buildLineageModel(mergeLineage())
    const layout = layoutLineage(model, all(model))
    const byLayer = new Map<number, number[]>()
    for (const p of layout.values()) byLayer.set(p.layer, [...(byLayer.get(p.layer) ?? []), p.y])
    for (const ys of byLayer.values()) {
      ys.sort((a, b) => a - b)
      for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(1 - 1e-9)
    }
  })

  it('keeps a chain on one row', () => {
    const model = buildLineageModel(mergeLineage())
    const layout = layoutLineage(model, new Set(['D', 'E', 'C']))
    expect(layout.get('C')).toEqual({ layer: 0, y: 0 })
    expect(layout.get('D')).toEqual({ layer: 1, y: 0 })
    expect(layout.get('E')).toEqual({ layer: 2, y: 0 })
  })

  it('orders a layer by its parents rather than by name, avoiding a crossing', () => {
    const lineage: ForwardLineage = {
      ...bigForwardLineage(0),
      roots: ['P', 'Q'],
      nodes: {},
      names: { P: 'p1', Q: 'p2', Z: 'a-child-of-q', Y: 'z-child-of-p' },
      children_map: { P: ['Y'], Q: ['Z'] },
    }
    const model = buildLineageModel(lineage)
    const layout = layoutLineage(model, all(model))
    expect(layout.get('P')!.y).toBeLessThan(layout.get('Q')!.y)
    expect(layout.get('Y')!.y).toBeLessThan(layout.get('Z')!.y)
  })

  it('lays out a cycle without hanging, breaking it at the smallest name', () => {
    const lineage = mergeLineage()
    lineage.edges = [...lineage.edges, { from_cid: 'S', to_cid: 'B', edge_type: 'split_from' }]
    const model = buildLineageModel(lineage)
    const view = visibleGraph(model, { collapsed: new Set(), focus: null })
    expect(view.nodes.size).toBe(9)
    const layout = layoutLineage(model, view.nodes)
    expect(layout.size).toBe(9)
    expect(layout.get('W')!.layer).toBe(0)
    for (const p of layout.values()) expect(Number.isFinite(p.y)).toBe(true)
  })
})

describe('nextSelection', () => {
  it('replaces the selection on a plain click', () => {
    expect(nextSelection(['A', 'B'], 'C', false)).toEqual(['C'])
  })
  it('adds with Ctrl/Cmd, and removes a node already selected', () => {
    expect(nextSelection(['A'], 'C', true)).toEqual(['A', 'C'])
    expect(nextSelection(['A', 'C'], 'A', true)).toEqual(['C'])
  })
})
