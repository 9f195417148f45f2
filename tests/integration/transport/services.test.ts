/**
 * The service contract behind both transports: every channel refuses a malformed payload with
 * input/invalid naming the field — called through the router directly and through the browser
 * host's WebSocket — and the router's rate limit, unknown channels and error envelope.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'node:net'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CHANNELS } from '../../../shared/api.js'
import { MALFORMED } from '../../fixtures/malformed-payloads.js'
import { AppError } from '../../../shared/errors.js'
import { openCliEngine, type CliEngine } from '../../../main/cli/cli-engine.js'
import { createServices, ServiceRouter, startBrowserHost, type BrowserHost, type Handlers } from '../../../main/transport/index.js'
import { ResultService } from '../../../main/results/index.js'

describe('the service contract', () => {
  let dir: string
  let store: CliEngine
  let router: ServiceRouter
  let host: BrowserHost
  let rendererDir: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-ipc-'))
    store = openCliEngine(join(dir, 'data'), {}, () => {})
    router = new ServiceRouter({ handlers: createServices({ engine: store.engine, results: new ResultService(store.engine), catalog: store.catalog, dataDir: store.dataDir, appVersion: '9.9.9' }) })
    rendererDir = join(dir, 'renderer')
    const { mkdirSync, writeFileSync } = await import('node:fs')
    mkdirSync(rendererDir)
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>')
    host = await startBrowserHost({ router, events: store.engine, rendererDir })
  })

  afterAll(async () => {
    await host?.close()
    await store?.engine.shutdown(1000)
    store?.catalog.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('covers every channel of the contract', () => {
    expect(Object.keys(MALFORMED).sort()).toEqual([...CHANNELS].sort())
  })

  it.each(CHANNELS)('%s refuses a malformed payload with input/invalid naming the field (router)', async (channel) => {
    const [payload, field] = MALFORMED[channel]
    const result = await router.invoke(channel, payload, { clientId: 'test' })
    expect(result).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field } } })
  })

  it.each(CHANNELS)('%s refuses a malformed payload with input/invalid naming the field (WebSocket)', async (channel) => {
    const [payload, field] = MALFORMED[channel]
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${encodeURIComponent(host.token)}`, { origin: `http://127.0.0.1:${host.port}` })
    const answer = await new Promise<unknown>((resolve, reject) => {
      ws.on('open', () => ws.send(JSON.stringify({ id: 1, channel, payload })))
      ws.on('message', (m) => resolve(JSON.parse(m.toString())))
      ws.on('error', reject)
    })
    ws.close()
    expect(answer).toMatchObject({ id: 1, result: { ok: false, error: { code: 'input/invalid', details: { field } } } })
  })

  it('answers valid calls: version, data folder, settings, sources', async () => {
    const call = (channel: string, payload: unknown) => router.invoke(channel, payload, { clientId: 'test' })
    expect(await call('app:version', {})).toEqual({ ok: true, value: { version: '9.9.9' } })
    expect(await call('app:data-dir', {})).toEqual({ ok: true, value: { path: store.dataDir } })
    expect(await call('settings:set', { key: 'TRACE_WORKER_COUNT', value: 3 })).toEqual({ ok: true, value: { key: 'TRACE_WORKER_COUNT', value: 3 } })
    expect(await call('settings:set', { key: 'TRACE_WORKER_COUNT', value: 0 })).toMatchObject({ ok: false, error: { code: 'input/invalid' } })
    expect(await call('settings:set', { key: 'NOPE', value: 1 })).toMatchObject({ ok: false, error: { details: { field: 'key' } } })
    const settings = (await call('settings:get', {})) as { ok: true; value: { values: Record<string, unknown> } }
    expect(settings.value.values.TRACE_WORKER_COUNT).toBe(3)
    expect(await call('sources:list', {})).toEqual({ ok: true, value: [] })
    expect(await call('sources:add', { name: 'Plant', kind: 'sqlite', path: 'relative.sqlite' })).toMatchObject({ ok: false, error: { details: { field: 'path' } } })
    expect(await call('sources:test', { kind: 'sqlite' })).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field: 'path' } } })
    expect(await call('jobs:enqueue', { request: { profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['A'] } }, source_id: 'src-nope' })).toMatchObject({
      ok: false, error: { code: 'input/invalid', details: { field: 'source_id' } },
    })
    expect(await call('jobs:status', { job_id: 'trace-evt-0123456789ab' })).toMatchObject({ ok: false, error: { code: 'job/not-found' } })
  })

  it('hands a saved setting to the engine, resolved by the host, so the next trace uses it', async () => {
    const applied: number[] = []
    const update = vi.spyOn(store.engine, 'updateSettings').mockImplementation((settings) => void applied.push(settings.LINEAGE_MAX_NODES))
    try {
      const live = new ServiceRouter({
        handlers: createServices({
          engine: store.engine, results: new ResultService(store.engine), catalog: store.catalog, dataDir: store.dataDir, appVersion: '9.9.9',
          engineSettings: store.resolveSettings,
        }),
      })
      const call = (key: string, value: number | null) => live.invoke('settings:set', { key, value }, { clientId: 'test' })
      expect(await call('LINEAGE_MAX_NODES', 1234)).toMatchObject({ ok: true })
      expect(await call('LINEAGE_MAX_NODES', null)).toMatchObject({ ok: true })
      // A refused value changes nothing.
      expect(await call('LINEAGE_MAX_NODES', 0)).toMatchObject({ ok: false })
      expect(applied).toEqual([1234, 500_000])
      // What the engine runs with besides the saved values (an environment variable here) is said.
      const started = new ServiceRouter({
        handlers: createServices({
          engine: store.engine, results: new ResultService(store.engine), catalog: store.catalog, dataDir: store.dataDir, appVersion: '9.9.9',
          engineSettings: () => ({ ...store.resolveSettings(), TRACE_JOB_TIMEOUT_SECONDS: 600 }),
        }),
      })
      expect(await started.invoke('settings:get', {}, { clientId: 'test' })).toMatchObject({ ok: true, value: { in_effect: { TRACE_JOB_TIMEOUT_SECONDS: 600 } } })
      expect(await live.invoke('settings:get', {}, { clientId: 'test' })).toMatchObject({ ok: true, value: { in_effect: {} } })
      // Without a resolver (the router above) a saved value waits for the next start.
      expect(await router.invoke('settings:set', { key: 'LINEAGE_MAX_NODES', value: 99 }, { clientId: 'test' })).toMatchObject({ ok: true })
      expect(update).toHaveBeenCalledTimes(2)
    } finally {
      update.mockRestore()
      store.catalog.deleteSetting('LINEAGE_MAX_NODES')
    }
  })

  it('refuses unknown channels, and inherited names are not channels', async () => {
    for (const channel of ['jobs:drop-all', 'toString', '__proto__', 42]) {
      expect(await router.invoke(channel, {}, { clientId: 'test' })).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field: 'channel' } } })
    }
  })
})

describe('ServiceRouter', () => {
  const handlers = (over: Partial<Handlers>): Handlers => ({ 'app:version': () => ({ version: '1' }), ...over }) as Handlers

  it('rate-limits a caller per channel in a sliding window, and forgets a caller that left', async () => {
    let now = 1_000_000
    const router = new ServiceRouter({ handlers: handlers({}), now: () => now, limits: { 'app:version': { max: 3, windowMs: 1000 } } })
    const call = (clientId = 'a') => router.invoke('app:version', {}, { clientId })
    for (let i = 0; i < 3; i++) expect(await call()).toMatchObject({ ok: true })
    expect(await call()).toMatchObject({ ok: false, error: { code: 'input/rate-limited', details: { channel: 'app:version', retryAfterMs: 1000 } } })
    // Another caller has its own window.
    expect(await call('b')).toMatchObject({ ok: true })
    now += 1001
    expect(await call()).toMatchObject({ ok: true })
    for (let i = 0; i < 2; i++) await call()
    expect(await call()).toMatchObject({ ok: false })
    router.forget('a')
    expect(await call()).toMatchObject({ ok: true })
  })

  it('returns a handler AppError as it is and reports an unexpected one', async () => {
    const unexpected = vi.fn()
    const router = new ServiceRouter({
      handlers: handlers({
        'app:version': () => {
          throw new AppError('job/not-found', 'No such job.')
        },
        'app:data-dir': () => {
          throw new TypeError('boom')
        },
      }),
      onUnexpectedError: unexpected,
    })
    expect(await router.invoke('app:version', {}, { clientId: 'a' })).toEqual({ ok: false, error: { code: 'job/not-found', message: 'No such job.' } })
    expect(await router.invoke('app:data-dir', {}, { clientId: 'a' })).toEqual({ ok: false, error: { code: 'internal/unexpected', message: 'boom' } })
    expect(unexpected).toHaveBeenCalledTimes(1)
    expect(unexpected.mock.calls[0]![1]).toBe('app:data-dir')
  })
})

describe('the browser host', () => {
  let dir: string
  let host: BrowserHost
  const router = new ServiceRouter({ handlers: { 'app:version': () => ({ version: '1.2.3' }) } as unknown as Handlers })
  const noEvents = { onDidProgress: () => () => {}, onDidChangeStatus: () => () => {} }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-host-'))
    const { mkdirSync, writeFileSync } = await import('node:fs')
    mkdirSync(join(dir, 'renderer'))
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>host</title>')
    writeFileSync(join(dir, 'secret.txt'), 'not for the browser')
    host = await startBrowserHost({ router, events: noEvents, rendererDir: join(dir, 'renderer'), maxMessageBytes: 1024 })
  })
  afterAll(async () => {
    await host?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const open = (query: string, origin: string | undefined): Promise<{ status: number } | { ws: WebSocket }> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api${query}`, origin ? { origin } : {})
      ws.on('open', () => resolve({ ws }))
      ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }))
      ws.on('error', reject)
    })

  it('listens on 127.0.0.1 only and prints a URL with its token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${encodeURIComponent(host.token)}`)
    expect(host.token.length).toBeGreaterThanOrEqual(40)
  })

  it('refuses sockets without the token, with a wrong one, or from another origin', async () => {
    const self = `http://127.0.0.1:${host.port}`
    expect(await open('', self)).toEqual({ status: 401 })
    expect(await open('?token=wrong', self)).toEqual({ status: 401 })
    expect(await open(`?token=${encodeURIComponent(host.token)}`, 'http://evil.example')).toEqual({ status: 403 })
    expect(await open(`?token=${encodeURIComponent(host.token)}`, undefined)).toEqual({ status: 403 })
    const ok = await open(`?token=${encodeURIComponent(host.token)}`, self)
    expect('ws' in ok).toBe(true)
    if ('ws' in ok) ok.ws.close()
  })

  it('closes a socket that sends an oversized message, and answers junk with input/invalid', async () => {
    const opened = await open(`?token=${encodeURIComponent(host.token)}`, `http://127.0.0.1:${host.port}`)
    if (!('ws' in opened)) throw new Error('not opened')
    const ws = opened.ws
    const junk = await new Promise<unknown>((resolve) => {
      ws.once('message', (m) => resolve(JSON.parse(m.toString())))
      ws.send('not json')
    })
    expect(junk).toMatchObject({ id: null, result: { ok: false, error: { code: 'input/invalid', details: { field: 'message' } } } })
    const code = await new Promise<number>((resolve) => {
      ws.once('close', (c) => resolve(c))
      ws.send(JSON.stringify({ id: 1, channel: 'app:version', payload: { pad: 'x'.repeat(2000) } }))
    })
    expect(code).toBe(1009)
  })

  it('serves the renderer with a CSP, and nothing outside its folder or under another Host name', async () => {
    const index = await fetch(`http://127.0.0.1:${host.port}/`)
    expect(index.status).toBe(200)
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await index.text()).toContain('<title>host</title>')
    expect((await fetch(`http://127.0.0.1:${host.port}/..%2Fsecret.txt`)).status).toBe(404)
    expect((await fetch(`http://127.0.0.1:${host.port}/`, { method: 'POST' })).status).toBe(405)
    const { request } = await import('node:http')
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: host.port, path: '/', headers: { Host: `attacker.example:${host.port}` } }, (res) => resolve(res.statusCode ?? 0)).end()
    })
    expect(status).toBe(421)
    // Malformed request targets are answered, and the host stays up.
    for (const path of ['/%E0%A4%A', '/a%00b']) expect((await fetch(`http://127.0.0.1:${host.port}${path}`)).status, path).toBe(400)
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(host.port, '127.0.0.1', () => socket.write(`GET http://a:b:c/ HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`))
      let text = ''
      socket.on('data', (d) => (text += d.toString()))
      socket.on('close', () => resolve(text))
      socket.setTimeout(2000, () => socket.destroy())
    })
    expect(raw.split('\r\n')[0]).toMatch(/^HTTP\/1\.1 400/)
    expect((await fetch(`http://127.0.0.1:${host.port}/`)).status).toBe(200)
  })
})
