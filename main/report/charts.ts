/**
 * The report's charts, drawn without a browser: ECharts' server-side SVG renderer turns an option
 * into an SVG string, inlined into the report (no script, no font or image to load). ECharts is
 * loaded on the first chart only, so commands that never draw one do not pay for it.
 *
 * The charts show only dates, numbers and the report's own labels — never a name from the MES —
 * and each SVG is checked by {@link trustedSvg} before it is inlined.
 */
import type * as EChartsCore from 'echarts/core'
import type { PChartPoint } from '../../shared/statistics.js'
import type { Suspect, SuspectTimeline } from '../../shared/msd.js'
import { trustedSvg, type SafeHtml } from './html.js'
import type { ReportMessages } from './messages.js'

/** Width the charts are drawn at, in pixels; the page scales them to its own width. */
export const CHART_WIDTH = 960

/** Height the charts are drawn at, in pixels (room for the legend under the plot). */
export const CHART_HEIGHT = 320

/** Fonts the charts ask for: the plant's CJK fonts first where the reader has them, never a download. */
export const CHART_FONTS = "'Segoe UI', 'Microsoft JhengHei', 'PingFang TC', 'Noto Sans CJK TC', 'Noto Sans TC', sans-serif"

const COLORS = { factor: '#c2410c', rest: '#2563eb', lots: '#e2e8f0', onset: '#7c3aed', center: '#15803d', limit: '#64748b', signal: '#dc2626', line: '#1f2937' }

type EChartsModule = typeof EChartsCore
let loaded: Promise<EChartsModule> | null = null

/** ECharts' core with the pieces the report draws, set up once. */
function echartsCore(): Promise<EChartsModule> {
  loaded ??= (async () => {
    const [core, charts, components, renderers] = await Promise.all([
      import('echarts/core'),
      import('echarts/charts'),
      import('echarts/components'),
      import('echarts/renderers'),
    ])
    core.use([
      charts.LineChart,
      charts.BarChart,
      charts.ScatterChart,
      components.GridComponent,
      components.LegendComponent,
      components.MarkLineComponent,
      components.MarkAreaComponent,
      renderers.SVGRenderer,
    ])
    return core
  })()
  return loaded
}

/**
 * Draws `option` as an SVG string with the server-side renderer (no DOM, no animation) and
 * disposes of the chart whatever happens.
 */
export async function renderSvg(option: Record<string, unknown>, width = CHART_WIDTH, height = CHART_HEIGHT): Promise<SafeHtml> {
  const echarts = await echartsCore()
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONTS, fontSize: 13 }, ...option })
    return trustedSvg(chart.renderToSVGString({ useViewBox: true }))
  } finally {
    chart.dispose()
  }
}

/** Every day from `first` to `last` (`YYYY-MM-DD`, both included), so a gap in the data shows as a gap. */
export function daysBetween(first: string, last: string): string[] {
  const out: string[] = []
  const end = Date.parse(`${last}T00:00:00Z`)
  for (let t = Date.parse(`${first}T00:00:00Z`); Number.isFinite(t) && t <= end && out.length <= 3660; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10))
  }
  return out
}

/** A percentage with 2 decimals for the chart, or null (a gap) without lots. */
function share(x: number, n: number): number | null {
  return n > 0 ? Math.round((x / n) * 10000) / 100 : null
}

const axisLabel = { color: '#334155', fontSize: 12 }
const dateLabel = { ...axisLabel, formatter: (value: string) => value.slice(5) }

/**
 * A suspect's time view: the daily defective-lot rate of its lots against the rest of its
 * population (lines, by the day the lots passed it), its lot count per day (faint bars), and the
 * onset with the rates before and after it. Null when the time view has no day.
 */
export async function suspectTimelineChart(timeline: SuspectTimeline, suspect: Suspect, m: ReportMessages): Promise<SafeHtml | null> {
  const days = [...timeline.days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  if (days.length === 0) return null
  const dates = daysBetween(days[0]!.date, days[days.length - 1]!.date)
  const byDate = new Map(days.map((d) => [d.date, d]))
  const factor = dates.map((d) => {
    const day = byDate.get(d)
    return day ? share(day.defective_lots, day.lots) : null
  })
  const rest = dates.map((d) => {
    const day = byDate.get(d)
    return day ? share(day.rest_defective_lots, day.rest_lots) : null
  })
  const lots = dates.map((d) => byDate.get(d)?.lots ?? 0)
  const onset = suspect.onset !== null && dates.includes(suspect.onset) ? suspect.onset : null
  const markLines: unknown[] = []
  if (onset) {
    markLines.push({ xAxis: onset, lineStyle: { color: COLORS.onset, width: 2, type: 'solid' }, label: { formatter: `${m.chart.onset} ${onset}`, color: COLORS.onset, position: 'end', fontSize: 12 } })
    if (suspect.rate_before_onset !== null) {
      markLines.push([
        { coord: [dates[0], suspect.rate_before_onset], lineStyle: { color: COLORS.factor, type: 'dashed', width: 1.5 }, label: { show: false } },
        { coord: [onset, suspect.rate_before_onset] },
      ])
    }
    if (suspect.rate_after_onset !== null) {
      markLines.push([
        { coord: [onset, suspect.rate_after_onset], lineStyle: { color: COLORS.factor, type: 'dashed', width: 1.5 }, label: { show: false } },
        { coord: [dates[dates.length - 1], suspect.rate_after_onset] },
      ])
    }
  }
  return renderSvg({
    color: [COLORS.factor, COLORS.rest, COLORS.lots],
    legend: { bottom: 0, left: 'center', textStyle: { fontSize: 12, color: '#1f2937' }, itemGap: 24 },
    grid: { left: 64, right: 64, top: 36, bottom: 60 },
    xAxis: { type: 'category', data: dates, axisLabel: dateLabel, axisTick: { alignWithLabel: true } },
    yAxis: [
      { type: 'value', name: m.chart.ratePercent, nameTextStyle: { ...axisLabel, align: 'left' }, axisLabel, min: 0, splitLine: { lineStyle: { color: '#e2e8f0' } } },
      { type: 'value', name: m.chart.lotsAxis, nameTextStyle: { ...axisLabel, align: 'right' }, axisLabel, min: 0, splitLine: { show: false } },
    ],
    series: [
      {
        name: m.chart.factorRate,
        type: 'line',
        data: factor,
        connectNulls: false,
        symbol: 'circle',
        symbolSize: 5,
        lineStyle: { width: 2.5 },
        z: 3,
        markLine: markLines.length > 0 ? { symbol: 'none', silent: true, data: markLines } : undefined,
      },
      { name: m.chart.restRate, type: 'line', data: rest, connectNulls: false, symbol: 'none', lineStyle: { width: 1.5 }, z: 2 },
      { name: m.chart.factorLots, type: 'bar', yAxisIndex: 1, data: lots, barMaxWidth: 14, itemStyle: { color: COLORS.lots }, z: 1 },
    ],
  })
}

/** A p-chart day: its date and point. */
export interface PChartDay {
  date: string
  point: PChartPoint
}

/**
 * The daily p-chart: each day's share of defective lots (line and dots), the centre line, the
 * 3-sigma limits of each day's lot count (steps), and the days outside them marked.
 */
export async function pChartSvg(days: readonly PChartDay[], center: number, m: ReportMessages): Promise<SafeHtml | null> {
  if (days.length === 0) return null
  const pct = (p: number): number => Math.round(p * 1_000_000) / 10_000
  // Every calendar day on the axis: a day without lots is a gap, not a squeezed-out date.
  const dates = daysBetween(days[0]!.date, days[days.length - 1]!.date)
  const byDate = new Map(days.map((d) => [d.date, d.point]))
  const series = (value: (point: PChartPoint) => number | null): (number | null)[] =>
    dates.map((date) => {
      const point = byDate.get(date)
      return point ? value(point) : null
    })
  return renderSvg({
    legend: { bottom: 0, left: 'center', textStyle: { fontSize: 12, color: '#1f2937' }, itemGap: 24 },
    grid: { left: 64, right: 32, top: 36, bottom: 60 },
    xAxis: { type: 'category', data: dates, axisLabel: dateLabel, axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', name: m.chart.pChartRate, nameTextStyle: { ...axisLabel, align: 'left' }, axisLabel, min: 0, splitLine: { lineStyle: { color: '#e2e8f0' } } },
    series: [
      { name: m.chart.pChartRate, type: 'line', data: series((p) => pct(p.p)), connectNulls: false, symbol: 'circle', symbolSize: 5, itemStyle: { color: COLORS.line }, lineStyle: { width: 1.5, color: COLORS.line }, z: 3 },
      { name: m.chart.center, type: 'line', data: dates.map(() => pct(center)), symbol: 'none', lineStyle: { color: COLORS.center, width: 1.5 }, itemStyle: { color: COLORS.center }, z: 2 },
      { name: m.chart.ucl, type: 'line', step: 'middle', data: series((p) => pct(p.ucl)), connectNulls: false, symbol: 'none', lineStyle: { color: COLORS.limit, type: 'dashed', width: 1 }, itemStyle: { color: COLORS.limit }, z: 2 },
      { name: m.chart.lcl, type: 'line', step: 'middle', data: series((p) => pct(p.lcl)), connectNulls: false, symbol: 'none', lineStyle: { color: COLORS.limit, type: 'dotted', width: 1 }, itemStyle: { color: COLORS.limit }, z: 2 },
      { name: m.chart.signal, type: 'scatter', data: series((p) => (p.signal ? pct(p.p) : null)), symbol: 'diamond', symbolSize: 11, itemStyle: { color: COLORS.signal }, z: 4 },
    ],
  })
}
