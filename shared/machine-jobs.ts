/**
 * A machine's latest repair jobs, as the MSD page's machine panel shows them (original-ui.md §5.3):
 * the newest few created over the last days of the source's data. Pure data, used by the source
 * read, the services and the renderer.
 */

/** Days of the source's data the machine panel looks back (the original's `SYSDATE − 30`). */
export const MACHINE_JOB_DAYS = 30

/** Jobs the machine panel lists, newest first. */
export const MACHINE_JOBS_SHOWN = 5

/** One repair job of a machine. */
export interface MachineJob {
  job_id: string
  status: string | null
  /** `JOBMODELNAME`. */
  model: string | null
  /** Plant-local `YYYY-MM-DDTHH:MM:SS`. */
  created: string | null
  /** Null while the job is still open (in progress): never a placeholder text. */
  completed: string | null
  cause: string | null
  repair: string | null
  symptom: string | null
}

/** The answer of `sources:machine-jobs`. */
export interface MachineRecentJobs {
  equipment_id: string
  /** The newest {@link MACHINE_JOBS_SHOWN} jobs created since `since`, newest first. */
  jobs: MachineJob[]
  /** Jobs created since `since` in all (more than `jobs` holds when it is cut). */
  total: number
  /**
   * First day looked at (`YYYY-MM-DD`): {@link MACHINE_JOB_DAYS} days before `until`; null when
   * the source has no data.
   */
  since: string | null
  /** Last day of the source's data (its last track-in), not today; null when it has none. */
  until: string | null
}
