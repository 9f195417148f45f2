/**
 * Entry of a trace worker process (a Node child process or an Electron utility process). It runs
 * one trace — seed resolve, lineage, events — against a read-only source and streams everything
 * into the job's result file, reporting progress to the main process. It never imports Electron.
 */
import { AppError, toErrorData } from '../../shared/errors.js'
import { TRACE_STAGES, type TraceProgress } from '../../shared/trace.js'
import type { MainToWorkerMessage, WorkerInspection, WorkerJobSummary } from '../../shared/worker-protocol.js'
import type { ResultFileWriter } from '../store/index.js'
import { connectToMain, failInit } from './worker-port.js'
import type * as SourcesModule from '../sources/index.js'
import type * as StoreModule from '../store/index.js'
import type * as TraceModule from '../trace/index.js'
import type * as MsdModule from '../msd/index.js'

/** Progress messages per second, at most (the engine throttles again for the UI). */
const PROGRESS_INTERVAL_MS = 100

const port = connectToMain()

// Assert the environment before taking work: the native SQLite module must load here (a wrong
// ABI is the classic failure of a packaged app), and the main process must hear why if it does not.
async function loadModules(): Promise<{
  openSource: typeof SourcesModule.openSource
  createResultFile: typeof StoreModule.createResultFile
  runTrace: typeof TraceModule.runTrace
  runMsdAnalysis: typeof MsdModule.runMsdAnalysis
  inspectResultFile: typeof StoreModule.inspectResultFile
}> {
  const [sources, store, trace, msd] = await Promise.all([
    import('../sources/index.js'),
    import('../store/index.js'),
    import('../trace/index.js'),
    import('../msd/index.js'),
  ])
  return {
    openSource: sources.openSource,
    createResultFile: store.createResultFile,
    runTrace: trace.runTrace,
    runMsdAnalysis: msd.runMsdAnalysis,
    inspectResultFile: store.inspectResultFile,
  }
}

const modules = await loadModules().catch((error: unknown) => {
  const cause = error instanceof Error ? error.message : String(error)
  return failInit(port, new AppError('worker/init-failed', `The trace worker could not start: ${cause}`).toJSON())
})
const { openSource, createResultFile, runTrace, runMsdAnalysis, inspectResultFile } = modules

async function runJob(message: Extract<MainToWorkerMessage, { type: 'start' }>, signal: AbortSignal): Promise<void> {
  const { jobId } = message
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
      const outcome = await runTrace({
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
        sink: {
          onSeeds: (seeds) => out.writeSeeds(seeds),
          onLineage: (lineage) => out.writeLineage(lineage),
          onEventBatch: (batch) => out.writeEvents(batch.domain, batch.rows),
        },
      })
      let aggregation: unknown
      if (message.request.profile === 'mid_section_defect') {
        const completed = [...TRACE_STAGES.slice(0, 3)]
        report({ stage: 'analysis', completed_stages: completed, message: 'analysing' }, true)
        aggregation = await runMsdAnalysis({
          source,
          writer: out,
          request: message.request,
          seeds: outcome.seeds,
          lineage: outcome.lineage,
          quality: outcome.quality_meta,
          signal,
          onProgress: (text) => report({ stage: 'analysis', completed_stages: completed, message: text }),
        })
      }
      const resultBytes = out.finish({
        domainQuality: outcome.domains,
        quality: outcome.quality_meta,
        warnings: outcome.warnings,
        ...(aggregation !== undefined ? { aggregation } : {}),
      })
      writer = undefined
      const summary: WorkerJobSummary = {
        seedCount: outcome.seeds.seed_count,
        cidCount: outcome.event_cids.length,
        notFound: outcome.seeds.not_found,
        rows: outcome.rows,
        domainQuality: outcome.domains,
        quality: outcome.quality_meta,
        lineageNodes: outcome.lineage?.total_nodes ?? 0,
        lineageTruncated: outcome.lineage?.truncated ?? false,
        warnings: outcome.warnings,
        resultBytes,
      }
      port.postToMain({ type: 'done', jobId, summary })
    } finally {
      // A failed fetch can leave a statement of another batch open, and closing then throws;
      // the trace's own error is the one to report (the process ends right after anyway).
      await source.close().catch((error: unknown) => {
        port.postToMain({ type: 'log', jobId, level: 'warn', message: `closing the source: ${String(error)}` })
      })
    }
  } catch (error) {
    writer?.abort()
    port.postToMain({ type: 'error', jobId, error: toErrorData(error) })
  }
}

/** Checks a result file offered for import (see the engine's `inspectResultFile`). */
function inspectJob(message: Extract<MainToWorkerMessage, { type: 'inspect' }>): void {
  const { jobId } = message
  try {
    const found = inspectResultFile(message.path, { name: message.name })
    const { manifest } = found
    const inspection: WorkerInspection = {
      fileJobId: manifest.job_id,
      request: found.request,
      source: manifest.source,
      asOf: manifest.as_of,
      domains: manifest.domains,
      rowCounts: manifest.row_counts,
      quality: manifest.quality,
      seedCount: found.seedCount,
      cidCount: found.cidCount,
      bytes: found.bytes,
    }
    port.postToMain({ type: 'inspected', jobId, inspection })
  } catch (error) {
    port.postToMain({ type: 'error', jobId, error: toErrorData(error) })
  }
}

let current: AbortController | undefined

// A child process whose parent died (kill -9 of the app or the CLI) loses its IPC channel: stop at
// once instead of writing a result nobody will read. The next start removes the partial file.
process.on('disconnect', () => process.exit(1))

port.onMainMessage((message) => {
  if (message.type === 'cancel') {
    current?.abort()
    return
  }
  if (message.type === 'inspect' && !current) {
    current = new AbortController()
    inspectJob(message)
    void port.exit(0)
    return
  }
  if (message.type === 'start' && !current) {
    current = new AbortController()
    // One job per process: a worker is never reused. The engine ends the process as soon as it
    // has the last message; exiting by itself is the fallback.
    void runJob(message, current.signal).finally(() => port.exit(0))
  }
})

port.postToMain({ type: 'ready', pid: process.pid })
