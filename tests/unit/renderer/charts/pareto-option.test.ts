/** Pareto option builder: bar order and values per mode, cumulative line, 80 % line, clicks. */
import { describe, expect, it } from 'vitest'
import { buildPareto, PARETO_OTHER } from '../../../../shared/msd'
import type { ParetoItem } from '../../../../shared/msd'
import {
  buildParetoOption,
  isSelectableBar,
  paretoClickTarget,
  paretoRows,
  paretoTooltip,
} from '../../../../renderer/src/charts/pareto-option'
import type { ParetoLabels } from '../../../../renderer/src/charts/pareto-option'

const LABELS: ParetoLabels = {
  defectQty: 'Defects',
  defectRate: 'Defect rate (%)',
  cumulative: 'Cumulative (%)',
  input: 'Input',
  lots: 'Lots',
  description: 'A Pareto chart',
  locale: 'en',
}

// Built by the shared builder: top 3 by defects, the rest folded into 其他.
const ITEMS: ParetoItem[] = buildPareto(
  [
    { name: 'A', input_qty: 1000, defect_qty: 50, lot_count: 5 },
    { name: 'B', input_qty: 100, defect_qty: 30, lot_count: 2 },
    { name: 'C', input_qty: 400, defect_qty: 20, lot_count: 4 },
    { name: 'D', input_qty: 30, defect_qty: 6, lot_count: 1 },
    { name: 'E', input_qty: 20, defect_qty: 4, lot_count: 1 },
  ],
  { topN: 3 },
)

interface SeriesLike {
  type: string
  data: unknown[]
  yAxisIndex?: number
  markLine?: { data: unknown[]; lineStyle: { type: string } }
}
const seriesOf = (option: ReturnType<typeof buildParetoOption>): SeriesLike[] => option.series as SeriesLike[]
const barValues = (option: ReturnType<typeof buildParetoOption>): number[] =>
  (seriesOf(option)[0]!.data as { value: number }[]).map((d) => d.value)

describe('paretoRows', () => {
  it('keeps the given order and cumulative share in quantity mode', () => {
    expect(paretoRows(ITEMS, 'qty').map((r) => [r.name, r.cumulative_pct])).toEqual([
      ['A', 45.45],
      ['B', 72.73],
      ['C', 90.91],
      [PARETO_OTHER, 100],
    ])
  })

  it('sorts by rate in rate mode, ties by defects, 其他 last, and recomputes the cumulative share', () => {
    // Rates: A 5 %, B 30 %, C 5 %, 其他 20 %.
    expect(paretoRows(ITEMS, 'rate').map((r) => [r.name, r.defect_rate, r.cumulative_pct])).toEqual([
      ['B', 30, 27.27],
      ['A', 5, 72.73],
      ['C', 5, 90.91],
      [PARETO_OTHER, 20, 100],
    ])
  })

  it('does not change its input', () => {
    const copy = structuredClone(ITEMS)
    paretoRows(ITEMS, 'rate')
    expect(ITEMS).toEqual(copy)
  })
})

describe('buildParetoOption', () => {
  it('draws defect quantities and the cumulative line in quantity mode', () => {
    const option = buildParetoOption(ITEMS, 'qty', LABELS)
    expect((option.xAxis as { data: string[] }).data).toEqual(['A', 'B', 'C', PARETO_OTHER])
    expect(barValues(option)).toEqual([50, 30, 20, 10])
    const line = seriesOf(option)[1]!
    expect(line.type).toBe('line')
    expect(line.yAxisIndex).toBe(1)
    expect(line.data).toEqual([45.45, 72.73, 90.91, 100])
  })

  it('draws rates sorted descending in rate mode', () => {
    const option = buildParetoOption(ITEMS, 'rate', LABELS)
    expect((option.xAxis as { data: string[] }).data).toEqual(['B', 'A', 'C', PARETO_OTHER])
    expect(barValues(option)).toEqual([30, 5, 5, 20])
    expect(seriesOf(option)[1]!.data).toEqual([27.27, 72.73, 90.91, 100])
    expect((seriesOf(option)[0] as unknown as { name: string }).name).toBe('Defect rate (%)')
  })

  it.each(['qty', 'rate'] as const)('keeps a dashed 80 %% line and a 0–100 right axis in %s mode', (mode) => {
    const option = buildParetoOption(ITEMS, mode, LABELS)
    const markLine = seriesOf(option)[1]!.markLine!
    expect(markLine.data).toEqual([{ yAxis: 80 }])
    expect(markLine.lineStyle.type).toBe('dashed')
    const right = (option.yAxis as { min?: number; max?: number }[])[1]!
    expect([right.min, right.max]).toEqual([0, 100])
  })

  it('greys the 其他 bar and turns on ARIA with the description', () => {
    const option = buildParetoOption(ITEMS, 'qty', LABELS)
    const data = seriesOf(option)[0]!.data as { name: string; itemStyle: { color: string }; cursor: string }[]
    expect(data[3]!.itemStyle.color).not.toBe(data[0]!.itemStyle.color)
    expect(data[3]!.cursor).toBe('default')
    expect(option.aria).toEqual({ enabled: true, label: { description: 'A Pareto chart' } })
  })

  it('draws its tooltip as canvas rich text with the row of the hovered bar', () => {
    const option = buildParetoOption(ITEMS, 'rate', LABELS)
    const tooltip = option.tooltip as { renderMode: string; formatter: (p: unknown) => string }
    expect(tooltip.renderMode).toBe('richText')
    expect(tooltip.formatter([{ dataIndex: 0 }]).split('\n')[0]).toBe('B')
  })
})

describe('paretoTooltip', () => {
  it('shows quantity, input, rate, lots and cumulative share', () => {
    expect(paretoTooltip(ITEMS[0]!, LABELS).split('\n')).toEqual([
      'A',
      'Defects: 50',
      'Input: 1,000',
      'Defect rate (%): 5%',
      'Lots: 5',
      'Cumulative (%): 45.45%',
    ])
  })
  it('neutralises rich-text markup in names', () => {
    expect(paretoTooltip({ ...ITEMS[0]!, name: '{a|x}' }, LABELS).split('\n')[0]).toBe('(a¦x)')
  })
})

describe('paretoClickTarget', () => {
  it('selects a named bar', () => {
    expect(paretoClickTarget({ componentType: 'series', seriesType: 'bar', name: 'B' })).toBe('B')
  })
  it('never selects 其他 nor the cumulative line', () => {
    expect(isSelectableBar(PARETO_OTHER)).toBe(false)
    expect(paretoClickTarget({ componentType: 'series', seriesType: 'bar', name: PARETO_OTHER })).toBeNull()
    expect(paretoClickTarget({ componentType: 'series', seriesType: 'line', name: 'B' })).toBeNull()
    expect(paretoClickTarget({ componentType: 'markLine', name: 'B' })).toBeNull()
  })
})
