/**
 * The Electron composition root. Everything with logic lives outside this folder and runs under
 * plain Node too; this file builds the services in order and wires Electron to them: one hardened
 * window on the app's own scheme, the service contract over IPC, worker utility processes, the
 * taskbar progress and notifications, and a clean shutdown.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, Menu, net, Notification, protocol, safeStorage, session, shell, webContents } from 'electron'
import type { BaseWindow, SaveDialogOptions } from 'electron'
import { resolveSettings, type EngineSettings } from '../../shared/settings.js'
import type { TraceProgress } from '../../shared/trace.js'
import { ENGINE_LOCK_FILE, JobEngine, traceWorkerEntry } from '../engine/index.js'
import { loadMachinePolicy } from '../policy/index.js'
import { ResultService } from '../results/index.js'
import { catalogPathOf, openCatalog, resultsDirOf } from '../store/index.js'
import { createServices, EventFanout, HOST_CSP, registerIpcTransport, secretStoreFor, ServiceRouter, type SecretCipher } from '../transport/index.js'
import { APP_HOST, APP_SCHEME, APP_SCHEME_PRIVILEGES, resolveAppRequest, withAppHeaders } from './app-protocol.js'
import { ElectronWorkerHost } from './electron-worker-host.js'
import { isAllowedExternalUrl } from './external-links.js'
import { saveDialogDestination } from './export-dialog.js'
import { reportSaveDialog } from './report-dialog.js'
import { printReportToPdf } from './report-pdf.js'
import { guardContents } from './navigation-guard.js'
import { shouldNotify, taskbarProgress } from './job-feedback.js'
import { importPromptOf, openedFileFacts, resultFilesIn } from './open-files.js'
import { decideUpdates } from './update-policy.js'
import { loadWindowState, MIN_HEIGHT, MIN_WIDTH, saveWindowState } from './window-state.js'

const here = fileURLToPath(new URL('.', import.meta.url))
// dist/main/electron → dist/renderer and dist/main/electron/preload.cjs
const RENDERER_DIR = join(here, '..', '..', 'renderer')
const PRELOAD = join(here, 'preload.cjs')
const START_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/** How long the engine gets to stop its workers when the app quits. */
const SHUTDOWN_DEADLINE_MS = 5000

// macOS hands over a double-clicked file with `open-file`, possibly before the app is ready:
// remember those until the services are up.
const filesOpenedEarly: string[] = []
let openFile: (path: string) => void = (path) => void filesOpenedEarly.push(path)
app.on('open-file', (event, path) => {
  event.preventDefault()
  openFile(path)
})

// One bad answer or event handler must not take the app down: a failure nobody caught is logged
// and the app keeps serving (each call is its own promise, durable state lives in SQLite
// transactions, traces run in worker processes).
process.on('uncaughtException', (error) => console.error('[main] uncaught exception:', error))
process.on('unhandledRejection', (reason) => console.error('[main] unhandled rejection:', reason))

// The scheme must be privileged before the app is ready.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }])

// Every web contents the app ever makes — not only the main window — stays on the app's own page:
// no navigation, redirect or webview, no new window; only allow-listed https links (external-links.ts)
// reach the user's browser.
app.on('web-contents-created', (_event, contents) => {
  guardContents(contents, (url) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url) /* eng-disable OPEN_EXTERNAL_JS_CHECK */
  })
})

async function main(): Promise<void> {
  await app.whenReady()

  // Storage (MES_TRACE_DATA_DIR moves it, as it does for the command line)
  const dataDir = process.env.MES_TRACE_DATA_DIR || app.getPath('userData')
  // MES_TRACE_POLICY_FILE is honoured only by a development build; the warnings (a policy file
  // others may change, so ignored; the variable not honoured) reach the log and the settings view.
  const { policy, warnings: policyWarnings } = loadMachinePolicy({ build: app.isPackaged ? 'packaged' : 'development' })
  for (const warning of policyWarnings) console.warn(`[policy] ${warning}`)
  const catalog = openCatalog(catalogPathOf(dataDir))
  // Read again after the settings view saves one, so the next trace uses it.
  const engineSettings = (): EngineSettings => resolveSettings({ policy: policy.settings, stored: catalog.allSettings(), env: process.env })
  const settings = engineSettings()

  // Jobs
  const engine = new JobEngine({
    catalog,
    host: new ElectronWorkerHost(),
    workerEntry: traceWorkerEntry(),
    resultsDir: resultsDirOf(dataDir),
    settings,
    appVersion: app.getVersion(),
    lockPath: join(dataDir, ENGINE_LOCK_FILE),
    // A worker ready ahead of each trace: a 5-lot trace does not wait for a process to start.
    spareWorker: true,
  })
  engine.start()
  const results = new ResultService(engine)

  // Exports and reports go where the person says in a save dialog; the page never names a file.
  const saveDialog = {
    showSaveDialog: (window: BaseWindow | null, options: SaveDialogOptions) => (window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options)),
    windowOf: (clientId: string) => {
      const contents = webContents.fromId(Number(clientId.replace(/^wc-/, '')))
      return contents ? BrowserWindow.fromWebContents(contents) : null
    },
    defaultFolder: () => app.getPath('documents'),
    locale: () => app.getLocale(),
  }

  // IPC
  const router = new ServiceRouter({
    handlers: createServices({
      engine,
      results,
      catalog,
      dataDir,
      appVersion: app.getVersion(),
      policy,
      policyWarnings,
      engineSettings,
      secrets: secretStoreFor(catalog, safeStorageCipher()),
      exportDestination: saveDialogDestination(saveDialog),
      // A report is saved as HTML or printed to PDF in a hidden window that loads nothing else.
      reportSaver: reportSaveDialog(saveDialog, printReportToPdf),
      // "Show in folder" after an export (the services allow only files this app just exported).
      folderRevealer: { showInFolder: (path) => shell.showItemInFolder(path) },
    }),
    onUnexpectedError: (error, channel) => console.error(`[ipc] ${channel}:`, error),
  })
  registerIpcTransport({ ipcMain, router })
  const fanout = new EventFanout(engine, (clientId) => router.forget(clientId))

  // Session: the app's scheme (its responses carry the CSP themselves), the CSP header on every
  // other response too, no web permissions.
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppRequest(request.url, RENDERER_DIR)
    if (!file) return withAppHeaders(new Response('Not found', { status: 404 }))
    return withAppHeaders(await net.fetch(pathToFileURL(file).toString()))
  })
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [HOST_CSP] } })
  })
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)

  // Windows
  const stateFile = join(dataDir, 'window-state.json')
  let mainWindow: BrowserWindow | null = null
  const createMainWindow = (): BrowserWindow => {
    const state = loadWindowState(stateFile)
    // The options are spelled out here, where the window is made, so a reader (and Electronegativity)
    // sees exactly what the window gets; tests/unit/electron/shell.test.ts reads them from this file.
    // Isolated, sandboxed, no Node in the renderer: only the preload's `window.api` crosses over.
    // (The remote module the next check asks about was removed from Electron in version 14.)
    const window = new BrowserWindow({ /* eng-disable REMOTE_MODULE_JS_CHECK */
      ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
      width: state.width,
      height: state.height,
      minWidth: MIN_WIDTH,
      minHeight: MIN_HEIGHT,
      show: false,
      title: 'MES Trace Desktop',
      webPreferences: {
        // Reviewed: sandboxed CommonJS that exposes only the service contract (preload.cts).
        preload: PRELOAD, /* eng-disable PRELOAD_JS_CHECK */
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
      },
    })
    if (state.maximized) window.maximize()
    window.once('ready-to-show', () => window.show())
    // Navigation, redirects, webviews and new windows are refused app-wide (web-contents-created below).
    window.on('close', () => {
      const bounds = window.getNormalBounds()
      try {
        saveWindowState(stateFile, { ...bounds, maximized: window.isMaximized() })
      } catch (error) {
        console.error('[window] saving its state failed:', error)
      }
    })
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null
    })
    fanout.subscribe(window.webContents)
    void window.loadURL(START_URL)
    return window
  }

  // Taskbar progress while jobs run; a notification when a long one ends.
  const running = new Map<string, TraceProgress>()
  const startedAt = new Map<string, number>()
  const showProgress = (): void => mainWindow?.setProgressBar(taskbarProgress(running))
  engine.onDidProgress(({ jobId, progress }) => {
    running.set(jobId, progress)
    showProgress()
  })
  engine.onDidChangeStatus(({ job }) => {
    const { job_id: jobId, status, error } = job
    if (status === 'queued') return
    if (status === 'running') {
      if (startedAt.has(jobId)) return
      startedAt.set(jobId, Date.now())
      return
    }
    running.delete(jobId)
    showProgress()
    const began = startedAt.get(jobId)
    startedAt.delete(jobId)
    if (began !== undefined && shouldNotify(status, Date.now() - began) && Notification.isSupported()) {
      new Notification({
        title: status === 'finished' ? 'Trace finished' : 'Trace failed',
        body: status === 'finished' ? `Job ${jobId} is ready.` : `Job ${jobId}: ${error?.message ?? 'failed'}`,
      }).show()
    }
  })

  // Menu
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { label: 'View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
      { role: 'windowMenu' },
    ]),
  )

  // Shutdown: stop taking work, give running workers a deadline, close the catalog, then quit.
  let quitting = false
  app.on('before-quit', (event) => {
    if (quitting) return
    quitting = true
    event.preventDefault()
    void engine
      .shutdown(SHUTDOWN_DEADLINE_MS)
      .catch((error: unknown) => console.error('[engine] shutdown:', error))
      .finally(() => {
        fanout.dispose()
        results.close()
        catalog.close()
        app.quit()
      })
  })

  // Updates: only installers that update themselves, unless the machine policy says otherwise.
  // electron-updater verifies the download's signature (verifyUpdateCodeSignature on Windows,
  // the code signature on macOS) before installing it.
  const updates = decideUpdates({
    packaged: app.isPackaged,
    hasUpdateMetadata: existsSync(join(process.resourcesPath, 'app-update.yml')),
    policy,
  })
  console.log(`[updates] ${updates.check ? 'checking' : 'not checking'}: ${updates.reason}`)
  if (updates.check) {
    const { autoUpdater } = await import('electron-updater')
    autoUpdater.autoInstallOnAppQuit = true
    autoUpdater.checkForUpdatesAndNotify().catch((error: unknown) => console.error('[updates] check failed:', error))
  }

  // Result files opened from the OS become (pinned) jobs of this data folder — after the user says
  // yes to a question naming the file, its size and where it came from. The file is checked in a
  // worker process under a time limit before anything here reads it.
  const openResults = async (paths: readonly string[]): Promise<void> => {
    for (const path of paths) {
      try {
        const prompt = importPromptOf(await openedFileFacts(path), app.getLocale())
        const options = { type: 'question' as const, title: prompt.title, message: prompt.message, detail: prompt.detail, buttons: prompt.buttons, defaultId: 1, cancelId: 1, noLink: true }
        const { response } = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options)
        if (response !== 0) continue
        const { row } = await engine.importResult(path)
        console.log(`[open] ${path} imported as ${row.job_id}`)
      } catch (error) {
        console.error(`[open] ${path} could not be imported:`, error)
        const message = error instanceof Error ? error.message : String(error)
        dialog.showErrorBox(/^zh/i.test(app.getLocale()) ? '無法匯入結果檔' : 'The result file was not imported', message)
      }
    }
  }

  mainWindow = createMainWindow()
  // The question about a file opened from the OS belongs to the window, so it is asked once that exists.
  void openResults([...resultFilesIn(process.argv.slice(1)), ...resultFilesIn(filesOpenedEarly.splice(0))])
  openFile = (path) => void openResults(resultFilesIn([path]))
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow()
  })
  app.on('second-instance', (_event, argv, workingDirectory) => {
    void openResults(resultFilesIn(argv.slice(1), workingDirectory))
    const window = mainWindow ?? createMainWindow()
    if (window.isMinimized()) window.restore()
    window.focus()
  })
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  main().catch((error: unknown) => {
    console.error('MES Trace could not start:', error)
    app.exit(1)
  })
}

/**
 * Source passwords encrypted by the OS. On Linux without a secret service Electron falls back to a
 * hard-coded key (`basic_text`): that is no protection, so passwords then stay in memory only.
 */
function safeStorageCipher(): SecretCipher {
  return {
    isAvailable: () => safeStorage.isEncryptionAvailable() && !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'),
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  }
}
