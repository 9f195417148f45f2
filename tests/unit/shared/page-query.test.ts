/** The one definition of a page query: its limits, its schema, and the contract's page calls built from it. */
import { describe, expect, it } from 'vitest'
import { parseRequest } from '../../../shared/api.js'
import {
  MAX_COLUMN_NAME_LENGTH,
  MAX_FILTER_VALUE_LENGTH,
  MAX_IN_VALUES,
  MAX_PAGE_FILTERS,
  MAX_PAGE_LIMIT,
  pageQuerySchema,
  type PageFilter,
  type PageQuery,
} from '../../../shared/page-query.js'
import { thrown } from '../../fixtures/thrown.js'

const JOB = 'trace-evt-0123456789ab'

/** The first problem the schema finds: its path as the contract names fields, or null when valid. */
function problemOf(query: unknown): string | null {
  const parsed = pageQuerySchema.safeParse(query)
  return parsed.success ? null : parsed.error.issues[0]!.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').slice(1)
}

describe('page query', () => {
  it('keeps the limits the contract has always had', () => {
    expect([MAX_PAGE_LIMIT, MAX_PAGE_FILTERS, MAX_IN_VALUES, MAX_FILTER_VALUE_LENGTH, MAX_COLUMN_NAME_LENGTH]).toEqual([1000, 16, 100_000, 1000, 64])
  })

  it('accepts a query at every limit and hands it back unchanged', () => {
    const eq: PageFilter = { column: 'C'.repeat(MAX_COLUMN_NAME_LENGTH), op: 'eq', value: 'v'.repeat(MAX_FILTER_VALUE_LENGTH) }
    const query: PageQuery = {
      offset: Number.MAX_SAFE_INTEGER,
      limit: MAX_PAGE_LIMIT,
      sort: { column: 'TRACKINQTY', direction: 'desc' },
      filter: [...Array.from({ length: MAX_PAGE_FILTERS - 1 }, () => eq), { column: 'CONTAINERID', op: 'in', value: Array.from({ length: MAX_IN_VALUES }, (_, i) => i) }],
    }
    expect(pageQuerySchema.parse(query)).toEqual(query)
    expect(pageQuerySchema.parse({})).toEqual({})
  })

  it('takes a whole lineage in one `in` condition and still checks every value of it', () => {
    const cids = Array.from({ length: 7770 }, (_, i) => i.toString(16).padStart(16, '0'))
    expect(pageQuerySchema.parse({ filter: [{ column: 'CONTAINERID', op: 'in', value: cids }] }).filter![0]!.value).toHaveLength(7770)
    const bad = [...cids.slice(0, 5000), 'v'.repeat(MAX_FILTER_VALUE_LENGTH + 1), ...cids.slice(5000)]
    expect(problemOf({ filter: [{ column: 'CONTAINERID', op: 'in', value: bad }] })).toBe('filter[0].value[5000]')
  })

  it('refuses one past each limit, naming the field', () => {
    const filter = (over: Record<string, unknown>) => ({ filter: [{ column: 'CONTAINERID', op: 'eq', value: 'x', ...over }] })
    const cases: [unknown, string][] = [
      [{ limit: MAX_PAGE_LIMIT + 1 }, 'limit'],
      [{ limit: 0 }, 'limit'],
      [{ offset: -1 }, 'offset'],
      [{ offset: 1.5 }, 'offset'],
      [{ filter: Array.from({ length: MAX_PAGE_FILTERS + 1 }, () => ({ column: 'A', op: 'eq', value: 1 })) }, 'filter'],
      [filter({ value: 'v'.repeat(MAX_FILTER_VALUE_LENGTH + 1) }), 'filter[0].value'],
      [filter({ value: Number.POSITIVE_INFINITY }), 'filter[0].value'],
      [filter({ column: 'C'.repeat(MAX_COLUMN_NAME_LENGTH + 1) }), 'filter[0].column'],
      [filter({ column: '' }), 'filter[0].column'],
      [filter({ op: 'like' }), 'filter[0].op'],
      [filter({ op: 'in', value: Array.from({ length: MAX_IN_VALUES + 1 }, () => 'x') }), 'filter[0].value'],
      [filter({ op: 'in', value: [] }), 'filter[0].value'],
      [filter({ op: 'in', value: 'x' }), 'filter[0].value'],
      [filter({ more: 1 }), 'filter[0]'],
      [{ sort: { column: 'A', direction: 'up' } }, 'sort.direction'],
      [{ sort: { column: 'C'.repeat(MAX_COLUMN_NAME_LENGTH + 1) } }, 'sort.column'],
      [{ page: 2 }, ''],
    ]
    for (const [query, field] of cases) expect(problemOf(query), JSON.stringify(query).slice(0, 80)).toBe(field)
  })

  it('is what the contract checks for results:page and results:detail', () => {
    const limit = MAX_PAGE_LIMIT + 1
    expect(thrown(() => parseRequest('results:page', { job_id: JOB, domain: 'history', limit }))).toMatchObject({
      code: 'input/invalid',
      details: { field: 'limit', channel: 'results:page' },
    })
    const tooMany = Array.from({ length: MAX_PAGE_FILTERS + 1 }, () => ({ column: 'A', op: 'eq', value: 1 }))
    expect(thrown(() => parseRequest('results:detail', { job_id: JOB, table: 'suspects', filter: tooMany }))).toMatchObject({
      details: { field: 'filter', channel: 'results:detail' },
    })
    const query = { offset: 10, limit: MAX_PAGE_LIMIT, sort: { column: 'A' }, filter: [{ column: 'B', op: 'item', value: 'M/GWBE-0029' }] }
    expect(parseRequest('results:detail', { job_id: JOB, table: 'detail', ...query })).toEqual({ job_id: JOB, table: 'detail', ...query })
  })
})
