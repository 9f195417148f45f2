/** Trend option builder: date order, series values and axes, clicks. */
import { describe, expect, it } from 'vitest'
import type { TrendItem } from '../../../../shared/msd'
import { buildTrendOption, trendClickTarget, trendTooltip } from '../../../../renderer/src/charts/trend-option'
import type { TrendLabels } from '../../../../renderer/src/charts/trend-option'

const LABELS: TrendLabels = { input: 'Input', defect: 'Defects', rate: 'Rate (%)', description: 'Trend', locale: 'en' }
const ITEMS: TrendItem[] = [
  { date: '2024-03-02', input_qty: 2000, defect_qty: 30, defect_rate: 1.5, lot_count: null, defective_lot_count: null },
  { date: '2024-03-01', input_qty: 1000, defect_qty: 5, defect_rate: 0.5, lot_count: null, defective_lot_count: null },
]

describe('buildTrendOption', () => {
  const option = buildTrendOption(ITEMS, LABELS)
  const series = option.series as { id: string; type: string; data: number[]; yAxisIndex: number }[]

  it('puts days in date order on the category axis', () => {
    expect((option.xAxis as { data: string[] }).data).toEqual(['2024-03-01', '2024-03-02'])
  })

  it('draws input and defect bars on the left axis and the rate line on the right', () => {
    expect(series.map((s) => [s.id, s.type, s.yAxisIndex, s.data])).toEqual([
      ['input', 'bar', 0, [1000, 2000]],
      ['defect', 'bar', 0, [5, 30]],
      ['rate', 'line', 1, [0.5, 1.5]],
    ])
    expect((option.yAxis as { axisLabel: { formatter?: string } }[])[1]!.axisLabel.formatter).toBe('{value}%')
  })

  it('shows the hovered day in its tooltip', () => {
    const tooltip = option.tooltip as { formatter: (p: unknown) => string }
    expect(tooltip.formatter([{ dataIndex: 1 }])).toBe(trendTooltip(ITEMS[0]!, LABELS))
    expect(trendTooltip(ITEMS[0]!, LABELS).split('\n')).toEqual(['2024-03-02', 'Input: 2,000', 'Defects: 30', 'Rate (%): 1.5%'])
  })
})

describe('trendClickTarget', () => {
  it('gives the date of a clicked bar or point', () => {
    expect(trendClickTarget({ componentType: 'series', seriesType: 'bar', name: '2024-03-01' })).toBe('2024-03-01')
    expect(trendClickTarget({ componentType: 'series', seriesType: 'line', name: '2024-03-02' })).toBe('2024-03-02')
  })
  it('ignores clicks outside the series', () => {
    expect(trendClickTarget({ componentType: 'xAxis', name: '2024-03-01' })).toBeNull()
  })
})
