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
import { useExport } from './useExport'

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

  // Delivered as every export is; a file is shown in its folder through `showExport`.
  const exporting = useExport(api, options)

  /** Writes the result's jobs with their transactions; in the browser host the page downloads the file. */
  async function exportWithTransactions(format: 'csv' | 'xlsx'): Promise<void> {
    await exporting.deliver(() => call(api, 'sources:job-transactions-export', { job_id: options.jobId.value, format }))
  }

  watch(options.jobId, () => {
    close()
    exporting.written.value = []
    exporting.error.value = null
  })

  return {
    repairJob,
    answer,
    error,
    loading,
    open,
    close,
    exportBusy: exporting.busy,
    exported: exporting.written,
    exportDelivery: exporting.delivery,
    exportError: exporting.error,
    exportWithTransactions,
    showExport: exporting.showInFolder,
  }
}
