/**
 * Writing a result file. Only the job's worker writes it, and only while the job runs: rows go to
 * `<finalPath>.partial`, batch by batch (one transaction each, nothing held in memory), and the
 * file is renamed into place by `finish` once it is complete, synced and indexed. Whatever fails
 * before that, the final path never holds a half-written result: `abort` deletes the partial file
 * and start-up recovery deletes any left by a crash.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type Database from 'better-sqlite3'
import { AppError, invalidInput } from '../../shared/errors.js'
import type { MsdDetectionLot, MsdDetectionReject } from '../../shared/msd.js'
import { roundStageTimings, type StageTimings } from '../../shared/stage-timings.js'
import type { NormalizedTraceRequest } from '../../shared/trace-request.js'
import type { TimeWindow } from '../../shared/data-window.js'
import {
  isDomain, type Domain, type EventRow, type LineageEdge, type LineageNode, type LineageResult, type QualityMeta, type SeedResult,
} from '../../shared/trace.js'
import { openConnection, quoteIdentifier, RESULT_WRITER_CACHE_KIB, toStorageError, type SqliteDatabase } from './connection.js'
import { assertJobId, PARTIAL_SUFFIX } from './paths.js'
import {
  BASE_SCHEMA_SQL,
  eventColumnsOf,
  eventTableOf,
  eventTableSql,
  LINEAGE_INDEX_SQL,
  MSD_INPUT_SCHEMA_SQL,
  msdTableOf,
  msdTableSql,
  RESULT_APPLICATION_ID,
  NODE_QTY_PART,
  RESULT_FORMAT_VERSION,
  sortColumnsOf,
  sortIndexSql,
  sortTableOf,
  sortTableSql,
  type ManifestKey,
  type MsdTable,
  type ResultManifest,
} from './result-schema.js'

/** Files SQLite may leave beside a partial result (none with the in-memory journal, but a crash is a crash). */
const PARTIAL_COMPANIONS = ['', '-journal', '-wal', '-shm'] as const

/** Event rows per multi-row INSERT: ~20 % less time per row than single-row statements, and
 * rows × columns stays far below SQLite's limit of bound values (32 766). */
const EVENT_ROWS_PER_INSERT = 16

/** The page caches of the result file and its temp tables while the genealogy's parts are joined. */
const JOIN_CACHE_KIB = 1024

/**
 * One JSON part of a genealogy: its text, or an object or array given entry by entry (each
 * fragment is one `"key":value` or one element, as `JSON.stringify` writes it), so a part of tens
 * of megabytes is never one string in the process.
 */
export type LineageJsonPart = { json: string } | { open: '{' | '['; fragments: Iterable<string> }

/**
 * A genealogy handed to the file piece by piece ({@link ResultFileWriter.writeLineageStream}): what
 * a walk that keeps its state in the file's temporary tables produces. The file takes the nodes
 * first, then the edges, then the parts, each to its end, so a part may be made while the nodes go.
 */
export interface LineageStream {
  /** The nodes in the order the file keeps them (a `LineageResult`'s `nodes` key order). */
  nodes: Iterable<LineageNode>
  /** The edges, sorted and without duplicates. */
  edges: Iterable<LineageEdge>
  /** Every other key of the `LineageResult`, in its order. */
  parts: Iterable<readonly [key: string, part: LineageJsonPart]>
}

/** What a result file records about its job (see {@link createResultFile}). */
export interface CreateResultFileOptions {
  /** The job the file belongs to; also checked to be a job id. */
  jobId: string
  /** The validated request; its `domains` get a table each, even when they find no rows. */
  request: NormalizedTraceRequest
  /** The source as a person reads it (e.g. `MesSource.description`). */
  source: string
  /** Version of the app that wrote the file. */
  appVersion: string
  /** When the trace started reading the source (epoch ms): the result's "as of" time and creation time. */
  now: number
  /**
   * Largest size of the file in bytes; a write past it fails with `storage/full` (as a full disk
   * does). Rounded down to whole pages.
   * @default no cap
   */
  maxBytes?: number
  /**
   * Test hook: most database pages (`PRAGMA max_page_count`), to simulate a full disk without
   * filling one. Wins over `maxBytes`.
   * @default no cap
   */
  maxPageCount?: number
}

/** What `finish` adds to the manifest. */
export interface FinishResultOptions {
  /** Quality of each domain fetched. */
  domainQuality: Partial<Record<Domain, QualityMeta>>
  /** Query-scope quality. */
  quality: QualityMeta
  /** @default [] */
  warnings?: readonly string[]
  /** Profile-specific output (the MSD aggregation), stored as JSON. @default none */
  aggregation?: unknown
  /** Completion time (epoch ms). @default Date.now() */
  completedAt?: number
  /** An empty date-range trace: the station's track-in window in the source. @default none */
  stationWindow?: TimeWindow | null
  /**
   * The job's stage times so far; `finish` adds `sort_index`, `finish` and `total` and stores the
   * record in the manifest (`stage_ms`). @default not stored
   */
  stageMs?: { stages: Omit<StageTimings, 'sort_index' | 'finish' | 'total'>; startedAt: number }
}

/** The write side of one result file. Every method is synchronous. */
export interface ResultFileWriter {
  /** Final path (the file appears there only when `finish` returns). */
  readonly path: string
  /** Where rows are written until then. */
  readonly partialPath: string
  /** Stores the seed result (replacing an earlier call's). */
  writeSeeds(result: SeedResult): void
  /** Stores the lineage: nodes and edges as tables, the other maps as JSON parts. */
  writeLineage(lineage: LineageResult): void
  /**
   * Stores a lineage given piece by piece; the file is the same as {@link writeLineage}'s of the
   * same genealogy once {@link joinLineageParts} ran (the next write that needs the parts runs it).
   */
  writeLineageStream(lineage: LineageStream): void
  /**
   * Joins the parts a streamed lineage keeps as entries until then into their JSON texts. Call it
   * once what made the stream is released: a part's join holds its whole text more than once
   * (measured: +13 MB of RSS for an 8.5 MB part at 240 000 lots). Does nothing when none is left.
   */
  joinLineageParts(): void
  /**
   * The file's connection, for a genealogy walk to keep its working state in `temp.` tables
   * (they go with the connection); it writes nothing else through it.
   */
  workspace(): SqliteDatabase
  /** Appends one batch of rows of a domain, in one transaction with one prepared statement. */
  writeEvents(domain: Domain, rows: readonly EventRow[]): void
  /** Rows written so far per domain. */
  rowCounts(): Partial<Record<Domain, number>>
  /** Appends one batch of the MSD detection dataset (the MSD input tables are made on first use). */
  writeDetection(lots: readonly MsdDetectionLot[], rejects: readonly MsdDetectionReject[]): void
  /**
   * Makes the MSD lot map from the genealogy this file holds (write it first): each of `lots` with
   * itself and its ancestors (backward genealogy) or every container below it (forward). Done in
   * SQL over the stored parts, so the job need not keep the genealogy's maps once they are written.
   */
  writeLotMap(lots: readonly string[]): void
  /**
   * Makes an MSD output table with these columns (after `_seq`, which is its default order). The
   * analysis fills it through {@link analyze}; `finish` records its row count and columns.
   */
  createMsdTable(table: MsdTable, columns: readonly { key: string; numeric: boolean }[]): void
  /**
   * Runs one step of the MSD analysis on the file's own connection (SQL over the stored rows,
   * inside one transaction). A failure leaves the writer failed, as a failed write does.
   */
  analyze<T>(what: string, fn: (db: SqliteDatabase) => T): T
  /**
   * Indexes the paging and sort columns, writes the manifest, syncs the file and renames it to the
   * final path. Returns the file size in bytes.
   */
  finish(options: FinishResultOptions): number
  /** Closes and deletes the partial file. Safe to call more than once; does nothing after `finish`. */
  abort(): void
}

type WriterState = 'open' | 'failed' | 'finished' | 'aborted'

/** A part of a streamed lineage whose entries wait in `temp.lineage_fragments` for their join. */
interface PendingJoin {
  name: string
  open: '{' | '['
  count: number
}

class SqliteResultFileWriter implements ResultFileWriter {
  readonly partialPath: string
  private db: SqliteDatabase | null
  private state: WriterState = 'open'
  private failure: AppError | null = null
  private readonly domains: Domain[] = []
  private readonly counts = new Map<Domain, number>()
  private msdInputs = false
  /** Parts of the last streamed lineage not joined yet (see {@link joinLineageParts}). */
  private pendingJoins: PendingJoin[] = []
  private readonly msdTables = new Map<MsdTable, string[]>()
  /** Per domain: the one-row INSERT and the one of {@link EVENT_ROWS_PER_INSERT} rows. */
  private readonly inserts = new Map<Domain, { one: Database.Statement; many: Database.Statement }>()
  private readonly setManifest: Database.Statement
  private readonly setPart: Database.Statement

  constructor(
    readonly path: string,
    private readonly options: CreateResultFileOptions,
  ) {
    this.partialPath = `${path}${PARTIAL_SUFFIX}`
    const pageSize = 4096
    const maxPageCount = options.maxPageCount ?? (options.maxBytes === undefined ? undefined : Math.floor(options.maxBytes / pageSize))
    this.db = openConnection(this.partialPath, 'result-writer', maxPageCount === undefined ? {} : { maxPageCount })
    try {
      const db = this.db
      db.pragma(`page_size = ${pageSize}`)
      db.pragma(`application_id = ${RESULT_APPLICATION_ID}`)
      db.pragma(`user_version = ${RESULT_FORMAT_VERSION}`)
      db.exec(BASE_SCHEMA_SQL)
      this.setManifest = db.prepare('INSERT INTO manifest (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      this.setPart = db.prepare('INSERT INTO json_parts (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value')
      // The requested domains get their (possibly empty) table up front: a domain that found no
      // rows is then stored as "0 rows", not as missing.
      db.transaction(() => {
        for (const domain of options.request.domains) this.ensureDomain(domain)
        this.writeManifest({
          format_version: RESULT_FORMAT_VERSION,
          job_id: options.jobId,
          request: options.request,
          source: options.source,
          app_version: options.appVersion,
          created_at: options.now,
          as_of: options.now,
          completed_at: null,
          status: 'writing',
          domains: this.domains,
          row_counts: {},
          domain_quality: {},
          quality: null,
          warnings: [],
          sort_columns: {},
        })
      })()
    } catch (error) {
      this.abort()
      throw toStorageError(error, `Creating the result file of job ${options.jobId}`, this.partialPath, 'storage/write-failed')
    }
  }

  private writeManifest(values: Partial<ResultManifest>): void {
    for (const [key, value] of Object.entries(values) as [ManifestKey, unknown][]) this.setManifest.run(key, JSON.stringify(value))
  }

  private ensureDomain(domain: Domain): void {
    if (this.counts.has(domain)) return
    this.open().exec(eventTableSql(domain))
    const columns = eventColumnsOf(domain)
    const head = `INSERT INTO ${quoteIdentifier(eventTableOf(domain))} (_seq, ${columns.map(quoteIdentifier).join(', ')}) VALUES `
    const row = `(?${', ?'.repeat(columns.length)})`
    this.inserts.set(domain, {
      one: this.open().prepare(head + row),
      many: this.open().prepare(head + Array<string>(EVENT_ROWS_PER_INSERT).fill(row).join(', ')),
    })
    this.counts.set(domain, 0)
    this.domains.push(domain)
  }

  private open(): SqliteDatabase {
    if (this.state !== 'open' || !this.db) {
      if (this.failure) throw this.failure
      throw new AppError('internal/unexpected', `The result file ${this.partialPath} is ${this.state}; it takes no more writes.`)
    }
    return this.db
  }

  /**
   * Runs one write step. A failure (a full disk above all) leaves the writer failed: the caller's
   * only move is `abort`, and every later call repeats the same error.
   */
  private step<T>(what: string, fn: () => T): T {
    this.open()
    try {
      return fn()
    } catch (error) {
      const failure =
        error instanceof AppError && (error.code === 'input/invalid' || error.code === 'trace/analysis-failed')
          ? error
          : toStorageError(error, `${what} (result file of job ${this.options.jobId})`, this.partialPath, 'storage/write-failed')
      if (failure.code !== 'input/invalid') {
        this.state = 'failed'
        this.failure = failure
      }
      throw failure
    }
  }

  writeSeeds(result: SeedResult): void {
    this.step('Writing the seeds', () => {
      const db = this.open()
      const insert = db.prepare(
        'INSERT INTO seeds (_seq, container_id, container_name, lot_id, input_value, match_source) VALUES (?, ?, ?, ?, ?, ?)',
      )
      db.transaction(() => {
        db.exec('DELETE FROM seeds')
        result.seeds.forEach((s, i) =>
          insert.run(i + 1, s.container_id, s.container_name, s.lot_id, s.input_value ?? null, s.match_source ?? null),
        )
        this.setPart.run('seeds.seed_count', JSON.stringify(result.seed_count))
        this.setPart.run('seeds.not_found', JSON.stringify(result.not_found))
        this.setPart.run('seeds.expansion_info', JSON.stringify(result.expansion_info))
        this.setPart.run('seeds.input_count', JSON.stringify(result.input_count))
      })()
    })
  }

  writeLineage(lineage: LineageResult): void {
    const nodes = lineage.nodes
    this.writeLineageStream({
      nodes: (function* () {
        // The key is the node's CID (a node made before container_id was checked may differ).
        for (const [cid, node] of Object.entries(nodes)) yield { ...node, container_id: cid }
      })(),
      edges: lineage.edges,
      // Everything else is a small map or a scalar; one JSON part per key lets a reader rebuild
      // the LineageResult without knowing which direction's fields exist.
      parts: Object.entries(lineage)
        .filter(([key, value]) => key !== 'nodes' && key !== 'edges' && value !== undefined)
        .map(([key, value]) => [key, { json: JSON.stringify(value) }] as const),
    })
    this.joinLineageParts()
  }

  writeLineageStream(lineage: LineageStream): void {
    this.joinLineageParts()
    this.step('Writing the lineage', () => {
      const db = this.open()
      const insertNode = db.prepare(
        'INSERT INTO lineage_nodes (_seq, container_id, container_name, mfgorder_name, wafer_lot, node_type) VALUES (?, ?, ?, ?, ?, ?)',
      )
      const insertEdge = db.prepare('INSERT INTO lineage_edges (_seq, from_cid, to_cid, edge_type) VALUES (?, ?, ?, ?)')
      const joins: PendingJoin[] = []
      db.transaction(() => {
        db.exec(`DELETE FROM lineage_nodes; DELETE FROM lineage_edges; DELETE FROM json_parts WHERE name LIKE 'lineage.%';
          CREATE TEMP TABLE IF NOT EXISTS lineage_fragments (part TEXT NOT NULL, seq INTEGER NOT NULL, f TEXT NOT NULL, PRIMARY KEY (part, seq));
          DELETE FROM temp.lineage_fragments`)
        const addFragment = db.prepare('INSERT INTO temp.lineage_fragments (part, seq, f) VALUES (?, ?, ?)')
        // A part joined later takes its place among the parts now (readers list them by rowid), as
        // an empty object or list until its join fills it.
        const reserve = (join: PendingJoin): PendingJoin => {
          this.setPart.run(join.name, join.open === '{' ? '{}' : '[]')
          return join
        }
        // The containers' quantities ride beside the node table (a part, not a column, so files
        // of every version keep one node table); the reader puts them back on the nodes.
        let seq = 0
        let quantities = 0
        for (const node of lineage.nodes) {
          insertNode.run(++seq, node.container_id, node.container_name, node.mfgorder_name, node.wafer_lot, node.node_type)
          if (typeof node.qty !== 'number') continue
          const entry = `${JSON.stringify(node.container_id)}:${JSON.stringify(node.qty)}`
          addFragment.run(NODE_QTY_PART, ++quantities, quantities === 1 ? entry : `,${entry}`)
        }
        seq = 0
        for (const e of lineage.edges) insertEdge.run(++seq, e.from_cid, e.to_cid, e.edge_type)
        for (const [key, part] of lineage.parts) {
          const name = `lineage.${key}`
          if ('json' in part) {
            this.setPart.run(name, part.json)
            continue
          }
          let n = 0
          for (const fragment of part.fragments) addFragment.run(name, ++n, n === 1 ? fragment : `,${fragment}`)
          joins.push(reserve({ name, open: part.open, count: n }))
        }
        if (quantities > 0) joins.push(reserve({ name: NODE_QTY_PART, open: '{', count: quantities }))
      })()
      this.pendingJoins = joins
    })
  }

  joinLineageParts(): void {
    const joins = this.pendingJoins
    if (joins.length === 0) return
    this.step('Writing the lineage', () => {
      const db = this.open()
      const addFragment = db.prepare('INSERT INTO temp.lineage_fragments (part, seq, f) VALUES (?, ?, ?)')
      // A part is its fragments joined in `seq` order, each stored with its separator and the
      // brackets as the first and last: the join reads them in index order with neither a sort
      // nor a concatenation after it (measured on a 10.5 MB part: peak RSS +63 MB with
      // `open || group_concat(f, ',' ORDER BY seq) || close`, +35 MB this way).
      // The part's reserved row is replaced by a new one at its rowid (readers list the parts by
      // rowid): an upsert or an UPDATE copied the joined text once more (measured on a 12 MB part:
      // +50 MB against +38 MB this way; the largest parts grow with the plant).
      const placeOf = db.prepare('SELECT rowid FROM json_parts WHERE name = ?').pluck()
      const removePart = db.prepare('DELETE FROM json_parts WHERE name = ?')
      const joinFragments = db.prepare(
        'INSERT INTO json_parts (rowid, name, value) SELECT @place, @name, group_concat(f, \'\') FROM (SELECT f FROM temp.lineage_fragments WHERE part = @name ORDER BY seq)',
      )
      // SQLite holds a part about three times over while it joins it (the text it gathers, the
      // copy the statement hands on, the row). The page caches give their memory up meanwhile:
      // the join reads and writes each page once (at the seed cap, 13 MB parts: 4 MB less at
      // the join's peak, measured).
      db.pragma(`cache_size = -${JOIN_CACHE_KIB}`)
      db.pragma(`temp.cache_size = -${JOIN_CACHE_KIB}`)
      try {
        db.transaction(() => {
          for (const { name, open, count } of joins) {
            addFragment.run(name, 0, open)
            addFragment.run(name, count + 1, open === '{' ? '}' : ']')
            const place = (placeOf.get(name) as number | undefined) ?? null
            removePart.run(name)
            joinFragments.run({ place, name })
          }
          db.exec('DROP TABLE temp.lineage_fragments')
        })()
      } finally {
        db.pragma(`cache_size = -${RESULT_WRITER_CACHE_KIB}`)
        db.pragma(`temp.cache_size = -${RESULT_WRITER_CACHE_KIB}`)
      }
      this.pendingJoins = []
    })
  }

  workspace(): SqliteDatabase {
    return this.open()
  }

  writeEvents(domain: Domain, rows: readonly EventRow[]): void {
    if (!isDomain(domain)) throw invalidInput('domain', `unknown event domain ${JSON.stringify(domain)}`)
    this.step(`Writing ${domain} rows`, () => {
      const db = this.open()
      this.ensureDomain(domain)
      const insert = this.inserts.get(domain)!
      const columns = eventColumnsOf(domain)
      const width = columns.length + 1
      let seq = this.counts.get(domain) ?? 0
      // `_seq` is given, not left to SQLite: it stays exactly 1..n, so page k of the natural order
      // is the rowid range (k·limit, (k+1)·limit] — a seek, not a scan. Rows go in groups of
      // EVENT_ROWS_PER_INSERT per statement (a fifth less time per row than one by one), the rest singly.
      const many: (string | number | null)[] = new Array<string | number | null>(width * EVENT_ROWS_PER_INSERT)
      const one: (string | number | null)[] = new Array<string | number | null>(width)
      const fill = (values: (string | number | null)[], at: number, row: EventRow): void => {
        values[at] = ++seq
        for (let i = 0; i < columns.length; i++) values[at + i + 1] = row[columns[i]!] ?? null
      }
      db.transaction(() => {
        let r = 0
        for (; r + EVENT_ROWS_PER_INSERT <= rows.length; r += EVENT_ROWS_PER_INSERT) {
          for (let k = 0; k < EVENT_ROWS_PER_INSERT; k++) fill(many, k * width, rows[r + k]!)
          insert.many.run(many)
        }
        for (; r < rows.length; r++) {
          fill(one, 0, rows[r]!)
          insert.one.run(one)
        }
      })()
      this.counts.set(domain, seq)
    })
  }

  rowCounts(): Partial<Record<Domain, number>> {
    return Object.fromEntries(this.counts) as Partial<Record<Domain, number>>
  }

  private ensureMsdInputs(): void {
    if (this.msdInputs) return
    this.open().exec(MSD_INPUT_SCHEMA_SQL)
    this.msdInputs = true
  }

  writeDetection(lots: readonly MsdDetectionLot[], rejects: readonly MsdDetectionReject[]): void {
    this.step('Writing the detection records', () => {
      const db = this.open()
      this.ensureMsdInputs()
      const insertLot = db.prepare(
        'INSERT INTO msd_detection (cid, container_name, mfgorder_name, pj_type, productline_name, workflow, finishedruncard, spec_name, ' +
          'equipment_id, equipment_name, input_qty, trackin_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cid) DO NOTHING',
      )
      const insertReject = db.prepare(
        'INSERT INTO msd_detection_rejects (cid, reason, qty) VALUES (?, ?, ?) ON CONFLICT (cid, reason) DO UPDATE SET qty = qty + excluded.qty',
      )
      db.transaction(() => {
        for (const l of lots) {
          insertLot.run(
            l.cid, l.container_name, l.mfgorder_name, l.pj_type, l.productline_name, l.workflow, l.finishedruncard, l.spec_name,
            l.equipment_id, l.equipment_name, l.input_qty, l.trackin_time,
          )
        }
        for (const r of rejects) insertReject.run(r.cid, r.reason, r.qty)
      })()
    })
  }

  writeLotMap(lots: readonly string[]): void {
    this.joinLineageParts()
    this.step('Writing the lot map of the analysis', () => {
      const db = this.open()
      this.ensureMsdInputs()
      const direction = db.prepare("SELECT value ->> '$' FROM json_parts WHERE name = 'lineage.direction'").pluck().get() as string | undefined
      db.transaction(() => {
        db.exec('DROP TABLE IF EXISTS temp.msd_map_lot; CREATE TEMP TABLE msd_map_lot (cid TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID')
        const insert = db.prepare('INSERT OR IGNORE INTO temp.msd_map_lot (cid) VALUES (?)')
        for (const lot of lots) insert.run(lot)
        db.exec('INSERT OR IGNORE INTO msd_lot_cids (lot_cid, cid) SELECT cid, cid FROM temp.msd_map_lot')
        if (direction === 'backward') {
          db.exec(`
            INSERT OR IGNORE INTO msd_lot_cids (lot_cid, cid)
            SELECT l.cid, a.value
              FROM json_each((SELECT value FROM json_parts WHERE name = 'lineage.ancestors')) s
              JOIN temp.msd_map_lot l ON l.cid = s.key, json_each(s.value) a
             WHERE a.type = 'text'`)
        } else if (direction === 'forward') {
          // Every container below a lot, over the tree's links; UNION keeps each pair once, so a
          // cycle in the links ends.
          db.exec(`
            DROP TABLE IF EXISTS temp.msd_map_child;
            CREATE TEMP TABLE msd_map_child (parent TEXT NOT NULL, child TEXT NOT NULL, PRIMARY KEY (parent, child)) WITHOUT ROWID;
            INSERT OR IGNORE INTO temp.msd_map_child (parent, child)
            SELECT p.key, c.value
              FROM json_each((SELECT value FROM json_parts WHERE name = 'lineage.children_map')) p, json_each(p.value) c
             WHERE c.type = 'text';
            WITH RECURSIVE below (lot, cid) AS (
              SELECT cid, cid FROM temp.msd_map_lot
              UNION
              SELECT b.lot, m.child FROM below b JOIN temp.msd_map_child m ON m.parent = b.cid
            )
            INSERT OR IGNORE INTO msd_lot_cids (lot_cid, cid) SELECT lot, cid FROM below;
            DROP TABLE temp.msd_map_child`)
        }
        db.exec('DROP TABLE temp.msd_map_lot')
      })()
    })
  }

  createMsdTable(table: MsdTable, columns: readonly { key: string; numeric: boolean }[]): void {
    this.step(`Creating the ${table} table`, () => {
      this.open().exec(msdTableSql(table, columns))
      this.msdTables.set(
        table,
        columns.map((c) => c.key),
      )
    })
  }

  analyze<T>(what: string, fn: (db: SqliteDatabase) => T): T {
    this.joinLineageParts()
    return this.step(what, () => {
      const db = this.open()
      this.ensureMsdInputs()
      try {
        return db.transaction(() => fn(db))()
      } catch (error) {
        // A full disk or an I/O error is the file's failure; anything else is the analysis's.
        const storage = toStorageError(error, what, this.partialPath, 'storage/write-failed')
        if (storage.code !== 'storage/write-failed') throw storage
        throw error instanceof AppError
          ? error
          : new AppError('trace/analysis-failed', `${what} failed: ${error instanceof Error ? error.message : String(error)}`, {}, { cause: error })
      }
    })
  }

  finish(options: FinishResultOptions): number {
    this.joinLineageParts()
    const sortColumns: Partial<Record<Domain, string[]>> = {}
    const started = performance.now()
    let sortIndexMs = 0
    this.step('Finishing the result', () => {
      const db = this.open()
      db.transaction(() => {
        db.exec(LINEAGE_INDEX_SQL)
        for (const domain of this.domains) {
          const table = quoteIdentifier(eventTableOf(domain))
          const columns = sortColumnsOf(domain)
          for (const column of columns) {
            const q = quoteIdentifier(column)
            db.exec(sortIndexSql(domain, column))
            const sortTable = quoteIdentifier(sortTableOf(domain, column))
            db.exec(sortTableSql(domain, column))
            // Walks the index just built: no sort step, and `_seq` breaks ties as the reader expects.
            db.exec(`INSERT INTO ${sortTable} (seq) SELECT _seq FROM ${table} ORDER BY ${q}, _seq`)
          }
          sortColumns[domain] = columns
        }
        sortIndexMs = performance.now() - started
        if (options.aggregation !== undefined) this.setPart.run('aggregation', JSON.stringify(options.aggregation))
        const msdTables: NonNullable<ResultManifest['msd_tables']> = {}
        for (const [table, columns] of this.msdTables) {
          const { n } = db.prepare(`SELECT count(*) AS n FROM ${quoteIdentifier(msdTableOf(table))}`).get() as { n: number }
          msdTables[table] = { rows: n, columns }
        }
        this.writeManifest({
          completed_at: options.completedAt ?? Date.now(),
          status: 'finished',
          domains: this.domains,
          row_counts: this.rowCounts(),
          domain_quality: options.domainQuality,
          quality: options.quality,
          warnings: [...(options.warnings ?? [])],
          sort_columns: sortColumns,
          ...(this.msdTables.size > 0 ? { msd_tables: msdTables } : {}),
          ...(options.stationWindow !== undefined ? { station_window: options.stationWindow } : {}),
        })
      })()
      // Planner statistics for filtered reads; bounded work whatever the size.
      db.pragma('analysis_limit = 1000')
      db.exec('ANALYZE')
      if (options.stageMs) {
        // Last, so `finish` covers all it can; what follows (close, sync, rename) cannot be recorded in the file it closes.
        const now = performance.now()
        const stageMs: StageTimings = {
          ...options.stageMs.stages,
          sort_index: sortIndexMs,
          finish: now - started - sortIndexMs,
          total: now - options.stageMs.startedAt,
        }
        this.writeManifest({ stage_ms: roundStageTimings(stageMs) })
      }
      db.close()
      this.db = null
      // The file was written without syncs; make it durable before it becomes visible, so a power
      // cut after the rename cannot leave a damaged result at the final path.
      const fd = openSync(this.partialPath, 'r+')
      try {
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      renameSync(this.partialPath, this.path)
      syncDirectory(dirname(this.path))
    })
    this.state = 'finished'
    return statSync(this.path).size
  }

  abort(): void {
    if (this.state === 'finished' || this.state === 'aborted') return
    this.state = 'aborted'
    try {
      this.db?.close()
    } catch {
      // Closing after a failed write can fail again; the file is deleted either way.
    }
    this.db = null
    removePartial(this.partialPath)
  }
}

/** Makes a rename durable where the platform allows it (directories cannot be opened on Windows). */
function syncDirectory(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // Best effort: the rename itself is atomic; only its durability across a power cut is at stake.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

function removePartial(partialPath: string): string[] {
  const removed: string[] = []
  for (const suffix of PARTIAL_COMPANIONS) {
    const file = `${partialPath}${suffix}`
    if (existsSync(file)) {
      rmSync(file, { force: true })
      removed.push(basename(file))
    }
  }
  return removed
}

/**
 * Starts the result file of a job at `finalPath` (written as `<finalPath>.partial` until
 * `finish`). Refuses to replace an existing result; a stale partial file of the same job is
 * replaced.
 */
export function createResultFile(finalPath: string, options: CreateResultFileOptions): ResultFileWriter {
  assertJobId(options.jobId, 'jobId')
  if (existsSync(finalPath)) {
    throw new AppError('storage/write-failed', `A result file already exists at ${finalPath}; a job writes its result once.`, {
      path: finalPath,
    })
  }
  try {
    mkdirSync(dirname(finalPath), { recursive: true })
    removePartial(`${finalPath}${PARTIAL_SUFFIX}`)
  } catch (error) {
    throw toStorageError(error, `Preparing the result folder of job ${options.jobId}`, finalPath, 'storage/write-failed')
  }
  return new SqliteResultFileWriter(finalPath, options)
}

/**
 * SQLite companions a finished result file never has: it is written with an in-memory journal
 * and read read-only in rollback mode, so a `-wal`, `-shm` or `-journal` beside one was left by a
 * crash or came with a foreign file, and would otherwise be read with it.
 */
const STRAY_COMPANIONS = ['.sqlite-wal', '.sqlite-shm', '.sqlite-journal'] as const

/**
 * Start-up recovery: deletes every partial result file (an interrupted job's, or an import's copy
 * that never got its catalog row) with its SQLite companions, and every stray `-wal`, `-shm` or
 * `-journal` beside a result, in `resultsDir`. Returns the names removed. A missing folder has
 * nothing to recover.
 */
export function removeOrphanPartials(resultsDir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(resultsDir)
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return []
    throw toStorageError(error, `Listing the result folder ${resultsDir}`, resultsDir, 'storage/unreadable')
  }
  const removed: string[] = []
  for (const name of names) {
    const isPartial = PARTIAL_COMPANIONS.some((suffix) => name.endsWith(`${PARTIAL_SUFFIX}${suffix}`))
    if (!isPartial && !STRAY_COMPANIONS.some((suffix) => name.endsWith(suffix))) continue
    try {
      rmSync(join(resultsDir, name), { force: true })
      removed.push(name)
    } catch (error) {
      throw toStorageError(error, `Removing the partial result ${name}`, join(resultsDir, name), 'storage/write-failed')
    }
  }
  return removed.sort()
}
