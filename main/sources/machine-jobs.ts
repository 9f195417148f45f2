/**
 * A machine's latest repair jobs (original-ui.md §5.3): `DW_MES_JOB` rows of one `RESOURCEID`
 * created over the last {@link MACHINE_JOB_DAYS} days of the source's data (ending on its last
 * track-in, not today: a replica that stopped a month ago still shows what it holds). Read by the
 * `(RESOURCEID, CREATEDATE)` index; a machine has a handful of jobs a month, so they are sorted
 * and cut here rather than with a dialect's row limit.
 */
import { compareCodeUnits } from '../../shared/compare.js'
import { dayOf, type SourceDataWindow } from '../../shared/data-window.js'
import { invalidInput } from '../../shared/errors.js'
import { MACHINE_JOB_DAYS, MACHINE_JOBS_SHOWN, type MachineJob, type MachineRecentJobs } from '../../shared/machine-jobs.js'
import { addDays, normalizePlantTime } from '../../shared/time.js'
import { readDataWindow } from './data-window.js'
import { SqlParams } from './dialect.js'
import type { MesSource } from './mes-source.js'

/** Options of {@link readMachineJobs}. */
export interface MachineJobsOptions {
  signal?: AbortSignal
  /** The source's data window when the caller has it; read otherwise. */
  window?: SourceDataWindow
  /** @default MACHINE_JOB_DAYS */
  days?: number
  /** @default MACHINE_JOBS_SHOWN */
  limit?: number
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null
  const s = String(value).trim()
  return s === '' ? null : s
}

/** The newest jobs of machine `equipmentId` created over the last days of the source's data. */
export async function readMachineJobs(source: MesSource, equipmentId: string, options: MachineJobsOptions = {}): Promise<MachineRecentJobs> {
  if (equipmentId.trim() === '') throw invalidInput('equipment_id', 'must name a machine (its RESOURCEID)')
  const window = options.window ?? (await readDataWindow(source, options.signal ? { signal: options.signal } : {}))
  const until = dayOf(window.last)
  if (!until) return { equipment_id: equipmentId, jobs: [], total: 0, since: null, until: null }
  const since = addDays(until, -((options.days ?? MACHINE_JOB_DAYS) - 1))
  const { dialect } = source
  const params = new SqlParams(dialect)
  const sql =
    `SELECT JOBID, JOBSTATUS, JOBMODELNAME, CREATEDATE, COMPLETEDATE, CAUSECODENAME, REPAIRCODENAME, SYMPTOMCODENAME ` +
    `FROM ${dialect.table('DW_MES_JOB')} WHERE RESOURCEID = ${params.add(equipmentId)} AND CREATEDATE >= ${params.timestamp(`${since} 00:00:00`)}`
  const rows = await source.all(sql, params.values, options.signal ? { signal: options.signal } : {})
  const jobs: MachineJob[] = rows.map((r) => ({
    job_id: String(r.JOBID ?? ''),
    status: text(r.JOBSTATUS),
    model: text(r.JOBMODELNAME),
    created: normalizePlantTime(r.CREATEDATE),
    completed: normalizePlantTime(r.COMPLETEDATE),
    cause: text(r.CAUSECODENAME),
    repair: text(r.REPAIRCODENAME),
    symptom: text(r.SYMPTOMCODENAME),
  }))
  // Newest first; equal times by job id, so the cut is the same on every database.
  jobs.sort((a, b) => compareCodeUnits(b.created ?? '', a.created ?? '') || compareCodeUnits(a.job_id, b.job_id))
  return { equipment_id: equipmentId, jobs: jobs.slice(0, options.limit ?? MACHINE_JOBS_SHOWN), total: jobs.length, since, until }
}
