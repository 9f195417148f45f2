/**
 * The Electron transport with a fake ipcMain and fake windows (no Electron binary here): the
 * sender-frame check, every channel's malformed payload refused with input/invalid, and the
 * engine's events fanned out to live windows as the contract's events.
 */
import { describe, expect, it, vi } from 'vitest'
import { CHANNELS } from '../../../shared/api.js'
import type { JobView } from '../../../shared/jobs.js'
import {
  EventFanout,
  isAppFrame,
  registerIpcTransport,
  ServiceRouter,
  type EventTarget,
  type Handlers,
  type InvokeEvent,
  type IpcHandlers,
  type JobEvents,
} from '../../../main/transport/index.js'
import { MALFORMED } from '../../fixtures/malformed-payloads.js'
import { jobView } from '../../fixtures/job-view.js'

type Handler = Parameters<IpcHandlers['handle']>[1]

/** A stand-in for ipcMain that keeps the handlers it is given. */
function fakeIpcMain(): IpcHandlers & { handlers: Map<string, Handler> } {
  const handlers = new Map<string, Handler>()
  return {
    handlers,
    handle: (channel, handler) => void handlers.set(channel, handler),
    removeHandler: (channel) => void handlers.delete(channel),
  }
}

const APP_FRAME = { url: 'app://mes-trace/index.html', parent: null }
const event = (frame: InvokeEvent['senderFrame'], id = 3): InvokeEvent => ({ senderFrame: frame, sender: { id } })

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

/** A stand-in for the engine's two events, firing what a test says. */
function fakeEngine() {
  const progress = new Set<Parameters<JobEvents['onDidProgress']>[0]>()
  const status = new Set<Parameters<JobEvents['onDidChangeStatus']>[0]>()
  const engine: JobEvents = {
    onDidProgress: (listener) => (progress.add(listener), () => void progress.delete(listener)),
    onDidChangeStatus: (listener) => (status.add(listener), () => void status.delete(listener)),
  }
  return {
    engine,
    progress: (event: Parameters<Parameters<JobEvents['onDidProgress']>[0]>[0]) => progress.forEach((l) => l(event)),
    status: (job: JobView) => status.forEach((l) => l({ job })),
    listeners: () => progress.size + status.size,
  }
}

/** A window whose WebContents records what it was sent. */
function fakeWindow(id: number) {
  let destroyed = false
  let onDestroyed = () => {}
  const target = {
    id,
    send: vi.fn(),
    isDestroyed: () => destroyed,
    once: (_: 'destroyed', listener: () => void) => ((onDestroyed = listener), target),
    destroy: () => {
      destroyed = true
      onDestroyed()
    },
  }
  return target satisfies EventTarget
}

describe('EventFanout', () => {
  it('sends the engine’s events to subscribed windows as the contract’s, and drops closed ones', () => {
    const source = fakeEngine()
    const gone = vi.fn()
    const fanout = new EventFanout(source.engine, gone)
    const a = fakeWindow(1)
    const b = fakeWindow(2)
    fanout.subscribe(a)
    fanout.subscribe(b)
    source.progress({ jobId: 'trace-evt-0123456789ab', progress: { stage: 'seed', completed_stages: [] }, elapsedMs: 5, etaMs: 40 })
    expect(a.send).toHaveBeenCalledWith('jobs:did-progress', {
      job_id: 'trace-evt-0123456789ab',
      progress: { stage: 'seed', completed_stages: [] },
      elapsed_ms: 5,
      eta_ms: 40,
    })
    const job = jobView({ job_id: 'trace-evt-0123456789ab', status: 'running', cancel_requested: true })
    source.status(job)
    expect(b.send).toHaveBeenLastCalledWith('jobs:did-change-status', { job })
    b.destroy()
    expect(gone).toHaveBeenCalledWith('wc-2')
    expect(fanout.subscribers()).toBe(1)
    source.status(job)
    expect(a.send).toHaveBeenCalledTimes(3)
    expect(b.send).toHaveBeenCalledTimes(2)
    fanout.dispose()
    expect(source.listeners()).toBe(0)
  })

  it('leaves out eta_ms before the engine has an estimate', () => {
    const source = fakeEngine()
    const fanout = new EventFanout(source.engine)
    const a = fakeWindow(1)
    fanout.subscribe(a)
    source.progress({ jobId: 'trace-evt-0123456789ab', progress: { stage: 'seed', completed_stages: [] }, elapsedMs: 5 })
    expect(a.send.mock.calls[0]![1]).toStrictEqual({ job_id: 'trace-evt-0123456789ab', progress: { stage: 'seed', completed_stages: [] }, elapsed_ms: 5 })
    fanout.dispose()
  })
})
