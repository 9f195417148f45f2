/**
 * The run-to-run diff of two MSD results (`results:diff`), fetched again whenever either job
 * changes, and the order a pair picked in the history is compared in: the older window is A, the
 * baseline.
 */
import { shallowRef, watch, type Ref } from 'vue'
import type { Api } from '../../../shared/api'
import type { JobView } from '../../../shared/jobs'
import type { MsdDiff } from '../../../shared/msd-diff'
import { call, describeError } from './useApi'

export interface UseDiffOptions {
  api: Api | null
  /** A: the baseline (older) run. */
  jobA: Ref<string>
  /** B: the newer run. */
  jobB: Ref<string>
}

/** True for a job the history may offer to compare: a finished MSD analysis. */
export function isComparable(job: JobView): boolean {
  return job.profile === 'mid_section_defect' && job.status === 'finished'
}

/** True when two MSD jobs may be compared: the same detection station and direction. */
export function canCompare(first: JobView, second: JobView): boolean {
  return first.job_id !== second.job_id && first.request.station === second.request.station && first.direction === second.direction
}

/**
 * Two jobs in diff order: the one whose window ends earlier first (a container-seeded run, which
 * has none, by when it finished), so "new" means new in the later run.
 */
export function diffOrder(first: JobView, second: JobView): [JobView, JobView] {
  const end = (job: JobView): string => job.request.end_date ?? ''
  const endFirst = end(first)
  const endSecond = end(second)
  if (endFirst !== endSecond && endFirst !== '' && endSecond !== '') return endFirst < endSecond ? [first, second] : [second, first]
  return (first.completed_at ?? 0) <= (second.completed_at ?? 0) ? [first, second] : [second, first]
}

export function useDiff(options: UseDiffOptions) {
  const { api, jobA, jobB } = options
  const diff = shallowRef<MsdDiff | null>(null)
  const error = shallowRef<{ code: string; message: string } | null>(null)
  const loading = shallowRef(false)
  /** Bumped per load: an answer for an older pair never replaces the one shown. */
  let generation = 0

  async function load(): Promise<void> {
    const mine = ++generation
    diff.value = null
    error.value = null
    loading.value = true
    try {
      const answer = await call(api, 'results:diff', { job_a: jobA.value, job_b: jobB.value })
      if (mine === generation) diff.value = answer
    } catch (e) {
      if (mine === generation) error.value = describeError(e)
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  watch([jobA, jobB], () => void load(), { immediate: true })

  return { diff, error, loading, reload: load }
}
