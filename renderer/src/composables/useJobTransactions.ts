/**
 * The repair-jobs tab's transactions (original-ui.md §3.3–3.4): one job's transactions at a time,
 * read from the source the result was run on (`sources:job-transactions`), and the jobs export
 * with their transactions (`sources:job-transactions-export`), delivered as every export is (saved
 * by main in the desktop app, downloaded by the page in the browser host). An answer that arrives
 * after a newer ask, or after the panel was closed, is dropped.
 */
import { shallowRef, watch, type Ref } from 'vue'
import type { Api } from '../../../shared/api'
import type { JobTransactions } from '../../../shared/equipment'
import { call, describeError, type ErrorDescription } from './useApi'
import { startDownload, type ExportedFile } from './useExport'

/** Options of {@link useJobTransactions}. */
export interface JobTransactionsOptions {
  /** The result whose source is asked; a new result closes the panel. */
  jobId: Ref<string>
  /** The host's address of an exported file by name, or null where main saved it. */
  downloadUrlOf?: (name: string) => string | null
}

export function useJobTransactions(api: Api | null, options: JobTransactionsOptions) {
  /** The repair job (`JOBID`) whose transactions are open; null when the panel is closed. */
  const repairJob = shallowRef<string | null>(null)
  const answer = shallowRef<JobTransactions | null>(null)
  const error = shallowRef<ErrorDescription | null>(null)
  const loading = shallowRef(false)
  let ask = 0

  /** Opens the panel on `job` (the one job shown) and reads its transactions. */
  async function open(job: string): Promise<void> {
    const mine = ++ask
    repairJob.value = job
    answer.value = null
    error.value = null
    loading.value = true
    try {
      const value = await call(api, 'sources:job-transactions', { job_id: options.jobId.value, repair_job: job })
      if (mine === ask) answer.value = value
    } catch (e) {
      if (mine === ask) error.value = describeError(e)
    } finally {
      if (mine === ask) loading.value = false
    }
  }

  function close(): void {
    ask++
    repairJob.value = null
    answer.value = null
    error.value = null
    loading.value = false
  }

  const exportBusy = shallowRef(false)
  const exported = shallowRef<ExportedFile[]>([])
  const exportDelivery = shallowRef<'saved' | 'download'>('saved')
  const exportError = shallowRef<ErrorDescription | null>(null)

  /** Writes the result's jobs with their transactions; in the browser host the page downloads the file. */
  async function exportWithTransactions(format: 'csv' | 'xlsx'): Promise<void> {
    exportBusy.value = true
    exportError.value = null
    exported.value = []
    try {
      const written = await call(api, 'sources:job-transactions-export', { job_id: options.jobId.value, format })
      if (written.cancelled) return
      exportDelivery.value = written.delivery
      exported.value = written.files.map((f) => ({ ...f, url: written.delivery === 'download' ? (options.downloadUrlOf?.(f.name) ?? null) : null }))
      for (const file of exported.value) if (file.url) startDownload(file.url, file.name)
    } catch (e) {
      exportError.value = describeError(e)
    } finally {
      exportBusy.value = false
    }
  }

  watch(options.jobId, () => {
    close()
    exported.value = []
    exportError.value = null
  })

  return { repairJob, answer, error, loading, open, close, exportBusy, exported, exportDelivery, exportError, exportWithTransactions }
}
