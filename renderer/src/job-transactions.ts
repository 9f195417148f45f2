/**
 * The repair-jobs tab's pure parts (original-ui.md §3.2–3.3): the tone of a job status badge, the
 * columns of a job's transactions panel and the per-row action column of the jobs table. No Vue,
 * so the rules are tested on their own.
 */
import type { EventRow } from '../../shared/trace'
import type { TableColumn } from './components/table/VirtualTable.vue'

/** A status badge's colour family. */
export type StatusTone = 'success' | 'warning' | 'danger' | 'neutral'

/**
 * Substrings that pick a tone, looked up in this order on the lower-cased status (the original's
 * rule, §3.2): the first family with a match wins. Spaces, `_` and `-` are ignored on both sides,
 * so the plant's `InProgress` and `IN_PROGRESS` are "in progress" too (the original's exact
 * substring left them neutral).
 */
export const STATUS_TONE_WORDS: readonly (readonly [Exclude<StatusTone, 'neutral'>, readonly string[]])[] = [
  ['success', ['complete', 'done', 'closed', 'finish']],
  ['warning', ['open', 'pending', 'queue', 'wait', 'hold', 'in progress']],
  ['danger', ['cancel', 'abort', 'fail', 'error']],
]

const squeeze = (text: string): string => text.toLowerCase().replace(/[\s_-]+/g, '')

/** The tone of a status value (`JOBSTATUS`, `FROMJOBSTATUS`); empty or unknown values are neutral. */
export function statusTone(value: unknown): StatusTone {
  if (typeof value !== 'string') return 'neutral'
  const text = squeeze(value)
  if (text === '') return 'neutral'
  for (const [tone, words] of STATUS_TONE_WORDS) if (words.some((w) => text.includes(squeeze(w)))) return tone
  return 'neutral'
}

/** The columns a transaction row shows, in order; `USER` is the person (USER_NAME, else EMP_NAME). */
export const TRANSACTION_SHOWN = ['TXNDATE', 'FROMJOBSTATUS', 'JOBSTATUS', 'STAGENAME', 'CAUSECODENAME', 'REPAIRCODENAME', 'USER', 'COMMENTS'] as const
export type TransactionShown = (typeof TRANSACTION_SHOWN)[number]

/** Columns drawn as status badges. */
export const STATUS_COLUMNS: ReadonlySet<string> = new Set(['FROMJOBSTATUS', 'JOBSTATUS'])

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value).trim())

/** Who made a transaction: `USER_NAME`, falling back to `EMP_NAME` (§3.3). */
export function transactionUser(row: EventRow): string {
  return text(row.USER_NAME) || text(row.EMP_NAME)
}

/** A transaction's cell as text; times read `YYYY-MM-DD HH:MM:SS` (plant time, as stored). */
export function transactionCell(row: EventRow, column: TransactionShown): string {
  if (column === 'USER') return transactionUser(row)
  const value = text(row[column])
  return column === 'TXNDATE' ? value.replace('T', ' ').replace(/\.\d+$/, '') : value
}

/** Key of the jobs table's action column; no data column has this name, so no export writes it. */
export const JOB_ACTION_COLUMN = '__transactions'

/**
 * The jobs table's columns with the action column (a button per row) right after the job's ID
 * (else after the leading lot column), in view without scrolling sideways and leaving the data
 * columns' order as it was (lot, how it matched, job); not sortable, not filterable.
 */
export function withJobAction(columns: readonly TableColumn[], label: string, title: string = label): TableColumn[] {
  const action: TableColumn = { key: JOB_ACTION_COLUMN, label, title, sortable: false, filterable: false, width: 124 }
  const job = columns.findIndex((c) => c.key === 'JOBID')
  const at = job >= 0 ? job + 1 : columns[0]?.frozen ? 1 : 0
  return [...columns.slice(0, at), action, ...columns.slice(at)]
}

/** A cell of the jobs table drawn through the cell slot, as the table would draw it itself. */
export function plainCell(row: EventRow | undefined, column: TableColumn): string {
  if (!row) return ''
  if (column.text) return column.text(row)
  const value = row[column.key]
  return value === null || value === undefined ? '' : String(value)
}

/** The job a row of the jobs table names (`JOBID`), or null while its page loads or when empty. */
export function repairJobOf(row: EventRow | undefined): string | null {
  const id = text(row?.JOBID)
  return id === '' ? null : id
}
