/**
 * The machine windows matched in code on SQLite give the rows the SQL join gives, on hostile data:
 * jobs without a create date, completed before created, open; sessions without a track-out, tracked
 * out before their track-in, tracked out in parts; other time shapes, text whose UTF-16 order is
 * not its UTF-8 order, blobs. The join runs through the Oracle dialect (a recording source that
 * answers from the same SQLite file), which still reads the windows with it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant } from '../../../main/demo/index.js'
import { openSqliteSource, type MesSource } from '../../../main/sources/index.js'
import { fetchEvents } from '../../../main/trace/index.js'
import { MATCHED_BY_BOTH, MATCHED_BY_LIST, MATCHED_BY_WINDOW } from '../../../main/trace/jobs-matching.js'
import type { EventRow } from '../../../shared/trace.js'
import { recordingOracleSource, type RecordedStatement } from '../../fixtures/oracle-recording.js'

async function jobRows(source: MesSource, cids: readonly string[], batchSize: number): Promise<EventRow[]> {
  const rows: EventRow[] = []
  const result = await fetchEvents({ source, cids, domains: ['jobs'], batchSize, onBatch: (b) => void rows.push(...b.rows) })
  expect(result.domains.jobs?.status).toBe('complete')
  return rows
}

describe('jobs machine windows matched in code equal the SQL join on hostile data', () => {
  let dir: string
  let sqlite: MesSource
  let cids: string[]

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-jobs-hostile-'))
    const plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 600, seed: 'jobs-hostile' })
    const db = new Database(plant.out)
    db.exec(`
      -- Times equal to a session's ends, so that every comparison meets its boundary.
      UPDATE DW_MES_JOB SET CREATEDATE = (SELECT h.TRACKINTIMESTAMP FROM DW_MES_LOTWIPHISTORY h
        WHERE h.EQUIPMENTID = DW_MES_JOB.RESOURCEID AND h.rowid % 40 = DW_MES_JOB.rowid % 40 ORDER BY h.rowid LIMIT 1) WHERE rowid % 4 = 1;
      UPDATE DW_MES_JOB SET COMPLETEDATE = (SELECT h.TRACKOUTTIMESTAMP FROM DW_MES_LOTWIPHISTORY h
        WHERE h.EQUIPMENTID = DW_MES_JOB.RESOURCEID AND h.rowid % 40 = DW_MES_JOB.rowid % 40 ORDER BY h.rowid LIMIT 1) WHERE rowid % 4 = 2;
      -- Surrogate text against private-use text after the same track-in: UTF-8 and UTF-16 order disagree.
      UPDATE DW_MES_JOB SET CREATEDATE = (SELECT h.TRACKINTIMESTAMP FROM DW_MES_LOTWIPHISTORY h
        WHERE h.EQUIPMENTID = DW_MES_JOB.RESOURCEID AND h.rowid % 23 = 0 AND h.rowid % 5 = DW_MES_JOB.rowid % 5 ORDER BY h.rowid LIMIT 1) || char(128512),
        COMPLETEDATE = ''
        WHERE rowid % 4 = 3;
      UPDATE DW_MES_JOB SET CREATEDATE = NULL WHERE rowid % 7 = 0;
      UPDATE DW_MES_JOB SET CREATEDATE = COMPLETEDATE, COMPLETEDATE = CREATEDATE WHERE rowid % 5 = 0 AND COMPLETEDATE IS NOT NULL;
      UPDATE DW_MES_JOB SET COMPLETEDATE = NULL WHERE rowid % 9 = 0;
      UPDATE DW_MES_JOB SET CREATEDATE = REPLACE(CREATEDATE, ' ', 'T') WHERE rowid % 11 = 0;
      UPDATE DW_MES_JOB SET COMPLETEDATE = SUBSTR(COMPLETEDATE, 1, 10) WHERE rowid % 13 = 0;
      UPDATE DW_MES_JOB SET COMPLETEDATE = CAST(COMPLETEDATE AS BLOB) WHERE rowid % 17 = 0;
      UPDATE DW_MES_LOTWIPHISTORY SET TRACKOUTTIMESTAMP = NULL WHERE rowid % 13 = 0;
      UPDATE DW_MES_LOTWIPHISTORY SET TRACKOUTTIMESTAMP = TRACKINTIMESTAMP, TRACKINTIMESTAMP = TRACKOUTTIMESTAMP
        WHERE rowid % 17 = 0 AND TRACKOUTTIMESTAMP IS NOT NULL;
      UPDATE DW_MES_LOTWIPHISTORY SET TRACKINTIMESTAMP = TRACKINTIMESTAMP || char(57344) WHERE rowid % 23 = 0;
      UPDATE DW_MES_LOTWIPHISTORY SET TRACKOUTTIMESTAMP = CAST(TRACKOUTTIMESTAMP AS BLOB) WHERE rowid % 29 = 0;
      UPDATE DW_MES_LOTWIPHISTORY SET EQUIPMENTID = NULL WHERE rowid % 31 = 0;
      -- A session tracked out in parts, one part without a track-out.
      INSERT INTO DW_MES_LOTWIPHISTORY (CONTAINERID, WORKCENTERNAME, SPECNAME, EQUIPMENTID, EQUIPMENTNAME, TRACKINTIMESTAMP, TRACKINQTY, TRACKOUTTIMESTAMP)
        SELECT CONTAINERID, WORKCENTERNAME, SPECNAME, EQUIPMENTID, EQUIPMENTNAME, TRACKINTIMESTAMP, TRACKINQTY, NULL
        FROM DW_MES_LOTWIPHISTORY WHERE rowid % 37 = 0 AND TRACKOUTTIMESTAMP IS NOT NULL;
    `)
    const kinds = db.prepare(`SELECT
        (SELECT COUNT(*) FROM DW_MES_JOB WHERE typeof(COMPLETEDATE) = 'blob') AS blobs,
        (SELECT COUNT(*) FROM DW_MES_JOB WHERE CREATEDATE IS NULL) AS nocreate,
        (SELECT COUNT(*) FROM DW_MES_LOTWIPHISTORY WHERE TRACKINTIMESTAMP > TRACKOUTTIMESTAMP) AS backwards`).get() as Record<string, number>
    for (const count of Object.values(kinds)) expect(count).toBeGreaterThan(0)
    cids = (db.prepare('SELECT DISTINCT CONTAINERID FROM DW_MES_LOTWIPHISTORY ORDER BY CONTAINERID').pluck().all() as string[])
    db.close()
    sqlite = await openSqliteSource(plant.out)
  }, 180_000)

  afterAll(async () => {
    await sqlite?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('gives the same rows in the same order as the join, with all three labels', async () => {
    const recorded: RecordedStatement[] = []
    const oracle = recordingOracleSource(sqlite, recorded)
    // Past one statement: the table scan, with the window reads per batch of 150 lots before it.
    const viaJoin = await jobRows(oracle, cids, 150)
    const viaCode = await jobRows(sqlite, cids, 150)
    expect(recorded.filter((r) => r.sql.includes('JOIN DWH.DW_MES_JOB j ON j.RESOURCEID = h.EQUIPMENTID'))).toHaveLength(Math.ceil(cids.length / 150))
    const labels = new Set(viaCode.map((r) => r.MATCHED_BY))
    expect([...labels].sort()).toEqual([MATCHED_BY_BOTH, MATCHED_BY_LIST, MATCHED_BY_WINDOW].sort())
    expect(viaCode.filter((r) => r.MATCHED_BY === MATCHED_BY_WINDOW).length).toBeGreaterThan(500)
    expect(viaCode.map((r) => JSON.stringify(r))).toEqual(viaJoin.map((r) => JSON.stringify(r)))
  })
})
