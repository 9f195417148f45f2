/**
 * The ECharts option of the equipment timeline: machines as a category axis (one lane each, in the
 * order picked), statuses as semi-transparent full-height bands (a custom series per status, so
 * the legend names and toggles them), lots as bars in the lane's lower part, repair jobs as
 * triangles in its upper part, zoom and pan on the time axis (wheel and slider), lanes scrolled by
 * a slider past {@link VISIBLE_LANES} — the lot timeline's patterns and theme.
 */
import type { CustomSeriesOption, ScatterSeriesOption } from 'echarts/charts'
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from 'echarts'
import { plainText } from './chart-theme'
import { showTime } from './lot-timeline-model'
import { laneRect, timelineCanvasHeight, timelineFrame, VISIBLE_LANES, type TimelineChartOption } from './timeline-chart'
import { JOB_COLOR, LOT_COLOR, OTHER_STATUS_COLOR, STATUS_COLORS, type EquipmentTimelineModel, type JobMark, type LotBar, type StatusBand } from './equipment-timeline-model'

export type EquipmentTimelineOption = TimelineChartOption

/** Lanes visible at once (the timelines' common number). */
export { VISIBLE_LANES }

/** Height of one lane in pixels. */
export const LANE_HEIGHT = 48
/** The narrowest lot bar (as the original: 4 px), so a short visit still shows. */
export const MIN_BAR_PX = 4

/** The canvas height for a number of lanes. */
export function equipmentTimelineHeight(lanes: number): number {
  return timelineCanvasHeight(lanes, LANE_HEIGHT)
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

function renderBand(params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn {
  const rect = laneRect(params, api, { top: 0.04, size: 0.92, minWidth: 0, laneHeight: LANE_HEIGHT })
  return rect ? { type: 'rect', shape: rect, style: { fill: api.visual('color') as string, opacity: 0.38 } } : null
}

function renderLot(params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn {
  // The lower part of the lane: the job markers have the upper part.
  const rect = laneRect(params, api, { top: 0.42, size: 0.44, minWidth: MIN_BAR_PX, laneHeight: LANE_HEIGHT })
  return rect ? { type: 'rect', shape: rect, style: { fill: api.visual('color') as string, opacity: api.value(4) === 1 ? 0.5 : 0.92, stroke: '#1e3a8a', lineWidth: 0.5 } } : null
}

/** The full chart option. */
export function buildEquipmentTimelineOption(model: EquipmentTimelineModel, labels: EquipmentTimelineLabels): EquipmentTimelineOption {
  const lanes = model.lanes.map((l) => l.label)
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
  return {
    ...timelineFrame({
      lanes,
      window: model.window,
      laneLabelWidth: 220,
      stripe: '#f1f5f9',
      description: labels.description,
      legend: [labels.lot, labels.job, ...statusSeries.map((s) => String(s.name))],
      tooltip: ({ seriesId, data }) => {
        if (seriesId === 'lots') {
          const l = model.lots[data[3] ?? -1]
          return l ? lotTooltip(l, lanes[l.lane]!, labels) : ''
        }
        if (seriesId === 'jobs') {
          const j = model.jobs[data[2] ?? -1]
          return j ? jobTooltip(j, lanes[j.lane]!, labels) : ''
        }
        const b = bands[data[3] ?? -1]
        return b ? bandTooltip(b, lanes[b.lane]!, labels) : ''
      },
      timeSlider: { showDataShadow: false },
    }),
    series: [...statusSeries, lotSeries, jobSeries],
  }
}
