/**
 * The sandboxed preload, compiled, with a fake ipcRenderer and contextBridge (no Electron binary
 * here): it exposes exactly the contract's channels and events, and nothing else.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runInNewContext } from 'node:vm'
import { describe, expect, it, vi } from 'vitest'
import { CHANNELS, EVENT_NAMES } from '../../../shared/api.js'

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
    wrapped({ sender: 'secret' }, { job_id: 'trace-evt-0123456789ab' })
    expect(seen).toEqual([{ job_id: 'trace-evt-0123456789ab' }])
    stop()
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('jobs:did-progress', wrapped)
    expect(() => api.on('jobs:anything', () => {})).toThrow(/unknown event/)
  })
})
