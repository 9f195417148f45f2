/**
 * Entry of a worker process (a Node child process or an Electron utility process): connects to
 * main, checks its environment, then runs the one job main hands it — a trace (`start`, see
 * trace-job.ts) or the check of a result file offered for import (`inspect`, see inspect-job.ts) —
 * and exits. The main process starts this file by path (`traceWorkerEntry()` of main/engine) and
 * never imports it; it never imports Electron.
 */
import Database from 'better-sqlite3'
import { AppError } from '../../shared/errors.js'
import { applyHeapPolicy } from './heap-policy.js'
import { runInspectJob } from './inspect-job.js'
import { connectToMain, failInit } from './port.js'
import { runTraceJob } from './trace-job.js'

applyHeapPolicy()
const port = connectToMain()

// Assert the environment before taking work: the native SQLite module must load here (a wrong ABI
// is the classic failure of a packaged app), and main must hear why if it does not. better-sqlite3
// loads its native addon only when the first database opens, so the static imports above succeed
// even with a wrong ABI and opening an in-memory database is what forces the load: its failure is
// reported as `worker/init-failed` with the loader's message. A module that cannot even be linked
// ends the process before this line; main reports that too as `worker/init-failed`, with the
// stderr that names the module.
try {
  new Database(':memory:').close()
} catch (error) {
  const cause = error instanceof Error ? error.message : String(error)
  await failInit(port, new AppError('worker/init-failed', `The trace worker could not start: ${cause}`).toJSON())
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
    runInspectJob(message, port)
    void port.exit(0)
    return
  }
  if (message.type === 'start' && !current) {
    current = new AbortController()
    // One job per process: a worker is never reused. The engine ends the process as soon as it
    // has the last message; exiting by itself is the fallback.
    void runTraceJob(message, current.signal, port).finally(() => port.exit(0))
  }
})

port.postToMain({ type: 'ready', pid: process.pid })
