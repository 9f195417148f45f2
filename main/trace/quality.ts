/**
 * The `quality_meta` contract (domain.md §4.4): how complete a domain's events are, and the query
 * summary derived from the domain metas.
 *
 * The query meta is always re-derived from the domain metas, never stored on its own, so a cached
 * or earlier "complete" can never hide a domain that was partial, truncated or failed.
 */
import type { Domain, QualityMeta, QualityReason, QualityStatus } from '../../shared/trace.js'
import { QUALITY_ORDER } from '../../shared/trace.js'

/** Most error messages a meta carries: enough to diagnose, bounded for a 1000-batch failure storm. */
export const MAX_QUALITY_ERRORS = 10

/** One batch that could not be read. */
export interface FailedBatch {
  /** First CID of the batch. */
  start: string
  /** Last CID of the batch. */
  end: string
  /** What went wrong, for a person. */
  message: string
}

/** What happened while one domain was fetched; turned into its meta by {@link domainQualityMeta}. */
export interface DomainOutcome {
  domain: Domain
  /** Rows delivered to the consumer. */
  observedRows: number
  /** Batches the domain was split into. */
  batchCount: number
  /** Batches that failed, in the order they failed. */
  failedBatches: readonly FailedBatch[]
  /** The row cap, when the domain stopped because it reached it. */
  truncatedAt?: number
  /**
   * True when partial results were not allowed and the first failed batch stopped the domain.
   * @default false
   */
  stoppedOnFailure?: boolean
}

/** The more severe of two statuses (`complete` < `truncated` < `partial` < `failed`). */
export function worseStatus(a: QualityStatus, b: QualityStatus): QualityStatus {
  return QUALITY_ORDER.indexOf(a) >= QUALITY_ORDER.indexOf(b) ? a : b
}

/** A complete domain meta with `observedRows` rows. */
export function createDomainMeta(domain: Domain, observedRows = 0): QualityMeta {
  return { status: 'complete', scope: 'domain', reasons: [], domain, observed_rows: observedRows }
}

/**
 * The meta of one fetched domain:
 * - every batch failed, or the first failure stopped the domain → `failed` (`domain_fetch_failed`);
 * - some batches failed → `partial` (`chunk_failure`, `has_partial_failure`);
 * - the row cap was hit → at least `truncated` (`max_total_rows_exceeded`, `max_rows`).
 * Failed batches always leave `failed_ranges`, `failed_chunk_count` and `errors`.
 */
export function domainQualityMeta(outcome: DomainOutcome): QualityMeta {
  const meta = createDomainMeta(outcome.domain, outcome.observedRows)
  const failed = outcome.failedBatches.length
  if (failed > 0) {
    const allFailed = failed >= outcome.batchCount
    if (outcome.stoppedOnFailure || allFailed) {
      meta.status = 'failed'
      meta.reasons.push('domain_fetch_failed')
    } else {
      meta.status = 'partial'
      meta.reasons.push('chunk_failure')
      meta.has_partial_failure = true
    }
    meta.failed_ranges = outcome.failedBatches.map(({ start, end }) => ({ start, end }))
    meta.failed_chunk_count = failed
    meta.errors = outcome.failedBatches.slice(0, MAX_QUALITY_ERRORS).map((b) => b.message)
  }
  if (outcome.truncatedAt !== undefined) {
    meta.status = worseStatus(meta.status, 'truncated')
    meta.reasons.push('max_total_rows_exceeded')
    meta.max_rows = outcome.truncatedAt
  }
  return meta
}

/** True when a domain meta says its row cap stopped it. */
function isTruncated(meta: QualityMeta): boolean {
  return meta.status === 'truncated' || meta.reasons.includes('max_total_rows_exceeded')
}

/**
 * Merges domain metas into the query meta: the worst status, except that a failed domain makes the
 * query `partial` with `domain_failure` (the other domains are still usable); reasons are the
 * de-duplicated union; rows and failed batches are summed; `failed_domains` and
 * `truncated_domains` name the domains (always present, possibly empty).
 */
export function mergeQualityMetas(domains: Partial<Record<Domain, QualityMeta>> | readonly QualityMeta[]): QualityMeta {
  const entries: [Domain | undefined, QualityMeta][] = Array.isArray(domains)
    ? (domains as readonly QualityMeta[]).map((m) => [m.domain, m])
    : (Object.entries(domains) as [Domain, QualityMeta | undefined][])
        .filter((e): e is [Domain, QualityMeta] => e[1] !== undefined)
  let status: QualityStatus = 'complete'
  const reasons = new Set<QualityReason>()
  const failedDomains: Domain[] = []
  const truncatedDomains: Domain[] = []
  const errors: string[] = []
  let observedRows = 0
  let failedChunks = 0
  let maxRows: number | undefined
  let hasPartialFailure = false

  for (const [key, meta] of entries) {
    const domain = meta.domain ?? key
    observedRows += meta.observed_rows
    for (const reason of meta.reasons) reasons.add(reason)
    failedChunks += meta.failed_chunk_count ?? 0
    if (meta.has_partial_failure) hasPartialFailure = true
    for (const message of meta.errors ?? []) errors.push(domain ? `${domain}: ${message}` : message)
    if (meta.status === 'failed') {
      // One failed domain does not make the whole query useless: the others are complete.
      status = worseStatus(status, 'partial')
      reasons.add('domain_failure')
      hasPartialFailure = true
      if (domain) failedDomains.push(domain)
    } else {
      status = worseStatus(status, meta.status)
    }
    if (isTruncated(meta)) {
      if (domain) truncatedDomains.push(domain)
      if (meta.max_rows !== undefined) maxRows = Math.max(maxRows ?? 0, meta.max_rows)
    }
  }

  const query: QualityMeta = {
    status,
    scope: 'query',
    reasons: [...reasons],
    observed_rows: observedRows,
    failed_domains: failedDomains,
    truncated_domains: truncatedDomains,
  }
  if (maxRows !== undefined) query.max_rows = maxRows
  if (hasPartialFailure) query.has_partial_failure = true
  if (failedChunks > 0) query.failed_chunk_count = failedChunks
  if (errors.length > 0) query.errors = errors.slice(0, MAX_QUALITY_ERRORS)
  return query
}

/**
 * The query meta of a fetch: {@link mergeQualityMetas} over the domain metas plus `extra` metas of
 * the same query that belong to no domain (folded in by the same rules).
 */
export function mergeQuality(
  domains: Partial<Record<Domain, QualityMeta>>,
  extra: readonly QualityMeta[] = [],
): QualityMeta {
  const metas = (Object.values(domains) as (QualityMeta | undefined)[]).filter((m): m is QualityMeta => m !== undefined)
  return mergeQualityMetas([...metas, ...extra])
}
