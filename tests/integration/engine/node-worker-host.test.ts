import { afterEach, describe, expect, it } from 'vitest'
import { NodeWorkerHost, WORKER_SEMI_SPACE_MB, workerExitError, type WorkerHandle } from '../../../main/engine/index.js'
import { isAppError, type AppErrorData } from '../../../shared/errors.js'
import { SpawnTracker, collectUntilExit, fixtureOptions, isAlive, startMessage, whenExited } from './worker-kit.js'

const tracker = new SpawnTracker(new NodeWorkerHost())

afterEach(async () => {
  await tracker.cleanUp()
})

/** Waits until `handle` has sent a message of `type`. */
function whenMessage(handle: WorkerHandle, type: string): Promise<void> {
  return new Promise((resolve) => {
    const off = handle.onMessage((m) => {
      if (m.type !== type) return
      off()
      resolve()
    })
  })
}

describe('NodeWorkerHost', () => {
  describe('when the worker finishes', () => {
    it('delivers its messages in order, then reports a clean exit', async () => {
      const handle = await tracker.spawn(fixtureOptions('ok'))
      expect(handle.pid).toBeGreaterThan(0)
      const run = collectUntilExit(handle)
      handle.send(startMessage('trace-evt-00000000000a'))
      const { messages, exit } = await run
      expect(messages.map((m) => (m.type === 'progress' ? `progress:${m.progress.stage}` : m.type))).toEqual([
        'progress:seed',
        'progress:lineage',
        'progress:events',
        'done',
      ])
      const done = messages[3]
      expect(done?.type === 'done' && done.jobId).toBe('trace-evt-00000000000a')
      expect(done?.type === 'done' && done.summary.rows).toEqual({ history: 12, materials: 3 })
      expect(exit).toEqual({ code: 0, signal: null, reason: 'exited', stderrTail: '' })
      expect(isAlive(handle.pid ?? -1)).toBe(false)
    })

    it('passes a worker’s own error through as a message and exits cleanly', async () => {
      const handle = await tracker.spawn(fixtureOptions('fail'))
      const run = collectUntilExit(handle)
      handle.send(startMessage())
      const { messages, exit } = await run
      expect(messages).toHaveLength(1)
      const [error] = messages
      expect(error?.type === 'error' && error.error.code).toBe('source/query-failed')
      expect(exit.reason).toBe('exited')
    })

    it('passes the environment through (slow fixture, shortened)', async () => {
      const handle = await tracker.spawn(fixtureOptions('slow', { env: { SLOW_FIXTURE_SECONDS: '0.3' } }))
      const run = collectUntilExit(handle)
      handle.send(startMessage())
      const { messages, exit } = await run
      expect(messages.map((m) => m.type)).toEqual(['progress', 'progress', 'progress', 'done'])
      expect(exit.reason).toBe('exited')
    })
  })

  describe('the heap a worker gets', () => {
    it('caps the old generation at the memory setting and the young generation at its two small semi-spaces', async () => {
      const handle = await tracker.spawn(fixtureOptions('heap', { maxOldSpaceMb: 256 }))
      const run = collectUntilExit(handle)
      handle.send(startMessage())
      const { messages, exit } = await run
      expect(exit.reason).toBe('exited')
      const log = messages.find((m) => m.type === 'log')
      const shape = JSON.parse(log?.type === 'log' ? log.message : '{}') as { execArgv: string[]; newSpaceBytes: number; heapLimitBytes: number; kept: number }
      expect(shape.execArgv).toEqual(expect.arrayContaining(['--max-old-space-size=256', `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`]))
      expect(shape.kept).toBe(300_000)
      // Grown as far as it may: V8's default would be 32 MB here.
      expect(shape.newSpaceBytes).toBeGreaterThan(0)
      expect(shape.newSpaceBytes).toBeLessThanOrEqual(2 * WORKER_SEMI_SPACE_MB * 1024 * 1024)
      expect(shape.heapLimitBytes).toBeLessThan(300 * 1024 * 1024)
    })
  })

  describe('when the worker crashes', () => {
    it('classifies a non-zero exit as crashed and keeps the stderr tail', async () => {
      const handle = await tracker.spawn(fixtureOptions('crash'))
      const exited = whenExited(handle)
      handle.send(startMessage('trace-evt-0000000000cc'))
      const exit = await exited
      expect(exit).toMatchObject({ code: 3, signal: null, reason: 'crashed' })
      expect(exit.stderrTail).toContain('crash fixture: simulated fault while running trace-evt-0000000000cc')
      expect(workerExitError(exit).code).toBe('worker/crashed')
    })

    it('classifies kill -9 from outside as crashed within 2 s', async () => {
      const handle = await tracker.spawn(fixtureOptions('slow', { env: { SLOW_FIXTURE_SECONDS: '30' } }))
      handle.send(startMessage())
      await whenMessage(handle, 'progress')
      const exited = whenExited(handle)
      const killedAt = performance.now()
      process.kill(handle.pid ?? -1, 'SIGKILL')
      const exit = await exited
      expect(performance.now() - killedAt).toBeLessThan(2000)
      expect(exit).toMatchObject({ code: null, signal: 'SIGKILL', reason: 'crashed' })
    })

    it('kills a worker that breaks the protocol and reports worker/protocol', async () => {
      const handle = await tracker.spawn(fixtureOptions('protocol-violation'))
      const run = collectUntilExit(handle)
      handle.send(startMessage())
      const { messages, exit } = await run
      expect(messages).toEqual([])
      expect(exit).toMatchObject({ reason: 'crashed', signal: 'SIGKILL', protocolViolation: 'unknown message type "rows"' })
      expect(workerExitError(exit).code).toBe('worker/protocol')
    })

    it('refuses to send after the exit', async () => {
      const handle = await tracker.spawn(fixtureOptions('crash'))
      const exited = whenExited(handle)
      handle.send(startMessage())
      await exited
      expect(() => handle.send({ type: 'cancel', jobId: 'trace-evt-0123456789ab' })).toThrow(
        expect.objectContaining({ code: 'worker/crashed' }),
      )
    })
  })

  describe('when main stops the worker', () => {
    it('lets a cooperative worker exit on cancel', async () => {
      const handle = await tracker.spawn(fixtureOptions('slow', { env: { SLOW_FIXTURE_SECONDS: '30' } }))
      const job = startMessage()
      handle.send(job)
      await whenMessage(handle, 'progress')
      const exited = whenExited(handle)
      const cancelledAt = performance.now()
      handle.send({ type: 'cancel', jobId: job.type === 'start' ? job.jobId : '' })
      const exit = await exited
      expect(performance.now() - cancelledAt).toBeLessThan(1000)
      expect(exit).toMatchObject({ code: 0, reason: 'exited' })
    })

    it('reports its own SIGKILL of a worker that ignores cancel as killed', async () => {
      const handle = await tracker.spawn(fixtureOptions('hang'))
      handle.send(startMessage())
      await whenMessage(handle, 'log')
      handle.send({ type: 'cancel', jobId: 'trace-evt-0123456789ab' })
      // The hang fixture ignores the cancel: it is still there a moment later.
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(isAlive(handle.pid ?? -1)).toBe(true)
      const exited = whenExited(handle)
      handle.kill()
      handle.kill()
      expect(await exited).toMatchObject({ code: null, signal: 'SIGKILL', reason: 'killed' })
      expect(isAlive(handle.pid ?? -1)).toBe(false)
    })
  })

  describe('when the worker runs out of heap', () => {
    it('classifies V8’s heap OOM under a 64 MB cap as memory-limit', async () => {
      const handle = await tracker.spawn(fixtureOptions('oom', { maxOldSpaceMb: 64 }))
      const exited = whenExited(handle, 4500)
      handle.send(startMessage())
      const exit = await exited
      expect(exit.reason).toBe('memory-limit')
      expect(exit.stderrTail).toMatch(/heap out of memory/)
      expect(workerExitError(exit).code).toBe('worker/memory-limit')
    })
  })

  describe('when the worker cannot start', () => {
    it('rejects the spawn with worker/init-failed carrying the worker’s reason', async () => {
      const error: unknown = await tracker.spawn(fixtureOptions('init-fail')).catch((e: unknown) => e)
      expect(isAppError(error, 'worker/init-failed')).toBe(true)
      const data = error as AppErrorData
      expect(data.message).toContain('The native SQLite module did not load (fixture).')
      expect(data.details).toMatchObject({ reason: 'init-failed', code: 1 })
      expect(isAlive(Number(data.details?.pid))).toBe(false)
    })

    it('rejects after the ready timeout when the worker never says ready, and kills it', async () => {
      const host = new NodeWorkerHost({ readyTimeoutMs: 400 })
      const quick = new SpawnTracker(host)
      const startedAt = performance.now()
      const error: unknown = await quick.spawn(fixtureOptions('no-ready')).catch((e: unknown) => e)
      const elapsed = performance.now() - startedAt
      expect(isAppError(error, 'worker/init-failed')).toBe(true)
      expect((error as AppErrorData).message).toMatch(/did not report ready within 400 ms/)
      expect(elapsed).toBeGreaterThanOrEqual(390)
      expect(elapsed).toBeLessThan(3000)
      await quick.cleanUp()
    })

    it('rejects when the entry does not exist, with Node’s complaint in the stderr tail', async () => {
      const error: unknown = await tracker
        .spawn(fixtureOptions('ok', { entry: '/nonexistent/worker-entry.mjs' }))
        .catch((e: unknown) => e)
      expect(isAppError(error, 'worker/init-failed')).toBe(true)
      expect((error as AppErrorData).message).toMatch(/exited before it was ready \(exit code 1\)/)
      expect(String((error as AppErrorData).details?.stderrTail)).toContain('Cannot find module')
    })

    it('refuses a heap cap that would mean no cap', async () => {
      await expect(tracker.spawn(fixtureOptions('ok', { maxOldSpaceMb: 0 }))).rejects.toMatchObject({ code: 'input/invalid' })
    })
  })

  describe('diagnostics', () => {
    it('hands raw output to onOutput while still keeping the stderr tail', async () => {
      const chunks: string[] = []
      const host = new NodeWorkerHost({ onOutput: (stream, chunk) => chunks.push(`${stream}:${chunk.toString()}`) })
      const local = new SpawnTracker(host)
      const handle = await local.spawn(fixtureOptions('crash'))
      const exited = whenExited(handle)
      handle.send(startMessage())
      const exit = await exited
      expect(chunks.join('')).toContain('stderr:crash fixture')
      expect(exit.stderrTail).toContain('crash fixture')
      await local.cleanUp()
    })

    it('reads a running worker’s RSS', async () => {
      const handle = await tracker.spawn(fixtureOptions('hang'))
      expect(handle.rssBytes()).toBeGreaterThan(10 * 1024 * 1024)
    })
  })
})
