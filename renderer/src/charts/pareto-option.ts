/**
 * ECharts option of a Pareto chart (domain.md §5.8): bars by defect quantity, a cumulative line
 * on a 0–100 % right axis and a dashed 80 % line.
 *
 * An *attributed* chart (machines, materials, wafer lots: a lot counts for every factor it
 * touched) has totals that are counted several times over, so it has no cumulative line and its
 * `其他` is a note under the chart rather than a bar that would dwarf the ten shown.
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
import { PARETO_OTHER } from '../../../shared/msd'
import type { ParetoItem } from '../../../shared/msd'
import type { ChartEventParams } from './chart-theme'
import { formatInt, formatNumber, formatRate } from '../format'
import { axisRowFormatter, CHART_COLORS, plainText, RATE_LINE_STYLE } from './chart-theme'

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
  /** Bar series name. */
  defectQty: string
  defectRate: string
  cumulative: string
  input: string
  lots: string
  /** Accessible description of the chart. */
  description: string
  /** Locale for number formatting, e.g. `zh-TW`. */
  locale: string
  /** A bar's name as shown (e.g. `(NA)` in words); the click still reports the stored name. @default the name */
  displayName?: (name: string) => string
}

/** Options of {@link buildParetoOption}. */
export interface ParetoOptions {
  /**
   * Totals are double-counted (a lot counts for every factor it touched): no cumulative line and
   * `其他` left out of the bars (see {@link paretoOtherNote}).
   * @default false
   */
  attributed?: boolean
}

/** The bars drawn, in the given order: all of them, or without `其他` on an attributed chart. */
export function paretoBars(items: readonly ParetoItem[], options: ParetoOptions = {}): ParetoItem[] {
  return items.filter((i) => !(options.attributed && i.name === PARETO_OTHER)).map((i) => ({ ...i }))
}

/** The folded `其他` an attributed chart states under it instead of drawing; null otherwise. */
export function paretoOtherNote(items: readonly ParetoItem[], options: ParetoOptions = {}): ParetoItem | null {
  if (!options.attributed) return null
  return items.find((i) => i.name === PARETO_OTHER) ?? null
}

/** An axis tick: `80M` / `8000萬`, so a tall axis keeps to its margin (tooltips keep every digit). */
export function formatCompact(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value)
}

/** True when clicking the bar may select it (the folded `其他` bar is not a real factor). */
export function isSelectableBar(name: string): boolean {
  return name !== PARETO_OTHER
}

/**
 * The factor a click selects: the stored name of the clicked bar (by its index, since the axis
 * may show another text), unless it is `其他`; else null.
 */
export function paretoClickTarget(params: ChartEventParams, bars: readonly ParetoItem[]): string | null {
  if (params.componentType !== 'series' || params.seriesType !== 'bar' || typeof params.dataIndex !== 'number') return null
  const name = bars[params.dataIndex]?.name ?? ''
  return name !== '' && isSelectableBar(name) ? name : null
}

/** Tooltip text of one bar (rich text, one field per line); no cumulative share on an attributed chart. */
export function paretoTooltip(item: ParetoItem, labels: ParetoLabels, options: ParetoOptions = {}): string {
  const l = labels.locale
  const shown = labels.displayName ? labels.displayName(item.name) : item.name
  return [
    plainText(shown),
    `${labels.defectQty}: ${formatInt(item.defect_qty, l)}`,
    `${labels.input}: ${formatInt(item.input_qty, l)}`,
    `${labels.defectRate}: ${formatRate(item.defect_rate, l)}`,
    `${labels.lots}: ${formatInt(item.lot_count, l)}`,
    ...(options.attributed ? [] : [`${labels.cumulative}: ${formatNumber(item.cumulative_pct, l)}%`]),
  ].join('\n')
}

/** The full chart option. */
export function buildParetoOption(items: readonly ParetoItem[], labels: ParetoLabels, options: ParetoOptions = {}): ParetoOption {
  const rows = paretoBars(items, options)
  const show = labels.displayName ?? ((name: string) => name)
  const cumulative = !options.attributed
  return {
    aria: { enabled: true, label: { description: labels.description } },
    animation: rows.length <= 50,
    grid: { left: 64, right: cumulative ? 56 : 24, top: 36, bottom: 64, containLabel: false },
    // One series needs no legend: the axis names it.
    legend: { show: cumulative, top: 0, data: [labels.defectQty, labels.cumulative], textStyle: { color: CHART_COLORS.axisText } },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      // Rich text is drawn on the canvas: no HTML from data, no inline styles.
      renderMode: 'richText',
      formatter: axisRowFormatter(rows, (row) => paretoTooltip(row, labels, options)),
    },
    xAxis: {
      type: 'category',
      data: rows.map((r) => show(r.name)),
      axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0, color: CHART_COLORS.axisText, width: 96, overflow: 'truncate' },
    },
    yAxis: [
      {
        type: 'value',
        name: labels.defectQty,
        min: 0,
        axisLabel: { color: CHART_COLORS.axisText, formatter: (value: number) => formatCompact(value, labels.locale) },
      },
      ...(cumulative
        ? [
            {
              type: 'value' as const,
              name: labels.cumulative,
              min: 0,
              max: 100,
              interval: 20,
              splitLine: { show: false },
              axisLabel: { color: CHART_COLORS.axisText, formatter: '{value}%' },
            },
          ]
        : []),
    ],
    series: [
      {
        id: 'bars',
        name: labels.defectQty,
        type: 'bar',
        yAxisIndex: 0,
        barMaxWidth: 48,
        cursor: 'pointer',
        data: rows.map((r) => ({
          value: r.defect_qty,
          itemStyle: { color: r.name === PARETO_OTHER ? CHART_COLORS.other : CHART_COLORS.primary },
          cursor: isSelectableBar(r.name) ? 'pointer' : 'default',
        })),
      },
      ...(cumulative
        ? [
            {
              id: 'cumulative',
              name: labels.cumulative,
              type: 'line' as const,
              yAxisIndex: 1,
              ...RATE_LINE_STYLE,
              data: rows.map((r) => r.cumulative_pct),
              markLine: {
                silent: true,
                symbol: 'none',
                // The right axis already labels 80 %; a label here would sit on top of it.
                label: { show: false },
                lineStyle: { type: 'dashed' as const, color: CHART_COLORS.threshold, width: 1 },
                data: [{ yAxis: PARETO_THRESHOLD_PCT }],
              },
            },
          ]
        : []),
    ],
  }
}
