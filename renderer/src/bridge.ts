/**
 * The only place the renderer reaches the main side. In the desktop app the preload exposes
 * `window.api`; in a browser opened from `mes-trace serve`, the same API is built over the host's
 * WebSocket from the token in the page's URL. Without either, there is no backend (a static
 * preview) and `connectApi` returns null.
 */
import type { Api, Channel, EventName, Events, RequestOf, Responses, Result } from '../../shared/api'

declare global {
  interface Window {
    api?: Api
  }
}

type Pending = (result: Result<unknown>) => void

/** `window.api` over the browser host's socket. */
function socketApi(url: string): Api {
  const socket = new WebSocket(url)
  const pending = new Map<number, Pending>()
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()
  const queue: string[] = []
  let nextId = 1
  let closed: Result<unknown> | null = null

  socket.addEventListener('open', () => {
    for (const text of queue.splice(0)) socket.send(text)
  })
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number | null; result?: Result<unknown>; event?: EventName; payload?: unknown }
    if (message.event) {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload)
      return
    }
    if (typeof message.id === 'number' && message.result) {
      pending.get(message.id)?.(message.result)
      pending.delete(message.id)
    }
  })
  socket.addEventListener('close', () => {
    closed = { ok: false, error: { code: 'internal/unexpected', message: 'The connection to MES Trace closed. Reload the page, or start `mes-trace serve` again.' } }
    for (const resolve of pending.values()) resolve(closed)
    pending.clear()
  })

  return {
    invoke<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Result<Responses[C]>> {
      if (closed) return Promise.resolve(closed as Result<Responses[C]>)
      const id = nextId++
      const text = JSON.stringify({ id, channel, payload })
      return new Promise((resolve) => {
        pending.set(id, resolve as Pending)
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
