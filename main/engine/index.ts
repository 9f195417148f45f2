/**
 * The job engine's process side: hosting worker processes (the `WorkerHost` contract, the Node
 * host, the helpers the Electron host shares), the RSS watchdog, and the port adapter a worker
 * entry uses to talk to main.
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
export { WORKER_ENV_NAMES, WORKER_ENV_PREFIXES, isWorkerEnvName, workerEnvOf } from './worker-env.js'
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
  connectToMain,
  failInit,
  isMainToWorkerMessage,
  type MainPort,
  type ParentPortLike,
  type WorkerProcessLike,
} from './worker-port.js'
export {
  ENGINE_LOCK_FILE,
  JobEngine,
  dedupKeyOf,
  estimateCids,
  type EnqueueOptions,
  type EnqueueResult,
  type JobEngineOptions,
  type JobProgressEvent,
  type JobStatusEvent,
} from './job-engine.js'
export { traceWorkerEntry } from './worker-entry.js'
export { INSPECT_BASE_MS, INSPECT_MS_PER_BYTE, inspectInWorker, inspectTimeoutMsOf, type InspectInWorkerOptions } from './result-inspection.js'
