import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createJobsStore, STALL_MS, type JobsStore } from '../../../renderer/src/composables/useJobs'
import { ERROR_TEXT } from '../../../renderer/src/i18n/errors'
import { fakeApi, type FakeApi } from './fake-api'
import { jobView } from '../../fixtures/job-view'

describe('the jobs store', () => {
  let api: FakeApi
  let store: JobsStore
  let now: number

  beforeEach(() => {
    vi.useFakeTimers()
    now = 1_780_000_010_000
    api = fakeApi()
    api.handle('jobs:list', () => [
      jobView({ job_id: 'trace-evt-000000000002', status: 'running', created_at: now - 5000, started_at: now - 4000, completed_at: null, expires_at: null }),
      jobView(),
    ])
    api.handle('jobs:status', ({ job_id }) => jobView({ job_id, status: 'finished' }))
    store = createJobsStore(api, { now: () => now })
  })

  afterEach(() => {
    store.dispose()
    vi.useRealTimers()
  })

  it('lists the jobs newest first and measures elapsed time to now or to the end', async () => {
    await store.refresh()
    expect(store.jobs.value.map((j) => j.job_id)).toEqual(['trace-evt-000000000002', 'trace-evt-000000000001'])
    expect(store.elapsedMs(store.jobs.value[0]!)).toBe(4000)
    expect(store.elapsedMs(store.jobs.value[1]!)).toBe(4000)
    now += 1000
    vi.advanceTimersByTime(1000)
    expect(store.elapsedMs(store.jobs.value[0]!)).toBe(5000)
  })

  it('keeps the last progress of a job, counts its ETA down, and flags it stalled when it goes silent', async () => {
    await store.refresh()
    const running = () => store.job('trace-evt-000000000002')!
    api.emit('jobs:did-progress', { job_id: 'trace-evt-000000000002', progress: { stage: 'events', completed_stages: ['seed', 'lineage'], rows_so_far: 120 }, elapsed_ms: 4000, eta_ms: 10_000 })
    expect(store.live.value.get('trace-evt-000000000002')?.event.progress.rows_so_far).toBe(120)
    now += 3000
    vi.advanceTimersByTime(3000)
    expect(store.etaMs(running())).toBe(7000)
    expect(store.isStalled(running())).toBe(false)
    now += STALL_MS - 3000
    vi.advanceTimersByTime(STALL_MS - 3000)
    expect(store.isStalled(running())).toBe(false)
    now += 1001
    vi.advanceTimersByTime(1001)
    expect(store.isStalled(running())).toBe(true)
    // A new report clears the flag.
    api.emit('jobs:did-progress', { job_id: 'trace-evt-000000000002', progress: { stage: 'events', completed_stages: ['seed', 'lineage'], rows_so_far: 500 }, elapsed_ms: 65_000 })
    expect(store.isStalled(running())).toBe(false)
    // A finished job is never stalled.
    expect(store.isStalled(store.job('trace-evt-000000000001')!)).toBe(false)
  })

  it('shows a job whose status changed, and adds one it did not know yet, from the event alone', async () => {
    await store.refresh()
    const ended = jobView({ job_id: 'trace-evt-000000000002', status: 'finished', created_at: now - 5000, rows_total: 777 })
    api.emit('jobs:did-change-status', { job: ended })
    expect(store.job('trace-evt-000000000002')).toEqual(ended)
    // A result imported from the OS: a job this window has never seen, newest of all.
    const imported = jobView({ job_id: 'trace-evt-00000000000a', imported: true, pinned: true, created_at: now })
    api.emit('jobs:did-change-status', { job: imported })
    expect(store.jobs.value.map((j) => j.job_id)).toEqual(['trace-evt-00000000000a', 'trace-evt-000000000002', 'trace-evt-000000000001'])
    expect(store.job('trace-evt-00000000000a')).toEqual(imported)
    expect(api.calls.map((c) => c.channel)).toEqual(['jobs:list'])
  })

  it('shows a pending cancel as soon as the event says so', async () => {
    await store.refresh()
    const job = store.job('trace-evt-000000000002')!
    api.emit('jobs:did-change-status', { job: { ...job, cancel_requested: true } })
    expect(store.job('trace-evt-000000000002')).toMatchObject({ status: 'running', cancel_requested: true })
  })

  it('does not take a job back to an earlier status with an answer asked for before an event', async () => {
    await store.refresh()
    let answer!: (view: ReturnType<typeof jobView>) => void
    api.handle('jobs:status', () => new Promise((resolve) => (answer = resolve)))
    const tracked = store.track('trace-evt-000000000002')
    await vi.advanceTimersByTimeAsync(0)
    const ended = jobView({ job_id: 'trace-evt-000000000002', status: 'finished', created_at: now - 5000 })
    api.emit('jobs:did-change-status', { job: ended })
    answer(jobView({ job_id: 'trace-evt-000000000002', status: 'running', created_at: now - 5000, completed_at: null }))
    await tracked
    expect(store.job('trace-evt-000000000002')).toEqual(ended)
  })

  it('cancels, pins and removes through the contract, showing each answer, and re-runs into a new job', async () => {
    await store.refresh()
    api.handle('jobs:cancel', ({ job_id }) => jobView({ job_id, status: 'running', cancel_requested: true }))
    api.handle('jobs:pin', ({ job_id, pinned }) => jobView({ job_id, pinned }))
    api.handle('jobs:remove', () => ({ removed: true }))
    api.handle('jobs:rerun', () => ({ job_id: 'trace-evt-0000000000ff' }))
    await store.cancel('trace-evt-000000000002')
    expect(store.job('trace-evt-000000000002')).toMatchObject({ status: 'running', cancel_requested: true })
    await store.pin('trace-evt-000000000001', true)
    expect(store.job('trace-evt-000000000001')?.pinned).toBe(true)
    expect(await store.rerun('trace-evt-000000000001')).toBe('trace-evt-0000000000ff')
    expect(store.job('trace-evt-0000000000ff')).toBeDefined()
    await store.remove('trace-evt-000000000001')
    expect(store.job('trace-evt-000000000001')).toBeUndefined()
    expect(api.calls.map((c) => c.channel)).toEqual(['jobs:list', 'jobs:cancel', 'jobs:pin', 'jobs:rerun', 'jobs:status', 'jobs:remove'])
    expect(api.calls.map((c) => c.payload)).toEqual([
      { limit: 200 },
      { job_id: 'trace-evt-000000000002' },
      { job_id: 'trace-evt-000000000001', pinned: true },
      { job_id: 'trace-evt-000000000001' },
      { job_id: 'trace-evt-0000000000ff' },
      { job_id: 'trace-evt-000000000001' },
    ])
  })

  it('says what went wrong when the list cannot be read', async () => {
    api.fail('jobs:list', 'storage/unreadable', 'The catalog is locked by another process.')
    await store.refresh()
    expect(store.error.value).toMatchObject({ code: 'storage/unreadable', detail: 'The catalog is locked by another process.' })
    expect(Object.values(ERROR_TEXT['storage/unreadable'])).toContain(store.error.value?.message)
  })

  it('stops listening and ticking when disposed', async () => {
    store.dispose()
    api.emit('jobs:did-progress', { job_id: 'trace-evt-000000000002', progress: { stage: 'seed', completed_stages: [] }, elapsed_ms: 1 })
    expect(store.live.value.size).toBe(0)
    const before = store.now.value
    now += 5000
    vi.advanceTimersByTime(5000)
    expect(store.now.value).toBe(before)
  })
})
