/**
 * The page's side of the browser host's socket, with a fake WebSocket and fake timers: answers
 * matched by id, events handed to listeners, a call given up on past its channel's time limit
 * (`ipc/timeout`, its late answer dropped), and every waiting call answered when the socket closes.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { socketApi } from '../../../renderer/src/bridge'
import type { Api } from '../../../shared/api'
import { LONG_REQUEST_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../../../shared/wire'

/** A WebSocket that records what the page sends and receives what the test says. */
class FakeSocket {
  static readonly OPEN = 1
  static last: FakeSocket | null = null
  readyState = 0
  readonly sent: { id: number; channel: string; payload: unknown }[] = []
  private readonly listeners = new Map<string, ((event: { data?: string }) => void)[]>()

  constructor(readonly url: string) {
    FakeSocket.last = this
  }

  addEventListener(type: string, listener: (event: { data?: string }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }

  send(text: string): void {
    this.sent.push(JSON.parse(text) as FakeSocket['sent'][number])
  }

  open(): void {
    this.readyState = FakeSocket.OPEN
    this.fire('open', {})
  }

  receive(frame: unknown): void {
    this.fire('message', { data: typeof frame === 'string' ? frame : JSON.stringify(frame) })
  }

  close(): void {
    this.readyState = 3
    this.fire('close', {})
  }

  private fire(type: string, event: { data?: string }): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event)
  }
}

describe('socketApi', () => {
  let api: Api
  let socket: FakeSocket

  /** Whether a promise has settled yet, without waiting for it. */
  function watch<T>(promise: Promise<T>): { settled: () => boolean; value: Promise<T> } {
    let done = false
    void promise.then(() => (done = true))
    return { settled: () => done, value: promise }
  }

  beforeEach(() => {
    vi.useFakeTimers()
    vi.stubGlobal('WebSocket', FakeSocket)
    api = socketApi('ws://127.0.0.1:4173/api?token=t')
    socket = FakeSocket.last!
  })

  afterEach(() => {
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  it('sends request frames once the socket opens and resolves each call with the answer of its id', async () => {
    const version = api.invoke('app:version', {})
    const status = api.invoke('jobs:status', { job_id: 'trace-evt-0123456789ab' })
    expect(socket.sent).toEqual([])
    socket.open()
    expect(socket.sent).toEqual([
      { id: 1, channel: 'app:version', payload: {} },
      { id: 2, channel: 'jobs:status', payload: { job_id: 'trace-evt-0123456789ab' } },
    ])
    socket.receive({ id: 2, result: { ok: false, error: { code: 'job/not-found', message: 'No job trace-evt-0123456789ab.' } } })
    socket.receive({ id: 1, result: { ok: true, value: { version: '1.2.3' } } })
    expect(await version).toEqual({ ok: true, value: { version: '1.2.3' } })
    expect(await status).toEqual({ ok: false, error: { code: 'job/not-found', message: 'No job trace-evt-0123456789ab.' } })
    // Answered calls leave no timer behind.
    expect(vi.getTimerCount()).toBe(0)
  })

  it('answers a call with ipc/timeout when no answer comes within the limit, and drops the late answer', async () => {
    socket.open()
    const call = watch(api.invoke('jobs:list', {}))
    await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS - 1)
    expect(call.settled()).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await call.value).toEqual({
      ok: false,
      error: {
        code: 'ipc/timeout',
        message: 'MES Trace did not answer jobs:list within 60 s. It may still finish; if the page stays stuck, reload it, or start `mes-trace serve` again.',
        details: { channel: 'jobs:list', timeoutMs: REQUEST_TIMEOUT_MS },
      },
    })
    expect(vi.getTimerCount()).toBe(0)
    // The answer that comes after all is ignored; the next call gets its own answer.
    socket.receive({ id: 1, result: { ok: true, value: [] } })
    const next = api.invoke('app:version', {})
    socket.receive({ id: 2, result: { ok: true, value: { version: '1.2.3' } } })
    expect(await next).toEqual({ ok: true, value: { version: '1.2.3' } })
  })

  it('waits minutes for an export or an import, and the short limit for everything else', async () => {
    socket.open()
    const exporting = watch(api.invoke('jobs:export', { job_id: 'trace-evt-0123456789ab', format: 'xlsx' }))
    const importing = watch(api.invoke('jobs:import', { path: '/data/in.mtr' }))
    const summary = watch(api.invoke('results:summary', { job_id: 'trace-evt-0123456789ab' }))
    await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS)
    expect([exporting.settled(), importing.settled(), summary.settled()]).toEqual([false, false, true])
    expect(await summary.value).toMatchObject({ ok: false, error: { code: 'ipc/timeout', details: { channel: 'results:summary' } } })
    await vi.advanceTimersByTimeAsync(LONG_REQUEST_TIMEOUT_MS - REQUEST_TIMEOUT_MS - 1)
    expect([exporting.settled(), importing.settled()]).toEqual([false, false])
    socket.receive({ id: 2, result: { ok: true, value: { job_id: 'trace-evt-00000000000a' } } })
    await vi.advanceTimersByTimeAsync(1)
    expect(await importing.value).toEqual({ ok: true, value: { job_id: 'trace-evt-00000000000a' } })
    expect(await exporting.value).toMatchObject({
      ok: false,
      error: { code: 'ipc/timeout', message: expect.stringContaining('within 30 min'), details: { channel: 'jobs:export', timeoutMs: LONG_REQUEST_TIMEOUT_MS } },
    })
  })

  it('hands event frames to the listeners of their event, and ignores frames it cannot read', async () => {
    socket.open()
    const call = watch(api.invoke('app:version', {}))
    const progress: unknown[] = []
    const stop = api.on('jobs:did-progress', (payload) => progress.push(payload))
    const event = { job_id: 'trace-evt-0123456789ab', progress: { stage: 'seed', completed_stages: [] }, elapsed_ms: 5 }
    socket.receive({ event: 'jobs:did-progress', payload: event })
    for (const junk of ['not json', '[1,2]', { event: 'jobs:anything', payload: {} }, { id: 1 }, { id: 1, result: { ok: 'yes' } }, { id: '1', result: { ok: true, value: 1 } }]) {
      socket.receive(junk)
    }
    stop()
    socket.receive({ event: 'jobs:did-progress', payload: event })
    expect(progress).toEqual([event])
    // None of the frames that were not its answer settled the waiting call.
    await vi.advanceTimersByTimeAsync(0)
    expect(call.settled()).toBe(false)
    socket.receive({ id: 1, result: { ok: true, value: { version: '1.2.3' } } })
    expect(await call.value).toEqual({ ok: true, value: { version: '1.2.3' } })
  })

  it('answers every waiting call, and every later one, when the socket closes', async () => {
    socket.open()
    const waiting = api.invoke('jobs:list', {})
    socket.close()
    const closed = { ok: false, error: { code: 'internal/unexpected', message: 'The connection to MES Trace closed. Reload the page, or start `mes-trace serve` again.' } }
    expect(await waiting).toEqual(closed)
    expect(await api.invoke('app:version', {})).toEqual(closed)
    expect(vi.getTimerCount()).toBe(0)
  })
})
