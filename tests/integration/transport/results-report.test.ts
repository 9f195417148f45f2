/**
 * `results:report` through the service router on real MSD results: the browser host's answer is
 * the report itself; a desktop saver is asked where to write only once the job is known to be a
 * backward MSD result, and the file lands there; a forward or lot trace is refused naming `job_id`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCliEngine, type CliEngine } from '../../../main/cli/cli-engine.js'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import type { ReportSaver } from '../../../main/report/index.js'
import { ResultService } from '../../../main/results/index.js'
import { createServices, ServiceRouter } from '../../../main/transport/index.js'
import { callOf, endedJob, type Call } from '../../fixtures/services-kit.js'

describe('results:report', () => {
  let dir: string
  let store: CliEngine
  let results: ResultService
  let plant: DemoSummary
  let call: Call
  const jobs: Record<'backward' | 'forward' | 'lots', string> = { backward: '', forward: '', lots: '' }

  const routerWith = (reportSaver?: ReportSaver): ServiceRouter =>
    new ServiceRouter({
      handlers: createServices({ engine: store.engine, results, catalog: store.catalog, dataDir: store.dataDir, appVersion: '9.9.9', ...(reportSaver ? { reportSaver } : {}) }),
    })

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-report-channel-'))
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 800, seed: 'report-channel' })
    store = openCliEngine(join(dir, 'data'), {}, () => {})
    store.engine.start()
    results = new ResultService(store.engine)
    call = callOf(routerWith())
    const source = await call('sources:add', { name: 'Plant', kind: 'sqlite', path: plant.out })
    const msd = (params: Record<string, unknown>) => call('jobs:enqueue', { request: { profile: 'mid_section_defect', params: { station: '測試', start_date: plant.startDate, end_date: plant.endDate, ...params } }, source_id: source.id })
    jobs.backward = (await msd({})).job_id
    jobs.forward = (await msd({ direction: 'forward' })).job_id
    jobs.lots = (await call('jobs:enqueue', { request: { profile: 'query_tool', params: { resolve_type: 'lot_id', values: plant.planted.samples.lot_ids.slice(0, 1) } }, source_id: source.id })).job_id
    for (const id of Object.values(jobs)) expect((await endedJob(call, id)).status).toBe('finished')
  }, 180_000)

  afterAll(async () => {
    results?.close()
    await store?.engine.shutdown(2000)
    store?.catalog.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('answers the browser host with the report in the language asked for', async () => {
    const answer = await call('results:report', { job_id: jobs.backward, locale: 'zh-TW' })
    expect(answer).toMatchObject({ cancelled: false, delivery: 'inline', format: 'html', path: null })
    expect(answer.name).toMatch(new RegExp(`^${jobs.backward}-report-\\d{8}-\\d{6}\\.html$`))
    expect(answer.html!.startsWith('<!doctype html>\n<html lang="zh-Hant-TW">')).toBe(true)
    expect(answer.html).toContain(`工作編號</dt><dd>${jobs.backward}</dd>`)
    expect(answer.html).not.toMatch(/<script|https?:\/\//i)
    const refused = await routerWith().invoke('results:report', { job_id: jobs.backward, locale: 'en', format: 'pdf' }, { clientId: 'test' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field: 'format' } } })
  })

  it('saves where the desktop saver says, after checking the job, and prints PDF with its printer', async () => {
    const asked: string[] = []
    const saver: ReportSaver = {
      async choose(request) {
        asked.push(`${request.jobId} ${request.format} ${request.locale} ${request.clientId}`)
        return join(dir, `saved.${request.format}`)
      },
      printToPdf: async () => new Uint8Array([37, 80, 68, 70]),
    }
    const router = routerWith(saver)
    const refused = await router.invoke('results:report', { job_id: jobs.forward, locale: 'en' }, { clientId: 'wc-1' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'input/invalid', message: expect.stringContaining(`job ${jobs.forward} is a forward MSD analysis`), details: { field: 'job_id' } } })
    const lots = await router.invoke('results:report', { job_id: jobs.lots, locale: 'en' }, { clientId: 'wc-1' })
    expect(lots).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field: 'job_id' } } })
    expect(asked).toEqual([])
    const saved = await router.invoke('results:report', { job_id: jobs.backward, locale: 'en', format: 'html' }, { clientId: 'wc-1' })
    expect(saved).toMatchObject({ ok: true, value: { delivery: 'saved', format: 'html', path: join(dir, 'saved.html'), name: 'saved.html', html: null } })
    expect(readFileSync(join(dir, 'saved.html'), 'utf8')).toContain('Mid-section defect evidence report')
    const pdf = await router.invoke('results:report', { job_id: jobs.backward, locale: 'en', format: 'pdf' }, { clientId: 'wc-1' })
    expect(pdf).toMatchObject({ ok: true, value: { delivery: 'saved', format: 'pdf', bytes: 4 } })
    expect(asked).toEqual([`${jobs.backward} html en wc-1`, `${jobs.backward} pdf en wc-1`])
  })
})
