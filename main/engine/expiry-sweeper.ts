/**
 * Deletes expired jobs on a timer, in small batches: each expired row is handed to `remove`
 * (which closes what reads the job, deletes its file and its row).
 */
import type { Catalog, JobRow } from '../store/index.js'

/** Rows deleted per catalog query. */
const SWEEP_BATCH = 100

export interface ExpirySweeperOptions {
  catalog: Catalog
  now: () => number
  /** Period of the sweep. */
  intervalMs: number
  /** Deletes one expired job; it must remove the row, or the sweep would see it again. */
  remove: (row: JobRow) => void
}

export class ExpirySweeper {
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly options: ExpirySweeperOptions) {}

  /** Sweeps now, then every `intervalMs` (the timer never keeps the process alive). */
  start(): void {
    this.sweep()
    this.timer = setInterval(() => this.sweep(), this.options.intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }

  /** Deletes every job expired by now; returns their ids. */
  sweep(): string[] {
    const removed: string[] = []
    for (;;) {
      const batch = this.options.catalog.expiredJobs(this.options.now(), SWEEP_BATCH)
      if (batch.length === 0) return removed
      for (const row of batch) {
        this.options.remove(row)
        removed.push(row.job_id)
      }
    }
  }
}
