import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { _electron as electron, expect, test } from '@playwright/test'

const require = createRequire(import.meta.url)

/** Path of the Electron binary when one is installed; `null` on machines where it cannot be downloaded. */
function electronBinary(): string | null {
  try {
    const path = require('electron') as unknown as string
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}

const binary = electronBinary()
const root = join(import.meta.dirname, '..', '..')

test.describe('Electron app', () => {
  test.skip(binary === null, 'no Electron binary installed (node_modules/electron/dist is missing); run `npm start` once on a machine that can download it')

  test('opens one hardened window, enqueues a demo trace over IPC and sees it finish', async () => {
    test.setTimeout(120_000)
    const dataDir = mkdtempSync(join(tmpdir(), 'mes-trace-electron-'))
    const { generateDemoPlant } = (await import(pathToFileURL(join(root, 'dist', 'main', 'demo', 'index.js')).href)) as {
      generateDemoPlant: (o: { out: string; lots: number }) => Promise<{ out: string }>
    }
    const plant = await generateDemoPlant({ out: join(dataDir, 'plant.sqlite'), lots: 1000 })
    const app = await electron.launch({
      executablePath: binary!,
      args: [join(root, 'dist', 'main', 'electron', 'index.js')],
      env: { ...process.env, MES_TRACE_DATA_DIR: dataDir },
    })
    try {
      const window = await app.firstWindow()
      await expect(window.getByTestId('new-trace-form')).toBeVisible()
      expect(window.url()).toBe('app://mes-trace/index.html#/new')
      // Isolated and sandboxed: no Node globals in the page, only the preload's api object.
      const globals = await window.evaluate(() => {
        const w = window as unknown as { require?: unknown; process?: unknown; api?: { invoke?: unknown } }
        return { require: typeof w.require, process: typeof w.process, invoke: typeof w.api?.invoke }
      })
      expect(globals).toEqual({ require: 'undefined', process: 'undefined', invoke: 'function' })
      const status = await window.evaluate(async (path) => {
        type Result = { ok: boolean; value?: { id?: string; job_id?: string; status?: string } }
        const api = (window as unknown as { api: { invoke(c: string, p: unknown): Promise<Result> } }).api
        const source = await api.invoke('sources:add', { name: 'Demo', kind: 'sqlite', path })
        const job = await api.invoke('jobs:enqueue', {
          request: { profile: 'mid_section_defect', params: { start_date: '2026-10-25', end_date: '2026-10-31' } },
          source_id: source.value!.id,
        })
        for (;;) {
          const s = await api.invoke('jobs:status', { job_id: job.value!.job_id })
          if (s.value?.status !== 'queued' && s.value?.status !== 'running') return s.value?.status
          await new Promise((r) => setTimeout(r, 200))
        }
      }, plant.out)
      expect(status).toBe('finished')
    } finally {
      await app.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
