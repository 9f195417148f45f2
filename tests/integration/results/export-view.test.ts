/**
 * "Export this view": a result file's table written exactly as a table shows it — its conditions,
 * its order, its visible columns in display order and its selected rows — as CSV and XLSX, through
 * `exportResult` and through the service contract (`jobs:export` with `view`). A view of no rows
 * is a file with just the header; an unknown column, a bad condition or a range past the view is
 * refused before anything is written. `jobs:show-export` shows only a file this app just saved.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportView } from '../../../shared/api.js'
import type { EventRow } from '../../../shared/trace.js'
import type { JobEngine } from '../../../main/engine/index.js'
import { CSV_BOM, exportResult, msdExportColumns, planView, type ExportRequest, type ExportTarget, type ResultService } from '../../../main/results/index.js'
import { createResultFile, openResultFile, type Catalog, type ResultFileReader } from '../../../main/store/index.js'
import { createServices, ServiceRouter, type FolderRevealer } from '../../../main/transport/index.js'
import { parseCsv } from '../../fixtures/csv.js'
import { lotRequest, tempDir } from '../../unit/store/store-fixtures.js'
import { eventRows, quality, sortedBy } from '../store/result-file-fixtures.js'

const JOB = 'trace-evt-00000000e7e1'
/** More rows than one page holds, so a view is written over several pages. */
const ROWS = 2600

describe('export of a view', () => {
  let tmp: ReturnType<typeof tempDir>
  let reader: ResultFileReader
  let rows: EventRow[]
  let out: string
  let n = 0
  const next = (ext = 'csv'): string => join(out, `view-${++n}.${ext}`)
  const csvOf = (path: string): string[][] => {
    const text = readFileSync(path, 'utf8')
    expect(text.startsWith(CSV_BOM)).toBe(true)
    return parseCsv(text.slice(CSV_BOM.length))
  }
  /** A cell as the CSV writes it. */
  const cell = (v: unknown): string => (v === null || v === undefined ? '' : String(v))
  const cellsOf = (list: readonly EventRow[], columns: readonly string[]): string[][] => list.map((r) => columns.map((c) => cell(r[c])))

  beforeAll(() => {
    tmp = tempDir('mes-trace-export-view-')
    out = join(tmp.dir, 'out')
    mkdirSync(out)
    const path = join(tmp.dir, `${JOB}.sqlite`)
    const writer = createResultFile(path, { jobId: JOB, request: lotRequest('GA26010001-A01'), source: 'sqlite:/plants/demo.sqlite', appVersion: '0.1.0', now: 0 })
    rows = eventRows('history', 0, ROWS)
    writer.writeEvents('history', rows)
    writer.createMsdTable('detail', [
      { key: 'CONTAINERNAME', numeric: false },
      { key: 'LOSS_REASON', numeric: false },
      { key: 'DEFECT_QTY', numeric: true },
    ])
    writer.analyze('Writing the detail rows', (db) => {
      const insert = db.prepare('INSERT INTO msd_detail (CONTAINERNAME, LOSS_REASON, DEFECT_QTY) VALUES (?, ?, ?)')
      insert.run('GA-1', 'CRACK', 3)
      insert.run('GA-2', 'VOID', 9)
      insert.run('GA-3', 'CRACK', 1)
    })
    writer.finish({ domainQuality: { history: quality('complete', rows.length, 'history') }, quality: quality('complete', rows.length), completedAt: 1 })
    reader = openResultFile(path)
  })

  afterAll(() => {
    reader?.close()
    tmp?.cleanup()
  })

  describe('as CSV', () => {
    it('writes the rows that meet every condition, in the shown order, with the visible columns in display order', async () => {
      const lot = String(rows[7]!.CONTAINERNAME)
      const view: ExportView = {
        filter: [{ column: 'CONTAINERNAME', op: 'eq', value: lot }],
        sort: { column: 'TRACKINTIMESTAMP', direction: 'desc' },
        columns: ['TRACKINTIMESTAMP', 'CONTAINERNAME', 'SPECNAME'],
      }
      const path = next()
      const files = await exportResult(reader, { format: 'csv', path, table: 'history', view })
      const expected = sortedBy(rows.filter((r) => r.CONTAINERNAME === lot), 'TRACKINTIMESTAMP', 'desc')
      expect(expected.length).toBeGreaterThan(1)
      expect(files).toEqual([{ table: 'history', domain: 'history', path, rows: expected.length }])
      const records = csvOf(path)
      expect(records[0]).toEqual(['TRACKINTIMESTAMP', 'CONTAINERNAME', 'SPECNAME'])
      expect(records.slice(1)).toEqual(cellsOf(expected, ['TRACKINTIMESTAMP', 'CONTAINERNAME', 'SPECNAME']))
    })

    it('writes a view of more rows than a page holds whole and in order (no condition, a sort)', async () => {
      const path = next()
      const [file] = await exportResult(reader, { format: 'csv', path, table: 'history', view: { sort: { column: 'SPECNAME', direction: 'asc' }, columns: ['SPECNAME', 'CONTAINERID'] } })
      expect(file!.rows).toBe(ROWS)
      expect(csvOf(path).slice(1)).toEqual(cellsOf(sortedBy(rows, 'SPECNAME', 'asc'), ['SPECNAME', 'CONTAINERID']))
    })

    it('writes only the selected rows, by their index in the shown order, across pages', async () => {
      const selection: [number, number][] = [[0, 1], [998, 1003], [ROWS - 1, ROWS - 1]]
      const path = next()
      const [file] = await exportResult(reader, { format: 'csv', path, table: 'history', view: { sort: { column: 'CONTAINERID', direction: 'desc' }, columns: ['CONTAINERID'], selection } })
      const shown = sortedBy(rows, 'CONTAINERID', 'desc')
      const picked = [shown[0]!, shown[1]!, ...shown.slice(998, 1004), shown[ROWS - 1]!]
      expect(file!.rows).toBe(9)
      expect(csvOf(path).slice(1)).toEqual(cellsOf(picked, ['CONTAINERID']))
    })

    it('writes the labels the table shows as the header when given', async () => {
      const path = next()
      await exportResult(reader, { format: 'csv', path, table: 'history', view: { columns: ['CONTAINERNAME', 'SPECNAME'], headers: ['批號', 'Spec, step'], selection: [[0, 0]] } })
      expect(csvOf(path)).toEqual([['批號', 'Spec, step'], cellsOf([rows[0]!], ['CONTAINERNAME', 'SPECNAME'])[0]])
    })

    it('writes a view of no rows as a file with just the header', async () => {
      const path = next()
      const [file] = await exportResult(reader, {
        format: 'csv',
        path,
        table: 'history',
        view: { filter: [{ column: 'CONTAINERNAME', op: 'eq', value: 'NO-SUCH-LOT' }], columns: ['CONTAINERNAME', 'SPECNAME'] },
      })
      expect(file!.rows).toBe(0)
      expect(readFileSync(path, 'utf8')).toBe(`${CSV_BOM}CONTAINERNAME,SPECNAME\r\n`)
    })

    it('writes an MSD table with its export headers, filtered and sorted', async () => {
      const path = next()
      const [file] = await exportResult(reader, {
        format: 'csv',
        path,
        table: 'detail',
        view: { filter: [{ column: 'LOSS_REASON', op: 'eq', value: 'CRACK' }], sort: { column: 'DEFECT_QTY', direction: 'desc' }, columns: ['DEFECT_QTY', 'CONTAINERNAME'] },
      })
      expect(file).toEqual({ table: 'msd_detail', path, rows: 2 })
      const header = (key: string): string => msdExportColumns(reader, 'detail').find((c) => c.key === key)!.header
      expect(header('CONTAINERNAME')).toBe('LOT ID')
      expect(csvOf(path)).toEqual([[header('DEFECT_QTY'), 'LOT ID'], ['3', 'GA-1'], ['1', 'GA-3']])
    })
  })

  describe('as XLSX', () => {
    it('writes one sheet of the view: header, then exactly its rows', async () => {
      const path = next('xlsx')
      const lot = String(rows[7]!.CONTAINERNAME)
      const [file] = await exportResult(reader, {
        format: 'xlsx',
        path,
        table: 'history',
        view: { filter: [{ column: 'CONTAINERNAME', op: 'eq', value: lot }], sort: { column: 'TRACKINTIMESTAMP', direction: 'asc' }, columns: ['CONTAINERNAME', 'TRACKINTIMESTAMP'] },
      })
      const expected = sortedBy(rows.filter((r) => r.CONTAINERNAME === lot), 'TRACKINTIMESTAMP', 'asc')
      expect(expected.length).toBeGreaterThan(1)
      // Excel reserves the sheet name "History".
      expect(file!.sheets).toEqual([{ name: 'history_', rows: expected.length }])
      const book = new ExcelJS.Workbook()
      await book.xlsx.readFile(path)
      const sheet = book.worksheets[0]!
      // A row's empty cells are holes in what ExcelJS reads back.
      const values = sheet.getSheetValues().slice(1).map((r) => [1, 2].map((i) => cell((r as unknown[])[i])))
      expect(values).toEqual([['CONTAINERNAME', 'TRACKINTIMESTAMP'], ...cellsOf(expected, ['CONTAINERNAME', 'TRACKINTIMESTAMP'])])
    })

    it('writes a view of no rows as a sheet with just the header', async () => {
      const path = next('xlsx')
      const [file] = await exportResult(reader, { format: 'xlsx', path, table: 'history', view: { filter: [{ column: 'SPECNAME', op: 'eq', value: 'NONE' }], columns: ['SPECNAME'] } })
      expect(file!.sheets).toEqual([{ name: 'history_', rows: 0 }])
      const book = new ExcelJS.Workbook()
      await book.xlsx.readFile(path)
      expect(book.worksheets[0]!.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1))).toEqual([['SPECNAME']])
    })
  })

  describe('refusals (nothing is written)', () => {
    const refused = async (view: ExportView, table: 'history' | 'detail' = 'history'): Promise<{ code: string; field: unknown; message: string }> => {
      const path = next()
      const error = (await exportResult(reader, { format: 'csv', path, table, view }).then(
        () => null,
        (e: unknown) => e,
      )) as { code: string; details?: { field?: unknown }; message: string } | null
      expect(error).not.toBeNull()
      expect(existsSync(path)).toBe(false)
      return { code: error!.code, field: error!.details?.field, message: error!.message }
    }

    it('refuses an unknown column, naming it and the columns there are', async () => {
      const error = await refused({ columns: ['CONTAINERNAME', 'NO_SUCH_COLUMN'] })
      expect(error.code).toBe('input/invalid')
      expect(error.field).toBe('view.columns[1]')
      expect(error.message).toMatch(/^view\.columns\[1\]: unknown history column "NO_SUCH_COLUMN"; columns: .*CONTAINERNAME/)
    })

    it('refuses a column of the table that is not an export column of an MSD table', async () => {
      expect((await refused({ columns: ['CONTAINERID'] }, 'detail')).field).toBe('view.columns[0]')
    })

    it('refuses a column named twice, a condition or an order on an unknown column, and headers that do not match', async () => {
      expect((await refused({ columns: ['SPECNAME', 'SPECNAME'] })).field).toBe('view.columns[1]')
      const filter = await refused({ filter: [{ column: 'X; DROP TABLE history', op: 'eq', value: 1 }], columns: ['SPECNAME'] })
      expect(filter).toMatchObject({ code: 'input/invalid', field: 'view.filter[0].column' })
      expect(filter.message).toMatch(/^view\.filter\[0\]\.column: unknown history column/)
      expect((await refused({ sort: { column: 'NOPE' }, columns: ['SPECNAME'] })).field).toBe('view.sort.column')
      expect((await refused({ columns: ['SPECNAME'], headers: ['a', 'b'] })).field).toBe('view.headers')
    })

    it('refuses a selected range past the rows of the view, and ranges out of order', async () => {
      const past = await refused({ filter: [{ column: 'CONTAINERNAME', op: 'eq', value: String(rows[0]!.CONTAINERNAME) }], columns: ['SPECNAME'], selection: [[0, 500]] })
      expect(past).toMatchObject({ code: 'input/invalid', field: 'view.selection[0]' })
      expect(past.message).toMatch(/selects row 501, but the view holds \d+ rows/)
      expect((await refused({ columns: ['SPECNAME'], selection: [[5, 9], [3, 4]] })).field).toBe('view.selection[1]')
    })

    it('plans a view without writing: the rows it holds and the ranges it writes', () => {
      const plan = planView(reader, 'history', { columns: ['SPECNAME'], selection: [[2, 4], [10, 10]] })
      expect({ total: plan.total, rows: plan.rows, ranges: plan.ranges, headers: plan.headers }).toEqual({ total: ROWS, rows: 4, ranges: [[2, 4], [10, 10]], headers: ['SPECNAME'] })
    })
  })

  describe('through the service contract', () => {
    let router: ServiceRouter
    let browser: ServiceRouter
    const shown: string[] = []
    const asked: ExportRequest[] = []
    let chosen: ExportTarget | null = null

    beforeAll(() => {
      mkdirSync(join(tmp.dir, 'data'))
      const base = {
        engine: {} as JobEngine,
        results: { reader: () => reader } as unknown as ResultService,
        catalog: {} as Catalog,
        dataDir: join(tmp.dir, 'data'),
        appVersion: '9.9.9',
        sources: {} as never,
      }
      const revealer: FolderRevealer = { showInFolder: (path) => void shown.push(path) }
      router = new ServiceRouter({
        handlers: createServices({
          ...base,
          exportDestination: {
            choose: async (request) => {
              asked.push(request)
              return chosen
            },
          },
          folderRevealer: revealer,
        }),
      })
      // The browser host: the default destination (the exports folder) and no folder to show.
      browser = new ServiceRouter({ handlers: createServices(base) })
    })

    const exportView = (r: ServiceRouter, view: unknown, table = 'history') =>
      r.invoke('jobs:export', { job_id: JOB, format: 'csv', table, view }, { clientId: 'wc-1' })

    it('writes the view where the person chose, says so in the name it suggests, and shows that file in its folder', async () => {
      chosen = { path: join(out, 'chosen-view.csv'), delivery: 'saved' }
      const answer = await exportView(router, { filter: [{ column: 'CONTAINERNAME', op: 'eq', value: 'NO-SUCH-LOT' }], columns: ['SPECNAME'] })
      expect(answer).toEqual({ ok: true, value: { cancelled: false, delivery: 'saved', files: [{ path: chosen.path, name: 'chosen-view.csv', rows: 0 }] } })
      expect(asked.at(-1)).toMatchObject({ jobId: JOB, table: 'history', format: 'csv', view: true })
      expect(readFileSync(chosen.path, 'utf8')).toBe(`${CSV_BOM}SPECNAME\r\n`)
      expect(await router.invoke('jobs:show-export', { path: chosen.path }, { clientId: 'wc-1' })).toEqual({ ok: true, value: { shown: true } })
      expect(shown).toEqual([chosen.path])
    })

    it('refuses to show any file it did not export, without showing anything', async () => {
      for (const path of [join(tmp.dir, `${JOB}.sqlite`), join(out, 'view-1.csv'), '/etc/passwd', `${join(out, 'chosen-view.csv')}/..`]) {
        const answer = await router.invoke('jobs:show-export', { path }, { clientId: 'wc-1' })
        expect(answer).toMatchObject({ ok: false, error: { code: 'export/refused', details: { field: 'path', reason: 'not-exported' } } })
      }
      expect(shown).toEqual([join(out, 'chosen-view.csv')])
    })

    it('asks no one where to write a view it refuses', async () => {
      const before = asked.length
      const answer = await exportView(router, { columns: ['NO_SUCH_COLUMN'] })
      expect(answer).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field: 'view.columns[0]' } } })
      expect(asked.length).toBe(before)
    })

    it('validates the view with the page-query schemas before the handler runs', async () => {
      const cases: [unknown, string][] = [
        [{ columns: [] }, 'view.columns'],
        [{ columns: ['A'], filter: [{ column: 'A', op: 'like', value: 'x' }] }, 'view.filter[0].op'],
        [{ columns: ['A'], sort: { column: 'A', direction: 'up' } }, 'view.sort.direction'],
        [{ columns: ['A'], selection: [[4, 2]] }, 'view.selection[0]'],
        [{ columns: ['A'], selection: [[-1, 2]] }, 'view.selection[0][0]'],
        [{ columns: ['A'], extra: 1 }, 'view.extra'],
      ]
      for (const [view, field] of cases) {
        const answer = await exportView(router, view)
        expect(answer, JSON.stringify(view)).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field } } })
      }
      const sqlite = await router.invoke('jobs:export', { job_id: JOB, format: 'sqlite', view: { columns: ['SPECNAME'] } }, { clientId: 'wc-1' })
      expect(sqlite).toMatchObject({ ok: false, error: { code: 'input/invalid', details: { field: 'table' } } })
    })

    it('in the browser host, writes a new "-view" file in the exports folder to download, and has no folder to show', async () => {
      const answer = await exportView(browser, { sort: { column: 'CONTAINERID', direction: 'asc' }, columns: ['CONTAINERID'], selection: [[0, 2]] })
      expect(answer.ok).toBe(true)
      const value = (answer as { value: { delivery: string; files: { path: string; name: string; rows: number }[] } }).value
      expect(value.delivery).toBe('download')
      expect(value.files).toHaveLength(1)
      expect(value.files[0]!.name).toMatch(new RegExp(`^${JOB}-history-\\d{8}-\\d{6}-\\d{3}-view\\.csv$`))
      expect(readdirSync(join(tmp.dir, 'data', 'exports'))).toEqual([value.files[0]!.name])
      expect(csvOf(value.files[0]!.path).slice(1)).toEqual(cellsOf(sortedBy(rows, 'CONTAINERID', 'asc').slice(0, 3), ['CONTAINERID']))
      const show = await browser.invoke('jobs:show-export', { path: value.files[0]!.path }, { clientId: 'ws-1' })
      expect(show).toMatchObject({ ok: false, error: { code: 'export/refused', details: { reason: 'unavailable' } } })
    })
  })
})
