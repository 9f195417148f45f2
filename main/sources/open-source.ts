/**
 * Opens a source from the spec a person types (`sqlite:PATH`, or a bare path to a `.sqlite`/`.db`
 * file) and checks its schema before anything reads it.
 */
import { AppError, invalidInput } from '../../shared/errors.js'
import type { SourceSpec } from '../../shared/source-spec.js'
import type { MesSource } from './mes-source.js'
import { assertSourceSchema, type SchemaReport } from './schema-check.js'
import { openOracleSource, parseOracleUrl } from './oracle-source.js'
import { openPostgresSource } from './postgres-source.js'
import { openSqliteSource } from './sqlite-source.js'

/** The variable a worker (and any PostgreSQL or Oracle client of ours) reads a server's password from. */
export function passwordEnvNameOf(kind: SourceSpec['kind']): 'PGPASSWORD' | 'MES_TRACE_ORACLE_PASSWORD' | null {
  return kind === 'postgres' ? 'PGPASSWORD' : kind === 'oracle' ? 'MES_TRACE_ORACLE_PASSWORD' : null
}

/**
 * What to do instead of a password in a server URL typed on a command line. `stdinFlag` names the
 * command's flag that reads the password from standard input.
 */
export function passwordHelpOf(kind: 'postgres' | 'oracle', stdinFlag = '--password-stdin'): string {
  return kind === 'postgres'
    ? `set PGPASSWORD, or put it in ~/.pgpass (%APPDATA%\\postgresql\\pgpass.conf on Windows), or pipe it to ${stdinFlag}`
    : `set MES_TRACE_ORACLE_PASSWORD, or pipe it to ${stdinFlag}`
}

/** Options of {@link parseSourceSpec}. */
export interface ParseSourceOptions {
  /**
   * Refuse a password in a server URL (`user:password@` or `?password=`): a command line is
   * visible to every local user in the process list. For URLs typed as command-line arguments.
   * @default false (services take the URL in a message, which nobody else sees)
   */
  refusePassword?: boolean
}

/** Parses `sqlite:PATH` (or a bare file path) into a source spec. */
export function parseSourceSpec(text: string, field = 'source', options: ParseSourceOptions = {}): SourceSpec {
  const value = text.trim()
  if (!value) throw invalidInput(field, 'a source is required, e.g. sqlite:plant.sqlite')
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length)
    if (!path) throw invalidInput(field, 'sqlite: needs a file path, e.g. sqlite:plant.sqlite')
    return { kind: 'sqlite', path }
  }
  const kind = /^postgres(ql)?:\/\//i.test(value) ? 'postgres' : /^oracle:\/\//i.test(value) ? 'oracle' : null
  if (kind) {
    let url: URL
    try {
      url = new URL(value)
    } catch {
      throw invalidInput(field, `is not a valid URL, e.g. ${kind === 'postgres' ? 'postgres://user@host:5432/database?schema=mes' : 'oracle://user@host:1521/service?schema=DWH'}`)
    }
    if (options.refusePassword && (url.password !== '' || url.searchParams.has('password'))) {
      // The message never repeats the URL: it holds the password.
      throw invalidInput(field, `must not contain a password: a command line is visible to every local user in the process list (ps, Task Manager). Leave it out of the URL and ${passwordHelpOf(kind)}`)
    }
    // `schema` is ours, not a connection parameter: take it out of the URL.
    const schema = url.searchParams.get('schema') ?? undefined
    url.searchParams.delete('schema')
    // A password given as a parameter moves to where it is kept apart from the stored text.
    const queryPassword = url.searchParams.get('password')
    if (queryPassword !== null) {
      url.searchParams.delete('password')
      if (!url.password) url.password = encodeURIComponent(queryPassword)
    }
    for (const secret of ['sslpassword', 'sslkey']) {
      if (url.searchParams.has(secret)) throw invalidInput(field, `${secret} cannot be given in the URL; configure it in the environment (PGSSLKEY) or ~/.postgresql`)
    }
    if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) throw invalidInput(field, 'schema must be a plain identifier')
    return { kind, url: url.toString(), ...(schema ? { schema } : {}) }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    const scheme = value.slice(0, value.indexOf(':'))
    throw new AppError('input/invalid', `${field}: source kind "${scheme}" is not supported; use sqlite:PATH, postgres://… or oracle://…`, { field })
  }
  return { kind: 'sqlite', path: value }
}

/** The spec without a password, and the password apart (null when there was none). */
export function withoutPassword(spec: SourceSpec): { spec: SourceSpec; password: string | null } {
  if (spec.kind === 'sqlite') return { spec, password: null }
  const url = new URL(spec.url)
  const password = url.password ? decodeURIComponent(url.password) : null
  url.password = ''
  return { spec: { ...spec, url: url.toString() }, password }
}

/** The spec with `password` in its URL (kept in memory only; `withoutPassword` takes it out again). */
export function withPassword<S extends SourceSpec>(spec: S, password: string): S {
  if (spec.kind === 'sqlite') return spec
  const url = new URL(spec.url)
  url.password = encodeURIComponent(password)
  return { ...spec, url: url.toString() }
}

/** The environment a worker reads a source's password from (PostgreSQL's own variable, or ours for Oracle). */
export function passwordEnvOf(spec: SourceSpec, password: string): Record<string, string> {
  const name = passwordEnvNameOf(spec.kind)
  return name ? { [name]: password } : {}
}

/** The text form a job keeps (`sqlite:<path>`, or the URL without password and with `?schema=`), parsed back by `parseSourceSpec`. */
export function sourceIdOf(spec: SourceSpec): string {
  if (spec.kind === 'sqlite') return `sqlite:${spec.path}`
  const url = new URL(spec.url)
  url.password = ''
  if (spec.schema) url.searchParams.set('schema', spec.schema)
  return url.toString()
}

/** Options of {@link openSource}. */
export interface OpenSourceOptions {
  /**
   * Take the server's password variable (`PGPASSWORD`, `MES_TRACE_ORACLE_PASSWORD`) out of
   * `process.env` as the source opens, so nothing else in this process and no process it starts
   * can read it. For worker processes, whose variable holds their job's password and nothing else;
   * a process a person started keeps its variables.
   * @default false
   */
  takeEnvPassword?: boolean
  /** The server's password, given by the caller (a worker gets its job's in its start message). Wins over the variable. @default none */
  password?: string
}

/**
 * Opens and schema-checks a source; the report carries warnings for missing optional tables. A
 * server URL without a password takes it from the password variable (read once, here), else
 * PostgreSQL's password file.
 */
export async function openSource(spec: SourceSpec, options: OpenSourceOptions = {}): Promise<{ source: MesSource; schema: SchemaReport }> {
  const envName = passwordEnvNameOf(spec.kind)
  const envPassword = options.password ?? (envName ? process.env[envName] : undefined)
  if (envName && options.takeEnvPassword) delete process.env[envName]
  const source =
    spec.kind === 'postgres'
      ? await openPostgresSource({ url: spec.url, ...(spec.schema ? { schema: spec.schema } : {}), ...(envPassword ? { password: envPassword } : {}) })
      : spec.kind === 'oracle'
        ? await openOracleSource({ ...parseOracleUrl(spec.url, envPassword ? { MES_TRACE_ORACLE_PASSWORD: envPassword } : {}), ...(spec.schema ? { schema: spec.schema } : {}) })
        : await openSqliteSource(spec.path)
  try {
    return { source, schema: await assertSourceSchema(source) }
  } catch (error) {
    await source.close()
    throw error
  }
}
