import { describe, expect, it } from 'vitest'
import { mayMatchGroup, STATION_GROUPS, stationGroupByName, stationGroupOf, stationOrder, workcenterMatchesGroup } from '../../../shared/stations.js'
import { isPattern, likeToRegExp, literalPrefix, normalizeTokens, splitTokens, unescapeLiteral } from '../../../shared/tokens.js'
import { addDays, daysBetween, hoursBetween, normalizePlantTime, parseCalendarDate } from '../../../shared/time.js'

describe('tokens', () => {
  it('splits pasted text on newline, comma and semicolon', () => {
    expect(splitTokens('A1\r\nB2, C3;;D4\n\n ')).toEqual(['A1', 'B2', 'C3', 'D4'])
  })
  it('normalizes: strings only, trimmed, de-duplicated in order', () => {
    expect(normalizeTokens([' b', 'a', 'b', 3, null, '', 'a '])).toEqual(['b', 'a'])
  })
  it('recognizes patterns and converts them to anchored regexps', () => {
    expect(isPattern('GA26*')).toBe(true)
    expect(isPattern('GA_1')).toBe(true)
    expect(isPattern('GA\\_1')).toBe(false)
    expect(likeToRegExp('GA26*-A0_').test('GA26010001-A01')).toBe(true)
    expect(likeToRegExp('GA26*-A0_').test('GA26010001-A011')).toBe(false)
    expect(likeToRegExp('a.b*').test('aXb')).toBe(false)
    expect(likeToRegExp('ga26*', true).test('GA2601')).toBe(true)
    expect(literalPrefix('GD26*01')).toBe('GD26')
    expect(unescapeLiteral('GA\\_1\\%\\\\x')).toBe('GA_1%\\x')
  })
})

describe('stations', () => {
  it('has the 12 groups in order 0…11 with 切割 first and 測試 last', () => {
    expect(STATION_GROUPS.map((g) => g.order)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    expect(STATION_GROUPS[0]!.name).toBe('切割')
    expect(STATION_GROUPS[11]!.name).toBe('測試')
    expect(STATION_GROUPS[11]!.label).toBe('TMTT')
  })
  it('maps raw workcenters by substring, 元件切割 before 切割, unknown → null / 999', () => {
    const cases: [string, string | null][] = [
      ['切割', '切割'], ['元件切割', '元件切割'], ['PKG_SAW', '元件切割'], ['pkg_saw_2', '元件切割'],
      ['焊_DB_料', '焊接_DB'], ['焊接_WB', '焊接_WB'], ['焊_DW', '焊接_DW'], ['成型_料', '成型'],
      ['滾鍍', '電鍍'], ['totai-1', '電鍍'], ['TMTT', '測試'], ['測試2', '測試'], ['點測', null], ['', null],
    ]
    for (const [wc, group] of cases) expect([wc, stationGroupOf(wc)?.name ?? null]).toEqual([wc, group])
    expect(stationOrder('切割')).toBe(0)
    expect(stationOrder('(未知)')).toBe(999)
    expect(stationOrder(null)).toBe(999)
  })
})

describe('workcenters a station may hold', () => {
  it('keeps every name any database would match, case-blind, before the excludes of the station', () => {
    const test = stationGroupByName('測試')!
    expect(['TMTT', 'tmtt-b', 'Tmtt_2', '測試', 'FT-測試區'].filter((w) => mayMatchGroup(w, test))).toEqual(['TMTT', 'tmtt-b', 'Tmtt_2', '測試', 'FT-測試區'])
    expect(['MOLD', '點測', ''].some((w) => mayMatchGroup(w, test))).toBe(false)
    // The excludes are the query's to apply: 元件切割 may be 切割's by name, the station filter drops it.
    const saw = stationGroupByName('切割')!
    expect(mayMatchGroup('元件切割', saw)).toBe(true)
    expect(workcenterMatchesGroup('元件切割', saw)).toBe(false)
  })
})

describe('plant time', () => {
  it('normalizes every source time shape to YYYY-MM-DDTHH:MM:SS', () => {
    expect(normalizePlantTime('2026-09-01 08:05:09')).toBe('2026-09-01T08:05:09')
    expect(normalizePlantTime('2026-09-01 08:05:09.123')).toBe('2026-09-01T08:05:09')
    expect(normalizePlantTime('2026-09-01T08:05')).toBe('2026-09-01T08:05:00')
    expect(normalizePlantTime('2026-09-01')).toBe('2026-09-01T00:00:00')
    expect(normalizePlantTime(new Date(2026, 8, 1, 8, 5, 9))).toBe('2026-09-01T08:05:09')
    expect(normalizePlantTime(null)).toBeNull()
    expect(normalizePlantTime('')).toBeNull()
    expect(normalizePlantTime('garbage')).toBe('garbage')
  })
  it('does calendar arithmetic without time zones', () => {
    expect(parseCalendarDate('2026-02-29')).toBeNull()
    expect(parseCalendarDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 })
    expect(daysBetween('2026-09-01', '2026-10-31')).toBe(60)
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(hoursBetween('2026-03-08T01:00:00', '2026-03-08T04:30:00')).toBe(3.5)
  })
})
