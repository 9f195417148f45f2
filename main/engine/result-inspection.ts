/**
 * The first read of a result file that comes from elsewhere happens in a worker process under a
 * time limit: the file is checked there (`inspectResultFile` of the store), and whatever it does
 * to SQLite — a damaged page, a schema built to make a read spin — the importing process only
 * waits, and stops waiting when the limit is up. The worker is killed whatever its answer.
 */
import { AppError, toErrorData } from '../../shared/errors.js'
import type { WorkerInspection } from '../../shared/worker-protocol.js'
import { WORKER_KILL_CONFIRM_MS } from './worker-connection.js'
import { workerExitError } from './worker-exit.js'
import type { WorkerHandle, WorkerHost } from './worker-host.js'

/** Time an inspection may take however small the file: start-up of the worker and the checks. */
export const INSPECT_BASE_MS = 20_000

/**
 * Extra time per byte. The checks (`quick_check` and one scan of every table) read about 150 MB/s
 * on a 2-core workstation; this allows 10 MB/s, so only a stuck reader reaches the limit.
 */
export const INSPECT_MS_PER_BYTE = 1 / (10 * 1024)

/** The time limit of inspecting a file of `bytes` bytes. */
export function inspectTimeoutMsOf(bytes: number): number {
  return Math.round(INSPECT_BASE_MS + Math.max(0, bytes) * INSPECT_MS_PER_BYTE)
}

/** Options of {@link inspectInWorker}. */
export interface InspectInWorkerOptions {
  host: WorkerHost
  /** The worker entry (the trace worker answers `inspect` too). */
  entry: string
  /** The file to check (the importer's private copy). */
  path: string
  /** The file as the person gave it, for messages. @default path */
  name?: string
  /** The id the import gives the job (correlates the answer). */
  jobId: string
  /** Heap limit of the worker, in MB. */
  maxOldSpaceMb: number
  /** How long the check may take ({@link inspectTimeoutMsOf} of the file's size). */
  timeoutMs: number
}

/**
 * Checks a result file in a fresh worker process. Resolves with what it holds; rejects with
 * `import/invalid` when it is refused, when the check ran past `timeoutMs`, or when the worker
 * died on it, and with the worker's own error when the worker could not start.
 */
export async function inspectInWorker(options: InspectInWorkerOptions): Promise<WorkerInspection> {
  const { jobId } = options
  const handle: WorkerHandle = await options.host.spawn({
    entry: options.entry,
    maxOldSpaceMb: options.maxOldSpaceMb,
    serviceName: `import check ${jobId}`,
  })
  const detach: (() => void)[] = []
  let timer: NodeJS.Timeout | undefined
  try {
    return await new Promise<WorkerInspection>((resolve, reject) => {
      timer = setTimeout(() => {
        reject(
          new AppError('import/invalid', `Checking the file took longer than ${Math.round(options.timeoutMs / 1000)} s; it was refused.`, {
            reason: 'check-timeout',
            timeoutMs: options.timeoutMs,
          }),
        )
        handle.kill()
      }, options.timeoutMs)
      detach.push(
        handle.onMessage((message) => {
          if (message.type === 'inspected' && message.jobId === jobId) resolve(message.inspection)
          else if (message.type === 'error' && message.jobId === jobId) reject(new AppError(message.error.code, message.error.message, message.error.details))
        }),
        handle.onExit((exit) => {
          const cause = workerExitError(exit)
          reject(
            new AppError('import/invalid', `Checking the file stopped the checker (${cause.message}); it was refused.`, {
              reason: 'checker-ended',
              cause: cause.code,
            }),
          )
        }),
      )
      try {
        handle.send({ type: 'inspect', jobId, path: options.path, name: options.name ?? options.path })
      } catch (error) {
        reject(new AppError('import/invalid', `The file could not be handed to the checker: ${toErrorData(error).message}`, { reason: 'checker-ended' }))
      }
    })
  } finally {
    if (timer) clearTimeout(timer)
    for (const stop of detach) stop()
    // Wait for the process to be gone: on Windows a file a live process has open cannot be
    // deleted, and the importer deletes the copy right after a refusal.
    const ended = new Promise<void>((resolve) => handle.onExit(() => resolve()))
    handle.kill()
    await Promise.race([ended, new Promise<void>((resolve) => setTimeout(resolve, WORKER_KILL_CONFIRM_MS).unref())])
  }
}
