/**
 * What the new-trace form asks a source before a run — its data window and the loss reasons at a
 * station — read once and kept for a while per source, so that opening the form or switching the
 * station does not query a plant warehouse each time. A failed read is never kept: the next ask
 * tries again, and the caller shows the error.
 */
import type { SourceDataWindow, StationLossReasons } from '../../shared/data-window.js'
import { openSource, readDataWindow, readLossReasons, type MesSource, type SourceSpec } from '../sources/index.js'

/**
 * How long an answer is kept. A warehouse gains a day of data a day: ten minutes keeps a form
 * responsive and is never noticeably stale.
 */
export const SOURCE_FACTS_TTL_MS = 10 * 60_000

/** Most cached answers (sources × stations); the oldest go first. */
const MAX_ENTRIES = 200

interface Entry<T> {
  at: number
  value: Promise<T>
}

export interface SourceFactsOptions {
  /** @default Date.now */
  now?: () => number
  /** @default SOURCE_FACTS_TTL_MS */
  ttlMs?: number
  /** Opens a source (tests count the opens). @default openSource */
  open?: (spec: SourceSpec) => Promise<{ source: MesSource }>
}

/** The data-window and loss-reason reads of the services, cached per source. */
export class SourceFacts {
  private readonly entries = new Map<string, Entry<unknown>>()
  private readonly now: () => number
  private readonly ttlMs: number
  private readonly open: (spec: SourceSpec) => Promise<{ source: MesSource }>

  constructor(options: SourceFactsOptions = {}) {
    this.now = options.now ?? Date.now
    this.ttlMs = options.ttlMs ?? SOURCE_FACTS_TTL_MS
    this.open = options.open ?? ((spec) => openSource(spec))
  }

  /** The data window of the source `key` names (its profile id and spec). */
  dataWindow(key: string, spec: SourceSpec): Promise<SourceDataWindow> {
    return this.cached(`window\u0000${key}`, () => this.withSource(spec, (source) => readDataWindow(source)))
  }

  /** Loss reasons at `station` of the source `key` names; reuses its cached data window. */
  lossReasons(key: string, spec: SourceSpec, station: string): Promise<StationLossReasons> {
    return this.cached(`reasons\u0000${key}\u0000${station}`, async () => {
      const window = await this.dataWindow(key, spec)
      return this.withSource(spec, (source) => readLossReasons(source, station, { window }))
    })
  }

  private cached<T>(name: string, read: () => Promise<T>): Promise<T> {
    const now = this.now()
    const hit = this.entries.get(name)
    if (hit && now - hit.at < this.ttlMs) return hit.value as Promise<T>
    // Asks made while a read runs share it; a failed read is dropped so the next ask tries again.
    const value = read()
    this.entries.delete(name)
    this.entries.set(name, { at: now, value })
    value.catch(() => {
      if (this.entries.get(name)?.value === value) this.entries.delete(name)
    })
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!)
    return value
  }

  private async withSource<T>(spec: SourceSpec, read: (source: MesSource) => Promise<T>): Promise<T> {
    const { source } = await this.open(spec)
    try {
      return await read(source)
    } finally {
      await source.close()
    }
  }
}
