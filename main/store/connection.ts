/**
 * The one module that opens SQLite connections for storage. Each role gets the pragmas its place
 * in the one-writer-per-file rule needs (architecture.md §2), set here so no caller can forget one,
 * and SQLite/file-system failures are turned into `storage/*` errors a person can act on.
 */
import Database from 'better-sqlite3'
import { AppError, type ErrorCode } from '../../shared/errors.js'

/** An open better-sqlite3 connection. */
export type SqliteDatabase = Database.Database

/** What a connection is for; decides its pragmas. */
export type ConnectionRole =
  /**
   * The catalog, written by main processes only. WAL so the app and the CLI, which share the data
   * directory, read while the other writes; `synchronous = NORMAL` is crash-safe in WAL mode.
   */
  | 'catalog'
  /**
   * A result file being written by its worker. The file is private (`.partial`) and thrown away
   * on any failure, so it trades crash safety for speed: journal in memory, no syncs, exclusive
   * lock. The writer syncs the finished file itself before renaming it into place.
   */
  | 'result-writer'
  /** A finished result file opened by the main process; never written. */
  | 'result-reader'

/** How long a connection waits for another process's lock before failing. */
export const BUSY_TIMEOUT_MS = 5000

/**
 * Page cache of a result writer, in KiB, for the file and again for its temp database (the MSD
 * analysis's temp tables). Fixed, so a worker's memory does not grow with the result. Measured
 * against 16 MB (`bench-msd-run`): the finishing indexes take as long (120 000 lots: 1.9 s against
 * 2.1–2.4 s; 20 000 lots with all 7 domains: 1.25 s against 1.21 s) and the worker holds 20–50 MB less.
 */
export const RESULT_WRITER_CACHE_KIB = 4 * 1024

/** Options of {@link openConnection}. */
export interface OpenConnectionOptions {
  /**
   * `result-writer` only: most pages the file may grow to (`PRAGMA max_page_count`); a write past
   * it fails like a full disk.
   * @default no cap
   */
  maxPageCount?: number
}

/** The SQLite (`SQLITE_FULL`) or Node (`ENOSPC`) error code of a thrown value, if any. */
export function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? code : undefined
}

/** True when a write failed because the disk, a quota or a size cap is full. */
export function isStorageFull(error: unknown): boolean {
  const code = errorCodeOf(error)
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG'
}

/** True when a file is missing, not a database, or damaged. */
function isUnreadable(error: unknown): boolean {
  const code = errorCodeOf(error) ?? ''
  return code === 'ENOENT' || code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_CANTOPEN')
}

/**
 * Converts anything a storage operation threw into an {@link AppError}: a full disk becomes
 * `storage/full`, an unreadable file `storage/unreadable`, anything else `fallback`. App errors
 * pass through unchanged.
 */
export function toStorageError(error: unknown, what: string, path: string, fallback: ErrorCode): AppError {
  if (error instanceof AppError) return error
  const message = error instanceof Error ? error.message : String(error)
  const details = { path, sqliteCode: errorCodeOf(error) ?? null }
  if (isStorageFull(error)) {
    return new AppError('storage/full', `${what} ran out of space (${message}). Free some disk space and run it again.`, details, { cause: error })
  }
  if (isUnreadable(error)) {
    return new AppError('storage/unreadable', `${what} cannot be read: ${message}.`, details, { cause: error })
  }
  return new AppError(fallback, `${what} failed: ${message}.`, details, { cause: error })
}

/**
 * Opens `path` for `role` and applies its pragmas. The file is created for the writing roles and
 * must exist for `result-reader`. Failures are `storage/unreadable` (or `storage/full`).
 */
export function openConnection(path: string, role: ConnectionRole, options: OpenConnectionOptions = {}): SqliteDatabase {
  let db: SqliteDatabase | undefined
  try {
    db =
      role === 'result-reader'
        ? new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS })
        : new Database(path, { timeout: BUSY_TIMEOUT_MS })
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    db.pragma('foreign_keys = ON')
    if (role === 'catalog') {
      // Reading the journal mode is also the first real read of the file: a file that is not a
      // database fails here, inside the try, and is reported as unreadable.
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
    } else if (role === 'result-writer') {
      db.pragma('journal_mode = MEMORY')
      db.pragma('synchronous = OFF')
      db.pragma('locking_mode = EXCLUSIVE')
      db.pragma(`cache_size = -${RESULT_WRITER_CACHE_KIB}`)
      db.pragma(`temp.cache_size = -${RESULT_WRITER_CACHE_KIB}`)
      if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxPageCount))}`)
    } else {
      db.pragma('query_only = ON')
      db.pragma('schema_version')
    }
    return db
  } catch (error) {
    db?.close()
    const label = role === 'catalog' ? 'Opening the catalog' : 'Opening the result file'
    throw toStorageError(error, `${label} ${path}`, path, 'storage/unreadable')
  }
}

/** Double-quotes an SQL identifier (names come from code, never from a request, but stay quoted). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/** Prepared statements of one connection, each prepared once per distinct SQL text. */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>()

  /** `open` returns the live connection, or throws when it has been closed. */
  constructor(private readonly open: () => SqliteDatabase) {}

  get(sql: string): Database.Statement {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.open().prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }

  clear(): void {
    this.statements.clear()
  }
}
