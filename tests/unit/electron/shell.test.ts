/** The Electron shell's pure parts: window options, the app scheme, external links, window state, taskbar feedback. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TraceProgress } from '../../../shared/trace.js'
import { resolveAppRequest, withAppHeaders } from '../../../main/electron/app-protocol.js'
import { guardContents } from '../../../main/electron/navigation-guard.js'
import { HOST_CSP } from '../../../main/transport/index.js'
import { isAllowedExternalUrl } from '../../../main/electron/external-links.js'
import { progressFraction, shouldNotify, taskbarProgress } from '../../../main/electron/job-feedback.js'
import { importPromptOf, openedFileFacts, parseWhereFroms, parseZoneIdentifier, resultFilesIn } from '../../../main/electron/open-files.js'
import { saveDialogDestination } from '../../../main/electron/export-dialog.js'
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

  it('guards every web contents the app makes, and denies web permissions', () => {
    const source = readFileSync(join(process.cwd(), 'main', 'electron', 'index.ts'), 'utf8')
    expect(source).toMatch(/app\.on\('web-contents-created', \(_event, contents\) => \{\s*guardContents\(contents,/)
    expect(source).toContain('setPermissionRequestHandler((_contents, _permission, callback) => callback(false))')
    expect(source).toContain('setPermissionCheckHandler(() => false)')
    expect(source).toMatch(/if \(isAllowedExternalUrl\(url\)\) void shell\.openExternal\(url\)/)
    // The CSP travels on the app scheme's own responses too.
    expect(source).toMatch(/return withAppHeaders\(await net\.fetch\(/)
  })
})

describe('guardContents', () => {
  /** A web contents that records its listeners and window-open handler. */
  function fakeContents() {
    const listeners = new Map<string, (event: { preventDefault(): void; defaultPrevented?: boolean }) => void>()
    let openHandler: ((details: { url: string }) => { action: string }) | undefined
    const contents = {
      on: (name: string, listener: (event: { preventDefault(): void }) => void) => {
        listeners.set(name, listener)
        return contents
      },
      setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => {
        openHandler = handler
      },
    }
    const fire = (name: string): boolean => {
      let prevented = false
      listeners.get(name)!({ preventDefault: () => (prevented = true) })
      return prevented
    }
    return { contents, fire, open: (url: string) => openHandler!({ url }), listeners }
  }

  it('refuses navigation, frame navigation, redirects and webviews', () => {
    const fake = fakeContents()
    guardContents(fake.contents as never, () => {})
    expect([...fake.listeners.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect'])
    for (const name of fake.listeners.keys()) expect(fake.fire(name), name).toBe(true)
  })

  it('opens no window, and only allow-listed https links outside', () => {
    const fake = fakeContents()
    const opened: string[] = []
    guardContents(fake.contents as never, (url) => opened.push(url))
    for (const url of ['https://www.electronjs.org/docs', 'http://www.electronjs.org/', 'https://evil.example/', 'file:///etc/passwd', 'app://mes-trace/index.html']) {
      expect(fake.open(url)).toEqual({ action: 'deny' })
    }
    expect(opened).toEqual(['https://www.electronjs.org/docs'])
  })
})

describe('withAppHeaders', () => {
  it('puts the CSP and the other security headers on an app:// response, keeping its body and status', async () => {
    const response = withAppHeaders(new Response('<html></html>', { status: 200, headers: { 'Content-Type': 'text/html', 'Content-Security-Policy': "default-src *" } }))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html')
    expect(response.headers.get('content-security-policy')).toBe(HOST_CSP)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toBe('<html></html>')
    expect(withAppHeaders(new Response('Not found', { status: 404 })).status).toBe(404)
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

describe('a result file the OS hands the app', () => {
  it('reads where a download came from: Windows zones and macOS where-froms', () => {
    expect(parseZoneIdentifier('[ZoneTransfer]\r\nZoneId=3\r\nReferrerUrl=https://mail.example/\r\nHostUrl=https://files.example/trace.mtr\r\n')).toBe(
      'the Internet, https://files.example/trace.mtr',
    )
    expect(parseZoneIdentifier('[ZoneTransfer]\nZoneId=1\n')).toBe('the local intranet')
    expect(parseZoneIdentifier('nothing here')).toBeNull()
    expect(parseWhereFroms('(\n    "https://files.example/trace.mtr",\n    "https://mail.example/inbox"\n)\n')).toBe('https://files.example/trace.mtr, https://mail.example/inbox')
    expect(parseWhereFroms('(null)')).toBeNull()
  })

  it('asks before importing, naming the file, its size, its folder and its origin, in the user\'s language', async () => {
    const file = join(dir, 'from-mail.mtr')
    writeFileSync(file, Buffer.alloc(3 * 1024 * 1024))
    const facts = await openedFileFacts(file, 'win32', { readStream: (path) => (path === `${file}:Zone.Identifier` ? '[ZoneTransfer]\r\nZoneId=3\r\nHostUrl=https://files.example/x\r\n' : null) })
    expect(facts).toEqual({ name: 'from-mail.mtr', folder: dir, bytes: 3 * 1024 * 1024, origin: 'the Internet, https://files.example/x' })
    const en = importPromptOf(facts, 'en-US')
    expect(en.message).toBe('Import the result file "from-mail.mtr"?')
    expect(en.detail).toContain('Size: 3.0 MB')
    expect(en.detail).toContain(`Folder: ${dir}`)
    expect(en.detail).toContain('From: the Internet, https://files.example/x')
    expect(en.buttons).toEqual(['Import', 'Cancel'])
    const zh = importPromptOf({ ...facts, origin: null }, 'zh-TW')
    expect(zh.message).toBe('要匯入結果檔「from-mail.mtr」嗎？')
    expect(zh.detail).toContain('來源：不明')
    expect(zh.buttons).toEqual(['匯入', '取消'])
    expect((await openedFileFacts(file, 'darwin', { whereFroms: async () => '(\n "https://a.example/f.mtr"\n)' })).origin).toBe('https://a.example/f.mtr')
    expect((await openedFileFacts(file, 'linux')).origin).toBeNull()
  })
})

describe('saveDialogDestination', () => {
  it('asks in a dialog of the calling window, suggests a name, remembers the folder, and says when it was cancelled', async () => {
    const shown: { window: unknown; options: { defaultPath?: string; filters?: unknown } }[] = []
    let answer: { canceled: boolean; filePath?: string } = { canceled: false, filePath: '/home/eng/out/history.csv' }
    const windowOfOne = { id: 'window-1' }
    const destination = saveDialogDestination(
      {
        showSaveDialog: async (window, options) => {
          shown.push({ window, options })
          return answer as never
        },
        windowOf: (clientId) => (clientId === 'wc-1' ? (windowOfOne as never) : null),
        defaultFolder: () => '/home/eng/Documents',
        locale: () => 'en-US',
      },
      () => new Date(2026, 11, 4, 9, 5, 7, 12),
    )
    const request = { jobId: 'trace-evt-0123456789ab', table: 'history', format: 'csv' as const, clientId: 'wc-1' }
    expect(await destination.choose(request)).toEqual({ path: '/home/eng/out/history.csv', delivery: 'saved' })
    expect(shown[0]!.window).toBe(windowOfOne)
    expect(shown[0]!.options.defaultPath).toBe(join('/home/eng/Documents', 'trace-evt-0123456789ab-history-20261204-090507-012.csv'))
    expect(shown[0]!.options.filters).toEqual([{ name: 'CSV file', extensions: ['csv'] }])
    answer = { canceled: true }
    expect(await destination.choose({ ...request, format: 'sqlite', table: null })).toBeNull()
    expect(shown[1]!.options.defaultPath).toBe(join('/home/eng/out', 'trace-evt-0123456789ab-result-20261204-090507-012.mtr'))
  })

  it('asks again, saying why, when the person picks a file that exists', async () => {
    const shown: { title?: string }[] = []
    const answers = ['/data/old.csv', '/data/new.csv']
    const destination = saveDialogDestination({
      showSaveDialog: async (_window, options) => {
        shown.push(options)
        return { canceled: false, filePath: answers.shift()! } as never
      },
      windowOf: () => null,
      defaultFolder: () => '/data',
      locale: () => 'zh-TW',
      exists: (path) => path === '/data/old.csv',
    })
    expect(await destination.choose({ jobId: 'trace-evt-0123456789ab', table: 'history', format: 'csv', clientId: 'wc-1' })).toEqual({ path: '/data/new.csv', delivery: 'saved' })
    expect(shown.map((o) => o.title)).toEqual(['匯出', '「old.csv」已存在，匯出不會取代檔案：請換個名稱'])
  })
})
