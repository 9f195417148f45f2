/** Time view option: the two daily rates, the onset line and the rates before and after it; lookups. */
import { describe, expect, it } from 'vitest'
import type { SuspectTimeline } from '../../../../shared/msd'
import { buildTimelineOption, lookupTimeline, onsetDay, timelineRows, timelineTooltip, type TimelineLabels } from '../../../../renderer/src/charts/timeline-option'
import { suspectList } from './fixtures'

const LABELS: TimelineLabels = {
  factor: 'Lots through GWBE-0029',
  rest: 'Other lots at 焊接_WB',
  lots: 'lots',
  defectiveLots: 'defective',
  onset: 'Onset 2026-09-20',
  before: 'Before',
  after: 'From onset',
  axis: 'Defective-lot rate (%)',
  description: 'Time view',
  locale: 'en',
}

const BONDER = suspectList()[0]!
const TIMELINE: SuspectTimeline = {
  factor_type: 'machine',
  name: 'GWBE-0029',
  station: '焊接_WB',
  // Out of order; 09-21 without lots through the bonder.
  days: [
    { date: '2026-09-20', lots: 5, defective_lots: 4, rest_lots: 40, rest_defective_lots: 4 },
    { date: '2026-09-18', lots: 10, defective_lots: 1, rest_lots: 50, rest_defective_lots: 5 },
    { date: '2026-09-21', lots: 0, defective_lots: 0, rest_lots: 30, rest_defective_lots: 6 },
    { date: '2026-09-19', lots: 4, defective_lots: 0, rest_lots: 0, rest_defective_lots: 0 },
  ],
}

type Series = { id: string; data: (number | null)[]; markLine?: { data: unknown[] } }

describe('timelineRows', () => {
  it('orders the days and gives both rates in percent, null without lots', () => {
    expect(timelineRows(TIMELINE.days).map((r) => [r.date, r.rate, r.restRate])).toEqual([
      ['2026-09-18', 10, 10],
      ['2026-09-19', 0, null],
      ['2026-09-20', 80, 10],
      ['2026-09-21', null, 20],
    ])
  })
})

describe('buildTimelineOption', () => {
  const option = buildTimelineOption(TIMELINE.days, BONDER, LABELS)
  const series = option.series as Series[]

  it('draws the factor’s lots against the rest of its population', () => {
    expect((option.xAxis as { data: string[] }).data).toEqual(['2026-09-18', '2026-09-19', '2026-09-20', '2026-09-21'])
    expect(series.map((s) => [s.id, s.data])).toEqual([
      ['factor', [10, 0, 80, null]],
      ['rest', [10, null, 10, 20]],
    ])
  })

  it('marks the onset and the rates before and after it', () => {
    const marks = series[0]!.markLine!.data as unknown[]
    expect(marks[0]).toMatchObject({ xAxis: '2026-09-20', label: { formatter: 'Onset 2026-09-20' } })
    expect(marks[1]).toMatchObject([{ coord: ['2026-09-18', 10], label: { formatter: 'Before 10.00 %' } }, { coord: ['2026-09-19', 10] }])
    expect(marks[2]).toMatchObject([{ coord: ['2026-09-20', 80], label: { formatter: 'From onset 80.00 %' } }, { coord: ['2026-09-21', 80] }])
  })

  it('marks nothing without an onset', () => {
    const noOnset = { ...BONDER, onset: null, rate_before_onset: null, rate_after_onset: null }
    expect((buildTimelineOption(TIMELINE.days, noOnset, LABELS).series as Series[])[0]!.markLine!.data).toEqual([])
  })

  it('puts lot counts in the tooltip', () => {
    const tooltip = option.tooltip as { formatter: (p: unknown) => string }
    expect(tooltip.formatter([{ dataIndex: 2 }]).split('\n')).toEqual([
      '2026-09-20',
      'Lots through GWBE-0029: 80.00 % (defective 4 / lots 5)',
      'Other lots at 焊接_WB: 10.00 % (defective 4 / lots 40)',
    ])
    expect(timelineTooltip(timelineRows(TIMELINE.days)[3]!, LABELS).split('\n')[1]).toBe('Lots through GWBE-0029: — (defective 0 / lots 0)')
  })
})

describe('onsetDay', () => {
  it('is the onset, else the next day on the axis, else null', () => {
    const rows = timelineRows(TIMELINE.days)
    expect(onsetDay(rows, '2026-09-20')).toBe('2026-09-20')
    expect(onsetDay(rows, '2026-09-17')).toBe('2026-09-18')
    expect(onsetDay(rows, '2026-10-01')).toBeNull()
    expect(onsetDay(rows, null)).toBeNull()
  })
})

describe('lookupTimeline', () => {
  const list = suspectList()
  const ref = (over: Partial<SuspectTimeline>) => ({ factor_type: 'machine' as const, name: 'GWBE-0029', station: '焊接_WB', ...over })

  it('finds a ranked suspect’s timeline by type, name and station', () => {
    const found = lookupTimeline(ref({}), list, [TIMELINE], false)
    expect(found.kind).toBe('found')
    expect(found.kind === 'found' && found.timeline).toBe(TIMELINE)
  })

  it('says why there is none', () => {
    const reason = (r: ReturnType<typeof lookupTimeline>) => (r.kind === 'absent' ? r.reason : r.kind)
    expect(reason(lookupTimeline({ factor_type: 'wafer_root', name: 'W-ROOT-1', station: null }, list, [TIMELINE], false))).toBe('wafer_root')
    expect(reason(lookupTimeline(ref({}), list, [], true))).toBe('legacy')
    expect(reason(lookupTimeline(ref({ name: 'GWBE-0100' }), list, [TIMELINE], false))).toBe('unranked')
    expect(reason(lookupTimeline(ref({ name: 'GWBE-9999' }), list, [TIMELINE], false))).toBe('not_kept')
    expect(reason(lookupTimeline(ref({ name: 'GWBE-0003' }), list, [TIMELINE], false))).toBe('missing')
    // The same name at another station is another factor.
    expect(reason(lookupTimeline(ref({ station: '黏晶_DA' }), list, [TIMELINE], false))).toBe('not_kept')
  })
})
