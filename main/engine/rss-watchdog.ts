/**
 * The second half of a worker's memory cap. `--max-old-space-size` bounds only the V8 heap;
 * Buffers, SQLite's page cache and native allocations live outside it, so main also samples the
 * worker's resident set size and calls back when it stays over the cap.
 */
import { readRssBytes } from './process-memory.js'

/** How often the RSS is sampled. */
export const RSS_WATCHDOG_INTERVAL_MS = 1_000

/**
 * Samples in a row that must be over the cap before the watchdog fires: one spike (a batch being
 * written, a GC that has not run yet) is not a runaway worker.
 */
export const RSS_WATCHDOG_CONSECUTIVE_SAMPLES = 2

/** Options of {@link RssWatchdog}. */
export interface RssWatchdogOptions {
  /** The cap in bytes. */
  capBytes: number
  /**
   * Reads one sample in bytes; undefined when none is available yet. `() => handle.rssBytes()`
   * reads `/proc` on Linux and the worker's own reports elsewhere; {@link workerRssSampler} does
   * the same without a synchronous read.
   */
  sample: () => number | undefined | Promise<number | undefined>
  /** Called once, with the last sample, when the cap was exceeded; the watchdog has stopped by then. */
  onExceeded: (rssBytes: number) => void
  /** @default RSS_WATCHDOG_INTERVAL_MS (1 s) */
  intervalMs?: number
  /** @default RSS_WATCHDOG_CONSECUTIVE_SAMPLES (2) */
  consecutiveSamples?: number
}

/** What {@link workerRssSampler} reads; a `WorkerHandle` fits. */
export interface RssSampleTarget {
  readonly pid: number | undefined
  /** The RSS the worker reported about itself (its progress messages). */
  rssBytes(): number | undefined
}

/**
 * A sampler for {@link RssWatchdogOptions.sample}: `/proc/<pid>/status` read asynchronously on
 * Linux, else (or once the process is gone) the worker's own last report.
 */
export function workerRssSampler(target: RssSampleTarget): () => Promise<number | undefined> {
  return async () => {
    const pid = target.pid
    const fromOs = pid === undefined ? undefined : await readRssBytes(pid)
    return fromOs ?? target.rssBytes()
  }
}

/** Samples a worker's RSS every `intervalMs` from construction until {@link stop} or the first firing. */
export class RssWatchdog {
  readonly #options: RssWatchdogOptions
  readonly #intervalMs: number
  readonly #needed: number
  #overCount = 0
  #timer: NodeJS.Timeout | undefined
  #isStopped = false

  constructor(options: RssWatchdogOptions) {
    this.#options = options
    this.#intervalMs = options.intervalMs ?? RSS_WATCHDOG_INTERVAL_MS
    this.#needed = options.consecutiveSamples ?? RSS_WATCHDOG_CONSECUTIVE_SAMPLES
    this.#schedule()
  }

  get isStopped(): boolean {
    return this.#isStopped
  }

  /** Stops sampling; idempotent. No callback fires after it returns, even if a read is in flight. */
  stop(): void {
    this.#isStopped = true
    clearTimeout(this.#timer)
  }

  // A timeout chain rather than setInterval, so a slow read never overlaps the next one.
  #schedule(): void {
    this.#timer = setTimeout(() => void this.#tick(), this.#intervalMs)
    // Watching must never be what keeps a CLI alive.
    this.#timer.unref()
  }

  async #tick(): Promise<void> {
    let rss: number | undefined
    try {
      rss = await this.#options.sample()
    } catch {
      // A failed read is a missing sample, not a reason to stop watching.
      rss = undefined
    }
    if (this.#isStopped) return
    // No sample (no report yet, process just ended) neither counts nor breaks the streak.
    if (rss !== undefined) this.#overCount = rss > this.#options.capBytes ? this.#overCount + 1 : 0
    if (rss !== undefined && this.#overCount >= this.#needed) {
      this.stop()
      this.#options.onExceeded(rss)
      return
    }
    this.#schedule()
  }
}
