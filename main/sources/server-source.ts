/**
 * What the database-server adapters (PostgreSQL, Oracle) share: a small pool of connections, one
 * connection per statement, the statement's rows read in chunks, and the caller's signal stopping
 * the statement on the server. Each adapter says how to connect, start a statement, interrupt it
 * and give the connection back; the order of those steps, and what a cancelled or failed statement
 * looks like to the caller, live here once.
 */
import { AppError, cancelledError } from '../../shared/errors.js'
import type { Dialect, SqlValue } from './dialect.js'
import { DEFAULT_FETCH_SIZE, type MesSource, type QueryOptions, type SourceCatalog, type SourceKind, type SourceRow } from './mes-source.js'
import { collectRows } from './source-rows.js'

/** The open result of one statement on one connection. */
export interface RowCursor {
  /** The next rows, at most `count`, column names upper case; fewer than `count` means the result has ended. */
  read(count: number): Promise<SourceRow[]>
  /** Releases the result on the server. Never throws. */
  close(): Promise<void>
}

/** How a statement's connection is given back to the pool. */
export interface ReleaseState {
  /** A statement was started on the connection and did not finish (PostgreSQL rolls its transaction back). */
  pending: boolean
  /** Nothing failed or was cancelled on the connection, so the pool may hand it out again. */
  healthy: boolean
}

/**
 * A source read through a pool of connections to a database server. A subclass supplies the
 * driver's steps; `stream` runs them in order and turns any failure into a `source/*` error, or
 * `trace/cancelled` when the caller's signal aborted.
 */
export abstract class ServerMesSource<Pool, Connection> implements MesSource {
  abstract readonly kind: SourceKind
  /** Null once closed. */
  protected pool: Pool | null

  protected constructor(
    pool: Pool,
    readonly dialect: Dialect,
    /** Never holds the password. */
    readonly description: string,
  ) {
    this.pool = pool
  }

  /** Takes a connection from the pool. */
  protected abstract connect(pool: Pool): Promise<Connection>
  /** Starts `sql` on `connection` and returns its result, to be read `fetchSize` rows at a time. */
  protected abstract execute(connection: Connection, sql: string, params: readonly SqlValue[], fetchSize: number): Promise<RowCursor>
  /**
   * Stops the statement running on `connection`, from the server's side: called from the signal's
   * abort event, so it starts the stop and returns, and never throws.
   */
  protected abstract interrupt(connection: Connection): void
  /** Gives `connection` back (or closes it). Never throws. */
  protected abstract release(connection: Connection, state: ReleaseState): Promise<void>
  /** The `source/*` error saying what failed (`what`: `Connecting`, `A query`) and where; an `AppError` passes unchanged. */
  protected abstract errorOf(error: unknown, what: string): AppError
  /** Closes the pool. */
  protected abstract endPool(pool: Pool): Promise<void>
  abstract catalog(): Promise<SourceCatalog>

  /** Ends a statement whose rows were all read (PostgreSQL commits its read-only transaction). */
  protected async finish(_connection: Connection): Promise<void> {}

  private open(): Pool {
    if (!this.pool) throw new AppError('source/unreachable', `The source ${this.description} is closed.`)
    return this.pool
  }

  async *stream(sql: string, params: readonly SqlValue[], options: QueryOptions = {}): AsyncIterable<SourceRow[]> {
    const { signal } = options
    const fetchSize = options.fetchSize ?? DEFAULT_FETCH_SIZE
    if (signal?.aborted) throw cancelledError('The query')
    let connection: Connection
    try {
      connection = await this.connect(this.open())
    } catch (error) {
      throw this.errorOf(error, 'Connecting')
    }
    // The abort may have come while the connection was being made.
    if (signal?.aborted) {
      await this.release(connection, { pending: false, healthy: true })
      throw cancelledError('The query')
    }
    let cancelled = false
    const onAbort = (): void => {
      cancelled = true
      this.interrupt(connection)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    let finished = false
    let failed = false
    try {
      const cursor = await this.execute(connection, sql, params, fetchSize)
      try {
        for (;;) {
          const rows = await cursor.read(fetchSize)
          if (cancelled) throw cancelledError('The query')
          if (rows.length === 0) break
          yield rows
          if (cancelled || signal?.aborted) throw cancelledError('The query')
          if (rows.length < fetchSize) break
        }
      } finally {
        await cursor.close()
      }
      await this.finish(connection)
      finished = true
    } catch (error) {
      failed = true
      if (cancelled || signal?.aborted) throw cancelledError('The query')
      throw this.errorOf(error, 'A query')
    } finally {
      // Also reached when the caller stops early (break, or a throw in its loop): the statement
      // did not finish, and its connection is given back all the same.
      signal?.removeEventListener('abort', onAbort)
      await this.release(connection, { pending: !finished, healthy: !failed && !cancelled })
    }
  }

  all(sql: string, params: readonly SqlValue[], options: QueryOptions = {}): Promise<SourceRow[]> {
    return collectRows(this.stream(sql, params, options))
  }

  async close(): Promise<void> {
    const pool = this.pool
    this.pool = null
    if (pool) await this.endPool(pool)
  }
}
