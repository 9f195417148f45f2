/**
 * What `run` and `rerun` show while and after their job runs: progress on a terminal, the outcome
 * for a person, or the one JSON object of `--json`.
 */
import { outcomeText, type JobOutcome } from '../../shared/data-window.js'
import { AppError, toErrorData, type AppErrorData } from '../../shared/errors.js'
import type { MsdAggregation } from '../../shared/msd.js'
import type { StageTimings } from '../../shared/stage-timings.js'
import { formatLocalDateTime } from '../../shared/time.js'
import type { NormalizedTraceRequest } from '../../shared/trace-request.js'
import type { Domain, EdgeType, LineageResult, QualityMeta, TraceProgress } from '../../shared/trace.js'
import type { JobEngine } from '../engine/index.js'
import type { ResultService } from '../results/index.js'
import type { JobRow, JobStatus } from '../store/index.js'
import { printWarning, type CliIo } from './io.js'
import { formatAggregation } from './msd-format.js'
import { domainCounts, lineageCounts, readFinishedResult, type DomainCounts, type FinishedResult, type LineageCounts } from './result-summary.js'

/** The one JSON object `run --json` (and `rerun --json`, with `rerun_of`) prints. */
export interface RunJson {
  job_id: string | null
  status: 'finished' | 'failed' | 'cancelled'
  /** True when an identical earlier job's unexpired result answered the request. */
  cached: boolean
  /** Completion time (epoch ms) of that earlier result. */
  as_of: number | null
  profile: string | null
  source: string | null
  seed_count: number
  cid_count: number
  not_found: string[]
  lineage: LineageCounts | null
  domains: DomainCounts
  quality_meta: QualityMeta | null
  elapsed_ms: number
  result_file: string | null
  /** The MSD aggregation (domain.md §5.6/§5.7 keys plus `suspects`); null for other profiles. */
  aggregation: MsdAggregation | null
  /** `warning` (with why) when the job finished but found nothing to trace; null when it did not finish. */
  outcome: JobOutcome | null
  /** Where the job's time went (`StageTimings`); null when it did not finish or its file has none. */
  stage_ms: StageTimings | null
  /** True when the source summarized the MSD analysis's events (docs/pushdown.md). */
  pushdown: boolean
  error: AppErrorData | null
}

/** What `run` and `show` say of a pushed-down job (docs/pushdown.md). */
export const PUSHDOWN_LINE = 'the source summarized the events the analysis reads (none copied)'

/** The JSON answer before the job has said anything: a failure until it finishes. */
export function unfinishedRunJson(profile: string | null, source: string | null): RunJson {
  return {
    job_id: null, status: 'failed', cached: false, as_of: null, profile, source, seed_count: 0, cid_count: 0, not_found: [],
    lineage: null, domains: {}, quality_meta: null, elapsed_ms: 0, result_file: null, aggregation: null, outcome: null, stage_ms: null, pushdown: false, error: null,
  }
}

/** What the JSON answer says of a finished job: its result, counted over the requested `domains`. */
export function finishedRunFields(result: FinishedResult, cidCount: number, domains: readonly Domain[]): Partial<RunJson> {
  const { summary } = result
  return {
    status: 'finished',
    seed_count: summary.seeds?.seed_count ?? 0,
    cid_count: cidCount,
    not_found: result.notFound,
    lineage: lineageCounts(result.lineage),
    domains: domainCounts(domains, summary),
    quality_meta: summary.quality,
    result_file: summary.result_file,
    aggregation: result.aggregation,
    outcome: summary.outcome,
    stage_ms: summary.stage_ms,
  }
}

/** Human progress on a terminal (stderr), one line rewritten in place. */
export function progressPrinter(enabled: boolean): { update(p: TraceProgress): void; done(): void } {
  let last = 0
  let shown = false
  return {
    update(p) {
      if (!enabled) return
      const now = Date.now()
      if (now - last < 100) return
      last = now
      const domains = Object.entries(p.domains ?? {})
        .map(([d, v]) => `${d} ${v.batches_done}/${v.batches_total}`)
        .join(' · ')
      const step = p.analysis ? `${p.analysis.step} (step ${p.analysis.steps_done + 1} of ${p.analysis.steps_total})` : ''
      const text = `${p.stage}: ${domains || step || p.message || ''}${p.rows_so_far !== undefined ? ` · ${p.rows_so_far} rows` : ''}`
      process.stderr.write(`\r\x1b[2K${text.slice(0, (process.stderr.columns ?? 120) - 1)}`)
      shown = true
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[2K')
    },
  }
}

/**
 * Waits for a job of this engine to end, with progress on a terminal unless `quiet`, and reads its
 * result: a job that did not finish throws its error (`trace/cancelled` for a cancel). The result's
 * warnings go to stderr, but for those in `shown` (already said).
 */
export async function followRun(
  engine: JobEngine,
  results: ResultService,
  jobId: string,
  io: CliIo,
  quiet: boolean,
  shown: readonly string[] = [],
): Promise<{ row: JobRow; result: FinishedResult }> {
  const progress = progressPrinter(!quiet && process.stderr.isTTY === true)
  const stopProgress = engine.onDidProgress((event) => {
    if (event.jobId === jobId) progress.update(event.progress)
  })
  try {
    await whenJobEnds(engine, jobId)
  } finally {
    stopProgress()
    progress.done()
  }
  const row = engine.status(jobId)
  if (row.status !== 'finished') throw new AppError(row.error_code ?? 'trace/cancelled', row.error_message ?? `The job was ${row.status}.`)
  const result = readFinishedResult(results, jobId)
  for (const warning of result.summary.warnings) if (!shown.includes(warning)) printWarning(io, warning)
  return { row, result }
}

/** Puts a run's failure in its JSON answer (a cancel as `cancelled`) and, unless `quiet`, on stderr. */
export function recordRunError(json: RunJson, error: unknown, io: CliIo, quiet: boolean): void {
  const data = toErrorData(error)
  json.status = data.code === 'trace/cancelled' ? 'cancelled' : 'failed'
  json.error = data
  if (!quiet) io.stderr(`error [${data.code}] ${data.message}\n`)
}

/** A run's exit code: 0 only when the job finished, 2 for bad input, 1 otherwise. */
export function runExitCode(json: RunJson): number {
  return json.status === 'finished' ? 0 : json.error?.code === 'input/invalid' ? 2 : 1
}

/** Resolves once `jobId` reaches a terminal status. */
export function whenJobEnds(engine: JobEngine, jobId: string): Promise<void> {
  const ended = (status: JobStatus): boolean => status !== 'queued' && status !== 'running'
  return new Promise((resolve) => {
    if (ended(engine.status(jobId).status)) return resolve()
    // Each event carries the job's whole view: nothing to read back from the catalog.
    const stop = engine.onDidChangeStatus(({ job }) => {
      if (job.job_id === jobId && ended(job.status)) {
        stop()
        resolve()
      }
    })
  })
}

/** What a finished run shows: the job row's numbers and the result file's seeds, lineage and quality. */
export interface RunSummary {
  request: NormalizedTraceRequest
  jobId: string
  cached: boolean
  asOf: number | null
  seeds: { seed_count: number; input_count: number; not_found: readonly string[] }
  lineage: LineageResult | null
  cidCount: number
  rows: Partial<Record<Domain, number>>
  domainQuality: Partial<Record<Domain, QualityMeta>>
  quality: QualityMeta | null
  resultFile: string
  elapsedMs: number
  /** Why nothing was traced, when nothing was. @default ok */
  outcome?: JobOutcome
}

/** Formats a finished run for a person. */
export function formatOutcome(run: RunSummary): string {
  const lines: string[] = []
  const { seeds, lineage, request } = run
  lines.push(`Job           ${run.jobId}${run.cached && run.asOf ? ` (cached result, as of ${formatLocalDateTime(new Date(run.asOf)).replace('T', ' ')}; --force re-runs it)` : ''}`)
  lines.push(`Profile       ${request.profile} (${request.direction})`)
  lines.push(`Seeds         ${seeds.seed_count} container(s)${seeds.input_count ? ` from ${seeds.input_count} input value(s)` : ''}`)
  if (run.outcome?.status === 'warning') lines.push(`Warning       nothing to trace: ${outcomeText(run.outcome)}`)
  if (seeds.not_found.length > 0) {
    const shown = seeds.not_found.slice(0, 10).join(', ')
    lines.push(`Not found     ${seeds.not_found.length}: ${shown}${seeds.not_found.length > 10 ? ', …' : ''}`)
  }
  if (lineage) {
    const byType = new Map<EdgeType, number>()
    for (const e of lineage.edges) byType.set(e.edge_type, (byType.get(e.edge_type) ?? 0) + 1)
    const edges = [...byType].map(([t, n]) => `${t} ${n}`).join(', ') || 'none'
    lines.push(`Lineage       ${lineage.total_nodes} nodes; edges: ${edges}${lineage.truncated ? ` (TRUNCATED: ${lineage.truncation_reasons.join(', ')})` : ''}`)
    if (lineage.direction === 'backward') {
      const roots = [...new Set(Object.values(lineage.seed_roots))]
      lines.push(`Roots         ${roots.slice(0, 5).join(', ')}${roots.length > 5 ? ` … (${roots.length})` : ''}`)
    } else {
      const serials = new Set(Object.values(lineage.leaf_serials).flat())
      lines.push(`Roots         ${lineage.roots.length}; serials at the leaves: ${serials.size}`)
    }
    lines.push(`Event CIDs    ${run.cidCount}`)
  }
  for (const domain of request.domains) {
    const rows = run.rows[domain] ?? 0
    const q = run.domainQuality[domain]
    lines.push(`  ${domain.padEnd(20)} ${String(rows).padStart(9)} rows  ${q?.status ?? 'complete'}${q?.errors?.length ? ` — ${q.errors[0]}` : ''}`)
  }
  const quality = run.quality
  if (quality) lines.push(`Quality       ${quality.status}${quality.reasons.length ? ` (${quality.reasons.join(', ')})` : ''}`)
  lines.push(`Result file   ${run.resultFile}`)
  lines.push(`Time          ${(run.elapsedMs / 1000).toFixed(2)} s`)
  return lines.join('\n')
}

/** A finished run's job and result for a person: the outcome, then the MSD aggregation if any. */
export function finishedRunText(
  result: FinishedResult,
  run: Pick<RunSummary, 'request' | 'jobId' | 'cached' | 'asOf' | 'cidCount' | 'elapsedMs'>,
): string {
  const { summary } = result
  const outcome = formatOutcome({
    ...run,
    seeds: { seed_count: summary.seeds?.seed_count ?? 0, input_count: summary.seeds?.input_count ?? 0, not_found: result.notFound },
    lineage: result.lineage,
    rows: summary.row_counts,
    domainQuality: summary.domain_quality,
    quality: summary.quality,
    resultFile: summary.result_file,
    outcome: summary.outcome,
  })
  // Said where the engine decided it (`--pushdown auto`), so the reader knows no events were copied.
  const how = run.request.pushdown ? `\n${'Pushdown'.padEnd(14)}${PUSHDOWN_LINE}` : ''
  return result.aggregation ? `${outcome}${how}\n${formatAggregation(result.aggregation)}` : `${outcome}${how}`
}
