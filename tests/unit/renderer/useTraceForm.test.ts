import { nextTick } from 'vue'
import { describe, expect, it } from 'vitest'
import { formFieldOf, profileOf, useTraceForm } from '../../../renderer/src/composables/useTraceForm'

const dates = { today: '2026-11-01', yesterday: '2026-10-31', weekBefore: '2026-10-25' }

describe('useTraceForm', () => {
  it('makes a lot trace of the pasted tokens with the profile’s domains', () => {
    const form = useTraceForm(dates)
    form.state.sourceId = 'src-demo'
    form.text.value = 'GA26090011-A07\r\nGA26090012-A05; GA2609*,,\n'
    expect(form.tokenCount.value).toBe(3)
    expect(form.request()).toEqual({
      profile: 'query_tool',
      params: { resolve_type: 'lot_id', values: ['GA26090011-A07', 'GA26090012-A05', 'GA2609*'] },
      domains: ['history', 'materials', 'rejects', 'holds', 'jobs'],
    })
    expect(form.validate()).toEqual({})
  })

  it('switches input types and domains with the profile', async () => {
    const form = useTraceForm(dates)
    form.state.profile = 'serial'
    await nextTick()
    expect(form.state.resolveType).toBe('serial_number')
    expect(form.resolveTypes.value).toEqual(['serial_number', 'gd_work_order', 'gd_lot_id'])
    form.state.profile = 'msd_forward'
    await nextTick()
    expect(form.state.domains).toEqual(['upstream_history', 'downstream_rejects'])
    expect(form.needsValues.value).toBe(false)
  })

  it('makes an MSD request over the week before today by default, with the loss reasons typed', async () => {
    const form = useTraceForm(dates)
    form.state.profile = 'msd_backward'
    await nextTick()
    form.state.sourceId = 'src-demo'
    form.state.lossReasons = '201_OPEN, 206_LEAKAGE ,'
    expect(form.request()).toEqual({
      profile: 'mid_section_defect',
      params: { direction: 'backward', station: '測試', loss_reasons: ['201_OPEN', '206_LEAKAGE'], mode: 'date_range', start_date: '2026-10-25', end_date: '2026-10-31' },
      domains: ['upstream_history', 'materials'],
    })
    expect(form.validate()).toEqual({})
  })

  it('puts each error on the field it is about', async () => {
    const form = useTraceForm(dates)
    expect(form.validate()).toEqual({ source: 'choose a data source', values: 'enter at least one value' })
    form.state.sourceId = 'src-demo'
    form.state.resolveType = 'work_order'
    form.text.value = 'GD26100001'
    expect(form.validate()).toEqual({ values: '"GD26100001" is a GD rework order; trace it with the reverse profile (gd_work_order)' })
    form.state.profile = 'msd_backward'
    await nextTick()
    form.state.startDate = '2026-11-02'
    expect(form.validate()).toEqual({ startDate: 'start 2026-11-02 is after end 2026-10-31' })
    form.state.startDate = '2026-1-2'
    expect(Object.keys(form.validate())).toEqual(['startDate'])
    form.state.msdMode = 'container'
    form.state.resolveType = 'lot_id'
    form.text.value = ''
    expect(form.validate()).toEqual({ values: 'enter at least one value' })
  })

  it('takes 100 000 pasted lot IDs as one string and counts them', () => {
    const form = useTraceForm(dates)
    form.state.sourceId = 'src-demo'
    form.text.value = Array.from({ length: 100_000 }, (_, i) => `GA2609${String(i).padStart(5, '0')}-A01`).join('\n')
    expect(form.tokenCount.value).toBe(100_000)
    expect(form.validate()).toEqual({})
    form.text.value += '\nGA2609X-A01'
    expect(form.validate().values).toBe('100001 values given; at most 100000 lot_id values per trace')
  })

  it('maps request fields to form fields and profiles to the contract', () => {
    expect(formFieldOf('params.values[3]')).toBe('values')
    expect(formFieldOf('params.date_range')).toBe('startDate')
    expect(formFieldOf('domains[0]')).toBe('domains')
    expect(profileOf('serial')).toEqual({ profile: 'query_tool_reverse', direction: 'backward' })
  })
})

describe('useTraceForm with the source’s data window', () => {
  const window = {
    first: '2026-05-01T06:00:00',
    last: '2026-10-31T22:15:00',
    stations: { 測試: { first: '2026-05-02T06:00:00', last: '2026-10-30T21:00:00' }, 成型: { first: '2026-05-01T06:00:00', last: '2026-10-20T08:00:00' } },
    workcenters: { 測試: ['TMTT'], 成型: ['成型'] },
  }

  it('defaults the MSD dates to the last 7 days of the station’s data, not of the calendar', async () => {
    const form = useTraceForm({ today: '2026-12-05', yesterday: '2026-12-04', weekBefore: '2026-11-28' })
    expect([form.state.startDate, form.state.endDate]).toEqual(['2026-11-28', '2026-12-04'])
    form.dataWindow.value = window
    await nextTick()
    expect([form.state.startDate, form.state.endDate]).toEqual(['2026-10-24', '2026-10-30'])
    expect(form.rangeStatus.value).toBe('inside')
    form.state.station = '成型'
    await nextTick()
    expect([form.state.startDate, form.state.endDate]).toEqual(['2026-10-14', '2026-10-20'])
  })

  it('leaves dates the person picked, and says when they are outside the data', async () => {
    const form = useTraceForm({ today: '2026-12-05', yesterday: '2026-12-04', weekBefore: '2026-11-28' })
    form.datesEdited.value = true
    form.dataWindow.value = window
    await nextTick()
    expect([form.state.startDate, form.state.endDate]).toEqual(['2026-11-28', '2026-12-04'])
    expect(form.rangeStatus.value).toBe('outside')
    expect(form.applyDataWindowRange()).toBe(true)
    expect([form.state.startDate, form.state.endDate]).toEqual(['2026-10-24', '2026-10-30'])
    expect(form.rangeStatus.value).toBe('inside')
  })

  it('keeps the calendar default when the station has no data', async () => {
    const form = useTraceForm({ today: '2026-12-05', yesterday: '2026-12-04', weekBefore: '2026-11-28' })
    form.state.station = '電鍍'
    form.dataWindow.value = window
    await nextTick()
    expect(form.stationWindow.value).toEqual({ first: null, last: null })
    expect([form.state.startDate, form.state.endDate]).toEqual(['2026-11-28', '2026-12-04'])
    expect(form.rangeStatus.value).toBe('unknown')
    expect(form.applyDataWindowRange()).toBe(false)
  })
})
