import { describe, expect, it } from 'vitest'
import { DAY, HOUR, PlantClock } from '../../../main/demo/plant-clock.js'

describe('PlantClock', () => {
  it('spans `days` whole days ending with endDate', () => {
    const clock = new PlantClock('2026-10-31', 60)
    expect(clock.startDate).toBe('2026-09-02')
    expect(clock.endDate).toBe('2026-10-31')
    expect(clock.spanSec).toBe(60 * DAY)
    expect(clock.format(clock.startSec)).toBe('2026-09-02 00:00:00')
    expect(clock.format(clock.endSec - 1)).toBe('2026-10-31 23:59:59')
  })

  it('formats plant-local times without a zone and ignores daylight saving', () => {
    // 2026-03-08 is a DST switch in some zones; the plant clock has none.
    const clock = new PlantClock('2026-03-10', 7)
    const t = clock.secondsOf('2026-03-08') + 2 * HOUR + 30 * 60 + 5
    expect(clock.format(t)).toBe('2026-03-08 02:30:05')
    expect(clock.format(t + 0.9)).toBe('2026-03-08 02:30:05')
    expect(clock.date(t)).toBe('2026-03-08')
    expect(clock.yymm(t)).toBe('2603')
    expect(clock.yymmdd(t)).toBe('260308')
  })

  it('crosses month and year ends', () => {
    const clock = new PlantClock('2027-01-02', 10)
    expect(clock.startDate).toBe('2026-12-24')
    expect(clock.format(clock.secondsOf('2027-01-01') - 1)).toBe('2026-12-31 23:59:59')
  })

  it('places fractions of the window', () => {
    const clock = new PlantClock('2026-10-31', 60)
    expect(clock.at(0)).toBe(clock.startSec)
    expect(clock.date(clock.at(0.5))).toBe('2026-10-02')
  })

  it('rejects a date that is not a calendar date', () => {
    expect(() => new PlantClock('2026-02-30', 7)).toThrow(/calendar date/)
  })
})
