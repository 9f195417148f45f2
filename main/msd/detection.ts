/**
 * The MSD detection dataset (domain.md §5.3): for each seed lot, its record at the detection
 * station — machine, input of the session, track-in time, run card — its rejects there per loss
 * reason, and the lot's product attributes. Read from the source in batches of at most one
 * IN-list (§14 #9), bound parameters only, and handed to the caller batch by batch.
 */
import { compareCodeUnits } from '../../shared/compare.js'
import { invalidInput, throwIfCancelled } from '../../shared/errors.js'
import { MSD_NO_REASON, MSD_UNKNOWN, type MsdDetectionLot, type MsdDetectionReject } from '../../shared/msd.js'
import { stationGroupByName } from '../../shared/stations.js'
import { addDays, normalizePlantTime } from '../../shared/time.js'
import { chunk, SqlParams, type MesSource, type SourceRow } from '../sources/index.js'
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

/** Reads the detection dataset of `cids`, one IN-list batch at a time. Returns the lots found. */
export async function fetchDetection(options: FetchDetectionOptions): Promise<number> {
  const { source, signal } = options
  const group = stationGroupByName(options.station)
  if (!group) throw invalidInput('params.station', `unknown station ${JSON.stringify(options.station)}`)
  const { dialect } = source
  const catalog = await source.catalog()
  const wip = catalog.get('DW_MES_WIP')
  const hasWip = wip !== undefined && ['CONTAINERID', 'WORKFLOWNAME', 'PRODUCTLINENAME'].every((c) => wip.has(c))
  let found = 0

  for (const batch of chunk([...new Set(options.cids)], dialect.maxInList)) {
    throwIfCancelled(signal)
    // 1. Track-ins at the station: per lot the latest one (tie → latest track-out); its input is
    //    the largest TRACKINQTY among the partial track-outs of that same track-in.
    const wipParams = new SqlParams(dialect)
    const inList = wipParams.list(batch)
    const station = stationFilterSql(wipParams, group, 'h.WORKCENTERNAME')
    const window = options.window
      ? ` AND ${dialect.filterOnly('h.TRACKINTIMESTAMP')} >= ${wipParams.timestamp(`${options.window.start_date} 00:00:00`)}` +
        ` AND ${dialect.filterOnly('h.TRACKINTIMESTAMP')} < ${wipParams.timestamp(`${addDays(options.window.end_date, 1)} 00:00:00`)}`
      : ''
    const records = await source.all(
      `SELECT h.CONTAINERID, h.EQUIPMENTID, h.EQUIPMENTNAME, h.SPECNAME, h.TRACKINTIMESTAMP, h.TRACKOUTTIMESTAMP, h.TRACKINQTY, h.FINISHEDRUNCARD ` +
        `FROM ${dialect.table('DW_MES_LOTWIPHISTORY')} h WHERE h.CONTAINERID IN (${inList}) AND ${station}` +
        ` AND h.EQUIPMENTID IS NOT NULL AND h.TRACKINTIMESTAMP IS NOT NULL${window}`,
      wipParams.values,
      signal ? { signal } : {},
    )
    const latest = new Map<string, { row: SourceRow; trackIn: string; trackOut: string; input: number }>()
    for (const row of records) {
      const cid = text(row.CONTAINERID)
      const trackIn = normalizePlantTime(row.TRACKINTIMESTAMP)
      if (!cid || !trackIn) continue
      const trackOut = normalizePlantTime(row.TRACKOUTTIMESTAMP) ?? ''
      const qty = number(row.TRACKINQTY)
      const current = latest.get(cid)
      if (!current || trackIn > current.trackIn) {
        latest.set(cid, { row, trackIn, trackOut, input: qty })
        continue
      }
      if (trackIn < current.trackIn) continue
      current.input = Math.max(current.input, qty)
      if (trackOut > current.trackOut) Object.assign(current, { row, trackOut })
    }
    if (latest.size === 0) continue
    const cids = [...latest.keys()]

    // 2. Rejects at the station (same window on the transaction time), per (lot, reason).
    const rejectParams = new SqlParams(dialect)
    const rejectIn = rejectParams.list(cids)
    const rejectStation = stationFilterSql(rejectParams, group, 'r.WORKCENTERNAME')
    const rejectWindow = options.window
      ? ` AND ${dialect.filterOnly('r.TXNDATE')} >= ${rejectParams.timestamp(`${options.window.start_date} 00:00:00`)}` +
        ` AND ${dialect.filterOnly('r.TXNDATE')} < ${rejectParams.timestamp(`${addDays(options.window.end_date, 1)} 00:00:00`)}`
      : ''
    const qtySum = ['REJECTQTY', 'STANDBYQTY', 'QTYTOPROCESS', 'INPROCESSQTY', 'PROCESSEDQTY', 'DEFECTQTY']
      .map((c) => `COALESCE(r.${c}, 0)`)
      .join(' + ')
    const rejectRows = await source.all(
      `SELECT r.CONTAINERID, r.LOSSREASONNAME, SUM(${qtySum}) AS QTY FROM ${dialect.table('DW_MES_LOTREJECTHISTORY')} r ` +
        `WHERE r.CONTAINERID IN (${rejectIn}) AND ${rejectStation}${rejectWindow} GROUP BY r.CONTAINERID, r.LOSSREASONNAME`,
      rejectParams.values,
      signal ? { signal } : {},
    )
    const rejectQty = new Map<string, MsdDetectionReject>()
    for (const row of rejectRows) {
      const cid = text(row.CONTAINERID)
      if (!cid) continue
      const reason = text(row.LOSSREASONNAME) ?? MSD_NO_REASON
      const key = `${cid}\u0000${reason}`
      const entry = rejectQty.get(key) ?? { cid, reason, qty: 0 }
      entry.qty += number(row.QTY)
      rejectQty.set(key, entry)
    }

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
    for (const [cid, { row, trackIn, input }] of [...latest].sort(([a], [b]) => compareCodeUnits(a, b))) {
      const container = byCid.get(cid)
      const spec = text(row.SPECNAME)
      lots.push({
        cid,
        container_name: text(container?.CONTAINERNAME) ?? cid,
        mfgorder_name: text(container?.MFGORDERNAME),
        pj_type: text(container?.PJ_TYPE) ?? MSD_UNKNOWN,
        productline_name: text(container?.PRODUCTLINENAME) ?? MSD_UNKNOWN,
        workflow: workflows.get(cid) ?? spec ?? MSD_UNKNOWN,
        finishedruncard: text(row.FINISHEDRUNCARD),
        spec_name: spec,
        equipment_id: text(row.EQUIPMENTID),
        equipment_name: text(row.EQUIPMENTNAME) ?? MSD_UNKNOWN,
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
