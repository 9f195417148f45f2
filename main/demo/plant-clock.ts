/**
 * The demo plant's time window and its text format. Times are whole seconds on a zone-less
 * wall clock (computed with UTC arithmetic so daylight-saving never shifts anything) and are
 * written as the source contract wants them: `YYYY-MM-DD HH:MM:SS`, plant local.
 */
import { addDays, parseCalendarDate } from '../../shared/time.js'

const SECONDS_PER_DAY = 86_400

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/** Seconds per hour, for readable durations. */
export const HOUR = 3600

/** Seconds per day. */
export const DAY = SECONDS_PER_DAY

/** The window `[startDate 00:00:00, endDate 24:00:00)` and formatting helpers. */
export class PlantClock {
  /** First second of the window. */
  readonly startSec: number
  /** First second after the window. */
  readonly endSec: number
  readonly startDate: string
  readonly endDate: string
  // Formatting dominates row building; caching the date part per day keeps it cheap.
  private readonly dayText = new Map<number, string>()

  constructor(endDate: string, days: number) {
    const end = parseCalendarDate(endDate)
    if (!end) throw new Error(`not a calendar date: ${endDate}`)
    this.endDate = endDate
    this.startDate = addDays(endDate, -(days - 1))
    const start = parseCalendarDate(this.startDate)!
    this.startSec = Date.UTC(start.year, start.month - 1, start.day) / 1000
    this.endSec = Date.UTC(end.year, end.month - 1, end.day) / 1000 + SECONDS_PER_DAY
  }

  /** Length of the window in seconds. */
  get spanSec(): number {
    return this.endSec - this.startSec
  }

  /** The moment a fraction of the way through the window (0 = start, 1 = end). */
  at(fraction: number): number {
    return this.startSec + Math.floor(this.spanSec * fraction)
  }

  /** `YYYY-MM-DD` of a moment. */
  date(sec: number): string {
    const day = Math.floor(sec / SECONDS_PER_DAY)
    let text = this.dayText.get(day)
    if (text === undefined) {
      const d = new Date(day * SECONDS_PER_DAY * 1000)
      text = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`
      this.dayText.set(day, text)
    }
    return text
  }

  /** `YYYY-MM-DD HH:MM:SS` of a moment. */
  format(sec: number): string {
    const whole = Math.floor(sec)
    const inDay = whole - Math.floor(whole / SECONDS_PER_DAY) * SECONDS_PER_DAY
    const h = Math.floor(inDay / 3600)
    const m = Math.floor((inDay % 3600) / 60)
    const s = inDay % 60
    return `${this.date(whole)} ${pad2(h)}:${pad2(m)}:${pad2(s)}`
  }

  /** `YYMM` of a moment, as used in work-order and serial numbers. */
  yymm(sec: number): string {
    const date = this.date(sec)
    return date.slice(2, 4) + date.slice(5, 7)
  }

  /** `YYMMDD` of a moment, as used in material-lot and job-order names. */
  yymmdd(sec: number): string {
    const date = this.date(sec)
    return date.slice(2, 4) + date.slice(5, 7) + date.slice(8, 10)
  }

  /** Midnight starting the given `YYYY-MM-DD`. */
  secondsOf(date: string): number {
    const d = parseCalendarDate(date)
    if (!d) throw new Error(`not a calendar date: ${date}`)
    return Date.UTC(d.year, d.month - 1, d.day) / 1000
  }
}
