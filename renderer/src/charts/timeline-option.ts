/**
 * A suspect's time view: per day its lots passed the factor (track-in at the machine, consumption
 * of the material), the defective-lot rate of those lots against the rest of its population that
 * day, with the onset (the first day of a significant rise) marked and the rates before and after.
 */
import type { ComposeOption } from 'echarts/core'
import type { LineSeriesOption } from 'echarts/charts'
import type {
  AriaComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
} from 'echarts/components'
import type { Suspect, SuspectRef, SuspectTimeline, SuspectTimelineDay } from '../../../shared/msd'
import { formatInt, formatRate } from '../format'
import { axisRowFormatter, CHART_COLORS, plainText } from './chart-theme'
import { sameFactor } from './factor-option'

export type TimelineOption = ComposeOption<
  LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | MarkLineComponentOption | AriaComponentOption
>

/** Why a suspect has no time view. */
export type TimelineAbsence =
  /** A result written before time views were kept. */
  | 'legacy'
  /** Wafer lots: a lot does not pass its wafer lot on a given day. */
  | 'wafer_root'
  /** Not ranked (inconclusive, or its lots fare no worse than the rest). */
  | 'unranked'
  /** Not among the suspects the aggregation keeps (a row paged from the full list). */
  | 'not_kept'
  /** Ranked, kept, but no timeline was written for it. */
  | 'missing'

/** What the time view of a reference can show. */
export type TimelineLookup =
  | { kind: 'found'; suspect: Suspect; timeline: SuspectTimeline }
  | { kind: 'absent'; reason: TimelineAbsence; suspect: Suspect | null }

/**
 * Finds a suspect and its timeline. `isLegacy` is true for a result that predates time views
 * (its suspect summary has no false-discovery rate: none of the new fields were computed).
 */
export function lookupTimeline(ref: SuspectRef, suspects: readonly Suspect[], timelines: readonly SuspectTimeline[], isLegacy: boolean): TimelineLookup {
  const suspect = suspects.find((s) => sameFactor(s, ref)) ?? null
  if (ref.factor_type === 'wafer_root') return { kind: 'absent', reason: 'wafer_root', suspect }
  if (isLegacy) return { kind: 'absent', reason: 'legacy', suspect }
  if (!suspect) return { kind: 'absent', reason: 'not_kept', suspect }
  if (suspect.rank === null) return { kind: 'absent', reason: 'unranked', suspect }
  const timeline = timelines.find((t) => sameFactor(t, ref))
  return timeline ? { kind: 'found', suspect, timeline } : { kind: 'absent', reason: 'missing', suspect }
}

/** One day, with both rates in percent (null on a day without such lots). */
export interface TimelineRow extends SuspectTimelineDay {
  rate: number | null
  restRate: number | null
}

/** The days in date order with their rates. */
export function timelineRows(days: readonly SuspectTimelineDay[]): TimelineRow[] {
  return [...days]
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((d) => ({
      ...d,
      rate: d.lots > 0 ? (d.defective_lots / d.lots) * 100 : null,
      restRate: d.rest_lots > 0 ? (d.rest_defective_lots / d.rest_lots) * 100 : null,
    }))
}

/**
 * The day the onset line is drawn at: the onset itself, else the first day after it that has a
 * point (the axis holds only days with lots); null without an onset or past the last day.
 */
export function onsetDay(rows: readonly TimelineRow[], onset: string | null): string | null {
  if (onset === null) return null
  return rows.find((r) => r.date >= onset)?.date ?? null
}

export interface TimelineLabels {
  /** Series of the factor's lots, e.g. "Lots through GWBE-0029". */
  factor: string
  /** Series of the rest, e.g. "Other lots at 焊接_WB". */
  rest: string
  lots: string
  defectiveLots: string
  /** "Onset {date}". */
  onset: string
  /** "before {rate}", "from onset {rate}". */
  before: string
  after: string
  axis: string
  description: string
  locale: string
}

/** Tooltip text of one day. */
export function timelineTooltip(row: TimelineRow, labels: TimelineLabels): string {
  const l = labels.locale
  const line = (name: string, rate: number | null, lots: number, defective: number) =>
    `${plainText(name)}: ${formatRate(rate, l)} (${labels.defectiveLots} ${formatInt(defective, l)} / ${labels.lots} ${formatInt(lots, l)})`
  return [row.date, line(labels.factor, row.rate, row.lots, row.defective_lots), line(labels.rest, row.restRate, row.rest_lots, row.rest_defective_lots)].join('\n')
}

/** The full chart option. */
export function buildTimelineOption(days: readonly SuspectTimelineDay[], suspect: Suspect, labels: TimelineLabels): TimelineOption {
  const rows = timelineRows(days)
  const dates = rows.map((r) => r.date)
  const at = onsetDay(rows, suspect.onset)
  const atIndex = at === null ? -1 : dates.indexOf(at)
  const l = labels.locale
  const marks: NonNullable<LineSeriesOption['markLine']>['data'] = []
  if (at !== null) {
    // Its label above the plot, level, clear of the lines.
    marks.push({ xAxis: at, label: { formatter: labels.onset, position: 'end', color: CHART_COLORS.signal, fontWeight: 'bold' }, lineStyle: { color: CHART_COLORS.signal, type: 'solid', width: 2 } })
    if (suspect.rate_before_onset !== null && atIndex > 0) {
      marks.push([
        { coord: [dates[0]!, suspect.rate_before_onset], label: { formatter: `${labels.before} ${formatRate(suspect.rate_before_onset, l)}`, position: 'insideStartTop' } },
        { coord: [dates[atIndex - 1]!, suspect.rate_before_onset] },
      ])
    }
    if (suspect.rate_after_onset !== null) {
      marks.push([
        { coord: [at, suspect.rate_after_onset], label: { formatter: `${labels.after} ${formatRate(suspect.rate_after_onset, l)}`, position: 'insideEndTop' } },
        { coord: [dates[dates.length - 1]!, suspect.rate_after_onset] },
      ])
    }
  }
  return {
    aria: { enabled: true, label: { description: labels.description } },
    animation: false,
    grid: { left: 56, right: 32, top: 48, bottom: 56 },
    legend: { bottom: 0, data: [labels.factor, labels.rest], textStyle: { color: CHART_COLORS.axisText } },
    tooltip: {
      trigger: 'axis',
      renderMode: 'richText',
      formatter: axisRowFormatter(rows, (row) => timelineTooltip(row, labels)),
    },
    xAxis: { type: 'category', data: dates, axisLabel: { color: CHART_COLORS.axisText } },
    yAxis: {
      type: 'value',
      min: 0,
      max: 100,
      name: labels.axis,
      nameTextStyle: { color: CHART_COLORS.axisText, align: 'left' },
      axisLabel: { color: CHART_COLORS.axisText, formatter: '{value} %' },
    },
    series: [
      {
        id: 'factor',
        name: labels.factor,
        type: 'line',
        connectNulls: true,
        symbol: 'circle',
        symbolSize: 6,
        itemStyle: { color: CHART_COLORS.signal },
        lineStyle: { color: CHART_COLORS.signal, width: 2 },
        data: rows.map((r) => r.rate),
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: CHART_COLORS.baseline, type: 'dashed', width: 1.5 },
          label: { color: CHART_COLORS.axisText },
          data: marks,
        },
      },
      {
        id: 'rest',
        name: labels.rest,
        type: 'line',
        connectNulls: true,
        symbol: 'none',
        itemStyle: { color: CHART_COLORS.reference },
        lineStyle: { color: CHART_COLORS.reference, width: 1.5 },
        data: rows.map((r) => r.restRate),
      },
    ],
  }
}
