import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import ExcelJS from 'exceljs'
import { afterEach, describe, expect, it } from 'vitest'
import { writeXlsx, XLSX_MAX_CELL_CHARS, XLSX_MAX_ROWS, type XlsxSheet } from '../../../main/results/index.js'
import { AppError } from '../../../shared/errors.js'

/** Rows as an async iterable, in chunks of `size`. */
async function* chunked(rows: readonly (readonly unknown[])[], size = 2): AsyncGenerator<readonly (readonly unknown[])[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size)
}

/** Every row of a worksheet as an array of cell values (column A first), empty cells as null. */
function valuesOf(sheet: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = []
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: unknown[] = []
    for (let c = 1; c <= sheet.columnCount; c++) cells.push(row.getCell(c).value)
    out.push(cells)
  })
  return out
}

async function readBack(path: string): Promise<ExcelJS.Workbook> {
  return new ExcelJS.Workbook().xlsx.readFile(path)
}

describe('writeXlsx', () => {
  const dirs: string[] = []
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'xlsx-'))
    dirs.push(dir)
    return dir
  }
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('writes sheets with a bold frozen header and the exact cell values, Chinese text and formula-like text included', async () => {
    const dir = tempDir()
    const path = join(dir, 'result.xlsx')
    const long = 'x'.repeat(XLSX_MAX_CELL_CHARS + 10)
    const sheets: XlsxSheet[] = [
      {
        name: '焊接_WB',
        headers: ['批次', '站点', '不良率(%)', '数量', '备注'],
        rows: chunked([
          ['LOT-001', '焊接_WB', 1.25, 400, null],
          ['LOT-002', '測試', 0, -3, undefined],
          ['=1+1', '+SUM(A1:A2)', '-2', '@cmd', '=HYPERLINK("http://x","y")'],
          ['', { a: 1, b: ['甲'] }, 1e21, 0.1 + 0.2, long],
        ]),
      },
      {
        name: 'Summary',
        headers: ['key', 'value'],
        widths: [20, 50],
        rows: chunked([
          ['lots', 2],
          ['不良率(%)', 12.5],
        ], 1),
      },
    ]
    expect(await writeXlsx(path, sheets)).toEqual([
      { name: '焊接_WB', rows: 4 },
      { name: 'Summary', rows: 2 },
    ])
    expect(readdirSync(dir)).toEqual(['result.xlsx'])

    const book = await readBack(path)
    expect(book.worksheets.map((s) => s.name)).toEqual(['焊接_WB', 'Summary'])

    const first = book.getWorksheet('焊接_WB')!
    // (The over-long text, cut to Excel's limit, is compared as 'cut' to keep failure output short.)
    expect(valuesOf(first).map((row) => row.map((v) => (v === long.slice(0, XLSX_MAX_CELL_CHARS) ? 'cut' : v)))).toEqual([
      ['批次', '站点', '不良率(%)', '数量', '备注'],
      ['LOT-001', '焊接_WB', 1.25, 400, null],
      ['LOT-002', '測試', 0, -3, null],
      ['=1+1', '+SUM(A1:A2)', '-2', '@cmd', '=HYPERLINK("http://x","y")'],
      [null, '{"a":1,"b":["甲"]}', 1e21, 0.1 + 0.2, 'cut'],
    ])
    // Text that looks like a formula stays text.
    for (const c of [1, 2, 3, 4, 5]) {
      const cell = first.getRow(4).getCell(c)
      expect(cell.type).toBe(ExcelJS.ValueType.String)
      expect(cell.formula).toBeFalsy()
    }
    expect(first.getRow(2).getCell(3).type).toBe(ExcelJS.ValueType.Number)
    expect(first.getRow(2).getCell(5).type).toBe(ExcelJS.ValueType.Null)
    // Header: bold; data: not.
    for (const c of [1, 2, 3, 4, 5]) expect(first.getRow(1).getCell(c).font?.bold).toBe(true)
    expect(first.getRow(2).getCell(1).font?.bold).toBeFalsy()
    expect(first.views).toHaveLength(1)
    expect(first.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    // Default widths follow the header (min 8; CJK characters count double).
    expect(first.getColumn(1).width).toBe(8)
    expect(first.getColumn(3).width).toBe(11) // 3 CJK × 2 + 3 + 2 of margin

    const second = book.getWorksheet('Summary')!
    expect(valuesOf(second)).toEqual([
      ['key', 'value'],
      ['lots', 2],
      ['不良率(%)', 12.5],
    ])
    expect(second.getRow(1).getCell(2).font?.bold).toBe(true)
    expect(second.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    expect(second.getColumn(1).width).toBe(20)
    expect(second.getColumn(2).width).toBe(50)
  })

  it('makes sheet names valid for Excel and unique', async () => {
    const dir = tempDir()
    const path = join(dir, 'names.xlsx')
    const sheet = (name: string): XlsxSheet => ({ name, headers: ['a'], rows: chunked([[name]]) })
    const written = await writeXlsx(path, [
      sheet('a:b\\c/d?e*f[g]h and a name well over the limit'),
      sheet('Lots'),
      sheet('lots'),
      sheet('Lots'),
      sheet("'quoted'"),
      sheet(''),
      sheet('History'),
    ])
    const names = ['a_b_c_d_e_f_g_h and a name well', 'Lots', 'lots (2)', 'Lots (3)', 'quoted', 'Sheet', 'History_']
    expect(written.map((w) => w.name)).toEqual(names)
    expect(names[0]).toHaveLength(31)
    const book = await readBack(path)
    expect(book.worksheets.map((s) => s.name)).toEqual(names)
    expect(book.worksheets.map((s) => s.getRow(2).getCell(1).value)).toEqual([
      'a:b\\c/d?e*f[g]h and a name well over the limit', 'Lots', 'lots', 'Lots', "'quoted'", null, 'History',
    ])
  })

  it('continues a sheet over its row limit on "<name> (2)", "(3)"… with the same header', async () => {
    const dir = tempDir()
    const path = join(dir, 'rollover.xlsx')
    const rows = Array.from({ length: 12 }, (_, i) => [i + 1, `row ${i + 1}`])
    const written = await writeXlsx(path, [
      { name: 'X', headers: ['n', 'text'], rows: chunked(rows, 5) },
      { name: 'Y', headers: ['n'], rows: chunked([[1], [2], [3], [4]]) },
    ], { maxRowsPerSheet: 5 })
    expect(written).toEqual([
      { name: 'X', rows: 4 },
      { name: 'X (2)', rows: 4 },
      { name: 'X (3)', rows: 4 },
      { name: 'Y', rows: 4 },
    ])
    const book = await readBack(path)
    expect(book.worksheets.map((s) => s.name)).toEqual(['X', 'X (2)', 'X (3)', 'Y'])
    for (const [i, name] of ['X', 'X (2)', 'X (3)'].entries()) {
      const sheet = book.getWorksheet(name)!
      expect(valuesOf(sheet)).toEqual([['n', 'text'], ...rows.slice(i * 4, i * 4 + 4)])
      expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true)
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    }
    // Exactly full: no empty extra sheet.
    expect(valuesOf(book.getWorksheet('Y')!)).toEqual([['n'], [1], [2], [3], [4]])
  })

  it('leaves nothing behind when the rows fail mid-way', async () => {
    const dir = tempDir()
    const path = join(dir, 'broken.xlsx')
    async function* failing(error: Error): AsyncGenerator<unknown[][]> {
      yield [['a', 1], ['b', 2]]
      throw error
    }
    const sheets = (error: Error): XlsxSheet[] => [
      { name: 'ok', headers: ['k', 'v'], rows: chunked([['x', 1]]) },
      { name: 'bad', headers: ['k', 'v'], rows: failing(error) },
    ]

    const plain = await writeXlsx(path, sheets(new Error('source went away'))).catch((e: unknown) => e)
    expect(plain).toBeInstanceOf(AppError)
    expect(plain).toMatchObject({ code: 'storage/write-failed', details: { path } })
    expect((plain as AppError).message).toContain('source went away')
    expect(readdirSync(dir)).toEqual([])

    const own = new AppError('source/query-failed', 'the query failed')
    await expect(writeXlsx(path, sheets(own))).rejects.toBe(own)
    expect(readdirSync(dir)).toEqual([])

    // A row with the wrong number of cells is refused the same way.
    await expect(writeXlsx(path, [{ name: 's', headers: ['a', 'b'], rows: chunked([['only one']]) }])).rejects.toMatchObject({
      code: 'input/invalid',
      details: { field: 'rows' },
    })
    expect(readdirSync(dir)).toEqual([])

    // A folder that does not exist: storage/write-failed, nothing written.
    await expect(writeXlsx(join(dir, 'missing', 'x.xlsx'), sheets(new Error('unused')))).rejects.toMatchObject({
      code: 'storage/write-failed',
    })
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses a workbook without sheets and a bad row limit', async () => {
    const path = join(tempDir(), 'none.xlsx')
    await expect(writeXlsx(path, [])).rejects.toMatchObject({ code: 'input/invalid', details: { field: 'sheets' } })
    const one: XlsxSheet[] = [{ name: 's', headers: ['a'], rows: chunked([]) }]
    for (const maxRowsPerSheet of [1, 2.5, XLSX_MAX_ROWS + 1]) {
      await expect(writeXlsx(path, one, { maxRowsPerSheet })).rejects.toMatchObject({
        code: 'input/invalid',
        details: { field: 'maxRowsPerSheet' },
      })
    }
  })

  it('writes a sheet with no rows as its header alone', async () => {
    const path = join(tempDir(), 'empty.xlsx')
    expect(await writeXlsx(path, [{ name: '空', headers: ['批次', '站点'], rows: chunked([]) }])).toEqual([{ name: '空', rows: 0 }])
    const book = await readBack(path)
    expect(valuesOf(book.getWorksheet('空')!)).toEqual([['批次', '站点']])
  })

  it('streams a 50 000-row sheet', async () => {
    const path = join(tempDir(), 'big.xlsx')
    const total = 50_000
    async function* rows(): AsyncGenerator<unknown[][]> {
      for (let start = 0; start < total; start += 1000) {
        yield Array.from({ length: 1000 }, (_, i) => [start + i, `LOT-${start + i}`, '焊接_WB', (start + i) / 7])
      }
    }
    expect(await writeXlsx(path, [{ name: 'big', headers: ['n', 'lot', 'station', 'ratio'], rows: rows() }])).toEqual([
      { name: 'big', rows: total },
    ])
    const sheet = (await readBack(path)).getWorksheet('big')!
    expect(sheet.rowCount).toBe(total + 1)
    expect(sheet.getRow(total + 1).values).toEqual([undefined, total - 1, `LOT-${total - 1}`, '焊接_WB', (total - 1) / 7])
  }, 20_000)

  it('finds the ExcelJS internals its back-pressure and clean-up use (a canary for ExcelJS upgrades)', async () => {
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() })
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: false, useStyles: true })
    const sheet = writer.addWorksheet('s')
    const entry = (sheet as unknown as { stream?: { pipes?: { _writableState?: { needDrain?: boolean }; once?: unknown }[] } }).stream?.pipes?.[0]
    expect(typeof entry?.once).toBe('function')
    expect(typeof entry?._writableState?.needDrain).toBe('boolean')
    const zip = (writer as unknown as { zip?: { abort?: unknown; unpipe?: unknown; on?: unknown } }).zip
    expect([typeof zip?.abort, typeof zip?.unpipe, typeof zip?.on]).toEqual(['function', 'function', 'function'])
    sheet.commit()
    await writer.commit()
  })
})
