/**
 * What a worker writes into its job's log. A job's `error` message carries only the code and the
 * message a person reads; the stack and the `cause` chain go into a `log` entry posted just
 * before it, so they cross the process boundary without ever reaching the UI's error.
 */
import { toErrorData } from '../../shared/errors.js'
import { WORKER_LOG_DETAIL_MAX_CHARS } from '../../shared/worker-protocol.js'
import type { MainPort } from './port.js'

/** Causes followed at most: a chain can be long, or even loop back on itself. */
const MAX_CAUSES = 8

/** The part of the port a job reports through. */
export type JobReporter = Pick<MainPort, 'postToMain'>

/** One error of a chain as text: its stack when it has one (the stack starts with name and message). */
function describeOne(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`
  if (typeof error === 'string') return error
  try {
    return JSON.stringify(error) ?? String(error)
  } catch {
    return String(error)
  }
}

/**
 * An error's stack followed by each `cause` (`Caused by: …`), cut to `maxChars` with a trailing
 * `…`. Undefined for a thrown value with nothing more to say than its message.
 */
export function errorDetailOf(error: unknown, maxChars = WORKER_LOG_DETAIL_MAX_CHARS): string | undefined {
  if (!(error instanceof Error)) return undefined
  const parts = [describeOne(error)]
  const seen = new Set<unknown>([error])
  let cause: unknown = error.cause
  for (let depth = 0; cause !== undefined; depth += 1) {
    if (depth === MAX_CAUSES) {
      parts.push('Caused by: (more causes left out)')
      break
    }
    if (seen.has(cause)) {
      parts.push('Caused by: (an earlier error of this chain again)')
      break
    }
    seen.add(cause)
    parts.push(`Caused by: ${describeOne(cause)}`)
    cause = cause instanceof Error ? cause.cause : undefined
  }
  const text = parts.join('\n')
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`
}

/**
 * Reports that a job failed: first a log entry with the stack and causes, then the `error` that
 * ends the job. A cancellation is logged as `info` without a stack: it is what the person asked for,
 * and its stack says nothing.
 */
export function postJobError(port: JobReporter, jobId: string, error: unknown): void {
  const data = toErrorData(error)
  if (data.code === 'trace/cancelled') {
    port.postToMain({ type: 'log', jobId, level: 'info', message: data.message })
  } else {
    const detail = errorDetailOf(error)
    port.postToMain({ type: 'log', jobId, level: 'error', message: data.message, ...(detail !== undefined ? { detail } : {}) })
  }
  port.postToMain({ type: 'error', jobId, error: data })
}

/** Logs a warning about `what` that does not fail the job (a source that would not close, say). */
export function postJobWarning(port: JobReporter, jobId: string, what: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error)
  const detail = errorDetailOf(error)
  port.postToMain({ type: 'log', jobId, level: 'warn', message: `${what}: ${message}`, ...(detail !== undefined ? { detail } : {}) })
}
