/** ECharts option of the daily detection trend: input and defect bars, defect rate line. */
import type { ComposeOption } from 'echarts/core'
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts'
import type {
  AriaComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components'
import type { TrendItem } from '../../../shared/msd'
import type { ChartEventParams } from './chart-theme'
import { formatInt, formatNumber } from '../format'
import { CHART_COLORS, RATE_LINE_STYLE } from './chart-theme'

export type TrendOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | AriaComponentOption
>

export interface TrendLabels {
  input: string
  defect: string
  rate: string
  description: string
  locale: string
}

/** The date a click selects (any series of the chart), else null. */
export function trendClickTarget(params: ChartEventParams): string | null {
  if (params.componentType !== 'series') return null
  return params.name ? params.name : null
}

/** Tooltip text of one day. */
export function trendTooltip(item: TrendItem, labels: TrendLabels): string {
  const l = labels.locale
  return [
    item.date,
    `${labels.input}: ${formatInt(item.input_qty, l)}`,
    `${labels.defect}: ${formatInt(item.defect_qty, l)}`,
    `${labels.rate}: ${formatNumber(item.defect_rate, l, 4)}%`,
  ].join('\n')
}

/** The full chart option; days are shown in date order whatever the input order. */
export function buildTrendOption(items: readonly TrendItem[], labels: TrendLabels): TrendOption {
  const rows = [...items].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  return {
    aria: { enabled: true, label: { description: labels.description } },
    animation: rows.length <= 90,
    grid: { left: 64, right: 64, top: 36, bottom: 40 },
    legend: { top: 0, data: [labels.input, labels.defect, labels.rate], textStyle: { color: CHART_COLORS.axisText } },
    tooltip: {
      trigger: 'axis',
      renderMode: 'richText',
      formatter: (params) => {
        const first = Array.isArray(params) ? params[0] : params
        const row = first && typeof first.dataIndex === 'number' ? rows[first.dataIndex] : undefined
        return row ? trendTooltip(row, labels) : ''
      },
    },
    xAxis: { type: 'category', data: rows.map((r) => r.date), axisLabel: { color: CHART_COLORS.axisText } },
    yAxis: [
      { type: 'value', min: 0, name: labels.input, axisLabel: { color: CHART_COLORS.axisText } },
      {
        type: 'value',
        min: 0,
        name: labels.rate,
        splitLine: { show: false },
        axisLabel: { color: CHART_COLORS.axisText, formatter: '{value}%' },
      },
    ],
    series: [
      {
        id: 'input',
        name: labels.input,
        type: 'bar',
        yAxisIndex: 0,
        itemStyle: { color: CHART_COLORS.secondary },
        data: rows.map((r) => r.input_qty),
      },
      {
        id: 'defect',
        name: labels.defect,
        type: 'bar',
        yAxisIndex: 0,
        itemStyle: { color: CHART_COLORS.primary },
        data: rows.map((r) => r.defect_qty),
      },
      {
        id: 'rate',
        name: labels.rate,
        type: 'line',
        yAxisIndex: 1,
        ...RATE_LINE_STYLE,
        data: rows.map((r) => r.defect_rate),
      },
    ],
  }
}
