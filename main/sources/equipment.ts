/**
 * The reads of the equipment tab (設備生產批次追蹤, original-ui.md §1): the production machines of
 * a source, and for chosen machines over a date range the lots they processed, their repair jobs,
 * their scrap by loss reason and a timeline of status, lots and jobs. Each read is one or two
 * bounded statements through an index of the source schema, written once with the dialect layer.
 *
 * What was kept of the original and what was changed:
 * - Machine list: the original's production filter (ASSEMBLY/ASSEMBLY or WAFERSORT/WAFERSORT, a
 *   workcenter, not in a non-production location, not Disapproved), each part only where the
 *   source has its column; sorted by station order first (the original: workcenter, name), so the
 *   picker's station groups follow the process. Without `DW_MES_RESOURCE` the machines that
 *   tracked lots in over the last days of data are listed instead of nothing.
 * - Date ranges: `col >= start 00:00:00 AND col < end + 1 day`, as the original.
 * - Lots: the original's rows (partial track-outs kept once, with their latest track-out), paged
 *   on the source instead of read whole; ties broken down to the lot, so every page is the same
 *   on SQLite, PostgreSQL and Oracle (text is compared by code units on all three).
 * - Jobs: the original's row set, jobs CREATED in the range (a job opened before the range and
 *   still open is not listed, as in the original; the timeline shows the jobs of the same rows).
 * - Rejects: the original's groups and sums; its TOTAL_DEFECT_QTY (the charge-off sum) is named
 *   TOTAL_CHARGE_OFF_QTY, and TOTAL_DEFECT_QTY is ΣDEFECTQTY as on the lot tab. The machine names
 *   come from `DW_MES_RESOURCE` on the server, not from the picker's labels.
 * - Timeline: status stretches as the status table records them, in real chronology (the
 *   original drew back-to-back blocks from the window's start and left EGT and NST out); status
 *   hours have a row for every machine asked, in the order asked (zeros when it has none).
 */
import { compareCodeUnits } from '../../shared/compare.js'
import { defaultRangeIn, type SourceDataWindow } from '../../shared/data-window.js'
import {
  EQUIPMENT_DEFAULT_DAYS, EQUIPMENT_HARD_MAX_MACHINES, EQUIPMENT_JOB_COLUMNS, EQUIPMENT_LOT_COLUMNS, EQUIPMENT_REJECT_COLUMNS,
  EQUIPMENT_STATUS_COLUMNS, EQUIPMENT_TIMELINE_MAX_LOTS, MACHINE_STATUSES, NON_PRODUCTION_LOCATIONS,
  RESOURCE_PRODUCTION_COLUMNS, type EquipmentExport, type EquipmentJobs, type EquipmentLotsPage, type EquipmentQuery,
  type EquipmentRejects, type EquipmentTimeline, type MachineList, type ProductionMachine, type StatusSegment,
  type TimelineJob, type TimelineLot,
} from '../../shared/equipment.js'
import { AppError, invalidInput, throwIfCancelled } from '../../shared/errors.js'
import { stationGroupOf, stationOrder } from '../../shared/stations.js'
import { addDays, daysBetween, normalizePlantTime, parseCalendarDate } from '../../shared/time.js'
import type { EventRow } from '../../shared/trace.js'
import { readDataWindow } from './data-window.js'
import { SqlParams, chunk, type Dialect } from './dialect.js'
import type { MesSource, QueryOptions, SourceCatalog, SourceRow } from './mes-source.js'

/** The limits a request must keep (the settings `EQUIPMENT_MAX_MACHINES` and `EQUIPMENT_MAX_DAYS`). */
export interface EquipmentLimits {
  max_machines: number
  max_days: number
}

/** Rows of a lots page when the caller does not say. */
export const EQUIPMENT_LOTS_PAGE = 200
/** Most rows of one lots page. */
export const EQUIPMENT_LOTS_MAX_PAGE = 1000

/** The optional tables the tab's views use, in the order `missing_tables` names them. */
const OPTIONAL_TABLES = ['DW_MES_RESOURCE', 'DW_MES_RESOURCESTATUS_SHIFT', 'DW_MES_JOBTXNHISTORY'] as const
const STATUS_TABLE = 'DW_MES_RESOURCESTATUS_SHIFT'

/** The columns each optional table needs for the tab to use it; without one the table counts as missing. */
const NEEDED_COLUMNS: Readonly<Record<(typeof OPTIONAL_TABLES)[number], readonly string[]>> = {
  DW_MES_RESOURCE: ['RESOURCEID', 'RESOURCENAME', 'WORKCENTERNAME'],
  DW_MES_RESOURCESTATUS_SHIFT: ['HISTORYID', 'TXNDATE', 'NEWSTATUSNAME', 'HOURS'],
  DW_MES_JOBTXNHISTORY: ['JOBID', 'TXNDATE'],
}

function usable(catalog: SourceCatalog, table: (typeof OPTIONAL_TABLES)[number]): boolean {
  const columns = catalog.get(table)
  return columns !== undefined && NEEDED_COLUMNS[table].every((c) => columns.has(c))
}

/** Rows of a chunk the exports hand on. */
const EXPORT_CHUNK = 5000

/** Most machines the history fallback of the machine list walks one by one. */
const MAX_MACHINE_SEEKS = 5000

const LOT_TIME_COLUMNS = new Set(['TRACKINTIMESTAMP', 'TRACKOUTTIMESTAMP'])
const LOT_NUMBER_COLUMNS = new Set(['TRACKINQTY', 'TRACKOUTQTY'])
const JOB_TIME_COLUMNS = new Set(['CREATEDATE', 'COMPLETEDATE'])

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null
  const s = String(value).trim()
  return s === '' ? null : s
}

/** A number read from a source (PostgreSQL hands sums and counts over as text). */
function num(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null
  const n = typeof value === 'number' ? value : Number(value)
  return Number.isFinite(n) ? n : null
}

/** A source value as a cell: times in the app's plant-local ISO form, numbers as numbers. */
function cell(value: unknown, kind: 'time' | 'number' | 'text'): string | number | null {
  if (kind === 'time') return normalizePlantTime(value)
  if (kind === 'number') return num(value)
  if (value === null || value === undefined) return null
  return typeof value === 'number' ? value : String(value)
}

function queryOptions(signal: AbortSignal | undefined): QueryOptions {
  return signal ? { signal } : {}
}

/** Code-unit order with nulls last. */
function compareNullable(a: string | number | null | undefined, b: string | number | null | undefined): number {
  const an = a === null || a === undefined
  const bn = b === null || b === undefined
  if (an || bn) return an === bn ? 0 : an ? 1 : -1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return compareCodeUnits(String(a), String(b))
}

/**
 * An `ORDER BY` term on a text column compared by code units on every database: SQLite compares
 * text by bytes already; PostgreSQL and Oracle are told to (their default follows the locale).
 */
function binary(dialect: Dialect, expression: string): string {
  if (dialect.name === 'postgres') return `${expression} COLLATE "C"`
  if (dialect.name === 'oracle') return `NLSSORT(${expression}, 'NLS_SORT=BINARY')`
  return expression
}

/**
 * Rows `offset` … `offset + limit - 1` of an ordered statement, with bound values: `LIMIT`/`OFFSET`
 * on SQLite and PostgreSQL, `ROWNUM` on Oracle (11g has no `OFFSET`), whose rows then carry an
 * extra `PAGE_ROW` column.
 */
function paged(dialect: Dialect, params: SqlParams, ordered: string, offset: number, limit: number): string {
  if (dialect.name === 'oracle') {
    const last = params.add(offset + limit)
    return `SELECT * FROM (SELECT x.*, ROWNUM AS PAGE_ROW FROM (\n${ordered}\n) x WHERE ROWNUM <= ${last}) WHERE PAGE_ROW > ${params.add(offset)}`
  }
  return `${ordered}\nLIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`
}

/** The machine ids of a request, trimmed and each once, in the order given. */
function uniqueIds(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => (typeof id === 'string' ? id.trim() : '')).filter((id) => id !== ''))]
}

/**
 * Checks a request against the limits; throws `input/invalid` naming the field. Machines named
 * twice count once.
 */
export function checkEquipmentQuery(query: EquipmentQuery, limits: EquipmentLimits): void {
  if (!Array.isArray(query.equipment_ids) || query.equipment_ids.some((id) => typeof id !== 'string' || id.trim() === '')) {
    throw invalidInput('equipment_ids', 'must be a list of machine ids (RESOURCEID)')
  }
  const ids = uniqueIds(query.equipment_ids)
  if (ids.length === 0) throw invalidInput('equipment_ids', 'choose at least one machine')
  if (ids.length > limits.max_machines) {
    throw invalidInput('equipment_ids', `at most ${limits.max_machines} machines per query, got ${ids.length}`, { max: limits.max_machines })
  }
  if (typeof query.start_date !== 'string' || !parseCalendarDate(query.start_date)) {
    throw invalidInput('start_date', `expected a date YYYY-MM-DD, got ${JSON.stringify(query.start_date)}`)
  }
  if (typeof query.end_date !== 'string' || !parseCalendarDate(query.end_date)) {
    throw invalidInput('end_date', `expected a date YYYY-MM-DD, got ${JSON.stringify(query.end_date)}`)
  }
  const days = daysBetween(query.start_date, query.end_date)
  if (days < 0) throw invalidInput('end_date', 'must not be before start_date')
  // Days as the page counts them, both ends included (the original allowed end − start ≤ 90,
  // 91 days): the form's count and the limit it shows then agree.
  if (days + 1 > limits.max_days) {
    throw invalidInput('end_date', `the range may span at most ${limits.max_days} days (both ends counted), got ${days + 1}`, { max: limits.max_days })
  }
}

/** A checked request: its machines and its range as bound times. */
interface Prepared {
  ids: string[]
  from: string
  until: string
  start: string
  end: string
}

/** Checks a request against the hard limits only (the service checks the settings first). */
function prepare(query: EquipmentQuery): Prepared {
  checkEquipmentQuery(query, { max_machines: EQUIPMENT_HARD_MAX_MACHINES, max_days: Number.MAX_SAFE_INTEGER })
  const until = addDays(query.end_date, 1)
  return {
    ids: uniqueIds(query.equipment_ids),
    from: `${query.start_date} 00:00:00`,
    until: `${until} 00:00:00`,
    start: query.start_date,
    end: query.end_date,
  }
}

// ---------------------------------------------------------------------------------------------
// Machine list

function compareMachines(a: ProductionMachine, b: ProductionMachine): number {
  return (
    stationOrder(a.station) - stationOrder(b.station) ||
    compareNullable(a.workcenter, b.workcenter) ||
    compareCodeUnits(a.name, b.name) ||
    compareCodeUnits(a.resource_id, b.resource_id)
  )
}

function machineOf(id: string, name: string | null, workcenter: string | null, family: string | null): ProductionMachine {
  return { resource_id: id, name: name ?? id, workcenter, station: stationGroupOf(workcenter)?.name ?? null, family }
}

/** Production machines of `DW_MES_RESOURCE` by the original's filter, on the columns the source has. */
async function resourceMachines(source: MesSource, columns: ReadonlySet<string>, signal: AbortSignal | undefined): Promise<{ machines: ProductionMachine[]; filteredBy: string[] }> {
  const { dialect } = source
  const params = new SqlParams(dialect)
  const where = ['WORKCENTERNAME IS NOT NULL']
  const filteredBy = RESOURCE_PRODUCTION_COLUMNS.filter((c) => columns.has(c))
  const category = columns.has('OBJECTCATEGORY')
  const type = columns.has('OBJECTTYPE')
  if (category && type) {
    where.push(
      `((OBJECTCATEGORY = ${params.add('ASSEMBLY')} AND OBJECTTYPE = ${params.add('ASSEMBLY')}) ` +
        `OR (OBJECTCATEGORY = ${params.add('WAFERSORT')} AND OBJECTTYPE = ${params.add('WAFERSORT')}))`,
    )
  } else if (category || type) {
    // Half of the pair: the one column must still name a production kind.
    where.push(`${category ? 'OBJECTCATEGORY' : 'OBJECTTYPE'} IN (${params.list(['ASSEMBLY', 'WAFERSORT'])})`)
  }
  if (columns.has('LOCATIONNAME')) where.push(`(LOCATIONNAME IS NULL OR LOCATIONNAME NOT IN (${params.list(NON_PRODUCTION_LOCATIONS)}))`)
  if (columns.has('PJ_ASSETSSTATUS')) where.push(`(PJ_ASSETSSTATUS IS NULL OR PJ_ASSETSSTATUS <> ${params.add('Disapproved')})`)
  const family = columns.has('RESOURCEFAMILYNAME') ? 'RESOURCEFAMILYNAME' : 'NULL AS RESOURCEFAMILYNAME'
  const sql = `SELECT RESOURCEID, RESOURCENAME, WORKCENTERNAME, ${family} FROM ${dialect.table('DW_MES_RESOURCE')} WHERE ${where.join(' AND ')}`
  const machines: ProductionMachine[] = []
  for (const row of await source.all(sql, params.values, queryOptions(signal))) {
    const id = text(row.RESOURCEID)
    if (id) machines.push(machineOf(id, text(row.RESOURCENAME), text(row.WORKCENTERNAME), text(row.RESOURCEFAMILYNAME)))
  }
  return { machines, filteredBy: [...filteredBy] }
}

async function scalar(source: MesSource, sql: string, params: readonly (string | number | null)[], signal: AbortSignal | undefined): Promise<unknown> {
  const [row] = await source.all(sql, params, queryOptions(signal))
  return row ? Object.values(row)[0] : undefined
}

/**
 * Machines that tracked lots in since `since`, walked on the `(EQUIPMENTID, TRACKINTIMESTAMP)`
 * index: the next machine id after the last one, then its latest track-in since `since` (one
 * row from the index's end), whose name and workcenter stand for the machine. A few statements
 * per machine instead of a scan of the whole history.
 */
async function historyMachines(source: MesSource, since: string, signal: AbortSignal | undefined): Promise<ProductionMachine[]> {
  const { dialect } = source
  const table = dialect.table('DW_MES_LOTWIPHISTORY')
  const machines: ProductionMachine[] = []
  let id = await scalar(source, `SELECT MIN(EQUIPMENTID) AS NEXT_ID FROM ${table}`, [], signal)
  for (let seeks = 0; typeof id === 'string' && seeks < MAX_MACHINE_SEEKS; seeks++) {
    const params = new SqlParams(dialect)
    const sql = paged(
      dialect, params,
      `SELECT EQUIPMENTNAME, WORKCENTERNAME FROM ${table} WHERE EQUIPMENTID = ${params.add(id)} ` +
        `AND TRACKINTIMESTAMP >= ${params.timestamp(since)} ORDER BY TRACKINTIMESTAMP DESC`,
      0, 1,
    )
    const [row] = await source.all(sql, params.values, queryOptions(signal))
    if (row && id.trim() !== '') machines.push(machineOf(id.trim(), text(row.EQUIPMENTNAME), text(row.WORKCENTERNAME), null))
    id = await scalar(source, `SELECT MIN(EQUIPMENTID) AS NEXT_ID FROM ${table} WHERE EQUIPMENTID > ${dialect.placeholder(0)}`, [id], signal)
  }
  return machines
}

/**
 * The machine picker's list (`equipment:machines`): production machines from `DW_MES_RESOURCE`,
 * or without it the machines of the last {@link EQUIPMENT_DEFAULT_DAYS} days of lot history;
 * the optional tables the tab misses; the default range (the last days of data); the limits.
 */
export async function readMachineList(
  source: MesSource,
  options: { limits: EquipmentLimits; window?: SourceDataWindow; signal?: AbortSignal },
): Promise<MachineList> {
  const { signal } = options
  const catalog = await source.catalog()
  const missing = OPTIONAL_TABLES.filter((t) => !usable(catalog, t))
  const window = options.window ?? (await readDataWindow(source, signal ? { signal } : {}))
  const range = defaultRangeIn(window, EQUIPMENT_DEFAULT_DAYS)
  const resource = catalog.get('DW_MES_RESOURCE')
  let machines: ProductionMachine[] = []
  let filteredBy: string[] = []
  let from: MachineList['from'] = 'resource'
  if (resource && usable(catalog, 'DW_MES_RESOURCE')) {
    ;({ machines, filteredBy } = await resourceMachines(source, resource, signal))
  } else {
    from = 'history'
    if (range) machines = (await historyMachines(source, `${range.start} 00:00:00`, signal)).filter((m) => m.workcenter !== null)
  }
  machines.sort(compareMachines)
  return {
    machines,
    from,
    filtered_by: filteredBy,
    missing_tables: [...missing],
    default_range: range,
    limits: { max_machines: options.limits.max_machines, max_days: options.limits.max_days },
  }
}

// ---------------------------------------------------------------------------------------------
// Lots

/**
 * The lots view's rows as a derived table `v` joined with the container: one row per (lot,
 * machine, spec, track-in) of the machines in the range, the partial track-out with the latest
 * track-out kept (nulls last; equal track-outs by quantity, so the kept row is the same on every
 * database). `params` receives the ids and times. The container (`c`) is joined unless only counted.
 */
function lotsFrom(dialect: Dialect, params: SqlParams, q: Prepared, withContainer = true): string {
  return `FROM (
  SELECT h.CONTAINERID, h.EQUIPMENTID, h.EQUIPMENTNAME, h.WORKCENTERNAME, h.SPECNAME, h.PJ_WORKORDER,
    h.TRACKINTIMESTAMP, h.TRACKOUTTIMESTAMP, h.TRACKINQTY, h.TRACKOUTQTY,
    ROW_NUMBER() OVER (PARTITION BY h.CONTAINERID, h.EQUIPMENTID, h.SPECNAME, h.TRACKINTIMESTAMP
      ORDER BY h.TRACKOUTTIMESTAMP DESC NULLS LAST, h.TRACKOUTQTY DESC NULLS LAST, h.TRACKINQTY DESC NULLS LAST) AS KEEP_RANK
  FROM ${dialect.table('DW_MES_LOTWIPHISTORY')} h
  WHERE h.EQUIPMENTID IN (${params.list(q.ids)})
    AND h.TRACKINTIMESTAMP IS NOT NULL
    AND h.TRACKINTIMESTAMP >= ${params.timestamp(q.from)} AND h.TRACKINTIMESTAMP < ${params.timestamp(q.until)}
) v${withContainer ? `\nLEFT JOIN ${dialect.table('DW_MES_CONTAINER')} c ON c.CONTAINERID = v.CONTAINERID` : ''}
WHERE v.KEEP_RANK = 1`
}

const LOTS_SELECT = `SELECT c.CONTAINERNAME, c.FIRSTNAME, c.PJ_TYPE, c.PJ_BOP, v.SPECNAME, v.PJ_WORKORDER, v.TRACKINTIMESTAMP,
  v.TRACKOUTTIMESTAMP, v.TRACKINQTY, v.TRACKOUTQTY, v.EQUIPMENTNAME, v.WORKCENTERNAME, v.CONTAINERID, v.EQUIPMENTID`

/** The lots view's order (machine name, track-in, lot), down to the row so pages never shift. */
function lotsOrder(dialect: Dialect, byTime: boolean): string {
  const b = (e: string): string => binary(dialect, e)
  const name = `${b('v.EQUIPMENTNAME')} NULLS LAST`
  const rest = `${b('c.CONTAINERNAME')} NULLS LAST, ${b('v.CONTAINERID')}, ${b('v.SPECNAME')} NULLS LAST, ${b('v.EQUIPMENTID')}`
  return byTime ? `ORDER BY v.TRACKINTIMESTAMP, ${name}, ${rest}` : `ORDER BY ${name}, v.TRACKINTIMESTAMP, ${rest}`
}

function lotRow(row: SourceRow): EventRow {
  const out: EventRow = {}
  for (const column of EQUIPMENT_LOT_COLUMNS) {
    out[column] = cell(row[column], LOT_TIME_COLUMNS.has(column) ? 'time' : LOT_NUMBER_COLUMNS.has(column) ? 'number' : 'text')
  }
  return out
}

async function countLots(source: MesSource, q: Prepared, signal: AbortSignal | undefined): Promise<number> {
  const params = new SqlParams(source.dialect)
  const sql = `SELECT COUNT(*) AS N ${lotsFrom(source.dialect, params, q, false)}`
  return num(await scalar(source, sql, params.values, signal)) ?? 0
}

/**
 * One page of the lots view and the rows of the whole query: the count is a window over the
 * same rows, so the rows are read and sorted once. A page past the end has no row to carry the
 * count; it is counted apart then.
 */
async function lotsPage(
  source: MesSource, q: Prepared, offset: number, limit: number, byTime: boolean, signal: AbortSignal | undefined,
): Promise<{ rows: SourceRow[]; total: number }> {
  const { dialect } = source
  const params = new SqlParams(dialect)
  const sql = paged(dialect, params, `${LOTS_SELECT}, COUNT(*) OVER () AS TOTAL_ROWS\n${lotsFrom(dialect, params, q)}\n${lotsOrder(dialect, byTime)}`, offset, limit)
  const rows = await source.all(sql, params.values, queryOptions(signal))
  const total = rows.length > 0 ? (num(rows[0]!.TOTAL_ROWS) ?? 0) : offset === 0 ? 0 : await countLots(source, q, signal)
  return { rows, total }
}

/**
 * A page of the lots the machines processed in the range (`equipment:lots`), ordered by machine
 * name, track-in, lot; `total` counts the whole query.
 */
export async function readEquipmentLots(
  source: MesSource,
  query: EquipmentQuery,
  options: { offset?: number; limit?: number; signal?: AbortSignal } = {},
): Promise<EquipmentLotsPage> {
  const q = prepare(query)
  const offset = options.offset ?? 0
  const limit = options.limit ?? EQUIPMENT_LOTS_PAGE
  if (!Number.isSafeInteger(offset) || offset < 0) throw invalidInput('offset', 'must be a whole number, 0 or more')
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > EQUIPMENT_LOTS_MAX_PAGE) {
    throw invalidInput('limit', `must be a whole number from 1 to ${EQUIPMENT_LOTS_MAX_PAGE}`)
  }
  const { rows, total } = await lotsPage(source, q, offset, limit, false, options.signal)
  return { rows: rows.map(lotRow), total, offset, limit }
}

// ---------------------------------------------------------------------------------------------
// Jobs

async function jobRows(source: MesSource, q: Prepared, signal: AbortSignal | undefined): Promise<EventRow[]> {
  const { dialect } = source
  const params = new SqlParams(dialect)
  const sql =
    `SELECT ${EQUIPMENT_JOB_COLUMNS.join(', ')} FROM ${dialect.table('DW_MES_JOB')} ` +
    `WHERE RESOURCEID IN (${params.list(q.ids)}) ` +
    `AND CREATEDATE >= ${params.timestamp(q.from)} AND CREATEDATE < ${params.timestamp(q.until)}`
  const rows = (await source.all(sql, params.values, queryOptions(signal))).map((row) => {
    const out: EventRow = {}
    for (const column of EQUIPMENT_JOB_COLUMNS) out[column] = cell(row[column], JOB_TIME_COLUMNS.has(column) ? 'time' : 'text')
    return out
  })
  // Machine name, newest first, then the job id: a total order, sorted here by code units.
  return rows.sort(
    (a, b) => compareNullable(a.RESOURCENAME, b.RESOURCENAME) || compareNullable(b.CREATEDATE, a.CREATEDATE) || compareNullable(a.JOBID, b.JOBID),
  )
}

/**
 * The repair jobs created on the machines in the range (`equipment:jobs`), by machine name, then
 * newest first. As the original: a job created before the range is not listed even when it was
 * still open in it.
 */
export async function readEquipmentJobs(source: MesSource, query: EquipmentQuery, options: { signal?: AbortSignal } = {}): Promise<EquipmentJobs> {
  return { rows: await jobRows(source, prepare(query), options.signal) }
}

// ---------------------------------------------------------------------------------------------
// Rejects

/**
 * The names of the machines (`RESOURCENAME`), which the reject table names machines by: from
 * `DW_MES_RESOURCE`, else (and for ids it does not know) the `EQUIPMENTNAME`s their lots were
 * tracked in with in the range. An id without either has no name.
 */
async function machineNames(source: MesSource, q: Prepared, catalog: SourceCatalog, signal: AbortSignal | undefined): Promise<Map<string, string[]>> {
  const { dialect } = source
  const names = new Map<string, string[]>()
  const add = (id: string | null, name: string | null): void => {
    if (!id || !name) return
    const list = names.get(id) ?? []
    if (!list.includes(name)) list.push(name)
    names.set(id, list)
  }
  const resource = catalog.get('DW_MES_RESOURCE')
  if (resource?.has('RESOURCEID') && resource.has('RESOURCENAME')) {
    const params = new SqlParams(dialect)
    const sql = `SELECT RESOURCEID, RESOURCENAME FROM ${dialect.table('DW_MES_RESOURCE')} WHERE RESOURCEID IN (${params.list(q.ids)})`
    for (const row of await source.all(sql, params.values, queryOptions(signal))) add(text(row.RESOURCEID), text(row.RESOURCENAME))
  }
  const unknown = q.ids.filter((id) => !names.has(id))
  if (unknown.length > 0) {
    const params = new SqlParams(dialect)
    const sql =
      `SELECT DISTINCT EQUIPMENTID, EQUIPMENTNAME FROM ${dialect.table('DW_MES_LOTWIPHISTORY')} ` +
      `WHERE EQUIPMENTID IN (${params.list(unknown)}) AND TRACKINTIMESTAMP >= ${params.timestamp(q.from)} ` +
      `AND TRACKINTIMESTAMP < ${params.timestamp(q.until)} AND EQUIPMENTNAME IS NOT NULL`
    const rows = await source.all(sql, params.values, queryOptions(signal))
    rows.sort((a, b) => compareNullable(text(a.EQUIPMENTNAME), text(b.EQUIPMENTNAME)))
    for (const row of rows) add(text(row.EQUIPMENTID), text(row.EQUIPMENTNAME))
  }
  return names
}

async function rejectRows(source: MesSource, q: Prepared, signal: AbortSignal | undefined): Promise<EventRow[]> {
  const { dialect } = source
  const names = [...new Set([...(await machineNames(source, q, await source.catalog(), signal)).values()].flat())]
  const z = (c: string): string => `COALESCE(${c}, 0)`
  const rows: EventRow[] = []
  // Groups are per machine name, so batches of names add up to the whole.
  for (const batch of chunk(names, dialect.maxInList)) {
    const params = new SqlParams(dialect)
    const sql =
      `SELECT EQUIPMENTNAME, LOSSREASONNAME, SUM(${z('REJECTQTY')}) AS TOTAL_REJECT_QTY, ` +
      `SUM(${z('REJECTQTY')} + ${z('STANDBYQTY')} + ${z('QTYTOPROCESS')} + ${z('INPROCESSQTY')} + ${z('PROCESSEDQTY')}) AS TOTAL_CHARGE_OFF_QTY, ` +
      `SUM(${z('DEFECTQTY')}) AS TOTAL_DEFECT_QTY, COUNT(DISTINCT CONTAINERID) AS AFFECTED_LOT_COUNT ` +
      `FROM ${dialect.table('DW_MES_LOTREJECTHISTORY')} ` +
      `WHERE EQUIPMENTNAME IN (${params.list(batch)}) AND TXNDATE >= ${params.timestamp(q.from)} AND TXNDATE < ${params.timestamp(q.until)} ` +
      `GROUP BY EQUIPMENTNAME, LOSSREASONNAME`
    for (const row of await source.all(sql, params.values, queryOptions(signal))) {
      const out: EventRow = {}
      for (const column of EQUIPMENT_REJECT_COLUMNS) out[column] = cell(row[column], column.startsWith('TOTAL_') || column === 'AFFECTED_LOT_COUNT' ? 'number' : 'text')
      rows.push(out)
    }
  }
  return rows.sort(
    (a, b) =>
      compareNullable(a.EQUIPMENTNAME, b.EQUIPMENTNAME) ||
      (num(b.TOTAL_CHARGE_OFF_QTY) ?? 0) - (num(a.TOTAL_CHARGE_OFF_QTY) ?? 0) ||
      compareNullable(a.LOSSREASONNAME, b.LOSSREASONNAME),
  )
}

/**
 * The machines' scrap in the range by machine name and loss reason (`equipment:rejects`), by
 * name, then charge-off quantity, largest first.
 */
export async function readEquipmentRejects(source: MesSource, query: EquipmentQuery, options: { signal?: AbortSignal } = {}): Promise<EquipmentRejects> {
  return { rows: await rejectRows(source, prepare(query), options.signal) }
}

// ---------------------------------------------------------------------------------------------
// Timeline

/** `YYYY-MM-DDTHH:MM:SS` + hours, to the second (plant wall clock, no zone). */
function plusHours(time: string, hours: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(time)
  if (!m) return time
  const t = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) + Math.round(hours * 3600) * 1000)
  const p = (n: number, w = 2): string => String(n).padStart(w, '0')
  return `${p(t.getUTCFullYear(), 4)}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}T${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}`
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}

/** The status rows of the machines in the range, each machine's in chronological order. */
async function statusSegments(source: MesSource, q: Prepared, signal: AbortSignal | undefined): Promise<StatusSegment[]> {
  const { dialect } = source
  const params = new SqlParams(dialect)
  const sql =
    `SELECT HISTORYID, TXNDATE, NEWSTATUSNAME, HOURS FROM ${dialect.table(STATUS_TABLE)} ` +
    `WHERE HISTORYID IN (${params.list(q.ids)}) AND TXNDATE >= ${params.timestamp(q.from)} AND TXNDATE < ${params.timestamp(q.until)}`
  const position = new Map(q.ids.map((id, i) => [id, i]))
  const segments: StatusSegment[] = []
  for (const row of await source.all(sql, params.values, queryOptions(signal))) {
    const id = text(row.HISTORYID)
    const start = normalizePlantTime(row.TXNDATE)
    if (!id || !start) continue
    const hours = num(row.HOURS) ?? 0
    segments.push({ resource_id: id, status: text(row.NEWSTATUSNAME) ?? '', start, end: plusHours(start, hours), hours })
  }
  return segments.sort(
    (a, b) => (position.get(a.resource_id) ?? 0) - (position.get(b.resource_id) ?? 0) || compareCodeUnits(a.start, b.start) || compareCodeUnits(a.status, b.status),
  )
}

/** Status hours per machine asked, in the order asked (rows of {@link EQUIPMENT_STATUS_COLUMNS}). */
function statusHours(ids: readonly string[], names: ReadonlyMap<string, string[]>, segments: readonly StatusSegment[]): EventRow[] {
  const sums = new Map(ids.map((id) => [id, new Map<string, number>()]))
  const totals = new Map(ids.map((id) => [id, 0]))
  for (const s of segments) {
    const sum = sums.get(s.resource_id)
    if (!sum) continue
    sum.set(s.status, (sum.get(s.status) ?? 0) + s.hours)
    totals.set(s.resource_id, totals.get(s.resource_id)! + s.hours)
  }
  return ids.map((id) => {
    const sum = sums.get(id)!
    const row: EventRow = { RESOURCEID: id, RESOURCENAME: names.get(id)?.[0] ?? id }
    for (const status of MACHINE_STATUSES) row[`${status}_HOURS`] = round2(sum.get(status) ?? 0)
    row.TOTAL_HOURS = round2(totals.get(id)!)
    const base = (sum.get('PRD') ?? 0) + (sum.get('SBY') ?? 0) + (sum.get('UDT') ?? 0)
    row.OU_PERCENT = base > 0 ? round2(((sum.get('PRD') ?? 0) / base) * 100) : null
    const ordered: EventRow = {}
    for (const column of EQUIPMENT_STATUS_COLUMNS) ordered[column] = row[column] ?? null
    return ordered
  })
}

function timelineJob(row: EventRow): TimelineJob {
  const s = (v: unknown): string | null => (typeof v === 'string' ? v : v === null || v === undefined ? null : String(v))
  return {
    resource_id: s(row.RESOURCEID) ?? '',
    job_id: s(row.JOBID) ?? '',
    status: s(row.JOBSTATUS),
    created: s(row.CREATEDATE),
    completed: s(row.COMPLETEDATE),
    cause: s(row.CAUSECODENAME),
    repair: s(row.REPAIRCODENAME),
    symptom: s(row.SYMPTOMCODENAME),
    container_names: s(row.CONTAINERNAMES),
  }
}

/**
 * The timeline of the machines in the range (`equipment:timeline`): the machines in the order
 * asked, status stretches in real chronology with the hours per machine (null without the
 * status table), the lots of the lots view earliest first (at most
 * {@link EQUIPMENT_TIMELINE_MAX_LOTS}) and the jobs of the jobs view.
 */
export async function readEquipmentTimeline(source: MesSource, query: EquipmentQuery, options: { signal?: AbortSignal } = {}): Promise<EquipmentTimeline> {
  const { signal } = options
  const q = prepare(query)
  const catalog = await source.catalog()
  const names = await machineNames(source, q, catalog, signal)
  const hasStatus = usable(catalog, STATUS_TABLE)
  const segments = hasStatus ? await statusSegments(source, q, signal) : null
  const page = await lotsPage(source, q, 0, EQUIPMENT_TIMELINE_MAX_LOTS, true, signal)
  const lots: TimelineLot[] = page.rows.map((row) => {
    const lot = lotRow(row)
    const cid = String(lot.CONTAINERID ?? '')
    return {
      resource_id: String(lot.EQUIPMENTID ?? ''),
      container_id: cid,
      lot_id: typeof lot.CONTAINERNAME === 'string' ? lot.CONTAINERNAME : cid,
      spec: typeof lot.SPECNAME === 'string' ? lot.SPECNAME : null,
      workcenter: typeof lot.WORKCENTERNAME === 'string' ? lot.WORKCENTERNAME : null,
      start: String(lot.TRACKINTIMESTAMP ?? ''),
      end: typeof lot.TRACKOUTTIMESTAMP === 'string' ? lot.TRACKOUTTIMESTAMP : null,
    }
  })
  const jobs = (await jobRows(source, q, signal)).map(timelineJob)
  return {
    machines: q.ids.map((id) => ({ resource_id: id, name: names.get(id)?.[0] ?? id })),
    window: { start: `${q.start}T00:00:00`, end: `${addDays(q.end, 1)}T00:00:00` },
    status: segments,
    hours: segments ? statusHours(q.ids, names, segments) : null,
    lots,
    lots_total: page.total,
    jobs,
    missing_tables: hasStatus ? [] : [STATUS_TABLE],
  }
}

// ---------------------------------------------------------------------------------------------
// Exports

/** The rows of a whole read in chunks; the read starts when the iteration does. */
async function* inChunks(read: () => Promise<EventRow[]>): AsyncIterable<EventRow[]> {
  const all = await read()
  for (let i = 0; i < all.length; i += EXPORT_CHUNK) yield all.slice(i, i + EXPORT_CHUNK)
}

async function* lotChunks(source: MesSource, q: Prepared, signal: AbortSignal | undefined): AsyncIterable<EventRow[]> {
  const { dialect } = source
  const params = new SqlParams(dialect)
  const sql = `${LOTS_SELECT}\n${lotsFrom(dialect, params, q)}\n${lotsOrder(dialect, false)}`
  for await (const rows of source.stream(sql, params.values, { ...queryOptions(signal), fetchSize: EXPORT_CHUNK })) yield rows.map(lotRow)
}

async function* statusHourChunks(source: MesSource, q: Prepared, signal: AbortSignal | undefined): AsyncIterable<EventRow[]> {
  const catalog = await source.catalog()
  if (!usable(catalog, STATUS_TABLE)) {
    throw new AppError('source/schema', `The source ${source.description} has no ${STATUS_TABLE}: there are no status hours to export.`, {
      missing: [STATUS_TABLE],
    })
  }
  const names = await machineNames(source, q, catalog, signal)
  yield statusHours(q.ids, names, await statusSegments(source, q, signal))
}

/**
 * Every row of one export table in the view's order, in chunks, with its columns. The request is
 * checked at once; the source is read while the rows are iterated, so `status_hours` on a source
 * without `DW_MES_RESOURCESTATUS_SHIFT` throws `source/schema` naming the table on the first step.
 */
export function equipmentExportRows(
  source: MesSource,
  query: EquipmentQuery,
  table: EquipmentExport,
  options: { signal?: AbortSignal } = {},
): { columns: readonly string[]; rows: AsyncIterable<EventRow[]> } {
  const q = prepare(query)
  const { signal } = options
  const guarded = async function* (rows: AsyncIterable<EventRow[]>): AsyncIterable<EventRow[]> {
    for await (const chunk of rows) {
      throwIfCancelled(signal, 'The export')
      yield chunk
    }
  }
  switch (table) {
    case 'lots':
      return { columns: EQUIPMENT_LOT_COLUMNS, rows: guarded(lotChunks(source, q, signal)) }
    case 'jobs':
      return { columns: EQUIPMENT_JOB_COLUMNS, rows: guarded(inChunks(() => jobRows(source, q, signal))) }
    case 'rejects':
      return { columns: EQUIPMENT_REJECT_COLUMNS, rows: guarded(inChunks(() => rejectRows(source, q, signal))) }
    case 'status_hours':
      return { columns: EQUIPMENT_STATUS_COLUMNS, rows: guarded(statusHourChunks(source, q, signal)) }
    default:
      throw invalidInput('table', `unknown export table ${JSON.stringify(table)}`)
  }
}
