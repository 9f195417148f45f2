/**
 * Worker processes as Electron utility processes, for the desktop app. Deliberately thin: the
 * handshake, buffering and exit classification live in `WorkerConnection` (main/engine), shared
 * with `NodeWorkerHost`, so this file only adapts `UtilityProcess` events.
 */
import { app, utilityProcess } from 'electron'
import type { MainToWorkerMessage } from '../../shared/worker-protocol.js'
import {
  CAN_READ_RSS_FROM_OS,
  WORKER_READY_TIMEOUT_MS,
  WorkerConnection,
  heapLimitExecArgv,
  readRssBytesSync,
  workerEnvOf,
  type WorkerHandle,
  type WorkerHost,
  type WorkerHostOptions,
  type WorkerSpawnOptions,
} from '../engine/index.js'

/** How much of Electron's fatal-error diagnostic report is kept for classification. */
const FATAL_REPORT_CHARS = 4096

/** Starts workers with `utilityProcess.fork`; only usable after the app's `ready` event. */
export class ElectronWorkerHost implements WorkerHost {
  readonly #readyTimeoutMs: number

  constructor(options: WorkerHostOptions = {}) {
    this.#readyTimeoutMs = options.readyTimeoutMs ?? WORKER_READY_TIMEOUT_MS
  }

  async spawn(options: WorkerSpawnOptions): Promise<WorkerHandle> {
    const child = utilityProcess.fork(options.entry, [], {
      serviceName: options.serviceName,
      execArgv: heapLimitExecArgv(options.maxOldSpaceMb),
      stdio: 'pipe',
      // Only what a worker needs, never the parent's whole environment (see workerEnvOf).
      env: workerEnvOf(process.env, options.env),
    })
    // Electron sets `pid` only after 'spawn' and clears it after 'exit'; keep the one we saw.
    let pid: number | undefined
    let hasExited = false

    const connection = new WorkerConnection(
      {
        pid: () => child.pid ?? pid,
        isConnected: () => !hasExited,
        post: (message: MainToWorkerMessage) => child.postMessage(message),
        forceKill: () => {
          // UtilityProcess.kill() is SIGTERM, which a stuck worker may never act on; SIGKILL cannot be ignored.
          const target = child.pid ?? pid
          if (target === undefined) {
            child.kill()
            return
          }
          try {
            process.kill(target, 'SIGKILL')
          } catch {
            // ESRCH: already gone; the 'exit' event reports it.
          }
        },
        osRssBytes: () => {
          const target = child.pid ?? pid
          if (target === undefined || hasExited) return undefined
          if (CAN_READ_RSS_FROM_OS) return readRssBytesSync(target)
          // Elsewhere Electron's own metrics are the cheap source (working set, in KB).
          const metric = app.getAppMetrics().find((m) => m.pid === target)
          return metric === undefined ? undefined : metric.memory.workingSetSize * 1024
        },
      },
      { serviceName: options.serviceName },
    )

    child.on('spawn', () => {
      pid = child.pid
    })
    child.on('message', (value: unknown) => connection.receive(value))
    child.stderr?.on('data', (chunk: Buffer | string) => connection.appendStderr(chunk))
    // stdout must be drained even though nobody reads it: a full pipe would block the worker.
    child.stdout?.on('data', () => undefined)
    // V8 fatal errors (heap OOM among them) come here before 'exit'; the text drives the classification.
    child.on('error', (type, location, report) => {
      connection.noteFatalError(`${type} at ${location}\n${report.slice(0, FATAL_REPORT_CHARS)}`)
    })
    // Electron gives only an exit code, never a signal; main's own kills are known from kill().
    child.on('exit', (code) => {
      hasExited = true
      connection.processEnded(code, null)
    })

    return connection.whenReady(this.#readyTimeoutMs)
  }
}
