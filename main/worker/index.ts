/**
 * The worker process (architecture.md §8): the port adapter a worker entry talks to main through,
 * the trace job and the import check it runs, and what it writes into a job's log. The process
 * entry itself (entry.ts) is started by file path and not exported: importing it would connect.
 */
export {
  connectToMain,
  failInit,
  isMainToWorkerMessage,
  type MainPort,
  type ParentPortLike,
  type WorkerProcessLike,
} from './port.js'
export { errorDetailOf, postJobError, postJobWarning, type JobReporter } from './job-log.js'
export { runTraceJob, type TraceStartMessage } from './trace-job.js'
export { runInspectJob, type InspectMessage } from './inspect-job.js'
