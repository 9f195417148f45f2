/**
 * `mes-trace serve`: the composition root of the browser host. The same services as the desktop
 * app — engine with Node worker processes, catalog and result files of the data folder — carried
 * over a WebSocket to the renderer served on 127.0.0.1, with a demo-plant data source ready.
 */
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { invalidInput } from '../../../shared/errors.js'
import { EXPORTS_FOLDER, ResultService } from '../../results/index.js'
import { createServices, ServiceRouter, SourceProfiles, startBrowserHost } from '../../transport/index.js'
import { APP_VERSION } from '../app-version.js'
import { openCliEngine } from '../cli-engine.js'
import type { Command } from '../command.js'
import { ensureDemoPlant } from '../demo-plant.js'
import { dataDirOf, SETTING_FLAGS, VALUE_FLAG, type Flags } from '../flags.js'
import type { CliIo } from '../io.js'

/** Id of the demo plant's source profile. */
export const DEMO_SOURCE_ID = 'src-demo'

/**
 * While the host serves, an exception nobody caught and a promise rejection nobody handled are
 * logged to stderr with their stack, and the host keeps serving instead of exiting (Node's default).
 * That is safe here because nothing a failure could leave half-done lives in this process: each call
 * is its own promise and answers for itself (the router turns its failures into error answers), the
 * durable state is in SQLite, written in synchronous transactions that either commit or roll back,
 * and traces run in worker processes of their own. Dying would instead drop every open page and
 * running job for one bad call. What still ends the process: SIGINT/SIGTERM (a clean stop), and
 * what Node cannot survive at all (out of memory, a native crash). Returns a function that removes
 * the handlers again.
 */
export function logUnexpectedErrors(io: Pick<CliIo, 'stderr'>): () => void {
  const log = (what: string, error: unknown): void => {
    // A closed stderr cannot take the log; writing again would only raise the same error again.
    if ((error as { code?: unknown } | null)?.code === 'EPIPE') return
    try {
      io.stderr(`mes-trace serve: ${what} (the host keeps serving): ${stackOf(error)}\n`)
    } catch {
      // Nowhere left to log to.
    }
  }
  const onException = (error: unknown): void => log('uncaught exception', error)
  const onRejection = (reason: unknown): void => log('unhandled promise rejection', reason)
  process.on('uncaughtException', onException)
  process.on('unhandledRejection', onRejection)
  return () => {
    process.off('uncaughtException', onException)
    process.off('unhandledRejection', onRejection)
  }
}

function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error)
}

/** `dist/renderer`, next to the compiled main code (this file is `dist/main/cli/commands/serve.js`). */
function defaultRendererDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'renderer')
}

/** How long stopping waits for running jobs' workers. */
const SERVE_SHUTDOWN_MS = 5000

/** Runs the host until SIGINT/SIGTERM (or `stop` resolves, for tests). Returns the exit code. */
export async function serve(flags: Flags, io: CliIo, stop?: Promise<void>): Promise<number> {
  const port = flags.port === undefined ? 0 : Number(flags.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidInput('--port', 'must be a port number from 0 (any free port) to 65535')
  const dataDir = dataDirOf(flags)
  const plant = await ensureDemoPlant(dataDir, flags, io)
  // Storage, Jobs
  // A long-lived host: a worker is kept ready ahead of each trace, as in the desktop app.
  const { catalog, engine, policy, policyWarnings, resolveSettings } = openCliEngine(dataDir, flags, (text) => io.stderr(text), undefined, { spareWorker: true })
  const results = new ResultService(engine)
  const stopLogging = logUnexpectedErrors(io)
  try {
    engine.start()
    const sources = new SourceProfiles(catalog, policy.source)
    sources.ensure({ id: DEMO_SOURCE_ID, name: 'Demo plant', kind: 'sqlite', path: plant, created_at: Date.now() })
    // Services
    const router = new ServiceRouter({
      handlers: createServices({ engine, results, catalog, dataDir, appVersion: APP_VERSION, sources, policy, policyWarnings, engineSettings: resolveSettings }),
      onUnexpectedError: (error, channel) => io.stderr(`${channel}: ${stackOf(error)}\n`),
    })
    // Host
    const host = await startBrowserHost({
      router,
      events: engine,
      rendererDir: typeof flags['renderer-dir'] === 'string' ? flags['renderer-dir'] : defaultRendererDir(),
      port,
      exportsDir: join(dataDir, EXPORTS_FOLDER),
      onUnexpectedError: (error, what) => io.stderr(`browser host (${what}): ${stackOf(error)}\n`),
    })
    io.stdout(`MES Trace is served at ${host.url}\nOpen it in a browser on this machine; Ctrl-C stops it.\n`)
    await new Promise<void>((done) => {
      const quit = (): void => done()
      process.once('SIGINT', quit)
      process.once('SIGTERM', quit)
      void stop?.then(quit)
    })
    await host.close()
    return 0
  } finally {
    results.close()
    await engine.shutdown(SERVE_SHUTDOWN_MS)
    catalog.close()
    stopLogging()
  }
}

/** `mes-trace serve`. */
export const serveCommand: Command = {
  summary:
    'Serve the app to a browser on this machine (127.0.0.1 only), with the demo plant as a\n' +
    'data source; prints the URL (it carries a random token)',
  options: { 'data-dir': VALUE_FLAG, port: VALUE_FLAG, lots: VALUE_FLAG, 'renderer-dir': VALUE_FLAG, ...SETTING_FLAGS },
  usage: ['--port N          default: any free port   --data-dir DIR'],
  run: ({ flags }, io) => serve(flags, io),
}
