/**
 * What the lot timeline and the equipment timeline draw alike: lanes as an inverted category axis
 * with striped backgrounds, a time axis padded around the data, zoom and pan on time (wheel and
 * slider), the lanes scrolled by a slider past {@link VISIBLE_LANES}, and rectangles clipped to a
 * lane. Each chart keeps its own series, legend and tooltips.
 */
import type { CustomSeriesOption, ScatterSeriesOption } from 'echarts/charts'
import type { ComposeOption } from 'echarts/core'
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams } from 'echarts'
import type {
  AriaComponentOption,
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components'
import { CHART_COLORS } from './chart-theme'
import { showTime } from './lot-timeline-model'

/** The option type of both timelines. */
export type TimelineChartOption = ComposeOption<
  CustomSeriesOption | ScatterSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | DataZoomComponentOption | AriaComponentOption
>

/** Lanes visible at once; more scroll with the lane slider. */
export const VISIBLE_LANES = 12
/** Room above and below the lanes: legend, axis labels, the time slider. */
const CHROME_HEIGHT = 130

/** The canvas height for a number of lanes of a given height. */
export function timelineCanvasHeight(lanes: number, laneHeight: number): number {
  return Math.max(1, Math.min(lanes, VISIBLE_LANES)) * laneHeight + CHROME_HEIGHT
}

/** A local time in milliseconds as the timelines show times (`YYYY-MM-DD HH:mm:ss`). */
export function showLocalTime(ms: number): string {
  return showTime(new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString())
}

/** A rectangle in pixels. */
export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

/**
 * A rectangle on a lane between two times (the item's values 0: lane, 1: start, 2: end), clipped
 * to the plot and at least `minWidth` wide; `top` and `size` are fractions of the lane's height.
 */
export function laneRect(params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI, shape: { top: number; size: number; minWidth: number; laneHeight: number }): Rect | null {
  const lane = api.value(0)
  const start = api.coord([api.value(1), lane])
  const end = api.coord([api.value(2), lane])
  const height = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? shape.laneHeight
  const plot = params.coordSys as unknown as Rect
  const x0 = Math.max(start[0]!, plot.x)
  const x1 = Math.min(Math.max(end[0]!, start[0]! + shape.minWidth), plot.x + plot.width)
  if (x1 <= x0) return null
  return { x: x0, y: start[1]! - height / 2 + height * shape.top, width: x1 - x0, height: height * shape.size }
}

/** The item a tooltip is for: its series id and its data array. */
export interface TooltipItem {
  seriesId: string | undefined
  data: number[]
}

/** What differs between the two timelines' frames. */
export interface TimelineFrameSpec {
  /** The lane names, top to bottom. */
  lanes: string[]
  /** The time span of the data, padded on the axis; null: the axis fits itself. */
  window: { start: number; end: number } | null
  /** The widest the lane labels may be, in pixels (the grid's left is 20 px more at most). */
  laneLabelWidth: number
  /** The second colour of the lane stripes. */
  stripe: string
  /** The accessible description of the chart. */
  description: string
  /** The legend's names, in order. */
  legend: string[]
  /** The plain text of an item's tooltip. */
  tooltip: (item: TooltipItem) => string
  /** Extra settings of the time slider. */
  timeSlider?: DataZoomComponentOption
}

/** The option without its series: aria, grid, legend, tooltip, zoom and pan, the time and lane axes. */
export function timelineFrame(spec: TimelineFrameSpec): Omit<TimelineChartOption, 'series'> {
  const { lanes, window: w } = spec
  const pad = w ? Math.max((w.end - w.start) * 0.03, 5 * 60_000) : 0
  const many = lanes.length > VISIBLE_LANES
  const dataZoom: DataZoomComponentOption[] = [
    { type: 'inside', xAxisIndex: 0, filterMode: 'weakFilter' },
    { type: 'slider', xAxisIndex: 0, filterMode: 'weakFilter', bottom: 8, height: 20, labelFormatter: '', ...spec.timeSlider },
  ]
  if (many) dataZoom.push({ type: 'slider', yAxisIndex: 0, right: 8, width: 16, startValue: 0, endValue: VISIBLE_LANES - 1, zoomLock: true, showDetail: false, filterMode: 'empty' })
  const longest = Math.max(0, ...lanes.map((n) => n.length))
  return {
    aria: { enabled: true, label: { description: spec.description } },
    animation: false,
    grid: { left: Math.min(spec.laneLabelWidth + 20, 24 + longest * 7.5), right: many ? 40 : 24, top: 40, bottom: 64 },
    legend: { top: 0, type: 'scroll', data: spec.legend, textStyle: { color: CHART_COLORS.axisText } },
    tooltip: {
      trigger: 'item',
      renderMode: 'richText',
      confine: true,
      formatter: (params: unknown) => {
        const p = params as { seriesId?: string; data?: unknown }
        return spec.tooltip({ seriesId: p.seriesId, data: Array.isArray(p.data) ? (p.data as number[]) : [] })
      },
    },
    dataZoom,
    xAxis: {
      type: 'time',
      ...(w ? { min: w.start - pad, max: w.end + pad } : {}),
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
      axisLabel: { color: CHART_COLORS.axisText, width: spec.laneLabelWidth, overflow: 'truncate' },
      splitArea: { show: true, areaStyle: { color: ['#f8fafc', spec.stripe] } },
      axisTick: { show: false },
    },
  }
}
