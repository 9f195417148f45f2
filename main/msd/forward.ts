/**
 * Forward MSD (domain.md §5.7 with §14 #8): the lots with a defect at the detection station and
 * every container split from them — each re-keyed to its detection lot — followed to the later
 * stations: how much of them arrives, how much is rejected there, on which machines and for which
 * reasons. The detection lots without a defect are followed the same way as the baseline, so a
 * later station's rate can be read against what the clean lots show there.
 */
import { compareCodeUnits } from '../../shared/compare.js'
import {
  buildPareto,
  FORWARD_DETAIL_COLUMNS,
  ratePct,
  roundTo,
  type DownstreamStationItem,
  type ForwardKpi,
  type ParetoItem,
} from '../../shared/msd.js'
import { stationGroupByName, UNKNOWN_STATION_ORDER } from '../../shared/stations.js'
import type { SqliteDatabase } from '../store/index.js'
import { EVENT_ROW_TABLES, type RowTables } from './factor-links.js'
import { availableLossReasons, dailyTrend, detectionMachineRecords, lotTotals } from './sql.js'

export interface ForwardTables {
  kpi: ForwardKpi
  available_loss_reasons: string[]
  by_downstream_station: DownstreamStationItem[]
  by_downstream_machine: ParetoItem[]
  by_downstream_loss_reason: ParetoItem[]
  by_detection_machine: ParetoItem[]
  daily_trend: ReturnType<typeof dailyTrend>
}

/**
 * `temp.msd_fwd_wip` and `temp.msd_fwd_reject`: track-ins and rejects at stations after the
 * detection station (known groups only: a workcenter that maps to no group has no place in the
 * flow), of every detection lot and its descendants, with the lot they belong to and whether that
 * lot had a defect.
 */
function createDownstreamTables(db: SqliteDatabase, detectionOrder: number, hasUpstream: boolean, hasRejects: boolean, from: RowTables): void {
  db.exec('DROP TABLE IF EXISTS temp.msd_fwd_wip; DROP TABLE IF EXISTS temp.msd_fwd_reject')
  db.exec(`CREATE TEMP TABLE msd_fwd_wip (lot_cid TEXT NOT NULL, defect INTEGER NOT NULL, seq INTEGER NOT NULL, cid TEXT NOT NULL,
    grp TEXT NOT NULL, machine TEXT NOT NULL, qty NUMERIC NOT NULL)`)
  db.exec(`CREATE TEMP TABLE msd_fwd_reject (lot_cid TEXT NOT NULL, defect INTEGER NOT NULL, seq INTEGER NOT NULL, cid TEXT NOT NULL,
    grp TEXT NOT NULL, machine TEXT NOT NULL, reason TEXT NOT NULL, qty NUMERIC NOT NULL)`)
  const later = (group: string): string => `msd_group_order(${group}) > ${detectionOrder} AND msd_group_order(${group}) <> ${UNKNOWN_STATION_ORDER}`
  if (hasUpstream) {
    db.exec(`INSERT INTO temp.msd_fwd_wip
      SELECT m.lot_cid, l.defect_qty > 0, u._seq, u.CONTAINERID, u.WORKCENTER_GROUP, COALESCE(NULLIF(u.EQUIPMENTNAME, ''), '(NA)'), COALESCE(u.TRACKINQTY, 0)
      FROM ${from.upstream} u
      JOIN msd_lot_cids m ON m.cid = u.CONTAINERID
      JOIN temp.msd_lot l ON l.cid = m.lot_cid
      WHERE ${later('u.WORKCENTER_GROUP')}`)
  }
  if (hasRejects) {
    db.exec(`INSERT INTO temp.msd_fwd_reject
      SELECT m.lot_cid, l.defect_qty > 0, r._seq, r.CONTAINERID, r.WORKCENTER_GROUP, COALESCE(r.EQUIPMENTNAME, '(NA)'), COALESCE(r.LOSSREASONNAME, '(未填寫)'),
        COALESCE(r.REJECT_TOTAL_QTY, 0)
      FROM ${from.downstream_rejects} r
      JOIN msd_lot_cids m ON m.cid = r.CONTAINERID
      JOIN temp.msd_lot l ON l.cid = m.lot_cid
      WHERE ${later('r.WORKCENTER_GROUP')}`)
  }
  // A container can belong to several detection lots (a split child that was itself tested at the
  // station): per lot it counts for each, but cohort totals count each event once — in the tracked
  // cohort when any defect lot reaches it, else in the baseline.
  db.exec(`
    CREATE INDEX temp.msd_fwd_wip_by_lot ON msd_fwd_wip (lot_cid);
    CREATE INDEX temp.msd_fwd_reject_by_lot ON msd_fwd_reject (lot_cid);
    CREATE TEMP TABLE msd_fwd_wip_once AS
      SELECT seq, MAX(defect) AS defect, grp, machine, qty FROM temp.msd_fwd_wip GROUP BY seq;
    CREATE TEMP TABLE msd_fwd_reject_once AS
      SELECT seq, MAX(defect) AS defect, grp, machine, reason, qty FROM temp.msd_fwd_reject GROUP BY seq;
    CREATE TEMP TABLE msd_fwd_lot_cohort AS
      SELECT lot_cid, grp, defect FROM temp.msd_fwd_wip UNION SELECT lot_cid, grp, defect FROM temp.msd_fwd_reject;
  `)
}

interface StationRow {
  grp: string
  defect: number
  lots: number
  input_qty: number
  reject_qty: number
}

/** Runs the forward statements; `onFactorTables` is told when the downstream tables are built (the job times the parts apart). */
export function analyzeForward(
  db: SqliteDatabase,
  options: {
    detectionOrder: number
    hasUpstream: boolean
    hasRejects: boolean
    onFactorTables?: () => void
    /** Where the statements read their rows. @default EVENT_ROW_TABLES */
    rows?: RowTables
  },
): ForwardTables {
  createDownstreamTables(db, options.detectionOrder, options.hasUpstream, options.hasRejects, options.rows ?? EVENT_ROW_TABLES)
  options.onFactorTables?.()
  const totals = lotTotals(db)
  const defectLots = db
    .prepare('SELECT COUNT(*) AS lots, COALESCE(SUM(input_qty), 0) AS input_qty, COALESCE(SUM(defect_qty), 0) AS defect_qty FROM temp.msd_lot WHERE defect_qty > 0')
    .get() as { lots: number; input_qty: number; defect_qty: number }
  const tracked = db
    .prepare('SELECT COUNT(DISTINCT m.cid) FROM msd_lot_cids m JOIN temp.msd_lot l ON l.cid = m.lot_cid WHERE l.defect_qty > 0')
    .pluck()
    .get() as number

  // Per station and cohort (defect lots, clean lots): lots that got there, input, rejects.
  const stations = db
    .prepare(
      `WITH
         w AS (SELECT grp, defect, SUM(qty) AS input_qty FROM temp.msd_fwd_wip_once GROUP BY grp, defect),
         r AS (SELECT grp, defect, SUM(qty) AS reject_qty FROM temp.msd_fwd_reject_once GROUP BY grp, defect),
         n AS (SELECT grp, defect, COUNT(DISTINCT lot_cid) AS lots FROM temp.msd_fwd_lot_cohort GROUP BY grp, defect),
         k AS (SELECT grp, defect FROM w UNION SELECT grp, defect FROM r)
       SELECT k.grp AS grp, k.defect AS defect, COALESCE(n.lots, 0) AS lots,
         COALESCE(w.input_qty, 0) AS input_qty, COALESCE(r.reject_qty, 0) AS reject_qty
       FROM k LEFT JOIN w ON w.grp = k.grp AND w.defect = k.defect LEFT JOIN r ON r.grp = k.grp AND r.defect = k.defect
         LEFT JOIN n ON n.grp = k.grp AND n.defect = k.defect`,
    )
    .all() as StationRow[]
  const topReason = new Map<string, string>()
  for (const row of db
    .prepare(
      `SELECT grp, reason, SUM(qty) AS qty FROM temp.msd_fwd_reject_once WHERE defect = 1 GROUP BY grp, reason ORDER BY grp, qty DESC, reason`,
    )
    .iterate() as IterableIterator<{ grp: string; reason: string }>) {
    if (!topReason.has(row.grp)) topReason.set(row.grp, row.reason)
  }
  const cohort = (defect: number): StationRow[] => stations.filter((s) => s.defect === defect)
  const baseline = new Map(cohort(0).map((s) => [s.grp, s]))
  const trackedStations = cohort(1)
  const stationChart = buildPareto(
    trackedStations.map((s) => ({ name: s.grp, input_qty: s.input_qty, defect_qty: s.reject_qty, lot_count: s.lots })),
    { topN: Number.POSITIVE_INFINITY },
  )
  const by_downstream_station: DownstreamStationItem[] = stationChart.map((item) => {
    const base = baseline.get(item.name)
    const baseRate = base && base.input_qty > 0 ? base.reject_qty / base.input_qty : null
    const rate = item.input_qty > 0 ? item.defect_qty / item.input_qty : 0
    return {
      ...item,
      order: stationGroupByName(item.name)?.order ?? UNKNOWN_STATION_ORDER,
      baseline_rate: base ? ratePct(base.reject_qty, base.input_qty) : null,
      lift: baseRate === null ? null : baseRate > 0 ? roundTo(rate / baseRate, 4) : rate === 0 ? 1 : null,
      top_loss_reason: topReason.get(item.name) ?? '',
    }
  })

  const sum = (rows: StationRow[], key: 'input_qty' | 'reject_qty'): number => rows.reduce((n, r) => n + r[key], 0)
  const baselineRows = cohort(0)
  const downstreamInput = sum(trackedStations, 'input_qty')
  const downstreamTotal = sum(trackedStations, 'reject_qty')
  const detectionRate = ratePct(defectLots.defect_qty, defectLots.input_qty)
  // Amplification from the unrounded rates; unknown when nothing was seen later or nothing at detection.
  const rawDetection = defectLots.input_qty > 0 ? defectLots.defect_qty / defectLots.input_qty : 0
  const rawDownstream = downstreamInput > 0 ? downstreamTotal / downstreamInput : null
  const kpi: ForwardKpi = {
    detection_lot_count: totals.lots,
    defect_lot_count: defectLots.lots,
    detection_defect_qty: defectLots.defect_qty,
    detection_defect_rate: detectionRate,
    tracked_lot_count: tracked,
    downstream_stations_reached: trackedStations.length,
    downstream_total_reject: downstreamTotal,
    downstream_reject_rate: ratePct(downstreamTotal, downstreamInput),
    baseline_downstream_reject_rate: sum(baselineRows, 'input_qty') > 0 ? ratePct(sum(baselineRows, 'reject_qty'), sum(baselineRows, 'input_qty')) : null,
    amplification: rawDetection === 0 || rawDownstream === null ? null : downstreamTotal === 0 ? 0 : roundTo(rawDownstream / rawDetection, 4),
  }

  // Machines across stations: input from track-ins on the machine, rejects booked on it.
  const machines = db
    .prepare(
      `WITH
         w AS (SELECT machine, SUM(qty) AS input_qty FROM temp.msd_fwd_wip_once WHERE defect = 1 GROUP BY machine),
         r AS (SELECT machine, SUM(qty) AS reject_qty FROM temp.msd_fwd_reject_once WHERE defect = 1 GROUP BY machine),
         n AS (SELECT machine, COUNT(DISTINCT lot_cid) AS lots FROM (
           SELECT machine, lot_cid FROM temp.msd_fwd_wip WHERE defect = 1 UNION SELECT machine, lot_cid FROM temp.msd_fwd_reject WHERE defect = 1
         ) GROUP BY machine),
         k AS (SELECT machine FROM w UNION SELECT machine FROM r)
       SELECT k.machine AS name, COALESCE(w.input_qty, 0) AS input_qty, COALESCE(r.reject_qty, 0) AS defect_qty, COALESCE(n.lots, 0) AS lot_count
       FROM k LEFT JOIN w ON w.machine = k.machine LEFT JOIN r ON r.machine = k.machine LEFT JOIN n ON n.machine = k.machine`,
    )
    .all() as { name: string; input_qty: number; defect_qty: number; lot_count: number }[]
  const reasons = db
    .prepare(
      `SELECT o.reason AS name, 0 AS input_qty, o.qty AS defect_qty, COALESCE(n.lots, 0) AS lot_count
       FROM (SELECT reason, SUM(qty) AS qty FROM temp.msd_fwd_reject_once WHERE defect = 1 GROUP BY reason) o
       LEFT JOIN (SELECT reason, COUNT(DISTINCT lot_cid) AS lots FROM temp.msd_fwd_reject WHERE defect = 1 GROUP BY reason) n ON n.reason = o.reason`,
    )
    .all() as { name: string; input_qty: number; defect_qty: number; lot_count: number }[]

  // A reason has no input of its own: its rate is over what the tracked lots brought to the later
  // stations, so the reasons' rates add up to the downstream reject rate.
  const by_downstream_loss_reason = buildPareto(reasons).map((item) => ({
    ...item,
    input_qty: downstreamInput,
    defect_rate: ratePct(item.defect_qty, downstreamInput),
  }))

  return {
    kpi,
    available_loss_reasons: availableLossReasons(db),
    by_downstream_station,
    by_downstream_machine: buildPareto(machines),
    by_downstream_loss_reason,
    by_detection_machine: buildPareto(detectionMachineRecords(db)),
    daily_trend: dailyTrend(db),
  }
}

/**
 * Fills the forward detail table: one row per lot with a detection defect, its own and its
 * descendants' later stations counted together (§14 #8), ordered by downstream reject rate
 * descending. The worst station is the one with the most rejects (ties: earlier in the flow).
 */
export function fillForwardDetail(db: SqliteDatabase): void {
  const columns = ['CONTAINERID', ...FORWARD_DETAIL_COLUMNS.map((c) => c.key)].map((c) => `"${c}"`).join(', ')
  db.exec(`
    INSERT INTO msd_detail (${columns})
    WITH
      reached AS (
        SELECT lot_cid, COUNT(DISTINCT grp) AS n FROM (
          SELECT lot_cid, grp FROM temp.msd_fwd_wip WHERE defect = 1 UNION SELECT lot_cid, grp FROM temp.msd_fwd_reject WHERE defect = 1
        ) GROUP BY lot_cid
      ),
      per_station AS (SELECT lot_cid, grp, SUM(qty) AS qty FROM temp.msd_fwd_reject WHERE defect = 1 GROUP BY lot_cid, grp),
      totals AS (SELECT lot_cid, SUM(qty) AS qty FROM per_station GROUP BY lot_cid),
      worst AS (
        SELECT lot_cid, grp FROM (
          SELECT lot_cid, grp, ROW_NUMBER() OVER (PARTITION BY lot_cid ORDER BY qty DESC, msd_group_order(grp), grp) AS k
          FROM per_station WHERE qty > 0
        ) WHERE k = 1
      ),
      rows AS (
        SELECT d.cid AS cid, d.container_name AS name, d.pj_type, d.productline_name, d.workflow, d.equipment_name, l.input_qty, l.defect_qty,
          COALESCE(reached.n, 0) AS stations, COALESCE(totals.qty, 0) AS rejects,
          msd_rate(COALESCE(totals.qty, 0), l.input_qty) AS rate, COALESCE(worst.grp, '') AS worst
        FROM temp.msd_lot l
        JOIN msd_detection d ON d.cid = l.cid
        LEFT JOIN reached ON reached.lot_cid = l.cid
        LEFT JOIN totals ON totals.lot_cid = l.cid
        LEFT JOIN worst ON worst.lot_cid = l.cid
        WHERE l.defect_qty > 0
      )
    SELECT cid, name, pj_type, productline_name, workflow, equipment_name, input_qty, defect_qty, stations, rejects, rate, worst
    FROM rows ORDER BY rate DESC, name, cid
  `)
}

/** Stations in flow order (for printing). */
export function byFlowOrder(items: readonly DownstreamStationItem[]): DownstreamStationItem[] {
  return [...items].sort((a, b) => a.order - b.order || compareCodeUnits(a.name, b.name))
}
