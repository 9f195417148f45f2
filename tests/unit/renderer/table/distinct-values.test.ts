import { describe, expect, it } from 'vitest'
import { distinctValues } from '../../../../renderer/src/components/table/distinct-values'
import type { FetchPage, Row, RowsQuery } from '../../../../renderer/src/composables/useRowsPage'

/** A fetcher over rows in memory that sorts (nulls first, as SQLite) and filters like the result reader. */
function fetcherOver(rows: Row[]): { fetch: FetchPage; queries: RowsQuery[] } {
  const queries: RowsQuery[] = []
  const fetch: FetchPage = async (q) => {
    queries.push(q)
    let out = [...rows]
    for (const f of q.filter ?? []) {
      if (f.op === 'eq') out = out.filter((r) => r[f.column] === f.value)
      else if (f.op === 'gte') out = out.filter((r) => r[f.column] !== null && String(r[f.column]) >= String(f.value))
      else throw new Error(`unexpected op ${f.op}`)
    }
    if (q.sort) {
      const c = q.sort.column
      out.sort((a, b) => (a[c] === b[c] ? 0 : a[c] === null ? -1 : b[c] === null ? 1 : String(a[c]) < String(b[c]) ? -1 : 1))
    }
    return { rows: out.slice(q.offset, q.offset + q.limit), total: out.length }
  }
  return { fetch, queries }
}

describe('distinctValues', () => {
  it('reads each value once, two one-row pages per value, skipping nulls and empty text', async () => {
    const groups = ['測試', '切割', null, '焊接_DB', '切割', '', '測試', '測試', null, '焊接_DB']
    const { fetch, queries } = fetcherOver(groups.map((g, i) => ({ WORKCENTER_GROUP: g, N: i })))
    expect(await distinctValues(fetch, 'WORKCENTER_GROUP')).toEqual(['切割', '測試', '焊接_DB'])
    expect(queries.every((q) => q.limit === 1)).toBe(true)
    // First row; nulls counted; then per block ('', 切割, 測試, 焊接_DB): a count and the next block's first row.
    expect(queries).toHaveLength(1 + 2 + 2 * 4 - 1)
  })

  it('stops at the most values asked for, and on an empty table at once', async () => {
    const { fetch } = fetcherOver(['a', 'b', 'c', 'd'].map((v) => ({ V: v })))
    expect(await distinctValues(fetch, 'V', 2)).toEqual(['a', 'b'])
    const empty = fetcherOver([])
    expect(await distinctValues(empty.fetch, 'V')).toEqual([])
    expect(empty.queries).toHaveLength(1)
  })
})
