/**
 * The first read of a foreign result file happens in a worker process under a time limit. Whatever
 * the worker does with the file — hangs on it, dies on it — the importer only waits until the
 * limit, then gets `import/invalid`, and the worker is gone before the answer comes back. With the
 * real trace worker, a genuine result file is accepted and a hostile one refused.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inspectInWorker, NodeWorkerHost, traceWorkerEntry, type WorkerSpawnOptions } from '../../../main/engine/index.js'
import { makeExportedResult, makeHostileCorpus, type HostileFile } from '../../fixtures/hostile-results.js'
import { fixtureEntry, isAlive, SpawnTracker } from './worker-kit.js'

describe('inspectInWorker', () => {
  let dir: string
  let base: string
  let corpus: HostileFile[]
  const host = new NodeWorkerHost()
  const tracker = new SpawnTracker(host)
  const pids: number[] = []
  const trackedHost = {
    spawn: async (options: WorkerSpawnOptions) => {
      const handle = await tracker.spawn(options)
      if (handle.pid !== undefined) pids.push(handle.pid)
      return handle
    },
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-inspection-'))
    base = await makeExportedResult(join(dir, 'base'), 200)
    corpus = makeHostileCorpus(base, join(dir, 'corpus'))
  }, 120_000)

  afterAll(async () => {
    await tracker.cleanUp()
    await rm(dir, { recursive: true, force: true })
  })

  const inspect = (entry: string, path: string, timeoutMs: number) =>
    inspectInWorker({ host: trackedHost, entry, path, name: 'C:\\Mail\\trace.mtr', jobId: 'trace-evt-0123456789ab', maxOldSpaceMb: 256, timeoutMs })

  it('stops waiting for a worker that hangs on the file at the time limit, and ends it', async () => {
    const started = performance.now()
    const error = await inspect(fixtureEntry('hang'), base, 1500).catch((e: unknown) => e)
    const ms = performance.now() - started
    expect(error).toMatchObject({ code: 'import/invalid', details: { reason: 'check-timeout', timeoutMs: 1500 } })
    expect((error as Error).message).toBe('Checking the file took longer than 2 s; it was refused.')
    expect(ms).toBeGreaterThanOrEqual(1500)
    expect(ms).toBeLessThan(8000)
    expect(isAlive(pids.at(-1)!)).toBe(false)
  })

  it('refuses a file the worker dies on', async () => {
    const error = await inspect(fixtureEntry('crash'), base, 10_000).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'import/invalid', details: { reason: 'checker-ended', cause: 'worker/crashed' } })
    expect(isAlive(pids.at(-1)!)).toBe(false)
  })

  it('with the trace worker, accepts a genuine export and refuses a hostile file naming it as the person gave it', async () => {
    const accepted = await inspect(traceWorkerEntry(), base, 20_000)
    expect(accepted).toMatchObject({ request: { profile: 'mid_section_defect', direction: 'backward' }, domains: ['upstream_history', 'materials'] })
    expect(accepted.seedCount).toBeGreaterThan(0)
    const hostile = corpus.find((f) => f.name === 'recursive-view')!
    const error = await inspect(traceWorkerEntry(), hostile.path, 20_000).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'import/invalid', details: { reason: 'schema' } })
    expect((error as Error).message).toMatch(/^C:\\Mail\\trace\.mtr cannot be imported: it holds a view "json_parts"/)
    for (const pid of pids) expect(isAlive(pid)).toBe(false)
  }, 60_000)
})
