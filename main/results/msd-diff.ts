/**
 * Reading two finished results for the run-to-run diff (shared/msd-diff.ts): each one's request,
 * aggregation and its FULL stored suspect list, read in chunks, so a factor that dropped out of
 * the aggregation's top list in one run still matches the other. The CLI's `diff` and the
 * `results:diff` channel both come here.
 */
import { assertComparable, diffMsdRuns, suspectOfRow, type MsdDiff, type MsdDiffFields, type MsdDiffInput } from '../../shared/msd-diff.js'
import type { Suspect } from '../../shared/msd.js'
import type { ResultService } from './result-service.js'

/** A finished job's request and aggregation; `job/not-found` / `job/not-finished` for a job without a result. */
function headOf(results: ResultService, jobId: string): Omit<MsdDiffInput, 'suspects'> {
  const summary = results.summary(jobId)
  return {
    job_id: jobId,
    request: summary.request,
    source: summary.source,
    as_of: summary.as_of,
    app_version: summary.app_version,
    aggregation: summary.request.profile === 'mid_section_defect' ? results.aggregation(jobId) : null,
  }
}

/** Every suspect of the stored list of a backward result, in list order (read in chunks). */
async function storedSuspects(results: ResultService, jobId: string): Promise<Suspect[]> {
  const suspects: Suspect[] = []
  if (!results.summary(jobId).msd_tables.suspects) return suspects
  for await (const chunk of results.reader(jobId).msdRows('suspects')) {
    for (const row of chunk) {
      const suspect = suspectOfRow(row)
      if (suspect) suspects.push(suspect)
    }
  }
  return suspects
}

/**
 * The diff of two finished MSD jobs, A the baseline and B the newer. Refusals are `input/invalid`
 * naming the job argument at fault as the caller calls it (`fields`); they come before either
 * suspect list is read.
 */
export async function diffResults(results: ResultService, jobA: string, jobB: string, fields?: MsdDiffFields): Promise<MsdDiff> {
  const a = headOf(results, jobA)
  const b = headOf(results, jobB)
  const [aggA] = assertComparable(a, b, fields)
  const backward = aggA.direction === 'backward'
  const suspectsA = backward ? await storedSuspects(results, jobA) : []
  const suspectsB = backward ? await storedSuspects(results, jobB) : []
  return diffMsdRuns({ ...a, suspects: suspectsA }, { ...b, suspects: suspectsB }, fields)
}
