/**
 * A machine's latest repair jobs for the MSD machine panel (`sources:machine-jobs`, asked of the
 * source a result was run on), read again whenever the result or the machine changes; an answer that arrives after a newer ask is dropped.
 */
import { shallowRef, watch, type Ref } from 'vue'
import type { MachineRecentJobs } from '../../../shared/machine-jobs'
import { call, describeError, useApi, type ErrorDescription } from './useApi'

/** Options of {@link useMachineJobs}. */
export interface MachineJobsOptions {
  /** The result whose source is asked; null when it has none to ask (an imported result). */
  jobId: Ref<string | null>
  /** The machine's `RESOURCEID`; null or empty when the source did not record one. */
  equipmentId: Ref<string | null>
}

export function useMachineJobs(options: MachineJobsOptions) {
  const api = useApi()
  const jobs = shallowRef<MachineRecentJobs | null>(null)
  const error = shallowRef<ErrorDescription | null>(null)
  const loading = shallowRef(false)
  let ask = 0

  async function load(): Promise<void> {
    const mine = ++ask
    jobs.value = null
    error.value = null
    const id = options.jobId.value
    const machine = options.equipmentId.value
    if (!id || !machine) {
      loading.value = false
      return
    }
    loading.value = true
    try {
      const value = await call(api, 'sources:machine-jobs', { job_id: id, equipment_id: machine })
      if (mine === ask) jobs.value = value
    } catch (e) {
      if (mine === ask) error.value = describeError(e)
    } finally {
      if (mine === ask) loading.value = false
    }
  }

  watch([options.jobId, options.equipmentId], () => void load(), { immediate: true })
  return { jobs, error, loading, reload: load }
}
