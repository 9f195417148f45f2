/** The one source of the contract's events: the engine's events, renamed, and a failing listener kept away from the engine. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { JobView } from '../../../shared/jobs.js'
import { onServiceEvent, type JobEvents } from '../../../main/transport/index.js'
import { jobView } from '../../fixtures/job-view.js'

type ProgressListener = Parameters<JobEvents['onDidProgress']>[0]
type StatusListener = Parameters<JobEvents['onDidChangeStatus']>[0]

/** The engine's two events, fired by hand, emitting the way the engine does (no catch of its own). */
function fakeEngine() {
  const progress = new Set<ProgressListener>()
  const status = new Set<StatusListener>()
  return {
    engine: {
      onDidProgress: (listener: ProgressListener) => (progress.add(listener), () => void progress.delete(listener)),
      onDidChangeStatus: (listener: StatusListener) => (status.add(listener), () => void status.delete(listener)),
    } satisfies JobEvents,
    progress: (event: Parameters<ProgressListener>[0]) => progress.forEach((l) => l(event)),
    status: (job: JobView) => status.forEach((l) => l({ job })),
    listeners: () => progress.size + status.size,
  }
}

describe('onServiceEvent', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('hands on each engine event as the contract names it, until unsubscribed', () => {
    const source = fakeEngine()
    const seen: unknown[] = []
    const stop = onServiceEvent(source.engine, (event, payload) => seen.push([event, payload]))
    source.progress({ jobId: 'trace-evt-0123456789ab', progress: { stage: 'events', completed_stages: ['seed'] }, elapsedMs: 2500, etaMs: 1000 })
    const job = jobView({ status: 'running', cancel_requested: true })
    source.status(job)
    expect(seen).toEqual([
      ['jobs:did-progress', { job_id: 'trace-evt-0123456789ab', progress: { stage: 'events', completed_stages: ['seed'] }, elapsed_ms: 2500, eta_ms: 1000 }],
      ['jobs:did-change-status', { job }],
    ])
    stop()
    expect(source.listeners()).toBe(0)
    source.status(job)
    expect(seen).toHaveLength(2)
  })

  it('reports a listener that throws to onError, and the engine’s emit goes on', () => {
    const source = fakeEngine()
    const onError = vi.fn()
    const broken = new Error('send failed')
    onServiceEvent(
      source.engine,
      () => {
        throw broken
      },
      onError,
    )
    const after = vi.fn()
    source.engine.onDidChangeStatus(after)
    expect(() => source.status(jobView())).not.toThrow()
    expect(onError).toHaveBeenCalledWith(broken, 'jobs:did-change-status')
    expect(after).toHaveBeenCalledTimes(1)
  })

  it('throws a listener’s error again outside the engine’s call when nobody takes it', async () => {
    vi.useFakeTimers({ toFake: ['queueMicrotask'] })
    const source = fakeEngine()
    const broken = new Error('send failed')
    onServiceEvent(source.engine, () => {
      throw broken
    })
    expect(() => source.status(jobView())).not.toThrow()
    expect(() => vi.runAllTicks()).toThrow(broken)
  })
})
