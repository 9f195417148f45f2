/**
 * The equipment tab (設備生產批次追蹤, original-ui.md §1) and the repair-job transactions
 * (original-ui.md §3.3–3.4): what the renderer asks main and what it gets back. Pure data, shared
 * by the source reads (main/sources/equipment.ts), the services and the renderer.
 *
 * Every answer is a fast, bounded query on the source, never a background job: the request names
 * at most `EQUIPMENT_MAX_MACHINES` machines over at most `EQUIPMENT_MAX_DAYS` days (settings), and
 * each read goes through an index of the source schema (`ix_wip_equipment`, `ix_job_resource`,
 * `ix_reject_equipment`, `ix_status_machine`, `ix_jobtxn_job`). The lots view is paged on the
 * source; the other views hold a handful of rows per machine and day and come whole.
 */
import type { EventRow } from './trace.js'

/** The sub-views of the equipment tab, in tab order (the original's `equipment_sub_tab`). */
export const EQUIPMENT_VIEWS = ['lots', 'jobs', 'rejects', 'timeline'] as const
export type EquipmentView = (typeof EQUIPMENT_VIEWS)[number]

/** What can be exported from the tab: a sub-view's table, or the timeline's status hours. */
export const EQUIPMENT_EXPORTS = ['lots', 'jobs', 'rejects', 'status_hours'] as const
export type EquipmentExport = (typeof EQUIPMENT_EXPORTS)[number]

/** Days the date range covers when the tab opens: the last 30 days of the source's data. */
export const EQUIPMENT_DEFAULT_DAYS = 30

/** Lot bars one timeline answer holds at most; past it the answer says it was cut. */
export const EQUIPMENT_TIMELINE_MAX_LOTS = 5000

/** Most machines a request may name whatever the setting says (the setting is at most this). */
export const EQUIPMENT_HARD_MAX_MACHINES = 500

/**
 * Optional `DW_MES_RESOURCE` columns the original uses to keep only production machines
 * (original-ui.md §1.1); each filter applies only where the source has the column.
 */
export const RESOURCE_PRODUCTION_COLUMNS = ['OBJECTCATEGORY', 'OBJECTTYPE', 'LOCATIONNAME', 'PJ_ASSETSSTATUS'] as const

/** Locations whose machines are not production machines (original-ui.md §1.1). */
export const NON_PRODUCTION_LOCATIONS: readonly string[] = [
  'ATEC', 'F區', 'F區焊接站', '報廢', '實驗室', '山東', '成型站_F區', '焊接F區', '無錫', '熒茂',
]

/** One machine of the picker. */
export interface ProductionMachine {
  /** `RESOURCEID` (what the lots, jobs and status tables name a machine by). */
  resource_id: string
  /** `RESOURCENAME` (what the reject table names it by). */
  name: string
  /** `WORKCENTERNAME`. */
  workcenter: string | null
  /** The station group (one of the 12) of the workcenter; null when none matches. */
  station: string | null
  /** `RESOURCEFAMILYNAME`. */
  family: string | null
}

/** The answer of `equipment:machines`. */
export interface MachineList {
  /** Sorted by station order, workcenter, then name. */
  machines: ProductionMachine[]
  /**
   * Where the list came from: `resource` = `DW_MES_RESOURCE` (production machines, filtered by
   * whichever of {@link RESOURCE_PRODUCTION_COLUMNS} it has); `history` = the source lacks
   * `DW_MES_RESOURCE`, so the machines are those that tracked lots in over the last
   * {@link EQUIPMENT_DEFAULT_DAYS} days of its data.
   */
  from: 'resource' | 'history'
  /** The {@link RESOURCE_PRODUCTION_COLUMNS} the production filter used. */
  filtered_by: string[]
  /** Optional tables the tab's views need that the source lacks, e.g. `DW_MES_RESOURCESTATUS_SHIFT`. */
  missing_tables: string[]
  /** The default date range: the last {@link EQUIPMENT_DEFAULT_DAYS} days of the source's data; null when it has none. */
  default_range: { start: string; end: string } | null
  /** The limits a request must keep (the settings `EQUIPMENT_MAX_MACHINES`, `EQUIPMENT_MAX_DAYS`). */
  limits: { max_machines: number; max_days: number }
}

/**
 * What every equipment read takes: a saved source, the machines (`RESOURCEID`s, in the order
 * picked) and a date range, both ends inclusive (`col >= start 00:00 AND col < end + 1 day`).
 */
export interface EquipmentQuery {
  id: string
  equipment_ids: string[]
  start_date: string
  end_date: string
}

/**
 * Columns of the lots view (`DW_MES_LOTWIPHISTORY` ⟕ `DW_MES_CONTAINER`), in the original's order:
 * LOT ID, WAFER LOT, TYPE, BOP, SPECNAME, WORKORDER, TRACKINTIMESTAMP, TRACKOUTTIMESTAMP,
 * TRACKINQTY, TRACKOUTQTY, EQUIPMENTNAME, WORKCENTERNAME; then the ids.
 */
export const EQUIPMENT_LOT_COLUMNS = [
  'CONTAINERNAME', 'FIRSTNAME', 'PJ_TYPE', 'PJ_BOP', 'SPECNAME', 'PJ_WORKORDER', 'TRACKINTIMESTAMP',
  'TRACKOUTTIMESTAMP', 'TRACKINQTY', 'TRACKOUTQTY', 'EQUIPMENTNAME', 'WORKCENTERNAME', 'CONTAINERID', 'EQUIPMENTID',
] as const

/** Columns of the jobs view (`DW_MES_JOB`): the 8 shown, then the 5 of the expanded row. */
export const EQUIPMENT_JOB_COLUMNS = [
  'JOBID', 'JOBSTATUS', 'CAUSECODENAME', 'REPAIRCODENAME', 'SYMPTOMCODENAME', 'CREATEDATE', 'COMPLETEDATE',
  'RESOURCENAME', 'RESOURCEID', 'JOBMODELNAME', 'JOBORDERNAME', 'CONTAINERIDS', 'CONTAINERNAMES',
] as const

/**
 * Columns of the rejects view, one row per (machine name, loss reason): `TOTAL_REJECT_QTY` =
 * Σ`REJECTQTY`; `TOTAL_CHARGE_OFF_QTY` = Σ of the five charge-off fields (the original's
 * `TOTAL_DEFECT_QTY`, renamed: on the lot tab "defect" is the non-charge-off amount);
 * `TOTAL_DEFECT_QTY` = Σ`DEFECTQTY` (不扣帳報廢量); `AFFECTED_LOT_COUNT` = distinct CIDs.
 */
export const EQUIPMENT_REJECT_COLUMNS = [
  'EQUIPMENTNAME', 'LOSSREASONNAME', 'TOTAL_REJECT_QTY', 'TOTAL_CHARGE_OFF_QTY', 'TOTAL_DEFECT_QTY', 'AFFECTED_LOT_COUNT',
] as const

/** The machine statuses of `DW_MES_RESOURCESTATUS_SHIFT`, in the order they are shown. */
export const MACHINE_STATUSES = ['PRD', 'SBY', 'UDT', 'SDT', 'EGT', 'NST'] as const
export type MachineStatus = (typeof MACHINE_STATUSES)[number]

/**
 * Columns of the status hours (per machine): `PRD_HOURS` … `NST_HOURS`, `TOTAL_HOURS` and
 * `OU_PERCENT` = PRD / (PRD + SBY + UDT) × 100 to 2 decimals (null when that is 0).
 */
export const EQUIPMENT_STATUS_COLUMNS = [
  'RESOURCEID', 'RESOURCENAME', 'PRD_HOURS', 'SBY_HOURS', 'UDT_HOURS', 'SDT_HOURS', 'EGT_HOURS', 'NST_HOURS',
  'TOTAL_HOURS', 'OU_PERCENT',
] as const

/** A page of the lots view: ordered by machine name, track-in, lot id. */
export interface EquipmentLotsPage {
  rows: EventRow[]
  /** Rows of the whole query. */
  total: number
  offset: number
  limit: number
}

/** The jobs view: jobs created in the range on the machines, by machine name, then newest first. */
export interface EquipmentJobs {
  rows: EventRow[]
}

/** The rejects view: by machine name, then charge-off quantity, largest first. */
export interface EquipmentRejects {
  rows: EventRow[]
}

/** One stretch of a machine's status: `[start, end)`, from a `DW_MES_RESOURCESTATUS_SHIFT` row (`TXNDATE` + `HOURS`). */
export interface StatusSegment {
  resource_id: string
  status: string
  start: string
  end: string
  hours: number
}

/** A lot on a machine in the timeline: track-in to track-out (null while not tracked out). */
export interface TimelineLot {
  resource_id: string
  container_id: string
  lot_id: string
  spec: string | null
  workcenter: string | null
  start: string
  end: string | null
}

/** A repair job in the timeline. */
export interface TimelineJob {
  resource_id: string
  job_id: string
  status: string | null
  created: string | null
  completed: string | null
  cause: string | null
  repair: string | null
  symptom: string | null
  container_names: string | null
}

/** The answer of `equipment:timeline`. */
export interface EquipmentTimeline {
  /** The machines asked for, in the order asked, with their names (the id when the source has none). */
  machines: { resource_id: string; name: string }[]
  /** The range as times: `start 00:00:00` … `end + 1 day 00:00:00`. */
  window: { start: string; end: string }
  /** Status stretches in real chronology; null when the source lacks `DW_MES_RESOURCESTATUS_SHIFT`. */
  status: StatusSegment[] | null
  /** Status hours per machine (rows of {@link EQUIPMENT_STATUS_COLUMNS}); null as `status`. */
  hours: EventRow[] | null
  /** At most {@link EQUIPMENT_TIMELINE_MAX_LOTS}, earliest first. */
  lots: TimelineLot[]
  /** Lot visits in the range in all (more than `lots` holds when cut). */
  lots_total: number
  jobs: TimelineJob[]
  /** Optional tables this view needs that the source lacks. */
  missing_tables: string[]
}

/** Columns of a repair job's transactions (`DW_MES_JOBTXNHISTORY`), ordered by `TXNDATE`. */
export const JOB_TRANSACTION_COLUMNS = [
  'JOBTXNHISTORYID', 'JOBID', 'TXNDATE', 'FROMJOBSTATUS', 'JOBSTATUS', 'STAGENAME', 'TOSTAGENAME', 'CAUSECODENAME',
  'REPAIRCODENAME', 'SYMPTOMCODENAME', 'USER_EMPNO', 'USER_NAME', 'EMP_EMPNO', 'EMP_NAME', 'COMMENTS', 'CDONAME',
  'JOBMODELNAME', 'JOBORDERNAME',
] as const

/** The answer of `sources:job-transactions`. */
export interface JobTransactions {
  /** The repair job (`JOBID`). */
  job: string
  /** Its transactions, oldest first; empty when it has none or the table is missing. */
  rows: EventRow[]
  /** `DW_MES_JOBTXNHISTORY` when the source lacks it (the panel says so); null otherwise. */
  missing_table: string | null
}

/**
 * Columns of the jobs export with transactions (original-ui.md §3.4), one row per job ×
 * transaction; unlike the original a job without transactions keeps one row with empty
 * transaction fields (a LEFT JOIN, not an INNER JOIN). `LOT_ID` (header `LOT ID`) holds the
 * result's lots the job was matched to (`, `-separated, in the result's order): a job matched by
 * machine window lists no lot of its own. The job's own list, `CONTAINERNAMES`, comes last.
 */
export const JOB_WITH_TRANSACTION_COLUMNS = [
  'LOT_ID', 'RESOURCENAME', 'JOBID', 'JOB_FINAL_STATUS', 'JOBMODELNAME', 'JOBORDERNAME', 'JOB_CREATEDATE',
  'JOB_COMPLETEDATE', 'JOB_CAUSECODENAME', 'JOB_REPAIRCODENAME', 'JOB_SYMPTOMCODENAME', 'TXNDATE', 'FROMJOBSTATUS',
  'TXN_JOBSTATUS', 'STAGENAME', 'TXN_CAUSECODENAME', 'TXN_REPAIRCODENAME', 'TXN_SYMPTOMCODENAME', 'USER_NAME', 'EMP_NAME',
  'COMMENTS', 'CONTAINERNAMES',
] as const
