/**
 * A date-range run's detection records wait in temporary tables of the result file's connection
 * until their lots are handed over: what comes out is each lot's latest session with its rejects
 * summed per reason, by batch of seeds, and the tables are gone afterwards, whether the run
 * finished or failed.
 */
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchDetection, type DetectionBatch } from '../../../main/msd/index.js'
import { createFixtureSource, withMaxInList, type FixtureSource } from '../../fixtures/source-fixture.js'

const lot = (cid: string) => ({ CONTAINERID: cid, CONTAINERNAME: `N-${cid}`, MFGORDERNAME: 'GA1', OBJECTTYPE: 'LOT', PJ_TYPE: 'PJ', PRODUCTLINENAME: 'PL' })
const session = (cid: string, machine: string, trackIn: string, trackOut: string, qty: number) => ({
  CONTAINERID: cid, WORKCENTERNAME: 'TMTT', EQUIPMENTID: `ID-${machine}`, EQUIPMENTNAME: machine, SPECNAME: 'SPEC', TRACKINTIMESTAMP: trackIn, TRACKOUTTIMESTAMP: trackOut, TRACKINQTY: qty,
})
const reject = (cid: string, reason: string | null, qty: number, txn: string) => ({ CONTAINERID: cid, WORKCENTERNAME: 'TMTT', LOSSREASONNAME: reason, REJECTQTY: qty, TXNDATE: txn })

const tablesOf = (db: Database.Database): string[] => db.prepare("SELECT name FROM temp.sqlite_master WHERE type = 'table'").pluck().all() as string[]

describe('the detection records of a date window', () => {
  let fixture: FixtureSource
  beforeAll(async () => {
    fixture = await createFixtureSource({
      DW_MES_CONTAINER: ['A', 'B', 'C', 'D'].map(lot),
      DW_MES_LOTWIPHISTORY: [
        // A: two partial track-outs of its latest track-in (input = the larger), an older session before.
        session('A', 'TM-2', '2026-01-10 08:00:00', '2026-01-10 09:00:00', 90),
        session('A', 'TM-1', '2026-01-10 08:00:00', '2026-01-10 10:00:00', 100),
        session('A', 'TM-9', '2026-01-09 08:00:00', '2026-01-09 09:00:00', 999),
        // B: same track-in and track-out on two machines: the smaller machine.
        session('B', 'TM-4', '2026-01-10 11:00:00', '2026-01-10 12:00:00', 50),
        session('B', 'TM-3', '2026-01-10 11:00:00', '2026-01-10 12:00:00', 50),
        // C: only outside the window. D: never at the station.
        session('C', 'TM-1', '2026-01-20 08:00:00', '2026-01-20 09:00:00', 10),
      ],
      DW_MES_LOTREJECTHISTORY: [
        reject('A', 'R1', 3, '2026-01-10 09:30:00'),
        reject('A', 'R1', 4, '2026-01-10 09:40:00'),
        reject('A', null, 2, '2026-01-10 09:50:00'),
        reject('B', 'R2', 0, '2026-01-10 12:30:00'),
        reject('C', 'R1', 5, '2026-01-10 12:30:00'),
      ],
    })
  })
  afterAll(async () => {
    await fixture.cleanup()
  })

  const window = { start_date: '2026-01-09', end_date: '2026-01-10' }

  it('hands over each lot’s latest session and its rejects per reason, batch by batch, and drops its tables', async () => {
    const workspace = new Database(':memory:')
    const batches: DetectionBatch[] = []
    const found = await fetchDetection({
      source: withMaxInList(fixture.source, 2),
      cids: ['B', 'A', 'C', 'D', 'A'],
      station: '測試',
      window,
      workspace,
      onBatch: (batch) => {
        expect(tablesOf(workspace).sort()).toEqual(['msd_window_reject', 'msd_window_trackin'])
        batches.push(batch)
      },
    })
    expect(found).toBe(2)
    expect(batches.map((b) => b.lots.map((l) => [l.cid, l.equipment_name, l.input_qty, l.trackin_time]))).toEqual([
      [['A', 'TM-1', 100, '2026-01-10T08:00:00'], ['B', 'TM-3', 50, '2026-01-10T11:00:00']],
    ])
    // A zero sum is left out; C has rejects in the window but no session in it.
    expect(batches.flatMap((b) => b.rejects).sort((a, b) => a.qty - b.qty)).toEqual([
      { cid: 'A', reason: '(未填寫)', qty: 2 },
      { cid: 'A', reason: 'R1', qty: 7 },
    ])
    expect(tablesOf(workspace)).toEqual([])
    workspace.close()
  })

  it('drops its tables when the run fails while handing over', async () => {
    const workspace = new Database(':memory:')
    const run = fetchDetection({
      source: fixture.source,
      cids: ['A', 'B'],
      station: '測試',
      window,
      workspace,
      onBatch: () => {
        throw new Error('disk full')
      },
    })
    await expect(run).rejects.toThrow('disk full')
    expect(tablesOf(workspace)).toEqual([])
    workspace.close()
  })
})
