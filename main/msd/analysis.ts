/**
 * The MSD step of a trace job: after the events are in the result file, read the detection
 * dataset from the source, map each detection lot to its ancestors (backward) or descendants
 * (forward), aggregate with SQL over the stored rows, store the detail rows and the suspect list
 * as tables of the result file, and return the aggregation (stored as JSON by `finish`).
 */
import { throwIfCancelled } from '../../shared/errors.js'
import {
  buildPareto,
  MSD_MIN_SUSPECT_LOTS,
  MSD_UNKNOWN,
  MSD_SUSPECT_FDR,
  MSD_SUSPECTS_IN_AGGREGATION,
  MSD_SUSPECTS_PER_TYPE_IN_AGGREGATION,
  SUSPECT_COLUMNS,
  suspectCells,
  type BackwardAggregation,
  type ForwardAggregation,
  type MachineAttribution,
  type MsdAggregation,
  type Suspect,
  type SuspectTimeline,
} from '../../shared/msd.js'
import { MSD_DIRECTION_STEPS, type MsdAnalysisStep } from '../../shared/stage-timings.js'
import { stationGroupByName } from '../../shared/stations.js'
import type { NormalizedTraceRequest } from '../../shared/trace-request.js'
import type { Domain, QualityMeta } from '../../shared/trace.js'
import type { MesSource } from '../sources/index.js'
import type { LineageOutline } from '../trace/index.js'
import { msdStoredColumnsOf, msdTableOf, type MsdTable, type ResultFileWriter, type SqliteDatabase } from '../store/index.js'
import { analyzeBackward, ancestorCount, fillBackwardDetail } from './backward.js'
import { fetchDetection, fetchResourceFamilies } from './detection.js'
import { analyzeForward, fillForwardDetail } from './forward.js'
import { createLotTable, dropTempTables, registerMsdFunctions } from './sql.js'
import { FACTOR_LINK_TABLES, loadFactorLinks } from './factor-links.js'
import { explainSuspects, FactorReader, suspectTimelines, type FactorKey } from './cause.js'
import { assignSignificance, orderSuspects, rankSuspects } from './suspects.js'

/** Shown in container mode when none of the containers passed the detection station (domain.md §5.10). */
export const CONTAINER_MODE_HINT = '所選容器在此偵測站無記錄'

export interface MsdAnalysisOptions {
  source: MesSource
  writer: ResultFileWriter
  request: NormalizedTraceRequest
  /** The CIDs of the trace's seeds, in the order it resolved them (the analysis numbers its lots so). */
  seedCids: readonly string[]
  /**
   * Null when the trace had no seeds. The analysis follows the genealogy the writer's file holds
   * (the trace's sink writes it there first); this says only whether there is one.
   */
  lineage: LineageOutline | null
  /** Query-scope quality of the events the analysis reads. */
  quality: QualityMeta
  signal?: AbortSignal
  /** Told when each step starts (the direction's steps, in order), with how many are done. */
  onProgress?: (progress: MsdAnalysisProgress) => void
  /** @default MSD_MIN_SUSPECT_LOTS */
  minLots?: number
  /** False-discovery rate of the suspect list. @default MSD_SUSPECT_FDR */
  suspectFdr?: number
  /** Receives the time of each step that runs (ms, added to what the record holds). @default not timed */
  stageMs?: Partial<Record<MsdAnalysisStep, number>>
  /**
   * Where the analysis reads which machines, material lots and downstream rejects each lot met:
   * the stored events of its domains (`events`), or the source's own SQL summarizing them
   * (`source`, factor-links.ts: the same results without those events being fetched). @default 'events'
   */
  factorLinks?: 'events' | 'source'
}

/** Where the analysis is: the step under way, the direction's steps done and their number; `message` names the step. */
export interface MsdAnalysisProgress {
  step: MsdAnalysisStep
  steps_done: number
  steps_total: number
  message: string
}

/** Marks the end of a step: the time since the previous mark is the step's. */
type Lap = (step: MsdAnalysisStep) => void

/**
 * A clock whose laps go to `record`. Laps follow each other, so the steps add up to the analysis
 * and nothing is timed twice; one `performance.now()` per step keeps it free. Each lap also says
 * which step starts next (`report`), and the first step is announced at once.
 */
function lapClock(
  record: Partial<Record<MsdAnalysisStep, number>> | undefined,
  steps: readonly MsdAnalysisStep[],
  report: ((progress: MsdAnalysisProgress) => void) | undefined,
): Lap {
  let last = performance.now()
  const announce = (done: number): void => {
    const step = steps[Math.min(done, steps.length - 1)]!
    report?.({ step, steps_done: done, steps_total: steps.length, message: step })
  }
  announce(0)
  return (step) => {
    const now = performance.now()
    if (record) record[step] = (record[step] ?? 0) + (now - last)
    last = now
    const done = steps.indexOf(step) + 1
    if (done > 0 && done < steps.length) announce(done)
  }
}

/** Ranked suspects of each factor type a chart shows, and that get a time view besides the significant ones. */
const TIMELINES_PER_TYPE = 10

/** The suspects that get a time view: every significant one, and the top ranked of each type (the charts'). */
function withTimeline(suspects: readonly Suspect[]): Suspect[] {
  const perType = new Map<Suspect['factor_type'], number>()
  return suspects.filter((s) => {
    if (s.rank === null) return false
    const seen = perType.get(s.factor_type) ?? 0
    perType.set(s.factor_type, seen + 1)
    return s.significant || seen < TIMELINES_PER_TYPE
  })
}

/**
 * The suspects the aggregation keeps, in list order: the top {@link MSD_SUSPECTS_IN_AGGREGATION},
 * and the top {@link MSD_SUSPECTS_PER_TYPE_IN_AGGREGATION} ranked of each factor type, so every
 * factor chart has its own top ten.
 */
function suspectsInAggregation(suspects: readonly Suspect[]): Suspect[] {
  const perType = new Map<Suspect['factor_type'], number>()
  return suspects.filter((s, i) => {
    if (s.rank === null) return i < MSD_SUSPECTS_IN_AGGREGATION
    const seen = perType.get(s.factor_type) ?? 0
    perType.set(s.factor_type, seen + 1)
    return i < MSD_SUSPECTS_IN_AGGREGATION || seen < MSD_SUSPECTS_PER_TYPE_IN_AGGREGATION
  })
}

/** The event domains each direction's analysis reads; a missing one is a warning. */
const NEEDED_DOMAINS: Record<'backward' | 'forward', readonly Domain[]> = {
  backward: ['upstream_history', 'materials'],
  forward: ['upstream_history', 'downstream_rejects'],
}

function qualityWarnings(request: NormalizedTraceRequest, quality: QualityMeta, linksFromSource: boolean): string[] {
  const warnings: string[] = []
  for (const domain of NEEDED_DOMAINS[request.direction]) {
    if (!request.domains.includes(domain) && !linksFromSource) {
      warnings.push(`The ${domain} domain was not fetched: the analysis has no ${domain === 'materials' ? 'material attribution' : domain === 'downstream_rejects' ? 'downstream rejects' : 'machine records'}.`)
    }
  }
  if (quality.status !== 'complete') {
    warnings.push(`The events are ${quality.status} (${quality.reasons.join(', ') || 'see quality'}): the analysis covers only the records that were read.`)
  }
  return warnings
}

/** True when the analysis reads its factor links from the source (see `factorLinks`). */
function linksFromSource(options: MsdAnalysisOptions): boolean {
  return options.factorLinks === 'source'
}

/** The fields both directions' aggregations have, known once the detection records are in. */
type AggregationCommon = Pick<MsdAggregation, 'station' | 'loss_reasons' | 'genealogy_status' | 'container_mode_hint' | 'warnings'>

/** What the shared first part of the analysis hands to its direction. */
interface PreparedAnalysis {
  detectionOrder: number
  /** The date window of a date-range trace (daily trends need one). */
  window: { start_date: string; end_date: string } | null
  common: AggregationCommon
}

/**
 * The part both directions share: reads the detection records and the lot → containers map into
 * the result file, creates the direction's MSD tables and gathers the fields every aggregation has.
 */
async function prepareAnalysis(options: MsdAnalysisOptions, tables: readonly MsdTable[], lap: Lap): Promise<PreparedAnalysis> {
  const { source, writer, request, seedCids, lineage, signal } = options
  const station = request.station!
  const detectionOrder = stationGroupByName(station)?.order
  if (detectionOrder === undefined) throw new Error(`unknown station ${station}`)
  const window = request.seed.mode === 'date_range' ? { start_date: request.seed.start_date, end_date: request.seed.end_date } : null

  const detected = await fetchDetection({
    source,
    cids: seedCids,
    station,
    window,
    ...(signal ? { signal } : {}),
    onBatch: ({ lots, rejects }) => writer.writeDetection(lots, rejects),
    workspace: writer.workspace(),
  })
  throwIfCancelled(signal)
  lap('detection')
  writer.writeLotMap(seedCids)
  for (const table of tables) writer.createMsdTable(table, msdStoredColumnsOf(table, request.direction))
  lap('lot_map')

  const common: AggregationCommon = {
    station,
    loss_reasons: [...request.loss_reasons],
    genealogy_status: seedCids.length > 0 && !lineage ? 'error' : 'ready',
    ...(request.seed.mode === 'containers' && seedCids.length > 0 && detected === 0 ? { container_mode_hint: CONTAINER_MODE_HINT } : {}),
    warnings: qualityWarnings(request, options.quality, linksFromSource(options)),
  }
  return { detectionOrder, window, common }
}

/** Forward: where the detection lots' descendants went, and what was rejected downstream. */
async function runForwardAnalysis(options: MsdAnalysisOptions, lap: Lap): Promise<ForwardAggregation> {
  const { writer, request, source, signal } = options
  const { detectionOrder, window, common } = await prepareAnalysis(options, ['detail'], lap)
  // Read from the source, the links stand in for both event domains (their time is the factor tables').
  const fromSource = linksFromSource(options)
  if (fromSource) await loadFactorLinks({ source, writer, direction: 'forward', detectionOrder, ...(signal ? { signal } : {}) })
  const tables = writer.analyze('Aggregating the forward analysis', (db) => {
    registerMsdFunctions(db)
    createLotTable(db, request.loss_reasons)
    const result = analyzeForward(db, {
      detectionOrder,
      hasUpstream: fromSource || request.domains.includes('upstream_history'),
      hasRejects: fromSource || request.domains.includes('downstream_rejects'),
      ...(fromSource ? { rows: FACTOR_LINK_TABLES } : {}),
      onFactorTables: () => lap('factor_tables'),
    })
    lap('aggregate')
    fillForwardDetail(db)
    const detail = db.prepare(`SELECT count(*) FROM ${msdTableOf('detail')}`).pluck().get() as number
    dropTempTables(db)
    return { ...result, detail }
  })
  lap('detail')
  return {
    direction: 'forward',
    ...common,
    kpi: tables.kpi,
    charts: {
      by_downstream_station: tables.by_downstream_station,
      by_downstream_machine: tables.by_downstream_machine,
      by_downstream_loss_reason: tables.by_downstream_loss_reason,
      by_detection_machine: tables.by_detection_machine,
    },
    available_loss_reasons: tables.available_loss_reasons,
    daily_trend: window ? tables.daily_trend : [],
    detail_total_count: tables.detail,
    attribution: [],
  }
}

/** The explain-away and onsets of the ranked suspects, their order and the time views of those shown. */
function nameTheCause(
  db: SqliteDatabase,
  ranked: Suspect[],
  keys: ReadonlyMap<Suspect, FactorKey>,
): { suspects: Suspect[]; shown: Suspect[]; timelines: SuspectTimeline[] } {
  const lots = new FactorReader(db)
  explainSuspects(lots, ranked, keys)
  const suspects = orderSuspects(ranked)
  const shown = suspectsInAggregation(suspects)
  return { suspects, shown, timelines: suspectTimelines(lots, withTimeline(shown), keys) }
}

/** Backward: which machines, materials and wafer roots the detection lots' ancestors share, ranked as suspects. */
async function runBackwardAnalysis(options: MsdAnalysisOptions, lap: Lap): Promise<BackwardAggregation> {
  const { source, writer, request, signal } = options
  const { detectionOrder, window, common } = await prepareAnalysis(options, ['detail', 'suspects'], lap)
  // Read from the source, the links stand in for both event domains (their time is the factor tables').
  const fromSource = linksFromSource(options)
  if (fromSource) await loadFactorLinks({ source, writer, direction: 'backward', detectionOrder, ...(signal ? { signal } : {}) })
  const tables = writer.analyze('Aggregating the backward analysis', (db) => {
    registerMsdFunctions(db)
    createLotTable(db, request.loss_reasons)
    return analyzeBackward(db, {
      detectionOrder,
      hasUpstream: fromSource || request.domains.includes('upstream_history'),
      hasMaterials: fromSource || request.domains.includes('materials'),
      ...(fromSource ? { rows: FACTOR_LINK_TABLES } : {}),
      minLots: options.minLots ?? MSD_MIN_SUSPECT_LOTS,
      onFactorTables: () => lap('factor_tables'),
    })
  })
  throwIfCancelled(signal)
  lap('aggregate')
  const families = await fetchResourceFamilies(
    source,
    tables.machines.map((m) => m.EQUIPMENT_ID).filter((id) => id !== ''),
    signal,
  )
  lap('families')
  const fdr = options.suspectFdr ?? MSD_SUSPECT_FDR
  const ranked = rankSuspects(tables.suspects)
  assignSignificance(ranked, fdr)
  lap('ranking')
  let suspects = ranked
  let shown: Suspect[] = []
  let timelines: SuspectTimeline[] = []
  let ancestors = 0
  const detail = writer.analyze('Naming the cause, writing the detail rows and suspects', (db) => {
    // In a frame of its own: the lot sets read for the explain-away (a population is a list of up
    // to every lot, with its days) can be collected before the detail is written.
    const named = nameTheCause(db, ranked, tables.factorKeys)
    suspects = named.suspects
    shown = named.shown
    timelines = named.timelines
    lap('explain')
    fillBackwardDetail(
      db,
      suspects.filter((s) => s.significant).map((s) => tables.factorKeys.get(s)!),
    )
    ancestors = ancestorCount(db)
    lap('detail')
    const insert = db.prepare(
      `INSERT INTO ${msdTableOf('suspects')} (${SUSPECT_COLUMNS.map((c) => `"${c.key}"`).join(', ')}) VALUES (${SUSPECT_COLUMNS.map(() => '?').join(', ')})`,
    )
    for (const s of suspects) insert.run(suspectCells(s))
    const count = db.prepare(`SELECT count(*) FROM ${msdTableOf('detail')}`).pluck().get() as number
    dropTempTables(db)
    return count
  })
  lap('suspects')
  const attribution: MachineAttribution[] = tables.machines.map((m) => ({
    WORKCENTER_GROUP: m.WORKCENTER_GROUP,
    EQUIPMENT_NAME: m.EQUIPMENT_NAME,
    EQUIPMENT_ID: m.EQUIPMENT_ID,
    RESOURCEFAMILYNAME: families.get(m.EQUIPMENT_ID) ?? MSD_UNKNOWN,
    DETECTION_LOT_COUNT: m.DETECTION_LOT_COUNT,
    INPUT_QTY: m.INPUT_QTY,
    DEFECT_QTY: m.DEFECT_QTY,
    DEFECT_RATE: m.DEFECT_RATE,
    WORKFLOW: m.WORKFLOW,
    PRODUCTLINENAME: m.PRODUCTLINENAME,
    PJ_TYPE: m.PJ_TYPE,
    DETECTION_EQUIPMENTNAME: m.DETECTION_EQUIPMENTNAME,
  }))
  const count = (type: Suspect['factor_type']): number => suspects.filter((s) => s.factor_type === type).length
  return {
    direction: 'backward',
    ...common,
    kpi: { ...tables.kpi, affected_machine_count: attribution.filter((m) => m.DEFECT_QTY > 0).length },
    ancestor_count: ancestors,
    charts: {
      by_machine: buildPareto(
        attribution.map((m) => ({ name: m.EQUIPMENT_NAME, input_qty: m.INPUT_QTY, defect_qty: m.DEFECT_QTY, lot_count: m.DETECTION_LOT_COUNT })),
      ),
      by_detection_machine: tables.by_detection_machine,
      by_material: tables.by_material,
      by_wafer_root: tables.by_wafer_root,
      by_loss_reason: tables.by_loss_reason,
    },
    available_loss_reasons: tables.available_loss_reasons,
    daily_trend: window ? tables.daily_trend : [],
    detail_total_count: detail,
    attribution,
    suspects: shown,
    suspect_timelines: timelines,
    suspect_summary: {
      machines: count('machine'),
      materials: count('material'),
      wafer_roots: count('wafer_root'),
      ranked: suspects.filter((s) => s.rank !== null).length,
      not_elevated: suspects.filter((s) => s.rank === null && !s.inconclusive).length,
      inconclusive: suspects.filter((s) => s.inconclusive && !s.no_contrast).length,
      no_contrast: suspects.filter((s) => s.no_contrast).length,
      total: suspects.length,
      significant: suspects.filter((s) => s.significant).length,
      independent: suspects.filter((s) => s.significant && !s.explained_by).length,
      explained: suspects.filter((s) => s.significant && s.explained_by).length,
      fdr,
    },
  }
}

/** Runs the MSD analysis of a finished trace into `writer` and returns the aggregation. */
export async function runMsdAnalysis(options: MsdAnalysisOptions): Promise<MsdAggregation> {
  const lap = lapClock(options.stageMs, MSD_DIRECTION_STEPS[options.request.direction], options.onProgress)
  return options.request.direction === 'forward' ? runForwardAnalysis(options, lap) : runBackwardAnalysis(options, lap)
}
