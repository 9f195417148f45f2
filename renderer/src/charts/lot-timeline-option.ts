/**
 * The ECharts option of the lot timeline: lanes as a category axis (one per lot), visits as
 * rectangles of a custom series per station group (so the legend names and toggles the groups),
 * holds, materials and rejects as scatter markers of distinct shapes on their lot's lane, zoom
 * and pan on the time axis (wheel and slider), and the lanes scrolled by a slider past
 * {@link VISIBLE_LANES}.
 */
import type { ComposeOption } from 'echarts/core'
import type { CustomSeriesOption, ScatterSeriesOption } from 'echarts/charts'
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from 'echarts'
import type {
  AriaComponentOption,
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components'
import { CHART_COLORS, plainText } from './chart-theme'
import { showTime, type MarkerKind, type TimelineBar, type TimelineMarker, type TimelineModel } from './lot-timeline-model'

export type LotTimelineOption = ComposeOption<
  CustomSeriesOption | ScatterSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | DataZoomComponentOption | AriaComponentOption
>

/** Lanes visible at once; more scroll with the lane slider. */
export const VISIBLE_LANES = 12
/** Height of one lane in pixels (the component sizes the canvas with {@link timelineHeight}). */
export const LANE_HEIGHT = 52
/** Room above and below the lanes: legend, axis labels, the time slider. */
const CHROME_HEIGHT = 130

/** Station-group colours, in station order: at least 3:1 against white, neighbours distinct. */
export const GROUP_PALETTE = ['#1d4ed8', '#15803d', '#7c3aed', '#a16207', '#0f766e', '#be185d', '#4d7c0f', '#475569', '#c2410c', '#1e3a8a', '#78350f', '#a21caf', '#0284c7', '#9f1239', '#6b21a8', '#374151'] as const

/**
 * Marker colours and shapes: each kind differs by shape as well as colour, with a dark outline for
 * contrast. They sit in the upper part of the lane, above the visit bars (holds and rejects in the
 * top row, materials, the most frequent, in the row below), so no marker hides a bar.
 */
export const MARKER_STYLE: Record<MarkerKind, { color: string; symbol: string; offset: number }> = {
  hold: { color: '#f59e0b', symbol: 'diamond', offset: -16 },
  material: { color: '#0ea5e9', symbol: 'triangle', offset: -4 },
  reject: { color: '#dc2626', symbol: 'pin', offset: -16 },
}

/** The canvas height for a number of lanes. */
export function timelineHeight(lanes: number): number {
  return Math.max(1, Math.min(lanes, VISIBLE_LANES)) * LANE_HEIGHT + CHROME_HEIGHT
}

export interface LotTimelineLabels {
  /** Legend names of the marker kinds. */
  hold: string
  material: string
  reject: string
  lot: string
  station: string
  machine: string
  trackIn: string
  trackOut: string
  /** Shown for a visit without track-out. */
  open: string
  /** "{h} h". */
  duration: string
  time: string
  description: string
}

/** The hours of a visit, 2 decimals (as the original's `N.NNh`). */
export function visitHours(bar: TimelineBar): string {
  return ((bar.end - bar.start) / 3_600_000).toFixed(2)
}

/** Tooltip text of a visit. */
export function barTooltip(bar: TimelineBar, lot: string, labels: LotTimelineLabels): string {
  const lines = [
    bar.spec || bar.group,
    `${labels.lot}: ${lot}`,
    `${labels.station}: ${bar.group}${bar.workcenter && bar.workcenter !== bar.group ? ` · ${bar.workcenter}` : ''}`,
    `${labels.machine}: ${bar.machine || '-'}`,
    `${labels.trackIn}: ${showTime(bar.trackIn)}`,
    `${labels.trackOut}: ${bar.open ? labels.open : showTime(bar.trackOut)}`,
  ]
  if (!bar.open) lines.push(labels.duration.replace('{h}', visitHours(bar)))
  return plainText(lines.join('\n'))
}

/** Tooltip text of a marker. */
export function markerTooltip(marker: TimelineMarker, lot: string, labels: LotTimelineLabels): string {
  const lines = [
    `${labels[marker.kind]}${marker.title ? `: ${marker.title}` : ''}`,
    `${labels.lot}: ${lot}`,
    `${labels.time}: ${showTime(marker.at)}`,
    `${labels.station}: ${marker.workcenter || '-'}`,
  ]
  if (marker.machine) lines.push(`${labels.machine}: ${marker.machine}`)
  if (marker.detail) lines.push(marker.detail)
  return plainText(lines.join('\n'))
}

/** Draws one visit: a rectangle across its lane, clipped to the plot. */
function renderVisit(params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn {
  const lane = api.value(0)
  const start = api.coord([api.value(1), lane])
  const end = api.coord([api.value(2), lane])
  const height = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? LANE_HEIGHT
  // The lower part of the lane: the markers have the upper part.
  const barHeight = height * 0.36
  const centre = start[1]! + height * 0.22
  const rect = params.coordSys as unknown as { x: number; y: number; width: number; height: number }
  const x0 = Math.max(start[0]!, rect.x)
  const x1 = Math.min(Math.max(end[0]!, start[0]! + 3), rect.x + rect.width)
  if (x1 <= x0) return null
  return {
    type: 'rect',
    shape: { x: x0, y: centre - barHeight / 2, width: x1 - x0, height: barHeight },
    style: { fill: api.visual('color') as string, opacity: api.value(4) === 1 ? 0.45 : 0.9, stroke: '#1f2937', lineWidth: 0.5 },
  }
}

/** The full chart option. */
export function buildLotTimelineOption(model: TimelineModel, labels: LotTimelineLabels): LotTimelineOption {
  const lanes = model.lanes.map((l) => l.name)
  const pad = model.window ? Math.max((model.window.end - model.window.start) * 0.03, 5 * 60_000) : 0
  const colorOf = new Map(model.groups.map((g, i) => [g, GROUP_PALETTE[i % GROUP_PALETTE.length]!]))
  const barSeries: CustomSeriesOption[] = model.groups.map((group) => ({
    type: 'custom',
    id: `group:${group}`,
    name: group,
    renderItem: renderVisit,
    itemStyle: { color: colorOf.get(group)! },
    encode: { x: [1, 2], y: 0 },
    // [lane, start, end, bar index, open]
    data: model.bars.flatMap((b, i) => (b.group === group ? [[b.lane, b.start, b.end, i, b.open ? 1 : 0]] : [])),
  }))
  const kinds: MarkerKind[] = ['hold', 'material', 'reject']
  const markerSeries: ScatterSeriesOption[] = kinds
    .filter((k) => model.markers.some((m) => m.kind === k))
    .map((kind) => ({
      type: 'scatter',
      id: `marker:${kind}`,
      name: labels[kind],
      symbol: MARKER_STYLE[kind].symbol,
      symbolSize: 11,
      symbolOffset: [0, MARKER_STYLE[kind].offset],
      itemStyle: { color: MARKER_STYLE[kind].color, borderColor: '#111827', borderWidth: 1 },
      z: 5,
      // [time, lane, marker index]
      data: model.markers.flatMap((m, i) => (m.kind === kind ? [[m.time, m.lane, i]] : [])),
    }))
  const many = lanes.length > VISIBLE_LANES
  const dataZoom: DataZoomComponentOption[] = [
    { type: 'inside', xAxisIndex: 0, filterMode: 'weakFilter' },
    { type: 'slider', xAxisIndex: 0, filterMode: 'weakFilter', bottom: 8, height: 20, labelFormatter: '' },
  ]
  if (many) {
    dataZoom.push({ type: 'slider', yAxisIndex: 0, right: 8, width: 16, startValue: 0, endValue: VISIBLE_LANES - 1, zoomLock: true, showDetail: false, filterMode: 'empty' })
  }
  const longest = Math.max(0, ...lanes.map((n) => n.length))
  return {
    aria: { enabled: true, label: { description: labels.description } },
    animation: false,
    grid: { left: Math.min(220, 24 + longest * 7.5), right: many ? 40 : 24, top: 40, bottom: 64 },
    // The marker kinds first: when the groups need a second legend page, the markers stay named.
    legend: { top: 0, type: 'scroll', data: [...markerSeries.map((m) => String(m.name)), ...model.groups], textStyle: { color: CHART_COLORS.axisText } },
    tooltip: {
      trigger: 'item',
      renderMode: 'richText',
      confine: true,
      formatter: (params: unknown) => {
        const p = params as { seriesId?: string; data?: unknown }
        const data = Array.isArray(p.data) ? (p.data as number[]) : []
        if (p.seriesId?.startsWith('group:')) {
          const bar = model.bars[data[3] ?? -1]
          return bar ? barTooltip(bar, model.lanes[bar.lane]!.name, labels) : ''
        }
        const marker = model.markers[data[2] ?? -1]
        return marker ? markerTooltip(marker, model.lanes[marker.lane]!.name, labels) : ''
      },
    },
    dataZoom,
    xAxis: {
      type: 'time',
      ...(model.window ? { min: model.window.start - pad, max: model.window.end + pad } : {}),
      axisLabel: {
        color: CHART_COLORS.axisText,
        hideOverlap: true,
        formatter: { year: '{yyyy}', month: '{yyyy}-{MM}', day: '{MM}-{dd}', hour: '{MM}-{dd} {HH}:{mm}', minute: '{HH}:{mm}', second: '{HH}:{mm}:{ss}', millisecond: '{HH}:{mm}:{ss}' },
      },
      splitLine: { show: true, lineStyle: { type: 'dashed', color: '#d1d5db' } },
    },
    yAxis: {
      type: 'category',
      data: lanes,
      inverse: true,
      axisLabel: { color: CHART_COLORS.axisText, width: 200, overflow: 'truncate' },
      splitArea: { show: true, areaStyle: { color: ['#f8fafc', '#eef2f7'] } },
      axisTick: { show: false },
    },
    series: [...barSeries, ...markerSeries],
  }
}
