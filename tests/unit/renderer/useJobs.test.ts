import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createJobsStore, STALL_MS, type JobsStore } from '../../../renderer/src/composables/useJobs'
import { fakeApi, type FakeApi } from './fake-api'
import { jobView } from './jobs-fixture'

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
    api.handle('jobs:status', ({ jobId }) => jobView({ job_id: jobId, status: 'finished' }))
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
    api.emit('jobs:did-progress', { jobId: 'trace-evt-000000000002', progress: { stage: 'events', completed_stages: ['seed', 'lineage'], rows_so_far: 120 }, elapsedMs: 4000, etaMs: 10_000 })
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
    api.emit('jobs:did-progress', { jobId: 'trace-evt-000000000002', progress: { stage: 'events', completed_stages: ['seed', 'lineage'], rows_so_far: 500 }, elapsedMs: 65_000 })
    expect(store.isStalled(running())).toBe(false)
    // A finished job is never stalled.
    expect(store.isStalled(store.job('trace-evt-000000000001')!)).toBe(false)
  })

  it('fetches a job whose status changed, and one it did not know yet', async () => {
    await store.refresh()
    api.emit('jobs:did-change-status', { jobId: 'trace-evt-000000000002', status: 'finished' })
    await vi.waitFor(() => expect(store.job('trace-evt-000000000002')?.status).toBe('finished'))
    api.emit('jobs:did-change-status', { jobId: 'trace-evt-00000000000a', status: 'queued' })
    await vi.waitFor(() => expect(store.job('trace-evt-00000000000a')).toBeDefined())
    expect(api.calls.filter((c) => c.channel === 'jobs:status').map((c) => c.payload)).toEqual([{ jobId: 'trace-evt-000000000002' }, { jobId: 'trace-evt-00000000000a' }])
  })

  it('cancels, pins and removes through the contract, and re-runs into a new job', async () => {
    await store.refresh()
    api.handle('jobs:cancel', ({ jobId }) => jobView({ job_id: jobId, status: 'cancelled' }))
    api.handle('jobs:pin', ({ jobId, pinned }) => jobView({ job_id: jobId, pinned }))
    api.handle('jobs:remove', () => ({ removed: true }))
    api.handle('jobs:rerun', () => ({ jobId: 'trace-evt-0000000000ff' }))
    await store.cancel('trace-evt-000000000002')
    await store.pin('trace-evt-000000000001', true)
    expect(await store.rerun('trace-evt-000000000001')).toBe('trace-evt-0000000000ff')
    expect(store.job('trace-evt-0000000000ff')).toBeDefined()
    await store.remove('trace-evt-000000000001')
    expect(store.job('trace-evt-000000000001')).toBeUndefined()
    expect(api.calls.map((c) => c.channel)).toEqual(['jobs:list', 'jobs:cancel', 'jobs:status', 'jobs:pin', 'jobs:status', 'jobs:rerun', 'jobs:status', 'jobs:remove'])
  })

  it('says what went wrong when the list cannot be read', async () => {
    api.fail('jobs:list', 'storage/unreadable', 'The catalog is locked by another process.')
    await store.refresh()
    expect(store.error.value).toEqual({ code: 'storage/unreadable', message: 'The catalog is locked by another process.' })
  })

  it('stops listening and ticking when disposed', async () => {
    store.dispose()
    api.emit('jobs:did-progress', { jobId: 'trace-evt-000000000002', progress: { stage: 'seed', completed_stages: [] }, elapsedMs: 1 })
    expect(store.live.value.size).toBe(0)
    const before = store.now.value
    now += 5000
    vi.advanceTimersByTime(5000)
    expect(store.now.value).toBe(before)
  })
})
