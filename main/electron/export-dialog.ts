/**
 * The desktop app's export destination: a save dialog opened by main, attached to the window that
 * asked, starting in the folder of the last export (the Documents folder at first) with a
 * suggested name. The page never names the file. Electron is used by type only, so this is tested
 * with a fake dialog under plain Node.
 */
import { existsSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
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
  /** Whether something is at `path` already. @default fs.existsSync */
  exists?(path: string): boolean
}

/** How often the dialog is shown again when the person picks a file that exists. */
const MAX_DIALOG_ROUNDS = 5

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
      const exists = port.exists ?? existsSync
      const extension = EXPORT_EXTENSIONS[request.format]
      const filter = FILTERS[request.format]
      let defaultPath = join(lastFolder ?? port.defaultFolder(), exportFileName(request, now()))
      let title = zh ? '匯出' : 'Export'
      // An export is always a new file. Windows and macOS dialogs ask "replace it?" themselves; a
      // name that exists is not refused after a yes there, but asked for again.
      for (let round = 0; round < MAX_DIALOG_ROUNDS; round++) {
        const { canceled, filePath } = await port.showSaveDialog(port.windowOf(request.clientId), {
          title,
          defaultPath,
          filters: [{ name: zh ? filter.zh : filter.en, extensions: [extension] }],
          properties: ['createDirectory'],
        })
        if (canceled || !filePath) return null
        lastFolder = dirname(filePath)
        if (!exists(filePath)) return { path: filePath, delivery: 'saved' }
        title = zh ? `「${basename(filePath)}」已存在，匯出不會取代檔案：請換個名稱` : `"${basename(filePath)}" exists and an export never replaces a file: choose another name`
        defaultPath = join(dirname(filePath), exportFileName(request, now()))
      }
      return null
    },
  }
}
