/**
 * The only place the renderer reaches the main side. In the desktop app the preload exposes
 * `window.api`; in a browser opened from `mes-trace serve`, the same API is built over the host's
 * WebSocket from the token in the page's URL. Without either, there is no backend (a static
 * preview) and `connectApi` returns null.
 */
import type { Api, Channel, EventName, Events, RequestOf, Responses, Result } from '../../shared/api'
import { parseHostFrame, requestFrame, requestTimeoutMsOf } from '../../shared/wire'

declare global {
  interface Window {
    api?: Api
  }
}

/** A call waiting for its answer. */
interface Pending {
  resolve: (result: Result<unknown>) => void
  timer: ReturnType<typeof setTimeout>
}

/** Options of {@link socketApi}. */
export interface SocketApiOptions {
  /** How long a call of each channel waits for its answer. @default requestTimeoutMsOf (shared/wire.ts) */
  timeoutMsOf?: (channel: Channel) => number
}

/** The answer a call gets when none came in time. */
function timeoutAnswer(channel: Channel, timeoutMs: number): Result<never> {
  const wait = timeoutMs > 60_000 ? `${Math.round(timeoutMs / 60_000)} min` : `${Math.round(timeoutMs / 1000)} s`
  return {
    ok: false,
    error: {
      code: 'ipc/timeout',
      message: `MES Trace did not answer ${channel} within ${wait}. It may still finish; if the page stays stuck, reload it, or start \`mes-trace serve\` again.`,
      details: { channel, timeoutMs },
    },
  }
}

/**
 * `window.api` over the browser host's socket. Every call waits at most its channel's time limit:
 * past it the call is answered with `ipc/timeout`, and an answer that comes later is dropped.
 */
export function socketApi(url: string, options: SocketApiOptions = {}): Api {
  const timeoutMsOf = options.timeoutMsOf ?? requestTimeoutMsOf
  const socket = new WebSocket(url)
  const pending = new Map<number, Pending>()
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()
  const queue: string[] = []
  let nextId = 1
  let closed: Result<unknown> | null = null

  const settle = (id: number, result: Result<unknown>): void => {
    const call = pending.get(id)
    if (!call) return
    pending.delete(id)
    clearTimeout(call.timer)
    call.resolve(result)
  }

  socket.addEventListener('open', () => {
    for (const text of queue.splice(0)) socket.send(text)
  })
  socket.addEventListener('message', (event) => {
    const frame = parseHostFrame(String(event.data))
    if (!frame) return
    if ('event' in frame) {
      for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload)
      return
    }
    // Ids this page gave are numbers; an answer to none of them (given up on, or `id: null` for a
    // message the host could not read) has no call left to answer.
    if (typeof frame.id === 'number') settle(frame.id, frame.result)
  })
  socket.addEventListener('close', () => {
    closed = { ok: false, error: { code: 'internal/unexpected', message: 'The connection to MES Trace closed. Reload the page, or start `mes-trace serve` again.' } }
    for (const id of [...pending.keys()]) settle(id, closed)
  })

  return {
    invoke<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Result<Responses[C]>> {
      if (closed) return Promise.resolve(closed as Result<Responses[C]>)
      const id = nextId++
      const text = JSON.stringify(requestFrame(id, channel, payload))
      const timeoutMs = timeoutMsOf(channel)
      return new Promise((resolve) => {
        const timer = setTimeout(() => settle(id, timeoutAnswer(channel, timeoutMs)), timeoutMs)
        pending.set(id, { resolve: resolve as Pending['resolve'], timer })
        if (socket.readyState === WebSocket.OPEN) socket.send(text)
        else queue.push(text)
      })
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      const set = listeners.get(event) ?? new Set()
      set.add(listener as (payload: unknown) => void)
      listeners.set(event, set)
      return () => set.delete(listener as (payload: unknown) => void)
    },
  }
}

/** The API of this window, or null when the page runs without a backend. */
export function connectApi(location: Location = window.location): Api | null {
  if (window.api) return window.api
  const token = new URLSearchParams(location.search).get('token')
  if (!token) return null
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return socketApi(`${scheme}://${location.host}/api?token=${encodeURIComponent(token)}`)
}

/**
 * Where the browser host serves an exported file (`/download/<name>` with this page's token), or
 * null in the desktop app, where main saves exports where the person chose.
 */
export function downloadUrlOf(name: string, location: Location = window.location): string | null {
  if (window.api) return null
  const token = new URLSearchParams(location.search).get('token')
  if (!token) return null
  return `/download/${encodeURIComponent(name)}?token=${encodeURIComponent(token)}`
}
