/** The Electron shell's pure parts: window options, the app scheme, external links, window state, taskbar feedback. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TraceProgress } from '../../../shared/trace.js'
import { resolveAppRequest } from '../../../main/electron/app-protocol.js'
import { isAllowedExternalUrl } from '../../../main/electron/external-links.js'
import { progressFraction, shouldNotify, taskbarProgress } from '../../../main/electron/job-feedback.js'
import { resultFilesIn } from '../../../main/electron/open-files.js'
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

/** The literal options of every `new BrowserWindow({…})` in the shell's composition root. */
function browserWindowOptions(): Record<string, unknown>[] {
  const file = join(process.cwd(), 'main', 'electron', 'index.ts')
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const literal = (node: ts.Expression): unknown => {
    if (node.kind === ts.SyntaxKind.TrueKeyword) return true
    if (node.kind === ts.SyntaxKind.FalseKeyword) return false
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text
    if (ts.isNumericLiteral(node)) return Number(node.text)
    if (ts.isObjectLiteralExpression(node)) {
      const out: Record<string, unknown> = {}
      for (const p of node.properties) if (ts.isPropertyAssignment(p)) out[p.name.getText(source)] = literal(p.initializer)
      return out
    }
    return `<${node.getText(source)}>`
  }
  const found: Record<string, unknown>[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.expression.getText(source) === 'BrowserWindow' && node.arguments?.[0]) {
      found.push(literal(node.arguments[0]) as Record<string, unknown>)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

describe('the main window', () => {
  it('is isolated and sandboxed, with no Node in the renderer and no webview, at least 1280×720', () => {
    const windows = browserWindowOptions()
    expect(windows).toHaveLength(1)
    expect(windows[0]!.webPreferences).toEqual({
      preload: '<PRELOAD>', contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    })
    expect(windows[0]).toMatchObject({ minWidth: '<MIN_WIDTH>', minHeight: '<MIN_HEIGHT>', show: false })
  })

  it('denies navigation, new windows, webviews and web permissions', () => {
    const source = readFileSync(join(process.cwd(), 'main', 'electron', 'index.ts'), 'utf8')
    expect(source).toContain("on('will-navigate', (event) => event.preventDefault())")
    expect(source).toContain("on('will-attach-webview', (event) => event.preventDefault())")
    expect(source).toMatch(/setWindowOpenHandler\([\s\S]*?return \{ action: 'deny' \}/)
    expect(source).toContain('setPermissionRequestHandler((_contents, _permission, callback) => callback(false))')
    expect(source).toContain('setPermissionCheckHandler(() => false)')
    expect(source).toMatch(/if \(isAllowedExternalUrl\(url\)\) void shell\.openExternal\(url\)/)
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

describe('resultFilesIn', () => {
  it('picks the existing .mtr files out of a command line', () => {
    writeFileSync(join(dir, 'trace.mtr'), '')
    writeFileSync(join(dir, 'OTHER.MTR'), '')
    expect(resultFilesIn(['--flag', join(dir, 'trace.mtr'), 'OTHER.MTR', 'missing.mtr', join(dir, 'secret.txt'), join(dir, 'trace.mtr')], dir)).toEqual([
      join(dir, 'trace.mtr'), join(dir, 'OTHER.MTR'),
    ])
  })
})
