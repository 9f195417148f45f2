/**
 * End to end on a generated demo plant: resolve, trace and fetch every domain for a sample of its
 * lots, and check every row count against SQL written here, independently of the trace code.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { openSource, parseSourceSpec, type MesSource } from '../../../main/sources/index.js'
import { runTrace } from '../../../main/trace/index.js'
import { normalizeTraceRequest } from '../../../shared/trace-request.js'
import { DOMAINS, type Domain } from '../../../shared/trace.js'

/** Row count each domain must deliver for a CID set, in plain SQL over the raw tables. */
const EXPECTED_SQL: Record<Domain, string> = {
  // one row per machine step session: partial track-outs of one track-in collapse
  history: `SELECT COUNT(*) AS n FROM (SELECT DISTINCT CONTAINERID, EQUIPMENTID, SPECNAME, TRACKINTIMESTAMP
              FROM DW_MES_LOTWIPHISTORY WHERE CONTAINERID IN (SELECT value FROM json_each(?))
              AND EQUIPMENTID IS NOT NULL AND TRACKINTIMESTAMP IS NOT NULL)`,
  materials: `SELECT COUNT(*) AS n FROM DW_MES_LOTMATERIALSHISTORY WHERE CONTAINERID IN (SELECT value FROM json_each(?))`,
  rejects: `SELECT COUNT(*) AS n FROM DW_MES_LOTREJECTHISTORY WHERE CONTAINERID IN (SELECT value FROM json_each(?))`,
  holds: `SELECT COUNT(*) AS n FROM DW_MES_HOLDRELEASEHISTORY WHERE CONTAINERID IN (SELECT value FROM json_each(?))`,
  // one row per (job, lot) pair: the job lists the lot, or ran on its machine during a session of
  // the lot there (original-ui.md §3.1's overlap; a session with no track-out at all not ended)
  jobs: `WITH sel AS (SELECT value FROM json_each(?)),
         sessions AS (SELECT CONTAINERID AS cid, EQUIPMENTID AS machine, TRACKINTIMESTAMP AS s,
             CASE WHEN COUNT(TRACKOUTTIMESTAMP) = 0 THEN '9999' ELSE MAX(TRACKOUTTIMESTAMP) END AS e
           FROM DW_MES_LOTWIPHISTORY WHERE CONTAINERID IN (SELECT value FROM sel)
             AND EQUIPMENTID IS NOT NULL AND TRACKINTIMESTAMP IS NOT NULL
           GROUP BY CONTAINERID, EQUIPMENTID, TRACKINTIMESTAMP)
         SELECT COUNT(*) AS n FROM (
           SELECT j.JOBID, c.value FROM DW_MES_JOB j JOIN sel c
             ON (',' || REPLACE(j.CONTAINERIDS, ' ', '') || ',') LIKE ('%,' || c.value || ',%')
           UNION
           SELECT j.JOBID, x.cid FROM sessions x JOIN DW_MES_JOB j ON j.RESOURCEID = x.machine
           WHERE j.CREATEDATE BETWEEN x.s AND x.e OR j.COMPLETEDATE BETWEEN x.s AND x.e
             OR (j.CREATEDATE <= x.s AND (j.COMPLETEDATE IS NULL OR j.COMPLETEDATE >= x.e)))`,
  // one row per lot, workcenter and machine (the latest track-in)
  upstream_history: `SELECT COUNT(*) AS n FROM (SELECT DISTINCT CONTAINERID, WORKCENTERNAME, EQUIPMENTNAME
              FROM DW_MES_LOTWIPHISTORY WHERE CONTAINERID IN (SELECT value FROM json_each(?))
              AND EQUIPMENTID IS NOT NULL AND TRACKINTIMESTAMP IS NOT NULL)`,
  downstream_rejects: `SELECT COUNT(*) AS n FROM DW_MES_LOTREJECTHISTORY WHERE CONTAINERID IN (SELECT value FROM json_each(?))`,
}

describe('a trace on the demo plant', () => {
  let dir: string
  let summary: DemoSummary
  let source: MesSource
  let raw: Database.Database

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-demo-trace-'))
    summary = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 3000, seed: 'trace-test' })
    ;({ source } = await openSource(parseSourceSpec(summary.out)))
    raw = new Database(summary.out, { readonly: true })
  }, 120_000)

  afterAll(async () => {
    raw?.close()
    await source?.close()
    await rm(dir, { recursive: true, force: true })
  })

  const expectedRows = (domain: Domain, cids: readonly string[]): number =>
    (raw.prepare(EXPECTED_SQL[domain]).get(JSON.stringify(cids)) as { n: number }).n

  it('resolves the sample lots and fetches all 7 domains with the independently counted rows', async () => {
    // The planted samples plus every 50th lot that reached final test: a spread of genealogies.
    const sampled = raw
      .prepare(`SELECT DISTINCT c.CONTAINERNAME FROM DW_MES_CONTAINER c JOIN DW_MES_LOTWIPHISTORY h ON h.CONTAINERID = c.CONTAINERID
                WHERE h.WORKCENTERNAME = 'TMTT' ORDER BY c.CONTAINERNAME`)
      .pluck()
      .all() as string[]
    const lotIds = [...summary.planted.samples.lot_ids, ...sampled.filter((_, i) => i % 50 === 0)]
    expect(lotIds.length).toBeGreaterThan(25)
    const request = normalizeTraceRequest({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: lotIds }, domains: [...DOMAINS] })
    const delivered: Partial<Record<Domain, number>> = {}
    const outcome = await runTrace({
      source,
      request,
      sink: { onEventBatch: (b) => void (delivered[b.domain] = (delivered[b.domain] ?? 0) + b.rows.length) },
    })

    const byName = raw.prepare('SELECT CONTAINERID FROM DW_MES_CONTAINER WHERE CONTAINERNAME = ?').pluck()
    expect(outcome.seeds.seeds.map((s) => s.container_id)).toEqual([...new Set(lotIds)].map((n) => byName.get(n)))
    expect(outcome.seeds.not_found).toEqual([])

    // The split tree is closed: every split child of a seed or of a tree node is in the tree.
    // (Wafer lots and merge sources are shown as context nodes; their other children are not walked.)
    const lineage = outcome.lineage
    if (lineage?.direction !== 'forward') throw new Error('a lot trace walks forward')
    const treeNodes = new Set([...outcome.seeds.seeds.map((s) => s.container_id), ...Object.values(lineage.children_map).flat()])
    const nodes = new Set(outcome.event_cids)
    const children = raw
      .prepare('SELECT CONTAINERID FROM DW_MES_CONTAINER WHERE SPLITFROMID IN (SELECT value FROM json_each(?)) AND CONTAINERID <> SPLITFROMID')
      .pluck()
      .all(JSON.stringify([...treeNodes])) as string[]
    expect(children.length).toBeGreaterThan(0)
    expect(children.filter((c) => !nodes.has(c))).toEqual([])

    for (const domain of DOMAINS) {
      const expected = expectedRows(domain, outcome.event_cids)
      expect([domain, outcome.rows[domain], delivered[domain]]).toEqual([domain, expected, expected])
    }
    expect(Object.values(outcome.rows).every((n) => n !== undefined)).toBe(true)
    expect(outcome.rows.history).toBeGreaterThan(100)
    expect(outcome.quality_meta.status).toBe('complete')
  })

  it('takes the whole detection population of a date range as seeds, defect-free lots included', async () => {
    const request = normalizeTraceRequest({
      profile: 'mid_section_defect',
      params: { station: '測試', start_date: summary.startDate, end_date: summary.endDate },
      domains: [],
    })
    const outcome = await runTrace({ source, request })
    const expected = raw
      .prepare(`SELECT COUNT(DISTINCT CONTAINERID) FROM DW_MES_LOTWIPHISTORY WHERE (WORKCENTERNAME LIKE '%TMTT%' OR WORKCENTERNAME LIKE '%測試%')
                AND EQUIPMENTID IS NOT NULL AND TRACKINTIMESTAMP >= ? AND TRACKINTIMESTAMP < ?`)
      .pluck()
      .get(`${summary.startDate} 00:00:00`, `${summary.endDate} 23:59:60`) as number
    // Lots that passed final test without a single reject there are part of the population.
    const withoutRejects = raw
      .prepare(`SELECT COUNT(*) FROM json_each(?) s WHERE NOT EXISTS (SELECT 1 FROM DW_MES_LOTREJECTHISTORY r
                WHERE r.CONTAINERID = s.value AND (r.WORKCENTERNAME LIKE '%TMTT%' OR r.WORKCENTERNAME LIKE '%測試%'))`)
      .pluck()
      .get(JSON.stringify(outcome.seeds.seeds.map((s) => s.container_id))) as number
    expect(outcome.seeds.seed_count).toBe(expected)
    expect(withoutRejects).toBeGreaterThan(outcome.seeds.seed_count / 10)
    expect(outcome.seeds.seed_count).toBeGreaterThan(1000)
  })
})
