/**
 * What the workspace reads of a finished job through the service contract: the job view's request
 * summary and last progress, `results:summary` (tokens that matched nothing, columns, row counts,
 * quality), pages narrowed to the containers picked in the lineage graph (`in`), and an export
 * into the data folder's exports folder, which is made on first use.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCliEngine, type CliEngine } from '../../../main/cli/cli-engine.js'
import { generateDemoPlant } from '../../../main/demo/index.js'
import type { DemoSummary } from '../../../main/demo/index.js'
import { createServices, ServiceRouter } from '../../../main/transport/index.js'
import { callOf, endedJob, type Call } from '../../fixtures/services-kit.js'
import { ResultService } from '../../../main/results/index.js'

describe('results for the workspace', () => {
  let dir: string
  let store: CliEngine
  let router: ServiceRouter
  let plant: DemoSummary
  let jobId: string

  let call: Call

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-summary-'))
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 400, seed: 'summary-test' })
    store = openCliEngine(join(dir, 'data'), {}, () => {})
    store.engine.start()
    router = new ServiceRouter({ handlers: createServices({ engine: store.engine, results: new ResultService(store.engine), catalog: store.catalog, dataDir: store.dataDir, appVersion: '9.9.9' }) })
    call = callOf(router)
    const source = await call('sources:add', { name: 'Plant', kind: 'sqlite', path: plant.out })
    const values = [...plant.planted.samples.lot_ids.slice(0, 2), 'NOPE-0001', 'NOPE-0002']
    ;({ job_id: jobId } = await call('jobs:enqueue', { request: { profile: 'query_tool', params: { resolve_type: 'lot_id', values } }, source_id: source.id }))
    await endedJob(call, jobId)
  }, 120_000)

  afterAll(async () => {
    await store?.engine.shutdown(2000)
    store?.catalog.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('shows what was asked and where the job got to', async () => {
    const view = await call('jobs:status', { job_id: jobId })
    expect(view.status).toBe('finished')
    expect(view.request).toEqual({
      mode: 'containers',
      resolve_type: 'lot_id',
      values: [...plant.planted.samples.lot_ids.slice(0, 2), 'NOPE-0001', 'NOPE-0002'],
      value_count: 4,
      station: null,
      start_date: null,
      end_date: null,
      loss_reasons: [],
    })
    expect(view.progress).toMatchObject({ stage: 'events', completed_stages: ['seed', 'lineage'] })
  })

  it('summarizes the result: the tokens that matched nothing, the columns and rows of each domain', async () => {
    const summary = await call('results:summary', { job_id: jobId })
    expect(summary.seeds).toEqual({ seed_count: 2, input_count: 4, not_found: ['NOPE-0001', 'NOPE-0002'], not_found_count: 2 })
    expect(summary.domains).toEqual(['history', 'materials', 'rejects', 'holds', 'jobs'])
    expect(summary.columns.history?.slice(0, 4)).toEqual(['CONTAINERID', 'WORKCENTERNAME', 'WORKCENTER_GROUP', 'EQUIPMENTID'])
    expect(summary.request.seed).toMatchObject({ mode: 'containers', resolve_type: 'lot_id' })
    expect(summary.quality?.status).toBe('complete')
    expect(summary.msd_tables).toEqual({})
    for (const domain of summary.domains) {
      const page = await call('results:page', { job_id: jobId, domain, limit: 1 })
      expect(page.total, domain).toBe(summary.row_counts[domain])
    }
    expect(summary.row_counts.history).toBeGreaterThan(10)
  })

  it('counts on the job card exactly the rows its result tabs hold, domain by domain', async () => {
    const [view, summary] = await Promise.all([call('jobs:status', { job_id: jobId }), call('results:summary', { job_id: jobId })])
    const tabs = summary.domains.map((domain) => summary.row_counts[domain] ?? 0)
    expect(view.row_counts).toEqual(summary.row_counts)
    expect(view.rows_total).toBe(tabs.reduce((a, b) => a + b, 0))
    expect(view.rows_total).toBeGreaterThan(summary.row_counts.history ?? 0)
  })

  it('narrows a domain to the containers picked in the lineage graph', async () => {
    const lineage = await call('results:lineage', { job_id: jobId })
    const all = (await call('results:page', { job_id: jobId, domain: 'history', limit: 1000 })).rows
    const picked = Object.keys(lineage!.nodes).slice(0, 3)
    const page = await call('results:page', { job_id: jobId, domain: 'history', limit: 1000, filter: [{ column: 'CONTAINERID', op: 'in', value: picked }] })
    const expected = all.filter((r) => picked.includes(r.CONTAINERID as string))
    expect(expected.length).toBeGreaterThan(0)
    expect(page.rows).toEqual(expected)
    expect(page.total).toBe(expected.length)
  })

  it('exports a new file into the exports folder of the data folder, making it on first use, for the page to download', async () => {
    expect(existsSync(join(store.dataDir, 'exports'))).toBe(false)
    const answer = await call('jobs:export', { job_id: jobId, format: 'csv', table: 'history' })
    expect(answer).toMatchObject({ cancelled: false, delivery: 'download' })
    const [file] = answer.files
    expect(file!.name).toMatch(new RegExp(`^${jobId}-history-\\d{8}-\\d{6}-\\d{3}\\.csv$`))
    expect(file!.path).toBe(join(store.dataDir, 'exports', file!.name))
    const lines = readFileSync(file!.path, 'utf8').trim().split(/\r?\n/)
    const summary = await call('results:summary', { job_id: jobId })
    expect(lines.length).toBe((summary.row_counts.history ?? 0) + 1)
    expect(file!.rows).toBe(summary.row_counts.history)
    // The page never names the file.
    const named = await router.invoke('jobs:export', { job_id: jobId, format: 'csv', table: 'history', path: join(dir, 'x.csv') }, { clientId: 'test' })
    expect(named).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field: 'path' } } })
    const whole = await router.invoke('jobs:export', { job_id: jobId, format: 'csv' }, { clientId: 'test' })
    expect(whole).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field: 'table' } } })
  })
})
