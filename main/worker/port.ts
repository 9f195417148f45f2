/**
 * The worker side of the channel to main, so one worker entry runs unchanged as an Electron
 * utility process (`process.parentPort`, messages arrive as `{ data }` events) and as a Node child
 * process (`process.send` / `process.on('message')`). Runs inside the worker: it must never import
 * `electron`, so `parentPort` is typed structurally.
 */
import type { AppErrorData } from '../../shared/errors.js'
import type { MainToWorkerMessage, WorkerToMainMessage } from '../../shared/worker-protocol.js'

/** The shape of Electron's `process.parentPort` this adapter relies on. */
export interface ParentPortLike {
  postMessage(message: unknown): void
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown
  off(event: 'message', listener: (event: { data: unknown }) => void): unknown
}

/** The parts of `process` this adapter uses (a fake in tests). */
export interface WorkerProcessLike {
  /** Present (non-null) only in an Electron utility process. */
  parentPort?: ParentPortLike | null
  /** Present only in a child process forked with an IPC channel. */
  send?(message: unknown, callback: (error: Error | null) => void): boolean
  on(event: 'message', listener: (message: unknown) => void): unknown
  off(event: 'message', listener: (message: unknown) => void): unknown
  exit(code?: number): never
}

/** The worker's end of the channel. */
export interface MainPort {
  /** Which transport was found. */
  readonly kind: 'utility-process' | 'child-process'
  postToMain(message: WorkerToMainMessage): void
  /** Subscribes to main's messages; anything outside the protocol is dropped. Returns the unsubscribe function. */
  onMainMessage(listener: (message: MainToWorkerMessage) => void): () => void
  /**
   * Resolves once every message posted so far has left this process, so exiting right after
   * cannot lose the final `done` or `error`.
   */
  flush(): Promise<void>
  /** {@link flush}, then ends the process with `code`. */
  exit(code: number): Promise<never>
}

/** Narrows a value received from main. Main is the only sender, but a stale or foreign message must not crash the worker. */
export function isMainToWorkerMessage(value: unknown): value is MainToWorkerMessage {
  if (typeof value !== 'object' || value === null) return false
  const { type, jobId } = value as { type?: unknown; jobId?: unknown }
  return (type === 'start' || type === 'cancel' || type === 'inspect') && typeof jobId === 'string'
}

/**
 * Connects to main through whichever channel this process has. Throws when it has none (the
 * entry was started directly, not by a worker host): such a worker could never report anything.
 */
export function connectToMain(proc: WorkerProcessLike = process): MainPort {
  const parentPort = proc.parentPort
  if (parentPort !== undefined && parentPort !== null) return utilityProcessPort(proc, parentPort)
  if (typeof proc.send === 'function') return childProcessPort(proc)
  throw new Error('No channel to main: start this worker through a WorkerHost (process.parentPort and process.send are both missing).')
}

/**
 * Reports a failed environment check and ends the worker — the first thing a worker entry does
 * when, say, the native SQLite module does not load. Main rejects the spawn with `worker/init-failed`.
 */
export async function failInit(port: MainPort, error: AppErrorData): Promise<never> {
  port.postToMain({ type: 'init-failed', error })
  return port.exit(1)
}

function utilityProcessPort(proc: WorkerProcessLike, parentPort: ParentPortLike): MainPort {
  const port: MainPort = {
    kind: 'utility-process',
    postToMain: (message) => parentPort.postMessage(message),
    onMainMessage: (listener) => {
      const handler = (event: { data: unknown }): void => {
        if (isMainToWorkerMessage(event.data)) listener(event.data)
      }
      parentPort.on('message', handler)
      return () => {
        parentPort.off('message', handler)
      }
    },
    // parentPort.postMessage has no completion callback; it hands the message to Chromium's IPC
    // synchronously, and one turn of the event loop lets that IPC thread pick it up.
    flush: () => new Promise((resolve) => setImmediate(resolve)),
    exit: async (code) => {
      await port.flush()
      return proc.exit(code)
    },
  }
  return port
}

function childProcessPort(proc: WorkerProcessLike): MainPort {
  // Sends not yet written to the IPC pipe, and who waits for them.
  let inFlight = 0
  let waiters: Array<() => void> = []
  const settleOne = (): void => {
    inFlight -= 1
    if (inFlight > 0) return
    const ready = waiters
    waiters = []
    for (const resolve of ready) resolve()
  }
  const port: MainPort = {
    kind: 'child-process',
    postToMain: (message) => {
      const send = proc.send
      // The channel closes when main dies; a worker without a parent must not crash on a report.
      if (send === undefined) return
      inFlight += 1
      try {
        // The callback fires once written (or failed): that is what flush() waits for.
        send.call(proc, message, () => settleOne())
      } catch {
        settleOne()
      }
    },
    onMainMessage: (listener) => {
      const handler = (message: unknown): void => {
        if (isMainToWorkerMessage(message)) listener(message)
      }
      proc.on('message', handler)
      return () => {
        proc.off('message', handler)
      }
    },
    flush: () => (inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
    exit: async (code) => {
      await port.flush()
      return proc.exit(code)
    },
  }
  return port
}
