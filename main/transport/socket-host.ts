/**
 * The browser host: the same services as the desktop app, reached from a browser on this machine.
 * It serves the built renderer over HTTP on 127.0.0.1 and carries the service contract over one
 * WebSocket (`/api`), in the frames of shared/wire.ts. Every socket must present the random token
 * of the URL the host printed and come from the host's own origin; oversized messages close the
 * socket. Nothing listens beyond the loopback interface.
 *
 * One bad answer never takes the host down: the router turns an answer it cannot encode, or one
 * over its size cap, into an error answer on that call, and a send that fails costs that socket at
 * most. Exports of the workspace are offered as downloads from one folder (`/download/<name>`),
 * with the same token and Host checks as the socket.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { constants, createReadStream, existsSync, statSync } from 'node:fs'
import { lstat, open } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Result } from '../../shared/api.js'
import { AppError } from '../../shared/errors.js'
import { answerFrame, eventFrame, parseRequestFrame, type CallId } from '../../shared/wire.js'
import type { ServiceRouter } from './router.js'
import { onServiceEvent, type JobEvents } from './service-events.js'

/** Largest message a socket may send (a page request is a few hundred bytes; a paste of 100 000 lot IDs ≈ 2.5 MB). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024

/** The Content-Security-Policy every page is served with (the same as the page's own meta tag). */
export const HOST_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/**
 * The headers every page file and download carries, from the host and from the desktop app's
 * `app://` scheme alike: the Content-Security-Policy in the response itself, no MIME sniffing, no
 * referrer, no caching.
 */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': HOST_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

/** Path prefix of the download route. */
const DOWNLOAD_PREFIX = '/download/'

/** Longest file name the download route serves. */
export const MAX_DOWNLOAD_NAME_CHARS = 200

/**
 * Names the download route serves: letters, digits, `.`, `_`, `-`, no leading dot, ending in an
 * export's extension. No separator of any OS and no `%` can appear, so a name is only ever a file
 * directly inside the exports folder.
 */
const DOWNLOAD_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*\.(csv|xlsx|mtr)$/

/** Windows device names, which open a device whatever the extension (`CON.csv`, `com1.mtr`). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i

const DOWNLOAD_TYPES: Readonly<Record<string, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  mtr: 'application/vnd.sqlite3',
}

/**
 * Flags of the download's open: never through a symbolic link, and never blocking on a FIFO put in
 * the file's place after it was checked (both are absent on Windows, where the check after open
 * still refuses anything but the regular file that was looked at).
 */
const DOWNLOAD_OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

/** The file name a download request names, or null when the request is not a valid one. */
export function downloadNameOf(rawPath: string): string | null {
  if (!rawPath.startsWith(DOWNLOAD_PREFIX)) return null
  const name = rawPath.slice(DOWNLOAD_PREFIX.length)
  if (name.length > MAX_DOWNLOAD_NAME_CHARS || !DOWNLOAD_NAME.test(name) || WINDOWS_DEVICE.test(name)) return null
  return name
}

export interface BrowserHostOptions {
  router: ServiceRouter
  /** Where events come from (the job engine); each reaches every socket as the contract's event. */
  events: JobEvents
  /** Folder of the built renderer (`dist/renderer`). */
  rendererDir: string
  /** @default 0 (any free port) */
  port?: number
  /** @default a random 32-byte token */
  token?: string
  /** @default MAX_MESSAGE_BYTES */
  maxMessageBytes?: number
  /**
   * Folder whose files are offered at `/download/<name>?token=…` (the data folder's `exports`).
   * Only regular files directly inside it are served, never through a symbolic link.
   * @default none (every download is 404)
   */
  exportsDir?: string
  /** Receives failures that are bugs (a send or a download that failed unexpectedly), for the log. @default ignored */
  onUnexpectedError?: (error: unknown, what: string) => void
}

export interface BrowserHost {
  /** The URL to open, token included. */
  readonly url: string
  readonly port: number
  readonly token: string
  /** Sockets connected now. */
  clients(): number
  close(): Promise<void>
}

/** The answer to a message that is not a JSON object (no id can be read from it). */
const MALFORMED_MESSAGE_ANSWER = JSON.stringify(
  answerFrame(null, { ok: false, error: { code: 'input/invalid', message: 'message: must be a JSON object { id, channel, payload }', details: { field: 'message' } } }),
)

/** The answer to a call whose own answer could not be sent. */
const UNSENT_ANSWER: Result<never> = {
  ok: false,
  error: { code: 'internal/unexpected', message: 'The answer to this call could not be sent. Try again; if it fails again, the log of the host says why.' },
}

/** Loopback only: the host never listens on a network interface. */
const HOST = '127.0.0.1'

function sameToken(given: string | null, token: string): boolean {
  if (given === null) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function refuse(socket: Duplex, status: number, text: string): void {
  // A client that already went away must not turn the refusal into an unhandled 'error'.
  socket.on('error', () => socket.destroy())
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`)
  socket.destroy()
}

/** Starts the host and resolves once it listens. */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const rendererDir = resolve(options.rendererDir)
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new AppError('internal/unexpected', `The renderer is not built (${join(rendererDir, 'index.html')} is missing): run \`npm run build:renderer\`.`)
  }
  const token = options.token ?? randomBytes(32).toString('base64url')
  const exportsDir = options.exportsDir === undefined ? undefined : resolve(options.exportsDir)
  const sockets = new Map<WebSocket, string>()
  let port = 0
  const report = (error: unknown, what: string): void => {
    try {
      options.onUnexpectedError?.(error, what)
    } catch {
      // A log that fails must not take the host down with it.
    }
  }
  const origins = (): Set<string> => new Set([`http://${HOST}:${port}`, `http://localhost:${port}`])
  const hosts = (): Set<string> => new Set([`${HOST}:${port}`, `localhost:${port}`])

  const serveFile = (req: IncomingMessage, res: ServerResponse): void => {
    // A foreign Host header is a DNS-rebinding page trying to reach us under its own name.
    if (!hosts().has(String(req.headers.host))) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request')
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('Method not allowed')
      return
    }
    // The raw path, before any decoding or dot-segment removal: a download name is taken as sent.
    if ((req.url ?? '').startsWith(DOWNLOAD_PREFIX)) {
      serveDownload(req, res).catch((error: unknown) => {
        report(error, 'download')
        if (!res.headersSent) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found')
        else res.destroy()
      })
      return
    }
    let relative: string
    try {
      relative = decodeURIComponent(new URL(req.url ?? '/', `http://${HOST}:${port}`).pathname)
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Bad request')
      return
    }
    if (relative.includes('\0')) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Bad request')
      return
    }
    if (relative === '/' || relative === '') relative = '/index.html'
    const file = normalize(join(rendererDir, relative))
    if (!file.startsWith(rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found')
      return
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      ...PAGE_SECURITY_HEADERS,
    })
    if (req.method === 'HEAD') res.end()
    else createReadStream(file).pipe(res)
  }

  const notFound = (res: ServerResponse): void => {
    res.writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }).end('Not found')
  }

  /**
   * `GET /download/<name>?token=…`: a regular file directly inside the exports folder, as an
   * attachment. The token is checked before the file system is looked at, and every other failure
   * is the same 404, so the answer never tells whether some path exists.
   */
  const serveDownload = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = req.url ?? ''
    const query = raw.indexOf('?')
    const given = new URLSearchParams(query < 0 ? '' : raw.slice(query + 1)).get('token')
    if (!sameToken(given, token)) {
      res.writeHead(401, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }).end('Unauthorized')
      return
    }
    const name = downloadNameOf(query < 0 ? raw : raw.slice(0, query))
    if (name === null || exportsDir === undefined) return notFound(res)
    const path = join(exportsDir, name)
    const seen = await lstat(path).catch(() => null)
    if (!seen?.isFile()) return notFound(res)
    const handle = await open(path, DOWNLOAD_OPEN_FLAGS).catch(() => null)
    if (!handle) return notFound(res)
    let streaming = false
    try {
      // What was opened must be the regular file that was looked at, not one swapped in since.
      const opened = await handle.stat()
      if (!opened.isFile() || opened.ino !== seen.ino || opened.dev !== seen.dev) return notFound(res)
      res.writeHead(200, {
        'Content-Type': DOWNLOAD_TYPES[name.slice(name.lastIndexOf('.') + 1)]!,
        'Content-Length': opened.size,
        'Content-Disposition': `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
        ...PAGE_SECURITY_HEADERS,
      })
      if (req.method === 'HEAD' || opened.size === 0) {
        res.end()
        return
      }
      streaming = true
      // Exactly the bytes announced, even if the file grows meanwhile; the stream closes the handle.
      // A client that goes away mid-download ends the pipeline with an error that is no bug.
      await pipeline(handle.createReadStream({ start: 0, end: opened.size - 1 }), res).catch(() => res.destroy())
    } finally {
      if (!streaming) await handle.close()
    }
  }

  const server: Server = createServer((req, res) => {
    try {
      serveFile(req, res)
    } catch {
      // Whatever a request holds, it must not take the host down.
      if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'text/plain' })
      res.end('Bad request')
    }
  })
  server.on('clientError', (_error, socket) => socket.destroy())
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? MAX_MESSAGE_BYTES })

  server.on('upgrade', (req, socket, head) => {
    let url: URL
    try {
      url = new URL(req.url ?? '/', `http://${HOST}:${port}`)
    } catch {
      return refuse(socket, 400, 'Bad request')
    }
    if (url.pathname !== '/api') return refuse(socket, 404, 'Not found')
    if (!hosts().has(String(req.headers.host))) return refuse(socket, 421, 'Misdirected request')
    if (!sameToken(url.searchParams.get('token'), token)) return refuse(socket, 401, 'Unauthorized')
    if (!origins().has(String(req.headers.origin))) return refuse(socket, 403, 'Forbidden')
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  /**
   * Sends one text. A send that throws (the answer's buffer cannot be allocated…) is followed by a
   * small error answer on the same call, so the page does not wait forever; a write that fails
   * later means the connection is broken, and only that socket is dropped.
   */
  const send = (ws: WebSocket, text: string, answerTo?: { id: CallId }): void => {
    if (ws.readyState !== ws.OPEN) return
    const dropOnFailure = (error?: Error): void => {
      if (error) ws.terminate()
    }
    try {
      ws.send(text, dropOnFailure)
    } catch (error) {
      report(error, 'send')
      try {
        if (answerTo) ws.send(JSON.stringify(answerFrame(answerTo.id, UNSENT_ANSWER)), dropOnFailure)
        else ws.terminate()
      } catch {
        ws.terminate()
      }
    }
  }

  wss.on('connection', (ws: WebSocket) => {
    const clientId = `ws-${randomUUID()}`
    sockets.set(ws, clientId)
    ws.on('message', (data, isBinary) => {
      const frame = isBinary ? null : parseRequestFrame(data.toString())
      if (!frame) {
        send(ws, MALFORMED_MESSAGE_ANSWER)
        return
      }
      const { id } = frame
      // The router never rejects; should that ever break, the call still gets an answer.
      options.router.invokeAsJson(id, frame.channel, frame.payload, { clientId }).then(
        (text) => send(ws, text, { id }),
        (error: unknown) => {
          report(error, 'call')
          send(ws, JSON.stringify(answerFrame(id, UNSENT_ANSWER)))
        },
      ).catch((error: unknown) => report(error, 'send'))
    })
    ws.on('close', () => {
      sockets.delete(ws)
      options.router.forget(clientId)
    })
    ws.on('error', () => ws.terminate())
  })

  // An event that cannot be encoded is lost, not the host.
  const unsubscribe = onServiceEvent(
    options.events,
    (event, payload) => {
      const text = JSON.stringify(eventFrame(event, payload))
      for (const ws of sockets.keys()) send(ws, text)
    },
    report,
  )

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject)
      resolveListen()
    })
  })
  // Past start, a server error (out of file descriptors while accepting…) is logged, not thrown.
  server.on('error', (error) => report(error, 'server'))
  wss.on('error', (error) => report(error, 'server'))
  const address = server.address()
  port = typeof address === 'object' && address ? address.port : 0

  return {
    url: `http://${HOST}:${port}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    clients: () => sockets.size,
    async close() {
      unsubscribe()
      for (const ws of sockets.keys()) ws.terminate()
      wss.close()
      await new Promise<void>((done) => server.close(() => done()))
    },
  }
}
