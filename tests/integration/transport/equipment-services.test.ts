/**
 * The equipment tab's channels and a repair job's transactions through the service contract, on a
 * small demo plant: the settings' limits refuse a query before the source is read (naming the
 * field), exports land in the exports folder with every row, and the transactions come from the
 * source the result was read from, refused when that source is no longer saved.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCliEngine, type CliEngine } from '../../../main/cli/cli-engine.js'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { EXPORTS_FOLDER, ResultService } from '../../../main/results/index.js'
import { createServices, ServiceRouter } from '../../../main/transport/index.js'
import { callOf, endedJob, type Call } from '../../fixtures/services-kit.js'

/** Data lines of a CSV the exports wrote (BOM and header dropped; no field here holds a newline). */
function csvLines(path: string): { header: string; rows: string[] } {
  const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '')
  return { header: lines[0]!, rows: lines.slice(1) }
}

describe('equipment and job-transaction services', () => {
  let dir: string
  let store: CliEngine
  let router: ServiceRouter
  let plant: DemoSummary
  let call: Call
  let sourceId: string
  let db: Database.Database
  let ids: string[]

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-equipment-svc-'))
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 400, seed: 'equipment-services' })
    db = new Database(plant.out, { readonly: true })
    store = openCliEngine(join(dir, 'data'), {}, () => {})
    store.engine.start()
    router = new ServiceRouter({ handlers: createServices({ engine: store.engine, results: new ResultService(store.engine), catalog: store.catalog, dataDir: store.dataDir, appVersion: '9.9.9' }) })
    call = callOf(router)
    sourceId = (await call('sources:add', { name: 'Plant', kind: 'sqlite', path: plant.out })).id
    // The three busiest wire-bond machines.
    ids = (
      db
        .prepare("SELECT EQUIPMENTID AS id FROM DW_MES_LOTWIPHISTORY WHERE WORKCENTERNAME = '焊接_WB' GROUP BY EQUIPMENTID ORDER BY COUNT(*) DESC, EQUIPMENTID LIMIT 3")
        .all() as { id: string }[]
    ).map((r) => r.id)
  }, 120_000)

  afterAll(async () => {
    db?.close()
    await store?.engine.shutdown(2000)
    store?.catalog.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const range = (): { start_date: string; end_date: string } => {
    const last = (db.prepare('SELECT MAX(TRACKINTIMESTAMP) AS t FROM DW_MES_LOTWIPHISTORY').get() as { t: string }).t.slice(0, 10)
    const first = (db.prepare('SELECT MIN(TRACKINTIMESTAMP) AS t FROM DW_MES_LOTWIPHISTORY').get() as { t: string }).t.slice(0, 10)
    return { start_date: first, end_date: last }
  }

  it('lists the machines with the limits of the settings and the last 30 days of data', async () => {
    const list = await call('equipment:machines', { id: sourceId })
    expect(list.limits).toEqual({ max_machines: 20, max_days: 90 })
    expect(list.default_range?.end).toBe(range().end_date)
    const listed = new Set(list.machines.map((m) => m.resource_id))
    for (const id of ids) expect(listed.has(id)).toBe(true)
  })

  it('refuses a query past the settings before reading the source, naming the field', async () => {
    await call('settings:set', { key: 'EQUIPMENT_MAX_MACHINES', value: 2 })
    try {
      const answer = await router.invoke('equipment:jobs', { id: sourceId, equipment_ids: ids, ...range() }, { clientId: 'test' })
      expect(answer).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field: 'equipment_ids' } } })
    } finally {
      await call('settings:set', { key: 'EQUIPMENT_MAX_MACHINES', value: null })
    }
    const long = await router.invoke('equipment:lots', { id: sourceId, equipment_ids: ids, start_date: '2026-01-01', end_date: '2026-10-31' }, { clientId: 'test' })
    expect(long).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field: 'end_date' } } })
    const unknown = await router.invoke('equipment:lots', { id: 'src-nope', equipment_ids: ids, ...range() }, { clientId: 'test' })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field: 'id' } } })
  })

  it('exports every lot of the query, as many as the pages count, with the original headers', async () => {
    const query = { id: sourceId, equipment_ids: ids, ...range() }
    const page = await call('equipment:lots', { ...query, limit: 10 })
    expect(page.total).toBeGreaterThan(10)
    const answer = await call('equipment:export', { ...query, table: 'lots', format: 'csv' })
    expect(answer).toMatchObject({ cancelled: false, delivery: 'download' })
    expect(answer.files[0]!.path.startsWith(join(store.dataDir, EXPORTS_FOLDER))).toBe(true)
    expect(answer.files[0]!.rows).toBe(page.total)
    const { header, rows } = csvLines(answer.files[0]!.path)
    expect(header.split(',').slice(0, 3)).toEqual(['LOT ID', 'WAFER LOT', 'TYPE'])
    expect(rows).toHaveLength(page.total)
    // The file's first lot is the first page's.
    expect(rows[0]!.split(',')[0]).toBe(page.rows[0]!.CONTAINERNAME)
  })

  it('exports the scrap groups as a workbook of as many rows as the view', async () => {
    const query = { id: sourceId, equipment_ids: ids, ...range() }
    const rejects = await call('equipment:rejects', query)
    expect(rejects.rows.length).toBeGreaterThan(0)
    const answer = await call('equipment:export', { ...query, table: 'rejects', format: 'xlsx' })
    expect(answer.files[0]).toMatchObject({ rows: rejects.rows.length })
    expect(answer.files[0]!.name).toMatch(/^equipment-rejects-.*\.xlsx$/)
  })

  it("reads a job's transactions and exports the result's jobs with them, from the result's own source", async () => {
    // Lots that were on a machine when it had a repair job with transactions.
    const lots = (
      db
        .prepare(
          `SELECT DISTINCT c.CONTAINERNAME AS lot FROM DW_MES_JOB j
           JOIN DW_MES_LOTWIPHISTORY h ON h.EQUIPMENTID = j.RESOURCEID AND j.CREATEDATE BETWEEN h.TRACKINTIMESTAMP AND h.TRACKOUTTIMESTAMP
           JOIN DW_MES_CONTAINER c ON c.CONTAINERID = h.CONTAINERID
           WHERE EXISTS (SELECT 1 FROM DW_MES_JOBTXNHISTORY t WHERE t.JOBID = j.JOBID) ORDER BY 1 LIMIT 3`,
        )
        .all() as { lot: string }[]
    ).map((r) => r.lot)
    expect(lots.length).toBeGreaterThan(0)
    const { job_id: jobId } = await call('jobs:enqueue', { request: { profile: 'query_tool', params: { resolve_type: 'lot_id', values: lots }, domains: ['jobs'] }, source_id: sourceId })
    expect((await endedJob(call, jobId)).status).toBe('finished')
    const jobs = await call('results:page', { job_id: jobId, domain: 'jobs', limit: 1000 })
    const jobIds = [...new Set(jobs.rows.map((r) => String(r.JOBID)))]
    expect(jobIds.length).toBeGreaterThan(0)

    const count = db.prepare('SELECT COUNT(*) AS n FROM DW_MES_JOBTXNHISTORY WHERE JOBID = ?')
    const withTxn = jobIds.find((id) => (count.get(id) as { n: number }).n > 0)!
    const txn = await call('sources:job-transactions', { job_id: jobId, repair_job: withTxn })
    expect(txn.missing_table).toBeNull()
    expect(txn.rows).toHaveLength((count.get(withTxn) as { n: number }).n)
    const dates = txn.rows.map((r) => String(r.TXNDATE))
    expect(dates).toEqual([...dates].sort())

    // One row per job × transaction; a job without any keeps one row.
    const expected = jobIds.reduce((n, id) => n + Math.max(1, (count.get(id) as { n: number }).n), 0)
    const answer = await call('sources:job-transactions-export', { job_id: jobId, format: 'csv' })
    expect(answer.files[0]!.rows).toBe(expected)
    const { header, rows } = csvLines(answer.files[0]!.path)
    expect(header.split(',').slice(0, 3)).toEqual(['LOT ID', 'RESOURCENAME', 'JOBID'])
    expect(new Set(rows.map((r) => r.split(',').find((f) => jobIds.includes(f))))).toEqual(new Set(jobIds))

    // A result whose source is no longer saved here cannot read it again.
    await call('sources:remove', { id: sourceId })
    const gone = await router.invoke('sources:job-transactions', { job_id: jobId, repair_job: withTxn }, { clientId: 'test' })
    expect(gone).toMatchObject({ ok: false, error: { code: 'source/unreachable' } })
    sourceId = (await call('sources:add', { name: 'Plant', kind: 'sqlite', path: plant.out })).id
  }, 120_000)
})
