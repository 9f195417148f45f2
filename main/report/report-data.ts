/**
 * What an evidence report is made of, read from a finished result: the request and its
 * provenance, the backward MSD aggregation, and the lots behind each independent suspect (read a
 * page at a time from the result's detail table, never the whole table). Only a backward MSD
 * result has an evidence report; anything else is refused naming the job.
 */
import { invalidInput } from '../../shared/errors.js'
import type { ResultSummary } from '../../shared/api.js'
import { suspectDetailFilter, type BackwardAggregation, type MsdAggregation, type Suspect } from '../../shared/msd.js'
import { MAX_PAGE_LIMIT, type PageQuery, type RowsPage } from '../../shared/page-query.js'

/** What the report reads a result through (the result service has exactly these). */
export interface ReportSource {
  summary(jobId: string): ResultSummary
  aggregation(jobId: string): MsdAggregation | null
  detail(jobId: string, table: 'detail', query: PageQuery): RowsPage
}

/** Lots listed per independent suspect; the rest are counted, not listed. */
export const REPORT_MAX_LOTS_PER_SUSPECT = 200

/** Independent suspects given a full section (chart and lots); any more are only counted. */
export const REPORT_MAX_SUSPECT_SECTIONS = 20

/** Suspects shown, ranked by p-value, for a result written before significance was computed. */
export const REPORT_OLDER_RESULT_SUSPECTS = 5

/** One lot behind a suspect: its detail rows (one per loss reason) folded into one line. */
export interface ReportLot {
  cid: string
  name: string
  type: string
  packageName: string
  detectionMachine: string
  input: number
  /** The lot's loss reasons with their defect quantity; empty for a lot without defects. */
  reasons: { reason: string; qty: number }[]
  defects: number
  waferRoot: string
}

/** The lots behind one suspect, as far as the report lists them. */
export interface SuspectLots {
  lots: ReportLot[]
  /** Lots behind the suspect in all. */
  totalLots: number
  /** Detail rows (one per lot and loss reason) behind it in all. */
  totalRows: number
}

/** Everything an evidence report shows. */
export interface ReportData {
  jobId: string
  summary: Pick<ResultSummary, 'request' | 'source' | 'as_of' | 'app_version' | 'seeds'>
  aggregation: BackwardAggregation
  /** The suspects given a full section, in list order. */
  sections: Suspect[]
  /** Independent suspects beyond {@link REPORT_MAX_SUSPECT_SECTIONS}. */
  moreIndependent: number
  /** True when the result predates q-values: `sections` are the top ranked suspects. */
  olderResult: boolean
  /** The lots behind each suspect of `sections` (same order); null when they could not be read. */
  lots: (SuspectLots | null)[]
}

/** Options of {@link collectReportData}. */
export interface CollectOptions {
  /** The name the job is asked for by (`JOB_ID` on the command line, `job_id` in the contract). @default 'job_id' */
  field?: string
  /** @default REPORT_MAX_LOTS_PER_SUSPECT */
  maxLots?: number
  /** @default REPORT_MAX_SUSPECT_SECTIONS */
  maxSections?: number
}

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value))
const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : Number(value) || 0)

/**
 * Reads the lots behind a suspect, defective lots first (the detail table's own order: by defect
 * rate descending), folding each lot's rows into one, until `maxLots` lots are listed.
 */
export function readSuspectLots(source: ReportSource, jobId: string, suspect: Suspect, maxLots = REPORT_MAX_LOTS_PER_SUSPECT): SuspectLots {
  const filter = suspectDetailFilter(suspect)
  const byCid = new Map<string, ReportLot>()
  let totalRows: number
  let offset = 0
  let complete = false
  for (;;) {
    const page = source.detail(jobId, 'detail', { offset, limit: MAX_PAGE_LIMIT, filter })
    totalRows = page.total
    for (const row of page.rows) {
      const cid = text(row.CONTAINERID) || text(row.CONTAINERNAME)
      let lot = byCid.get(cid)
      if (!lot) {
        // One lot past the cap tells that there are more; it is not listed.
        if (byCid.size > maxLots) break
        lot = {
          cid,
          name: text(row.CONTAINERNAME),
          type: text(row.PJ_TYPE),
          packageName: text(row.PRODUCTLINENAME),
          detectionMachine: text(row.DETECTION_EQUIPMENTNAME),
          input: count(row.INPUT_QTY),
          reasons: [],
          defects: 0,
          waferRoot: text(row.WAFER_ROOT),
        }
        byCid.set(cid, lot)
      }
      const reason = text(row.LOSS_REASON)
      const qty = count(row.DEFECT_QTY)
      if (reason !== '' || qty > 0) lot.reasons.push({ reason, qty })
      lot.defects += qty
    }
    offset += page.rows.length
    if (page.rows.length === 0 || offset >= page.total) {
      complete = byCid.size <= maxLots
      break
    }
    if (byCid.size > maxLots) break
  }
  const lots = [...byCid.values()]
  // Read to the end: the lots counted are all there are. Stopped early: the analysis's own count.
  const totalLots = complete ? lots.length : Math.max(suspect.lots, lots.length)
  return { lots: lots.slice(0, maxLots), totalLots, totalRows }
}

/** A suspect's identity, for matching it with its time view. */
export function sameFactor(a: Pick<Suspect, 'factor_type' | 'name' | 'station'>, b: Pick<Suspect, 'factor_type' | 'name' | 'station'>): boolean {
  return a.factor_type === b.factor_type && a.name === b.name && (a.station ?? null) === (b.station ?? null)
}

/**
 * The suspects a report gives a full section: the independent significant ones in list order, or,
 * for a result written before q-values ({@link SuspectSummary.fdr} null), the top ranked ones.
 */
export function reportSections(aggregation: BackwardAggregation, maxSections = REPORT_MAX_SUSPECT_SECTIONS): { sections: Suspect[]; more: number; olderResult: boolean } {
  if (aggregation.suspect_summary.fdr === null) {
    const ranked = aggregation.suspects.filter((s) => s.rank !== null).sort((a, b) => a.rank! - b.rank!)
    return { sections: ranked.slice(0, REPORT_OLDER_RESULT_SUSPECTS), more: 0, olderResult: true }
  }
  const independent = aggregation.suspects.filter((s) => s.significant && !s.explained_by)
  // The aggregation keeps the top of the list; the summary knows how many there are in all.
  const total = Math.max(independent.length, aggregation.suspect_summary.independent)
  const sections = independent.slice(0, maxSections)
  return { sections, more: total - sections.length, olderResult: false }
}

/**
 * Checks that `jobId` holds a backward MSD result and reads what its report shows. Another
 * profile or a forward analysis is `input/invalid` naming the job under `options.field`.
 */
export function collectReportData(source: ReportSource, jobId: string, options: CollectOptions = {}): ReportData {
  const field = options.field ?? 'job_id'
  const summary = source.summary(jobId)
  const { request } = summary
  if (request.profile !== 'mid_section_defect') {
    throw invalidInput(field, `job ${jobId} is a ${request.profile} trace; an evidence report is made of a backward mid-section defect (MSD) analysis`, { job_id: jobId })
  }
  if (request.direction !== 'backward') {
    throw invalidInput(field, `job ${jobId} is a forward MSD analysis; an evidence report is made of a backward one (it names upstream suspects)`, { job_id: jobId })
  }
  const aggregation = source.aggregation(jobId)
  if (!aggregation || aggregation.direction !== 'backward') {
    throw invalidInput(field, `job ${jobId} holds no backward MSD aggregation to report on`, { job_id: jobId })
  }
  const { sections, more, olderResult } = reportSections(aggregation, options.maxSections)
  const lots = sections.map((suspect) => {
    try {
      return readSuspectLots(source, jobId, suspect, options.maxLots)
    } catch {
      // A result without a detail table (or one it cannot filter) still has a report; it says so.
      return null
    }
  })
  return {
    jobId,
    summary: { request: summary.request, source: summary.source, as_of: summary.as_of, app_version: summary.app_version, seeds: summary.seeds },
    aggregation,
    sections,
    moreIndependent: more,
    olderResult,
    lots,
  }
}
