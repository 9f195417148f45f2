/**
 * `results:diff` through the service router: two MSD runs of one station compared as the workspace
 * asks for them, and its refusals naming the payload's field (`job_a`, `job_b`).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCliEngine, type CliEngine } from '../../../main/cli/cli-engine.js'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { ResultService } from '../../../main/results/index.js'
import { createServices, ServiceRouter } from '../../../main/transport/index.js'
import { callOf, endedJob, type Call } from '../../fixtures/services-kit.js'

describe('results:diff', () => {
  let dir: string
  let store: CliEngine
  let router: ServiceRouter
  let plant: DemoSummary
  let call: Call
  const jobs: Record<'older' | 'newer' | 'forward' | 'lots', string> = { older: '', newer: '', forward: '', lots: '' }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-diff-'))
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 600, seed: 'diff-channel' })
    store = openCliEngine(join(dir, 'data'), {}, () => {})
    store.engine.start()
    router = new ServiceRouter({ handlers: createServices({ engine: store.engine, results: new ResultService(store.engine), catalog: store.catalog, dataDir: store.dataDir, appVersion: '9.9.9' }) })
    call = callOf(router)
    const source = await call('sources:add', { name: 'Plant', kind: 'sqlite', path: plant.out })
    const msd = (params: Record<string, unknown>) => call('jobs:enqueue', { request: { profile: 'mid_section_defect', params: { station: '測試', ...params } }, source_id: source.id })
    jobs.older = (await msd({ start_date: plant.startDate, end_date: '2026-10-01' })).job_id
    jobs.newer = (await msd({ start_date: '2026-10-02', end_date: plant.endDate })).job_id
    jobs.forward = (await msd({ direction: 'forward', start_date: '2026-10-02', end_date: plant.endDate })).job_id
    jobs.lots = (await call('jobs:enqueue', { request: { profile: 'query_tool', params: { resolve_type: 'lot_id', values: plant.planted.samples.lot_ids.slice(0, 1) } }, source_id: source.id })).job_id
    for (const id of Object.values(jobs)) expect((await endedJob(call, id)).status).toBe('finished')
  }, 180_000)

  afterAll(async () => {
    await store?.engine.shutdown(2000)
    store?.catalog.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('answers the diff of two backward runs, A the baseline', async () => {
    const diff = await call('results:diff', { job_a: jobs.older, job_b: jobs.newer })
    const older = await call('results:aggregation', { job_id: jobs.older })
    const newer = await call('results:aggregation', { job_id: jobs.newer })
    if (diff.direction !== 'backward' || older?.direction !== 'backward' || newer?.direction !== 'backward') throw new Error('expected backward runs')
    expect(diff.a).toMatchObject({ job_id: jobs.older, start_date: plant.startDate, end_date: '2026-10-01' })
    expect(diff.b).toMatchObject({ job_id: jobs.newer, start_date: '2026-10-02', end_date: plant.endDate })
    expect(diff.kpi.find((k) => k.key === 'lot_count')).toEqual({ key: 'lot_count', unit: 'count', a: older.kpi.lot_count, b: newer.kpi.lot_count, delta: newer.kpi.lot_count - older.kpi.lot_count })
    expect(diff.compared.b).toBe(diff.new.length + diff.changed.length)
    expect(diff.compared.a).toBe(diff.gone.length + diff.changed.length)
  })

  it('refuses another direction or a lot trace, naming job_a or job_b', async () => {
    const answer = await router.invoke('results:diff', { job_a: jobs.older, job_b: jobs.forward }, { clientId: 'test' })
    expect(answer).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field: 'job_b', direction: 'forward', expected: 'backward' } } })
    const lots = await router.invoke('results:diff', { job_a: jobs.lots, job_b: jobs.newer }, { clientId: 'test' })
    expect(lots).toMatchObject({ ok: false, error: { code: 'input/invalid', message: `job_a: job ${jobs.lots} is a lot trace (query_tool), not an MSD analysis; compare two MSD results` } })
  })

  it('refuses a payload without two job ids before reading anything', async () => {
    const answer = await router.invoke('results:diff', { job_a: jobs.older }, { clientId: 'test' })
    expect(answer).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field: 'job_b' } } })
  })
})
