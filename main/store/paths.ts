/**
 * Where storage lives inside the data directory (architecture.md §6), and the job id format that
 * is part of every result file name.
 */
import { join } from 'node:path'
import { invalidInput } from '../../shared/errors.js'

/** Job ids: `trace-evt-` and 12 lower-case hex digits (domain.md §6.2). */
export const JOB_ID_PATTERN = /^trace-evt-[0-9a-f]{12}$/

/** File name of the catalog inside the data directory. */
export const CATALOG_FILE_NAME = 'catalog.sqlite'

/** Folder of the result files inside the data directory. */
export const RESULTS_DIR_NAME = 'results'

/** Suffix of a result file while its worker writes it; such a file is never a result. */
export const PARTIAL_SUFFIX = '.partial'

/** True for a well-formed job id. */
export function isJobId(value: unknown): value is string {
  return typeof value === 'string' && JOB_ID_PATTERN.test(value)
}

/**
 * Throws `input/invalid` naming `field` unless `value` is a job id. A job id becomes a file name,
 * so this check is also what keeps `../` out of the results folder.
 */
export function assertJobId(value: unknown, field = 'job_id'): asserts value is string {
  if (!isJobId(value)) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : typeof value
    throw invalidInput(field, `must be a job id like trace-evt-0123456789ab, got ${shown}`)
  }
}

/** `<dataDir>/catalog.sqlite`. */
export function catalogPathOf(dataDir: string): string {
  return join(dataDir, CATALOG_FILE_NAME)
}

/** `<dataDir>/results`. */
export function resultsDirOf(dataDir: string): string {
  return join(dataDir, RESULTS_DIR_NAME)
}

/** `<resultsDir>/<jobId>.sqlite`; refuses anything that is not a job id. */
export function resultPathOf(resultsDir: string, jobId: string): string {
  assertJobId(jobId, 'jobId')
  return join(resultsDir, `${jobId}.sqlite`)
}
