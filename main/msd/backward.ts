/**
 * Backward MSD (domain.md §5.6 with the decisions of §14): which upstream machines, material lots
 * and wafer roots the detection lots have in common. Every statement runs in SQLite over the
 * result file (upstream events, materials, the lot → ancestor map); JavaScript only sees one row
 * per factor.
 */
import { compareCodeUnits } from '../../shared/compare.js'
import {
  BACKWARD_DETAIL_COLUMNS,
  buildPareto,
  MSD_UNKNOWN,
  ratePct,
  type BackwardKpi,
  type MachineAttribution,
  type ParetoItem,
  type ParetoRecord,
  type Suspect,
} from '../../shared/msd.js'
import { UNKNOWN_STATION_NAME, UNKNOWN_STATION_ORDER } from '../../shared/stations.js'
import { eventTableOf, type SqliteDatabase } from '../store/index.js'
import { availableLossReasons, dailyTrend, defectsByReason, detectionMachineRecords, joinDistinct, lotTotals } from './sql.js'
import type { FactorKey } from './cause.js'
import { suspectOf, type FactorTally, type Tally } from './suspects.js'

/** What the backward statements produce before machine families are looked up. */
export interface BackwardTables {
  kpi: Omit<BackwardKpi, 'affected_machine_count'>
  available_loss_reasons: string[]
  machines: (Omit<MachineAttribution, 'RESOURCEFAMILYNAME'> & { defective_lots: number })[]
  by_detection_machine: ParetoItem[]
  by_material: ParetoItem[]
  by_wafer_root: ParetoItem[]
  by_loss_reason: ParetoItem[]
  daily_trend: ReturnType<typeof dailyTrend>
  suspects: Suspect[]
  /** Where each suspect's lots are in the factor tables (by suspect object). */
  factorKeys: Map<Suspect, FactorKey>
}

interface TallyRow extends Tally {
  key1: string
  key2: string
  key3: string
}

const TALLY = 'COUNT(*) AS lots, SUM(l.defect_qty > 0) AS defective_lots, SUM(l.input_qty) AS input_qty, SUM(l.defect_qty) AS defect_qty'

/**
 * Builds the per-factor lot tables of the backward analysis: `temp.msd_lot_machine` (lot, group,
 * machine) and `temp.msd_lot_material` (lot, part, material lot, group), each distinct, so a
 * machine met through two ancestors counts once for the lot (at its first passage). Stations at or after the detection
 * station are left out; rows whose workcenter maps to no group are kept (§14 #6).
 */
function createFactorTables(db: SqliteDatabase, detectionOrder: number, hasUpstream: boolean, hasMaterials: boolean): void {
  db.exec('DROP TABLE IF EXISTS temp.msd_lot_machine; DROP TABLE IF EXISTS temp.msd_lot_material')
  // `t`: when the lot (through any of its containers) first passed the factor — the machine's
  // track-in, the material's consumption — the order the onset of a factor is looked for in.
  // `lot_no`: the lot's row number in temp.msd_lot, the dense index the cause analysis works on.
  db.exec('CREATE TEMP TABLE msd_lot_machine (lot_cid TEXT NOT NULL, lot_no INTEGER NOT NULL, grp TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL, t TEXT)')
  db.exec('CREATE TEMP TABLE msd_lot_material (lot_cid TEXT NOT NULL, lot_no INTEGER NOT NULL, part TEXT NOT NULL, lot TEXT NOT NULL, grp TEXT NOT NULL, t TEXT)')
  const keep = (order: string): string => `(${order} < ${detectionOrder} OR ${order} = ${UNKNOWN_STATION_ORDER})`
  if (hasUpstream) {
    const u = eventTableOf('upstream_history')
    db.prepare(
      `INSERT INTO temp.msd_lot_machine (lot_cid, lot_no, grp, name, id, t)
       SELECT m.lot_cid, l.rowid, COALESCE(NULLIF(u.WORKCENTER_GROUP, ''), ?) AS grp, COALESCE(NULLIF(u.EQUIPMENTNAME, ''), ?) AS name,
         COALESCE(u.EQUIPMENTID, '') AS id, MIN(u.TRACKINTIMESTAMP)
       FROM "${u}" u
       JOIN msd_lot_cids m ON m.cid = u.CONTAINERID
       JOIN temp.msd_lot l ON l.cid = m.lot_cid
       WHERE ${keep('msd_group_order(u.WORKCENTER_GROUP)')}
       GROUP BY m.lot_cid, grp, name, id`,
    ).run(UNKNOWN_STATION_NAME, MSD_UNKNOWN)
  }
  if (hasMaterials) {
    const x = eventTableOf('materials')
    db.exec(
      `INSERT INTO temp.msd_lot_material (lot_cid, lot_no, part, lot, grp, t)
       SELECT m.lot_cid, l.rowid, x.MATERIALPARTNAME AS part, COALESCE(x.MATERIALLOTNAME, '') AS lot, msd_group_of(x.WORKCENTERNAME) AS grp, MIN(x.TXNDATE)
       FROM "${x}" x
       JOIN msd_lot_cids m ON m.cid = x.CONTAINERID
       JOIN temp.msd_lot l ON l.cid = m.lot_cid
       WHERE x.MATERIALPARTNAME IS NOT NULL AND x.MATERIALPARTNAME <> ''
         AND ${keep('msd_group_order(msd_group_of(x.WORKCENTERNAME))')}
       GROUP BY m.lot_cid, part, lot, grp`,
    )
  }
  db.exec(`
    CREATE INDEX temp.msd_lot_machine_by_key ON msd_lot_machine (grp, name, id, lot_no, t);
    CREATE INDEX temp.msd_lot_machine_by_lot ON msd_lot_machine (lot_cid);
    CREATE INDEX temp.msd_lot_material_by_key ON msd_lot_material (part, lot, lot_no, t);
    CREATE INDEX temp.msd_lot_material_by_lot ON msd_lot_material (lot_cid);
  `)
}

/** Makes `temp.msd_lot_root`: each detection lot's wafer root (its own name when it has none). */
function createRootTable(db: SqliteDatabase, seedRoots: Readonly<Record<string, string>>): void {
  db.exec('DROP TABLE IF EXISTS temp.msd_lot_root')
  db.exec('CREATE TEMP TABLE msd_lot_root (cid TEXT NOT NULL PRIMARY KEY, root TEXT NOT NULL)')
  const lots = db.prepare('SELECT d.cid AS cid, d.container_name AS name FROM temp.msd_lot l JOIN msd_detection d ON d.cid = l.cid').all() as {
    cid: string
    name: string
  }[]
  const insert = db.prepare('INSERT INTO temp.msd_lot_root (cid, root) VALUES (?, ?)')
  for (const lot of lots) insert.run(lot.cid, seedRoots[lot.cid] || lot.name)
}

function tallyOf(row: Tally): Tally {
  return { lots: row.lots, defective_lots: row.defective_lots ?? 0, input_qty: row.input_qty ?? 0, defect_qty: row.defect_qty ?? 0 }
}

/**
 * Tally of the lots per value of `key` in a factor table (each lot counted once per value): the
 * population a factor of that station group or part is contrasted with. Both names come from code.
 */
function populationBy(db: SqliteDatabase, key: 'grp' | 'part', table: 'temp.msd_lot_machine' | 'temp.msd_lot_material'): Map<string, Tally> {
  const rows = db
    .prepare(
      `SELECT p.${key} AS key1, ${TALLY}
       FROM (SELECT DISTINCT ${key}, lot_no FROM ${table}) p JOIN temp.msd_lot l ON l.rowid = p.lot_no GROUP BY p.${key}`,
    )
    .all() as (Tally & { key1: string })[]
  return new Map(rows.map((r) => [r.key1, tallyOf(r)]))
}

/**
 * Runs the backward statements. `seedRoots` maps a lot CID to its root container's name;
 * `onFactorTables` is told when the factor tables are built (the job times the two parts apart).
 */
export function analyzeBackward(
  db: SqliteDatabase,
  options: {
    detectionOrder: number
    seedRoots: Readonly<Record<string, string>>
    hasUpstream: boolean
    hasMaterials: boolean
    minLots: number
    onFactorTables?: () => void
  },
): BackwardTables {
  createFactorTables(db, options.detectionOrder, options.hasUpstream, options.hasMaterials)
  createRootTable(db, options.seedRoots)
  options.onFactorTables?.()
  const totals = lotTotals(db)
  const reasons = defectsByReason(db)
  const all: Tally = totals

  // Machines: tallies per (group, machine, id) and per group (the population of the contrast).
  const machineRows = db
    .prepare(
      `SELECT f.grp AS key1, f.name AS key2, f.id AS key3, ${TALLY}
       FROM temp.msd_lot_machine f JOIN temp.msd_lot l ON l.rowid = f.lot_no GROUP BY f.grp, f.name, f.id`,
    )
    .all() as TallyRow[]
  const groupPopulation = populationBy(db, 'grp', 'temp.msd_lot_machine')
  // Context of each machine: distinct values over its lots.
  const context = new Map<string, { workflow: string[]; productline: string[]; pjType: string[]; detection: string[] }>()
  const contextRows = db
    .prepare(
      `SELECT DISTINCT f.grp AS grp, f.name AS name, f.id AS id, d.workflow AS workflow, d.productline_name AS productline,
         d.pj_type AS pj_type, d.equipment_name AS detection
       FROM temp.msd_lot_machine f JOIN temp.msd_lot l ON l.rowid = f.lot_no JOIN msd_detection d ON d.cid = l.cid`,
    )
    .iterate() as IterableIterator<{ grp: string; name: string; id: string; workflow: string; productline: string; pj_type: string; detection: string }>
  for (const row of contextRows) {
    const key = JSON.stringify([row.grp, row.name, row.id])
    const c = context.get(key) ?? { workflow: [], productline: [], pjType: [], detection: [] }
    c.workflow.push(row.workflow)
    c.productline.push(row.productline)
    c.pjType.push(row.pj_type)
    c.detection.push(row.detection)
    context.set(key, c)
  }
  const machines = machineRows
    .map((r) => {
      const c = context.get(JSON.stringify([r.key1, r.key2, r.key3]))
      return {
        WORKCENTER_GROUP: r.key1,
        EQUIPMENT_NAME: r.key2,
        EQUIPMENT_ID: r.key3,
        DETECTION_LOT_COUNT: r.lots,
        INPUT_QTY: r.input_qty,
        DEFECT_QTY: r.defect_qty,
        DEFECT_RATE: ratePct(r.defect_qty, r.input_qty),
        WORKFLOW: joinDistinct(c?.workflow ?? [], MSD_UNKNOWN),
        PRODUCTLINENAME: joinDistinct(c?.productline ?? [], MSD_UNKNOWN),
        PJ_TYPE: joinDistinct(c?.pjType ?? [], MSD_UNKNOWN),
        DETECTION_EQUIPMENTNAME: joinDistinct(c?.detection ?? [], MSD_UNKNOWN),
        defective_lots: r.defective_lots,
      }
    })
    .sort((a, b) => b.DEFECT_RATE - a.DEFECT_RATE || b.DEFECT_QTY - a.DEFECT_QTY || compareCodeUnits(a.EQUIPMENT_NAME, b.EQUIPMENT_NAME))

  // Materials: keyed by (part, material lot); the population is every lot that consumed the part.
  const materialRows = db
    .prepare(
      `SELECT f.part AS key1, f.lot AS key2, '' AS key3, ${TALLY}
       FROM (SELECT DISTINCT lot_no, part, lot FROM temp.msd_lot_material) f JOIN temp.msd_lot l ON l.rowid = f.lot_no
       GROUP BY f.part, f.lot`,
    )
    .all() as TallyRow[]
  const partPopulation = populationBy(db, 'part', 'temp.msd_lot_material')
  const materialStations = new Map<string, string[]>()
  for (const row of db.prepare('SELECT DISTINCT part, lot, grp FROM temp.msd_lot_material').iterate() as IterableIterator<{ part: string; lot: string; grp: string }>) {
    const key = JSON.stringify([row.part, row.lot])
    materialStations.set(key, [...(materialStations.get(key) ?? []), row.grp])
  }
  const materialKey = (part: string, lot: string): string => (lot ? `${part} (${lot})` : part)

  // Wafer roots: every detection lot has exactly one, so the population is all lots.
  const rootRows = db
    .prepare(`SELECT r.root AS key1, '' AS key2, '' AS key3, ${TALLY} FROM temp.msd_lot_root r JOIN temp.msd_lot l ON l.cid = r.cid GROUP BY r.root`)
    .all() as TallyRow[]

  const factors: (FactorTally & { key: FactorKey })[] = [
    ...machineRows.map((r) => ({
      factor_type: 'machine' as const,
      name: r.key2,
      station: r.key1,
      ...tallyOf(r),
      population: groupPopulation.get(r.key1) ?? all,
      key: { kind: 'machine' as const, grp: r.key1, name: r.key2, id: r.key3 },
    })),
    ...materialRows.map((r) => ({
      factor_type: 'material' as const,
      name: materialKey(r.key1, r.key2),
      station: joinDistinct(materialStations.get(JSON.stringify([r.key1, r.key2])) ?? [], UNKNOWN_STATION_NAME),
      ...tallyOf(r),
      population: partPopulation.get(r.key1) ?? all,
      key: { kind: 'material' as const, part: r.key1, lot: r.key2 },
    })),
    ...rootRows.map((r) => ({
      factor_type: 'wafer_root' as const,
      name: r.key1,
      station: null,
      ...tallyOf(r),
      population: all,
      key: { kind: 'wafer_root' as const, root: r.key1 },
    })),
  ]
  const factorKeys = new Map<Suspect, FactorKey>()
  const suspects = factors.map((f) => {
    const suspect = suspectOf(f, options.minLots)
    factorKeys.set(suspect, f.key)
    return suspect
  })

  const record = (name: string, r: Tally): ParetoRecord => ({ name, input_qty: r.input_qty, defect_qty: r.defect_qty, lot_count: r.lots })
  const reasonChart = buildPareto(reasons.map((r) => ({ name: r.reason, input_qty: 0, defect_qty: r.qty, lot_count: r.lots })))
  return {
    kpi: {
      total_input: totals.input_qty,
      lot_count: totals.lots,
      defective_lot_count: totals.defective_lots,
      total_defect_qty: totals.defect_qty,
      total_defect_rate: ratePct(totals.defect_qty, totals.input_qty),
      top_loss_reason: reasons[0]?.reason ?? '',
    },
    available_loss_reasons: availableLossReasons(db),
    machines,
    by_detection_machine: buildPareto(detectionMachineRecords(db)),
    by_material: buildPareto(materialRows.map((r) => record(materialKey(r.key1, r.key2), r))),
    by_wafer_root: buildPareto(rootRows.map((r) => record(r.key1, r))),
    // Each reason's rate is over the input of all lots (domain.md §5.6 step 8).
    by_loss_reason: reasonChart.map((item) => ({ ...item, input_qty: totals.input_qty, defect_rate: ratePct(item.defect_qty, totals.input_qty) })),
    daily_trend: dailyTrend(db),
    suspects,
    factorKeys,
  }
}

/**
 * The label of a suspect in the detail's suspect-hit list, spelt as the detail's own lists spell
 * it: a machine `station/machine`, a material `part/lot` (the part alone without a lot), a wafer
 * root its name.
 */
export function suspectHitLabel(key: FactorKey): string {
  switch (key.kind) {
    case 'machine':
      return `${key.grp}/${key.name}`
    case 'material':
      return key.lot === '' ? key.part : `${key.part}/${key.lot}`
    case 'wafer_root':
      return key.root
  }
}

/**
 * Makes `temp.msd_hit`: the suspects a lot's hits are counted against, in list order (`ord`),
 * each with its factor-table key and its label.
 */
function createHitTable(db: SqliteDatabase, hits: readonly FactorKey[]): void {
  db.exec('DROP TABLE IF EXISTS temp.msd_hit')
  db.exec(
    `CREATE TEMP TABLE msd_hit (ord INTEGER NOT NULL, kind TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL, label TEXT NOT NULL)`,
  )
  const insert = db.prepare('INSERT INTO temp.msd_hit (ord, kind, a, b, label) VALUES (?, ?, ?, ?, ?)')
  hits.forEach((key, i) => {
    const [a, b] = key.kind === 'machine' ? [key.grp, key.name] : key.kind === 'material' ? [key.part, key.lot] : [key.root, '']
    insert.run(i, key.kind, a, b, suspectHitLabel(key))
  })
}

/**
 * Fills the detail table (domain.md §5.11): per detection lot one row per selected reason with a
 * defect (sorted by reason), or one row with an empty reason and zeros; ordered by defect rate
 * descending, then lot and reason. Upstream machines and materials are the distinct pairs over the
 * lot and its ancestors, as "station/machine" and "part/lot" lists.
 *
 * `hits` are the factors of the suspect-hit columns (original-ui.md §5.5), in list order: the run's
 * significant suspects, all of them, not the ten a chart shows. A lot's hits are the ones it (or
 * an ancestor) touched, labelled as {@link suspectHitLabel} says, each once, in list order; a
 * machine matches by station group and name, as the detail's machine list and the drill-down
 * spell it (two machine IDs of one name are one machine to the engineer). They
 * are stored rather than worked out per page: the list is fixed once the run is done, and a stored
 * column sorts, filters and exports like every other.
 */
export function fillBackwardDetail(db: SqliteDatabase, hits: readonly FactorKey[] = []): void {
  createHitTable(db, hits)
  const columns = ['CONTAINERID', ...BACKWARD_DETAIL_COLUMNS.map((c) => c.key)].map((c) => `"${c}"`).join(', ')
  db.exec(`
    INSERT INTO msd_detail (${columns})
    WITH
      touched AS (
        SELECT f.lot_cid, h.ord, h.label FROM temp.msd_lot_machine f
          JOIN temp.msd_hit h ON h.kind = 'machine' AND h.a = f.grp AND h.b = f.name
        UNION ALL
        SELECT f.lot_cid, h.ord, h.label FROM temp.msd_lot_material f
          JOIN temp.msd_hit h ON h.kind = 'material' AND h.a = f.part AND h.b = f.lot
        UNION ALL
        SELECT r.cid, h.ord, h.label FROM temp.msd_lot_root r
          JOIN temp.msd_hit h ON h.kind = 'wafer_root' AND h.a = r.root
      ),
      hit AS (
        SELECT lot_cid, COUNT(*) AS n, group_concat(label, ', ' ORDER BY ord) AS labels
        FROM (SELECT lot_cid, label, MIN(ord) AS ord FROM touched GROUP BY lot_cid, label) GROUP BY lot_cid
      ),
      up AS (
        SELECT lot_cid, COUNT(*) AS n,
          group_concat(grp || '/' || name, ', ' ORDER BY msd_group_order(grp), grp, name) AS machines
        FROM (SELECT DISTINCT lot_cid, grp, name FROM temp.msd_lot_machine) GROUP BY lot_cid
      ),
      mat AS (
        SELECT lot_cid, group_concat(CASE WHEN lot = '' THEN part ELSE part || '/' || lot END, ', ' ORDER BY part, lot) AS materials
        FROM (SELECT DISTINCT lot_cid, part, lot FROM temp.msd_lot_material) GROUP BY lot_cid
      ),
      anc AS (SELECT lot_cid, SUM(cid <> lot_cid) AS n FROM msd_lot_cids GROUP BY lot_cid),
      rows AS (
        SELECT d.container_name AS name, d.pj_type, d.productline_name, d.workflow, d.finishedruncard, d.equipment_name,
          l.input_qty, COALESCE(r.reason, '') AS reason, COALESCE(r.qty, 0) AS qty, msd_rate(COALESCE(r.qty, 0), l.input_qty) AS rate,
          COALESCE(anc.n, 0) AS ancestors, COALESCE(up.n, 0) AS machine_count, COALESCE(up.machines, '') AS machines,
          COALESCE(mat.materials, '') AS materials, COALESCE(root.root, d.container_name) AS root, d.cid AS cid,
          COALESCE(hit.n, 0) AS hit_count, COALESCE(hit.labels, '') AS hits
        FROM temp.msd_lot l
        JOIN msd_detection d ON d.cid = l.cid
        LEFT JOIN temp.selected_rejects r ON r.cid = l.cid
        LEFT JOIN up ON up.lot_cid = l.cid
        LEFT JOIN mat ON mat.lot_cid = l.cid
        LEFT JOIN anc ON anc.lot_cid = l.cid
        LEFT JOIN temp.msd_lot_root root ON root.cid = l.cid
        LEFT JOIN hit ON hit.lot_cid = l.cid
      )
    SELECT cid, name, pj_type, productline_name, workflow, finishedruncard, equipment_name, input_qty, reason, qty, rate,
      ancestors, machine_count, machines, materials, root, hit_count, hits
    FROM rows ORDER BY rate DESC, name, cid, reason
  `)
}

/** Distinct containers the detection lots' genealogy reached, the lots themselves not counted. */
export function ancestorCount(db: SqliteDatabase): number {
  return db.prepare('SELECT COUNT(DISTINCT cid) FROM msd_lot_cids WHERE cid NOT IN (SELECT lot_cid FROM msd_lot_cids)').pluck().get() as number
}
