/**
 * The contract between the job engine and whatever runs its worker processes: plain Node
 * (`NodeWorkerHost`, CLI and tests) or Electron utility processes (`ElectronWorkerHost`, the app).
 * The engine only ever sees these interfaces, so it runs the same under both.
 */
import type { MainToWorkerMessage, WorkerToMainMessage } from '../../shared/worker-protocol.js'

/** How long a new worker may take to report `ready` before it is killed and the spawn fails. */
export const WORKER_READY_TIMEOUT_MS = 15_000

/** Why a worker process ended, as far as main can tell. */
export type WorkerExitReason =
  /** It exited on its own with code 0. */
  | 'exited'
  /** Main killed it (cancel grace period over, job timeout, shutdown). */
  | 'killed'
  /** Non-zero exit, or a signal main did not send (e.g. `kill -9` from outside, a native fault). */
  | 'crashed'
  /** V8 ran out of heap under `--max-old-space-size`, or main killed it for its RSS. */
  | 'memory-limit'
  /** It reported `init-failed` (and then exited or was killed). */
  | 'init-failed'

/** The end of a worker process; reported exactly once per process. */
export interface WorkerExit {
  /** Exit code, or null when the process ended by a signal. */
  code: number | null
  /** Signal name (`SIGKILL`…), or null when the process exited by itself or the host cannot tell. */
  signal: string | null
  reason: WorkerExitReason
  /** The last few KB of the worker's stderr, for diagnostics (V8's fatal-error text lands here). */
  stderrTail: string
  /**
   * Set when main killed the worker because it sent something outside the worker protocol; the
   * reason is then 'crashed' and {@link workerExitError} answers `worker/protocol`.
   */
  protocolViolation?: string
}

/** A running worker process, handed out once it has reported `ready`. */
export interface WorkerHandle {
  /** OS process id (undefined only if the OS never gave one). */
  readonly pid: number | undefined
  /** Posts a message to the worker. Throws an `AppError` if the worker is gone. */
  send(message: MainToWorkerMessage): void
  /**
   * Subscribes to the worker's messages, in the order sent. Messages that arrive while nobody
   * listens are kept and handed to the first listener, so nothing is lost between `spawn`
   * resolving and the caller subscribing. Returns the unsubscribe function.
   */
  onMessage(listener: (message: WorkerToMainMessage) => void): () => void
  /** Called exactly once when the process has ended (at once, asynchronously, if it already has). */
  onExit(listener: (exit: WorkerExit) => void): () => void
  /**
   * SIGKILL; idempotent, a no-op once the process has ended. `reason` says why main kills it, so
   * the exit is reported as 'memory-limit' when the RSS watchdog asked for it.
   * @default reason 'killed'
   */
  kill(reason?: 'killed' | 'memory-limit'): void
  /** Last known resident set size in bytes: from the OS where that is cheap, else the worker's own reports. */
  rssBytes(): number | undefined
}

/** What to start. */
export interface WorkerSpawnOptions {
  /** Absolute path of the worker's JS entry file. */
  entry: string
  /** V8 old-space (heap) limit, passed as `--max-old-space-size`. */
  maxOldSpaceMb: number
  /** A name for the process in OS tools and Electron's metrics (`mes-trace-worker`…). */
  serviceName: string
  /** The job's own environment variables, layered over the allow-listed part of the parent's (`workerEnvOf`). */
  env?: Record<string, string>
}

/** Starts worker processes. */
export interface WorkerHost {
  /**
   * Starts a worker and resolves once it has reported `ready`. Rejects with `worker/init-failed`
   * when it reports `init-failed`, exits first, or stays silent past the ready timeout; the
   * process is gone by the time the promise rejects.
   */
  spawn(options: WorkerSpawnOptions): Promise<WorkerHandle>
}

/** Options shared by the host implementations. */
export interface WorkerHostOptions {
  /**
   * How long a worker may take to report `ready`.
   * @default WORKER_READY_TIMEOUT_MS (15 s)
   */
  readyTimeoutMs?: number
}
