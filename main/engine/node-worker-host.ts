/**
 * Worker processes as plain Node child processes (`child_process.fork`), for the headless CLI,
 * the browser host and tests. The app uses `ElectronWorkerHost`; both share `WorkerConnection`.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { AppError } from '../../shared/errors.js'
import type { MainToWorkerMessage } from '../../shared/worker-protocol.js'
import { readRssBytesSync } from './process-memory.js'
import { WorkerConnection } from './worker-connection.js'
import { heapLimitExecArgv } from './worker-exit.js'
import { WORKER_READY_TIMEOUT_MS, type WorkerHandle, type WorkerHost, type WorkerHostOptions, type WorkerSpawnOptions } from './worker-host.js'
import { workerEnvOf } from './worker-env.js'

/**
 * After `exit`, how long to wait for `close` (stdio drained) before reporting the end anyway. The
 * wait lets the last stderr lines (V8's OOM banner) reach the tail; the cap covers a grandchild
 * that inherited the pipes and keeps them open.
 */
export const WORKER_STDIO_DRAIN_MS = 1_000

/** Options of {@link NodeWorkerHost}. */
export interface NodeWorkerHostOptions extends WorkerHostOptions {
  /**
   * Receives the workers' raw stdout and stderr (the CLI forwards them to its own stderr so
   * `--json` output stays clean). Without it the output is drained and dropped; the stderr tail is
   * kept either way.
   * @default undefined
   */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer, pid: number | undefined) => void
}

/** Starts workers with `child_process.fork`. */
export class NodeWorkerHost implements WorkerHost {
  readonly #readyTimeoutMs: number
  readonly #onOutput: NodeWorkerHostOptions['onOutput']

  constructor(options: NodeWorkerHostOptions = {}) {
    this.#readyTimeoutMs = options.readyTimeoutMs ?? WORKER_READY_TIMEOUT_MS
    this.#onOutput = options.onOutput
  }

  async spawn(options: WorkerSpawnOptions): Promise<WorkerHandle> {
    const execArgv = heapLimitExecArgv(options.maxOldSpaceMb)
    let child: ChildProcess
    try {
      child = fork(options.entry, [], {
        // Given explicitly so the parent's own flags (inspector, loaders) never leak into workers.
        execArgv: [...execArgv, `--title=${options.serviceName}`],
        // Structured clone, like Electron's postMessage, so messages behave the same under both hosts.
        serialization: 'advanced',
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        // Only what a worker needs, never the parent's whole environment (see worker-env.ts).
        env: workerEnvOf(process.env, options.env),
        windowsHide: true,
      })
    } catch (error) {
      throw new AppError('worker/init-failed', `${options.serviceName} could not be started: ${errorText(error)}`, {
        serviceName: options.serviceName,
        entry: options.entry,
      })
    }

    const connection = new WorkerConnection(
      {
        pid: () => child.pid,
        isConnected: () => child.connected,
        // A send that fails because the channel is closing surfaces as the child's 'error' event
        // (handled below); the exit that follows reports the end.
        post: (message: MainToWorkerMessage) => child.send(message),
        forceKill: () => {
          child.kill('SIGKILL')
        },
        osRssBytes: () => {
          const pid = child.pid
          const isRunning = child.exitCode === null && child.signalCode === null
          return pid !== undefined && isRunning ? readRssBytesSync(pid) : undefined
        },
      },
      { serviceName: options.serviceName },
    )

    child.on('message', (value: unknown) => connection.receive(value))
    child.stderr?.on('data', (chunk: Buffer) => {
      connection.appendStderr(chunk)
      this.#onOutput?.('stderr', chunk, child.pid)
    })
    // stdout must be read even when nobody wants it: a full pipe would block the worker.
    child.stdout?.on('data', (chunk: Buffer) => this.#onOutput?.('stdout', chunk, child.pid))
    child.on('error', (error) => {
      // 'error' also fires for a failed send or kill on a process that is already going; only a
      // spawn failure (no pid) has no 'exit' to follow it.
      if (child.pid === undefined) {
        connection.appendStderr(`\n[spawn failed] ${error.message}\n`)
        connection.processEnded(null, null)
      }
    })
    let drainTimer: NodeJS.Timeout | undefined
    child.on('exit', (code, signal) => {
      drainTimer = setTimeout(() => connection.processEnded(code, signal), WORKER_STDIO_DRAIN_MS)
      drainTimer.unref()
    })
    child.on('close', (code, signal) => {
      clearTimeout(drainTimer)
      connection.processEnded(code, signal)
    })

    return connection.whenReady(this.#readyTimeoutMs)
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
