/**
 * The one error type of the app. Errors cross process boundaries as plain objects, so code checks
 * `code`, never `instanceof` or `constructor.name`.
 */

/** Every error code the app produces, grouped by area (`area/what`). */
export type ErrorCode =
  /** A request, argument or setting has a wrong value; `details.field` names it. */
  | 'input/invalid'
  /** A caller made too many calls of one channel; `details.retryAfterMs` says when to try again. */
  | 'input/rate-limited'
  /** A source is missing a required table or column; `details.missing` lists them. */
  | 'source/schema'
  /** The source file/server cannot be reached or opened. */
  | 'source/unreachable'
  /** A statement failed on the source. */
  | 'source/query-failed'
  /** A statement ran longer than its timeout. */
  | 'source/timeout'
  /** The operation was cancelled by the user. */
  | 'trace/cancelled'
  /** Seed resolution failed. */
  | 'trace/seed-failed'
  /** Lineage resolution failed. */
  | 'trace/lineage-failed'
  /** The MSD analysis of a trace failed (not the disk, not the source). */
  | 'trace/analysis-failed'
  /** Output file cannot be written. */
  | 'storage/write-failed'
  /** The disk (or the size cap of a result file) is full; the partial file is removed. */
  | 'storage/full'
  /** A catalog or result file is missing, not a SQLite database, corrupt, or not of the expected kind. */
  | 'storage/unreadable'
  /** A catalog or result file was written by a newer version of the app; `details` names both versions. */
  | 'storage/incompatible'
  /**
   * A result file offered for import is not exactly what the app writes (foreign schema, views or
   * triggers, damaged pages, a manifest that does not match its tables…); the message names what.
   */
  | 'import/invalid'
  /**
   * An export target is not allowed: an existing file (without `--force`), something that is not a
   * regular file, or a file of the data folder outside its `exports` folder; `details.path` names it.
   */
  | 'export/refused'
  /** No job with that id in the catalog (never existed, expired or deleted). */
  | 'job/not-found'
  /** The app or the machine stopped while the job ran; found on the next start. */
  | 'job/interrupted'
  /** A worker process died (non-zero exit or a signal the app did not send). */
  | 'worker/crashed'
  /** A worker process went over its memory cap (V8 heap limit or the RSS watchdog). */
  | 'worker/memory-limit'
  /** A worker process could not set itself up, exited early or never reported ready. */
  | 'worker/init-failed'
  /** A worker process sent a message outside the worker protocol. */
  | 'worker/protocol'
  /** A job ran longer than its timeout. */
  | 'job/timeout'
  /** Results were asked of a job that has not finished. */
  | 'job/not-finished'
  /** The engine is shutting down and takes no new jobs. */
  | 'job/engine-stopped'
  /** The machine's policy file is malformed; `details.field` names the entry. */
  | 'policy/invalid'
  /** A value is locked by the machine's policy and cannot be changed here. */
  | 'policy/locked'
  /** A call came from a frame that is not the app's own page (the desktop shell refuses it). */
  | 'ipc/forbidden'
  /** An answer was larger than a transport carries; `details.bytes` and `details.maxBytes` say by how much. */
  | 'ipc/too-large'
  /**
   * No answer came within the channel's time limit (shared/wire.ts); `details.channel` and
   * `details.timeoutMs` say which. The call may still finish on the main side.
   */
  | 'ipc/timeout'
  /** A bug: anything not anticipated. */
  | 'internal/unexpected'

/** Structured details attached to an error (structured-clone safe). */
export type ErrorDetails = Record<string, unknown>

/** Plain-object form of an {@link AppError}, as it crosses IPC or a process boundary. */
export interface AppErrorData {
  code: ErrorCode
  message: string
  details?: ErrorDetails
}

/** An expected error with a code and a message meant for a person. */
export class AppError extends Error {
  override readonly name = 'AppError' as const
  readonly code: ErrorCode
  readonly details: ErrorDetails | undefined

  constructor(code: ErrorCode, message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.details = details
  }

  /** Plain-object form for IPC / worker messages / JSON output. */
  toJSON(): AppErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

/** True for an {@link AppError} or its plain-object form with the given code (any code when omitted). */
export function isAppError(value: unknown, code?: ErrorCode): value is AppErrorData {
  if (typeof value !== 'object' || value === null) return false
  const v = value as { code?: unknown; message?: unknown }
  return typeof v.code === 'string' && typeof v.message === 'string' && (code === undefined || v.code === code)
}

/** An `input/invalid` error naming the offending field. */
export function invalidInput(field: string, message: string, details: ErrorDetails = {}): AppError {
  return new AppError('input/invalid', `${field}: ${message}`, { field, ...details })
}

/** The error a cancelled operation ends with (`what` names it, e.g. "The query"). */
export function cancelledError(what = 'The trace'): AppError {
  return new AppError('trace/cancelled', `${what} was cancelled.`)
}

/** Throws {@link cancelledError} when `signal` has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw cancelledError(what)
}

/** Converts anything thrown into the plain-object error form; unknown errors become `internal/unexpected`. */
export function toErrorData(error: unknown): AppErrorData {
  if (error instanceof AppError) return error.toJSON()
  if (isAppError(error)) return { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) }
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'internal/unexpected', message }
}
