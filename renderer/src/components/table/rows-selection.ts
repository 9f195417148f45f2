/**
 * Selected rows of a virtual table as sorted, disjoint, inclusive index ranges (a shift-click
 * across a million rows is one range), plus rows → tab-separated text for the clipboard.
 */
import { neutralizeFormula } from '../../../../shared/spreadsheet-text'
import type { Row, RowValue } from '../../composables/useRowsPage'

export type IndexRange = readonly [first: number, last: number]

/** Sorted, merged ranges. */
export function normalizeRanges(ranges: readonly IndexRange[]): IndexRange[] {
  const sorted = [...ranges].map(([a, b]) => (a <= b ? [a, b] : [b, a]) as IndexRange).sort((x, y) => x[0] - y[0])
  const out: [number, number][] = []
  for (const [a, b] of sorted) {
    const last = out[out.length - 1]
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b)
    else out.push([a, b])
  }
  return out
}

export function isSelected(ranges: readonly IndexRange[], index: number): boolean {
  let lo = 0
  let hi = ranges.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const [a, b] = ranges[mid]!
    if (index < a) hi = mid - 1
    else if (index > b) lo = mid + 1
    else return true
  }
  return false
}

/** The ranges with `index` added or removed. */
export function toggleIndex(ranges: readonly IndexRange[], index: number): IndexRange[] {
  if (!isSelected(ranges, index)) return normalizeRanges([...ranges, [index, index]])
  const out: IndexRange[] = []
  for (const [a, b] of ranges) {
    if (index < a || index > b) out.push([a, b])
    else {
      if (a < index) out.push([a, index - 1])
      if (index < b) out.push([index + 1, b])
    }
  }
  return out
}

export function countSelected(ranges: readonly IndexRange[]): number {
  return ranges.reduce((n, [a, b]) => n + b - a + 1, 0)
}

/** Every selected index in order, or null when there are more than `max`. */
export function selectedIndices(ranges: readonly IndexRange[], max: number): number[] | null {
  if (countSelected(ranges) > max) return null
  const out: number[] = []
  for (const [a, b] of ranges) for (let i = a; i <= b; i++) out.push(i)
  return out
}

/** One cell of a copied row: on one line, and text a spreadsheet would run as a formula kept as text. */
function cell(value: RowValue | undefined): string {
  if (value === null || value === undefined) return ''
  const text = typeof value === 'string' ? neutralizeFormula(value) : String(value)
  return text.replace(/[\t\r\n]+/g, ' ')
}

/** A header line and one line per row, tab-separated, for pasting into a spreadsheet. */
export function rowsToTsv(columns: readonly { key: string; label?: string }[], rows: readonly (Row | undefined)[]): string {
  const lines = [columns.map((c) => cell(c.label ?? c.key)).join('\t')]
  for (const row of rows) lines.push(columns.map((c) => cell(row?.[c.key])).join('\t'))
  return `${lines.join('\n')}\n`
}
