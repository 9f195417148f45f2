/**
 * The browser host: the same services as the desktop app, reached from a browser on this machine.
 * It serves the built renderer over HTTP on 127.0.0.1 and carries the service contract over one
 * WebSocket (`/api`). Every socket must present the random token of the URL the host printed and
 * come from the host's own origin; oversized messages close the socket. Nothing listens beyond
 * the loopback interface.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { EventName, Events } from '../../shared/api.js'
import { AppError } from '../../shared/errors.js'
import type { ServiceRouter } from '../ipc/index.js'

/** Largest message a socket may send (a page request is a few hundred bytes; a paste of 100 000 lot IDs ≈ 2.5 MB). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024

/** The Content-Security-Policy every page is served with (the same as the page's own meta tag). */
export const HOST_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

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

/** Where events come from (the job engine). */
export interface EventSource {
  onDidProgress(listener: (event: Events['jobs:did-progress']) => void): () => void
  onDidChangeStatus(listener: (event: Events['jobs:did-change-status']) => void): () => void
}

export interface BrowserHostOptions {
  router: ServiceRouter
  events: EventSource
  /** Folder of the built renderer (`dist/renderer`). */
  rendererDir: string
  /** @default 0 (any free port) */
  port?: number
  /** @default a random 32-byte token */
  token?: string
  /** @default MAX_MESSAGE_BYTES */
  maxMessageBytes?: number
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

/** Loopback only: the host never listens on a network interface. */
const HOST = '127.0.0.1'

function sameToken(given: string | null, token: string): boolean {
  if (given === null) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function refuse(socket: Duplex, status: number, text: string): void {
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
  const sockets = new Map<WebSocket, string>()
  let port = 0
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
      'Content-Security-Policy': HOST_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    })
    if (req.method === 'HEAD') res.end()
    else createReadStream(file).pipe(res)
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

  wss.on('connection', (ws: WebSocket) => {
    const clientId = `ws-${randomUUID()}`
    sockets.set(ws, clientId)
    ws.on('message', (data, isBinary) => {
      let message: { id?: unknown; channel?: unknown; payload?: unknown }
      try {
        if (isBinary) throw new Error('binary')
        message = JSON.parse(data.toString()) as typeof message
        if (typeof message !== 'object' || message === null) throw new Error('not an object')
      } catch {
        ws.send(JSON.stringify({ id: null, result: { ok: false, error: { code: 'input/invalid', message: 'message: must be a JSON object { id, channel, payload }', details: { field: 'message' } } } }))
        return
      }
      const id = typeof message.id === 'number' || typeof message.id === 'string' ? message.id : null
      void options.router.invoke(message.channel, message.payload, { clientId }).then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }))
      })
    })
    ws.on('close', () => {
      sockets.delete(ws)
      options.router.forget(clientId)
    })
    ws.on('error', () => ws.terminate())
  })

  const broadcast = <E extends EventName>(event: E, payload: Events[E]): void => {
    const text = JSON.stringify({ event, payload })
    for (const ws of sockets.keys()) if (ws.readyState === ws.OPEN) ws.send(text)
  }
  const unsubscribe = [
    options.events.onDidProgress((e) => broadcast('jobs:did-progress', e)),
    options.events.onDidChangeStatus((e) => broadcast('jobs:did-change-status', e)),
  ]

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject)
      resolveListen()
    })
  })
  const address = server.address()
  port = typeof address === 'object' && address ? address.port : 0

  return {
    url: `http://${HOST}:${port}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    clients: () => sockets.size,
    async close() {
      for (const stop of unsubscribe) stop()
      for (const ws of sockets.keys()) ws.terminate()
      wss.close()
      await new Promise<void>((done) => server.close(() => done()))
    },
  }
}
