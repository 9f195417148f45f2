/** Lineage graph option: node positions and styles, edge styles, tooltip, click targets. */
import { describe, expect, it } from 'vitest'
import {
  EDGE_STYLES,
  LAYER_GAP,
  NODE_STYLES,
  ROW_GAP,
  SEED_BORDER,
  SELECTED_BORDER,
  buildLineageOption,
  lineageClickTarget,
  lineageNodeTooltip,
} from '../../../../renderer/src/charts/lineage-option'
import type { LineageLabels, LineageLinkDatum, LineageNodeDatum } from '../../../../renderer/src/charts/lineage-option'
import { buildLineageModel, layoutLineage, visibleGraph } from '../../../../renderer/src/charts/lineage-view'
import { forwardLineage, mergeLineage } from './fixtures'

const LABELS: LineageLabels = {
  nodeTypes: { WAFER: 'Wafer', GA: 'GA lot', GC: 'GC lot', GD: 'GD lot', LOT: 'Lot', UNKNOWN: 'Unknown', SERIAL: 'Serial' },
  edgeTypes: { split_from: 'Split', merge_source: 'Merge', wafer_origin: 'Wafer origin', gd_rework_source: 'GD rework', serial: 'Serial' },
  workOrder: 'Work order',
  waferLot: 'Wafer lot',
  seed: 'queried',
  collapsedMark: '[+]',
  description: 'Lineage',
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
})
