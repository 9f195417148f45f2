/**
 * The Electron composition root: one hardened window showing the renderer. Everything with logic
 * lives outside this folder and runs under plain Node too; this file only wires Electron.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, session } from 'electron'
import { hardenedWebPreferences } from './window-options.js'

const here = fileURLToPath(new URL('.', import.meta.url))
// dist/main/electron → dist/renderer and dist/main/electron/preload.cjs
const RENDERER_INDEX = join(here, '..', '..', 'renderer', 'index.html')
const PRELOAD = join(here, 'preload.cjs')

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1280,
    minHeight: 720,
    show: false,
    title: 'MES Trace Desktop',
    webPreferences: hardenedWebPreferences(PRELOAD),
  })
  window.once('ready-to-show', () => window.show())
  // The renderer is a local app: it never navigates away or opens windows of its own.
  window.webContents.on('will-navigate', (event) => event.preventDefault())
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  void window.loadFile(RENDERER_INDEX)
  return window
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows()
    if (window) {
      if (window.isMinimized()) window.restore()
      window.focus()
    }
  })
  void app.whenReady().then(() => {
    // No web permission (camera, notifications, geolocation…) is ever needed by the renderer.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
    createMainWindow()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow()
  })
}
