/**
 * The equipment tab's reads (main/sources/equipment.ts) and the repair-job transactions
 * (main/sources/job-transactions.ts) on the demo plant (2000 lots), against independent SQL
 * written here on the plant file: lots (partial track-outs once), jobs created in the range,
 * rejects by machine name and loss reason, the timeline's status rows and hours, the machine
 * list's production filter, paging, the request checks, and a copy of the plant without the
 * optional tables.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import {
  checkEquipmentQuery,
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
import { EQUIPMENT_LOT_COLUMNS, JOB_WITH_TRANSACTION_COLUMNS, type EquipmentQuery } from '../../../shared/equipment.js'
import { stationGroupOf, stationOrder } from '../../../shared/stations.js'
import type { EventRow } from '../../../shared/trace.js'
import { thrown } from '../../fixtures/thrown.js'

const LIMITS = { max_machines: 20, max_days: 90 }
const OPTIONAL = ['DW_MES_RESOURCE', 'DW_MES_RESOURCESTATUS_SHIFT', 'DW_MES_JOBTXNHISTORY']

let dir: string
let plant: DemoSummary
let source: MesSource
let db: Database.Database
/** The plant's first and last track-in days. */
let first: string
let last: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mes-trace-equipment-'))
  plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 2000 })
  source = await openSqliteSource(plant.out)
  db = new Database(plant.out, { readonly: true })
  const span = db.prepare('SELECT MIN(TRACKINTIMESTAMP) AS a, MAX(TRACKINTIMESTAMP) AS b FROM DW_MES_LOTWIPHISTORY').get() as { a: string; b: string }
  first = span.a.slice(0, 10)
  last = span.b.slice(0, 10)
}, 120_000)

afterAll(async () => {
  db?.close()
  await source?.close()
  rmSync(dir, { recursive: true, force: true })
})

// --- independent SQL -------------------------------------------------------------------------

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ')
const dayAfter = (day: string): string => (db.prepare("SELECT date(?, '+1 day') AS d").get(day) as { d: string }).d
const rangeOf = (q: EquipmentQuery): [string, string] => [`${q.start_date} 00:00:00`, `${dayAfter(q.end_date)} 00:00:00`]

/** Lot visits: each (lot, machine, spec, track-in) once. */
function lotCountBySql(q: EquipmentQuery): number {
  const ids = [...new Set(q.equipment_ids)]
  return (
    db
      .prepare(
        `SELECT COUNT(*) AS n FROM (SELECT DISTINCT CONTAINERID, EQUIPMENTID, SPECNAME, TRACKINTIMESTAMP FROM DW_MES_LOTWIPHISTORY
         WHERE EQUIPMENTID IN (${marks(ids.length)}) AND TRACKINTIMESTAMP >= ? AND TRACKINTIMESTAMP < ?)`,
      )
      .get(...ids, ...rangeOf(q)) as { n: number }
  ).n
}

/** Lot visits in the view's order with their latest track-out (nulls only when none has one). */
function lotsBySql(q: EquipmentQuery): { cid: string; eq: string; trackin: string; trackout: string | null }[] {
  const ids = [...new Set(q.equipment_ids)]
  return db
    .prepare(
      `SELECT h.CONTAINERID AS cid, h.EQUIPMENTID AS eq, h.TRACKINTIMESTAMP AS trackin, MAX(h.TRACKOUTTIMESTAMP) AS trackout
       FROM DW_MES_LOTWIPHISTORY h LEFT JOIN DW_MES_CONTAINER c ON c.CONTAINERID = h.CONTAINERID
       WHERE h.EQUIPMENTID IN (${marks(ids.length)}) AND h.TRACKINTIMESTAMP >= ? AND h.TRACKINTIMESTAMP < ?
       GROUP BY h.CONTAINERID, h.EQUIPMENTID, h.SPECNAME, h.TRACKINTIMESTAMP
       ORDER BY MAX(h.EQUIPMENTNAME), h.TRACKINTIMESTAMP, MAX(c.CONTAINERNAME), h.CONTAINERID, h.SPECNAME, h.EQUIPMENTID`,
    )
    .all(...ids, ...rangeOf(q)) as { cid: string; eq: string; trackin: string; trackout: string | null }[]
}

function jobIdsBySql(q: EquipmentQuery): string[] {
  const ids = [...new Set(q.equipment_ids)]
  return db
    .prepare(`SELECT JOBID FROM DW_MES_JOB WHERE RESOURCEID IN (${marks(ids.length)}) AND CREATEDATE >= ? AND CREATEDATE < ? ORDER BY JOBID`)
    .pluck()
    .all(...ids, ...rangeOf(q)) as string[]
}

function rejectsBySql(q: EquipmentQuery, names: readonly string[]): EventRow[] {
  if (names.length === 0) return []
  return db
    .prepare(
      `SELECT EQUIPMENTNAME, LOSSREASONNAME, TOTAL(REJECTQTY) AS TOTAL_REJECT_QTY,
         TOTAL(IFNULL(REJECTQTY,0) + IFNULL(STANDBYQTY,0) + IFNULL(QTYTOPROCESS,0) + IFNULL(INPROCESSQTY,0) + IFNULL(PROCESSEDQTY,0)) AS TOTAL_CHARGE_OFF_QTY,
         TOTAL(DEFECTQTY) AS TOTAL_DEFECT_QTY, COUNT(DISTINCT CONTAINERID) AS AFFECTED_LOT_COUNT
       FROM DW_MES_LOTREJECTHISTORY WHERE EQUIPMENTNAME IN (${marks(names.length)}) AND TXNDATE >= ? AND TXNDATE < ?
       GROUP BY EQUIPMENTNAME, LOSSREASONNAME ORDER BY EQUIPMENTNAME, TOTAL_CHARGE_OFF_QTY DESC, LOSSREASONNAME IS NULL, LOSSREASONNAME`,
    )
    .all(...names, ...rangeOf(q)) as EventRow[]
}

function resourceNames(ids: readonly string[]): string[] {
  return db.prepare(`SELECT RESOURCENAME FROM DW_MES_RESOURCE WHERE RESOURCEID IN (${marks(ids.length)})`).pluck().all(...ids) as string[]
}

function statusBySql(q: EquipmentQuery): { rows: number; hours: Map<string, Map<string, number>> } {
  const ids = [...new Set(q.equipment_ids)]
  const where = `HISTORYID IN (${marks(ids.length)}) AND TXNDATE >= ? AND TXNDATE < ?`
  const rows = (db.prepare(`SELECT COUNT(*) AS n FROM DW_MES_RESOURCESTATUS_SHIFT WHERE ${where}`).get(...ids, ...rangeOf(q)) as { n: number }).n
  const hours = new Map<string, Map<string, number>>()
  for (const r of db
    .prepare(`SELECT HISTORYID AS id, NEWSTATUSNAME AS s, SUM(HOURS) AS h FROM DW_MES_RESOURCESTATUS_SHIFT WHERE ${where} GROUP BY HISTORYID, NEWSTATUSNAME`)
    .all(...ids, ...rangeOf(q)) as { id: string; s: string; h: number }[]) {
    const m = hours.get(r.id) ?? new Map<string, number>()
    m.set(r.s, r.h)
    hours.set(r.id, m)
  }
  return { rows, hours }
}

// --- the machines and ranges the reads are checked over ---------------------------------------

/** The planted bad bonder, the busiest tester, a probe machine, and a machine that runs no lots. */
function machines(): { bonder: string; tester: string; probe: string; idle: string } {
  const one = (sql: string, ...params: unknown[]): string => db.prepare(sql).pluck().get(...params) as string
  return {
    bonder: plant.planted.bad_machine.equipment_id,
    tester: one("SELECT EQUIPMENTID FROM DW_MES_LOTWIPHISTORY WHERE WORKCENTERNAME = 'TMTT' GROUP BY EQUIPMENTID ORDER BY COUNT(*) DESC, EQUIPMENTID LIMIT 1"),
    probe: one("SELECT RESOURCEID FROM DW_MES_RESOURCE WHERE WORKCENTERNAME = '點測' ORDER BY RESOURCEID LIMIT 1"),
    idle: one("SELECT RESOURCEID FROM DW_MES_RESOURCE WHERE RESOURCENAME = 'GTMA-9001'"),
  }
}

function queries(): { name: string; q: EquipmentQuery }[] {
  const m = machines()
  const mid = (db.prepare("SELECT date(?, '-20 days') AS d").get(last) as { d: string }).d
  return [
    { name: 'four machines (one idle) over the whole data', q: { id: 's', equipment_ids: [m.bonder, m.tester, m.probe, m.idle], start_date: first, end_date: last } },
    { name: 'two machines over one week, a machine named twice', q: { id: 's', equipment_ids: [m.tester, m.bonder, m.tester], start_date: mid, end_date: (db.prepare("SELECT date(?, '+6 days') AS d").get(mid) as { d: string }).d } },
    { name: 'the idle machine alone', q: { id: 's', equipment_ids: [m.idle], start_date: first, end_date: last } },
    { name: 'a range before the data', q: { id: 's', equipment_ids: [m.bonder], start_date: '2020-01-01', end_date: '2020-01-31' } },
  ]
}

async function allLots(q: EquipmentQuery, limit: number): Promise<EventRow[]> {
  const rows: EventRow[] = []
  for (let offset = 0; ; offset += limit) {
    const page = await readEquipmentLots(source, q, { offset, limit })
    rows.push(...page.rows)
    if (page.rows.length < limit) return rows
  }
}

// ---------------------------------------------------------------------------------------------

describe('readMachineList on the demo plant', () => {
  it('lists the production machines by the original filter, sorted by station, workcenter, name', async () => {
    const list = await readMachineList(source, { limits: LIMITS })
    const expected = db
      .prepare(
        `SELECT RESOURCEID FROM DW_MES_RESOURCE WHERE WORKCENTERNAME IS NOT NULL
           AND ((OBJECTCATEGORY = 'ASSEMBLY' AND OBJECTTYPE = 'ASSEMBLY') OR (OBJECTCATEGORY = 'WAFERSORT' AND OBJECTTYPE = 'WAFERSORT'))
           AND (LOCATIONNAME IS NULL OR LOCATIONNAME NOT IN ('ATEC', 'F區', 'F區焊接站', '報廢', '實驗室', '山東', '成型站_F區', '焊接F區', '無錫', '熒茂'))
           AND (PJ_ASSETSSTATUS IS NULL OR PJ_ASSETSSTATUS <> 'Disapproved')`,
      )
      .pluck()
      .all() as string[]
    const all = (db.prepare('SELECT COUNT(*) FROM DW_MES_RESOURCE').pluck().get() as number)
    expect(expected.length).toBe(all - 3)
    expect(list.machines.map((m) => m.resource_id).sort()).toEqual(expected.sort())
    expect(list.machines.map((m) => m.name)).not.toContain('GTMA-9001')
    expect(list.machines.map((m) => m.name)).not.toContain('GWBA-9002')
    expect(list.machines.map((m) => m.name)).not.toContain('GCHL-9003')
    expect(list.from).toBe('resource')
    expect(list.filtered_by).toEqual(['OBJECTCATEGORY', 'OBJECTTYPE', 'LOCATIONNAME', 'PJ_ASSETSSTATUS'])
    expect(list.missing_tables).toEqual([])
    expect(list.limits).toEqual(LIMITS)
    expect(list.default_range).toEqual({ start: (db.prepare("SELECT date(?, '-29 days') AS d").get(last) as { d: string }).d, end: last })
    for (const m of list.machines) expect(m.station).toBe(stationGroupOf(m.workcenter)?.name ?? null)
    const keys = list.machines.map((m) => [stationOrder(m.station), m.workcenter ?? '', m.name] as const)
    for (let i = 1; i < keys.length; i++) {
      const [a, b] = [keys[i - 1]!, keys[i]!]
      expect(a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] <= b[2]))), `${a.join('/')} before ${b.join('/')}`).toBe(true)
    }
    const probe = list.machines.find((m) => m.workcenter === '點測')
    expect(probe).toMatchObject({ station: null, family: 'PRB_UF3000' })
  })
})

describe('the equipment views against independent SQL', () => {
  it.each([0, 1, 2, 3])('lots, jobs, rejects and timeline agree with SQL (query %i)', async (index) => {
    const { name, q } = queries()[index]!
    const ids = [...new Set(q.equipment_ids)]

    const page = await readEquipmentLots(source, q)
    const total = lotCountBySql(q)
    expect(page.total, name).toBe(total)
    expect(page.rows.length).toBe(Math.min(total, 200))
    expect([page.offset, page.limit]).toEqual([0, 200])

    const jobs = await readEquipmentJobs(source, q)
    expect(jobs.rows.map((r) => r.JOBID).sort(), name).toEqual(jobIdsBySql(q))
    for (let i = 1; i < jobs.rows.length; i++) {
      const [a, b] = [jobs.rows[i - 1]!, jobs.rows[i]!]
      const order = String(a.RESOURCENAME) < String(b.RESOURCENAME) || (a.RESOURCENAME === b.RESOURCENAME && String(a.CREATEDATE) >= String(b.CREATEDATE))
      expect(order, `${String(a.JOBID)} before ${String(b.JOBID)}`).toBe(true)
    }

    const rejects = await readEquipmentRejects(source, q)
    expect(rejects.rows, name).toEqual(rejectsBySql(q, resourceNames(ids)))

    const timeline = await readEquipmentTimeline(source, q)
    expect(timeline.machines.map((m) => m.resource_id)).toEqual(ids)
    expect(timeline.machines.map((m) => m.name)).toEqual(ids.map((id) => resourceNames([id])[0]))
    expect(timeline.window).toEqual({ start: `${q.start_date}T00:00:00`, end: `${dayAfter(q.end_date)}T00:00:00` })
    expect(timeline.lots_total).toBe(total)
    expect(timeline.lots.length).toBe(Math.min(total, 5000))
    const starts = timeline.lots.map((l) => l.start)
    expect(starts).toEqual([...starts].sort())
    expect(timeline.jobs.map((j) => j.job_id).sort()).toEqual(jobIdsBySql(q))
    expect(timeline.missing_tables).toEqual([])
    const status = statusBySql(q)
    expect(timeline.status!.length).toBe(status.rows)
    expect(timeline.hours!.map((h) => h.RESOURCEID)).toEqual(ids)
    for (const row of timeline.hours!) {
      const sums = status.hours.get(String(row.RESOURCEID)) ?? new Map<string, number>()
      for (const s of ['PRD', 'SBY', 'UDT', 'SDT', 'EGT', 'NST']) expect(row[`${s}_HOURS`], `${String(row.RESOURCEID)} ${s}`).toBeCloseTo(sums.get(s) ?? 0, 2)
      const total = [...sums.values()].reduce((a, b) => a + b, 0)
      expect(row.TOTAL_HOURS).toBeCloseTo(total, 2)
      const base = (sums.get('PRD') ?? 0) + (sums.get('SBY') ?? 0) + (sums.get('UDT') ?? 0)
      if (base === 0) expect(row.OU_PERCENT).toBeNull()
      else expect(row.OU_PERCENT).toBeCloseTo(((sums.get('PRD') ?? 0) / base) * 100, 2)
    }
  })

  it('finds rows for the busy machines and none for the idle one, so the comparisons above compare something', async () => {
    const [busy, , idle, before] = queries()
    expect(lotCountBySql(busy!.q)).toBeGreaterThan(200)
    expect(jobIdsBySql(busy!.q).length).toBeGreaterThan(5)
    expect(rejectsBySql(busy!.q, resourceNames(busy!.q.equipment_ids)).length).toBeGreaterThan(5)
    expect(statusBySql(busy!.q).rows).toBeGreaterThan(100)
    const nothing = await readEquipmentTimeline(source, idle!.q)
    expect([nothing.lots_total, nothing.lots.length, nothing.jobs.length, nothing.status!.length]).toEqual([0, 0, 0, 0])
    expect(nothing.hours).toEqual([
      { RESOURCEID: idle!.q.equipment_ids[0], RESOURCENAME: 'GTMA-9001', PRD_HOURS: 0, SBY_HOURS: 0, UDT_HOURS: 0, SDT_HOURS: 0, EGT_HOURS: 0, NST_HOURS: 0, TOTAL_HOURS: 0, OU_PERCENT: null },
    ])
    expect((await readEquipmentLots(source, before!.q)).total).toBe(0)
    expect((await readEquipmentRejects(source, before!.q)).rows).toEqual([])
  })

  it('keeps a partially tracked-out visit once, with its latest track-out', async () => {
    const { q } = queries()[0]!
    const rows = await allLots(q, 1000)
    const expected = lotsBySql(q)
    const raw = (db.prepare(`SELECT COUNT(*) FROM DW_MES_LOTWIPHISTORY WHERE EQUIPMENTID IN (${marks(4)}) AND TRACKINTIMESTAMP >= ? AND TRACKINTIMESTAMP < ?`).pluck().get(...q.equipment_ids, ...rangeOf(q)) as number)
    // The plant tracks lots out in parts, so de-duplication has work to do here.
    expect(raw).toBeGreaterThan(expected.length)
    expect(rows.map((r) => [r.CONTAINERID, r.EQUIPMENTID, r.TRACKINTIMESTAMP, r.TRACKOUTTIMESTAMP])).toEqual(
      expected.map((e) => [e.cid, e.eq, e.trackin.replace(' ', 'T'), e.trackout?.replace(' ', 'T') ?? null]),
    )
    expect(Object.keys(rows[0]!)).toEqual([...EQUIPMENT_LOT_COLUMNS])
  })

  it('pages on the source: pages concatenate to the whole query, in order, and a page past the end is empty', async () => {
    const { q } = queries()[0]!
    const whole: EventRow[] = []
    for await (const chunk of equipmentExportRows(source, q, 'lots').rows) whole.push(...chunk)
    expect(whole.length).toBe(lotCountBySql(q))
    expect(await allLots(q, 97)).toEqual(whole)
    const past = await readEquipmentLots(source, q, { offset: whole.length + 10, limit: 50 })
    expect(past).toEqual({ rows: [], total: whole.length, offset: whole.length + 10, limit: 50 })
  })

  it('exports the jobs, rejects and status hours of the views', async () => {
    const { q } = queries()[0]!
    const collect = async (table: 'jobs' | 'rejects' | 'status_hours'): Promise<EventRow[]> => {
      const rows: EventRow[] = []
      for await (const chunk of equipmentExportRows(source, q, table).rows) rows.push(...chunk)
      return rows
    }
    expect(await collect('jobs')).toEqual((await readEquipmentJobs(source, q)).rows)
    expect(await collect('rejects')).toEqual((await readEquipmentRejects(source, q)).rows)
    expect(await collect('status_hours')).toEqual((await readEquipmentTimeline(source, q)).hours)
  })
})

describe('checkEquipmentQuery', () => {
  const ok: EquipmentQuery = { id: 's', equipment_ids: ['a'], start_date: '2026-09-01', end_date: '2026-09-30' }

  it.each([
    ['no machine', { equipment_ids: [] }, 'equipment_ids'],
    ['an empty id', { equipment_ids: ['a', ' '] }, 'equipment_ids'],
    ['21 machines', { equipment_ids: Array.from({ length: 21 }, (_, i) => `m${i}`) }, 'equipment_ids'],
    ['a bad start date', { start_date: '2026-9-1' }, 'start_date'],
    ['an impossible end date', { end_date: '2026-02-30' }, 'end_date'],
    ['an end before the start', { start_date: '2026-09-02', end_date: '2026-09-01' }, 'end_date'],
    ['91 days, both ends counted', { start_date: '2026-01-01', end_date: '2026-04-01' }, 'end_date'],
  ])('refuses %s, naming the field', (_, change, field) => {
    const error = thrown(() => checkEquipmentQuery({ ...ok, ...change }, LIMITS))
    expect(error.code).toBe('input/invalid')
    expect(error.details?.field).toBe(field)
  })

  it('accepts 90 days (both ends counted) and 20 machines, counting a machine named twice once', () => {
    expect(() => checkEquipmentQuery({ ...ok, start_date: '2026-01-01', end_date: '2026-03-31' }, LIMITS)).not.toThrow()
    expect(() => checkEquipmentQuery({ ...ok, equipment_ids: [...Array.from({ length: 20 }, (_, i) => `m${i}`), 'm0', 'm1'] }, LIMITS)).not.toThrow()
  })

  it('refuses a lots page past the largest, naming the field', async () => {
    const error = await readEquipmentLots(source, ok, { limit: 1001 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'input/invalid', details: { field: 'limit' } })
  })
})

describe('repair-job transactions on the demo plant', () => {
  it('reads a job\'s transactions oldest first, as SQL has them', async () => {
    const job = db.prepare('SELECT JOBID FROM DW_MES_JOBTXNHISTORY GROUP BY JOBID ORDER BY COUNT(*) DESC, JOBID LIMIT 1').pluck().get() as string
    const expected = db.prepare('SELECT JOBTXNHISTORYID, TXNDATE FROM DW_MES_JOBTXNHISTORY WHERE JOBID = ? ORDER BY TXNDATE, JOBTXNHISTORYID').all(job) as { JOBTXNHISTORYID: string; TXNDATE: string }[]
    expect(expected.length).toBeGreaterThan(3)
    const answer = await readJobTransactions(source, job)
    expect(answer.job).toBe(job)
    expect(answer.missing_table).toBeNull()
    expect(answer.rows.map((r) => [r.JOBTXNHISTORYID, r.TXNDATE])).toEqual(expected.map((e) => [e.JOBTXNHISTORYID, e.TXNDATE.replace(' ', 'T')]))
    expect(await readJobTransactions(source, 'NO-SUCH-JOB')).toEqual({ job: 'NO-SUCH-JOB', rows: [], missing_table: null })
    await expect(readJobTransactions(source, ' ')).rejects.toMatchObject({ code: 'input/invalid', details: { field: 'repair_job' } })
  })

  it('joins jobs with their transactions: one row per job × transaction, each job once, a job without any kept', async () => {
    const jobs = db.prepare('SELECT * FROM DW_MES_JOB ORDER BY CREATEDATE DESC LIMIT 40').all() as EventRow[]
    const ghost: EventRow = { ...jobs[0]!, JOBID: '0000-no-transactions' }
    // The input repeats jobs (a result lists a job once per lot) and comes in chunks.
    async function* input(): AsyncIterable<EventRow[]> {
      yield jobs.slice(0, 25)
      yield [...jobs.slice(10, 40), ghost, jobs[3]!]
    }
    const rows: EventRow[] = []
    for await (const chunk of jobsWithTransactions(source, input())) rows.push(...chunk)
    const ids = jobs.map((j) => String(j.JOBID))
    const expected = db
      .prepare(
        `SELECT j.JOBID AS JOBID, t.TXNDATE AS TXNDATE FROM DW_MES_JOB j LEFT JOIN DW_MES_JOBTXNHISTORY t ON t.JOBID = j.JOBID
         WHERE j.JOBID IN (${marks(ids.length)}) ORDER BY j.JOBID, t.TXNDATE, t.JOBTXNHISTORYID`,
      )
      .all(...ids) as { JOBID: string; TXNDATE: string | null }[]
    expect(rows.map((r) => [r.JOBID, r.TXNDATE])).toEqual([
      ['0000-no-transactions', null],
      ...expected.map((e) => [e.JOBID, e.TXNDATE?.replace(' ', 'T') ?? null]),
    ])
    expect(Object.keys(rows[0]!)).toEqual([...JOB_WITH_TRANSACTION_COLUMNS])
    expect(rows[0]).toMatchObject({ JOB_FINAL_STATUS: jobs[0]!.JOBSTATUS, RESOURCENAME: jobs[0]!.RESOURCENAME, TXN_JOBSTATUS: null, STAGENAME: null })
    const withTxn = rows.find((r) => r.JOBID === expected[0]!.JOBID)!
    const txn = db.prepare('SELECT * FROM DW_MES_JOBTXNHISTORY WHERE JOBID = ? ORDER BY TXNDATE, JOBTXNHISTORYID LIMIT 1').get(expected[0]!.JOBID) as EventRow
    expect(withTxn).toMatchObject({ TXN_JOBSTATUS: txn.JOBSTATUS, FROMJOBSTATUS: txn.FROMJOBSTATUS, STAGENAME: txn.STAGENAME, USER_NAME: txn.USER_NAME })
  })

  it("names the result's lots a job was matched to, each once in the result's order, beside the job's own list", async () => {
    const job = db.prepare('SELECT * FROM DW_MES_JOB ORDER BY JOBID LIMIT 1').get() as EventRow
    // A result lists a job once per lot, whether the job names the lot or not.
    const rows: EventRow[] = []
    async function* input(): AsyncIterable<EventRow[]> {
      yield [{ ...job, CONTAINERNAME: 'LOT-B' }, { ...job, CONTAINERNAME: 'LOT-A' }]
      yield [{ ...job, CONTAINERNAME: 'LOT-B' }, { ...job, CONTAINERNAME: null, CONTAINERID: 'CID-C' }]
    }
    for await (const chunk of jobsWithTransactions(source, input())) rows.push(...chunk)
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) expect(row).toMatchObject({ JOBID: job.JOBID, LOT_ID: 'LOT-B, LOT-A, CID-C', CONTAINERNAMES: job.CONTAINERNAMES ?? null })
  })
})

describe('a copy of the plant without the optional tables', () => {
  let bare: MesSource
  let bareDir: string

  beforeAll(async () => {
    bareDir = mkdtempSync(join(tmpdir(), 'mes-trace-equipment-bare-'))
    const path = join(bareDir, 'bare.sqlite')
    copyFileSync(plant.out, path)
    const rw = new Database(path)
    for (const table of OPTIONAL) rw.exec(`DROP TABLE ${table}`)
    rw.close()
    bare = await openSqliteSource(path)
  })

  afterAll(async () => {
    await bare?.close()
    rmSync(bareDir, { recursive: true, force: true })
  })

  it('lists the machines of the last 30 days of lot history and names the missing tables', async () => {
    const list = await readMachineList(bare, { limits: LIMITS })
    expect(list.from).toBe('history')
    expect(list.filtered_by).toEqual([])
    expect(list.missing_tables).toEqual(OPTIONAL)
    const since = list.default_range!.start
    const expected = db
      .prepare('SELECT DISTINCT EQUIPMENTID FROM DW_MES_LOTWIPHISTORY WHERE EQUIPMENTID IS NOT NULL AND WORKCENTERNAME IS NOT NULL AND TRACKINTIMESTAMP >= ?')
      .pluck()
      .all(`${since} 00:00:00`) as string[]
    expect(expected.length).toBeGreaterThan(50)
    expect(list.machines.map((m) => m.resource_id).sort()).toEqual(expected.sort())
    const named = db.prepare('SELECT DISTINCT EQUIPMENTNAME FROM DW_MES_LOTWIPHISTORY WHERE EQUIPMENTID = ?').pluck().all(list.machines[0]!.resource_id) as string[]
    expect(named).toContain(list.machines[0]!.name)
  })

  it('gives a timeline without status (naming the table), rejects by the history names, and refuses the status-hours export', async () => {
    const { q } = queries()[0]!
    const timeline = await readEquipmentTimeline(bare, q)
    expect(timeline.status).toBeNull()
    expect(timeline.hours).toBeNull()
    expect(timeline.missing_tables).toEqual(['DW_MES_RESOURCESTATUS_SHIFT'])
    expect(timeline.lots_total).toBe(lotCountBySql(q))
    const names = db
      .prepare(`SELECT DISTINCT EQUIPMENTNAME FROM DW_MES_LOTWIPHISTORY WHERE EQUIPMENTID IN (${marks(4)}) AND TRACKINTIMESTAMP >= ? AND TRACKINTIMESTAMP < ?`)
      .pluck()
      .all(...q.equipment_ids, ...rangeOf(q)) as string[]
    expect(names.length).toBe(3)
    expect((await readEquipmentRejects(bare, q)).rows).toEqual(rejectsBySql(q, names))
    // The idle machine has no name without the resource table: the timeline shows its id.
    expect(timeline.machines[3]).toEqual({ resource_id: q.equipment_ids[3], name: q.equipment_ids[3] })
    const exported = equipmentExportRows(bare, q, 'status_hours')
    const error = await (async () => {
      for await (const chunk of exported.rows) void chunk
    })().catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'source/schema' })
    expect((error as Error).message).toContain('DW_MES_RESOURCESTATUS_SHIFT')
  })

  it('says the transactions table is missing, and exports every job once with empty transaction fields', async () => {
    const job = db.prepare('SELECT JOBID FROM DW_MES_JOB ORDER BY JOBID LIMIT 1').pluck().get() as string
    expect(await readJobTransactions(bare, job)).toEqual({ job, rows: [], missing_table: 'DW_MES_JOBTXNHISTORY' })
    const jobs = db.prepare('SELECT * FROM DW_MES_JOB ORDER BY JOBID LIMIT 30').all() as EventRow[]
    const rows: EventRow[] = []
    for await (const chunk of jobsWithTransactions(bare, (async function* () { yield [...jobs, ...jobs] })())) rows.push(...chunk)
    expect(rows.map((r) => r.JOBID)).toEqual(jobs.map((j) => j.JOBID))
    expect(rows.every((r) => r.TXNDATE === null && r.TXN_JOBSTATUS === null)).toBe(true)
  })
})
