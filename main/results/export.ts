/**
 * Writing a finished result out of the data directory: CSV (one file per domain, streamed chunk by
 * chunk, never a whole domain in memory), an XLSX workbook, or a copy of the result file. Every
 * file is written beside its final path first and appears there only when complete, as a new file
 * (see file-output.ts for the rules every target obeys).
 */
import { createWriteStream, mkdirSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { AppError, invalidInput } from '../../shared/errors.js'
import { detailColumnsOf, SUSPECT_COLUMNS, SUSPECT_COLUMNS_V1, type DetailColumn } from '../../shared/msd.js'
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
  return detailColumnsOf(reader.manifest().request.direction)
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

/**
 * Writes a finished result out: CSV (one file per table, BOM, the original's headers for the MSD
 * detail), an XLSX workbook (a sheet per table, MSD tables first), or a copy of the result file.
 * Every target is checked before the first byte is written (see `assertExportTarget`: never a
 * link, a device or the data folder's own files; a new file unless `replace`); errors name
 * `table` or `path`, a refused target is `export/refused`.
 */
export async function exportResult(reader: ResultFileReader, options: ExportResultOptions): Promise<ExportedFile[]> {
  const { format, path, table } = options
  const replace = options.replace === true
  const rules = { replace, ...(options.dataDir ? { dataDir: options.dataDir } : {}) }
  const tables = exportTablesOf(reader, format, table)
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
