/**
 * The `sqlite` source: a local SQLite file in the source schema (the demo plant, a user's extract,
 * a test fixture). Opened read-only and immutable-safe: the adapter can never write to it.
 */
import { access, constants } from 'node:fs/promises'
import { resolve } from 'node:path'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import Database from 'better-sqlite3'
import { AppError, throwIfCancelled } from '../../shared/errors.js'
import { createDialect, type Dialect, type SqlValue } from './dialect.js'
import { DEFAULT_FETCH_SIZE, type MesSource, type QueryOptions, type SourceCatalog, type SourceRow } from './mes-source.js'
import { collectRows, rowUpperCaser } from './source-rows.js'

function queryError(error: unknown, sql: string): AppError {
  if (error instanceof AppError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new AppError('source/query-failed', `SQLite query failed: ${message}`, { statement: sql.slice(0, 200) }, { cause: error })
}

class SqliteMesSource implements MesSource {
  readonly kind = 'sqlite' as const
  readonly dialect: Dialect = createDialect('sqlite')
  readonly description: string
  private db: Database.Database | null

  constructor(db: Database.Database, path: string) {
    this.db = db
    this.description = `sqlite:${path}`
  }

  private open(): Database.Database {
    if (!this.db) throw new AppError('source/unreachable', `The source ${this.description} is closed.`)
    return this.db
  }

  async *stream(sql: string, params: readonly SqlValue[], options: QueryOptions = {}): AsyncIterable<SourceRow[]> {
    const fetchSize = options.fetchSize ?? DEFAULT_FETCH_SIZE
    throwIfCancelled(options.signal, 'The query')
    let iterator: IterableIterator<unknown>
    let upperAlready: boolean
    try {
      const statement = this.open().prepare(sql)
      // The app's statements name their columns in upper case: the driver's rows are then the
      // rows, with no copy per row (a copy only upper-cases the names of other statements).
      upperAlready = statement.columns().every((column) => column.name === column.name.toUpperCase())
      iterator = statement.iterate(...params)
    } catch (error) {
      throw queryError(error, sql)
    }
    try {
      const upperRow = rowUpperCaser()
      let rows: SourceRow[] = []
      for (;;) {
        let next: IteratorResult<unknown>
        try {
          next = iterator.next()
        } catch (error) {
          throw queryError(error, sql)
        }
        if (next.done) break
        rows.push(upperAlready ? (next.value as SourceRow) : upperRow(next.value as Record<string, unknown>))
        if (rows.length >= fetchSize) {
          yield rows
          rows = []
          // better-sqlite3 is synchronous: give timers, messages and cancellation a turn between chunks.
          await yieldToEventLoop()
          throwIfCancelled(options.signal, 'The query')
        }
      }
      if (rows.length > 0) yield rows
    } finally {
      // Closing the iterator releases the statement when the caller stops early.
      iterator.return?.()
    }
  }

  all(sql: string, params: readonly SqlValue[], options: QueryOptions = {}): Promise<SourceRow[]> {
    return collectRows(this.stream(sql, params, options))
  }

  async catalog(): Promise<SourceCatalog> {
    const db = this.open()
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[]
    const catalog = new Map<string, Set<string>>()
    for (const { name } of tables) {
      const columns = db.prepare('SELECT name FROM pragma_table_info(?)').all(name) as { name: string }[]
      catalog.set(name.toUpperCase(), new Set(columns.map((c) => c.name.toUpperCase())))
    }
    return catalog
  }

  async close(): Promise<void> {
    this.db?.close()
    this.db = null
  }
}

/**
 * Opens a SQLite source file read-only. A missing or unreadable file, or a file that is not a
 * SQLite database, gives `source/unreachable` naming the path.
 */
export async function openSqliteSource(path: string): Promise<MesSource> {
  const full = resolve(path)
  // One message whether the file is missing, unreadable or not a database: a path typed in a page
  // must not tell the page which files exist.
  const unreachable = (cause?: unknown): AppError =>
    new AppError('source/unreachable', `The SQLite source ${full} cannot be opened: it does not exist, cannot be read, or is not a SQLite database.`, { path: full }, cause === undefined ? undefined : { cause })
  try {
    await access(full, constants.R_OK)
  } catch {
    throw unreachable()
  }
  let db: Database.Database
  try {
    // readonly: SQLite refuses every write on this connection (and never creates -wal/-shm as a writer).
    db = new Database(full, { readonly: true, fileMustExist: true })
    db.pragma('query_only = ON')
    // Touch the schema so a non-database file fails here, not in the middle of a trace.
    db.prepare('SELECT count(*) FROM sqlite_master').get()
  } catch (error) {
    throw unreachable(error)
  }
  return new SqliteMesSource(db, full)
}
