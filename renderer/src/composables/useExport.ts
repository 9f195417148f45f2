/** Exports one table of a result into a folder (the data folder's `exports` by default), a new file each time. */
import { ref, shallowRef } from 'vue'
import type { Api, Responses } from '../../../shared/api'
import type { Domain } from '../../../shared/trace'
import { call, describeError } from './useApi'

export type ExportTable = Domain | 'detail' | 'suspects'

/** `<job>-<table>-<YYYYMMDD-HHMMSS-mmm>.<ext>` in `folder`, with the folder's own separator. */
export function exportPathOf(folder: string, jobId: string, table: ExportTable, format: 'csv' | 'xlsx', at: Date): string {
  const sep = folder.includes('\\') ? '\\' : '/'
  const pad = (n: number) => String(n).padStart(2, '0')
  const stamp = `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}-${String(at.getMilliseconds()).padStart(3, '0')}`
  return `${folder.replace(/[\\/]+$/, '')}${sep}${jobId}-${table}-${stamp}.${format}`
}

export function useExport(api: Api | null) {
  const folder = ref('')
  const busy = ref(false)
  const written = shallowRef<Responses['jobs:export']['files']>([])
  const error = shallowRef<{ code: string; message: string } | null>(null)

  /** The data folder's `exports` folder as the default target. */
  async function loadDefaultFolder(): Promise<void> {
    try {
      const { path } = await call(api, 'app:data-dir', {})
      folder.value = `${path}${path.includes('\\') ? '\\' : '/'}exports`
    } catch {
      folder.value = ''
    }
  }

  async function run(jobId: string, table: ExportTable, format: 'csv' | 'xlsx'): Promise<void> {
    busy.value = true
    error.value = null
    written.value = []
    try {
      written.value = (await call(api, 'jobs:export', { jobId, format, table, path: exportPathOf(folder.value.trim(), jobId, table, format, new Date()) })).files
    } catch (e) {
      error.value = describeError(e)
    } finally {
      busy.value = false
    }
  }

  return { folder, busy, written, error, loadDefaultFolder, run }
}
