/**
 * A fake of the `electron` module for the main process, loaded in place of the real one by
 * hooks.mjs so the compiled shell (dist/main/electron/index.js) runs under plain Node. It follows
 * Electron's documented API closely enough to fail where Electron would: the rules it enforces are
 * listed beside each part, with the documentation page they come from (electronjs.org/docs/latest/
 * api/<page>; "source" marks a rule taken from Electron's own lib/browser code where the page is
 * silent).
 *
 * A test drives it over the Node IPC channel of the shell's process (FAKE_ELECTRON_CONTROL=ipc):
 * requests `{ kind: 'request', id, op, args }` are answered with `{ kind: 'response', id, ok,
 * value | error }`, and everything the shell does through Electron is pushed as
 * `{ kind: 'record', type, data }` (see `record`). That channel belongs to the shell's process
 * only; utility processes get none (utility-preload.mjs).
 *
 * Environment:
 * - FAKE_ELECTRON_CONTROL=ipc — talk to the parent over process.send (otherwise records stay local);
 * - FAKE_ELECTRON_APP_DATA, FAKE_ELECTRON_HOME — the `appData` and `home` folders (temp folders in tests);
 * - FAKE_ELECTRON_LOCALE — `app.getLocale()` (default en-US);
 * - FAKE_ELECTRON_READY=manual — `ready` waits for the `ready` request instead of the entry's end;
 * - FAKE_ELECTRON_INSTANCE_LOCK=held — another instance holds the single-instance lock;
 * - FAKE_ELECTRON_STORAGE_BACKEND — what `safeStorage.getSelectedStorageBackend()` answers on Linux.
 */
import { spawn } from 'node:child_process'
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { dirname, extname, isAbsolute, join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { deserialize, serialize } from 'node:v8'
import { encodeFrame, FrameDecoder } from './frames.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const UTILITY_PRELOAD_URL = pathToFileURL(join(HERE, 'utility-preload.mjs')).href
/** The Electron version the project pins (package.json devDependencies). */
const ELECTRON_VERSION = '41.7.1'

// ---------------------------------------------------------------------------------------------
// Records and the control channel

const control = process.env.FAKE_ELECTRON_CONTROL === 'ipc' && typeof process.send === 'function'

/** A structured-clone-safe copy for the control channel (functions become their names). */
function cloneable(value) {
  try {
    return deserialize(serialize(value))
  } catch {
    return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === 'function' ? `[function ${v.name}]` : typeof v === 'bigint' ? String(v) : v)) ?? 'null')
  }
}

/** Tells the test what the shell just did through Electron. */
function record(type, data = {}) {
  if (control && process.connected) process.send({ kind: 'record', type, data: cloneable(data), at: Date.now() })
}

/** An Electron `Event`: `preventDefault()` and `defaultPrevented` (structures/event doc), plus params. */
function makeEvent(params = {}) {
  const event = {
    ...params,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true
    },
  }
  return event
}

// ---------------------------------------------------------------------------------------------
// process: what Electron adds to Node's process object in the main process (process doc)

process.type = 'browser'
process.defaultApp = true
for (const [name, value] of Object.entries({ electron: ELECTRON_VERSION, chrome: '146.0.0.0' })) {
  Object.defineProperty(process.versions, name, { value, enumerable: true, configurable: true, writable: false })
}

/** The app's package.json: the nearest one above the entry script (how `electron .` finds the app). */
function appPackage() {
  let dir = dirname(resolve(process.argv[1] ?? '.'))
  for (;;) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) return { dir, json: JSON.parse(readFileSync(file, 'utf8')) }
    const up = dirname(dir)
    if (up === dir) return { dir: process.cwd(), json: {} }
    dir = up
  }
}
const PACKAGE = appPackage()
// In a development run (`electron .`) resourcesPath is the resources folder beside Electron's binary.
process.resourcesPath = join(PACKAGE.dir, 'node_modules', 'electron', 'dist', 'resources')

// ---------------------------------------------------------------------------------------------
// app (app doc)

/** `app.getPath` names (app doc, "app.getPath(name)"); any other name throws. */
const PATH_NAMES = ['home', 'appData', 'assets', 'userData', 'sessionData', 'temp', 'exe', 'module', 'desktop', 'documents', 'downloads', 'music', 'pictures', 'videos', 'recent', 'logs', 'crashDumps']

class App extends EventEmitter {
  #isReady = false
  #resolveReady
  #readyPromise = new Promise((resolve) => (this.#resolveReady = resolve))
  #hasLock = false
  #quitting = false
  #exiting = false
  #paths = new Map()

  whenReady() {
    return this.#readyPromise
  }

  isReady() {
    return this.#isReady
  }

  /** Emits `will-finish-launching` then `ready` (app doc: on Linux and Windows the two coincide). */
  _emitReady() {
    if (this.#isReady) return
    this.emit('will-finish-launching')
    this.#isReady = true
    record('ready')
    this.emit('ready', makeEvent(), {})
    this.#resolveReady()
  }

  get isPackaged() {
    // Never packaged here: the shell imports electron-updater only when packaged.
    return false
  }

  getName() {
    return PACKAGE.json.productName ?? PACKAGE.json.name ?? 'Electron'
  }

  /** app doc: the version in the app's package.json when not packaged. */
  getVersion() {
    return PACKAGE.json.version ?? ELECTRON_VERSION
  }

  getLocale() {
    return process.env.FAKE_ELECTRON_LOCALE || 'en-US'
  }

  getAppPath() {
    return PACKAGE.dir
  }

  /** app doc: `getPath(name)` "throws an Error if the path is not found" (source: "Failed to get '<name>' path"). */
  getPath(name) {
    if (this.#paths.has(name)) return this.#paths.get(name)
    const home = process.env.FAKE_ELECTRON_HOME || homedir()
    const appData = process.env.FAKE_ELECTRON_APP_DATA || join(home, '.config')
    const paths = {
      home,
      appData,
      assets: process.resourcesPath,
      userData: join(appData, this.getName()),
      sessionData: join(appData, this.getName()),
      temp: tmpdir(),
      exe: process.execPath,
      module: process.execPath,
      desktop: join(home, 'Desktop'),
      documents: join(home, 'Documents'),
      downloads: join(home, 'Downloads'),
      music: join(home, 'Music'),
      pictures: join(home, 'Pictures'),
      videos: join(home, 'Videos'),
      logs: join(appData, this.getName(), 'logs'),
      crashDumps: join(appData, this.getName(), 'Crashpad'),
    }
    if (!PATH_NAMES.includes(name) || paths[name] === undefined || (name === 'recent' && process.platform !== 'win32')) {
      throw new Error(`Failed to get '${name}' path`)
    }
    return paths[name]
  }

  setPath(name, path) {
    if (!isAbsolute(path)) throw new Error(`Path must be absolute: ${path}`)
    this.#paths.set(name, path)
  }

  /**
   * app doc, "app.requestSingleInstanceLock([additionalData])": true for the first instance; a
   * second instance gets false "and should quit immediately", and the first gets `second-instance`.
   */
  requestSingleInstanceLock(additionalData) {
    record('request-single-instance-lock', { additionalData: additionalData ?? null })
    this.#hasLock = process.env.FAKE_ELECTRON_INSTANCE_LOCK !== 'held'
    return this.#hasLock
  }

  hasSingleInstanceLock() {
    return this.#hasLock
  }

  releaseSingleInstanceLock() {
    this.#hasLock = false
  }

  /** app doc, "app.getAppMetrics()": the main process and every live child (memory in KB). */
  getAppMetrics() {
    const metric = (pid, type, serviceName) => ({ pid, type, serviceName, creationTime: Date.now(), cpu: { percentCPUUsage: 0, idleWakeupsPerSecond: 0 }, memory: { workingSetSize: rssKb(pid), peakWorkingSetSize: rssKb(pid) } })
    return [metric(process.pid, 'Browser'), ...utilityProcesses.filter((u) => u.pid !== undefined).map((u) => metric(u.pid, 'Utility', u.serviceName))]
  }

  focus() {}
  setAppUserModelId() {}
  addRecentDocument() {}

  /**
   * app doc, "app.quit()": emits `before-quit` first (preventDefault stops the quit); then closes
   * every window (a window's `close` can cancel it); then `will-quit` (preventDefault stops it);
   * then `quit`, and the app terminates. `window-all-closed` is not emitted while quitting
   * ("Event: 'window-all-closed'"). Windows close asynchronously, as in Electron.
   */
  quit() {
    if (this.#exiting) return
    const beforeQuit = makeEvent()
    record('before-quit')
    this.emit('before-quit', beforeQuit)
    if (beforeQuit.defaultPrevented) {
      record('quit-prevented', { by: 'before-quit' })
      return
    }
    if (this.#quitting) return
    this.#quitting = true
    setImmediate(() => {
      for (const window of BrowserWindow.getAllWindows()) {
        if (!window._closeForQuit()) {
          this.#quitting = false
          record('quit-prevented', { by: 'close' })
          return
        }
      }
      const willQuit = makeEvent()
      record('will-quit', { liveUtilityProcesses: utilityProcesses.filter((u) => u.isAlive()).map((u) => ({ pid: u.pid, signalled: u.signalled })) })
      this.emit('will-quit', willQuit)
      if (willQuit.defaultPrevented) {
        this.#quitting = false
        record('quit-prevented', { by: 'will-quit' })
        return
      }
      this.emit('quit', makeEvent(), 0)
      this._terminate(0)
    })
  }

  /** app doc, "app.exit([exitCode])": exits at once; `before-quit` and `will-quit` are not emitted. */
  exit(exitCode = 0) {
    record('app-exit', { exitCode })
    this._terminate(exitCode)
  }

  /** The browser process ends; Chromium takes its child processes with it. */
  _terminate(exitCode) {
    if (this.#exiting) return
    this.#exiting = true
    for (const child of utilityProcesses) child._killWithApp()
    record('terminate', { exitCode })
    // Let the last records leave over the control channel before the process goes.
    const done = () => process.exit(exitCode)
    if (control && process.connected) {
      process.send({ kind: 'record', type: 'exiting', data: { exitCode }, at: Date.now() }, () => done())
      setTimeout(done, 1000).unref()
    } else {
      done()
    }
  }
}

function rssKb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status)
    return match ? Number(match[1]) : 0
  } catch {
    return 0
  }
}

export const app = new App()

function requireReady(what) {
  if (!app.isReady()) throw new Error(`${what} can only be used after app is ready`)
}

// ---------------------------------------------------------------------------------------------
// protocol (protocol doc) and net (net doc)

/** Privileges given to custom schemes (`registerSchemesAsPrivileged`). */
const privilegedSchemes = new Map()
/** Handlers of `protocol.handle`. */
const protocolHandlers = new Map()

const MIME_TYPES = {
  '.html': 'text/html',
  '.htm': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
}

/** A URL of a custom scheme as Chromium canonicalizes it: a `standard` scheme parses like http (dot segments, host case). */
function canonicalUrl(url) {
  const parsed = new URL(url)
  const scheme = parsed.protocol.slice(0, -1)
  if (!privilegedSchemes.get(scheme)?.standard) return parsed.href
  const asHttp = new URL(`http:${url.slice(parsed.protocol.length)}`)
  return `${scheme}://${asHttp.host}${asHttp.pathname}${asHttp.search}${asHttp.hash}`
}

/**
 * A request through a `protocol.handle` handler, as Chromium makes it: a real `Request` with the
 * canonical URL. protocol doc, "protocol.handle(scheme, handler)": the handler returns a
 * `Response` or a promise of one; source (lib/browser/api/protocol.ts): anything else, or a
 * throw, fails the request (net::ERR_UNEXPECTED / net::ERR_FAILED).
 */
async function dispatchToHandler(scheme, input, init) {
  const handler = protocolHandlers.get(scheme)
  const url = canonicalUrl(typeof input === 'string' ? input : input.url)
  const request = new Request(url, { method: init?.method ?? (typeof input === 'string' ? 'GET' : input.method), headers: init?.headers ?? (typeof input === 'string' ? undefined : input.headers) })
  let response
  try {
    response = await handler(request)
  } catch (error) {
    console.error(`[fake-electron] protocol handler for ${scheme}: threw`, error)
    throw new Error('net::ERR_FAILED', { cause: error })
  }
  if (!(response instanceof Response)) throw new Error('net::ERR_UNEXPECTED')
  return response
}

/** net doc, "net.fetch": file: URLs are read from disk (Node's own fetch refuses them). */
async function fetchFile(url) {
  let path
  try {
    path = fileURLToPath(url)
  } catch {
    throw new Error('net::ERR_INVALID_URL')
  }
  let stat
  try {
    stat = statSync(path)
  } catch {
    throw new Error('net::ERR_FILE_NOT_FOUND')
  }
  if (!stat.isFile()) throw new Error('net::ERR_FILE_NOT_FOUND')
  const headers = { 'Content-Type': MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': String(stat.size) }
  return new Response(Readable.toWeb(createReadStream(path)), { status: 200, headers })
}

/**
 * net doc, "net.fetch(input[, init])": Chromium's network stack; "requests made with net.fetch can
 * be made to custom protocols as well as file:", unless `bypassCustomProtocolHandlers` is set;
 * "net.fetch() does not support the data: or blob: schemes". Uses the default session, so only
 * after ready.
 */
async function netFetch(input, init = {}) {
  void session.defaultSession
  const url = new URL(typeof input === 'string' ? input : input.url)
  const scheme = url.protocol.slice(0, -1)
  if (scheme === 'data' || scheme === 'blob') throw new TypeError(`net.fetch does not support the ${scheme}: scheme`)
  if (protocolHandlers.has(scheme) && init.bypassCustomProtocolHandlers !== true) return dispatchToHandler(scheme, input, init)
  if (scheme === 'file') return fetchFile(url.href)
  if (scheme === 'http' || scheme === 'https') {
    const { bypassCustomProtocolHandlers: _ignored, ...rest } = init
    return fetch(input, rest)
  }
  throw new Error('net::ERR_UNKNOWN_URL_SCHEME')
}

export const net = {
  fetch: netFetch,
  isOnline: () => true,
  get online() {
    return true
  },
}

const protocolMethods = {
  /**
   * protocol doc, "protocol.handle(scheme, handler)"; source: a scheme handled already throws
   * "Failed to register protocol: <scheme>".
   */
  handle(scheme, handler) {
    if (typeof handler !== 'function') throw new TypeError('handler must be a function')
    if (protocolHandlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`)
    protocolHandlers.set(scheme, handler)
    record('protocol-handle', { scheme })
  },
  unhandle(scheme) {
    protocolHandlers.delete(scheme)
  },
  isProtocolHandled(scheme) {
    return protocolHandlers.has(scheme)
  },
}

/**
 * protocol doc: "All methods unless specified can only be used after the ready event of the app
 * module gets emitted". Source (lib/browser/api/protocol.ts): before ready those methods are not
 * there at all (the module forwards to `session.defaultSession.protocol` only once the app is
 * ready), so calling one throws a TypeError.
 */
export const protocol = new Proxy(
  {
    /**
     * protocol doc, "protocol.registerSchemesAsPrivileged(customSchemes)": "This method can only
     * be used before the ready event of the app module gets emitted and can be called only once."
     * Source: after ready it throws "protocol.registerSchemesAsPrivileged should be called before
     * app is ready".
     */
    registerSchemesAsPrivileged(customSchemes) {
      if (app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready')
      if (!Array.isArray(customSchemes)) throw new TypeError('customSchemes must be an array')
      for (const entry of customSchemes) {
        if (typeof entry?.scheme !== 'string') throw new TypeError('scheme must be a string')
        privilegedSchemes.set(entry.scheme, { ...(entry.privileges ?? {}) })
      }
      record('register-schemes-as-privileged', { customSchemes, beforeReady: true })
    },
    getStandardSchemes() {
      return [...privilegedSchemes].filter(([, p]) => p.standard).map(([s]) => s)
    },
  },
  {
    get(target, property) {
      if (property in target) return target[property]
      if (!app.isReady()) return undefined
      return protocolMethods[property]
    },
  },
)

// ---------------------------------------------------------------------------------------------
// session (session doc, web-request doc)

class WebRequest {
  listeners = new Map()

  /** web-request doc: `onHeadersReceived([filter, ]listener)`; `listener(details, callback)`; null removes it. */
  onHeadersReceived(filterOrListener, maybeListener) {
    const listener = typeof filterOrListener === 'function' || filterOrListener === null ? filterOrListener : maybeListener
    const filter = typeof filterOrListener === 'object' && filterOrListener !== null ? filterOrListener : { urls: [] }
    if (listener === null || listener === undefined) this.listeners.delete('onHeadersReceived')
    else this.listeners.set('onHeadersReceived', { filter, listener })
    record('web-request-listener', { name: 'onHeadersReceived', set: Boolean(listener) })
  }

  /** Runs the `onHeadersReceived` listener for one response; resolves with what its callback got. */
  _headersReceived(details) {
    const entry = this.listeners.get('onHeadersReceived')
    if (!entry) return Promise.resolve({ responseHeaders: details.responseHeaders })
    return new Promise((resolveCallback) => entry.listener(details, (response = {}) => resolveCallback(response)))
  }
}

class Session extends EventEmitter {
  webRequest = new WebRequest()
  permissionRequestHandler = null
  permissionCheckHandler = null

  get protocol() {
    return protocol
  }

  /** session doc: `setPermissionRequestHandler(handler | null)`; `handler(webContents, permission, callback, details)`. */
  setPermissionRequestHandler(handler) {
    this.permissionRequestHandler = handler
    record('permission-handler', { kind: 'request', set: typeof handler === 'function' })
  }

  /** session doc: `setPermissionCheckHandler(handler | null)`; `handler(webContents, permission, requestingOrigin, details)` returns a boolean. */
  setPermissionCheckHandler(handler) {
    this.permissionCheckHandler = handler
    record('permission-handler', { kind: 'check', set: typeof handler === 'function' })
  }

  fetch(input, init) {
    return netFetch(input, init)
  }

  getUserAgent() {
    return `Mozilla/5.0 Electron/${ELECTRON_VERSION}`
  }
}

const defaultSession = new Session()

export const session = {
  /** session doc: the default session; source (shell/browser/api/electron_api_session.cc): not before ready. */
  get defaultSession() {
    if (!app.isReady()) throw new Error('Session can only be received when app is ready')
    return defaultSession
  },
  fromPartition() {
    if (!app.isReady()) throw new Error('Session can only be received when app is ready')
    return defaultSession
  },
}

// ---------------------------------------------------------------------------------------------
// ipcMain (ipc-main doc)

class IpcMain extends EventEmitter {
  _invokeHandlers = new Map()

  /**
   * ipc-main doc, "ipcMain.handle(channel, listener)"; source (lib/browser/ipc-main-impl.ts): a
   * second handler for a channel throws "Attempted to register a second handler for '<channel>'",
   * a non-function throws "Expected handler to be a function, but found type '<type>'".
   */
  handle(channel, listener) {
    record('ipc-handle', { channel })
    if (this._invokeHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    if (typeof listener !== 'function') throw new TypeError(`Expected handler to be a function, but found type '${typeof listener}'`)
    this._invokeHandlers.set(channel, listener)
  }

  handleOnce(channel, listener) {
    this.handle(channel, (event, ...args) => {
      this.removeHandler(channel)
      return listener(event, ...args)
    })
  }

  removeHandler(channel) {
    this._invokeHandlers.delete(channel)
  }
}

export const ipcMain = new IpcMain()

/** The invoke path of a renderer (`ipcRenderer.invoke`), as main sees it. */
async function invokeFromRenderer({ webContentsId, channel, args = [], frameUrl, subframe = false, frameGone = false }) {
  const contents = webContentsById.get(webContentsId)
  if (!contents || contents.isDestroyed()) throw new Error(`no live webContents ${webContentsId}`)
  // ipc-renderer doc, "ipcRenderer.invoke": arguments go through the structured clone algorithm.
  const cloned = deserialize(serialize(args))
  const url = frameUrl ?? contents.getURL()
  const top = { url: contents.getURL(), origin: new URL(contents.getURL() || 'about:blank').origin, parent: null, frames: [], name: '', processId: 1, routingId: 1, frameTreeNodeId: 1, isDestroyed: () => false }
  top.top = top
  const frame = subframe ? { url, origin: new URL(url).origin, parent: top, top, frames: [], name: 'child', processId: 1, routingId: 2, frameTreeNodeId: 2, isDestroyed: () => false } : { ...top, url, origin: new URL(url).origin }
  if (!subframe) frame.top = frame
  // ipc-main-invoke-event doc: `sender` is the WebContents, `senderFrame` the WebFrameMain (null
  // when the frame navigated or was destroyed), `processId`, `frameId`.
  const event = makeEvent({ type: 'frame', sender: contents, senderFrame: frameGone ? null : frame, processId: 1, frameId: frame.routingId })
  const handler = ipcMain._invokeHandlers.get(channel)
  // Source (lib/browser/api/web-contents.ts '-ipc-invoke'): a channel nobody handles, or a handler
  // that throws, rejects the renderer's invoke with "Error invoking remote method '<channel>': <error>".
  if (!handler) return { rejected: `Error invoking remote method '${channel}': Error: No handler registered for '${channel}'` }
  try {
    const result = await handler(event, ...cloned)
    try {
      return { value: deserialize(serialize(result)) }
    } catch (error) {
      return { rejected: `Error invoking remote method '${channel}': ${String(error)}` }
    }
  } catch (error) {
    console.error(`Error occurred in handler for '${channel}':`, error)
    return { rejected: `Error invoking remote method '${channel}': ${String(error)}` }
  }
}

// ---------------------------------------------------------------------------------------------
// BrowserWindow and webContents (browser-window doc, web-contents doc)

let nextWebContentsId = 1
let nextWindowId = 1
const webContentsById = new Map()
const windows = new Map()

/** webContents events the guard must refuse, with the arguments Electron passes (web-contents doc). */
const NAVIGATION_EVENTS = ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']

class WebContents extends EventEmitter {
  #destroyed = false
  #url = ''
  #openHandler = null

  constructor(owner, webPreferences) {
    super()
    this.id = nextWebContentsId++
    this.owner = owner
    this.webPreferences = webPreferences
    this.session = defaultSession
    webContentsById.set(this.id, this)
  }

  getURL() {
    return this.#url
  }

  isDestroyed() {
    return this.#destroyed
  }

  isLoading() {
    return false
  }

  #alive(method) {
    if (this.#destroyed) throw new TypeError(`Object has been destroyed (webContents.${method})`)
  }

  /**
   * web-contents doc, "contents.send(channel, ...args)": arguments are serialized with the
   * structured clone algorithm ("Sending Functions, Promises, Symbols, WeakMaps, or WeakSets will
   * throw an exception").
   */
  send(channel, ...args) {
    this.#alive('send')
    if (typeof channel !== 'string') throw new TypeError('Missing required channel argument')
    const cloned = deserialize(serialize(args))
    record('webcontents-send', { webContentsId: this.id, channel, args: cloned })
  }

  /** web-contents doc, "contents.setWindowOpenHandler(handler)". */
  setWindowOpenHandler(handler) {
    this.#openHandler = handler
    record('window-open-handler', { webContentsId: this.id })
  }

  /** A page's `window.open(url)`: asks the handler; `{ action: 'deny' }` opens nothing. */
  _windowOpen(url) {
    const details = { url, frameName: '', features: '', disposition: 'new-window', referrer: { url: this.#url, policy: 'strict-origin-when-cross-origin' } }
    if (!this.#openHandler) return { action: 'allow' }
    const answer = this.#openHandler(details)
    if (answer?.action !== 'allow' && answer?.action !== 'deny') throw new Error('setWindowOpenHandler: the handler must return { action: "allow" | "deny" }')
    if (answer.action === 'allow') new BrowserWindow({ ...(answer.overrideBrowserWindowOptions ?? {}), show: false }).loadURL(url).catch(() => undefined)
    return { action: answer.action }
  }

  /** Fires one of the navigation events as a page would trigger it; returns whether it was prevented. */
  _navigate(name, url) {
    if (!NAVIGATION_EVENTS.includes(name)) throw new Error(`not a navigation event: ${name}`)
    const frame = { url: this.#url, parent: null }
    let event
    if (name === 'will-attach-webview') {
      event = makeEvent()
      this.emit(name, event, { preload: '', nodeIntegration: false }, { src: url, instanceId: '1' })
    } else if (name === 'will-frame-navigate') {
      event = makeEvent({ url, isMainFrame: true, frame, initiator: frame, isSameDocument: false })
      this.emit(name, event)
    } else {
      event = makeEvent({ url, isMainFrame: true, frame, initiator: frame, isSameDocument: false })
      this.emit(name, event, url, false, true, 1, 1)
    }
    if (!event.defaultPrevented && name !== 'will-attach-webview') this.#url = url
    return { prevented: event.defaultPrevented }
  }

  /**
   * web-contents doc, "contents.loadURL(url)": resolves when the page has finished loading
   * (`did-finish-load`), rejects when it fails (`did-fail-load`). A custom scheme goes through its
   * `protocol.handle` handler; the webRequest hooks are not run for it (the page only gets what
   * the handler's own response carries).
   */
  async loadURL(url) {
    this.#alive('loadURL')
    const preload = this.webPreferences?.preload
    if (preload !== undefined && (!isAbsolute(preload) || !existsSync(preload))) console.error(`Unable to load preload script: ${preload}`)
    const scheme = new URL(url).protocol.slice(0, -1)
    let response
    try {
      if (protocolHandlers.has(scheme)) response = await dispatchToHandler(scheme, url)
      else if (scheme === 'file') response = await fetchFile(url)
      else throw new Error('net::ERR_UNKNOWN_URL_SCHEME')
    } catch (error) {
      this.emit('did-fail-load', makeEvent(), -2, String(error.message), url, true)
      record('load', { webContentsId: this.id, url, error: String(error.message) })
      throw new Error(`${error.message} loading '${url}'`, { cause: error })
    }
    const body = Buffer.from(await response.arrayBuffer())
    this.#url = canonicalUrl(url)
    record('load', { webContentsId: this.id, url: this.#url, status: response.status, headers: Object.fromEntries(response.headers), bytes: body.length })
    this.emit('dom-ready', makeEvent())
    this.emit('did-finish-load', makeEvent())
    this.owner?._loaded()
  }

  async printToPDF() {
    this.#alive('printToPDF')
    return Buffer.from('%PDF-1.4\n%fake\n')
  }

  _destroy() {
    if (this.#destroyed) return
    this.#destroyed = true
    webContentsById.delete(this.id)
    this.emit('destroyed')
  }
}

export const webContents = {
  /** web-contents doc, "webContents.fromId(id)": the WebContents, or undefined. */
  fromId(id) {
    return webContentsById.get(id)
  },
  getAllWebContents() {
    return [...webContentsById.values()]
  },
  getFocusedWebContents() {
    return [...windows.values()].find((w) => w.isFocused())?.webContents ?? null
  },
}

export class BrowserWindow extends EventEmitter {
  #destroyed = false
  #visible = false
  #maximized = false
  #minimized = false
  #focused = false
  #hasShownReady = false
  #bounds

  /** browser-window doc: "You cannot use this module until the ready event of the app module is emitted." */
  constructor(options = {}) {
    super()
    if (!app.isReady()) throw new Error('Cannot create BrowserWindow before app is ready')
    this.id = nextWindowId++
    this.options = options
    this.#bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 }
    this.#visible = options.show !== false
    this.webContents = new WebContents(this, options.webPreferences ?? {})
    windows.set(this.id, this)
    record('window-created', { windowId: this.id, webContentsId: this.webContents.id, options })
    // app doc: 'web-contents-created' for every new webContents, then 'browser-window-created'.
    app.emit('web-contents-created', makeEvent(), this.webContents)
    app.emit('browser-window-created', makeEvent(), this)
  }

  static getAllWindows() {
    return [...windows.values()]
  }

  static getFocusedWindow() {
    return [...windows.values()].find((w) => w.isFocused()) ?? null
  }

  /** browser-window doc: the window that owns `webContents`, or null. */
  static fromWebContents(contents) {
    return [...windows.values()].find((w) => w.webContents === contents) ?? null
  }

  static fromId(id) {
    return windows.get(id) ?? null
  }

  #alive(method) {
    if (this.#destroyed) throw new TypeError(`Object has been destroyed (BrowserWindow.${method})`)
  }

  loadURL(url) {
    this.#alive('loadURL')
    return this.webContents.loadURL(url)
  }

  /** browser-window doc, "Event: 'ready-to-show'": once, after the first paint, for a window made with show: false. */
  _loaded() {
    if (this.#hasShownReady || this.#destroyed) return
    this.#hasShownReady = true
    this.emit('ready-to-show')
  }

  show() {
    this.#alive('show')
    this.#visible = true
    this.#focused = true
    record('window-show', { windowId: this.id })
  }

  hide() {
    this.#visible = false
  }

  isVisible() {
    return this.#visible
  }

  focus() {
    this.#alive('focus')
    this.#focused = true
    record('window-focus', { windowId: this.id })
  }

  isFocused() {
    return this.#focused
  }

  maximize() {
    this.#maximized = true
  }

  unmaximize() {
    this.#maximized = false
  }

  isMaximized() {
    return this.#maximized
  }

  minimize() {
    this.#minimized = true
  }

  isMinimized() {
    return this.#minimized
  }

  restore() {
    this.#minimized = false
    record('window-restore', { windowId: this.id })
  }

  getBounds() {
    return { ...this.#bounds }
  }

  getNormalBounds() {
    this.#alive('getNormalBounds')
    return { ...this.#bounds }
  }

  setBounds(bounds) {
    this.#bounds = { ...this.#bounds, ...bounds }
  }

  getTitle() {
    return this.options.title ?? ''
  }

  /** browser-window doc, "win.setProgressBar(progress[, options])": a number; below 0 removes it. */
  setProgressBar(progress, options) {
    this.#alive('setProgressBar')
    if (typeof progress !== 'number' || Number.isNaN(progress)) throw new TypeError('progress must be a number')
    record('progress-bar', { windowId: this.id, progress, mode: options?.mode ?? null })
  }

  isDestroyed() {
    return this.#destroyed
  }

  /** browser-window doc, "win.close()": 'close' (preventable), then the window is destroyed ('closed'). */
  close() {
    if (this.#destroyed) return
    setImmediate(() => {
      const event = makeEvent()
      this.emit('close', event)
      if (event.defaultPrevented) return
      this.#destroy()
      if (windows.size === 0) app.emit('window-all-closed')
    })
  }

  /** Closing for `app.quit()`: false when the window refused. */
  _closeForQuit() {
    if (this.#destroyed) return true
    const event = makeEvent()
    this.emit('close', event)
    if (event.defaultPrevented) return false
    this.#destroy()
    return true
  }

  destroy() {
    this.#destroy()
  }

  #destroy() {
    if (this.#destroyed) return
    this.#destroyed = true
    windows.delete(this.id)
    this.webContents._destroy()
    record('window-closed', { windowId: this.id })
    this.emit('closed')
  }
}

// ---------------------------------------------------------------------------------------------
// dialog (dialog doc)

let nextDialogId = 1
const pendingDialogs = new Map()
/** Answers queued by the test for dialogs not yet shown, per method. */
const scriptedAnswers = { showMessageBox: [], showSaveDialog: [], showOpenDialog: [] }

const MESSAGE_BOX_TYPES = ['none', 'info', 'warning', 'error', 'question']

/** dialog doc: an optional parent window first; a non-window first argument is the options. */
function windowAndOptions(window, options) {
  if (window !== null && window !== undefined && !(window instanceof BrowserWindow)) return [null, window]
  return [window ?? null, options]
}

function showDialog(method, window, options) {
  const id = nextDialogId++
  record('dialog', { id, method, windowId: window?.id ?? null, options })
  const scripted = scriptedAnswers[method].shift()
  if (scripted !== undefined) return Promise.resolve(scripted)
  return new Promise((resolveAnswer) => pendingDialogs.set(id, resolveAnswer))
}

export const dialog = {
  /**
   * dialog doc, "dialog.showMessageBox([window, ]options)"; source (lib/browser/api/dialog.ts):
   * "dialog module can only be used after app is ready", options must be an object, `type` one of
   * none/info/warning/error/question ("Invalid message box type"), "Buttons must be an array",
   * title/message/detail strings ("Message must be a string"…). Resolves `{ response, checkboxChecked }`.
   */
  showMessageBox(windowOrOptions, maybeOptions) {
    requireReady('dialog module')
    const [window, options] = windowAndOptions(windowOrOptions, maybeOptions)
    if (typeof options !== 'object' || options === null) throw new TypeError('Options must be an object')
    const { type = 'none', buttons = [], title = '', message = '', detail = '', noLink = false } = options
    if (!MESSAGE_BOX_TYPES.includes(type)) throw new TypeError('Invalid message box type')
    if (!Array.isArray(buttons) || buttons.some((b) => typeof b !== 'string')) throw new TypeError('Buttons must be an array')
    if (typeof title !== 'string') throw new TypeError('Title must be a string')
    if (typeof noLink !== 'boolean') throw new TypeError('noLink must be a boolean')
    if (typeof message !== 'string') throw new TypeError('Message must be a string')
    if (typeof detail !== 'string') throw new TypeError('Detail must be a string')
    return showDialog('showMessageBox', window, options).then((answer) => ({ response: answer.response, checkboxChecked: Boolean(answer.checkboxChecked) }))
  },

  /** dialog doc, "dialog.showSaveDialog([window, ]options)": resolves `{ canceled, filePath }`. */
  showSaveDialog(windowOrOptions, maybeOptions) {
    requireReady('dialog module')
    const [window, options = {}] = windowAndOptions(windowOrOptions, maybeOptions)
    if (typeof options !== 'object' || options === null) throw new TypeError('Options must be an object')
    for (const field of ['title', 'defaultPath', 'buttonLabel', 'message', 'nameFieldLabel']) {
      if (options[field] !== undefined && typeof options[field] !== 'string') throw new TypeError(`${field} must be a string`)
    }
    if (options.filters !== undefined && !Array.isArray(options.filters)) throw new TypeError('Filters must be an array')
    return showDialog('showSaveDialog', window, options).then((answer) => ({ canceled: Boolean(answer.canceled), filePath: answer.canceled ? '' : String(answer.filePath ?? '') }))
  },

  showOpenDialog(windowOrOptions, maybeOptions) {
    requireReady('dialog module')
    const [window, options = {}] = windowAndOptions(windowOrOptions, maybeOptions)
    return showDialog('showOpenDialog', window, options).then((answer) => ({ canceled: Boolean(answer.canceled), filePaths: answer.filePaths ?? [] }))
  },

  /** dialog doc, "dialog.showErrorBox(title, content)": synchronous, may be used before ready. */
  showErrorBox(title, content) {
    if (typeof title !== 'string' || typeof content !== 'string') throw new TypeError('title and content must be strings')
    record('error-box', { title, content })
  },
}

// ---------------------------------------------------------------------------------------------
// Notification, shell, Menu, safeStorage

/** notification doc: `Notification.isSupported()`; `new Notification(options).show()`. */
export class Notification extends EventEmitter {
  constructor(options = {}) {
    super()
    this.title = options.title ?? ''
    this.body = options.body ?? ''
    this.options = options
  }

  static isSupported() {
    return true
  }

  show() {
    record('notification', { title: this.title, body: this.body })
    setImmediate(() => this.emit('show', makeEvent()))
  }

  close() {}
}

export const shell = {
  /** shell doc, "shell.openExternal(url[, options])": Promise<void>. */
  openExternal(url, options) {
    if (typeof url !== 'string') return Promise.reject(new TypeError('url must be a string'))
    record('open-external', { url, options: options ?? null })
    return Promise.resolve()
  },
  /** shell doc, "shell.showItemInFolder(fullPath)". */
  showItemInFolder(fullPath) {
    record('show-item-in-folder', { path: fullPath })
  },
  openPath(path) {
    record('open-path', { path })
    return Promise.resolve('')
  },
  beep() {},
}

/** menu-item doc: the roles a MenuItem may have. */
const MENU_ROLES = new Set([
  'undo', 'redo', 'cut', 'copy', 'paste', 'pasteAndMatchStyle', 'delete', 'selectAll', 'reload', 'forceReload', 'toggleDevTools',
  'resetZoom', 'zoomIn', 'zoomOut', 'toggleSpellChecker', 'togglefullscreen', 'window', 'minimize', 'close', 'help', 'about',
  'services', 'hide', 'hideOthers', 'unhide', 'quit', 'showSubstitutions', 'toggleSmartQuotes', 'toggleSmartDashes',
  'toggleTextReplacement', 'startSpeaking', 'stopSpeaking', 'zoom', 'front', 'appMenu', 'fileMenu', 'editMenu', 'viewMenu',
  'shareMenu', 'recentDocuments', 'toggleTabBar', 'selectNextTab', 'selectPreviousTab', 'showAllTabs', 'mergeAllWindows',
  'clearRecentDocuments', 'moveTabToNewWindow', 'windowMenu',
])

export class MenuItem {
  constructor(options) {
    if (options.role !== undefined && !MENU_ROLES.has(options.role)) throw new Error(`Invalid role: ${options.role}`)
    Object.assign(this, options)
    if (Array.isArray(options.submenu)) this.submenu = Menu.buildFromTemplate(options.submenu)
  }
}

let applicationMenu = null

export class Menu {
  items = []

  append(item) {
    this.items.push(item)
  }

  /**
   * menu doc, "Menu.buildFromTemplate(template)"; source (lib/browser/api/menu.ts): "Invalid
   * template for Menu: Menu template must be an array", and every item needs a label, a role or
   * type 'separator' ("Invalid template for MenuItem: must have at least one of label, role or type").
   */
  static buildFromTemplate(template) {
    if (!Array.isArray(template)) throw new TypeError('Invalid template for Menu: Menu template must be an array')
    const valid = template.every((item) => item !== null && typeof item === 'object' && ('label' in item || 'role' in item || item.type === 'separator'))
    if (!valid) throw new TypeError('Invalid template for MenuItem: must have at least one of label, role or type')
    const menu = new Menu()
    for (const item of template) menu.append(item instanceof MenuItem ? item : new MenuItem(item))
    return menu
  }

  /** menu doc, "Menu.setApplicationMenu(menu)": a Menu or null. */
  static setApplicationMenu(menu) {
    if (menu !== null && !(menu instanceof Menu)) throw new TypeError('Invalid menu')
    applicationMenu = menu
    const describe = (m) => m.items.map((i) => ({ role: i.role ?? null, label: i.label ?? null, type: i.type ?? null, submenu: i.submenu instanceof Menu ? describe(i.submenu) : null }))
    record('application-menu', { items: menu ? describe(menu) : null })
  }

  static getApplicationMenu() {
    return applicationMenu
  }
}

/** A per-run key: what safeStorage encrypts cannot be read by another run, as with a keychain. */
const STORAGE_KEY = createHash('sha256').update(randomBytes(32)).digest()

export const safeStorage = {
  /** safe-storage doc: on Linux true only once the app is ready and a key is available. */
  isEncryptionAvailable() {
    return process.platform !== 'linux' || app.isReady()
  },
  /** safe-storage doc (Linux only): the password store in use; `basic_text` is the hard-coded-key fallback. */
  getSelectedStorageBackend() {
    if (process.platform !== 'linux') throw new Error('getSelectedStorageBackend is only available on Linux')
    return process.env.FAKE_ELECTRON_STORAGE_BACKEND || 'gnome_libsecret'
  },
  /** safe-storage doc, "safeStorage.encryptString(plainText)": a Buffer; throws if encryption is unavailable. */
  encryptString(plainText) {
    if (typeof plainText !== 'string') throw new TypeError('plainText must be a string')
    if (!this.isEncryptionAvailable()) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.')
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', STORAGE_KEY, iv)
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()])
    return Buffer.concat([Buffer.from('v11'), iv, cipher.getAuthTag(), body])
  },
  /** safe-storage doc, "safeStorage.decryptString(encrypted)": throws on data it did not make. */
  decryptString(encrypted) {
    if (!Buffer.isBuffer(encrypted)) throw new TypeError('Expected the first argument of decryptString() to be a buffer')
    try {
      if (encrypted.subarray(0, 3).toString() !== 'v11') throw new Error('prefix')
      const decipher = createDecipheriv('aes-256-gcm', STORAGE_KEY, encrypted.subarray(3, 15))
      decipher.setAuthTag(encrypted.subarray(15, 31))
      return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8')
    } catch {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.')
    }
  },
}

// ---------------------------------------------------------------------------------------------
// utilityProcess (utility-process doc, parent-port doc)

const utilityProcesses = []

/**
 * utility-process doc, "Class: UtilityProcess": an EventEmitter with `spawn` (once, when the child
 * started), `message` (the message, structured-cloned), `exit` (the exit code only — "obtained
 * from waitpid on posix"; a process ended by a signal gets a non-zero code, the signal's number
 * here, never the signal's name) and `error` (experimental: `type`, `location`, `report` when V8
 * hits a fatal error, before `exit`). `pid` is undefined until `spawn` and again after `exit` has
 * been emitted; `stdout`/`stderr` are streams only with stdio 'pipe', null after exit. `kill()`
 * "terminates the process gracefully. On POSIX, it uses SIGTERM" and returns whether it did.
 */
class UtilityProcess extends EventEmitter {
  #child
  #pid
  #exited = false
  #stderrTail = ''
  #decoder = new FrameDecoder()
  #toChild

  constructor(modulePath, args, options, stdio) {
    super()
    this.modulePath = modulePath
    this.serviceName = options.serviceName ?? 'Node Utility Process'
    this.posted = []
    /** Signals main sent it (kill(), or process.kill on its pid), oldest first. */
    this.signalled = []
    // The preload builds process.parentPort; the fork itself has no IPC channel.
    const execArgv = [...(options.execArgv ?? []), '--import', UTILITY_PRELOAD_URL]
    const env = { ...(options.env ?? process.env) }
    // Never hand the shell's own Node IPC channel or this fake's switches to the child.
    for (const name of Object.keys(env)) if (name.startsWith('NODE_CHANNEL_') || name.startsWith('FAKE_ELECTRON_')) delete env[name]
    this.#child = spawn(process.execPath, [...execArgv, modulePath, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', stdio[1], stdio[2], 'pipe', 'pipe'],
      windowsHide: true,
    })
    this.stdout = stdio[1] === 'pipe' ? this.#child.stdout : null
    this.stderr = stdio[2] === 'pipe' ? this.#child.stderr : null
    this.#toChild = this.#child.stdio[3]
    this.#toChild.on('error', () => undefined)
    const fromChild = this.#child.stdio[4]
    fromChild.on('data', (chunk) => {
      for (const message of this.#decoder.push(chunk)) {
        if (this.#exited) continue
        record('utility-message', { pid: this.#pid ?? null, type: message?.type ?? null, jobId: message?.jobId ?? null })
        this.emit('message', message)
      }
    })
    // Watch stderr for V8's fatal-error banner without taking the stream from the shell.
    this.#child.stderr?.on('data', (chunk) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-8192)
    })
    this.#child.once('spawn', () => {
      this.#pid = this.#child.pid
      record('utility-spawn', { pid: this.#pid, modulePath, serviceName: this.serviceName, execArgv: options.execArgv ?? [], args, stdio, envNames: Object.keys(env).sort() })
      this.emit('spawn')
    })
    this.#child.once('error', (error) => {
      // Spawning failed: Electron reports an exit without ever emitting spawn.
      console.error('[fake-electron] utility process could not start:', error)
    })
    // 'close': the process ended and its pipes are drained, so every message it posted came first.
    this.#child.once('close', (code, signal) => {
      this.#exited = true
      const fatal = /FATAL ERROR: ([^\n]*)/.exec(this.#stderrTail)
      if (fatal) this.emit('error', 'FatalError', fatal[1].trim(), this.#stderrTail.slice(-4096))
      const exitCode = code ?? (signal ? osSignalNumber(signal) : 1)
      record('utility-exit', { pid: this.#pid, code: exitCode, signal })
      this.emit('exit', exitCode)
      this.#pid = undefined
      this.stdout = null
      this.stderr = null
    })
  }

  get pid() {
    return this.#pid
  }

  isAlive() {
    return this.#pid !== undefined && !this.#exited
  }

  /** utility-process doc, "child.postMessage(message[, transfer])": structured clone; throws if it cannot. */
  postMessage(message, transfer) {
    if (transfer !== undefined && transfer.length > 0) throw new Error('MessagePortMain transfer is not supported by this fake')
    const frame = encodeFrame(message)
    this.posted.push(message && typeof message === 'object' ? { type: message.type ?? null, jobId: message.jobId ?? null } : { type: typeof message, jobId: null })
    record('utility-post', { pid: this.#pid ?? null, serviceName: this.serviceName, type: message?.type ?? null, jobId: message?.jobId ?? null })
    if (this.#exited) return
    this.#toChild.write(frame)
  }

  kill() {
    if (this.#pid === undefined || this.#exited) return false
    record('utility-kill', { pid: this.#pid })
    this.signalled.push('SIGTERM')
    return this.#child.kill('SIGTERM')
  }

  _killWithApp() {
    if (this.#exited || this.#child.exitCode !== null) return
    try {
      this.#child.kill('SIGKILL')
    } catch {
      // already gone
    }
  }
}

// Main may end a utility process itself with process.kill(pid, …) (UtilityProcess.kill() is only
// SIGTERM). Noted per process, so a test can tell the app's own kills from the end of the app.
const processKill = process.kill.bind(process)
process.kill = function kill(pid, signal) {
  const child = utilityProcesses.find((u) => u.pid === pid)
  if (child && signal !== 0) {
    const name = typeof signal === 'number' ? `signal ${signal}` : (signal ?? 'SIGTERM')
    child.signalled.push(name)
    record('utility-signal', { pid, signal: name })
  }
  return processKill(pid, signal)
}

function osSignalNumber(signal) {
  const numbers = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 }
  return numbers[signal] ?? 1
}

export const utilityProcess = {
  /**
   * utility-process doc, "utilityProcess.fork(modulePath[, args][, options])": `stdio` is
   * 'pipe' | 'ignore' | 'inherit' or an array of those; "configuring stdin to any property other
   * than ignore is not supported and will result in an error". Source
   * (lib/browser/api/utility-process.ts): "utilityProcess cannot be created before app is ready."
   */
  fork(modulePath, args = [], options = {}) {
    if (!app.isReady()) throw new Error('utilityProcess cannot be created before app is ready.')
    if (typeof modulePath !== 'string') throw new TypeError('modulePath must be a string')
    if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) throw new TypeError('args must be an array of strings')
    if (options.execArgv !== undefined && (!Array.isArray(options.execArgv) || options.execArgv.some((a) => typeof a !== 'string'))) throw new TypeError('execArgv must be an array of strings')
    let stdio = ['ignore', 'inherit', 'inherit']
    const allowed = ['pipe', 'ignore', 'inherit']
    if (typeof options.stdio === 'string') {
      if (!allowed.includes(options.stdio)) throw new Error(`stdio must be of the following values: ${allowed.join(', ')}`)
      stdio = ['ignore', options.stdio, options.stdio]
    } else if (Array.isArray(options.stdio)) {
      if (options.stdio[0] !== undefined && options.stdio[0] !== 'ignore') throw new Error('stdin value other than ignore is not supported.')
      for (const value of options.stdio.slice(1, 3)) if (!allowed.includes(value)) throw new Error(`stdio must be of the following values: ${allowed.join(', ')}`)
      stdio = ['ignore', options.stdio[1] ?? 'inherit', options.stdio[2] ?? 'inherit']
    }
    const child = new UtilityProcess(modulePath, args, options, stdio)
    utilityProcesses.push(child)
    return child
  },
}

// ---------------------------------------------------------------------------------------------
// Everything else the electron module exports that the shell does not use yet

export const contextBridge = undefined
export const ipcRenderer = undefined
export const autoUpdater = new EventEmitter()
export const powerMonitor = new EventEmitter()
export const screen = { getPrimaryDisplay: () => ({ workAreaSize: { width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }), getAllDisplays: () => [] }

// ---------------------------------------------------------------------------------------------
// Ready: when the entry has been evaluated (hooks.mjs), unless the test says when.

globalThis[Symbol.for('fake-electron.entry-evaluated')] = () => {
  record('entry-evaluated')
  if (process.env.FAKE_ELECTRON_READY !== 'manual') setImmediate(() => app._emitReady())
}

// ---------------------------------------------------------------------------------------------
// The control channel: what a test may ask for

function windowSummary(window) {
  return { windowId: window.id, webContentsId: window.webContents.id, url: window.webContents.getURL(), visible: window.isVisible(), options: window.options }
}

const operations = {
  ready: () => app._emitReady(),
  /** Emits an app event with Electron's arguments; returns whether a listener prevented its default. */
  'app-emit': ({ name, args = [] }) => {
    const event = makeEvent()
    const known = { 'second-instance': 3, 'open-file': 1, 'open-url': 1, activate: 1, 'window-all-closed': 0 }
    if (!(name in known)) throw new Error(`app event ${name} is not driven by this fake`)
    if (name === 'window-all-closed') app.emit(name)
    else if (name === 'activate') app.emit(name, event, BrowserWindow.getAllWindows().length > 0)
    else app.emit(name, event, ...args)
    return { defaultPrevented: event.defaultPrevented, listeners: app.listenerCount(name) }
  },
  invoke: (args) => invokeFromRenderer(args),
  'ipc-handlers': () => [...ipcMain._invokeHandlers.keys()],
  'fetch-url': async ({ url }) => {
    const scheme = new URL(url).protocol.slice(0, -1)
    if (!protocolHandlers.has(scheme)) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME (${scheme}:)`)
    const response = await dispatchToHandler(scheme, url)
    const body = Buffer.from(await response.arrayBuffer())
    return { url: canonicalUrl(url), status: response.status, headers: Object.fromEntries(response.headers), body }
  },
  'net-fetch': async ({ url }) => {
    const response = await net.fetch(url)
    return { status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) }
  },
  windows: () => BrowserWindow.getAllWindows().map(windowSummary),
  navigate: ({ webContentsId, name, url }) => {
    const contents = webContentsById.get(webContentsId)
    if (!contents) throw new Error(`no webContents ${webContentsId}`)
    return contents._navigate(name, url)
  },
  'window-open': ({ webContentsId, url }) => {
    const contents = webContentsById.get(webContentsId)
    if (!contents) throw new Error(`no webContents ${webContentsId}`)
    return contents._windowOpen(url)
  },
  'permission-request': ({ webContentsId, permission }) =>
    new Promise((resolveAnswer, reject) => {
      const handler = defaultSession.permissionRequestHandler
      if (!handler) return resolveAnswer({ granted: true, handled: false })
      const timer = setTimeout(() => reject(new Error('the permission request handler never called back')), 5000)
      handler(webContentsById.get(webContentsId) ?? null, permission, (granted) => {
        clearTimeout(timer)
        resolveAnswer({ granted, handled: true })
      }, { requestingUrl: webContentsById.get(webContentsId)?.getURL() ?? '', isMainFrame: true })
    }),
  'permission-check': ({ webContentsId, permission, origin }) => {
    const handler = defaultSession.permissionCheckHandler
    if (!handler) return { granted: true, handled: false }
    return { granted: handler(webContentsById.get(webContentsId) ?? null, permission, origin, { isMainFrame: true, requestingUrl: origin }), handled: true }
  },
  'headers-received': ({ url, responseHeaders, resourceType = 'mainFrame' }) =>
    defaultSession.webRequest._headersReceived({ id: 1, url, method: 'GET', resourceType, timestamp: Date.now(), statusLine: 'HTTP/1.1 200 OK', statusCode: 200, responseHeaders }),
  'answer-dialog': ({ id, answer }) => {
    const resolveAnswer = pendingDialogs.get(id)
    if (!resolveAnswer) throw new Error(`no open dialog ${id}`)
    pendingDialogs.delete(id)
    resolveAnswer(answer)
  },
  'script-dialog': ({ method, answer }) => {
    scriptedAnswers[method].push(answer)
  },
  'utility-processes': () =>
    utilityProcesses.map((u) => ({ pid: u.pid ?? null, alive: u.isAlive(), serviceName: u.serviceName, modulePath: u.modulePath, posted: u.posted })),
  quit: () => app.quit(),
}

if (control) {
  // The test that drives this app is gone: end, as a closed app would, rather than linger.
  process.on('disconnect', () => app.exit(1))
  process.on('message', async (message) => {
    if (message?.kind !== 'request') return
    const operation = operations[message.op]
    try {
      if (!operation) throw new Error(`unknown operation ${message.op}`)
      const value = await operation(message.args ?? {})
      process.send({ kind: 'response', id: message.id, ok: true, value: cloneable(value ?? null) })
    } catch (error) {
      process.send({ kind: 'response', id: message.id, ok: false, error: String(error?.stack ?? error) })
    }
  })
}
