/**
 * The Electron transport with fake ipcMain / ipcRenderer / contextBridge (no Electron binary
 * here): the sender-frame check, every channel's malformed payload refused with input/invalid,
 * the compiled preload exposing exactly the contract, and events fanned out to live windows.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runInNewContext } from 'node:vm'
import { describe, expect, it, vi } from 'vitest'
import { CHANNELS, EVENT_NAMES, type Events } from '../../../shared/api.js'
import { EventFanout, isAppFrame, registerIpcTransport, type EventTarget, type IpcTransportOptions } from '../../../main/electron/ipc-transport.js'
import { ServiceRouter, type Handlers } from '../../../main/ipc/index.js'
import { MALFORMED } from '../../fixtures/malformed-payloads.js'

type Handler = (event: unknown, payload: unknown) => Promise<unknown>

/** A stand-in for ipcMain that keeps the handlers it is given. */
function fakeIpcMain(): IpcTransportOptions['ipcMain'] & { handlers: Map<string, Handler> } {
  const handlers = new Map<string, Handler>()
  const fake = {
    handlers,
    handle: (channel: string, handler: Handler) => void handlers.set(channel, handler),
    removeHandler: (channel: string) => void handlers.delete(channel),
  }
  return fake as unknown as IpcTransportOptions['ipcMain'] & { handlers: Map<string, Handler> }
}

const APP_FRAME = { url: 'app://mes-trace/index.html', parent: null }
const event = (frame: unknown, id = 3) => ({ senderFrame: frame, sender: { id } })

describe('isAppFrame', () => {
  it('accepts only the app’s own top-level page', () => {
    expect(isAppFrame(APP_FRAME)).toBe(true)
    expect(isAppFrame({ url: 'app://mes-trace/assets/x.js?y#z', parent: null })).toBe(true)
    for (const url of ['file:///C:/app/index.html', 'https://mes-trace/', 'app://other/index.html', 'http://127.0.0.1:3000/', 'not a url', '']) {
      expect(isAppFrame({ url, parent: null }), url).toBe(false)
    }
    expect(isAppFrame({ url: APP_FRAME.url, parent: {} })).toBe(false)
    expect(isAppFrame(null)).toBe(false)
    expect(isAppFrame(undefined)).toBe(false)
  })
})

describe('registerIpcTransport', () => {
  const router = new ServiceRouter({ handlers: { 'app:version': () => ({ version: '3.2.1' }) } as unknown as Handlers })

  it('registers one handler per channel and removes them all', () => {
    const ipc = fakeIpcMain()
    const dispose = registerIpcTransport({ ipcMain: ipc, router })
    expect([...ipc.handlers.keys()]).toEqual([...CHANNELS])
    dispose()
    expect(ipc.handlers.size).toBe(0)
  })

  it('answers the app’s page and refuses any other sender without running the handler', async () => {
    const ipc = fakeIpcMain()
    const handler = vi.fn(() => ({ version: '3.2.1' }))
    registerIpcTransport({ ipcMain: ipc, router: new ServiceRouter({ handlers: { 'app:version': handler } as unknown as Handlers }) })
    const call = ipc.handlers.get('app:version')!
    expect(await call(event(APP_FRAME), {})).toEqual({ ok: true, value: { version: '3.2.1' } })
    for (const frame of [{ url: 'https://evil.example/', parent: null }, { url: APP_FRAME.url, parent: {} }, null]) {
      expect(await call(event(frame), {})).toMatchObject({ ok: false, error: { code: 'ipc/forbidden' } })
    }
    expect(handler).toHaveBeenCalledTimes(1)
  })

  it('answers with an error, before the structured clone, an answer nested 150 000 levels deep', async () => {
    let deep: unknown[] = []
    for (let i = 0; i < 150_000; i++) deep = [deep]
    const ipc = fakeIpcMain()
    const handlers = { 'app:version': () => deep, 'sources:list': () => [] } as unknown as Handlers
    registerIpcTransport({ ipcMain: ipc, router: new ServiceRouter({ handlers }) })
    const answer = await ipc.handlers.get('app:version')!(event(APP_FRAME), {})
    expect(answer).toMatchObject({ ok: false, error: { code: 'internal/unexpected' } })
    // What Electron would clone next is a small plain object.
    expect(structuredClone(answer)).toEqual(answer)
    expect(await ipc.handlers.get('sources:list')!(event(APP_FRAME), {})).toEqual({ ok: true, value: [] })
  })

  it.each(CHANNELS)('%s refuses a malformed payload with input/invalid naming the field (IPC)', async (channel) => {
    const ipc = fakeIpcMain()
    registerIpcTransport({ ipcMain: ipc, router })
    const [payload, field] = MALFORMED[channel]
    expect(await ipc.handlers.get(channel)!(event(APP_FRAME), payload)).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field } } })
  })
})

describe('the preload', () => {
  const compiled = join(process.cwd(), 'dist', 'main', 'electron', 'preload.cjs')

  function loadPreload() {
    const exposed: Record<string, unknown> = {}
    const ipcRenderer = {
      invoke: vi.fn(async (channel: string, payload: unknown) => ({ ok: true, value: { channel, payload } })),
      on: vi.fn(),
      removeListener: vi.fn(),
    }
    const electron = { contextBridge: { exposeInMainWorld: (name: string, api: unknown) => void (exposed[name] = api) }, ipcRenderer }
    const module = { exports: {} }
    runInNewContext(readFileSync(compiled, 'utf8'), {
      require: (id: string) => {
        if (id !== 'electron') throw new Error(`the sandboxed preload required ${id}`)
        return electron
      },
      module,
      exports: module.exports,
      process: { versions: { electron: '41.7.1', chrome: '146', node: '24' } },
      Promise,
      Set,
      JSON,
      String,
      Error,
    })
    return { api: exposed.api as { invoke(c: string, p: unknown): Promise<unknown>; on(e: string, l: (p: unknown) => void): () => void }, ipcRenderer, exposed }
  }

  it('spells out exactly the contract’s channels and events', () => {
    const source = readFileSync(join(process.cwd(), 'main', 'electron', 'preload.cts'), 'utf8')
    const list = (name: string) => {
      const start = source.indexOf('= [', source.indexOf(`const ${name}:`))
      return [...source.slice(start, source.indexOf(']', start)).matchAll(/'([a-z-]+:[a-z-]+)'/g)].map((m) => m[1])
    }
    expect(list('CHANNELS')).toEqual([...CHANNELS])
    expect(list('EVENTS')).toEqual([...EVENT_NAMES])
  })

  it('exposes only window.api, passes contract channels to ipcRenderer.invoke and refuses others before IPC', async () => {
    const { api, ipcRenderer, exposed } = loadPreload()
    expect(Object.keys(exposed)).toEqual(['api'])
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on', 'versions'])
    for (const channel of CHANNELS) {
      expect(await api.invoke(channel, { x: 1 })).toEqual({ ok: true, value: { channel, payload: { x: 1 } } })
    }
    expect(ipcRenderer.invoke).toHaveBeenCalledTimes(CHANNELS.length)
    for (const bad of ['jobs:drop-all', 'ELECTRON_BROWSER_REQUIRE', 42]) {
      expect(await api.invoke(bad as string, {})).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field: 'channel' } } })
    }
    expect(ipcRenderer.invoke).toHaveBeenCalledTimes(CHANNELS.length)
  })

  it('subscribes to contract events only, hides the IPC event object and unsubscribes', () => {
    const { api, ipcRenderer } = loadPreload()
    const seen: unknown[] = []
    const stop = api.on('jobs:did-progress', (p) => seen.push(p))
    const [name, wrapped] = ipcRenderer.on.mock.calls[0] as [string, (e: unknown, p: unknown) => void]
    expect(name).toBe('jobs:did-progress')
    wrapped({ sender: 'secret' }, { jobId: 'trace-evt-0123456789ab' })
    expect(seen).toEqual([{ jobId: 'trace-evt-0123456789ab' }])
    stop()
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('jobs:did-progress', wrapped)
    expect(() => api.on('jobs:anything', () => {})).toThrow(/unknown event/)
  })
})

describe('EventFanout', () => {
  it('sends engine events to subscribed windows and drops closed ones', () => {
    let progress: ((e: Events['jobs:did-progress']) => void) | undefined
    const source = { onDidProgress: (l: typeof progress) => ((progress = l), () => (progress = undefined)), onDidChangeStatus: () => () => {} }
    const gone = vi.fn()
    const fanout = new EventFanout(source as never, gone)
    const window = (id: number) => {
      let destroyed = false
      let onDestroyed = () => {}
      const target = {
        id,
        send: vi.fn(),
        isDestroyed: () => destroyed,
        once: (_: string, l: () => void) => ((onDestroyed = l), target),
        destroy: () => {
          destroyed = true
          onDestroyed()
        },
      }
      return target
    }
    const a = window(1)
    const b = window(2)
    fanout.subscribe(a as unknown as EventTarget)
    fanout.subscribe(b as unknown as EventTarget)
    const e = { jobId: 'trace-evt-0123456789ab', progress: { stage: 'seed' as const, completed_stages: [] }, elapsedMs: 5 }
    progress!(e)
    expect(a.send).toHaveBeenCalledWith('jobs:did-progress', e)
    b.destroy()
    expect(gone).toHaveBeenCalledWith('wc-2')
    expect(fanout.subscribers()).toBe(1)
    progress!(e)
    expect(a.send).toHaveBeenCalledTimes(2)
    expect(b.send).toHaveBeenCalledTimes(1)
    fanout.dispose()
    expect(progress).toBeUndefined()
  })
})
