/**
 * JobEngine with real worker processes: the trace worker (compiled, `npm run build:main`) on a
 * hand-built source, and the failure fixtures for crash, cancel and timeout.
 */
import { existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dedupKeyOf, sourceCopyOf, type JobEngine, type JobStatusEvent } from '../../../main/engine/index.js'
import { ResultService } from '../../../main/results/index.js'
import { openCatalog, type Catalog } from '../../../main/store/index.js'
import { isAppError } from '../../../shared/errors.js'
import { resolveSettings, type EngineSettings } from '../../../shared/settings.js'
import { createFixtureSource, SPLIT_LOT_ROWS, type FixtureSource } from '../../fixtures/source-fixture.js'
import { fixtureEntry, isAlive, testEngine, type FixtureName, until } from './worker-kit.js'

const root = join(import.meta.dirname, '..', '..', '..')
const TRACE_WORKER = join(root, 'dist', 'main', 'worker', 'entry.js')

const lotRequest = (values: string[]) => ({ profile: 'query_tool', params: { resolve_type: 'lot_id', values } })


describe('JobEngine', () => {
  let dir: string
  let catalog: Catalog
  let fx: FixtureSource
  let engines: JobEngine[]
  let now: number

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-engine-'))
    catalog = openCatalog(join(dir, 'catalog.sqlite'), { now: () => now })
    now = Date.now()
    engines = []
    fx = await createFixtureSource({
      ...SPLIT_LOT_ROWS,
      DW_MES_LOTREJECTHISTORY: [{ CONTAINERID: 'k1', WORKCENTERNAME: 'TMTT', LOSSREASONNAME: '001_CRACK', REJECTQTY: 5, TXNDATE: '2026-01-03 09:00:00' }],
    })
  })

  afterEach(async () => {
    for (const engine of engines) await engine.shutdown(2000)
    catalog.close()
    await fx.cleanup()
    await rm(dir, { recursive: true, force: true })
  })

  function makeEngine(entry: string, overrides: Partial<EngineSettings> = {}): JobEngine {
    const engine = testEngine({ catalog, workerEntry: entry, resultsDir: join(dir, 'results'), settings: overrides, now: () => now })
    engines.push(engine)
    engine.start()
    return engine
  }

  const source = () => ({ kind: 'sqlite' as const, path: fx.path })

  it('runs a trace in a worker to finished and pages its result', async () => {
    expect(existsSync(TRACE_WORKER), 'run `npm run build:main` first').toBe(true)
    const engine = makeEngine(TRACE_WORKER)
    const statuses: string[] = []
    const progress: string[] = []
    engine.onDidChangeStatus((e) => statuses.push(e.job.status))
    engine.onDidProgress((e) => progress.push(e.progress.stage))
    const { jobId, cached } = engine.enqueue(lotRequest(['GA26010001-A01']), { source: source() })
    expect(jobId).toMatch(/^trace-evt-[0-9a-f]{12}$/)
    expect(cached).toBe(false)
    await engine.whenIdle()
    const row = engine.status(jobId)
    expect([row.status, row.error_code, row.error_message]).toEqual(['finished', null, null])
    expect(statuses).toEqual(['queued', 'running', 'finished'])
    expect(progress).toContain('events')
    expect(row.seed_count).toBe(1)
    expect(row.cid_count).toBe(2)
    expect(row.row_counts).toEqual({ history: 2, materials: 0, rejects: 1, holds: 0, jobs: 0 })
    expect(row.quality).toBe('complete')
    expect(row.expires_at).toBe(row.completed_at! + 7 * 86_400_000)
    const results = new ResultService(engine)
    const page = results.page(jobId, 'history', { offset: 1, limit: 1 })
    results.close()
    expect(page.total).toBe(2)
    expect(page.rows).toHaveLength(1)
    expect(existsSync(row.result_path!)).toBe(true)

    // The same request again is answered from the result, unless forced.
    const again = engine.enqueue(lotRequest(['GA26010001-A01']), { source: source() })
    expect(again).toEqual({ jobId, cached: true, asOf: row.completed_at })
    const forced = engine.enqueue(lotRequest(['GA26010001-A01']), { source: source(), force: true })
    expect(forced.cached).toBe(false)
    expect(forced.jobId).not.toBe(jobId)
    await engine.whenIdle()
    expect(engine.status(forced.jobId).status).toBe('finished')

    // Another copy of the source file under the same path (a refreshed replica) is other data:
    // nothing cached answers for it.
    const later = new Date(statSync(fx.path).mtimeMs + 60_000)
    utimesSync(fx.path, later, later)
    const refreshed = engine.enqueue(lotRequest(['GA26010001-A01']), { source: source() })
    expect(refreshed.cached).toBe(false)
    await engine.whenIdle()
    expect(engine.enqueue(lotRequest(['GA26010001-A01']), { source: source() })).toEqual({
      jobId: refreshed.jobId, cached: true, asOf: engine.status(refreshed.jobId).completed_at,
    })
  })

  it('refuses malformed requests naming the field and writes nothing', () => {
    const engine = makeEngine(fixtureEntry('ok'))
    const bad: [unknown, string][] = [
      [{ profile: 'nope', params: {} }, 'profile'],
      [lotRequest([]), 'params.values'],
      [{ ...lotRequest(['A']), domains: ['history', "x'); DROP TABLE jobs; --"] }, 'domains[1]'],
      [{ profile: 'mid_section_defect', params: { start_date: '2026-02-30', end_date: '2026-03-01' } }, 'params.start_date'],
      [lotRequest(['x'.repeat(10_000)]), 'params.values[0]'],
    ]
    for (const [request, field] of bad) {
      let error: unknown
      try {
        engine.enqueue(request, { source: source() })
      } catch (e) {
        error = e
      }
      expect(isAppError(error, 'input/invalid') && error.details?.field).toBe(field)
    }
    expect(engine.list()).toEqual([])
  })

  it('marks a job whose worker crashes failed with worker/crashed', async () => {
    const engine = makeEngine(fixtureEntry('crash'))
    const { jobId } = engine.enqueue(lotRequest(['A1']), { source: source() })
    await engine.whenIdle()
    expect(engine.status(jobId)).toMatchObject({ status: 'failed', error_code: 'worker/crashed' })
  })

  it('cancels a running job: cancelled, never failed, and the worker is gone', async () => {
    process.env.SLOW_FIXTURE_SECONDS = '30'
    try {
      const engine = makeEngine(fixtureEntry('hang' satisfies FixtureName))
      const pids: number[] = []
      const events: JobStatusEvent[] = []
      engine.onDidChangeStatus((e) => events.push(e))
      engine.onDidProgress(() => undefined)
      const { jobId } = engine.enqueue(lotRequest(['A1']), { source: source() })
      await until(() => engine.status(jobId).status === 'running')
      await new Promise((r) => setTimeout(r, 300))
      for (const line of (await import('node:child_process')).execSync('pgrep -f hang.mjs || true').toString().trim().split('\n')) {
        if (line) pids.push(Number(line))
      }
      const started = Date.now()
      // The answer and the view say at once that a cancel is pending, while the worker still runs.
      expect(engine.cancel(jobId)).toMatchObject({ status: 'running', cancel_requested: true })
      expect(events.at(-1)?.job).toMatchObject({ job_id: jobId, status: 'running', cancel_requested: true })
      await engine.whenIdle()
      expect(engine.status(jobId)).toMatchObject({ status: 'cancelled', error_code: null })
      expect(Date.now() - started).toBeLessThan(2000)
      expect(pids.length).toBeGreaterThan(0)
      await until(() => pids.every((pid) => !isAlive(pid)), 2000)
      expect(events.map((e) => [e.job.status, e.job.cancel_requested])).toEqual([
        ['queued', false],
        ['running', false],
        ['running', true],
        ['cancelled', false],
      ])
    } finally {
      delete process.env.SLOW_FIXTURE_SECONDS
    }
  })

  it('removes a queued job at once when cancelled', async () => {
    const engine = makeEngine(fixtureEntry('hang'), { TRACE_WORKER_COUNT: 1 })
    const first = engine.enqueue(lotRequest(['A1']), { source: source() })
    const second = engine.enqueue(lotRequest(['A2']), { source: source() })
    expect(engine.status(second.jobId).status).toBe('queued')
    expect(engine.cancel(second.jobId).status).toBe('cancelled')
    engine.cancel(first.jobId)
    await engine.whenIdle()
    expect(engine.status(first.jobId).status).toBe('cancelled')
    expect(engine.status(second.jobId).started_at).toBeNull()
  })

  it('runs the traces that start after a settings change with the new settings', async () => {
    const engine = makeEngine(fixtureEntry('hang'), { TRACE_WORKER_COUNT: 1 })
    const first = engine.enqueue(lotRequest(['A1']), { source: source() })
    const second = engine.enqueue(lotRequest(['A2']), { source: source() })
    await until(() => engine.status(first.jobId).status === 'running')
    expect(engine.status(second.jobId).status).toBe('queued')
    // One more slot: the queued trace starts without a restart.
    engine.updateSettings({ ...resolveSettings(), TRACE_WORKER_COUNT: 2 })
    await until(() => engine.status(second.jobId).status === 'running')
    // A shorter timeout: the next trace is held to it; the running ones keep the one they started with.
    engine.updateSettings({ ...resolveSettings(), TRACE_WORKER_COUNT: 3, TRACE_JOB_TIMEOUT_SECONDS: 1 })
    const third = engine.enqueue(lotRequest(['A3']), { source: source() })
    await until(() => engine.status(third.jobId).status === 'failed')
    expect(engine.status(third.jobId)).toMatchObject({ error_code: 'job/timeout' })
    expect([engine.status(first.jobId).status, engine.status(second.jobId).status]).toEqual(['running', 'running'])
    for (const id of [first.jobId, second.jobId]) engine.cancel(id)
    await engine.whenIdle()
  })

  it('gives a trace the limits of the settings as it starts, and a queued one the suspect FDR it was keyed with', async () => {
    const engine = makeEngine(fixtureEntry('limits'), { TRACE_WORKER_COUNT: 1 })
    const first = engine.enqueue(lotRequest(['A1']), { source: source() })
    const queued = engine.enqueue(lotRequest(['A2']), { source: source() })
    await until(() => engine.status(first.jobId).status === 'running')
    engine.updateSettings({ ...resolveSettings(), TRACE_WORKER_COUNT: 1, LINEAGE_MAX_NODES: 77, MSD_SUSPECT_FDR_PERCENT: 10 })
    const later = engine.enqueue(lotRequest(['A3']), { source: source() })
    await engine.whenIdle()
    const limitsOf = (jobId: string): { maxNodes: number; suspectFdr: number } => JSON.parse(engine.status(jobId).log[0]!.message)
    expect([first, queued, later].map(({ jobId }) => limitsOf(jobId))).toMatchObject([
      { maxNodes: 500_000, suspectFdr: 0.05 },
      { maxNodes: 77, suspectFdr: 0.05 },
      { maxNodes: 77, suspectFdr: 0.1 },
    ])
  })

  it('keys a trace queued before a restart by the suspect FDR it then runs at', async () => {
    const msd = { profile: 'mid_section_defect', params: { start_date: '2026-01-01', end_date: '2026-01-05' } }
    const before = makeEngine(fixtureEntry('hang'), { TRACE_WORKER_COUNT: 1 })
    const busy = before.enqueue(lotRequest(['A1']), { source: source() })
    await until(() => before.status(busy.jobId).status === 'running')
    const { jobId } = before.enqueue(msd, { source: source() })
    const copy = sourceCopyOf(source())
    const keyAt = (fdr: number): string => dedupKeyOf(catalog.getJob(jobId)!.request, source(), fdr, copy)
    expect(catalog.getJob(jobId)!.dedup_key).toBe(keyAt(0.05))
    await before.shutdown(2000)
    expect(catalog.getJob(jobId)!.status).toBe('queued')

    makeEngine(fixtureEntry('limits'), { TRACE_WORKER_COUNT: 1, MSD_SUSPECT_FDR_PERCENT: 10 })
    await until(() => !['queued', 'running'].includes(catalog.getJob(jobId)!.status))
    const row = catalog.getJob(jobId)!
    expect(JSON.parse(row.log[0]!.message)).toMatchObject({ suspectFdr: 0.1 })
    expect(row.dedup_key).toBe(keyAt(0.1))
    expect(keyAt(0.1)).not.toBe(keyAt(0.05))
  })

  it('fails a job that runs past its timeout with job/timeout', async () => {
    const engine = makeEngine(fixtureEntry('hang'), { TRACE_JOB_TIMEOUT_SECONDS: 1 })
    const { jobId } = engine.enqueue(lotRequest(['A1']), { source: source() })
    await engine.whenIdle()
    expect(engine.status(jobId)).toMatchObject({ status: 'failed', error_code: 'job/timeout' })
  })

  it('lets an interactive trace start while a bulk one waits for the last slot', async () => {
    const engine = makeEngine(fixtureEntry('hang'), { TRACE_WORKER_COUNT: 2, TRACE_ASYNC_CID_THRESHOLD: 1000 })
    const bulk = (d: string) => ({ profile: 'mid_section_defect', params: { start_date: '2026-01-01', end_date: d } })
    const bulk1 = engine.enqueue(bulk('2026-03-01'), { source: source() })
    const bulk2 = engine.enqueue(bulk('2026-03-02'), { source: source() })
    const small = engine.enqueue(lotRequest(['A1']), { source: source() })
    await until(() => engine.status(small.jobId).status === 'running')
    expect(engine.status(bulk1.jobId).status).toBe('running')
    expect(engine.status(bulk2.jobId).status).toBe('queued')
    for (const id of [bulk1.jobId, bulk2.jobId, small.jobId]) engine.cancel(id)
    await engine.whenIdle()
  })

  it('marks jobs found running at start interrupted, re-queues queued ones and removes partial files', async () => {
    const first = makeEngine(fixtureEntry('ok'))
    const { jobId } = first.enqueue(lotRequest(['A1']), { source: source() })
    await first.whenIdle()
    await first.shutdown()
    engines = []
    // Simulate a crash of the app mid-job: a row left running and a half-written result file.
    const done = catalog.getJob(jobId)!
    catalog.insertJob({
      job_id: 'trace-evt-00000000dead', profile: done.profile, direction: done.direction, request: done.request,
      source_id: done.source_id, status: 'running', started_at: now, created_at: now,
      result_path: join(dir, 'results', 'trace-evt-00000000dead.sqlite'),
    })
    mkdirSync(join(dir, 'results'), { recursive: true })
    writeFileSync(join(dir, 'results', 'trace-evt-00000000dead.sqlite.partial'), 'half')
    const second = makeEngine(fixtureEntry('ok'))
    const row = second.status('trace-evt-00000000dead')
    expect(row).toMatchObject({ status: 'interrupted', error_code: 'job/interrupted' })
    expect(existsSync(join(dir, 'results', 'trace-evt-00000000dead.sqlite.partial'))).toBe(false)
    expect(catalog.integrityCheck().ok).toBe(true)
    const rerun = second.rerun('trace-evt-00000000dead')
    await second.whenIdle()
    expect(second.status(rerun.jobId).status).toBe('finished')
  })

  it('expires finished jobs and their files after the TTL; pinned jobs stay', async () => {
    const engine = makeEngine(TRACE_WORKER, { TRACE_JOB_TTL_SECONDS: 60 })
    const a = engine.enqueue(lotRequest(['GA26010001-A01']), { source: source() })
    const b = engine.enqueue(lotRequest(['GA26010001-A01-001']), { source: source() })
    await engine.whenIdle()
    engine.pin(b.jobId)
    const fileA = engine.status(a.jobId).result_path!
    expect(existsSync(fileA)).toBe(true)
    now += 59_000
    expect(engine.sweep()).toEqual([])
    now += 2_000
    expect(engine.sweep()).toEqual([a.jobId])
    expect(existsSync(fileA)).toBe(false)
    expect(() => engine.status(a.jobId)).toThrow(/No job/)
    expect(engine.status(b.jobId).status).toBe('finished')
  })
})
