/**
 * The PostgreSQL source against the SQLite source on the same data: one demo plant is loaded into a
 * real PostgreSQL server, and the same traces — seed resolve, lineage, all 7 event domains — must
 * give identical results from both (timestamps compared after normalizing). Runs where
 * MES_TRACE_PG_TEST_URL names a server (`.ci/run` starts one on 127.0.0.1).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import Cursor from 'pg-cursor'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { loadIntoPostgres, postgresColumns } from '../../../main/sources/postgres-load.js'
import { SOURCE_TABLES } from '../../../main/sources/schema.js'
import { openPostgresSource, redactUrl } from '../../../main/sources/postgres-source.js'
import { openSqliteSource, parseSourceSpec, type MesSource } from '../../../main/sources/index.js'
import { runTrace, type TraceOutcome } from '../../../main/trace/index.js'
import { normalizeTraceRequest, type TraceRequest } from '../../../shared/trace-request.js'
import { DOMAINS, type Domain, type EventRow } from '../../../shared/trace.js'
import type { BackwardAggregation } from '../../../shared/msd.js'
import { runMsd, type MsdRun } from '../../fixtures/msd-kit.js'
import { SPLIT_LOT_ROWS, writeFixtureFile } from '../../fixtures/source-fixture.js'
import type { testEngine as testEngineType, until as untilType } from '../engine/worker-kit.js'

const url = process.env.MES_TRACE_PG_TEST_URL

/** Everything a trace produced, in a form two sources can be compared on. */
async function traceOf(source: MesSource, request: TraceRequest): Promise<{ outcome: TraceOutcome; rows: Record<Domain, string[]> }> {
  const rows = Object.fromEntries(DOMAINS.map((d) => [d, [] as string[]])) as Record<Domain, string[]>
  const outcome = await runTrace({
    source,
    request: normalizeTraceRequest(request),
    // One clock for both sources: hours of holds not yet released count up to "now".
    now: () => '2026-11-01T00:00:00',
    sink: { onEventBatch: (b) => void rows[b.domain].push(...b.rows.map((r: EventRow) => JSON.stringify(r))) },
  })
  for (const d of DOMAINS) rows[d].sort()
  return { outcome, rows }
}

describe.skipIf(!url)('PostgreSQL source vs SQLite source on the same demo plant', () => {
  const schema = `diff_${process.pid}`
  let dir: string
  let plant: DemoSummary
  let sqlite: MesSource
  let postgres: MesSource

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-pg-'))
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 1500, seed: 'pg-diff' })
    const counts = await loadIntoPostgres({ from: plant.out, url: url!, schema, replace: true })
    expect(counts.DW_MES_LOTWIPHISTORY).toBe(plant.tables.DW_MES_LOTWIPHISTORY)
    sqlite = await openSqliteSource(plant.out)
    postgres = await openPostgresSource({ url: url!, schema })
  }, 180_000)

  afterAll(async () => {
    await sqlite?.close()
    await postgres?.close()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.end()
    rmSync(dir, { recursive: true, force: true })
  })

  it('describes itself without the password', () => {
    const password = new URL(url!).password
    expect(postgres.description).toBe(`${redactUrl(url!)} (schema ${schema})`)
    if (password) expect(postgres.description).not.toContain(`:${password}@`)
    expect(redactUrl('postgres://reader:s3cret@db.plant:5432/mes')).toBe('postgres://reader:***@db.plant:5432/mes')
  })

  it('has every table and column of the source schema', async () => {
    const [a, b] = [await sqlite.catalog(), await postgres.catalog()]
    for (const [table, columns] of a) {
      if (table.startsWith('SQLITE_')) continue
      expect([...(b.get(table) ?? [])].sort(), table).toEqual([...columns].sort())
    }
  })

  it("indexes every table's key as the contract declares it (a container read by its CID seeks)", async () => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const { rows } = await client.query<{ tablename: string; indexdef: string }>('SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = $1', [schema])
      const keys = SOURCE_TABLES.flatMap((t) => postgresColumns(t.ddl).filter((c) => c.isKey).map((c) => ({ table: t.name, column: c.name })))
      expect(keys.map((k) => `${k.table}.${k.column}`)).toEqual(expect.arrayContaining(['DW_MES_CONTAINER.CONTAINERID', 'DW_MES_JOB.JOBID', 'DW_MES_RESOURCE.RESOURCEID']))
      for (const { table, column } of keys) {
        if (plant.tables[table] === undefined) continue
        const defs = rows.filter((r) => r.tablename === table.toLowerCase()).map((r) => r.indexdef.toLowerCase())
        expect(defs, table).toContain(`create index ix_${table.toLowerCase()}_key on ${schema}.${table.toLowerCase()} using btree (${column.toLowerCase()})`)
      }
      // The planner uses it for a batch of CIDs (the table has a few thousand rows).
      await client.query(`SET search_path = ${schema}`)
      const cids = (await client.query<{ containerid: string }>('SELECT containerid FROM dw_mes_container ORDER BY containerid LIMIT 5')).rows.map((r) => r.containerid)
      const plan = await client.query(`EXPLAIN SELECT * FROM dw_mes_container WHERE containerid IN ($1, $2, $3, $4, $5)`, cids)
      expect(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')).toMatch(/Index Scan using ix_dw_mes_container_key|Bitmap Index Scan on ix_dw_mes_container_key/)
    } finally {
      await client.end()
    }
  })

  it('gathers planner statistics for the tables it loaded, and for no other table of the database', async () => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const loaded = `analyzed_${process.pid}`
    const bystander = `bystander_${process.pid}`
    const analyzeCount = async (schemaName: string, table: string): Promise<number> => {
      const { rows } = await client.query<{ n: string }>('SELECT analyze_count AS n FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = $2', [schemaName, table])
      return rows.length === 0 ? -1 : Number(rows[0]!.n)
    }
    try {
      // A table of somebody else's, too small for autovacuum to analyze on its own.
      await client.query(`CREATE SCHEMA ${bystander}`)
      await client.query(`CREATE TABLE ${bystander}.t AS SELECT g AS a FROM generate_series(1, 10) g`)
      expect(await analyzeCount(bystander, 't')).toBe(0)
      const file = join(dir, 'analyzed.sqlite')
      writeFixtureFile(file, SPLIT_LOT_ROWS)
      await loadIntoPostgres({ from: file, url: url!, schema: loaded, replace: true })
      expect(await analyzeCount(loaded, 'dw_mes_container')).toBe(1)
      expect(await analyzeCount(loaded, 'dw_mes_lotwiphistory')).toBe(1)
      expect(await analyzeCount(bystander, 't')).toBe(0)
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${loaded} CASCADE`)
      await client.query(`DROP SCHEMA IF EXISTS ${bystander} CASCADE`)
      await client.end()
    }
  })

  it('copies the optional job transactions and machine status per shift: same counts and aggregates', async () => {
    expect(plant.tables.DW_MES_JOBTXNHISTORY).toBeGreaterThan(plant.tables.DW_MES_JOB!)
    expect(plant.tables.DW_MES_RESOURCESTATUS_SHIFT).toBeGreaterThan(0)
    // Table names written through each source's dialect (the PostgreSQL one carries the schema).
    const queries = (source: MesSource): string[] => {
      const txn = source.dialect.table('DW_MES_JOBTXNHISTORY')
      const job = source.dialect.table('DW_MES_JOB')
      const status = source.dialect.table('DW_MES_RESOURCESTATUS_SHIFT')
      return [
        `SELECT COUNT(*) AS N, COUNT(DISTINCT JOBID) AS JOBS, MIN(TXNDATE) AS FIRST, MAX(TXNDATE) AS LAST FROM ${txn}`,
        `SELECT JOBSTATUS, CDONAME, COUNT(*) AS N, COUNT(COMMENTS) AS NOTES, COUNT(DISTINCT USER_EMPNO) AS USERS FROM ${txn}
          GROUP BY JOBSTATUS, CDONAME ORDER BY JOBSTATUS, CDONAME`,
        // Jobs whose last transaction is their completion: the two tables still agree after the copy.
        `SELECT COUNT(*) AS N FROM ${job} j JOIN ${txn} t ON t.JOBID = j.JOBID AND t.TXNDATE = j.COMPLETEDATE WHERE t.JOBSTATUS = j.JOBSTATUS`,
        `SELECT COUNT(*) AS N, COUNT(DISTINCT HISTORYID) AS MACHINES, MIN(TXNDATE) AS FIRST, MAX(TXNDATE) AS LAST FROM ${status}`,
        `SELECT NEWSTATUSNAME, COUNT(*) AS N, ROUND(CAST(SUM(HOURS) AS NUMERIC), 3) AS HOURS FROM ${status}
          GROUP BY NEWSTATUSNAME ORDER BY NEWSTATUSNAME`,
      ]
    }
    const normal = (rows: Record<string, unknown>[]): string =>
      JSON.stringify(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString().slice(0, 19).replace('T', ' ') : /^-?\d+(\.\d+)?$/.test(String(v)) ? Number(v) : v]))))
    const [forSqlite, forPostgres] = [queries(sqlite), queries(postgres)]
    for (let i = 0; i < forSqlite.length; i++) {
      const [a, b] = [await sqlite.all(forSqlite[i]!, []), await postgres.all(forPostgres[i]!, [])]
      expect(a.length, forSqlite[i]).toBeGreaterThan(0)
      expect(normal(b), forSqlite[i]).toBe(normal(a))
    }
    const [jobRows] = await sqlite.all('SELECT COUNT(*) AS N FROM DW_MES_JOBTXNHISTORY', [])
    expect(Number(jobRows!.N)).toBe(plant.tables.DW_MES_JOBTXNHISTORY)
    // Every machine's status covers the window: its hours add up to 24 per day.
    const [hours] = await postgres.all(`SELECT SUM(HOURS) AS H, COUNT(DISTINCT HISTORYID) AS M FROM ${postgres.dialect.table('DW_MES_RESOURCESTATUS_SHIFT')}`, [])
    expect(Number(hours!.H)).toBeCloseTo(Number(hours!.M) * 24 * 60, 3)
  })

  const cases: [string, () => TraceRequest][] = [
    ['lot trace forward, all five query-tool domains', () => ({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: plant.planted.samples.lot_ids } })],
    ['work orders with a wildcard', () => ({ profile: 'query_tool', params: { resolve_type: 'work_order', values: [`${plant.planted.samples.work_orders[0]!.slice(0, 6)}*`] }, domains: ['history', 'jobs'] })],
    ['serial reverse trace', () => ({ profile: 'query_tool_reverse', params: { resolve_type: 'serial_number', values: plant.planted.samples.serials } })],
    ['MSD backward over the window, all 7 domains', () => ({ profile: 'mid_section_defect', params: { start_date: plant.startDate, end_date: plant.endDate }, domains: [...DOMAINS] })],
    ['MSD forward from molding', () => ({ profile: 'mid_section_defect', params: { start_date: plant.startDate, end_date: plant.endDate, station: '成型', direction: 'forward' } })],
  ]

  it.each(cases)('%s: identical seeds, lineage and event rows', async (_name, request) => {
    const [a, b] = [await traceOf(sqlite, request()), await traceOf(postgres, request())]
    expect(b.outcome.seeds).toEqual(a.outcome.seeds)
    expect(b.outcome.lineage).toEqual(a.outcome.lineage)
    expect(b.outcome.rows).toEqual(a.outcome.rows)
    expect(a.outcome.seeds.seed_count).toBeGreaterThan(0)
    for (const d of DOMAINS) expect(b.rows[d], d).toEqual(a.rows[d])
    expect(b.outcome.quality_meta.status).toBe('complete')
  }, 180_000)

  it('MSD backward with its factor links summarized by PostgreSQL: the same analysis as from the events, on either source', async () => {
    const params = { start_date: plant.startDate, end_date: plant.endDate }
    const received = (): number => postgres.bytesReceived!()
    const before = received()
    const runs = [await runMsd<BackwardAggregation>(sqlite, params), await runMsd<BackwardAggregation>(postgres, params)]
    const localBytes = received() - before
    runs.push(await runMsd<BackwardAggregation>(postgres, params, [], { factorLinks: 'source' }))
    const pushedBytes = received() - before - localBytes
    try {
      // What came over the wire: about 60 % of a local run's bytes here (and at 120 000 lots).
      expect(localBytes).toBeGreaterThan(0)
      expect(pushedBytes).toBeLessThan(localBytes * 0.75)
      const [local, pgLocal, pgLinks] = runs as [MsdRun<BackwardAggregation>, MsdRun<BackwardAggregation>, MsdRun<BackwardAggregation>]
      // The server-side run copied no upstream or material events, and found factors to rank.
      expect(pgLinks.reader.domainCounts()).toEqual({})
      expect(local.aggregation.suspect_summary.total).toBeGreaterThan(10)
      for (const run of [pgLocal, pgLinks]) {
        expect(run.aggregation).toEqual(local.aggregation)
        expect(await run.rows('suspects')).toEqual(await local.rows('suspects'))
        expect(await run.rows('detail')).toEqual(await local.rows('detail'))
      }
    } finally {
      for (const run of runs) await run.cleanup()
    }
  }, 180_000)

  it('runs as a job of the engine from `mes-trace run --source postgres://…`, the password kept out of the catalog', async () => {
    const { main } = await import('../../../main/cli/main.js')
    const { captureIo } = await import('../../fixtures/cli-io.js')
    const { catalogPathOf, openCatalog } = await import('../../../main/store/index.js')
    const dataDir = join(dir, 'data')
    const lots = plant.planted.samples.lot_ids.join(',')
    const run = async (source: string) => {
      const io = captureIo()
      const code = await main(['run', '--source', source, '--profile', 'query_tool', '--lot-ids', lots, '--data-dir', dataDir, '--json', '--force'], io)
      expect(code, io.err).toBe(0)
      return JSON.parse(io.out) as { job_id: string; seed_count: number; domains: Record<string, { rows: number }> }
    }
    // The command line refuses a password in the URL (the process list would show it): it comes from PGPASSWORD.
    const pgUrl = new URL(url!)
    pgUrl.searchParams.set('schema', schema)
    const saved = process.env.PGPASSWORD
    process.env.PGPASSWORD = decodeURIComponent(pgUrl.password)
    pgUrl.password = ''
    let fromPg: Awaited<ReturnType<typeof run>>
    try {
      fromPg = await run(pgUrl.toString())
    } finally {
      if (saved === undefined) delete process.env.PGPASSWORD
      else process.env.PGPASSWORD = saved
    }
    const fromSqlite = await run(`sqlite:${plant.out}`)
    expect(fromPg.seed_count).toBe(fromSqlite.seed_count)
    expect(fromPg.domains).toEqual(fromSqlite.domains)
    const catalog = openCatalog(catalogPathOf(dataDir))
    try {
      const row = catalog.getJob(fromPg.job_id)!
      expect(row.status).toBe('finished')
      const password = new URL(url!).password
      if (password) expect(row.source_id).not.toContain(`:${password}@`)
      expect(row.source_id).toContain(`schema=${schema}`)
    } finally {
      catalog.close()
    }
  }, 120_000)

  /** A schema `slow` of views over the loaded schema's tables; the one of `sleepy` sleeps 30 s before answering. */
  async function createSlowSchema(admin: pg.Client, slow: string, sleepy: string): Promise<void> {
    await admin.query(`CREATE SCHEMA ${slow}`)
    for (const t of (await admin.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [schema])).rows as { table_name: string }[]) {
      const filter = t.table_name === sleepy ? ' WHERE (SELECT pg_sleep(30)::text) IS NOT NULL' : ''
      await admin.query(`CREATE VIEW ${slow}.${t.table_name} AS SELECT * FROM ${schema}.${t.table_name}${filter}`)
    }
  }

  /** What a cancel test gets from {@link withSlowEngine}. */
  interface SlowEngine {
    engine: ReturnType<typeof testEngineType>
    until: typeof untilType
    /** The slow schema as a source spec. */
    source: ReturnType<typeof parseSourceSpec>
    /** The statements active on the server that read the sleeping view. */
    active: () => Promise<string[]>
  }

  /**
   * Runs `use` with a started engine of its own and a schema `<name>_<pid>` of views over the
   * loaded schema (`createSlowSchema`), whose view of `sleepy` sleeps 30 s; all of it is torn down
   * afterwards.
   */
  async function withSlowEngine(name: string, sleepy: string, use: (slow: SlowEngine) => Promise<void>): Promise<void> {
    const slow = `${name}_${process.pid}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    const { openCatalog, catalogPathOf, resultsDirOf } = await import('../../../main/store/index.js')
    const { testEngine, until } = await import('../engine/worker-kit.js')
    const dataDir = join(dir, `${name}-data`)
    const catalog = openCatalog(catalogPathOf(dataDir))
    const engine = testEngine({ catalog, resultsDir: resultsDirOf(dataDir), cancelGraceMs: 3000 })
    const active = async (): Promise<string[]> =>
      (
        await admin.query(
          `SELECT query FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%${slow}.${sleepy.toUpperCase()}%' AND pid <> pg_backend_pid()`,
        )
      ).rows.map((r: { query: string }) => r.query)
    try {
      await createSlowSchema(admin, slow, sleepy)
      engine.start()
      const source = new URL(url!)
      source.searchParams.set('schema', slow)
      await use({ engine, until, source: parseSourceSpec(source.toString()), active })
    } finally {
      await engine.shutdown(2000)
      catalog.close()
      await admin.query(`DROP SCHEMA IF EXISTS ${slow} CASCADE`)
      await admin.end()
    }
  }

  /** Polls `active` every 100 ms, at most `tries` times, until a statement shows. */
  async function firstActive(active: SlowEngine['active'], tries: number): Promise<string[]> {
    let seen: string[] = []
    for (let i = 0; i < tries && seen.length === 0; i++) {
      seen = await active()
      if (seen.length === 0) await new Promise((r) => setTimeout(r, 100))
    }
    return seen
  }

  it('cancelling a job during a slow PostgreSQL statement ends the statement on the server', async () => {
    // The container view sleeps 30 s before answering.
    await withSlowEngine('slow', 'dw_mes_container', async ({ engine, until, source, active }) => {
      const { jobId } = engine.enqueue({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: plant.planted.samples.lot_ids } }, { source })
      expect(await firstActive(active, 100)).toHaveLength(1)
      const started = Date.now()
      engine.cancel(jobId)
      await until(() => engine.status(jobId).status === 'cancelled', 15_000)
      expect(await active()).toHaveLength(0)
      expect(Date.now() - started).toBeLessThan(10_000)
    })
  }, 60_000)

  /**
   * Starts a pushed-down MSD job over the slow schema whose `sleepy` view sleeps, waits for the one
   * statement reading it (which must match `statement`), cancels the job and checks the statement
   * ends on the server within 2 s.
   */
  async function cancelPushedDownDuring(name: string, sleepy: string, statement: RegExp): Promise<void> {
    await withSlowEngine(name, sleepy, async ({ engine, until, source, active }) => {
      const { jobId } = engine.enqueue(
        { profile: 'mid_section_defect', params: { start_date: plant.startDate, end_date: plant.endDate } },
        { source, pushdown: 'on' },
      )
      expect(engine.status(jobId).request.pushdown).toBe(true)
      const seen = await firstActive(active, 300)
      expect(seen).toHaveLength(1)
      expect(seen[0]).toMatch(statement)
      const started = Date.now()
      engine.cancel(jobId)
      let running = seen.length
      while (running > 0 && Date.now() - started < 5000) {
        await new Promise((r) => setTimeout(r, 50))
        running = (await active()).length
      }
      expect(running).toBe(0)
      expect(Date.now() - started).toBeLessThan(2000)
      await until(() => engine.status(jobId).status === 'cancelled', 15_000)
    })
  }

  it('cancelling a pushed-down MSD job during its factor-link statement ends that statement on the server within 2 s', async () => {
    // The material history sleeps 30 s, and with pushdown only the factor-link statement reads it.
    await cancelPushedDownDuring('slowlinks', 'dw_mes_lotmaterialshistory', /MIN\(m\.TXNDATE\)/)
  }, 90_000)

  it("cancelling a pushed-down MSD job during its genealogy's recursive statement ends that statement on the server within 2 s", async () => {
    // The merge records sleep 30 s; a pushed-down run reads them first in the genealogy's read-ahead.
    await cancelPushedDownDuring('slowwalk', 'dw_mes_pj_combinedassylots', /^WITH RECURSIVE SEED \(CID\)/)
  }, 90_000)

  it('cancels a running statement on the server', async () => {
    const controller = new AbortController()
    const started = Date.now()
    const run = postgres.all('SELECT pg_sleep(30)', [], { signal: controller.signal })
    await new Promise((r) => setTimeout(r, 500))
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const before = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'")
      expect(before.rows[0].n).toBe(1)
      controller.abort()
      await expect(run).rejects.toMatchObject({ code: 'trace/cancelled' })
      expect(Date.now() - started).toBeLessThan(10_000)
      const after = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'")
      expect(after.rows[0].n).toBe(0)
    } finally {
      await client.end()
    }
  })

  it("cancels a statement whose first cancel reaches the server while it waits for the cursor's Execute", async () => {
    // PostgreSQL drops a cancel that arrives while a backend waits for the client's next protocol
    // message, and the statement then runs to its end. Here the cursor's Execute is held 300 ms, so
    // the backend waits for it (state active, reading from the client) when the signal aborts:
    // only a cancel sent again once the statement runs can end it.
    // pg-cursor sends Execute in its (internal) _getRows.
    const proto = Cursor.prototype as unknown as { _getRows: (this: unknown, ...args: unknown[]) => void }
    const getRows = proto._getRows
    let held = false
    proto._getRows = function (this: unknown, ...args: unknown[]) {
      if (held) return getRows.apply(this, args)
      held = true
      setTimeout(() => getRows.apply(this, args), 300)
    }
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    try {
      const controller = new AbortController()
      const run = postgres.all('SELECT pg_sleep(20) AS SLEPT', [], { signal: controller.signal })
      let waiting = false
      for (let i = 0; i < 200 && !waiting; i++) {
        const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(20) AS SLEPT' AND state = 'active' AND wait_event = 'ClientRead'")
        waiting = rows[0].n === 1
        if (!waiting) await new Promise((r) => setTimeout(r, 5))
      }
      expect(waiting).toBe(true)
      const aborted = Date.now()
      controller.abort()
      await expect(run).rejects.toMatchObject({ code: 'trace/cancelled' })
      expect(Date.now() - aborted).toBeLessThan(2000)
      const after = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(20) AS SLEPT' AND state = 'active'")
      expect(after.rows[0].n).toBe(0)
    } finally {
      proto._getRows = getRows
      await admin.end()
    }
  })

  it('runs every statement in a read-only transaction: a write is refused by the server', async () => {
    const table = `${schema}.written_${process.pid}`
    await expect(postgres.all(`CREATE TABLE ${table} (a integer)`, [])).rejects.toMatchObject({
      code: 'source/query-failed', message: expect.stringContaining('read-only transaction'),
    })
    // The connection is usable afterwards, and nothing was created.
    expect(await postgres.all('SELECT to_regclass($1) AS T', [table])).toEqual([{ T: null }])
  })

  it('names a statement timeout and a user without SELECT rights', async () => {
    const slow = await openPostgresSource({ url: url!, schema, statementTimeoutMs: 200 })
    try {
      await expect(slow.all('SELECT pg_sleep(5)', [])).rejects.toMatchObject({ code: 'source/timeout' })
    } finally {
      await slow.close()
    }
    const noAccess = process.env.MES_TRACE_PG_NOACCESS_URL
    if (!noAccess) return
    const reader = await openPostgresSource({ url: noAccess, schema })
    try {
      await expect(reader.all(`SELECT count(*) FROM ${schema}.DW_MES_CONTAINER`, [])).rejects.toMatchObject({
        code: 'source/query-failed', message: expect.stringContaining('needs SELECT on the MES tables'),
      })
    } finally {
      await reader.close()
    }
  })

  it('tests a connection through the service contract, naming the tables a schema lacks', async () => {
    const { ServiceRouter, createServices } = await import('../../../main/transport/index.js')
    const { openCliEngine } = await import('../../../main/cli/cli-engine.js')
    const { ResultService } = await import('../../../main/results/index.js')
    const store = openCliEngine(join(dir, 'ipc-data'), {}, () => {})
    const results = new ResultService(store.engine)
    try {
      const router = new ServiceRouter({ handlers: createServices({ engine: store.engine, results, catalog: store.catalog, dataDir: store.dataDir, appVersion: 't' }) })
      const good = new URL(url!)
      good.searchParams.set('schema', schema)
      expect(await router.invoke('sources:test', { kind: 'postgres', url: good.toString() }, { clientId: 't' })).toMatchObject({
        ok: true, value: { ok: true, description: `${redactUrl(url!)} (schema ${schema})` },
      })
      const empty = new URL(url!)
      empty.searchParams.set('schema', 'no_mes_tables_here')
      const missing = await router.invoke('sources:test', { kind: 'postgres', url: empty.toString() }, { clientId: 't' })
      expect(missing).toMatchObject({ ok: false, error: { code: 'source/schema', message: expect.stringContaining('DW_MES_CONTAINER') } })
      expect(await router.invoke('sources:test', { kind: 'postgres' }, { clientId: 't' })).toMatchObject({ ok: false, error: { details: { field: 'url' } } })
    } finally {
      results.close()
      await store.engine.shutdown(1000)
      store.catalog.close()
    }
  })

  it('names what to check for a wrong password, a missing database and an unreachable host', async () => {
    const wrong = new URL(url!)
    wrong.password = 'wrong-password'
    await expect(openPostgresSource({ url: wrong.toString() })).rejects.toMatchObject({ code: 'source/unreachable', message: expect.stringContaining('password was refused') })
    const missing = new URL(url!)
    missing.pathname = '/no_such_database'
    await expect(openPostgresSource({ url: missing.toString() })).rejects.toMatchObject({ code: 'source/unreachable', message: expect.stringContaining('does not exist') })
    await expect(openPostgresSource({ url: 'postgres://u:p@127.0.0.1:1/x', connectTimeoutMs: 2000 })).rejects.toMatchObject({
      code: 'source/unreachable', message: expect.stringContaining('cannot be reached'),
    })
    const error = await openPostgresSource({ url: wrong.toString() }).then(
      () => null,
      (e: Error) => e,
    )
    expect(error?.message).not.toContain('wrong-password')
  })
})
