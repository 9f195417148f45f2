/**
 * The trace job of a worker process (entry.ts hands it the `start` message). It runs
 * one trace — seed resolve, lineage, events — against a read-only source and streams everything
 * into the job's result file, reporting progress to the main process. It never imports Electron.
 * The MSD profile adds its analysis; the source's schema warnings go to the log and the result.
 */
import type { MsdAnalysisStep } from '../../shared/stage-timings.js'
import { TRACE_STAGES, type TraceProgress } from '../../shared/trace.js'
import type { MainToWorkerMessage, WorkerJobSummary } from '../../shared/worker-protocol.js'
import { runMsdAnalysis } from '../msd/index.js'
import { openSource } from '../sources/index.js'
import { createResultFile, type ResultFileWriter } from '../store/index.js'
import { resultFileSink, runJobTrace } from '../trace/index.js'
import { collectBetweenSteps } from './heap-policy.js'
import { postJobError, postJobWarning, type JobReporter } from './job-log.js'

/** Progress messages per second, at most (the engine throttles again for the UI). */
const PROGRESS_INTERVAL_MS = 100

/** The message that starts a trace. */
export type TraceStartMessage = Extract<MainToWorkerMessage, { type: 'start' }>

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
      let stage: TraceProgress['stage'] = 'seed'
      // Only what the analysis and the summary need stays: the seeds' entries are in the file.
      const outcome = await runJobTrace({
        source,
        request: message.request,
        signal,
        maxDepth: message.limits.maxDepth,
        maxNodes: message.limits.maxNodes,
        maxRowsPerDomain: message.limits.maxRowsPerDomain,
        onProgress: (p) => {
          report(p, p.stage !== stage)
          stage = p.stage
        },
        onStepEnd: collectBetweenSteps,
        sink: resultFileSink(out),
      })
      let aggregation: unknown
      const analysisMs: Partial<Record<MsdAnalysisStep, number>> = {}
      if (message.request.profile === 'mid_section_defect') {
        const completed = [...TRACE_STAGES.slice(0, 3)]
        // The rows read stay on the card while the analysis works on them.
        const rowsSoFar = Object.values(outcome.rows).reduce((n, r) => n + (r ?? 0), 0)
        aggregation = await runMsdAnalysis({
          source,
          writer: out,
          request: message.request,
          seedCids: outcome.seed_cids,
          lineage: outcome.lineage,
          quality: outcome.quality_meta,
          signal,
          suspectFdr: message.limits.suspectFdr,
          stageMs: analysisMs,
          // A pushed-down request reads its factor links from the source (the events were not fetched).
          factorLinks: message.request.pushdown ? 'source' : 'events',
          // Every step start is reported (a step can take seconds; the engine throttles for the UI).
          onProgress: ({ message, ...step }) => {
            collectBetweenSteps()
            report({ stage: 'analysis', completed_stages: completed, message, analysis: step, rows_so_far: rowsSoFar }, true)
          },
        })
      }
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
