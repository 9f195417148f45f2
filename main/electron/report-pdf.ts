/**
 * Printing an evidence report to PDF with Electron's own browser engine: the report is written to
 * a private temporary folder and loaded, from there, into a hidden window of its own in-memory
 * session with JavaScript off, every request but that file refused, and no permission granted —
 * the report has no script and loads nothing, and this window could not run or fetch anything even
 * if it did. Chromium then prints it (A4, backgrounds on, the report's own print styles), and the
 * window and the folder are removed whatever happens.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { BrowserWindow, session } from 'electron'

/** The session the report windows use: in memory only, with its own (empty) rules. */
const REPORT_PARTITION = 'mes-trace-report-pdf'

/** The report printed to PDF. */
export async function printReportToPdf(html: string): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'mes-trace-report-'))
  const file = join(dir, 'report.html')
  const allowed = pathToFileURL(file).toString()
  const reportSession = session.fromPartition(REPORT_PARTITION)
  reportSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: details.url !== allowed }))
  reportSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  reportSession.setPermissionCheckHandler(() => false)
  writeFileSync(file, html, { encoding: 'utf8', mode: 0o600 })
  const window = new BrowserWindow({
    show: false,
    width: 1240,
    height: 1754,
    webPreferences: {
      session: reportSession,
      javascript: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  })
  try {
    await window.loadFile(file)
    return await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true })
  } finally {
    window.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
}
