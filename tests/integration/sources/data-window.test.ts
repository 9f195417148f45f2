/**
 * The data window and the loss reasons of a station read from a PostgreSQL copy of a demo plant
 * equal those read from its SQLite file, and match the plant's own rows. Runs where
 * MES_TRACE_PG_TEST_URL names a server.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { openSqliteSource, readDataWindow, readLossReasons, type MesSource } from '../../../main/sources/index.js'
import { addDays } from '../../../shared/time.js'
import { postgresCopyOf, type PostgresCopy } from '../../fixtures/pg-schema.js'

const url = process.env.MES_TRACE_PG_TEST_URL

describe('the data window and loss reasons of a demo plant', () => {
  let dir: string
  let plant: DemoSummary
  let sqlite: MesSource

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-window-'))
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 800, seed: 'data-window' })
    sqlite = await openSqliteSource(plant.out)
  }, 120_000)
  afterAll(async () => {
    await sqlite?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('on SQLite, matches the plant’s own first and last track-in at final test', async () => {
    const db = new Database(plant.out, { readonly: true })
    const expected = db
      .prepare("SELECT MIN(TRACKINTIMESTAMP) AS first, MAX(TRACKINTIMESTAMP) AS last FROM DW_MES_LOTWIPHISTORY WHERE (UPPER(WORKCENTERNAME) LIKE '%TMTT%' OR WORKCENTERNAME LIKE '%測試%')")
      .get() as { first: string; last: string }
    db.close()
    const window = await readDataWindow(sqlite)
    expect(window.stations['測試']).toEqual({ first: expected.first.replace(' ', 'T'), last: expected.last.replace(' ', 'T') })
    expect(window.last! >= window.stations['測試']!.last!).toBe(true)
  })

  it('on SQLite, lists the reasons at final test over the last 180 days of its data', async () => {
    const window = await readDataWindow(sqlite)
    const until = window.stations['測試']!.last!.slice(0, 10)
    const first = window.stations['測試']!.first!.slice(0, 10)
    const since = addDays(until, -179) > first ? addDays(until, -179) : first
    const db = new Database(plant.out, { readonly: true })
    const expected = (
      db
        .prepare(
          "SELECT DISTINCT LOSSREASONNAME AS r FROM DW_MES_LOTREJECTHISTORY WHERE (UPPER(WORKCENTERNAME) LIKE '%TMTT%' OR WORKCENTERNAME LIKE '%測試%') AND TXNDATE >= ? AND LOSSREASONNAME IS NOT NULL AND TRIM(LOSSREASONNAME) <> ''",
        )
        .all(`${since} 00:00:00`) as { r: string }[]
    )
      .map((x) => x.r)
      .sort()
    const reasons = await readLossReasons(sqlite, '測試', { window })
    expect(expected.length).toBeGreaterThan(0)
    expect(reasons).toEqual({ station: '測試', reasons: expected, since, until })
  })

  describe.skipIf(!url)('on PostgreSQL', () => {
    const schema = `window_${process.pid}`
    let postgres: MesSource
    let copy: PostgresCopy | undefined

    beforeAll(async () => {
      copy = await postgresCopyOf(plant.out, url!, schema)
      postgres = copy.source
    }, 180_000)
    afterAll(async () => {
      await copy?.drop()
    })

    it('gives the same data window as the SQLite file', async () => {
      const [a, b] = [await readDataWindow(sqlite), await readDataWindow(postgres)]
      expect(b).toEqual(a)
      expect(Object.keys(b.stations).length).toBeGreaterThan(5)
    })

    it('lists the same loss reasons at every station', async () => {
      for (const station of ['測試', '焊接_WB', '成型']) {
        const [a, b] = [await readLossReasons(sqlite, station), await readLossReasons(postgres, station)]
        expect(b, station).toEqual(a)
      }
      expect((await readLossReasons(postgres, '測試')).reasons.length).toBeGreaterThan(0)
    })
  })
})
