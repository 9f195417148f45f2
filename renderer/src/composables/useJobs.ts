/**
 * The jobs of this workspace, kept live: the list comes from `jobs:list`, then every pushed
 * progress and status event updates it in place. A status event carries the whole job, so it is
 * shown as it comes, with no call back — a job this window has not seen (one imported from the
 * OS, started elsewhere) is added. A running job that has not reported for {@link STALL_MS} is
 * flagged as stalled. One store per window (`provideJobs`), shared by the jobs panel, the result
 * view and the history.
 */
import { inject, onScopeDispose, ref, shallowRef, type App, type InjectionKey, type Ref, type ShallowRef } from 'vue'
import type { Api, Events, RequestOf } from '../../../shared/api'
import type { JobStatus, JobView } from '../../../shared/jobs'
import { call, describeError } from './useApi'

/** A running job silent for this long is shown as stalled. */
export const STALL_MS = 60_000
/** Jobs the panel lists (newest first). */
export const JOBS_SHOWN = 200

/** What the engine last pushed about a job. */
export interface LiveProgress {
  event: Events['jobs:did-progress']
  /** When it arrived (this window's clock). */
  at: number
}

export interface JobsStoreOptions {
  /** @default Date.now */
  now?: () => number
  /** Clock tick for elapsed times and stall checks. @default 1000 */
  tickMs?: number
  /** @default STALL_MS */
  stallMs?: number
}

export interface JobsStore {
  jobs: ShallowRef<JobView[]>
  live: ShallowRef<Map<string, LiveProgress>>
  /** This window's clock, updated every tick. */
  now: Ref<number>
  loading: Ref<boolean>
  error: Ref<{ code: string; message: string } | null>
  /** Why the last `track` returned null. */
  lastTrackError: ShallowRef<{ code: string; message: string } | null>
  refresh: () => Promise<void>
  /** Fetches one job and puts it at its place in the list. */
  track: (jobId: string) => Promise<JobView | null>
  /**
   * Starts a trace on a source profile: its job id (tracked), and whether an identical earlier
   * result answered it instead (`cached`, with that result's `asOf`); or throws an ApiError.
   */
  enqueue: (request: RequestOf<'jobs:enqueue'>['request'], sourceId: string) => Promise<{ jobId: string; cached: boolean; asOf: number | null }>
  job: (jobId: string) => JobView | undefined
  isStalled: (job: JobView) => boolean
  /** Milliseconds the job has run (to its end, or to now). */
  elapsedMs: (job: JobView) => number | null
  etaMs: (job: JobView) => number | null
  cancel: (jobId: string) => Promise<void>
  rerun: (jobId: string) => Promise<string>
  pin: (jobId: string, pinned: boolean) => Promise<void>
  remove: (jobId: string) => Promise<void>
  dispose: () => void
}

const ACTIVE = new Set(['queued', 'running'])

/** How far along each status is: a job only ever moves forward. */
const STAGE_OF: Readonly<Record<JobStatus, number>> = { queued: 0, running: 1, finished: 2, failed: 2, cancelled: 2, interrupted: 2 }

export function createJobsStore(api: Api | null, options: JobsStoreOptions = {}): JobsStore {
  const clock = options.now ?? Date.now
  const stallMs = options.stallMs ?? STALL_MS
  const jobs = shallowRef<JobView[]>([])
  const live = shallowRef(new Map<string, LiveProgress>())
  const now = ref(clock())
  const loading = ref(false)
  const error = ref<{ code: string; message: string } | null>(null)
  /** Why the last `track` found nothing (not found, or the call itself failed). */
  const lastTrackError = shallowRef<{ code: string; message: string } | null>(null)
  /** When each active job was first seen by this window, so a silent one can be flagged. */
  const seenAt = new Map<string, number>()

  const put = (view: JobView): void => {
    // An answer asked for before an event that has since arrived must not take the job back
    // (a `jobs:status` sent while queued, answered after the job started).
    const current = jobs.value.find((j) => j.job_id === view.job_id)
    if (current && STAGE_OF[current.status] > STAGE_OF[view.status]) return
    const list = jobs.value.filter((j) => j.job_id !== view.job_id)
    list.push(view)
    list.sort((a, b) => b.created_at - a.created_at)
    // An older job asked for by name (opened from the history) stays, past the newest ones.
    const kept = list.slice(0, JOBS_SHOWN)
    jobs.value = kept.includes(view) ? kept : [...kept, view]
    if (ACTIVE.has(view.status) && !seenAt.has(view.job_id)) seenAt.set(view.job_id, clock())
  }

  const refresh = async (): Promise<void> => {
    if (!api) return
    loading.value = true
    try {
      const list = await call(api, 'jobs:list', { limit: JOBS_SHOWN })
      const at = clock()
      for (const view of list) if (ACTIVE.has(view.status) && !seenAt.has(view.job_id)) seenAt.set(view.job_id, at)
      jobs.value = list
      error.value = null
    } catch (e) {
      error.value = describeError(e)
    } finally {
      loading.value = false
    }
  }

  const track = async (jobId: string): Promise<JobView | null> => {
    try {
      const view = await call(api, 'jobs:status', { job_id: jobId })
      put(view)
      return view
    } catch (e) {
      const described = describeError(e)
      if (described.code === 'job/not-found') jobs.value = jobs.value.filter((j) => j.job_id !== jobId)
      lastTrackError.value = described
      return null
    }
  }

  const stops: (() => void)[] = []
  if (api) {
    stops.push(
      api.on('jobs:did-progress', (event) => {
        const next = new Map(live.value)
        next.set(event.job_id, { event, at: clock() })
        live.value = next
        // The status event that announced the job came first; one missed (the window connected
        // mid-run) is made good by the list this window loads.
        const view = jobs.value.find((j) => j.job_id === event.job_id)
        if (view?.status === 'queued') put({ ...view, status: 'running' })
      }),
      api.on('jobs:did-change-status', (event) => put(event.job)),
    )
  }
  const timer = setInterval(() => {
    now.value = clock()
  }, options.tickMs ?? 1000)
  stops.push(() => clearInterval(timer))

  const lastSignOfLife = (job: JobView): number => {
    const progress = live.value.get(job.job_id)?.at
    return Math.max(progress ?? 0, seenAt.get(job.job_id) ?? 0, job.started_at ?? 0)
  }

  return {
    jobs,
    live,
    now,
    loading,
    error,
    lastTrackError,
    refresh,
    track,
    enqueue: async (request, sourceId) => {
      const { job_id: jobId, cached, as_of: asOf } = await call(api, 'jobs:enqueue', { request, source_id: sourceId })
      // A job answered from cache may announce nothing: ask for it, so the caller can open it at once.
      await track(jobId)
      return { jobId, cached, asOf }
    },
    job: (jobId) => jobs.value.find((j) => j.job_id === jobId),
    isStalled: (job) => job.status === 'running' && now.value - lastSignOfLife(job) > stallMs,
    elapsedMs: (job) => {
      const start = job.started_at
      if (start === null) return null
      const end = job.completed_at ?? now.value
      return Math.max(0, end - start)
    },
    etaMs: (job) => {
      if (job.status !== 'running') return null
      const progress = live.value.get(job.job_id)
      if (!progress || progress.event.eta_ms === undefined) return null
      return Math.max(0, progress.event.eta_ms - (now.value - progress.at))
    },
    // The answer is the job as it now stands (a running one with `cancel_requested`).
    cancel: async (jobId) => put(await call(api, 'jobs:cancel', { job_id: jobId })),
    rerun: async (jobId) => {
      const { job_id: next } = await call(api, 'jobs:rerun', { job_id: jobId })
      await track(next)
      return next
    },
    pin: async (jobId, pinned) => put(await call(api, 'jobs:pin', { job_id: jobId, pinned })),
    remove: async (jobId) => {
      await call(api, 'jobs:remove', { job_id: jobId })
      jobs.value = jobs.value.filter((j) => j.job_id !== jobId)
      seenAt.delete(jobId)
      if (live.value.has(jobId)) {
        const next = new Map(live.value)
        next.delete(jobId)
        live.value = next
      }
    },
    dispose: () => {
      for (const stop of stops.splice(0)) stop()
    },
  }
}

export const JOBS_KEY: InjectionKey<JobsStore> = Symbol('mes-trace-jobs')

export function provideJobs(app: App, store: JobsStore): void {
  app.provide(JOBS_KEY, store)
}

/** The window's jobs store (made here when none was provided, e.g. in a component test). */
export function useJobs(api: Api | null = null): JobsStore {
  const store = inject(JOBS_KEY, null)
  if (store) return store
  const own = createJobsStore(api)
  onScopeDispose(own.dispose)
  return own
}
