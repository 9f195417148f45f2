/**
 * The trace job of a worker process (entry.ts hands it the `start` message). It runs
 * one trace — seed resolve, lineage, events — against a read-only source and streams everything
 * into the job's result file, reporting progress to the main process. It never imports Electron.
 * The MSD profile adds its analysis; the source's schema warnings go to the log and the result.
 */
import type { MsdAnalysisStep } from '../../shared/stage-timings.js'
import { TRACE_STAGES, type TraceProgress } from '../../shared/trace.js'
import type { NormalizedTraceRequest } from '../../shared/trace-request.js'
import type { MainToWorkerMessage, WorkerJobSummary, WorkerTraceLimits } from '../../shared/worker-protocol.js'
import { runMsdAnalysis } from '../msd/index.js'
import { openSource, type MesSource } from '../sources/index.js'
import { createResultFile, type ResultFileWriter } from '../store/index.js'
import { resultFileSink, runJobTrace, type JobTrace } from '../trace/index.js'
import { collectBetweenSteps } from './heap-policy.js'
import { postJobError, postJobWarning, type JobReporter } from './job-log.js'

/** Progress messages per second, at most (the engine throttles again for the UI). */
const PROGRESS_INTERVAL_MS = 100

/** The message that starts a trace. */
export type TraceStartMessage = Extract<MainToWorkerMessage, { type: 'start' }>

/** What {@link runJobWork} runs. */
export interface JobWorkOptions {
  source: MesSource
  request: NormalizedTraceRequest
  writer: ResultFileWriter
  signal?: AbortSignal
  limits: Pick<WorkerTraceLimits, 'maxDepth' | 'maxNodes' | 'maxRowsPerDomain' | 'suspectFdr'>
  /** Progress; `force` when a stage or an analysis step starts (otherwise it may be throttled). */
  onProgress?: (progress: TraceProgress, force: boolean) => void
}

/**
 * The trace and, for the MSD profile, its analysis into `writer`, as a job runs them: only what
 * the analysis and the summary need is kept (the seeds' entries and the genealogy are in the
 * file), and the heap is collected where a step ends. The benchmarks run this too.
 */
export async function runJobWork(
  options: JobWorkOptions,
): Promise<{ outcome: JobTrace; aggregation: unknown; analysisMs: Partial<Record<MsdAnalysisStep, number>> }> {
  const { source, request, writer, signal, limits, onProgress } = options
  let stage: TraceProgress['stage'] = 'seed'
  const outcome = await runJobTrace({
    source,
    request,
    ...(signal ? { signal } : {}),
    maxDepth: limits.maxDepth,
    maxNodes: limits.maxNodes,
    maxRowsPerDomain: limits.maxRowsPerDomain,
    onProgress: (p) => {
      onProgress?.(p, p.stage !== stage)
      stage = p.stage
    },
    onStepEnd: collectBetweenSteps,
    sink: resultFileSink(writer),
  })
  let aggregation: unknown
  const analysisMs: Partial<Record<MsdAnalysisStep, number>> = {}
  if (request.profile === 'mid_section_defect') {
    const completed = [...TRACE_STAGES.slice(0, 3)]
    // The rows read stay on the card while the analysis works on them.
    const rowsSoFar = Object.values(outcome.rows).reduce((n, r) => n + (r ?? 0), 0)
    aggregation = await runMsdAnalysis({
      source,
      writer,
      request,
      seedCids: outcome.seed_cids,
      lineage: outcome.lineage,
      quality: outcome.quality_meta,
      ...(signal ? { signal } : {}),
      suspectFdr: limits.suspectFdr,
      stageMs: analysisMs,
      // A pushed-down request reads its factor links from the source (the events were not fetched).
      factorLinks: request.pushdown ? 'source' : 'events',
      // Every step start is reported (a step can take seconds; the engine throttles for the UI).
      onProgress: ({ message, ...step }) => {
        collectBetweenSteps()
        onProgress?.({ stage: 'analysis', completed_stages: completed, message, analysis: step, rows_so_far: rowsSoFar }, true)
      },
    })
  }
  return { outcome, aggregation, analysisMs }
}

/**
 * Runs the trace `message` asks for and ends with exactly one `done` or `error` (an `error` comes
 * right after a log entry holding its stack). Never throws. The source's schema warnings are logged
 * and also written into the result's warnings, so whoever opens the result sees them.
 */
export async function runTraceJob(message: TraceStartMessage, signal: AbortSignal, port: JobReporter): Promise<void> {
  const { jobId } = message
  const startedAt = performance.now()
  let writer: ResultFileWriter | undefined
  let lastProgress = 0
  const report = (progress: TraceProgress, force = false): void => {
    const now = Date.now()
    if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return
    lastProgress = now
    port.postToMain({ type: 'progress', jobId, progress, rssBytes: process.memoryUsage.rss(), at: now })
  }
  try {
    const { source, schema } = await openSource(message.source, { takeEnvPassword: true, ...(message.password ? { password: message.password } : {}) })
    for (const warning of schema.warnings) port.postToMain({ type: 'log', jobId, level: 'warn', message: warning })
    try {
      writer = createResultFile(message.resultPath, {
        jobId,
        request: message.request,
        source: source.description,
        appVersion: message.appVersion,
        now: Date.now(),
        ...(message.limits.maxResultBytes > 0 ? { maxBytes: message.limits.maxResultBytes } : {}),
      })
      const out = writer
      const { outcome, aggregation, analysisMs } = await runJobWork({
        source,
        request: message.request,
        writer: out,
        signal,
        limits: message.limits,
        onProgress: report,
      })
      // The schema check's warnings first: they say what this source lacks, before what the trace met.
      const warnings = [...schema.warnings, ...outcome.warnings]
      const resultBytes = out.finish({
        domainQuality: outcome.domains,
        quality: outcome.quality_meta,
        warnings,
        ...(aggregation !== undefined ? { aggregation } : {}),
        ...(outcome.station_window !== undefined ? { stationWindow: outcome.station_window } : {}),
        stageMs: { stages: { ...outcome.stage_ms, analysis: analysisMs }, startedAt },
      })
      writer = undefined
      const summary: WorkerJobSummary = {
        seedCount: outcome.seeds.seed_count,
        cidCount: outcome.event_cid_count,
        notFound: outcome.seeds.not_found,
        rows: outcome.rows,
        domainQuality: outcome.domains,
        quality: outcome.quality_meta,
        lineageNodes: outcome.lineage?.total_nodes ?? 0,
        lineageTruncated: outcome.lineage?.truncated ?? false,
        warnings,
        resultBytes,
      }
      port.postToMain({ type: 'done', jobId, summary })
    } finally {
      // A failed fetch can leave a statement of another batch open, and closing then throws;
      // the trace's own error is the one to report (the process ends right after anyway).
      await source.close().catch((error: unknown) => {
        postJobWarning(port, jobId, 'closing the source', error)
      })
    }
  } catch (error) {
    writer?.abort()
    postJobError(port, jobId, error)
  }
}
