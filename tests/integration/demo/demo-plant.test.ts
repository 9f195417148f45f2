/**
 * The demo-plant generator end to end on real SQLite files: the shape of the source contract,
 * determinism, volumes, history, genealogy, the planted problems and file safety. A 600-lot
 * plant is used for shape checks, a 3000-lot one where ratios and reject rates need numbers.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isAppError } from '../../../shared/errors.js'
import { SOURCE_INDEXES, SOURCE_TABLES, openSource, parseSourceSpec } from '../../../main/sources/index.js'
import { DEMO_GENERATOR_VERSION, DEMO_INFO_TABLE, generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { columnsOf, createLineage, groupRates, openDemo, scalar, tableHash, tablesOf } from './demo-queries.js'

const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/
const TIME_COLUMNS: Record<string, string[]> = {
  DW_MES_LOTWIPHISTORY: ['TRACKINTIMESTAMP', 'TRACKOUTTIMESTAMP'],
  DW_MES_LOTREJECTHISTORY: ['TXNDATE'],
  DW_MES_LOTMATERIALSHISTORY: ['TXNDATE'],
  DW_MES_HOLDRELEASEHISTORY: ['HOLDTXNDATE', 'RELEASETXNDATE'],
  DW_MES_JOB: ['CREATEDATE', 'COMPLETEDATE'],
  DW_MES_JOBTXNHISTORY: ['TXNDATE'],
  DW_MES_RESOURCESTATUS_SHIFT: ['TXNDATE'],
  DW_MES_PJ_COMBINEDASSYLOTS: ['ORIGINALSTARTDATE'],
}
const FACT_TABLES = [
  'DW_MES_CONTAINER', 'DW_MES_LOTWIPHISTORY', 'DW_MES_LOTREJECTHISTORY', 'DW_MES_LOTMATERIALSHISTORY',
  'DW_MES_HOLDRELEASEHISTORY', 'DW_MES_JOB', 'DW_MES_PJ_COMBINEDASSYLOTS', 'DW_MES_WIP',
]
const GUARD_ORDERS = "MFGORDERNAME LIKE 'GA____99__'"

let dir: string
let small: DemoSummary
let medium: DemoSummary
let smallDb: Database.Database
let mediumDb: Database.Database

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mes-demo-'))
  small = await generateDemoPlant({ out: join(dir, 'small.sqlite'), lots: 600 })
  medium = await generateDemoPlant({ out: join(dir, 'medium.sqlite'), lots: 3000, seed: 'medium' })
  smallDb = openDemo(small.out)
  mediumDb = openDemo(medium.out)
  createLineage(mediumDb)
})

afterAll(() => {
  smallDb?.close()
  mediumDb?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('generateDemoPlant', () => {
  describe('the file', () => {
    it('has every required and optional table of the contract with its columns, and every index', () => {
      for (const table of SOURCE_TABLES) expect(columnsOf(smallDb, table.name)).toEqual([...table.columns, ...(table.optionalColumns ?? [])])
      const indexes = (smallDb.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as { name: string }[]).map((i) => i.name)
      for (const statement of SOURCE_INDEXES) expect(indexes).toContain(/CREATE INDEX (\w+)/.exec(statement)![1])
      expect(tablesOf(smallDb)).toContain(DEMO_INFO_TABLE)
    })

    it('opens as a sqlite source with every optional table and no warning', async () => {
      const { source, schema } = await openSource(parseSourceSpec(small.out))
      try {
        expect(schema.missingRequired).toEqual([])
        expect(schema.warnings).toEqual([])
        expect([...schema.optionalTables].sort()).toEqual([
          'DW_MES_JOBTXNHISTORY', 'DW_MES_RESOURCE', 'DW_MES_RESOURCESTATUS_SHIFT', 'DW_MES_SPEC_WORKCENTER_V', 'DW_MES_WIP',
        ])
        const rows = await source.all('SELECT COUNT(*) AS N FROM DW_MES_CONTAINER', [])
        expect(Number(rows[0]!.N)).toBe(small.tables.DW_MES_CONTAINER)
      } finally {
        await source.close()
      }
    })

    it('records how it was made in MES_TRACE_DEMO_INFO', () => {
      const info = Object.fromEntries(
        (smallDb.prepare(`SELECT KEY, VALUE FROM ${DEMO_INFO_TABLE}`).all() as { KEY: string; VALUE: string }[]).map((r) => [r.KEY, r.VALUE]),
      )
      expect(info).toMatchObject({
        seed: 'mes-trace', lots: '600', start_date: '2026-09-02', end_date: '2026-10-31', generator_version: DEMO_GENERATOR_VERSION,
      })
      expect(JSON.parse(info.planted!)).toEqual(small.planted)
    })

    it('summarizes what it wrote: defaults, window and the true row counts', () => {
      expect(small).toMatchObject({ seed: 'mes-trace', lots: 600, startDate: '2026-09-02', endDate: '2026-10-31' })
      expect(Object.keys(small.tables).sort()).toEqual(SOURCE_TABLES.map((t) => t.name).sort())
      for (const [table, count] of Object.entries(small.tables)) expect(scalar(smallDb, `SELECT COUNT(*) FROM ${table}`)).toBe(count)
      expect(small.elapsedMs).toBeGreaterThan(0)
    })

    it('creates exactly the requested number of production lots', () => {
      const production = scalar(smallDb, `SELECT COUNT(*) FROM DW_MES_CONTAINER WHERE MFGORDERNAME IS NOT NULL AND NOT ${GUARD_ORDERS}`)
      expect(production).toBe(600)
    })

    it('uses 16-hex CIDs (mostly 4880…) and unique lot names', () => {
      const n = scalar(mediumDb, 'SELECT COUNT(*) FROM DW_MES_CONTAINER')
      expect(scalar(mediumDb, "SELECT COUNT(*) FROM DW_MES_CONTAINER WHERE CONTAINERID GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'")).toBe(n)
      expect(scalar(mediumDb, "SELECT COUNT(*) FROM DW_MES_CONTAINER WHERE CONTAINERID LIKE '4880%'") / n).toBeGreaterThan(0.6)
      expect(scalar(mediumDb, 'SELECT COUNT(DISTINCT CONTAINERNAME) FROM DW_MES_CONTAINER')).toBe(n)
      expect(scalar(mediumDb, "SELECT COUNT(*) FROM DW_MES_CONTAINER WHERE OBJECTTYPE <> 'LOT'")).toBe(0)
      expect(scalar(mediumDb, "SELECT COUNT(*) FROM DW_MES_JOB WHERE JOBID NOT GLOB '[0-9a-f]*' OR LENGTH(JOBID) <> 16")).toBe(0)
    })

    it('names lots <order>-A<nn>, split children <order>-A<nn>-<nnn>, orders GA/GC/GD + 8 digits', () => {
      const bad = scalar(
        mediumDb,
        `SELECT COUNT(*) FROM DW_MES_CONTAINER WHERE MFGORDERNAME IS NOT NULL AND NOT (
           MFGORDERNAME GLOB 'G[ACD][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
           AND (CONTAINERNAME GLOB MFGORDERNAME || '-[A-K][0-9][0-9]' OR CONTAINERNAME GLOB MFGORDERNAME || '-[A-K][0-9][0-9]-[0-9][0-9][0-9]'))`,
      )
      expect(bad).toBe(0)
      expect(scalar(mediumDb, `SELECT COUNT(*) FROM DW_MES_CONTAINER WHERE SPLITFROMID IS NOT NULL AND CONTAINERNAME NOT GLOB '*-[0-9][0-9][0-9]' AND NOT ${GUARD_ORDERS}`)).toBe(0)
      expect(scalar(mediumDb, "SELECT COUNT(DISTINCT MFGORDERNAME) FROM DW_MES_CONTAINER WHERE MFGORDERNAME LIKE 'GC%'")).toBeGreaterThan(0)
    })

    it('writes every time as YYYY-MM-DD HH:MM:SS inside the window', () => {
      for (const [table, columns] of Object.entries(TIME_COLUMNS)) {
        for (const column of columns) {
          const values = (mediumDb.prepare(`SELECT DISTINCT ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL`).all() as { v: string }[]).map((r) => r.v)
          expect(values.length, `${table}.${column}`).toBeGreaterThan(0)
          expect(values.every((v) => TIME.test(v)), `${table}.${column}`).toBe(true)
          expect(values.every((v) => v >= '2026-09-02 00:00:00' && v <= '2026-10-31 23:59:59'), `${table}.${column}`).toBe(true)
        }
      }
    })
  })

  describe('determinism', () => {
    it('gives identical table contents for the same options and different ones for another seed', async () => {
      const again = await generateDemoPlant({ out: join(dir, 'small-again.sqlite'), lots: 600 })
      const other = await generateDemoPlant({ out: join(dir, 'small-other.sqlite'), lots: 600, seed: 'another seed' })
      const againDb = openDemo(again.out)
      const otherDb = openDemo(other.out)
      try {
        for (const table of tablesOf(smallDb)) expect(tableHash(againDb, table), table).toBe(tableHash(smallDb, table))
        for (const table of FACT_TABLES) expect(tableHash(otherDb, table), table).not.toBe(tableHash(smallDb, table))
        expect(again.planted).toEqual(small.planted)
        expect(again.tables).toEqual(small.tables)
      } finally {
        againDb.close()
        otherDb.close()
      }
    })

    it('treats a numeric seed like its text', async () => {
      const numeric = await generateDemoPlant({ out: join(dir, 'numeric.sqlite'), lots: 100, seed: 42 })
      const text = await generateDemoPlant({ out: join(dir, 'text.sqlite'), lots: 100, seed: '42' })
      const a = openDemo(numeric.out)
      const b = openDemo(text.out)
      try {
        expect(numeric.seed).toBe('42')
        expect(tableHash(a, 'DW_MES_LOTWIPHISTORY')).toBe(tableHash(b, 'DW_MES_LOTWIPHISTORY'))
      } finally {
        a.close()
        b.close()
      }
    })
  })

  describe('volumes', () => {
    it('keeps the per-lot row ratios of the production plant (domain.md §10–11)', () => {
      const containers = medium.tables.DW_MES_CONTAINER!
      const per = (table: string): number => medium.tables[table]! / containers
      expect(per('DW_MES_LOTWIPHISTORY')).toBeGreaterThan(7)
      expect(per('DW_MES_LOTWIPHISTORY')).toBeLessThan(12)
      expect(per('DW_MES_LOTREJECTHISTORY')).toBeGreaterThan(2)
      expect(per('DW_MES_LOTREJECTHISTORY')).toBeLessThan(4.5)
      expect(per('DW_MES_LOTMATERIALSHISTORY')).toBeGreaterThan(2.5)
      expect(per('DW_MES_LOTMATERIALSHISTORY')).toBeLessThan(4.5)
      expect(per('DW_MES_HOLDRELEASEHISTORY')).toBeGreaterThan(0.03)
      expect(per('DW_MES_HOLDRELEASEHISTORY')).toBeLessThan(0.1)
      expect(per('DW_MES_JOB')).toBeGreaterThan(0.18)
      expect(per('DW_MES_JOB')).toBeLessThan(0.32)
      expect(per('DW_MES_PJ_COMBINEDASSYLOTS')).toBeGreaterThan(0.25)
      expect(per('DW_MES_PJ_COMBINEDASSYLOTS')).toBeLessThan(0.55)
      expect(medium.tables.DW_MES_WIP).toBe(containers)
      expect(scalar(mediumDb, 'SELECT COUNT(DISTINCT CONTAINERID) FROM DW_MES_WIP')).toBe(containers)
    })

    it('has ≈ 230 specs, ≈ 120 machines, 30–80 loss reasons with a few left empty', () => {
      expect(medium.tables.DW_MES_SPEC_WORKCENTER_V).toBeGreaterThanOrEqual(200)
      expect(medium.tables.DW_MES_SPEC_WORKCENTER_V).toBeLessThanOrEqual(260)
      expect(medium.tables.DW_MES_RESOURCE).toBeGreaterThanOrEqual(110)
      expect(medium.tables.DW_MES_RESOURCE).toBeLessThanOrEqual(140)
      const reasons = scalar(mediumDb, 'SELECT COUNT(DISTINCT LOSSREASONNAME) FROM DW_MES_LOTREJECTHISTORY')
      expect(reasons).toBeGreaterThanOrEqual(30)
      expect(reasons).toBeLessThanOrEqual(80)
      expect(scalar(mediumDb, 'SELECT COUNT(*) FROM DW_MES_LOTREJECTHISTORY WHERE LOSSREASONNAME IS NULL')).toBeGreaterThan(0)
    })

    it('gives work orders 10–150 lots and lots 5 000–500 000 units', () => {
      const sizes = (mediumDb.prepare(`SELECT COUNT(*) AS n FROM DW_MES_CONTAINER WHERE MFGORDERNAME LIKE 'GA%' AND NOT ${GUARD_ORDERS} GROUP BY MFGORDERNAME`).all() as { n: number }[]).map((r) => r.n)
      const inRange = sizes.filter((n) => n >= 10 && n <= 150).length
      expect(inRange / sizes.length).toBeGreaterThan(0.85)
      expect(scalar(mediumDb, "SELECT MIN(TRACKINQTY) FROM DW_MES_LOTWIPHISTORY WHERE CONTAINERID IN (SELECT CONTAINERID FROM DW_MES_CONTAINER WHERE MFGORDERNAME LIKE 'G%')")).toBeGreaterThan(0)
      const sessions = mediumDb.prepare('SELECT MAX(TRACKINQTY) AS q FROM DW_MES_LOTWIPHISTORY GROUP BY CONTAINERID, TRACKINTIMESTAMP').all() as { q: number }[]
      const typical = sessions.filter((s) => s.q >= 5000 && s.q <= 500_000).length
      expect(typical / sessions.length).toBeGreaterThan(0.97)
      expect(Math.max(...sessions.map((s) => s.q))).toBeLessThanOrEqual(1_000_000)
    })
  })

  describe('history', () => {
    it('has 2–4 partial track-outs on 5–15 % of steps, sharing one track-in with decreasing TRACKINQTY', () => {
      const steps = scalar(mediumDb, 'SELECT COUNT(*) FROM (SELECT DISTINCT CONTAINERID, WORKCENTERNAME, SPECNAME, TRACKINTIMESTAMP FROM DW_MES_LOTWIPHISTORY)')
      const partial = mediumDb
        .prepare(
          `SELECT CONTAINERID, SPECNAME, TRACKINTIMESTAMP, COUNT(*) AS n FROM DW_MES_LOTWIPHISTORY
           GROUP BY CONTAINERID, WORKCENTERNAME, SPECNAME, TRACKINTIMESTAMP HAVING COUNT(*) > 1`,
        )
        .all() as { CONTAINERID: string; SPECNAME: string; TRACKINTIMESTAMP: string; n: number }[]
      expect(partial.length / steps).toBeGreaterThan(0.05)
      expect(partial.length / steps).toBeLessThan(0.15)
      expect(partial.every((p) => p.n >= 2 && p.n <= 4)).toBe(true)
      const rows = mediumDb.prepare(
        `SELECT TRACKINQTY AS inQty, TRACKOUTQTY AS outQty, TRACKOUTTIMESTAMP AS outAt FROM DW_MES_LOTWIPHISTORY
         WHERE CONTAINERID = ? AND SPECNAME = ? AND TRACKINTIMESTAMP = ? ORDER BY TRACKOUTTIMESTAMP IS NULL, TRACKOUTTIMESTAMP`,
      )
      for (const p of partial.slice(0, 200)) {
        const parts = rows.all(p.CONTAINERID, p.SPECNAME, p.TRACKINTIMESTAMP) as { inQty: number; outQty: number | null; outAt: string | null }[]
        for (let i = 1; i < parts.length; i++) {
          expect(parts[i]!.inQty).toBeLessThan(parts[i - 1]!.inQty)
          // What a partial track-out takes away is what the next one finds remaining.
          expect(parts[i]!.inQty).toBe(parts[i - 1]!.inQty - parts[i - 1]!.outQty!)
          if (parts[i]!.outAt !== null) expect(parts[i]!.outAt! >= parts[i - 1]!.outAt!).toBe(true)
        }
      }
    })

    it('visits the station groups in process order with increasing times', () => {
      const rows = mediumDb
        .prepare(
          `SELECT CONTAINERID AS cid, station_group(WORKCENTERNAME) AS grp, TRACKINTIMESTAMP AS tin, TRACKOUTTIMESTAMP AS tout
           FROM DW_MES_LOTWIPHISTORY ORDER BY CONTAINERID, TRACKINTIMESTAMP, TRACKOUTTIMESTAMP`,
        )
        .all() as { cid: string; grp: string | null; tin: string; tout: string | null }[]
      const order = ['切割', '焊接_DB', '焊接_WB', '焊接_DW', '成型', '去膠', '水吹砂', '電鍍', '移印', '切彎腳', '元件切割', '測試']
      let outOfOrder = 0
      let last = { cid: '', rank: -1 }
      for (const r of rows) {
        if (r.tout !== null) expect(r.tout >= r.tin).toBe(true)
        if (r.grp === null) continue
        const rank = order.indexOf(r.grp)
        if (r.cid === last.cid && rank < last.rank) outOfOrder++
        last = { cid: r.cid, rank }
      }
      expect(outOfOrder).toBe(0)
      const visited = new Set(rows.map((r) => r.grp))
      for (const group of order) expect(visited).toContain(group)
    })

    it('ties every step to a machine of its workcenter, except a few checkpoints and never at final test', () => {
      const total = medium.tables.DW_MES_LOTWIPHISTORY!
      const noMachine = scalar(mediumDb, 'SELECT COUNT(*) FROM DW_MES_LOTWIPHISTORY WHERE EQUIPMENTID IS NULL')
      expect(noMachine).toBeGreaterThan(0)
      expect(noMachine / total).toBeLessThan(0.15)
      expect(scalar(mediumDb, "SELECT COUNT(*) FROM DW_MES_LOTWIPHISTORY WHERE EQUIPMENTID IS NULL AND WORKCENTERNAME = 'TMTT'")).toBe(0)
      expect(
        scalar(
          mediumDb,
          `SELECT COUNT(*) FROM DW_MES_LOTWIPHISTORY h LEFT JOIN DW_MES_RESOURCE r ON r.RESOURCEID = h.EQUIPMENTID
           WHERE h.EQUIPMENTID IS NOT NULL AND (r.RESOURCENAME IS NOT h.EQUIPMENTNAME OR r.WORKCENTERNAME IS NOT h.WORKCENTERNAME)`,
        ),
      ).toBe(0)
    })

    it('uses specs of the spec view, under the same workcenter', () => {
      for (const table of ['DW_MES_LOTWIPHISTORY', 'DW_MES_LOTREJECTHISTORY', 'DW_MES_LOTMATERIALSHISTORY']) {
        const missing = scalar(
          mediumDb,
          `SELECT COUNT(*) FROM (SELECT DISTINCT SPECNAME, WORKCENTERNAME FROM ${table}) t
           WHERE NOT EXISTS (SELECT 1 FROM DW_MES_SPEC_WORKCENTER_V v WHERE v.SPEC = t.SPECNAME AND v.WORK_CENTER = t.WORKCENTERNAME)`,
        )
        expect(missing, table).toBe(0)
      }
    })

    it('maps every WORKCENTERNAME to its intended station group (none for 點測, 包裝, 入庫)', () => {
      const intended: Record<string, string | null> = {
        點測: null, 切割: '切割', 焊_DB_料: '焊接_DB', 焊接_DB: '焊接_DB', 焊_WB_料: '焊接_WB', 焊接_WB: '焊接_WB',
        焊接_DW: '焊接_DW', 成型_料: '成型', 成型: '成型', 去膠: '去膠', 水吹砂: '水吹砂', 條鍍: '電鍍', 掛鍍: '電鍍',
        滾鍍: '電鍍', 電鍍: '電鍍', 移印: '移印', 切彎腳: '切彎腳', PKG_SAW: '元件切割', TMTT: '測試', 包裝: null, 入庫: null,
      }
      const names = mediumDb
        .prepare(
          `SELECT WORKCENTERNAME AS wc, station_group(WORKCENTERNAME) AS grp FROM (
             SELECT WORKCENTERNAME FROM DW_MES_LOTWIPHISTORY UNION SELECT WORKCENTERNAME FROM DW_MES_LOTREJECTHISTORY
             UNION SELECT WORKCENTERNAME FROM DW_MES_LOTMATERIALSHISTORY UNION SELECT WORKCENTERNAME FROM DW_MES_HOLDRELEASEHISTORY
             UNION SELECT WORKCENTERNAME FROM DW_MES_RESOURCE UNION SELECT WORK_CENTER FROM DW_MES_SPEC_WORKCENTER_V)`,
        )
        .all() as { wc: string; grp: string | null }[]
      expect(names.map((n) => n.wc).sort()).toEqual(Object.keys(intended).sort())
      for (const { wc, grp } of names) expect(grp, wc).toBe(intended[wc])
    })

    it('books rejects inside their step, mostly as REJECTQTY, several reasons sharing one main line', () => {
      const outside = scalar(
        mediumDb,
        `SELECT COUNT(*) FROM DW_MES_LOTREJECTHISTORY r WHERE NOT EXISTS (
           SELECT 1 FROM DW_MES_LOTWIPHISTORY h WHERE h.CONTAINERID = r.CONTAINERID AND h.SPECNAME = r.SPECNAME
           AND r.TXNDATE BETWEEN h.TRACKINTIMESTAMP AND h.TRACKOUTTIMESTAMP)`,
      )
      expect(outside).toBe(0)
      const total = medium.tables.DW_MES_LOTREJECTHISTORY!
      expect(scalar(mediumDb, 'SELECT COUNT(*) FROM DW_MES_LOTREJECTHISTORY WHERE REJECTQTY > 0') / total).toBeGreaterThan(0.85)
      expect(scalar(mediumDb, 'SELECT COUNT(*) FROM DW_MES_LOTREJECTHISTORY WHERE STANDBYQTY + QTYTOPROCESS + INPROCESSQTY + PROCESSEDQTY > 0')).toBeGreaterThan(0)
      expect(scalar(mediumDb, 'SELECT COUNT(*) FROM DW_MES_LOTREJECTHISTORY WHERE DEFECTQTY > 0')).toBeGreaterThan(0)
      const multi = scalar(mediumDb, 'SELECT COUNT(*) FROM (SELECT HISTORYMAINLINEID FROM DW_MES_LOTREJECTHISTORY GROUP BY 1 HAVING COUNT(*) > 1)')
      expect(multi).toBeGreaterThan(0)
    })

    it('has holds lasting hours to days, some still open, some with an NCR', () => {
      const holds = mediumDb.prepare('SELECT HOLDTXNDATE AS h, RELEASETXNDATE AS r, NCRID AS ncr FROM DW_MES_HOLDRELEASEHISTORY').all() as { h: string; r: string | null; ncr: string | null }[]
      const hours = holds.filter((x) => x.r !== null).map((x) => (Date.parse(`${x.r}Z`) - Date.parse(`${x.h}Z`)) / 3_600_000)
      expect(Math.min(...hours)).toBeGreaterThanOrEqual(0.5)
      expect(Math.max(...hours)).toBeGreaterThan(48)
      expect(holds.some((x) => x.r === null)).toBe(true)
      expect(holds.some((x) => x.ncr !== null)).toBe(true)
    })

    it('has machine jobs, some open, a minority listing affected lots that ran on that machine', () => {
      const jobs = mediumDb.prepare('SELECT RESOURCEID, CONTAINERIDS, CONTAINERNAMES, COMPLETEDATE FROM DW_MES_JOB').all() as { RESOURCEID: string; CONTAINERIDS: string | null; CONTAINERNAMES: string | null; COMPLETEDATE: string | null }[]
      const listing = jobs.filter((j) => j.CONTAINERIDS !== null)
      expect(listing.length).toBeGreaterThan(0)
      expect(listing.length / jobs.length).toBeLessThan(0.5)
      expect(jobs.some((j) => j.COMPLETEDATE === null)).toBe(true)
      const ranOn = mediumDb.prepare('SELECT COUNT(*) FROM DW_MES_LOTWIPHISTORY WHERE CONTAINERID = ? AND EQUIPMENTID = ?').pluck()
      const nameOf = mediumDb.prepare('SELECT CONTAINERNAME FROM DW_MES_CONTAINER WHERE CONTAINERID = ?').pluck()
      for (const job of listing) {
        expect(job.CONTAINERIDS!.length).toBeLessThanOrEqual(2000)
        const ids = job.CONTAINERIDS!.split(',')
        expect(job.CONTAINERNAMES!.split(',')).toEqual(ids.map((id) => nameOf.get(id)))
        for (const id of ids) expect(ranOn.get(id, job.RESOURCEID)).toBeGreaterThan(0)
      }
    })
  })

  describe('genealogy', () => {
    it('points every split, rework and wafer-origin link at an existing container', () => {
      expect(scalar(mediumDb, 'SELECT COUNT(*) FROM DW_MES_CONTAINER c WHERE SPLITFROMID IS NOT NULL AND NOT EXISTS (SELECT 1 FROM DW_MES_CONTAINER p WHERE p.CONTAINERID = c.SPLITFROMID)')).toBe(0)
      expect(scalar(mediumDb, 'SELECT COUNT(*) FROM DW_MES_CONTAINER c WHERE ORIGINALCONTAINERID IS NOT NULL AND NOT EXISTS (SELECT 1 FROM DW_MES_CONTAINER p WHERE p.CONTAINERID = c.ORIGINALCONTAINERID)')).toBe(0)
      const unresolved = scalar(
        mediumDb,
        `SELECT COUNT(*) FROM DW_MES_CONTAINER c WHERE c.MFGORDERNAME IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM DW_MES_CONTAINER w WHERE w.CONTAINERNAME = c.FIRSTNAME AND w.OBJECTTYPE = 'LOT' AND w.MFGORDERNAME IS NULL)`,
      )
      expect(unresolved).toBe(0)
    })

    it('has wafer lots that each feed several GA lots, some also GC lots', () => {
      const perWafer = scalar(mediumDb, "SELECT AVG(n) FROM (SELECT COUNT(*) AS n FROM DW_MES_CONTAINER WHERE MFGORDERNAME LIKE 'GA%' AND SPLITFROMID IS NULL AND NOT " + GUARD_ORDERS + ' GROUP BY FIRSTNAME)')
      expect(perWafer).toBeGreaterThanOrEqual(2)
      expect(scalar(mediumDb, "SELECT COUNT(*) FROM (SELECT FIRSTNAME FROM DW_MES_CONTAINER WHERE MFGORDERNAME LIKE 'GA%' INTERSECT SELECT FIRSTNAME FROM DW_MES_CONTAINER WHERE MFGORDERNAME LIKE 'GC%')")).toBeGreaterThan(0)
    })

    it('has 1–3 % GD rework lots re-running late stations of an existing lot', () => {
      const lots = medium.lots
      const gd = mediumDb.prepare("SELECT CONTAINERID, CONTAINERNAME, MFGORDERNAME, ORIGINALCONTAINERID FROM DW_MES_CONTAINER WHERE MFGORDERNAME LIKE 'GD%'").all() as { CONTAINERID: string; CONTAINERNAME: string; MFGORDERNAME: string; ORIGINALCONTAINERID: string | null }[]
      expect(gd.length / lots).toBeGreaterThan(0.005)
      expect(gd.length / lots).toBeLessThan(0.03)
      for (const lot of gd) {
        expect(lot.CONTAINERNAME.startsWith(`${lot.MFGORDERNAME}-`)).toBe(true)
        expect(lot.ORIGINALCONTAINERID).not.toBeNull()
      }
      expect(scalar(mediumDb, "SELECT COUNT(*) FROM DW_MES_LOTWIPHISTORY h JOIN DW_MES_CONTAINER c USING (CONTAINERID) WHERE c.MFGORDERNAME LIKE 'GD%' AND h.WORKCENTERNAME = 'TMTT'")).toBeGreaterThan(0)
      expect(scalar(mediumDb, "SELECT COUNT(*) FROM DW_MES_LOTWIPHISTORY h JOIN DW_MES_CONTAINER c USING (CONTAINERID) WHERE c.MFGORDERNAME LIKE 'GD%' AND station_group(h.WORKCENTERNAME) NOT IN ('移印', '測試')")).toBe(0)
    })

    it('keeps most lots within two split levels', () => {
      const depths = mediumDb
        .prepare(
          `WITH RECURSIVE d(cid, depth) AS (
             SELECT CONTAINERID, 0 FROM DW_MES_CONTAINER WHERE SPLITFROMID IS NULL
             UNION ALL SELECT c.CONTAINERID, d.depth + 1 FROM d JOIN DW_MES_CONTAINER c ON c.SPLITFROMID = d.cid WHERE d.depth < 30)
           SELECT depth, COUNT(*) AS n FROM d GROUP BY depth`,
        )
        .all() as { depth: number; n: number }[]
      const total = depths.reduce((s, d) => s + d.n, 0)
      const shallow = depths.filter((d) => d.depth <= 2).reduce((s, d) => s + d.n, 0)
      expect(shallow / total).toBeGreaterThan(0.95)
      expect(depths.find((d) => d.depth === 1)!.n).toBeGreaterThan(0)
    })

    it('combines 2–5 finished source lots into one resulting lot per serial', () => {
      expect(scalar(mediumDb, 'SELECT COUNT(*) FROM DW_MES_PJ_COMBINEDASSYLOTS m WHERE NOT EXISTS (SELECT 1 FROM DW_MES_CONTAINER c WHERE c.CONTAINERID = m.CONTAINERID AND c.CONTAINERNAME = m.CONTAINERNAME)')).toBe(0)
      expect(scalar(mediumDb, 'SELECT COUNT(*) FROM DW_MES_PJ_COMBINEDASSYLOTS m WHERE NOT EXISTS (SELECT 1 FROM DW_MES_CONTAINER c WHERE c.CONTAINERID = m.LOTID)')).toBe(0)
      const serials = mediumDb.prepare('SELECT FINISHEDNAME, COUNT(*) AS n, COUNT(DISTINCT LOTID) AS targets, SUM(PJ_COMBINEDRATIO) AS ratio FROM DW_MES_PJ_COMBINEDASSYLOTS GROUP BY FINISHEDNAME').all() as { FINISHEDNAME: string; n: number; targets: number; ratio: number }[]
      for (const s of serials) {
        expect(s.FINISHEDNAME).toMatch(/^PSN\d{10}$/)
        expect(s.n).toBeGreaterThanOrEqual(2)
        expect(s.n).toBeLessThanOrEqual(5)
        expect(s.targets).toBe(1)
        expect(Math.abs(s.ratio - 1)).toBeLessThan(0.001)
      }
      // Lots are combined after final test (every source was tested) or at it (no source was
      // tested; the combined lot is, unless the window ended first).
      const kinds = mediumDb
        .prepare(
          `SELECT COUNT(*) AS sources,
                  SUM(EXISTS (SELECT 1 FROM DW_MES_LOTWIPHISTORY h WHERE h.CONTAINERID = m.CONTAINERID AND h.WORKCENTERNAME = 'TMTT')) AS testedSources,
                  EXISTS (SELECT 1 FROM DW_MES_LOTWIPHISTORY h WHERE h.CONTAINERID = m.LOTID AND h.WORKCENTERNAME = 'TMTT') AS testedTarget
           FROM DW_MES_PJ_COMBINEDASSYLOTS m GROUP BY FINISHEDNAME, LOTID`,
        )
        .all() as { sources: number; testedSources: number; testedTarget: number }[]
      const after = kinds.filter((k) => k.testedSources === k.sources)
      const at = kinds.filter((k) => k.testedSources === 0)
      expect(after.length + at.length).toBe(kinds.length)
      expect(after.every((k) => k.testedTarget === 0)).toBe(true)
      expect(at.filter((k) => k.testedTarget === 1).length).toBeGreaterThan(at.length * 0.8)
      expect(after.length).toBeGreaterThan(kinds.length / 2)
    })

    it('grows the final-test population by ≈ 1.6 CIDs per lot through backward lineage (domain.md §11.3)', () => {
      // Seeds: every lot tracked in at final test. Ancestors: split parents, sources of combined
      // lots, rework sources and the wafer-lot containers, as the backward genealogy collects them.
      const fanOut = mediumDb
        .prepare(
          `WITH RECURSIVE seeds(cid) AS (SELECT DISTINCT CONTAINERID FROM DW_MES_LOTWIPHISTORY WHERE WORKCENTERNAME = 'TMTT' AND EQUIPMENTID IS NOT NULL),
           up(cid, depth) AS (SELECT cid, 0 FROM seeds
             UNION SELECT c.SPLITFROMID, up.depth + 1 FROM up JOIN DW_MES_CONTAINER c ON c.CONTAINERID = up.cid
               WHERE c.SPLITFROMID IS NOT NULL AND up.depth < 20
             UNION SELECT c.ORIGINALCONTAINERID, up.depth + 1 FROM up JOIN DW_MES_CONTAINER c ON c.CONTAINERID = up.cid
               WHERE c.ORIGINALCONTAINERID IS NOT NULL AND up.depth < 20
             UNION SELECT m.CONTAINERID, up.depth + 1 FROM up JOIN DW_MES_PJ_COMBINEDASSYLOTS m ON m.LOTID = up.cid WHERE up.depth < 20),
           wafers(cid) AS (SELECT w.CONTAINERID FROM up JOIN DW_MES_CONTAINER c ON c.CONTAINERID = up.cid
             JOIN DW_MES_CONTAINER w ON w.CONTAINERNAME = c.FIRSTNAME AND w.CONTAINERID <> c.CONTAINERID),
           lineage(cid) AS (SELECT cid FROM up UNION SELECT cid FROM wafers)
           SELECT (SELECT COUNT(*) FROM lineage) * 1.0 / (SELECT COUNT(*) FROM seeds)`,
        )
        .pluck()
        .get() as number
      expect(fanOut).toBeGreaterThan(1.45)
      expect(fanOut).toBeLessThan(1.9)
    })
  })

  describe('guard cases', () => {
    it('has a split cycle, a self-reference and a chain deeper than 20, each with history', () => {
      const { split_cycle: cycle, self_reference: self, deep_chain: chain } = small.planted.guards
      const parentOf = smallDb.prepare('SELECT SPLITFROMID FROM DW_MES_CONTAINER WHERE CONTAINERID = ?').pluck()
      const nameOf = smallDb.prepare('SELECT CONTAINERNAME FROM DW_MES_CONTAINER WHERE CONTAINERID = ?').pluck()
      const history = smallDb.prepare('SELECT COUNT(*) FROM DW_MES_LOTWIPHISTORY WHERE CONTAINERID = ?').pluck()
      const [l5, p1, p2] = cycle.cids as [string, string, string]
      expect([parentOf.get(l5), parentOf.get(p1), parentOf.get(p2)]).toEqual([p1, p2, p1])
      expect(cycle.cids.map((c) => nameOf.get(c))).toEqual(cycle.names)
      expect(parentOf.get(self.cid)).toBe(self.cid)
      let depth = 0
      for (let cid: unknown = chain.leaf_cid; cid !== chain.root_cid; cid = parentOf.get(cid)) {
        expect(cid).toBeTruthy()
        depth++
      }
      expect(depth).toBe(chain.depth)
      expect(depth).toBeGreaterThan(20)
      expect(parentOf.get(chain.root_cid)).toBeNull()
      for (const cid of [...cycle.cids, self.cid, chain.root_cid, chain.leaf_cid]) expect(history.get(cid)).toBeGreaterThan(0)
    })
  })

  describe('planted problems', () => {
    it('makes lots of the bad wire bonder fail final test far more often from from_date on', () => {
      const { equipment_name: name, equipment_id: id, from_date: from, loss_reason: reason } = medium.planted.bad_machine
      expect(scalar(mediumDb, "SELECT COUNT(*) FROM DW_MES_RESOURCE WHERE RESOURCEID = ? AND RESOURCENAME = ? AND WORKCENTERNAME = '焊接_WB'", id, name)).toBe(1)
      const rates = groupRates(
        mediumDb, '測試',
        `SELECT l.cid FROM lineage l JOIN DW_MES_LOTWIPHISTORY h ON h.CONTAINERID = l.anc
         WHERE h.EQUIPMENTID = ? AND h.TRACKINTIMESTAMP >= ?`,
        id, `${from} 00:00:00`,
      )
      expect(rates.flaggedLots).toBeGreaterThanOrEqual(20)
      expect(rates.flaggedRate).toBeGreaterThanOrEqual(2 * rates.restRate)
      // Before from_date the same machine is as good as the rest.
      const before = groupRates(
        mediumDb, '測試',
        `SELECT l.cid FROM lineage l JOIN DW_MES_LOTWIPHISTORY h ON h.CONTAINERID = l.anc
         WHERE h.EQUIPMENTID = ? AND h.TRACKINTIMESTAMP < ?
         EXCEPT SELECT l.cid FROM lineage l JOIN DW_MES_LOTWIPHISTORY h ON h.CONTAINERID = l.anc WHERE h.EQUIPMENTID = ? AND h.TRACKINTIMESTAMP >= ?`,
        id, `${from} 00:00:00`, id, `${from} 00:00:00`,
      )
      expect(before.flaggedRate).toBeLessThan(1.6 * before.restRate)
      expect(scalar(mediumDb, "SELECT COUNT(*) FROM DW_MES_LOTREJECTHISTORY WHERE WORKCENTERNAME = 'TMTT' AND LOSSREASONNAME = ?", reason)).toBeGreaterThan(0)
      expect(medium.planted.bad_machine.affected_lots).toBeGreaterThanOrEqual(20)
    })

    it('makes lots of the bad material lot fail final test far more often', () => {
      const { material_part_name: part, material_lot_name: lot } = medium.planted.bad_material_lot
      expect(scalar(mediumDb, "SELECT COUNT(*) FROM DW_MES_LOTMATERIALSHISTORY WHERE MATERIALPARTNAME = ? AND MATERIALLOTNAME = ? AND station_group(WORKCENTERNAME) = '成型'", part, lot)).toBeGreaterThan(0)
      const rates = groupRates(
        mediumDb, '測試',
        'SELECT l.cid FROM lineage l JOIN DW_MES_LOTMATERIALSHISTORY m ON m.CONTAINERID = l.anc WHERE m.MATERIALLOTNAME = ?',
        lot,
      )
      expect(rates.flaggedLots).toBeGreaterThanOrEqual(10)
      expect(rates.flaggedRate).toBeGreaterThanOrEqual(2 * rates.restRate)
    })

    it('makes lots rejected for the planted reason at 成型, and their split children, reject more downstream', () => {
      const { loss_reason: reason, downstream_stations: stations } = medium.planted.downstream_effect
      expect(stations).toEqual(['電鍍', '測試'])
      const marked = `SELECT l.cid FROM lineage l JOIN DW_MES_LOTREJECTHISTORY r ON r.CONTAINERID = l.anc
                      WHERE station_group(r.WORKCENTERNAME) = '成型' AND r.LOSSREASONNAME = ?`
      const children = `${marked} AND l.cid <> l.anc`
      expect(scalar(mediumDb, `SELECT COUNT(*) FROM (${children})`, reason)).toBeGreaterThan(0)
      for (const station of stations) {
        const all = groupRates(mediumDb, station, marked, reason)
        expect(all.flaggedRate, station).toBeGreaterThanOrEqual(2 * all.restRate)
        const childRates = groupRates(mediumDb, station, children, reason)
        expect(childRates.flaggedLots, station).toBeGreaterThan(5)
        expect(childRates.flaggedRate, station).toBeGreaterThanOrEqual(2 * childRates.restRate)
      }
    })

    it('names samples that exist and have a genealogy worth tracing', () => {
      const s = medium.planted.samples
      expect(s.lot_ids).toHaveLength(5)
      expect(s.work_orders).toHaveLength(2)
      expect(s.wafer_lots).toHaveLength(2)
      expect(s.serials).toHaveLength(3)
      expect(s.gd_work_orders).toHaveLength(1)
      expect(s.gd_lot_ids).toHaveLength(1)
      for (const name of s.lot_ids) {
        const cid = mediumDb.prepare('SELECT CONTAINERID FROM DW_MES_CONTAINER WHERE CONTAINERNAME = ?').pluck().get(name) as string
        expect(cid, name).toBeTruthy()
        const family = `SELECT cid FROM lineage WHERE anc IN (SELECT anc FROM lineage WHERE cid = '${cid}')`
        expect(scalar(mediumDb, `SELECT COUNT(*) FROM (${family})`), name).toBeGreaterThan(1)
        expect(scalar(mediumDb, `SELECT COUNT(*) FROM DW_MES_PJ_COMBINEDASSYLOTS WHERE CONTAINERID IN (${family})`), name).toBeGreaterThan(0)
      }
      for (const order of s.work_orders) {
        expect(order.startsWith('GA')).toBe(true)
        expect(scalar(mediumDb, 'SELECT COUNT(*) FROM DW_MES_CONTAINER WHERE MFGORDERNAME = ? AND SPLITFROMID IS NOT NULL', order)).toBeGreaterThan(0)
        expect(scalar(mediumDb, 'SELECT COUNT(*) FROM DW_MES_PJ_COMBINEDASSYLOTS WHERE PJ_WORKORDER = ?', order)).toBeGreaterThan(0)
      }
      for (const wafer of s.wafer_lots) expect(scalar(mediumDb, "SELECT COUNT(*) FROM DW_MES_CONTAINER WHERE FIRSTNAME = ? AND MFGORDERNAME LIKE 'GA%'", wafer)).toBeGreaterThanOrEqual(2)
      for (const serial of s.serials) expect(scalar(mediumDb, 'SELECT COUNT(*) FROM DW_MES_PJ_COMBINEDASSYLOTS WHERE FINISHEDNAME = ?', serial)).toBeGreaterThanOrEqual(2)
      expect(scalar(mediumDb, 'SELECT COUNT(*) FROM DW_MES_CONTAINER WHERE MFGORDERNAME = ? AND CONTAINERNAME = ?', s.gd_work_orders[0], s.gd_lot_ids[0])).toBe(1)
      // The first sample leads to the bad wire bonder.
      const first = mediumDb.prepare('SELECT CONTAINERID FROM DW_MES_CONTAINER WHERE CONTAINERNAME = ?').pluck().get(s.lot_ids[0]) as string
      expect(scalar(mediumDb, `SELECT COUNT(*) FROM lineage l JOIN DW_MES_LOTWIPHISTORY h ON h.CONTAINERID = l.cid WHERE l.anc = ? AND h.EQUIPMENTID = ?`, first, medium.planted.bad_machine.equipment_id)).toBeGreaterThan(0)
    })
  })

  describe('file safety', () => {
    it('refuses to overwrite an existing file unless asked to, naming the path', async () => {
      const out = join(dir, 'existing.sqlite')
      writeFileSync(out, 'precious')
      const error: unknown = await generateDemoPlant({ out, lots: 100 }).catch((e: unknown) => e)
      expect(isAppError(error, 'storage/write-failed')).toBe(true)
      expect((error as Error).message).toContain(out)
      expect(readFileSync(out, 'utf8')).toBe('precious')
      const summary = await generateDemoPlant({ out, lots: 100, overwrite: true })
      expect(summary.out).toBe(out)
      expect(statSync(out).size).toBeGreaterThan(100_000)
      const db = openDemo(out)
      try {
        expect(scalar(db, 'SELECT COUNT(*) FROM DW_MES_CONTAINER')).toBe(summary.tables.DW_MES_CONTAINER)
      } finally {
        db.close()
      }
    })

    it('leaves no file at all when generation fails midway', async () => {
      const failDir = mkdtempSync(join(dir, 'fail-'))
      const out = join(failDir, 'broken.sqlite')
      const messages: string[] = []
      const error: unknown = await generateDemoPlant({
        out,
        lots: 12_000,
        onProgress: (m) => {
          messages.push(m)
          if (m.startsWith('Lots')) throw new Error('disk full (simulated)')
        },
      }).catch((e: unknown) => e)
      expect((error as Error).message).toBe('disk full (simulated)')
      expect(messages).toHaveLength(1)
      expect(existsSync(out)).toBe(false)
      expect(readdirSync(failDir)).toEqual([])
    })

    it('rejects bad options with input/invalid naming the field, writing nothing', async () => {
      const out = join(dir, 'never.sqlite')
      const cases: [Record<string, unknown>, string][] = [
        [{ lots: 10 }, 'lots'],
        [{ lots: 100.5 }, 'lots'],
        [{ endDate: '2026-02-30' }, 'endDate'],
        [{ days: 0 }, 'days'],
        [{ seed: '  ' }, 'seed'],
        [{ out: '' }, 'out'],
      ]
      for (const [options, field] of cases) {
        const error: unknown = await generateDemoPlant({ out, ...options }).catch((e: unknown) => e)
        expect(isAppError(error, 'input/invalid'), field).toBe(true)
        expect((error as { details?: { field?: string } }).details?.field).toBe(field)
      }
      expect(existsSync(out)).toBe(false)
    })
  })
})
