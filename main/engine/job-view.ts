/** A catalog job row as every surface shows it (`JobView` of shared/jobs.ts). */
import { jobOutcomeOf } from '../../shared/data-window.js'
import { summarizeRequest, type JobView } from '../../shared/jobs.js'
import type { JobRow } from '../store/index.js'

/** Source id prefix of a job registered from an exported result file (it has no source to re-run). */
export const IMPORT_SOURCE_PREFIX = 'import:'

/** True for a job registered by `importResultFile`. */
export function isImported(row: JobRow): boolean {
  return row.source_id.startsWith(IMPORT_SOURCE_PREFIX)
}

/** Rows stored over all domains. */
export function rowsTotal(row: JobRow): number {
  return Object.values(row.row_counts).reduce<number>((n, v) => n + (v ?? 0), 0)
}

/** The view of a job row (times in epoch milliseconds). */
export function jobViewOf(row: JobRow): JobView {
  return {
    job_id: row.job_id,
    status: row.status,
    profile: row.profile,
    direction: row.direction,
    source: row.source_description ?? row.source_id,
    source_id: row.source_id,
    domains: row.domains,
    seed_count: row.seed_count,
    cid_count: row.cid_count,
    rows_total: rowsTotal(row),
    row_counts: row.row_counts,
    quality: row.quality,
    created_at: row.created_at,
    started_at: row.started_at,
    completed_at: row.completed_at,
    expires_at: row.expires_at,
    pinned: row.pinned,
    imported: isImported(row),
    cached_from: row.cached_from,
    stage: row.stage,
    progress: row.progress,
    request: summarizeRequest(row.request),
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    result_file: row.status === 'finished' ? row.result_path : null,
    cancel_requested: row.cancel_requested ?? false,
    // An error's stack and causes stay in the catalog (`mes-trace show --verbose`), never on a screen.
    log: row.log.map(({ at, level, message }) => ({ at, level, message })),
    outcome: row.status === 'finished' ? jobOutcomeOf(row.seed_count, summarizeRequest(row.request)) : { status: 'ok' },
  }
}
