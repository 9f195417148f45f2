/**
 * The equipment reads' SQL in the Oracle dialect, checked without an Oracle server: a recording
 * source speaks the Oracle dialect (`:n` binds, `DWH.` prefix, `TO_DATE`, `NLSSORT` for code-unit
 * order, `ROWNUM` pages because 11g has no `OFFSET`), checks every statement, then runs it on the
 * demo plant's SQLite file translated back. Answers must equal those of the SQLite source.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import {
  equipmentExportRows,
  jobsWithTransactions,
  openSqliteSource,
  readEquipmentJobs,
  readEquipmentLots,
  readEquipmentRejects,
  readEquipmentTimeline,
  readJobTransactions,
  readMachineList,
  type MesSource,
} from '../../../main/sources/index.js'
import type { EquipmentQuery } from '../../../shared/equipment.js'
import type { EventRow } from '../../../shared/trace.js'
import { recordingOracleSource, type RecordedStatement } from '../../fixtures/oracle-recording.js'

/** Answers without Oracle's page-row column, which only the recorded source adds. */
function withoutPageRow<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'PAGE_ROW' ? undefined : v))) as T
}

async function collect(rows: AsyncIterable<EventRow[]>): Promise<EventRow[]> {
  const all: EventRow[] = []
  for await (const chunk of rows) all.push(...chunk)
  return all
}

describe('the equipment reads in the Oracle dialect', () => {
  let dir: string
  let plant: DemoSummary
  let sqlite: MesSource
  let q: EquipmentQuery
  let jobs: EventRow[]

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-equipment-ora-'))
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 1000, seed: 'ora-equipment' })
    sqlite = await openSqliteSource(plant.out)
    const db = new Database(plant.out, { readonly: true })
    const ids = db.prepare('SELECT EQUIPMENTID FROM DW_MES_LOTWIPHISTORY WHERE EQUIPMENTID IS NOT NULL GROUP BY EQUIPMENTID ORDER BY COUNT(*) DESC, EQUIPMENTID LIMIT 3').pluck().all() as string[]
    jobs = db.prepare('SELECT * FROM DW_MES_JOB ORDER BY JOBID LIMIT 20').all() as EventRow[]
    db.close()
    q = { id: 's', equipment_ids: ids, start_date: plant.startDate, end_date: plant.endDate }
  }, 120_000)

  afterAll(async () => {
    await sqlite?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('binds :1…:n, prefixes DWH., pages with ROWNUM, and answers as SQLite does', async () => {
    const seen: RecordedStatement[] = []
    const oracle = recordingOracleSource(sqlite, seen)
    const limits = { limits: { max_machines: 20, max_days: 90 } }
    expect(await readMachineList(oracle, limits)).toEqual(await readMachineList(sqlite, limits))
    const first = await readEquipmentLots(sqlite, q, { offset: 0, limit: 50 })
    expect(first.total).toBeGreaterThan(100)
    for (const page of [{ offset: 0, limit: 50 }, { offset: 50, limit: 50 }, { offset: first.total - 10, limit: 50 }, { offset: first.total + 5, limit: 50 }]) {
      expect(withoutPageRow(await readEquipmentLots(oracle, q, page)), JSON.stringify(page)).toEqual(await readEquipmentLots(sqlite, q, page))
    }
    expect(await readEquipmentJobs(oracle, q)).toEqual(await readEquipmentJobs(sqlite, q))
    expect(await readEquipmentRejects(oracle, q)).toEqual(await readEquipmentRejects(sqlite, q))
    expect(withoutPageRow(await readEquipmentTimeline(oracle, q))).toEqual(await readEquipmentTimeline(sqlite, q))
    expect(await collect(equipmentExportRows(oracle, q, 'lots').rows)).toEqual(await collect(equipmentExportRows(sqlite, q, 'lots').rows))
    expect(await readJobTransactions(oracle, String(jobs[0]!.JOBID))).toEqual(await readJobTransactions(sqlite, String(jobs[0]!.JOBID)))
    const input = async function* (): AsyncIterable<EventRow[]> {
      yield jobs
    }
    expect(await collect(jobsWithTransactions(oracle, input()))).toEqual(await collect(jobsWithTransactions(sqlite, input())))
    expect(seen.some((s) => /ROWNUM <= :\d+\) WHERE PAGE_ROW > :\d+$/.test(s.sql))).toBe(true)
    expect(seen.some((s) => s.sql.includes("NLSSORT(v.EQUIPMENTNAME, 'NLS_SORT=BINARY') NULLS LAST"))).toBe(true)
  })
})
