/**
 * ECharts option of the lineage graph: a `graph` series with fixed positions from
 * `layoutLineage`, node style by type, edge style by type, seeds and selection emphasised.
 */
import type { ComposeOption } from 'echarts/core'
import type { GraphSeriesOption } from 'echarts/charts'
import type { AriaComponentOption, TooltipComponentOption } from 'echarts/components'
import type { ChartEventParams } from './chart-theme'
import { plainText } from './chart-theme'
import type { LineageModel, NodePosition, ViewEdgeType, ViewNodeType, VisibleGraph } from './lineage-view'
import { SERIAL_ID_PREFIX } from './lineage-view'

export type LineageOption = ComposeOption<GraphSeriesOption | TooltipComponentOption | AriaComponentOption>

export interface NodeStyle {
  color: string
  /** ECharts symbol name. */
  symbol: 'circle' | 'rect' | 'roundRect' | 'triangle' | 'diamond' | 'pin'
  size: number
}

/** Node styles; every colour has ≥ 4.5:1 contrast on white. */
export const NODE_STYLES: Record<ViewNodeType, NodeStyle> = {
  WAFER: { color: '#1d4ed8', symbol: 'diamond', size: 18 },
  GA: { color: '#0f766e', symbol: 'roundRect', size: 16 },
  GC: { color: '#7c3aed', symbol: 'triangle', size: 17 },
  GD: { color: '#b91c1c', symbol: 'rect', size: 15 },
  LOT: { color: '#334155', symbol: 'circle', size: 14 },
  UNKNOWN: { color: '#6b7280', symbol: 'circle', size: 11 },
  SERIAL: { color: '#a16207', symbol: 'pin', size: 16 },
}

export interface EdgeStyle {
  color: string
  type: 'solid' | 'dashed' | 'dotted'
  width: number
}

/** Edge styles of domain.md §7.4: split solid grey, merge dashed amber, wafer dotted blue, GD rework dashed red. */
export const EDGE_STYLES: Record<ViewEdgeType, EdgeStyle> = {
  split_from: { color: '#6b7280', type: 'solid', width: 1.5 },
  merge_source: { color: '#b45309', type: 'dashed', width: 2 },
  wafer_origin: { color: '#1d4ed8', type: 'dotted', width: 2 },
  gd_rework_source: { color: '#dc2626', type: 'dashed', width: 2 },
  serial: { color: '#a16207', type: 'solid', width: 1 },
}

/** Border of seeds and of the selection. */
export const SEED_BORDER = '#111827'
export const SELECTED_BORDER = '#db2777'

/** Labels are drawn only below this many nodes (tooltips always work). */
export const LABEL_NODE_LIMIT = 300

/** Spacing of layers (x) and rows (y) in layout units. */
export const LAYER_GAP = 220
export const ROW_GAP = 44

export interface LineageLabels {
  nodeTypes: Record<ViewNodeType, string>
  edgeTypes: Record<ViewEdgeType, string>
  workOrder: string
  waferLot: string
  seed: string
  /** Suffix of a collapsed node with hidden downstream nodes. */
  collapsedMark: string
  description: string
}

export interface LineageOptionInput {
  model: LineageModel
  view: VisibleGraph
  layout: Map<string, NodePosition>
  selected: readonly string[]
  labels: LineageLabels
}

/** One node as given to the graph series (the fields the tests read). */
export interface LineageNodeDatum {
  id: string
  name: string
  x: number
  y: number
  symbol: string
  symbolSize: number
  itemStyle: { color: string; borderColor: string; borderWidth: number }
  label: { show: boolean; fontWeight: 'bold' | 'normal' }
}

export interface LineageLinkDatum {
  source: string
  target: string
  edgeType: ViewEdgeType
  lineStyle: { color: string; type: EdgeStyle['type']; width: number }
}

/** Node tooltip text (rich text). */
export function lineageNodeTooltip(model: LineageModel, id: string, labels: LineageLabels): string {
  const n = model.nodes.get(id)
  if (!n) return ''
  const lines = [`${plainText(n.name)}${n.isSeed ? ` (${labels.seed})` : ''}`, labels.nodeTypes[n.type]]
  if (n.mfgorder) lines.push(`${labels.workOrder}: ${plainText(n.mfgorder)}`)
  if (n.waferLot) lines.push(`${labels.waferLot}: ${plainText(n.waferLot)}`)
  if (n.type !== 'SERIAL') lines.push(plainText(n.id))
  return lines.join('\n')
}

export function buildLineageNodes(input: LineageOptionInput): LineageNodeDatum[] {
  const { model, view, layout, selected, labels } = input
  const chosen = new Set(selected)
  const showLabels = view.nodes.size <= LABEL_NODE_LIMIT
  const out: LineageNodeDatum[] = []
  for (const id of view.nodes) {
    const n = model.nodes.get(id)
    const at = layout.get(id)
    if (!n || !at) continue
    const style = NODE_STYLES[n.type]
    const isSelected = chosen.has(id)
    const scale = n.isSeed ? 1.4 : 1
    out.push({
      id,
      name: view.collapsedWithHidden.has(id) ? `${n.name} ${labels.collapsedMark}` : n.name,
      x: at.layer * LAYER_GAP,
      y: at.y * ROW_GAP,
      symbol: style.symbol,
      symbolSize: Math.round(style.size * scale),
      itemStyle: {
        color: style.color,
        borderColor: isSelected ? SELECTED_BORDER : n.isSeed ? SEED_BORDER : '#ffffff',
        borderWidth: isSelected ? 4 : n.isSeed ? 3 : 1,
      },
      label: { show: showLabels || isSelected || n.isSeed, fontWeight: isSelected || n.isSeed ? 'bold' : 'normal' },
    })
  }
  return out
}

export function buildLineageLinks(view: VisibleGraph): LineageLinkDatum[] {
  return view.edges.map((e) => {
    const s = EDGE_STYLES[e.type]
    return { source: e.from, target: e.to, edgeType: e.type, lineStyle: { color: s.color, type: s.type, width: s.width } }
  })
}

export function buildLineageOption(input: LineageOptionInput): LineageOption {
  const { model, labels } = input
  const nodes = buildLineageNodes(input)
  const links = buildLineageLinks(input.view)
  return {
    aria: { enabled: true, label: { description: labels.description } },
    animation: false,
    tooltip: {
      renderMode: 'richText',
      formatter: (params) => {
        const p = (Array.isArray(params) ? params[0] : params) as { dataType?: string; data?: unknown } | undefined
        if (p?.dataType === 'edge') {
          const d = p.data as LineageLinkDatum | undefined
          return d ? labels.edgeTypes[d.edgeType] : ''
        }
        const d = p?.data as LineageNodeDatum | undefined
        return d ? lineageNodeTooltip(model, d.id, labels) : ''
      },
    },
    series: [
      {
        id: 'lineage',
        type: 'graph',
        layout: 'none',
        roam: true,
        draggable: false,
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 6,
        label: { position: 'bottom', fontSize: 11, color: '#1f2937' },
        labelLayout: { hideOverlap: true },
        emphasis: { focus: 'adjacency', lineStyle: { width: 3 } },
        data: nodes,
        links,
      },
    ],
  }
}

/** The container a click selects (serial numbers are not containers), with Ctrl/Cmd held. */
export function lineageClickTarget(params: ChartEventParams): { cid: string; additive: boolean } | null {
  if (params.componentType !== 'series' || params.seriesType !== 'graph' || params.dataType !== 'node') return null
  const id = (params.data as { id?: unknown } | undefined)?.id
  if (typeof id !== 'string' || id.startsWith(SERIAL_ID_PREFIX)) return null
  const e = params.event?.event
  return { cid: id, additive: Boolean(e?.ctrlKey || e?.metaKey) }
}
