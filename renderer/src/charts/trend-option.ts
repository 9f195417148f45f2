/**
 * ECharts option of the daily detection trend as a p-chart: each day's share of defective lots
 * with the centre line and that day's 3-sigma limits (from its own lot count, `pChart` of
 * shared/statistics.ts), days outside the limits marked. A result written before lot counts were
 * recorded has no p-chart: it falls back to the daily defect-rate line.
 */
import type { ComposeOption } from 'echarts/core'
import type { LineSeriesOption, ScatterSeriesOption } from 'echarts/charts'
import type {
  AriaComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
} from 'echarts/components'
import type { TrendItem } from '../../../shared/msd'
import { pChart } from '../../../shared/statistics'
import type { ChartEventParams } from './chart-theme'
import { formatInt, formatRate } from '../format'
import { axisRowFormatter, CHART_COLORS, RATE_LINE_STYLE } from './chart-theme'

export type TrendOption = ComposeOption<
  | LineSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | AriaComponentOption
>

export interface TrendLabels {
  /** Series of the daily defective-lot share. */
  proportion: string
  /** Series of the 3-sigma limits. */
  limits: string
  /** Series of the days outside them. */
  outside: string
  /** Centre line, e.g. "Centre". */
  center: string
  /** "Defective lots", "Lots". */
  defectiveLots: string
  lots: string
  /** Unit defect rate of the day (fallback line and tooltip). */
  rate: string
  above: string
  below: string
  description: string
  locale: string
}

/** One day of the p-chart, in percent. */
export interface PChartDay {
  date: string
  lots: number
  defectiveLots: number
  /** Defective-lot share; null on a day without lots. */
  p: number | null
  lcl: number | null
  ucl: number | null
  signal: 'above' | 'below' | null
  /** Unit defect rate of the day (percent). */
  defectRate: number
}

/** Days in date order whatever the input order. */
function byDate(items: readonly TrendItem[]): TrendItem[] {
  return [...items].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
}

/** True when the trend has the lot counts a p-chart needs (results written since they were recorded). */
export function hasLotCounts(items: readonly TrendItem[]): boolean {
  return items.length > 0 && items.every((i) => i.lot_count !== null && i.lot_count !== undefined && i.defective_lot_count !== null && i.defective_lot_count !== undefined)
}

/**
 * The p-chart of the days (percent), or null without lot counts or without any lot. The limits
 * are `pChart`'s; a day without lots has no point.
 */
export function pChartDays(items: readonly TrendItem[]): { center: number; days: PChartDay[] } | null {
  if (!hasLotCounts(items)) return null
  const rows = byDate(items)
  const chart = pChart(rows.map((r) => ({ n: r.lot_count!, x: r.defective_lot_count! })))
  if (!chart) return null
  // pChart leaves out samples without trials: walk its points alongside the days that have lots.
  let next = 0
  const days = rows.map((r): PChartDay => {
    const base = { date: r.date, lots: r.lot_count!, defectiveLots: r.defective_lot_count!, defectRate: r.defect_rate }
    if (r.lot_count === 0) return { ...base, p: null, lcl: null, ucl: null, signal: null }
    const point = chart.points[next++]!
    return { ...base, p: point.p * 100, lcl: point.lcl * 100, ucl: point.ucl * 100, signal: point.signal }
  })
  return { center: chart.center * 100, days }
}

/** The date a click selects (any series of the chart), else null. */
export function trendClickTarget(params: ChartEventParams): string | null {
  if (params.componentType !== 'series') return null
  return params.name ? params.name : null
}

/** Tooltip text of one p-chart day. */
export function pChartTooltip(day: PChartDay, center: number, labels: TrendLabels): string {
  const l = labels.locale
  return [
    day.date,
    `${labels.defectiveLots}: ${formatInt(day.defectiveLots, l)} / ${labels.lots} ${formatInt(day.lots, l)} = ${formatRate(day.p, l)}`,
    `${labels.limits}: ${formatRate(day.lcl, l)} – ${formatRate(day.ucl, l)}`,
    `${labels.center}: ${formatRate(center, l)}`,
    `${labels.rate}: ${formatRate(day.defectRate, l)}`,
    ...(day.signal === 'above' ? [labels.above] : day.signal === 'below' ? [labels.below] : []),
  ].join('\n')
}

/** Tooltip text of one day of the fallback (defect-rate) trend. */
export function trendTooltip(item: TrendItem, labels: TrendLabels): string {
  return [item.date, `${labels.rate}: ${formatRate(item.defect_rate, labels.locale)}`].join('\n')
}

const LIMIT_STYLE = {
  type: 'line',
  step: 'middle',
  symbol: 'none',
  silent: true,
  lineStyle: { color: CHART_COLORS.threshold, width: 1, type: 'dashed' },
  itemStyle: { color: CHART_COLORS.threshold },
} as const

/** The p-chart option, or the fallback rate line when the trend has no lot counts. */
export function buildTrendOption(items: readonly TrendItem[], labels: TrendLabels): TrendOption {
  const chart = pChartDays(items)
  const base = {
    aria: { enabled: true, label: { description: labels.description } },
    grid: { left: 64, right: 72, top: 36, bottom: 40 },
    yAxis: { type: 'value' as const, min: 0, axisLabel: { color: CHART_COLORS.axisText, formatter: '{value} %' } },
  }
  if (!chart) {
    const rows = byDate(items)
    return {
      ...base,
      animation: rows.length <= 90,
      legend: { top: 0, data: [labels.rate], textStyle: { color: CHART_COLORS.axisText } },
      tooltip: {
        trigger: 'axis',
        renderMode: 'richText',
        formatter: axisRowFormatter(rows, (row) => trendTooltip(row, labels)),
      },
      xAxis: { type: 'category', data: rows.map((r) => r.date), axisLabel: { color: CHART_COLORS.axisText } },
      series: [{ id: 'rate', name: labels.rate, type: 'line', ...RATE_LINE_STYLE, data: rows.map((r) => r.defect_rate) }],
    }
  }
  const { center, days } = chart
  return {
    ...base,
    animation: false,
    legend: { top: 0, data: [labels.proportion, labels.limits, labels.outside], textStyle: { color: CHART_COLORS.axisText } },
    tooltip: {
      trigger: 'axis',
      renderMode: 'richText',
      formatter: axisRowFormatter(days, (day) => pChartTooltip(day, center, labels)),
    },
    xAxis: { type: 'category', data: days.map((d) => d.date), axisLabel: { color: CHART_COLORS.axisText } },
    series: [
      {
        id: 'p',
        name: labels.proportion,
        type: 'line',
        symbol: 'circle',
        symbolSize: 5,
        connectNulls: true,
        itemStyle: { color: CHART_COLORS.primary },
        lineStyle: { color: CHART_COLORS.primary, width: 1.5 },
        data: days.map((d) => d.p),
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: CHART_COLORS.reference, width: 1.5, type: 'solid' },
          // Right of the plot, clear of the points.
          label: { position: 'end', color: CHART_COLORS.reference, formatter: `${labels.center}\n${formatRate(center, labels.locale)}` },
          data: [{ yAxis: center }],
        },
      },
      { id: 'ucl', name: labels.limits, ...LIMIT_STYLE, data: days.map((d) => d.ucl) },
      { id: 'lcl', name: labels.limits, ...LIMIT_STYLE, data: days.map((d) => d.lcl) },
      {
        id: 'outside',
        name: labels.outside,
        type: 'scatter',
        symbol: 'diamond',
        symbolSize: 11,
        itemStyle: { color: CHART_COLORS.signal, borderColor: '#ffffff', borderWidth: 1 },
        // One value per day (null when inside the limits), so indices stay those of the days.
        data: days.map((d) => (d.signal ? d.p : null)),
        z: 5,
      },
    ],
  }
}
