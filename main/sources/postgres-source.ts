/**
 * The `postgres` source: a PostgreSQL replica or warehouse of the MES tables (source-schema.md),
 * read through node-postgres. Every statement streams through a server-side cursor in chunks, runs
 * in a read-only transaction with a statement timeout, and is cancelled on the server
 * (`pg_cancel_backend`) when the caller's signal aborts. At most `poolSize` connections per source.
 */
import pg from 'pg'
import Cursor from 'pg-cursor'
import { AppError } from '../../shared/errors.js'
import { createDialect, type SqlValue } from './dialect.js'
import type { MesSource, SourceCatalog } from './mes-source.js'
import { ServerMesSource, type ReleaseState, type RowCursor } from './server-source.js'
import { catalogFromColumns, rowUpperCaser } from './source-rows.js'

/** Connections one source may hold (the trace fetches two domains at a time). */
export const POSTGRES_POOL_SIZE = 3

/**
 * How often a cancel is sent again until the statement's connection is given back: PostgreSQL
 * drops a cancel that reaches a backend waiting for the client's next protocol message, and a
 * cursor's Execute follows its RowDescription a round trip later, so one cancel can miss.
 */
export const POSTGRES_CANCEL_REPEAT_MS = 200

/** Longest one statement may run on the server. */
export const POSTGRES_STATEMENT_TIMEOUT_MS = 300_000

export interface PostgresSourceOptions {
  /** `postgres://user:password@host:port/database` (the password never appears in descriptions or errors). */
  url: string
  /**
   * The password when the URL has none. `openSource` passes PGPASSWORD's value, read once, so a
   * worker can take the variable out of its environment: node-postgres itself would look it up
   * again for every new connection of the pool.
   * @default none: PGPASSWORD at each connection, then ~/.pgpass (PGPASSFILE; %APPDATA%\postgresql\pgpass.conf on Windows)
   */
  password?: string
  /** Schema holding the MES tables. @default the connection's search path */
  schema?: string
  /** @default POSTGRES_STATEMENT_TIMEOUT_MS */
  statementTimeoutMs?: number
  /** @default POSTGRES_POOL_SIZE */
  poolSize?: number
  /** Connecting gives up after this long. @default 10 000 */
  connectTimeoutMs?: number
}

/** The URL without its password, for descriptions and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    for (const key of ['password', 'sslpassword', 'sslkey']) if (parsed.searchParams.has(key)) parsed.searchParams.set(key, '***')
    return parsed.toString()
  } catch {
    return 'postgres://(unparsable URL)'
  }
}

/** PostgreSQL error codes worth a specific message (SQLSTATE). */
function sourceError(error: unknown, what: string, url: string): AppError {
  if (error instanceof AppError) return error
  const e = error as { code?: string; message?: string }
  const message = e.message ?? String(error)
  const where = redactUrl(url)
  if (/client password must be a string/i.test(message)) {
    // node-postgres's words for "the server wants a password and there is none".
    return new AppError(
      'source/unreachable',
      `${where}: the server asks for a password and none was given. Give the source's password (in the app), or on the command line PGPASSWORD, ~/.pgpass or --password-stdin.`,
      { permanent: true },
    )
  }
  switch (e.code) {
    case '28P01':
    case '28000':
      // Never tried again: repeated failed logins can lock the account.
      return new AppError('source/unreachable', `${where}: the user name or password was refused (${message}). Check the credentials of the source.`, { sqlstate: e.code, permanent: true })
    case '3D000':
      return new AppError('source/unreachable', `${where}: the database does not exist (${message}).`, { sqlstate: e.code, permanent: true })
    case '42P01':
      return new AppError('source/schema', `${what} failed on ${where}: a table is missing (${message}). Check the schema setting of the source.`, { sqlstate: e.code })
    case '42501':
      return new AppError('source/query-failed', `${what} failed on ${where}: permission denied (${message}). The source's user needs SELECT on the MES tables.`, { sqlstate: e.code })
    case '57014':
      return new AppError('source/timeout', `${what} on ${where} was stopped by the server (${message}).`, { sqlstate: e.code })
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return new AppError('source/unreachable', `${where} cannot be reached (${message}). Check the host, the port and the network.`, { code: e.code })
    default:
      return new AppError('source/query-failed', `${what} failed on ${where}: ${message}`, e.code ? { sqlstate: e.code } : {}, { cause: error })
  }
}

class PostgresMesSource extends ServerMesSource<pg.Pool, pg.PoolClient> {
  readonly kind = 'postgres' as const
  /** The connections whose statement is being cancelled, with the timer that sends the cancel again. */
  private readonly cancelling = new Map<pg.PoolClient, ReturnType<typeof setInterval>>()

  constructor(
    private readonly options: PostgresSourceOptions,
    pool: pg.Pool,
    private readonly sockets: ReadonlySet<{ readonly bytesRead: number }>,
  ) {
    super(pool, createDialect('postgres', options.schema), redactUrl(options.url) + (options.schema ? ` (schema ${options.schema})` : ''))
  }

  bytesReceived(): number {
    let bytes = 0
    for (const socket of this.sockets) bytes += socket.bytesRead
    return bytes
  }

  protected connect(pool: pg.Pool): Promise<pg.PoolClient> {
    return pool.connect()
  }

  protected async execute(client: pg.PoolClient, sql: string, params: readonly SqlValue[]): Promise<RowCursor> {
    // One round trip for both (a simple query may hold several statements): across a WAN every
    // round trip a statement makes is a share of the run.
    await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.max(1, Math.floor(this.options.statementTimeoutMs ?? POSTGRES_STATEMENT_TIMEOUT_MS))}`)
    const cursor = client.query(new Cursor(sql, [...params]))
    const upperRow = rowUpperCaser()
    return {
      read: async (count) => (await cursor.read(count)).map((row) => upperRow(row)),
      close: () => cursor.close().catch(() => {}),
    }
  }

  protected override async finish(client: pg.PoolClient): Promise<void> {
    await client.query('COMMIT')
  }

  protected interrupt(client: pg.PoolClient): void {
    // The statement runs on the server: cancel it there, from another connection, and again every
    // POSTGRES_CANCEL_REPEAT_MS until the statement ends (release), since a cancel that arrives
    // between the cursor's messages is dropped and the statement would run to its end.
    const pid = (client as unknown as { processID?: number }).processID
    if (pid === undefined || this.cancelling.has(client)) return
    const cancel = (): void => void this.pool?.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => {})
    cancel()
    this.cancelling.set(client, setInterval(cancel, POSTGRES_CANCEL_REPEAT_MS).unref())
  }

  protected async release(client: pg.PoolClient, state: ReleaseState): Promise<void> {
    clearInterval(this.cancelling.get(client))
    this.cancelling.delete(client)
    // A statement that did not finish (a failure, a cancel, a caller that stopped early) skipped
    // COMMIT: end the transaction here. A connection a cancel was aimed at is closed, never reused,
    // so a late pg_cancel_backend cannot hit the next statement run on it.
    let healthy = state.healthy
    if (state.pending) await client.query('ROLLBACK').catch(() => (healthy = false))
    client.release(healthy ? undefined : true)
  }

  protected errorOf(error: unknown, what: string): AppError {
    return sourceError(error, what, this.options.url)
  }

  protected endPool(pool: pg.Pool): Promise<void> {
    return pool.end()
  }

  async catalog(): Promise<SourceCatalog> {
    const schema = this.options.schema
    const rows = await this.all(
      schema
        ? 'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1'
        : 'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()',
      schema ? [schema.toLowerCase()] : [],
    )
    return catalogFromColumns(rows)
  }
}

/**
 * The URL node-postgres connects with: `options.password` goes into it, because node-postgres
 * ignores a `password` beside a `connectionString` (the URL's empty password wins).
 */
function connectionStringOf(options: PostgresSourceOptions): string {
  if (!options.password) return options.url
  const url = new URL(options.url)
  if (!url.password) url.password = encodeURIComponent(options.password)
  return url.toString()
}

/** Opens a PostgreSQL source and checks it answers. Failures are `source/*` errors saying what to check. */
export async function openPostgresSource(options: PostgresSourceOptions): Promise<MesSource> {
  const pool = new pg.Pool({
    connectionString: connectionStringOf(options),
    max: options.poolSize ?? POSTGRES_POOL_SIZE,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: 'mes-trace',
  })
  // An idle client's error (a server restart) must not crash the process; the next query reports it.
  pool.on('error', () => {})
  // Every connection's socket, kept after it closes (its count of bytes read stays readable).
  const sockets = new Set<{ readonly bytesRead: number }>()
  pool.on('connect', (client) => {
    const socket = (client as unknown as { connection?: { stream?: { bytesRead?: unknown } } }).connection?.stream
    if (socket && typeof socket.bytesRead === 'number') sockets.add(socket as { readonly bytesRead: number })
  })
  try {
    await pool.query('SELECT 1')
  } catch (error) {
    await pool.end().catch(() => {})
    throw sourceError(error, 'Connecting', options.url)
  }
  return new PostgresMesSource(options, pool, sockets)
}
