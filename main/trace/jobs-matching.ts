/**
 * How the `jobs` domain matches repair jobs to lots (original-ui.md §3.1, docs/fidelity.md §5):
 *
 * - **machine window**: the job ran on a machine the lot was tracked in on (`RESOURCEID` =
 *   the history row's `EQUIPMENTID`) during the lot's time on it, every machine and every visit
 *   of the lot, not only its first machine over its whole lifetime as the original did;
 * - **container list**: the job's `CONTAINERIDS` comma list names the lot (the trace domain of
 *   domain.md §4.2).
 *
 * A (job, lot) pair is emitted once, labelled {@link MATCHED_BY_WINDOW}, {@link MATCHED_BY_LIST}
 * or {@link MATCHED_BY_BOTH}. This file holds the SQL of the machine-window read; the rows are
 * built in `event-domains.ts`.
 */
import type { Dialect, SqlParams } from '../sources/index.js'

/** `MATCHED_BY` of a job found on a machine the lot was on, during its time there, that does not list the lot. */
export const MATCHED_BY_WINDOW = 'machine_window'
/** `MATCHED_BY` of a job whose `CONTAINERIDS` lists the lot, outside any of the lot's machine windows. */
export const MATCHED_BY_LIST = 'container_list'
/** `MATCHED_BY` of a job that lists the lot and ran on its machine while the lot was there. */
export const MATCHED_BY_BOTH = 'both'

/** Every `MATCHED_BY` value. */
export const MATCHED_BY_VALUES = [MATCHED_BY_WINDOW, MATCHED_BY_LIST, MATCHED_BY_BOTH] as const

/** `MATCH_KIND` of a machine-window source row (list rows have `L` or no such column). */
export const WINDOW_ROW = 'W'
/** `MATCH_KIND` of a container-list source row. */
export const LIST_ROW = 'L'

/**
 * The overlap of a job `j` with one machine session `h` (original-ui.md §3.1 step 6, for the
 * window [track-in, track-out]): the job was created in the window, or completed in it, or was
 * created before it and still open or completed after it. A session without a track-out has not
 * ended: its window is open, so only its start bounds it (the three conditions with an endless
 * end). Columns are compared with each other only, so the text is the same on every dialect.
 */
export const WINDOW_OVERLAP_SQL = `(
    (j.CREATEDATE >= h.TRACKINTIMESTAMP AND (h.TRACKOUTTIMESTAMP IS NULL OR j.CREATEDATE <= h.TRACKOUTTIMESTAMP))
    OR (j.COMPLETEDATE >= h.TRACKINTIMESTAMP AND (h.TRACKOUTTIMESTAMP IS NULL OR j.COMPLETEDATE <= h.TRACKOUTTIMESTAMP))
    OR (j.CREATEDATE <= h.TRACKINTIMESTAMP
      AND (j.COMPLETEDATE IS NULL OR (h.TRACKOUTTIMESTAMP IS NOT NULL AND j.COMPLETEDATE >= h.TRACKOUTTIMESTAMP)))
  )`

/** The job columns every jobs read selects, in this order. */
export const JOB_SOURCE_COLUMNS = `j.JOBID, j.RESOURCEID, j.RESOURCENAME, j.JOBSTATUS, j.JOBMODELNAME, j.JOBORDERNAME, j.CREATEDATE,
  j.COMPLETEDATE, j.CAUSECODENAME, j.REPAIRCODENAME, j.SYMPTOMCODENAME, j.CONTAINERIDS, j.CONTAINERNAMES`

/**
 * The machine-window read of one batch of CIDs: one row per (history row of a batch lot, job on
 * that row's machine overlapping it), with the lot as `MATCHED_CID` and its name as
 * `MATCHED_NAME`. The history filters are the history domain's (a machine and a track-in), so
 * the windows are the sessions the history tab shows. A session tracked out in parts has a row per
 * part; a part without a track-out does not hold the session open when another part of it (same
 * lot, machine and track-in) has one, as the history tab keeps the last known track-out, so the
 * session's window ends at its last track-out. `params` receives the CIDs.
 */
export function windowSelect(dialect: Dialect, params: SqlParams, cids: readonly string[]): string {
  const inList = params.list(cids)
  return `SELECT ${JOB_SOURCE_COLUMNS},
  h.CONTAINERID AS MATCHED_CID, c.CONTAINERNAME AS MATCHED_NAME, '${WINDOW_ROW}' AS MATCH_KIND
FROM ${dialect.table('DW_MES_LOTWIPHISTORY')} h
JOIN ${dialect.table('DW_MES_JOB')} j ON j.RESOURCEID = h.EQUIPMENTID
LEFT JOIN ${dialect.table('DW_MES_CONTAINER')} c ON c.CONTAINERID = h.CONTAINERID
WHERE h.CONTAINERID IN (${inList})
  AND h.EQUIPMENTID IS NOT NULL
  AND h.TRACKINTIMESTAMP IS NOT NULL
  AND (h.TRACKOUTTIMESTAMP IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM ${dialect.table('DW_MES_LOTWIPHISTORY')} p
    WHERE p.CONTAINERID = h.CONTAINERID AND p.EQUIPMENTID = h.EQUIPMENTID
      AND p.TRACKINTIMESTAMP = h.TRACKINTIMESTAMP AND p.TRACKOUTTIMESTAMP IS NOT NULL))
  AND ${WINDOW_OVERLAP_SQL}`
}
