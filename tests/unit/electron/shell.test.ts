/** The Electron shell's pure parts: window options, the app scheme, external links, window state, taskbar feedback. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TraceProgress } from '../../../shared/trace.js'
import { resolveAppRequest } from '../../../main/electron/app-protocol.js'
import { isAllowedExternalUrl } from '../../../main/electron/external-links.js'
import { progressFraction, shouldNotify, taskbarProgress } from '../../../main/electron/job-feedback.js'
import { hardenedWebPreferences } from '../../../main/electron/window-options.js'
import { DEFAULT_WINDOW_STATE, loadWindowState, saveWindowState } from '../../../main/electron/window-state.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mes-trace-shell-'))
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true })
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>')
  writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), '')
  writeFileSync(join(dir, 'secret.txt'), 'outside')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('hardenedWebPreferences', () => {
  it('isolates and sandboxes every window, with no Node in the renderer', () => {
    expect(hardenedWebPreferences('/app/preload.cjs')).toEqual({
      preload: '/app/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, spellcheck: false,
    })
  })
})

describe('resolveAppRequest', () => {
  it('maps app://mes-trace/ paths to files of the renderer folder only', () => {
    const root = join(dir, 'renderer')
    expect(resolveAppRequest('app://mes-trace/', root)).toBe(join(root, 'index.html'))
    expect(resolveAppRequest('app://mes-trace/index.html?x=1#y', root)).toBe(join(root, 'index.html'))
    expect(resolveAppRequest('app://mes-trace/assets/app.js', root)).toBe(join(root, 'assets', 'app.js'))
    for (const url of [
      'app://mes-trace/../secret.txt', 'app://mes-trace/%2e%2e/secret.txt', 'app://mes-trace/..%2Fsecret.txt', 'app://mes-trace/assets',
      'app://mes-trace/missing.js', 'app://other/index.html', 'file:///etc/passwd', 'app://mes-trace/%E0%A4%A', 'app://mes-trace/a%00b', 'nonsense',
    ]) {
      expect(resolveAppRequest(url, root), url).toBeNull()
    }
  })
})

describe('isAllowedExternalUrl', () => {
  it('opens only https pages of allowed hosts', () => {
    expect(isAllowedExternalUrl('https://www.electronjs.org/docs/latest')).toBe(true)
    for (const url of ['http://www.electronjs.org/', 'https://evil.example/', 'https://user:pw@www.electronjs.org/', 'file:///C:/x', 'javascript:alert(1)', 'x']) {
      expect(isAllowedExternalUrl(url), url).toBe(false)
    }
  })
})

describe('window state', () => {
  it('round-trips, and falls back to the default for damaged or implausible files', () => {
    const file = join(dir, 'window-state.json')
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE)
    saveWindowState(file, { x: 10, y: -20, width: 1600, height: 1000, maximized: true })
    expect(loadWindowState(file)).toEqual({ x: 10, y: -20, width: 1600, height: 1000, maximized: true })
    writeFileSync(file, '{"width": 200, "height": 100}')
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE)
    writeFileSync(file, 'not json')
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE)
    writeFileSync(file, '{"width": 1300, "height": 800, "x": "a"}')
    expect(loadWindowState(file)).toEqual({ width: 1300, height: 800, maximized: false })
  })
})

describe('job feedback', () => {
  it('turns stages and batches into one taskbar fraction, and announces only long jobs', () => {
    const events: TraceProgress = { stage: 'events', completed_stages: [], domains: { history: { batches_done: 1, batches_total: 2, rows: 5 }, materials: { batches_done: 1, batches_total: 2, rows: 1 } } }
    expect(progressFraction({ stage: 'seed', completed_stages: [] })).toBe(0.02)
    expect(progressFraction(events)).toBeCloseTo(0.525, 10)
    expect(taskbarProgress(new Map())).toBe(-1)
    expect(taskbarProgress(new Map<string, TraceProgress>([['a', events], ['b', { stage: 'analysis', completed_stages: [] }]]))).toBe(0.738)
    expect(shouldNotify('finished', 31_000)).toBe(true)
    expect(shouldNotify('finished', 5_000)).toBe(false)
    expect(shouldNotify('cancelled', 60_000)).toBe(false)
  })
})
