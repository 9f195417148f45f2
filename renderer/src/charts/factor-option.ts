/**
 * ECharts option of a factor chart (machines, material lots, wafer lots) that agrees with the
 * suspect list: the ranked suspects of one factor type in the list's own order, each with the
 * defect rate of its lots beside the rate of the rest of its population, its lift, and whether it
 * is significant, explained by another suspect, or neither.
 */
import type { ComposeOption } from 'echarts/core'
import type { BarSeriesOption } from 'echarts/charts'
import type { AriaComponentOption, GridComponentOption, TooltipComponentOption } from 'echarts/components'
import type { Suspect, SuspectFactor, SuspectRef } from '../../../shared/msd'
import type { ChartEventParams } from './chart-theme'
import { formatInt, formatLift, formatP, formatRate } from '../format'
import { axisRowFormatter, CHART_COLORS, displayMachine, plainText } from './chart-theme'

export type FactorOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption | AriaComponentOption>

/** Suspects a factor chart shows. */
export const FACTOR_CHART_TOP_N = 10

/** Factor charts of a backward aggregation and the factor type each shows. */
export const FACTOR_CHARTS = { by_machine: 'machine', by_material: 'material', by_wafer_root: 'wafer_root' } as const satisfies Record<string, SuspectFactor>
export type FactorChartKey = keyof typeof FACTOR_CHARTS

/** What a factor chart shows: the suspect list's ranking (the default) or the attributed volume. */
export type FactorChartMode = 'ranked' | 'volume'

/**
 * How a suspect came out: significant on its own, explained by another significant suspect, ranked
 * but not significant, or unknown (a result written before significance was computed).
 */
export type Significance = 'significant' | 'explained' | 'not_significant' | 'unknown'

/** The significance classes in the order a legend lists them. */
export const SIGNIFICANCE_CLASSES: readonly Significance[] = ['significant', 'explained', 'not_significant', 'unknown']

/**
 * The suspects a factor chart shows: those of `type` that are ranked, in the suspect list's order
 * (which already puts the independent significant ones first), at most `topN`.
 */
export function rankedFactors(suspects: readonly Suspect[], type: SuspectFactor, topN = FACTOR_CHART_TOP_N): Suspect[] {
  return suspects.filter((s) => s.factor_type === type && s.rank !== null).slice(0, topN)
}

/** A suspect's class; `hasSignificance` is false for a result that predates q-values. */
export function significanceOf(s: Suspect, hasSignificance: boolean): Significance {
  if (!hasSignificance) return 'unknown'
  if (s.explained_by) return 'explained'
  return s.significant ? 'significant' : 'not_significant'
}

/** True when two references name the same factor. */
export function sameFactor(a: SuspectRef, b: SuspectRef): boolean {
  return a.factor_type === b.factor_type && a.name === b.name && (a.station ?? null) === (b.station ?? null)
}

/** Translated texts the option shows. */
export interface FactorLabels {
  rate: string
  baseline: string
  lift: string
  lots: string
  defectiveLots: string
  /** Axis name of the rates. */
  axis: string
  /** Name of a machine the source does not know. */
  machineUnknown: string
  /** One text per class, e.g. `significant`: "Significant". */
  significance: Record<Significance, string>
  /** "Explained by {name}", with the name filled in. */
  explainedBy: (ref: SuspectRef) => string
  /** "Onset {date}" or "no onset". */
  onset: (onset: string | null) => string
  description: string
  locale: string
}

/** A suspect's name as shown: `(NA)` machines in words. */
export function factorName(s: SuspectRef, machineUnknown: string): string {
  return s.factor_type === 'machine' ? displayMachine(s.name, machineUnknown) : s.name
}

/**
 * Category texts of the chart, one per row in order. A name that appears twice (the same machine
 * name at two stations) gets its station, so no two rows share a category.
 */
export function factorCategories(rows: readonly Suspect[], machineUnknown: string): string[] {
  const names = rows.map((r) => factorName(r, machineUnknown))
  return names.map((n, i) => (names.indexOf(n) !== names.lastIndexOf(n) && rows[i]!.station ? `${n} (${rows[i]!.station})` : n))
}

/**
 * An axis label on at most two lines: a long material key `PART (LOT)` breaks before its lot, so
 * the lot (what tells two lots of a part apart) is not the part cut off.
 */
export function wrapFactorLabel(label: string): string {
  const match = /^(.+) (\([^()]*\))$/.exec(label)
  return match && label.length > 18 ? `${match[1]}\n${match[2]}` : label
}

/** Colour (and stripes for an explained one) of a suspect's rate bar. */
export function factorBarStyle(cls: Significance): { color: string; decal?: Record<string, unknown> } {
  switch (cls) {
    case 'significant':
      return { color: CHART_COLORS.signal }
    case 'explained':
      // Stripes as well as the colour, so the difference survives grey print and colour blindness.
      return { color: CHART_COLORS.signal, decal: { symbol: 'rect', color: 'rgba(255, 255, 255, 0.7)', dashArrayX: [1, 0], dashArrayY: [3, 4], rotation: -Math.PI / 4 } }
    case 'not_significant':
      return { color: CHART_COLORS.quiet }
    case 'unknown':
      return { color: CHART_COLORS.primary }
  }
}

/** Tooltip text of one suspect (rich text, one field per line). */
export function factorTooltip(s: Suspect, cls: Significance, labels: FactorLabels): string {
  const l = labels.locale
  const verdict =
    cls === 'explained' && s.explained_by
      ? `${labels.explainedBy(s.explained_by)}${s.conditional_p_value === null ? '' : ` (p = ${formatP(s.conditional_p_value)})`}`
      : cls === 'unknown'
        ? `p = ${formatP(s.p_value)}`
        : `${labels.significance[cls]} (q = ${formatP(s.q_value)})`
  return [
    plainText(s.station ? `${factorName(s, labels.machineUnknown)} · ${s.station}` : factorName(s, labels.machineUnknown)),
    `${labels.rate}: ${formatRate(s.defect_rate, l)} (${labels.lots} ${formatInt(s.lots, l)}, ${labels.defectiveLots} ${formatInt(s.defective_lots, l)})`,
    `${labels.baseline}: ${formatRate(s.baseline_rate, l)} (${labels.lots} ${formatInt(s.baseline_lots, l)}, ${labels.defectiveLots} ${formatInt(s.baseline_defective_lots, l)})`,
    `${labels.lift}: ${formatLift(s.lift, l)}`,
    plainText(verdict),
    ...(s.factor_type === 'wafer_root' || cls === 'unknown' ? [] : [labels.onset(s.onset)]),
  ].join('\n')
}

/** The suspect a click selects (either bar of its row), else null. */
export function factorClickTarget(params: ChartEventParams, rows: readonly Suspect[]): Suspect | null {
  if (params.componentType !== 'series' || params.seriesType !== 'bar' || typeof params.dataIndex !== 'number') return null
  return rows[params.dataIndex] ?? null
}

/**
 * The full chart option: one row per suspect, top to bottom in list order; the suspect's rate as
 * a solid bar (coloured by its class, its lift at the end) over its baseline as a hollow one.
 */
export function buildFactorOption(rows: readonly Suspect[], hasSignificance: boolean, labels: FactorLabels): FactorOption {
  const classes = rows.map((r) => significanceOf(r, hasSignificance))
  return {
    aria: { enabled: true, label: { description: labels.description } },
    animation: false,
    grid: { left: 8, right: 64, top: 8, bottom: 24, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      renderMode: 'richText',
      formatter: axisRowFormatter(rows, (row, i) => factorTooltip(row, classes[i]!, labels)),
    },
    xAxis: {
      type: 'value',
      min: 0,
      name: labels.axis,
      nameLocation: 'middle',
      nameGap: 22,
      // Few ticks: a narrow chart would run `0 % 0.5 % 1 % …` together.
      splitNumber: 4,
      nameTextStyle: { color: CHART_COLORS.axisText },
      axisLabel: { color: CHART_COLORS.axisText, formatter: '{value} %' },
    },
    yAxis: {
      type: 'category',
      // The list's first suspect at the top.
      inverse: true,
      data: factorCategories(rows, labels.machineUnknown),
      axisLabel: { color: CHART_COLORS.axisText, width: 150, overflow: 'truncate', interval: 0, lineHeight: 13, formatter: wrapFactorLabel },
      axisTick: { show: false },
    },
    series: [
      {
        id: 'rate',
        name: labels.rate,
        type: 'bar',
        barGap: '0%',
        barCategoryGap: '30%',
        cursor: 'pointer',
        data: rows.map((r, i) => ({ value: r.defect_rate, itemStyle: factorBarStyle(classes[i]!) })),
        label: {
          show: true,
          position: 'right',
          color: CHART_COLORS.axisText,
          formatter: (p: { dataIndex: number }) => formatLift(rows[p.dataIndex]?.lift, labels.locale),
        },
      },
      {
        id: 'baseline',
        name: labels.baseline,
        type: 'bar',
        cursor: 'pointer',
        itemStyle: { color: '#ffffff', borderColor: CHART_COLORS.baseline, borderWidth: 1 },
        data: rows.map((r) => r.baseline_rate),
      },
    ],
  }
}
