/**
 * Copies a SQLite source (a demo plant, an extract) into PostgreSQL in the source schema, so the
 * PostgreSQL path can be tried and tested: tables with PostgreSQL types (times as `timestamp`,
 * quantities as numbers), rows in batched multi-row INSERTs with bound values, then the indexes:
 * source-schema.md's, and one on each table's key (a `PRIMARY KEY` column of the contract). The
 * key's index is a plain one, so an extract that repeats a key still copies; without it every
 * genealogy read (`CONTAINERID IN (…)`) scanned the whole container table.
 * The target tables must not exist unless `replace` is given.
 */
import Database from 'better-sqlite3'
import pg from 'pg'
import { AppError, invalidInput } from '../../shared/errors.js'
import { redactUrl } from './postgres-source.js'
import { SOURCE_INDEXES, SOURCE_TABLES } from './schema.js'

/** Rows per INSERT (× columns stays far below PostgreSQL's 65 535 parameters). */
const ROWS_PER_INSERT = 1000

/** Extra tables of a demo plant that are copied too when present. */
const EXTRA_TABLES: readonly { name: string; ddl: string }[] = [{ name: 'MES_TRACE_DEMO_INFO', ddl: 'CREATE TABLE MES_TRACE_DEMO_INFO (KEY TEXT PRIMARY KEY, VALUE TEXT)' }]

export interface LoadPostgresOptions {
  /** The SQLite file to copy. */
  from: string
  /** `postgres://…` of the target database. */
  url: string
  /** Schema to create the tables in. @default the connection's current schema */
  schema?: string
  /** Drop the tables first when they exist. @default false */
  replace?: boolean
  onProgress?: (message: string) => void
}

interface Column {
  name: string
  pgType: string
  isTime: boolean
  /** Declared `PRIMARY KEY` in the contract: the loader indexes it. */
  isKey: boolean
}

/** A time column of the source schema: stored as text in SQLite, `timestamp` in PostgreSQL. */
function isTimeColumn(name: string): boolean {
  return /(TIMESTAMP|DATE)$/.test(name)
}

/** Columns and PostgreSQL types of a table, from its SQLite DDL. */
export function postgresColumns(ddl: string): Column[] {
  const body = ddl.slice(ddl.indexOf('(') + 1, ddl.lastIndexOf(')'))
  return body.split(',').map((part) => {
    const [name, type = 'TEXT'] = part.trim().split(/\s+/)
    const upper = type.toUpperCase()
    const isTime = upper === 'TEXT' && isTimeColumn(name!)
    const pgType = isTime ? 'TIMESTAMP' : upper === 'INTEGER' ? 'BIGINT' : upper === 'REAL' ? 'DOUBLE PRECISION' : 'TEXT'
    return { name: name!, pgType, isTime, isKey: /\bPRIMARY\s+KEY\b/i.test(part) }
  })
}

/** Loads `from` into PostgreSQL. Returns rows copied per table. */
export async function loadIntoPostgres(options: LoadPostgresOptions): Promise<Record<string, number>> {
  if (options.schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.schema)) {
    throw invalidInput('--schema', 'must be a plain identifier (letters, digits, _)')
  }
  const sqlite = new Database(options.from, { readonly: true, fileMustExist: true })
  const client = new pg.Client({ connectionString: options.url, application_name: 'mes-trace-load' })
  // A server that goes away while the client idles must surface as the next query's error, not crash.
  client.on('error', () => {})
  try {
    await client.connect()
  } catch (error) {
    sqlite.close()
    throw new AppError('source/unreachable', `${redactUrl(options.url)} cannot be reached: ${(error as Error).message}`, {}, { cause: error })
  }
  const prefix = options.schema ? `${options.schema}.` : ''
  const present = new Set((sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name))
  const tables = [...SOURCE_TABLES.map((t) => ({ name: t.name, ddl: t.ddl })), ...EXTRA_TABLES].filter((t) => present.has(t.name))
  const counts: Record<string, number> = {}
  const keys: { table: string; column: string }[] = []
  try {
    if (options.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`)
    for (const table of tables) {
      // Columns of the contract the file has: an extract without a table's optional columns still copies.
      const has = new Set((sqlite.prepare(`PRAGMA table_info(${table.name})`).all() as { name: string }[]).map((c) => c.name.toUpperCase()))
      const columns = postgresColumns(table.ddl).filter((c) => has.has(c.name.toUpperCase()))
      // One transaction per table, its creation included: a failed copy leaves no empty table behind.
      await client.query('BEGIN')
      if (options.replace) await client.query(`DROP TABLE IF EXISTS ${prefix}${table.name}`)
      try {
        await client.query(`CREATE TABLE ${prefix}${table.name} (${columns.map((c) => `${c.name} ${c.pgType}`).join(', ')})`)
      } catch (error) {
        if ((error as { code?: string }).code === '42P07') {
          throw new AppError('storage/write-failed', `${prefix}${table.name} exists already in ${redactUrl(options.url)}; pass --replace to replace the tables.`, { exists: true })
        }
        throw error
      }
      const names = columns.map((c) => c.name)
      for (const column of columns) if (column.isKey) keys.push({ table: table.name, column: column.name })
      const select = sqlite.prepare(`SELECT ${names.join(', ')} FROM ${table.name}`).raw(true)
      let batch: unknown[][] = []
      let copied = 0
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return
        const values: unknown[] = []
        const tuples = batch.map((row) => `(${row.map((v, i) => {
          values.push(columns[i]!.isTime && v === '' ? null : v)
          return `$${values.length}`
        }).join(', ')})`)
        await client.query(`INSERT INTO ${prefix}${table.name} (${names.join(', ')}) VALUES ${tuples.join(', ')}`, values)
        copied += batch.length
        batch = []
      }
      for (const row of select.iterate() as IterableIterator<unknown[]>) {
        batch.push(row)
        if (batch.length >= ROWS_PER_INSERT) await flush()
      }
      await flush()
      await client.query('COMMIT')
      counts[table.name] = copied
      options.onProgress?.(`${table.name}: ${copied} rows`)
    }
    for (const index of SOURCE_INDEXES) {
      const match = /^CREATE INDEX (\w+) ON (\w+)\((.+)\)$/.exec(index)
      if (!match || !present.has(match[2]!)) continue
      await client.query(`CREATE INDEX IF NOT EXISTS ${match[1]} ON ${prefix}${match[2]} (${match[3]})`)
    }
    for (const { table, column } of keys) {
      await client.query(`CREATE INDEX IF NOT EXISTS ix_${table.toLowerCase()}_key ON ${prefix}${table} (${column})`)
    }
    // The planner's statistics for the tables loaded, and only those: a bare ANALYZE would read every
    // table of the database the role may analyze.
    for (const table of tables) await client.query(`ANALYZE ${prefix}${table.name}`)
    return counts
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    if (error instanceof AppError) throw error
    throw new AppError('source/query-failed', `Loading into ${redactUrl(options.url)} failed: ${(error as Error).message}`, {}, { cause: error })
  } finally {
    sqlite.close()
    await client.end().catch(() => {})
  }
}
