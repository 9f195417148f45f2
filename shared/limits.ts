/**
 * Limits of the trace pipeline. Each is a default that settings may lower or raise; the values
 * say why they are what they are.
 */
import type { ResolveType } from './trace.js'

/**
 * Most distinct tokens one seed request may carry, per input type. The original allowed 50 lot
 * IDs / 10 work orders per web request; the desktop batches every lookup (≤ 1000 per IN list),
 * so a pasted column of lot IDs is fine. Work orders and wafer lots fan out to many lots each,
 * hence the smaller numbers.
 */
export const MAX_SEED_TOKENS: Readonly<Record<ResolveType, number>> = {
  lot_id: 100_000,
  serial_number: 100_000,
  gd_lot_id: 100_000,
  wafer_lot: 10_000,
  work_order: 2_000,
  gd_work_order: 2_000,
}

/** Most wildcard patterns in one request: each one is a LIKE scan on the source. */
export const MAX_SEED_PATTERNS = 50

/** A pattern needs this many literal (non-wildcard) characters, so `*` alone cannot match the plant. */
export const MIN_PATTERN_LITERAL_CHARS = 3

/** Most containers one seed request may resolve to (the original's hard cap was 80 000 seeds). */
export const MAX_SEED_MATCHES = 200_000

/** Longest MSD date range in days (the original allowed 180, later 730). */
export const MSD_MAX_SPAN_DAYS = 730

/** Genealogy depth cap (the original's `LEVEL <= 20`). */
export const LINEAGE_MAX_DEPTH = 20

/** Genealogy node cap; hitting it marks the lineage truncated. */
export const LINEAGE_MAX_NODES = 500_000

/** CIDs per event query (Oracle's IN-list limit). */
export const EVENT_BATCH_SIZE = 1000

/** Rows per domain before the fetch stops and marks the domain truncated. */
export const EVENT_MAX_ROWS_PER_DOMAIN = 10_000_000
