/**
 * The desktop app's export destination: a save dialog opened by main, attached to the window that
 * asked, starting in the folder of the last export (the Documents folder at first) with a
 * suggested name. The page never names the file. Electron is used by type only, so this is tested
 * with a fake dialog under plain Node.
 */
import { dirname, join } from 'node:path'
import type { BaseWindow, SaveDialogOptions, SaveDialogReturnValue } from 'electron'
import { EXPORT_EXTENSIONS, exportFileName, type ExportDestination, type ExportRequest } from '../results/index.js'

/** What the destination needs from Electron (fakes in tests). */
export interface SaveDialogPort {
  /** `dialog.showSaveDialog`, modal to `window` when there is one. */
  showSaveDialog(window: BaseWindow | null, options: SaveDialogOptions): Promise<SaveDialogReturnValue>
  /** The window of a caller (`wc-<webContents id>`), or null. */
  windowOf(clientId: string): BaseWindow | null
  /** Where the first dialog starts (`app.getPath('documents')`). */
  defaultFolder(): string
  /** The app's language (`app.getLocale()`), for the dialog's title and filter names. */
  locale(): string
}

const FILTERS: Readonly<Record<ExportRequest['format'], { zh: string; en: string }>> = {
  csv: { zh: 'CSV 檔', en: 'CSV file' },
  xlsx: { zh: 'Excel 活頁簿', en: 'Excel workbook' },
  sqlite: { zh: 'MES Trace 結果檔', en: 'MES Trace result file' },
}

/** The save-dialog destination; remembers the folder of the last export while the app runs. */
export function saveDialogDestination(port: SaveDialogPort, now: () => Date = () => new Date()): ExportDestination {
  let lastFolder: string | null = null
  return {
    async choose(request) {
      const zh = /^zh/i.test(port.locale())
      const extension = EXPORT_EXTENSIONS[request.format]
      const filter = FILTERS[request.format]
      const { canceled, filePath } = await port.showSaveDialog(port.windowOf(request.clientId), {
        title: zh ? '匯出' : 'Export',
        defaultPath: join(lastFolder ?? port.defaultFolder(), exportFileName(request, now())),
        filters: [{ name: zh ? filter.zh : filter.en, extensions: [extension] }],
        // No "replace it?" question: an export is always a new file, and an existing name is refused.
        properties: ['createDirectory'],
      })
      if (canceled || !filePath) return null
      lastFolder = dirname(filePath)
      return { path: filePath, delivery: 'saved' }
    },
  }
}
