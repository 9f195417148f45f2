/**
 * The spare worker (`spareWorker`): a worker process started and ready before the trace that takes
 * it, replaced as soon as it is taken, never reused, replaced when it died while waiting, and
 * killed at shutdown (also while still starting). Real worker processes on a hand-built source.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JobEngine, NodeWorkerHost, traceWorkerEntry, type WorkerHandle, type WorkerHost, type WorkerSpawnOptions } from '../../../main/engine/index.js'
import { openCatalog, type Catalog } from '../../../main/store/index.js'
import { resolveSettings } from '../../../shared/settings.js'
import { createFixtureSource, SPLIT_LOT_ROWS, type FixtureSource } from '../../fixtures/source-fixture.js'
import { isAlive, until } from './worker-kit.js'

const lotRequest = (values: string[]) => ({ profile: 'query_tool', params: { resolve_type: 'lot_id', values } })

/** A Node worker host that remembers what it started: the name asked for and the process id. */
class RecordingHost implements WorkerHost {
  readonly started: { name: string; pid: number | undefined }[] = []
  private readonly inner = new NodeWorkerHost()
  async spawn(options: WorkerSpawnOptions): Promise<WorkerHandle> {
    const handle = await this.inner.spawn(options)
    this.started.push({ name: options.serviceName, pid: handle.pid })
    return handle
  }
}

describe('JobEngine spare worker', () => {
  let dir: string
  let catalog: Catalog
  let fx: FixtureSource
  let host: RecordingHost
  let engine: JobEngine | undefined

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-spare-'))
    catalog = openCatalog(join(dir, 'catalog.sqlite'))
    fx = await createFixtureSource({ ...SPLIT_LOT_ROWS })
    host = new RecordingHost()
  })

  afterEach(async () => {
    await engine?.shutdown(2000)
    engine = undefined
    catalog.close()
    await fx.cleanup()
    await rm(dir, { recursive: true, force: true })
  })

  function startEngine(spareWorker: boolean): JobEngine {
    engine = new JobEngine({
      catalog,
      host,
      workerEntry: traceWorkerEntry(),
      resultsDir: join(dir, 'results'),
      settings: resolveSettings(),
      appVersion: '0.0.0-test',
      spareWorker,
    })
    engine.start()
    return engine
  }

  async function runTrace(e: JobEngine): Promise<{ jobId: string; pid: number | undefined }> {
    const { jobId } = e.enqueue(lotRequest(['GA26010001-A01']), { source: { kind: 'sqlite', path: fx.path }, force: true })
    let pid: number | undefined
    const stop = e.onDidProgress((event) => {
      if (event.jobId === jobId) pid ??= e.workerPid(jobId)
    })
    await e.whenIdle()
    stop()
    expect(e.status(jobId).status).toBe('finished')
    return { jobId, pid }
  }

  it('has a worker ready before the trace, runs the trace in it, and readies the next at once', async () => {
    const e = startEngine(true)
    await until(() => host.started.length === 1)
    const [spare] = host.started
    expect(spare!.name).toBe('trace (ready)')
    const first = await runTrace(e)
    // The trace ran in the process started before it was asked for; no process was started for it.
    expect(first.pid).toBe(spare!.pid)
    await until(() => host.started.length === 2)
    expect(host.started.map((s) => s.name)).toEqual(['trace (ready)', 'trace (ready)'])
    // One job per process: the next trace runs in the new spare, not in the first one again.
    const second = await runTrace(e)
    expect(second.pid).toBe(host.started[1]!.pid)
    expect(second.pid).not.toBe(first.pid)
  })

  it('replaces a spare that died while waiting, and kills the spare at shutdown', async () => {
    const e = startEngine(true)
    await until(() => host.started.length === 1)
    const dead = host.started[0]!.pid!
    process.kill(dead, 'SIGKILL')
    await until(() => !isAlive(dead))
    const run = await runTrace(e)
    expect(run.pid).not.toBe(dead)
    await until(() => host.started.length >= 3)
    const waiting = host.started.at(-1)!.pid!
    expect(isAlive(waiting)).toBe(true)
    await e.shutdown(2000)
    engine = undefined
    await until(() => !isAlive(waiting))
  })

  it('waits at shutdown for a spare still starting, and has it ended before shutdown returns', async () => {
    const e = startEngine(true)
    // Straight away: the spare is still starting (no handshake yet), so nothing can reach it.
    expect(host.started).toHaveLength(0)
    await e.shutdown(5000)
    engine = undefined
    expect(host.started).toHaveLength(1)
    expect(isAlive(host.started[0]!.pid!)).toBe(false)
  })

  it('starts nothing ahead without the option: each trace starts its own worker', async () => {
    const e = startEngine(false)
    const run = await runTrace(e)
    expect(host.started.map((s) => s.name)).toEqual([`trace ${run.jobId}`])
  })
})
