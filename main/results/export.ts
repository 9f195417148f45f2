/**
 * Writing a finished result out of the data directory: CSV (one file per domain, streamed chunk by
 * chunk, never a whole domain in memory) or a copy of the result SQLite file. Every file is written
 * next to its final path first and renamed into place, so a failure never leaves half a file
 * under the name asked for.
 */
import { createWriteStream, existsSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { AppError, invalidInput } from '../../shared/errors.js'
import { detailColumnsOf, SUSPECT_COLUMNS, type DetailColumn } from '../../shared/msd.js'
import type { Domain, EventRow } from '../../shared/trace.js'
import { openResultFile, type MsdTable, type ResultFileReader } from '../store/index.js'
import { EVENT_DOMAINS } from '../trace/index.js'
import { closeOutput, writeAtomically, writeLine } from './file-output.js'

/** UTF-8 byte order mark: spreadsheet programs read the file as UTF-8 (plant names are not ASCII). */
export const CSV_BOM = '\uFEFF'

/** Record separator of RFC 4180. */
const CRLF = '\r\n'

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One CSV record with its CRLF. */
export function csvRecord(fields: readonly unknown[]): string {
  return `${fields.map(csvField).join(',')}${CRLF}`
}

/**
 * Refuses to replace an existing file unless `force` (the same wording as `mes-trace demo`), and
 * names `--out` when the folder it should go in does not exist.
 */
export function assertWritableTarget(path: string, force: boolean): void {
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw invalidInput('--out', `${path} is a folder; give a file path`)
    if (!force) throw new AppError('storage/write-failed', `${path} already exists; pass --force to replace it or --out to write elsewhere`, { path, exists: true })
  }
  const dir = dirname(path)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw invalidInput('--out', `cannot write ${path}: the folder ${dir} does not exist`)
}

/** Chunks of rows as arrays of cells in `keys` order. */
export async function* cellsOf(chunks: AsyncIterable<EventRow[]>, keys: readonly string[]): AsyncGenerator<unknown[][]> {
  for await (const chunk of chunks) yield chunk.map((row) => keys.map((k) => row[k]))
}

/**
 * Writes a CSV file: BOM, the header row, then every chunk of rows as it comes (one write per
 * chunk, whatever the size of the whole). Returns the number of data rows.
 */
export async function writeCsv(path: string, headers: readonly string[], rows: AsyncIterable<readonly (readonly unknown[])[]>): Promise<number> {
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
  })
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
export async function writeDomainCsv(reader: ResultFileReader, domain: Domain, path: string): Promise<number> {
  const columns = domainColumns(reader, domain)
  return writeCsv(path, columns, cellsOf(reader.allRows(domain), columns))
}

/** An MSD output table as exported: the original's headers (detail) or the suspect list's. */
export function msdExportColumns(reader: ResultFileReader, table: MsdTable): readonly DetailColumn[] {
  if (table === 'suspects') return SUSPECT_COLUMNS
  return detailColumnsOf(reader.manifest().request.direction)
}

/** Writes an MSD output table as CSV with its export headers (domain.md §5.9 for the detail rows). */
export async function writeMsdCsv(reader: ResultFileReader, table: MsdTable, path: string): Promise<number> {
  const columns = msdExportColumns(reader, table)
  return writeCsv(
    path,
    columns.map((c) => c.header),
    cellsOf(reader.msdRows(table), columns.map((c) => c.key)),
  )
}

/**
 * Copies a finished result file with SQLite's online backup from a read-only connection (a
 * consistent copy of the database whatever its journal state), then checks the copy opens as a
 * result file. `tempPath` is where the copy is made before it is renamed to `path` (default: a
 * hidden name beside it). Returns the copy's size in bytes.
 */
export async function copyResultFile(source: string, path: string, tempPath?: string): Promise<number> {
  return writeAtomically(path, async (temp) => {
    const db = new Database(source, { readonly: true, fileMustExist: true })
    try {
      await db.backup(temp)
    } finally {
      db.close()
    }
    openResultFile(temp).close()
    return statSync(temp).size
  }, tempPath)
}
