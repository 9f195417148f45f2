/**
 * Exports one table of a result: every row, or "this view" — what the table shows (its fixed
 * conditions and the person's boxes, order, visible columns, selected rows). The page never names
 * the file: main asks in a save dialog (desktop app) or writes a new file in the data folder's
 * `exports` folder that the page then downloads (browser host). `downloadUrlOf` turns such a
 * file's name into the host's address. A file saved by the desktop app can be shown in its folder.
 * Every other export of the app (the equipment tab's, the jobs with their transactions) is
 * delivered the same way through `deliver`.
 */
import { shallowRef } from 'vue'
import type { Api, ExportAnswer, ExportView } from '../../../shared/api'
import type { PageFilter } from '../../../shared/page-query'
import type { Domain } from '../../../shared/trace'
import type { TableView } from '../components/table/table-view'
import { call, describeError } from './useApi'

/** Starts a browser download of `url` as `name` (a link with `download`, clicked and removed). */
export function startDownload(url: string, name: string): void {
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
}

export type ExportTable = Domain | 'detail' | 'suspects'

/** A column a table shows that an export can write, with the label its header shows. */
export interface ExportColumn {
  key: string
  label?: string
}

/**
 * "This view" as `jobs:export` takes it: the table's fixed conditions after the person's (as the
 * table's pages send them, so main reads the same rows in the same order), the order, the shown
 * columns that hold data (`columns`, when given: a column of buttons is left out) with the labels
 * the header shows, and the selected rows.
 */
export function exportViewOf(view: TableView, fixedFilter: readonly PageFilter[] = [], columns?: readonly ExportColumn[]): ExportView {
  const known = columns ? new Map(columns.map((c) => [c.key, c])) : null
  const shown = view.columns.filter((key) => known === null || known.has(key))
  const filter = [...view.filter, ...fixedFilter]
  return {
    ...(filter.length > 0 ? { filter } : {}),
    ...(view.sort ? { sort: { column: view.sort.column, direction: view.sort.direction } } : {}),
    columns: shown,
    ...(known ? { headers: shown.map((key) => known.get(key)!.label ?? key) } : {}),
    ...(view.selection.length > 0 ? { selection: view.selection.map(([first, last]) => [first, last] as [number, number]) } : {}),
  }
}

/** A file an export wrote, with the address to download it from when the page must fetch it. */
export type ExportedFile = ExportAnswer['files'][number] & { url: string | null }

export interface UseExportOptions {
  /** The host's address of an exported file by name, or null where files are saved by main. */
  downloadUrlOf?: (name: string) => string | null
}

export function useExport(api: Api | null, options: UseExportOptions = {}) {
  const busy = shallowRef(false)
  const written = shallowRef<ExportedFile[]>([])
  const delivery = shallowRef<ExportAnswer['delivery']>('saved')
  const error = shallowRef<{ code: string; message: string } | null>(null)

  /**
   * Delivers what `request` writes, as every export of the app is: the browser host downloads
   * each written file by name, the desktop app keeps where it saved them (for "show in folder").
   * Resolves with the files it started downloading (none when they were saved or the dialog was
   * cancelled); a failure is kept in `error`.
   */
  async function deliver(request: () => Promise<ExportAnswer>): Promise<ExportedFile[]> {
    busy.value = true
    error.value = null
    written.value = []
    try {
      const answer = await request()
      if (answer.cancelled) return []
      delivery.value = answer.delivery
      written.value = answer.files.map((f) => ({ ...f, url: answer.delivery === 'download' ? (options.downloadUrlOf?.(f.name) ?? null) : null }))
      const downloads = written.value.filter((f) => f.url !== null)
      for (const file of downloads) startDownload(file.url!, file.name)
      return downloads
    } catch (e) {
      error.value = describeError(e)
      return []
    } finally {
      busy.value = false
    }
  }

  /** Runs the export of every row of a result's table, or of `view` only, and delivers it. */
  function run(jobId: string, table: ExportTable, format: 'csv' | 'xlsx', view?: ExportView): Promise<ExportedFile[]> {
    return deliver(() => call(api, 'jobs:export', { job_id: jobId, format, table, ...(view ? { view } : {}) }))
  }

  /** Opens the folder of a file the desktop app just saved, with the file selected. */
  async function showInFolder(path: string): Promise<void> {
    error.value = null
    try {
      await call(api, 'jobs:show-export', { path })
    } catch (e) {
      error.value = describeError(e)
    }
  }

  return { busy, written, delivery, error, deliver, run, showInFolder }
}
