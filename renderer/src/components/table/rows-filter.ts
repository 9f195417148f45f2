/**
 * The text of a column's filter box and the page filter it stands for. Text columns: `abc` →
 * contains, `=abc` → equals. Number columns: `>=5`, `<=5`, `=5` or `5` (equals).
 */
import type { PageFilter } from '../../../../shared/page-query'

export type FilterParse = { ok: true; filter: PageFilter | null } | { ok: false }

const NUMBER_FILTER = /^(>=|<=|=)?\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)$/i

/** The filter of one box; `{ filter: null }` when it is empty, `{ ok: false }` when it is malformed. */
export function parseFilterText(column: string, text: string, numeric: boolean): FilterParse {
  const value = text.trim()
  if (value === '') return { ok: true, filter: null }
  if (numeric) {
    const m = NUMBER_FILTER.exec(value)
    if (!m) return { ok: false }
    const n = Number(m[2])
    if (!Number.isFinite(n)) return { ok: false }
    const op = m[1] === '>=' ? 'gte' : m[1] === '<=' ? 'lte' : 'eq'
    return { ok: true, filter: { column, op, value: n } }
  }
  if (value.startsWith('=') && value.length > 1) return { ok: true, filter: { column, op: 'eq', value: value.slice(1) } }
  return { ok: true, filter: { column, op: 'contains', value } }
}

/** The box text of a filter (the inverse of {@link parseFilterText}). */
export function filterText(filter: PageFilter): string {
  switch (filter.op) {
    case 'gte':
      return `>=${filter.value}`
    case 'lte':
      return `<=${filter.value}`
    case 'eq':
      return typeof filter.value === 'number' ? String(filter.value) : `=${filter.value}`
    default:
      return String(filter.value)
  }
}
