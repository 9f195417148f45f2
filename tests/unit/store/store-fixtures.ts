/** Helpers shared by the storage tests: temp folders, a fake clock, sample jobs. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { normalizeTraceRequest, type NormalizedTraceRequest } from '../../../shared/trace-request.js'
import type { NewJob } from '../../../main/store/index.js'

/** A temp folder removed by `cleanup`. */
export function tempDir(prefix = 'mes-trace-store-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A clock the test moves by hand. */
export function fakeClock(start = Date.UTC(2026, 0, 5, 8, 0, 0)): { now: () => number; set(t: number): void; advance(ms: number): void } {
  let t = start
  return { now: () => t, set: (v) => void (t = v), advance: (ms) => void (t += ms) }
}

/** A valid job id from a small number (`trace-evt-000000000001`). */
export function jobId(n: number): string {
  return `trace-evt-${n.toString(16).padStart(12, '0')}`
}

/** A lot trace request for these lot ids. */
export function lotRequest(...lots: string[]): NormalizedTraceRequest {
  return normalizeTraceRequest({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: lots } })
}

/** A new queued job with sensible fields; `overrides` win. */
export function newJob(n: number, overrides: Partial<NewJob> = {}): NewJob {
  const request = lotRequest(`GA2601${String(n).padStart(4, '0')}-A01`)
  return {
    job_id: jobId(n),
    profile: request.profile,
    direction: request.direction,
    request,
    source_id: 'sqlite:/data/plant.sqlite',
    source_description: 'Demo plant',
    dedup_key: `key-${n}`,
    result_path: `/data/results/${jobId(n)}.sqlite`,
    ...overrides,
  }
}
