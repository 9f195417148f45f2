/**
 * The history: finished results found by a text (a lot ID, a work order, a station, a date, a job
 * id), searched again a moment after the text changes, and result files imported as jobs.
 */
import { onScopeDispose, ref, shallowRef, watch } from 'vue'
import type { Api } from '../../../shared/api'
import type { JobView } from '../../../shared/jobs'
import { call, describeError } from './useApi'
import type { JobsStore } from './useJobs'

export interface UseHistoryOptions {
  api: Api | null
  jobs: JobsStore
  /** Pause after typing before searching. @default 250 */
  debounceMs?: number
  /** Results shown. @default 200 */
  limit?: number
}

export function useHistory(options: UseHistoryOptions) {
  const { api, jobs } = options
  const text = ref('')
  const results = shallowRef<JobView[]>([])
  const error = shallowRef<{ code: string; message: string } | null>(null)
  const importing = ref(false)
  const importError = shallowRef<{ code: string; message: string } | null>(null)
  /** Bumped per search: a slow answer to an older search never replaces a newer one. */
  let searches = 0

  async function search(): Promise<void> {
    const mine = ++searches
    try {
      const query = text.value.trim()
      const found = await call(api, 'jobs:list', { status: 'finished', limit: options.limit ?? 200, ...(query ? { text: query } : {}) })
      if (mine !== searches) return
      results.value = found
      error.value = null
    } catch (e) {
      if (mine === searches) error.value = describeError(e)
    }
  }

  let timer: ReturnType<typeof setTimeout> | undefined
  watch(text, () => {
    clearTimeout(timer)
    timer = setTimeout(() => void search(), options.debounceMs ?? 250)
  })
  onScopeDispose(() => clearTimeout(timer))

  /** Registers a result file as a job; its view, or null with `importError` set. */
  async function importFile(path: string): Promise<JobView | null> {
    importing.value = true
    importError.value = null
    try {
      const view = await call(api, 'jobs:import', { path: path.trim() })
      await jobs.track(view.job_id)
      return view
    } catch (e) {
      importError.value = describeError(e)
      return null
    } finally {
      importing.value = false
    }
  }

  return { text, results, error, search, importing, importError, importFile }
}
