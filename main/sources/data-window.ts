/**
 * Two small reads every source answers the same way, written once with the dialect layer: the
 * source's data window (first and last track-in, overall and per station group) and the loss
 * reasons recorded at a station over the last days of its data. The new-trace form asks them
 * before a run so that its defaults and lists come from the data, not from the calendar.
 */
import { compareCodeUnits } from '../../shared/compare.js'
import { LOSS_REASON_DAYS, dayOf, type SourceDataWindow, type StationLossReasons, type TimeWindow } from '../../shared/data-window.js'
import { invalidInput } from '../../shared/errors.js'
import { mayMatchGroup, STATION_GROUPS, stationGroupByName, workcenterMatchesGroup, type StationGroup } from '../../shared/stations.js'
import { addDays, normalizePlantTime } from '../../shared/time.js'
import { SqlParams, chunk } from './dialect.js'
import type { MesSource, SourceRow } from './mes-source.js'

/** Options of the data-window reads. */
export interface DataWindowOptions {
  signal?: AbortSignal
}

function widen(window: TimeWindow, first: string | null, last: string | null): TimeWindow {
  return {
    first: first !== null && (window.first === null || first < window.first) ? first : window.first,
    last: last !== null && (window.last === null || last > window.last) ? last : window.last,
  }
}

/**
 * Most workcenters walked one by one; a source with more is read with one grouped statement
 * instead (a plant has a few hundred).
 */
export const MAX_WORKCENTER_SEEKS = 2000

/**
 * First and last track-in per workcenter, read by seeks on the source's `ix_wip_wc_trackin`
 * index `(WORKCENTERNAME, TRACKINTIMESTAMP)`: the workcenters as {@link readWorkcenterNames} finds
 * them, each with its `MIN` and its `MAX` track-in, each a single aggregate over an equality prefix,
 * which SQLite, PostgreSQL and Oracle answer from one end of the index; all of it one statement. A
 * WIP history of 50 million rows thus costs a few seeks per workcenter instead of a scan of the
 * whole index (and a SQLite source never holds the process for long). Null when the source has
 * more than {@link MAX_WORKCENTER_SEEKS} workcenters.
 */
async function seekWorkcenterWindows(source: MesSource, signal: AbortSignal | undefined): Promise<Map<string, TimeWindow> | null> {
  const table = source.dialect.table('DW_MES_LOTWIPHISTORY')
  const rows = await seekWorkcenters(
    source,
    signal,
    'DW_MES_LOTWIPHISTORY',
    `, (SELECT MIN(f.TRACKINTIMESTAMP) FROM ${table} f WHERE f.WORKCENTERNAME = w.NAME) AS FIRST_TRACKIN` +
      `, (SELECT MAX(l.TRACKINTIMESTAMP) FROM ${table} l WHERE l.WORKCENTERNAME = w.NAME) AS LAST_TRACKIN`,
  )
  if (!rows) return null
  return new Map(rows.map((row) => [row.NAME as string, { first: normalizePlantTime(row.FIRST_TRACKIN), last: normalizePlantTime(row.LAST_TRACKIN) }]))
}

/**
 * The workcenters of a history table in index order, one row each with `NAME` and what `also`
 * selects (`w.NAME` is the name), in one statement: a recursive query whose every step seeks the
 * next name after the last one (`MIN(…) WHERE WORKCENTERNAME > …`). A statement per name cost a
 * plant's forty workcenters forty round trips to the server on every run, seconds across a WAN.
 * Null past {@link MAX_WORKCENTER_SEEKS} names.
 */
async function seekWorkcenters(
  source: MesSource,
  signal: AbortSignal | undefined,
  historyTable: 'DW_MES_LOTWIPHISTORY' | 'DW_MES_LOTREJECTHISTORY',
  also = '',
): Promise<SourceRow[] | null> {
  const { dialect } = source
  const table = dialect.table(historyTable)
  const params = new SqlParams(dialect)
  // One name more than the limit tells a source past it.
  const limit = params.add(MAX_WORKCENTER_SEEKS + 1)
  const sql =
    `${dialect.withRecursive} WORKCENTER (NAME, SEEN) AS (` +
    `SELECT MIN(WORKCENTERNAME), 1 FROM ${table} ` +
    `UNION ALL SELECT (SELECT MIN(h.WORKCENTERNAME) FROM ${table} h WHERE h.WORKCENTERNAME > w.NAME), w.SEEN + 1 FROM WORKCENTER w ` +
    `WHERE w.NAME IS NOT NULL AND w.SEEN < ${limit}) ` +
    `SELECT w.NAME${also} FROM WORKCENTER w WHERE w.NAME IS NOT NULL ORDER BY w.SEEN`
  const rows = (await source.all(sql, params.values, signal ? { signal } : {})).filter((row) => typeof row.NAME === 'string')
  return rows.length > MAX_WORKCENTER_SEEKS ? null : rows
}

/**
 * The distinct workcenter names of a history table (the WIP history by default, or the reject
 * history), in index order, each found by one seek on its `(WORKCENTERNAME, time)` index
 * (`ix_wip_wc_trackin`, `ix_reject_wc_txn`: the next name after the last one); null past
 * {@link MAX_WORKCENTER_SEEKS} names (the caller then reads without them). The seeks are one
 * statement ({@link seekWorkcenters}).
 */
export async function readWorkcenterNames(
  source: MesSource,
  signal?: AbortSignal,
  historyTable: 'DW_MES_LOTWIPHISTORY' | 'DW_MES_LOTREJECTHISTORY' = 'DW_MES_LOTWIPHISTORY',
): Promise<string[] | null> {
  return (await seekWorkcenters(source, signal, historyTable))?.map((row) => row.NAME as string) ?? null
}

/**
 * The workcenter names of a history table that can belong to `group` ({@link mayMatchGroup}: a
 * superset of what the station's SQL filter keeps, which the caller still applies), for reads by
 * workcenter and time; null when the table's names cannot be listed ({@link readWorkcenterNames}).
 */
export async function readStationWorkcenterNames(
  source: MesSource,
  group: StationGroup,
  historyTable: 'DW_MES_LOTWIPHISTORY' | 'DW_MES_LOTREJECTHISTORY',
  signal?: AbortSignal,
): Promise<string[] | null> {
  return (await readWorkcenterNames(source, signal, historyTable))?.filter((name) => mayMatchGroup(name, group)) ?? null
}

/** First and last track-in per workcenter in one grouped statement (a full read of the index). */
async function groupedWorkcenterWindows(source: MesSource, signal: AbortSignal | undefined): Promise<Map<string, TimeWindow>> {
  const sql =
    `SELECT WORKCENTERNAME, MIN(TRACKINTIMESTAMP) AS FIRST_TRACKIN, MAX(TRACKINTIMESTAMP) AS LAST_TRACKIN ` +
    `FROM ${source.dialect.table('DW_MES_LOTWIPHISTORY')} WHERE WORKCENTERNAME IS NOT NULL GROUP BY WORKCENTERNAME`
  const out = new Map<string, TimeWindow>()
  for (const row of await source.all(sql, [], signal ? { signal } : {})) {
    if (typeof row.WORKCENTERNAME === 'string') out.set(row.WORKCENTERNAME, { first: normalizePlantTime(row.FIRST_TRACKIN), last: normalizePlantTime(row.LAST_TRACKIN) })
  }
  return out
}

/**
 * The source's data window: the first and last track-in of each workcenter (see
 * {@link seekWorkcenterWindows}), each workcenter then put into every station group whose rules
 * it matches (the same rules the detection population uses), so the window of any station is
 * known from one read. Rows without a workcenter have no station and are left out.
 */
export async function readDataWindow(source: MesSource, options: DataWindowOptions = {}): Promise<SourceDataWindow> {
  const windows = (await seekWorkcenterWindows(source, options.signal)) ?? (await groupedWorkcenterWindows(source, options.signal))
  let overall: TimeWindow = { first: null, last: null }
  const stations: Record<string, TimeWindow> = {}
  const workcenters: Record<string, string[]> = {}
  for (const [workcenter, { first, last }] of windows) {
    if (first === null && last === null) continue
    overall = widen(overall, first, last)
    if (!workcenter) continue
    for (const group of STATION_GROUPS) {
      if (!workcenterMatchesGroup(workcenter, group)) continue
      stations[group.name] = widen(stations[group.name] ?? { first: null, last: null }, first, last)
      ;(workcenters[group.name] ??= []).push(workcenter)
    }
  }
  for (const names of Object.values(workcenters)) names.sort(compareCodeUnits)
  return { ...overall, stations, workcenters }
}

/**
 * Distinct loss reasons recorded at `station` over the last {@link LOSS_REASON_DAYS} days of the
 * station's data (ending on its last track-in, not today: a replica that stopped a month ago
 * still lists what it holds). The reject history is read by the station's workcenters (an exact
 * `IN` list) and `TXNDATE`, the columns of the source's `ix_reject_wc_txn` index. `window` is the
 * source's data window when the caller has it already; it is read otherwise.
 */
export async function readLossReasons(
  source: MesSource,
  station: string,
  options: DataWindowOptions & { window?: SourceDataWindow; days?: number } = {},
): Promise<StationLossReasons> {
  if (!stationGroupByName(station)) throw invalidInput('station', `unknown station ${JSON.stringify(station)}`)
  const window = options.window ?? (await readDataWindow(source, options))
  const until = dayOf(window.stations[station]?.last)
  const names = window.workcenters[station] ?? []
  if (!until || names.length === 0) return { station, reasons: [], since: null, until: null }
  // Days before the station's first track-in hold nothing of it: the list then covers all its data.
  const first = dayOf(window.stations[station]?.first)
  const back = addDays(until, -((options.days ?? LOSS_REASON_DAYS) - 1))
  const since = first && first > back ? first : back
  const { dialect } = source
  const reasons = new Set<string>()
  for (const batch of chunk(names, dialect.maxInList)) {
    const params = new SqlParams(dialect)
    const sql =
      `SELECT DISTINCT LOSSREASONNAME FROM ${dialect.table('DW_MES_LOTREJECTHISTORY')} ` +
      `WHERE WORKCENTERNAME IN (${params.list(batch)}) AND TXNDATE >= ${params.timestamp(`${since} 00:00:00`)} ` +
      `AND LOSSREASONNAME IS NOT NULL`
    for (const row of await source.all(sql, params.values, options.signal ? { signal: options.signal } : {})) {
      const reason = typeof row.LOSSREASONNAME === 'string' ? row.LOSSREASONNAME.trim() : ''
      if (reason) reasons.add(reason)
    }
  }
  return { station, reasons: [...reasons].sort(compareCodeUnits), since, until }
}
