/**
 * What the shell shows outside the window while jobs run: the taskbar/dock progress (one fraction
 * over every running job) and whether a finished job deserves an OS notification. Pure, so it is
 * tested without Electron.
 */
import type { TraceProgress } from '../../shared/trace.js'

/** A job that ran at least this long gets a notification when it ends (shorter ones were watched). */
export const NOTIFY_AFTER_MS = 30_000

/** Share of a job done, 0…1, from its stage and its event batches. */
export function progressFraction(progress: TraceProgress): number {
  if (progress.stage === 'seed') return 0.02
  if (progress.stage === 'lineage') return 0.1
  if (progress.stage === 'analysis') return 0.95
  let done = 0
  let total = 0
  for (const d of Object.values(progress.domains ?? {})) {
    done += d?.batches_done ?? 0
    total += d?.batches_total ?? 0
  }
  return 0.15 + 0.75 * (total > 0 ? Math.min(1, done / total) : 0)
}

/** The taskbar value: the mean fraction of the running jobs, or -1 (no bar) when none runs. */
export function taskbarProgress(running: ReadonlyMap<string, TraceProgress>): number {
  if (running.size === 0) return -1
  let sum = 0
  for (const p of running.values()) sum += progressFraction(p)
  return Math.round((sum / running.size) * 1000) / 1000
}

/** True when a job that ran `elapsedMs` and ended `status` should be announced. */
export function shouldNotify(status: string, elapsedMs: number): boolean {
  return elapsedMs >= NOTIFY_AFTER_MS && (status === 'finished' || status === 'failed')
}
