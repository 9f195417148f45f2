import { describe, expect, it } from 'vitest'
import { SETTING_SPECS } from '../../../shared/settings'
import { joinRetention, splitRetention } from '../../../renderer/src/retention'

describe('retention in days and hours', () => {
  it('shows the stored seconds as days and hours, and what does not fill an hour apart', () => {
    expect(splitRetention(SETTING_SPECS.TRACE_JOB_TTL_SECONDS.defaultValue)).toEqual({ days: 7, hours: 0, seconds: 0 })
    expect(splitRetention(90_000)).toEqual({ days: 1, hours: 1, seconds: 0 })
    expect(splitRetention(0)).toEqual({ days: 0, hours: 0, seconds: 0 })
    expect(splitRetention(3_725)).toEqual({ days: 0, hours: 1, seconds: 125 })
  })

  it('stores days and hours as seconds, an empty box as zero', () => {
    expect(joinRetention('7', '0')).toBe(604_800)
    expect(joinRetention('1', '12')).toBe(129_600)
    expect(joinRetention('', '6')).toBe(21_600)
    expect(joinRetention(' 30 ', '')).toBe(2_592_000)
    expect(joinRetention('0', '0')).toBe(0)
  })

  it('refuses what is not a whole number of days and hours 0–23', () => {
    for (const [d, h] of [['1.5', '0'], ['-1', '0'], ['1', '24'], ['x', '0'], ['1', '-2'], ['1e3', '0'], ['0x10', '0']] as const) {
      expect(joinRetention(d, h), `${d} d ${h} h`).toBeNull()
    }
  })
})
