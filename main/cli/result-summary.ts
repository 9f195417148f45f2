/**
 * A finished result as the command line reports it, read once through the result service: `show`
 * prints it and answers it with `--json`; `run` and `rerun` report the same facts after their job.
 */
import type { JobOutcome } from '../../shared/data-window.js'
import type { ResultSummary } from '../../shared/api.js'
import type { MsdAggregation } from '../../shared/msd.js'
import type { StageTimings } from '../../shared/stage-timings.js'
import type { Domain, LineageResult, QualityMeta } from '../../shared/trace.js'
import type { ResultService } from '../results/index.js'

/** What a finished result holds, as every command reports it. */
export interface FinishedResult {
  summary: ResultSummary
  lineage: LineageResult | null
  aggregation: MsdAggregation | null
  /** Every input token that matched nothing (the summary sends at most a screenful). */
  notFound: string[]
}

/** A lineage as the JSON answers count it. */
export interface LineageCounts {
  total_nodes: number
  edges: number
  truncated: boolean
}

/** Rows and quality of each domain, as the JSON answers carry them. */
export type DomainCounts = Partial<Record<Domain, { rows: number; quality: QualityMeta['status'] }>>

/** Reads what a finished job's result holds; `job/not-finished` for a job without one. */
export function readFinishedResult(results: ResultService, jobId: string): FinishedResult {
  const summary = results.summary(jobId)
  const seeds = summary.seeds
  // A program reading `--json` gets every token: a person who pasted 100 000 ids wants to know
  // exactly which matched nothing, so a cut list is read again in full.
  const notFound = !seeds ? [] : seeds.not_found.length < seeds.not_found_count ? (results.reader(jobId).seeds()?.not_found ?? []) : seeds.not_found
  return { summary, lineage: results.lineage(jobId), aggregation: results.aggregation(jobId), notFound }
}

/** Nodes, edges and truncation of a lineage; null without one. */
export function lineageCounts(lineage: LineageResult | null): LineageCounts | null {
  return lineage ? { total_nodes: lineage.total_nodes, edges: lineage.edges.length, truncated: lineage.truncated } : null
}

/** Rows and quality of `domains` in a result. */
export function domainCounts(domains: readonly Domain[], summary: ResultSummary): DomainCounts {
  return Object.fromEntries(
    domains.map((d) => [d, { rows: summary.row_counts[d] ?? 0, quality: summary.domain_quality[d]?.status ?? 'complete' }]),
  )
}

/** What `show --json` says about a finished job's result file. */
export interface ResultSummaryJson {
  /** The job id written in the file (another job's id for an imported result). */
  file_job_id: string
  source: string
  app_version: string
  as_of: number
  seed_count: number
  input_count: number
  not_found: string[]
  lineage: LineageCounts | null
  domains: DomainCounts
  quality_meta: QualityMeta | null
  warnings: string[]
  /** The MSD aggregation, null for other profiles. */
  aggregation: MsdAggregation | null
  /** `warning` (with why) when the trace found nothing to trace. */
  outcome: JobOutcome
  /** Where the job's time went; null for files of earlier versions. */
  stage_ms: StageTimings | null
}

/** The `result` of `show --json`. */
export function resultSummaryJson(result: FinishedResult): ResultSummaryJson {
  const { summary } = result
  return {
    file_job_id: summary.file_job_id,
    source: summary.source,
    app_version: summary.app_version,
    as_of: summary.as_of,
    seed_count: summary.seeds?.seed_count ?? 0,
    input_count: summary.seeds?.input_count ?? 0,
    not_found: result.notFound,
    lineage: lineageCounts(result.lineage),
    domains: domainCounts(summary.domains, summary),
    quality_meta: summary.quality,
    warnings: summary.warnings,
    aggregation: result.aggregation,
    outcome: summary.outcome,
    stage_ms: summary.stage_ms,
  }
}
