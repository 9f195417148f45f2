/**
 * The `oracle` source: the plant's MES warehouse itself (`DWH.DW_MES_*`), through node-oracledb in
 * Thin mode (pure JavaScript: no Oracle client to install). Statements use bind variables only and
 * IN lists of at most 1000 (the dialect), stream through a result set `fetchSize` rows at a time,
 * run under a `callTimeout` per round trip, and are interrupted on the server with
 * `connection.break()` when the caller's signal aborts. One connection per statement from a small
 * pool. Not tested against a live server on the build machines: its SQL is, through the dialect,
 * and its statement lifecycle against a stand-in driver.
 */
import type oracledb from 'oracledb'
import { AppError } from '../../shared/errors.js'
import { createDialect, type SqlValue } from './dialect.js'
import type { MesSource, SourceCatalog, SourceRow } from './mes-source.js'
import { ServerMesSource, type RowCursor } from './server-source.js'
import { catalogFromColumns } from './source-rows.js'

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

class OracleMesSource extends ServerMesSource<oracledb.Pool, oracledb.Connection> {
  readonly kind = 'oracle' as const

  constructor(
    private readonly options: OracleSourceOptions,
    pool: oracledb.Pool,
  ) {
    super(pool, createDialect('oracle', options.schema ?? 'DWH'), `oracle://${options.user}@${options.connectString} (schema ${options.schema ?? 'DWH'})`)
  }

  protected async connect(pool: oracledb.Pool): Promise<oracledb.Connection> {
    const connection = await pool.getConnection()
    connection.callTimeout = this.options.callTimeoutMs ?? ORACLE_CALL_TIMEOUT_MS
    return connection
  }

  protected async execute(connection: oracledb.Connection, sql: string, params: readonly SqlValue[], fetchSize: number): Promise<RowCursor> {
    const { resultSet } = await connection.execute<SourceRow>(sql, [...params], {
      resultSet: true,
      outFormat: (await oracleDriver()).OUT_FORMAT_OBJECT,
      fetchArraySize: Math.min(fetchSize, 10_000),
    })
    if (!resultSet) return { read: () => Promise.resolve([]), close: () => Promise.resolve() }
    return {
      read: (count) => resultSet.getRows(count),
      close: () => resultSet.close().catch(() => {}),
    }
  }

  protected interrupt(connection: oracledb.Connection): void {
    void connection.break().catch(() => {})
  }

  protected async release(connection: oracledb.Connection): Promise<void> {
    await connection.close().catch(() => {})
  }

  protected errorOf(error: unknown, what: string): AppError {
    return sourceError(error, what, this.description)
  }

  protected endPool(pool: oracledb.Pool): Promise<void> {
    return pool.close(5)
  }

  async catalog(): Promise<SourceCatalog> {
    const rows = await this.all('SELECT TABLE_NAME, COLUMN_NAME FROM ALL_TAB_COLUMNS WHERE OWNER = :1', [(this.options.schema ?? 'DWH').toUpperCase()])
    return catalogFromColumns(rows)
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
