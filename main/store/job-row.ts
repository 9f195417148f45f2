/**
 * The catalog's job row (architecture.md §3) as the rest of the app sees it: JSON columns parsed,
 * `pinned` a boolean, times in epoch milliseconds.
 */
import type { ErrorCode } from '../../shared/errors.js'
import type { NormalizedTraceRequest } from '../../shared/trace-request.js'
import type { Direction, Domain, Profile, QualityStatus, TraceProgress } from '../../shared/trace.js'

import { JOB_STATUSES, TERMINAL_JOB_STATUSES, type JobLogEntry, type JobStatus, type TerminalJobStatus } from '../../shared/jobs.js'

// Statuses live in shared/ (the renderer shows them); a job in a terminal one has `completed_at` and `ttl_ms` set.
export { JOB_STATUSES, TERMINAL_JOB_STATUSES, type JobStatus, type TerminalJobStatus }

/** A value that survives `JSON.stringify` / `JSON.parse` unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** One job of the catalog. */
export interface JobRow {
  /** `trace-evt-<12 hex>`. */
  job_id: string
  profile: Profile
  direction: Direction
  /** CIDs whose events were fetched (0 until the job finishes). */
  cid_count: number
  /** Seeds resolved (0 until the job finishes). */
  seed_count: number
  /** Event domains requested. */
  domains: Domain[]
  status: JobStatus
  /** Stage running now (or last reached). */
  stage: TraceProgress['stage'] | null
  completed_stages: TraceProgress['completed_stages']
  /** Last progress report (text and numbers). */
  progress: TraceProgress | null
  created_at: number
  started_at: number | null
  completed_at: number | null
  /** Time to live after completion the job was completed with; 0 keeps it until deleted. */
  ttl_ms: number | null
  /**
   * `completed_at + ttl_ms`, or null for a job that is not complete, pinned, or kept forever.
   * Derived by the database from those columns, so it can never disagree with them.
   */
  expires_at: number | null
  /** A pinned job never expires. */
  pinned: boolean
  error_code: ErrorCode | null
  error_message: string | null
  /** The validated request, as the job runs it. */
  request: NormalizedTraceRequest
  /** Hash of everything that makes two requests the same (domain.md §14 #1). */
  dedup_key: string | null
  /** Which source the job reads (e.g. `sqlite:/abs/plant.sqlite` or a source profile id). */
  source_id: string
  /** The source as a person reads it. */
  source_description: string | null
  /** Final path of the job's result file. */
  result_path: string | null
  /** Rows stored per domain. */
  row_counts: Partial<Record<Domain, number>>
  quality: QualityStatus | null
  /** Job whose result answered this one, when it was answered from cache. */
  cached_from: string | null
  /** Larger runs first when slots are scarce (the engine decides the scale). */
  priority: number
  /** What the job's worker reported, oldest first (bounded: `JOB_LOG_MAX_ENTRIES`). */
  log: StoredLogEntry[]
  /** Process id of the engine running the job (set when it starts running). */
  runner_pid: number | null
  /** Set by the engine on rows it hands out: a cancel is pending for this running job (never stored). */
  cancel_requested?: boolean
}

/** A job's log entry as the catalog keeps it: with the detail (an error's stack and causes) no screen shows. */
export interface StoredLogEntry extends JobLogEntry {
  /** Stack and `cause` chain of an error, for `mes-trace show`; never sent to the renderer. */
  detail?: string
}

/** Fields a new job must have; every other field has a default. */
type RequiredNewJobField = 'job_id' | 'profile' | 'direction' | 'request' | 'source_id'

/**
 * A job to insert. Defaults: `status` 'queued', `domains` = `request.domains`, `created_at` =
 * the catalog clock, counts 0, JSON lists empty, everything else null / false / 0.
 */
export type NewJob = Pick<JobRow, RequiredNewJobField> & Partial<Omit<JobRow, RequiredNewJobField | 'expires_at' | 'cancel_requested'>>

/** Columns `updateJob` may change (`job_id` is the key, `expires_at` is derived). */
export type JobPatch = Partial<Omit<JobRow, 'job_id' | 'expires_at' | 'cancel_requested'>>

/** How a job ends: see `Catalog.completeJob`. */
export interface CompleteJob
  extends Partial<
    Pick<
      JobRow,
      | 'error_code'
      | 'error_message'
      | 'row_counts'
      | 'quality'
      | 'cid_count'
      | 'seed_count'
      | 'result_path'
      | 'stage'
      | 'completed_stages'
      | 'progress'
      | 'cached_from'
    >
  > {
  status: TerminalJobStatus
  /** Time to live after completion (`TRACE_JOB_TTL_SECONDS` × 1000); 0 keeps the job until deleted. */
  ttlMs: number
  /** @default the catalog clock */
  completed_at?: number
}

/** Filter and page of `Catalog.listJobs`. */
export interface ListJobsQuery {
  /** One status or several. @default every status */
  status?: JobStatus | readonly JobStatus[]
  /** @default every profile */
  profile?: Profile
  /**
   * Case-insensitive substring of the job id, of any value inside the request (a lot id, a
   * station, a date…) or of the source id / description.
   * @default no text filter
   */
  text?: string
  /** @default 100 */
  limit?: number
  /** @default 0 */
  offset?: number
}
