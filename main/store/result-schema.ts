/**
 * The layout of a result file (`<dataDir>/results/<jobId>.sqlite`), shared by its writer (the
 * job's worker) and its reader (the main process). A result file is self-describing: everything a
 * reader on another machine needs — request, source, app version, "as of" time, per-domain
 * quality, row counts — is in its manifest.
 */
import { detailColumnsOf, SUSPECT_COLUMNS, SUSPECT_COLUMNS_V1 } from '../../shared/msd.js'
import type { StageTimings } from '../../shared/stage-timings.js'
import type { NormalizedTraceRequest } from '../../shared/trace-request.js'
import type { Domain, QualityMeta } from '../../shared/trace.js'
import type { TimeWindow } from '../../shared/data-window.js'
import { EVENT_DOMAINS } from '../trace/index.js'
import { quoteIdentifier } from './connection.js'

/**
 * Layout version; a reader refuses a file with a larger one. Version 2 added the suspect list's
 * significance, explain-away and onset columns ({@link SUSPECT_COLUMNS}); files of version 1 still
 * read (their suspect list has {@link SUSPECT_COLUMNS_V1}). Version 3 added event columns
 * ({@link EVENT_COLUMNS_SINCE_V3}); older files still read without them. Version 4 added the
 * backward detail's suspect-hit columns (DETAIL_COLUMNS_SINCE_V4 in shared/msd.ts).
 */
export const RESULT_FORMAT_VERSION = 4

/**
 * Event columns that files before version 3 do not have: the lot ID where a domain lacked it, the
 * history step's station group, and how a repair job matched its lot.
 */
export const EVENT_COLUMNS_SINCE_V3: Readonly<Partial<Record<Domain, readonly string[]>>> = {
  history: ['WORKCENTER_GROUP'],
  jobs: ['CONTAINERNAME', 'MATCHED_BY'],
  upstream_history: ['CONTAINERNAME'],
  downstream_rejects: ['CONTAINERNAME'],
}

/**
 * Longest JSON part (and JSON value of any kind) a result file may hold, in characters: a
 * 114 000-lot trace's lineage maps are a few MB. The reader parses nothing longer, and an import
 * refuses a file with a longer one.
 */
export const MAX_JSON_PART_CHARS = 64 * 1024 * 1024

/** `PRAGMA application_id` of a result file ('MTRR'). */
export const RESULT_APPLICATION_ID = 0x4d545252

/**
 * Event columns holding numbers, per domain: quantities, counts, hours, sequence numbers. They
 * are stored with NUMERIC affinity so they sort as numbers; every other column is TEXT (times are
 * ISO 8601 text, which sorts in time order).
 *
 * `EVENT_DOMAINS` names each domain's columns and time columns but not which output columns are
 * numbers (computed ones such as `REJECT_TOTAL_QTY` or `HOLD_HOURS` included), so the list lives
 * here; a test checks it against the columns and against rows the pipeline really emits.
 */
export const NUMBER_COLUMNS: Readonly<Record<Domain, readonly string[]>> = {
  history: ['TRACKINQTY', 'TRACKOUTQTY', 'PARTIAL_COUNT'],
  materials: ['QTYCONSUMED'],
  rejects: [
    'WORKCENTERSEQUENCE_GROUP', 'REJECT_QTY', 'STANDBY_QTY', 'QTYTOPROCESS_QTY', 'INPROCESS_QTY', 'PROCESSED_QTY',
    'REJECT_TOTAL_QTY', 'DEFECT_QTY',
  ],
  holds: ['HOLD_HOURS'],
  jobs: [],
  upstream_history: ['TRACKINQTY'],
  downstream_rejects: ['REJECT_TOTAL_QTY'],
}

/** Manifest keys, each holding one JSON value. */
export type ManifestKey = keyof ResultManifest

/** What a result file says about itself. */
export interface ResultManifest {
  format_version: number
  job_id: string
  request: NormalizedTraceRequest
  /** The source the rows were read from, as a person reads it (e.g. `sqlite:/data/plant.sqlite`). */
  source: string
  app_version: string
  /** When the writer created the file (epoch ms). */
  created_at: number
  /** When the source was read: the data is as of this time (epoch ms). */
  as_of: number
  /** When the file was finished (epoch ms); null while it is being written. */
  completed_at: number | null
  /** `writing` until `finish`; a reader only opens `finished` files. */
  status: 'writing' | 'finished'
  /** Domains stored, in request order (a domain with no rows has an empty table). */
  domains: Domain[]
  /** Rows stored per domain, so a page's total costs nothing. */
  row_counts: Partial<Record<Domain, number>>
  domain_quality: Partial<Record<Domain, QualityMeta>>
  /** Query-scope quality; null until finished. */
  quality: QualityMeta | null
  warnings: string[]
  /** Columns with a precomputed order per domain: a sorted page of them costs one page. */
  sort_columns: Partial<Record<Domain, string[]>>
  /**
   * The MSD output tables stored (rows and columns of each), or absent when the trace had no MSD
   * analysis (other profiles, no seeds, files of earlier versions).
   */
  msd_tables?: Partial<Record<MsdTable, { rows: number; columns: string[] }>>
  /**
   * A date-range trace that found no lot: the detection station's track-in window in the source
   * when it ran (null: it could not be read). Absent otherwise and in files of earlier versions.
   */
  station_window?: TimeWindow | null
  /**
   * Where the job's time went (see `StageTimings`). Absent in files of earlier versions; a reader
   * checks it with `isStageTimings` before showing it.
   */
  stage_ms?: StageTimings
}

/** Table of a domain's events. */
export function eventTableOf(domain: Domain): string {
  return `events_${domain}`
}

/**
 * Table holding a domain's row order by one column: `pos` 1..n → `seq` (`_seq` of the row), in
 * (column, `_seq`) order. Reading positions `offset+1 … offset+limit` is one page whatever the
 * offset, where `ORDER BY … OFFSET` walks every skipped row.
 */
export function sortTableOf(domain: Domain, column: string): string {
  return `sort_${domain}__${column}`
}

/** The index a finished result has on a sort column of a domain. */
export function sortIndexSql(domain: Domain, column: string): string {
  const name = quoteIdentifier(`${eventTableOf(domain)}__${assertColumnName(column)}`)
  return `CREATE INDEX ${name} ON ${quoteIdentifier(eventTableOf(domain))} (${quoteIdentifier(column)})`
}

/** `CREATE TABLE` of a sort table ({@link sortTableOf}). */
export function sortTableSql(domain: Domain, column: string): string {
  return `CREATE TABLE ${quoteIdentifier(sortTableOf(domain, assertColumnName(column)))} (pos INTEGER PRIMARY KEY, seq INTEGER NOT NULL)`
}

/** An event column's declared type. */
export function columnTypeOf(domain: Domain, column: string): 'TEXT' | 'NUMERIC' {
  return NUMBER_COLUMNS[domain].includes(column) ? 'NUMERIC' : 'TEXT'
}

/** Column names come from code; this keeps anything else out of the SQL text. */
function assertColumnName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`unexpected event column name ${JSON.stringify(name)}`)
  return name
}

/** A domain's event columns, in row order, as a file of `formatVersion` has them. */
export function eventColumnsOf(domain: Domain, formatVersion: number = RESULT_FORMAT_VERSION): readonly string[] {
  const added = formatVersion < 3 ? (EVENT_COLUMNS_SINCE_V3[domain] ?? []) : []
  return EVENT_DOMAINS[domain].columns.filter((c) => !added.includes(c)).map(assertColumnName)
}

/**
 * Columns that get an index and a sort table when a result is finished: the lot id (paging by lot,
 * filtering one lot), the time columns and the number columns (the usual sorts).
 */
export function sortColumnsOf(domain: Domain): string[] {
  const columns = eventColumnsOf(domain)
  const wanted = new Set(['CONTAINERID', ...EVENT_DOMAINS[domain].timeColumns, ...NUMBER_COLUMNS[domain]])
  return columns.filter((c) => wanted.has(c))
}

/** `CREATE TABLE` of a domain: `_seq` (1..n, insertion order) then the typed columns. */
export function eventTableSql(domain: Domain, formatVersion: number = RESULT_FORMAT_VERSION): string {
  const columns = eventColumnsOf(domain, formatVersion).map((c) => `  ${quoteIdentifier(c)} ${columnTypeOf(domain, c)}`)
  return `CREATE TABLE ${quoteIdentifier(eventTableOf(domain))} (\n  _seq INTEGER PRIMARY KEY,\n${columns.join(',\n')}\n)`
}

/** The `json_parts` name of the lineage nodes' quantities (container id → QTY), when any is known. */
export const NODE_QTY_PART = 'lineage.node_qty'

/** Tables every result file has, whatever its domains. */
export const BASE_SCHEMA_SQL = `
CREATE TABLE manifest (
  key TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);
-- Small JSON parts keyed by name: the seed result's lists and the lineage maps other than its
-- nodes and edges (roots, ancestors, children_map, seed_roots, leaf_serials…).
CREATE TABLE json_parts (
  name TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE seeds (
  _seq INTEGER PRIMARY KEY,
  container_id TEXT NOT NULL,
  container_name TEXT,
  lot_id TEXT,
  input_value TEXT,
  match_source TEXT
);
CREATE TABLE lineage_nodes (
  _seq INTEGER PRIMARY KEY,
  container_id TEXT NOT NULL UNIQUE,
  container_name TEXT,
  mfgorder_name TEXT,
  wafer_lot TEXT,
  node_type TEXT NOT NULL
);
CREATE TABLE lineage_edges (
  _seq INTEGER PRIMARY KEY,
  from_cid TEXT NOT NULL,
  to_cid TEXT NOT NULL,
  edge_type TEXT NOT NULL
);
`

/** Indexes made when the lineage tables are finished (graph lookups by either end). */
export const LINEAGE_INDEX_SQL = `
CREATE INDEX lineage_edges_by_from ON lineage_edges (from_cid);
CREATE INDEX lineage_edges_by_to ON lineage_edges (to_cid);
`

// ─── MSD analysis tables ──────────────────────────────────────────────────────────────────────

/**
 * Inputs of the MSD analysis, written by the worker before it aggregates: the detection dataset
 * (one row per lot, one per lot and reason) and the lot → container map of the analysis (each
 * detection lot with itself and its ancestors, backward, or its descendants, forward). The
 * aggregation is SQL over these and the event tables; they stay in the file so a result can be
 * re-examined offline.
 */
export const MSD_INPUT_SCHEMA_SQL = `
CREATE TABLE msd_detection (
  cid TEXT NOT NULL PRIMARY KEY,
  container_name TEXT NOT NULL,
  mfgorder_name TEXT,
  pj_type TEXT NOT NULL,
  productline_name TEXT NOT NULL,
  workflow TEXT NOT NULL,
  finishedruncard TEXT,
  spec_name TEXT,
  equipment_id TEXT,
  equipment_name TEXT NOT NULL,
  input_qty NUMERIC NOT NULL,
  trackin_time TEXT NOT NULL
);
CREATE TABLE msd_detection_rejects (
  cid TEXT NOT NULL,
  reason TEXT NOT NULL,
  qty NUMERIC NOT NULL,
  PRIMARY KEY (cid, reason)
) WITHOUT ROWID;
CREATE TABLE msd_lot_cids (
  lot_cid TEXT NOT NULL,
  cid TEXT NOT NULL,
  PRIMARY KEY (lot_cid, cid)
) WITHOUT ROWID;
CREATE INDEX msd_lot_cids_by_cid ON msd_lot_cids (cid, lot_cid);
`

/** Tables of the MSD output that are paged like a domain. */
export const MSD_TABLES = ['detail', 'suspects'] as const
export type MsdTable = (typeof MSD_TABLES)[number]

/**
 * The columns (after `_seq`) an MSD output table is stored with: the detail rows lead with the
 * container id, then the original's detail columns of the direction; the suspects have their own.
 */
export function msdStoredColumnsOf(
  table: MsdTable,
  direction: 'backward' | 'forward',
  formatVersion: number = RESULT_FORMAT_VERSION,
): { key: string; numeric: boolean }[] {
  if (table === 'suspects') return (formatVersion < 2 ? SUSPECT_COLUMNS_V1 : SUSPECT_COLUMNS).map((c) => ({ key: c.key, numeric: c.numeric }))
  return [{ key: 'CONTAINERID', numeric: false }, ...detailColumnsOf(direction, formatVersion).map((c) => ({ key: c.key, numeric: c.numeric }))]
}

/** SQL table of an MSD output table. */
export function msdTableOf(table: MsdTable): string {
  return `msd_${table}`
}

/** `CREATE TABLE` of an MSD output table: `_seq` (1..n, the default order) and typed columns. */
export function msdTableSql(table: MsdTable, columns: readonly { key: string; numeric: boolean }[]): string {
  const defs = columns.map((c) => `  ${quoteIdentifier(assertColumnName(c.key))} ${c.numeric ? 'NUMERIC' : 'TEXT'}`)
  return `CREATE TABLE ${quoteIdentifier(msdTableOf(table))} (\n  _seq INTEGER PRIMARY KEY,\n${defs.join(',\n')}\n)`
}
