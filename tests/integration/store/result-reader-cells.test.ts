/**
 * Long cells in pages: a result file with a 64 MB cell answers every kind of page (written order,
 * a sort table, a filter, an order without a sort table, an MSD table) with the cell cut to
 * MAX_CELL_CHARS characters and a marker giving its full length, while exports keep it whole;
 * through the router the page is a small answer.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createResultFile, cutMarkerOf, MAX_CELL_CHARS, openResultFile, type ResultFileReader } from '../../../main/store/index.js'
import { MAX_ANSWER_BYTES, ServiceRouter, type Handlers } from '../../../main/transport/index.js'
import type { EventRow } from '../../../shared/trace.js'
import { lotRequest, tempDir } from '../../unit/store/store-fixtures.js'
import { eventRows, quality } from './result-file-fixtures.js'

const JOB = 'trace-evt-0000000ce115'
const HUGE_CHARS = 64 * 1024 * 1024
/** The column the long cells are written to (text, without a sort table). */
const COLUMN = 'EQUIPMENTNAME'

describe('result file pages with long cells', () => {
  let tmp: ReturnType<typeof tempDir>
  let reader: ResultFileReader
  let rows: EventRow[]
  const huge = 'x'.repeat(HUGE_CHARS)
  const atCap = 'a'.repeat(MAX_CELL_CHARS)
  const overCap = 'b'.repeat(MAX_CELL_CHARS + 1)
  // Three bytes each in UTF-8: the cap counts characters, not bytes.
  const wide = '測'.repeat(MAX_CELL_CHARS + 1)

  beforeAll(() => {
    tmp = tempDir()
    const path = join(tmp.dir, `${JOB}.sqlite`)
    const writer = createResultFile(path, { jobId: JOB, request: lotRequest('GA26010001-A01'), source: 'sqlite:/plants/demo.sqlite', appVersion: '0.1.0', now: 0 })
    rows = eventRows('history', 0, 6)
    rows[1]![COLUMN] = huge
    rows[1]!.CONTAINERID = 'CID-HUGE'
    rows[2]![COLUMN] = atCap
    rows[3]![COLUMN] = overCap
    rows[4]![COLUMN] = wide
    writer.writeEvents('history', rows)
    writer.createMsdTable('detail', [
      { key: 'LOT', numeric: false },
      { key: 'UPSTREAM', numeric: false },
      { key: 'QTY', numeric: true },
    ])
    writer.analyze('Writing the detail rows', (db) => {
      const insert = db.prepare('INSERT INTO msd_detail (LOT, UPSTREAM, QTY) VALUES (?, ?, ?)')
      insert.run('GA-1', 'GWBE-0001, GWBE-0002', 3)
      insert.run('GA-2', huge, 4)
    })
    writer.finish({ domainQuality: { history: quality('complete', rows.length, 'history') }, quality: quality('complete', rows.length), completedAt: 1 })
    reader = openResultFile(path)
  }, 120_000)

  afterAll(() => {
    reader?.close()
    tmp.cleanup()
  })

  /** A cell as the test compares it: short enough that a failure does not print 64 MB. */
  const shape = (cell: unknown): unknown =>
    typeof cell === 'string' && cell.length > 100 ? { length: cell.length, head: cell.slice(0, 8), tail: cell.slice(-48) } : cell
  /** The shape of a cell of `length` characters cut to `kept`. */
  const cut = (length: number, kept: string): unknown => shape(kept + cutMarkerOf(length))
  const shapeRow = (row: EventRow | undefined): unknown => row && Object.fromEntries(Object.entries(row).map(([k, v]) => [k, shape(v)]))

  it('marks a cut with the full length, digits grouped by spaces', () => {
    expect(cutMarkerOf(HUGE_CHARS)).toBe('… [cut: 67 108 864 characters]')
    expect(cutMarkerOf(16_385)).toBe('… [cut: 16 385 characters]')
    expect(cutMarkerOf(999)).toBe('… [cut: 999 characters]')
  })

  it('cuts the 64 MB cell of a page in written order, and nothing else', () => {
    const page = reader.page('history', { limit: 10 })
    expect(page.total).toBe(6)
    expect(shape(page.rows[1]![COLUMN])).toEqual(cut(HUGE_CHARS, 'x'.repeat(MAX_CELL_CHARS)))
    expect(page.rows[2]![COLUMN] === atCap).toBe(true)
    expect(shape(page.rows[3]![COLUMN])).toEqual(cut(MAX_CELL_CHARS + 1, 'b'.repeat(MAX_CELL_CHARS)))
    expect(shape(page.rows[4]![COLUMN])).toEqual(cut(MAX_CELL_CHARS + 1, '測'.repeat(MAX_CELL_CHARS)))
    expect((page.rows[4]![COLUMN] as string).startsWith('測'.repeat(MAX_CELL_CHARS) + '…')).toBe(true)
    // Every other cell comes back as written, numbers as numbers.
    expect(page.rows[0]).toEqual(rows[0])
    expect(page.rows[5]).toEqual(rows[5])
    expect({ ...page.rows[1], [COLUMN]: 'whole' }).toEqual({ ...rows[1], [COLUMN]: 'whole' })
  })

  it('cuts it in a page sorted through a sort table', () => {
    expect(reader.manifest().sort_columns.history).toContain('CONTAINERID')
    const page = reader.page('history', { sort: { column: 'CONTAINERID', direction: 'desc' }, limit: 1 })
    expect(page.rows.map(shapeRow)).toEqual([{ ...rows[1], [COLUMN]: cut(HUGE_CHARS, 'x'.repeat(MAX_CELL_CHARS)) }])
  })

  it('cuts it in a filtered page, while the filter sees the whole cell', () => {
    const page = reader.page('history', { filter: [{ column: COLUMN, op: 'contains', value: 'xxx' }] })
    expect(page.total).toBe(1)
    expect(shape(page.rows[0]![COLUMN])).toEqual(cut(HUGE_CHARS, 'x'.repeat(MAX_CELL_CHARS)))
    const byId = reader.page('history', { filter: [{ column: 'CONTAINERID', op: 'eq', value: 'CID-HUGE' }] })
    expect(byId.rows.map((row) => shape(row[COLUMN]))).toEqual([cut(HUGE_CHARS, 'x'.repeat(MAX_CELL_CHARS))])
  })

  it('cuts it in a page ordered by a column without a sort table', () => {
    expect(reader.manifest().sort_columns.history).not.toContain(COLUMN)
    // '測' sorts after 'x', which sorts after every other value of the column.
    const page = reader.page('history', { sort: { column: COLUMN, direction: 'desc' }, limit: 2 })
    expect(page.rows.map((row) => shape(row[COLUMN]))).toEqual([
      cut(MAX_CELL_CHARS + 1, '測'.repeat(MAX_CELL_CHARS)),
      cut(HUGE_CHARS, 'x'.repeat(MAX_CELL_CHARS)),
    ])
  })

  it('cuts it in a page of an MSD table', () => {
    const page = reader.msdPage('detail')
    expect(page.rows.map(shapeRow)).toEqual([
      { LOT: 'GA-1', UPSTREAM: 'GWBE-0001, GWBE-0002', QTY: 3 },
      { LOT: 'GA-2', UPSTREAM: cut(HUGE_CHARS, 'x'.repeat(MAX_CELL_CHARS)), QTY: 4 },
    ])
  })

  it('keeps every cell whole in exports', async () => {
    const exported: EventRow[] = []
    for await (const chunk of reader.allRows('history')) exported.push(...chunk)
    expect(exported).toHaveLength(6)
    expect((exported[1]![COLUMN] as string).length).toBe(HUGE_CHARS)
    expect(exported[3]![COLUMN] === overCap).toBe(true)
    expect(exported[1]![COLUMN] === huge).toBe(true)
    const detail: EventRow[] = []
    for await (const chunk of reader.msdRows('detail')) detail.push(...chunk)
    expect((detail[1]!.UPSTREAM as string).length).toBe(HUGE_CHARS)
  })

  it('answers the page through the router far under the answer cap', async () => {
    const handlers = {
      'results:page': ({ domain, ...options }: { domain: 'history' }) => reader.page(domain, options),
    } as unknown as Handlers
    const router = new ServiceRouter({ handlers })
    const text = await router.invokeAsJson(1, 'results:page', { job_id: JOB, domain: 'history', limit: 1000 }, { clientId: 'test' })
    const answer = JSON.parse(text) as { id: number; result: { ok: true; value: { rows: EventRow[] } } }
    expect(answer.result.ok).toBe(true)
    expect(shape(answer.result.value.rows[1]![COLUMN])).toEqual(cut(HUGE_CHARS, 'x'.repeat(MAX_CELL_CHARS)))
    // Four long cells of at most 16 384 characters (3 bytes each for the wide one) and short rows.
    expect(Buffer.byteLength(text)).toBeLessThan(120_000)
    expect(Buffer.byteLength(text)).toBeLessThan(MAX_ANSWER_BYTES / 1000)
  })
})
