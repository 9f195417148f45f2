/** Pareto option builder: bars, cumulative and 80 % lines, the attributed variant, clicks. */
import { describe, expect, it } from 'vitest'
import { buildPareto, PARETO_OTHER } from '../../../../shared/msd'
import type { ParetoItem } from '../../../../shared/msd'
import {
  buildParetoOption,
  formatCompact,
  isSelectableBar,
  paretoBars,
  paretoClickTarget,
  paretoOtherNote,
  paretoTooltip,
} from '../../../../renderer/src/charts/pareto-option'
import type { ParetoLabels } from '../../../../renderer/src/charts/pareto-option'

const LABELS: ParetoLabels = {
  defectQty: 'Defects',
  defectRate: 'Defect rate',
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
  id: string
  type: string
  data: unknown[]
  yAxisIndex?: number
  markLine?: { data: unknown[]; lineStyle: { type: string } }
}
type Option = ReturnType<typeof buildParetoOption>
const seriesOf = (option: Option): SeriesLike[] => option.series as SeriesLike[]
const barValues = (option: Option): number[] => (seriesOf(option)[0]!.data as { value: number }[]).map((d) => d.value)
const categories = (option: Option): string[] => (option.xAxis as { data: string[] }).data

describe('buildParetoOption', () => {
  it('draws defect quantities in the given order with the cumulative line on a 0–100 right axis', () => {
    const option = buildParetoOption(ITEMS, LABELS)
    expect(categories(option)).toEqual(['A', 'B', 'C', PARETO_OTHER])
    expect(barValues(option)).toEqual([50, 30, 20, 10])
    const line = seriesOf(option)[1]!
    expect([line.id, line.type, line.yAxisIndex]).toEqual(['cumulative', 'line', 1])
    expect(line.data).toEqual([45.45, 72.73, 90.91, 100])
    expect(line.markLine!.data).toEqual([{ yAxis: 80 }])
    expect(line.markLine!.lineStyle.type).toBe('dashed')
    const right = (option.yAxis as { min?: number; max?: number }[])[1]!
    expect([right.min, right.max]).toEqual([0, 100])
  })

  it('greys the 其他 bar and turns on ARIA with the description', () => {
    const option = buildParetoOption(ITEMS, LABELS)
    const data = seriesOf(option)[0]!.data as { itemStyle: { color: string }; cursor: string }[]
    expect(data[3]!.itemStyle.color).not.toBe(data[0]!.itemStyle.color)
    expect(data[3]!.cursor).toBe('default')
    expect(option.aria).toEqual({ enabled: true, label: { description: 'A Pareto chart' } })
  })

  describe('when the totals are attributed (a lot counts for every factor it touched)', () => {
    const option = buildParetoOption(ITEMS, LABELS, { attributed: true })

    it('has no cumulative line, no right axis and no legend (the axis names its one series)', () => {
      expect(seriesOf(option).map((s) => s.id)).toEqual(['bars'])
      expect(option.yAxis as unknown[]).toHaveLength(1)
      expect((option.legend as { show: boolean }).show).toBe(false)
      expect((buildParetoOption(ITEMS, LABELS).legend as { show: boolean }).show).toBe(true)
    })

    it('leaves 其他 out of the bars and gives it as a note instead', () => {
      expect(categories(option)).toEqual(['A', 'B', 'C'])
      expect(barValues(option)).toEqual([50, 30, 20])
      expect(paretoBars(ITEMS, { attributed: true }).map((b) => b.name)).toEqual(['A', 'B', 'C'])
      expect(paretoOtherNote(ITEMS, { attributed: true })).toMatchObject({ name: PARETO_OTHER, defect_qty: 10, input_qty: 50, lot_count: 2 })
    })

    it('has no note when nothing was folded, nor on an ordinary Pareto', () => {
      expect(paretoOtherNote(ITEMS.slice(0, 3), { attributed: true })).toBeNull()
      expect(paretoOtherNote(ITEMS)).toBeNull()
    })

    it('leaves the cumulative share out of the tooltip', () => {
      const tooltip = option.tooltip as { formatter: (p: unknown) => string }
      expect(tooltip.formatter([{ dataIndex: 1 }]).split('\n')).toEqual(['B', 'Defects: 30', 'Input: 100', 'Defect rate: 30.00 %', 'Lots: 2'])
    })
  })

  it('shows stored names through displayName, while clicks report the stored name', () => {
    const items = buildPareto([
      { name: '(NA)', input_qty: 100, defect_qty: 9, lot_count: 1 },
      { name: 'PL-01', input_qty: 100, defect_qty: 3, lot_count: 1 },
    ])
    const option = buildParetoOption(items, { ...LABELS, displayName: (n) => (n === '(NA)' ? 'machine unknown' : n) })
    expect(categories(option)).toEqual(['machine unknown', 'PL-01'])
    expect(paretoClickTarget({ componentType: 'series', seriesType: 'bar', dataIndex: 0, name: 'machine unknown' }, paretoBars(items))).toBe('(NA)')
  })

  it('draws its tooltip as canvas rich text with the row of the hovered bar', () => {
    const tooltip = buildParetoOption(ITEMS, LABELS).tooltip as { renderMode: string; formatter: (p: unknown) => string }
    expect(tooltip.renderMode).toBe('richText')
    expect(tooltip.formatter([{ dataIndex: 1 }]).split('\n')[0]).toBe('B')
  })

  it('labels the quantity axis compactly', () => {
    expect(formatCompact(80_000_000, 'en')).toBe('80M')
    expect(formatCompact(1234, 'en')).toBe('1.2K')
  })
})

describe('paretoTooltip', () => {
  it('shows quantity, input, rate (two decimals), lots and cumulative share', () => {
    expect(paretoTooltip(ITEMS[0]!, LABELS).split('\n')).toEqual(['A', 'Defects: 50', 'Input: 1,000', 'Defect rate: 5.00 %', 'Lots: 5', 'Cumulative (%): 45.45%'])
  })
  it('neutralises rich-text markup in names', () => {
    expect(paretoTooltip({ ...ITEMS[0]!, name: '{a|x}' }, LABELS).split('\n')[0]).toBe('(a¦x)')
  })
})

describe('paretoClickTarget', () => {
  const bars = paretoBars(ITEMS)
  it('selects the clicked bar by its index', () => {
    expect(paretoClickTarget({ componentType: 'series', seriesType: 'bar', dataIndex: 1 }, bars)).toBe('B')
  })
  it('never selects 其他, the cumulative line or a mark line', () => {
    expect(isSelectableBar(PARETO_OTHER)).toBe(false)
    expect(paretoClickTarget({ componentType: 'series', seriesType: 'bar', dataIndex: 3 }, bars)).toBeNull()
    expect(paretoClickTarget({ componentType: 'series', seriesType: 'line', dataIndex: 1 }, bars)).toBeNull()
    expect(paretoClickTarget({ componentType: 'markLine', dataIndex: 1 }, bars)).toBeNull()
  })
})
