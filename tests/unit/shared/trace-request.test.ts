import { describe, expect, it } from 'vitest'
import { isAppError } from '../../../shared/errors.js'
import { normalizeTraceRequest, toTraceRequest } from '../../../shared/trace-request.js'
import { thrown } from '../../fixtures/thrown.js'

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    if (isAppError(error, 'input/invalid')) return (error.details as { field: string }).field
    throw error
  }
  return undefined
}

describe('normalizeTraceRequest', () => {
  it('normalizes a lot trace with default domains and forward direction', () => {
    const r = normalizeTraceRequest({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: [' A1 ', 'A1', '', 'B2'] } })
    expect(r).toEqual({
      profile: 'query_tool',
      direction: 'forward',
      seed: { mode: 'containers', resolve_type: 'lot_id', values: ['A1', 'B2'] },
      station: null,
      loss_reasons: [],
      domains: ['history', 'materials', 'rejects', 'holds', 'jobs'],
    })
  })

  it('normalizes an MSD date-range request and picks domains by direction', () => {
    const back = normalizeTraceRequest({
      profile: 'mid_section_defect',
      params: { start_date: '2026-09-01', end_date: '2026-09-07', loss_reasons: '001_CRACK, 002_BREAK' },
    })
    expect(back.seed).toEqual({ mode: 'date_range', station: '測試', start_date: '2026-09-01', end_date: '2026-09-07' })
    expect(back.domains).toEqual(['upstream_history', 'materials'])
    expect(back.loss_reasons).toEqual(['001_CRACK', '002_BREAK'])
    const fwd = normalizeTraceRequest({
      profile: 'mid_section_defect',
      params: { date_range: ['2026-09-01', '2026-09-01'], direction: 'forward', station: '成型' },
    })
    expect(fwd.direction).toBe('forward')
    expect(fwd.domains).toEqual(['upstream_history', 'downstream_rejects'])
    expect(fwd.station).toBe('成型')
  })

  it('names the field of every kind of bad input', () => {
    const base = { profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['A'] } }
    expect(fieldOf(() => normalizeTraceRequest(null))).toBe('request')
    expect(fieldOf(() => normalizeTraceRequest({ ...base, profile: 'nope' }))).toBe('profile')
    expect(fieldOf(() => normalizeTraceRequest({ ...base, params: [] }))).toBe('params')
    expect(fieldOf(() => normalizeTraceRequest({ ...base, params: { resolve_type: 'serial_number', values: ['A'] } }))).toBe('params.resolve_type')
    expect(fieldOf(() => normalizeTraceRequest({ ...base, params: { resolve_type: 'lot_id', values: [] } }))).toBe('params.values')
    expect(fieldOf(() => normalizeTraceRequest({ ...base, params: { resolve_type: 'lot_id', values: 'A' } }))).toBe('params.values')
    expect(fieldOf(() => normalizeTraceRequest({ ...base, params: { resolve_type: 'lot_id', values: ['A', 3] } }))).toBe('params.values[1]')
    expect(fieldOf(() => normalizeTraceRequest({ ...base, params: { resolve_type: 'lot_id', values: ['x'.repeat(201)] } }))).toBe('params.values[0]')
    expect(fieldOf(() => normalizeTraceRequest({ ...base, params: { resolve_type: 'lot_id', values: ['*'] } }))).toBe('params.values')
    expect(fieldOf(() => normalizeTraceRequest({ ...base, domains: ['history', 'bogus'] }))).toBe('domains[1]')
    expect(fieldOf(() => normalizeTraceRequest({ ...base, domains: 'history' }))).toBe('domains')
    expect(fieldOf(() => normalizeTraceRequest({ profile: 'query_tool', params: { resolve_type: 'work_order', values: ['GD26010001'] } }))).toBe('params.values')
    expect(fieldOf(() => normalizeTraceRequest({ profile: 'query_tool_reverse', params: { resolve_type: 'gd_work_order', values: ['GA1'] } }))).toBe('params.values')
    const msd = (params: Record<string, unknown>) => () => normalizeTraceRequest({ profile: 'mid_section_defect', params })
    expect(fieldOf(msd({ start_date: '2026-13-01', end_date: '2026-09-02' }))).toBe('params.start_date')
    expect(fieldOf(msd({ start_date: '2026-02-30', end_date: '2026-09-02' }))).toBe('params.start_date')
    expect(fieldOf(msd({ start_date: '2026-09-03', end_date: '2026-09-02' }))).toBe('params.start_date')
    expect(fieldOf(msd({ start_date: '2024-01-01', end_date: '2026-09-02' }))).toBe('params.end_date')
    expect(fieldOf(msd({ start_date: '2026-09-01', end_date: '2026-09-02', station: 'XYZ' }))).toBe('params.station')
    expect(fieldOf(msd({ start_date: '2026-09-01', end_date: '2026-09-02', direction: 'up' }))).toBe('params.direction')
    expect(fieldOf(msd({ mode: 'container', resolve_type: 'serial_number', values: ['A'] }))).toBe('params.resolve_type')
    expect(fieldOf(msd({ mode: 'weird' }))).toBe('params.mode')
  })

  it('says which limit a long paste exceeds', () => {
    const values = Array.from({ length: 2001 }, (_, i) => `GA${String(i).padStart(8, '0')}`)
    expect(() => normalizeTraceRequest({ profile: 'query_tool', params: { resolve_type: 'work_order', values } })).toThrow(
      'params.values: 2001 values given; at most 2000 work_order values per trace',
    )
  })
})

describe('pushdown (MSD)', () => {
  const window = { start_date: '2026-09-01', end_date: '2026-09-30' }

  it('fetches no event domain unless the request names some, and keeps the ones it names', () => {
    const pushed = normalizeTraceRequest({ profile: 'mid_section_defect', params: { ...window, pushdown: true } })
    expect(pushed.pushdown).toBe(true)
    expect(pushed.domains).toEqual([])
    expect(normalizeTraceRequest({ profile: 'mid_section_defect', params: { ...window, pushdown: true }, domains: ['history'] }).domains).toEqual(['history'])
    // Off, or not said: nothing changes, and the field is absent.
    for (const params of [window, { ...window, pushdown: false }]) {
      const local = normalizeTraceRequest({ profile: 'mid_section_defect', params })
      expect('pushdown' in local).toBe(false)
      expect(local.domains).toEqual(['upstream_history', 'materials'])
    }
  })

  it('takes it for both directions; refuses it for other profiles and as anything but a boolean, naming the field', () => {
    const forward = normalizeTraceRequest({ profile: 'mid_section_defect', params: { ...window, direction: 'forward', station: '成型', pushdown: true } })
    expect([forward.pushdown, forward.domains]).toEqual([true, []])
    const fieldOf = (raw: unknown): unknown => thrown(() => normalizeTraceRequest(raw)).details?.field
    expect(fieldOf({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['A'], pushdown: true } })).toBe('params.pushdown')
    expect(fieldOf({ profile: 'mid_section_defect', params: { ...window, pushdown: 'yes' } })).toBe('params.pushdown')
  })

  it('round-trips through toTraceRequest', () => {
    for (const raw of [{ profile: 'mid_section_defect', params: { ...window, pushdown: true } }, { profile: 'mid_section_defect', params: { ...window, pushdown: true }, domains: ['history'] }]) {
      const normalized = normalizeTraceRequest(raw)
      expect(normalizeTraceRequest(toTraceRequest(normalized))).toEqual(normalized)
    }
  })
})

describe('toTraceRequest', () => {
  it('round-trips every seed mode through validation', () => {
    const requests = [
      { profile: 'query_tool', params: { resolve_type: 'work_order', values: ['GA26010001', 'GC2601*'] }, domains: ['history'] },
      { profile: 'query_tool_reverse', params: { resolve_type: 'serial_number', values: ['PSN1'] } },
      { profile: 'mid_section_defect', params: { mode: 'container', resolve_type: 'wafer_lot', values: ['W1'], station: '成型', direction: 'forward', loss_reasons: ['B', 'A'] } },
      { profile: 'mid_section_defect', params: { start_date: '2026-09-01', end_date: '2026-09-30' }, domains: [] },
    ]
    for (const raw of requests) {
      const normalized = normalizeTraceRequest(raw)
      expect(normalizeTraceRequest(toTraceRequest(normalized))).toEqual(normalized)
    }
  })
})
