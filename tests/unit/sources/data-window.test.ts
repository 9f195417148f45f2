import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_WORKCENTER_SEEKS } from '../../../main/sources/data-window.js'
import { readDataWindow, readLossReasons } from '../../../main/sources/index.js'
import { recordingOracleSource, type RecordedStatement } from '../../fixtures/oracle-recording.js'
import { createFixtureSource, type FixtureSource } from '../../fixtures/source-fixture.js'

/** Track-ins at four stations; 元件切割 and PKG_SAW must not count as 切割. */
const ROWS = {
  DW_MES_LOTWIPHISTORY: [
    { CONTAINERID: 'a', WORKCENTERNAME: 'TMTT', EQUIPMENTID: 'e1', TRACKINTIMESTAMP: '2026-03-01 08:00:00' },
    { CONTAINERID: 'b', WORKCENTERNAME: 'TMTT', EQUIPMENTID: 'e1', TRACKINTIMESTAMP: '2026-09-30 23:10:00' },
    { CONTAINERID: 'c', WORKCENTERNAME: '測試_2', EQUIPMENTID: 'e2', TRACKINTIMESTAMP: '2026-10-05 06:00:00' },
    { CONTAINERID: 'd', WORKCENTERNAME: '切割', EQUIPMENTID: 'e3', TRACKINTIMESTAMP: '2026-01-10 07:00:00' },
    { CONTAINERID: 'e', WORKCENTERNAME: '元件切割', EQUIPMENTID: 'e4', TRACKINTIMESTAMP: '2025-12-01 07:00:00' },
    { CONTAINERID: 'f', WORKCENTERNAME: 'PKG_SAW', EQUIPMENTID: 'e5', TRACKINTIMESTAMP: '2026-11-20 07:00:00' },
    { CONTAINERID: 'g', WORKCENTERNAME: '點測', EQUIPMENTID: 'e6', TRACKINTIMESTAMP: '2024-06-01 07:00:00' },
    { CONTAINERID: 'h', WORKCENTERNAME: 'TMTT', EQUIPMENTID: 'e1', TRACKINTIMESTAMP: null },
  ],
  DW_MES_LOTREJECTHISTORY: [
    // 測試's data ends 2026-10-05: 180 days back is 2026-04-09.
    { CONTAINERID: 'a', WORKCENTERNAME: 'TMTT', LOSSREASONNAME: '001_CRACK', TXNDATE: '2026-04-09 00:00:00' },
    { CONTAINERID: 'a', WORKCENTERNAME: 'TMTT', LOSSREASONNAME: '009_OLD', TXNDATE: '2026-04-08 23:59:59' },
    { CONTAINERID: 'b', WORKCENTERNAME: '測試_2', LOSSREASONNAME: '206_LEAKAGE', TXNDATE: '2026-10-05 07:00:00' },
    { CONTAINERID: 'b', WORKCENTERNAME: 'TMTT', LOSSREASONNAME: '001_CRACK', TXNDATE: '2026-09-30 23:30:00' },
    { CONTAINERID: 'b', WORKCENTERNAME: 'TMTT', LOSSREASONNAME: null, TXNDATE: '2026-09-30 23:30:00' },
    { CONTAINERID: 'b', WORKCENTERNAME: 'TMTT', LOSSREASONNAME: '  ', TXNDATE: '2026-09-30 23:30:00' },
    // Another station's reason is not 測試's.
    { CONTAINERID: 'd', WORKCENTERNAME: '切割', LOSSREASONNAME: '101_CHIPPING', TXNDATE: '2026-09-30 10:00:00' },
  ],
}

describe('readDataWindow', () => {
  let fixture: FixtureSource
  beforeAll(async () => {
    fixture = await createFixtureSource(ROWS)
  })
  afterAll(async () => fixture.cleanup())

  it('gives the first and last track-in overall and per station group, by the groups’ workcenter rules', async () => {
    const window = await readDataWindow(fixture.source)
    expect(window.first).toBe('2024-06-01T07:00:00')
    expect(window.last).toBe('2026-11-20T07:00:00')
    expect(window.stations).toEqual({
      測試: { first: '2026-03-01T08:00:00', last: '2026-10-05T06:00:00' },
      切割: { first: '2026-01-10T07:00:00', last: '2026-01-10T07:00:00' },
      元件切割: { first: '2025-12-01T07:00:00', last: '2026-11-20T07:00:00' },
    })
    expect(window.workcenters).toEqual({ 測試: ['TMTT', '測試_2'], 切割: ['切割'], 元件切割: ['PKG_SAW', '元件切割'] })
  })

  it('reads a source with more workcenters than it walks one by one in one grouped statement, with the same answer', async () => {
    const many = await createFixtureSource({
      DW_MES_LOTWIPHISTORY: [
        ...ROWS.DW_MES_LOTWIPHISTORY,
        ...Array.from({ length: MAX_WORKCENTER_SEEKS }, (_, i) => ({ CONTAINERID: `x${i}`, WORKCENTERNAME: `點測_${String(i).padStart(4, '0')}`, TRACKINTIMESTAMP: '2025-01-01 00:00:00' })),
      ],
    })
    try {
      const window = await readDataWindow(many.source)
      expect(window.first).toBe('2024-06-01T07:00:00')
      expect(window.stations).toEqual((await readDataWindow(fixture.source)).stations)
    } finally {
      await many.cleanup()
    }
  })

  it('is empty on a source without track-ins', async () => {
    const empty = await createFixtureSource({})
    try {
      expect(await readDataWindow(empty.source)).toEqual({ first: null, last: null, stations: {}, workcenters: {} })
    } finally {
      await empty.cleanup()
    }
  })
})

describe('readLossReasons', () => {
  let fixture: FixtureSource
  beforeAll(async () => {
    fixture = await createFixtureSource(ROWS)
  })
  afterAll(async () => fixture.cleanup())

  it('lists the distinct reasons at the station over the last 180 days of its data, sorted', async () => {
    expect(await readLossReasons(fixture.source, '測試')).toEqual({ station: '測試', reasons: ['001_CRACK', '206_LEAKAGE'], since: '2026-04-09', until: '2026-10-05' })
    // 切割's data is one day: the list covers it, from its first day.
    expect(await readLossReasons(fixture.source, '切割')).toEqual({ station: '切割', reasons: ['101_CHIPPING'], since: '2026-01-10', until: '2026-01-10' })
  })

  it('counts the days back from the station’s data, not from today', async () => {
    const short = await readLossReasons(fixture.source, '測試', { days: 1 })
    expect(short).toEqual({ station: '測試', reasons: ['206_LEAKAGE'], since: '2026-10-05', until: '2026-10-05' })
  })

  it('answers nothing for a station without data, and refuses an unknown station naming the field', async () => {
    expect(await readLossReasons(fixture.source, '電鍍')).toEqual({ station: '電鍍', reasons: [], since: null, until: null })
    await expect(readLossReasons(fixture.source, 'NOPE')).rejects.toMatchObject({ code: 'input/invalid', details: { field: 'station' } })
  })

  it('writes Oracle SQL (binds :n, DWH. prefix, TO_DATE) that answers as SQLite does', async () => {
    const recorded: RecordedStatement[] = []
    const oracle = recordingOracleSource(fixture.source, recorded)
    const window = await readDataWindow(oracle)
    expect(window).toEqual(await readDataWindow(fixture.source))
    expect(await readLossReasons(oracle, '測試', { window })).toEqual(await readLossReasons(fixture.source, '測試'))
    // The six workcenters with their first and last track-in in one statement (recursive subquery
    // factoring, a seek per step and per time), then the loss reasons.
    const seen = recorded.map((r) => r.sql)
    expect(seen).toEqual([
      'WITH WORKCENTER (NAME, SEEN) AS (SELECT MIN(WORKCENTERNAME), 1 FROM DWH.DW_MES_LOTWIPHISTORY ' +
        'UNION ALL SELECT (SELECT MIN(h.WORKCENTERNAME) FROM DWH.DW_MES_LOTWIPHISTORY h WHERE h.WORKCENTERNAME > w.NAME), w.SEEN + 1 FROM WORKCENTER w ' +
        'WHERE w.NAME IS NOT NULL AND w.SEEN < :1) ' +
        'SELECT w.NAME, (SELECT MIN(f.TRACKINTIMESTAMP) FROM DWH.DW_MES_LOTWIPHISTORY f WHERE f.WORKCENTERNAME = w.NAME) AS FIRST_TRACKIN, ' +
        '(SELECT MAX(l.TRACKINTIMESTAMP) FROM DWH.DW_MES_LOTWIPHISTORY l WHERE l.WORKCENTERNAME = w.NAME) AS LAST_TRACKIN ' +
        'FROM WORKCENTER w WHERE w.NAME IS NOT NULL ORDER BY w.SEEN',
      expect.stringMatching(/^SELECT DISTINCT LOSSREASONNAME/),
    ])
    expect(seen.at(-1)).toBe(
      "SELECT DISTINCT LOSSREASONNAME FROM DWH.DW_MES_LOTREJECTHISTORY WHERE WORKCENTERNAME IN (:1, :2) AND TXNDATE >= TO_DATE(:3, 'YYYY-MM-DD HH24:MI:SS') AND LOSSREASONNAME IS NOT NULL",
    )
  })
})
