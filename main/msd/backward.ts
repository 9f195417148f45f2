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
import type { SqliteDatabase } from '../store/index.js'
import { availableLossReasons, dailyTrend, defectsByReason, detectionMachineRecords, joinDistinct, lotTotals } from './sql.js'
import type { FactorKey } from './cause.js'
import { EVENT_ROW_TABLES, type RowTables } from './factor-links.js'
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
 * Builds the per-factor lot tables of the backward analysis, integer-coded so the statements over
 * them group and join numbers, not text:
 *  - `temp.msd_machine` (f, grp, name, id): one row per machine met, `f` in (grp, name, id) order;
 *  - `temp.msd_lot_machine` (f, lot_no, t): each lot once per machine (at its first passage);
 *  - `temp.msd_material` (m, part, lot): one row per material lot met, `m` in (part, lot) order;
 *  - `temp.msd_lot_material` (m, lot_no, t): each lot once per material lot (its first consumption);
 *  - `temp.msd_material_station` (m, grp): the station groups each material lot was consumed at.
 * `lot_no` is the lot's row number in temp.msd_lot, the dense index the cause analysis works on;
 * `t` is when the lot (through any of its containers) first passed the factor — the machine's
 * track-in, the material's consumption — the order the onset of a factor is looked for in.
 * Stations at or after the detection station are left out; rows whose workcenter maps to no group
 * are kept (§14 #6).
 */
function createFactorTables(db: SqliteDatabase, detectionOrder: number, hasUpstream: boolean, hasMaterials: boolean, from: RowTables): void {
  db.exec(`
    DROP TABLE IF EXISTS temp.msd_cid_lot; DROP TABLE IF EXISTS temp.msd_machine; DROP TABLE IF EXISTS temp.msd_lot_machine;
    DROP TABLE IF EXISTS temp.msd_material; DROP TABLE IF EXISTS temp.msd_lot_material; DROP TABLE IF EXISTS temp.msd_material_station;
    DROP TABLE IF EXISTS temp.msd_kept_group; DROP TABLE IF EXISTS temp.msd_kept_workcenter;
    CREATE TEMP TABLE msd_cid_lot (cid TEXT NOT NULL, lot_no INTEGER NOT NULL, PRIMARY KEY (cid, lot_no)) WITHOUT ROWID;
    INSERT INTO temp.msd_cid_lot (cid, lot_no) SELECT m.cid, l.rowid FROM msd_lot_cids m JOIN temp.msd_lot l ON l.cid = m.lot_cid ORDER BY 1, 2;
    CREATE TEMP TABLE msd_machine (f INTEGER PRIMARY KEY, grp TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL, UNIQUE (grp, name, id));
    CREATE TEMP TABLE msd_lot_machine (f INTEGER NOT NULL, lot_no INTEGER NOT NULL, t TEXT, PRIMARY KEY (f, lot_no)) WITHOUT ROWID;
    CREATE TEMP TABLE msd_material (m INTEGER PRIMARY KEY, part TEXT NOT NULL, lot TEXT NOT NULL, UNIQUE (part, lot));
    CREATE TEMP TABLE msd_lot_material (m INTEGER NOT NULL, lot_no INTEGER NOT NULL, t TEXT, PRIMARY KEY (m, lot_no)) WITHOUT ROWID;
    CREATE TEMP TABLE msd_material_station (m INTEGER NOT NULL, grp TEXT NOT NULL, PRIMARY KEY (m, grp)) WITHOUT ROWID;
  `)
  const keep = (order: string): string => `(${order} < ${detectionOrder} OR ${order} = ${UNKNOWN_STATION_ORDER})`
  // Which station groups (upstream rows carry the group) and workcenters (material rows carry the
  // workcenter) are kept is decided once per distinct value, not by a function call per row; a
  // missing value is the empty text, which maps where a null does (no group).
  // Only rows of a container some detection lot reaches (the events also cover seeds that never
  // reached the detection station, and their ancestors).
  const reached = (cid: string): string => `${cid} IN (SELECT cid FROM temp.msd_cid_lot)`
  if (hasUpstream) {
    const u = from.upstream
    const grp = "COALESCE(NULLIF(u.WORKCENTER_GROUP, ''), @unknownStation)"
    const name = "COALESCE(NULLIF(u.EQUIPMENTNAME, ''), @unknown)"
    const id = "COALESCE(u.EQUIPMENTID, '')"
    const params = { unknownStation: UNKNOWN_STATION_NAME, unknown: MSD_UNKNOWN }
    db.exec(
      `CREATE TEMP TABLE msd_kept_group (g TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID;
       INSERT INTO temp.msd_kept_group (g)
       SELECT g FROM (SELECT DISTINCT COALESCE(WORKCENTER_GROUP, '') AS g FROM ${u}) WHERE ${keep('msd_group_order(g)')}`,
    )
    const kept = "COALESCE(u.WORKCENTER_GROUP, '') IN (SELECT g FROM temp.msd_kept_group)"
    db.prepare(
      `INSERT INTO temp.msd_machine (grp, name, id)
       SELECT DISTINCT ${grp}, ${name}, ${id} FROM ${u} u
       WHERE ${kept} AND ${reached('u.CONTAINERID')} ORDER BY 1, 2, 3`,
    ).run(params)
    db.prepare(
      `INSERT INTO temp.msd_lot_machine (f, lot_no, t)
       SELECT k.f, c.lot_no, MIN(u.TRACKINTIMESTAMP)
       FROM ${u} u
       JOIN temp.msd_machine k ON k.grp = ${grp} AND k.name = ${name} AND k.id = ${id}
       JOIN temp.msd_cid_lot c ON c.cid = u.CONTAINERID
       WHERE ${kept}
       GROUP BY k.f, c.lot_no`,
    ).run(params)
  }
  if (hasMaterials) {
    const x = from.materials
    // Each kept workcenter with its station group.
    db.exec(
      `CREATE TEMP TABLE msd_kept_workcenter (wc TEXT NOT NULL PRIMARY KEY, grp TEXT NOT NULL) WITHOUT ROWID;
       INSERT INTO temp.msd_kept_workcenter (wc, grp)
       SELECT wc, msd_group_of(wc) FROM (SELECT DISTINCT COALESCE(WORKCENTERNAME, '') AS wc FROM ${x})
       WHERE ${keep('msd_group_order(msd_group_of(wc))')}`,
    )
    const used = "x.MATERIALPARTNAME IS NOT NULL AND x.MATERIALPARTNAME <> ''"
    const at = "JOIN temp.msd_kept_workcenter w ON w.wc = COALESCE(x.WORKCENTERNAME, '')"
    db.exec(
      `INSERT INTO temp.msd_material (part, lot)
       SELECT DISTINCT x.MATERIALPARTNAME, COALESCE(x.MATERIALLOTNAME, '') FROM ${x} x ${at}
       WHERE ${used} AND ${reached('x.CONTAINERID')} ORDER BY 1, 2;
       INSERT INTO temp.msd_material_station (m, grp)
       SELECT DISTINCT k.m, w.grp FROM ${x} x ${at}
       JOIN temp.msd_material k ON k.part = x.MATERIALPARTNAME AND k.lot = COALESCE(x.MATERIALLOTNAME, '')
       WHERE ${used} AND ${reached('x.CONTAINERID')};
       INSERT INTO temp.msd_lot_material (m, lot_no, t)
       SELECT k.m, c.lot_no, MIN(x.TXNDATE)
       FROM ${x} x ${at}
       JOIN temp.msd_material k ON k.part = x.MATERIALPARTNAME AND k.lot = COALESCE(x.MATERIALLOTNAME, '')
       JOIN temp.msd_cid_lot c ON c.cid = x.CONTAINERID
       WHERE ${used}
       GROUP BY k.m, c.lot_no`,
    )
  }
  db.exec(`
    CREATE INDEX temp.msd_lot_machine_by_lot ON msd_lot_machine (lot_no, f);
    CREATE INDEX temp.msd_lot_material_by_lot ON msd_lot_material (lot_no, m);
  `)
}

/**
 * Makes `temp.msd_lot_root`: each detection lot's wafer root, from the `seed_roots` of the
 * genealogy the file holds (its own name when it has none).
 */
function createRootTable(db: SqliteDatabase): void {
  db.exec(`
    DROP TABLE IF EXISTS temp.msd_lot_root;
    DROP TABLE IF EXISTS temp.msd_seed_root;
    CREATE TEMP TABLE msd_lot_root (cid TEXT NOT NULL PRIMARY KEY, root TEXT NOT NULL);
    CREATE TEMP TABLE msd_seed_root (cid TEXT NOT NULL PRIMARY KEY, root TEXT NOT NULL) WITHOUT ROWID;
    INSERT OR IGNORE INTO temp.msd_seed_root (cid, root)
    SELECT key, value FROM json_each((SELECT value FROM json_parts WHERE name = 'lineage.seed_roots')) WHERE type = 'text';
    INSERT INTO temp.msd_lot_root (cid, root)
    SELECT l.cid, COALESCE(NULLIF(r.root, ''), d.container_name)
      FROM temp.msd_lot l JOIN msd_detection d ON d.cid = l.cid LEFT JOIN temp.msd_seed_root r ON r.cid = l.cid;
    DROP TABLE temp.msd_seed_root`)
}

function tallyOf(row: Tally): Tally {
  return { lots: row.lots, defective_lots: row.defective_lots ?? 0, input_qty: row.input_qty ?? 0, defect_qty: row.defect_qty ?? 0 }
}

/** How to read one kind of factor table: its lot table, its key table, their join column and the population column. */
const FACTOR_TABLES = {
  machine: { lots: 'temp.msd_lot_machine', keys: 'temp.msd_machine', code: 'f', population: 'grp' },
  material: { lots: 'temp.msd_lot_material', keys: 'temp.msd_material', code: 'm', population: 'part' },
} as const

/**
 * Tally of the lots per station group (machines) or part (materials), each lot counted once per
 * value: the population a factor of that group or part is contrasted with.
 */
function populationBy(db: SqliteDatabase, kind: keyof typeof FACTOR_TABLES): Map<string, Tally> {
  const { lots, keys, code, population } = FACTOR_TABLES[kind]
  const rows = db
    .prepare(
      `SELECT p.key1 AS key1, ${TALLY}
       FROM (SELECT DISTINCT k.${population} AS key1, f.lot_no AS lot_no FROM ${lots} f JOIN ${keys} k ON k.${code} = f.${code}) p
       JOIN temp.msd_lot l ON l.rowid = p.lot_no GROUP BY p.key1`,
    )
    .all() as (Tally & { key1: string })[]
  return new Map(rows.map((r) => [r.key1, tallyOf(r)]))
}

/** A machine's context: the distinct values over its lots, each list joined as the attribution shows it. */
interface MachineContext {
  workflow: string
  productline: string
  pjType: string
  detection: string
}

/**
 * The distinct context values (workflow, product line, PJ type, detection machine) over each
 * machine's lots, by machine code. The lots' contexts are numbered first, so the distinct pass over
 * the (machine, lot) pairs compares integers. The pairs come in machine order and each machine's
 * values are joined as soon as its last pair is read: only one machine's values are held at a
 * time (holding them all was 22 MB of the heap at 240 000 lots).
 */
function machineContexts(db: SqliteDatabase): Map<number, MachineContext> {
  db.exec(`
    DROP TABLE IF EXISTS temp.msd_ctx; DROP TABLE IF EXISTS temp.msd_lot_ctx;
    CREATE TEMP TABLE msd_ctx (ctx INTEGER PRIMARY KEY, workflow TEXT NOT NULL, productline TEXT NOT NULL, pj_type TEXT NOT NULL,
      detection TEXT NOT NULL, UNIQUE (workflow, productline, pj_type, detection));
    INSERT INTO temp.msd_ctx (workflow, productline, pj_type, detection)
      SELECT DISTINCT d.workflow, d.productline_name, d.pj_type, d.equipment_name FROM temp.msd_lot l JOIN msd_detection d ON d.cid = l.cid;
    CREATE TEMP TABLE msd_lot_ctx (lot_no INTEGER PRIMARY KEY, ctx INTEGER NOT NULL);
    INSERT INTO temp.msd_lot_ctx (lot_no, ctx)
      SELECT l.rowid, c.ctx FROM temp.msd_lot l JOIN msd_detection d ON d.cid = l.cid
      JOIN temp.msd_ctx c ON c.workflow = d.workflow AND c.productline = d.productline_name AND c.pj_type = d.pj_type AND c.detection = d.equipment_name;
  `)
  const context = new Map<number, MachineContext>()
  const rows = db
    .prepare(
      `SELECT x.f, c.workflow, c.productline, c.pj_type, c.detection
       FROM (SELECT DISTINCT f.f AS f, lc.ctx AS ctx FROM temp.msd_lot_machine f JOIN temp.msd_lot_ctx lc ON lc.lot_no = f.lot_no) x
       JOIN temp.msd_ctx c ON c.ctx = x.ctx ORDER BY x.f`,
    )
    .raw()
    .iterate() as IterableIterator<[number, string, string, string, string]>
  let code: number | null = null
  let values: [Set<string>, Set<string>, Set<string>, Set<string>] = [new Set(), new Set(), new Set(), new Set()]
  const close = (): void => {
    if (code === null) return
    const [workflow, productline, pjType, detection] = values.map((v) => joinDistinct(v, MSD_UNKNOWN)) as [string, string, string, string]
    context.set(code, { workflow, productline, pjType, detection })
  }
  for (const [f, ...row] of rows) {
    if (f !== code) {
      close()
      code = f
      values = [new Set(), new Set(), new Set(), new Set()]
    }
    row.forEach((value, k) => values[k]!.add(value))
  }
  close()
  return context
}

/**
 * Runs the backward statements (the lots' roots are the `seed_roots` of the genealogy in the file);
 * `onFactorTables` is told when the factor tables are built (the job times the two parts apart).
 */
export function analyzeBackward(
  db: SqliteDatabase,
  options: {
    detectionOrder: number
    hasUpstream: boolean
    hasMaterials: boolean
    minLots: number
    onFactorTables?: () => void
    /** Where the factor tables read their rows. @default EVENT_ROW_TABLES */
    rows?: RowTables
  },
): BackwardTables {
  createFactorTables(db, options.detectionOrder, options.hasUpstream, options.hasMaterials, options.rows ?? EVENT_ROW_TABLES)
  createRootTable(db)
  options.onFactorTables?.()
  const totals = lotTotals(db)
  const reasons = defectsByReason(db)
  const all: Tally = totals

  // Machines: tallies per (group, machine, id) and per group (the population of the contrast).
  // Machine codes follow (group, machine, id) order, so grouping by code lists them in that order.
  const machineRows = db
    .prepare(
      `SELECT f.f AS code, k.grp AS key1, k.name AS key2, k.id AS key3, ${TALLY}
       FROM temp.msd_lot_machine f JOIN temp.msd_machine k ON k.f = f.f JOIN temp.msd_lot l ON l.rowid = f.lot_no
       GROUP BY f.f ORDER BY f.f`,
    )
    .all() as (TallyRow & { code: number })[]
  const groupPopulation = populationBy(db, 'machine')
  // Context of each machine: distinct values over its lots.
  const context = machineContexts(db)
  const machines = machineRows
    .map((r) => {
      const c = context.get(r.code)
      return {
        WORKCENTER_GROUP: r.key1,
        EQUIPMENT_NAME: r.key2,
        EQUIPMENT_ID: r.key3,
        DETECTION_LOT_COUNT: r.lots,
        INPUT_QTY: r.input_qty,
        DEFECT_QTY: r.defect_qty,
        DEFECT_RATE: ratePct(r.defect_qty, r.input_qty),
        WORKFLOW: c?.workflow ?? MSD_UNKNOWN,
        PRODUCTLINENAME: c?.productline ?? MSD_UNKNOWN,
        PJ_TYPE: c?.pjType ?? MSD_UNKNOWN,
        DETECTION_EQUIPMENTNAME: c?.detection ?? MSD_UNKNOWN,
        defective_lots: r.defective_lots,
      }
    })
    .sort((a, b) => b.DEFECT_RATE - a.DEFECT_RATE || b.DEFECT_QTY - a.DEFECT_QTY || compareCodeUnits(a.EQUIPMENT_NAME, b.EQUIPMENT_NAME))

  // Materials: keyed by (part, material lot); the population is every lot that consumed the part.
  // Material codes follow (part, lot) order, so grouping by code lists them in that order.
  const materialRows = db
    .prepare(
      `SELECT k.part AS key1, k.lot AS key2, '' AS key3, ${TALLY}
       FROM temp.msd_lot_material f JOIN temp.msd_material k ON k.m = f.m JOIN temp.msd_lot l ON l.rowid = f.lot_no
       GROUP BY f.m ORDER BY f.m`,
    )
    .all() as TallyRow[]
  const partPopulation = populationBy(db, 'material')
  const materialStations = new Map<string, string[]>()
  const stationRows = db.prepare('SELECT k.part AS part, k.lot AS lot, s.grp AS grp FROM temp.msd_material_station s JOIN temp.msd_material k ON k.m = s.m')
  for (const row of stationRows.iterate() as IterableIterator<{ part: string; lot: string; grp: string }>) {
    const key = JSON.stringify([row.part, row.lot])
    materialStations.set(key, [...(materialStations.get(key) ?? []), row.grp])
  }
  const materialKey = (part: string, lot: string): string => (lot ? `${part} (${lot})` : part)

  // Wafer roots: every detection lot has exactly one, so the population is all lots.
  const rootRows = db
    .prepare(`SELECT r.root AS key1, '' AS key2, '' AS key3, ${TALLY} FROM temp.msd_lot_root r JOIN temp.msd_lot l ON l.cid = r.cid GROUP BY r.root`)
    .all() as TallyRow[]

  // One suspect per factor, made as its row is read (no list of the factors beside the suspects).
  const factorKeys = new Map<Suspect, FactorKey>()
  const suspects: Suspect[] = []
  const add = (factor: FactorTally, key: FactorKey): void => {
    const suspect = suspectOf(factor, options.minLots)
    factorKeys.set(suspect, key)
    suspects.push(suspect)
  }
  for (const r of machineRows) {
    add(
      { factor_type: 'machine', name: r.key2, station: r.key1, ...tallyOf(r), population: groupPopulation.get(r.key1) ?? all },
      { kind: 'machine', grp: r.key1, name: r.key2, id: r.key3 },
    )
  }
  for (const r of materialRows) {
    add(
      {
        factor_type: 'material',
        name: materialKey(r.key1, r.key2),
        station: joinDistinct(materialStations.get(JSON.stringify([r.key1, r.key2])) ?? [], UNKNOWN_STATION_NAME),
        ...tallyOf(r),
        population: partPopulation.get(r.key1) ?? all,
      },
      { kind: 'material', part: r.key1, lot: r.key2 },
    )
  }
  for (const r of rootRows) {
    add({ factor_type: 'wafer_root', name: r.key1, station: null, ...tallyOf(r), population: all }, { kind: 'wafer_root', root: r.key1 })
  }

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
 * Makes `temp.msd_machine_label` (gn, label): one row per station group and machine name (the
 * detail lists a machine by those two, whatever its IDs), `gn` in the detail's list order (station
 * order, group, name); and `temp.msd_machine_gn` (f, gn), each machine code's entry. The detail
 * then orders and labels a lot's machines by that number instead of per row.
 */
function createMachineLabels(db: SqliteDatabase): void {
  db.exec(`
    DROP TABLE IF EXISTS temp.msd_machine_label; DROP TABLE IF EXISTS temp.msd_machine_gn;
    CREATE TEMP TABLE msd_machine_label (gn INTEGER PRIMARY KEY, grp TEXT NOT NULL, name TEXT NOT NULL, label TEXT NOT NULL, UNIQUE (grp, name));
    INSERT INTO temp.msd_machine_label (grp, name, label)
      SELECT grp, name, grp || '/' || name FROM (SELECT DISTINCT grp, name FROM temp.msd_machine) ORDER BY msd_group_order(grp), grp, name;
    CREATE TEMP TABLE msd_machine_gn (f INTEGER PRIMARY KEY, gn INTEGER NOT NULL);
    INSERT INTO temp.msd_machine_gn (f, gn) SELECT k.f, g.gn FROM temp.msd_machine k JOIN temp.msd_machine_label g ON g.grp = k.grp AND g.name = k.name;
  `)
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
  createMachineLabels(db)
  const columns = ['CONTAINERID', ...BACKWARD_DETAIL_COLUMNS.map((c) => c.key)].map((c) => `"${c}"`).join(', ')
  // Each per-lot part is its own temp table, built one after the other, rather than CTEs of the one
  // INSERT: SQLite materializes each of those in an ephemeral table with a page cache of its own,
  // and at 120 000 lots they held some 90 MB at once. Temp tables share the temp database's cache.
  db.exec(`
    CREATE TEMP TABLE msd_detail_hit (lot_no INTEGER PRIMARY KEY, n INTEGER, labels TEXT);
    INSERT INTO temp.msd_detail_hit
      SELECT lot_no, COUNT(*), group_concat(label, ', ' ORDER BY ord)
      FROM (
        SELECT lot_no, label, MIN(ord) AS ord FROM (
          SELECT f.lot_no, h.ord, h.label FROM temp.msd_hit h
            JOIN temp.msd_machine k ON h.kind = 'machine' AND k.grp = h.a AND k.name = h.b
            JOIN temp.msd_lot_machine f ON f.f = k.f
          UNION ALL
          SELECT f.lot_no, h.ord, h.label FROM temp.msd_hit h
            JOIN temp.msd_material k ON h.kind = 'material' AND k.part = h.a AND k.lot = h.b
            JOIN temp.msd_lot_material f ON f.m = k.m
          UNION ALL
          SELECT l.rowid, h.ord, h.label FROM temp.msd_lot_root r
            JOIN temp.msd_hit h ON h.kind = 'wafer_root' AND h.a = r.root
            JOIN temp.msd_lot l ON l.cid = r.cid
        ) GROUP BY lot_no, label
      ) GROUP BY lot_no;
    CREATE TEMP TABLE msd_detail_up (lot_no INTEGER PRIMARY KEY, n INTEGER, machines TEXT);
    INSERT INTO temp.msd_detail_up
      SELECT p.lot_no, COUNT(*), group_concat(g.label, ', ' ORDER BY p.gn)
      FROM (SELECT DISTINCT f.lot_no AS lot_no, x.gn AS gn FROM temp.msd_lot_machine f JOIN temp.msd_machine_gn x ON x.f = f.f) p
      JOIN temp.msd_machine_label g ON g.gn = p.gn
      GROUP BY p.lot_no;
    CREATE TEMP TABLE msd_detail_mat (lot_no INTEGER PRIMARY KEY, materials TEXT);
    INSERT INTO temp.msd_detail_mat
      SELECT f.lot_no, group_concat(CASE WHEN k.lot = '' THEN k.part ELSE k.part || '/' || k.lot END, ', ' ORDER BY k.part, k.lot)
      FROM temp.msd_lot_material f JOIN temp.msd_material k ON k.m = f.m GROUP BY f.lot_no;
    CREATE TEMP TABLE msd_detail_anc (lot_cid TEXT PRIMARY KEY, n INTEGER);
    INSERT INTO temp.msd_detail_anc SELECT lot_cid, SUM(cid <> lot_cid) FROM msd_lot_cids GROUP BY lot_cid;
  `)
  db.exec(`
    INSERT INTO msd_detail (${columns})
    WITH
      rows AS (
        SELECT d.container_name AS name, d.pj_type, d.productline_name, d.workflow, d.finishedruncard, d.equipment_name,
          l.input_qty, COALESCE(r.reason, '') AS reason, COALESCE(r.qty, 0) AS qty, msd_rate(COALESCE(r.qty, 0), l.input_qty) AS rate,
          COALESCE(anc.n, 0) AS ancestors, COALESCE(up.n, 0) AS machine_count, COALESCE(up.machines, '') AS machines,
          COALESCE(mat.materials, '') AS materials, COALESCE(root.root, d.container_name) AS root, d.cid AS cid,
          COALESCE(hit.n, 0) AS hit_count, COALESCE(hit.labels, '') AS hits
        FROM temp.msd_lot l
        JOIN msd_detection d ON d.cid = l.cid
        LEFT JOIN temp.selected_rejects r ON r.cid = l.cid
        LEFT JOIN temp.msd_detail_up up ON up.lot_no = l.rowid
        LEFT JOIN temp.msd_detail_mat mat ON mat.lot_no = l.rowid
        LEFT JOIN temp.msd_detail_anc anc ON anc.lot_cid = l.cid
        LEFT JOIN temp.msd_lot_root root ON root.cid = l.cid
        LEFT JOIN temp.msd_detail_hit hit ON hit.lot_no = l.rowid
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
