/**
 * A page query of a result table — which rows of an event domain or an MSD output table to read:
 * offset, limit, order and conditions — with its limits, its runtime schema and the types derived
 * from that schema. Defined once here: the service contract (`results:page`, `results:detail`)
 * validates with it, the result reader in main takes it, and the renderer's tables build it.
 */
import { z } from 'zod'
import type { EventRow } from './trace.js'

/** Most rows one page may hold. */
export const MAX_PAGE_LIMIT = 1000

/** Rows a page holds when the query names no limit. */
export const DEFAULT_PAGE_LIMIT = 100

/** Most filter conditions on one page. */
export const MAX_PAGE_FILTERS = 16

/**
 * Most values of one `in` condition: the containers picked in the lineage graph, a whole lineage
 * with its subtree (a work order's trace holds thousands). The reader binds the list as one JSON
 * parameter, so its length never reaches the SQL text; 100 000 lot ids are about 2 MB, within a
 * browser-host message.
 */
export const MAX_IN_VALUES = 100_000

/** Longest text of a filter value (a lot id is ~20 characters; a long paste is a mistake). */
export const MAX_FILTER_VALUE_LENGTH = 1000

/** Longest column name a sort or a condition may name (stored column names are far shorter). */
export const MAX_COLUMN_NAME_LENGTH = 64

/**
 * Filter operators: equal, contains (case-insensitive for ASCII), at least, at most, one of a list,
 * and `item`: one entry of a `, `-separated list column equals the value (the MSD detail's
 * upstream machines and materials), so `GWBE-0029` never matches `GWBE-00290`.
 */
export const FILTER_OPS = ['eq', 'contains', 'gte', 'lte', 'in', 'item'] as const

/** A filter operator. */
export type FilterOp = (typeof FILTER_OPS)[number]

const columnName = z.string().min(1).max(MAX_COLUMN_NAME_LENGTH)
/** Text or a finite number; a number column compares text as a number. */
const filterValue = z.union([z.string().max(MAX_FILTER_VALUE_LENGTH), z.number().finite()])

/** Schema of one condition of a page: `column op value`. */
export const pageFilterSchema = z.discriminatedUnion('op', [
  /** `item`: one entry of a `, `-separated list column equals the value. */
  z.object({ column: columnName, op: z.enum(FILTER_OPS).exclude(['in']), value: filterValue }).strict(),
  /** One of a list (e.g. the containers picked in the lineage graph). */
  z.object({ column: columnName, op: z.literal('in'), value: z.array(filterValue).min(1).max(MAX_IN_VALUES) }).strict(),
])

/** Schema of the order of a page. */
export const pageSortSchema = z
  .object({
    /** A column of the table. */
    column: columnName,
    /** @default 'asc' */
    direction: z.enum(['asc', 'desc']).optional(),
  })
  .strict()

/**
 * Schema of a page query. Its fields are spread into the contract's requests (`.shape`), so a bad
 * field is named as the request names it (`limit`, `filter[0].value`).
 */
export const pageQuerySchema = z
  .object({
    /** Rows to skip. @default 0 */
    offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    /** Rows to return, 1 to {@link MAX_PAGE_LIMIT}. @default DEFAULT_PAGE_LIMIT (100) */
    limit: z.number().int().min(1).max(MAX_PAGE_LIMIT).optional(),
    /** Order; ties keep the order rows were written in. @default the order rows were written in */
    sort: pageSortSchema.optional(),
    /** Conditions, all of which a row must meet, at most {@link MAX_PAGE_FILTERS}. @default none */
    filter: z.array(pageFilterSchema).max(MAX_PAGE_FILTERS).optional(),
  })
  .strict()

// The schemas have no defaults or transforms, so what a caller writes (`z.input`) is exactly what
// a check lets through (`z.output`): a parsed request is a PageQuery as it stands.

/** Which page of a table to read (see {@link pageQuerySchema}). */
export type PageQuery = z.input<typeof pageQuerySchema>

/** One condition of a page: `column op value`, the value always bound, never part of SQL text. */
export type PageFilter = z.input<typeof pageFilterSchema>

/** Order of a page. */
export type PageSort = z.input<typeof pageSortSchema>

/** One page of rows. */
export interface RowsPage {
  /** At most `limit` rows, each with every column of the table. */
  rows: EventRow[]
  /** Rows matching the filter (all rows without one). */
  total: number
  offset: number
  limit: number
}
