/**
 * The equipment tab's reads and the repair-job transactions on PostgreSQL against SQLite on the
 * same demo plant (and on a copy without the optional tables): every answer must be equal, pages
 * and orders included (text ordered by code units on both). Runs where MES_TRACE_PG_TEST_URL names
 * a server (`export MES_TRACE_PG_TEST_URL=$(bash scripts/test-postgres.sh)`).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
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
import type { EquipmentExport, EquipmentQuery } from '../../../shared/equipment.js'
import type { EventRow } from '../../../shared/trace.js'
import { postgresCopyOf, type PostgresCopy } from '../../fixtures/pg-schema.js'

const url = process.env.MES_TRACE_PG_TEST_URL
const LIMITS = { max_machines: 20, max_days: 90 }
const OPTIONAL = ['DW_MES_RESOURCE', 'DW_MES_RESOURCESTATUS_SHIFT', 'DW_MES_JOBTXNHISTORY']

async function collect(rows: AsyncIterable<EventRow[]>): Promise<EventRow[]> {
  const all: EventRow[] = []
  for await (const chunk of rows) all.push(...chunk)
  return all
}

async function pages(source: MesSource, q: EquipmentQuery, limit: number): Promise<EventRow[][]> {
  const out: EventRow[][] = []
  for (let offset = 0; ; offset += limit) {
    const page = await readEquipmentLots(source, q, { offset, limit })
    out.push(page.rows)
    if (page.rows.length < limit) return out
  }
}

describe.skipIf(!url)('equipment reads: PostgreSQL equals SQLite on the same demo plant', () => {
  const tag = `${process.pid}_${Date.now() % 100000}`
  let dir: string
  let plant: DemoSummary
  let sqlite: MesSource
  let pgCopy: PostgresCopy
  let bareSqlite: MesSource
  let barePg: PostgresCopy
  let queries: EquipmentQuery[]
  let jobs: EventRow[]

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-equipment-pg-'))
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 1500, seed: 'pg-equipment' })
    const bare = join(dir, 'bare.sqlite')
    copyFileSync(plant.out, bare)
    const db = new Database(bare)
    for (const table of OPTIONAL) db.exec(`DROP TABLE ${table}`)
    // Machines chosen by SQL: the three busiest, a probe machine and the lab machine (no lots).
    const busiest = db.prepare('SELECT EQUIPMENTID FROM DW_MES_LOTWIPHISTORY WHERE EQUIPMENTID IS NOT NULL GROUP BY EQUIPMENTID ORDER BY COUNT(*) DESC, EQUIPMENTID LIMIT 3').pluck().all() as string[]
    const span = db.prepare('SELECT MIN(TRACKINTIMESTAMP) AS a, MAX(TRACKINTIMESTAMP) AS b FROM DW_MES_LOTWIPHISTORY').get() as { a: string; b: string }
    jobs = db.prepare('SELECT * FROM DW_MES_JOB ORDER BY JOBID LIMIT 60').all() as EventRow[]
    db.close()
    const full = new Database(plant.out, { readonly: true })
    const probe = full.prepare("SELECT RESOURCEID FROM DW_MES_RESOURCE WHERE WORKCENTERNAME = '點測' ORDER BY RESOURCEID LIMIT 1").pluck().get() as string
    const lab = full.prepare("SELECT RESOURCEID FROM DW_MES_RESOURCE WHERE RESOURCENAME = 'GTMA-9001'").pluck().get() as string
    full.close()
    const [first, last] = [span.a.slice(0, 10), span.b.slice(0, 10)]
    queries = [
      { id: 's', equipment_ids: [...busiest, probe, lab], start_date: first, end_date: last },
      { id: 's', equipment_ids: [busiest[1]!, busiest[0]!], start_date: last.slice(0, 8) + '01', end_date: last },
      { id: 's', equipment_ids: [lab], start_date: first, end_date: last },
    ]
    sqlite = await openSqliteSource(plant.out)
    pgCopy = await postgresCopyOf(plant.out, url!, `eq_${tag}`)
    bareSqlite = await openSqliteSource(bare)
    barePg = await postgresCopyOf(bare, url!, `eq_bare_${tag}`)
  }, 240_000)

  afterAll(async () => {
    await sqlite?.close()
    await bareSqlite?.close()
    await pgCopy?.drop()
    await barePg?.drop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('lists the same machines, with the optional resource columns copied', async () => {
    const [a, b] = [await readMachineList(sqlite, { limits: LIMITS }), await readMachineList(pgCopy.source, { limits: LIMITS })]
    expect(a.filtered_by).toHaveLength(4)
    expect(a.machines.length).toBeGreaterThan(100)
    expect(b).toEqual(a)
  })

  it('answers every view the same, pages included', async () => {
    for (const q of queries) {
      const [a, b] = [sqlite, pgCopy.source]
      const lotsA = await pages(a, q, 150)
      expect(lotsA.flat().length, 'the busy query has lots').toBe(q === queries[2] ? 0 : (await readEquipmentLots(a, q)).total)
      expect(await pages(b, q, 150)).toEqual(lotsA)
      expect(await readEquipmentLots(b, q, { offset: 7, limit: 33 })).toEqual(await readEquipmentLots(a, q, { offset: 7, limit: 33 }))
      expect(await readEquipmentJobs(b, q)).toEqual(await readEquipmentJobs(a, q))
      expect(await readEquipmentRejects(b, q)).toEqual(await readEquipmentRejects(a, q))
      expect(await readEquipmentTimeline(b, q)).toEqual(await readEquipmentTimeline(a, q))
      for (const table of ['lots', 'jobs', 'rejects', 'status_hours'] as EquipmentExport[]) {
        expect(await collect(equipmentExportRows(b, q, table).rows), table).toEqual(await collect(equipmentExportRows(a, q, table).rows))
      }
    }
    const busy = await readEquipmentTimeline(sqlite, queries[0]!)
    expect([busy.lots_total > 100, busy.jobs.length > 0, (busy.status?.length ?? 0) > 100]).toEqual([true, true, true])
  })

  it('reads the same job transactions, alone and joined with their jobs', async () => {
    for (const job of jobs.slice(0, 10)) {
      expect(await readJobTransactions(pgCopy.source, String(job.JOBID))).toEqual(await readJobTransactions(sqlite, String(job.JOBID)))
    }
    const input = async function* (): AsyncIterable<EventRow[]> {
      yield [...jobs, { ...jobs[0]!, JOBID: 'no-such-job' }, jobs[1]!]
    }
    const a = await collect(jobsWithTransactions(sqlite, input()))
    expect(a.length).toBeGreaterThan(jobs.length)
    expect(await collect(jobsWithTransactions(pgCopy.source, input()))).toEqual(a)
  })

  it('answers the same without the optional tables', async () => {
    const q = queries[0]!
    const [a, b] = [await readMachineList(bareSqlite, { limits: LIMITS }), await readMachineList(barePg.source, { limits: LIMITS })]
    expect(a.from).toBe('history')
    expect(a.missing_tables).toEqual(OPTIONAL)
    expect(b).toEqual(a)
    const timeline = await readEquipmentTimeline(barePg.source, q)
    expect([timeline.status, timeline.hours, timeline.missing_tables]).toEqual([null, null, ['DW_MES_RESOURCESTATUS_SHIFT']])
    expect(timeline).toEqual(await readEquipmentTimeline(bareSqlite, q))
    expect(await readEquipmentRejects(barePg.source, q)).toEqual(await readEquipmentRejects(bareSqlite, q))
    expect(await readJobTransactions(barePg.source, String(jobs[0]!.JOBID))).toMatchObject({ rows: [], missing_table: 'DW_MES_JOBTXNHISTORY' })
    await expect(collect(equipmentExportRows(barePg.source, q, 'status_hours').rows)).rejects.toMatchObject({ code: 'source/schema' })
  })
})
