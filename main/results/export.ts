/**
 * Writing a finished result out of the data directory: CSV (one file per domain, streamed chunk by
 * chunk, never a whole domain in memory), an XLSX workbook, or a copy of the result file. Every
 * file is written beside its final path first and appears there only when complete, as a new file
 * (see file-output.ts for the rules every target obeys).
 */
import { createWriteStream, mkdirSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { join } from 'node:path'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import Database from 'better-sqlite3'
import type { ExportView } from '../../shared/api.js'
import { AppError, invalidInput, isAppError } from '../../shared/errors.js'
import { detailColumnsOf, SUSPECT_COLUMNS, SUSPECT_COLUMNS_V1, type DetailColumn } from '../../shared/msd.js'
import { MAX_PAGE_LIMIT, type PageQuery, type RowsPage } from '../../shared/page-query.js'
import { neutralizeFormula } from '../../shared/spreadsheet-text.js'
import type { Domain, EventRow } from '../../shared/trace.js'
import { MSD_TABLES, openResultFile, type MsdTable, type ResultFileReader } from '../store/index.js'
import { EVENT_DOMAINS } from '../trace/index.js'
import { assertExportFolder, assertExportTarget, closeOutput, writeAtomically, writeLine } from './file-output.js'
import { writeXlsx, type XlsxSheet } from './xlsx.js'

/** UTF-8 byte order mark: spreadsheet programs read the file as UTF-8 (plant names are not ASCII). */
export const CSV_BOM = '\uFEFF'

/** Record separator of RFC 4180. */
const CRLF = '\r\n'

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; quotes doubled.
 * Text a spreadsheet would run as a formula (a leading `=`, `+`, `-`, `@`, tab or CR) gets a
 * leading apostrophe; numbers stay numbers.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text =
    typeof value === 'string'
      ? neutralizeFormula(value)
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : neutralizeFormula(JSON.stringify(value))
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One CSV record with its CRLF. */
export function csvRecord(fields: readonly unknown[]): string {
  return `${fields.map(csvField).join(',')}${CRLF}`
}

/** Chunks of rows as arrays of cells in `keys` order. */
export async function* cellsOf(chunks: AsyncIterable<EventRow[]>, keys: readonly string[]): AsyncGenerator<unknown[][]> {
  for await (const chunk of chunks) yield chunk.map((row) => keys.map((k) => row[k]))
}

/**
 * Writes a CSV file: BOM, the header row, then every chunk of rows as it comes (one write per
 * chunk, whatever the size of the whole). Returns the number of data rows.
 */
export async function writeCsv(
  path: string,
  headers: readonly string[],
  rows: AsyncIterable<readonly (readonly unknown[])[]>,
  options: { replace?: boolean } = {},
): Promise<number> {
  return writeAtomically(path, async (temp) => {
    const stream = createWriteStream(temp, { encoding: 'utf8', flags: 'wx' })
    let count = 0
    try {
      await once(stream, 'open')
      await writeLine(stream, CSV_BOM + csvRecord(headers))
      for await (const chunk of rows) {
        await writeLine(stream, chunk.map((row) => csvRecord(row)).join(''))
        count += chunk.length
      }
    } catch (error) {
      stream.destroy()
      throw error
    }
    const closeError = await closeOutput(stream, path)
    if (closeError) throw new AppError(closeError.code, closeError.message, closeError.details)
    return count
  }, undefined, options)
}

/** The columns a domain's rows have in this file (the domain's known columns when it has no rows). */
export function domainColumns(reader: ResultFileReader, domain: Domain): string[] {
  const first = reader.page(domain, { limit: 1 }).rows[0]
  return first ? Object.keys(first) : [...EVENT_DOMAINS[domain].columns]
}

/**
 * Writes one domain as CSV: BOM, a header row of the file's columns (the domain's known columns
 * when it has no rows), then every row in written order. Returns the number of data rows.
 */
export async function writeDomainCsv(reader: ResultFileReader, domain: Domain, path: string, options: { replace?: boolean } = {}): Promise<number> {
  const columns = domainColumns(reader, domain)
  return writeCsv(path, columns, cellsOf(reader.allRows(domain), columns), options)
}

/** An MSD output table as exported: the original's headers (detail) or the suspect list's. */
export function msdExportColumns(reader: ResultFileReader, table: MsdTable): readonly DetailColumn[] {
  // A file of format version 1 has the first version's suspect columns.
  if (table === 'suspects') return reader.manifest().format_version < 2 ? SUSPECT_COLUMNS_V1 : SUSPECT_COLUMNS
  return detailColumnsOf(reader.manifest().request.direction, reader.manifest().format_version)
}

/** Writes an MSD output table as CSV with its export headers (domain.md §5.9 for the detail rows). */
export async function writeMsdCsv(reader: ResultFileReader, table: MsdTable, path: string, options: { replace?: boolean } = {}): Promise<number> {
  const columns = msdExportColumns(reader, table)
  return writeCsv(
    path,
    columns.map((c) => c.header),
    cellsOf(reader.msdRows(table), columns.map((c) => c.key)),
    options,
  )
}

/**
 * Copies a finished result file with SQLite's online backup from a read-only connection (a
 * consistent copy of the database whatever its journal state), then checks the copy opens as a
 * result file. `tempPath` is where the copy is made before it is renamed to `path` (default: a
 * hidden name beside it). Returns the copy's size in bytes.
 */
export async function copyResultFile(source: string, path: string, tempPath?: string, options: { replace?: boolean } = {}): Promise<number> {
  return writeAtomically(path, async (temp) => {
    const db = new Database(source, { readonly: true, fileMustExist: true })
    try {
      await db.backup(temp)
    } finally {
      db.close()
    }
    openResultFile(temp).close()
    return statSync(temp).size
  }, tempPath, options)
}

/** A table an export writes: an event domain, or an MSD output table. */
export type ExportTableName = Domain | MsdTable

/** Options of {@link exportResult}. */
export interface ExportResultOptions {
  format: 'csv' | 'xlsx' | 'sqlite'
  /** The file to write (absolute); for CSV of every table, a folder that gets one `<table>.csv` each. */
  path: string
  /** One table only; every stored table when absent (not with `sqlite`). */
  table?: ExportTableName
  /**
   * Replace existing regular files (the command line's `--force`). Links, folders, devices and
   * the data folder's own files are refused even then.
   * @default false
   */
  replace?: boolean
  /** The app's data folder: nothing in it but `exports/` is written. @default none */
  dataDir?: string
  /**
   * Only what a table shows (csv and xlsx of one `table`): its conditions, order, visible columns
   * in display order and selected rows (see {@link planView}). @default every row and column
   */
  view?: ExportView
}

/** Sheet names of the MSD tables in a workbook (the original's page called the detail "LOT 明細"). */
const MSD_SHEET_NAMES: Readonly<Record<MsdTable, string>> = { detail: 'LOT 明細', suspects: 'Suspects' }
const MSD_FILE_NAMES: Readonly<Record<MsdTable, string>> = { detail: 'msd_detail', suspects: 'msd_suspects' }

function fileNameOf(table: ExportTableName): string {
  return isMsdTableName(table) ? MSD_FILE_NAMES[table] : table
}

function isMsdTableName(table: ExportTableName): table is MsdTable {
  return table === 'detail' || table === 'suspects'
}

/** One file an export wrote. */
export interface ExportedFile {
  path: string
  table?: string
  domain?: Domain
  rows?: number
  bytes?: number
  sheets?: { name: string; rows: number }[]
}

/**
 * The tables an export in `format` writes: `table`, or every table the result stores (MSD tables
 * first); none for `sqlite`, the copy of the whole file. A table with `sqlite`, or one the result
 * does not hold, is `input/invalid` naming `table` — so a caller can check a request before it
 * asks anyone where to write it.
 */
export function exportTablesOf(reader: ResultFileReader, format: ExportResultOptions['format'], table?: ExportTableName): ExportTableName[] {
  if (format === 'sqlite') {
    if (table !== undefined) throw invalidInput('table', 'applies to csv and xlsx only (the sqlite copy holds everything)')
    return []
  }
  const stored: ExportTableName[] = [...MSD_TABLES.filter((t) => reader.msdColumns(t) !== null), ...reader.manifest().domains]
  if (table !== undefined && !stored.includes(table)) {
    throw invalidInput(
      'table',
      isMsdTableName(table)
        ? `this result has no MSD ${table} table (only MSD ${table === 'suspects' ? 'backward ' : ''}traces do)`
        : `this result has no ${table} rows; its domains: ${reader.manifest().domains.join(', ') || 'none (lineage only)'}`,
    )
  }
  return table !== undefined ? [table] : stored
}

/** A view of one table, checked against the result and ready to write (see {@link planView}). */
export interface ViewPlan {
  table: ExportTableName
  /** Header row of the file: the shown labels, or the table's export headers. */
  headers: string[]
  /** Column keys, in the order they are written. */
  columns: string[]
  /** Rows of the view (every matching row, selected or not). */
  total: number
  /** Inclusive index ranges of the rows written, in the shown order. */
  ranges: [number, number][]
  /** Rows written: the sum of the ranges. */
  rows: number
  /** One page of the view as the table reads it (its conditions and order). */
  page(offset: number, limit: number): RowsPage
}

/** An `input/invalid` of the reader (`filter[0].column`) named as the view's field (`view.filter[0].column`). */
function asViewField(error: unknown): unknown {
  if (!isAppError(error, 'input/invalid') || !(error instanceof AppError)) return error
  const field = typeof error.details?.field === 'string' ? error.details.field : null
  if (field === null || field.startsWith('view.')) return error
  const message = error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message
  return invalidInput(`view.${field}`, message)
}

/**
 * Checks "this view" of `table` against the result before anything is asked or written: every
 * column must be one of the table's (an unknown one is `input/invalid` naming
 * `view.columns[i]`), the conditions and the order are the reader's own (its errors name
 * `view.filter[i]…`), and every selected range must lie inside the view's rows. The rows are the
 * reader's pages with the table's conditions and order — the same filter and sort SQL, values
 * always bound — so the file holds exactly the rows the table paged, in its order, and no others.
 */
export function planView(reader: ResultFileReader, table: ExportTableName, view: ExportView): ViewPlan {
  const msd = isMsdTableName(table)
  const known: readonly { key: string; header: string }[] = msd
    ? msdExportColumns(reader, table).filter((c) => reader.msdColumns(table)?.includes(c.key))
    : (reader.domainColumns(table) ?? []).map((key) => ({ key, header: key }))
  const byKey = new Map(known.map((c) => [c.key, c]))
  if (!Array.isArray(view.columns) || view.columns.length === 0) throw invalidInput('view.columns', 'name at least one column to write')
  const seen = new Set<string>()
  const columns = view.columns.map((key, i) => {
    const column = typeof key === 'string' ? byKey.get(key) : undefined
    if (!column) {
      const shown = typeof key === 'string' ? JSON.stringify(key.slice(0, 60)) : typeof key
      throw invalidInput(`view.columns[${i}]`, `unknown ${fileNameOf(table)} column ${shown}; columns: ${known.map((c) => c.key).join(', ')}`)
    }
    if (seen.has(column.key)) throw invalidInput(`view.columns[${i}]`, `names ${column.key} twice`)
    seen.add(column.key)
    return column
  })
  if (view.headers !== undefined && (!Array.isArray(view.headers) || view.headers.length !== columns.length)) {
    throw invalidInput('view.headers', `must name one header per column (${columns.length})`)
  }
  const headers = columns.map((c, i) => (view.headers ? String(view.headers[i]) : c.header))
  const query: PageQuery = {
    ...(view.filter !== undefined && view.filter.length > 0 ? { filter: view.filter } : {}),
    ...(view.sort !== undefined ? { sort: view.sort } : {}),
  }
  const page = (offset: number, limit: number): RowsPage => {
    try {
      return msd ? reader.msdPage(table, { ...query, offset, limit }) : reader.page(table, { ...query, offset, limit })
    } catch (error) {
      throw asViewField(error)
    }
  }
  // The first page checks the conditions and the order, and counts the view.
  const total = page(0, 1).total
  let ranges: [number, number][]
  if (view.selection !== undefined && view.selection.length > 0) {
    ranges = view.selection.map(([first, last], i) => {
      if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || first < 0 || first > last) {
        throw invalidInput(`view.selection[${i}]`, 'must be [first, last] row indexes with first ≤ last')
      }
      if (i > 0 && first <= view.selection![i - 1]![1]) throw invalidInput(`view.selection[${i}]`, 'ranges must be sorted and must not overlap')
      if (last >= total) {
        throw invalidInput(`view.selection[${i}]`, `selects row ${last + 1}, but the view holds ${total} row${total === 1 ? '' : 's'}`)
      }
      return [first, last]
    })
  } else ranges = total > 0 ? [[0, total - 1]] : []
  return { table, headers, columns: columns.map((c) => c.key), total, ranges, rows: ranges.reduce((n, [a, b]) => n + b - a + 1, 0), page }
}

/**
 * The rows of a planned view in chunks of at most {@link MAX_PAGE_LIMIT}, range by range, yielding
 * to the event loop between pages. A cell longer than the reader's page cut (only in a file made
 * to hurt) is written as the table shows it: cut, with its length.
 */
export async function* viewRowsOf(plan: ViewPlan): AsyncGenerator<EventRow[], void, undefined> {
  for (const [first, last] of plan.ranges) {
    for (let offset = first; offset <= last; offset += MAX_PAGE_LIMIT) {
      yield plan.page(offset, Math.min(MAX_PAGE_LIMIT, last - offset + 1)).rows
      await yieldToEventLoop()
    }
  }
}

/** Writes a planned view as one CSV file (BOM, its header, its rows); returns the rows written. */
export async function writeViewCsv(plan: ViewPlan, path: string, options: { replace?: boolean } = {}): Promise<number> {
  return writeCsv(path, plan.headers, cellsOf(viewRowsOf(plan), plan.columns), options)
}

/**
 * Writes a finished result out: CSV (one file per table, BOM, the original's headers for the MSD
 * detail), an XLSX workbook (a sheet per table, MSD tables first), or a copy of the result file.
 * With `view`, one table's view only, as one CSV file or a one-sheet workbook. Every target is
 * checked before the first byte is written (see `assertExportTarget`: never a link, a device or
 * the data folder's own files; a new file unless `replace`); errors name `table`, `view…` or
 * `path`, a refused target is `export/refused`.
 */
export async function exportResult(reader: ResultFileReader, options: ExportResultOptions): Promise<ExportedFile[]> {
  const { format, path, table } = options
  const replace = options.replace === true
  const rules = { replace, ...(options.dataDir ? { dataDir: options.dataDir } : {}) }
  const tables = exportTablesOf(reader, format, table)
  if (options.view !== undefined) {
    if (format === 'sqlite') throw invalidInput('view', 'applies to csv and xlsx only (the sqlite copy holds everything)')
    if (table === undefined) throw invalidInput('table', 'a view is of one table; choose which')
    const plan = planView(reader, table, options.view)
    const target = assertExportTarget(path, rules)
    if (format === 'xlsx') {
      const sheet: XlsxSheet = { name: isMsdTableName(table) ? MSD_SHEET_NAMES[table] : table, headers: plan.headers, rows: cellsOf(viewRowsOf(plan), plan.columns) }
      return [{ path, sheets: await writeXlsx(target, [sheet], { replace }) }]
    }
    const rows = await writeViewCsv(plan, target, { replace })
    return [{ table: fileNameOf(table), ...(isMsdTableName(table) ? {} : { domain: table }), path, rows }]
  }
  if (format === 'sqlite') {
    const target = assertExportTarget(path, rules)
    return [{ path, bytes: await copyResultFile(reader.path, target, undefined, { replace }) }]
  }
  if (format === 'xlsx') {
    const target = assertExportTarget(path, rules)
    const sheets: XlsxSheet[] = tables.map((t) => {
      if (isMsdTableName(t)) {
        const columns = msdExportColumns(reader, t)
        return { name: MSD_SHEET_NAMES[t], headers: columns.map((c) => c.header), rows: cellsOf(reader.msdRows(t), columns.map((c) => c.key)) }
      }
      const columns = domainColumns(reader, t)
      return { name: t, headers: columns, rows: cellsOf(reader.allRows(t), columns) }
    })
    return [{ path, sheets: await writeXlsx(target, sheets, { replace }) }]
  }
  let targets: { table: ExportTableName; path: string }[]
  if (table !== undefined) {
    targets = [{ table, path }]
  } else {
    // The folder itself is held to the same rules as a file before it is made.
    assertExportFolder(path, rules)
    try {
      mkdirSync(path, { recursive: true })
    } catch (error) {
      throw invalidInput('path', `cannot create the folder ${path}: ${(error as Error).message}`)
    }
    targets = tables.map((t) => ({ table: t, path: join(path, `${fileNameOf(t)}.csv`) }))
  }
  // Every target is checked before the first byte of any is written.
  const checked = targets.map((t) => ({ ...t, target: assertExportTarget(t.path, rules) }))
  const files: ExportedFile[] = []
  for (const t of checked) {
    const rows = isMsdTableName(t.table) ? await writeMsdCsv(reader, t.table, t.target, { replace }) : await writeDomainCsv(reader, t.table, t.target, { replace })
    files.push({ table: fileNameOf(t.table), ...(isMsdTableName(t.table) ? {} : { domain: t.table }), path: t.path, rows })
  }
  return files
}
