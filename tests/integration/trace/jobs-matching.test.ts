/**
 * The repair-job matching of the `jobs` domain (original-ui.md §3.1, docs/fidelity.md §5) against
 * independent SQL on the demo plant: the (job, lot) pairs of every machine window (the lot's
 * machine, the job overlapping the lot's session on it by §3.1's three conditions, a session
 * without any track-out ending never) and of every container list, each pair once with its label. Checked through a
 * batch statement, through the table scan with its machine-window reads, through the Oracle
 * dialect (a recording source that checks each statement and answers from SQLite) and, where
 * MES_TRACE_PG_TEST_URL names a server, through PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { openSqliteSource, type MesSource } from '../../../main/sources/index.js'
import { fetchEvents } from '../../../main/trace/index.js'
import { MATCHED_BY_BOTH, MATCHED_BY_LIST, MATCHED_BY_WINDOW } from '../../../main/trace/jobs-matching.js'
import type { EventRow } from '../../../shared/trace.js'
import { recordingOracleSource, type RecordedStatement } from '../../fixtures/oracle-recording.js'
import { postgresCopyOf, type PostgresCopy } from '../../fixtures/pg-schema.js'

const pgUrl = process.env.MES_TRACE_PG_TEST_URL

/**
 * The independent reading of §3.1, per machine session (lot, machine, track-in) from its track-in
 * to its last track-out, or never ending when no part of it has one; `BETWEEN` for "in the window".
 */
const WINDOW_PAIRS_SQL = `
WITH sel(cid) AS (SELECT value FROM json_each(?)),
sessions AS (
  SELECT h.CONTAINERID AS cid, h.EQUIPMENTID AS machine, h.TRACKINTIMESTAMP AS s,
    CASE WHEN COUNT(h.TRACKOUTTIMESTAMP) = 0 THEN '9999-12-31 23:59:59' ELSE MAX(h.TRACKOUTTIMESTAMP) END AS e
  FROM DW_MES_LOTWIPHISTORY h JOIN sel ON sel.cid = h.CONTAINERID
  WHERE h.EQUIPMENTID IS NOT NULL AND h.TRACKINTIMESTAMP IS NOT NULL
  GROUP BY h.CONTAINERID, h.EQUIPMENTID, h.TRACKINTIMESTAMP)
SELECT DISTINCT j.JOBID AS job, x.cid AS cid
FROM sessions x
JOIN DW_MES_JOB j ON j.RESOURCEID = x.machine
WHERE j.CREATEDATE BETWEEN x.s AND x.e
  OR j.COMPLETEDATE BETWEEN x.s AND x.e
  OR (j.CREATEDATE <= x.s AND (j.COMPLETEDATE IS NULL OR j.COMPLETEDATE >= x.e))`

/** Exact membership in the comma list, spaces ignored (`instr`, not the case-blind `LIKE`). */
const LIST_PAIRS_SQL = `
WITH sel(cid) AS (SELECT value FROM json_each(?))
SELECT DISTINCT j.JOBID AS job, sel.cid AS cid
FROM DW_MES_JOB j
JOIN sel ON instr(',' || REPLACE(j.CONTAINERIDS, ' ', '') || ',', ',' || sel.cid || ',') > 0`

const pairKey = (job: unknown, cid: unknown): string => `${String(job)}|${String(cid)}`

/** pair → label, as the independent SQL says. */
function expectedLabels(db: Database.Database, cids: readonly string[]): Map<string, string> {
  const pairs = (sql: string) =>
    new Set((db.prepare(sql).all(JSON.stringify(cids)) as { job: string; cid: string }[]).map((r) => pairKey(r.job, r.cid)))
  const window = pairs(WINDOW_PAIRS_SQL)
  const list = pairs(LIST_PAIRS_SQL)
  const labels = new Map<string, string>()
  for (const key of window) labels.set(key, list.has(key) ? MATCHED_BY_BOTH : MATCHED_BY_WINDOW)
  for (const key of list) if (!window.has(key)) labels.set(key, MATCHED_BY_LIST)
  return labels
}

async function jobRows(source: MesSource, cids: readonly string[], batchSize?: number): Promise<EventRow[]> {
  const rows: EventRow[] = []
  const result = await fetchEvents({
    source,
    cids,
    domains: ['jobs'],
    ...(batchSize !== undefined ? { batchSize } : {}),
    onBatch: (b) => void rows.push(...b.rows),
  })
  expect(result.domains.jobs?.status).toBe('complete')
  return rows
}

/** pair → label of the domain's rows; fails on a pair emitted twice. */
function labelsOf(rows: readonly EventRow[]): Map<string, string> {
  const labels = new Map<string, string>()
  for (const row of rows) {
    const key = pairKey(row.JOBID, row.CONTAINERID)
    expect(labels.has(key), `pair ${key} emitted twice`).toBe(false)
    labels.set(key, String(row.MATCHED_BY))
  }
  return labels
}

function countByLabel(labels: ReadonlyMap<string, string>): Record<string, number> {
  const counts: Record<string, number> = { [MATCHED_BY_WINDOW]: 0, [MATCHED_BY_LIST]: 0, [MATCHED_BY_BOTH]: 0 }
  for (const label of labels.values()) counts[label] = (counts[label] ?? 0) + 1
  return counts
}

const sortedJson = (rows: readonly EventRow[]): string[] => rows.map((r) => JSON.stringify(r)).sort()

describe('jobs matched by machine window and by container list, against independent SQL on the demo plant', () => {
  let dir: string
  let plant: DemoSummary
  let sqlite: MesSource
  let db: Database.Database
  /** 350 lots: one batch statement on SQLite (400 LIKE terms). */
  let some: string[]
  /** Every lot with history: the table scan with its machine-window reads. */
  let all: string[]

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-jobs-'))
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 3000, seed: 'jobs-matching' })
    sqlite = await openSqliteSource(plant.out)
    db = new Database(plant.out, { readonly: true })
    all = (db.prepare('SELECT DISTINCT CONTAINERID AS cid FROM DW_MES_LOTWIPHISTORY ORDER BY CONTAINERID').all() as { cid: string }[]).map((r) => r.cid)
    // Every 3rd lot, plus lots some job lists, so that all three labels occur.
    const listed = (db.prepare("SELECT CONTAINERIDS AS ids FROM DW_MES_JOB WHERE CONTAINERIDS IS NOT NULL ORDER BY JOBID LIMIT 60").all() as { ids: string }[])
      .flatMap((r) => r.ids.split(',').map((s) => s.trim()))
    some = [...new Set([...listed, ...all.filter((_, i) => i % 3 === 0)])].slice(0, 350)
  }, 180_000)

  afterAll(async () => {
    db?.close()
    await sqlite?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('one batch statement: every pair of the independent SQL once, with its label', async () => {
    const expected = expectedLabels(db, some)
    const counts = countByLabel(expected)
    // The plant gives all three kinds, so a wrong label cannot hide.
    for (const label of [MATCHED_BY_WINDOW, MATCHED_BY_LIST, MATCHED_BY_BOTH]) expect(counts[label], label).toBeGreaterThan(0)
    const rows = await jobRows(sqlite, some)
    expect(rows).toHaveLength(expected.size)
    expect(countByLabel(labelsOf(rows))).toEqual(counts)
    expect(labelsOf(rows)).toEqual(expected)
  })

  it('the table scan with machine-window reads per batch gives the same rows', async () => {
    const viaBatch = await jobRows(sqlite, some)
    const viaScan = await jobRows(sqlite, some, 100)
    expect(sortedJson(viaScan)).toEqual(sortedJson(viaBatch))

    const expected = expectedLabels(db, all)
    const rows = await jobRows(sqlite, all)
    expect(all.length).toBeGreaterThan(400)
    expect(rows).toHaveLength(expected.size)
    expect(labelsOf(rows)).toEqual(expected)
  })

  it('names the lot of a machine-window row from the container table, and of a list row from the list', async () => {
    const rows = await jobRows(sqlite, some)
    const names = new Map((db.prepare('SELECT CONTAINERID AS cid, CONTAINERNAME AS name FROM DW_MES_CONTAINER').all() as { cid: string; name: string }[]).map((r) => [r.cid, r.name]))
    const windowRows = rows.filter((r) => r.MATCHED_BY === MATCHED_BY_WINDOW)
    expect(windowRows.length).toBeGreaterThan(0)
    for (const row of windowRows) expect(row.CONTAINERNAME).toBe(names.get(String(row.CONTAINERID)))
    for (const row of rows.filter((r) => r.MATCHED_BY !== MATCHED_BY_WINDOW)) {
      const ids = String(row.CONTAINERIDS).split(',')
      expect(row.CONTAINERNAME).toBe(String(row.CONTAINERNAMES).split(',')[ids.indexOf(String(row.CONTAINERID))])
    }
  })

  it('the Oracle dialect sends checked statements and gets the same rows', async () => {
    const recorded: RecordedStatement[] = []
    const oracle = recordingOracleSource(sqlite, recorded)
    const seen = (): string[] => recorded.map((r) => r.sql)
    expect(sortedJson(await jobRows(oracle, some))).toEqual(sortedJson(await jobRows(sqlite, some)))
    expect(sortedJson(await jobRows(oracle, all, 200))).toEqual(sortedJson(await jobRows(sqlite, all)))
    // A batch statement, then (for all lots, 200 a batch) the machine-window reads and the scan.
    expect(seen()[0]).toContain('UNION ALL')
    expect(seen().filter((s) => s.includes('JOIN DWH.DW_MES_JOB j ON j.RESOURCEID = h.EQUIPMENTID'))).toHaveLength(1 + Math.ceil(all.length / 200))
    expect(seen().at(-1)).toContain('WHERE j.CONTAINERIDS IS NOT NULL')
  })

  describe.skipIf(!pgUrl)('on PostgreSQL', () => {
    const schema = `jobs_match_${process.pid}`
    let postgres: MesSource
    let copy: PostgresCopy | undefined

    beforeAll(async () => {
      copy = await postgresCopyOf(plant.out, pgUrl!, schema)
      postgres = copy.source
    }, 180_000)
    afterAll(async () => {
      await copy?.drop()
    })

    it('gives the pairs and labels of the independent SQL, through a batch statement and the scan', async () => {
      for (const [cids, batchSize] of [[some, undefined], [some, 100], [all, undefined]] as const) {
        const rows = await jobRows(postgres, cids, batchSize)
        expect(labelsOf(rows)).toEqual(expectedLabels(db, cids))
        expect(sortedJson(rows)).toEqual(sortedJson(await jobRows(sqlite, cids, batchSize)))
      }
    })
  })
})
