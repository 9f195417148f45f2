/**
 * `mes-trace serve`: the composition root of the browser host. The same services as the desktop
 * app — engine with Node worker processes, catalog and result files of the data folder — carried
 * over a WebSocket to the renderer served on 127.0.0.1, with a demo-plant data source ready.
 */
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { invalidInput } from '../../shared/errors.js'
import { startBrowserHost } from '../host/index.js'
import { createServices, ServiceRouter, SourceProfiles } from '../ipc/index.js'
import { APP_VERSION } from './app-version.js'
import { dataDirOf, openCliEngine } from './cli-engine.js'
import { ensureDemoPlant } from './demo-command.js'
import type { CliIo } from './main.js'

type Flags = Record<string, string | boolean | undefined>

/** Id of the demo plant's source profile. */
export const DEMO_SOURCE_ID = 'src-demo'

/** `dist/renderer`, next to the compiled main code. */
function defaultRendererDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'renderer')
}

/** Runs the host until SIGINT/SIGTERM (or `stop` resolves, for tests). Returns the exit code. */
export async function serveCommand(flags: Flags, io: CliIo, stop?: Promise<void>): Promise<number> {
  const port = flags.port === undefined ? 0 : Number(flags.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidInput('--port', 'must be a port number from 0 (any free port) to 65535')
  const dataDir = dataDirOf(flags)
  const plant = await ensureDemoPlant(dataDir, flags, io)
  // Storage, Jobs
  const { catalog, engine, policy } = openCliEngine(dataDir, flags, (text) => io.stderr(text))
  try {
    engine.start()
    const sources = new SourceProfiles(catalog, policy.source)
    sources.ensure({ id: DEMO_SOURCE_ID, name: 'Demo plant', kind: 'sqlite', path: plant, created_at: Date.now() })
    // Services
    const router = new ServiceRouter({
      handlers: createServices({ engine, catalog, dataDir, appVersion: APP_VERSION, sources, policy }),
      onUnexpectedError: (error, channel) => io.stderr(`${channel}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`),
    })
    // Host
    const host = await startBrowserHost({
      router,
      events: engine,
      rendererDir: typeof flags['renderer-dir'] === 'string' ? flags['renderer-dir'] : defaultRendererDir(),
      port,
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
    await engine.shutdown(5000)
    catalog.close()
  }
}

