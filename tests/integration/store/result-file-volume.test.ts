/**
 * Volume check (not timed): 200 000 rows arrive in batches of 2000, as the event fetcher delivers
 * them, and all of them are stored, counted, indexed and pageable at the far end.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createResultFile, openResultFile } from '../../../main/store/index.js'
import { lotRequest, tempDir } from '../../unit/store/store-fixtures.js'
import { eventRow, eventRows, quality } from './result-file-fixtures.js'

const ROWS = 200_000
const BATCH = 2000

describe('a result file with 200 000 rows', () => {
  let tmp: ReturnType<typeof tempDir>
  let path: string

  beforeAll(() => {
    tmp = tempDir()
    path = join(tmp.dir, 'trace-evt-00000000f00d.sqlite')
    const writer = createResultFile(path, { jobId: 'trace-evt-00000000f00d', request: lotRequest('GA1'), source: 'test', appVersion: 'test', now: 0 })
    for (let start = 0; start < ROWS; start += BATCH) writer.writeEvents('history', eventRows('history', start, BATCH))
    expect(writer.rowCounts()).toEqual({ history: ROWS, materials: 0, rejects: 0, holds: 0, jobs: 0 })
    writer.finish({ domainQuality: {}, quality: quality('complete', ROWS) })
  }, 120_000)
  afterAll(() => tmp.cleanup())

  it('stores every row, once, in order', () => {
    const raw = new Database(path, { readonly: true })
    try {
      expect(raw.prepare('SELECT count(*) AS n, min(_seq) AS first, max(_seq) AS last FROM events_history').get()).toEqual({ n: ROWS, first: 1, last: ROWS })
      expect(raw.prepare('SELECT count(*) AS n FROM "sort_history__TRACKINTIMESTAMP"').get()).toEqual({ n: ROWS })
    } finally {
      raw.close()
    }
    const reader = openResultFile(path)
    try {
      expect(reader.domainCounts().history).toBe(ROWS)
      const last = reader.page('history', { offset: ROWS - 3, limit: 10 })
      expect(last.total).toBe(ROWS)
      expect(last.rows).toEqual([eventRow('history', ROWS - 3), eventRow('history', ROWS - 2), eventRow('history', ROWS - 1)])
      const deepSorted = reader.page('history', { offset: ROWS - 1, limit: 1, sort: { column: 'TRACKINTIMESTAMP', direction: 'desc' } })
      const firstSorted = reader.page('history', { offset: 0, limit: 1, sort: { column: 'TRACKINTIMESTAMP', direction: 'asc' } })
      expect(deepSorted.rows).toEqual(firstSorted.rows)
    } finally {
      reader.close()
    }
  })
})
