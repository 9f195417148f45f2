/**
 * The ECharts option of the equipment timeline: machines as a category axis (one lane each, in the
 * order picked), statuses as semi-transparent full-height bands (a custom series per status, so
 * the legend names and toggles them), lots as bars in the lane's lower part, repair jobs as
 * triangles in its upper part, zoom and pan on the time axis (wheel and slider), lanes scrolled by
 * a slider past {@link VISIBLE_LANES} — the lot timeline's patterns and theme.
 */
import type { ComposeOption } from 'echarts/core'
import type { CustomSeriesOption, ScatterSeriesOption } from 'echarts/charts'
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from 'echarts'
import type { AriaComponentOption, DataZoomComponentOption, GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components'
import { CHART_COLORS, plainText } from './chart-theme'
import { showTime } from './lot-timeline-model'
import { JOB_COLOR, LOT_COLOR, OTHER_STATUS_COLOR, STATUS_COLORS, type EquipmentTimelineModel, type JobMark, type LotBar, type StatusBand } from './equipment-timeline-model'

export type EquipmentTimelineOption = ComposeOption<
  CustomSeriesOption | ScatterSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | DataZoomComponentOption | AriaComponentOption
>

/** Lanes visible at once; more scroll with the lane slider. */
export const VISIBLE_LANES = 12
/** Height of one lane in pixels. */
export const LANE_HEIGHT = 48
/** Room above and below the lanes: legend, axis labels, the time slider. */
const CHROME_HEIGHT = 130
/** The narrowest lot bar (as the original: 4 px), so a short visit still shows. */
export const MIN_BAR_PX = 4

/** The canvas height for a number of lanes. */
export function equipmentTimelineHeight(lanes: number): number {
  return Math.max(1, Math.min(lanes, VISIBLE_LANES)) * LANE_HEIGHT + CHROME_HEIGHT
}

export interface EquipmentTimelineLabels {
  /** Legend names: the lots, the jobs, and each status by code. */
  lot: string
  job: string
  statusName: (status: string) => string
  machine: string
  start: string
  end: string
  trackIn: string
  trackOut: string
  open: string
  /** "… {h} …". */
  duration: string
  time: string
  status: string
  description: string
}

const hours = (start: number, end: number): string => ((end - start) / 3_600_000).toFixed(2)

export function bandTooltip(b: StatusBand, lane: string, labels: EquipmentTimelineLabels): string {
  return plainText(
    [labels.statusName(b.status), `${labels.machine}: ${lane}`, `${labels.start}: ${showTime(b.from)}`, `${labels.end}: ${showTime(b.to)}`, labels.duration.replace('{h}', b.hours.toFixed(2))].join('\n'),
  )
}

export function lotTooltip(l: LotBar, lane: string, labels: EquipmentTimelineLabels): string {
  const lines = [l.lotId, `${labels.machine}: ${lane}`, `${labels.trackIn}: ${showTime(l.trackIn)}`, `${labels.trackOut}: ${l.open ? labels.open : showTime(l.trackOut)}`]
  if (!l.open) lines.push(labels.duration.replace('{h}', hours(l.start, l.end)))
  const detail = [l.spec, l.workcenter].filter(Boolean).join(' / ')
  if (detail) lines.push(detail)
  return plainText(lines.join('\n'))
}

export function jobTooltip(j: JobMark, lane: string, labels: EquipmentTimelineLabels): string {
  const lines = [[j.jobId, j.cause].filter(Boolean).join(' '), `${labels.machine}: ${lane}`, `${labels.time}: ${showTime(j.at)}`]
  if (j.status) lines.push(`${labels.status}: ${j.status}`)
  const detail = [j.repair, j.symptom, j.lots].filter(Boolean).join(' / ')
  if (detail) lines.push(detail)
  return plainText(lines.join('\n'))
}

interface Rect {
  x: number
  y: number
  width: number
  height: number
}

/** A rectangle on a lane between two times, clipped to the plot; `top`/`size` are fractions of the lane. */
function laneRect(params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI, top: number, size: number, minWidth: number): Rect | null {
  const lane = api.value(0)
  const start = api.coord([api.value(1), lane])
  const end = api.coord([api.value(2), lane])
  const height = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? LANE_HEIGHT
  const plot = params.coordSys as unknown as Rect
  const x0 = Math.max(start[0]!, plot.x)
  const x1 = Math.min(Math.max(end[0]!, start[0]! + minWidth), plot.x + plot.width)
  if (x1 <= x0) return null
  return { x: x0, y: start[1]! - height / 2 + height * top, width: x1 - x0, height: height * size }
}

function renderBand(params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn {
  const rect = laneRect(params, api, 0.04, 0.92, 0)
  return rect ? { type: 'rect', shape: rect, style: { fill: api.visual('color') as string, opacity: 0.38 } } : null
}

function renderLot(params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn {
  // The lower part of the lane: the job markers have the upper part.
  const rect = laneRect(params, api, 0.42, 0.44, MIN_BAR_PX)
  return rect ? { type: 'rect', shape: rect, style: { fill: api.visual('color') as string, opacity: api.value(4) === 1 ? 0.5 : 0.92, stroke: '#1e3a8a', lineWidth: 0.5 } } : null
}

/** The full chart option. */
export function buildEquipmentTimelineOption(model: EquipmentTimelineModel, labels: EquipmentTimelineLabels): EquipmentTimelineOption {
  const lanes = model.lanes.map((l) => l.label)
  const w = model.window
  const pad = w ? Math.max((w.end - w.start) * 0.03, 5 * 60_000) : 0
  const bands = model.status ?? []
  const statusSeries: CustomSeriesOption[] = model.statuses.map((status) => ({
    type: 'custom',
    id: `status:${status}`,
    name: labels.statusName(status),
    renderItem: renderBand,
    itemStyle: { color: STATUS_COLORS[status] ?? OTHER_STATUS_COLOR },
    encode: { x: [1, 2], y: 0 },
    z: 1,
    // [lane, start, end, band index]
    data: bands.flatMap((b, i) => (b.status === status ? [[b.lane, b.start, b.end, i]] : [])),
  }))
  const lotSeries: CustomSeriesOption = {
    type: 'custom',
    id: 'lots',
    name: labels.lot,
    renderItem: renderLot,
    itemStyle: { color: LOT_COLOR },
    encode: { x: [1, 2], y: 0 },
    z: 3,
    // [lane, start, end, lot index, open]
    data: model.lots.map((l, i) => [l.lane, l.start, l.end, i, l.open ? 1 : 0]),
  }
  const jobSeries: ScatterSeriesOption = {
    type: 'scatter',
    id: 'jobs',
    name: labels.job,
    symbol: 'triangle',
    symbolSize: 12,
    symbolOffset: [0, -LANE_HEIGHT * 0.22],
    itemStyle: { color: JOB_COLOR, borderColor: '#111827', borderWidth: 1 },
    z: 5,
    // [time, lane, job index]
    data: model.jobs.map((j, i) => [j.time, j.lane, i]),
  }
  const many = lanes.length > VISIBLE_LANES
  const dataZoom: DataZoomComponentOption[] = [
    { type: 'inside', xAxisIndex: 0, filterMode: 'weakFilter' },
    { type: 'slider', xAxisIndex: 0, filterMode: 'weakFilter', bottom: 8, height: 20, labelFormatter: '', showDataShadow: false },
  ]
  if (many) dataZoom.push({ type: 'slider', yAxisIndex: 0, right: 8, width: 16, startValue: 0, endValue: VISIBLE_LANES - 1, zoomLock: true, showDetail: false, filterMode: 'empty' })
  const longest = Math.max(0, ...lanes.map((n) => n.length))
  return {
    aria: { enabled: true, label: { description: labels.description } },
    animation: false,
    grid: { left: Math.min(240, 24 + longest * 7.5), right: many ? 40 : 24, top: 40, bottom: 64 },
    legend: { top: 0, type: 'scroll', data: [labels.lot, labels.job, ...statusSeries.map((s) => String(s.name))], textStyle: { color: CHART_COLORS.axisText } },
    tooltip: {
      trigger: 'item',
      renderMode: 'richText',
      confine: true,
      formatter: (params: unknown) => {
        const p = params as { seriesId?: string; data?: unknown }
        const data = Array.isArray(p.data) ? (p.data as number[]) : []
        if (p.seriesId === 'lots') {
          const l = model.lots[data[3] ?? -1]
          return l ? lotTooltip(l, lanes[l.lane]!, labels) : ''
        }
        if (p.seriesId === 'jobs') {
          const j = model.jobs[data[2] ?? -1]
          return j ? jobTooltip(j, lanes[j.lane]!, labels) : ''
        }
        const b = bands[data[3] ?? -1]
        return b ? bandTooltip(b, lanes[b.lane]!, labels) : ''
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
      axisLabel: { color: CHART_COLORS.axisText, width: 220, overflow: 'truncate' },
      splitArea: { show: true, areaStyle: { color: ['#f8fafc', '#f1f5f9'] } },
      axisTick: { show: false },
    },
    series: [...statusSeries, lotSeries, jobSeries],
  }
}
