/** Display helpers shared by the views (numbers, durations, dates). */

/** `1 234 567` style grouping with the locale's separators. */
export function formatInt(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value)
}

/** A number with at most `digits` decimals. */
export function formatNumber(value: number | null | undefined, locale: string, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)
}

/** Decimals of every rate shown as a percentage, so two rates on screen always line up. */
export const RATE_DECIMALS = 2

/** A rate already in percent, always with {@link RATE_DECIMALS} decimals: `12.30 %`. */
export function formatRate(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  return `${new Intl.NumberFormat(locale, { minimumFractionDigits: RATE_DECIMALS, maximumFractionDigits: RATE_DECIMALS }).format(value)} %`
}

/** A ratio of two rates (lift, amplification): `×3.46`. */
export function formatLift(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  return `×${new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value)}`
}

/** A p-value: scientific below 0.001. */
export function formatP(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  if (value === 0) return '0'
  return value < 0.001 ? value.toExponential(1) : value.toFixed(3)
}

/** `1:02:03`, `2:05` or `12 s`-style short durations (h:mm:ss past an hour). */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—'
  const total = Math.round(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  if (h > 0) return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`
  return `${m}:${String(s).padStart(2, '0')}`
}

/** A local date and time, `YYYY-MM-DD HH:MM`. */
export function formatDateTime(epochMs: number | null | undefined): string {
  if (epochMs === null || epochMs === undefined) return '—'
  const d = new Date(epochMs)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** A local calendar day `YYYY-MM-DD`, `days` from the given time. */
export function isoDay(epochMs: number, days = 0): string {
  const d = new Date(epochMs + days * 86_400_000)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** Event columns holding quantities, counts or rates (right-aligned, filtered as numbers). */
export function isNumericColumn(column: string): boolean {
  return /QTY|COUNT|_RATE|TOTAL/.test(column)
}

/** A long span as days and hours (`{ days: 6, hours: 23 }`), or null under a day (show it as a duration). */
export function daysAndHours(ms: number): { days: number; hours: number } | null {
  if (!Number.isFinite(ms) || ms < 86_400_000) return null
  return { days: Math.floor(ms / 86_400_000), hours: Math.floor((ms % 86_400_000) / 3_600_000) }
}
