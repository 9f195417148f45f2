/**
 * The engine's fault acceptance: a worker killed with -9 beside a healthy one, the engine process
 * itself killed with -9 mid-job, memory limits, unreachable sources, and a flood of malformed
 * requests. Uses the compiled trace worker (`npm run build:main`).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generateDemoPlant } from '../../../main/demo/index.js'
import { traceWorkerEntry, type JobEngine } from '../../../main/engine/index.js'
import { catalogPathOf, openCatalog, resultsDirOf, type Catalog } from '../../../main/store/index.js'
import { isAppError } from '../../../shared/errors.js'
import { normalizeTraceRequest } from '../../../shared/trace-request.js'
import type { EngineSettings } from '../../../shared/settings.js'
import { createFixtureSource, type FixtureSource } from '../../fixtures/source-fixture.js'
import { fixtureEntry, testEngine, until } from './worker-kit.js'

const root = join(import.meta.dirname, '..', '..', '..')
const lotRequest = (values: string[]) => ({ profile: 'query_tool', params: { resolve_type: 'lot_id', values } })


describe('JobEngine under faults', () => {
  let dir: string
  let catalog: Catalog
  let fx: FixtureSource
  let engines: JobEngine[]

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-faults-'))
    catalog = openCatalog(catalogPathOf(dir))
    engines = []
    fx = await createFixtureSource({
      DW_MES_CONTAINER: [{ CONTAINERID: 'p1', CONTAINERNAME: 'GA26010001-A01', MFGORDERNAME: 'GA26010001', OBJECTTYPE: 'LOT' }],
      DW_MES_LOTWIPHISTORY: [{ CONTAINERID: 'p1', WORKCENTERNAME: 'TMTT', EQUIPMENTID: 'e1', EQUIPMENTNAME: 'T1', TRACKINTIMESTAMP: '2026-01-02 08:00:00' }],
    })
  })

  afterEach(async () => {
    for (const engine of engines) await engine.shutdown(2000)
    catalog.close()
    await fx.cleanup()
    await rm(dir, { recursive: true, force: true })
  })

  function makeEngine(entry: string, overrides: Partial<EngineSettings> = {}): JobEngine {
    const engine = testEngine({ catalog, workerEntry: entry, resultsDir: resultsDirOf(dir), settings: overrides })
    engines.push(engine)
    engine.start()
    return engine
  }

  it('kill -9 of one worker fails that job with worker/crashed within 2 s; the job beside it finishes', async () => {
    process.env.SLOW_FIXTURE_SECONDS = '2'
    try {
      const engine = makeEngine(fixtureEntry('slow'), { TRACE_WORKER_COUNT: 2 })
      const a = engine.enqueue(lotRequest(['A1']), { source: { kind: 'sqlite', path: fx.path } })
      const b = engine.enqueue(lotRequest(['B1']), { source: { kind: 'sqlite', path: fx.path } })
      await until(() => engine.workerPid(a.jobId) !== undefined && engine.workerPid(b.jobId) !== undefined)
      const pid = engine.workerPid(a.jobId)!
      const killedAt = Date.now()
      process.kill(pid, 'SIGKILL')
      await until(() => engine.status(a.jobId).status !== 'running', 2000, 10)
      expect(Date.now() - killedAt).toBeLessThan(2000)
      expect(engine.status(a.jobId)).toMatchObject({ status: 'failed', error_code: 'worker/crashed' })
      expect(engine.status(a.jobId).error_message).toContain('SIGKILL')
      await engine.whenIdle()
      expect(engine.status(b.jobId)).toMatchObject({ status: 'finished', error_code: null })
    } finally {
      delete process.env.SLOW_FIXTURE_SECONDS
    }
  })

  it('ends a worker over its heap limit with worker/memory-limit', async () => {
    const engine = makeEngine(fixtureEntry('oom'), { TRACE_WORKER_MAX_MEMORY_MB: 128 })
    const { jobId } = engine.enqueue(lotRequest(['A1']), { source: { kind: 'sqlite', path: fx.path } })
    await engine.whenIdle()
    expect(engine.status(jobId)).toMatchObject({ status: 'failed', error_code: 'worker/memory-limit' })
  })

  it('ends a worker whose RSS outgrows the cap with worker/memory-limit (the watchdog)', async () => {
    const engine = makeEngine(fixtureEntry('big-rss'), { TRACE_WORKER_MAX_MEMORY_MB: 128 })
    const { jobId } = engine.enqueue(lotRequest(['A1']), { source: { kind: 'sqlite', path: fx.path } })
    await engine.whenIdle()
    expect(engine.status(jobId)).toMatchObject({ status: 'failed', error_code: 'worker/memory-limit' })
  })

  it('fails with a source/* code when the source is unreachable or lacks the schema', async () => {
    const engine = makeEngine(traceWorkerEntry())
    const missing = engine.enqueue(lotRequest(['A1']), { source: { kind: 'sqlite', path: join(dir, 'nope.sqlite') } })
    const broken = await createFixtureSource({}, { tables: ['DW_MES_CONTAINER'] })
    try {
      const schema = engine.enqueue(lotRequest(['A1']), { source: { kind: 'sqlite', path: broken.path } })
      await engine.whenIdle()
      expect(engine.status(missing.jobId)).toMatchObject({ status: 'failed', error_code: 'source/unreachable' })
      expect(engine.status(schema.jobId)).toMatchObject({ status: 'failed', error_code: 'source/schema' })
      expect(engine.status(schema.jobId).error_message).toContain('DW_MES_LOTWIPHISTORY')
      const left = existsSync(resultsDirOf(dir)) ? readdirSync(resultsDirOf(dir)) : []
      expect(left.filter((f) => f.includes(schema.jobId))).toEqual([])
    } finally {
      await broken.cleanup()
    }
  })

  it('refuses 10 000 malformed requests with input/invalid naming the field, writes nothing, then serves a valid job', async () => {
    const engine = makeEngine(traceWorkerEntry())
    const source = { kind: 'sqlite' as const, path: fx.path }
    const makers: ((i: number) => [unknown, RegExp])[] = [
      (i) => [{ profile: i, params: {} }, /^profile$/],
      (i) => [{ profile: `query_tool${i}`, params: {} }, /^profile$/],
      (i) => [{ profile: 'query_tool', params: { resolve_type: 'lot_id', values: [i] } }, /^params\.values\[0\]$/],
      (i) => [{ profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['x'.repeat(201 + i)] } }, /^params\.values\[0\]$/],
      (i) => [{ profile: 'query_tool', params: { resolve_type: 'lot_id', values: [`'; DELETE FROM jobs; --${i}`, '*'] } }, /^params\.values$/],
      (i) => [{ profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['A'] }, domains: ['history', `evil${i}`] }, /^domains\[1\]$/],
      (i) => [{ profile: 'mid_section_defect', params: { start_date: `2026-13-${(i % 28) + 1}`, end_date: '2026-01-01' } }, /^params\.start_date$/],
      (i) => [{ profile: 'mid_section_defect', params: { start_date: '2026-01-01', end_date: '2026-01-02', station: `S${i}` } }, /^params\.station$/],
      (i) => [{ profile: 'query_tool_reverse', params: { resolve_type: 'lot_id', values: [`L${i}`] } }, /^params\.resolve_type$/],
      (i) => [i % 2 ? null : [i], /^request$/],
    ]
    for (let i = 0; i < 10_000; i++) {
      const [request, field] = makers[i % makers.length]!(i)
      let error: unknown
      try {
        engine.enqueue(request, { source })
      } catch (e) {
        error = e
      }
      if (!isAppError(error, 'input/invalid') || !field.test(String(error.details?.field))) {
        throw new Error(`request ${i} was not refused as expected: ${JSON.stringify(request).slice(0, 200)} → ${String(error)}`)
      }
    }
    expect(engine.list()).toEqual([])
    expect(existsSync(resultsDirOf(dir)) ? readdirSync(resultsDirOf(dir)) : []).toEqual([])
    const ok = engine.enqueue(lotRequest(['GA26010001-A01']), { source })
    await engine.whenIdle()
    expect(engine.status(ok.jobId)).toMatchObject({ status: 'finished', seed_count: 1 })
  })

  it('runs jobs found queued at start (the app stopped before they began)', async () => {
    catalog.insertJob({
      job_id: 'trace-evt-0000000000bb', profile: 'query_tool', direction: 'forward', source_id: `sqlite:${fx.path}`,
      request: normalizeTraceRequest(lotRequest(['GA26010001-A01'])), status: 'queued', created_at: Date.now(),
      result_path: join(resultsDirOf(dir), 'trace-evt-0000000000bb.sqlite'), priority: 1,
    })
    const engine = makeEngine(traceWorkerEntry())
    await until(() => engine.status('trace-evt-0000000000bb').status !== 'queued')
    await engine.whenIdle()
    expect(engine.status('trace-evt-0000000000bb')).toMatchObject({ status: 'finished', seed_count: 1 })
  })

  it('leaves running jobs and partial files alone while another live engine holds the data folder', async () => {
    const lockPath = join(dir, 'engine.lock')
    const other = spawn('sleep', ['30'], { stdio: 'ignore' })
    try {
      writeFileSync(lockPath, String(other.pid))
      catalog.insertJob({
        job_id: 'trace-evt-0000000000aa', profile: 'query_tool', direction: 'forward', source_id: `sqlite:${fx.path}`,
        request: normalizeTraceRequest(lotRequest(['A1'])), status: 'running', started_at: Date.now(), created_at: Date.now(),
      })
      mkdirSync(resultsDirOf(dir), { recursive: true })
      const partial = join(resultsDirOf(dir), 'trace-evt-0000000000aa.sqlite.partial')
      writeFileSync(partial, 'being written by the other engine')
      const guest = testEngine({ catalog, resultsDir: resultsDirOf(dir), lockPath })
      engines.push(guest)
      expect(guest.start()).toEqual({ requeued: [], interrupted: [], removedPartials: [] })
      expect(catalog.getJob('trace-evt-0000000000aa')?.status).toBe('running')
      expect(existsSync(partial)).toBe(true)
      await guest.shutdown()
      expect(readFileSync(lockPath, 'utf8')).toBe(String(other.pid))

      other.kill('SIGKILL')
      await new Promise((r) => other.once('exit', r))
      const owner = testEngine({ catalog, resultsDir: resultsDirOf(dir), lockPath })
      engines.push(owner)
      const recovery = owner.start()
      expect(recovery.interrupted).toEqual(['trace-evt-0000000000aa'])
      expect(recovery.removedPartials).toHaveLength(1)
      expect(existsSync(partial)).toBe(false)
      expect(readFileSync(lockPath, 'utf8')).toBe(String(process.pid))
      await owner.shutdown()
      expect(existsSync(lockPath)).toBe(false)
    } finally {
      other.kill('SIGKILL')
    }
  })

  it('after kill -9 of the engine process mid-job, a restart marks the job interrupted and a re-run finishes', async () => {
    const plant = join(dir, 'plant.sqlite')
    const summary = await generateDemoPlant({ out: plant, lots: 20_000, seed: 'restart-test' })
    const dataDir = join(dir, 'data')
    const cli = spawn(process.execPath, [
      join(root, 'bin', 'mes-trace.js'), 'run', '--source', plant, '--profile', 'mid_section_defect',
      '--from', summary.startDate, '--to', summary.endDate,
      '--domains', 'history,materials,rejects,holds,jobs,upstream_history,downstream_rejects', '--data-dir', dataDir, '--json',
    ], { stdio: 'ignore' })
    const peek = (): { job_id: string; status: string }[] => {
      if (!existsSync(catalogPathOf(dataDir))) return []
      const db = new Database(catalogPathOf(dataDir), { readonly: true, fileMustExist: true })
      try {
        return db.prepare('SELECT job_id, status FROM jobs').all() as { job_id: string; status: string }[]
      } catch {
        return []
      } finally {
        db.close()
      }
    }
    const partials = (): string[] => (existsSync(resultsDirOf(dataDir)) ? readdirSync(resultsDirOf(dataDir)).filter((f) => f.endsWith('.partial')) : [])
    await until(() => peek().some((j) => j.status === 'running') && partials().length > 0, 60_000, 50)
    cli.kill('SIGKILL')
    await new Promise((r) => cli.once('exit', r))
    const [job] = peek()
    expect(job?.status).toBe('running')
    // The orphaned worker notices its parent is gone and stops; give it a moment.
    await new Promise((r) => setTimeout(r, 500))

    const restarted = openCatalog(catalogPathOf(dataDir))
    try {
      const engine = testEngine({ catalog: restarted, resultsDir: resultsDirOf(dataDir) })
      engines.push(engine)
      const recovery = engine.start()
      expect(recovery.interrupted).toEqual([job!.job_id])
      expect(engine.status(job!.job_id)).toMatchObject({ status: 'interrupted', error_code: 'job/interrupted' })
      expect(restarted.integrityCheck().ok).toBe(true)
      expect(partials()).toEqual([])
      expect(readdirSync(resultsDirOf(dataDir))).toEqual([])
      const rerun = engine.rerun(job!.job_id)
      await engine.whenIdle()
      expect(engine.status(rerun.jobId)).toMatchObject({ status: 'finished' })
      expect(engine.status(rerun.jobId).seed_count).toBeGreaterThan(1000)
    } finally {
      for (const engine of engines.splice(0)) await engine.shutdown(2000)
      restarted.close()
    }
  }, 180_000)
})
