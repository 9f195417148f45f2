/**
 * Writing results as an Excel workbook (.xlsx) with ExcelJS's streaming writer: one worksheet per
 * sheet asked for, a bold frozen header row, then the rows chunk by chunk, each row committed as
 * soon as it is added (never a whole sheet in memory). Like the CSV export, the workbook is written
 * next to its final path first and renamed into place, so a failure never leaves half a file under
 * the name asked for.
 */
import { createWriteStream, type WriteStream } from 'node:fs'
import { once } from 'node:events'
import type ExcelJS from 'exceljs'
import { invalidInput } from '../../shared/errors.js'
import { writeAtomically } from './file-output.js'

/** One worksheet: a header row, then rows streamed in chunks (never the whole sheet in memory). */
export interface XlsxSheet {
  /** Sheet name as the user sees it (Excel limits: ≤ 31 chars, none of : \ / ? * [ ] — sanitized, and made unique). */
  name: string
  headers: readonly string[]
  /** Chunks of rows; each row has one cell per header. Cells: string | number | null | undefined (null/undefined → empty cell). */
  rows: AsyncIterable<readonly (readonly unknown[])[]>
  /** Optional column widths in characters (default: from the header length, min 8, max 60). */
  widths?: readonly number[]
}

/** Options of {@link writeXlsx}. */
export interface XlsxOptions {
  /** Rows per worksheet, header included, before a sheet continues on `<name> (2)`… (default {@link XLSX_MAX_ROWS}). */
  maxRowsPerSheet?: number
  /** Replace an existing file at `path` (checked by the caller). @default false: the workbook appears only as a new file */
  replace?: boolean
}

/** Rows one Excel worksheet can hold, header included (1 048 576). */
export const XLSX_MAX_ROWS = 1_048_576

/** Characters one Excel cell can hold; longer text is cut to it. */
export const XLSX_MAX_CELL_CHARS = 32_767

/** Characters of a sheet name. */
const MAX_SHEET_NAME = 31

/** Excel's widest column, in characters. */
const MAX_COLUMN_WIDTH = 255

/** Bounds of a column width derived from its header. */
const DEFAULT_WIDTH_MIN = 8
const DEFAULT_WIDTH_MAX = 60

/** `text` cut to at most `max` UTF-16 units, never between the two halves of a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text
  const code = text.charCodeAt(max - 1)
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max)
}

/**
 * One cell value: numbers stay numbers (NaN/±Infinity, which Excel cannot hold, become their
 * text), booleans stay booleans, strings are written as they are (ExcelJS writes them as text,
 * never as a formula, whatever they start with; '' is an empty cell, as Excel reads it back),
 * dates become ISO text, other objects JSON text. Text longer than an Excel cell holds is cut.
 */
function cellValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value)
  if (typeof value === 'boolean') return value
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : clip(String(value), XLSX_MAX_CELL_CHARS)
  let text: string
  if (typeof value === 'string') {
    if (value === '') return null // Excel has no empty text: an empty cell
    text = value
  }
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? String(value) : value.toISOString()
  else if (typeof value === 'object') {
    try {
      text = JSON.stringify(value) ?? String(value)
    } catch {
      text = String(value) // a cycle: still something readable
    }
  } else text = String(value)
  return clip(text, XLSX_MAX_CELL_CHARS)
}

/**
 * A name Excel accepts: control characters dropped, : \ / ? * [ ] replaced by `_`, no apostrophe
 * at either end, not blank, not the reserved "History", at most 31 characters.
 */
function sanitizeSheetName(name: string): string {
  let clean = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[:\\/?*[\]]/g, '_')
    .replace(/^'+|'+$/g, '')
  if (clean.trim() === '') clean = 'Sheet'
  if (clean.toLowerCase() === 'history') clean = `${clean}_`
  return clip(clean, MAX_SHEET_NAME).replace(/'+$/, '')
}

/**
 * `base`, or `base (n)` (the base shortened so the whole fits 31 characters) for the smallest n ≥
 * `from` whose name is not yet `taken` (Excel compares sheet names case-insensitively). Records
 * the name chosen.
 */
function uniqueSheetName(base: string, taken: Set<string>, from = 1): string {
  for (let n = from; ; n++) {
    const suffix = n === 1 ? '' : ` (${n})`
    const name = n === 1 ? base : `${clip(base, MAX_SHEET_NAME - suffix.length).replace(/'+$/, '')}${suffix}`
    if (!taken.has(name.toLowerCase())) {
      taken.add(name.toLowerCase())
      return name
    }
  }
}

/** Characters a header takes on screen: CJK and full-width characters count twice. */
function displayWidth(text: string): number {
  let width = 0
  for (const ch of text) {
    width += /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1
  }
  return width
}

/** Column widths: the ones given (bounded to what Excel allows), else from the header. */
function columnWidths(sheet: XlsxSheet): number[] {
  return sheet.headers.map((header, i) => {
    const given = sheet.widths?.[i]
    if (given !== undefined && Number.isFinite(given) && given > 0) return Math.min(given, MAX_COLUMN_WIDTH)
    return Math.min(Math.max(displayWidth(header) + 2, DEFAULT_WIDTH_MIN), DEFAULT_WIDTH_MAX)
  })
}

/** The parts of ExcelJS 4.4.0's streaming writer that its type declarations leave out. */
interface WriterInternals {
  /** The archiver (zip) stream the workbook goes through. */
  zip?: NodeJS.EventEmitter & { unpipe?(destination?: NodeJS.WritableStream): unknown; abort?(): unknown }
}
interface WorksheetInternals {
  /** The worksheet's XML buffer and the zip entry streams it writes to (without back-pressure). */
  stream?: { pipes?: unknown[] }
}
interface MaybeWritable {
  writableNeedDrain?: boolean
  _writableState?: { needDrain?: boolean }
}

/**
 * Waits until the zip entry stream of `worksheet` has taken in what was written so far, then
 * yields to the event loop. ExcelJS's worksheet writer pushes its XML into the zip without
 * back-pressure: without this wait, a producer faster than deflate grows memory with the sheet.
 */
async function drained(worksheet: ExcelJS.Worksheet, failed: Promise<never>): Promise<void> {
  for (const pipe of (worksheet as unknown as WorksheetInternals).stream?.pipes ?? []) {
    const writable = pipe as MaybeWritable & NodeJS.EventEmitter
    if (typeof writable.once === 'function' && (writable.writableNeedDrain || writable._writableState?.needDrain)) {
      await Promise.race([once(writable, 'drain'), failed])
    }
  }
  await new Promise<void>((resolve) => setImmediate(resolve))
}

/** Resolves once `stream` has closed its file (or at once when it has). */
async function closed(stream: WriteStream): Promise<void> {
  if (stream.closed) return
  await once(stream, 'close').catch(() => undefined)
}

/**
 * Writes a workbook with ExcelJS's streaming writer (no shared strings, styles on), atomically:
 * every sheet gets a bold header row frozen at the top, then its rows; a sheet with more rows than
 * one worksheet holds continues on `<name> (2)`, `<name> (3)`… with the same header. Returns the
 * data rows (header excluded) written to each worksheet, in workbook order, under the names used.
 */
export async function writeXlsx(
  path: string,
  sheets: readonly XlsxSheet[],
  options: XlsxOptions = {},
): Promise<{ name: string; rows: number }[]> {
  if (sheets.length === 0) throw invalidInput('sheets', 'a workbook needs at least one sheet')
  const maxRows = options.maxRowsPerSheet ?? XLSX_MAX_ROWS
  if (!Number.isInteger(maxRows) || maxRows < 2 || maxRows > XLSX_MAX_ROWS) {
    throw invalidInput('maxRowsPerSheet', `must be a whole number from 2 to ${XLSX_MAX_ROWS}, not ${maxRows}`)
  }

  return writeAtomically(path, async (temp) => {
    const out = createWriteStream(temp, { flags: 'wx' })
    let failure: Error | undefined
    let reject: (error: Error) => void = () => undefined
    // Rejects on the first error of the file or the zip stream. ExcelJS listens for errors only
    // once it finalizes; until then such an error would be unhandled and end the process.
    const failed = new Promise<never>((_, r) => (reject = r))
    failed.catch(() => undefined)
    const fail = (error: Error): void => {
      failure ??= error
      reject(error)
    }
    out.on('error', fail)
    let workbook: ExcelJS.stream.xlsx.WorkbookWriter | undefined
    try {
      await Promise.race([once(out, 'open'), failed])
      // Loaded on first use: ExcelJS takes half a second to load, which every command and the
      // host's start would otherwise pay.
      const { default: Excel } = await import('exceljs')
      workbook = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true })
      ;(workbook as unknown as WriterInternals).zip?.on('error', fail)
      const taken = new Set<string>()
      const written: { name: string; rows: number }[] = []

      for (const sheet of sheets) {
        const base = sanitizeSheetName(sheet.name)
        const widths = columnWidths(sheet)
        const header = sheet.headers.map((h) => clip(String(h), XLSX_MAX_CELL_CHARS))
        let part = 0
        let worksheet: ExcelJS.Worksheet | undefined
        let entry: { name: string; rows: number } | undefined
        let rowsInSheet = 0

        const open = (): void => {
          part += 1
          const name = part === 1 ? uniqueSheetName(base, taken) : uniqueSheetName(base, taken, part)
          worksheet = workbook!.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] })
          worksheet.columns = widths.map((width) => ({ width }))
          const headerRow = worksheet.addRow(header)
          headerRow.font = { bold: true }
          headerRow.commit()
          rowsInSheet = 1
          entry = { name, rows: 0 }
          written.push(entry)
        }

        open()
        for await (const chunk of sheet.rows) {
          if (failure) throw failure
          for (const row of chunk) {
            if (row.length !== header.length) {
              throw invalidInput('rows', `sheet "${sheet.name}": a row has ${row.length} cell(s) for ${header.length} column(s)`, {
                sheet: sheet.name,
              })
            }
            if (rowsInSheet >= maxRows) {
              worksheet!.commit()
              open()
            }
            // A dense array: ExcelJS reads an array without index 0 as 1-based (everything one column left).
            worksheet!.addRow(header.map((_, i) => cellValue(row[i]))).commit()
            rowsInSheet += 1
            entry!.rows += 1
          }
          await drained(worksheet!, failed)
        }
        worksheet!.commit()
        if (failure) throw failure
      }

      await Promise.race([workbook.commit(), failed])
      await closed(out)
      if (failure) throw failure
      return written
    } catch (error) {
      const zip = workbook ? (workbook as unknown as WriterInternals).zip : undefined
      zip?.unpipe?.(out)
      zip?.abort?.()
      out.destroy()
      await closed(out)
      throw error
    }
  }, undefined, { replace: options.replace === true })
}
