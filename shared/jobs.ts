/** Job statuses and the job as every renderer-facing surface shows it (CLI `--json`, IPC, browser host). */
import type { JobOutcome } from './data-window.js'
import type { NormalizedTraceRequest } from './trace-request.js'
import type { Direction, Domain, Profile, QualityStatus, ResolveType, TraceProgress } from './trace.js'

/** Job lifecycle (architecture.md §3). */
export const JOB_STATUSES = ['queued', 'running', 'finished', 'failed', 'cancelled', 'interrupted'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]

/** Statuses a job ends in. */
export const TERMINAL_JOB_STATUSES = ['finished', 'failed', 'cancelled', 'interrupted'] as const satisfies readonly JobStatus[]
export type TerminalJobStatus = (typeof TERMINAL_JOB_STATUSES)[number]

/** A job as shown to a person or a program (times in epoch milliseconds). */
export interface JobView {
  job_id: string
  status: JobStatus
  profile: Profile
  direction: Direction
  /** The source as a person reads it. */
  source: string
  source_id: string
  domains: Domain[]
  seed_count: number
  cid_count: number
  rows_total: number
  row_counts: Partial<Record<Domain, number>>
  quality: QualityStatus | null
  created_at: number
  started_at: number | null
  completed_at: number | null
  /** Null for a pinned job, one kept forever, or one that has not ended. */
  expires_at: number | null
  pinned: boolean
  /** Registered from a result file exported elsewhere (it has no source to run again). */
  imported: boolean
  /** Job whose result answered this one, when it was answered from cache. */
  cached_from: string | null
  stage: TraceProgress['stage'] | null
  /** The last progress report (a panel opened mid-run shows where the job is). */
  progress: TraceProgress | null
  /** What was asked, short enough for a list. */
  request: RequestSummary
  error: { code: string; message: string } | null
  result_file: string | null
  /** A cancel was asked for and the worker has not stopped yet (the status still reads `running`). */
  cancel_requested: boolean
  /** What the job's worker reported (warnings, errors, notes), oldest first, at most {@link JOB_LOG_MAX_ENTRIES}. */
  log: JobLogEntry[]
  /**
   * For a finished job, `warning` when it found nothing to trace (no lot at the station in the
   * range, or no input known), so it never reads as a plain "done"; `ok` otherwise and for jobs
   * that have not finished. Derived from the seed count and the request: catalogs of earlier
   * versions read the same.
   */
  outcome: JobOutcome
}

/** Entries of a job's log kept with the job (the oldest are dropped first). */
export const JOB_LOG_MAX_ENTRIES = 200

/** Longest message of a log entry kept (longer ones are cut, marked with `…`). */
export const JOB_LOG_MAX_MESSAGE_CHARS = 2000

/** One line of a job's log. */
export interface JobLogEntry {
  /** When it was reported (epoch ms). */
  at: number
  level: 'info' | 'warn' | 'error'
  message: string
}

/** Values of a request a list shows (the first few tokens, never all 100 000). */
export const REQUEST_SUMMARY_VALUES = 5

/** A request as the jobs panel and the history list show it. */
export interface RequestSummary {
  /** Containers typed in, or the MSD date range at a station. */
  mode: 'containers' | 'date_range'
  resolve_type: ResolveType | null
  /** First {@link REQUEST_SUMMARY_VALUES} tokens. */
  values: string[]
  value_count: number
  station: string | null
  start_date: string | null
  end_date: string | null
  loss_reasons: string[]
}

/** The summary of a validated request. */
export function summarizeRequest(request: NormalizedTraceRequest): RequestSummary {
  const seed = request.seed
  return seed.mode === 'containers'
    ? {
        mode: 'containers',
        resolve_type: seed.resolve_type,
        values: seed.values.slice(0, REQUEST_SUMMARY_VALUES),
        value_count: seed.values.length,
        station: request.station,
        start_date: null,
        end_date: null,
        loss_reasons: request.loss_reasons,
      }
    : {
        mode: 'date_range',
        resolve_type: null,
        values: [],
        value_count: 0,
        station: seed.station,
        start_date: seed.start_date,
        end_date: seed.end_date,
        loss_reasons: request.loss_reasons,
      }
}
