/**
 * How long finished results are kept (`TRACE_JOB_TTL_SECONDS`), entered as days and hours: the
 * setting stays in seconds, as the CLI, the environment and the machine policy give it.
 */

const HOUR_S = 3600
const DAY_S = 24 * HOUR_S

/** Seconds as whole days and hours; `seconds` holds what does not fill an hour (a value set elsewhere). */
export function splitRetention(totalSeconds: number): { days: number; hours: number; seconds: number } {
  const total = Math.max(0, Math.floor(totalSeconds))
  return { days: Math.floor(total / DAY_S), hours: Math.floor((total % DAY_S) / HOUR_S), seconds: total % HOUR_S }
}

/**
 * Days and hours as typed, in seconds; null when either is not a whole number or the hours are
 * not 0–23 (an empty box counts as 0, so "7" days alone is a week).
 */
export function joinRetention(days: string, hours: string): number | null {
  const d = days.trim() === '' ? 0 : Number(days.trim())
  const h = hours.trim() === '' ? 0 : Number(hours.trim())
  if (!Number.isSafeInteger(d) || !Number.isSafeInteger(h) || d < 0 || h < 0 || h > 23) return null
  if (!/^\d*$/.test(days.trim()) || !/^\d*$/.test(hours.trim())) return null
  return d * DAY_S + h * HOUR_S
}
