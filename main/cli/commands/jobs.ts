/** `mes-trace jobs`: the jobs of a data folder, newest first, as a table or one JSON array. */
import { invalidInput } from '../../../shared/errors.js'
import { PROFILES, type Profile } from '../../../shared/trace.js'
import { isImported, jobViewOf, rowsTotal } from '../../engine/index.js'
import { JOB_STATUSES, MAX_JOB_PAGE, type JobRow, type JobStatus } from '../../store/index.js'
import { withJobStore } from '../cli-engine.js'
import type { Command } from '../command.js'
import { JOB_FLAGS, VALUE_FLAG, type Flags } from '../flags.js'
import { printJson, printLine } from '../io.js'
import { expiryText, formatTable, formatTime, statusText } from '../job-format.js'

/** Longest `--text` filter (the catalog's limit). */
const MAX_TEXT_FILTER = 200

interface ListFilter {
  status?: JobStatus[]
  profile?: Profile
  text?: string
}

function listFilter(flags: Flags): ListFilter {
  const filter: ListFilter = {}
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

function jobLine(row: JobRow, now: number): string[] {
  const done = row.status === 'finished'
  const note = row.cached_from ? `cached from ${row.cached_from}` : (row.error_code ?? (isImported(row) ? 'imported' : ''))
  return [
    row.job_id, statusText(row), row.profile, done ? String(row.seed_count) : '-', done ? String(row.cid_count) : '-',
    done ? String(rowsTotal(row)) : '-', row.quality ?? '-', formatTime(row.created_at, false), formatTime(row.completed_at, false),
    expiryText(row, now, false), note,
  ]
}

/** `mes-trace jobs`. */
export const jobsCommand: Command = {
  summary: 'List the jobs, newest first',
  options: { status: VALUE_FLAG, profile: VALUE_FLAG, text: VALUE_FLAG, ...JOB_FLAGS },
  usage: [
    '--status S[,S…]   queued, running, finished, failed, cancelled, interrupted',
    '--profile P       --text T (a job id, lot id, station, source… contains T)',
    '--json            print one JSON array',
  ],
  async run({ flags }, io) {
    const filter = listFilter(flags)
    return withJobStore(flags, io, ({ engine }) => {
      const rows: JobRow[] = []
      // The catalog hands out bounded pages; expiry keeps the whole list small.
      for (let offset = 0; ; offset += MAX_JOB_PAGE) {
        const page = engine.list({ ...filter, limit: MAX_JOB_PAGE, offset })
        rows.push(...page)
        if (page.length < MAX_JOB_PAGE) break
      }
      if (flags.json) {
        printJson(io, rows.map(jobViewOf))
        return 0
      }
      if (rows.length === 0) {
        printLine(io, filter.status || filter.profile || filter.text ? 'No jobs match.' : 'No jobs yet. Run one with `mes-trace run`.')
        return 0
      }
      const now = Date.now()
      const headers = ['JOB ID', 'STATUS', 'PROFILE', 'SEEDS', 'CIDS', 'ROWS', 'QUALITY', 'CREATED', 'COMPLETED', 'EXPIRES', 'NOTE']
      printLine(io, `${formatTable(headers, rows.map((row) => jobLine(row, now)), new Set([3, 4, 5]))}\n${rows.length} job(s)`)
      return 0
    })
  },
}
