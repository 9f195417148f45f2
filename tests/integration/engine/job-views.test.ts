/**
 * The engine as the one owner of job rows: every change is announced with the whole view (an
 * import included), a pending cancel shows at once, the worker's log is kept with the job, and a
 * running job whose engine is gone reads `interrupted` to every reader — the CLI after a kill -9 of
 * the engine's process included — before anything recovers it.
 */
import { execFile, spawn, spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ENGINE_LOCK_FILE, type JobEngine, type JobStatusEvent } from '../../../main/engine/index.js'
import { catalogPathOf, openCatalog, resultsDirOf, type Catalog } from '../../../main/store/index.js'
import type { JobView } from '../../../shared/jobs.js'
import { createFixtureSource, type FixtureSource } from '../../fixtures/source-fixture.js'
import { fixtureEntry, testEngine, until } from './worker-kit.js'

const root = join(import.meta.dirname, '..', '..', '..')
const CLI = join(root, 'bin', 'mes-trace.js')
const TRACE_WORKER = join(root, 'dist', 'main', 'worker', 'entry.js')
const run = promisify(execFile)

const lotRequest = (values: string[]) => ({ profile: 'query_tool', params: { resolve_type: 'lot_id', values } })

/** The id of a process that has exited (and been reaped), so no process has it now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
  return Number(child.stdout.toString())
}

describe('job views', () => {
  let dir: string
  let catalog: Catalog
  let engines: JobEngine[]
  let fx: FixtureSource

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-views-'))
    catalog = openCatalog(catalogPathOf(dir))
    engines = []
    fx = await createFixtureSource({
      DW_MES_CONTAINER: [{ CONTAINERID: 'p1', CONTAINERNAME: 'GA26010001-A01', MFGORDERNAME: 'GA26010001', OBJECTTYPE: 'LOT' }],
      DW_MES_LOTWIPHISTORY: [
        { CONTAINERID: 'p1', WORKCENTERNAME: '成型', EQUIPMENTID: 'e1', EQUIPMENTNAME: 'GMOA-0001', TRACKINTIMESTAMP: '2026-01-02 08:00:00', TRACKINQTY: 1000 },
      ],
    })
  })

  afterEach(async () => {
    for (const engine of engines) await engine.shutdown(2000)
    catalog.close()
    await fx.cleanup()
    await rm(dir, { recursive: true, force: true })
  })

  function makeEngine(entry: string, options: { lock?: boolean; start?: boolean } = {}): JobEngine {
    const engine = testEngine({
      catalog,
      workerEntry: entry,
      resultsDir: resultsDirOf(dir),
      ...(options.lock ? { lockPath: join(dir, ENGINE_LOCK_FILE) } : {}),
    })
    engines.push(engine)
    if (options.start !== false) engine.start()
    return engine
  }

  it('keeps what the worker logged with the job, and shows it in the view', async () => {
    const engine = makeEngine(fixtureEntry('hang'))
    const { jobId } = engine.enqueue(lotRequest(['A1']), { source: { kind: 'sqlite', path: fx.path } })
    await until(() => engine.status(jobId).log.length > 0)
    expect(engine.view(jobId).log).toEqual([{ at: expect.any(Number), level: 'info', message: 'hang fixture: not going to finish' }])
    engine.cancel(jobId)
    await engine.whenIdle()
    // The log outlives the run.
    expect(engine.status(jobId)).toMatchObject({ status: 'cancelled', log: [{ level: 'info', message: 'hang fixture: not going to finish' }] })
  })

  it('keeps an error\'s stack in the catalog but never puts it in the view', () => {
    const engine = makeEngine(fixtureEntry('hang'), { start: false })
    const request = { profile: 'query_tool' as const, direction: 'backward' as const, seed: { mode: 'containers' as const, resolve_type: 'lot_id' as const, values: ['A1'] }, station: null, loss_reasons: [], domains: ['history' as const] }
    catalog.insertJob({ job_id: 'trace-evt-00000000000c', profile: 'query_tool', direction: 'backward', request, source_id: `sqlite:${fx.path}` })
    catalog.appendLog('trace-evt-00000000000c', [{ at: 5, level: 'error', message: 'boom', detail: 'Error: boom\n    at trace (x.js:1:1)' }], 10)
    expect(engine.status('trace-evt-00000000000c').log).toEqual([{ at: 5, level: 'error', message: 'boom', detail: 'Error: boom\n    at trace (x.js:1:1)' }])
    expect(engine.view('trace-evt-00000000000c').log).toEqual([{ at: 5, level: 'error', message: 'boom' }])
  })

  it('announces an imported result with its whole view, like a job it ran', async () => {
    expect(existsSync(TRACE_WORKER), 'run `npm run build:main` first').toBe(true)
    const engine = makeEngine(TRACE_WORKER)
    const { jobId } = engine.enqueue(lotRequest(['GA26010001-A01']), { source: { kind: 'sqlite', path: fx.path } })
    await engine.whenIdle()
    const original = engine.status(jobId)
    expect(original.status).toBe('finished')
    const events: JobView[] = []
    engine.onDidChangeStatus((e: JobStatusEvent) => events.push(e.job))
    const imported = await engine.importResult(original.result_path!)
    expect(imported.fileJobId).toBe(jobId)
    expect(events).toHaveLength(1)
    expect(events[0]).toEqual(engine.view(imported.row.job_id))
    expect(events[0]).toMatchObject({ status: 'finished', imported: true, pinned: true, rows_total: original.row_counts.history ?? -1 })
  })

  it('shows a running job whose engine process is gone as interrupted, and one whose engine lives as running', () => {
    const reader = makeEngine(fixtureEntry('hang'), { start: false })
    const base = { profile: 'query_tool' as const, direction: 'backward' as const, source_id: `sqlite:${fx.path}`, status: 'running' as const, started_at: 1 }
    const request = { profile: 'query_tool' as const, direction: 'backward' as const, seed: { mode: 'containers' as const, resolve_type: 'lot_id' as const, values: ['A1'] }, station: null, loss_reasons: [], domains: ['history' as const] }
    catalog.insertJob({ ...base, job_id: 'trace-evt-00000000000a', request, runner_pid: deadPid() })
    catalog.insertJob({ ...base, job_id: 'trace-evt-00000000000b', request, runner_pid: process.ppid })
    expect(reader.status('trace-evt-00000000000a')).toMatchObject({ status: 'interrupted', error_code: 'job/interrupted' })
    expect(reader.view('trace-evt-00000000000a').error?.message).toMatch(/stopped before it finished/)
    expect(reader.status('trace-evt-00000000000b').status).toBe('running')
    expect(reader.list().map((row) => [row.job_id, row.status])).toEqual(
      expect.arrayContaining([
        ['trace-evt-00000000000a', 'interrupted'],
        ['trace-evt-00000000000b', 'running'],
      ]),
    )
    // The catalog keeps the stored status until an engine that owns the folder recovers it.
    expect(catalog.getJob('trace-evt-00000000000a')!.status).toBe('running')
  })

  it('after kill -9 of an engine mid-job, `mes-trace jobs --json` shows the job interrupted before any other command runs', async () => {
    // A separate process runs an engine that owns the data folder, with a worker that never ends.
    const script = join(dir, 'engine-process.mjs')
    const dist = (path: string) => pathToFileURL(join(root, 'dist', path)).href
    writeFileSync(
      script,
      `import { join } from 'node:path'
const { JobEngine, NodeWorkerHost, ENGINE_LOCK_FILE } = await import(${JSON.stringify(dist('main/engine/index.js'))})
const { openCatalog, catalogPathOf, resultsDirOf } = await import(${JSON.stringify(dist('main/store/index.js'))})
const { resolveSettings } = await import(${JSON.stringify(dist('shared/settings.js'))})
const dir = process.argv[2]
const engine = new JobEngine({
  catalog: openCatalog(catalogPathOf(dir)),
  host: new NodeWorkerHost(),
  workerEntry: ${JSON.stringify(fixtureEntry('hang'))},
  resultsDir: resultsDirOf(dir),
  settings: resolveSettings({}),
  appVersion: '0.0.0-test',
  lockPath: join(dir, ENGINE_LOCK_FILE),
})
engine.start()
engine.onDidChangeStatus(({ job }) => { if (job.status === 'running') process.stdout.write(job.job_id + '\\n') })
engine.enqueue(${JSON.stringify(lotRequest(['A1']))}, { source: { kind: 'sqlite', path: process.argv[3] } })
setInterval(() => undefined, 60_000)
`,
    )
    const child = spawn(process.execPath, [script, dir, fx.path], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    let workers: number[] = []
    try {
      await until(() => /trace-evt-[0-9a-f]{12}/.test(out), 20_000, 20)
      const jobId = /trace-evt-[0-9a-f]{12}/.exec(out)![0]
      // Its worker outlives a kill -9 of the engine (nothing tells it): this test ends it itself.
      workers = spawnSync('pgrep', ['-P', String(child.pid)]).stdout.toString().trim().split('\n').filter(Boolean).map(Number)
      // While the engine lives, every reader sees the job running.
      const before = JSON.parse((await run(process.execPath, [CLI, 'jobs', '--json', '--data-dir', dir])).stdout) as JobView[]
      expect(before.find((job) => job.job_id === jobId)?.status).toBe('running')
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
      const after = JSON.parse((await run(process.execPath, [CLI, 'jobs', '--json', '--data-dir', dir])).stdout) as JobView[]
      expect(after.find((job) => job.job_id === jobId)).toMatchObject({ status: 'interrupted', error: { code: 'job/interrupted' } })
      // Nothing recovered it: the catalog still says running; `show` agrees with `jobs`.
      expect(catalog.getJob(jobId)!.status).toBe('running')
      const shown = JSON.parse((await run(process.execPath, [CLI, 'show', jobId, '--json', '--data-dir', dir])).stdout) as { job: JobView }
      expect(shown.job.status).toBe('interrupted')
    } finally {
      child.kill('SIGKILL')
      for (const pid of workers) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // Already gone.
        }
      }
    }
  }, 60_000)
})
