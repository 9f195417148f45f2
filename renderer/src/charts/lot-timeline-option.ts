/**
 * The ECharts option of the lot timeline: lanes as a category axis (one per lot), visits as
 * rectangles of a custom series per station group (so the legend names and toggles the groups),
 * holds, materials and rejects as scatter markers of distinct shapes on their lot's lane, zoom
 * and pan on the time axis (wheel and slider), and the lanes scrolled by a slider past
 * {@link VISIBLE_LANES}.
 */
import type { CustomSeriesOption, ScatterSeriesOption } from 'echarts/charts'
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from 'echarts'
import { plainText } from './chart-theme'
import { showTime, type MarkerKind, type TimelineBar, type TimelineMarker, type TimelineModel } from './lot-timeline-model'
import { laneRect, timelineCanvasHeight, timelineFrame, VISIBLE_LANES, type TimelineChartOption } from './timeline-chart'

export type LotTimelineOption = TimelineChartOption

/** Lanes visible at once (the timelines' common number). */
export { VISIBLE_LANES }

/** Height of one lane in pixels (the component sizes the canvas with {@link timelineHeight}). */
export const LANE_HEIGHT = 52

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
  return timelineCanvasHeight(lanes, LANE_HEIGHT)
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
  // The lower part of the lane: the markers have the upper part.
  const rect = laneRect(params, api, { top: 0.54, size: 0.36, minWidth: 3, laneHeight: LANE_HEIGHT })
  return rect ? { type: 'rect', shape: rect, style: { fill: api.visual('color') as string, opacity: api.value(4) === 1 ? 0.45 : 0.9, stroke: '#1f2937', lineWidth: 0.5 } } : null
}

/** The full chart option. */
export function buildLotTimelineOption(model: TimelineModel, labels: LotTimelineLabels): LotTimelineOption {
  const lanes = model.lanes.map((l) => l.name)
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
  return {
    ...timelineFrame({
      lanes,
      window: model.window,
      laneLabelWidth: 200,
      stripe: '#eef2f7',
      description: labels.description,
      // The marker kinds first: when the groups need a second legend page, the markers stay named.
      legend: [...markerSeries.map((m) => String(m.name)), ...model.groups],
      tooltip: ({ seriesId, data }) => {
        if (seriesId?.startsWith('group:')) {
          const bar = model.bars[data[3] ?? -1]
          return bar ? barTooltip(bar, model.lanes[bar.lane]!.name, labels) : ''
        }
        const marker = model.markers[data[2] ?? -1]
        return marker ? markerTooltip(marker, model.lanes[marker.lane]!.name, labels) : ''
      },
    }),
    series: [...barSeries, ...markerSeries],
  }
}
