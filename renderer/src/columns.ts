/**
 * How a result table shows its columns: the lot ID first and frozen, friendly headers (the
 * original's labels, in the page's language; `table.col.*`) with the database name as the header's
 * tooltip, internal ids hidden at first, each domain's columns in the original's order, and the
 * reject table's charge-off breakdown folded under its total (original-ui.md §4).
 */
import type { Domain } from '../../shared/trace'
import type { TableColumn } from './components/table/VirtualTable.vue'
import type { Row, RowValue } from './composables/useRowsPage'
import { isNumericColumn } from './format'

/** The lot ID a person reads; the internal 16-hex `CONTAINERID` stands in only where a table lacks it. */
export const LOT_COLUMN = 'CONTAINERNAME'
export const CID_COLUMN = 'CONTAINERID'

/** The five charge-off fields of a reject (domain.md §4.2), folded under {@link REJECT_TOTAL}. */
export const REJECT_BREAKDOWN = ['REJECT_QTY', 'STANDBY_QTY', 'QTYTOPROCESS_QTY', 'INPROCESS_QTY', 'PROCESSED_QTY'] as const
/** 扣帳報廢量: the sum of the five (charge-off scrap); 不扣帳報廢量 (`DEFECT_QTY`) is apart. */
export const REJECT_TOTAL = 'REJECT_TOTAL_QTY'

/** Every column with a friendly header (`table.col.<key>`). */
export const LABELLED_COLUMNS = [
  'CONTAINERNAME', 'CONTAINERID', 'WORKCENTERNAME', 'WORKCENTER_GROUP', 'EQUIPMENTID', 'EQUIPMENTNAME', 'SPECNAME',
  'TRACKINTIMESTAMP', 'TRACKOUTTIMESTAMP', 'TRACKINQTY', 'TRACKOUTQTY', 'FINISHEDRUNCARD', 'PJ_WORKORDER', 'PJ_TYPE',
  'PJ_BOP', 'WAFER_LOT_ID', 'PARTIAL_COUNT', 'MATERIALPARTNAME', 'MATERIALLOTNAME', 'QTYCONSUMED', 'TXNDATE',
  'MATERIALDESCRIPTION', 'WORKCENTERSEQUENCE_GROUP', 'PRODUCTLINENAME', 'PJ_FUNCTION', 'PRODUCTNAME', 'LOSSREASONNAME',
  'REJECTCOMMENT', ...REJECT_BREAKDOWN, REJECT_TOTAL, 'DEFECT_QTY', 'TXN_TIME', 'TXN_DAY', 'HOLDTXNDATE', 'HOLDEMP',
  'HOLDEMPDEPTNAME', 'HOLDREASONNAME', 'HOLDCOMMENTS', 'RELEASETXNDATE', 'RELEASEEMP', 'RELEASECOMMENTS', 'NCRID',
  'HOLD_STATUS', 'HOLD_HOURS', 'JOBID', 'RESOURCEID', 'RESOURCENAME', 'JOBSTATUS', 'JOBMODELNAME', 'JOBORDERNAME',
  'CREATEDATE', 'COMPLETEDATE', 'CAUSECODENAME', 'REPAIRCODENAME', 'SYMPTOMCODENAME', 'CONTAINERIDS', 'CONTAINERNAMES',
  'MATCHED_BY', 'DOWNSTREAM_REJECT_TOTAL_QTY',
] as const

/** How a repair job matched its lot (`MATCHED_BY`), each shown as `table.matchedBy.<value>`. */
const MATCHED_BY_VALUES: readonly string[] = ['machine_window', 'container_list', 'both']

/**
 * Each domain's columns in the order they are shown (the original's tables where it had one);
 * columns not listed follow in the result file's order.
 */
const DOMAIN_ORDER: Readonly<Record<Domain, readonly string[]>> = {
  history: [
    'CONTAINERNAME', 'WORKCENTER_GROUP', 'WORKCENTERNAME', 'SPECNAME', 'EQUIPMENTNAME', 'TRACKINTIMESTAMP', 'TRACKINQTY',
    'TRACKOUTTIMESTAMP', 'TRACKOUTQTY', 'PJ_WORKORDER', 'PJ_TYPE', 'PJ_BOP', 'WAFER_LOT_ID', 'FINISHEDRUNCARD', 'PARTIAL_COUNT',
  ],
  materials: ['CONTAINERNAME', 'MATERIALPARTNAME', 'MATERIALLOTNAME', 'QTYCONSUMED', 'WORKCENTERNAME', 'SPECNAME', 'EQUIPMENTNAME', 'TXNDATE'],
  rejects: [
    'CONTAINERNAME', 'WORKCENTERNAME', 'PRODUCTLINENAME', 'PJ_FUNCTION', 'PJ_TYPE', 'PRODUCTNAME', 'LOSSREASONNAME',
    'EQUIPMENTNAME', 'REJECTCOMMENT', REJECT_TOTAL, 'DEFECT_QTY', 'TXN_TIME',
  ],
  holds: [
    'CONTAINERNAME', 'WORKCENTERNAME', 'HOLDTXNDATE', 'RELEASETXNDATE', 'HOLD_STATUS', 'HOLD_HOURS', 'HOLDREASONNAME',
    'HOLDCOMMENTS', 'HOLDEMP', 'HOLDEMPDEPTNAME', 'RELEASEEMP', 'RELEASECOMMENTS', 'NCRID',
  ],
  jobs: [
    'CONTAINERNAME', 'MATCHED_BY', 'JOBID', 'RESOURCENAME', 'JOBSTATUS', 'JOBMODELNAME', 'JOBORDERNAME', 'CREATEDATE', 'COMPLETEDATE',
    'CAUSECODENAME', 'REPAIRCODENAME', 'SYMPTOMCODENAME',
  ],
  upstream_history: ['CONTAINERNAME', 'WORKCENTER_GROUP', 'WORKCENTERNAME', 'SPECNAME', 'EQUIPMENTNAME', 'TRACKINTIMESTAMP', 'TRACKINQTY'],
  downstream_rejects: ['CONTAINERNAME', 'WORKCENTER_GROUP', 'WORKCENTERNAME', 'LOSSREASONNAME', 'EQUIPMENTNAME', 'REJECT_TOTAL_QTY', 'TXNDATE'],
}

/** Internal ids and copies of other columns: hidden at first, offered in the column menu. */
const HIDDEN_AT_FIRST: readonly string[] = ['EQUIPMENTID', 'RESOURCEID', 'CONTAINERIDS', 'CONTAINERNAMES']
/** The reject table's columns the original's fixed table left out (group and its sequence, spec, day). */
const REJECTS_HIDDEN_AT_FIRST: readonly string[] = ['WORKCENTER_GROUP', 'WORKCENTERSEQUENCE_GROUP', 'SPECNAME', 'TXNDATE', 'TXN_DAY']

const TIME_COLUMN = /(TIMESTAMP|DATE|_TIME)$/
const WIDE_TEXT = new Set(['REJECTCOMMENT', 'HOLDCOMMENTS', 'RELEASECOMMENTS', 'MATERIALDESCRIPTION', 'CONTAINERIDS', 'CONTAINERNAMES'])

/** Default width of a column (px): room for a lot ID, a full time, a number or a comment. */
function widthOf(key: string, numeric: boolean): number {
  if (key === LOT_COLUMN) return 176
  // A repair job's id is 16 hexadecimal digits: shown whole, it can be read out or searched for.
  if (key === 'JOBID') return 164
  if (key === REJECT_TOTAL || key === 'DEFECT_QTY') return 188
  // The breakdown's headers are the original's upper-case field names; QTYTOPROCESS is the longest.
  if (key === 'QTYTOPROCESS_QTY') return 156
  if ((REJECT_BREAKDOWN as readonly string[]).includes(key)) return 136
  if (numeric) return 120
  if (TIME_COLUMN.test(key)) return 172
  if (WIDE_TEXT.has(key)) return 220
  return 136
}

/** A number cell as shown: grouped digits in the page's language; empty stays empty, text stays as it is. */
export function numberText(value: RowValue | undefined, numbers: Intl.NumberFormat): string {
  return value === null || value === undefined || value === '' ? '' : typeof value === 'number' ? numbers.format(value) : String(value)
}

/** The message key of a column's header in a domain (the downstream total counts six fields, not five). */
export function labelKeyOf(domain: Domain | null, key: string): string | null {
  if (domain === 'downstream_rejects' && key === REJECT_TOTAL) return 'table.col.DOWNSTREAM_REJECT_TOTAL_QTY'
  return (LABELLED_COLUMNS as readonly string[]).includes(key) ? `table.col.${key}` : null
}

/** A quantity as a number (`null`, `''` and text that is not a number count as 0). */
function quantity(value: RowValue | undefined): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : 0
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value)
    return Number.isFinite(n) ? n : 0
  }
  return 0
}

/**
 * 扣帳報廢量 of a reject row: the stored total, or — when a file lacks it — the sum of the five
 * charge-off fields, nulls counting as 0 (original-ui.md §4.2).
 */
export function rejectTotalOf(row: Row): number {
  const stored = row[REJECT_TOTAL]
  if (stored !== null && stored !== undefined && stored !== '') return quantity(stored)
  return REJECT_BREAKDOWN.reduce((sum, k) => sum + quantity(row[k]), 0)
}

/** The columns of one table and which of them start hidden. */
export interface TableColumns {
  columns: TableColumn[]
  hidden: string[]
}

/**
 * Leads with the lot: `CONTAINERNAME` (or, in a file without it, `CONTAINERID`) first and frozen;
 * with a lot name present the internal CID is hidden at first.
 */
export function leadWithLot(table: TableColumns): TableColumns {
  const keys = table.columns.map((c) => c.key)
  const lead = keys.includes(LOT_COLUMN) ? LOT_COLUMN : keys.includes(CID_COLUMN) ? CID_COLUMN : null
  if (lead === null) return table
  const first = table.columns.find((c) => c.key === lead)!
  // A full lot ID (GA26100009-A21-001) fits, whichever table it leads (event, MSD detail, drill).
  const columns = [{ ...first, frozen: true, width: first.width ?? widthOf(LOT_COLUMN, false) }, ...table.columns.filter((c) => c.key !== lead)]
  const hidden = table.hidden.filter((k) => k !== lead)
  if (lead === LOT_COLUMN && keys.includes(CID_COLUMN) && !hidden.includes(CID_COLUMN)) hidden.push(CID_COLUMN)
  return { columns, hidden }
}

/**
 * The columns of an event table for the keys its result file has: friendly headers in the page's
 * language, the database name as tooltip, the domain's order, formatted numbers and, in the reject
 * table, the charge-off breakdown folded under 扣帳報廢量.
 */
export function eventTableColumns(domain: Domain, keys: readonly string[], t: (key: string) => string, locale: string): TableColumns {
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })
  const present = new Set(keys)
  const wanted = DOMAIN_ORDER[domain].filter((k) => present.has(k))
  const ordered = [...wanted, ...keys.filter((k) => !wanted.includes(k))]
  const foldBreakdown = domain === 'rejects' && present.has(REJECT_TOTAL)
  const columns = ordered.map((key): TableColumn => {
    const numeric = isNumericColumn(key) || key === 'HOLD_HOURS' || key === 'WORKCENTERSEQUENCE_GROUP'
    const labelKey = labelKeyOf(domain, key)
    const column: TableColumn = { key, label: labelKey ? t(labelKey) : key, title: key, numeric, width: widthOf(key, numeric) }
    if (numeric) column.text = (row: Row) => numberText(row[key], numbers)
    if (foldBreakdown && key === REJECT_TOTAL) {
      column.expands = REJECT_BREAKDOWN.filter((k) => present.has(k))
      column.text = (row) => numbers.format(rejectTotalOf(row))
    }
    if (key === 'MATCHED_BY') {
      column.text = (row) => {
        const value = row[key]
        return typeof value === 'string' && MATCHED_BY_VALUES.includes(value) ? t(`table.matchedBy.${value}`) : String(value ?? '')
      }
    }
    if (domain === 'rejects' && ((REJECT_BREAKDOWN as readonly string[]).includes(key) || key === 'DEFECT_QTY')) {
      column.text = (row) => numbers.format(quantity(row[key]))
    }
    return column
  })
  const hidden = keys.filter((k) => HIDDEN_AT_FIRST.includes(k) || (domain === 'rejects' && REJECTS_HIDDEN_AT_FIRST.includes(k)))
  return leadWithLot({ columns, hidden })
}
