/**
 * How the engine decides whether an MSD request has the source summarize its events
 * (`--pushdown auto|on|off`), and that a pushed-down request is a different job to the cache.
 */
import { describe, expect, it } from 'vitest'
import { dedupKeyOf, estimateCids, withPushdown } from '../../../main/engine/index.js'
import type { SourceSpec } from '../../../shared/source-spec.js'
import { normalizeTraceRequest } from '../../../shared/trace-request.js'

const sqlite: SourceSpec = { kind: 'sqlite', path: '/plants/demo.sqlite' }
const postgres: SourceSpec = { kind: 'postgres', url: 'postgres://reader@db:5432/mes' }
const oracle: SourceSpec = { kind: 'oracle', url: 'oracle://reader@db:1521/MES' }

const msd = (days: number, extra: Record<string, unknown> = {}) => ({
  profile: 'mid_section_defect',
  params: { start_date: '2026-01-01', end_date: `2026-01-${String(days).padStart(2, '0')}`, ...extra },
})
const pushedDown = (raw: unknown): boolean => normalizeTraceRequest(raw).pushdown === true

describe('withPushdown', () => {
  it('auto: on a database server above the threshold, never on a file, never below it', () => {
    const month = msd(31)
    const estimate = estimateCids(normalizeTraceRequest(month))
    expect(estimate).toBeGreaterThan(1000)
    for (const server of [postgres, oracle]) {
      expect(pushedDown(withPushdown(month, 'auto', server, estimate - 1))).toBe(true)
      expect(pushedDown(withPushdown(month, 'auto', server, estimate))).toBe(false)
    }
    expect(pushedDown(withPushdown(month, 'auto', sqlite, 1))).toBe(false)
    expect(pushedDown(withPushdown(msd(31, { direction: 'forward', station: '成型' }), 'auto', postgres, 1))).toBe(true)
  })

  it('on and off decide for any source; a request that says itself is left as it is', () => {
    expect(pushedDown(withPushdown(msd(2), 'on', sqlite, 1e9))).toBe(true)
    expect(pushedDown(withPushdown(msd(31), 'off', postgres, 1))).toBe(false)
    expect(pushedDown(withPushdown(msd(31, { pushdown: false }), 'on', postgres, 1))).toBe(false)
    expect(pushedDown(withPushdown(msd(2, { pushdown: true }), 'off', sqlite, 1e9))).toBe(true)
  })

  it('leaves other profiles untouched', () => {
    const lots = { profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['GA1'] } }
    expect(withPushdown(lots, 'on', postgres, 1)).toBe(lots)
  })

  it('a pushed-down request does not answer for one that fetched its events, nor the other way round', () => {
    const local = normalizeTraceRequest(msd(31))
    const pushed = normalizeTraceRequest(withPushdown(msd(31), 'on', postgres, 1))
    expect(dedupKeyOf(pushed, postgres)).not.toBe(dedupKeyOf(local, postgres))
    // Naming the domains does not make them the same job either.
    const pushedWithEvents = normalizeTraceRequest({ ...msd(31, { pushdown: true }), domains: ['upstream_history', 'materials'] })
    expect(dedupKeyOf(pushedWithEvents, postgres)).not.toBe(dedupKeyOf(local, postgres))
  })
})
