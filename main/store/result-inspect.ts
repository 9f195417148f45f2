/**
 * Checking a result file that comes from elsewhere before anything else reads it. Result files are
 * mailed around and opened by a double-click, so one is accepted only if it is exactly what the
 * app writes: a SQLite file in rollback-journal mode with the app's application id, no views and
 * no triggers, the very tables, columns and indexes the writer makes for its manifest, every page
 * sound (`quick_check`), a manifest and JSON parts within size and depth limits, row counts that
 * match the manifest, and no cell larger than the app ever writes. Anything else is
 * `import/invalid` naming what is wrong.
 *
 * It reads the file with SQLite (SQLite itself is hardened against damaged files), so it runs in a
 * worker process under a time limit (the engine's `inspectResultFile`): whatever a file does to
 * it, the importing process cannot hang on it.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import Database from 'better-sqlite3'
import { z } from 'zod'
import { MAX_JSON_DEPTH, parseBoundedJson } from '../../shared/bounded-json.js'
import { hasControlCharacter } from '../../shared/control-characters.js'
import { AppError, toErrorData } from '../../shared/errors.js'
import { setOwn } from '../../shared/own-keys.js'
import { MSD_ANALYSIS_STEPS } from '../../shared/stage-timings.js'
import { normalizeTraceRequest, toTraceRequest, type NormalizedTraceRequest } from '../../shared/trace-request.js'
import { DOMAINS, type Direction, type Domain, type LineageResult } from '../../shared/trace.js'
import { eventCids } from '../trace/index.js'
import { msdAggregationSchema } from './aggregation-schema.js'
import { quoteIdentifier } from './connection.js'
import { JOB_ID_PATTERN } from './paths.js'
import {
  BASE_SCHEMA_SQL,
  eventTableOf,
  eventTableSql,
  LINEAGE_INDEX_SQL,
  MAX_JSON_PART_CHARS,
  MSD_INPUT_SCHEMA_SQL,
  MSD_TABLES,
  msdStoredColumnsOf,
  msdTableOf,
  msdTableSql,
  RESULT_APPLICATION_ID,
  NODE_QTY_PART,
  RESULT_FORMAT_VERSION,
  sortColumnsOf,
  sortIndexSql,
  sortTableOf,
  sortTableSql,
  type MsdTable,
  type ResultManifest,
} from './result-schema.js'

/** Limits of {@link inspectResultFile}; each default sits far above what the app writes. */
export interface InspectLimits {
  /**
   * Longest JSON part (the lineage maps, the MSD aggregation), in characters. A 114 000-lot trace
   * writes parts of a few MB.
   * @default 64 Mi
   */
  maxJsonPartChars: number
  /**
   * Longest manifest entry, in characters. The request holds the typed lot IDs: 100 000 of them are
   * about 2.5 MB.
   * @default 16 Mi
   */
  maxManifestEntryChars: number
  /**
   * Longest cell of any table, in characters (bytes for a blob). MES text columns are at most a
   * few thousand characters; an MSD list column a few thousand more.
   * @default 1 Mi
   */
  maxCellChars: number
  /** Deepest JSON nesting. @default MAX_JSON_DEPTH (32) */
  maxDepth: number
}

export const DEFAULT_INSPECT_LIMITS: Readonly<InspectLimits> = {
  maxJsonPartChars: MAX_JSON_PART_CHARS,
  maxManifestEntryChars: 16 * 1024 * 1024,
  maxCellChars: 1024 * 1024,
  maxDepth: MAX_JSON_DEPTH,
}

/** What an accepted file says about itself, for the job row an import makes. */
export interface ResultFileInspection {
  manifest: ResultManifest
  /** The manifest's request, validated and normalized by the running version. */
  request: NormalizedTraceRequest
  seedCount: number
  /** Containers whose events the trace fetched (as the engine counts them for a job it ran). */
  cidCount: number
  bytes: number
}

/** Most schema objects a result file can have (7 domains with their sort tables and indexes are ~120). */
const MAX_SCHEMA_OBJECTS = 1000

/** Most manifest entries (the manifest has 15 keys) and JSON parts (fewer than 20). */
const MAX_MANIFEST_ROWS = 64
const MAX_JSON_PARTS = 64

/** Size of the SQLite file header, and the magic text it starts with. */
export const RESULT_HEADER_BYTES = 100
const HEADER_BYTES = RESULT_HEADER_BYTES
const SQLITE_MAGIC = 'SQLite format 3\u0000'

/**
 * Whether the first {@link RESULT_HEADER_BYTES} bytes of a file are those of a SQLite file with the
 * app's application id: a cheap look, without SQLite, before a file is copied to be checked.
 */
export function isResultFileHeader(header: Buffer): boolean {
  return header.length >= HEADER_BYTES && header.toString('latin1', 0, 16) === SQLITE_MAGIC && header.readUInt32BE(68) === RESULT_APPLICATION_ID
}

/** The one refusal for a file that is not a result file at all, whatever the cause. */
export function notAResultFile(path: string): AppError {
  return new AppError('import/invalid', `${path} cannot be imported: it is not an MES Trace result file, or it cannot be read.`, {
    reason: 'not-a-result-file',
  })
}

/** A refusal naming the file (as the person gave it) and what is wrong with it. */
function invalid(file: string, what: string, reason: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('import/invalid', `${file} cannot be imported: ${what}.`, { reason, ...details })
}

interface Header {
  pageSize: number
  /** Pages the header says the file has, or null when that field is stale. */
  pages: number | null
  userVersion: number
}

/**
 * Reads and checks the 100-byte header without SQLite. A file that is not a SQLite file of this app
 * gets one message whatever the cause (missing, unreadable, another kind), so the answer never
 * tells a caller whether some arbitrary path exists.
 */
function readHeader(file: string, path: string): { header: Header; bytes: number } {
  const notOurs = (): AppError => notAResultFile(path)
  let fd: number
  try {
    // Non-blocking, so a FIFO in place of a file cannot stall the open.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch {
    throw notOurs()
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile() || stat.size < HEADER_BYTES) throw notOurs()
    const buffer = Buffer.alloc(HEADER_BYTES)
    if (readSync(fd, buffer, 0, HEADER_BYTES, 0) !== HEADER_BYTES) throw notOurs()
    if (!isResultFileHeader(buffer)) throw notOurs()
    const rawPageSize = buffer.readUInt16BE(16)
    const pageSize = rawPageSize === 1 ? 65536 : rawPageSize
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
      throw invalid(path, 'its header is damaged (page size)', 'header')
    }
    if (buffer[18] === 2 || buffer[19] === 2) {
      throw invalid(path, 'it is in write-ahead-log (WAL) mode, which result files never are', 'wal-mode')
    }
    if (buffer[18] !== 1 || buffer[19] !== 1) throw invalid(path, 'its header is damaged (file format)', 'header')
    if (buffer.readUInt32BE(56) !== 1) throw invalid(path, 'its text is not stored as UTF-8, as result files are', 'header')
    const userVersion = buffer.readInt32BE(60)
    if (userVersion > RESULT_FORMAT_VERSION) {
      throw invalid(
        path,
        `it has format version ${userVersion}, and this version of MES Trace reads up to ${RESULT_FORMAT_VERSION}; it was written by a newer version of the app (update the app to open it)`,
        'newer-version',
        { fileVersion: userVersion, codeVersion: RESULT_FORMAT_VERSION },
      )
    }
    if (userVersion < 1) throw invalid(path, `it has no known format version (${userVersion})`, 'unknown-version')
    const changeCounter = buffer.readUInt32BE(24)
    const validFor = buffer.readUInt32BE(92)
    const headerPages = buffer.readUInt32BE(28)
    const pages = validFor === changeCounter && headerPages > 0 ? headerPages : null
    if (stat.size % pageSize !== 0) throw invalid(path, `its size (${stat.size} bytes) is not a whole number of pages; it is truncated or damaged`, 'truncated')
    if (pages !== null && pages * pageSize !== stat.size) {
      throw invalid(path, `it is ${stat.size} bytes long where its header says ${pages * pageSize}; it is truncated or damaged`, 'truncated')
    }
    return { header: { pageSize, pages, userVersion }, bytes: stat.size }
  } finally {
    closeSync(fd)
  }
}

/** One object of `sqlite_schema`. */
interface SchemaObject {
  type: string
  name: string
  tbl_name: string
  sql: string | null
}

/** What decides the tables and indexes of a result file: what its manifest says it stores. */
interface StoredShape {
  domains: readonly Domain[]
  msdTables: readonly MsdTable[]
  sortColumns: Partial<Record<Domain, string[]>>
  direction: Direction
  /** The file's format version (the suspect list's columns depend on it). */
  formatVersion: number
  /** Whether it holds the MSD analysis's input tables. */
  hasMsdInputs: boolean
}

/** A file that stores nothing: only the tables every result file has. */
const NOTHING_STORED: StoredShape = { domains: [], msdTables: [], sortColumns: {}, direction: 'backward', formatVersion: RESULT_FORMAT_VERSION, hasMsdInputs: false }

/** The objects a file of this shape has when the app writes it, made by the writer's own DDL. */
function expectedSchema(shape: StoredShape): Map<string, SchemaObject> {
  const db = new Database(':memory:')
  try {
    db.exec(BASE_SCHEMA_SQL)
    for (const domain of shape.domains) db.exec(eventTableSql(domain, shape.formatVersion))
    if (shape.hasMsdInputs) db.exec(MSD_INPUT_SCHEMA_SQL)
    for (const table of shape.msdTables) db.exec(msdTableSql(table, msdStoredColumnsOf(table, shape.direction, shape.formatVersion)))
    db.exec(LINEAGE_INDEX_SQL)
    for (const [domain, columns] of Object.entries(shape.sortColumns) as [Domain, string[]][]) {
      for (const column of columns) {
        db.exec(sortIndexSql(domain, column))
        db.exec(sortTableSql(domain, column))
      }
    }
    // The statistics tables `finish` leaves (ANALYZE), as this SQLite build makes them.
    db.exec('ANALYZE')
    const objects = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema').all() as SchemaObject[]
    return new Map(objects.map((o) => [o.name, o]))
  } finally {
    db.close()
  }
}

const STAT_TABLES = new Set(['sqlite_stat1', 'sqlite_stat2', 'sqlite_stat3', 'sqlite_stat4'])

// ─── The manifest ────────────────────────────────────────────────────────────────────────────

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
const epochMs = z.number().finite().min(0).max(8.64e15)
/** Manifest text: the app never writes control characters in it (they would drive a terminal). */
const text = (max: number) => z.string().max(max).refine((value) => !hasControlCharacter(value), 'holds control characters')
const domainName = z.enum(DOMAINS)
const qualityMeta = z
  .object({
    status: z.enum(['complete', 'truncated', 'partial', 'failed']),
    scope: z.enum(['domain', 'query', 'export']),
    reasons: z.array(z.enum(['max_total_rows_exceeded', 'chunk_failure', 'domain_failure', 'domain_fetch_failed', 'lineage_truncated'])).max(16),
    domain: domainName.optional(),
    observed_rows: count,
    max_rows: count.optional(),
    failed_ranges: z.array(z.object({ start: text(200), end: text(200) }).strict()).max(100_000).optional(),
    has_partial_failure: z.boolean().optional(),
    failed_chunk_count: count.optional(),
    failed_domains: z.array(domainName).max(DOMAINS.length).optional(),
    truncated_domains: z.array(domainName).max(DOMAINS.length).optional(),
    errors: z.array(text(10_000)).max(1000).optional(),
  })
  .strict()

/** A stage time: milliseconds, at most about 30 years. */
const stageMs = z.number().finite().min(0).max(1e12)
/** `stage_ms` (`StageTimings`): optional, as files of earlier versions have none. */
const stageTimings = z
  .object({
    resolve: stageMs,
    lineage: stageMs,
    events: stageMs,
    domains: z.partialRecord(domainName, z.object({ fetch: stageMs, write: stageMs }).strict()),
    analysis: z.partialRecord(z.enum(MSD_ANALYSIS_STEPS), stageMs),
    sort_index: stageMs,
    finish: stageMs,
    total: stageMs,
  })
  .strict()

/** Every manifest key the writer sets, with the shape of its value. */
const MANIFEST_FIELDS: Readonly<Record<keyof ResultManifest, z.ZodType>> = {
  format_version: z.number().int().min(1).max(RESULT_FORMAT_VERSION),
  job_id: z.string().regex(JOB_ID_PATTERN),
  request: z.record(z.string(), z.unknown()),
  source: text(4000),
  app_version: text(100),
  created_at: epochMs,
  as_of: epochMs,
  completed_at: epochMs,
  status: z.literal('finished'),
  domains: z.array(domainName).max(DOMAINS.length),
  row_counts: z.partialRecord(domainName, count),
  domain_quality: z.partialRecord(domainName, qualityMeta),
  quality: qualityMeta,
  warnings: z.array(text(10_000)).max(1000),
  sort_columns: z.partialRecord(domainName, z.array(text(64)).max(64)),
  msd_tables: z.partialRecord(z.enum(MSD_TABLES), z.object({ rows: count, columns: z.array(text(64)).max(64) }).strict()).optional(),
  station_window: z.object({ first: text(40).nullable(), last: text(40).nullable() }).strict().nullable().optional(),
  stage_ms: stageTimings.optional(),
}
const REQUIRED_MANIFEST_KEYS = Object.keys(MANIFEST_FIELDS).filter((k) => k !== 'msd_tables' && k !== 'station_window' && k !== 'stage_ms')

/** How one key-value table of JSON texts (`manifest`, `json_parts`) is read. */
interface JsonTable {
  table: 'manifest' | 'json_parts'
  key: 'key' | 'name'
  /** What an entry is called in messages (`manifest entry`, `JSON part`). */
  entry: string
  /** `details.reason` of its refusals. */
  reason: string
  maxRows: number
  maxChars: number
  /** The shape of each entry the writer uses, by key. */
  fields: Readonly<Record<string, z.ZodType>>
}

/**
 * Every entry of a JSON table, parsed within limits and checked against its shape. Sizes are read
 * from SQLite first, so an oversized value is refused without ever being loaded; an unknown key,
 * a value that is not text, too long, too deep or of the wrong shape is `import/invalid`.
 */
function readJsonTable(db: Database.Database, path: string, spec: JsonTable, maxDepth: number): Map<string, unknown> {
  const { table, key: keyColumn, entry, reason } = spec
  const sizes = db.prepare(`SELECT ${keyColumn} AS key, typeof(value) AS type, length(value) AS length FROM ${table} LIMIT ${spec.maxRows + 1}`).all() as {
    key: unknown
    type: string
    length: number
  }[]
  if (sizes.length > spec.maxRows) throw invalid(path, `it has more than ${spec.maxRows} ${entry}s`, reason)
  const read = db.prepare(`SELECT value FROM ${table} WHERE ${keyColumn} = ?`).pluck()
  const entries = new Map<string, unknown>()
  for (const { key, type, length } of sizes) {
    const shape = typeof key === 'string' && Object.prototype.hasOwnProperty.call(spec.fields, key) ? spec.fields[key]! : null
    if (typeof key !== 'string' || !shape) {
      const shown = String(key).slice(0, 60)
      throw invalid(path, `it has an unknown ${entry} ${JSON.stringify(shown)}`, reason, { field: shown })
    }
    if (type !== 'text') throw invalid(path, `its ${entry} ${key} is not text`, reason, { field: key })
    if (length > spec.maxChars) throw invalid(path, `its ${entry} ${key} is ${length} characters long (at most ${spec.maxChars})`, reason, { field: key })
    let value: unknown
    try {
      value = parseBoundedJson(read.get(key) as string, { maxChars: spec.maxChars, maxDepth })
    } catch (error) {
      throw invalid(path, `its ${entry} ${key} ${(error as Error).message}`, reason, { field: key })
    }
    const parsed = shape.safeParse(value)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      const at = issue.path.length > 0 ? `.${issue.path.join('.')}` : ''
      throw invalid(path, `its ${entry} ${key}${at} is not what the app writes (${issue.message})`, reason, { field: `${key}${at}` })
    }
    entries.set(key, parsed.data)
  }
  return entries
}

function readManifest(db: Database.Database, path: string, limits: InspectLimits): { manifest: ResultManifest; request: NormalizedTraceRequest } {
  const entries = Object.fromEntries(
    readJsonTable(db, path, { table: 'manifest', key: 'key', entry: 'manifest entry', reason: 'manifest', maxRows: MAX_MANIFEST_ROWS, maxChars: limits.maxManifestEntryChars, fields: MANIFEST_FIELDS }, limits.maxDepth),
  )
  for (const key of REQUIRED_MANIFEST_KEYS) {
    if (!(key in entries)) throw invalid(path, `its manifest has no ${key}`, 'manifest', { field: key })
  }
  const manifest = entries as unknown as ResultManifest
  let request: NormalizedTraceRequest
  try {
    request = normalizeTraceRequest(toTraceRequest(manifest.request))
  } catch (error) {
    throw invalid(path, `its manifest holds a request this version cannot read (${toErrorData(error).message})`, 'manifest', { field: 'request' })
  }
  // The manifest must agree with itself: every domain once, with a row count; per-domain entries only for its domains.
  const domains = new Set(manifest.domains)
  if (domains.size !== manifest.domains.length) throw invalid(path, 'its manifest lists a domain twice', 'manifest', { field: 'domains' })
  for (const domain of manifest.domains) {
    if (manifest.row_counts[domain] === undefined) throw invalid(path, `its manifest has no row count for ${domain}`, 'manifest', { field: 'row_counts' })
  }
  for (const [field, record] of [['row_counts', manifest.row_counts], ['domain_quality', manifest.domain_quality], ['sort_columns', manifest.sort_columns]] as const) {
    for (const domain of Object.keys(record)) {
      if (!domains.has(domain as Domain)) throw invalid(path, `its manifest has ${field} for ${domain}, a domain it does not list`, 'manifest', { field })
    }
  }
  for (const [domain, columns] of Object.entries(manifest.sort_columns) as [Domain, string[]][]) {
    const expected = sortColumnsOf(domain)
    if (columns.length !== expected.length || columns.some((c, i) => c !== expected[i])) {
      throw invalid(path, `its manifest lists sort columns of ${domain} the app does not make`, 'manifest', { field: 'sort_columns' })
    }
  }
  for (const [table, stored] of Object.entries(manifest.msd_tables ?? {}) as [MsdTable, { columns: string[] }][]) {
    if (request.profile !== 'mid_section_defect' || (table === 'suspects' && request.direction !== 'backward')) {
      throw invalid(path, `its manifest lists an MSD ${table} table a ${request.profile} ${request.direction} trace does not have`, 'manifest', { field: 'msd_tables' })
    }
    const expected = msdStoredColumnsOf(table, request.direction, manifest.format_version).map((c) => c.key)
    if (stored.columns.length !== expected.length || stored.columns.some((c, i) => c !== expected[i])) {
      throw invalid(path, `its manifest lists columns of the MSD ${table} table the app does not write`, 'manifest', { field: 'msd_tables' })
    }
  }
  return { manifest, request }
}

// ─── JSON parts ──────────────────────────────────────────────────────────────────────────────

const stringList = z.array(z.string().max(1000))
const stringListMap = z.record(z.string().max(1000), stringList)
const stringMap = z.record(z.string().max(1000), z.string().max(1000))

/** Every JSON part name the writer uses, with the shape of its value. */
const PART_FIELDS: Readonly<Record<string, z.ZodType>> = {
  'seeds.seed_count': count,
  'seeds.not_found': stringList,
  'seeds.expansion_info': z.record(z.string().max(1000), count),
  'seeds.input_count': count,
  'lineage.direction': z.enum(['backward', 'forward']),
  'lineage.names': stringMap,
  'lineage.total_nodes': count,
  'lineage.truncated': z.boolean(),
  'lineage.truncation_reasons': z.array(z.enum(['depth_cap', 'node_cap'])).max(4),
  'lineage.roots': stringList,
  'lineage.ancestors': stringListMap,
  'lineage.parent_map': stringListMap,
  'lineage.merge_edges': stringListMap,
  'lineage.seed_roots': stringMap,
  'lineage.total_ancestor_count': count,
  'lineage.children_map': stringListMap,
  'lineage.leaf_serials': stringListMap,
  // Written since the genealogy view marks the typed lots and draws a reverse trace's serials.
  'lineage.seeds': stringList,
  'lineage.seed_serials': stringListMap,
  // The containers' quantities (container id → QTY), for the genealogy tree's Qty column.
  [NODE_QTY_PART]: z.record(z.string().max(1000), z.number().finite()),
  // The whole shape the reader checks again when it hands the aggregation out.
  aggregation: msdAggregationSchema,
}

function readParts(db: Database.Database, path: string, limits: InspectLimits): Map<string, unknown> {
  return readJsonTable(
    db,
    path,
    { table: 'json_parts', key: 'name', entry: 'JSON part', reason: 'json-part', maxRows: MAX_JSON_PARTS, maxChars: limits.maxJsonPartChars, fields: PART_FIELDS },
    limits.maxDepth,
  )
}

/** The lineage as the reader rebuilds it from the parts and the node and edge tables. */
function lineageOf(db: Database.Database, parts: Map<string, unknown>): LineageResult | null {
  const lineage: Record<string, unknown> = {}
  for (const [name, value] of parts) if (name.startsWith('lineage.')) setOwn(lineage, name.slice('lineage.'.length), value)
  if (Object.keys(lineage).length === 0) return null
  const nodes: Record<string, unknown> = {}
  for (const cid of db.prepare('SELECT container_id FROM lineage_nodes').pluck().iterate()) setOwn(nodes, cid as string, true)
  lineage.nodes = nodes
  lineage.edges = db.prepare('SELECT from_cid, to_cid FROM lineage_edges').all()
  return lineage as unknown as LineageResult
}

// ─── Rows ────────────────────────────────────────────────────────────────────────────────────

/**
 * One scan of a table: rows, the `_seq` (or `pos`) range, and for every column its longest value
 * and whether any value is a blob (the app writes text and numbers only).
 */
function scanTable(db: Database.Database, table: string, key: '_seq' | 'pos' | null): { rows: number; min: number | null; max: number | null; longest: Map<string, number>; blobs: string[] } {
  const columns = (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]).filter((c) => c !== key)
  const select = [
    'count(*) AS n',
    key ? `min(${key}) AS lo, max(${key}) AS hi` : 'NULL AS lo, NULL AS hi',
    ...columns.flatMap((c, i) => [`max(length(${quoteIdentifier(c)})) AS l${i}`, `max(typeof(${quoteIdentifier(c)}) = 'blob') AS b${i}`]),
  ]
  const row = db.prepare(`SELECT ${select.join(', ')} FROM ${quoteIdentifier(table)}`).get() as Record<string, number | null>
  const longest = new Map<string, number>()
  const blobs: string[] = []
  columns.forEach((c, i) => {
    longest.set(c, row[`l${i}`] ?? 0)
    if (row[`b${i}`] === 1) blobs.push(c)
  })
  return { rows: row.n ?? 0, min: row.lo ?? null, max: row.hi ?? null, longest, blobs }
}

/**
 * Tables whose values are checked elsewhere: the manifest and the JSON parts by `readJsonTable`,
 * within their own (larger) limits.
 */
const JSON_TABLES = new Set(['manifest', 'json_parts'])

/**
 * The statistics tables SQLite loads whenever a file is opened (`sqlite_stat4` holds up to 24
 * sampled index keys per index): bounded, so an opened result cannot be made to hold a huge blob
 * in memory. The app's indexes are on short columns (ids, times, numbers).
 */
const MAX_STAT_ROWS = 100_000
const MAX_STAT_CELL_BYTES = 64 * 1024

function checkRows(db: Database.Database, path: string, manifest: ResultManifest, limits: InspectLimits, tables: readonly string[]): void {
  const expectedRows = new Map<string, number>()
  for (const domain of manifest.domains) expectedRows.set(eventTableOf(domain), manifest.row_counts[domain] ?? 0)
  for (const [table, stored] of Object.entries(manifest.msd_tables ?? {}) as [MsdTable, { rows: number }][]) expectedRows.set(msdTableOf(table), stored.rows)
  for (const [domain, columns] of Object.entries(manifest.sort_columns) as [Domain, string[]][]) {
    for (const column of columns) expectedRows.set(sortTableOf(domain, column), manifest.row_counts[domain] ?? 0)
  }
  for (const table of tables) {
    if (JSON_TABLES.has(table)) continue
    if (STAT_TABLES.has(table)) {
      const scan = scanTable(db, table, null)
      const longest = Math.max(0, ...scan.longest.values())
      if (scan.rows > MAX_STAT_ROWS || longest > MAX_STAT_CELL_BYTES) {
        throw invalid(path, `its statistics table ${table} is larger than SQLite ever makes it (${scan.rows} rows, a value of ${longest} bytes)`, 'cell', { table })
      }
      continue
    }
    const isSort = table.startsWith('sort_')
    const key = isSort ? 'pos' : table.startsWith('events_') || table.startsWith('msd_detail') || table.startsWith('msd_suspects') || ['seeds', 'lineage_nodes', 'lineage_edges'].includes(table) ? '_seq' : null
    const scan = scanTable(db, table, key)
    const expected = expectedRows.get(table)
    if (expected !== undefined) {
      if (scan.rows !== expected) {
        throw invalid(path, `its table ${table} has ${scan.rows} rows where the manifest says ${expected}`, 'row-count', { table })
      }
      // Pages of the natural order are `_seq` ranges: the numbers must be exactly 1..n.
      if (scan.rows > 0 && (scan.min !== 1 || scan.max !== scan.rows)) {
        throw invalid(path, `its table ${table} is not numbered 1…${scan.rows} as the app numbers it`, 'row-count', { table })
      }
      // A sort table is an order of its domain's rows: every row once.
      if (isSort && scan.rows > 0) {
        const seq = db.prepare(`SELECT count(DISTINCT seq) AS n, min(seq) AS lo, max(seq) AS hi FROM ${quoteIdentifier(table)}`).get() as { n: number; lo: number; hi: number }
        if (seq.n !== scan.rows || seq.lo !== 1 || seq.hi !== scan.rows) {
          throw invalid(path, `its sort table ${table} does not order each row of its domain once`, 'row-count', { table })
        }
      }
    }
    if (scan.blobs.length > 0) throw invalid(path, `its table ${table} holds binary data in ${scan.blobs[0]}, which the app never writes`, 'cell', { table })
    for (const [column, longest] of scan.longest) {
      if (longest > limits.maxCellChars) {
        throw invalid(path, `a cell of ${table}.${column} is ${longest} characters long (at most ${limits.maxCellChars})`, 'cell', { table, column })
      }
    }
  }
}

/**
 * Checks `file` as a result file to import and returns what its job row needs. Never writes to
 * the file and never evaluates anything its schema defines. Throws `import/invalid` naming what is
 * wrong.
 */
export function inspectResultFile(file: string, options: { name?: string; limits?: InspectLimits } = {}): ResultFileInspection {
  const limits = options.limits ?? DEFAULT_INSPECT_LIMITS
  // Messages name the file as the person gave it (the check may run on a private copy).
  const path = options.name ?? file
  const { header, bytes } = readHeader(file, path)
  let db: Database.Database
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
  } catch (error) {
    throw invalid(path, `SQLite cannot open it (${(error as Error).message})`, 'sqlite')
  }
  try {
    // SQLite's advice for files from elsewhere: nothing in the schema may call functions with side
    // effects, damaged cells are caught early, and no memory mapping of a file someone else made.
    db.pragma('trusted_schema = OFF')
    db.pragma('cell_size_check = ON')
    db.pragma('mmap_size = 0')
    db.pragma('query_only = ON')
    let objects: SchemaObject[]
    try {
      objects = db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_schema LIMIT ${MAX_SCHEMA_OBJECTS + 1}`).all() as SchemaObject[]
    } catch (error) {
      throw invalid(path, `its schema is damaged (${(error as Error).message})`, 'schema')
    }
    if (objects.length > MAX_SCHEMA_OBJECTS) throw invalid(path, `it has more than ${MAX_SCHEMA_OBJECTS} tables and indexes`, 'schema')
    // Views and triggers run code when read or written: a result file never has any.
    for (const o of objects) {
      if (o.type !== 'table' && o.type !== 'index') {
        throw invalid(path, `it holds a ${o.type} ${JSON.stringify(String(o.name).slice(0, 60))}; result files have only tables and indexes`, 'schema', {
          object: String(o.name).slice(0, 60),
        })
      }
    }
    // The manifest and the parts table are read first, so they must be exactly the writer's tables.
    const base = expectedSchema(NOTHING_STORED)
    const byName = new Map(objects.map((o) => [o.name, o]))
    for (const name of ['manifest', 'json_parts']) {
      const found = byName.get(name)
      if (!found || found.type !== 'table' || found.sql !== base.get(name)!.sql) {
        throw invalid(path, `its ${name} table is ${found ? 'not the one the app writes' : 'missing'}`, 'schema', { object: name })
      }
    }
    const { manifest, request } = readManifest(db, path, limits)
    if (manifest.format_version !== header.userVersion) {
      throw invalid(path, `its manifest says format version ${manifest.format_version} and its header ${header.userVersion}`, 'manifest', { field: 'format_version' })
    }
    // Everything else must be exactly what the writer makes for this manifest.
    const hasMsdInputs = byName.has('msd_detection')
    if (hasMsdInputs && request.profile !== 'mid_section_defect') throw invalid(path, 'it holds MSD tables but is not an MSD trace', 'schema', { object: 'msd_detection' })
    const expected = expectedSchema({
      domains: manifest.domains,
      msdTables: Object.keys(manifest.msd_tables ?? {}) as MsdTable[],
      sortColumns: manifest.sort_columns,
      direction: request.direction,
      formatVersion: manifest.format_version,
      hasMsdInputs,
    })
    for (const [name, want] of expected) {
      const found = byName.get(name)
      if (!found) {
        if (STAT_TABLES.has(name)) continue
        throw invalid(path, `it has no ${want.type} ${name}, which its manifest calls for`, 'schema', { object: name })
      }
      if (found.type !== want.type || found.tbl_name !== want.tbl_name || found.sql !== want.sql) {
        throw invalid(path, `its ${want.type} ${name} is not the one the app writes`, 'schema', { object: name })
      }
    }
    for (const o of objects) {
      if (!expected.has(o.name)) {
        throw invalid(path, `it has a ${o.type} ${JSON.stringify(String(o.name).slice(0, 60))} the app does not write`, 'schema', { object: String(o.name).slice(0, 60) })
      }
    }
    let check: string[]
    try {
      check = (db.pragma('quick_check(5)') as { quick_check: unknown }[]).map((r) => String(r.quick_check))
    } catch (error) {
      throw invalid(path, `it is damaged (${(error as Error).message})`, 'damaged')
    }
    if (check.length !== 1 || check[0] !== 'ok') throw invalid(path, `it is damaged (${check.slice(0, 2).join('; ')})`, 'damaged')
    const tables = objects.filter((o) => o.type === 'table').map((o) => o.name)
    const parts = readParts(db, path, limits)
    checkRows(db, path, manifest, limits, tables)
    const seedRows = db.prepare('SELECT container_id FROM seeds ORDER BY _seq').pluck().all() as string[]
    const seedCount = parts.get('seeds.seed_count')
    if (seedCount !== undefined && seedCount !== seedRows.length) {
      throw invalid(path, `it holds ${seedRows.length} seeds where its seed count says ${String(seedCount)}`, 'row-count', { table: 'seeds' })
    }
    if (request.profile === 'mid_section_defect' && parts.has('aggregation') === false && manifest.msd_tables !== undefined) {
      throw invalid(path, 'it has MSD tables but no MSD aggregation', 'json-part', { field: 'aggregation' })
    }
    if (request.profile !== 'mid_section_defect' && parts.has('aggregation')) {
      throw invalid(path, `it holds an MSD aggregation but is a ${request.profile} trace`, 'json-part', { field: 'aggregation' })
    }
    const lineage = lineageOf(db, parts)
    if (lineage && lineage.direction !== request.direction) {
      throw invalid(path, `its lineage runs ${lineage.direction} but its request ${request.direction}`, 'json-part', { field: 'lineage.direction' })
    }
    const cidCount = lineage ? eventCids(request, seedRows, lineage).length : 0
    return { manifest: { ...manifest, request }, request, seedCount: seedRows.length, cidCount, bytes }
  } catch (error) {
    if (error instanceof AppError) throw error
    throw invalid(path, `reading it failed (${error instanceof Error ? error.message : String(error)})`, 'sqlite')
  } finally {
    db.close()
  }
}
