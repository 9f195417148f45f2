/**
 * MSD on the 20 000-lot demo plant in a real PostgreSQL server, backward and forward, run both
 * ways: with the events copied to the workstation, and pushed down (the server summarizes or
 * filters them). KPI, charts, every suspect with its counts and p-values, the time views and the
 * detail must be identical. Runs where MES_TRACE_PG_TEST_URL names a server (`.ci/run`
 * starts one on 127.0.0.1).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { loadIntoPostgres } from '../../../main/sources/postgres-load.js'
import { openPostgresSource } from '../../../main/sources/postgres-source.js'
import type { MesSource } from '../../../main/sources/index.js'
import type { BackwardAggregation, ForwardAggregation, MsdAggregation } from '../../../shared/msd.js'
import { runMsd } from '../../fixtures/msd-kit.js'
import { withStatementLog } from '../../fixtures/source-fixture.js'

const url = process.env.MES_TRACE_PG_TEST_URL

describe.skipIf(!url)('MSD pushed down to PostgreSQL on the 20 000-lot demo plant', () => {
  const schema = `pushdown_${process.pid}`
  let dir: string
  let plant: DemoSummary
  let source: MesSource

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-pushdown-pg-'))
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite') })
    await loadIntoPostgres({ from: plant.out, url: url!, schema, replace: true })
    source = await openPostgresSource({ url: url!, schema })
  }, 240_000)

  afterAll(async () => {
    await source?.close()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.end()
    await rm(dir, { recursive: true, force: true })
  })

  /** The run from the events and the pushed-down run, with the bytes each received. */
  async function bothWays<A extends MsdAggregation>(params: Record<string, unknown>) {
    const before = source.bytesReceived!()
    const local = await runMsd<A>(source, params)
    const localBytes = source.bytesReceived!() - before
    // Pushed down as a job is: the genealogy's relations followed on the server too.
    const statements: string[] = []
    const counting = withStatementLog(source, statements)
    const pushed = await runMsd<A>(counting, { ...params, pushdown: true }, [], { factorLinks: 'source' })
    const pushedBytes = source.bytesReceived!() - before - localBytes
    // One recursive statement for every seed; the genealogy the same as the walk's own reads.
    expect(statements.filter((sql) => sql.startsWith('WITH RECURSIVE SEED (CID)')).length).toBe(1)
    expect(pushed.outcome.lineage).toEqual(local.outcome.lineage)
    expect(pushed.reader.lineage()).toEqual(local.reader.lineage())
    return { local, pushed, localBytes, pushedBytes }
  }

  it('backward: the same KPI, charts, suspects (counts, p- and q-values), time views and detail as the local analysis, over fewer bytes', async () => {
    const { local, pushed, localBytes, pushedBytes } = await bothWays<BackwardAggregation>({ start_date: plant.startDate, end_date: plant.endDate })
    try {
      expect(pushed.reader.domainCounts()).toEqual({})
      expect(local.reader.domainCounts().upstream_history).toBeGreaterThan(100_000)
      const [a, b] = [local.aggregation, pushed.aggregation]
      expect(a.suspect_summary.significant).toBeGreaterThan(0)
      expect(b.kpi).toEqual(a.kpi)
      expect(b.charts).toEqual(a.charts)
      expect(b.daily_trend).toEqual(a.daily_trend)
      expect(b.suspects).toEqual(a.suspects)
      expect(b).toEqual(a)
      expect(await pushed.rows('suspects')).toEqual(await local.rows('suspects'))
      const detail = await local.rows('detail')
      expect(detail.length).toBe(a.detail_total_count)
      expect(await pushed.rows('detail')).toEqual(detail)
      expect(pushedBytes).toBeLessThan(localBytes * 0.75)
    } finally {
      await local.cleanup()
      await pushed.cleanup()
    }
  }, 240_000)

  it('forward from molding: the same KPI, charts and detail as the local analysis, over fewer bytes', async () => {
    const params = { start_date: plant.startDate, end_date: plant.endDate, direction: 'forward', station: '成型' }
    const { local, pushed, localBytes, pushedBytes } = await bothWays<ForwardAggregation>(params)
    try {
      expect(pushed.reader.domainCounts()).toEqual({})
      const [a, b] = [local.aggregation, pushed.aggregation]
      expect(a.charts.by_downstream_station.length).toBeGreaterThan(3)
      expect(a.charts.by_downstream_machine.length).toBeGreaterThan(3)
      expect(b.kpi).toEqual(a.kpi)
      expect(b.charts).toEqual(a.charts)
      expect(b).toEqual(a)
      const detail = await local.rows('detail')
      expect(detail.length).toBe(a.detail_total_count)
      expect(await pushed.rows('detail')).toEqual(detail)
      // Only the stations after molding are read.
      expect(pushedBytes).toBeLessThan(localBytes * 0.75)
    } finally {
      await local.cleanup()
      await pushed.cleanup()
    }
  }, 240_000)
})
