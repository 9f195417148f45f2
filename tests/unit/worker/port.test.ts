import { EventEmitter } from 'node:events'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import * as workerPort from '../../../main/worker/index.js'
import type { MainToWorkerMessage, WorkerToMainMessage } from '../../../shared/worker-protocol.js'
import * as fixturePort from '../../fixtures/workers/fixture-port.mjs'

const CANCEL: MainToWorkerMessage = { type: 'cancel', jobId: 'trace-evt-000000000001' }
const READY: WorkerToMainMessage = { type: 'ready', pid: 4242 }

/** Thrown by the fake `process.exit`, since the real one never returns. */
class FakeExit extends Error {
  constructor(readonly code: number | undefined) {
    super(`exit ${String(code)}`)
  }
}

/** Electron's `process.parentPort`: messages arrive wrapped as `{ data }`. */
class FakeParentPort extends EventEmitter {
  readonly posted: unknown[] = []
  postMessage(message: unknown): void {
    this.posted.push(message)
  }
  deliver(data: unknown): void {
    this.emit('message', { data, ports: [] })
  }
}

/** A child process's `process`: `send` with a completion callback, raw values on 'message'. */
class FakeChildProcess extends EventEmitter {
  parentPort: FakeParentPort | null = null
  readonly sent: unknown[] = []
  readonly exitCodes: Array<number | undefined> = []
  /** Completion callbacks not yet called: the message is still "in the pipe". */
  readonly unwritten: Array<(error: Error | null) => void> = []
  send(message: unknown, callback: (error: Error | null) => void): boolean {
    this.sent.push(message)
    this.unwritten.push(callback)
    return true
  }
  writeAll(): void {
    for (const callback of this.unwritten.splice(0)) callback(null)
  }
  exit(code?: number): never {
    this.exitCodes.push(code)
    throw new FakeExit(code)
  }
}

/** An Electron utility process's `process`: a parentPort and no `send`. */
function fakeUtilityProcess(): { proc: workerPort.WorkerProcessLike; parentPort: FakeParentPort; exitCodes: Array<number | undefined> } {
  const parentPort = new FakeParentPort()
  const emitter = new EventEmitter()
  const exitCodes: Array<number | undefined> = []
  const proc: workerPort.WorkerProcessLike = {
    parentPort,
    on: (event, listener) => emitter.on(event, listener),
    off: (event, listener) => emitter.off(event, listener),
    exit: (code) => {
      exitCodes.push(code)
      throw new FakeExit(code)
    },
  }
  return { proc, parentPort, exitCodes }
}

const IMPLEMENTATIONS = [
  ['main/worker/port.ts', workerPort],
  ['tests/fixtures/workers/fixture-port.mjs (the fixtures’ copy)', fixturePort],
] as const

describe.each(IMPLEMENTATIONS)('connectToMain — %s', (_name, impl) => {
  describe('in an Electron utility process', () => {
    it('posts through process.parentPort', () => {
      const { proc, parentPort } = fakeUtilityProcess()
      const port = impl.connectToMain(proc)
      expect(port.kind).toBe('utility-process')
      port.postToMain(READY)
      expect(parentPort.posted).toEqual([READY])
    })

    it('unwraps { data } events, drops anything outside the protocol, and unsubscribes', () => {
      const { proc, parentPort } = fakeUtilityProcess()
      const port = impl.connectToMain(proc)
      const received: MainToWorkerMessage[] = []
      const unsubscribe = port.onMainMessage((message) => received.push(message))
      parentPort.deliver(CANCEL)
      parentPort.deliver({ type: 'explode' })
      parentPort.deliver({ type: 'cancel' })
      parentPort.deliver('cancel')
      unsubscribe()
      parentPort.deliver(CANCEL)
      expect(received).toEqual([CANCEL])
      expect(parentPort.listenerCount('message')).toBe(0)
    })

    it('exits with the given code after a flush', async () => {
      const { proc, exitCodes } = fakeUtilityProcess()
      const port = impl.connectToMain(proc)
      await expect(port.exit(0)).rejects.toThrow(FakeExit)
      expect(exitCodes).toEqual([0])
    })
  })

  describe('in a Node child process', () => {
    it('posts through process.send', () => {
      const proc = new FakeChildProcess()
      const port = impl.connectToMain(proc)
      expect(port.kind).toBe('child-process')
      port.postToMain(READY)
      expect(proc.sent).toEqual([READY])
    })

    it('receives raw values from process "message" events, drops anything outside the protocol, and unsubscribes', () => {
      const proc = new FakeChildProcess()
      const port = impl.connectToMain(proc)
      const received: MainToWorkerMessage[] = []
      const unsubscribe = port.onMainMessage((message) => received.push(message))
      proc.emit('message', CANCEL)
      proc.emit('message', { data: CANCEL })
      proc.emit('message', null)
      unsubscribe()
      proc.emit('message', CANCEL)
      expect(received).toEqual([CANCEL])
      expect(proc.listenerCount('message')).toBe(0)
    })

    it('flushes only once every posted message has been written, then exits', async () => {
      const proc = new FakeChildProcess()
      const port = impl.connectToMain(proc)
      port.postToMain(READY)
      port.postToMain({ type: 'log', jobId: 'j', level: 'info', message: 'last words' })
      const exiting = port.exit(0)
      let isSettled = false
      exiting.catch(() => {
        isSettled = true
      })
      await nextTurn()
      expect(isSettled).toBe(false)
      expect(proc.exitCodes).toEqual([])
      proc.writeAll()
      await expect(exiting).rejects.toThrow(FakeExit)
      expect(proc.exitCodes).toEqual([0])
    })

    it('flushes at once when nothing is in flight', async () => {
      const proc = new FakeChildProcess()
      await expect(impl.connectToMain(proc).flush()).resolves.toBeUndefined()
    })

    it('reports a failed set-up with failInit: init-failed, then exit code 1', async () => {
      const proc = new FakeChildProcess()
      const port = impl.connectToMain(proc)
      const failing = impl.failInit(port, { code: 'internal/unexpected', message: 'no SQLite' })
      proc.writeAll()
      await expect(failing).rejects.toThrow(FakeExit)
      expect(proc.sent).toEqual([{ type: 'init-failed', error: { code: 'internal/unexpected', message: 'no SQLite' } }])
      expect(proc.exitCodes).toEqual([1])
    })
  })

  it('prefers parentPort when both channels exist', () => {
    const proc = new FakeChildProcess()
    proc.parentPort = new FakeParentPort()
    const port = impl.connectToMain(proc)
    port.postToMain(READY)
    expect(port.kind).toBe('utility-process')
    expect(proc.parentPort.posted).toEqual([READY])
    expect(proc.sent).toEqual([])
  })

  it('refuses to run without any channel to main', () => {
    const emitter = new EventEmitter()
    const proc: workerPort.WorkerProcessLike = {
      on: (event, listener) => emitter.on(event, listener),
      off: (event, listener) => emitter.off(event, listener),
      exit: (code) => {
        throw new FakeExit(code)
      },
    }
    expect(() => impl.connectToMain(proc)).toThrow(/No channel to main/)
  })
})

describe('isMainToWorkerMessage', () => {
  it('accepts start and cancel with a job id only', () => {
    expect(workerPort.isMainToWorkerMessage(CANCEL)).toBe(true)
    expect(workerPort.isMainToWorkerMessage({ type: 'cancel' })).toBe(false)
    expect(workerPort.isMainToWorkerMessage({ type: 'done', jobId: 'x' })).toBe(false)
    expect(workerPort.isMainToWorkerMessage(undefined)).toBe(false)
  })
})
