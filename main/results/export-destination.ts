/**
 * Where an export asked for by a page goes. The page never names a file: the desktop app asks the
 * person in a save dialog opened by main (main/electron), and the browser host writes a new file
 * in the data folder's `exports` folder that the page then downloads. Either way the file is
 * written by `exportResult` with the target rules of `assertExportTarget`.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../../shared/errors.js'
import { EXPORTS_FOLDER } from './file-output.js'

/** What is being exported, for the name a destination suggests or gives. */
export interface ExportRequest {
  jobId: string
  /** The table, or null for a whole workbook or the result file. */
  table: string | null
  format: 'csv' | 'xlsx' | 'sqlite'
  /** Only what the table shows (its conditions, order, columns, selection): the name says `view`. @default false */
  view?: boolean
  /** Who asked (a window or a socket), for a dialog to belong to its window. */
  clientId: string
}

/** A file chosen for an export. */
export interface ExportTarget {
  path: string
  /** `saved` where the person chose, or `download` for the page to fetch by name. */
  delivery: 'saved' | 'download'
}

/** Chooses the file an export is written to; null when the person cancelled. */
export interface ExportDestination {
  choose(request: ExportRequest): Promise<ExportTarget | null>
}

/** The extension of each export format (`sqlite` is the app's result file, opened by double-click). */
export const EXPORT_EXTENSIONS: Readonly<Record<ExportRequest['format'], string>> = { csv: 'csv', xlsx: 'xlsx', sqlite: 'mtr' }

/**
 * `<job>-<table>-<YYYYMMDD-HHMMSS-mmm>.<ext>`, in local time: what an export is called; an export
 * of what a table shows ends in `-view` (`…-history-20261205-101500-000-view.csv`).
 */
export function exportFileName(request: Pick<ExportRequest, 'jobId' | 'table' | 'format' | 'view'>, at: Date): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
  const stamp = `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}-${pad(at.getMilliseconds(), 3)}`
  const what = request.table ?? (request.format === 'sqlite' ? 'result' : 'all')
  return `${request.jobId}-${what}-${stamp}${request.view === true ? '-view' : ''}.${EXPORT_EXTENSIONS[request.format]}`
}

/**
 * The browser host's destination: a new file in `<dataDir>/exports` (made on first use), named by
 * {@link exportFileName}; the page downloads it from the host. Two exports in one millisecond get
 * the same name, and the second is refused rather than replacing the first.
 */
export function exportsFolderDestination(dataDir: string, now: () => Date = () => new Date()): ExportDestination {
  return {
    async choose(request) {
      const dir = join(dataDir, EXPORTS_FOLDER)
      try {
        mkdirSync(dir, { recursive: true })
      } catch (error) {
        throw new AppError('storage/write-failed', `Creating the exports folder ${dir} failed: ${(error as Error).message}`, { path: dir })
      }
      return { path: join(dir, exportFileName(request, now())), delivery: 'download' }
    },
  }
}
