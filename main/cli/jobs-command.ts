/**
 * The job commands of `mes-trace`: `jobs`, `show`, `cancel`, `pin`, `rm`, `rerun`, `export` and
 * `import`, on the catalog and result files of a data directory (the desktop app's by default).
 *
 * Only `rerun` runs anything; the others open the engine without starting it, so they never touch
 * the queue, the recovery at start-up or the sweeper of a desktop app sharing the data directory.
 * A job running in another process (the app, another `mes-trace run`) has its worker there, so it
 * can be neither cancelled nor removed from here: those commands say so instead.
 */
import { resolve } from 'node:path'
import { showControlCharacters } from '../../shared/control-characters.js'
import { AppError, invalidInput, toErrorData } from '../../shared/errors.js'
import type { JobView } from '../../shared/jobs.js'
import type { MsdAggregation } from '../../shared/msd.js'
import type { EngineSettings } from '../../shared/settings.js'
import { formatLocalDateTime } from '../../shared/time.js'
import type { NormalizedTraceRequest } from '../../shared/trace-request.js'
import { isDomain, DOMAINS, PROFILES, type Domain, type EventRow, type Profile, type QualityMeta } from '../../shared/trace.js'
import type { JobEngine } from '../engine/index.js'
import {
  JOB_STATUSES, MAX_JOB_PAGE, MAX_PAGE_LIMIT, assertJobId, type Catalog, type MsdTable, type JobRow, type JobStatus, type PageSort, type ResultFileReader,
} from '../store/index.js'
import { EVENT_DOMAINS } from '../trace/index.js'
import { dataDirOf, openCliEngine } from './cli-engine.js'
import { intFlag } from './demo-command.js'
import {
  IMPORT_SOURCE_PREFIX, exportResult, importResultFile, isImported, jobViewOf, rowsTotal, type ExportedFile, type ExportTableName,
} from '../results/index.js'
import type { CliIo } from './main.js'
import { formatAggregation } from './msd-format.js'
import { formatOutcome, progressPrinter, whenJobEnds, type RunJson } from './run-command.js'
import { rerunPasswordOf } from './password-stdin.js'

type Flags = Record<string, string | boolean | undefined>

/** Rows `show --domain` prints when `--limit` is not given. */
export const DEFAULT_SHOW_LIMIT = 50

/** Widest cell of a printed table (longer text is cut with "…"; `--json` has every character). */
const MAX_CELL_WIDTH = 48

/** Longest `--text` filter (the catalog's limit). */
const MAX_TEXT_FILTER = 200

/** `source_id` prefix of a job made by `mes-trace import`. */

// ---------------------------------------------------------------------------------------------
// Opening the data directory

interface Store {
  dataDir: string
  catalog: Catalog
  engine: JobEngine
  settings: EngineSettings
}


/**
 * Opens the catalog of the data directory and an engine on it (not started: nothing is queued,
 * recovered or swept), runs `fn`, and closes both whatever happens.
 */
async function withStore<T>(flags: Flags, io: CliIo, fn: (store: Store) => Promise<T> | T): Promise<T> {
  const store = openCliEngine(dataDirOf(flags), flags, (text) => io.stderr(text))
  try {
    return await fn(store)
  } finally {
    await store.engine.shutdown(2000)
    store.catalog.close()
  }
}

/** The one positional argument of a command; missing or extra ones are `input/invalid` naming it. */
function onePositional(positionals: readonly string[], name: string, example: string): string {
  if (positionals.length === 0) throw invalidInput(name, `is required, e.g. ${example}`)
  if (positionals.length > 1) throw invalidInput(name, `give one ${name} (also got ${JSON.stringify(positionals[1]!.slice(0, 60))})`)
  return positionals[0]!
}

/** The JOB_ID argument, checked for its form before anything is opened. */
function jobIdArg(positionals: readonly string[]): string {
  const jobId = onePositional(positionals, 'JOB_ID', 'trace-evt-0123456789ab (see `mes-trace jobs`)')
  assertJobId(jobId, 'JOB_ID')
  return jobId
}


// ---------------------------------------------------------------------------------------------
// Formatting

/** Columns a character takes in a terminal: 2 for East Asian wide/full-width ones (成型, ＡＢ). */
function charWidth(code: number): number {
  if (code < 0x1100) return 1
  if (
    (code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 2
  }
  return 1
}

/** Terminal width of a string. */
export function displayWidth(text: string): number {
  let width = 0
  for (const ch of text) width += charWidth(ch.codePointAt(0)!)
  return width
}

/**
 * A cell as one line of at most `max` columns. Control characters (an escape sequence in a value
 * from the MES or from an imported file would drive the terminal) are shown as `�`.
 */
export function cellText(value: unknown, max = MAX_CELL_WIDTH): string {
  if (value === null || value === undefined) return ''
  const text = showControlCharacters((typeof value === 'string' ? value : String(value)).replace(/\r\n|\r|\n/g, '↵').replace(/\t/g, ' '))
  if (displayWidth(text) <= max) return text
  let out = ''
  let width = 0
  for (const ch of text) {
    const w = charWidth(ch.codePointAt(0)!)
    if (width + w > max - 1) break
    out += ch
    width += w
  }
  return `${out}…`
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)))
  return align === 'right' ? fill + text : text + fill
}

/** An aligned text table: a header row, then one line per row; `right` columns are right-aligned. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], right: ReadonlySet<number> = new Set()): string {
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))))
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => pad(c, widths[i]!, right.has(i) ? 'right' : 'left'))
      .join('  ')
      .trimEnd()
  return [line(headers), ...rows.map(line)].join('\n')
}

function formatTime(ms: number | null, withSeconds = true): string {
  if (ms === null) return '-'
  const text = formatLocalDateTime(new Date(ms)).replace('T', ' ')
  return withSeconds ? text : text.slice(0, 16)
}

/** When a job expires, as a person reads it. */
function expiryText(row: JobRow, now: number, withSeconds = true): string {
  if (row.pinned) return 'pinned'
  if (row.completed_at === null) return '-'
  if (row.expires_at === null) return 'never'
  if (row.expires_at <= now) return 'expired'
  return formatTime(row.expires_at, withSeconds)
}


/** What `jobs --json` prints per job: the job view every surface shares. */
export type JobJson = JobView

/** A job row as `--json` prints it. */
export function jobJson(row: JobRow): JobJson {
  return jobViewOf(row)
}

/** The request's input in one line: `lot_id: A, B, … (12)` or the MSD date window. */
function inputText(request: NormalizedTraceRequest): string {
  const seed = request.seed
  if (seed.mode === 'date_range') return `${seed.station} tracked in ${seed.start_date} … ${seed.end_date}`
  const shown = seed.values.slice(0, 8).join(', ')
  return `${seed.resolve_type}: ${shown}${seed.values.length > 8 ? `, … (${seed.values.length})` : ''}`
}

// ---------------------------------------------------------------------------------------------
// jobs

function listFilter(flags: Flags): { status?: JobStatus[]; profile?: Profile; text?: string } {
  const filter: { status?: JobStatus[]; profile?: Profile; text?: string } = {}
  if (flags.status !== undefined) {
    const statuses = String(flags.status).split(',').map((s) => s.trim()).filter((s) => s !== '')
    if (statuses.length === 0) throw invalidInput('--status', `must be one or more of ${JOB_STATUSES.join(', ')}`)
    for (const s of statuses) {
      if (!(JOB_STATUSES as readonly string[]).includes(s)) {
        throw invalidInput('--status', `must be one or more of ${JOB_STATUSES.join(', ')} (comma-separated), got ${JSON.stringify(s.slice(0, 60))}`)
      }
    }
    filter.status = statuses as JobStatus[]
  }
  if (flags.profile !== undefined) {
    const profile = String(flags.profile).trim()
    if (!(PROFILES as readonly string[]).includes(profile)) {
      throw invalidInput('--profile', `must be one of ${PROFILES.join(', ')}, got ${JSON.stringify(profile.slice(0, 60))}`)
    }
    filter.profile = profile as Profile
  }
  if (flags.text !== undefined) {
    const text = String(flags.text)
    if (text.length > MAX_TEXT_FILTER) throw invalidInput('--text', `must be at most ${MAX_TEXT_FILTER} characters`)
    filter.text = text
  }
  return filter
}

/** `mes-trace jobs`: the jobs of the data directory, newest first, as a table or one JSON array. */
export async function jobsCommand(flags: Flags, io: CliIo): Promise<number> {
  const filter = listFilter(flags)
  return withStore(flags, io, ({ engine }) => {
    const rows: JobRow[] = []
    // The catalog hands out bounded pages; expiry keeps the whole list small.
    for (let offset = 0; ; offset += MAX_JOB_PAGE) {
      const page = engine.list({ ...filter, limit: MAX_JOB_PAGE, offset })
      rows.push(...page)
      if (page.length < MAX_JOB_PAGE) break
    }
    if (flags.json) {
      io.stdout(`${JSON.stringify(rows.map(jobJson))}\n`)
      return 0
    }
    if (rows.length === 0) {
      io.stdout(filter.status || filter.profile || filter.text ? 'No jobs match.\n' : 'No jobs yet. Run one with `mes-trace run`.\n')
      return 0
    }
    const now = Date.now()
    const headers = ['JOB ID', 'STATUS', 'PROFILE', 'SEEDS', 'CIDS', 'ROWS', 'QUALITY', 'CREATED', 'COMPLETED', 'EXPIRES', 'NOTE']
    const table = rows.map((row) => {
      const done = row.status === 'finished'
      const note = row.cached_from ? `cached from ${row.cached_from}` : (row.error_code ?? (isImported(row) ? 'imported' : ''))
      return [
        row.job_id, row.status, row.profile, done ? String(row.seed_count) : '-', done ? String(row.cid_count) : '-',
        done ? String(rowsTotal(row)) : '-', row.quality ?? '-', formatTime(row.created_at, false), formatTime(row.completed_at, false),
        expiryText(row, now, false), note,
      ]
    })
    io.stdout(`${formatTable(headers, table, new Set([3, 4, 5]))}\n${rows.length} job(s)\n`)
    return 0
  })
}

// ---------------------------------------------------------------------------------------------
// show

interface PageRequest {
  /** A domain, or an MSD output table (`--detail`, `--suspects`). */
  domain: Domain | MsdTable
  msd: boolean
  offset: number
  limit: number
  sort?: PageSort
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
  let domain: Domain | MsdTable
  if (tables[0] === 'domain') {
    const name = String(flags.domain).trim()
    if (!isDomain(name)) throw invalidInput('--domain', `must be one of ${DOMAINS.join(', ')}, got ${JSON.stringify(name.slice(0, 60))}`)
    domain = name
  } else {
    domain = tables[0]!
  }
  const request: PageRequest = {
    domain,
    msd: tables[0] !== 'domain',
    offset: intFlag(flags, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0,
    limit: intFlag(flags, 'limit', 1, MAX_PAGE_LIMIT) ?? DEFAULT_SHOW_LIMIT,
  }
  if (flags.sort !== undefined) {
    const [column = '', direction = 'asc', ...more] = String(flags.sort).split(':')
    if (column.trim() === '' || more.length > 0 || (direction !== 'asc' && direction !== 'desc')) {
      throw invalidInput('--sort', `must be COLUMN or COLUMN:asc or COLUMN:desc, got ${JSON.stringify(String(flags.sort).slice(0, 60))}`)
    }
    request.sort = { column: column.trim(), direction }
  }
  return request
}

/** What `show --json` says about a finished job's result file. */
export interface ResultSummaryJson {
  /** The job id written in the file (another job's id for an imported result). */
  file_job_id: string
  source: string
  app_version: string
  as_of: number
  seed_count: number
  input_count: number
  not_found: string[]
  lineage: { total_nodes: number; edges: number; truncated: boolean } | null
  domains: Partial<Record<Domain, { rows: number; quality: QualityMeta['status'] }>>
  quality_meta: QualityMeta | null
  warnings: string[]
  /** The MSD aggregation, null for other profiles. */
  aggregation: MsdAggregation | null
}

function resultSummary(reader: ResultFileReader): ResultSummaryJson {
  const manifest = reader.manifest()
  const seeds = reader.seeds()
  const lineage = reader.lineage()
  return {
    file_job_id: manifest.job_id,
    source: manifest.source,
    app_version: manifest.app_version,
    as_of: manifest.as_of,
    seed_count: seeds?.seed_count ?? 0,
    input_count: seeds?.input_count ?? 0,
    not_found: seeds?.not_found ?? [],
    lineage: lineage ? { total_nodes: lineage.total_nodes, edges: lineage.edges.length, truncated: lineage.truncated } : null,
    domains: Object.fromEntries(
      manifest.domains.map((d) => [d, { rows: manifest.row_counts[d] ?? 0, quality: manifest.domain_quality[d]?.status ?? 'complete' }]),
    ),
    quality_meta: manifest.quality,
    warnings: manifest.warnings,
    aggregation: (reader.aggregation() as MsdAggregation | null) ?? null,
  }
}

function formatJob(row: JobRow, result: ResultSummaryJson | null): string {
  const now = Date.now()
  const lines: string[] = []
  const add = (label: string, value: string): void => void lines.push(`${label.padEnd(14)}${value}`)
  add('Job', row.job_id)
  add('Status', `${row.status}${row.status === 'running' && row.stage ? ` (${row.stage})` : ''}`)
  add('Profile', `${row.profile} (${row.direction})`)
  add('Input', inputText(row.request))
  add('Domains', row.domains.join(', ') || 'none (lineage only)')
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
    if (result.aggregation) lines.push(formatAggregation(result.aggregation))
  }
  return lines.join('\n')
}

function formatPage(domain: Domain | MsdTable, page: { rows: EventRow[]; total: number; offset: number }, known: readonly string[]): string {
  const columns = page.rows.length > 0 ? Object.keys(page.rows[0]!) : known
  const right = new Set<number>()
  columns.forEach((c, i) => {
    if (page.rows.some((r) => typeof r[c] === 'number')) right.add(i)
  })
  const table = formatTable(columns, page.rows.map((r) => columns.map((c) => cellText(r[c]))), right)
  const end = page.offset + page.rows.length
  const footer =
    page.rows.length === 0
      ? `${domain}: no rows at offset ${page.offset} (${page.total} in all)`
      : `${domain}: rows ${page.offset + 1}–${end} of ${page.total}${end < page.total ? `; next page: --offset ${end}` : ''}`
  return `${table}\n${footer}`
}

/** Reads one page, speaking of `--sort` rather than the reader's field names in errors. */
function readPage(reader: ResultFileReader, request: PageRequest): { rows: EventRow[]; total: number; offset: number; limit: number } {
  try {
    const options = { offset: request.offset, limit: request.limit, ...(request.sort ? { sort: request.sort } : {}) }
    return request.msd ? reader.msdPage(request.domain as MsdTable, options) : reader.page(request.domain as Domain, options)
  } catch (error) {
    const data = toErrorData(error)
    const field = data.details?.field
    if (data.code === 'input/invalid' && typeof field === 'string' && field.startsWith('sort')) {
      throw invalidInput('--sort', data.message.startsWith(`${field}: `) ? data.message.slice(field.length + 2) : data.message)
    }
    throw error
  }
}

/** `mes-trace show JOB_ID`: one job's row and result summary, or with `--domain` one page of its rows. */
export async function showCommand(positionals: readonly string[], flags: Flags, io: CliIo): Promise<number> {
  const jobId = jobIdArg(positionals)
  const page = pageRequest(flags)
  return withStore(flags, io, ({ engine }) => {
    const row = engine.status(jobId)
    if (page) {
      const reader = engine.reader(jobId)
      try {
        const stored = reader.manifest().domains
        const known = page.msd ? reader.msdColumns(page.domain as MsdTable) : stored.includes(page.domain as Domain) ? EVENT_DOMAINS[page.domain as Domain].columns : null
        if (!known && page.msd) throw invalidInput(`--${page.domain}`, `job ${jobId} has no MSD ${page.domain} table (only MSD ${page.domain === 'suspects' ? 'backward ' : ''}traces do)`)
        if (!known) {
          throw invalidInput('--domain', `job ${jobId} has no ${page.domain} rows; its domains: ${stored.join(', ') || 'none (lineage only)'}`)
        }
        const result = readPage(reader, page)
        if (flags.json) {
          io.stdout(`${JSON.stringify({ total: result.total, offset: result.offset, limit: result.limit, rows: result.rows })}\n`)
        } else {
          io.stdout(`${formatPage(page.domain, result, known)}\n`)
        }
      } finally {
        reader.close()
      }
      return 0
    }
    let summary: ResultSummaryJson | null = null
    if (row.status === 'finished') {
      const reader = engine.reader(jobId)
      try {
        summary = resultSummary(reader)
      } finally {
        reader.close()
      }
    }
    if (flags.json) io.stdout(`${JSON.stringify({ job: { ...jobJson(row), request: row.request }, result: summary })}\n`)
    else io.stdout(`${formatJob(row, summary)}\n`)
    return 0
  })
}

// ---------------------------------------------------------------------------------------------
// cancel, pin, rm

/** A job running in another process: its worker is not ours to stop. */
function runningElsewhere(jobId: string, what: string): AppError {
  return new AppError(
    'job/not-finished',
    `Job ${jobId} is running in another MES Trace process (the desktop app or a \`mes-trace run\`), which owns its worker; ${what} there. ` +
      'If that process is gone, the job is marked interrupted the next time the app or `mes-trace run` starts.',
    { jobId, status: 'running' },
  )
}

/** `mes-trace cancel JOB_ID`: cancels a queued job; a job that already ended is left as it is. */
export async function cancelCommand(positionals: readonly string[], flags: Flags, io: CliIo): Promise<number> {
  const jobId = jobIdArg(positionals)
  return withStore(flags, io, ({ engine }) => {
    const before = engine.status(jobId)
    if (before.status === 'running') throw runningElsewhere(jobId, 'cancel it')
    const wasQueued = before.status === 'queued'
    const row = wasQueued ? engine.cancel(jobId) : before
    const message = wasQueued ? `Cancelled job ${jobId} (it was still queued).` : `Job ${jobId} already ended (${row.status}); nothing to cancel.`
    if (flags.json) io.stdout(`${JSON.stringify({ job_id: jobId, cancelled: wasQueued, status: row.status, message })}\n`)
    else io.stdout(`${message}\n`)
    return 0
  })
}

/** `mes-trace pin JOB_ID [--off]`: a pinned job never expires; unpinning restores its expiry. */
export async function pinCommand(positionals: readonly string[], flags: Flags, io: CliIo): Promise<number> {
  const jobId = jobIdArg(positionals)
  const pinned = flags.off !== true
  return withStore(flags, io, ({ engine }) => {
    const row = engine.pin(jobId, pinned)
    if (flags.json) {
      io.stdout(`${JSON.stringify(jobJson(row))}\n`)
      return 0
    }
    const expiry = expiryText(row, Date.now())
    const when =
      expiry === 'pinned' ? 'it never expires'
      : expiry === 'never' ? 'it is kept until deleted (TRACE_JOB_TTL_SECONDS was 0)'
      : expiry === 'expired' ? 'it has expired already; the next sweep deletes it'
      : expiry === '-' ? 'it expires TRACE_JOB_TTL_SECONDS after it ends'
      : `it expires ${expiry}`
    io.stdout(`${pinned ? 'Pinned' : 'Unpinned'} job ${jobId}: ${when}.\n`)
    return 0
  })
}

/** `mes-trace rm JOB_ID`: deletes a job's row and its result file. */
export async function rmCommand(positionals: readonly string[], flags: Flags, io: CliIo): Promise<number> {
  const jobId = jobIdArg(positionals)
  return withStore(flags, io, ({ engine }) => {
    const row = engine.status(jobId)
    if (row.status === 'running') throw runningElsewhere(jobId, 'cancel it')
    engine.remove(jobId)
    const file = row.result_path && row.status === 'finished' ? row.result_path : null
    if (flags.json) io.stdout(`${JSON.stringify({ job_id: jobId, removed: true, result_file: file })}\n`)
    else io.stdout(`Removed job ${jobId}${file ? ` and its result file ${file}` : ''}.\n`)
    return 0
  })
}

// ---------------------------------------------------------------------------------------------
// rerun

/**
 * `mes-trace rerun JOB_ID`: the same request, from the same source, as a new job (never answered
 * from cache), waited for and reported like `run`. The engine is not started: re-running needs no
 * recovery or sweep, and starting it would mark jobs running in a desktop app as interrupted.
 */
export async function rerunCommand(positionals: readonly string[], flags: Flags, io: CliIo): Promise<number> {
  const jobId = jobIdArg(positionals)
  return withStore(flags, io, async ({ engine }) => {
    const old = engine.status(jobId)
    if (isImported(old)) {
      throw invalidInput('JOB_ID', `job ${jobId} was imported from a result file (${old.source_id.slice(IMPORT_SOURCE_PREFIX.length)}); it has no source to run again`)
    }
    const started = performance.now()
    const json: RunJson = {
      job_id: null, status: 'failed', cached: false, as_of: null, profile: old.profile, source: old.source_description ?? old.source_id,
      seed_count: 0, cid_count: 0, not_found: [], lineage: null, domains: {}, quality_meta: null, elapsed_ms: 0, result_file: null,
      aggregation: null, error: null,
    }
    let newId: string | undefined
    let reader: ResultFileReader | undefined
    const onSignal = (): void => {
      if (newId) engine.cancel(newId)
    }
    process.once('SIGINT', onSignal)
    try {
      const progress = progressPrinter(!flags.json && process.stderr.isTTY === true)
      const stopProgress = engine.onDidProgress((event) => {
        if (event.jobId === newId) progress.update(event.progress)
      })
      // A server's password comes from this command's environment (PGPASSWORD…), else ~/.pgpass.
      newId = engine.rerun(jobId, rerunPasswordOf(old.source_id)).jobId
      json.job_id = newId
      if (!flags.json) io.stderr(`Running ${jobId} again as ${newId}\n`)
      await whenJobEnds(engine, newId)
      stopProgress()
      progress.done()
      const row = engine.status(newId)
      if (row.status !== 'finished') throw new AppError(row.error_code ?? 'trace/cancelled', row.error_message ?? `The job was ${row.status}.`)
      reader = engine.reader(newId)
      const manifest = reader.manifest()
      const seeds = reader.seeds() ?? { seeds: [], seed_count: 0, not_found: [], expansion_info: {}, input_count: 0 }
      const lineage = reader.lineage()
      for (const warning of manifest.warnings) io.stderr(`warning: ${warning}\n`)
      Object.assign(json, {
        status: 'finished',
        as_of: manifest.as_of,
        seed_count: seeds.seed_count,
        cid_count: row.cid_count,
        not_found: seeds.not_found,
        lineage: lineage ? { total_nodes: lineage.total_nodes, edges: lineage.edges.length, truncated: lineage.truncated } : null,
        domains: Object.fromEntries(
          row.request.domains.map((d) => [d, { rows: manifest.row_counts[d] ?? 0, quality: manifest.domain_quality[d]?.status ?? 'complete' }]),
        ),
        quality_meta: manifest.quality,
        result_file: reader.path,
        aggregation: (reader.aggregation() as MsdAggregation | null) ?? null,
      })
      if (!flags.json) {
        io.stdout(
          `${formatOutcome({
            request: row.request, jobId: newId, cached: false, asOf: null, seeds, lineage, cidCount: row.cid_count, rows: manifest.row_counts,
            domainQuality: manifest.domain_quality, quality: manifest.quality, resultFile: reader.path, elapsedMs: performance.now() - started,
          })}\n`,
        )
        if (json.aggregation) io.stdout(`${formatAggregation(json.aggregation)}\n`)
      }
    } catch (error) {
      const data = toErrorData(error)
      json.status = data.code === 'trace/cancelled' ? 'cancelled' : 'failed'
      json.error = data
      if (!flags.json) io.stderr(`error [${data.code}] ${data.message}\n`)
    } finally {
      process.off('SIGINT', onSignal)
      reader?.close()
    }
    json.elapsed_ms = Math.round(performance.now() - started)
    if (flags.json) io.stdout(`${JSON.stringify({ ...json, rerun_of: jobId })}\n`)
    return json.status === 'finished' ? 0 : json.error?.code === 'input/invalid' ? 2 : 1
  })
}

// ---------------------------------------------------------------------------------------------
// export

/**
 * `mes-trace export JOB_ID --format csv|xlsx|sqlite --out PATH [--domain D | --detail | --suspects] [--force]`.
 * CSV: one file per table (a folder without a selection); XLSX: one workbook with a sheet per table;
 * SQLite: a copy of the whole result file.
 */
export async function exportCommand(positionals: readonly string[], flags: Flags, io: CliIo): Promise<number> {
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
  return withStore(flags, io, async ({ engine, dataDir }) => {
    const reader = engine.reader(jobId)
    let files: ExportedFile[]
    try {
      files = await exportResult(reader, { format, path: out, ...(table ? { table } : {}), replace: flags.force === true, dataDir })
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
    } finally {
      reader.close()
    }
    if (flags.json) {
      io.stdout(`${JSON.stringify({ job_id: jobId, format, files })}\n`)
    } else if (format === 'sqlite') {
      io.stdout(`Wrote the result of ${jobId} to ${out} (${files[0]!.bytes} bytes). Open it elsewhere with \`mes-trace import\`.\n`)
    } else if (format === 'xlsx') {
      const sheets = files[0]!.sheets ?? []
      io.stdout(`${sheets.map((s) => `  ${s.name.padEnd(20)} ${String(s.rows).padStart(9)} rows`).join('\n')}\nWrote ${sheets.reduce((n, s) => n + s.rows, 0)} rows to ${out}\n`)
    } else {
      io.stdout(`${files.map((f) => `  ${(f.table ?? '').padEnd(20)} ${String(f.rows).padStart(9)} rows  ${f.path}`).join('\n')}\n`)
    }
    return 0
  })
}

// ---------------------------------------------------------------------------------------------
// import

/**
 * `mes-trace import FILE`: registers a finished result file exported elsewhere as a finished job
 * of this data directory (see `importResultFile`: copied, checked in a worker process, then
 * given a pinned catalog row). A file that is not exactly what the app writes is `import/invalid`.
 */
export async function importCommand(positionals: readonly string[], flags: Flags, io: CliIo): Promise<number> {
  const file = resolve(onePositional(positionals, 'FILE', 'mes-trace import exported-result.mtr'))
  return withStore(flags, io, async ({ dataDir, catalog, settings, engine }) => {
    // The file is checked in a worker process under a time limit, never read here.
    const { row, fileJobId, asOf } = await importResultFile(file, {
      catalog,
      dataDir,
      settings,
      inspect: (path, jobId, name) => engine.inspectResultFile(path, jobId, { name }),
    })
    if (flags.json) {
      io.stdout(`${JSON.stringify({ ...jobJson(row), imported_from: file, file_job_id: fileJobId })}\n`)
    } else {
      io.stdout(
        `Imported ${file} as job ${row.job_id} (${row.profile}, ${rowsTotal(row)} rows in ${row.domains.length} domain(s), as of ${formatTime(asOf)}).\n` +
          `It is pinned; \`mes-trace pin ${row.job_id} --off\` lets it expire like any other result.\n`,
      )
    }
    return 0
  })
}
