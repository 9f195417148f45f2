/**
 * The catalog (`<dataDir>/catalog.sqlite`): one row per job and the settings table. Only main
 * processes write it. Every method is synchronous and every write is one transaction, so a row is
 * either written whole or not at all, whatever throws half way.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type Database from 'better-sqlite3'
import { AppError, invalidInput } from '../../shared/errors.js'
import { PROFILES, QUALITY_ORDER } from '../../shared/trace.js'
import { escapeLike } from '../sources/index.js'
import { errorCodeOf, openConnection, StatementCache, toStorageError, type SqliteDatabase } from './connection.js'
import {
  JOB_STATUSES,
  TERMINAL_JOB_STATUSES,
  type CompleteJob,
  type JobPatch,
  type JobRow,
  type JobStatus,
  type JsonValue,
  type ListJobsQuery,
  type NewJob,
  type StoredLogEntry,
} from './job-row.js'
import { migrate, type MigrationReport } from './migrate.js'
import { CATALOG_MIGRATIONS } from './migrations/index.js'
import { assertJobId, isJobId } from './paths.js'

/** `PRAGMA application_id` of a catalog ('MTRC'); set by migration 0010. */
export const CATALOG_APPLICATION_ID = 0x4d545243

/** Most jobs one `listJobs` / `expiredJobs` call returns: a bounded page on the main thread. */
export const MAX_JOB_PAGE = 1000

/** Longest text filter of `listJobs`. */
const MAX_TEXT_FILTER = 200

/** Longest settings key. */
const MAX_SETTING_KEY = 200

/** Message of a job found running at start-up. */
const INTERRUPTED_MESSAGE = 'MES Trace stopped while this trace was running. Run it again to get a result.'

/** Options of {@link openCatalog}. */
export interface CatalogOptions {
  /**
   * Clock for defaults: `created_at` of a new job, `completed_at` of `completeJob` and
   * `markStaleOnStart`, `updated_at` of settings, "now" of the expiry queries.
   * @default Date.now
   */
  now?: () => number
}

/** How each column is stored. */
type ColumnKind = 'text' | 'integer' | 'boolean' | 'json'

/** Stored columns (`cancel_requested` is the engine's, in memory). */
type JobColumn = Exclude<keyof JobRow, 'cancel_requested'>

const JOB_COLUMNS: Readonly<Record<JobColumn, ColumnKind>> = {
  job_id: 'text',
  profile: 'text',
  direction: 'text',
  cid_count: 'integer',
  seed_count: 'integer',
  domains: 'json',
  status: 'text',
  stage: 'text',
  completed_stages: 'json',
  progress: 'json',
  created_at: 'integer',
  started_at: 'integer',
  completed_at: 'integer',
  ttl_ms: 'integer',
  expires_at: 'integer',
  pinned: 'boolean',
  error_code: 'text',
  error_message: 'text',
  request: 'json',
  dedup_key: 'text',
  source_id: 'text',
  source_description: 'text',
  result_path: 'text',
  row_counts: 'json',
  quality: 'text',
  cached_from: 'text',
  priority: 'integer',
  log: 'json',
  runner_pid: 'integer',
}

/** Text columns with a closed set of values, checked here for a precise message (SQL checks again). */
const ENUM_COLUMNS: Partial<Record<keyof JobRow, readonly string[]>> = {
  status: JOB_STATUSES,
  profile: PROFILES,
  direction: ['backward', 'forward'],
  quality: QUALITY_ORDER,
}

type SqlValue = string | number | null

/** What a raw `SELECT * FROM jobs` row looks like. */
interface RawJobRow {
  job_id: string
  profile: JobRow['profile']
  direction: JobRow['direction']
  cid_count: number
  seed_count: number
  domains: string
  status: JobStatus
  stage: JobRow['stage']
  completed_stages: string
  progress: string | null
  created_at: number
  started_at: number | null
  completed_at: number | null
  ttl_ms: number | null
  expires_at: number | null
  pinned: number
  error_code: JobRow['error_code']
  error_message: string | null
  request: string
  dedup_key: string | null
  source_id: string
  source_description: string | null
  result_path: string | null
  row_counts: string
  quality: JobRow['quality']
  cached_from: string | null
  priority: number
  log: string
  runner_pid: number | null
}

function decodeJob(raw: RawJobRow): JobRow {
  return {
    job_id: raw.job_id,
    profile: raw.profile,
    direction: raw.direction,
    cid_count: raw.cid_count,
    seed_count: raw.seed_count,
    domains: JSON.parse(raw.domains) as JobRow['domains'],
    status: raw.status,
    stage: raw.stage,
    completed_stages: JSON.parse(raw.completed_stages) as JobRow['completed_stages'],
    progress: raw.progress === null ? null : (JSON.parse(raw.progress) as JobRow['progress']),
    created_at: raw.created_at,
    started_at: raw.started_at,
    completed_at: raw.completed_at,
    ttl_ms: raw.ttl_ms,
    expires_at: raw.expires_at,
    pinned: raw.pinned === 1,
    error_code: raw.error_code,
    error_message: raw.error_message,
    request: JSON.parse(raw.request) as JobRow['request'],
    dedup_key: raw.dedup_key,
    source_id: raw.source_id,
    source_description: raw.source_description,
    result_path: raw.result_path,
    row_counts: JSON.parse(raw.row_counts) as JobRow['row_counts'],
    quality: raw.quality,
    cached_from: raw.cached_from,
    priority: raw.priority,
    log: JSON.parse(raw.log) as JobRow['log'],
    runner_pid: raw.runner_pid,
  }
}

function isJobColumn(key: string): key is JobColumn {
  return Object.hasOwn(JOB_COLUMNS, key)
}

/** Encodes one column value for SQLite, refusing a value of the wrong kind with `input/invalid`. */
function encodeColumn(column: JobColumn, value: unknown, field: string): SqlValue {
  if (value === null) return null
  switch (JOB_COLUMNS[column]) {
    case 'text': {
      if (typeof value !== 'string') throw invalidInput(field, `must be text or null, got ${typeof value}`)
      const allowed = ENUM_COLUMNS[column]
      if (allowed && !allowed.includes(value)) {
        throw invalidInput(field, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value.slice(0, 60))}`)
      }
      return value
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalidInput(field, `must be a whole number or null, got ${String(value)}`)
      return value
    case 'boolean':
      if (typeof value !== 'boolean') throw invalidInput(field, `must be true or false, got ${typeof value}`)
      return value ? 1 : 0
    case 'json': {
      let text: string | undefined
      try {
        text = JSON.stringify(value)
      } catch (error) {
        throw invalidInput(field, `cannot be stored as JSON (${error instanceof Error ? error.message : String(error)})`)
      }
      if (typeof text !== 'string') throw invalidInput(field, 'cannot be stored as JSON')
      return text
    }
  }
}

/**
 * Turns a constraint failure of the jobs table into `input/invalid` naming the column. Anything
 * else becomes a `storage/*` error.
 */
function catalogWriteError(error: unknown, path: string, fieldPrefix: string): AppError {
  if (error instanceof AppError) return error
  const code = errorCodeOf(error) ?? ''
  const message = error instanceof Error ? error.message : String(error)
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return invalidInput(`${fieldPrefix}job_id`, 'a job with this id already exists')
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    if (message.includes('job_completion')) {
      return invalidInput(
        `${fieldPrefix}status`,
        'a job that ended needs completed_at and ttl_ms (use completeJob); a queued or running job has neither',
      )
    }
    const column = /jobs\.(\w+)/.exec(message)?.[1] ?? Object.keys(JOB_COLUMNS).find((c) => new RegExp(`\\b${c}\\b`).test(message))
    return invalidInput(`${fieldPrefix}${column ?? 'job'}`, `refused by the catalog (${message})`)
  }
  return toStorageError(error, 'Writing the catalog', path, 'storage/write-failed')
}

function assertLimit(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_JOB_PAGE) {
    throw invalidInput(field, `must be a whole number from 1 to ${MAX_JOB_PAGE}, got ${String(value)}`)
  }
  return value
}

function assertOffset(value: unknown, field: string): number {
  if (value === undefined) return 0
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidInput(field, `must be a whole number ≥ 0, got ${String(value)}`)
  }
  return value
}

function assertTtl(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidInput(field, `must be a whole number of milliseconds ≥ 0 (0 keeps the job until deleted), got ${String(value)}`)
  }
  return value
}

function assertSettingKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_SETTING_KEY) {
    throw invalidInput('key', `must be a name of 1 to ${MAX_SETTING_KEY} characters`)
  }
  return key
}

/** The catalog of one data directory. Open it with {@link openCatalog}. */
export class Catalog {
  /** What the migration did when the catalog was opened. */
  readonly migration: MigrationReport
  private db: SqliteDatabase | null
  private readonly now: () => number
  private readonly statements = new StatementCache(() => this.open())

  /** @internal use {@link openCatalog} */
  constructor(
    db: SqliteDatabase,
    readonly path: string,
    migration: MigrationReport,
    now: () => number,
  ) {
    this.db = db
    this.migration = migration
    this.now = now
  }

  /** Schema version (`PRAGMA user_version`). */
  get schemaVersion(): number {
    return this.migration.to
  }

  private open(): SqliteDatabase {
    if (!this.db) throw new AppError('internal/unexpected', `The catalog ${this.path} is closed.`)
    return this.db
  }

  /** A prepared statement, prepared once per distinct SQL text. */
  private statement(sql: string): Database.Statement {
    return this.statements.get(sql)
  }

  /** Runs `fn` in one transaction; constraint failures become `input/invalid`, others `storage/*`. */
  private write<T>(fieldPrefix: string, fn: () => T): T {
    try {
      return this.open().transaction(fn).immediate()
    } catch (error) {
      throw catalogWriteError(error, this.path, fieldPrefix)
    }
  }

  private selectJob(jobId: string): JobRow | undefined {
    const raw = this.statement('SELECT * FROM jobs WHERE job_id = ?').get(jobId) as RawJobRow | undefined
    return raw ? decodeJob(raw) : undefined
  }

  private notFound(jobId: string): AppError {
    return new AppError('job/not-found', `There is no job ${jobId} (it may have expired or been deleted).`, { jobId })
  }

  /**
   * Validates a patch and encodes it. Unknown keys are refused (`input/invalid` naming
   * `<fieldPrefix><key>`); keys whose value is `undefined` are skipped.
   */
  private encodePatch(patch: Record<string, unknown>, fieldPrefix: string, refused: ReadonlyMap<string, string>): Map<keyof JobRow, SqlValue> {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      throw invalidInput(fieldPrefix.replace(/\.$/, '') || 'patch', 'must be an object of job columns')
    }
    const out = new Map<keyof JobRow, SqlValue>()
    for (const [key, value] of Object.entries(patch)) {
      const field = `${fieldPrefix}${key}`
      const reason = refused.get(key)
      if (reason) throw invalidInput(field, reason)
      if (!isJobColumn(key)) throw invalidInput(field, `is not a job column (columns: ${Object.keys(JOB_COLUMNS).join(', ')})`)
      if (value === undefined) continue
      out.set(key, encodeColumn(key, value, field))
    }
    return out
  }

  /** Inserts a new job (default status `queued`); returns it as stored. */
  insertJob(job: NewJob): JobRow {
    const fields = this.encodePatch(job as unknown as Record<string, unknown>, 'job.', REFUSED_ON_INSERT)
    assertJobId(job.job_id, 'job.job_id')
    if (!fields.has('domains') && job.request && Array.isArray(job.request.domains)) {
      fields.set('domains', encodeColumn('domains', job.request.domains, 'job.request.domains'))
    }
    if (!fields.has('created_at')) fields.set('created_at', this.now())
    const columns = [...fields.keys()]
    const sql = `INSERT INTO jobs (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`
    return this.write('job.', () => {
      this.statement(sql).run(...fields.values())
      return this.selectJob(job.job_id)!
    })
  }

  /**
   * Changes columns of a job and returns it as stored. Unknown columns, `job_id` and the derived
   * `expires_at` are refused with `input/invalid` naming `patch.<column>`; a job that does not
   * exist is `job/not-found`. Ending a job goes through {@link completeJob}.
   */
  updateJob(jobId: string, patch: JobPatch): JobRow {
    return this.applyPatch(jobId, patch as Record<string, unknown>, 'patch.')
  }

  /**
   * Appends entries to a job's log, keeping the newest `max` (older ones are dropped first). A job
   * that no longer exists is left alone: its worker may report after the job was removed.
   */
  appendLog(jobId: string, entries: readonly StoredLogEntry[], max: number): void {
    if (entries.length === 0) return
    this.write('', () => {
      const found = this.statement('SELECT log FROM jobs WHERE job_id = ?').get(jobId) as { log: string } | undefined
      if (!found) return
      const log = [...(JSON.parse(found.log) as StoredLogEntry[]), ...entries].slice(-max)
      this.statement('UPDATE jobs SET log = ? WHERE job_id = ?').run(JSON.stringify(log), jobId)
    })
  }

  private applyPatch(jobId: string, patch: Record<string, unknown>, fieldPrefix: string): JobRow {
    assertJobId(jobId, 'jobId')
    const fields = this.encodePatch(patch, fieldPrefix, REFUSED_ON_UPDATE)
    return this.write(fieldPrefix, () => {
      if (fields.size > 0) {
        const sql = `UPDATE jobs SET ${[...fields.keys()].map((c) => `${c} = ?`).join(', ')} WHERE job_id = ?`
        const { changes } = this.statement(sql).run(...fields.values(), jobId)
        if (changes === 0) throw this.notFound(jobId)
      }
      const row = this.selectJob(jobId)
      if (!row) throw this.notFound(jobId)
      return row
    })
  }

  /**
   * Ends a job: terminal status, `completed_at` (default now) and its TTL, with whatever else the
   * end brings (counts, quality, error), in one statement. Expiry follows from them:
   * `completed_at + ttlMs`, never for a pinned job or `ttlMs` 0 (domain.md §14 #11).
   */
  completeJob(jobId: string, completion: CompleteJob): JobRow {
    const { status, ttlMs, completed_at, ...rest } = completion
    if (!(TERMINAL_JOB_STATUSES as readonly string[]).includes(status)) {
      throw invalidInput('status', `must be one of ${TERMINAL_JOB_STATUSES.join(', ')} to complete a job, got ${JSON.stringify(status)}`)
    }
    const ttl = assertTtl(ttlMs, 'ttlMs')
    const patch = { ...rest, status, completed_at: completed_at ?? this.now(), ttl_ms: ttl }
    for (const key of Object.keys(rest)) {
      if (!COMPLETION_COLUMNS.has(key)) throw invalidInput(key, 'is not something a job ends with')
    }
    return this.applyPatch(jobId, patch, '')
  }

  /** The job, or `undefined` when there is none with this id. */
  getJob(jobId: string): JobRow | undefined {
    if (!isJobId(jobId)) return undefined
    return this.selectJob(jobId)
  }

  private listWhere(query: ListJobsQuery): { where: string; params: SqlValue[] } {
    if (typeof query !== 'object' || query === null) throw invalidInput('query', 'must be an object')
    const clauses: string[] = []
    const params: SqlValue[] = []
    if (query.status !== undefined) {
      const statuses = typeof query.status === 'string' ? [query.status] : query.status
      if (!Array.isArray(statuses) || statuses.length === 0) throw invalidInput('status', `must be a status or a non-empty list of them`)
      statuses.forEach((s: unknown, i) => {
        if (typeof s !== 'string' || !(JOB_STATUSES as readonly string[]).includes(s)) {
          throw invalidInput(typeof query.status === 'string' ? 'status' : `status[${i}]`, `must be one of ${JOB_STATUSES.join(', ')}`)
        }
      })
      clauses.push(`status IN (${statuses.map(() => '?').join(', ')})`)
      params.push(...statuses)
    }
    if (query.profile !== undefined) {
      if (!(PROFILES as readonly string[]).includes(query.profile)) throw invalidInput('profile', `must be one of ${PROFILES.join(', ')}`)
      clauses.push('profile = ?')
      params.push(query.profile)
    }
    if (query.text !== undefined) {
      if (typeof query.text !== 'string' || query.text.length > MAX_TEXT_FILTER) {
        throw invalidInput('text', `must be text of at most ${MAX_TEXT_FILTER} characters`)
      }
      const text = query.text.trim()
      if (text !== '') {
        const like = `%${escapeLike(text)}%`
        // Only the request's values are searched, not its keys: "profile" must not match every job.
        clauses.push(`(job_id LIKE ? ESCAPE '\\' OR source_id LIKE ? ESCAPE '\\' OR source_description LIKE ? ESCAPE '\\'
  OR EXISTS (SELECT 1 FROM json_tree(jobs.request) AS t WHERE t.type IN ('text', 'integer', 'real') AND t.atom LIKE ? ESCAPE '\\'))`)
        params.push(like, like, like, like)
      }
    }
    return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params }
  }

  /**
   * Jobs matching `query`, newest first, one bounded page. The text filter scans the catalog,
   * which expiry keeps small (thousands of rows, not millions).
   */
  listJobs(query: ListJobsQuery = {}): JobRow[] {
    const { where, params } = this.listWhere(query)
    const limit = assertLimit(query.limit, 'limit', 100)
    const offset = assertOffset(query.offset, 'offset')
    const sql = `SELECT * FROM jobs ${where} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`
    return (this.statement(sql).all(...params, limit, offset) as RawJobRow[]).map(decodeJob)
  }

  /** How many jobs match `query` (its `limit` and `offset` are ignored). */
  countJobs(query: ListJobsQuery = {}): number {
    const { where, params } = this.listWhere(query)
    return (this.statement(`SELECT count(*) AS n FROM jobs ${where}`).get(...params) as { n: number }).n
  }

  /**
   * The newest finished, unexpired job with this dedup key that produced its own result (not
   * itself answered from cache), or `undefined`. The engine answers an identical request from it.
   */
  findReusable(dedupKey: string, now: number = this.now()): JobRow | undefined {
    const raw = this.statement(
      `SELECT * FROM jobs
WHERE dedup_key = ? AND status = 'finished' AND cached_from IS NULL AND result_path IS NOT NULL
  AND (expires_at IS NULL OR expires_at > ?)
ORDER BY completed_at DESC, rowid DESC LIMIT 1`,
    ).get(dedupKey, now) as RawJobRow | undefined
    return raw ? decodeJob(raw) : undefined
  }

  /**
   * Start-up recovery, in one transaction: jobs found `queued` stay queued and are returned to be
   * queued again; jobs found `running` lost their worker with the previous process, so they end
   * `interrupted` (`job/interrupted`, completed now, expiring after `ttlMs` like any other end) —
   * unless `stillRunning` says the process its row names still runs it.
   */
  markStaleOnStart(options: { ttlMs: number; now?: number; stillRunning?: (runnerPid: number) => boolean }): { requeued: string[]; interrupted: string[] } {
    const ttl = assertTtl(options.ttlMs, 'ttlMs')
    const now = options.now ?? this.now()
    return this.write('', () => {
      const requeued = (this.statement(`SELECT job_id FROM jobs WHERE status = 'queued' ORDER BY created_at, rowid`).all() as { job_id: string }[]).map(
        (r) => r.job_id,
      )
      const running = this.statement(`SELECT job_id, runner_pid FROM jobs WHERE status = 'running' ORDER BY created_at, rowid`).all() as {
        job_id: string
        runner_pid: number | null
      }[]
      // A job another live process is running (a `mes-trace run` beside the app) is left to it.
      const interrupted = running.filter((r) => r.runner_pid === null || !options.stillRunning?.(r.runner_pid)).map((r) => r.job_id)
      const mark = this.statement(
        `UPDATE jobs SET status = 'interrupted', error_code = 'job/interrupted', error_message = ?, completed_at = ?, ttl_ms = ?
WHERE job_id = ? AND status = 'running'`,
      )
      for (const jobId of interrupted) mark.run(INTERRUPTED_MESSAGE, now, ttl, jobId)
      return { requeued, interrupted }
    })
  }


  /**
   * Up to `limit` jobs whose expiry is at or before `now`, soonest first. Pinned jobs and jobs
   * kept forever have no expiry and never appear. The sweeper deletes them batch by batch.
   */
  expiredJobs(now: number = this.now(), limit = 100): JobRow[] {
    const max = assertLimit(limit, 'limit', 100)
    const rows = this.statement('SELECT * FROM jobs WHERE expires_at <= ? ORDER BY expires_at, rowid LIMIT ?').all(now, max) as RawJobRow[]
    return rows.map(decodeJob)
  }

  /** Deletes a job's row; true when there was one. (The caller deletes its result file.) */
  deleteJob(jobId: string): boolean {
    if (!isJobId(jobId)) return false
    return this.write('', () => this.statement('DELETE FROM jobs WHERE job_id = ?').run(jobId).changes > 0)
  }

  /**
   * Pins or unpins a job. A pinned job has no expiry; unpinning restores `completed_at + ttl_ms`
   * (which may already be past: the next sweep then removes it).
   */
  setPinned(jobId: string, pinned: boolean): JobRow {
    return this.applyPatch(jobId, { pinned }, '')
  }

  /** A setting's value, or `undefined` when it was never set. */
  getSetting(key: string): JsonValue | undefined {
    const row = this.statement('SELECT value FROM settings WHERE key = ?').get(assertSettingKey(key)) as { value: string } | undefined
    return row ? (JSON.parse(row.value) as JsonValue) : undefined
  }

  /** Stores a setting (any JSON value). Validating it is the caller's job (see `shared/settings.ts`). */
  setSetting(key: string, value: JsonValue): void {
    const name = assertSettingKey(key)
    const text = value === undefined ? undefined : JSON.stringify(value)
    if (typeof text !== 'string') throw invalidInput('value', 'must be a JSON value')
    this.write('', () =>
      this.statement(
        'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      ).run(name, text, this.now()),
    )
  }

  /** Removes a setting (back to its default); true when it was set. */
  deleteSetting(key: string): boolean {
    const name = assertSettingKey(key)
    return this.write('', () => this.statement('DELETE FROM settings WHERE key = ?').run(name).changes > 0)
  }

  /** Every stored setting. */
  allSettings(): Record<string, JsonValue> {
    const rows = this.statement('SELECT key, value FROM settings ORDER BY key').all() as { key: string; value: string }[]
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as JsonValue]))
  }

  /** `PRAGMA integrity_check` and `foreign_key_check`: `ok` with `['ok']`, or the problems found. */
  integrityCheck(): { ok: boolean; messages: string[] } {
    const db = this.open()
    const messages = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check)
    const foreign = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]
    for (const f of foreign) messages.push(`row ${f.rowid} of ${f.table} points to a missing ${f.parent}`)
    const ok = messages.length === 1 && messages[0] === 'ok'
    return { ok, messages }
  }

  /** Closes the connection (idempotent). */
  close(): void {
    this.statements.clear()
    this.db?.close()
    this.db = null
  }
}

const REFUSED_ON_INSERT: ReadonlyMap<string, string> = new Map([
  ['expires_at', 'is derived from completed_at, ttl_ms and pinned; set those instead'],
])

const REFUSED_ON_UPDATE: ReadonlyMap<string, string> = new Map([
  ['job_id', 'cannot be changed'],
  ['expires_at', 'is derived from completed_at, ttl_ms and pinned; set those instead'],
])

/** Columns `completeJob` accepts besides status, TTL and completion time. */
const COMPLETION_COLUMNS: ReadonlySet<string> = new Set([
  'error_code', 'error_message', 'row_counts', 'quality', 'cid_count', 'seed_count', 'result_path', 'stage',
  'completed_stages', 'progress', 'cached_from',
])

/**
 * Opens (creating if needed) the catalog at `path` and migrates it to this version's schema. A
 * catalog written by a newer app is refused with `storage/incompatible`; a file that is not a
 * catalog with `storage/unreadable`.
 */
export function openCatalog(path: string, options: CatalogOptions = {}): Catalog {
  try {
    mkdirSync(dirname(path), { recursive: true })
  } catch (error) {
    throw toStorageError(error, `Creating the folder of the catalog ${path}`, path, 'storage/write-failed')
  }
  const db = openConnection(path, 'catalog')
  try {
    const report = migrate(db, CATALOG_MIGRATIONS, { what: 'The catalog', path, applicationId: CATALOG_APPLICATION_ID })
    return new Catalog(db, path, report, options.now ?? Date.now)
  } catch (error) {
    db.close()
    throw toStorageError(error, `Migrating the catalog ${path}`, path, 'storage/write-failed')
  }
}
