/**
 * Sandboxed preload (CommonJS, as sandboxed preloads must be). Exposes a minimal, typed
 * `window.api`; never `ipcRenderer` itself.
 */
import electron = require('electron')

const { contextBridge } = electron

const api = {
  app: {
    /** Versions of the runtime, for the About box. */
    versions: { electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node },
  },
} as const

export type PreloadApi = typeof api

contextBridge.exposeInMainWorld('api', api)
