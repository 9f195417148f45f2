/**
 * `mes-trace load --from plant.sqlite --to postgres://… [--schema S] [--replace] [--password-stdin]`: copies a SQLite
 * source (the demo plant, an extract) into PostgreSQL in the source schema, so the PostgreSQL path
 * can be tried on known data.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { invalidInput } from '../../shared/errors.js'
import { loadIntoPostgres, parseSourceSpec, redactUrl, withPassword } from '../sources/index.js'
import type { CliIo } from './main.js'
import { readPasswordLine } from './password-stdin.js'

type Flags = Record<string, string | boolean | undefined>

export async function loadCommand(flags: Flags, io: CliIo): Promise<number> {
  const from = typeof flags.from === 'string' ? resolve(flags.from) : undefined
  if (!from) throw invalidInput('--from', 'is required: the SQLite source to copy, e.g. --from plant.sqlite')
  if (!existsSync(from)) throw invalidInput('--from', `${from} does not exist`)
  const to = typeof flags.to === 'string' ? flags.to.trim() : ''
  if (!/^postgres(ql)?:\/\//.test(to)) throw invalidInput('--to', 'is required: a postgres://user@host:port/database URL')
  // A password in the URL would sit in the process list for every local user to read.
  const target = parseSourceSpec(to, '--to', { refusePassword: true })
  if (target.kind !== 'postgres') throw invalidInput('--to', 'must be a postgres://user@host:port/database URL')
  // From standard input, kept in memory; else node-postgres takes PGPASSWORD or ~/.pgpass itself.
  const url = flags['password-stdin'] === true ? withPassword({ kind: 'postgres', url: to }, await readPasswordLine()).url : to
  const started = performance.now()
  const counts = await loadIntoPostgres({
    from,
    url,
    ...(typeof flags.schema === 'string' ? { schema: flags.schema } : {}),
    replace: flags.replace === true,
    onProgress: (m) => io.stderr(`${m}\n`),
  })
  const total = Object.values(counts).reduce((n, c) => n + c, 0)
  if (flags.json) io.stdout(`${JSON.stringify({ from, to: redactUrl(to), schema: flags.schema ?? null, tables: counts })}\n`)
  else io.stdout(`Loaded ${total} rows in ${Object.keys(counts).length} tables into ${redactUrl(to)} in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`)
  return 0
}
