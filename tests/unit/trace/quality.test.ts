import { describe, expect, it } from 'vitest'
import {
  createDomainMeta,
  domainQualityMeta,
  MAX_QUALITY_ERRORS,
  mergeQuality,
  mergeQualityMetas,
  worseStatus,
} from '../../../main/trace/quality.js'
import type { QualityMeta } from '../../../shared/trace.js'

const failed = (start: string, end: string) => ({ start, end, message: `boom ${start}` })

describe('domainQualityMeta', () => {
  it('is complete when nothing went wrong', () => {
    expect(domainQualityMeta({ domain: 'history', observedRows: 12, batchCount: 3, failedBatches: [] })).toEqual({
      status: 'complete',
      scope: 'domain',
      reasons: [],
      domain: 'history',
      observed_rows: 12,
    })
  })

  it('is partial when some batches failed', () => {
    expect(
      domainQualityMeta({ domain: 'jobs', observedRows: 5, batchCount: 3, failedBatches: [failed('c2', 'c3')] }),
    ).toEqual({
      status: 'partial',
      scope: 'domain',
      reasons: ['chunk_failure'],
      domain: 'jobs',
      observed_rows: 5,
      has_partial_failure: true,
      failed_ranges: [{ start: 'c2', end: 'c3' }],
      failed_chunk_count: 1,
      errors: ['boom c2'],
    })
  })

  it('is failed when every batch failed or the first failure stopped the domain', () => {
    const all = domainQualityMeta({ domain: 'holds', observedRows: 0, batchCount: 2, failedBatches: [failed('a', 'b'), failed('c', 'd')] })
    expect(all).toMatchObject({ status: 'failed', reasons: ['domain_fetch_failed'], failed_chunk_count: 2 })
    expect(all.has_partial_failure).toBeUndefined()
    const stopped = domainQualityMeta({
      domain: 'holds', observedRows: 4, batchCount: 3, failedBatches: [failed('c', 'd')], stoppedOnFailure: true,
    })
    expect(stopped).toMatchObject({ status: 'failed', reasons: ['domain_fetch_failed'], observed_rows: 4, failed_ranges: [{ start: 'c', end: 'd' }] })
  })

  it('is truncated at the row cap, and keeps the worse status with a failure', () => {
    expect(domainQualityMeta({ domain: 'materials', observedRows: 3, batchCount: 2, failedBatches: [], truncatedAt: 3 })).toEqual({
      status: 'truncated',
      scope: 'domain',
      reasons: ['max_total_rows_exceeded'],
      domain: 'materials',
      observed_rows: 3,
      max_rows: 3,
    })
    expect(
      domainQualityMeta({ domain: 'materials', observedRows: 3, batchCount: 3, failedBatches: [failed('a', 'a')], truncatedAt: 3 }),
    ).toMatchObject({ status: 'partial', reasons: ['chunk_failure', 'max_total_rows_exceeded'], max_rows: 3 })
  })

  it('keeps at most MAX_QUALITY_ERRORS messages but every failed range', () => {
    const batches = Array.from({ length: MAX_QUALITY_ERRORS + 5 }, (_, i) => failed(`s${i}`, `e${i}`))
    const meta = domainQualityMeta({ domain: 'history', observedRows: 1, batchCount: batches.length + 1, failedBatches: batches })
    expect(meta.errors).toHaveLength(MAX_QUALITY_ERRORS)
    expect(meta.failed_ranges).toHaveLength(batches.length)
  })
})

describe('mergeQualityMetas', () => {
  const complete = (domain: QualityMeta['domain'] & string, rows: number): QualityMeta => createDomainMeta(domain, rows)

  it('orders statuses complete < truncated < partial < failed', () => {
    expect(worseStatus('complete', 'truncated')).toBe('truncated')
    expect(worseStatus('partial', 'truncated')).toBe('partial')
    expect(worseStatus('partial', 'failed')).toBe('failed')
    expect(worseStatus('complete', 'complete')).toBe('complete')
  })

  it('is complete with zero rows for no domains', () => {
    expect(mergeQualityMetas({})).toEqual({
      status: 'complete', scope: 'query', reasons: [], observed_rows: 0, failed_domains: [], truncated_domains: [],
    })
  })

  it('sums rows and takes the worst status', () => {
    const merged = mergeQualityMetas({
      history: complete('history', 10),
      materials: { ...complete('materials', 3), status: 'truncated', reasons: ['max_total_rows_exceeded'], max_rows: 3 },
      jobs: {
        ...complete('jobs', 2), status: 'partial', reasons: ['chunk_failure'], has_partial_failure: true, failed_chunk_count: 1,
        failed_ranges: [{ start: 'a', end: 'b' }], errors: ['x'],
      },
    })
    expect(merged).toEqual({
      status: 'partial',
      scope: 'query',
      reasons: ['max_total_rows_exceeded', 'chunk_failure'],
      observed_rows: 15,
      failed_domains: [],
      truncated_domains: ['materials'],
      max_rows: 3,
      has_partial_failure: true,
      failed_chunk_count: 1,
      errors: ['jobs: x'],
    })
  })

  it('turns a failed domain into a partial query with domain_failure', () => {
    const merged = mergeQualityMetas({
      history: complete('history', 10),
      holds: { ...complete('holds', 0), status: 'failed', reasons: ['domain_fetch_failed'], errors: ['no such table'] },
    })
    expect(merged.status).toBe('partial')
    expect(merged.reasons).toEqual(['domain_fetch_failed', 'domain_failure'])
    expect(merged.failed_domains).toEqual(['holds'])
    expect(merged.errors).toEqual(['holds: no such table'])
  })

  it('is partial, not failed, even when every domain failed', () => {
    const fail = (d: 'history' | 'jobs'): QualityMeta => ({ ...complete(d, 0), status: 'failed', reasons: ['domain_fetch_failed'] })
    expect(mergeQualityMetas([fail('history'), fail('jobs')])).toMatchObject({
      status: 'partial', failed_domains: ['history', 'jobs'], reasons: ['domain_fetch_failed', 'domain_failure'],
    })
  })

  it('re-derives the query from the domains: a stale complete cannot hide a truncated domain', () => {
    const truncated: QualityMeta = { ...complete('rejects', 7), status: 'truncated', reasons: ['max_total_rows_exceeded'], max_rows: 7 }
    const merged = mergeQuality({ rejects: truncated }, [])
    expect(merged).toMatchObject({ status: 'truncated', truncated_domains: ['rejects'], observed_rows: 7 })
  })

  it('folds extra non-domain metas in by the same rules', () => {
    const extra: QualityMeta = { status: 'truncated', scope: 'query', reasons: ['lineage_truncated'], observed_rows: 0 }
    expect(mergeQuality({ history: complete('history', 1) }, [extra])).toMatchObject({
      status: 'truncated', reasons: ['lineage_truncated'], observed_rows: 1, truncated_domains: [],
    })
  })
})
