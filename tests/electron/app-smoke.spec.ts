import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
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

  test('opens one hardened window showing the renderer', async () => {
    const app = await electron.launch({ executablePath: binary!, args: [join(root, 'dist', 'main', 'electron', 'index.js')] })
    try {
      const window = await app.firstWindow()
      await expect(window.getByRole('heading', { level: 1 })).toHaveText('MES Trace Desktop')
      // Isolated and sandboxed: no Node globals in the page, only the preload's api object.
      const globals = await window.evaluate(() => {
        const w = window as unknown as { require?: unknown; process?: unknown; api?: { app?: unknown } }
        return { require: typeof w.require, process: typeof w.process, api: typeof w.api?.app }
      })
      expect(globals).toEqual({ require: 'undefined', process: 'undefined', api: 'object' })
    } finally {
      await app.close()
    }
  })
})
