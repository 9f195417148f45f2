/**
 * The MSD detection dataset (domain.md §5.3): for each seed lot, its record at the detection
 * station — machine, input of the session, track-in time, run card — its rejects there per loss
 * reason, and the lot's product attributes. Bound parameters only, IN lists of at most one
 * dialect limit (§14 #9); handed to the caller batch by batch of seeds. A date-range run reads the
 * station's records for the whole window at once, by the station's workcenters; a container run
 * (or a source whose workcenters cannot be listed) reads them by the batch's CIDs.
 */
import { compareCodeUnits } from '../../shared/compare.js'
import { invalidInput, throwIfCancelled } from '../../shared/errors.js'
import { MSD_NO_REASON, MSD_UNKNOWN, type MsdDetectionLot, type MsdDetectionReject } from '../../shared/msd.js'
import { stationGroupByName, type StationGroup } from '../../shared/stations.js'
import { addDays, normalizePlantTime } from '../../shared/time.js'
import { chunk, readStationWorkcenterNames, SqlParams, type MesSource, type SourceRow } from '../sources/index.js'
import type { SqliteDatabase } from '../store/index.js'
import { stationFilterSql } from '../trace/index.js'

/** Product line of the probe step, whose WIP rows carry no assembly workflow (domain.md §5.3 step 4). */
const PROBE_PRODUCT_LINE = '點測'

export interface DetectionBatch {
  lots: MsdDetectionLot[]
  rejects: MsdDetectionReject[]
}

export interface FetchDetectionOptions {
  source: MesSource
  /** Seed CIDs; those without a record at the station are not part of the population. */
  cids: readonly string[]
  station: string
  /** Date mode: the window `[start, end + 1 day)` for track-ins and reject transactions; null: all time (container mode). */
  window: { start_date: string; end_date: string } | null
  signal?: AbortSignal
  onBatch: (batch: DetectionBatch) => void | Promise<void>
  /**
   * The connection whose temporary tables hold a date-range run's records of the whole window
   * until its lots are handed over (the result file's), so they are never all in the process.
   */
  workspace: SqliteDatabase
}

const text = (value: unknown): string | null => {
  if (value === null || value === undefined || value === '') return null
  return typeof value === 'string' ? value : String(value)
}

const number = (value: unknown): number => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : 0
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value)
    return Number.isFinite(n) ? n : 0
  }
  return 0
}

/**
 * A lot's record at the station: the session kept (only the columns the lot takes from it, not the
 * driver's row: a date-range run holds one record per lot of the window), its track-in and
 * track-out, and its input.
 */
interface LatestRecord {
  equipmentId: string | null
  equipmentName: string | null
  spec: string | null
  runCard: string | null
  trackIn: string
  trackOut: string
  input: number
}

/** The columns of a lot's track-in at the station, both ways it is read. */
const TRACK_IN_COLUMNS = 'h.CONTAINERID, h.EQUIPMENTID, h.EQUIPMENTNAME, h.SPECNAME, h.TRACKINTIMESTAMP, h.TRACKOUTTIMESTAMP, h.TRACKINQTY, h.FINISHEDRUNCARD'

const QTY_SUM = ['REJECTQTY', 'STANDBYQTY', 'QTYTOPROCESS', 'INPROCESSQTY', 'PROCESSEDQTY', 'DEFECTQTY'].map((c) => `COALESCE(r.${c}, 0)`).join(' + ')

/** What decides between two sessions with the same track-in and track-out: the smaller machine, then spec and run card. */
function tieKey(record: Pick<LatestRecord, 'equipmentName' | 'equipmentId' | 'spec' | 'runCard'>): string {
  return [record.equipmentName, record.equipmentId, record.spec, record.runCard].map((v) => v ?? '').join('\u0000')
}

/** One track-in row as the detection keeps it. */
interface TrackIn extends Omit<LatestRecord, 'input'> {
  cid: string
  qty: number
}

/** The track-in of a row, or null when it names no lot or no track-in time. */
function trackInOf(row: SourceRow): TrackIn | null {
  const cid = text(row.CONTAINERID)
  const trackIn = normalizePlantTime(row.TRACKINTIMESTAMP)
  if (!cid || !trackIn) return null
  return {
    cid,
    equipmentId: text(row.EQUIPMENTID),
    equipmentName: text(row.EQUIPMENTNAME),
    spec: text(row.SPECNAME),
    runCard: text(row.FINISHEDRUNCARD),
    trackIn,
    trackOut: normalizePlantTime(row.TRACKOUTTIMESTAMP) ?? '',
    qty: number(row.TRACKINQTY),
  }
}

/**
 * Folds one track-in into `latest`: per lot the latest track-in (tie → latest track-out, then
 * {@link tieKey}, so the choice does not depend on the order rows come in); its input is the
 * largest TRACKINQTY among the partial track-outs of that same track-in.
 */
function keepLatest(latest: Map<string, LatestRecord>, row: TrackIn): void {
  const { cid, trackIn, trackOut, qty } = row
  const current = latest.get(cid)
  if (current && trackIn < current.trackIn) return
  const session = { equipmentId: row.equipmentId, equipmentName: row.equipmentName, spec: row.spec, runCard: row.runCard }
  if (!current || trackIn > current.trackIn) {
    latest.set(cid, { ...session, trackIn, trackOut, input: qty })
    return
  }
  current.input = Math.max(current.input, qty)
  if (trackOut > current.trackOut || (trackOut === current.trackOut && compareCodeUnits(tieKey(session), tieKey(current)) < 0)) {
    Object.assign(current, session, { trackOut })
  }
}

/** Folds one grouped reject row (lot, reason, quantity) into `rejects`. */
function addReject(rejects: Map<string, MsdDetectionReject>, row: SourceRow): void {
  const cid = text(row.CONTAINERID)
  if (!cid) return
  const reason = text(row.LOSSREASONNAME) ?? MSD_NO_REASON
  const key = `${cid}\u0000${reason}`
  const entry = rejects.get(key) ?? { cid, reason, qty: 0 }
  entry.qty += number(row.QTY)
  rejects.set(key, entry)
}

const DROP_WINDOW_TABLES = 'DROP TABLE IF EXISTS temp.msd_window_trackin; DROP TABLE IF EXISTS temp.msd_window_reject;'

/** A window's track-ins and rejects, kept in temporary tables and handed out by batch of lots. */
class WindowRecords {
  private readonly trackIns
  private readonly rejects

  constructor(private readonly db: SqliteDatabase) {
    this.trackIns = db.prepare(
      'SELECT cid, equipment_id AS equipmentId, equipment_name AS equipmentName, spec, run_card AS runCard, track_in AS trackIn, ' +
        'track_out AS trackOut, qty FROM temp.msd_window_trackin WHERE cid = ? ORDER BY rowid',
    )
    this.rejects = db.prepare('SELECT cid, reason, qty FROM temp.msd_window_reject WHERE cid = ? ORDER BY rowid')
  }

  /** The records of `batch`: each lot's latest track-in and its rejects, in the order they were read. */
  of(batch: readonly string[]): { latest: Map<string, LatestRecord>; rejectQty: Map<string, MsdDetectionReject> } {
    const latest = new Map<string, LatestRecord>()
    const rejectQty = new Map<string, MsdDetectionReject>()
    for (const cid of batch) {
      for (const row of this.trackIns.all(cid) as TrackIn[]) keepLatest(latest, row)
      if (!latest.has(cid)) continue
      for (const reject of this.rejects.all(cid) as MsdDetectionReject[]) rejectQty.set(`${cid}\u0000${reject.reason}`, reject)
    }
    return { latest, rejectQty }
  }

  drop(): void {
    // A connection already closed (the job's file aborted) took its temporary tables with it.
    if (this.db.open) this.db.exec(DROP_WINDOW_TABLES)
  }
}

/**
 * Date mode: every track-in and every reject at the station inside the window, read by the
 * station's workcenter names and the window (the source's `(WORKCENTERNAME, time)` indexes)
 * instead of per batch of lots, where a batch would visit every history row of its lots. The rows
 * go to temporary tables of `db` as they arrive: held in the process, a window of 68 323 lots took
 * the detection step to 227–236 MB peak RSS, 148–166 MB now (docs/pushdown.md). Null when a
 * table's workcenters cannot be listed (too many): the caller reads by batch.
 */
async function readStationWindow(
  source: MesSource,
  group: StationGroup,
  window: { start_date: string; end_date: string },
  signal: AbortSignal | undefined,
  db: SqliteDatabase,
): Promise<WindowRecords | null> {
  const { dialect } = source
  const wipNames = await readStationWorkcenterNames(source, group, 'DW_MES_LOTWIPHISTORY', signal)
  const rejectNames = wipNames && (await readStationWorkcenterNames(source, group, 'DW_MES_LOTREJECTHISTORY', signal))
  if (!wipNames || !rejectNames) return null
  const from = `${window.start_date} 00:00:00`
  const to = `${addDays(window.end_date, 1)} 00:00:00`
  db.exec(`${DROP_WINDOW_TABLES}
    CREATE TEMP TABLE msd_window_trackin (
      cid TEXT NOT NULL, equipment_id TEXT, equipment_name TEXT, spec TEXT, run_card TEXT, track_in TEXT NOT NULL, track_out TEXT NOT NULL, qty REAL NOT NULL
    );
    CREATE TEMP TABLE msd_window_reject (cid TEXT NOT NULL, reason TEXT NOT NULL, qty REAL NOT NULL, UNIQUE (cid, reason));`)
  const records = new WindowRecords(db)
  try {
    const insertTrackIn = db.prepare(
      'INSERT INTO temp.msd_window_trackin (cid, equipment_id, equipment_name, spec, run_card, track_in, track_out, qty) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    // Summed in the order rows come, as a sum in the process would be.
    const addRejectQty = db.prepare(
      'INSERT INTO temp.msd_window_reject (cid, reason, qty) VALUES (?, ?, ?) ON CONFLICT (cid, reason) DO UPDATE SET qty = qty + excluded.qty',
    )
    const keep = db.transaction((rows: SourceRow[]) => {
      for (const row of rows) {
        const t = trackInOf(row)
        if (t) insertTrackIn.run(t.cid, t.equipmentId, t.equipmentName, t.spec, t.runCard, t.trackIn, t.trackOut, t.qty)
      }
    })
    const keepRejects = db.transaction((rows: SourceRow[]) => {
      for (const row of rows) {
        const cid = text(row.CONTAINERID)
        if (cid) addRejectQty.run(cid, text(row.LOSSREASONNAME) ?? MSD_NO_REASON, number(row.QTY))
      }
    })
    for (const batch of chunk(wipNames, dialect.maxInList)) {
      const params = new SqlParams(dialect)
      const sql =
        `SELECT ${TRACK_IN_COLUMNS} ` +
        `FROM ${dialect.table('DW_MES_LOTWIPHISTORY')} h WHERE h.WORKCENTERNAME IN (${params.list(batch)}) AND ${stationFilterSql(params, group, 'h.WORKCENTERNAME')}` +
        ` AND h.EQUIPMENTID IS NOT NULL AND h.TRACKINTIMESTAMP >= ${params.timestamp(from)} AND h.TRACKINTIMESTAMP < ${params.timestamp(to)}`
      for await (const rows of source.stream(sql, params.values, signal ? { signal } : {})) keep(rows)
    }
    for (const batch of chunk(rejectNames, dialect.maxInList)) {
      const params = new SqlParams(dialect)
      const sql =
        `SELECT r.CONTAINERID, r.LOSSREASONNAME, SUM(${QTY_SUM}) AS QTY FROM ${dialect.table('DW_MES_LOTREJECTHISTORY')} r ` +
        `WHERE r.WORKCENTERNAME IN (${params.list(batch)}) AND ${stationFilterSql(params, group, 'r.WORKCENTERNAME')}` +
        ` AND r.TXNDATE >= ${params.timestamp(from)} AND r.TXNDATE < ${params.timestamp(to)} GROUP BY r.CONTAINERID, r.LOSSREASONNAME`
      for await (const rows of source.stream(sql, params.values, signal ? { signal } : {})) keepRejects(rows)
    }
    db.exec('CREATE INDEX temp.msd_window_trackin_cid ON msd_window_trackin (cid)')
    return records
  } catch (error) {
    records.drop()
    throw error
  }
}

/**
 * One batch of lots: their track-ins at the station (in the window, when there is one) and their
 * rejects there, read by the lots' CIDs (container mode, or a source whose workcenters cannot be
 * listed).
 */
async function readBatchRecords(
  source: MesSource,
  group: StationGroup,
  batch: readonly string[],
  window: { start_date: string; end_date: string } | null,
  signal: AbortSignal | undefined,
): Promise<{ latest: Map<string, LatestRecord>; rejectQty: Map<string, MsdDetectionReject> }> {
  const { dialect } = source
  const wipParams = new SqlParams(dialect)
  const inList = wipParams.list(batch)
  const station = stationFilterSql(wipParams, group, 'h.WORKCENTERNAME')
  // The time range filters only: SQLite would otherwise walk the (workcenter, time) index over the
  // whole range for every batch instead of seeking each CID.
  const wipWindow = window
    ? ` AND ${dialect.filterOnly('h.TRACKINTIMESTAMP')} >= ${wipParams.timestamp(`${window.start_date} 00:00:00`)}` +
      ` AND ${dialect.filterOnly('h.TRACKINTIMESTAMP')} < ${wipParams.timestamp(`${addDays(window.end_date, 1)} 00:00:00`)}`
    : ''
  const records = await source.all(
    `SELECT ${TRACK_IN_COLUMNS} ` +
      `FROM ${dialect.table('DW_MES_LOTWIPHISTORY')} h WHERE h.CONTAINERID IN (${inList}) AND ${station}` +
      ` AND h.EQUIPMENTID IS NOT NULL AND h.TRACKINTIMESTAMP IS NOT NULL${wipWindow}`,
    wipParams.values,
    signal ? { signal } : {},
  )
  const latest = new Map<string, LatestRecord>()
  for (const row of records) {
    const trackIn = trackInOf(row)
    if (trackIn) keepLatest(latest, trackIn)
  }
  const rejectQty = new Map<string, MsdDetectionReject>()
  if (latest.size === 0) return { latest, rejectQty }

  // Rejects at the station (same window on the transaction time), per (lot, reason).
  const rejectParams = new SqlParams(dialect)
  const rejectIn = rejectParams.list([...latest.keys()])
  const rejectStation = stationFilterSql(rejectParams, group, 'r.WORKCENTERNAME')
  const rejectWindow = window
    ? ` AND ${dialect.filterOnly('r.TXNDATE')} >= ${rejectParams.timestamp(`${window.start_date} 00:00:00`)}` +
      ` AND ${dialect.filterOnly('r.TXNDATE')} < ${rejectParams.timestamp(`${addDays(window.end_date, 1)} 00:00:00`)}`
    : ''
  const rejectRows = await source.all(
    `SELECT r.CONTAINERID, r.LOSSREASONNAME, SUM(${QTY_SUM}) AS QTY FROM ${dialect.table('DW_MES_LOTREJECTHISTORY')} r ` +
      `WHERE r.CONTAINERID IN (${rejectIn}) AND ${rejectStation}${rejectWindow} GROUP BY r.CONTAINERID, r.LOSSREASONNAME`,
    rejectParams.values,
    signal ? { signal } : {},
  )
  for (const row of rejectRows) addReject(rejectQty, row)
  return { latest, rejectQty }
}

/** Reads the detection dataset of `cids`, handed over one batch of seeds at a time. Returns the lots found. */
export async function fetchDetection(options: FetchDetectionOptions): Promise<number> {
  const { source, signal } = options
  const group = stationGroupByName(options.station)
  if (!group) throw invalidInput('params.station', `unknown station ${JSON.stringify(options.station)}`)
  const catalog = await source.catalog()
  const wip = catalog.get('DW_MES_WIP')
  const hasWip = wip !== undefined && ['CONTAINERID', 'WORKFLOWNAME', 'PRODUCTLINENAME'].every((c) => wip.has(c))
  const windowed = options.window ? await readStationWindow(source, group, options.window, signal, options.workspace) : null
  try {
    return await handOver(options, group, hasWip, windowed)
  } finally {
    windowed?.drop()
  }
}

/**
 * Hands the lots over batch by batch of seeds; returns the lots found. The seeds' container columns
 * and workflows are read first, a group of batches at a time (`dialect.maxValueList` CIDs, one JSON
 * text where the source takes it) and kept as a few strings per lot: a statement per batch of a
 * thousand cost a far server's round trips some hundred times per run.
 */
async function handOver(options: FetchDetectionOptions, group: StationGroup, hasWip: boolean, windowed: WindowRecords | null): Promise<number> {
  const { source, signal } = options
  const { dialect } = source
  let found = 0
  const batchSize = dialect.maxInList
  const readSize = Math.max(batchSize, Math.floor(dialect.maxValueList / batchSize) * batchSize)
  // Batches of seeds in seed order, as the lots are numbered, whichever way their records are read.
  for (const seeds of chunk([...new Set(options.cids)], readSize)) {
    throwIfCancelled(signal)
    const attributes = await readLotAttributes(source, seeds, hasWip, signal)
    for (const batch of chunk(seeds, batchSize)) {
      throwIfCancelled(signal)
      const { latest, rejectQty } = windowed ? windowed.of(batch) : await readBatchRecords(source, group, batch, options.window, signal)
      if (latest.size === 0) continue
      // Lots by CID within the batch, whatever order the source returned the rows in: the lots'
      // order is the analysis's lot numbering, and sums over it must not depend on a query plan.
      const lots: MsdDetectionLot[] = []
      for (const [cid, { equipmentId, equipmentName, spec, runCard, trackIn, input }] of [...latest].sort(([a], [b]) => compareCodeUnits(a, b))) {
        const [name, order, pjType, productLine, workflow] = attributes.get(cid) ?? NO_ATTRIBUTES
        lots.push({
          cid,
          container_name: name ?? cid,
          mfgorder_name: order,
          pj_type: pjType ?? MSD_UNKNOWN,
          productline_name: productLine ?? MSD_UNKNOWN,
          workflow: workflow ?? spec ?? MSD_UNKNOWN,
          finishedruncard: runCard,
          spec_name: spec,
          equipment_id: equipmentId,
          equipment_name: equipmentName ?? MSD_UNKNOWN,
          input_qty: input,
          trackin_time: trackIn,
        })
      }
      found += lots.length
      await options.onBatch({ lots, rejects: [...rejectQty.values()].filter((r) => r.qty !== 0) })
    }
  }
  return found
}

/** A lot's name, work order, PJ type, product line and workflow (each trimmed, or null). */
type LotAttributes = [name: string | null, order: string | null, pjType: string | null, productLine: string | null, workflow: string | null]
const NO_ATTRIBUTES: LotAttributes = [null, null, null, null, null]

/**
 * 3. Product attributes and 4. workflow of the lots (at most `dialect.maxValueList`), read as the
 * rows come (a row object per lot held for ten thousand lots raised the step's peak by several MB).
 */
async function readLotAttributes(source: MesSource, cids: readonly string[], hasWip: boolean, signal: AbortSignal | undefined): Promise<Map<string, LotAttributes>> {
  const { dialect } = source
  const out = new Map<string, LotAttributes>()
  const containerParams = new SqlParams(dialect)
  const containers = source.stream(
    `SELECT CONTAINERID, CONTAINERNAME, MFGORDERNAME, PJ_TYPE, PRODUCTLINENAME FROM ${dialect.table('DW_MES_CONTAINER')} ` +
      `WHERE CONTAINERID IN (${containerParams.valueList(cids)})`,
    containerParams.values,
    signal ? { signal } : {},
  )
  for await (const rows of containers) {
    for (const row of rows) {
      const cid = text(row.CONTAINERID)
      if (cid) out.set(cid, [text(row.CONTAINERNAME), text(row.MFGORDERNAME), text(row.PJ_TYPE), text(row.PRODUCTLINENAME), null])
    }
  }
  if (!hasWip) return out
  const wipParams = new SqlParams(dialect)
  const workflows = source.stream(
    `SELECT DISTINCT CONTAINERID, WORKFLOWNAME FROM ${dialect.table('DW_MES_WIP')} WHERE CONTAINERID IN (${wipParams.valueList(cids)}) ` +
      `AND WORKFLOWNAME IS NOT NULL AND (PRODUCTLINENAME IS NULL OR PRODUCTLINENAME <> ${wipParams.add(PROBE_PRODUCT_LINE)})`,
    wipParams.values,
    signal ? { signal } : {},
  )
  for await (const rows of workflows) {
    for (const row of rows) {
      const cid = text(row.CONTAINERID)
      const name = text(row.WORKFLOWNAME)
      if (!cid || !name) continue
      let lot = out.get(cid)
      if (!lot) out.set(cid, (lot = [...NO_ATTRIBUTES]))
      // Several workflows for one lot: the smallest name, so the choice is the same on every run.
      if (lot[4] === null || compareCodeUnits(name, lot[4]) < 0) lot[4] = name
    }
  }
  return out
}

/**
 * Machine families from the optional resource master (`DW_MES_RESOURCE`), by RESOURCEID. An
 * empty map when the table is missing (families then show as `(未知)`).
 */
export async function fetchResourceFamilies(source: MesSource, ids: readonly string[], signal?: AbortSignal): Promise<Map<string, string>> {
  const families = new Map<string, string>()
  const columns = (await source.catalog()).get('DW_MES_RESOURCE')
  if (!columns || !columns.has('RESOURCEID') || !columns.has('RESOURCEFAMILYNAME')) return families
  for (const batch of chunk([...new Set(ids)], source.dialect.maxInList)) {
    const params = new SqlParams(source.dialect)
    const rows = await source.all(
      `SELECT RESOURCEID, RESOURCEFAMILYNAME FROM ${source.dialect.table('DW_MES_RESOURCE')} WHERE RESOURCEID IN (${params.list(batch)})`,
      params.values,
      signal ? { signal } : {},
    )
    for (const row of rows) {
      const id = text(row.RESOURCEID)
      const family = text(row.RESOURCEFAMILYNAME)
      if (id && family) families.set(id, family)
    }
  }
  return families
}
