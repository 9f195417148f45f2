// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { effectScope } from 'vue'
import { fetcherOf, useRowsPage, type FetchPage, type Row, type RowsAnswer, type RowsQuery } from '../../../../renderer/src/composables/useRowsPage'

const rowOf = (i: number, tag = ''): Row => ({ CONTAINERID: `GA${String(i).padStart(8, '0')}${tag}`, TRACKINQTY: 10000 + (i % 997) })

/** Answers every page at once from `total` generated rows, recording the queries. */
function instantFetcher(total: number): { fetch: FetchPage; queries: RowsQuery[] } {
  const queries: RowsQuery[] = []
  const fetch: FetchPage = async (q) => {
    queries.push(q)
    const rows: Row[] = []
    for (let i = q.offset; i < Math.min(total, q.offset + q.limit); i++) rows.push(rowOf(i, q.sort ? `-${q.sort.direction}` : ''))
    return { rows, total }
  }
  return { fetch, queries }
}

/** Answers only when told, so tests decide the order of answers. */
function deferredFetcher(): { fetch: FetchPage; calls: { query: RowsQuery; resolve: (a: RowsAnswer) => void; reject: (e: unknown) => void }[] } {
  const calls: { query: RowsQuery; resolve: (a: RowsAnswer) => void; reject: (e: unknown) => void }[] = []
  const fetch: FetchPage = (query) => new Promise((resolve, reject) => calls.push({ query, resolve, reject }))
  return { fetch, calls }
}

const flush = () => new Promise((r) => setTimeout(r, 0))

function inScope<T>(fn: () => T): { value: T; stop: () => void } {
  const scope = effectScope()
  const value = scope.run(fn)!
  return { value, stop: () => scope.stop() }
}

describe('useRowsPage', () => {
  it('reads the first page at once and reports total, rows and latency', async () => {
    const { fetch, queries } = instantFetcher(1_000_000)
    let clock = 1000
    const { value: rows, stop } = inScope(() => useRowsPage({ fetchPage: (q) => ((clock += 12.5), fetch(q)), now: () => clock }))
    expect(rows.loading.value).toBe(true)
    await flush()
    expect(queries).toEqual([{ offset: 0, limit: 200 }])
    expect(rows.total.value).toBe(1_000_000)
    expect(rows.ready.value).toBe(true)
    expect(rows.loading.value).toBe(false)
    expect(rows.rowAt(199)).toEqual(rowOf(199))
    expect(rows.rowAt(200)).toBeUndefined()
    expect(rows.latencyMs.value).toBe(12.5)
    stop()
  })

  it('fetches only the missing pages of a range, once each', async () => {
    const { fetch, queries } = instantFetcher(1_000_000)
    const { value: rows, stop } = inScope(() => useRowsPage({ fetchPage: fetch, pageSize: 100 }))
    await flush()
    const a = rows.ensureRange(50, 320)
    const b = rows.ensureRange(250, 320)
    await Promise.all([a, b])
    expect(queries.map((q) => q.offset)).toEqual([0, 100, 200, 300])
    expect(rows.rowAt(319)).toEqual(rowOf(319))
    await rows.ensureRange(0, 400)
    expect(queries).toHaveLength(4)
    stop()
  })

  it('never asks past the total', async () => {
    const { fetch, queries } = instantFetcher(250)
    const { value: rows, stop } = inScope(() => useRowsPage({ fetchPage: fetch, pageSize: 100 }))
    await flush()
    await rows.ensureRange(180, 1000)
    expect(queries.map((q) => q.offset)).toEqual([0, 100, 200])
    expect(rows.rowAt(249)).toEqual(rowOf(249))
    stop()
  })

  it('keeps at most maxPages pages, dropping the least recently used', async () => {
    const { fetch, queries } = instantFetcher(1_000_000)
    const { value: rows, stop } = inScope(() => useRowsPage({ fetchPage: fetch, pageSize: 10, maxPages: 3 }))
    await flush() // page 0
    await rows.ensureRange(10, 30) // pages 1, 2
    await rows.ensureRange(0, 5) // touches page 0: page 1 is now the oldest
    await rows.ensureRange(30, 40) // page 3 evicts page 1
    expect(rows.rowAt(5)).toEqual(rowOf(5))
    expect(rows.rowAt(15)).toBeUndefined()
    expect(rows.rowAt(25)).toEqual(rowOf(25))
    await rows.ensureRange(15, 16)
    expect(queries.map((q) => q.offset)).toEqual([0, 10, 20, 30, 10])
    stop()
  })

  it('drops an answer that arrives after the sort changed', async () => {
    const { fetch, calls } = deferredFetcher()
    const { value: rows, stop } = inScope(() => useRowsPage({ fetchPage: fetch, pageSize: 100 }))
    calls[0]!.resolve({ rows: [rowOf(0)], total: 5000 })
    await flush()
    void rows.ensureRange(4000, 4050)
    expect(calls[1]!.query).toEqual({ offset: 4000, limit: 100 })
    rows.setSort({ column: 'TRACKINQTY', direction: 'desc' })
    expect(rows.generation.value).toBe(1)
    expect(calls[2]!.query).toEqual({ offset: 0, limit: 100, sort: { column: 'TRACKINQTY', direction: 'desc' } })
    // The late, unsorted answer must not land in the sorted cache nor set the total.
    calls[1]!.resolve({ rows: Array.from({ length: 100 }, (_, i) => rowOf(4000 + i)), total: 5000 })
    await flush()
    expect(rows.rowAt(4000)).toBeUndefined()
    expect(rows.ready.value).toBe(false)
    calls[2]!.resolve({ rows: [rowOf(9, '-desc')], total: 4321 })
    await flush()
    expect(rows.total.value).toBe(4321)
    expect(rows.rowAt(0)).toEqual(rowOf(9, '-desc'))
    expect(rows.loading.value).toBe(false)
    stop()
  })

  it('sends the filter with every page and restarts at the top', async () => {
    const { fetch, queries } = instantFetcher(100)
    const { value: rows, stop } = inScope(() => useRowsPage({ fetchPage: fetch, pageSize: 50, initialSort: { column: 'CONTAINERID', direction: 'asc' } }))
    await flush()
    rows.setFilter([{ column: 'TRACKINQTY', op: 'gte', value: 10050 }])
    await flush()
    await rows.ensureRange(60, 70)
    expect(queries.slice(1)).toEqual([
      { offset: 0, limit: 50, sort: { column: 'CONTAINERID', direction: 'asc' }, filter: [{ column: 'TRACKINQTY', op: 'gte', value: 10050 }] },
      { offset: 50, limit: 50, sort: { column: 'CONTAINERID', direction: 'asc' }, filter: [{ column: 'TRACKINQTY', op: 'gte', value: 10050 }] },
    ])
    stop()
  })

  it('reports a failure with its code and reloads on retry', async () => {
    let fail = true
    const { fetch: ok, queries } = instantFetcher(10)
    const fetch: FetchPage = (q) => (fail ? Promise.reject({ code: 'job/not-found', message: 'No job trace-evt-000000000001.' }) : ok(q))
    const { value: rows, stop } = inScope(() => useRowsPage({ fetchPage: fetch }))
    await flush()
    expect(rows.error.value).toEqual({ code: 'job/not-found', message: 'No job trace-evt-000000000001.' })
    expect(rows.loading.value).toBe(false)
    fail = false
    await rows.ensureRange(0, 10)
    expect(queries).toHaveLength(0)
    rows.reload()
    await flush()
    expect(rows.error.value).toBeNull()
    expect(rows.rowAt(9)).toEqual(rowOf(9))
    stop()
  })

  it('loads the pages of a selection for copying', async () => {
    const { fetch, queries } = instantFetcher(1_000_000)
    const { value: rows, stop } = inScope(() => useRowsPage({ fetchPage: fetch, pageSize: 100, maxPages: 2 }))
    await flush()
    const got = await rows.rowsAt([5, 150, 999_999, 450])
    expect(got).toEqual([rowOf(5), rowOf(150), rowOf(999_999), rowOf(450)])
    expect(queries.map((q) => q.offset)).toEqual([0, 100, 999_900, 400])
    stop()
  })

  it('ignores answers after its scope is disposed', async () => {
    const { fetch, calls } = deferredFetcher()
    const { value: rows, stop } = inScope(() => useRowsPage({ fetchPage: fetch }))
    stop()
    calls[0]!.resolve({ rows: [rowOf(0)], total: 1 })
    await flush()
    expect(rows.total.value).toBe(0)
    expect(rows.rowAt(0)).toBeUndefined()
  })

  it('turns a contract answer into rows or a thrown error', async () => {
    const fetch = fetcherOf(async (q) =>
      q.offset === 0 ? { ok: true, value: { rows: [rowOf(0)], total: 1 } } : { ok: false, error: { code: 'input/invalid', message: 'offset: too large' } },
    )
    await expect(fetch({ offset: 0, limit: 1 })).resolves.toEqual({ rows: [rowOf(0)], total: 1 })
    await expect(fetch({ offset: 5, limit: 1 })).rejects.toEqual({ code: 'input/invalid', message: 'offset: too large' })
  })
})
