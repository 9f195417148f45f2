/**
 * ECharts option of the lineage graph: a `graph` series with fixed positions from the layered
 * layout, node style by type, edge style by type, seeds and selection emphasised; groups drawn as
 * larger nodes with their member count; a tall layer wrapped into several columns, so hundreds of
 * groups or nodes never stack into one unreadable column.
 */
import type { ComposeOption } from 'echarts/core'
import type { GraphSeriesOption } from 'echarts/charts'
import type { AriaComponentOption, TooltipComponentOption } from 'echarts/components'
import type { ChartEventParams } from './chart-theme'
import { plainText } from './chart-theme'
import type { DrawGraph } from './lineage-groups'
import { GROUP_ID_PREFIX, groupGraph } from './lineage-groups'
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

/**
 * A layer taller than this many rows is wrapped into columns {@link WRAP_GAP} apart (room for a
 * group's label on the right), as many as make the block about as wide as the canvas is.
 */
export const WRAP_ROWS = 24
export const WRAP_GAP = 260

/** Symbol size of a group in a wrapped block. */
export const WRAPPED_GROUP_SIZE = 12

/** Opacity of links to and from groups. */
export const GROUP_LINK_OPACITY = 0.35

/** Rows in view around a node the graph centres on (Find), and the most it zooms in. */
export const CENTER_ROWS = 24
export const MAX_CENTER_ZOOM = 1.5

export interface LineageLabels {
  nodeTypes: Record<ViewNodeType, string>
  edgeTypes: Record<ViewEdgeType, string>
  workOrder: string
  waferLot: string
  seed: string
  /** Suffix of a collapsed node with hidden downstream nodes. */
  collapsedMark: string
  description: string
  /** A group's tooltip head, e.g. `GA26090054: 113 nodes`. */
  groupSummary: (name: string, count: number) => string
  /** How to open a group (tooltip). */
  groupHint: string
}

export interface LineageOptionInput {
  model: LineageModel
  view: VisibleGraph
  /** The drawn items; @default every visible node on its own */
  graph?: DrawGraph
  /** Positions of the drawn items (of the visible nodes when there is no `graph`). */
  layout: Map<string, NodePosition>
  /** The clicked nodes. */
  selected: readonly string[]
  /** The clicked nodes with their subtrees (what the event tabs show). @default the clicked nodes */
  detail?: ReadonlySet<string>
  /** Centre the view on this drawn item, zoomed in (Find). */
  centerOn?: string | null
  /** Width ÷ height of the canvas, for wrapping tall layers. @default 1.3 */
  aspect?: number
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
  itemStyle: { color: string; borderColor: string; borderWidth: number; borderType?: 'solid' | 'dashed' }
  label: { show: boolean; fontWeight: 'bold' | 'normal'; position?: 'right'; backgroundColor?: string; padding?: number[] }
  /** A group's member count (absent for a node). */
  count?: number
}

export interface LineageLinkDatum {
  source: string
  target: string
  edgeType: ViewEdgeType
  lineStyle: { color: string; type: EdgeStyle['type']; width: number; opacity?: number }
  /** Edges merged into this link, per type (links of groups). */
  counts?: Partial<Record<ViewEdgeType, number>>
}

/**
 * Positions in layout units: layer × {@link LAYER_GAP}, row × {@link ROW_GAP}; a layer of more than
 * {@link WRAP_ROWS} items is laid out in columns, top to bottom in its row order, and pushes the
 * later layers right by its extra width.
 */
export function placeItems(
  layout: ReadonlyMap<string, NodePosition>,
  aspect = 1.3,
  neighbours: (id: string) => readonly string[] = () => [],
): Map<string, { x: number; y: number; wrapped: boolean }> {
  const layers: string[][] = []
  for (const [id, at] of layout) (layers[at.layer] ??= []).push(id)
  const out = new Map<string, { x: number; y: number; wrapped: boolean }>()
  let shift = 0
  layers.forEach((row, l) => {
    const x0 = l * LAYER_GAP + shift
    if (row.length <= WRAP_ROWS) {
      for (const id of row) out.set(id, { x: x0, y: layout.get(id)!.y * ROW_GAP, wrapped: false })
      return
    }
    row.sort((a, b) => layout.get(a)!.y - layout.get(b)!.y)
    // The whole drawing (this block and the other layers beside it) about as wide against its
    // height as the canvas, so the fit to the canvas shrinks it least.
    const besides = (layers.length - 1) * LAYER_GAP
    let rows = row.length
    let best = Number.POSITIVE_INFINITY
    for (let c = 1; c <= row.length; c++) {
      const r = Math.max(8, Math.ceil(row.length / c))
      const misfit = Math.abs(Math.log((c * WRAP_GAP + besides) / (r * ROW_GAP) / aspect))
      if (misfit < best) {
        best = misfit
        rows = r
      }
      if (r === 8) break
    }
    const columns = Math.ceil(row.length / rows)
    // The block stays centred where the layer's rows wanted to be.
    const mean = row.reduce((sum, id) => sum + layout.get(id)!.y, 0) / row.length
    const top = (mean - (rows - 1) / 2) * ROW_GAP
    row.forEach((id, i) => out.set(id, { x: x0 + Math.floor(i / rows) * WRAP_GAP, y: top + (i % rows) * ROW_GAP, wrapped: true }))
    // The last column's labels run to its right: the next layer starts past them.
    shift += (columns - 1) * WRAP_GAP + WRAP_GAP / 2
  })
  if (layers.some((row) => row.length > WRAP_ROWS)) alignBesideBlocks(layers, out, neighbours)
  return out
}

/**
 * A wrapped block is far shorter than the column it replaced: the layers beside it move next to
 * the neighbours they link to (left to right, then right to left), a row apart, in their order.
 */
function alignBesideBlocks(
  layers: string[][],
  out: Map<string, { x: number; y: number; wrapped: boolean }>,
  neighbours: (id: string) => readonly string[],
): void {
  const settled = new Set<string>()
  for (const row of layers) if (row && row.length > WRAP_ROWS) for (const id of row) settled.add(id)
  const order = layers.map((_, l) => l)
  for (const pass of [order, [...order].reverse()]) {
    for (const l of pass) {
      const row = layers[l]
      if (!row || row.length > WRAP_ROWS) continue
      const desired = new Map<string, number>()
      for (const id of row) {
        const near = neighbours(id).filter((n) => settled.has(n) && out.has(n))
        desired.set(id, near.length > 0 ? near.reduce((sum, n) => sum + out.get(n)!.y, 0) / near.length : out.get(id)!.y)
      }
      const sorted = [...row].sort((a, b) => desired.get(a)! - desired.get(b)!)
      let previous = Number.NEGATIVE_INFINITY
      for (const id of sorted) {
        const y = Math.max(desired.get(id)!, previous + ROW_GAP)
        out.set(id, { ...out.get(id)!, y })
        previous = y
        settled.add(id)
      }
    }
  }
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

function drawnGraph(input: LineageOptionInput): DrawGraph {
  return input.graph ?? groupGraph(input.model, input.view, { mode: 'none', opened: new Set(), revealed: new Set() })
}

/** A group's tooltip: its name and count, its members per type, how to open it. */
export function lineageGroupTooltip(graph: DrawGraph, model: LineageModel, id: string, labels: LineageLabels): string {
  const item = graph.items.get(id)
  if (!item || item.kind !== 'group') return ''
  const types = new Map<ViewNodeType, number>()
  for (const m of item.members) {
    const t = model.nodes.get(m)?.type ?? 'UNKNOWN'
    types.set(t, (types.get(t) ?? 0) + 1)
  }
  const parts = [...types].map(([t, n]) => `${labels.nodeTypes[t]} ${n}`)
  return [labels.groupSummary(plainText(item.name || labels.nodeTypes[item.type]), item.members.length), parts.join(' · '), labels.groupHint].join('\n')
}

export function buildLineageNodes(input: LineageOptionInput): LineageNodeDatum[] {
  const { model, view, layout, selected, labels } = input
  const graph = drawnGraph(input)
  const chosen = new Set(selected)
  const detail = input.detail ?? chosen
  const showLabels = graph.items.size <= LABEL_NODE_LIMIT
  const placed = placeItems(layout, input.aspect, (id) => [...(graph.parents.get(id) ?? []), ...(graph.children.get(id) ?? [])])
  const out: LineageNodeDatum[] = []
  for (const item of graph.items.values()) {
    const at = placed.get(item.id)
    if (!at) continue
    const style = NODE_STYLES[item.type]
    if (item.kind === 'group') {
      const holdsSelection = item.members.some((m) => detail.has(m))
      const count = item.members.length
      out.push({
        id: item.id,
        name: `${item.name || labels.nodeTypes[item.type]} (${count})`,
        x: at.x,
        y: at.y,
        symbol: style.symbol,
        // A group in a wrapped block stays a row high (its count is in the label); elsewhere it grows with its count.
        symbolSize: at.wrapped ? WRAPPED_GROUP_SIZE : Math.round(Math.min(30, style.size * (1 + Math.log10(count) * 0.35))),
        itemStyle: { color: style.color, borderColor: holdsSelection ? SELECTED_BORDER : '#ffffff', borderWidth: holdsSelection ? 3 : 2, borderType: 'dashed' },
        // In a wrapped block the label goes right, into the column's gap; elsewhere below, as a node's.
        // …on a light backing: the group links that cross the block would run through its text.
        label: {
          show: true,
          fontWeight: holdsSelection ? 'bold' : 'normal',
          ...(at.wrapped ? { position: 'right' as const, backgroundColor: 'rgba(255,255,255,0.85)', padding: [0, 2] } : {}),
        },
        count,
      })
      continue
    }
    const n = model.nodes.get(item.id)
    if (!n) continue
    const isSelected = chosen.has(item.id)
    const inDetail = !isSelected && detail.has(item.id)
    const scale = n.isSeed ? 1.4 : 1
    out.push({
      id: item.id,
      name: view.collapsedWithHidden.has(item.id) ? `${n.name} ${labels.collapsedMark}` : n.name,
      x: at.x,
      y: at.y,
      symbol: style.symbol,
      symbolSize: Math.round(style.size * scale),
      itemStyle: {
        color: style.color,
        borderColor: isSelected || inDetail ? SELECTED_BORDER : n.isSeed ? SEED_BORDER : '#ffffff',
        borderWidth: isSelected ? 4 : n.isSeed || inDetail ? 3 : 1,
      },
      label: { show: showLabels || isSelected || n.isSeed, fontWeight: isSelected || n.isSeed ? 'bold' : 'normal' },
    })
  }
  return out
}

export function buildLineageLinks(view: VisibleGraph, graph?: DrawGraph): LineageLinkDatum[] {
  if (!graph) {
    return view.edges.map((e) => {
      const s = EDGE_STYLES[e.type]
      return { source: e.from, target: e.to, edgeType: e.type, lineStyle: { color: s.color, type: s.type, width: s.width } }
    })
  }
  return graph.edges.map((e) => {
    const s = EDGE_STYLES[e.type]
    const total = Object.values(e.counts).reduce((sum, n) => sum + (n ?? 0), 0)
    // A link standing for many edges is drawn a little thicker (log scale, at most 3 px more).
    const width = s.width + Math.min(3, Math.log10(Math.max(1, total)))
    // A link that stands for several edges (a group's) is drawn faint, so the labels it crosses stay legible.
    const grouped = total > 1 || graph.items.get(e.from)?.kind === 'group' || graph.items.get(e.to)?.kind === 'group'
    return {
      source: e.from,
      target: e.to,
      edgeType: e.type,
      lineStyle: { color: s.color, type: s.type, width, ...(grouped ? { opacity: GROUP_LINK_OPACITY } : {}) },
      counts: e.counts,
    }
  })
}

/** ECharts `center` and `zoom` that bring a drawn item to the middle of the view, zoomed in. */
export function centerOf(nodes: readonly LineageNodeDatum[], id: string | null | undefined): { center: [number, number]; zoom: number } | null {
  const target = id ? nodes.find((n) => n.id === id) : undefined
  if (!target) return null
  const xs = nodes.map((n) => n.x)
  const ys = nodes.map((n) => n.y)
  const height = Math.max(...ys) - Math.min(...ys)
  const width = Math.max(...xs) - Math.min(...xs)
  const zoom = Math.min(MAX_CENTER_ZOOM, Math.max(1, height / (CENTER_ROWS * ROW_GAP), width / (8 * LAYER_GAP)))
  return { center: [target.x, target.y], zoom }
}

export function buildLineageOption(input: LineageOptionInput): LineageOption {
  const { model, labels } = input
  const graph = drawnGraph(input)
  const nodes = buildLineageNodes({ ...input, graph })
  const links = buildLineageLinks(input.view, graph)
  const centred = centerOf(nodes, input.centerOn)
  return {
    aria: { enabled: true, label: { description: labels.description } },
    animation: false,
    tooltip: {
      renderMode: 'richText',
      formatter: (params) => {
        const p = (Array.isArray(params) ? params[0] : params) as { dataType?: string; data?: unknown } | undefined
        if (p?.dataType === 'edge') {
          const d = p.data as LineageLinkDatum | undefined
          if (!d) return ''
          const counts = Object.entries(d.counts ?? {}) as [ViewEdgeType, number][]
          const merged = counts.length > 1 || (counts[0]?.[1] ?? 1) > 1
          return merged ? counts.map(([type, n]) => `${labels.edgeTypes[type]} ${n}`).join(' · ') : labels.edgeTypes[d.edgeType]
        }
        const d = p?.data as LineageNodeDatum | undefined
        if (!d) return ''
        return d.id.startsWith(GROUP_ID_PREFIX) ? lineageGroupTooltip(graph, model, d.id, labels) : lineageNodeTooltip(model, d.id, labels)
      },
    },
    series: [
      {
        id: 'lineage',
        type: 'graph',
        layout: 'none',
        roam: true,
        // Room around the fitted nodes for the labels of the outermost ones.
        left: 40,
        right: 140,
        top: 30,
        bottom: 40,
        // Fit the drawing without stretching it: rows stay rows, symbols keep their shape.
        preserveAspect: 'contain',
        ...(centred ?? {}),
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

/** What a click hits: a container (with Ctrl/Cmd held or not) or a group; serial numbers are not containers. */
export type LineageClick = { cid: string; additive: boolean } | { group: string }

/** The container or group a click on the graph hits, or null. */
export function lineageClickTarget(params: ChartEventParams): LineageClick | null {
  if (params.componentType !== 'series' || params.seriesType !== 'graph' || params.dataType !== 'node') return null
  const id = (params.data as { id?: unknown } | undefined)?.id
  if (typeof id !== 'string' || id.startsWith(SERIAL_ID_PREFIX)) return null
  if (id.startsWith(GROUP_ID_PREFIX)) return { group: id.slice(GROUP_ID_PREFIX.length) }
  const e = params.event?.event
  return { cid: id, additive: Boolean(e?.ctrlKey || e?.metaKey) }
}
