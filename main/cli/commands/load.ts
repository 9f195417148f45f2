/**
 * `mes-trace load --from plant.sqlite --to postgres://… [--schema S] [--replace] [--password-stdin]`: copies a SQLite
 * source (the demo plant, an extract) into PostgreSQL in the source schema, so the PostgreSQL path
 * can be tried on known data.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { invalidInput } from '../../../shared/errors.js'
import { loadIntoPostgres, parseSourceSpec, redactUrl, withPassword } from '../../sources/index.js'
import type { Command } from '../command.js'
import { SWITCH_FLAG, VALUE_FLAG } from '../flags.js'
import { printJson, printLine } from '../io.js'
import { readPasswordLine } from '../password-stdin.js'

/** `mes-trace load`. */
export const loadCommand: Command = {
  summary: 'Copy a SQLite source into PostgreSQL in the source schema (to try the PostgreSQL path)',
  options: { from: VALUE_FLAG, to: VALUE_FLAG, schema: VALUE_FLAG, replace: SWITCH_FLAG, json: SWITCH_FLAG, 'password-stdin': SWITCH_FLAG },
  usage: [
    '--from plant.sqlite --to postgres://USER@HOST:PORT/DB [--schema S] [--replace]',
    '--password-stdin  read the password from standard input (else PGPASSWORD or ~/.pgpass;',
    '                  never in the URL)',
  ],
  async run({ flags }, io) {
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
    if (flags.json) printJson(io, { from, to: redactUrl(to), schema: flags.schema ?? null, tables: counts })
    else printLine(io, `Loaded ${total} rows in ${Object.keys(counts).length} tables into ${redactUrl(to)} in ${((performance.now() - started) / 1000).toFixed(1)} s.`)
    return 0
  },
}
