/**
 * Plant time handling. The MES stores plant-local wall-clock times without a zone; the app keeps
 * them that way and writes them in one format everywhere: ISO 8601 without offset,
 * `YYYY-MM-DDTHH:MM:SS` (domain.md §14 #14).
 */

const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** Formats a `Date`'s local wall-clock components as `YYYY-MM-DDTHH:MM:SS`. */
export function formatLocalDateTime(date: Date): string {
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  )
}

/**
 * Normalizes a time value read from a source (a `YYYY-MM-DD HH:MM:SS[.fff]` string, an ISO string
 * or a `Date` holding local wall-clock time) to `YYYY-MM-DDTHH:MM:SS`. `null`/empty stay `null`;
 * a value that is not a time is returned unchanged as a string so nothing is silently lost.
 */
export function normalizePlantTime(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : formatLocalDateTime(value)
  const text = String(value).trim()
  const m = ISO_LOCAL.exec(text)
  if (m) return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}`
  const d = DATE_ONLY.exec(text)
  if (d) return `${d[1]}-${d[2]}-${d[3]}T00:00:00`
  return text
}

/** Parses a strict `YYYY-MM-DD` calendar date; `null` when it is not one (e.g. 2026-02-30). */
export function parseCalendarDate(text: string): { year: number; month: number; day: number } | null {
  const m = DATE_ONLY.exec(text.trim())
  if (!m) return null
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  const probe = new Date(Date.UTC(year, month - 1, day))
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null
  return { year, month, day }
}

/** Whole days from `start` to `end` (both `YYYY-MM-DD`, already validated). */
export function daysBetween(start: string, end: string): number {
  const a = parseCalendarDate(start)!
  const b = parseCalendarDate(end)!
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000)
}

/** `YYYY-MM-DD` + n days, as `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  const a = parseCalendarDate(date)
  if (!a) throw new Error(`not a calendar date: ${date}`)
  const t = new Date(Date.UTC(a.year, a.month - 1, a.day + days))
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`
}

/**
 * Hours between two plant-local times (`YYYY-MM-DDTHH:MM:SS`), rounded to 2 decimals. Both are
 * read as the same (arbitrary) zone, so daylight-saving shifts never enter the difference.
 */
export function hoursBetween(from: string, to: string): number | null {
  const a = ISO_LOCAL.exec(from)
  const b = ISO_LOCAL.exec(to)
  if (!a || !b) return null
  const ms = (m: RegExpExecArray): number =>
    Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0))
  return Math.round(((ms(b) - ms(a)) / 3_600_000) * 100) / 100
}
