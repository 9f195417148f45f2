/**
 * `mes-trace export JOB_ID --format csv|xlsx|sqlite --out PATH [--domain D | --detail | --suspects] [--force]`.
 * CSV: one file per table (a folder without a selection); XLSX: one workbook with a sheet per table;
 * SQLite: a copy of the whole result file.
 */
import { resolve } from 'node:path'
import { AppError, invalidInput, toErrorData } from '../../../shared/errors.js'
import { isDomain, DOMAINS } from '../../../shared/trace.js'
import { exportResult, type ExportedFile, type ExportTableName } from '../../results/index.js'
import { withJobStore } from '../cli-engine.js'
import type { Command } from '../command.js'
import { JOB_FLAGS, jobIdArg, SWITCH_FLAG, VALUE_FLAG } from '../flags.js'
import { printJson, printLine } from '../io.js'

/** `mes-trace export JOB_ID`. */
export const exportCommand: Command = {
  summary: "Write a finished job's result out",
  positional: 'JOB_ID',
  options: { format: VALUE_FLAG, out: VALUE_FLAG, domain: VALUE_FLAG, detail: SWITCH_FLAG, suspects: SWITCH_FLAG, force: SWITCH_FLAG, ...JOB_FLAGS },
  usage: [
    '--format csv|xlsx|sqlite',
    '                  csv: one UTF-8 <table>.csv per domain (and msd_detail, msd_suspects);',
    '                  xlsx: one workbook, a sheet per table; sqlite: a copy of the result file',
    '--out PATH        the folder (csv), the file (xlsx, sqlite, or csv of one table)',
    '--domain D        one domain only           --detail   the MSD detail rows only',
    '--suspects        the MSD suspect list only --force    replace existing files',
  ],
  async run({ flags, positionals }, io) {
    const jobId = jobIdArg(positionals)
    const format = flags.format === undefined ? undefined : String(flags.format).trim()
    if (format !== 'csv' && format !== 'xlsx' && format !== 'sqlite') {
      throw invalidInput(
        '--format',
        `is required: csv (one file per table), xlsx (one workbook) or sqlite (a copy of the result file)${format !== undefined ? `, got ${JSON.stringify(format.slice(0, 60))}` : ''}`,
      )
    }
    if (flags.out === undefined || String(flags.out).trim() === '') {
      throw invalidInput('--out', format === 'csv' ? 'is required: a folder (one <table>.csv each), or the file with --domain, --detail or --suspects' : 'is required: the file to write')
    }
    const out = resolve(String(flags.out))
    const selections = (['domain', 'detail', 'suspects'] as const).filter((f) => flags[f] !== undefined && flags[f] !== false)
    if (selections.length > 1) throw invalidInput(`--${selections[1]}`, `choose one of --domain, --detail and --suspects (also got --${selections[0]})`)
    let table: ExportTableName | undefined
    if (flags.domain !== undefined) {
      const name = String(flags.domain).trim()
      if (!isDomain(name)) throw invalidInput('--domain', `must be one of ${DOMAINS.join(', ')}, got ${JSON.stringify(name.slice(0, 60))}`)
      table = name
    } else if (flags.detail === true) table = 'detail'
    else if (flags.suspects === true) table = 'suspects'
    if (format === 'sqlite' && selections.length > 0) throw invalidInput(`--${selections[0]}`, 'applies to csv and xlsx only (the sqlite copy holds everything)')
    return withJobStore(flags, io, async ({ results, dataDir }) => {
      let files: ExportedFile[]
      try {
        files = await exportResult(results.reader(jobId), { format, path: out, ...(table ? { table } : {}), replace: flags.force === true, dataDir })
      } catch (error) {
        // The exporter names its own fields; on the command line they are flags.
        const data = toErrorData(error)
        const field = data.details?.field
        if (data.code === 'export/refused' && data.details?.exists === true) {
          throw new AppError(data.code, `${String(data.details.path)} already exists; pass --force to replace it or --out to write elsewhere`, data.details)
        }
        if (data.code !== 'input/invalid' || (field !== 'table' && field !== 'path')) throw error
        const flag = field === 'path' ? '--out' : `--${selections[0] ?? 'domain'}`
        const text = data.message.startsWith(`${field}: `) ? data.message.slice(field.length + 2) : data.message
        throw invalidInput(flag, text.replace('this result', `job ${jobId}`))
      }
      if (flags.json) {
        printJson(io, { job_id: jobId, format, files })
      } else if (format === 'sqlite') {
        printLine(io, `Wrote the result of ${jobId} to ${out} (${files[0]!.bytes} bytes). Open it elsewhere with \`mes-trace import\`.`)
      } else if (format === 'xlsx') {
        const sheets = files[0]!.sheets ?? []
        printLine(io, `${sheets.map((s) => `  ${s.name.padEnd(20)} ${String(s.rows).padStart(9)} rows`).join('\n')}\nWrote ${sheets.reduce((n, s) => n + s.rows, 0)} rows to ${out}`)
      } else {
        printLine(io, files.map((f) => `  ${(f.table ?? '').padEnd(20)} ${String(f.rows).padStart(9)} rows  ${f.path}`).join('\n'))
      }
      return 0
    })
  },
}
