/**
 * Numbers and times as the report prints them: one format per kind of value, the same in both
 * languages apart from digit grouping, so a figure reads the same on screen, on paper and in PDF.
 */
import type { ReportLocale } from './messages.js'

/** The missing-value mark. */
export const NONE = '—'

const SUPERSCRIPT: Readonly<Record<string, string>> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' }

/** A whole number with digit grouping (`19 822` reads as `19,822`). */
export function formatInt(value: number | null | undefined, locale: ReportLocale): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE
  return new Intl.NumberFormat(locale === 'zh-TW' ? 'zh-TW' : 'en-US', { maximumFractionDigits: 0 }).format(value)
}

/** A percentage given in percent, with 2 decimals (`0.5234 %` → `0.52%`). */
export function formatPercent(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE
  return `${value.toFixed(digits)}%`
}

/** `x` of `n` as a percentage (`12 of 400` → `3.00%`); — without lots. */
export function formatShare(x: number, n: number): string {
  return n > 0 ? formatPercent((x / n) * 100) : NONE
}

/** A lift as a multiple with 2 decimals (`4.7312` → `4.73×`); — when there is none. */
export function formatLift(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE
  return `${value.toFixed(2)}×`
}

/**
 * A p- or q-value: two significant digits, in powers of ten below 0.001 (`8.0 × 10⁻⁶⁷`); a value
 * that underflowed to 0 is `< 10⁻³⁰⁰`.
 */
export function formatP(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE
  if (value <= 0) return '< 10⁻³⁰⁰'
  if (value >= 0.001) return String(Number(value.toPrecision(2)))
  const [mantissa, exponent] = value.toExponential(1).split('e') as [string, string]
  const power = String(Number(exponent)).replace(/[-0-9]/g, (c) => SUPERSCRIPT[c]!)
  return `${mantissa} × 10${power}`
}

/** An epoch-millisecond time as `YYYY-MM-DD HH:MM` in this machine's time zone (the plant's). */
export function formatTime(epochMs: number): string {
  const at = new Date(epochMs)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}`
}
