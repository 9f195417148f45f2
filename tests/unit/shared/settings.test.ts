import { describe, expect, it } from 'vitest'
import { defaultSettings, parseSetting, resolveSettings } from '../../../shared/settings.js'

describe('engine settings', () => {
  it('has desktop defaults with the original knob names', () => {
    expect(defaultSettings()).toEqual({
      TRACE_WORKER_COUNT: 2,
      TRACE_ASYNC_CID_THRESHOLD: 20_000,
      TRACE_JOB_TTL_SECONDS: 604_800,
      TRACE_JOB_TIMEOUT_SECONDS: 1800,
      TRACE_WORKER_MAX_MEMORY_MB: 3072,
      EVENT_FETCHER_MAX_TOTAL_ROWS: 10_000_000,
      LINEAGE_MAX_DEPTH: 20,
      LINEAGE_MAX_NODES: 500_000,
      TRACE_RESULT_MAX_MB: 0,
      MSD_SUSPECT_FDR_PERCENT: 5,
      EQUIPMENT_MAX_MACHINES: 20,
      EQUIPMENT_MAX_DAYS: 90,
      MSD_PUSHDOWN_MIN_CIDS: 100_000,
    })
  })

  it('layers flags over environment over stored values', () => {
    const s = resolveSettings({
      stored: { TRACE_WORKER_COUNT: 3, TRACE_JOB_TTL_SECONDS: 60, TRACE_JOB_TIMEOUT_SECONDS: 99 },
      env: { TRACE_WORKER_COUNT: '4', TRACE_JOB_TTL_SECONDS: '0', PATH: '/bin' },
      flags: { TRACE_WORKER_COUNT: '5' },
    })
    expect([s.TRACE_WORKER_COUNT, s.TRACE_JOB_TTL_SECONDS, s.TRACE_JOB_TIMEOUT_SECONDS]).toEqual([5, 0, 99])
  })

  it('refuses bad values naming where they came from', () => {
    expect(() => resolveSettings({ env: { TRACE_WORKER_COUNT: 'two' } })).toThrow(
      'environment variable TRACE_WORKER_COUNT: must be a whole number of workers from 1 to 8, got "two"',
    )
    expect(() => resolveSettings({ flags: { TRACE_WORKER_COUNT: '0' } })).toThrow('--trace-worker-count: must be from 1 to 8 workers, got 0')
    expect(() => resolveSettings({ stored: { TRACE_JOB_TIMEOUT_SECONDS: -5 } })).toThrow(/^setting TRACE_JOB_TIMEOUT_SECONDS: /)
    expect(() => parseSetting('TRACE_WORKER_MAX_MEMORY_MB', '1.5')).toThrow(/whole number/)
    expect(() => parseSetting('TRACE_WORKER_MAX_MEMORY_MB', '99999999999999999999')).toThrow(/from 128 to 65536/)
  })
})
