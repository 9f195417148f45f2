/**
 * Managed settings through the services, over every transport: locked values cannot be changed
 * (router, browser-host WebSocket, Electron IPC), the managed data source is listed and, when
 * locked, cannot be removed, and the CLI's engine runs with the locked values whatever its flags.
 * The policy comes from MES_TRACE_POLICY_FILE here, which the CLI honours on a machine without a
 * machine policy (as this one); why a policy was ignored reaches stderr and the settings view.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCliEngine, type CliEngine } from '../../../main/cli/cli-engine.js'
import { createServices, registerIpcTransport, ServiceRouter, startBrowserHost, type BrowserHost } from '../../../main/transport/index.js'
import { machinePolicyPathOf, readPolicyFile, type LoadedPolicy } from '../../../main/policy/index.js'
import { MANAGED_SOURCE_ID } from '../../../shared/policy.js'
import { thrown } from '../../fixtures/thrown.js'
import { ResultService } from '../../../main/results/index.js'

describe('the machine policy', () => {
  let dir: string
  let store: CliEngine
  let router: ServiceRouter
  let host: BrowserHost
  const previous = process.env.MES_TRACE_POLICY_FILE

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-policy-'))
    const replica = join(dir, 'replica.sqlite')
    writeFileSync(replica, '')
    const policyFile = join(dir, 'policy.json')
    writeFileSync(policyFile, `\uFEFF${JSON.stringify({
      settings: { TRACE_WORKER_COUNT: { value: 1, locked: true }, TRACE_JOB_TTL_SECONDS: { value: 3600 } },
      source: { name: 'Plant replica', kind: 'sqlite', path: replica, locked: true },
      updates: { enabled: false, locked: true },
    })}`)
    process.env.MES_TRACE_POLICY_FILE = policyFile
    store = openCliEngine(join(dir, 'data'), { 'trace-worker-count': '6' }, () => {})
    router = new ServiceRouter({ handlers: createServices({ engine: store.engine, results: new ResultService(store.engine), catalog: store.catalog, dataDir: store.dataDir, appVersion: 't', policy: store.policy }) })
    mkdirSync(join(dir, 'renderer'))
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>')
    host = await startBrowserHost({ router, events: store.engine, rendererDir: join(dir, 'renderer') })
  })

  afterAll(async () => {
    if (previous === undefined) delete process.env.MES_TRACE_POLICY_FILE
    else process.env.MES_TRACE_POLICY_FILE = previous
    await host?.close()
    await store?.engine.shutdown(1000)
    store?.catalog.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('is read from MES_TRACE_POLICY_FILE by the CLI where the machine has no policy, silently', () => {
    expect(existsSync(machinePolicyPathOf()), 'this machine has a machine policy, so MES_TRACE_POLICY_FILE is not honoured here').toBe(false)
    expect(store.policy.source).toMatchObject({ name: 'Plant replica', locked: true })
    expect(store.policyWarnings).toEqual([])
    expect(readPolicyFile(join(dir, 'none.json'))).toEqual({ settings: {}, source: null, updates: null })
    writeFileSync(join(dir, 'bad.json'), '{ "settings": ')
    expect(thrown(() => readPolicyFile(join(dir, 'bad.json')))).toMatchObject({ code: 'policy/invalid' })
  })

  it('says once on stderr, and in settings:get, why a machine policy was ignored', async () => {
    const why = 'The machine policy /etc/mes-trace-desktop/policy.json is ignored (nothing is managed): policy.json is writable by every user. Only root may own or change the file and its folder.'
    const loaded: LoadedPolicy = { policy: { settings: {}, source: null, updates: null }, source: null, warnings: [why] }
    const lines: string[] = []
    const other = openCliEngine(join(dir, 'data-ignored'), {}, (text) => lines.push(text), () => loaded)
    try {
      expect(lines).toEqual([`warning: ${why}\n`])
      expect(other.policyWarnings).toEqual([why])
      const services = new ServiceRouter({ handlers: createServices({ engine: other.engine, results: new ResultService(other.engine), catalog: other.catalog, dataDir: other.dataDir, appVersion: 't', policy: other.policy, policyWarnings: other.policyWarnings }) })
      expect(await services.invoke('settings:get', {}, { clientId: 'ui' })).toMatchObject({ ok: true, value: { managed: {}, policy_warnings: [why] } })
    } finally {
      await other.engine.shutdown(1000)
      other.catalog.close()
    }
  })

  it('gives the CLI engine the locked value whatever its flags', () => {
    expect(store.settings.TRACE_WORKER_COUNT).toBe(1)
    expect(store.settings.TRACE_JOB_TTL_SECONDS).toBe(3600)
  })

  it('shows what is managed and refuses to change a locked value through the router', async () => {
    const call = (channel: string, payload: unknown) => router.invoke(channel, payload, { clientId: 'ui' })
    expect(await call('settings:get', {})).toMatchObject({
      ok: true,
      value: {
        values: { TRACE_WORKER_COUNT: 1, TRACE_JOB_TTL_SECONDS: 3600 },
        managed: { TRACE_WORKER_COUNT: { value: 1, locked: true }, TRACE_JOB_TTL_SECONDS: { value: 3600, locked: false } },
        updates: { enabled: false, locked: true },
        policy_warnings: [],
      },
    })
    expect(await call('settings:set', { key: 'TRACE_WORKER_COUNT', value: 4 })).toMatchObject({ ok: false, error: { code: 'policy/locked', details: { field: 'key' } } })
    expect(await call('settings:set', { key: 'TRACE_WORKER_COUNT', value: null })).toMatchObject({ ok: false, error: { code: 'policy/locked' } })
    // An unlocked managed value is only a default: the user may change it.
    expect(await call('settings:set', { key: 'TRACE_JOB_TTL_SECONDS', value: 60 })).toEqual({ ok: true, value: { key: 'TRACE_JOB_TTL_SECONDS', value: 60 } })
    expect(await call('settings:set', { key: 'TRACE_JOB_TTL_SECONDS', value: null })).toEqual({ ok: true, value: { key: 'TRACE_JOB_TTL_SECONDS', value: 3600 } })
  })

  it('refuses a locked value over the WebSocket and over Electron IPC too', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${encodeURIComponent(host.token)}`, { origin: `http://127.0.0.1:${host.port}` })
    const answer = await new Promise<unknown>((resolve, reject) => {
      ws.on('open', () => ws.send(JSON.stringify({ id: 3, channel: 'settings:set', payload: { key: 'TRACE_WORKER_COUNT', value: 8 } })))
      ws.on('message', (m) => resolve(JSON.parse(m.toString())))
      ws.on('error', reject)
    })
    ws.close()
    expect(answer).toMatchObject({ id: 3, result: { ok: false, error: { code: 'policy/locked' } } })

    const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>()
    registerIpcTransport({ ipcMain: { handle: (c: string, h: never) => void handlers.set(c, h), removeHandler: () => {} } as never, router })
    const event = { senderFrame: { url: 'app://mes-trace/index.html', parent: null }, sender: { id: 1 } }
    expect(await handlers.get('settings:set')!(event, { key: 'TRACE_WORKER_COUNT', value: 8 })).toMatchObject({ ok: false, error: { code: 'policy/locked' } })
    const settings = (await handlers.get('settings:get')!(event, {})) as { value: { values: Record<string, number> } }
    expect(settings.value.values.TRACE_WORKER_COUNT).toBe(1)
  })

  it('lists the managed data source first and refuses to remove it while locked', async () => {
    const call = (channel: string, payload: unknown) => router.invoke(channel, payload, { clientId: 'ui' })
    const list = (await call('sources:list', {})) as { ok: true; value: { id: string; name: string; managed?: boolean; locked?: boolean }[] }
    expect(list.value[0]).toMatchObject({ id: MANAGED_SOURCE_ID, name: 'Plant replica', managed: true, locked: true })
    expect(await call('sources:remove', { id: MANAGED_SOURCE_ID })).toMatchObject({ ok: false, error: { code: 'policy/locked' } })
    expect(await call('sources:add', { name: 'Plant replica', kind: 'sqlite', path: join(dir, 'replica.sqlite') })).toMatchObject({ ok: false, error: { details: { field: 'name' } } })
  })
})
