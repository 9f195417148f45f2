/**
 * Messages between the job engine (main process) and a trace worker process. Plain,
 * structured-clone-safe objects with a string-literal `type`; times are epoch milliseconds.
 */
import type { AppErrorData } from './errors.js'
import type { NormalizedTraceRequest } from './trace-request.js'
import type { Domain, QualityMeta, TraceProgress } from './trace.js'

/**
 * Where a worker reads from. Secrets never travel in this object: a PostgreSQL URL carries no
 * password (the engine hands it to the worker's environment as PGPASSWORD, never to the catalog).
 */
export type WorkerSourceSpec =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'postgres'
      /** `postgres://user@host:port/database`, without the password. */
      url: string
      /** Schema of the MES tables; absent: the connection's search path. */
      schema?: string
    }
  | {
      kind: 'oracle'
      /** `oracle://user@host:port/service`, without the password (the worker reads MES_TRACE_ORACLE_PASSWORD). */
      url: string
      /** Schema prefix of the MES tables. @default 'DWH' */
      schema?: string
    }

/** Limits a worker applies to its trace. */
export interface WorkerTraceLimits {
  maxDepth: number
  maxNodes: number
  maxRowsPerDomain: number
  /** Largest result file in bytes; 0 = no cap but the disk. */
  maxResultBytes: number
}

/** Main → worker. */
export type MainToWorkerMessage =
  | {
      type: 'start'
      jobId: string
      request: NormalizedTraceRequest
      source: WorkerSourceSpec
      /** Final path of the result file; the worker writes `<path>.partial` and renames when done. */
      resultPath: string
      limits: WorkerTraceLimits
      /** App version recorded in the result manifest. */
      appVersion: string
    }
  /** Stop as soon as possible; the engine kills the process after a grace period anyway. */
  | { type: 'cancel'; jobId: string }

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
  | { type: 'log'; jobId: string; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'done'; jobId: string; summary: WorkerJobSummary }
  | { type: 'error'; jobId: string; error: AppErrorData }

/** Narrows an unknown message from a worker; anything else is a protocol violation. */
export function isWorkerToMainMessage(value: unknown): value is WorkerToMainMessage {
  if (typeof value !== 'object' || value === null) return false
  const type = (value as { type?: unknown }).type
  return type === 'ready' || type === 'init-failed' || type === 'progress' || type === 'log' || type === 'done' || type === 'error'
}
