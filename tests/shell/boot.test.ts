/**
 * The compiled Electron shell (dist/main/electron/index.js), booted under plain Node with
 * `electron` replaced by tests/shell/fake-electron: it starts cleanly, hardens its window, wires
 * every contract channel once, serves the renderer on `app://` with its CSP, runs traces in
 * utility processes (finished, cancelled, killed), imports result files handed over by the OS, and
 * quits with its workers stopped and its catalog closed.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CHANNELS } from '../../shared/api.js'
import type { JobView } from '../../shared/jobs.js'
import { generateDemoPlant, type DemoSummary } from '../../main/demo/index.js'
import { HOST_CSP, PAGE_SECURITY_HEADERS } from '../../main/transport/index.js'
import { MALFORMED } from '../fixtures/malformed-payloads.js'
import { assertBuilt, isAlive, RENDERER_DIR, SHELL_ROOT, ShellProcess, type ShellRecord } from './shell-harness.js'

const ROOT = join(import.meta.dirname, '..', '..')
const APP_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version

/** What a renderer's `ipcRenderer.invoke` gets: the handler's value, or the rejection text. */
type InvokeOutcome = { value: unknown } | { rejected: string }
type Answer = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }

/** The channel names spelled out in the sandboxed preload (it cannot import the contract). */
function preloadChannels(): string[] {
  const source = readFileSync(join(ROOT, 'main', 'electron', 'preload.cts'), 'utf8')
  const list = /const CHANNELS: readonly string\[\] = \[([\s\S]*?)\]/.exec(source)
  if (!list) throw new Error('main/electron/preload.cts: the CHANNELS list was not found')
  return [...list[1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!)
}

describe('the Electron shell under a fake Electron', () => {
  let dir: string
  let dataDir: string
  let plant: DemoSummary
  let shell: ShellProcess
  let window: { windowId: number; webContentsId: number }
  let sourceId: string
  let finishedJobId: string

  /** Invokes `channel` as the main window's page (or as another frame). */
  const invoke = (channel: string, payload: unknown, frame: { frameUrl?: string; subframe?: boolean; frameGone?: boolean } = {}): Promise<InvokeOutcome> =>
    shell.request<InvokeOutcome>('invoke', { webContentsId: window.webContentsId, channel, args: [payload], ...frame })

  /** The contract answer of `channel`; throws on a rejected invoke. */
  const answer = async (channel: string, payload: unknown): Promise<Answer> => {
    const outcome = await invoke(channel, payload)
    if ('rejected' in outcome) throw new Error(outcome.rejected)
    return outcome.value as Answer
  }

  /** The value of a successful contract call; throws `code: message` otherwise. */
  const call = async <T>(channel: string, payload: unknown): Promise<T> => {
    const result = await answer(channel, payload)
    if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`)
    return result.value as T
  }

  /** The status events the window got for `jobId`. */
  const statusEvents = (jobId: string): JobView[] =>
    shell
      .recordsOf('webcontents-send')
      .filter((r) => r.data.webContentsId === window.webContentsId && r.data.channel === 'jobs:did-change-status')
      .map((r) => (r.data.args as [{ job: JobView }])[0].job)
      .filter((job) => job.job_id === jobId)

  const whenStatus = (jobId: string, statuses: readonly string[], timeoutMs = 20_000): Promise<JobView> =>
    shell.waitFor(`job ${jobId} to be ${statuses.join(' or ')}`, () => statusEvents(jobId).find((job) => statuses.includes(job.status)), timeoutMs)

  /** The utility process that was handed job `jobId`'s `start`. */
  const workerOf = (jobId: string): Promise<number> =>
    shell.waitFor(`the worker of ${jobId}`, () => shell.recordsOf('utility-post').find((r) => r.data.type === 'start' && r.data.jobId === jobId)?.data.pid as number | undefined)

  const msdRequest = () => ({
    request: { profile: 'mid_section_defect', params: { direction: 'backward', mode: 'date_range', station: '測試', start_date: plant.startDate, end_date: plant.endDate } },
    source_id: sourceId,
    force: true,
  })

  /** Answers the next dialog of `method` (after record index `since`) that `match` accepts. */
  const answerDialog = async (method: string, answerValue: unknown, match: (options: Record<string, unknown>) => boolean = () => true, since = 0): Promise<ShellRecord> => {
    const shown = await shell.waitForRecord('dialog', (d) => d.method === method && match(d.options as Record<string, unknown>), 10_000, since)
    await shell.request('answer-dialog', { id: shown.data.id, answer: answerValue })
    return shown
  }

  beforeAll(async () => {
    assertBuilt()
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-shell-boot-'))
    dataDir = join(dir, 'data')
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 1500, seed: 'shell-boot' })
    shell = await ShellProcess.start({ dataDir, profileDir: join(dir, 'profile') })
    const created = shell.recordsOf('window-created')[0]!.data
    window = { windowId: created.windowId as number, webContentsId: created.webContentsId as number }
  }, 60_000)

  afterEach(() => {
    // Whatever a test did, nothing may have escaped the shell's handlers.
    expect(shell.failureLines()).toEqual([])
  })

  afterAll(async () => {
    await shell?.kill()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('starts without an error, the app scheme privileged before ready and handled after it', () => {
    expect(shell.exit).toBeUndefined()
    const index = (type: string) => shell.records.findIndex((r) => r.type === type)
    expect(index('register-schemes-as-privileged')).toBeGreaterThanOrEqual(0)
    expect(index('register-schemes-as-privileged')).toBeLessThan(index('ready'))
    expect(shell.recordsOf('register-schemes-as-privileged')).toHaveLength(1)
    expect(shell.recordsOf('register-schemes-as-privileged')[0]!.data.customSchemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: false } },
    ])
    expect(shell.recordsOf('protocol-handle').map((r) => r.data.scheme)).toEqual(['app'])
    expect(shell.recordsOf('request-single-instance-lock')).toHaveLength(1)
    const menu = shell.recordsOf('application-menu').at(-1)!.data.items as { role: string | null }[]
    expect(menu.map((item) => item.role)).toEqual(expect.arrayContaining(['fileMenu', 'editMenu', 'windowMenu']))
    expect(shell.stdout).toContain('[updates] not checking')
  })

  it('gives its one window the hardened options and a preload that exists, and shows it once loaded', async () => {
    const created = shell.recordsOf('window-created')
    expect(created).toHaveLength(1)
    const options = created[0]!.data.options as { show: boolean; minWidth: number; minHeight: number; webPreferences: Record<string, unknown> }
    const { preload, ...rest } = options.webPreferences
    expect(rest).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    })
    expect(typeof preload).toBe('string')
    expect(isAbsolute(preload as string)).toBe(true)
    expect(existsSync(preload as string), `preload ${String(preload)}`).toBe(true)
    expect(options).toMatchObject({ show: false })
    expect(options.minWidth).toBeGreaterThanOrEqual(1280)
    expect(options.minHeight).toBeGreaterThanOrEqual(720)
    const load = shell.recordsOf('load')[0]!.data
    expect(load).toMatchObject({ webContentsId: window.webContentsId, url: 'app://mes-trace/index.html', status: 200 })
    expect(shell.stderr).not.toContain('Unable to load preload script')
    await shell.waitForRecord('window-show', (d) => d.windowId === window.windowId)
    const shownAt = shell.records.findIndex((r) => r.type === 'window-show' && r.data.windowId === window.windowId)
    expect(shownAt).toBeGreaterThan(shell.records.findIndex((r) => r.type === 'load'))
    // Guarded when created: a window-open handler on its web contents.
    expect(shell.recordsOf('window-open-handler').map((r) => r.data.webContentsId)).toContain(window.webContentsId)
  })

  it('handles every channel of the contract exactly once, and answers only the app’s own top-level page', async () => {
    const handled = await shell.request<string[]>('ipc-handlers')
    expect([...handled].sort()).toEqual([...CHANNELS].sort())
    expect([...preloadChannels()].sort()).toEqual([...CHANNELS].sort())
    // Each registration recorded once (a second one would have thrown in the shell).
    const registrations = shell.recordsOf('ipc-handle').map((r) => r.data.channel as string)
    expect(registrations.sort()).toEqual([...CHANNELS].sort())

    // Every handler reaches the router: a malformed payload is refused naming its field.
    for (const channel of CHANNELS) {
      const [payload, field] = MALFORMED[channel]
      expect(await answer(channel, payload), channel).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field } } })
    }
    expect(await answer('app:version', {})).toEqual({ ok: true, value: { version: APP_VERSION } })
    expect(await answer('app:data-dir', {})).toEqual({ ok: true, value: { path: dataDir } })

    const forbidden = { value: { ok: false, error: { code: 'ipc/forbidden' } } }
    expect(await invoke('app:version', {}, { frameUrl: 'https://evil.example/' })).toMatchObject(forbidden)
    expect(await invoke('app:version', {}, { frameUrl: 'file:///etc/passwd' })).toMatchObject(forbidden)
    expect(await invoke('app:version', {}, { frameUrl: 'app://mes-trace/index.html', subframe: true })).toMatchObject(forbidden)
    expect(await invoke('app:version', {}, { frameGone: true })).toMatchObject(forbidden)
    expect(await invoke('jobs:drop-all', {})).toEqual({ rejected: "Error invoking remote method 'jobs:drop-all': Error: No handler registered for 'jobs:drop-all'" })
  })

  it('serves the built renderer on app://mes-trace/ with the CSP, and nothing outside it', async () => {
    type Fetched = { url: string; status: number; headers: Record<string, string>; body: Uint8Array }
    const fetchApp = (url: string) => shell.request<Fetched>('fetch-url', { url })
    const expectSecurityHeaders = (response: Fetched, what: string) => {
      for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) expect(response.headers[name.toLowerCase()], `${what}: ${name}`).toBe(value)
    }

    const page = await fetchApp('app://mes-trace/index.html')
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toBe(HOST_CSP)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expectSecurityHeaders(page, 'index.html')
    const html = readFileSync(join(RENDERER_DIR, 'index.html'))
    expect(Buffer.from(page.body).equals(html)).toBe(true)
    // The page the window loaded carried the CSP too.
    expect((shell.recordsOf('load')[0]!.data.headers as Record<string, string>)['content-security-policy']).toBe(HOST_CSP)

    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html.toString('utf8'))?.[1]
    expect(script, 'a script in dist/renderer/index.html').toBeDefined()
    const asset = await fetchApp(`app://mes-trace/${script}`)
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toMatch(/javascript/)
    expectSecurityHeaders(asset, script!)
    expect(Buffer.from(asset.body).equals(readFileSync(join(RENDERER_DIR, script!)))).toBe(true)

    for (const url of [
      'app://mes-trace/../../etc/passwd',
      'app://mes-trace/%2e%2e/%2e%2e/etc/passwd',
      'app://mes-trace/..%2f..%2f..%2fetc%2fpasswd',
      'app://mes-trace/assets/..%2f..%2f..%2fpackage.json',
      'app://mes-trace/nope.html',
      'app://mes-trace/assets',
      'app://other-host/index.html',
    ]) {
      const refused = await fetchApp(url)
      expect(refused.status, url).toBe(404)
      expectSecurityHeaders(refused, url)
      expect(Buffer.from(refused.body).toString('utf8'), url).not.toContain('root:')
    }
  })

  it('denies web permissions, puts the CSP on other responses, and keeps every web contents on its page', async () => {
    expect(await shell.request('permission-request', { webContentsId: window.webContentsId, permission: 'media' })).toEqual({ granted: false, handled: true })
    expect(await shell.request('permission-check', { webContentsId: window.webContentsId, permission: 'notifications', origin: 'app://mes-trace' })).toEqual({ granted: false, handled: true })
    const headers = await shell.request<{ responseHeaders: Record<string, string[]> }>('headers-received', { url: 'https://www.electronjs.org/', responseHeaders: { 'X-Kept': ['1'] } })
    expect(headers.responseHeaders).toEqual({ 'X-Kept': ['1'], 'Content-Security-Policy': [HOST_CSP] })

    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      expect(await shell.request('navigate', { webContentsId: window.webContentsId, name, url: 'https://evil.example/' }), name).toEqual({ prevented: true })
    }
    const opened = shell.recordsOf('open-external').length
    expect(await shell.request('window-open', { webContentsId: window.webContentsId, url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    expect(await shell.request('window-open', { webContentsId: window.webContentsId, url: 'https://www.electronjs.org/docs' })).toEqual({ action: 'deny' })
    expect(shell.recordsOf('open-external').slice(opened).map((r) => r.data.url)).toEqual(['https://www.electronjs.org/docs'])
    expect(shell.recordsOf('window-created')).toHaveLength(1)
  })

  it('runs a trace in a utility process to finished, its progress reaching the window', async () => {
    sourceId = (await call<{ id: string }>('sources:add', { name: 'Plant', kind: 'sqlite', path: plant.out })).id
    const { job_id: jobId } = await call<{ job_id: string }>('jobs:enqueue', msdRequest())
    const finished = await whenStatus(jobId, ['finished', 'failed', 'cancelled'], 30_000)
    expect(finished).toMatchObject({ status: 'finished', error: null })
    finishedJobId = jobId

    const progress = shell.recordsOf('webcontents-send').filter((r) => r.data.channel === 'jobs:did-progress' && (r.data.args as [{ job_id: string }])[0].job_id === jobId)
    expect(progress.length).toBeGreaterThan(0)
    const finishedAt = shell.records.findIndex((r) => r.type === 'webcontents-send' && r.data.channel === 'jobs:did-change-status' && (r.data.args as [{ job: JobView }])[0].job.job_id === jobId && (r.data.args as [{ job: JobView }])[0].job.status === 'finished')
    expect(shell.records.indexOf(progress[0]!)).toBeLessThan(finishedAt)
    // The taskbar progress goes away once nothing runs.
    await shell.waitFor('the taskbar progress to be removed', () => (shell.recordsOf('progress-bar').at(-1)?.data.progress === -1 ? true : undefined), 5000)

    const pid = await workerOf(jobId)
    const spawned = shell.recordsOf('utility-spawn').find((r) => r.data.pid === pid)!.data
    expect(spawned.modulePath).toBe(join(SHELL_ROOT, 'dist', 'main', 'worker', 'entry.js'))
    expect(spawned.stdio).toEqual(['ignore', 'pipe', 'pipe'])
    // The worker's heap caps: the memory setting, and a small young generation.
    expect(spawned.execArgv).toEqual([expect.stringMatching(/^--max-old-space-size=\d+$/), '--max-semi-space-size=4'])
    // Only the worker's allow-list of the environment, not the shell's.
    expect(spawned.envNames).not.toContain('MES_TRACE_DATA_DIR')
    expect((spawned.envNames as string[]).filter((name) => /^(FAKE_ELECTRON|NODE_OPTIONS|NODE_CHANNEL|ELECTRON_RUN_AS_NODE)/.test(name))).toEqual([])
    await shell.waitForRecord('utility-exit', (d) => d.pid === pid)
    expect(await call<JobView>('jobs:status', { job_id: jobId })).toMatchObject({ status: 'finished', error: null })
  })

  it('cancels a running job: cancelled, never failed, and its worker gone — as under the Node host', async () => {
    const { job_id: jobId } = await call<{ job_id: string }>('jobs:enqueue', msdRequest())
    await whenStatus(jobId, ['running'])
    const pid = await workerOf(jobId)
    await call<JobView>('jobs:cancel', { job_id: jobId })
    const ended = await whenStatus(jobId, ['finished', 'failed', 'cancelled'])
    expect(ended).toMatchObject({ status: 'cancelled', error: null })
    expect(shell.recordsOf('utility-post').some((r) => r.data.type === 'cancel' && r.data.jobId === jobId)).toBe(true)
    await shell.waitForRecord('utility-exit', (d) => d.pid === pid)
    await shell.waitFor(`worker ${pid} to be gone`, () => (isAlive(pid) ? undefined : true))
  })

  it('fails a job whose utility process is killed (kill -9) with worker/crashed — as under the Node host', async () => {
    const { job_id: jobId } = await call<{ job_id: string }>('jobs:enqueue', msdRequest())
    const pid = await workerOf(jobId)
    await whenStatus(jobId, ['running'])
    process.kill(pid, 'SIGKILL')
    const ended = await whenStatus(jobId, ['finished', 'failed', 'cancelled'])
    expect(ended).toMatchObject({ status: 'failed', error: { code: 'worker/crashed' } })
    // Electron reports an exit code only (no signal name): a non-zero one.
    expect(shell.recordsOf('utility-exit').find((r) => r.data.pid === pid)!.data.code).not.toBe(0)
  })

  it('exports a result file through the save dialog and imports it when a second instance is started with it', async () => {
    expect(finishedJobId, 'a finished job (from the trace test) to export').toBeDefined()
    const outDir = join(dir, 'out')
    mkdirSync(outDir)
    const since = shell.records.length
    const exported = answer('jobs:export', { job_id: finishedJobId, format: 'sqlite' })
    const save = await answerDialog('showSaveDialog', { canceled: false, filePath: join(outDir, 'result-a.mtr') }, () => true, since)
    expect(save.data.windowId).toBe(window.windowId)
    expect((save.data.options as { defaultPath: string }).defaultPath).toMatch(/\.mtr$/)
    expect(await exported).toMatchObject({ ok: true })
    expect(existsSync(join(outDir, 'result-a.mtr'))).toBe(true)

    const before = shell.records.length
    await shell.request('app-emit', { name: 'second-instance', args: [[process.execPath, '--flag', 'result-a.mtr'], outDir, null] })
    const prompt = await answerDialog('showMessageBox', { response: 0 }, (o) => String(o.message).includes('"result-a.mtr"'), before)
    expect(prompt.data.windowId).toBe(window.windowId)
    expect(prompt.data.options).toMatchObject({ type: 'question', buttons: ['Import', 'Cancel'], cancelId: 1 })
    const job = await pollJob((jobs) => jobs.find((j) => j.source_id === 'import:result-a.mtr'))
    expect(job).toMatchObject({ status: 'finished', pinned: true })
    // Checked in a worker process before main read it.
    expect(shell.records.slice(before).some((r) => r.type === 'utility-post' && r.data.type === 'inspect')).toBe(true)
    expect(shell.records.slice(before).some((r) => r.type === 'window-focus' && r.data.windowId === window.windowId)).toBe(true)
  })

  it('asks before importing a file handed over with open-file, and imports it only on yes', async () => {
    expect(existsSync(join(dir, 'out', 'result-a.mtr')), 'the result file exported by the test before').toBe(true)
    const file = join(dir, 'out', 'result-b.mtr')
    copyFileSync(join(dir, 'out', 'result-a.mtr'), file)
    let since = shell.records.length
    expect(await shell.request('app-emit', { name: 'open-file', args: [file] })).toMatchObject({ defaultPrevented: true })
    await answerDialog('showMessageBox', { response: 1 }, (o) => String(o.message).includes('"result-b.mtr"'), since)
    since = shell.records.length
    await shell.request('app-emit', { name: 'open-file', args: [file] })
    await answerDialog('showMessageBox', { response: 0 }, (o) => String(o.message).includes('"result-b.mtr"'), since)
    await pollJob((jobs) => jobs.find((j) => j.source_id === 'import:result-b.mtr'))
    const jobs = await call<JobView[]>('jobs:list', { limit: 500 })
    expect(jobs.filter((j) => j.source_id === 'import:result-b.mtr')).toHaveLength(1)

    // A file that is not a result: refused with an error box naming why.
    const junk = join(dir, 'out', 'junk.mtr')
    writeFileSync(junk, 'not a result file')
    since = shell.records.length
    await shell.request('app-emit', { name: 'open-file', args: [junk] })
    await answerDialog('showMessageBox', { response: 0 }, (o) => String(o.message).includes('"junk.mtr"'), since)
    const box = await shell.waitForRecord('error-box', () => true, 10_000, since)
    expect(box.data.title).toBe('The result file was not imported')
    expect(String(box.data.content).length).toBeGreaterThan(0)
  })

  it('quits on before-quit: the running job’s worker stopped first, the catalog closed, the process ended', async () => {
    const { job_id: jobId } = await call<{ job_id: string }>('jobs:enqueue', msdRequest())
    const pid = await workerOf(jobId)
    await whenStatus(jobId, ['running'])
    await shell.request('quit')
    const exit = await shell.whenExited(15_000)
    expect(exit).toEqual({ code: 0, signal: null })

    const at = (type: string, match: (d: Record<string, unknown>) => boolean = () => true) => shell.records.findIndex((r) => r.type === type && match(r.data))
    const willQuit = at('will-quit')
    expect(willQuit, 'will-quit was emitted').toBeGreaterThan(0)
    expect(at('quit-prevented', (d) => d.by === 'before-quit')).toBeLessThan(willQuit)
    expect(at('utility-post', (d) => d.type === 'cancel' && d.jobId === jobId)).toBeLessThan(willQuit)
    // By will-quit (the catalog is closed before it) the job's worker has ended or been killed by
    // the app itself, and so has every other utility process still alive then.
    const willQuitRecord = shell.records[willQuit]!.data as { liveUtilityProcesses: { pid: number; signalled: string[] }[] }
    const workerExit = at('utility-exit', (d) => d.pid === pid)
    if (workerExit < 0 || workerExit > willQuit) {
      expect(willQuitRecord.liveUtilityProcesses.find((p) => p.pid === pid)?.signalled, 'the job’s worker was killed').toContain('SIGKILL')
    }
    // Every other utility process still alive then was stopped by the app too: the engine waits at
    // shutdown for a spare worker still starting and kills it once it is ready.
    for (const live of willQuitRecord.liveUtilityProcesses) {
      expect(live.signalled, `utility process ${live.pid} was stopped by the app`).not.toEqual([])
    }
    for (const spawned of shell.recordsOf('utility-spawn')) {
      const other = spawned.data.pid as number
      await shell.waitFor(`utility process ${other} to be gone`, () => (isAlive(other) ? undefined : true), 5000)
    }
    // A closed WAL database leaves no -wal file behind; one left open (or killed) does.
    expect(existsSync(join(dataDir, 'catalog.sqlite-wal'))).toBe(false)
    const catalog = new Database(join(dataDir, 'catalog.sqlite'), { readonly: true })
    try {
      const row = catalog.prepare('SELECT status FROM jobs WHERE job_id = ?').get(jobId) as { status: string } | undefined
      expect(row?.status).toBe('cancelled')
    } finally {
      catalog.close()
    }
  })

  /** Lists jobs until `pick` finds one (imports add their row when the worker's check is done). */
  async function pollJob(pick: (jobs: JobView[]) => JobView | undefined, timeoutMs = 15_000): Promise<JobView> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = pick(await call<JobView[]>('jobs:list', { limit: 500 }))
      if (found) return found
      if (Date.now() > deadline) throw new Error('timed out waiting for the job')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
})

describe('result files handed over before the app is ready', () => {
  let dir: string
  let shell: ShellProcess | undefined

  afterAll(async () => {
    await shell?.kill()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('asks about a file on the command line and one from open-file before ready, once the window exists', async () => {
    assertBuilt()
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-shell-early-'))
    const onCommandLine = join(dir, 'from-argv.mtr')
    const early = join(dir, 'before-ready.mtr')
    writeFileSync(onCommandLine, 'x')
    writeFileSync(early, 'x')
    shell = ShellProcess.launch({ dataDir: join(dir, 'data'), profileDir: join(dir, 'profile'), args: ['--inspect-nothing', onCommandLine], env: { FAKE_ELECTRON_READY: 'manual' } })
    await shell.waitForRecord('entry-evaluated')
    expect(await shell.request('app-emit', { name: 'open-file', args: [early] })).toMatchObject({ defaultPrevented: true })
    expect(shell.recordsOf('dialog')).toEqual([])
    await shell.request('ready')
    const windowId = (await shell.waitForRecord('window-created')).data.windowId
    const asked: string[] = []
    for (let i = 0; i < 2; i++) {
      const prompt = await shell.waitForRecord('dialog', (d) => d.method === 'showMessageBox' && !asked.includes(String((d.options as { message: string }).message)))
      expect(prompt.data.windowId).toBe(windowId)
      asked.push(String((prompt.data.options as { message: string }).message))
      await shell.request('answer-dialog', { id: prompt.data.id, answer: { response: 1 } })
    }
    expect(asked.sort()).toEqual(['Import the result file "before-ready.mtr"?', 'Import the result file "from-argv.mtr"?'])
    expect(shell.failureLines()).toEqual([])
  })
})

describe('a second instance of the shell', () => {
  let dir: string
  let shell: ShellProcess | undefined

  afterAll(async () => {
    await shell?.kill()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('quits at once when another instance holds the lock: no window, no worker, exit code 0', async () => {
    assertBuilt()
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-shell-second-'))
    shell = ShellProcess.launch({ dataDir: join(dir, 'data'), profileDir: join(dir, 'profile'), env: { FAKE_ELECTRON_INSTANCE_LOCK: 'held' } })
    expect(await shell.whenExited(15_000)).toEqual({ code: 0, signal: null })
    expect(shell.recordsOf('window-created')).toEqual([])
    expect(shell.recordsOf('utility-spawn')).toEqual([])
    expect(shell.failureLines()).toEqual([])
    expect(existsSync(join(dir, 'data', 'catalog.sqlite'))).toBe(false)
  })
})
