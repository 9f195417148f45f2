/**
 * ECharts option of a Pareto chart (domain.md §5.8): bars in quantity or rate order, a cumulative
 * line on a 0–100 % right axis and a dashed 80 % line.
 */
import type { ComposeOption } from 'echarts/core'
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts'
import type {
  AriaComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
} from 'echarts/components'
import { compareCodeUnits } from '../../../shared/compare'
import { PARETO_OTHER, roundTo } from '../../../shared/msd'
import type { ParetoItem } from '../../../shared/msd'
import type { ChartEventParams } from './chart-theme'
import { formatInt, formatNumber } from '../format'
import { CHART_COLORS, plainText, RATE_LINE_STYLE } from './chart-theme'

export type ParetoMode = 'qty' | 'rate'

export type ParetoOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | AriaComponentOption
>

/** The Pareto threshold drawn as a dashed line, percent. */
export const PARETO_THRESHOLD_PCT = 80

/** Translated texts the option shows. */
export interface ParetoLabels {
  /** Bar series name in quantity mode. */
  defectQty: string
  /** Bar series name in rate mode. */
  defectRate: string
  cumulative: string
  input: string
  lots: string
  /** Accessible description of the chart. */
  description: string
  /** Locale for number formatting, e.g. `zh-TW`. */
  locale: string
}

/** Defect rate of a row without rounding, for ordering. */
function rawRate(item: ParetoItem): number {
  return item.input_qty > 0 ? item.defect_qty / item.input_qty : 0
}

/**
 * The bars in display order. Quantity mode keeps the given order and cumulative share. Rate mode
 * sorts by rate descending (ties: more defects, then name, as `buildPareto` does) with `其他`
 * kept last, and recomputes the cumulative share of defects for that order.
 */
export function paretoRows(items: readonly ParetoItem[], mode: ParetoMode): ParetoItem[] {
  if (mode === 'qty') return items.map((i) => ({ ...i }))
  const named = items.filter((i) => i.name !== PARETO_OTHER)
  const other = items.filter((i) => i.name === PARETO_OTHER)
  named.sort((a, b) => rawRate(b) - rawRate(a) || b.defect_qty - a.defect_qty || compareCodeUnits(a.name, b.name))
  const ordered = [...named, ...other]
  const total = ordered.reduce((sum, i) => sum + i.defect_qty, 0)
  let running = 0
  return ordered.map((i) => {
    running += i.defect_qty
    return { ...i, cumulative_pct: total > 0 ? roundTo((running / total) * 100, 2) : 0 }
  })
}

/** True when clicking the bar may select it (the folded `其他` bar is not a real factor). */
export function isSelectableBar(name: string): boolean {
  return name !== PARETO_OTHER
}

/** The factor a click selects: a bar other than `其他`, else null. */
export function paretoClickTarget(params: ChartEventParams): string | null {
  if (params.componentType !== 'series' || params.seriesType !== 'bar') return null
  const name = params.name ?? ''
  return name !== '' && isSelectableBar(name) ? name : null
}

/** Tooltip text of one bar (rich text, one field per line). */
export function paretoTooltip(item: ParetoItem, labels: ParetoLabels): string {
  const l = labels.locale
  return [
    plainText(item.name),
    `${labels.defectQty}: ${formatInt(item.defect_qty, l)}`,
    `${labels.input}: ${formatInt(item.input_qty, l)}`,
    `${labels.defectRate}: ${formatNumber(item.defect_rate, l, 4)}%`,
    `${labels.lots}: ${formatInt(item.lot_count, l)}`,
    `${labels.cumulative}: ${formatNumber(item.cumulative_pct, l)}%`,
  ].join('\n')
}

/** The full chart option for the given rows and mode. */
export function buildParetoOption(items: readonly ParetoItem[], mode: ParetoMode, labels: ParetoLabels): ParetoOption {
  const rows = paretoRows(items, mode)
  const barName = mode === 'qty' ? labels.defectQty : labels.defectRate
  return {
    aria: { enabled: true, label: { description: labels.description } },
    animation: rows.length <= 50,
    grid: { left: 56, right: 56, top: 36, bottom: 64, containLabel: false },
    legend: { top: 0, data: [barName, labels.cumulative], textStyle: { color: CHART_COLORS.axisText } },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      // Rich text is drawn on the canvas: no HTML from data, no inline styles.
      renderMode: 'richText',
      formatter: (params) => {
        const first = Array.isArray(params) ? params[0] : params
        const row = first && typeof first.dataIndex === 'number' ? rows[first.dataIndex] : undefined
        return row ? paretoTooltip(row, labels) : ''
      },
    },
    xAxis: {
      type: 'category',
      data: rows.map((r) => r.name),
      axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0, color: CHART_COLORS.axisText, width: 96, overflow: 'truncate' },
    },
    yAxis: [
      {
        type: 'value',
        name: barName,
        min: 0,
        axisLabel: { color: CHART_COLORS.axisText, formatter: mode === 'rate' ? '{value}%' : '{value}' },
      },
      {
        type: 'value',
        name: labels.cumulative,
        min: 0,
        max: 100,
        interval: 20,
        splitLine: { show: false },
        axisLabel: { color: CHART_COLORS.axisText, formatter: '{value}%' },
      },
    ],
    series: [
      {
        id: 'bars',
        name: barName,
        type: 'bar',
        yAxisIndex: 0,
        barMaxWidth: 48,
        cursor: 'pointer',
        data: rows.map((r) => ({
          name: r.name,
          value: mode === 'qty' ? r.defect_qty : r.defect_rate,
          itemStyle: { color: r.name === PARETO_OTHER ? CHART_COLORS.other : CHART_COLORS.primary },
          cursor: isSelectableBar(r.name) ? 'pointer' : 'default',
        })),
      },
      {
        id: 'cumulative',
        name: labels.cumulative,
        type: 'line',
        yAxisIndex: 1,
        ...RATE_LINE_STYLE,
        data: rows.map((r) => r.cumulative_pct),
        markLine: {
          silent: true,
          symbol: 'none',
          label: { formatter: `${PARETO_THRESHOLD_PCT}%`, color: CHART_COLORS.threshold },
          lineStyle: { type: 'dashed', color: CHART_COLORS.threshold, width: 1 },
          data: [{ yAxis: PARETO_THRESHOLD_PCT }],
        },
      },
    ],
  }
}
