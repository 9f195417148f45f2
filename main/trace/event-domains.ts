/**
 * The catalogue of the 7 event domains (domain.md §4.2): for each one the output columns, the SQL
 * that reads one batch of CIDs and the code that turns that batch's source rows into event rows.
 *
 * The split between SQL and code is deliberate. SQL stays plain and portable (unquoted identifiers,
 * bound values, one filter per batch, `ORDER BY` on raw columns only) so the same text runs on
 * SQLite, PostgreSQL and Oracle. Everything that differs between databases or that the original
 * did with vendor functions — `NVL` defaults, computed totals, hold hours, the workcenter-group
 * mapping, de-duplication of partial track-outs, the jobs fan-out, ordering on computed values —
 * is done per batch in code.
 *
 * Every CID's rows come back in the batch that holds that CID (the filter is on the CID itself),
 * so per-batch de-duplication is exact. Order is guaranteed within a batch only: batches are
 * delivered one by one and there is no global order across them.
 *
 * A `like` domain can also offer a table scan ({@link EventDomainDefinition.buildScanSql}): one
 * statement without a CID filter whose rows the post-processor matches in code against all
 * requested CIDs. The fetcher uses it when the CIDs need more than one batch, because every `LIKE`
 * statement is a full scan of the table anyway.
 */
import { compareCodeUnits } from '../../shared/compare.js'
import { stationGroupOf, stationOrder, UNKNOWN_STATION_ORDER } from '../../shared/stations.js'
import { hoursBetween, normalizePlantTime } from '../../shared/time.js'
import type { Domain, EventRow } from '../../shared/trace.js'
import { escapeLike, SqlParams, type Dialect, type MesSource, type SourceRow, type SqlValue } from '../sources/index.js'
import {
  JOB_SOURCE_COLUMNS,
  LIST_ROW,
  MACHINE_JOB_ROW,
  MachineWindows,
  MATCHED_BY_BOTH,
  MATCHED_BY_LIST,
  MATCHED_BY_WINDOW,
  SESSION_ROW,
  sessionsAndJobsSelect,
  WINDOW_ROW,
  windowSelect,
} from './jobs-matching.js'

/** Default for a missing text attribute (the original's `NVL(x, '(NA)')`). */
export const NOT_AVAILABLE = '(NA)'

/** Default for a missing loss reason ("not filled"). */
export const LOSS_REASON_NOT_FILLED = '(未填寫)'

/** `HOLD_STATUS` of a hold that has no release yet. */
export const HOLD_STATUS_HELD = 'HOLD'

/** `HOLD_STATUS` of a released hold. */
export const HOLD_STATUS_RELEASED = 'RELEASED'

/** The optional spec → workcenter view used by the `rejects` domain. */
export const SPEC_WORKCENTER_TABLE = 'DW_MES_SPEC_WORKCENTER_V'

const SPEC_WORKCENTER_COLUMNS = ['SPEC', 'WORK_CENTER', 'WORK_CENTER_GROUP', 'WORKCENTERSEQUENCE_GROUP'] as const

/** A statement and its bound values. */
export interface BuiltSql {
  sql: string
  params: SqlValue[]
}

/** Where one spec belongs according to {@link SPEC_WORKCENTER_TABLE}. */
export interface SpecMapping {
  workcenterName: string | null
  workcenterGroup: string | null
  sequence: number | null
}

/**
 * Spec name → its mapping (one entry per spec: the one with the smallest group sequence), plus the
 * view's own workcenter → group map that the history domain uses.
 */
export interface SpecMap extends ReadonlyMap<string, SpecMapping> {
  /**
   * `WORK_CENTER` → `WORK_CENTER_GROUP` over every row of the view (a workcenter listed under
   * several groups takes the one with the smallest sequence).
   */
  readonly workcenterGroups: ReadonlyMap<string, string>
}

/** What a post-processor knows besides the rows of its batch. */
export interface BatchContext {
  /** The CIDs of the batch (normalized, distinct). */
  readonly cids: readonly string[]
  /** Plant-local "now" (`YYYY-MM-DDTHH:MM:SS`) that open holds are measured to. */
  readonly now: string
  /** The collapsed spec map, or `null` when the source has no usable {@link SPEC_WORKCENTER_TABLE}. */
  readonly specMap: SpecMap | null
  /**
   * Which read the rows come from: a batch statement (the default), a statement read before a
   * table scan ({@link EventDomainDefinition.buildBeforeScanSql}), or the scan itself.
   */
  readonly read?: 'batch' | 'before-scan' | 'scan'
  /**
   * Shared by every read of one scan batch (the reads before the scan and the scan), so that what
   * an earlier read found can shape a later one's rows; absent outside a scan batch. The chunks of
   * one read are passed the same context object, so a domain can keep state for the read by it.
   */
  readonly carry?: Set<string>
}

/** Everything the fetcher needs to know about one domain. */
export interface EventDomainDefinition {
  readonly domain: Domain
  /** The source table the domain reads (without schema prefix). */
  readonly sourceTable: string
  /** Output columns, in the order every emitted row has them. */
  readonly columns: readonly string[]
  /** Output columns holding plant times, normalized to `YYYY-MM-DDTHH:MM:SS`. */
  readonly timeColumns: readonly string[]
  /** How the batch filter matches CIDs: a bound `IN` list, or `LIKE` terms on a comma list. */
  readonly filter: 'in' | 'like'
  /** True when {@link postProcess} needs `context.specMap` (loaded once per fetch run). */
  readonly usesSpecMap: boolean
  /** Most CIDs one statement of this domain may carry on `dialect`. */
  maxBatchSize(dialect: Dialect): number
  /** The statement reading one batch of CIDs; values are bound, never spliced. */
  buildSql(dialect: Dialect, cids: readonly string[]): BuiltSql
  /**
   * Only `like` domains: a statement reading every row the batch filter could ever match, in the
   * domain's order, for any set of CIDs. Its rows go through {@link postProcess} in chunks, with
   * `context.cids` holding all requested CIDs, and give the same rows as the per-batch statements.
   */
  buildScanSql?(dialect: Dialect): BuiltSql
  /**
   * Only domains with a table scan: what the scan's filter cannot see, read for each batch of at
   * most `dialect.maxInList` CIDs before the scan, in the same batch. Its rows go through
   * {@link postProcess} with `context.read === 'before-scan'` and that batch's CIDs; the scan's
   * rows follow with `context.read === 'scan'`, and all of them share `context.carry`.
   */
  buildBeforeScanSql?(dialect: Dialect, cids: readonly string[]): BuiltSql
  /** Turns one batch's source rows into event rows (defaults, computed columns, dedup, order). */
  postProcess(rows: readonly SourceRow[], context: BatchContext): EventRow[]
}

// ─── value helpers ────────────────────────────────────────────────────────────────────────────

type Cell = string | number | null

/** A source value as text; `null` for null/undefined. */
function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value
  if (value instanceof Date) return normalizePlantTime(value)
  return String(value)
}

/**
 * A source value as a number. Drivers differ: SQLite and Oracle give numbers, PostgreSQL gives
 * `numeric`/`bigint` as strings, better-sqlite3 may give bigints. NaN becomes null, as the
 * original did before serializing.
 */
function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value)
    return Number.isFinite(n) ? n : null
  }
  return null
}

/** A value with the original's `NVL` semantics; Oracle stores '' as NULL, so '' counts as missing. */
function orDefault(value: Cell, fallback: string): string | number {
  return value === null || value === '' ? fallback : value
}

/** A missing quantity counts as 0 (the original's `NVL(qty, 0)`). */
function qty(value: Cell): number {
  return typeof value === 'number' ? value : 0
}

/** The larger of two nullable numbers; null only when both are. */
function maxNullable(a: number | null, b: Cell): number | null {
  if (typeof b !== 'number') return a
  return a === null || b > a ? b : a
}

/** Sum of the numeric cells seen so far; null while none was a number. */
function sumNullable(a: number | null, b: Cell): number | null {
  if (typeof b !== 'number') return a
  return (a ?? 0) + b
}

/** Text of a cell, '' treated as missing (used for names looked up or mapped). */
function textOf(value: Cell): string | null {
  if (value === null || value === '') return null
  return typeof value === 'string' ? value : String(value)
}

/** Plain code-unit string order: identical on every machine, unlike `localeCompare`. */
function compareText(a: Cell, b: Cell): number {
  return compareCodeUnits(a === null ? '' : String(a), b === null ? '' : String(b))
}

/** Compares normalized times; nulls sort last in both directions. */
function compareTime(a: Cell, b: Cell, direction: 'asc' | 'desc'): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  const c = compareText(a, b)
  return direction === 'asc' ? c : -c
}

/** The calendar day (`YYYY-MM-DD`) of a normalized time. */
function dayOf(time: Cell): string | null {
  if (typeof time !== 'string') return null
  const m = /^\d{4}-\d{2}-\d{2}/.exec(time)
  return m ? m[0] : null
}

const CHAR_T = 0x54
const CHAR_SPACE = 0x20
const CHAR_DASH = 0x2d
const CHAR_COLON = 0x3a
const CHAR_0 = 0x30
const CHAR_9 = 0x39

/**
 * {@link normalizePlantTime}, with the plain text shape (`YYYY-MM-DD HH:MM:SS`, or with `T`, as
 * SQLite sources hold times) checked character by character instead of by the regular expression:
 * one time cell per event row makes this the hottest value conversion. Gives exactly what
 * `normalizePlantTime` gives.
 */
function plantTime(value: unknown): string | null {
  if (typeof value === 'string' && value.length === 19 && isPlainDateTime(value)) {
    return value.charCodeAt(10) === CHAR_T ? value : `${value.slice(0, 10)}T${value.slice(11)}`
  }
  return normalizePlantTime(value)
}

/** True for `DDDD-DD-DD?DD:DD:DD` with `?` a space or `T` (the caller checked the length, 19). */
function isPlainDateTime(text: string): boolean {
  for (let i = 0; i < 19; i++) {
    const c = text.charCodeAt(i)
    if (i === 4 || i === 7) {
      if (c !== CHAR_DASH) return false
    } else if (i === 10) {
      if (c !== CHAR_T && c !== CHAR_SPACE) return false
    } else if (i === 13 || i === 16) {
      if (c !== CHAR_COLON) return false
    } else if (c < CHAR_0 || c > CHAR_9) {
      return false
    }
  }
  return true
}

/**
 * A Map key for a tuple of cells, equal for two tuples exactly when `JSON.stringify` of them would
 * be (null, a string and a number never meet), at a fraction of its cost. Each string is prefixed
 * with its length, so no content can make two different tuples meet.
 */
function tupleKey(...cells: Cell[]): string {
  let key = ''
  for (const cell of cells) {
    key += cell === null ? '\u0000' : typeof cell === 'number' ? `\u0001${cell}\u0000` : `${cell.length}:${cell}`
  }
  return key
}

/** Workcenter → station group name: a run meets a few dozen workcenters, each tried against 12 groups once. */
const stationGroupNames = new Map<string, string | null>()

/** Entries kept before {@link stationGroupNames} starts afresh, so an odd source cannot grow it without end. */
const STATION_GROUP_CACHE_ENTRIES = 10_000

/** `stationGroupOf(workcenter)?.name ?? null`, remembered per workcenter. */
function stationGroupNameOf(workcenter: string | null): string | null {
  if (workcenter === null) return null
  let name = stationGroupNames.get(workcenter)
  if (name === undefined) {
    name = stationGroupOf(workcenter)?.name ?? null
    if (stationGroupNames.size >= STATION_GROUP_CACHE_ENTRIES) stationGroupNames.clear()
    stationGroupNames.set(workcenter, name)
  }
  return name
}

/**
 * Sorts `rows` in place by `compare` (stably) unless they are in that order already — often the
 * case, as the SQL asked for much the same order. A stable sort leaves ordered rows as they are,
 * so the check gives the same rows as sorting.
 */
function sortedBy<T>(rows: T[], compare: (a: T, b: T) => number): T[] {
  for (let i = 1; i < rows.length; i++) {
    if (compare(rows[i - 1]!, rows[i]!) > 0) return rows.sort(compare)
  }
  return rows
}

/** Builds a row with exactly `columns`, in that order (missing values are null). */
function emit(columns: readonly string[], values: Readonly<Record<string, Cell | undefined>>): EventRow {
  const row: EventRow = {}
  for (const column of columns) row[column] = values[column] ?? null
  return row
}

/** How {@link cellOf} converts a column's values: as plant times, or as numbers. */
type CellKind = typeof TIME_CELL | typeof NUMBER_CELL
const TIME_CELL = 1
const NUMBER_CELL = 2

/** One selected value as `string | number | null`: times normalized, quantities parsed. */
function cellOf(value: unknown, kind: CellKind | undefined): Cell {
  if (kind === TIME_CELL) return plantTime(value)
  if (kind === NUMBER_CELL) return toNumber(value)
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  return toText(value)
}

/**
 * First pass over a batch: converts every selected value to `string | number | null`, normalizes
 * time columns and parses number columns. With `requireCid`, rows without a CID are dropped (the
 * original dropped rows without a string CID).
 */
function normalizeRows(rows: readonly SourceRow[], kinds: ReadonlyMap<string, CellKind>, requireCid: boolean): Record<string, Cell>[] {
  const out: Record<string, Cell>[] = []
  for (const raw of rows) {
    const row: Record<string, Cell> = {}
    for (const key of Object.keys(raw)) row[key] = cellOf(raw[key], kinds.get(key))
    if (requireCid && textOf(row.CONTAINERID ?? null) === null) continue
    out.push(row)
  }
  return out
}

/**
 * `emit(columns, row)` of every row {@link normalizeRows} keeps, in one pass: for a domain whose
 * event rows are its normalized source rows, without the intermediate row of each.
 */
function projectRows(rows: readonly SourceRow[], columns: readonly string[], kinds: ReadonlyMap<string, CellKind>, requireCid: boolean): EventRow[] {
  const out: EventRow[] = []
  for (const raw of rows) {
    const row: EventRow = {}
    // A column the source row lacks is null, as `emit` makes it.
    for (const column of columns) row[column] = cellOf(raw[column], kinds.get(column))
    if (requireCid && textOf(row.CONTAINERID ?? null) === null) continue
    out.push(row)
  }
  return out
}

/** `IN (...)` statement for one batch; `render` gets the placeholder list. */
function inStatement(dialect: Dialect, cids: readonly string[], render: (inList: string, t: (name: string) => string) => string): BuiltSql {
  const params = new SqlParams(dialect)
  const inList = params.list(cids)
  return { sql: render(inList, (name) => dialect.table(name)), params: params.values }
}

interface DomainSpec {
  domain: Domain
  sourceTable: string
  columns: readonly string[]
  timeColumns: readonly string[]
  /** Selected columns parsed as numbers (quantities). */
  numberColumns: readonly string[]
  filter: 'in' | 'like'
  usesSpecMap?: boolean
  buildSql(dialect: Dialect, cids: readonly string[]): BuiltSql
  buildScanSql?(dialect: Dialect): BuiltSql
  buildBeforeScanSql?(dialect: Dialect, cids: readonly string[]): BuiltSql
  /**
   * Builds the event rows: from the rows {@link normalizeRows} keeps; or, for `'project'`, they are
   * `emit(columns, row)` of each of those; or, for `fromSource`, from the source rows themselves,
   * each cell read through `cell` (as normalizeRows would have converted it) and the rows without
   * a CID dropped by the domain — for a domain that drops most rows, so that only the kept ones
   * are converted whole.
   */
  finish:
    | ((rows: Record<string, Cell>[], context: BatchContext) => EventRow[])
    | 'project'
    | { fromSource(rows: readonly SourceRow[], cell: CellReader, context: BatchContext): EventRow[] }
}

/** A source row's value of `column`, converted as {@link normalizeRows} converts it. */
type CellReader = (row: SourceRow, column: string) => Cell

function define(spec: DomainSpec): EventDomainDefinition {
  const kinds = new Map<string, CellKind>([
    ...spec.numberColumns.map((c) => [c, NUMBER_CELL] as const),
    // A column both timed and counted is a time, as normalizeRows always took it.
    ...spec.timeColumns.map((c) => [c, TIME_CELL] as const),
  ])
  const requireCid = spec.filter === 'in'
  const { finish } = spec
  return {
    domain: spec.domain,
    sourceTable: spec.sourceTable,
    columns: spec.columns,
    timeColumns: spec.timeColumns,
    filter: spec.filter,
    usesSpecMap: spec.usesSpecMap ?? false,
    maxBatchSize: (dialect) => (spec.filter === 'in' ? dialect.maxInList : dialect.maxOrTerms),
    buildSql: spec.buildSql,
    ...(spec.buildScanSql ? { buildScanSql: spec.buildScanSql } : {}),
    ...(spec.buildBeforeScanSql ? { buildBeforeScanSql: spec.buildBeforeScanSql } : {}),
    postProcess:
      finish === 'project'
        ? (rows) => projectRows(rows, spec.columns, kinds, requireCid)
        : typeof finish === 'function'
          ? (rows, context) => finish(normalizeRows(rows, kinds, requireCid), context)
          : (rows, context) => finish.fromSource(rows, (row, column) => cellOf(row[column], kinds.get(column)), context),
  }
}

// ─── history ──────────────────────────────────────────────────────────────────────────────────

const HISTORY_COLUMNS = [
  'CONTAINERID', 'WORKCENTERNAME', 'WORKCENTER_GROUP', 'EQUIPMENTID', 'EQUIPMENTNAME', 'SPECNAME', 'TRACKINTIMESTAMP',
  'TRACKOUTTIMESTAMP', 'TRACKINQTY', 'TRACKOUTQTY', 'FINISHEDRUNCARD', 'PJ_WORKORDER', 'CONTAINERNAME',
  'PJ_TYPE', 'PJ_BOP', 'WAFER_LOT_ID', 'PARTIAL_COUNT',
] as const

/**
 * The station group of a history step, as the MES view names it (original-ui.md §4.1): the exact
 * `WORKCENTERNAME` looked up in the view's workcenter → group map, an unmapped name standing for
 * itself. Without the view, the 12 stations' substring rules stand in for the map (as they do for
 * rejects). A missing workcenter gives null.
 */
function historyGroupOf(workcenter: string | null, specMap: SpecMap | null): string | null {
  if (workcenter === null) return null
  const mapped = specMap === null ? stationGroupNameOf(workcenter) : specMap.workcenterGroups.get(workcenter)
  return mapped ?? workcenter
}

const history = define({
  domain: 'history',
  sourceTable: 'DW_MES_LOTWIPHISTORY',
  columns: HISTORY_COLUMNS,
  timeColumns: ['TRACKINTIMESTAMP', 'TRACKOUTTIMESTAMP'],
  numberColumns: ['TRACKINQTY', 'TRACKOUTQTY'],
  filter: 'in',
  usesSpecMap: true,
  buildSql: (dialect, cids) =>
    inStatement(dialect, cids, (inList, t) => `SELECT h.CONTAINERID, h.WORKCENTERNAME, h.EQUIPMENTID, h.EQUIPMENTNAME, h.SPECNAME,
  h.TRACKINTIMESTAMP, h.TRACKOUTTIMESTAMP, h.TRACKINQTY, h.TRACKOUTQTY, h.FINISHEDRUNCARD, h.PJ_WORKORDER,
  c.CONTAINERNAME, c.PJ_TYPE, c.PJ_BOP, c.FIRSTNAME AS WAFER_LOT_ID
FROM ${t('DW_MES_LOTWIPHISTORY')} h
LEFT JOIN ${t('DW_MES_CONTAINER')} c ON c.CONTAINERID = h.CONTAINERID
WHERE h.CONTAINERID IN (${inList})
  AND h.EQUIPMENTID IS NOT NULL
  AND h.TRACKINTIMESTAMP IS NOT NULL
ORDER BY h.TRACKINTIMESTAMP, h.CONTAINERID`),
  finish(rows, context) {
    // One row per machine session (CID, EQUIPMENTID, SPECNAME, TRACKINTIMESTAMP). The MES writes a
    // row per partial track-out and stores the *remaining* qty at each partial's track-in, so the
    // last partial under-reports the input: keep the last track-out's row, with the session's
    // largest TRACKINQTY and the sum of its partial TRACKOUTQTYs (domain.md §4.2 HEAD note, §14 #4).
    const sessions = new Map<
      string,
      { kept: Record<string, Cell>; trackInQty: number | null; trackOutQty: number | null; count: number }
    >()
    for (const row of rows) {
      const key = tupleKey(row.CONTAINERID ?? null, row.EQUIPMENTID ?? null, row.SPECNAME ?? null, row.TRACKINTIMESTAMP ?? null)
      const session = sessions.get(key)
      if (!session) {
        sessions.set(key, {
          kept: row,
          trackInQty: maxNullable(null, row.TRACKINQTY ?? null),
          trackOutQty: sumNullable(null, row.TRACKOUTQTY ?? null),
          count: 1,
        })
        continue
      }
      session.count += 1
      session.trackInQty = maxNullable(session.trackInQty, row.TRACKINQTY ?? null)
      session.trackOutQty = sumNullable(session.trackOutQty, row.TRACKOUTQTY ?? null)
      // Latest track-out wins; a missing track-out never beats a present one (nulls last).
      if (compareTime(row.TRACKOUTTIMESTAMP ?? null, session.kept.TRACKOUTTIMESTAMP ?? null, 'desc') < 0) session.kept = row
    }
    // Map order is first-seen order, i.e. the SQL's track-in order: all rows of a session share it.
    return [...sessions.values()].map((s) =>
      emit(HISTORY_COLUMNS, {
        ...s.kept,
        WORKCENTER_GROUP: historyGroupOf(textOf(s.kept.WORKCENTERNAME ?? null), context.specMap),
        TRACKINQTY: s.trackInQty,
        TRACKOUTQTY: s.trackOutQty,
        PARTIAL_COUNT: s.count,
      }),
    )
  },
})

// ─── materials ────────────────────────────────────────────────────────────────────────────────

const MATERIALS_COLUMNS = [
  'CONTAINERID', 'CONTAINERNAME', 'MATERIALPARTNAME', 'MATERIALLOTNAME', 'QTYCONSUMED', 'WORKCENTERNAME',
  'SPECNAME', 'EQUIPMENTNAME', 'TXNDATE', 'MATERIALDESCRIPTION',
] as const

const materials = define({
  domain: 'materials',
  sourceTable: 'DW_MES_LOTMATERIALSHISTORY',
  columns: MATERIALS_COLUMNS,
  timeColumns: ['TXNDATE'],
  numberColumns: ['QTYCONSUMED'],
  filter: 'in',
  buildSql: (dialect, cids) =>
    inStatement(dialect, cids, (inList, t) => `SELECT m.CONTAINERID, c.CONTAINERNAME, m.MATERIALPARTNAME, m.MATERIALLOTNAME, m.QTYCONSUMED,
  m.WORKCENTERNAME, m.SPECNAME, m.EQUIPMENTNAME, m.TXNDATE, m.DESCRIPTION AS MATERIALDESCRIPTION
FROM ${t('DW_MES_LOTMATERIALSHISTORY')} m
LEFT JOIN ${t('DW_MES_CONTAINER')} c ON c.CONTAINERID = m.CONTAINERID
WHERE m.CONTAINERID IN (${inList})
ORDER BY m.TXNDATE NULLS LAST, m.CONTAINERID`),
  // A consumed quantity that was not recorded is unknown, not zero: it stays null.
  finish: 'project',
})

// ─── rejects ──────────────────────────────────────────────────────────────────────────────────

const REJECT_COMPONENTS = ['REJECT_QTY', 'STANDBY_QTY', 'QTYTOPROCESS_QTY', 'INPROCESS_QTY', 'PROCESSED_QTY'] as const

const REJECTS_COLUMNS = [
  'CONTAINERID', 'CONTAINERNAME', 'WORKCENTERNAME', 'WORKCENTER_GROUP', 'WORKCENTERSEQUENCE_GROUP',
  'PRODUCTLINENAME', 'PJ_FUNCTION', 'PJ_TYPE', 'PRODUCTNAME', 'SPECNAME', 'LOSSREASONNAME', 'EQUIPMENTNAME',
  'REJECTCOMMENT', ...REJECT_COMPONENTS, 'REJECT_TOTAL_QTY', 'DEFECT_QTY', 'TXN_TIME', 'TXNDATE', 'TXN_DAY',
] as const

/**
 * Where a reject is booked: the spec map's workcenter/group when the spec is mapped, otherwise the
 * raw workcenter and its substring group (domain.md §4.2; source-schema.md for the missing view).
 */
function placeReject(rawWorkcenter: string | null, spec: string | null, specMap: SpecMap | null): {
  workcenter: string | null
  group: string | null
  sequence: number
} {
  if (specMap === null) {
    // No spec view in this source: group by the substring rules of the 12 stations
    // (source-schema.md), the raw workcenter standing in where no rule matches.
    const group = stationGroupNameOf(rawWorkcenter)
    return { workcenter: rawWorkcenter, group: group ?? rawWorkcenter, sequence: stationOrder(group) }
  }
  // With the view, as the original's SQL: mapped workcenter/group/sequence, else the raw
  // workcenter as both, with sequence 999.
  const mapped = spec === null ? undefined : specMap.get(spec)
  return {
    workcenter: mapped?.workcenterName ?? rawWorkcenter,
    group: mapped?.workcenterGroup ?? rawWorkcenter,
    sequence: mapped?.sequence ?? UNKNOWN_STATION_ORDER,
  }
}

/** §4.2 order: day desc, group sequence asc, workcenter asc, total desc, lot name asc, time desc. */
function compareRejects(a: EventRow, b: EventRow): number {
  return (
    compareTime(a.TXN_DAY ?? null, b.TXN_DAY ?? null, 'desc') ||
    qty(a.WORKCENTERSEQUENCE_GROUP ?? null) - qty(b.WORKCENTERSEQUENCE_GROUP ?? null) ||
    compareText(a.WORKCENTERNAME ?? null, b.WORKCENTERNAME ?? null) ||
    qty(b.REJECT_TOTAL_QTY ?? null) - qty(a.REJECT_TOTAL_QTY ?? null) ||
    compareText(a.CONTAINERNAME ?? null, b.CONTAINERNAME ?? null) ||
    compareTime(a.TXN_TIME ?? null, b.TXN_TIME ?? null, 'desc')
  )
}

const rejects = define({
  domain: 'rejects',
  sourceTable: 'DW_MES_LOTREJECTHISTORY',
  columns: REJECTS_COLUMNS,
  timeColumns: ['TXN_TIME', 'TXNDATE'],
  numberColumns: [...REJECT_COMPONENTS, 'DEFECT_QTY'],
  filter: 'in',
  usesSpecMap: true,
  // No ORDER BY: the order is on computed values (mapped group sequence, totals), done in code.
  buildSql: (dialect, cids) =>
    inStatement(dialect, cids, (inList, t) => `SELECT r.CONTAINERID, c.CONTAINERNAME, r.WORKCENTERNAME, c.PRODUCTLINENAME, c.PJ_FUNCTION,
  c.PJ_TYPE, c.PRODUCTNAME, r.SPECNAME, r.LOSSREASONNAME, r.EQUIPMENTNAME, r.REJECTCOMMENT,
  r.REJECTQTY AS REJECT_QTY, r.STANDBYQTY AS STANDBY_QTY, r.QTYTOPROCESS AS QTYTOPROCESS_QTY,
  r.INPROCESSQTY AS INPROCESS_QTY, r.PROCESSEDQTY AS PROCESSED_QTY, r.DEFECTQTY AS DEFECT_QTY, r.TXNDATE
FROM ${t('DW_MES_LOTREJECTHISTORY')} r
LEFT JOIN ${t('DW_MES_CONTAINER')} c ON c.CONTAINERID = r.CONTAINERID
WHERE r.CONTAINERID IN (${inList})`),
  finish(rows, context) {
    const out = rows.map((row) => {
      const cid = row.CONTAINERID ?? null
      const place = placeReject(textOf(row.WORKCENTERNAME ?? null), textOf(row.SPECNAME ?? null), context.specMap)
      const components = Object.fromEntries(REJECT_COMPONENTS.map((c) => [c, qty(row[c] ?? null)])) as Record<
        (typeof REJECT_COMPONENTS)[number],
        number
      >
      return emit(REJECTS_COLUMNS, {
        ...row,
        ...components,
        CONTAINERNAME: orDefault(row.CONTAINERNAME ?? null, String(cid)),
        WORKCENTERNAME: place.workcenter ?? NOT_AVAILABLE,
        WORKCENTER_GROUP: place.group ?? NOT_AVAILABLE,
        WORKCENTERSEQUENCE_GROUP: place.sequence,
        PRODUCTLINENAME: orDefault(row.PRODUCTLINENAME ?? null, NOT_AVAILABLE),
        PJ_FUNCTION: orDefault(row.PJ_FUNCTION ?? null, NOT_AVAILABLE),
        PJ_TYPE: orDefault(row.PJ_TYPE ?? null, NOT_AVAILABLE),
        PRODUCTNAME: orDefault(row.PRODUCTNAME ?? null, NOT_AVAILABLE),
        SPECNAME: orDefault(row.SPECNAME ?? null, NOT_AVAILABLE),
        LOSSREASONNAME: orDefault(row.LOSSREASONNAME ?? null, LOSS_REASON_NOT_FILLED),
        EQUIPMENTNAME: orDefault(row.EQUIPMENTNAME ?? null, NOT_AVAILABLE),
        // Charge-off scrap only: DEFECTQTY is the non-charge-off total and stays apart (domain.md §14 #3).
        REJECT_TOTAL_QTY: REJECT_COMPONENTS.reduce((sum, c) => sum + components[c], 0),
        DEFECT_QTY: qty(row.DEFECT_QTY ?? null),
        TXN_TIME: row.TXNDATE ?? null,
        TXN_DAY: dayOf(row.TXNDATE ?? null),
      })
    })
    return out.sort(compareRejects)
  },
})

// ─── holds ────────────────────────────────────────────────────────────────────────────────────

const HOLDS_COLUMNS = [
  'CONTAINERID', 'CONTAINERNAME', 'WORKCENTERNAME', 'HOLDTXNDATE', 'HOLDEMP', 'HOLDEMPDEPTNAME',
  'HOLDREASONNAME', 'HOLDCOMMENTS', 'RELEASETXNDATE', 'RELEASEEMP', 'RELEASECOMMENTS', 'NCRID',
  'HOLD_STATUS', 'HOLD_HOURS',
] as const

const holds = define({
  domain: 'holds',
  sourceTable: 'DW_MES_HOLDRELEASEHISTORY',
  columns: HOLDS_COLUMNS,
  timeColumns: ['HOLDTXNDATE', 'RELEASETXNDATE'],
  numberColumns: [],
  filter: 'in',
  buildSql: (dialect, cids) =>
    inStatement(dialect, cids, (inList, t) => `SELECT h.CONTAINERID, c.CONTAINERNAME, h.WORKCENTERNAME, h.HOLDTXNDATE, h.HOLDEMP,
  h.HOLDEMPDEPTNAME, h.HOLDREASONNAME, h.HOLDCOMMENTS, h.RELEASETXNDATE, h.RELEASEEMP, h.RELEASECOMMENTS, h.NCRID
FROM ${t('DW_MES_HOLDRELEASEHISTORY')} h
LEFT JOIN ${t('DW_MES_CONTAINER')} c ON c.CONTAINERID = h.CONTAINERID
WHERE h.CONTAINERID IN (${inList})
ORDER BY h.HOLDTXNDATE DESC NULLS LAST, h.CONTAINERID`),
  finish: (rows, context) =>
    rows.map((row) => {
      const held = row.HOLDTXNDATE ?? null
      const released = row.RELEASETXNDATE ?? null
      const end = released ?? context.now
      return emit(HOLDS_COLUMNS, {
        ...row,
        HOLD_STATUS: released === null ? HOLD_STATUS_HELD : HOLD_STATUS_RELEASED,
        // Still-held lots are measured to "now" so the UI shows how long they have been waiting.
        HOLD_HOURS: typeof held === 'string' && typeof end === 'string' ? hoursBetween(held, end) : null,
      })
    }),
})

// ─── jobs ─────────────────────────────────────────────────────────────────────────────────────

const JOBS_COLUMNS = [
  'JOBID', 'RESOURCEID', 'RESOURCENAME', 'JOBSTATUS', 'JOBMODELNAME', 'JOBORDERNAME', 'CREATEDATE',
  'COMPLETEDATE', 'CAUSECODENAME', 'REPAIRCODENAME', 'SYMPTOMCODENAME', 'CONTAINERIDS', 'CONTAINERNAMES',
  'CONTAINERID', 'CONTAINERNAME', 'MATCHED_BY',
] as const

/** The jobs columns read from the source (`CONTAINERID` is synthesized by the fan-out). */
function jobsSelect(dialect: Dialect): string {
  return `SELECT ${JOB_SOURCE_COLUMNS}
FROM ${dialect.table('DW_MES_JOB')} j`
}

/** §4.2 order: create date desc (the job ID breaks ties, so the order is total). */
const JOBS_ORDER_BY = 'ORDER BY j.CREATEDATE DESC NULLS LAST, j.JOBID'

/**
 * The CIDs of a context as a set. A table scan post-processes chunk after chunk with the same
 * (possibly 100 000-CID) list, so the set is built once per list, not once per chunk.
 */
const cidSets = new WeakMap<readonly string[], ReadonlySet<string>>()
function cidSetOf(cids: readonly string[]): ReadonlySet<string> {
  let set = cidSets.get(cids)
  if (!set) {
    set = new Set(cids)
    cidSets.set(cids, set)
  }
  return set
}

/** The trimmed items of a job's `CONTAINERIDS`. */
function listedCids(row: Record<string, Cell>): string[] {
  return typeof row.CONTAINERIDS === 'string' ? row.CONTAINERIDS.split(',').map((item) => item.trim()) : []
}

/** The key of a (job, lot) pair in `carry` (a machine-window pair whose job also lists the lot) and in a read's emitted pairs. */
const pairKey = (job: Cell, cid: string): string => tupleKey(job, cid)

/** §4.2 order on built rows: create date desc with missing dates last, then job ID (stable otherwise). */
function compareJobs(a: EventRow, b: EventRow): number {
  return compareTime(a.CREATEDATE ?? null, b.CREATEDATE ?? null, 'desc') || compareText(a.JOBID ?? null, b.JOBID ?? null)
}

const jobs = define({
  domain: 'jobs',
  sourceTable: 'DW_MES_JOB',
  columns: JOBS_COLUMNS,
  timeColumns: ['CREATEDATE', 'COMPLETEDATE'],
  numberColumns: [],
  filter: 'like',
  buildSql(dialect, cids) {
    if (cids.length === 0) throw new Error('a jobs batch needs at least one CID')
    if (cids.length > dialect.maxOrTerms) {
      throw new Error(`jobs batch of ${cids.length} CIDs exceeds the ${dialect.name} limit of ${dialect.maxOrTerms} LIKE terms`)
    }
    const params = new SqlParams(dialect)
    const windows = windowSelect(dialect, params, cids)
    // `CONTAINERIDS` is a comma list, so the database can only pre-filter by substring; `%`/`_` in a
    // CID are escaped so they match literally. The exact match is done in code (fan-out below).
    const terms = cids.map((cid) => `j.CONTAINERIDS LIKE ${params.add(`%${escapeLike(cid)}%`)} ESCAPE '\\'`)
    // Both reads in one statement, so the rows of a (job, lot) pair found both ways meet in one
    // post-processing call; the order is made in code.
    return {
      sql: `${windows}
UNION ALL
SELECT ${JOB_SOURCE_COLUMNS},
  NULL AS MATCHED_CID, NULL AS MATCHED_NAME, '${LIST_ROW}' AS MATCH_KIND
FROM ${dialect.table('DW_MES_JOB')} j
WHERE ${terms.join('\n   OR ')}`,
      params: params.values,
    }
  },
  // A leading-wildcard LIKE cannot use an index, so each batch statement is a full scan of the
  // table: past one batch, reading the jobs that list any lot once is cheaper. Every row a LIKE
  // term can match has a non-null list, and the fan-out below keeps only exact matches, so both
  // reads give the same rows.
  buildScanSql: (dialect) => ({
    sql: `${jobsSelect(dialect)}
WHERE j.CONTAINERIDS IS NOT NULL
${JOBS_ORDER_BY}`,
    params: [],
  }),
  // The machine windows need the lots' own history rows, so they are read per batch of CIDs, before
  // the scan, which then knows which listed pairs were also on the machine. On SQLite the sessions
  // and their machines' jobs are read as they are and matched in code (`sessionsAndJobsSelect`):
  // the join there tests every job of a machine against every session on it. The server databases
  // run the join (their planners hash it), and their time values reach code only as converted
  // `Date`s, which may order what the database tells apart as equal.
  buildBeforeScanSql(dialect, cids) {
    const params = new SqlParams(dialect)
    if (dialect.name === 'sqlite') return { sql: sessionsAndJobsSelect(dialect, params, cids), params: params.values }
    return { sql: `${windowSelect(dialect, params, cids)}\n${JOBS_ORDER_BY}`, params: params.values }
  },
  finish: {
    fromSource: (source, cell, context) => finishJobs(matchedWindows(source, cell, context), context),
  },
})

/** A source row with every value converted as `normalizeRows` converts it (the jobs domain keeps rows without a CID). */
function normalizedRow(source: SourceRow, cell: CellReader): Record<string, Cell> {
  const row: Record<string, Cell> = {}
  for (const key of Object.keys(source)) row[key] = cell(source, key)
  return row
}

/**
 * State one read builds over its calls (a read's rows come in chunks, one call each). The reads of
 * a scan batch run one after another and share `carry`, so only the latest read's state is kept (a
 * read is known by its context): the earlier ones' would otherwise live until the scan ends.
 */
class PerRead<T> {
  private readonly states = new WeakMap<object, { read: BatchContext; value: T }>()
  constructor(private readonly make: () => T) {}
  of(context: BatchContext): T {
    const key = context.carry ?? context
    let current = this.states.get(key)
    if (current?.read !== context) this.states.set(key, (current = { read: context, value: this.make() }))
    return current.value
  }
}

/** The sessions the current {@link sessionsAndJobsSelect} read has delivered so far. */
const machineWindows = new PerRead(() => new MachineWindows())

/**
 * The machine-window pairs the current read has emitted. A pair's lot is in one batch of CIDs, so
 * only that batch's read can meet the pair again: kept per read, the set holds one batch's pairs,
 * not every pair of the run (4.7 million at 120 000 lots, over 1 GB of keys).
 */
const emittedWindowPairs = new PerRead(() => new Set<string>())

/**
 * The normalized rows of one call: a session row is kept for the jobs after it, a job row becomes
 * one machine-window row per lot it overlaps (as the SQL join would have given them, in the same
 * order); every other row is normalized as it comes.
 */
function matchedWindows(source: readonly SourceRow[], cell: CellReader, context: BatchContext): Record<string, Cell>[] {
  const out: Record<string, Cell>[] = []
  for (const raw of source) {
    const kind = raw.MATCH_KIND
    if (kind !== SESSION_ROW && kind !== MACHINE_JOB_ROW) {
      out.push(normalizedRow(raw, cell))
      continue
    }
    const windows = machineWindows.of(context)
    if (kind === SESSION_ROW) {
      windows.addSession(raw)
      continue
    }
    const matches = windows.match(raw)
    if (matches.length === 0) continue
    const job = normalizedRow(raw, cell)
    for (const { cid, name } of matches) {
      out.push({ ...job, MATCHED_CID: cid, MATCHED_NAME: cell({ MATCHED_NAME: name }, 'MATCHED_NAME'), MATCH_KIND: WINDOW_ROW })
    }
  }
  return out
}

/**
 * `emit(JOBS_COLUMNS, { ...row, CONTAINERID, CONTAINERNAME, MATCHED_BY })` without the spread copy
 * (millions of rows in a whole-plant run): `emit` places the three columns, then they are set.
 */
function jobRow(row: Readonly<Record<string, Cell>>, cid: string, name: string | null, matchedBy: string): EventRow {
  const out = emit(JOBS_COLUMNS, row)
  out.CONTAINERID = cid
  out.CONTAINERNAME = name
  out.MATCHED_BY = matchedBy
  return out
}

/** The jobs rows of one call from its normalized rows: each (job, lot) pair once with its label, in §4.2 order. */
function finishJobs(rows: readonly Record<string, Cell>[], context: BatchContext): EventRow[] {
  const inBatch = cidSetOf(context.cids)
  // Within a batch statement both kinds of rows come in one call; in a scan batch the window
  // rows come first (read before the scan) and `carry` hands their findings to the scan's calls.
  const carry = context.carry ?? new Set<string>()
  const emittedWindows = emittedWindowPairs.of(context)
  const out: EventRow[] = []
  // Machine windows first: a pair whose job also lists the lot is left to the list rows (which
  // label it "both"); any other pair is emitted once, however many sessions matched it.
  for (const row of rows) {
    if (row.MATCH_KIND !== WINDOW_ROW) continue
    const cid = textOf(row.MATCHED_CID ?? null)
    if (cid === null || !inBatch.has(cid)) continue
    const key = pairKey(row.JOBID ?? null, cid)
    if (listedCids(row).includes(cid)) {
      carry.add(key)
      continue
    }
    if (emittedWindows.has(key)) continue
    emittedWindows.add(key)
    out.push(jobRow(row, cid, textOf(row.MATCHED_NAME ?? null), MATCHED_BY_WINDOW))
  }
  // One output row per (job, listed CID of this batch). Matching the trimmed list items exactly
  // drops LIKE hits that were only substrings of another CID, and emitting only this batch's CIDs
  // means a job listing lots of several batches is emitted once per lot, never twice. For a table
  // scan the "batch" is every requested CID.
  for (const row of rows) {
    if (row.MATCH_KIND === WINDOW_ROW) continue
    const listed = listedCids(row)
    // The names list runs parallel to the CID list; when their lengths differ (one was cut
    // short), no position can be trusted and the lot's name stays unknown.
    const names = typeof row.CONTAINERNAMES === 'string' ? row.CONTAINERNAMES.split(',') : []
    const parallel = names.length === listed.length
    const emitted = new Set<string>()
    for (const [i, cid] of listed.entries()) {
      if (!inBatch.has(cid) || emitted.has(cid)) continue
      emitted.add(cid)
      out.push(
        jobRow(row, cid, parallel ? textOf(names[i]!.trim()) : null, carry.has(pairKey(row.JOBID ?? null, cid)) ? MATCHED_BY_BOTH : MATCHED_BY_LIST),
      )
    }
  }
  // Stable: a job's lots keep their list order.
  return out.sort(compareJobs)
}

// ─── upstream_history ─────────────────────────────────────────────────────────────────────────

const UPSTREAM_COLUMNS = [
  'CONTAINERID', 'CONTAINERNAME', 'WORKCENTERNAME', 'WORKCENTER_GROUP', 'EQUIPMENTID', 'EQUIPMENTNAME', 'SPECNAME',
  'TRACKINTIMESTAMP', 'TRACKINQTY',
] as const

/** §4.2 order: CID, then track-in (missing times last); stable otherwise. */
function compareUpstream(a: EventRow, b: EventRow): number {
  return compareText(a.CONTAINERID ?? null, b.CONTAINERID ?? null) || compareTime(a.TRACKINTIMESTAMP ?? null, b.TRACKINTIMESTAMP ?? null, 'asc')
}

const upstreamHistory = define({
  domain: 'upstream_history',
  sourceTable: 'DW_MES_LOTWIPHISTORY',
  columns: UPSTREAM_COLUMNS,
  timeColumns: ['TRACKINTIMESTAMP'],
  numberColumns: ['TRACKINQTY'],
  filter: 'in',
  buildSql: (dialect, cids) =>
    inStatement(dialect, cids, (inList, t) => `SELECT h.CONTAINERID, c.CONTAINERNAME, h.WORKCENTERNAME, h.EQUIPMENTID, h.EQUIPMENTNAME, h.SPECNAME,
  h.TRACKINTIMESTAMP, h.TRACKINQTY
FROM ${t('DW_MES_LOTWIPHISTORY')} h
LEFT JOIN ${t('DW_MES_CONTAINER')} c ON c.CONTAINERID = h.CONTAINERID
WHERE h.CONTAINERID IN (${inList})
  AND h.EQUIPMENTID IS NOT NULL
  AND h.TRACKINTIMESTAMP IS NOT NULL
ORDER BY h.CONTAINERID, h.TRACKINTIMESTAMP`),
  finish: {
    fromSource(rows, cell) {
      // Per (CID, workcenter, machine) keep the latest track-in — a lot re-run on the same machine
      // counts once — with the largest TRACKINQTY among that track-in's partial track-outs
      // (domain.md §14 #4: the last partial records only the remaining qty). Only the cells this
      // needs are converted for every row, the others for the kept rows only.
      const latest = new Map<string, { kept: SourceRow; cid: Cell; workcenter: Cell; equipment: Cell; time: Cell; trackInQty: number | null }>()
      for (const row of rows) {
        const cid = cell(row, 'CONTAINERID')
        // Rows without a CID are dropped, as for every domain read by an IN list.
        if (textOf(cid) === null) continue
        const workcenter = cell(row, 'WORKCENTERNAME')
        const equipment = cell(row, 'EQUIPMENTNAME')
        const time = cell(row, 'TRACKINTIMESTAMP')
        const key = tupleKey(cid, workcenter, equipment)
        const current = latest.get(key)
        const order = current ? compareText(time, current.time) : 1
        if (!current || order > 0) {
          latest.set(key, { kept: row, cid, workcenter, equipment, time, trackInQty: maxNullable(null, cell(row, 'TRACKINQTY')) })
        } else if (order === 0) {
          current.trackInQty = maxNullable(current.trackInQty, cell(row, 'TRACKINQTY'))
        }
      }
      const out: EventRow[] = []
      for (const { kept, cid, workcenter, equipment, time, trackInQty } of latest.values()) {
        // Written out in UPSTREAM_COLUMNS order (what `emit` would build), one object per row.
        out.push({
          CONTAINERID: cid,
          CONTAINERNAME: cell(kept, 'CONTAINERNAME'),
          WORKCENTERNAME: workcenter,
          WORKCENTER_GROUP: stationGroupNameOf(textOf(workcenter)),
          EQUIPMENTID: cell(kept, 'EQUIPMENTID'),
          EQUIPMENTNAME: equipment,
          SPECNAME: cell(kept, 'SPECNAME'),
          TRACKINTIMESTAMP: time,
          TRACKINQTY: trackInQty ?? 0,
        })
      }
      return sortedBy(out, compareUpstream)
    },
  },
})

// ─── downstream_rejects ───────────────────────────────────────────────────────────────────────

const DOWNSTREAM_COLUMNS = [
  'CONTAINERID', 'CONTAINERNAME', 'WORKCENTERNAME', 'WORKCENTER_GROUP', 'LOSSREASONNAME', 'EQUIPMENTNAME', 'REJECT_TOTAL_QTY',
  'TXNDATE',
] as const

const DOWNSTREAM_QTY = ['REJECTQTY', 'STANDBYQTY', 'QTYTOPROCESS', 'INPROCESSQTY', 'PROCESSEDQTY', 'DEFECTQTY'] as const

const downstreamRejects = define({
  domain: 'downstream_rejects',
  sourceTable: 'DW_MES_LOTREJECTHISTORY',
  columns: DOWNSTREAM_COLUMNS,
  timeColumns: ['TXNDATE'],
  numberColumns: DOWNSTREAM_QTY,
  filter: 'in',
  buildSql: (dialect, cids) =>
    inStatement(dialect, cids, (inList, t) => `SELECT r.CONTAINERID, c.CONTAINERNAME, r.WORKCENTERNAME, r.LOSSREASONNAME, r.EQUIPMENTNAME,
  r.REJECTQTY, r.STANDBYQTY, r.QTYTOPROCESS, r.INPROCESSQTY, r.PROCESSEDQTY, r.DEFECTQTY, r.TXNDATE
FROM ${t('DW_MES_LOTREJECTHISTORY')} r
LEFT JOIN ${t('DW_MES_CONTAINER')} c ON c.CONTAINERID = r.CONTAINERID
WHERE r.CONTAINERID IN (${inList})
ORDER BY r.CONTAINERID, r.TXNDATE NULLS LAST`),
  finish: (rows) =>
    rows.map((row) =>
      emit(DOWNSTREAM_COLUMNS, {
        ...row,
        WORKCENTER_GROUP: stationGroupNameOf(textOf(row.WORKCENTERNAME ?? null)),
        LOSSREASONNAME: orDefault(row.LOSSREASONNAME ?? null, LOSS_REASON_NOT_FILLED),
        EQUIPMENTNAME: orDefault(row.EQUIPMENTNAME ?? null, NOT_AVAILABLE),
        // Six fields: MSD counts non-charge-off defects too, unlike the `rejects` domain (§14 #3).
        REJECT_TOTAL_QTY: DOWNSTREAM_QTY.reduce((sum, c) => sum + qty(row[c] ?? null), 0),
      }),
    ),
})

// ─── factor links (the MSD analysis's summary of its event domains) ─────────────────────────────

/**
 * The kinds of factor link the MSD analysis reads: machines passed (both directions), materials
 * consumed (backward), rejects downstream (forward).
 */
export type FactorLinkKind = 'upstream' | 'materials' | 'downstream_rejects'

/** The columns of each kind of link row, named and valued as the event columns they summarize. */
export const FACTOR_LINK_COLUMNS: Readonly<Record<FactorLinkKind, readonly string[]>> = {
  upstream: ['CONTAINERID', 'WORKCENTER_GROUP', 'EQUIPMENTNAME', 'EQUIPMENTID', 'TRACKINTIMESTAMP', 'TRACKINQTY'],
  materials: ['CONTAINERID', 'WORKCENTERNAME', 'MATERIALPARTNAME', 'MATERIALLOTNAME', 'TXNDATE'],
  downstream_rejects: ['CONTAINERID', 'WORKCENTER_GROUP', 'LOSSREASONNAME', 'EQUIPMENTNAME', 'REJECT_TOTAL_QTY'],
}

/**
 * One batch's factor links, computed by the source's own SQL instead of from the event rows: what
 * the MSD analysis reads of the `upstream_history`, `materials` and `downstream_rejects` domains,
 * and no more.
 * - upstream: per (CID, workcenter, machine name) the latest track-in, its machine id and the
 *   largest track-in quantity among its partial track-outs — the upstream domain's rule (a lot
 *   re-run on the same machine counts once; §14 #4), with the source's smallest id where rows of
 *   that latest track-in name different ids (the domain keeps whichever row the read returned first);
 * - materials: per (CID, workcenter, part, material lot) the first consumption; rows without a part
 *   are left out, as the analysis leaves them out;
 * - downstream_rejects: the reject rows themselves, with the columns the analysis reads.
 * Same filters as the domains' reads (machine and track-in present; a CID in the list), and, when
 * `workcenters` is given, only rows at those workcenters (the forward analysis's later stations).
 * A batch is at most `dialect.maxValueList` CIDs.
 */
export function factorLinkSql(kind: FactorLinkKind, dialect: Dialect, cids: readonly string[], workcenters?: readonly string[]): BuiltSql {
  const params = new SqlParams(dialect)
  // Up to `dialect.maxValueList` CIDs: one JSON text on PostgreSQL and SQLite, an IN list on Oracle.
  const inList = params.valueList(cids)
  const t = (name: string): string => dialect.table(name)
  const at = (column: string): string => (workcenters ? `\n  AND ${column} IN (${params.list(workcenters)})` : '')
  if (kind === 'upstream') {
    return {
      sql: `SELECT x.CONTAINERID, x.WORKCENTERNAME, x.EQUIPMENTNAME, MIN(x.EQUIPMENTID) AS EQUIPMENTID, x.TRACKINTIMESTAMP, MAX(x.TRACKINQTY) AS TRACKINQTY
FROM (
  SELECT h.CONTAINERID, h.WORKCENTERNAME, h.EQUIPMENTNAME, h.EQUIPMENTID, h.TRACKINTIMESTAMP, h.TRACKINQTY,
    MAX(h.TRACKINTIMESTAMP) OVER (PARTITION BY h.CONTAINERID, h.WORKCENTERNAME, h.EQUIPMENTNAME) AS LATEST
  FROM ${t('DW_MES_LOTWIPHISTORY')} h
  WHERE h.CONTAINERID IN (${inList})
    AND h.EQUIPMENTID IS NOT NULL
    AND h.TRACKINTIMESTAMP IS NOT NULL${at('h.WORKCENTERNAME')}
) x
WHERE x.TRACKINTIMESTAMP = x.LATEST
GROUP BY x.CONTAINERID, x.WORKCENTERNAME, x.EQUIPMENTNAME, x.TRACKINTIMESTAMP`,
      params: params.values,
    }
  }
  if (kind === 'materials') {
    return {
      sql: `SELECT m.CONTAINERID, m.WORKCENTERNAME, m.MATERIALPARTNAME, m.MATERIALLOTNAME, MIN(m.TXNDATE) AS TXNDATE
FROM ${t('DW_MES_LOTMATERIALSHISTORY')} m
WHERE m.CONTAINERID IN (${inList})
  AND m.MATERIALPARTNAME IS NOT NULL${at('m.WORKCENTERNAME')}
GROUP BY m.CONTAINERID, m.WORKCENTERNAME, m.MATERIALPARTNAME, m.MATERIALLOTNAME`,
      params: params.values,
    }
  }
  return {
    sql: `SELECT r.CONTAINERID, r.WORKCENTERNAME, r.LOSSREASONNAME, r.EQUIPMENTNAME, ${DOWNSTREAM_QTY.map((c) => `r.${c}`).join(', ')}
FROM ${t('DW_MES_LOTREJECTHISTORY')} r
WHERE r.CONTAINERID IN (${inList})${at('r.WORKCENTERNAME')}`,
    params: params.values,
  }
}

const NUMBER_KIND: ReadonlyMap<string, CellKind> = new Map([...DOWNSTREAM_QTY, 'TRACKINQTY'].map((c) => [c, NUMBER_CELL]))

/**
 * The rows of {@link factorLinkSql} with every value converted as the domain's event rows have it
 * (times normalized, quantities parsed, text as text, the station group of the workcenter, the
 * defaults and the six-field reject total of the downstream domain), in {@link FACTOR_LINK_COLUMNS}
 * order; rows without a CID are dropped, as the domains drop them.
 */
export function factorLinkRows(kind: FactorLinkKind, rows: readonly SourceRow[]): (string | number | null)[][] {
  const out: (string | number | null)[][] = []
  const text = (row: SourceRow, column: string): Cell => cellOf(row[column], undefined)
  for (const row of rows) {
    const cid = text(row, 'CONTAINERID')
    if (textOf(cid) === null) continue
    const group = (): string | null => stationGroupNameOf(textOf(text(row, 'WORKCENTERNAME')))
    if (kind === 'upstream') {
      const trackInQty = maxNullable(null, cellOf(row.TRACKINQTY, NUMBER_CELL))
      out.push([cid, group(), text(row, 'EQUIPMENTNAME'), text(row, 'EQUIPMENTID'), cellOf(row.TRACKINTIMESTAMP, TIME_CELL), trackInQty ?? 0])
    } else if (kind === 'materials') {
      out.push([cid, text(row, 'WORKCENTERNAME'), text(row, 'MATERIALPARTNAME'), text(row, 'MATERIALLOTNAME'), cellOf(row.TXNDATE, TIME_CELL)])
    } else {
      out.push([
        cid,
        group(),
        orDefault(text(row, 'LOSSREASONNAME'), LOSS_REASON_NOT_FILLED),
        orDefault(text(row, 'EQUIPMENTNAME'), NOT_AVAILABLE),
        DOWNSTREAM_QTY.reduce((sum, c) => sum + qty(cellOf(row[c], NUMBER_KIND.get(c))), 0),
      ])
    }
  }
  return out
}

// ─── catalogue ────────────────────────────────────────────────────────────────────────────────

/** The definition of every domain. */
export const EVENT_DOMAINS: Readonly<Record<Domain, EventDomainDefinition>> = {
  history,
  materials,
  rejects,
  holds,
  jobs,
  upstream_history: upstreamHistory,
  downstream_rejects: downstreamRejects,
}

/** Collapses spec-map rows to one mapping per spec: the row with the smallest group sequence. */
export function collapseSpecMap(rows: readonly SourceRow[]): SpecMap {
  const map = new Map<string, SpecMapping>()
  // Workcenter → its mapping with the smallest sequence (the group is read from it at the end).
  const byWorkcenter = new Map<string, SpecMapping>()
  for (const row of rows) {
    const candidate: SpecMapping = {
      workcenterName: textOf(toText(row.WORK_CENTER)),
      workcenterGroup: textOf(toText(row.WORK_CENTER_GROUP)),
      sequence: toNumber(row.WORKCENTERSEQUENCE_GROUP),
    }
    const workcenter = candidate.workcenterName
    if (workcenter !== null && candidate.workcenterGroup !== null) {
      const seen = byWorkcenter.get(workcenter)
      if (!seen || isEarlierGroup(candidate, seen)) byWorkcenter.set(workcenter, candidate)
    }
    const spec = toText(row.SPEC)
    if (spec === null || spec === '') continue
    const current = map.get(spec)
    if (!current || isEarlierMapping(candidate, current)) map.set(spec, candidate)
  }
  const workcenterGroups = new Map([...byWorkcenter].map(([workcenter, m]) => [workcenter, m.workcenterGroup!] as const))
  return Object.assign(map, { workcenterGroups })
}

/** Smaller sequence first (a missing sequence last); ties go to the smaller group name. */
function isEarlierGroup(a: SpecMapping, b: SpecMapping): boolean {
  const sa = a.sequence ?? UNKNOWN_STATION_ORDER + 1
  const sb = b.sequence ?? UNKNOWN_STATION_ORDER + 1
  if (sa !== sb) return sa < sb
  return compareText(a.workcenterGroup, b.workcenterGroup) < 0
}

/** Smaller sequence first (a missing sequence last); ties go to the smaller workcenter name. */
function isEarlierMapping(a: SpecMapping, b: SpecMapping): boolean {
  const sa = a.sequence ?? UNKNOWN_STATION_ORDER + 1
  const sb = b.sequence ?? UNKNOWN_STATION_ORDER + 1
  if (sa !== sb) return sa < sb
  return compareText(a.workcenterName, b.workcenterName) < 0
}

/**
 * Loads and collapses {@link SPEC_WORKCENTER_TABLE} (≈230 rows, so one `all` read). Returns
 * `null` when the source does not have the view with all its columns — the optional table is
 * then replaced by the station substring rules. Query errors propagate.
 */
export async function loadSpecMap(source: MesSource, signal?: AbortSignal): Promise<SpecMap | null> {
  const catalog = await source.catalog()
  const columns = catalog.get(SPEC_WORKCENTER_TABLE)
  if (!columns || SPEC_WORKCENTER_COLUMNS.some((c) => !columns.has(c))) return null
  const rows = await source.all(
    `SELECT SPEC, WORK_CENTER, WORK_CENTER_GROUP, WORKCENTERSEQUENCE_GROUP FROM ${source.dialect.table(SPEC_WORKCENTER_TABLE)}`,
    [],
    signal ? { signal } : {},
  )
  return collapseSpecMap(rows)
}
