/**
 * `mes-trace show JOB_ID`: one job — its status, times, expiry, log and, once finished, what its
 * result holds — or with `--domain`, `--detail` or `--suspects` one page of a result table.
 */
import { outcomeText } from '../../../shared/data-window.js'
import { showControlCharacters } from '../../../shared/control-characters.js'
import { invalidInput, toErrorData } from '../../../shared/errors.js'
import { MAX_PAGE_LIMIT, type PageQuery, type RowsPage } from '../../../shared/page-query.js'
import { isDomain, DOMAINS, type Domain } from '../../../shared/trace.js'
import { isImported, jobViewOf } from '../../engine/index.js'
import type { ResultService } from '../../results/index.js'
import type { JobRow, MsdTable, StoredLogEntry } from '../../store/index.js'
import { withJobStore } from '../cli-engine.js'
import type { Command } from '../command.js'
import { intFlag, JOB_FLAGS, jobIdArg, SWITCH_FLAG, VALUE_FLAG, type Flags } from '../flags.js'
import { printJson, printLine } from '../io.js'
import { cellText, expiryText, formatTable, formatTime, inputText, statusText } from '../job-format.js'
import { formatAggregation } from '../msd-format.js'
import { PUSHDOWN_LINE } from '../run-report.js'
import { readFinishedResult, resultSummaryJson, type ResultSummaryJson } from '../result-summary.js'
import { formatStageTimes } from '../stage-format.js'

/** Rows `show --domain` prints when `--limit` is not given. */
export const DEFAULT_SHOW_LIMIT = 50

/** Width of the labels of `show`'s text. */
const LABEL_WIDTH = 14

interface PageRequest {
  /** A domain, or an MSD output table (`--detail`, `--suspects`). */
  table: Domain | MsdTable
  msd: boolean
  query: PageQuery & { offset: number; limit: number }
}

function pageRequest(flags: Flags): PageRequest | undefined {
  const tables = (['domain', 'detail', 'suspects'] as const).filter((f) => flags[f] !== undefined && flags[f] !== false)
  if (tables.length === 0) {
    for (const flag of ['offset', 'limit', 'sort']) {
      if (flags[flag] !== undefined) throw invalidInput(`--${flag}`, 'pages a table: give --domain, --detail or --suspects too')
    }
    return undefined
  }
  if (tables.length > 1) throw invalidInput(`--${tables[1]}`, `page one table at a time (also got --${tables[0]})`)
  let table: Domain | MsdTable
  if (tables[0] === 'domain') {
    const name = String(flags.domain).trim()
    if (!isDomain(name)) throw invalidInput('--domain', `must be one of ${DOMAINS.join(', ')}, got ${JSON.stringify(name.slice(0, 60))}`)
    table = name
  } else {
    table = tables[0]!
  }
  const request: PageRequest = {
    table,
    msd: tables[0] !== 'domain',
    query: {
      offset: intFlag(flags, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0,
      limit: intFlag(flags, 'limit', 1, MAX_PAGE_LIMIT) ?? DEFAULT_SHOW_LIMIT,
    },
  }
  if (flags.sort !== undefined) {
    const [column = '', direction = 'asc', ...more] = String(flags.sort).split(':')
    if (column.trim() === '' || more.length > 0 || (direction !== 'asc' && direction !== 'desc')) {
      throw invalidInput('--sort', `must be COLUMN or COLUMN:asc or COLUMN:desc, got ${JSON.stringify(String(flags.sort).slice(0, 60))}`)
    }
    request.query.sort = { column: column.trim(), direction }
  }
  return request
}

/** Reads one page, speaking of `--sort` rather than the reader's field names in errors. */
function readPage(results: ResultService, jobId: string, request: PageRequest): RowsPage {
  try {
    return request.msd ? results.detail(jobId, request.table as MsdTable, request.query) : results.page(jobId, request.table as Domain, request.query)
  } catch (error) {
    const data = toErrorData(error)
    const field = data.details?.field
    if (data.code === 'input/invalid' && typeof field === 'string' && field.startsWith('sort')) {
      throw invalidInput('--sort', data.message.startsWith(`${field}: `) ? data.message.slice(field.length + 2) : data.message)
    }
    throw error
  }
}

/** The columns of a stored table; `input/invalid` naming the flag for one the result does not hold. */
function columnsOf(results: ResultService, jobId: string, request: PageRequest): readonly string[] {
  const summary = results.summary(jobId)
  if (request.msd) {
    const table = request.table as MsdTable
    const stored = summary.msd_tables[table]
    if (!stored) throw invalidInput(`--${table}`, `job ${jobId} has no MSD ${table} table (only MSD ${table === 'suspects' ? 'backward ' : ''}traces do)`)
    return stored.columns
  }
  const domain = request.table as Domain
  if (!summary.domains.includes(domain)) {
    throw invalidInput('--domain', `job ${jobId} has no ${domain} rows; its domains: ${summary.domains.join(', ') || 'none (lineage only)'}`)
  }
  return summary.columns[domain] ?? []
}

function formatPage(table: Domain | MsdTable, page: RowsPage, known: readonly string[]): string {
  const columns = page.rows.length > 0 ? Object.keys(page.rows[0]!) : known
  const right = new Set<number>()
  columns.forEach((c, i) => {
    if (page.rows.some((r) => typeof r[c] === 'number')) right.add(i)
  })
  const text = formatTable(columns, page.rows.map((r) => columns.map((c) => cellText(r[c]))), right)
  const end = page.offset + page.rows.length
  const footer =
    page.rows.length === 0
      ? `${table}: no rows at offset ${page.offset} (${page.total} in all)`
      : `${table}: rows ${page.offset + 1}–${end} of ${page.total}${end < page.total ? `; next page: --offset ${end}` : ''}`
  return `${text}\n${footer}`
}

/**
 * The job's log: one line per entry (a message of several lines keeps them, indented), and with
 * `verbose` the detail an error carries (its stack and causes) under it. Text from the worker may
 * hold what a MES value held, so control characters are shown, never sent to the terminal.
 */
function formatLog(log: readonly StoredLogEntry[], verbose: boolean): string[] {
  const linesOf = (text: string): string[] => text.replace(/\t/g, ' ').split(/\r\n|\r|\n/).map(showControlCharacters)
  const lines = ['Log']
  for (const entry of log) {
    const head = `  ${formatTime(entry.at)}  ${entry.level.padEnd(5)}  `
    const indent = ' '.repeat(head.length)
    const [first = '', ...more] = linesOf(entry.message)
    lines.push(`${head}${first}`, ...more.map((m) => `${indent}${m}`))
    if (verbose && entry.detail) lines.push(...linesOf(entry.detail).map((d) => `${indent}${d}`))
  }
  if (!verbose && log.some((e) => e.detail)) lines.push(`${' '.repeat(2)}(--verbose shows the stack of each error)`)
  return lines
}

function formatJob(row: JobRow, result: ResultSummaryJson | null, verbose: boolean): string {
  const now = Date.now()
  const lines: string[] = []
  const add = (label: string, value: string): void => void lines.push(`${label.padEnd(LABEL_WIDTH)}${value}`)
  add('Job', row.job_id)
  const stage = row.status === 'running' && row.cancel_requested !== true && row.stage ? ` (${row.stage})` : ''
  add('Status', `${statusText(row)}${stage}`)
  add('Profile', `${row.profile} (${row.direction})`)
  add('Input', inputText(row.request))
  // A pushed-down MSD job fetched no events and still analysed: say so, not "lineage only".
  add('Domains', row.domains.join(', ') || (row.request.pushdown ? 'none fetched' : 'none (lineage only)'))
  if (row.request.pushdown) add('Pushdown', PUSHDOWN_LINE)
  add('Source', row.source_description ?? row.source_id)
  add('Created', formatTime(row.created_at))
  if (row.started_at !== null) add('Started', formatTime(row.started_at))
  if (row.completed_at !== null) {
    const took = row.started_at !== null ? ` (${((row.completed_at - row.started_at) / 1000).toFixed(2)} s)` : ''
    add('Completed', `${formatTime(row.completed_at)}${took}`)
  }
  const expiry = expiryText(row, now)
  add('Expires', expiry === 'pinned' ? 'never (pinned)' : expiry === 'never' ? 'never (kept until deleted)' : expiry === 'expired' ? `expired ${formatTime(row.expires_at)}; the next sweep deletes it` : expiry === '-' ? 'after it ends' : expiry)
  if (row.cached_from) add('Cached from', row.cached_from)
  if (row.error_code) add('Error', `[${row.error_code}] ${row.error_message ?? ''}`)
  if (row.status === 'interrupted' || row.status === 'failed' || row.status === 'cancelled') {
    if (!isImported(row)) add('Run again', `mes-trace rerun ${row.job_id}`)
  }
  if (result) {
    add('Result file', row.result_path ?? '-')
    add('As of', `${formatTime(result.as_of)} (MES Trace ${result.app_version})${isImported(row) ? `, imported from job ${result.file_job_id}` : ''}`)
    add('Seeds', `${result.seed_count} container(s)${result.input_count ? ` from ${result.input_count} input value(s)` : ''}`)
    // An empty answer says why, right under the count that is zero.
    if (result.outcome.status === 'warning') add('Warning', `nothing to trace: ${outcomeText(result.outcome)}`)
    if (result.not_found.length > 0) {
      add('Not found', `${result.not_found.length}: ${result.not_found.slice(0, 10).join(', ')}${result.not_found.length > 10 ? ', …' : ''}`)
    }
    if (result.lineage) {
      add('Lineage', `${result.lineage.total_nodes} nodes, ${result.lineage.edges} edges${result.lineage.truncated ? ' (TRUNCATED)' : ''}`)
    }
    add('Event CIDs', String(row.cid_count))
    for (const [domain, d] of Object.entries(result.domains)) {
      lines.push(`  ${domain.padEnd(20)} ${String(d.rows).padStart(9)} rows  ${d.quality}`)
    }
    if (result.quality_meta) {
      add('Quality', `${result.quality_meta.status}${result.quality_meta.reasons.length ? ` (${result.quality_meta.reasons.join(', ')})` : ''}`)
    }
    for (const warning of result.warnings) add('Warning', warning)
    if (result.stage_ms) lines.push(formatStageTimes(result.stage_ms))
    if (result.aggregation) lines.push(formatAggregation(result.aggregation))
  }
  if (row.log.length > 0) lines.push('', ...formatLog(row.log, verbose))
  return lines.join('\n')
}

/** `mes-trace show JOB_ID`. */
export const showCommand: Command = {
  summary: 'One job: its status, times, expiry, log and, once finished, what its result holds',
  positional: 'JOB_ID',
  options: { domain: VALUE_FLAG, detail: SWITCH_FLAG, suspects: SWITCH_FLAG, offset: VALUE_FLAG, limit: VALUE_FLAG, sort: VALUE_FLAG, verbose: SWITCH_FLAG, ...JOB_FLAGS },
  usage: [
    '--domain D        print one page of that domain\'s rows instead',
    '--detail, --suspects   one page of the MSD detail rows or suspect list',
    `--offset N        rows to skip (default 0)   --limit N   rows (default ${DEFAULT_SHOW_LIMIT}, at most ${MAX_PAGE_LIMIT})`,
    '--sort COL[:desc] order of the page (default: the order rows were found in)',
    '--verbose         the log with the stack of each error',
    '--json            {job, result} (the job\'s log with every detail), or with --domain',
    '                  {total, offset, limit, rows}',
  ],
  async run({ flags, positionals }, io) {
    const jobId = jobIdArg(positionals)
    const page = pageRequest(flags)
    return withJobStore(flags, io, ({ engine, results }) => {
      const row = engine.status(jobId)
      if (page) {
        const known = columnsOf(results, jobId, page)
        const rows = readPage(results, jobId, page)
        if (flags.json) printJson(io, { total: rows.total, offset: rows.offset, limit: rows.limit, rows: rows.rows })
        else printLine(io, formatPage(page.table, rows, known))
        return 0
      }
      const summary = row.status === 'finished' ? resultSummaryJson(readFinishedResult(results, jobId)) : null
      // The JSON has the log whole, detail included: a program (or a bug report) wants the stack.
      if (flags.json) printJson(io, { job: { ...jobViewOf(row), request: row.request, log: row.log }, result: summary })
      else printLine(io, formatJob(row, summary, flags.verbose === true))
      return 0
    })
  },
}
