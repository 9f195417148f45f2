/**
 * Reading a finished result file in the main process, read-only. Every read is bounded: a page
 * in the natural order or sorted by a column with a sort table is a key seek (one page of work
 * whatever the offset, domain.md §14 #12), totals without a filter come from the manifest, and
 * exports stream in chunks. A filter, or a sort on another column, is evaluated once inside
 * SQLite: only the matching row numbers cross into JavaScript, kept as a compact list whose
 * pages are position ranges like the others.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import type Database from 'better-sqlite3'
import { JsonLimitError, MAX_JSON_DEPTH, parseBoundedJson } from '../../shared/bounded-json.js'
import { AppError, invalidInput } from '../../shared/errors.js'
import { ownValue, setOwn } from '../../shared/own-keys.js'
import type { MsdAggregation } from '../../shared/msd.js'
import {
  DEFAULT_PAGE_LIMIT,
  FILTER_OPS,
  MAX_FILTER_VALUE_LENGTH,
  MAX_IN_VALUES,
  MAX_PAGE_FILTERS,
  MAX_PAGE_LIMIT,
  type PageFilter,
  type PageQuery,
  type RowsPage,
} from '../../shared/page-query.js'
import { escapeLike } from '../sources/index.js'
import { isDomain, type Domain, type EventRow, type LineageEdge, type LineageNode, type LineageResult, type SeedResult } from '../../shared/trace.js'
import { msdAggregationSchema } from './aggregation-schema.js'
import { openConnection, quoteIdentifier, StatementCache, toStorageError, type SqliteDatabase } from './connection.js'
import {
  eventColumnsOf,
  eventTableOf,
  MAX_JSON_PART_CHARS,
  MSD_TABLES,
  msdTableOf,
  RESULT_APPLICATION_ID,
  NODE_QTY_PART,
  RESULT_FORMAT_VERSION,
  sortTableOf,
  type MsdTable,
  type ResultManifest,
} from './result-schema.js'

/**
 * Longest text of one cell a page carries: 16 384 characters. A longer cell is cut inside SQLite
 * to its first 16 384 characters followed by {@link cutMarkerOf} its full length, so a huge cell
 * (a hostile file's 64 MB one) never even reaches JavaScript; exports keep every cell whole. The
 * cells the app writes are ids, times, numbers and the MSD detail's `, `-separated lists of one
 * lot's machines and materials, far shorter than that, so only a file made to hurt is cut. At the
 * cap a page of {@link MAX_PAGE_LIMIT} rows stays a bounded answer, and one that is still too
 * large is refused by the IPC answer cap rather than sent.
 */
export const MAX_CELL_CHARS = 16_384

/**
 * What follows the kept part of a cut cell: `… [cut: 67 108 864 characters]`, with the full length
 * in characters, its digits grouped by spaces (no locale's separators), the same in every language.
 */
export function cutMarkerOf(length: number): string {
  return `… [cut: ${String(length).replace(/\B(?=(\d{3})+$)/g, ' ')} characters]`
}

/** One page column in SQL: the cell as stored, or cut to {@link MAX_CELL_CHARS} with {@link cutMarkerOf}. */
function pageColumnSql(column: string): string {
  const cell = `t.${quoteIdentifier(column)}`
  // Must build exactly what cutMarkerOf builds.
  const marker = `'… [cut: ' || replace(printf('%,d', length(${cell})), ',', ' ') || ' characters]'`
  return `CASE WHEN length(${cell}) > ${MAX_CELL_CHARS} THEN substr(${cell}, 1, ${MAX_CELL_CHARS}) || ${marker} ELSE ${cell} END AS ${quoteIdentifier(column)}`
}

/** Filtered or ordered views a reader keeps numbered at once… */
const MATCH_CACHE_SIZE = 8
/** …and the most row numbers they may hold together (4 bytes each). */
const MATCH_CACHE_ROWS = 5_000_000

/** Rows per chunk of {@link ResultFileReader.allRows} (the original's stream batch size). */
export const DEFAULT_EXPORT_CHUNK = 5000

/** Separator of the list columns a filter's `item` operator looks into. */
export const LIST_SEPARATOR = ', '

/** Options of {@link ResultFileReader.allRows}. */
export interface AllRowsOptions {
  /** Rows per chunk, 1 to 100 000. @default DEFAULT_EXPORT_CHUNK (5000) */
  chunkSize?: number
}

/** The read side of one finished result file. */
export interface ResultFileReader {
  readonly path: string
  manifest(): ResultManifest
  /** The seed result, or null when the trace stored none. */
  seeds(): SeedResult | null
  /** The lineage as the pipeline produced it, or null when there was none (no seeds). */
  lineage(): LineageResult | null
  /**
   * The profile's aggregation (MSD), or null when the result holds none. One whose shape is not an
   * MSD aggregation's (a damaged or foreign file) is `storage/unreadable`.
   */
  aggregation(): MsdAggregation | null
  /** Columns of a stored domain, in stored order; null when the result holds no such domain. */
  domainColumns(domain: Domain): string[] | null
  /** Rows per stored domain. */
  domainCounts(): Partial<Record<Domain, number>>
  /**
   * One page of a domain. Unknown columns and bad values are `input/invalid` naming the field. A
   * cell longer than {@link MAX_CELL_CHARS} is cut and ends with {@link cutMarkerOf} its length.
   */
  page(domain: Domain, query?: PageQuery): RowsPage
  /** Every row of a domain in written order, in chunks, yielding to the event loop between them; cells are whole. */
  allRows(domain: Domain, options?: AllRowsOptions): AsyncGenerator<EventRow[], void, undefined>
  /** Columns of a stored MSD output table, or null when the result has none. */
  msdColumns(table: MsdTable): string[] | null
  /** One page of an MSD output table (detail rows, suspects); its default order is the analysis's. Long cells are cut as in {@link page}. */
  msdPage(table: MsdTable, query?: PageQuery): RowsPage
  /** Every row of an MSD output table in its default order, in chunks. */
  msdRows(table: MsdTable, options?: AllRowsOptions): AsyncGenerator<EventRow[], void, undefined>
  /** Closes the connection (idempotent). */
  close(): void
}

function parseJson<T>(text: string, what: string, path: string): T {
  try {
    // Bounded in depth too: an answer built from a deeper value could not be serialized.
    return parseBoundedJson(text, { maxChars: MAX_JSON_PART_CHARS, maxDepth: MAX_JSON_DEPTH }) as T
  } catch (error) {
    const why = error instanceof JsonLimitError && error.reason !== 'not-json' ? ` (it ${error.message})` : ''
    throw new AppError('storage/unreadable', `The result file ${path} has a damaged ${what}${why}.`, { path })
  }
}

function assertWholeNumber(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalidInput(field, `must be a whole number from ${min} to ${max}, got ${String(value)}`)
  }
  return value
}

/** A stored table as the reader pages it: an event domain or an MSD output table. */
interface PagedTable {
  /** Name used in messages (a domain, or an MSD table). */
  label: string
  table: string
  /** Columns as stored; undefined when the file has no such table (then every page is empty). */
  columns: readonly string[] | undefined
  /** Column names accepted in sorts and filters when the table is missing. */
  known: readonly string[]
  total: number
  /** A precomputed order of a column, or null. */
  sortTable: (column: string) => string | null
}

function checkColumn(spec: PagedTable, column: unknown, field: string): string {
  // A domain this result does not store has no rows, but a column name must still be a real one.
  const known = spec.columns ?? spec.known
  if (typeof column !== 'string' || !known.includes(column)) {
    const shown = typeof column === 'string' ? JSON.stringify(column.slice(0, 60)) : typeof column
    throw invalidInput(field, `unknown ${spec.label} column ${shown}; columns: ${known.join(', ')}`)
  }
  return column
}

class SqliteResultFileReader implements ResultFileReader {
  private db: SqliteDatabase | null
  private readonly meta: ResultManifest
  /** Columns of each stored domain as the file has them (a file from another version may differ). */
  private readonly columns = new Map<Domain, readonly string[]>()
  private readonly statements = new StatementCache(() => this.open())
  /** Filtered or ad-hoc ordered views, by filter and order, least recently used first. */
  private readonly matchLists = new Map<string, Uint32Array>()
  /** Tables the file really has: a sort table the manifest names but the file lacks is not used. */
  private readonly tables: ReadonlySet<string>

  constructor(readonly path: string) {
    this.db = openConnection(path, 'result-reader')
    try {
      this.meta = this.readManifest()
      this.tables = new Set(this.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[])
      for (const domain of this.meta.domains) {
        const info = this.db.pragma(`table_info(${quoteIdentifier(eventTableOf(domain))})`) as { name: string }[]
        if (info.length === 0) throw new AppError('storage/unreadable', `The result file ${path} lists ${domain} but has no table for it.`, { path })
        this.columns.set(
          domain,
          info.map((c) => c.name).filter((c) => c !== '_seq'),
        )
      }
      for (const [table, stored] of Object.entries(this.meta.msd_tables ?? {})) {
        const info = this.db.pragma(`table_info(${quoteIdentifier(msdTableOf(table as MsdTable))})`) as { name: string }[]
        const names = new Set(info.map((c) => c.name))
        if (!(MSD_TABLES as readonly string[]).includes(table) || !stored || !stored.columns.every((c) => names.has(c))) {
          throw new AppError('storage/unreadable', `The result file ${path} lists an MSD ${table} table it does not hold.`, { path })
        }
      }
    } catch (error) {
      this.close()
      throw toStorageError(error, `Reading the result file ${path}`, path, 'storage/unreadable')
    }
  }

  private open(): SqliteDatabase {
    if (!this.db) throw new AppError('internal/unexpected', `The result file ${this.path} is closed.`)
    return this.db
  }

  private statement(sql: string): Database.Statement {
    return this.statements.get(sql)
  }

  private readManifest(): ResultManifest {
    const db = this.open()
    const applicationId = db.pragma('application_id', { simple: true }) as number
    const hasManifest = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'manifest'`).get() !== undefined
    if (applicationId !== RESULT_APPLICATION_ID || !hasManifest) {
      throw new AppError('storage/unreadable', `${this.path} is not an MES Trace result file.`, { path: this.path })
    }
    const rows = db.prepare('SELECT key, value FROM manifest').all() as { key: string; value: string }[]
    const entries = Object.fromEntries(rows.map((r) => [r.key, parseJson<unknown>(r.value, `manifest entry ${r.key}`, this.path)]))
    const manifest = entries as unknown as ResultManifest
    const version = manifest.format_version
    if (typeof version !== 'number') throw new AppError('storage/unreadable', `The result file ${this.path} has no format version.`, { path: this.path })
    if (version > RESULT_FORMAT_VERSION) {
      throw new AppError(
        'storage/incompatible',
        `The result file ${this.path} has format version ${version}, but this version of MES Trace reads up to ${RESULT_FORMAT_VERSION}. ` +
          'It was written by a newer version of the app: update the app to open it.',
        { path: this.path, fileVersion: version, codeVersion: RESULT_FORMAT_VERSION },
      )
    }
    if (manifest.status !== 'finished') {
      throw new AppError('storage/unreadable', `The result file ${this.path} was never finished; it holds no complete result.`, { path: this.path })
    }
    if (!Array.isArray(manifest.domains) || !manifest.domains.every(isDomain)) {
      throw new AppError('storage/unreadable', `The result file ${this.path} lists unknown domains.`, { path: this.path })
    }
    return manifest
  }

  private part<T>(name: string): T | undefined {
    const row = this.statement('SELECT value FROM json_parts WHERE name = ?').get(name) as { value: string } | undefined
    return row ? parseJson<T>(row.value, name, this.path) : undefined
  }

  manifest(): ResultManifest {
    return structuredClone(this.meta)
  }

  seeds(): SeedResult | null {
    const seedCount = this.part<number>('seeds.seed_count')
    if (seedCount === undefined) return null
    const rows = this.statement('SELECT container_id, container_name, lot_id, input_value, match_source FROM seeds ORDER BY _seq').all() as {
      container_id: string
      container_name: string
      lot_id: string
      input_value: string | null
      match_source: SeedResult['seeds'][number]['match_source'] | null
    }[]
    return {
      seeds: rows.map((r) => ({
        container_id: r.container_id,
        container_name: r.container_name,
        lot_id: r.lot_id,
        ...(r.input_value !== null ? { input_value: r.input_value } : {}),
        ...(r.match_source !== null ? { match_source: r.match_source } : {}),
      })),
      seed_count: seedCount,
      not_found: this.part<string[]>('seeds.not_found') ?? [],
      expansion_info: this.part<Record<string, number>>('seeds.expansion_info') ?? {},
      input_count: this.part<number>('seeds.input_count') ?? 0,
    }
  }

  lineage(): LineageResult | null {
    const parts = this.statement("SELECT name, value FROM json_parts WHERE name LIKE 'lineage.%' ORDER BY rowid").all() as {
      name: string
      value: string
    }[]
    if (parts.length === 0) return null
    const lineage: Record<string, unknown> = {}
    let qty: Record<string, unknown> = {}
    for (const p of parts) {
      if (p.name === NODE_QTY_PART) qty = parseJson<Record<string, unknown>>(p.value, p.name, this.path) ?? {}
      else setOwn(lineage, p.name.slice('lineage.'.length), parseJson<unknown>(p.value, p.name, this.path))
    }
    if (lineage.direction !== 'backward' && lineage.direction !== 'forward') {
      throw new AppError('storage/unreadable', `The result file ${this.path} has a lineage without a direction.`, { path: this.path })
    }
    const nodes: Record<string, LineageNode> = {}
    const nodeRows = this.statement(
      'SELECT container_id, container_name, mfgorder_name, wafer_lot, node_type FROM lineage_nodes ORDER BY _seq',
    ).all() as LineageNode[]
    for (const node of nodeRows) {
      const q = ownValue(qty, node.container_id)
      setOwn(nodes, node.container_id, typeof q === 'number' && Number.isFinite(q) ? { ...node, qty: q } : node)
    }
    lineage.nodes = nodes
    lineage.edges = this.statement('SELECT from_cid, to_cid, edge_type FROM lineage_edges ORDER BY _seq').all() as LineageEdge[]
    return lineage as unknown as LineageResult
  }

  aggregation(): MsdAggregation | null {
    const stored = this.part<unknown>('aggregation') ?? null
    if (stored === null) return null
    const parsed = msdAggregationSchema.safeParse(stored)
    if (parsed.success) return parsed.data
    // The first problem is enough to say the file is damaged; where it is helps whoever looks at the file.
    const issue = parsed.error.issues[0]!
    const field = ['aggregation', ...issue.path].map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[')
    throw new AppError('storage/unreadable', `The result file ${this.path} has a damaged MSD aggregation (${field}: ${issue.message}).`, {
      path: this.path,
      field,
    })
  }

  domainColumns(domain: Domain): string[] | null {
    const columns = this.columns.get(domain)
    return columns ? [...columns] : null
  }

  domainCounts(): Partial<Record<Domain, number>> {
    return { ...this.meta.row_counts }
  }

  /** The domain's columns, or `input/invalid` for a name that is not a domain. */
  private columnsOf(domain: unknown): readonly string[] | undefined {
    if (!isDomain(domain)) throw invalidInput('domain', `unknown event domain ${JSON.stringify(domain)}`)
    return this.columns.get(domain)
  }

  page(domain: Domain, query: PageQuery = {}): RowsPage {
    const columns = this.columnsOf(domain)
    return this.pageOf(
      {
        label: domain,
        table: eventTableOf(domain),
        columns,
        known: columns ?? eventColumnsOf(domain),
        total: this.meta.row_counts[domain] ?? 0,
        // A column without a sort table (none listed, or the file lacks it) is ordered once and kept as a list.
        sortTable: (column) => {
          const table = sortTableOf(domain, column)
          return this.meta.sort_columns[domain]?.includes(column) && this.tables.has(table) ? table : null
        },
      },
      query,
    )
  }

  msdColumns(table: MsdTable): string[] | null {
    const stored = this.msdTable(table)
    return stored ? [...stored.columns] : null
  }

  private msdTable(table: unknown): { rows: number; columns: string[] } | undefined {
    if (!(MSD_TABLES as readonly unknown[]).includes(table)) {
      throw invalidInput('table', `unknown analysis table ${JSON.stringify(table)}; expected one of ${MSD_TABLES.join(', ')}`)
    }
    return this.meta.msd_tables?.[table as MsdTable]
  }

  msdPage(table: MsdTable, query: PageQuery = {}): RowsPage {
    const stored = this.msdTable(table)
    return this.pageOf(
      { label: table, table: msdTableOf(table), columns: stored?.columns, known: stored?.columns ?? [], total: stored?.rows ?? 0, sortTable: () => null },
      query,
    )
  }

  /**
   * One page of a stored table (a domain or an MSD output table); see {@link ResultFileReader.page}.
   * Bad arguments are `input/invalid` naming the field; a failure of SQLite itself (a damaged
   * file) is `storage/unreadable`, never a raw SQLite error.
   */
  private pageOf(spec: PagedTable, query: PageQuery): RowsPage {
    try {
      return this.readPage(spec, query)
    } catch (error) {
      throw toStorageError(error, `Reading a page of ${spec.label} from the result file ${this.path}`, this.path, 'storage/unreadable')
    }
  }

  /**
   * The query is checked again here, field by field, although the service contract has checked it
   * already: the CLI and other in-process callers reach the reader without that check, and every
   * column must also be one this table really has.
   */
  private readPage(spec: PagedTable, query: PageQuery): RowsPage {
    const { columns } = spec
    if (typeof query !== 'object' || query === null) throw invalidInput('options', 'must be an object')
    const offset = query.offset === undefined ? 0 : assertWholeNumber(query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER)
    const limit = query.limit === undefined ? DEFAULT_PAGE_LIMIT : assertWholeNumber(query.limit, 'limit', 1, MAX_PAGE_LIMIT)

    let sort: { column: string; desc: boolean } | undefined
    if (query.sort !== undefined) {
      if (typeof query.sort !== 'object' || query.sort === null) throw invalidInput('sort', 'must be { column, direction }')
      const column = checkColumn(spec, query.sort.column, 'sort.column')
      const direction = query.sort.direction ?? 'asc'
      if (direction !== 'asc' && direction !== 'desc') throw invalidInput('sort.direction', `must be asc or desc, got ${JSON.stringify(direction)}`)
      sort = { column, desc: direction === 'desc' }
    }

    const where: string[] = []
    const params: (string | number)[] = []
    if (query.filter !== undefined) {
      if (!Array.isArray(query.filter)) throw invalidInput('filter', 'must be a list of { column, op, value }')
      if (query.filter.length > MAX_PAGE_FILTERS) throw invalidInput('filter', `at most ${MAX_PAGE_FILTERS} conditions`)
      query.filter.forEach((f: PageFilter, i) => {
        if (typeof f !== 'object' || f === null) throw invalidInput(`filter[${i}]`, 'must be { column, op, value }')
        const column = quoteIdentifier(checkColumn(spec, f.column, `filter[${i}].column`))
        if (!(FILTER_OPS as readonly string[]).includes(f.op)) {
          throw invalidInput(`filter[${i}].op`, `must be one of ${FILTER_OPS.join(', ')}, got ${JSON.stringify(f.op)}`)
        }
        const scalar = (value: unknown): value is string | number =>
          (typeof value === 'string' && value.length <= MAX_FILTER_VALUE_LENGTH) || (typeof value === 'number' && Number.isFinite(value))
        const value = f.value
        if (f.op === 'in') {
          if (!Array.isArray(value) || value.length === 0 || value.length > MAX_IN_VALUES || !value.every(scalar)) {
            throw invalidInput(`filter[${i}].value`, `must be a list of 1 to ${MAX_IN_VALUES} texts or numbers`)
          }
          // One bound JSON list instead of a placeholder per value: SQLite caps the placeholders of a
          // statement, and the text stays the same whatever the list's length.
          where.push(`${column} IN (SELECT value FROM json_each(?))`)
          params.push(JSON.stringify(value))
          return
        }
        if (!scalar(value)) {
          throw invalidInput(`filter[${i}].value`, `must be text of at most ${MAX_FILTER_VALUE_LENGTH} characters or a finite number`)
        }
        // Values are always bound; only the validated, quoted column name is part of the SQL text.
        if (f.op === 'eq') where.push(`${column} = ?`)
        else if (f.op === 'gte') where.push(`${column} >= ?`)
        else if (f.op === 'lte') where.push(`${column} <= ?`)
        else if (f.op === 'item') where.push(`('${LIST_SEPARATOR}' || ${column} || '${LIST_SEPARATOR}') LIKE ? ESCAPE '\\'`)
        else where.push(`${column} LIKE ? ESCAPE '\\'`)
        if (f.op === 'contains') params.push(`%${escapeLike(String(value))}%`)
        else if (f.op === 'item') params.push(`%${LIST_SEPARATOR}${escapeLike(String(value))}${LIST_SEPARATOR}%`)
        else params.push(value)
      })
    }

    if (columns === undefined) return { rows: [], total: 0, offset, limit }
    const table = quoteIdentifier(spec.table)
    // Long cells are cut here, in every kind of page below; the row order and filters see them whole.
    const select = columns.map(pageColumnSql).join(', ')

    if (where.length === 0) {
      const total = spec.total
      if (offset >= total) return { rows: [], total, offset, limit }
      if (!sort) {
        // `_seq` is exactly 1..total: the page is a rowid range.
        const rows = this.statement(`SELECT ${select} FROM ${table} AS t WHERE t._seq > ? AND t._seq <= ? ORDER BY t._seq`).all(
          offset,
          offset + limit,
        ) as EventRow[]
        return { rows, total, offset, limit }
      }
      const sortTable = spec.sortTable(sort.column)
      if (sortTable) {
        // Positions in the sort table are 1..total in ascending order; descending reads them from the end.
        const [from, to] = sort.desc ? [total - offset - limit + 1, total - offset] : [offset + 1, offset + limit]
        const order = quoteIdentifier(sortTable)
        const rows = this.statement(
          `SELECT ${select} FROM ${order} AS s JOIN ${table} AS t ON t._seq = s.seq WHERE s.pos BETWEEN ? AND ? ORDER BY s.pos ${sort.desc ? 'DESC' : 'ASC'}`,
        ).all(Math.max(1, from), to) as EventRow[]
        return { rows, total, offset, limit }
      }
    }

    const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''
    const dir = sort?.desc ? 'DESC' : 'ASC'
    // With a filter, `+` keeps SQLite from walking a column index over every row to avoid sorting the few that match.
    const unary = whereSql ? '+' : ''
    const orderBy = sort ? `${unary}t.${quoteIdentifier(sort.column)} ${dir}, ${unary}t._seq ${dir}` : 't._seq'
    // A filter or an order without a sort table: the matching rows are numbered once, then every
    // page is a position range of that list (a deep page costs what the first one does).
    const matches = this.orderedMatches(spec.table, whereSql, params, orderBy)
    if (offset >= matches.length) return { rows: [], total: matches.length, offset, limit }
    const seqs = JSON.stringify(Array.from(matches.subarray(offset, offset + limit)))
    const rows = this.statement(`SELECT ${select} FROM json_each(?) AS j JOIN ${table} AS t ON t._seq = j.value ORDER BY j.key`).all(seqs) as EventRow[]
    return { rows, total: matches.length, offset, limit }
  }

  /**
   * The row numbers (`_seq`) of a filtered or ordered view, in page order, kept for the next
   * pages: 4 bytes a matching row, the least recently used views dropped past
   * {@link MATCH_CACHE_SIZE} views or {@link MATCH_CACHE_ROWS} rows.
   */
  private orderedMatches(tableName: string, whereSql: string, params: readonly (string | number)[], orderBy: string): Uint32Array {
    const key = JSON.stringify([tableName, whereSql, params, orderBy])
    const cached = this.matchLists.get(key)
    if (cached) {
      this.matchLists.delete(key)
      this.matchLists.set(key, cached)
      return cached
    }
    // Not cached as a statement: the text differs with every combination of conditions and order.
    const statement = this.open().prepare(`SELECT t._seq FROM ${quoteIdentifier(tableName)} AS t ${whereSql} ORDER BY ${orderBy}`).pluck()
    let list = new Uint32Array(1024)
    let n = 0
    for (const seq of statement.iterate(...params)) {
      if (n === list.length) {
        const grown = new Uint32Array(list.length * 2)
        grown.set(list)
        list = grown
      }
      list[n++] = seq as number
    }
    list = list.slice(0, n)
    this.matchLists.set(key, list)
    let rows = 0
    for (const l of this.matchLists.values()) rows += l.length
    while (this.matchLists.size > 1 && (this.matchLists.size > MATCH_CACHE_SIZE || rows > MATCH_CACHE_ROWS)) {
      const [oldest, dropped] = this.matchLists.entries().next().value!
      this.matchLists.delete(oldest)
      rows -= dropped.length
    }
    return list
  }



  async *allRows(domain: Domain, options: AllRowsOptions = {}): AsyncGenerator<EventRow[], void, undefined> {
    const columns = this.columnsOf(domain)
    yield* this.rowsOf(eventTableOf(domain), columns, options)
  }

  async *msdRows(table: MsdTable, options: AllRowsOptions = {}): AsyncGenerator<EventRow[], void, undefined> {
    yield* this.rowsOf(msdTableOf(table), this.msdTable(table)?.columns, options)
  }

  private async *rowsOf(
    tableName: string,
    columns: readonly string[] | undefined,
    options: AllRowsOptions,
  ): AsyncGenerator<EventRow[], void, undefined> {
    const chunkSize = options.chunkSize === undefined ? DEFAULT_EXPORT_CHUNK : assertWholeNumber(options.chunkSize, 'chunkSize', 1, 100_000)
    if (columns === undefined) return
    const select = columns.map(quoteIdentifier).join(', ')
    const statement = this.statement(`SELECT _seq, ${select} FROM ${quoteIdentifier(tableName)} WHERE _seq > ? ORDER BY _seq LIMIT ?`)
    let after = 0
    for (;;) {
      const rows = statement.all(after, chunkSize) as (EventRow & { _seq: number })[]
      if (rows.length === 0) return
      after = rows[rows.length - 1]!._seq
      for (const row of rows) delete (row as Partial<typeof row>)._seq
      yield rows
      if (rows.length < chunkSize) return
      // Between chunks, timers, IPC and page reads get their turn on the main thread.
      await yieldToEventLoop()
    }
  }

  close(): void {
    this.statements.clear()
    this.db?.close()
    this.db = null
  }
}

/**
 * Opens a finished result file read-only. A missing or foreign file is `storage/unreadable`; one
 * written by a newer app is `storage/incompatible`.
 */
export function openResultFile(path: string): ResultFileReader {
  return new SqliteResultFileReader(path)
}
