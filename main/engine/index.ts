/**
 * The job engine (main process only): the one creator and changer of job rows — queue, data-folder
 * lock, expiry sweeper, imports of result files — and the hosting of worker processes (the
 * `WorkerHost` contract, the Node host, the helpers the Electron host shares, the RSS watchdog).
 * The worker's own code lives in main/worker/; the engine finds it by file path only.
 */
export {
  WORKER_READY_TIMEOUT_MS,
  type WorkerExit,
  type WorkerExitReason,
  type WorkerHandle,
  type WorkerHost,
  type WorkerHostOptions,
  type WorkerSpawnOptions,
} from './worker-host.js'
export { NodeWorkerHost, WORKER_STDIO_DRAIN_MS, type NodeWorkerHostOptions } from './node-worker-host.js'
export { WORKER_ENV_NAMES, WORKER_ENV_PREFIXES, isWorkerEnvName, workerAllocatorEnv, workerEnvOf } from './worker-env.js'
export {
  WorkerConnection,
  WORKER_INIT_FAILED_EXIT_GRACE_MS,
  WORKER_KILL_CONFIRM_MS,
  type WorkerConnectionOptions,
  type WorkerProcessControl,
} from './worker-connection.js'
export {
  STDERR_TAIL_BYTES,
  StderrTail,
  classifyWorkerExit,
  describeExit,
  heapLimitExecArgv,
  WORKER_SEMI_SPACE_MB,
  isHeapOutOfMemory,
  workerExitError,
  type WorkerExitFacts,
} from './worker-exit.js'
export { CAN_READ_RSS_FROM_OS, parseVmRssBytes, readRssBytes, readRssBytesSync } from './process-memory.js'
export {
  RSS_WATCHDOG_CONSECUTIVE_SAMPLES,
  RSS_WATCHDOG_INTERVAL_MS,
  RssWatchdog,
  workerRssSampler,
  type RssSampleTarget,
  type RssWatchdogOptions,
} from './rss-watchdog.js'
export {
  JobEngine,
  withPushdown,
  dedupKeyOf,
  sourceCopyOf,
  estimateCids,
  type EnqueueOptions,
  type EnqueueResult,
  type ImportedResult,
  type JobEngineOptions,
  type JobProgressEvent,
  type JobStatusEvent,
} from './job-engine.js'
export { traceWorkerEntry } from './worker-entry.js'
export { INSPECT_BASE_MS, INSPECT_MS_PER_BYTE, inspectInWorker, inspectTimeoutMsOf, type InspectInWorkerOptions } from './result-inspection.js'
export { IMPORT_SOURCE_PREFIX, isImported, jobViewOf, rowsTotal } from './job-view.js'
export { DataFolderLock, ENGINE_LOCK_FILE, processAlive } from './data-folder-lock.js'
export { ExpirySweeper, type ExpirySweeperOptions } from './expiry-sweeper.js'
export { newJobId } from './job-id.js'
