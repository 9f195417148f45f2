import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  WORKER_INIT_FAILED_EXIT_GRACE_MS,
  WorkerConnection,
  type WorkerExit,
  type WorkerProcessControl,
} from '../../../main/engine/index.js'
import { isAppError } from '../../../shared/errors.js'
import type { MainToWorkerMessage, WorkerToMainMessage } from '../../../shared/worker-protocol.js'

const JOB = 'trace-evt-0123456789ab'
const LOG: WorkerToMainMessage = { type: 'log', jobId: JOB, level: 'info', message: 'hello' }
const CANCEL: MainToWorkerMessage = { type: 'cancel', jobId: JOB }

/** A process the test drives by hand: it records posts and kills, and "dies" when told. */
function fakeProcess(pid: number | undefined = 1234): WorkerProcessControl & { posted: MainToWorkerMessage[]; kills: number; connected: boolean } {
  const control = {
    posted: [] as MainToWorkerMessage[],
    kills: 0,
    connected: true,
    pid: () => pid,
    isConnected: () => control.connected,
    post: (message: MainToWorkerMessage) => {
      control.posted.push(message)
    },
    forceKill: () => {
      control.kills += 1
    },
  }
  return control
}

async function readyConnection(control = fakeProcess()): Promise<{ connection: WorkerConnection; control: ReturnType<typeof fakeProcess> }> {
  const connection = new WorkerConnection(control, { serviceName: 'test worker' })
  const ready = connection.whenReady(1000)
  connection.receive({ type: 'ready', pid: 1234 })
  expect(await ready).toBe(connection)
  return { connection, control }
}

function nextExit(connection: WorkerConnection): Promise<WorkerExit> {
  return new Promise((resolve) => connection.onExit(resolve))
}

describe('WorkerConnection', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  describe('handshake', () => {
    it('resolves whenReady with itself on ready, and delivers later messages', async () => {
      const { connection } = await readyConnection()
      const received: WorkerToMainMessage[] = []
      connection.onMessage((m) => received.push(m))
      connection.receive(LOG)
      expect(received).toEqual([LOG])
      expect(connection.pid).toBe(1234)
    })

    it('rejects with worker/init-failed carrying the worker’s own error, once the process is gone', async () => {
      const connection = new WorkerConnection(fakeProcess(), { serviceName: 'test worker' })
      const ready = connection.whenReady(1000)
      connection.receive({ type: 'init-failed', error: { code: 'internal/unexpected', message: 'no SQLite' } })
      let isSettled = false
      ready.catch(() => {
        isSettled = true
      })
      await Promise.resolve()
      expect(isSettled).toBe(false)
      connection.processEnded(1, null)
      const error: unknown = await ready.catch((e: unknown) => e)
      expect(isAppError(error, 'worker/init-failed')).toBe(true)
      expect((error as Error).message).toContain('no SQLite')
      expect(connection.exit?.reason).toBe('init-failed')
    })

    it('kills a worker that said init-failed but does not exit by itself', async () => {
      vi.useFakeTimers()
      const control = fakeProcess()
      const connection = new WorkerConnection(control, { serviceName: 'test worker' })
      const ready = connection.whenReady(60_000).catch((e: unknown) => e)
      connection.receive({ type: 'init-failed', error: { code: 'internal/unexpected', message: 'no SQLite' } })
      await vi.advanceTimersByTimeAsync(WORKER_INIT_FAILED_EXIT_GRACE_MS - 1)
      expect(control.kills).toBe(0)
      await vi.advanceTimersByTimeAsync(1)
      expect(control.kills).toBe(1)
      connection.processEnded(null, 'SIGKILL')
      expect(isAppError(await ready, 'worker/init-failed')).toBe(true)
      expect(connection.exit?.reason).toBe('init-failed')
    })

    it('kills a worker silent past the ready timeout and rejects once it is gone', async () => {
      vi.useFakeTimers()
      const control = fakeProcess()
      const connection = new WorkerConnection(control, { serviceName: 'test worker' })
      const ready = connection.whenReady(500).catch((e: unknown) => e)
      await vi.advanceTimersByTimeAsync(499)
      expect(control.kills).toBe(0)
      await vi.advanceTimersByTimeAsync(1)
      expect(control.kills).toBe(1)
      connection.processEnded(null, 'SIGKILL')
      const error = await ready
      expect(isAppError(error, 'worker/init-failed')).toBe(true)
      expect((error as Error).message).toMatch(/did not report ready within 500 ms/)
    })

    it('rejects when the process exits before ready, with the stderr tail in the details', async () => {
      const connection = new WorkerConnection(fakeProcess(), { serviceName: 'test worker' })
      const ready = connection.whenReady(1000).catch((e: unknown) => e)
      connection.appendStderr('Error: Cannot find module /nope.js\n')
      connection.processEnded(1, null)
      const error = await ready
      expect(isAppError(error, 'worker/init-failed')).toBe(true)
      expect((error as { details?: Record<string, unknown> }).details?.stderrTail).toContain('Cannot find module')
    })
  })

  describe('messages', () => {
    it('keeps messages that arrive before anyone listens and hands them over in order', async () => {
      const { connection } = await readyConnection()
      const first: WorkerToMainMessage = { ...LOG, message: 'first' }
      const second: WorkerToMainMessage = { ...LOG, message: 'second' }
      connection.receive(first)
      connection.receive(second)
      const received: string[] = []
      connection.onMessage((m) => received.push(m.type === 'log' ? m.message : m.type))
      connection.receive({ ...LOG, message: 'third' })
      await Promise.resolve()
      expect(received).toEqual(['first', 'second', 'third'])
    })

    it('hands buffered messages to a late listener even when nothing else arrives', async () => {
      const { connection } = await readyConnection()
      connection.receive(LOG)
      const received: WorkerToMainMessage[] = []
      connection.onMessage((m) => received.push(m))
      expect(received).toEqual([])
      await Promise.resolve()
      expect(received).toEqual([LOG])
    })

    it('reports buffered messages before the exit', async () => {
      const { connection } = await readyConnection()
      const events: string[] = []
      connection.receive(LOG)
      connection.onMessage((m) => events.push(m.type))
      connection.onExit((exit) => events.push(`exit:${exit.reason}`))
      connection.processEnded(0, null)
      expect(events).toEqual(['log', 'exit:exited'])
    })

    it('remembers the RSS a worker reports when the OS cannot be asked', async () => {
      const { connection } = await readyConnection()
      expect(connection.rssBytes()).toBeUndefined()
      connection.receive({ type: 'progress', jobId: JOB, progress: { stage: 'seed', completed_stages: [] }, rssBytes: 7_000_000, at: 1 })
      expect(connection.rssBytes()).toBe(7_000_000)
    })

    it('prefers the OS figure when the host has one', async () => {
      const control = { ...fakeProcess(), osRssBytes: () => 9_000_000 }
      const { connection } = await readyConnection(control)
      connection.receive({ type: 'progress', jobId: JOB, progress: { stage: 'seed', completed_stages: [] }, rssBytes: 7_000_000, at: 1 })
      expect(connection.rssBytes()).toBe(9_000_000)
    })

    it('kills a worker that sends something outside the protocol and reports it as such', async () => {
      const { connection, control } = await readyConnection()
      const received: WorkerToMainMessage[] = []
      connection.onMessage((m) => received.push(m))
      connection.receive({ type: 'rows', rows: [] })
      expect(control.kills).toBe(1)
      const exit = nextExit(connection)
      connection.processEnded(null, 'SIGKILL')
      expect(await exit).toMatchObject({ reason: 'crashed', protocolViolation: 'unknown message type "rows"' })
      expect(received).toEqual([])
    })
  })

  describe('send', () => {
    it('posts while the worker runs', async () => {
      const { connection, control } = await readyConnection()
      connection.send(CANCEL)
      expect(control.posted).toEqual([CANCEL])
    })

    it('throws worker/crashed once the process has ended or its channel closed', async () => {
      const { connection, control } = await readyConnection()
      control.connected = false
      expect(() => connection.send(CANCEL)).toThrow(expect.objectContaining({ code: 'worker/crashed' }))
      control.connected = true
      connection.processEnded(0, null)
      expect(() => connection.send(CANCEL)).toThrow(expect.objectContaining({ code: 'worker/crashed' }))
      expect(control.posted).toEqual([])
    })
  })

  describe('exit', () => {
    it('is reported exactly once, even when the host reports it twice', async () => {
      const { connection } = await readyConnection()
      const exits: WorkerExit[] = []
      connection.onExit((e) => exits.push(e))
      connection.processEnded(3, null)
      connection.processEnded(null, 'SIGKILL')
      expect(exits).toEqual([{ code: 3, signal: null, reason: 'crashed', stderrTail: '' }])
    })

    it('is reported asynchronously to a listener that subscribes after the end', async () => {
      const { connection } = await readyConnection()
      connection.processEnded(0, null)
      const exits: WorkerExit[] = []
      connection.onExit((e) => exits.push(e))
      const unsubscribed: WorkerExit[] = []
      connection.onExit((e) => unsubscribed.push(e))()
      expect(exits).toEqual([])
      await Promise.resolve()
      expect(exits.map((e) => e.reason)).toEqual(['exited'])
      expect(unsubscribed).toEqual([])
    })

    it('keeps the pid after the host forgets it (Electron clears it on exit)', async () => {
      let pid: number | undefined = 777
      const control = { ...fakeProcess(), pid: () => pid }
      const { connection } = await readyConnection(control)
      expect(connection.pid).toBe(777)
      pid = undefined
      expect(connection.pid).toBe(777)
    })
  })

  describe('kill', () => {
    it('is idempotent and a no-op after the end', async () => {
      const { connection, control } = await readyConnection()
      connection.kill()
      connection.kill()
      expect(control.kills).toBe(1)
      connection.processEnded(null, 'SIGKILL')
      connection.kill()
      expect(control.kills).toBe(1)
      expect(connection.exit?.reason).toBe('killed')
    })

    it('reports memory-limit when main killed it for its memory, whatever came after', async () => {
      const { connection } = await readyConnection()
      connection.kill('memory-limit')
      connection.kill('killed')
      connection.processEnded(null, 'SIGKILL')
      expect(connection.exit?.reason).toBe('memory-limit')
    })

    it('reports the end itself if the OS never does', async () => {
      vi.useFakeTimers()
      const { connection } = await readyConnection()
      const exit = nextExit(connection)
      connection.kill()
      await vi.advanceTimersByTimeAsync(10_000)
      expect(await exit).toMatchObject({ reason: 'killed', code: null, signal: null })
    })
  })
})

describe('WorkerConnection stderr', () => {
  it('recognises an OOM banner split across chunks and later scrolled out of the tail', async () => {
    const { connection } = await readyConnection()
    // Only the two chunks together spell a marker.
    connection.appendStderr('FATAL ERROR: CALL_AND_RETRY_LAST - JavaScript heap out of me')
    connection.appendStderr('mory\n----- Native stack trace -----\n')
    for (let i = 0; i < 200; i++) connection.appendStderr(` ${i}: 0x55 v8::internal::SomeVeryLongFrameName(int, unsigned long*) [worker]\n`)
    connection.processEnded(null, 'SIGABRT')
    expect(connection.exit?.stderrTail).not.toMatch(/heap out of memory/)
    expect(connection.exit?.reason).toBe('memory-limit')
  })

  it('does not call a plain crash an OOM', async () => {
    const { connection } = await readyConnection()
    connection.appendStderr('Segmentation fault in native module\n')
    connection.processEnded(null, 'SIGSEGV')
    expect(connection.exit?.reason).toBe('crashed')
  })
})
