/**
 * Jobs and result tables as a person reads them on a terminal: aligned tables that count wide
 * characters double, cells that cannot drive the terminal, local times, expiry and status.
 */
import { showControlCharacters } from '../../shared/control-characters.js'
import { formatLocalDateTime } from '../../shared/time.js'
import type { NormalizedTraceRequest } from '../../shared/trace-request.js'
import type { JobRow } from '../store/index.js'

/** Widest cell of a printed table (longer text is cut with "…"; `--json` has every character). */
const MAX_CELL_WIDTH = 48

/** Columns a character takes in a terminal: 2 for East Asian wide/full-width ones (成型, ＡＢ). */
function charWidth(code: number): number {
  if (code < 0x1100) return 1
  if (
    (code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 2
  }
  return 1
}

/** Terminal width of a string. */
export function displayWidth(text: string): number {
  let width = 0
  for (const ch of text) width += charWidth(ch.codePointAt(0)!)
  return width
}

/**
 * A cell as one line of at most `max` columns. Control characters (an escape sequence in a value
 * from the MES or from an imported file would drive the terminal) are shown as `�`.
 */
export function cellText(value: unknown, max = MAX_CELL_WIDTH): string {
  if (value === null || value === undefined) return ''
  const text = showControlCharacters((typeof value === 'string' ? value : String(value)).replace(/\r\n|\r|\n/g, '↵').replace(/\t/g, ' '))
  if (displayWidth(text) <= max) return text
  let out = ''
  let width = 0
  for (const ch of text) {
    const w = charWidth(ch.codePointAt(0)!)
    if (width + w > max - 1) break
    out += ch
    width += w
  }
  return `${out}…`
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)))
  return align === 'right' ? fill + text : text + fill
}

/** An aligned text table: a header row, then one line per row; `right` columns are right-aligned. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], right: ReadonlySet<number> = new Set()): string {
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))))
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => pad(c, widths[i]!, right.has(i) ? 'right' : 'left'))
      .join('  ')
      .trimEnd()
  return [line(headers), ...rows.map(line)].join('\n')
}

/** A local time, `-` for none; without seconds for a list. */
export function formatTime(ms: number | null, withSeconds = true): string {
  if (ms === null) return '-'
  const text = formatLocalDateTime(new Date(ms)).replace('T', ' ')
  return withSeconds ? text : text.slice(0, 16)
}

/** When a job expires, as a person reads it: `pinned`, `-` (not ended), `never`, `expired` or the time. */
export function expiryText(row: JobRow, now: number, withSeconds = true): string {
  if (row.pinned) return 'pinned'
  if (row.completed_at === null) return '-'
  if (row.expires_at === null) return 'never'
  if (row.expires_at <= now) return 'expired'
  return formatTime(row.expires_at, withSeconds)
}

/**
 * A job's status; a running job whose cancel is pending reads `running (cancelling)`, since the
 * status itself changes only when its worker has stopped.
 */
export function statusText(row: JobRow): string {
  return row.status === 'running' && row.cancel_requested === true ? 'running (cancelling)' : row.status
}

/** The request's input in one line: `lot_id: A, B, … (12)` or the MSD date window. */
export function inputText(request: NormalizedTraceRequest): string {
  const seed = request.seed
  if (seed.mode === 'date_range') return `${seed.station} tracked in ${seed.start_date} … ${seed.end_date}`
  const shown = seed.values.slice(0, 8).join(', ')
  return `${seed.resolve_type}: ${shown}${seed.values.length > 8 ? `, … (${seed.values.length})` : ''}`
}
