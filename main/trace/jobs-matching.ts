/**
 * How the `jobs` domain matches repair jobs to lots (original-ui.md §3.1, docs/fidelity.md §5):
 *
 * - **machine window**: the job ran on a machine the lot was tracked in on (`RESOURCEID` =
 *   the history row's `EQUIPMENTID`) during the lot's time on it, every machine and every visit
 *   of the lot, not only its first machine over its whole lifetime as the original did;
 * - **container list**: the job's `CONTAINERIDS` comma list names the lot (the trace domain of
 *   domain.md §4.2).
 *
 * A (job, lot) pair is emitted once, labelled {@link MATCHED_BY_WINDOW}, {@link MATCHED_BY_LIST}
 * or {@link MATCHED_BY_BOTH}. This file holds the SQL of the machine-window read (a join on the
 * server databases; on SQLite, sessions and jobs read as they are and matched by
 * {@link MachineWindows} with SQLite's own comparison); the rows are built in `event-domains.ts`.
 */
import type { Dialect, SqlParams } from '../sources/index.js'

/** `MATCHED_BY` of a job found on a machine the lot was on, during its time there, that does not list the lot. */
export const MATCHED_BY_WINDOW = 'machine_window'
/** `MATCHED_BY` of a job whose `CONTAINERIDS` lists the lot, outside any of the lot's machine windows. */
export const MATCHED_BY_LIST = 'container_list'
/** `MATCHED_BY` of a job that lists the lot and ran on its machine while the lot was there. */
export const MATCHED_BY_BOTH = 'both'

/** Every `MATCHED_BY` value. */
export const MATCHED_BY_VALUES = [MATCHED_BY_WINDOW, MATCHED_BY_LIST, MATCHED_BY_BOTH] as const

/** `MATCH_KIND` of a machine-window source row (list rows have `L` or no such column). */
export const WINDOW_ROW = 'W'
/** `MATCH_KIND` of a container-list source row. */
export const LIST_ROW = 'L'

/**
 * The overlap of a job `j` with one machine session `h` (original-ui.md §3.1 step 6, for the
 * window [track-in, track-out]): the job was created in the window, or completed in it, or was
 * created before it and still open or completed after it. A session without a track-out has not
 * ended: its window is open, so only its start bounds it (the three conditions with an endless
 * end). Columns are compared with each other only, so the text is the same on every dialect.
 */
export const WINDOW_OVERLAP_SQL = `(
    (j.CREATEDATE >= h.TRACKINTIMESTAMP AND (h.TRACKOUTTIMESTAMP IS NULL OR j.CREATEDATE <= h.TRACKOUTTIMESTAMP))
    OR (j.COMPLETEDATE >= h.TRACKINTIMESTAMP AND (h.TRACKOUTTIMESTAMP IS NULL OR j.COMPLETEDATE <= h.TRACKOUTTIMESTAMP))
    OR (j.CREATEDATE <= h.TRACKINTIMESTAMP
      AND (j.COMPLETEDATE IS NULL OR (h.TRACKOUTTIMESTAMP IS NOT NULL AND j.COMPLETEDATE >= h.TRACKOUTTIMESTAMP)))
  )`

/** The job columns every jobs read selects, in this order. */
export const JOB_SOURCE_COLUMNS = `j.JOBID, j.RESOURCEID, j.RESOURCENAME, j.JOBSTATUS, j.JOBMODELNAME, j.JOBORDERNAME, j.CREATEDATE,
  j.COMPLETEDATE, j.CAUSECODENAME, j.REPAIRCODENAME, j.SYMPTOMCODENAME, j.CONTAINERIDS, j.CONTAINERNAMES`

/**
 * The machine-window read of one batch of CIDs: one row per (history row of a batch lot, job on
 * that row's machine overlapping it), with the lot as `MATCHED_CID` and its name as
 * `MATCHED_NAME`. The history filters are the history domain's (a machine and a track-in), so
 * the windows are the sessions the history tab shows. A session tracked out in parts has a row per
 * part; a part without a track-out does not hold the session open when another part of it (same
 * lot, machine and track-in) has one, as the history tab keeps the last known track-out, so the
 * session's window ends at its last track-out. `params` receives the CIDs.
 */
export function windowSelect(dialect: Dialect, params: SqlParams, cids: readonly string[]): string {
  return `SELECT ${JOB_SOURCE_COLUMNS},
  h.CONTAINERID AS MATCHED_CID, c.CONTAINERNAME AS MATCHED_NAME, '${WINDOW_ROW}' AS MATCH_KIND
FROM ${dialect.table('DW_MES_LOTWIPHISTORY')} h
JOIN ${dialect.table('DW_MES_JOB')} j ON j.RESOURCEID = h.EQUIPMENTID
LEFT JOIN ${dialect.table('DW_MES_CONTAINER')} c ON c.CONTAINERID = h.CONTAINERID
WHERE ${sessionConditions(dialect, params, cids)}
  AND ${WINDOW_OVERLAP_SQL}`
}

/**
 * The history rows `h` that are machine sessions of the batch's lots (both machine-window reads):
 * a machine and a track-in, and a part without a track-out only when no other part of the same
 * session has one (the session then ends at its last known track-out). `params` receives the CIDs.
 */
function sessionConditions(dialect: Dialect, params: SqlParams, cids: readonly string[]): string {
  return `h.CONTAINERID IN (${params.list(cids)})
  AND h.EQUIPMENTID IS NOT NULL
  AND h.TRACKINTIMESTAMP IS NOT NULL
  AND (h.TRACKOUTTIMESTAMP IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM ${dialect.table('DW_MES_LOTWIPHISTORY')} p
    WHERE p.CONTAINERID = h.CONTAINERID AND p.EQUIPMENTID = h.EQUIPMENTID
      AND p.TRACKINTIMESTAMP = h.TRACKINTIMESTAMP AND p.TRACKOUTTIMESTAMP IS NOT NULL))`
}

/** `MATCH_KIND` of a machine session row of {@link sessionsAndJobsSelect} (matched in code). */
export const SESSION_ROW = 'H'
/** `MATCH_KIND` of a job row of {@link sessionsAndJobsSelect}: a job on a machine of the batch's sessions. */
export const MACHINE_JOB_ROW = 'J'

/**
 * The machine-window read of one batch of CIDs on SQLite, matched in code: the sessions of the
 * batch's lots (the history rows {@link windowSelect} joins, with the lot's name), then every job
 * of the machines they are on, once per machine, in §4.2 order (create date desc, job ID). SQLite
 * has no index that bounds the overlap (a job created long before a session may still span it),
 * so the join tested every job of a machine against every session on it, each test a table row
 * read: minutes for a whole plant. Read once each and matched by {@link MachineWindows}, the same
 * pairs take a fraction of a second per batch. Each job row carries, as `MACHINE`, the session
 * machine value the database joined it to, so code never decides which jobs belong to a machine.
 * `params` receives the CIDs.
 */
export function sessionsAndJobsSelect(dialect: Dialect, params: SqlParams, cids: readonly string[]): string {
  const jobNulls = JOB_SOURCE_COLUMNS.split(',').map(() => 'NULL').join(', ')
  return `WITH s AS (
  SELECT h.CONTAINERID, h.EQUIPMENTID, h.TRACKINTIMESTAMP, h.TRACKOUTTIMESTAMP
  FROM ${dialect.table('DW_MES_LOTWIPHISTORY')} h
  WHERE ${sessionConditions(dialect, params, cids)})
SELECT ${JOB_SOURCE_COLUMNS},
  NULL AS MATCHED_CID, NULL AS MATCHED_NAME, '${MACHINE_JOB_ROW}' AS MATCH_KIND,
  h.EQUIPMENTID AS MACHINE, NULL AS WINDOW_START, NULL AS WINDOW_END
FROM (SELECT DISTINCT EQUIPMENTID FROM s) h
JOIN ${dialect.table('DW_MES_JOB')} j ON j.RESOURCEID = h.EQUIPMENTID
UNION ALL
SELECT ${jobNulls},
  s.CONTAINERID, c.CONTAINERNAME, '${SESSION_ROW}',
  s.EQUIPMENTID, s.TRACKINTIMESTAMP, s.TRACKOUTTIMESTAMP
FROM s
LEFT JOIN ${dialect.table('DW_MES_CONTAINER')} c ON c.CONTAINERID = s.CONTAINERID
ORDER BY MATCH_KIND, CREATEDATE DESC NULLS LAST, JOBID`
}

/** A value as SQLite stores it in a `TEXT` column and better-sqlite3 returns it. */
type StoredValue = unknown

/** SQLite's storage-class rank: numbers, then text, then blobs (NULL never compares). */
function storageClass(value: StoredValue): number {
  if (typeof value === 'number' || typeof value === 'bigint') return 1
  if (typeof value === 'string') return 2
  return 3
}

/** True when `text` holds a UTF-16 surrogate, where code-unit order leaves code-point (UTF-8 byte) order. */
function hasSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdfff) return true
  }
  return false
}

/** Code-point order of two strings: the byte order of their UTF-8 text, which SQLite's BINARY collation compares. */
function compareCodePoints(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return Buffer.compare(x, y)
}

/**
 * SQLite's comparison of two non-null values of `TEXT` columns (source-schema.md), which applies no
 * affinity to either: by storage class, numbers by value, text by the bytes of its UTF-8 form
 * (BINARY collation), blobs by their bytes.
 */
export function compareStored(a: StoredValue, b: StoredValue): number {
  const ca = storageClass(a)
  const cb = storageClass(b)
  if (ca !== cb) return ca - cb
  if (ca === 1) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0
  if (ca === 2) {
    const x = a as string
    const y = b as string
    if (x === y) return 0
    if (!hasSurrogate(x) && !hasSurrogate(y)) return x < y ? -1 : 1
    return compareCodePoints(x, y)
  }
  return Buffer.compare(Buffer.from(a as Uint8Array), Buffer.from(b as Uint8Array))
}

/** A time value of a session or job: `null` when missing; plain text compares with `<` directly. */
type TimeValue = StoredValue | null

const isMissing = (value: unknown): value is null | undefined => value === null || value === undefined

/**
 * `a >= b` and `a <= b` as SQL evaluates them in a `WHERE`: false when either side is NULL.
 * `plain` says both are text without surrogates, where JavaScript's string order is SQLite's.
 */
function atLeast(a: TimeValue, b: TimeValue, plain: boolean): boolean {
  if (isMissing(a) || isMissing(b)) return false
  return plain ? (a as string) >= (b as string) : compareStored(a, b) >= 0
}
function atMost(a: TimeValue, b: TimeValue, plain: boolean): boolean {
  if (isMissing(a) || isMissing(b)) return false
  return plain ? (a as string) <= (b as string) : compareStored(a, b) <= 0
}

/** True for a value whose order JavaScript's string comparison gives exactly (or a missing one). */
function isPlainText(value: unknown): boolean {
  return isMissing(value) || (typeof value === 'string' && !hasSurrogate(value))
}

/**
 * {@link WINDOW_OVERLAP_SQL}, evaluated in code for one job (`created`, `completed`) and one session
 * (`start`, `end`) with SQL's NULL logic: a comparison with NULL is not true.
 */
export function windowOverlaps(created: TimeValue, completed: TimeValue, start: TimeValue, end: TimeValue): boolean {
  const plain = isPlainText(created) && isPlainText(completed) && isPlainText(start) && isPlainText(end)
  return overlaps(created, completed, start, end, plain)
}

function overlaps(created: TimeValue, completed: TimeValue, start: TimeValue, end: TimeValue, plain: boolean): boolean {
  const open = isMissing(end)
  return (
    (atLeast(created, start, plain) && (open || atMost(created, end, plain))) ||
    (atLeast(completed, start, plain) && (open || atMost(completed, end, plain))) ||
    (atMost(created, start, plain) && (isMissing(completed) || (!open && atLeast(completed, end, plain))))
  )
}

/** A Map key for a machine value: equal exactly when SQLite finds the stored values equal (same class, same content). */
function machineKey(value: unknown): string {
  if (typeof value === 'string') return `s${value}`
  if (typeof value === 'number' || typeof value === 'bigint') return `n${String(value)}`
  return `b${Buffer.from(value as Uint8Array).toString('hex')}`
}

interface Session {
  readonly cid: string
  readonly name: unknown
  readonly start: TimeValue
  readonly end: TimeValue
  readonly plain: boolean
  /** {@link timeNumber} of `start` and `end`; `numeric` when both are usable. */
  readonly startNumber: number
  readonly endNumber: number
  readonly numeric: boolean
}

const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]

/**
 * A time written exactly `DDDD-DD-DD DD:DD:DD` (source-schema.md's SQLite form) as the number its
 * 14 digits spell, NaN for a missing value, `undefined` for any other value. Texts of this one shape
 * differ only in their digits, at the same places, so their byte order is the order of these
 * numbers (below 2^53, exact); NaN compares false with everything, as SQL's NULL does.
 */
function timeNumber(value: TimeValue): number | undefined {
  if (isMissing(value)) return Number.NaN
  if (typeof value !== 'string' || value.length !== 19) return undefined
  if (value.charCodeAt(4) !== 0x2d || value.charCodeAt(7) !== 0x2d || value.charCodeAt(10) !== 0x20 || value.charCodeAt(13) !== 0x3a || value.charCodeAt(16) !== 0x3a) {
    return undefined
  }
  let n = 0
  for (const i of DIGIT_POSITIONS) {
    const digit = value.charCodeAt(i) - 0x30
    if (digit < 0 || digit > 9) return undefined
    n = n * 10 + digit
  }
  return n
}

/**
 * The matching of one {@link sessionsAndJobsSelect} read, fed its rows in order (sessions first,
 * then jobs), possibly over several calls: each job is tested against every session on its
 * machine by {@link WINDOW_OVERLAP_SQL}'s conditions, compared as SQLite compares the stored values.
 */
export class MachineWindows {
  private readonly sessions = new Map<string, Session[]>()

  /** Records a session row (`MATCH_KIND` {@link SESSION_ROW}). */
  addSession(row: Readonly<Record<string, unknown>>): void {
    const cid = row.MATCHED_CID
    if (typeof cid !== 'string') return
    const start = row.WINDOW_START ?? null
    const end = row.WINDOW_END ?? null
    const key = machineKey(row.MACHINE)
    let list = this.sessions.get(key)
    if (!list) this.sessions.set(key, (list = []))
    const startNumber = timeNumber(start)
    const endNumber = timeNumber(end)
    list.push({
      cid,
      name: row.MATCHED_NAME ?? null,
      start,
      end,
      plain: isPlainText(start) && isPlainText(end),
      startNumber: startNumber ?? Number.NaN,
      endNumber: endNumber ?? Number.NaN,
      numeric: startNumber !== undefined && endNumber !== undefined,
    })
  }

  /**
   * The lots a job row (`MATCH_KIND` {@link MACHINE_JOB_ROW}) overlaps on its machine, each once
   * with the name of its first matching session, in CID order (the order the join gave them).
   */
  match(row: Readonly<Record<string, unknown>>): { cid: string; name: unknown }[] {
    const list = this.sessions.get(machineKey(row.MACHINE))
    if (!list) return []
    const created = row.CREATEDATE ?? null
    const completed = row.COMPLETEDATE ?? null
    const jobPlain = isPlainText(created) && isPlainText(completed)
    const createdNumber = timeNumber(created)
    const completedNumber = timeNumber(completed)
    const jobNumeric = createdNumber !== undefined && completedNumber !== undefined
    let found: Map<string, unknown> | null = null
    for (const session of list) {
      const hit =
        jobNumeric && session.numeric
          ? numberOverlaps(createdNumber, completedNumber, session.startNumber, session.endNumber)
          : jobPlain && session.plain
            ? textOverlaps(created as string | null, completed as string | null, session.start as string | null, session.end as string | null)
            : overlaps(created, completed, session.start, session.end, false)
      if (!hit) continue
      found ??= new Map()
      if (!found.has(session.cid)) found.set(session.cid, session.name)
    }
    if (found === null) return []
    return [...found.entries()].sort(([a], [b]) => compareStored(a, b)).map(([cid, name]) => ({ cid, name }))
  }
}

/** {@link overlaps} on {@link timeNumber}s (NaN for missing): the path of every well-formed time. */
function numberOverlaps(created: number, completed: number, start: number, end: number): boolean {
  // NaN (a missing value) compares false, so only `end` needs asking whether it is missing.
  const open = Number.isNaN(end)
  if (created >= start && (open || created <= end)) return true
  if (completed >= start && (open || completed <= end)) return true
  return created <= start && (Number.isNaN(completed) || (!open && completed >= end))
}

/** {@link overlaps} for text values without surrogates (or missing), where `<` is SQLite's order: the hot path. */
function textOverlaps(created: string | null, completed: string | null, start: string | null, end: string | null): boolean {
  if (start === null) return false
  if (created !== null && created >= start && (end === null || created <= end)) return true
  if (completed !== null && completed >= start && (end === null || completed <= end)) return true
  return created !== null && created <= start && (completed === null || (end !== null && completed >= end))
}
