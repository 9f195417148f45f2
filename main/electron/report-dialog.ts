/**
 * The desktop app's way of saving an evidence report: a save dialog opened by main, attached to the
 * window that asked, starting in the folder of the last export or report (the Documents folder at
 * first), for an HTML file or a PDF. As with exports, the page never names the file and a name
 * that exists is asked for again, never replaced. Electron is used by type only, so this is tested
 * with a fake dialog under plain Node.
 */
import { existsSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import { reportFileName, type ReportFormat, type ReportRequest, type ReportSaver } from '../report/index.js'
import type { SaveDialogPort } from './export-dialog.js'

/** How often the dialog is shown again when the person picks a file that exists. */
const MAX_DIALOG_ROUNDS = 5

const FILTERS: Readonly<Record<ReportFormat, { zh: string; en: string }>> = {
  html: { zh: '證據報告 (HTML)', en: 'Evidence report (HTML)' },
  pdf: { zh: '證據報告 (PDF)', en: 'Evidence report (PDF)' },
}

/**
 * The report saver of the desktop app: `port` shows the dialog, `printToPdf` prints the report
 * (report-pdf.ts). A chosen name without the format's extension gets it (Linux dialogs do not add
 * it), and is checked again for an existing file.
 */
export function reportSaveDialog(port: SaveDialogPort, printToPdf: (html: string) => Promise<Uint8Array>, now: () => Date = () => new Date()): ReportSaver {
  let lastFolder: string | null = null
  return {
    printToPdf,
    async choose(request: ReportRequest) {
      const zh = request.locale === 'zh-TW'
      const exists = port.exists ?? existsSync
      const extension = request.format
      let defaultPath = join(lastFolder ?? port.defaultFolder(), reportFileName(request.jobId, request.format, now()))
      let title = zh ? '儲存證據報告' : 'Save the evidence report'
      for (let round = 0; round < MAX_DIALOG_ROUNDS; round++) {
        const { canceled, filePath } = await port.showSaveDialog(port.windowOf(request.clientId), {
          title,
          defaultPath,
          filters: [{ name: zh ? FILTERS[request.format].zh : FILTERS[request.format].en, extensions: [extension] }],
          properties: ['createDirectory', 'showOverwriteConfirmation'],
        })
        if (canceled || !filePath) return null
        const path = extname(filePath).toLowerCase() === `.${extension}` ? filePath : `${filePath}.${extension}`
        lastFolder = dirname(path)
        if (!exists(path)) return path
        title = zh ? `「${basename(path)}」已存在，報告不會取代檔案：請換個名稱` : `"${basename(path)}" exists and a report never replaces a file: choose another name`
        defaultPath = join(dirname(path), reportFileName(request.jobId, request.format, now()))
      }
      return null
    },
  }
}
