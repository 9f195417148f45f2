/**
 * Rows of a large, server-side table read page by page: a bounded LRU cache of pages, one request
 * per page in flight, and a generation per sort/filter so an answer for an older query is dropped.
 * The fetcher is given by the caller, so the same code pages event domains, MSD detail rows and
 * suspects.
 */
import { getCurrentScope, onScopeDispose, shallowRef, type ShallowRef } from 'vue'
import { MAX_PAGE_LIMIT, type PageFilter, type PageQuery, type PageSort } from '../../../shared/page-query'

export type RowValue = string | number | null
export type Row = Record<string, RowValue>

/** The order of a table: always with its direction, which the header shows. */
export type RowsSort = Required<PageSort>

/** One page as a table asks for it: a page query whose offset and limit are always given. */
export type RowsQuery = PageQuery & Required<Pick<PageQuery, 'offset' | 'limit'>>

export interface RowsAnswer {
  rows: Row[]
  total: number
}

/** Reads one page; throws (ideally `{ code, message }`) when it fails. */
export type FetchPage = (query: RowsQuery) => Promise<RowsAnswer>

export interface RowsError {
  code: string
  message: string
}

export interface UseRowsPageOptions {
  fetchPage: FetchPage
  /** Rows per request, 1 to {@link MAX_PAGE_LIMIT}. @default 200 */
  pageSize?: number
  /** Pages kept in memory. @default 30 */
  maxPages?: number
  initialSort?: RowsSort | null
  initialFilter?: readonly PageFilter[]
  /** Read the first page at once. @default true */
  immediate?: boolean
  /** Clock for latencies (ms). @default performance.now */
  now?: () => number
}

export interface UseRowsPageReturn {
  /** Rows matching the filter; 0 until the first answer. */
  total: ShallowRef<number>
  /** Whether an answer of the current query has arrived. */
  ready: ShallowRef<boolean>
  loading: ShallowRef<boolean>
  error: ShallowRef<RowsError | null>
  /** Round trip of the last page answered, in ms. */
  latencyMs: ShallowRef<number | null>
  sort: ShallowRef<RowsSort | null>
  filter: ShallowRef<readonly PageFilter[]>
  /** Bumps on every query change (sort, filter, reload). */
  generation: ShallowRef<number>
  /** The row at `index`, or undefined while its page is not loaded. Reactive. */
  rowAt(index: number): Row | undefined
  /** Loads the pages covering rows `start` (inclusive) to `end` (exclusive). */
  ensureRange(start: number, end: number): Promise<void>
  /** The rows at these indices, loading missing pages first (for copying a selection). */
  rowsAt(indices: readonly number[]): Promise<(Row | undefined)[]>
  setSort(sort: RowsSort | null): void
  setFilter(filter: readonly PageFilter[]): void
  /** Drops every page and reads the last requested range again. */
  reload(): void
}

/** Code and message of whatever a fetcher threw. */
export function toRowsError(error: unknown): RowsError {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown }
    if (typeof code === 'string' && typeof message === 'string') return { code, message }
    if (typeof message === 'string') return { code: 'internal/unexpected', message }
  }
  return { code: 'internal/unexpected', message: String(error) }
}

/**
 * A {@link FetchPage} over a call answering `{ ok, value } | { ok: false, error }` (the service
 * contract's shape): `results:page`, `results:detail`.
 */
export function fetcherOf(
  call: (query: RowsQuery) => Promise<{ ok: true; value: RowsAnswer } | { ok: false; error: RowsError }>,
): FetchPage {
  return async (query) => {
    const answer = await call(query)
    if (!answer.ok) throw answer.error
    return answer.value
  }
}

export function useRowsPage(options: UseRowsPageOptions): UseRowsPageReturn {
  const pageSize = Math.min(MAX_PAGE_LIMIT, Math.max(1, Math.floor(options.pageSize ?? 200)))
  const maxPages = Math.max(2, Math.floor(options.maxPages ?? 30))
  const now = options.now ?? (() => performance.now())

  const total = shallowRef(0)
  const ready = shallowRef(false)
  const loading = shallowRef(false)
  const error = shallowRef<RowsError | null>(null)
  const latencyMs = shallowRef<number | null>(null)
  const sort = shallowRef<RowsSort | null>(options.initialSort ?? null)
  const filter = shallowRef<readonly PageFilter[]>(options.initialFilter ? [...options.initialFilter] : [])
  const generation = shallowRef(0)
  /** Bumped when a page arrives, so readers of `rowAt` re-render. */
  const revision = shallowRef(0)

  /** Page number → rows; Map order is the LRU order (oldest first). */
  const pages = new Map<number, Row[]>()
  const inFlight = new Map<number, Promise<void>>()
  let lastRange: [number, number] = [0, pageSize]
  let disposed = false

  function touch(page: number): Row[] | undefined {
    const rows = pages.get(page)
    if (rows) {
      pages.delete(page)
      pages.set(page, rows)
    }
    return rows
  }

  function store(page: number, rows: Row[]): void {
    pages.delete(page)
    pages.set(page, rows)
    while (pages.size > maxPages) pages.delete(pages.keys().next().value!)
  }

  function query(page: number): RowsQuery {
    const q: RowsQuery = { offset: page * pageSize, limit: pageSize }
    if (sort.value) q.sort = { ...sort.value }
    if (filter.value.length > 0) q.filter = filter.value.map((f) => ({ ...f }))
    return q
  }

  function load(page: number): Promise<void> {
    const pending = inFlight.get(page)
    if (pending) return pending
    const gen = generation.value
    const started = now()
    const request = options
      .fetchPage(query(page))
      .then(
        (answer) => {
          if (disposed || gen !== generation.value) return
          latencyMs.value = Math.round((now() - started) * 10) / 10
          total.value = answer.total
          ready.value = true
          error.value = null
          store(page, answer.rows)
          revision.value++
        },
        (failure: unknown) => {
          if (disposed || gen !== generation.value) return
          error.value = toRowsError(failure)
        },
      )
      .finally(() => {
        if (gen !== generation.value) return
        inFlight.delete(page)
        loading.value = inFlight.size > 0
      })
    inFlight.set(page, request)
    loading.value = true
    return request
  }

  function pagesOf(start: number, end: number): number[] {
    const from = Math.max(0, Math.floor(start))
    let to = Math.max(from + 1, Math.ceil(end))
    if (ready.value) {
      to = Math.min(to, total.value)
      if (to <= from) return []
    }
    const first = Math.floor(from / pageSize)
    const last = Math.floor((to - 1) / pageSize)
    const out: number[] = []
    for (let p = first; p <= last; p++) out.push(p)
    return out
  }

  async function ensureRange(start: number, end: number): Promise<void> {
    if (disposed) return
    lastRange = [start, end]
    const wanted = pagesOf(start, end)
    // Visible pages become the most recently used before anything new is stored.
    for (const p of wanted) touch(p)
    // With the total known, an empty result needs no request.
    if (ready.value && total.value === 0) return
    // After a failure, nothing is requested until `reload` (the retry).
    if (error.value) return
    await Promise.all(wanted.filter((p) => !pages.has(p)).map(load))
  }

  async function rowsAt(indices: readonly number[]): Promise<(Row | undefined)[]> {
    const gen = generation.value
    // Loading one page may evict another of the same copy: every page is kept locally.
    const local = new Map<number, Row[]>()
    for (const p of new Set(indices.map((i) => Math.floor(i / pageSize)))) {
      if (!pages.has(p)) await load(p)
      if (gen !== generation.value) return indices.map(() => undefined)
      const rows = pages.get(p)
      if (rows) local.set(p, rows)
    }
    return indices.map((i) => {
      const p = Math.floor(i / pageSize)
      return local.get(p)?.[i - p * pageSize]
    })
  }

  function rowAt(index: number): Row | undefined {
    void revision.value
    const p = Math.floor(index / pageSize)
    return pages.get(p)?.[index - p * pageSize]
  }

  /** Starts a new query: drops pages, requests and the error; answers of older ones are ignored. */
  function restart(range: [number, number]): void {
    generation.value++
    pages.clear()
    inFlight.clear()
    loading.value = false
    error.value = null
    ready.value = false
    revision.value++
    void ensureRange(range[0], range[1])
  }

  function setSort(next: RowsSort | null): void {
    sort.value = next ? { ...next } : null
    restart([0, pageSize])
  }

  function setFilter(next: readonly PageFilter[]): void {
    filter.value = next.map((f) => ({ ...f }))
    restart([0, pageSize])
  }

  function reload(): void {
    restart(lastRange)
  }

  if (getCurrentScope()) {
    onScopeDispose(() => {
      disposed = true
      pages.clear()
      inFlight.clear()
    })
  }
  if (options.immediate !== false) void ensureRange(0, pageSize)

  return { total, ready, loading, error, latencyMs, sort, filter, generation, rowAt, ensureRange, rowsAt, setSort, setFilter, reload }
}
