/**
 * The one source of the contract's pushed events, for both transports: it listens to the job
 * engine and hands each event on as the contract names it (shared/api.ts `Events`: snake_case,
 * the status event carrying the whole job view). Main-side code keeps the engine's own names; this
 * is the only place they are turned into the renderer's.
 */
import type { EventName, Events } from '../../shared/api.js'
import type { JobView } from '../../shared/jobs.js'
import type { JobProgressEvent } from '../engine/index.js'

/** What the transports read of the job engine: its two events. */
export interface JobEvents {
  onDidProgress(listener: (event: JobProgressEvent) => void): () => void
  onDidChangeStatus(listener: (event: { job: JobView }) => void): () => void
}

/** Receives every contract event, by name. */
export type ServiceEventListener = <E extends EventName>(event: E, payload: Events[E]) => void

/** The contract's progress event for one of the engine's. */
function progressEventOf(event: JobProgressEvent): Events['jobs:did-progress'] {
  return {
    job_id: event.jobId,
    progress: event.progress,
    elapsed_ms: event.elapsedMs,
    ...(event.etaMs !== undefined ? { eta_ms: event.etaMs } : {}),
  }
}

/** The contract's status event for one of the engine's. */
function statusEventOf(event: { job: JobView }): Events['jobs:did-change-status'] {
  return { job: event.job }
}

/**
 * Subscribes `listener` to the engine's events, as the contract's. A listener that throws must not
 * break the engine's own bookkeeping, which emits in the middle of it: its error goes to `onError`,
 * or (without one) is thrown again outside the engine's call, to the process's unexpected-error
 * sink. Returns the unsubscribe.
 */
export function onServiceEvent(engine: JobEvents, listener: ServiceEventListener, onError?: (error: unknown, event: EventName) => void): () => void {
  const deliver = <E extends EventName>(event: E, payload: Events[E]): void => {
    try {
      listener(event, payload)
    } catch (error) {
      if (!onError) {
        queueMicrotask(() => {
          throw error
        })
        return
      }
      try {
        onError(error, event)
      } catch {
        // A log that fails must not reach the engine either.
      }
    }
  }
  const stops = [
    engine.onDidProgress((event) => deliver('jobs:did-progress', progressEventOf(event))),
    engine.onDidChangeStatus((event) => deliver('jobs:did-change-status', statusEventOf(event))),
  ]
  return () => {
    for (const stop of stops.splice(0)) stop()
  }
}
