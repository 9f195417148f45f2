/**
 * SQL helpers of the MSD analysis, run on the result file's connection: the functions the
 * statements call (station order, rate rounding) and the per-lot table every statement starts
 * from. Everything here is bounded by lots and factors, never by events held in JavaScript.
 */
import { ratePct, type ParetoRecord, type TrendItem } from '../../shared/msd.js'
import { stationGroupByName, stationGroupOf, UNKNOWN_STATION_NAME, UNKNOWN_STATION_ORDER } from '../../shared/stations.js'
import type { SqliteDatabase } from '../store/index.js'

/** Registers the SQL functions the analysis uses on `db` (idempotent). */
export function registerMsdFunctions(db: SqliteDatabase): void {
  const orders = new Map<string, number>()
  const groups = new Map<string, string>()
  // Order of a station group name (upstream rows carry the group); unknown or null → 999.
  db.function('msd_group_order', { deterministic: true }, (name: unknown) => {
    if (typeof name !== 'string' || name === '') return UNKNOWN_STATION_ORDER
    let order = orders.get(name)
    if (order === undefined) {
      order = stationGroupByName(name)?.order ?? UNKNOWN_STATION_ORDER
      orders.set(name, order)
    }
    return order
  })
  // Group of a raw workcenter name (material rows carry the workcenter only).
  db.function('msd_group_of', { deterministic: true }, (workcenter: unknown) => {
    if (typeof workcenter !== 'string' || workcenter === '') return UNKNOWN_STATION_NAME
    let group = groups.get(workcenter)
    if (group === undefined) {
      group = stationGroupOf(workcenter)?.name ?? UNKNOWN_STATION_NAME
      groups.set(workcenter, group)
    }
    return group
  })
  // Percent with 4 decimals, rounded as everywhere else in the aggregation.
  db.function('msd_rate', { deterministic: true }, (defect: unknown, input: unknown) => ratePct(Number(defect ?? 0), Number(input ?? 0)))
}

/**
 * Makes `temp.msd_lot`: one row per detection lot with its input and its defect quantity over the
 * selected reasons (all reasons when none is selected). Every lot tracked in at the station stays,
 * whatever its reasons: the filter changes the numerator only (domain.md §14 #5).
 */
export function createLotTable(db: SqliteDatabase, lossReasons: readonly string[]): void {
  db.exec('DROP TABLE IF EXISTS temp.msd_reason; DROP TABLE IF EXISTS temp.msd_lot')
  db.exec('CREATE TEMP TABLE msd_reason (reason TEXT NOT NULL PRIMARY KEY)')
  const insert = db.prepare('INSERT OR IGNORE INTO temp.msd_reason (reason) VALUES (?)')
  for (const reason of lossReasons) insert.run(reason)
  createSelectedRejectsView(db, lossReasons.length > 0)
  db.exec(`
    CREATE TEMP TABLE msd_lot AS
    SELECT d.cid AS cid, d.input_qty AS input_qty, COALESCE(r.qty, 0) AS defect_qty
    FROM msd_detection d
    LEFT JOIN (SELECT cid, SUM(qty) AS qty FROM selected_rejects GROUP BY cid) r ON r.cid = d.cid;
    CREATE UNIQUE INDEX temp.msd_lot_by_cid ON msd_lot (cid);
  `)
}

/**
 * `temp.selected_rejects`: detection rejects with a positive quantity and a selected reason. A
 * view, so it follows the reason table.
 */
function createSelectedRejectsView(db: SqliteDatabase, filtered: boolean): void {
  db.exec('DROP VIEW IF EXISTS temp.selected_rejects')
  db.exec(
    `CREATE TEMP VIEW selected_rejects AS SELECT cid, reason, qty FROM msd_detection_rejects WHERE qty > 0` +
      (filtered ? ' AND reason IN (SELECT reason FROM temp.msd_reason)' : ''),
  )
}

/** Distinct reasons with a positive quantity among the detection lots, before the filter. */
export function availableLossReasons(db: SqliteDatabase): string[] {
  return (db.prepare('SELECT DISTINCT reason FROM msd_detection_rejects WHERE qty > 0').pluck().all() as string[]).sort()
}

/** Σ input, Σ defects, lots and defective lots over the detection lots. */
export function lotTotals(db: SqliteDatabase): { lots: number; defective_lots: number; input_qty: number; defect_qty: number } {
  const row = db
    .prepare(
      'SELECT COUNT(*) AS lots, COALESCE(SUM(defect_qty > 0), 0) AS defective_lots, COALESCE(SUM(input_qty), 0) AS input_qty, ' +
        'COALESCE(SUM(defect_qty), 0) AS defect_qty FROM temp.msd_lot',
    )
    .get() as { lots: number; defective_lots: number; input_qty: number; defect_qty: number }
  return row
}

/** Selected-reason defect quantity per reason, largest first (ties by name). */
export function defectsByReason(db: SqliteDatabase, onlyDefectLots = false): { reason: string; qty: number; lots: number }[] {
  return db
    .prepare(
      `SELECT r.reason AS reason, SUM(r.qty) AS qty, COUNT(DISTINCT r.cid) AS lots FROM temp.selected_rejects r
       JOIN temp.msd_lot l ON l.cid = r.cid ${onlyDefectLots ? 'WHERE l.defect_qty > 0' : ''}
       GROUP BY r.reason ORDER BY qty DESC, r.reason`,
    )
    .all() as { reason: string; qty: number; lots: number }[]
}

/** Detection lots per detection machine (computed directly from the lots, domain.md §14 #7). */
export function detectionMachineRecords(db: SqliteDatabase): ParetoRecord[] {
  return db
    .prepare(
      `SELECT d.equipment_name AS name, SUM(l.input_qty) AS input_qty, SUM(l.defect_qty) AS defect_qty, COUNT(*) AS lot_count
       FROM temp.msd_lot l JOIN msd_detection d ON d.cid = l.cid GROUP BY d.equipment_name`,
    )
    .all() as ParetoRecord[]
}

/** Input, defects, lots and defective lots per day of the detection track-in (date mode). */
export function dailyTrend(db: SqliteDatabase): TrendItem[] {
  const rows = db
    .prepare(
      `SELECT substr(d.trackin_time, 1, 10) AS date, SUM(l.input_qty) AS input_qty, SUM(l.defect_qty) AS defect_qty,
         COUNT(*) AS lot_count, SUM(l.defect_qty > 0) AS defective_lot_count
       FROM temp.msd_lot l JOIN msd_detection d ON d.cid = l.cid GROUP BY date ORDER BY date`,
    )
    .all() as Omit<TrendItem, 'defect_rate'>[]
  return rows.map((r) => ({ ...r, defect_rate: ratePct(r.defect_qty, r.input_qty) }))
}

/** Sorted distinct values joined with ", " (the original's context columns); `(未知)` when none. */
export function joinDistinct(values: Iterable<string | null>, unknown: string): string {
  const set = new Set<string>()
  for (const v of values) if (v !== null && v !== '') set.add(v)
  return set.size === 0 ? unknown : [...set].sort().join(', ')
}

/** Drops the analysis's temporary tables (they would otherwise live until the file is closed). */
export function dropTempTables(db: SqliteDatabase): void {
  const names = db.prepare("SELECT type, name FROM temp.sqlite_schema WHERE type IN ('table', 'view') AND name LIKE 'msd\\_%' ESCAPE '\\' OR name = 'selected_rejects'").all() as { type: string; name: string }[]
  for (const { type, name } of names) db.exec(`DROP ${type === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS temp."${name}"`)
}
