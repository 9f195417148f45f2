/** Lineage graph option: node positions and styles, edge styles, tooltip, click targets. */
import { describe, expect, it } from 'vitest'
import {
  EDGE_STYLES,
  GROUP_LINK_OPACITY,
  LAYER_GAP,
  MAX_CENTER_ZOOM,
  WRAP_GAP,
  WRAP_ROWS,
  centerOf,
  placeItems,
  NODE_STYLES,
  ROW_GAP,
  SEED_BORDER,
  SELECTED_BORDER,
  buildLineageOption,
  lineageClickTarget,
  lineageNodeTooltip,
} from '../../../../renderer/src/charts/lineage-option'
import type { LineageLabels, LineageLinkDatum, LineageNodeDatum } from '../../../../renderer/src/charts/lineage-option'
import { drawOrder, groupGraph } from '../../../../renderer/src/charts/lineage-groups'
import { buildLineageModel, layoutGraph, layoutLineage, visibleGraph } from '../../../../renderer/src/charts/lineage-view'
import type { NodePosition } from '../../../../renderer/src/charts/lineage-view'
import { bigForwardLineage, forwardLineage, mergeLineage } from './fixtures'

const LABELS: LineageLabels = {
  nodeTypes: { WAFER: 'Wafer', GA: 'GA lot', GC: 'GC lot', GD: 'GD lot', LOT: 'Lot', UNKNOWN: 'Unknown', SERIAL: 'Serial' },
  edgeTypes: { split_from: 'Split', merge_source: 'Merge', wafer_origin: 'Wafer origin', gd_rework_source: 'GD rework', serial: 'Serial' },
  workOrder: 'Work order',
  waferLot: 'Wafer lot',
  seed: 'queried',
  collapsedMark: '[+]',
  description: 'Lineage',
  groupSummary: (name, count) => `${name}: ${count} nodes`,
  groupHint: 'Click to open',
}

function optionFor(selected: string[], collapsed: string[] = []) {
  const model = buildLineageModel(mergeLineage())
  const view = visibleGraph(model, { collapsed: new Set(collapsed), focus: null })
  const layout = layoutLineage(model, view.nodes)
  const option = buildLineageOption({ model, view, layout, selected, labels: LABELS })
  const series = (option.series as { type: string; layout: string; data: LineageNodeDatum[]; links: LineageLinkDatum[] }[])[0]!
  return { model, layout, option, series, node: (id: string) => series.data.find((n) => n.id === id)! }
}

describe('buildLineageOption', () => {
  it('is a graph series with fixed positions from the layered layout', () => {
    const { series, layout, node } = optionFor([])
    expect(series.type).toBe('graph')
    expect(series.layout).toBe('none')
    expect(series.data).toHaveLength(9)
    expect([node('M').x, node('M').y]).toEqual([3 * LAYER_GAP, layout.get('M')!.y * ROW_GAP])
    expect(node('W').x).toBe(0)
  })

  it('styles nodes by type, emphasises seeds and the selection', () => {
    const { node } = optionFor(['C'])
    expect([node('W').symbol, node('W').itemStyle.color]).toEqual(['diamond', NODE_STYLES.WAFER.color])
    expect([node('D').symbol, node('D').itemStyle.color]).toEqual(['rect', NODE_STYLES.GD.color])
    expect(node('S').itemStyle).toMatchObject({ borderColor: SEED_BORDER, borderWidth: 3 })
    expect(node('S').symbolSize).toBeGreaterThan(NODE_STYLES.LOT.size)
    expect(node('C').itemStyle).toMatchObject({ borderColor: SELECTED_BORDER, borderWidth: 4 })
    expect(node('C').label.fontWeight).toBe('bold')
    expect(node('B').itemStyle.borderWidth).toBe(1)
  })

  it('styles edges by type', () => {
    const { series } = optionFor([])
    const style = (from: string, to: string) => series.links.find((l) => l.source === from && l.target === to)!.lineStyle
    expect(style('A', 'B')).toEqual({ color: '#6b7280', type: 'solid', width: EDGE_STYLES.split_from.width })
    expect(style('B', 'M')).toMatchObject({ color: '#b45309', type: 'dashed' })
    expect(style('W', 'A')).toMatchObject({ color: '#1d4ed8', type: 'dotted' })
    expect(style('D', 'E')).toMatchObject({ color: '#dc2626', type: 'dashed' })
  })

  it('marks a collapsed node that hides nodes and drops the hidden ones', () => {
    const { series, node } = optionFor([], ['C'])
    expect(node('C').name).toBe('c [+]')
    expect(series.data.map((n) => n.id).sort()).toEqual(['A', 'B', 'C', 'M', 'S', 'W', 'X'])
    expect(series.links.some((l) => l.target === 'D')).toBe(false)
  })

  it('explains nodes and edges in its rich-text tooltip', () => {
    const { option, model } = optionFor([])
    const tooltip = option.tooltip as { renderMode: string; formatter: (p: unknown) => string }
    expect(tooltip.renderMode).toBe('richText')
    expect(tooltip.formatter({ dataType: 'edge', data: { edgeType: 'merge_source' } })).toBe('Merge')
    expect(tooltip.formatter({ dataType: 'node', data: { id: 'A' } })).toBe(lineageNodeTooltip(model, 'A', LABELS))
    expect(lineageNodeTooltip(model, 'A', LABELS).split('\n')).toEqual(['a', 'GA lot', 'Work order: GA-A', 'A'])
    expect(lineageNodeTooltip(model, 'S', LABELS).split('\n')[0]).toBe('s (queried)')
  })

  it('draws serial numbers of a forward lineage as leaves', () => {
    const model = buildLineageModel(forwardLineage())
    const view = visibleGraph(model, { collapsed: new Set(), focus: null })
    const option = buildLineageOption({ model, view, layout: layoutLineage(model, view.nodes), selected: [], labels: LABELS })
    const series = (option.series as { data: LineageNodeDatum[]; links: LineageLinkDatum[] }[])[0]!
    const sn1 = series.data.find((n) => n.id === 'serial:SN1')!
    expect(sn1.symbol).toBe('pin')
    expect(sn1.x).toBe(3 * LAYER_GAP)
    expect(series.links.filter((l) => l.edgeType === 'serial').map((l) => l.source).sort()).toEqual(['K2', 'L1', 'L1'])
  })
})

describe('lineageClickTarget', () => {
  const click = (id: string, key: { ctrlKey?: boolean; metaKey?: boolean } = {}) => ({
    componentType: 'series',
    seriesType: 'graph',
    dataType: 'node',
    data: { id },
    event: { event: key },
  })
  it('selects the clicked container, additive with Ctrl or Cmd', () => {
    expect(lineageClickTarget(click('A'))).toEqual({ cid: 'A', additive: false })
    expect(lineageClickTarget(click('A', { ctrlKey: true }))).toEqual({ cid: 'A', additive: true })
    expect(lineageClickTarget(click('A', { metaKey: true }))).toEqual({ cid: 'A', additive: true })
  })
  it('ignores edges and serial-number nodes', () => {
    expect(lineageClickTarget({ ...click('A'), dataType: 'edge' })).toBeNull()
    expect(lineageClickTarget(click('serial:SN1'))).toBeNull()
  })
  it('opens a group, whatever keys are held', () => {
    expect(lineageClickTarget(click('group:wo:GA26090054', { ctrlKey: true }))).toEqual({ group: 'wo:GA26090054' })
  })
})

describe('grouped drawing', () => {
  // 400 lots under one root, fan-out 20: the root, 20 children and 379 grandchildren.
  const lineage = bigForwardLineage(400, 20)
  for (const [cid, n] of Object.entries(lineage.nodes)) {
    const i = Number(cid.slice(1))
    lineage.nodes[cid] = { ...n, mfgorder_name: i === 0 ? 'GA-ROOT' : `GA-${String(i % 30).padStart(2, '0')}`, node_type: 'GA' }
  }
  const model = buildLineageModel(lineage)
  const view = visibleGraph(model, { collapsed: new Set(), focus: null, maxNodes: Infinity })

  function drawn(selected: string[], detail: string[] = selected, centerOn: string | null = null) {
    const graph = groupGraph(model, view, { mode: 'work_order', opened: new Set(), revealed: new Set(selected) })
    const layout = layoutGraph([...graph.items.keys()], (id) => graph.parents.get(id)!, (id) => graph.children.get(id)!, drawOrder(graph))
    const option = buildLineageOption({ model, view, graph, layout, selected, detail: new Set(detail), centerOn, labels: LABELS })
    const series = (option.series as { data: LineageNodeDatum[]; links: LineageLinkDatum[]; center?: number[]; zoom?: number }[])[0]!
    return { graph, option, series, node: (id: string) => series.data.find((n) => n.id === id)! }
  }

  it('draws a group as one node with its count and its members\' share of the selection', () => {
    const { series, node, graph } = drawn(['N5'], ['N5', 'N101', 'N102'])
    expect(series.data).toHaveLength(graph.items.size)
    const group = node('group:wo:GA-13')
    expect(group.count).toBe(graph.items.get('group:wo:GA-13')!.members.length)
    expect(group.count).toBeGreaterThan(10)
    expect(group.name).toBe(`GA-13 (${group.count})`)
    expect(group.itemStyle).toMatchObject({ borderType: 'dashed', borderColor: '#ffffff' })
    // N101 (GA-11) is in the picked subtree: its group is marked.
    expect(node('group:wo:GA-11').itemStyle.borderColor).toBe(SELECTED_BORDER)
    expect(node('N5').itemStyle).toMatchObject({ borderColor: SELECTED_BORDER, borderWidth: 4 })
  })

  it('draws links of groups faint, with the count of each edge type in the tooltip', () => {
    const { series, option } = drawn([])
    const link = series.links.find((l) => l.source.startsWith('group:') && l.target.startsWith('group:'))!
    expect(link.lineStyle.opacity).toBe(GROUP_LINK_OPACITY)
    const tooltip = option.tooltip as { formatter: (p: unknown) => string }
    expect(tooltip.formatter({ dataType: 'edge', data: link })).toBe('Split')
    expect(tooltip.formatter({ dataType: 'edge', data: { edgeType: 'split_from', counts: { split_from: 3, merge_source: 1 } } })).toBe('Split 3 · Merge 1')
    const group = series.data.find((n) => n.id.startsWith('group:'))!
    expect(tooltip.formatter({ dataType: 'node', data: group }).split('\n')).toEqual([`${group.name.replace(/ \(\d+\)$/, '')}: ${group.count} nodes`, `GA lot ${group.count}`, 'Click to open'])
  })

  it('centres on a drawn node, zoomed in at most MAX_CENTER_ZOOM', () => {
    const { series, node } = drawn(['N399'], ['N399'], 'N399')
    expect(series.center).toEqual([node('N399').x, node('N399').y])
    expect(series.zoom).toBeGreaterThanOrEqual(1)
    expect(series.zoom).toBeLessThanOrEqual(MAX_CENTER_ZOOM)
    expect(drawn([]).series.center).toBeUndefined()
    expect(centerOf([], 'x')).toBeNull()
  })
})

describe('placeItems', () => {
  it('keeps short layers in one column and wraps a tall one into columns as wide as the canvas wants', () => {
    const layout = new Map<string, NodePosition>([['root', { layer: 0, y: 50 }]])
    for (let i = 0; i < 100; i++) layout.set(`k${i}`, { layer: 1, y: i })
    layout.set('leaf', { layer: 2, y: 50 })
    const wide = placeItems(layout, 2)
    expect(wide.get('root')).toEqual({ x: 0, y: 50 * ROW_GAP, wrapped: false })
    const xs = new Set([...wide].filter(([id]) => id.startsWith('k')).map(([, p]) => p.x))
    // 5 columns of 20 rows: (5 × 260 + 2 × 220) ÷ (20 × 44) ≈ 1.98, nearest to 2 (4 × 25 gives 1.35, 6 × 17 gives 2.67).
    expect(xs.size).toBe(5)
    expect(Math.min(...xs)).toBe(LAYER_GAP)
    expect(wide.get('k19')).toMatchObject({ x: LAYER_GAP, wrapped: true })
    expect(wide.get('k20')).toMatchObject({ x: LAYER_GAP + WRAP_GAP, wrapped: true })
    // The next layer moves right by the block's extra width and its last column's labels.
    expect(wide.get('leaf')!.x).toBe(2 * LAYER_GAP + 4.5 * WRAP_GAP)
    const narrow = placeItems(layout, 0.5)
    expect(new Set([...narrow].filter(([id]) => id.startsWith('k')).map(([, p]) => p.x)).size).toBeLessThan(xs.size)
    // Beside a block, a layer moves next to what it links to: the root to the middle of its
    // children, the leaf beside its parent k42.
    const linked = placeItems(layout, 2, (id) => (id === 'root' ? [...layout.keys()].filter((k) => k.startsWith('k')) : id === 'leaf' ? ['k42'] : []))
    const ks = [...linked].filter(([id]) => id.startsWith('k')).map(([, p]) => p.y)
    expect(linked.get('root')!.y).toBeCloseTo(ks.reduce((a, b) => a + b, 0) / ks.length)
    expect(linked.get('leaf')!.y).toBe(linked.get('k42')!.y)
    // At most WRAP_ROWS rows stay a column.
    const short = new Map<string, NodePosition>(Array.from({ length: WRAP_ROWS }, (_, i) => [`s${i}`, { layer: 0, y: i }]))
    expect(new Set([...placeItems(short)].map(([, p]) => p.x))).toEqual(new Set([0]))
  })
})
