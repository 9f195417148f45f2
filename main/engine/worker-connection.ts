/**
 * The part of a worker handle that does not depend on how the process was started: the ready
 * handshake and its timeout, message validation and buffering, exit classification and the
 * exactly-once exit report. `NodeWorkerHost` and `ElectronWorkerHost` only adapt their process
 * object to {@link WorkerProcessControl} and feed events in, so both behave identically.
 */
import { AppError, type AppErrorData } from '../../shared/errors.js'
import { isWorkerToMainMessage, type MainToWorkerMessage, type WorkerToMainMessage } from '../../shared/worker-protocol.js'
import { StderrTail, classifyWorkerExit, describeExit, isHeapOutOfMemory } from './worker-exit.js'
import type { WorkerExit, WorkerHandle } from './worker-host.js'

/**
 * After a worker reports `init-failed` it is expected to exit by itself; if it has not after this
 * long it is killed, so a failed spawn never leaves a process behind.
 */
export const WORKER_INIT_FAILED_EXIT_GRACE_MS = 2_000

/**
 * How long to wait for the OS to report a killed process's end before giving up on it. SIGKILL
 * cannot be ignored, so this only matters if the process never existed (spawn failure).
 */
export const WORKER_KILL_CONFIRM_MS = 5_000

/** Characters of stderr carried over between chunks when scanning for V8's OOM banner (longer than any marker). */
const STDERR_SCAN_OVERLAP_CHARS = 64

/** What a host gives the connection: the few operations that differ between process APIs. */
export interface WorkerProcessControl {
  /** The OS pid, once known. */
  pid(): number | undefined
  /** True while the message channel to the worker is open. */
  isConnected(): boolean
  /** Hands a message to the transport. */
  post(message: MainToWorkerMessage): void
  /** Ends the process with SIGKILL (or the platform's equivalent). Must not throw. */
  forceKill(): void
  /** The process's RSS from the OS, where that is cheap; undefined otherwise. */
  osRssBytes?(): number | undefined
}

/** Labels used in messages. */
export interface WorkerConnectionOptions {
  serviceName: string
}

/**
 * A {@link WorkerHandle} driven by a host. The host calls {@link receive}, {@link appendStderr},
 * {@link noteFatalError} and {@link processEnded} from its process events, then awaits
 * {@link whenReady} to hand the handle out.
 */
export class WorkerConnection implements WorkerHandle {
  readonly #control: WorkerProcessControl
  readonly #serviceName: string
  readonly #stderr = new StderrTail()
  readonly #messageListeners = new Set<(message: WorkerToMainMessage) => void>()
  readonly #exitListeners = new Set<(exit: WorkerExit) => void>()
  /** Messages that arrived while nobody listened; handed to the first listener in order. */
  #pending: WorkerToMainMessage[] = []
  #flushScheduled = false
  #lastPid: number | undefined
  #lastReportedRss: number | undefined
  #isReady = false
  #initFailed: AppErrorData | undefined
  #readyTimedOutMs: number | undefined
  #killedBy: 'killed' | 'memory-limit' | undefined
  #isKillSent = false
  #protocolViolation: string | undefined
  #fatalErrorText: string | undefined
  #sawHeapOutOfMemory = false
  #stderrCarry = ''
  #exit: WorkerExit | undefined
  readonly #timers = new Set<NodeJS.Timeout>()
  #readyWaiter: { resolve: (handle: WorkerHandle) => void; reject: (error: AppError) => void } | undefined

  constructor(control: WorkerProcessControl, options: WorkerConnectionOptions) {
    this.#control = control
    this.#serviceName = options.serviceName
  }

  get pid(): number | undefined {
    const pid = this.#control.pid()
    if (pid !== undefined) this.#lastPid = pid
    // Electron clears `pid` once the process has exited; callers still want to know which it was.
    return pid ?? this.#lastPid
  }

  /** The exit, once the process has ended. */
  get exit(): WorkerExit | undefined {
    return this.#exit
  }

  send(message: MainToWorkerMessage): void {
    if (this.#exit !== undefined || !this.#control.isConnected()) {
      throw new AppError('worker/crashed', `Cannot send "${message.type}" to ${this.#serviceName}: its process has ended.`, {
        type: message.type,
        pid: this.pid ?? null,
        reason: this.#exit?.reason ?? null,
      })
    }
    this.#control.post(message)
  }

  onMessage(listener: (message: WorkerToMainMessage) => void): () => void {
    this.#messageListeners.add(listener)
    if (this.#pending.length > 0) this.#scheduleFlush()
    return () => {
      this.#messageListeners.delete(listener)
    }
  }

  onExit(listener: (exit: WorkerExit) => void): () => void {
    let isSubscribed = true
    const exit = this.#exit
    if (exit !== undefined) {
      // Asynchronous even when already ended, so callers see one behaviour whatever the timing.
      queueMicrotask(() => {
        if (isSubscribed) listener(exit)
      })
    } else {
      this.#exitListeners.add(listener)
    }
    return () => {
      isSubscribed = false
      this.#exitListeners.delete(listener)
    }
  }

  kill(reason: 'killed' | 'memory-limit' = 'killed'): void {
    if (this.#exit !== undefined) return
    // The first reason sticks: a cancel arriving after the watchdog fired is still a memory kill.
    this.#killedBy ??= reason
    this.#forceKill()
  }

  rssBytes(): number | undefined {
    return this.#control.osRssBytes?.() ?? this.#lastReportedRss
  }

  // ── host side ──────────────────────────────────────────────────────────────────────────────

  /** Resolves with this handle once the worker reported `ready`; see `WorkerHost.spawn`. */
  whenReady(timeoutMs: number): Promise<WorkerHandle> {
    if (this.#readyWaiter !== undefined) throw new Error('whenReady() may be called once')
    return new Promise<WorkerHandle>((resolve, reject) => {
      this.#readyWaiter = { resolve, reject }
      if (this.#exit !== undefined || this.#isReady) {
        this.#settleReady()
        return
      }
      this.#startTimer(timeoutMs, () => {
        if (this.#isReady || this.#exit !== undefined) return
        this.#readyTimedOutMs = timeoutMs
        // Rejected from processEnded(), so the process is really gone when the caller hears of it.
        this.#killedBy ??= 'killed'
        this.#forceKill()
      })
    })
  }

  /** A message (any value) from the worker's channel. */
  receive(value: unknown): void {
    if (this.#exit !== undefined) return
    if (!isWorkerToMainMessage(value)) {
      // A worker that talks nonsense may have any state; nothing it says later can be trusted.
      this.#protocolViolation ??= describeViolation(value)
      this.#forceKill()
      return
    }
    if (value.type === 'progress') this.#lastReportedRss = value.rssBytes
    if (!this.#isReady) {
      if (value.type === 'ready') {
        this.#isReady = true
        if (value.pid > 0) this.#lastPid ??= value.pid
        this.#settleReady()
        return
      }
      if (value.type === 'init-failed') {
        this.#initFailed = value.error
        // The worker should exit on its own right after this message; make sure it does.
        this.#startTimer(WORKER_INIT_FAILED_EXIT_GRACE_MS, () => this.#forceKill())
        return
      }
    }
    this.#deliver(value)
  }

  /** A chunk of the worker's stderr. */
  appendStderr(chunk: Buffer | string): void {
    this.#stderr.push(chunk)
    if (!this.#sawHeapOutOfMemory) {
      // Scan as it streams (with a little overlap for a banner split across chunks), because the
      // native stack trace V8 prints after the banner may push it out of the kept tail.
      const text = this.#stderrCarry + chunk.toString()
      this.#sawHeapOutOfMemory = isHeapOutOfMemory(text)
      this.#stderrCarry = text.slice(-STDERR_SCAN_OVERLAP_CHARS)
    }
  }

  /** Text of a fatal V8 error reported out of band (Electron's `error` event). */
  noteFatalError(text: string): void {
    this.#fatalErrorText = this.#fatalErrorText === undefined ? text : `${this.#fatalErrorText}\n${text}`
  }

  /** The process has ended. Safe to call more than once; only the first call counts. */
  processEnded(code: number | null, signal: string | null): void {
    if (this.#exit !== undefined) return
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
    const stderrTail = this.#stderr.text()
    const classified = classifyWorkerExit({
      code,
      signal,
      killedBy: this.#killedBy,
      initFailed: this.#initFailed !== undefined,
      stderrTail,
      sawHeapOutOfMemory: this.#sawHeapOutOfMemory,
      ...(this.#fatalErrorText === undefined ? {} : { fatalErrorText: this.#fatalErrorText }),
    })
    // Killed for a protocol violation: that is the worker's fault, not a kill main chose.
    const reason = this.#protocolViolation !== undefined && classified !== 'memory-limit' ? 'crashed' : classified
    this.#exit = {
      code,
      signal,
      reason,
      stderrTail,
      ...(this.#protocolViolation === undefined ? {} : { protocolViolation: this.#protocolViolation }),
    }
    this.#settleReady()
    // Messages the worker sent before it ended come first, then the exit.
    this.#flush()
    const listeners = [...this.#exitListeners]
    this.#exitListeners.clear()
    for (const listener of listeners) listener(this.#exit)
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  #forceKill(): void {
    if (this.#isKillSent) return
    this.#isKillSent = true
    this.#control.forceKill()
    // If the OS never reports the end (the process never existed), report it ourselves.
    this.#startTimer(WORKER_KILL_CONFIRM_MS, () => this.processEnded(null, null))
  }

  #startTimer(ms: number, callback: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      callback()
    }, ms)
    // Timers must not keep a CLI alive on their own; the child process handle does that.
    timer.unref()
    this.#timers.add(timer)
  }

  #deliver(message: WorkerToMainMessage): void {
    if (this.#messageListeners.size === 0 || this.#pending.length > 0) {
      this.#pending.push(message)
      if (this.#messageListeners.size > 0) this.#scheduleFlush()
      return
    }
    for (const listener of [...this.#messageListeners]) listener(message)
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return
    this.#flushScheduled = true
    queueMicrotask(() => {
      this.#flushScheduled = false
      this.#flush()
    })
  }

  #flush(): void {
    while (this.#messageListeners.size > 0) {
      const message = this.#pending.shift()
      if (message === undefined) return
      for (const listener of [...this.#messageListeners]) listener(message)
    }
  }

  #settleReady(): void {
    const waiter = this.#readyWaiter
    if (waiter === undefined) return
    if (this.#isReady && this.#exit === undefined) {
      this.#readyWaiter = undefined
      waiter.resolve(this)
      return
    }
    const exit = this.#exit
    if (exit === undefined) return
    this.#readyWaiter = undefined
    waiter.reject(this.#initError(exit))
  }

  #initError(exit: WorkerExit): AppError {
    const details = {
      serviceName: this.#serviceName,
      pid: this.pid ?? null,
      reason: exit.reason,
      code: exit.code,
      signal: exit.signal,
      stderrTail: exit.stderrTail,
    }
    if (this.#isReady) {
      // Ready and then gone before the caller got the handle: still a failed start.
      return new AppError('worker/init-failed', `${this.#serviceName} ended right after starting (${describeExit(exit)}).`, details)
    }
    if (this.#initFailed !== undefined) {
      return new AppError('worker/init-failed', `${this.#serviceName} could not start: ${this.#initFailed.message}`, {
        ...details,
        cause: this.#initFailed,
      })
    }
    if (this.#readyTimedOutMs !== undefined) {
      return new AppError(
        'worker/init-failed',
        `${this.#serviceName} did not report ready within ${this.#readyTimedOutMs} ms and was stopped.`,
        { ...details, readyTimeoutMs: this.#readyTimedOutMs },
      )
    }
    if (exit.protocolViolation !== undefined) {
      return new AppError('worker/init-failed', `${this.#serviceName} sent an unexpected message while starting (${exit.protocolViolation}).`, details)
    }
    return new AppError('worker/init-failed', `${this.#serviceName} exited before it was ready (${describeExit(exit)}).`, details)
  }
}

/** A short description of a bad message, without dumping a possibly huge payload. */
function describeViolation(value: unknown): string {
  if (typeof value !== 'object' || value === null) return `a ${value === null ? 'null' : typeof value} instead of a message`
  const type = (value as { type?: unknown }).type
  return typeof type === 'string' ? `unknown message type "${type.slice(0, 60)}"` : 'a message without a type'
}
