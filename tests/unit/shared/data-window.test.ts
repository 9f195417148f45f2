import { describe, expect, it } from 'vitest'
import { dayOf, defaultRangeIn, jobOutcomeOf, outcomeText, rangeAgainstWindow } from '../../../shared/data-window.js'
import type { RequestSummary } from '../../../shared/jobs.js'

const dateRange: RequestSummary = { mode: 'date_range', resolve_type: null, values: [], value_count: 0, station: '測試', start_date: '2026-11-24', end_date: '2026-11-30', loss_reasons: [] }
const lots: RequestSummary = { mode: 'containers', resolve_type: 'lot_id', values: ['NOPE-1', 'NOPE-2'], value_count: 3, station: null, start_date: null, end_date: null, loss_reasons: [] }

describe('defaultRangeIn', () => {
  it('is the last 7 days of the data, ending on its last day', () => {
    expect(defaultRangeIn({ first: '2026-05-01T06:00:00', last: '2026-10-31T22:15:00' })).toEqual({ start: '2026-10-25', end: '2026-10-31' })
  })
  it('starts no earlier than the data does', () => {
    expect(defaultRangeIn({ first: '2026-10-29T06:00:00', last: '2026-10-31T22:15:00' })).toEqual({ start: '2026-10-29', end: '2026-10-31' })
  })
  it('has none without a last day', () => {
    expect(defaultRangeIn({ first: null, last: null })).toBeNull()
    expect(defaultRangeIn(null)).toBeNull()
  })
})

describe('rangeAgainstWindow', () => {
  const window = { first: '2026-05-01T06:00:00', last: '2026-10-31T22:15:00' }
  it('says outside when no day of the range has data', () => {
    expect(rangeAgainstWindow('2026-11-24', '2026-11-30', window)).toBe('outside')
    expect(rangeAgainstWindow('2026-04-01', '2026-04-30', window)).toBe('outside')
  })
  it('says inside when the range meets the data, even in part', () => {
    expect(rangeAgainstWindow('2026-10-31', '2026-11-06', window)).toBe('inside')
    expect(rangeAgainstWindow('2026-04-25', '2026-05-01', window)).toBe('inside')
  })
  it('does not know without a window or with a half-typed date', () => {
    expect(rangeAgainstWindow('2026-11-24', '2026-11-30', null)).toBe('unknown')
    expect(rangeAgainstWindow('2026-11', '2026-11-30', window)).toBe('unknown')
  })
  it('reads the day of a plant time', () => {
    expect(dayOf('2026-10-31T22:15:00')).toBe('2026-10-31')
    expect(dayOf('nonsense')).toBeNull()
  })
})

describe('jobOutcomeOf', () => {
  it('is ok when the job found lots', () => {
    expect(jobOutcomeOf(12, dateRange)).toEqual({ status: 'ok' })
  })
  it('warns of an empty date range with the station, the dates and the source’s window', () => {
    const outcome = jobOutcomeOf(0, dateRange, { first: '2026-05-01T06:00:00', last: '2026-10-31T22:15:00' })
    expect(outcome).toEqual({
      status: 'warning',
      reason: 'no_lots_in_window',
      station: '測試',
      start_date: '2026-11-24',
      end_date: '2026-11-30',
      input_count: 0,
      source_window: { first: '2026-05-01T06:00:00', last: '2026-10-31T22:15:00' },
    })
    expect(outcomeText(outcome)).toBe('no lot was tracked in at 測試 from 2026-11-24 to 2026-11-30; the source has track-ins there from 2026-05-01 to 2026-10-31')
  })
  it('warns when every input is unknown', () => {
    const outcome = jobOutcomeOf(0, lots)
    expect(outcome).toMatchObject({ status: 'warning', reason: 'inputs_unknown', input_count: 3, source_window: null })
    expect(outcomeText(outcome)).toBe('none of the 3 value(s) given was found in the source; nothing was traced')
  })
  it('says when the source has no track-in at the station, and says nothing more when the window is unknown', () => {
    expect(outcomeText(jobOutcomeOf(0, dateRange, { first: null, last: null }))).toBe('no lot was tracked in at 測試 from 2026-11-24 to 2026-11-30; the source has no track-ins there at all')
    expect(outcomeText(jobOutcomeOf(0, dateRange))).toBe('no lot was tracked in at 測試 from 2026-11-24 to 2026-11-30')
    expect(outcomeText({ status: 'ok' })).toBe('')
  })
})
