/** Job statuses and the job as every renderer-facing surface shows it (CLI `--json`, IPC, browser host). */
import type { Direction, Domain, Profile, QualityStatus, TraceProgress } from './trace.js'

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
  error: { code: string; message: string } | null
  result_file: string | null
}
