/**
 * What a source holds in time (its data window), the loss reasons it knows at a station, and how a
 * finished trace that found nothing explains itself. Pure data and pure functions: used by the
 * sources, the trace worker, the services, the CLI and the renderer.
 */
import type { RequestSummary } from './jobs.js'
import { addDays, parseCalendarDate } from './time.js'

/** First and last event time, plant-local `YYYY-MM-DDTHH:MM:SS`; both null when there is none. */
export interface TimeWindow {
  first: string | null
  last: string | null
}

/**
 * A source's data window: the first and last track-in of its WIP history, over all workcenters and
 * per station group (by the group's workcenter rules), so the window of any detection station is
 * known without asking again.
 */
export interface SourceDataWindow extends TimeWindow {
  /** Station group name (e.g. `測試`) → the track-ins at its workcenters; groups with none are absent. */
  stations: Record<string, TimeWindow>
  /** Raw workcenter names of each station group, as found in the WIP history. */
  workcenters: Record<string, string[]>
}

/** Loss reasons recorded at a station over the last {@link LOSS_REASON_DAYS} days of its data. */
export interface StationLossReasons {
  station: string
  /** Distinct non-empty `LOSSREASONNAME`s, sorted. */
  reasons: string[]
  /**
   * First day looked at (`YYYY-MM-DD`): {@link LOSS_REASON_DAYS} days before `until`, or the
   * station's first day of data when that is later; null when the station has no data.
   */
  since: string | null
  /** Last day of the station's data (`YYYY-MM-DD`); null when it has none. */
  until: string | null
}

/** Days of a station's data its loss-reason list covers (the original's 180, narrowed by station). */
export const LOSS_REASON_DAYS = 180

/** Days of the MSD form's default range (the last week of the station's data). */
export const DEFAULT_RANGE_DAYS = 7

/** The calendar day (`YYYY-MM-DD`) of a plant time, or null. */
export function dayOf(time: string | null | undefined): string | null {
  if (!time) return null
  const day = time.slice(0, 10)
  return parseCalendarDate(day) ? day : null
}

/**
 * The default MSD date range inside a window: its last `days` days, ending on the window's last
 * day (not today's). Null when the window has no end.
 */
export function defaultRangeIn(window: TimeWindow | null | undefined, days = DEFAULT_RANGE_DAYS): { start: string; end: string } | null {
  const end = dayOf(window?.last)
  if (!end) return null
  const first = dayOf(window?.first)
  const start = addDays(end, -(days - 1))
  return { start: first && start < first ? first : start, end }
}

/**
 * How a chosen range `[start, end]` (days) sits against a window: `inside` (it overlaps the data),
 * `outside` (no day of it has data), or `unknown` (no window, or the range is not two dates).
 */
export function rangeAgainstWindow(start: string, end: string, window: TimeWindow | null | undefined): 'inside' | 'outside' | 'unknown' {
  const first = dayOf(window?.first)
  const last = dayOf(window?.last)
  if (!first || !last || !parseCalendarDate(start) || !parseCalendarDate(end)) return 'unknown'
  return end < first || start > last ? 'outside' : 'inside'
}

/** Why a finished trace found nothing. */
export type EmptyReason = 'no_lots_in_window' | 'inputs_unknown'

/**
 * How a finished job came out: `ok`, or `warning` when it found nothing to trace — a person must
 * not read an empty answer as "done, all clear".
 */
export type JobOutcome =
  | { status: 'ok' }
  | {
      status: 'warning'
      reason: EmptyReason
      /** The detection station (date range), else null. */
      station: string | null
      start_date: string | null
      end_date: string | null
      /** Values typed in (containers), else 0. */
      input_count: number
      /**
       * The station's track-in window in the source when the job ran (date range); null when not
       * known (containers, or a result written before this was recorded).
       */
      source_window: TimeWindow | null
    }

/** The outcome of a finished job from its seed count and request; `source_window` when known. */
export function jobOutcomeOf(seedCount: number, request: RequestSummary, sourceWindow: TimeWindow | null = null): JobOutcome {
  if (seedCount > 0) return { status: 'ok' }
  if (request.mode === 'date_range') {
    return {
      status: 'warning',
      reason: 'no_lots_in_window',
      station: request.station,
      start_date: request.start_date,
      end_date: request.end_date,
      input_count: 0,
      source_window: sourceWindow,
    }
  }
  return { status: 'warning', reason: 'inputs_unknown', station: request.station, start_date: null, end_date: null, input_count: request.value_count, source_window: null }
}

/** One English sentence saying why a job found nothing (CLI output, logs); empty for `ok`. */
export function outcomeText(outcome: JobOutcome): string {
  if (outcome.status === 'ok') return ''
  if (outcome.reason === 'inputs_unknown') {
    return `none of the ${outcome.input_count} value(s) given was found in the source; nothing was traced`
  }
  const window = outcome.source_window
  const data =
    window && window.first && window.last
      ? `; the source has track-ins there from ${dayOf(window.first)} to ${dayOf(window.last)}`
      : window
        ? '; the source has no track-ins there at all'
        : ''
  return `no lot was tracked in at ${outcome.station ?? '?'} from ${outcome.start_date ?? '?'} to ${outcome.end_date ?? '?'}${data}`
}
