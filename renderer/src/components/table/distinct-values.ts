/**
 * The distinct values of one column of a paged table, read without loading its rows: in the
 * column's order each value is one block, so reading the row at a block's start and counting the
 * rows equal to it jumps to the next block (two one-row pages per value).
 */
import type { FetchPage, RowValue } from '../../composables/useRowsPage'

/** Most values read (a station-group list has a few dozen). @default */
export const MAX_DISTINCT_VALUES = 200

/**
 * The column's distinct non-empty values, in the table's order of that column. Nulls (sorted
 * first) are skipped by counting the rows that have a value.
 */
export async function distinctValues(fetchPage: FetchPage, column: string, max = MAX_DISTINCT_VALUES): Promise<string[]> {
  const sort = { column, direction: 'asc' as const }
  const first = await fetchPage({ offset: 0, limit: 1, sort })
  const total = first.total
  const out: string[] = []
  let offset = 0
  let row: RowValue | undefined = first.rows[0]?.[column]
  while (offset < total && out.length < max) {
    let count: number
    if (row === null || row === undefined) {
      // Every text is ≥ '': what is left are the rows without a value.
      const valued = await fetchPage({ offset: 0, limit: 1, filter: [{ column, op: 'gte', value: '' }] })
      count = total - valued.total
    } else {
      const same = await fetchPage({ offset: 0, limit: 1, filter: [{ column, op: 'eq', value: row }] })
      count = same.total
      if (row !== '') out.push(String(row))
    }
    // A count of 0 would never move on (the table changed under the walk): stop with what was read.
    if (count <= 0) break
    offset += count
    if (offset >= total) break
    const next = await fetchPage({ offset, limit: 1, sort })
    row = next.rows[0]?.[column]
  }
  return out
}
