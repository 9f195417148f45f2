/**
 * Messages between the job engine (main process) and a trace worker process. Plain,
 * structured-clone-safe objects with a string-literal `type`; times are epoch milliseconds.
 */
import type { AppErrorData } from './errors.js'
import type { SourceSpec } from './source-spec.js'
import type { NormalizedTraceRequest } from './trace-request.js'
import type { Domain, QualityMeta, TraceProgress } from './trace.js'

/** Limits a worker applies to its trace. */
export interface WorkerTraceLimits {
  maxDepth: number
  maxNodes: number
  maxRowsPerDomain: number
  /** Largest result file in bytes; 0 = no cap but the disk. */
  maxResultBytes: number
  /** False-discovery rate of the MSD suspect list (a fraction, e.g. 0.05). */
  suspectFdr: number
}

/** Main → worker. */
export type MainToWorkerMessage =
  | {
      type: 'start'
      jobId: string
      request: NormalizedTraceRequest
      source: SourceSpec
      /**
       * The source's password, when it needs one: in this message only, never in the worker's
       * environment, which other processes of the same user can read.
       */
      password?: string
      /** Final path of the result file; the worker writes `<path>.partial` and renames when done. */
      resultPath: string
      limits: WorkerTraceLimits
      /** App version recorded in the result manifest. */
      appVersion: string
    }
  /** Stop as soon as possible; the engine kills the process after a grace period anyway. */
  | { type: 'cancel'; jobId: string }
  /**
   * Check a result file offered for import (the engine's private copy of it) and report what it
   * holds, or why it is refused. `jobId` is the id the import will give it.
   */
  | {
      type: 'inspect'
      jobId: string
      /** The file to check (the engine's private copy). */
      path: string
      /** The file as the person gave it, for messages. */
      name: string
    }

/** What a worker found in a result file offered for import, for the job row the import makes. */
export interface WorkerInspection {
  /** The job id written in the file (the job it was exported from). */
  fileJobId: string
  /** The file's request, validated and normalized by this version. */
  request: NormalizedTraceRequest
  /** The source the rows were read from, as a person reads it. */
  source: string
  /** When the source was read (epoch ms). */
  asOf: number
  domains: Domain[]
  rowCounts: Partial<Record<Domain, number>>
  quality: QualityMeta | null
  seedCount: number
  cidCount: number
  bytes: number
}

/** Row counts and quality of a finished trace, as recorded in the catalog. */
export interface WorkerJobSummary {
  seedCount: number
  cidCount: number
  notFound: string[]
  rows: Partial<Record<Domain, number>>
  domainQuality: Partial<Record<Domain, QualityMeta>>
  quality: QualityMeta
  lineageNodes: number
  lineageTruncated: boolean
  warnings: string[]
  resultBytes: number
}

/** Worker → main. */
export type WorkerToMainMessage =
  /** The worker's environment is sound; it waits for `start`. */
  | { type: 'ready'; pid: number }
  /** The worker could not set itself up (e.g. the native SQLite module did not load). */
  | { type: 'init-failed'; error: AppErrorData }
  | { type: 'progress'; jobId: string; progress: TraceProgress; rssBytes: number; at: number }
  /**
   * A line for the job's log, kept with the job (never shown as the job's error): a schema warning,
   * a source that would not close, or — right before an `error` — that error with its stack.
   */
  | {
      type: 'log'
      jobId: string
      level: WorkerLogLevel
      /** One line a person reads. */
      message: string
      /**
       * For an error: its stack, then each `cause`'s (`Caused by: …`), at most
       * {@link WORKER_LOG_DETAIL_MAX_CHARS} characters.
       */
      detail?: string
    }
  | { type: 'done'; jobId: string; summary: WorkerJobSummary }
  | { type: 'error'; jobId: string; error: AppErrorData }
  /** The answer to `inspect`: the file is accepted (a refusal is an `error` with `import/invalid`). */
  | { type: 'inspected'; jobId: string; inspection: WorkerInspection }

/** Levels of a worker's log entries. */
export const WORKER_LOG_LEVELS = ['info', 'warn', 'error'] as const

/** How much a log entry says: `warn` does not fail the job, `error` comes right before the job's `error`. */
export type WorkerLogLevel = (typeof WORKER_LOG_LEVELS)[number]

/** Longest `detail` of a worker's log entry, in characters (a stack and its causes, cut). */
export const WORKER_LOG_DETAIL_MAX_CHARS = 8000

/**
 * Narrows an unknown message from a worker; anything else is a protocol violation. A `log` entry is
 * checked field by field, since the engine keeps it with the job (and bounds its length there).
 */
export function isWorkerToMainMessage(value: unknown): value is WorkerToMainMessage {
  if (typeof value !== 'object' || value === null) return false
  const type = (value as { type?: unknown }).type
  if (type === 'log') return isWorkerLogMessage(value)
  return type === 'ready' || type === 'init-failed' || type === 'progress' || type === 'done' || type === 'error' || type === 'inspected'
}

function isWorkerLogMessage(value: object): boolean {
  const { jobId, level, message, detail } = value as { jobId?: unknown; level?: unknown; message?: unknown; detail?: unknown }
  return (
    typeof jobId === 'string' &&
    (WORKER_LOG_LEVELS as readonly unknown[]).includes(level) &&
    typeof message === 'string' &&
    (detail === undefined || typeof detail === 'string')
  )
}
