/**
 * A repair job's transactions (`DW_MES_JOBTXNHISTORY`, original-ui.md §3.3) and the repair jobs
 * of a result joined with theirs for the export (§3.4). Read by the `(JOBID, TXNDATE)` index;
 * a job has a handful of transactions, so they are sorted here, by code units, the same on every
 * database. Unlike the original's export (an INNER JOIN), a job without transactions keeps one
 * row with empty transaction fields, so the file lists every job.
 */
import { compareCodeUnits } from '../../shared/compare.js'
import { JOB_TRANSACTION_COLUMNS, JOB_WITH_TRANSACTION_COLUMNS, type JobTransactions } from '../../shared/equipment.js'
import { invalidInput, throwIfCancelled } from '../../shared/errors.js'
import { normalizePlantTime } from '../../shared/time.js'
import type { EventRow } from '../../shared/trace.js'
import { SqlParams, chunk } from './dialect.js'
import type { MesSource, SourceRow } from './mes-source.js'

const TABLE = 'DW_MES_JOBTXNHISTORY'
const TIME_COLUMNS = new Set(['TXNDATE'])
/** Jobs per IN list of the export's transaction reads. */
const JOBS_PER_BATCH = 500

function cell(value: unknown, column: string): string | number | null {
  if (TIME_COLUMNS.has(column)) return normalizePlantTime(value)
  if (value === null || value === undefined) return null
  return typeof value === 'number' ? value : String(value)
}

/** Oldest first; equal (or missing, last) times by transaction id. */
function compareTransactions(a: EventRow, b: EventRow): number {
  const at = typeof a.TXNDATE === 'string' ? a.TXNDATE : null
  const bt = typeof b.TXNDATE === 'string' ? b.TXNDATE : null
  if (at !== bt) {
    if (at === null) return 1
    if (bt === null) return -1
    return compareCodeUnits(at, bt)
  }
  return compareCodeUnits(String(a.JOBTXNHISTORYID ?? ''), String(b.JOBTXNHISTORYID ?? ''))
}

/** The columns of the table the source has (another missing one reads as null); null without the table or its JOBID and TXNDATE. */
async function transactionColumns(source: MesSource): Promise<string[] | null> {
  const columns = (await source.catalog()).get(TABLE)
  if (!columns || !columns.has('JOBID') || !columns.has('TXNDATE')) return null
  return JOB_TRANSACTION_COLUMNS.filter((c) => columns.has(c))
}

function transactionRow(row: SourceRow): EventRow {
  const out: EventRow = {}
  for (const column of JOB_TRANSACTION_COLUMNS) out[column] = cell(row[column], column)
  return out
}

/**
 * The transactions of repair job `repairJobId`, oldest first (`sources:job-transactions`).
 * `missing_table` names the table when the source lacks it (nothing is queried then).
 */
export async function readJobTransactions(source: MesSource, repairJobId: string, options: { signal?: AbortSignal } = {}): Promise<JobTransactions> {
  const job = typeof repairJobId === 'string' ? repairJobId.trim() : ''
  if (job === '') throw invalidInput('repair_job', 'must name a repair job (its JOBID)')
  const columns = await transactionColumns(source)
  if (!columns) return { job, rows: [], missing_table: TABLE }
  const params = new SqlParams(source.dialect)
  const sql = `SELECT ${columns.join(', ')} FROM ${source.dialect.table(TABLE)} WHERE JOBID = ${params.add(job)}`
  const rows = (await source.all(sql, params.values, options.signal ? { signal: options.signal } : {})).map(transactionRow)
  return { job, rows: rows.sort(compareTransactions), missing_table: null }
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null
  const s = String(value)
  return s === '' ? null : s
}

/** The export row of a job and one of its transactions (or none). */
function joinedRow(job: EventRow, lots: readonly string[], txn: EventRow | null): EventRow {
  const t = (column: string): string | number | null => (txn ? (txn[column] ?? null) : null)
  const j = (column: string): string | number | null => job[column] ?? null
  const row: EventRow = {
    LOT_ID: lots.length > 0 ? lots.join(', ') : null,
    CONTAINERNAMES: j('CONTAINERNAMES'),
    RESOURCENAME: j('RESOURCENAME'),
    JOBID: j('JOBID'),
    JOB_FINAL_STATUS: j('JOBSTATUS'),
    JOBMODELNAME: j('JOBMODELNAME'),
    JOBORDERNAME: j('JOBORDERNAME'),
    JOB_CREATEDATE: normalizePlantTime(j('CREATEDATE')),
    JOB_COMPLETEDATE: normalizePlantTime(j('COMPLETEDATE')),
    JOB_CAUSECODENAME: j('CAUSECODENAME'),
    JOB_REPAIRCODENAME: j('REPAIRCODENAME'),
    JOB_SYMPTOMCODENAME: j('SYMPTOMCODENAME'),
    TXNDATE: t('TXNDATE'),
    FROMJOBSTATUS: t('FROMJOBSTATUS'),
    TXN_JOBSTATUS: t('JOBSTATUS'),
    STAGENAME: t('STAGENAME'),
    TXN_CAUSECODENAME: t('CAUSECODENAME'),
    TXN_REPAIRCODENAME: t('REPAIRCODENAME'),
    TXN_SYMPTOMCODENAME: t('SYMPTOMCODENAME'),
    USER_NAME: t('USER_NAME'),
    EMP_NAME: t('EMP_NAME'),
    COMMENTS: t('COMMENTS'),
  }
  const ordered: EventRow = {}
  for (const column of JOB_WITH_TRANSACTION_COLUMNS) ordered[column] = row[column] ?? null
  return ordered
}

/**
 * The given repair-job rows (a result's `jobs` table rows: CONTAINERNAME, JOBID, RESOURCENAME,
 * JOBSTATUS, …, CONTAINERNAMES) joined with their `DW_MES_JOBTXNHISTORY` rows: rows of
 * {@link JOB_WITH_TRANSACTION_COLUMNS}, one per job × transaction, ordered by JOBID, TXNDATE; a
 * job without transactions (or a source without the table) keeps one row with empty transaction
 * fields. Each JOBID once even when the input repeats it (a result lists a job once per lot; the
 * first row of a job is the one kept). Transactions are read in IN-batches.
 */
export async function* jobsWithTransactions(
  source: MesSource,
  jobs: AsyncIterable<EventRow[]>,
  options: { signal?: AbortSignal } = {},
): AsyncIterable<EventRow[]> {
  const { signal } = options
  const byId = new Map<string, EventRow>()
  // The lots each job was matched to in the result, in the result's order.
  const lotsOf = new Map<string, Set<string>>()
  for await (const rows of jobs) {
    throwIfCancelled(signal, 'The export')
    for (const row of rows) {
      const id = text(row.JOBID)
      if (id === null) continue
      if (!byId.has(id)) byId.set(id, row)
      const lot = text(row.CONTAINERNAME) ?? text(row.CONTAINERID)
      if (lot !== null) {
        const lots = lotsOf.get(id) ?? new Set<string>()
        lots.add(lot)
        lotsOf.set(id, lots)
      }
    }
  }
  const ids = [...byId.keys()].sort(compareCodeUnits)
  const columns = await transactionColumns(source)
  const size = Math.min(JOBS_PER_BATCH, source.dialect.maxInList)
  for (const batch of chunk(ids, size)) {
    throwIfCancelled(signal, 'The export')
    const transactions = new Map<string, EventRow[]>()
    if (columns) {
      const params = new SqlParams(source.dialect)
      const sql = `SELECT ${columns.join(', ')} FROM ${source.dialect.table(TABLE)} WHERE JOBID IN (${params.list(batch)})`
      for (const row of await source.all(sql, params.values, signal ? { signal } : {})) {
        const txn = transactionRow(row)
        const id = text(txn.JOBID)
        if (id === null) continue
        const list = transactions.get(id) ?? []
        list.push(txn)
        transactions.set(id, list)
      }
    }
    const out: EventRow[] = []
    for (const id of batch) {
      const job = byId.get(id)!
      const list = (transactions.get(id) ?? []).sort(compareTransactions)
      const lots = [...(lotsOf.get(id) ?? [])]
      if (list.length === 0) out.push(joinedRow(job, lots, null))
      else for (const txn of list) out.push(joinedRow(job, lots, txn))
    }
    yield out
  }
}
