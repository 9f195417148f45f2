/**
 * The Oracle adapter's SQL and binds, checked through the dialect layer without an Oracle server:
 * whole traces run with the Oracle dialect (`:n` binds, `DWH.` prefix, `TO_DATE`) against a
 * recording source that checks every statement and then runs it on the demo plant's SQLite file.
 * Results must equal those of the SQLite source. A live suite runs where MES_TRACE_ORACLE_TEST_URL
 * names a server.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { openOracleSource, openSqliteSource, parseOracleUrl, parseSourceSpec, type MesSource } from '../../../main/sources/index.js'
import { runTrace } from '../../../main/trace/index.js'
import { normalizeTraceRequest, type TraceRequest } from '../../../shared/trace-request.js'
import { DOMAINS, type Domain } from '../../../shared/trace.js'
import { recordingOracleSource, type RecordedStatement } from '../../fixtures/oracle-recording.js'
import type { BackwardAggregation, ForwardAggregation } from '../../../shared/msd.js'
import { runMsd } from '../../fixtures/msd-kit.js'

async function rowsOf(source: MesSource, request: TraceRequest): Promise<{ seeds: number; rows: Record<Domain, string[]> }> {
  const rows = Object.fromEntries(DOMAINS.map((d) => [d, [] as string[]])) as Record<Domain, string[]>
  const outcome = await runTrace({ source, request: normalizeTraceRequest(request), now: () => '2026-11-01T00:00:00', sink: { onEventBatch: (b) => void rows[b.domain].push(...b.rows.map((r) => JSON.stringify(r))) } })
  for (const d of DOMAINS) rows[d].sort()
  return { seeds: outcome.seeds.seed_count, rows }
}

describe('the Oracle dialect on whole traces', () => {
  let dir: string
  let plant: DemoSummary
  let sqlite: MesSource

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-ora-'))
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 1500, seed: 'ora-dialect' })
    sqlite = await openSqliteSource(plant.out)
  }, 120_000)
  afterAll(async () => {
    await sqlite?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const cases: [string, () => TraceRequest][] = [
    ['lot trace, all five query-tool domains', () => ({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: plant.planted.samples.lot_ids } })],
    ['serials and GD orders', () => ({ profile: 'query_tool_reverse', params: { resolve_type: 'serial_number', values: plant.planted.samples.serials } })],
    ['MSD backward, all 7 domains', () => ({ profile: 'mid_section_defect', params: { start_date: plant.startDate, end_date: plant.endDate }, domains: [...DOMAINS] })],
  ]

  it.each(cases)('%s: every statement binds :1…:n, prefixes DWH. and keeps IN lists ≤ 1000; results equal SQLite', async (_name, request) => {
    const seen: RecordedStatement[] = []
    const [oracle, reference] = [await rowsOf(recordingOracleSource(sqlite, seen), request()), await rowsOf(sqlite, request())]
    expect(seen.length).toBeGreaterThan(3)
    expect(oracle.seeds).toBe(reference.seeds)
    expect(oracle.seeds).toBeGreaterThan(0)
    for (const d of DOMAINS) expect(oracle.rows[d], d).toEqual(reference.rows[d])
  }, 120_000)

  it('MSD backward with its factor links summarized in Oracle SQL: every statement checked, the analysis equal to SQLite from the events', async () => {
    const seen: RecordedStatement[] = []
    const params = { start_date: plant.startDate, end_date: plant.endDate }
    // A pushed-down run: the genealogy's relations followed in one recursive statement too.
    const links = await runMsd<BackwardAggregation>(recordingOracleSource(sqlite, seen), { ...params, pushdown: true }, [], { factorLinks: 'source' })
    const reference = await runMsd<BackwardAggregation>(sqlite, params)
    try {
      const walks = seen.filter((s) => s.sql.startsWith('WITH SEED (CID)'))
      // One per 1 000 seeds (an IN list each), every relation followed.
      expect(walks.length).toBe(Math.ceil(links.outcome.seeds.seeds.length / 1000))
      expect(walks[0]!.sql).toMatch(/\bWALK \(CID, DEPTH\)[\s\S]*DWH\.DW_MES_PJ_COMBINEDASSYLOTS m/)
      expect(walks[0]!.sql).toMatch(/'W', f\.NAME/)
      const linkStatements = seen.filter((s) => /DW_MES_LOTWIPHISTORY h\s+WHERE h\.CONTAINERID IN|MIN\(m\.TXNDATE\)/.test(s.sql))
      expect(linkStatements.length).toBeGreaterThanOrEqual(2)
      expect(links.reader.domainCounts()).toEqual({})
      expect(links.aggregation).toEqual(reference.aggregation)
      expect(await links.rows('detail')).toEqual(await reference.rows('detail'))
    } finally {
      await links.cleanup()
      await reference.cleanup()
    }
  }, 120_000)

  it('MSD forward from molding with its downstream rows read in Oracle SQL (later workcenters by name): every statement checked, equal to SQLite from the events', async () => {
    const seen: RecordedStatement[] = []
    const params = { start_date: plant.startDate, end_date: plant.endDate, direction: 'forward', station: '成型' }
    const links = await runMsd<ForwardAggregation>(recordingOracleSource(sqlite, seen), { ...params, pushdown: true }, [], { factorLinks: 'source' })
    const reference = await runMsd<ForwardAggregation>(sqlite, params)
    try {
      // The family read ahead in recursive statements: up to the tops, then down from them.
      const walks = seen.filter((s) => s.sql.startsWith('WITH SEED (CID)'))
      expect(walks.length).toBe(Math.ceil(links.outcome.seeds.seeds.length / 1000))
      expect(walks[0]!.sql).toMatch(/\bUP \(CID, DEPTH\)[\s\S]*\bDOWN \(CID, DEPTH\)[\s\S]*'D', k\.CID/)
      expect(seen.filter((s) => /FROM DWH\.DW_MES_LOTREJECTHISTORY r\s+WHERE r\.CONTAINERID IN \(.*\)\s+AND r\.WORKCENTERNAME IN/s.test(s.sql)).length).toBeGreaterThan(0)
      expect(reference.aggregation.charts.by_downstream_station.length).toBeGreaterThan(0)
      expect(links.aggregation).toEqual(reference.aggregation)
      expect(await links.rows('detail')).toEqual(await reference.rows('detail'))
    } finally {
      await links.cleanup()
      await reference.cleanup()
    }
  }, 120_000)

  it('parses oracle:// sources, keeping the password apart', () => {
    expect(parseOracleUrl('oracle://mes_reader:p%40ss@db.plant:1521/MESDW?schema=DWH')).toEqual({
      user: 'mes_reader', password: 'p@ss', connectString: 'db.plant:1521/MESDW', schema: 'DWH',
    })
    expect(parseOracleUrl('oracle://mes_reader@db.plant/MESDW', { MES_TRACE_ORACLE_PASSWORD: 'from-env' })).toMatchObject({ password: 'from-env', connectString: 'db.plant:1521/MESDW', schema: 'DWH' })
    expect(parseSourceSpec('oracle://r:pw@db:1521/MES?schema=DWH2')).toEqual({ kind: 'oracle', url: 'oracle://r:pw@db:1521/MES', schema: 'DWH2' })
  })

  it('names an unreachable Oracle host', async () => {
    await expect(openOracleSource({ user: 'u', password: 'p', connectString: '127.0.0.1:1/none' })).rejects.toMatchObject({ code: 'source/unreachable' })
  }, 60_000)
})

const live = process.env.MES_TRACE_ORACLE_TEST_URL
describe.skipIf(!live)('a live Oracle server (MES_TRACE_ORACLE_TEST_URL)', () => {
  it('opens, lists the MES tables and resolves a lot', async () => {
    const source = await openOracleSource(parseOracleUrl(live!))
    try {
      const catalog = await source.catalog()
      expect(catalog.has('DW_MES_CONTAINER')).toBe(true)
      const rows = await source.all(`SELECT CONTAINERID FROM ${source.dialect.table('DW_MES_CONTAINER')} WHERE ROWNUM <= 1`, [])
      expect(rows.length).toBeLessThanOrEqual(1)
    } finally {
      await source.close()
    }
  })
})
