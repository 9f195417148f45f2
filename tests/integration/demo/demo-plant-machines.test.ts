/**
 * The demo plant's optional machine tables against the rest of the plant, by independent SQL and
 * arithmetic: job transactions (DW_MES_JOBTXNHISTORY) follow their job, and the status per shift
 * (DW_MES_RESOURCESTATUS_SHIFT) is a real chronology that agrees with the lots and the jobs.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { openDemo, scalar } from './demo-queries.js'

const SHIFT_SEC = 8 * 3600
const STATUSES = ['PRD', 'SBY', 'UDT', 'SDT', 'EGT', 'NST']

/** Seconds of a `YYYY-MM-DD HH:MM:SS` wall-clock time. */
function sec(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`) / 1000
}

type Span = [number, number]

/** Sorted, merged union of spans. */
function union(spans: Span[]): Span[] {
  const out: Span[] = []
  for (const [a, b] of [...spans].sort((x, y) => x[0] - y[0])) {
    if (b <= a) continue
    const last = out[out.length - 1]
    if (last && a <= last[1]) last[1] = Math.max(last[1], b)
    else out.push([a, b])
  }
  return out
}

/** Seconds of `spans` (merged) that lie inside `cover` (merged). */
function overlap(spans: Span[], cover: Span[]): number {
  let total = 0
  for (const [a, b] of spans) for (const [c, d] of cover) total += Math.max(0, Math.min(b, d) - Math.max(a, c))
  return total
}

function length(spans: Span[]): number {
  return spans.reduce((s, [a, b]) => s + b - a, 0)
}

/** `spans` minus `cut`, both merged. */
function minus(spans: Span[], cut: Span[]): Span[] {
  let rest = spans
  for (const [c, d] of cut) {
    rest = rest.flatMap(([a, b]): Span[] => (d <= a || c >= b ? [[a, b]] : [...(a < c ? [[a, c] as Span] : []), ...(d < b ? [[d, b] as Span] : [])]))
  }
  return rest
}

let dir: string
let plant: DemoSummary
let db: Database.Database
let windowStart: number
let windowEnd: number

interface Txn {
  JOBID: string; TXNDATE: string; FROMJOBSTATUS: string | null; JOBSTATUS: string; STAGENAME: string | null; TOSTAGENAME: string
  CAUSECODENAME: string | null; REPAIRCODENAME: string | null; USER_EMPNO: string | null; USER_NAME: string | null; JOBMODELNAME: string
  JOBORDERNAME: string; JOBTXNHISTORYID: string
}
interface Job {
  JOBID: string; RESOURCEID: string; JOBSTATUS: string; JOBMODELNAME: string; JOBORDERNAME: string; CREATEDATE: string
  COMPLETEDATE: string | null; CAUSECODENAME: string | null; REPAIRCODENAME: string | null
}
interface StatusRow { HISTORYID: string; TXNDATE: string; NEWSTATUSNAME: string; HOURS: number }

/** The original's production-machine filter on `DW_MES_RESOURCE` (original-ui.md §1.1). */
const PRODUCTION = `WORKCENTERNAME IS NOT NULL
  AND ((OBJECTCATEGORY = 'ASSEMBLY' AND OBJECTTYPE = 'ASSEMBLY') OR (OBJECTCATEGORY = 'WAFERSORT' AND OBJECTTYPE = 'WAFERSORT'))
  AND (LOCATIONNAME IS NULL OR LOCATIONNAME NOT IN ('ATEC', 'F區', 'F區焊接站', '報廢', '實驗室', '山東', '成型站_F區', '焊接F區', '無錫', '熒茂'))
  AND (PJ_ASSETSSTATUS IS NULL OR PJ_ASSETSSTATUS <> 'Disapproved')`

let jobs: Job[]
let txnsByJob: Map<string, Txn[]>
let statusByMachine: Map<string, StatusRow[]>

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mes-demo-machines-'))
  plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 3000, seed: 'machines', days: 30 })
  db = openDemo(plant.out)
  windowStart = sec(`${plant.startDate} 00:00:00`)
  windowEnd = sec(`${plant.endDate} 00:00:00`) + 86_400
  jobs = db.prepare('SELECT * FROM DW_MES_JOB ORDER BY JOBID').all() as Job[]
  txnsByJob = new Map()
  for (const t of db.prepare('SELECT * FROM DW_MES_JOBTXNHISTORY ORDER BY JOBID, TXNDATE').all() as Txn[]) {
    txnsByJob.set(t.JOBID, [...(txnsByJob.get(t.JOBID) ?? []), t])
  }
  statusByMachine = new Map()
  for (const r of db.prepare('SELECT * FROM DW_MES_RESOURCESTATUS_SHIFT ORDER BY HISTORYID, TXNDATE').all() as StatusRow[]) {
    const list = statusByMachine.get(r.HISTORYID) ?? []
    list.push(r)
    statusByMachine.set(r.HISTORYID, list)
  }
}, 120_000)

afterAll(() => {
  db?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** When each job held its machine down, from DW_MES_JOB and its transactions (source-schema.md's reading). */
function downtimeOf(job: Job): Span | null {
  if (job.JOBSTATUS === 'Cancelled') return null
  const start = sec(job.CREATEDATE)
  if (job.COMPLETEDATE) return [start, sec(job.COMPLETEDATE)]
  const last = txnsByJob.get(job.JOBID)!.at(-1)!
  return [start, last.TOSTAGENAME === 'WAIT_PARTS' ? sec(last.TXNDATE) : windowEnd]
}

describe('DW_MES_JOBTXNHISTORY of the demo plant', () => {
  it('gives every job its transactions and no transaction without its job', () => {
    expect(plant.tables.DW_MES_JOBTXNHISTORY).toBe(scalar(db, 'SELECT COUNT(*) FROM DW_MES_JOBTXNHISTORY'))
    expect(scalar(db, 'SELECT COUNT(*) FROM DW_MES_JOBTXNHISTORY t WHERE NOT EXISTS (SELECT 1 FROM DW_MES_JOB j WHERE j.JOBID = t.JOBID)')).toBe(0)
    expect(jobs.filter((j) => !txnsByJob.has(j.JOBID))).toEqual([])
    expect(scalar(db, 'SELECT COUNT(DISTINCT JOBTXNHISTORYID) FROM DW_MES_JOBTXNHISTORY')).toBe(plant.tables.DW_MES_JOBTXNHISTORY)
    expect(plant.tables.DW_MES_JOBTXNHISTORY! / jobs.length).toBeGreaterThan(3)
  })

  it('orders each job\'s transactions strictly in time inside the job\'s window, chained status to status', () => {
    let checked = 0
    for (const job of jobs) {
      const txns = txnsByJob.get(job.JOBID)!
      const end = job.COMPLETEDATE ? sec(job.COMPLETEDATE) : windowEnd - 1
      expect(txns[0]!.TXNDATE, job.JOBID).toBe(job.CREATEDATE)
      expect([txns[0]!.FROMJOBSTATUS, txns[0]!.JOBSTATUS, txns[0]!.STAGENAME]).toEqual([null, 'Open', null])
      for (let i = 0; i < txns.length; i++) {
        const t = txns[i]!
        expect(sec(t.TXNDATE)).toBeLessThanOrEqual(end)
        expect([t.JOBMODELNAME, t.JOBORDERNAME]).toEqual([job.JOBMODELNAME, job.JOBORDERNAME])
        expect(t.USER_EMPNO && t.USER_NAME, t.JOBTXNHISTORYID).toBeTruthy()
        if (i === 0) continue
        const before = txns[i - 1]!
        expect(sec(t.TXNDATE), job.JOBID).toBeGreaterThan(sec(before.TXNDATE))
        expect([t.FROMJOBSTATUS, t.STAGENAME]).toEqual([before.JOBSTATUS, before.TOSTAGENAME])
      }
      const last = txns.at(-1)!
      expect(last.JOBSTATUS, job.JOBID).toBe(job.JOBSTATUS)
      if (job.JOBSTATUS === 'Completed') {
        expect([last.TXNDATE, last.TOSTAGENAME, last.CAUSECODENAME, last.REPAIRCODENAME]).toEqual([job.COMPLETEDATE, 'CLOSED', job.CAUSECODENAME, job.REPAIRCODENAME])
        expect(txns.some((t) => t.JOBSTATUS === 'InProgress')).toBe(true)
      }
      if (job.COMPLETEDATE === null) expect(txns.some((t) => t.JOBSTATUS === 'Completed' || t.TOSTAGENAME === 'CLOSED'), job.JOBID).toBe(false)
      checked++
    }
    expect(checked).toBe(jobs.length)
    // Open jobs exist, some of them waiting for parts.
    expect(jobs.filter((j) => j.COMPLETEDATE === null).length).toBeGreaterThan(0)
    expect(jobs.filter((j) => txnsByJob.get(j.JOBID)!.at(-1)!.TOSTAGENAME === 'WAIT_PARTS').length).toBeGreaterThan(0)
  })
})

describe('DW_MES_RESOURCESTATUS_SHIFT of the demo plant', () => {
  it('covers every machine\'s window without gap or overlap, each 8-hour shift adding up to 8 hours', () => {
    // Every production machine (the original's filter, original-ui.md §1.1); the others run nothing.
    const machines = (db.prepare(`SELECT RESOURCEID FROM DW_MES_RESOURCE WHERE ${PRODUCTION}`).pluck().all() as string[]).sort()
    expect([...statusByMachine.keys()].sort()).toEqual(machines)
    // Problems are collected (one expect per row would be slow) and must be none.
    const problems: string[] = []
    for (const [machine, rows] of statusByMachine) {
      let at = windowStart
      const perShift = new Map<number, number>()
      for (const row of rows) {
        const where = `${machine} ${row.TXNDATE} ${row.NEWSTATUSNAME}`
        if (!STATUSES.includes(row.NEWSTATUSNAME)) problems.push(`${where}: unknown status`)
        if (sec(row.TXNDATE) !== at) problems.push(`${where}: starts at ${sec(row.TXNDATE)}, the previous row ended at ${at}`)
        if (!(row.HOURS > 0)) problems.push(`${where}: ${row.HOURS} hours`)
        const end = at + Math.round(row.HOURS * 3600)
        const shift = Math.floor((at - windowStart) / SHIFT_SEC)
        if (Math.floor((end - 1 - windowStart) / SHIFT_SEC) !== shift) problems.push(`${where}: crosses a shift boundary`)
        perShift.set(shift, (perShift.get(shift) ?? 0) + row.HOURS)
        at = end
      }
      if (at !== windowEnd) problems.push(`${machine}: ends at ${at}, not at the window end ${windowEnd}`)
      if (perShift.size !== (windowEnd - windowStart) / SHIFT_SEC) problems.push(`${machine}: ${perShift.size} shifts`)
      for (const [shift, hours] of perShift) if (Math.abs(hours - 8) > 1e-6) problems.push(`${machine} shift ${shift}: ${hours} hours`)
    }
    expect(problems).toEqual([])
    expect(statusByMachine.size).toBeGreaterThan(100)
  })

  it('is PRD exactly while a lot was on the machine and no job held it down, and down exactly while a job did', () => {
    const lotsByMachine = new Map<string, Span[]>()
    // One span per step of a lot on a machine: the partial track-outs share the track-in; a step
    // without a track-out still ran at the end of the window.
    const steps = db.prepare(`SELECT EQUIPMENTID AS M, TRACKINTIMESTAMP AS T_IN,
        CASE WHEN COUNT(*) > COUNT(TRACKOUTTIMESTAMP) THEN NULL ELSE MAX(TRACKOUTTIMESTAMP) END AS T_OUT
      FROM DW_MES_LOTWIPHISTORY WHERE EQUIPMENTID IS NOT NULL GROUP BY CONTAINERID, EQUIPMENTID, SPECNAME, TRACKINTIMESTAMP`).all() as { M: string; T_IN: string; T_OUT: string | null }[]
    for (const s of steps) {
      const span: Span = [Math.max(windowStart, sec(s.T_IN)), Math.min(windowEnd, s.T_OUT ? sec(s.T_OUT) : windowEnd)]
      lotsByMachine.set(s.M, [...(lotsByMachine.get(s.M) ?? []), span])
    }
    const downByMachine = new Map<string, { udt: Span[]; sdt: Span[] }>()
    for (const job of jobs) {
      const span = downtimeOf(job)
      if (!span) continue
      const entry = downByMachine.get(job.RESOURCEID) ?? { udt: [], sdt: [] }
      ;(job.JOBMODELNAME === 'REPAIR' ? entry.udt : entry.sdt).push([Math.max(windowStart, span[0]), Math.min(windowEnd, span[1])])
      downByMachine.set(job.RESOURCEID, entry)
    }
    const totals = Object.fromEntries(STATUSES.map((s) => [s, 0]))
    for (const [machine, rows] of statusByMachine) {
      const lots = union(lotsByMachine.get(machine) ?? [])
      const udt = union(downByMachine.get(machine)?.udt ?? [])
      const sdt = minus(union(downByMachine.get(machine)?.sdt ?? []), udt)
      const down = union([...udt, ...sdt])
      const spansOf = (status: string): Span[] =>
        union(rows.filter((r) => r.NEWSTATUSNAME === status).map((r): Span => [sec(r.TXNDATE), sec(r.TXNDATE) + Math.round(r.HOURS * 3600)]))
      const prd = spansOf('PRD')
      // PRD rows lie inside the lots and outside the jobs; and every such moment is PRD.
      expect(overlap(prd, lots), machine).toBe(length(prd))
      expect(overlap(prd, down), machine).toBe(0)
      expect(length(prd), machine).toBe(length(minus(lots, down)))
      // UDT exactly while a repair held the machine, SDT while another job did (and no repair).
      expect(spansOf('UDT'), machine).toEqual(udt)
      expect(length(spansOf('SDT')), machine).toBe(length(sdt))
      expect(overlap(spansOf('SDT'), sdt), machine).toBe(length(sdt))
      // Idle statuses never overlap a lot or a job.
      for (const idle of ['SBY', 'EGT', 'NST']) expect(overlap(spansOf(idle), union([...lots, ...down])), `${machine} ${idle}`).toBe(0)
      for (const r of rows) totals[r.NEWSTATUSNAME]! += r.HOURS
    }
    // A plausible mix: mostly production and standby, some of every other status.
    for (const status of STATUSES) expect(totals[status], status).toBeGreaterThan(0)
    expect(totals.PRD! + totals.SBY!).toBeGreaterThan(0.5 * Object.values(totals).reduce((a, b) => a + b, 0))
  })

  it('marks a shift NST only when the machine had nothing at all in it', () => {
    for (const rows of statusByMachine.values()) {
      for (const row of rows.filter((r) => r.NEWSTATUSNAME === 'NST')) expect(row.HOURS).toBeCloseTo(8, 6)
    }
  })
})

describe('DW_MES_RESOURCE of the demo plant', () => {
  it('has the optional production columns: probe machines WAFERSORT, the rest ASSEMBLY, a building or none, approved or none', () => {
    const kinds = db.prepare(`SELECT WORKCENTERNAME = '點測' AS probe, OBJECTCATEGORY AS c, OBJECTTYPE AS t, COUNT(*) AS n FROM DW_MES_RESOURCE WHERE ${PRODUCTION} GROUP BY 1, 2, 3 ORDER BY 1, 2`).all()
    expect(kinds).toEqual([{ probe: 0, c: 'ASSEMBLY', t: 'ASSEMBLY', n: expect.any(Number) as number }, { probe: 1, c: 'WAFERSORT', t: 'WAFERSORT', n: 3 }])
    const locations = db.prepare(`SELECT DISTINCT LOCATIONNAME FROM DW_MES_RESOURCE WHERE ${PRODUCTION} ORDER BY LOCATIONNAME`).pluck().all()
    expect(locations).toEqual([null, 'A棟', 'B棟'])
    const statuses = db.prepare(`SELECT DISTINCT PJ_ASSETSSTATUS FROM DW_MES_RESOURCE WHERE ${PRODUCTION} ORDER BY PJ_ASSETSSTATUS`).pluck().all()
    expect(statuses).toEqual([null, 'Approved'])
  })

  it('has three machines the production filter removes (lab, Disapproved, another category), which run no lots, jobs or shifts', () => {
    const others = db.prepare(`SELECT RESOURCENAME, OBJECTCATEGORY, LOCATIONNAME, PJ_ASSETSSTATUS FROM DW_MES_RESOURCE WHERE NOT (${PRODUCTION}) ORDER BY RESOURCENAME`).all()
    expect(others).toEqual([
      { RESOURCENAME: 'GCHL-9003', OBJECTCATEGORY: 'FACILITY', LOCATIONNAME: 'A棟', PJ_ASSETSSTATUS: 'Approved' },
      { RESOURCENAME: 'GTMA-9001', OBJECTCATEGORY: 'ASSEMBLY', LOCATIONNAME: '實驗室', PJ_ASSETSSTATUS: 'Approved' },
      { RESOURCENAME: 'GWBA-9002', OBJECTCATEGORY: 'ASSEMBLY', LOCATIONNAME: 'A棟', PJ_ASSETSSTATUS: 'Disapproved' },
    ])
    const used = `SELECT EQUIPMENTID FROM DW_MES_LOTWIPHISTORY UNION SELECT RESOURCEID FROM DW_MES_JOB UNION SELECT HISTORYID FROM DW_MES_RESOURCESTATUS_SHIFT`
    expect(scalar(db, `SELECT COUNT(*) FROM DW_MES_RESOURCE WHERE NOT (${PRODUCTION}) AND RESOURCEID IN (${used})`)).toBe(0)
    expect(scalar(db, `SELECT COUNT(*) FROM (${used}) u WHERE u.EQUIPMENTID IS NOT NULL AND u.EQUIPMENTID NOT IN (SELECT RESOURCEID FROM DW_MES_RESOURCE WHERE ${PRODUCTION})`)).toBe(0)
  })
})
