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

/**
 * Folds one track-in row into `latest`: per lot the latest track-in (tie → latest track-out, then
 * {@link tieKey}, so the choice does not depend on the order rows come in); its input is the
 * largest TRACKINQTY among the partial track-outs of that same track-in.
 */
function keepLatest(latest: Map<string, LatestRecord>, row: SourceRow): void {
  const cid = text(row.CONTAINERID)
  const trackIn = normalizePlantTime(row.TRACKINTIMESTAMP)
  if (!cid || !trackIn) return
  const trackOut = normalizePlantTime(row.TRACKOUTTIMESTAMP) ?? ''
  const qty = number(row.TRACKINQTY)
  const current = latest.get(cid)
  if (current && trackIn < current.trackIn) return
  const session = { equipmentId: text(row.EQUIPMENTID), equipmentName: text(row.EQUIPMENTNAME), spec: text(row.SPECNAME), runCard: text(row.FINISHEDRUNCARD) }
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

/**
 * Date mode: every track-in and every reject at the station inside the window, read by the
 * station's workcenter names and the window (the source's `(WORKCENTERNAME, time)` indexes)
 * instead of per batch of lots, where a batch would visit every history row of its lots. Null
 * when a table's workcenters cannot be listed (too many): the caller reads by batch.
 */
async function readStationWindow(
  source: MesSource,
  group: StationGroup,
  window: { start_date: string; end_date: string },
  signal: AbortSignal | undefined,
): Promise<{ latest: Map<string, LatestRecord>; rejects: Map<string, MsdDetectionReject> } | null> {
  const { dialect } = source
  const wipNames = await readStationWorkcenterNames(source, group, 'DW_MES_LOTWIPHISTORY', signal)
  const rejectNames = wipNames && (await readStationWorkcenterNames(source, group, 'DW_MES_LOTREJECTHISTORY', signal))
  if (!wipNames || !rejectNames) return null
  const from = `${window.start_date} 00:00:00`
  const to = `${addDays(window.end_date, 1)} 00:00:00`
  const latest = new Map<string, LatestRecord>()
  for (const batch of chunk(wipNames, dialect.maxInList)) {
    const params = new SqlParams(dialect)
    const sql =
      `SELECT ${TRACK_IN_COLUMNS} ` +
      `FROM ${dialect.table('DW_MES_LOTWIPHISTORY')} h WHERE h.WORKCENTERNAME IN (${params.list(batch)}) AND ${stationFilterSql(params, group, 'h.WORKCENTERNAME')}` +
      ` AND h.EQUIPMENTID IS NOT NULL AND h.TRACKINTIMESTAMP >= ${params.timestamp(from)} AND h.TRACKINTIMESTAMP < ${params.timestamp(to)}`
    for await (const rows of source.stream(sql, params.values, signal ? { signal } : {})) for (const row of rows) keepLatest(latest, row)
  }
  const rejects = new Map<string, MsdDetectionReject>()
  for (const batch of chunk(rejectNames, dialect.maxInList)) {
    const params = new SqlParams(dialect)
    const sql =
      `SELECT r.CONTAINERID, r.LOSSREASONNAME, SUM(${QTY_SUM}) AS QTY FROM ${dialect.table('DW_MES_LOTREJECTHISTORY')} r ` +
      `WHERE r.WORKCENTERNAME IN (${params.list(batch)}) AND ${stationFilterSql(params, group, 'r.WORKCENTERNAME')}` +
      ` AND r.TXNDATE >= ${params.timestamp(from)} AND r.TXNDATE < ${params.timestamp(to)} GROUP BY r.CONTAINERID, r.LOSSREASONNAME`
    for await (const rows of source.stream(sql, params.values, signal ? { signal } : {})) for (const row of rows) addReject(rejects, row)
  }
  return { latest, rejects }
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
  for (const row of records) keepLatest(latest, row)
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
  const { dialect } = source
  const catalog = await source.catalog()
  const wip = catalog.get('DW_MES_WIP')
  const hasWip = wip !== undefined && ['CONTAINERID', 'WORKFLOWNAME', 'PRODUCTLINENAME'].every((c) => wip.has(c))
  let found = 0
  const windowed = options.window ? await readStationWindow(source, group, options.window, signal) : null
  // Rejects of a window read, by lot.
  const windowRejects = new Map<string, MsdDetectionReject[]>()
  for (const reject of windowed?.rejects.values() ?? []) {
    const list = windowRejects.get(reject.cid)
    if (list) list.push(reject)
    else windowRejects.set(reject.cid, [reject])
  }

  // Batches of seeds in seed order, as the lots are numbered, whichever way their records are read.
  for (const batch of chunk([...new Set(options.cids)], dialect.maxInList)) {
    throwIfCancelled(signal)
    let latest: Map<string, LatestRecord>
    let rejectQty: Map<string, MsdDetectionReject>
    if (windowed) {
      latest = new Map()
      rejectQty = new Map()
      for (const cid of batch) {
        const record = windowed.latest.get(cid)
        if (!record) continue
        latest.set(cid, record)
        for (const reject of windowRejects.get(cid) ?? []) rejectQty.set(`${cid}\u0000${reject.reason}`, reject)
      }
    } else {
      ;({ latest, rejectQty } = await readBatchRecords(source, group, batch, options.window, signal))
    }
    if (latest.size === 0) continue
    const cids = [...latest.keys()]

    // 3. Product attributes and 4. workflow.
    const containerParams = new SqlParams(dialect)
    const containers = await source.all(
      `SELECT CONTAINERID, CONTAINERNAME, MFGORDERNAME, PJ_TYPE, PRODUCTLINENAME FROM ${dialect.table('DW_MES_CONTAINER')} ` +
        `WHERE CONTAINERID IN (${containerParams.list(cids)})`,
      containerParams.values,
      signal ? { signal } : {},
    )
    const byCid = new Map(containers.map((c) => [text(c.CONTAINERID), c]))
    const workflows = new Map<string, string>()
    if (hasWip) {
      const wipParams2 = new SqlParams(dialect)
      const rows = await source.all(
        `SELECT DISTINCT CONTAINERID, WORKFLOWNAME FROM ${dialect.table('DW_MES_WIP')} WHERE CONTAINERID IN (${wipParams2.list(cids)}) ` +
          `AND WORKFLOWNAME IS NOT NULL AND (PRODUCTLINENAME IS NULL OR PRODUCTLINENAME <> ${wipParams2.add(PROBE_PRODUCT_LINE)})`,
        wipParams2.values,
        signal ? { signal } : {},
      )
      // Several workflows for one lot: the smallest name, so the choice is the same on every run.
      for (const row of rows) {
        const cid = text(row.CONTAINERID)
        const name = text(row.WORKFLOWNAME)
        if (!cid || !name) continue
        const current = workflows.get(cid)
        if (current === undefined || compareCodeUnits(name, current) < 0) workflows.set(cid, name)
      }
    }

    // Lots by CID within the batch, whatever order the source returned the rows in: the lots'
    // order is the analysis's lot numbering, and sums over it must not depend on a query plan.
    const lots: MsdDetectionLot[] = []
    for (const [cid, { equipmentId, equipmentName, spec, runCard, trackIn, input }] of [...latest].sort(([a], [b]) => compareCodeUnits(a, b))) {
      const container = byCid.get(cid)
      lots.push({
        cid,
        container_name: text(container?.CONTAINERNAME) ?? cid,
        mfgorder_name: text(container?.MFGORDERNAME),
        pj_type: text(container?.PJ_TYPE) ?? MSD_UNKNOWN,
        productline_name: text(container?.PRODUCTLINENAME) ?? MSD_UNKNOWN,
        workflow: workflows.get(cid) ?? spec ?? MSD_UNKNOWN,
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
  return found
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
