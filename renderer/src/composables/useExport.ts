/**
 * Exports one table of a result. The page never names the file: main asks in a save dialog
 * (desktop app) or writes a new file in the data folder's `exports` folder that the page then
 * downloads (browser host). `downloadUrlOf` turns such a file's name into the host's address.
 */
import { shallowRef } from 'vue'
import type { Api, ExportAnswer } from '../../../shared/api'
import type { Domain } from '../../../shared/trace'
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

  /** Runs the export; resolves with the files to download (empty when they were saved or the dialog was cancelled). */
  async function run(jobId: string, table: ExportTable, format: 'csv' | 'xlsx'): Promise<ExportedFile[]> {
    busy.value = true
    error.value = null
    written.value = []
    try {
      const answer = await call(api, 'jobs:export', { job_id: jobId, format, table })
      if (answer.cancelled) return []
      delivery.value = answer.delivery
      written.value = answer.files.map((f) => ({ ...f, url: answer.delivery === 'download' ? (options.downloadUrlOf?.(f.name) ?? null) : null }))
      return written.value.filter((f) => f.url !== null)
    } catch (e) {
      error.value = describeError(e)
      return []
    } finally {
      busy.value = false
    }
  }

  return { busy, written, delivery, error, run }
}
