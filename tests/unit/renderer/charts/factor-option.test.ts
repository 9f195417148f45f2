/** Factor chart option: the suspect list's order, rate against baseline, lift, significance, clicks. */
import { describe, expect, it } from 'vitest'
import type { SuspectRef } from '../../../../shared/msd'
import {
  buildFactorOption,
  factorBarStyle,
  factorCategories,
  factorClickTarget,
  factorTooltip,
  rankedFactors,
  significanceOf,
  type FactorLabels,
} from '../../../../renderer/src/charts/factor-option'
import { suspect, suspectList } from './fixtures'

const LABELS: FactorLabels = {
  rate: 'Defect rate',
  baseline: 'Baseline',
  lift: 'Lift',
  lots: 'lots',
  defectiveLots: 'defective',
  axis: 'Defect rate (%)',
  machineUnknown: 'machine unknown',
  significance: { significant: 'Significant', explained: 'Explained', not_significant: 'Not significant', unknown: 'Not computed' },
  explainedBy: (ref: SuspectRef) => `Explained by ${ref.factor_type} ${ref.name}`,
  onset: (date) => (date === null ? 'No onset' : `Onset ${date}`),
  description: 'Machines',
  locale: 'en',
}

type Option = ReturnType<typeof buildFactorOption>
const categories = (option: Option) => (option.yAxis as { data: string[]; inverse: boolean }).data
const series = (option: Option) => option.series as { id: string; type: string; data: unknown[]; label?: { formatter: (p: { dataIndex: number }) => string } }[]

describe('rankedFactors', () => {
  it('keeps the ranked suspects of one type in the suspect list’s order, not by rank', () => {
    const list = suspectList()
    const machines = rankedFactors(list, 'machine')
    // The chart's order is exactly the list's order for that type (unranked GWBE-0100 left out).
    expect(machines.map((s) => s.name)).toEqual(list.filter((s) => s.factor_type === 'machine' && s.rank !== null).map((s) => s.name))
    expect(machines.map((s) => s.name)).toEqual(['GWBE-0029', 'GWBE-0003', '(NA)'])
    // The explained capillary lot has the better rank but comes after the independent epoxy lot.
    expect(rankedFactors(list, 'material').map((s) => [s.name, s.rank])).toEqual([
      ['EPOXY-7 (EL-0042)', 5],
      ['CAP-A (CAP-0007)', 1],
    ])
    expect(rankedFactors(list, 'wafer_root').map((s) => s.name)).toEqual(['W-ROOT-1'])
  })

  it('shows at most ten', () => {
    const many = Array.from({ length: 14 }, (_, i) => suspect({ factor_type: 'machine', name: `M${i}`, rank: i + 1 }))
    expect(rankedFactors(many, 'machine').map((s) => s.name)).toEqual(many.slice(0, 10).map((s) => s.name))
  })
})

describe('buildFactorOption', () => {
  const rows = rankedFactors(suspectList(), 'machine')
  const option = buildFactorOption(rows, true, LABELS)

  it('lists the categories top to bottom in the suspect list’s order, (NA) in words', () => {
    expect(categories(option)).toEqual(['GWBE-0029', 'GWBE-0003', 'machine unknown'])
    expect((option.yAxis as { inverse: boolean }).inverse).toBe(true)
  })

  it('draws each suspect’s rate beside its baseline, with the lift at the end of the rate bar', () => {
    const [rate, baseline] = series(option)
    expect([rate!.id, rate!.type, baseline!.id, baseline!.type]).toEqual(['rate', 'bar', 'baseline', 'bar'])
    expect((rate!.data as { value: number }[]).map((d) => d.value)).toEqual([2.25, 1.1, 1.0])
    expect(baseline!.data).toEqual([0.65, 0.8, 0.8])
    expect(rows.map((_, i) => rate!.label!.formatter({ dataIndex: i }))).toEqual(['×3.46', '×1.38', '×1.25'])
  })

  it('colours a bar by significance, striping the explained ones', () => {
    const materials = rankedFactors(suspectList(), 'material')
    const data = series(buildFactorOption(materials, true, LABELS))[0]!.data as { itemStyle: { color: string; decal?: unknown } }[]
    expect(data[0]!.itemStyle).toEqual(factorBarStyle('significant'))
    expect(data[1]!.itemStyle.decal).toBeDefined()
    expect(data[0]!.itemStyle.decal).toBeUndefined()
    const machineData = series(option)[0]!.data as { itemStyle: { color: string } }[]
    expect(machineData[1]!.itemStyle.color).toBe(factorBarStyle('not_significant').color)
    expect(machineData[1]!.itemStyle.color).not.toBe(machineData[0]!.itemStyle.color)
  })

  it('marks nothing on a result that predates significance', () => {
    const data = series(buildFactorOption(rows, false, LABELS))[0]!.data as { itemStyle: unknown }[]
    expect(data.map((d) => d.itemStyle)).toEqual(rows.map(() => factorBarStyle('unknown')))
  })

  it('selects the suspect of either bar of a row', () => {
    expect(factorClickTarget({ componentType: 'series', seriesType: 'bar', dataIndex: 2 }, rows)?.name).toBe('(NA)')
    expect(factorClickTarget({ componentType: 'xAxis', dataIndex: 0 }, rows)).toBeNull()
  })
})

describe('significanceOf', () => {
  it('tells significant, explained, not significant and unknown apart', () => {
    const [bonder, epoxy, cap, weak] = suspectList()
    expect([bonder, epoxy, cap, weak].map((s) => significanceOf(s!, true))).toEqual(['significant', 'significant', 'explained', 'not_significant'])
    expect(significanceOf(bonder!, false)).toBe('unknown')
  })
})

describe('factorCategories', () => {
  it('adds the station only to a name that appears twice', () => {
    const rows = [
      suspect({ factor_type: 'machine', name: 'M1', station: 'A' }),
      suspect({ factor_type: 'machine', name: 'M1', station: 'B' }),
      suspect({ factor_type: 'machine', name: 'M2', station: 'A' }),
    ]
    expect(factorCategories(rows, '?')).toEqual(['M1 (A)', 'M1 (B)', 'M2'])
  })
})

describe('factorTooltip', () => {
  it('gives rates with lot counts, lift, verdict and onset', () => {
    const bonder = suspectList()[0]!
    expect(factorTooltip(bonder, 'significant', LABELS).split('\n')).toEqual([
      'GWBE-0029 · 焊接_WB',
      'Defect rate: 2.25 % (lots 20, defective 10)',
      'Baseline: 0.65 % (lots 200, defective 40)',
      'Lift: ×3.46',
      'Significant (q = 1.0e-60)',
      'Onset 2026-09-20',
    ])
  })
  it('names what explains an explained suspect, with the conditional p-value', () => {
    const cap = suspectList()[2]!
    expect(factorTooltip(cap, 'explained', LABELS).split('\n')[4]).toBe('Explained by machine GWBE-0029 (p = 0.410)')
  })
})
