/**
 * One job's result as the result view shows it: the job (kept live by the jobs store), its
 * summary, its MSD aggregation, and its lineage on demand. Every answer is checked against the
 * job it was asked for, so switching jobs never shows the last job's data.
 */
import { computed, shallowRef, watch, type Ref } from 'vue'
import type { Api, ResultSummary } from '../../../shared/api'
import type { JobView } from '../../../shared/jobs'
import type { MsdAggregation } from '../../../shared/msd'
import type { PageFilter } from '../../../shared/page-query'
import type { Domain, LineageResult } from '../../../shared/trace'
import { call, describeError } from './useApi'
import type { JobsStore } from './useJobs'
import type { FetchPage } from './useRowsPage'

export interface UseResultOptions {
  api: Api | null
  jobs: JobsStore
  /** The message when the job does not exist (already in the user's language). */
  notFound: (jobId: string) => string
}

type ErrorLine = { code: string; message: string }

export function useResult(jobId: Ref<string>, options: UseResultOptions) {
  const { api, jobs } = options
  /** The job as last fetched here: shown even when the store's list does not hold it. */
  const fetched = shallowRef<JobView | null>(null)
  const job = computed(() => jobs.job(jobId.value) ?? (fetched.value?.job_id === jobId.value ? fetched.value : null))
  const summary = shallowRef<ResultSummary | null>(null)
  const aggregation = shallowRef<MsdAggregation | null>(null)
  const lineage = shallowRef<LineageResult | null>(null)
  const lineageError = shallowRef<ErrorLine | null>(null)
  const error = shallowRef<ErrorLine | null>(null)
  /** Bumped for every job shown: an answer for an older one is dropped. */
  let generation = 0

  async function load(): Promise<void> {
    const mine = ++generation
    fetched.value = null
    summary.value = null
    aggregation.value = null
    lineage.value = null
    lineageError.value = null
    error.value = null
    const view = await jobs.track(jobId.value)
    if (mine !== generation) return
    if (!view) {
      const why = jobs.lastTrackError.value
      error.value = !why || why.code === 'job/not-found' ? { code: 'job/not-found', message: options.notFound(jobId.value) } : why
      return
    }
    fetched.value = view
    if (view.status === 'finished') await loadResult(mine, view)
  }

  async function loadResult(mine: number, view: JobView): Promise<void> {
    try {
      const [s, a] = await Promise.all([
        call(api, 'results:summary', { job_id: view.job_id }),
        view.profile === 'mid_section_defect' ? call(api, 'results:aggregation', { job_id: view.job_id }) : Promise.resolve(null),
      ])
      if (mine !== generation) return
      summary.value = s
      aggregation.value = a
    } catch (e) {
      if (mine === generation) error.value = describeError(e)
    }
  }

  /** The lineage, fetched once per job. */
  async function ensureLineage(): Promise<LineageResult | null> {
    if (lineage.value || lineageError.value) return lineage.value
    const mine = generation
    try {
      const answer = await call(api, 'results:lineage', { job_id: jobId.value })
      if (mine === generation) lineage.value = answer
    } catch (e) {
      if (mine === generation) lineageError.value = describeError(e)
    }
    return mine === generation ? lineage.value : null
  }

  watch(jobId, load, { immediate: true })
  // The job finishing while it is shown brings its result in.
  watch(
    () => job.value?.status,
    (status, before) => {
      if (status === 'finished' && before && before !== 'finished' && job.value) void loadResult(generation, job.value)
    },
  )

  return { job, summary, aggregation, lineage, lineageError, error, ensureLineage, reload: load }
}

/** The table of a result a page comes from: an event domain, or an MSD output table. */
export type ResultTableRef = { domain: Domain } | { msd: 'detail' | 'suspects' }

/** A page fetcher for a result table, with conditions always added (drill-down, lineage selection). */
export function resultPageFetcher(api: Api | null, jobId: string, table: ResultTableRef, fixed: readonly PageFilter[] = []): FetchPage {
  return async (query) => {
    const filter = [...(query.filter ?? []), ...fixed]
    const base = { job_id: jobId, offset: query.offset, limit: query.limit, ...(query.sort ? { sort: query.sort } : {}), ...(filter.length ? { filter } : {}) }
    const page = 'domain' in table ? await call(api, 'results:page', { ...base, domain: table.domain }) : await call(api, 'results:detail', { ...base, table: table.msd })
    return { rows: page.rows, total: page.total }
  }
}
