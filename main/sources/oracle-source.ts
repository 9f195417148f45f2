/**
 * The `oracle` source: the plant's MES warehouse itself (`DWH.DW_MES_*`), through node-oracledb in
 * Thin mode (pure JavaScript: no Oracle client to install). Statements use bind variables only and
 * IN lists of at most 1000 (the dialect), stream through a result set `fetchSize` rows at a time,
 * run under a `callTimeout` per round trip, and are interrupted on the server with
 * `connection.break()` when the caller's signal aborts. One connection per statement from a small
 * pool. Not tested against a live server on the build machines: its SQL is, through the dialect.
 */
import type oracledb from 'oracledb'
import { AppError, cancelledError } from '../../shared/errors.js'
import { createDialect, type Dialect, type SqlValue } from './dialect.js'
import { DEFAULT_FETCH_SIZE, type MesSource, type QueryOptions, type SourceCatalog, type SourceRow } from './mes-source.js'
import { catalogFromColumns, collectRows } from './source-rows.js'

/** Connections one source may hold. */
export const ORACLE_POOL_SIZE = 3

/** Longest one round trip may take (a fetch of `fetchSize` rows, or the statement's start). */
export const ORACLE_CALL_TIMEOUT_MS = 300_000

export interface OracleSourceOptions {
  user: string
  password: string
  /** Easy Connect (`host:port/service`) or a TNS descriptor. */
  connectString: string
  /** Schema prefix of the MES tables. @default 'DWH' */
  schema?: string
  /** @default ORACLE_CALL_TIMEOUT_MS */
  callTimeoutMs?: number
  /** @default ORACLE_POOL_SIZE */
  poolSize?: number
}

/**
 * Parses `oracle://user:password@host:port/service?schema=DWH` into options. The password may
 * instead come from MES_TRACE_ORACLE_PASSWORD (so it never sits in a command line).
 */
export function parseOracleUrl(text: string, env: NodeJS.ProcessEnv = process.env): OracleSourceOptions {
  const url = new URL(text)
  if (url.protocol !== 'oracle:') throw new AppError('input/invalid', 'source: an Oracle source URL starts with oracle://', { field: 'source' })
  const service = url.pathname.replace(/^\//, '')
  if (!url.hostname || !service) throw new AppError('input/invalid', 'source: give host and service, e.g. oracle://user@db.plant:1521/MESDW', { field: 'source' })
  const password = url.password ? decodeURIComponent(url.password) : (env.MES_TRACE_ORACLE_PASSWORD ?? '')
  const schema = url.searchParams.get('schema') ?? 'DWH'
  return { user: decodeURIComponent(url.username), password, connectString: `${url.hostname}:${url.port || '1521'}/${service}`, schema }
}

function sourceError(error: unknown, what: string, where: string): AppError {
  if (error instanceof AppError) return error
  const e = error as { code?: string; errorNum?: number; message?: string }
  const message = e.message ?? String(error)
  const code = e.code ?? (e.errorNum !== undefined ? `ORA-${String(e.errorNum).padStart(5, '0')}` : '')
  if (code === 'ORA-01017') {
    // Never tried again: repeated failed logins can lock the account.
    return new AppError('source/unreachable', `${where}: the user name or password was refused. Check the credentials of the source.`, { code, permanent: true })
  }
  if (code === 'ORA-00942') return new AppError('source/schema', `${what} failed on ${where}: a table or view does not exist or is not granted (${message}).`, { code })
  if (code === 'ORA-01031') return new AppError('source/query-failed', `${what} failed on ${where}: insufficient privileges (${message}). The user needs SELECT on the MES tables.`, { code })
  if (code === 'DPI-1067' || code === 'NJS-123' || /call timeout/i.test(message)) {
    return new AppError('source/timeout', `${what} on ${where} took longer than its call timeout (${message}).`, { code })
  }
  if (/^NJS-5\d\d$|^NJS-50[0-9]$|ECONNREFUSED|ENOTFOUND|ETIMEDOUT/.test(code) || /ECONNREFUSED|ENOTFOUND|ETIMEDOUT/.test(message)) {
    return new AppError('source/unreachable', `${where} cannot be reached (${message}). Check the host, the port, the service name and the network.`, { code })
  }
  return new AppError('source/query-failed', `${what} failed on ${where}: ${message}`, code ? { code } : {}, { cause: error })
}

class OracleMesSource implements MesSource {
  readonly kind = 'oracle' as const
  readonly dialect: Dialect
  readonly description: string
  private pool: oracledb.Pool | null

  constructor(
    private readonly options: OracleSourceOptions,
    pool: oracledb.Pool,
  ) {
    this.pool = pool
    this.dialect = createDialect('oracle', options.schema ?? 'DWH')
    this.description = `oracle://${options.user}@${options.connectString} (schema ${options.schema ?? 'DWH'})`
  }

  private open(): oracledb.Pool {
    if (!this.pool) throw new AppError('source/unreachable', `The source ${this.description} is closed.`)
    return this.pool
  }

  async *stream(sql: string, params: readonly SqlValue[], options: QueryOptions = {}): AsyncIterable<SourceRow[]> {
    const { signal } = options
    const fetchSize = options.fetchSize ?? DEFAULT_FETCH_SIZE
    if (signal?.aborted) throw cancelledError('The query')
    let connection: oracledb.Connection
    try {
      connection = await this.open().getConnection()
    } catch (error) {
      throw sourceError(error, 'Connecting', this.description)
    }
    // The abort may have come while the connection was being made.
    if (signal?.aborted) {
      await connection.close().catch(() => {})
      throw cancelledError('The query')
    }
    connection.callTimeout = this.options.callTimeoutMs ?? ORACLE_CALL_TIMEOUT_MS
    let cancelled = false
    const onAbort = (): void => {
      cancelled = true
      void connection.break().catch(() => {})
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    let resultSet: oracledb.ResultSet<SourceRow> | undefined
    try {
      const result = await connection.execute<SourceRow>(sql, [...params], {
        resultSet: true,
        outFormat: (await oracleDriver()).OUT_FORMAT_OBJECT,
        fetchArraySize: Math.min(fetchSize, 10_000),
      })
      resultSet = result.resultSet
      if (!resultSet) return
      for (;;) {
        const rows = await resultSet.getRows(fetchSize)
        if (cancelled) throw cancelledError('The query')
        if (rows.length === 0) break
        yield rows
        if (cancelled || signal?.aborted) throw cancelledError('The query')
        if (rows.length < fetchSize) break
      }
    } catch (error) {
      if (cancelled || signal?.aborted) throw cancelledError('The query')
      throw sourceError(error, 'A query', this.description)
    } finally {
      signal?.removeEventListener('abort', onAbort)
      await resultSet?.close().catch(() => {})
      await connection.close().catch(() => {})
    }
  }

  all(sql: string, params: readonly SqlValue[], options: QueryOptions = {}): Promise<SourceRow[]> {
    return collectRows(this.stream(sql, params, options))
  }

  async catalog(): Promise<SourceCatalog> {
    const rows = await this.all('SELECT TABLE_NAME, COLUMN_NAME FROM ALL_TAB_COLUMNS WHERE OWNER = :1', [(this.options.schema ?? 'DWH').toUpperCase()])
    return catalogFromColumns(rows)
  }

  async close(): Promise<void> {
    const pool = this.pool
    this.pool = null
    await pool?.close(5)
  }
}

let driver: Promise<typeof oracledb> | undefined

/** node-oracledb, loaded on first use: it takes a fifth of a second to load, which every command would pay. */
function oracleDriver(): Promise<typeof oracledb> {
  driver ??= import('oracledb').then((m) => m.default)
  return driver
}

/** Opens an Oracle source in Thin mode and checks it answers. */
export async function openOracleSource(options: OracleSourceOptions): Promise<MesSource> {
  const where = `oracle://${options.user}@${options.connectString}`
  let pool: oracledb.Pool
  try {
    pool = await (await oracleDriver()).createPool({
      user: options.user,
      password: options.password,
      connectString: options.connectString,
      poolMin: 0,
      poolMax: options.poolSize ?? ORACLE_POOL_SIZE,
      poolIncrement: 1,
    })
  } catch (error) {
    throw sourceError(error, 'Connecting', where)
  }
  const source = new OracleMesSource(options, pool)
  try {
    await source.all('SELECT 1 AS OK FROM DUAL', [])
  } catch (error) {
    await source.close().catch(() => {})
    throw error
  }
  return source
}
