/** Checks a result file offered for import, inside a worker process (see the engine's `inspectInWorker`). */
import type { MainToWorkerMessage, WorkerInspection } from '../../shared/worker-protocol.js'
import { inspectResultFile } from '../store/index.js'
import { postJobError, type JobReporter } from './job-log.js'

/** The message that asks for an inspection. */
export type InspectMessage = Extract<MainToWorkerMessage, { type: 'inspect' }>

/**
 * Inspects the file `message` names and ends with one `inspected`, or an `error` (`import/invalid`
 * for a refused file) right after a log entry holding its stack. Never throws.
 */
export function runInspectJob(message: InspectMessage, port: JobReporter): void {
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
    postJobError(port, jobId, error)
  }
}
