/** Trend option builder: the p-chart (limits from pChart), its marks, the fallback for older results, clicks. */
import { describe, expect, it } from 'vitest'
import type { TrendItem } from '../../../../shared/msd'
import { pChart } from '../../../../shared/statistics'
import { buildTrendOption, hasLotCounts, pChartDays, pChartTooltip, trendClickTarget, trendTooltip } from '../../../../renderer/src/charts/trend-option'
import type { TrendLabels } from '../../../../renderer/src/charts/trend-option'

const LABELS: TrendLabels = {
  proportion: 'Defective-lot share',
  limits: 'Control limits (3σ)',
  outside: 'Outside the limits',
  center: 'Centre',
  defectiveLots: 'Defective lots',
  lots: 'lots',
  rate: 'Defect rate (units)',
  above: 'Above the upper control limit',
  below: 'Below the lower control limit',
  description: 'Trend',
  locale: 'en',
}

const day = (date: string, lots: number | null, defective: number | null, rate = 1): TrendItem => ({
  date,
  input_qty: 1000,
  defect_qty: 10,
  defect_rate: rate,
  lot_count: lots,
  defective_lot_count: defective,
})

// Given out of order. Centre 40 / 200 = 0.2. 03-04 has 30 of 40 defective (0.75, far above), 03-05
// has no lots at all (no point), 03-03 has 0 of 60 (below: LCL = 0.2 − 3·√(0.16/60) ≈ 0.045).
const ITEMS: TrendItem[] = [day('2024-03-04', 40, 30), day('2024-03-01', 50, 5), day('2024-03-05', 0, 0), day('2024-03-02', 50, 5), day('2024-03-03', 60, 0)]

type Series = { id: string; type: string; data: (number | null)[]; markLine?: { data: { yAxis: number }[] } }
const seriesOf = (items: TrendItem[]) => buildTrendOption(items, LABELS).series as Series[]

describe('pChartDays', () => {
  it('takes the centre line and each day’s limits from pChart, in percent and date order', () => {
    const chart = pChartDays(ITEMS)!
    const reference = pChart([
      { n: 50, x: 5 },
      { n: 50, x: 5 },
      { n: 60, x: 0 },
      { n: 40, x: 30 },
    ])!
    expect(chart.center).toBeCloseTo(reference.center * 100, 12)
    expect(chart.center).toBeCloseTo(20, 12)
    const withLots = chart.days.filter((d) => d.lots > 0)
    expect(withLots.map((d) => d.date)).toEqual(['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04'])
    withLots.forEach((d, i) => {
      expect(d.ucl).toBeCloseTo(reference.points[i]!.ucl * 100, 12)
      expect(d.lcl).toBeCloseTo(reference.points[i]!.lcl * 100, 12)
      expect(d.signal).toBe(reference.points[i]!.signal)
    })
    expect(withLots.map((d) => d.signal)).toEqual([null, null, 'below', 'above'])
    // 3σ at n = 40: 20 + 300·√(0.16 / 40) = 38.97…
    expect(withLots[3]!.ucl).toBeCloseTo(20 + 300 * Math.sqrt(0.16 / 40), 10)
  })

  it('keeps a day without lots on the axis, without a point', () => {
    const last = pChartDays(ITEMS)!.days[4]!
    expect(last).toMatchObject({ date: '2024-03-05', lots: 0, p: null, lcl: null, ucl: null, signal: null })
  })

  it('is null for a result that predates lot counts', () => {
    const old = [day('2024-03-01', null, null), day('2024-03-02', null, null)]
    expect(hasLotCounts(old)).toBe(false)
    expect(pChartDays(old)).toBeNull()
  })
})

describe('buildTrendOption', () => {
  it('draws the daily share, both limits as steps, the centre line and the days outside', () => {
    const series = seriesOf(ITEMS)
    expect(series.map((s) => [s.id, s.type])).toEqual([
      ['p', 'line'],
      ['ucl', 'line'],
      ['lcl', 'line'],
      ['outside', 'scatter'],
    ])
    expect(series[0]!.data).toEqual([10, 10, 0, 75, null])
    expect(series[0]!.markLine!.data).toEqual([{ yAxis: 20 }])
    // Only the days outside carry a mark, at their value.
    expect(series[3]!.data).toEqual([null, null, 0, 75, null])
    const days = pChartDays(ITEMS)!.days
    expect(series[1]!.data).toEqual(days.map((d) => d.ucl))
    expect(series[2]!.data).toEqual(days.map((d) => d.lcl))
  })

  it('has no defect-count bars', () => {
    expect(seriesOf(ITEMS).some((s) => s.type === 'bar')).toBe(false)
    expect(seriesOf([day('2024-03-01', null, null)]).some((s) => s.type === 'bar')).toBe(false)
  })

  it('falls back to the daily defect-rate line for an older result', () => {
    const old = [day('2024-03-02', null, null, 1.5), day('2024-03-01', null, null, 0.5)]
    const option = buildTrendOption(old, LABELS)
    expect((option.xAxis as { data: string[] }).data).toEqual(['2024-03-01', '2024-03-02'])
    expect((option.series as Series[]).map((s) => [s.id, s.data])).toEqual([['rate', [0.5, 1.5]]])
    const tooltip = option.tooltip as { formatter: (p: unknown) => string }
    expect(tooltip.formatter([{ dataIndex: 1 }])).toBe(trendTooltip(old[0]!, LABELS))
    expect(trendTooltip(old[0]!, LABELS)).toBe('2024-03-02\nDefect rate (units): 1.50 %')
  })

  it('shows the hovered day with its lots, limits and signal in the tooltip', () => {
    const chart = pChartDays(ITEMS)!
    const tooltip = buildTrendOption(ITEMS, LABELS).tooltip as { formatter: (p: unknown) => string }
    expect(tooltip.formatter([{ dataIndex: 3 }])).toBe(pChartTooltip(chart.days[3]!, chart.center, LABELS))
    expect(pChartTooltip(chart.days[3]!, chart.center, LABELS).split('\n')).toEqual([
      '2024-03-04',
      'Defective lots: 30 / lots 40 = 75.00 %',
      'Control limits (3σ): 1.03 % – 38.97 %',
      'Centre: 20.00 %',
      'Defect rate (units): 1.00 %',
      'Above the upper control limit',
    ])
  })
})

describe('trendClickTarget', () => {
  it('gives the date of a clicked point', () => {
    expect(trendClickTarget({ componentType: 'series', seriesType: 'line', name: '2024-03-02' })).toBe('2024-03-02')
  })
  it('ignores clicks outside the series', () => {
    expect(trendClickTarget({ componentType: 'xAxis', name: '2024-03-01' })).toBeNull()
  })
})
