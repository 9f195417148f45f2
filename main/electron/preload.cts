/**
 * Sandboxed preload (CommonJS, as sandboxed preloads must be): exposes `window.api` — the service
 * contract of shared/api.ts — and never `ipcRenderer` itself. A sandboxed preload cannot load the
 * app's modules, so the channel and event names are spelled out here; a test fails when they
 * differ from the contract's.
 */
import electron = require('electron')

const { contextBridge, ipcRenderer } = electron

/** Every channel of the contract (shared/api.ts `CHANNELS`), in its order. */
const CHANNELS: readonly string[] = [
  'jobs:enqueue',
  'jobs:list',
  'jobs:status',
  'jobs:cancel',
  'jobs:pin',
  'jobs:remove',
  'jobs:rerun',
  'jobs:export',
  'jobs:show-export',
  'jobs:import',
  'results:page',
  'results:lineage',
  'results:aggregation',
  'results:summary',
  'results:detail',
  'results:diff',
  'results:report',
  'sources:list',
  'sources:add',
  'sources:test',
  'sources:remove',
  'sources:set-password',
  'sources:set-pushdown',
  'sources:data-window',
  'sources:loss-reasons',
  'sources:machine-jobs',
  'sources:job-transactions',
  'sources:job-transactions-export',
  'equipment:machines',
  'equipment:lots',
  'equipment:jobs',
  'equipment:rejects',
  'equipment:timeline',
  'equipment:export',
  'settings:get',
  'settings:set',
  'app:version',
  'app:data-dir',
]

/** Every pushed event of the contract (shared/api.ts `EVENT_NAMES`). */
const EVENTS: readonly string[] = ['jobs:did-progress', 'jobs:did-change-status']

const channels = new Set(CHANNELS)
const events = new Set(EVENTS)

const api = {
  /** Calls one channel of the contract; any other name is refused here, before IPC. */
  invoke(channel: string, payload: unknown): Promise<unknown> {
    if (typeof channel !== 'string' || !channels.has(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'input/invalid', message: `channel: unknown channel ${JSON.stringify(String(channel).slice(0, 60))}`, details: { field: 'channel' } },
      })
    }
    return ipcRenderer.invoke(channel, payload)
  },
  /** Listens to one pushed event; returns the function that stops listening. */
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (typeof event !== 'string' || !events.has(event)) throw new Error(`unknown event ${JSON.stringify(String(event).slice(0, 60))}`)
    if (typeof listener !== 'function') throw new Error('listener must be a function')
    // The renderer never sees the IPC event object (it holds `sender`).
    const wrapped = (_event: unknown, payload: unknown): void => listener(payload)
    ipcRenderer.on(event, wrapped)
    return () => {
      ipcRenderer.removeListener(event, wrapped)
    }
  },
  /** Versions of the runtime, for the About box. */
  versions: { electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node },
}

export type PreloadApi = typeof api

contextBridge.exposeInMainWorld('api', api)
