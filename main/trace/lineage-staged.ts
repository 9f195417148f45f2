/**
 * The backward genealogy walk of a job, with its state kept out of the process: the same walk as
 * `resolveBackwardLineage` (levels, caps, fixpoint, wafer links, ancestors, roots), but container
 * snapshots, wafer lots, merge-record names and the genealogy's JSON entries live in temporary
 * tables of the result file's connection, and the graph is held as integer ids in typed arrays.
 * The genealogy goes to the file piece by piece ({@link LineageStream}), and the file is the one
 * `writeLineage` writes for `resolveBackwardLineage`'s result (tests/integration/trace/lineage-staged.test.ts).
 *
 * What stays in the process grows with the graph only as one string per container and a few
 * numbers per container and link. Seeds and genealogy of the 120 000-lot plant (114 698
 * containers): peak RSS 259–275 MB with the object walk, 183–185 MB with this one (docs/pushdown.md).
 *
 * Keys are SQLite text, so a CID holding a lone UTF-16 surrogate (which no PostgreSQL or Oracle
 * text can hold) would not round-trip; every other CID does.
 */
import { compareCodeUnits } from '../../shared/compare.js'
import { fnv1a } from '../../shared/statistics.js'
import type { EdgeType, LineageEdge, LineageNode } from '../../shared/trace.js'
import type { LineageJsonPart, LineageStream, SqliteDatabase } from '../store/index.js'
import { toLineageNode, walkAncestry } from './lineage-graph.js'
import { admitParents, firstNamesOf, limitsOf, relationsOf, Truncation, type LineageOptions } from './lineage.js'
import { LineageReader, throwIfCancelled, type ContainerSnapshot, type AheadKind, type AheadRecord, type LineageCache } from './lineage-reader.js'
import type { LineageOutline } from './pipeline.js'

/** A relation of a container to a parent, in `parent_map` order. */
export const SPLIT = 0
export const MERGE = 1
export const GD = 2
export const WAFER = 3

/** The JSON entries the walk keeps in its fragment table, one part each. */
const ANCESTORS = 0
const SEED_ROOTS = 1
const PARENT_MAP = 2
const MERGE_EDGES = 3
const SEED_SERIALS = 4
const NAMES = 5

/** Snapshots kept at hand between statements: about one chunk of a level and its wafer lots. */
const RECENT_SNAPSHOTS = 4096

/** CIDs looked up per statement by {@link WalkTables.unread}. */
const UNREAD_PAGE = 4096

/** JSON entries read back per statement while the file takes them. */
const FRAGMENT_PAGE = 2000

/** A growable list of numbers in a typed array. */
class NumberList<A extends Int32Array | Uint8Array> {
  private data: A
  length = 0
  constructor(private readonly make: (length: number) => A) {
    this.data = make(1024)
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = this.make(this.data.length * 2)
      grown.set(this.data)
      this.data = grown
    }
    this.data[this.length++] = value
  }
  get(index: number): number {
    return this.data[index]!
  }
  set(index: number, value: number): void {
    this.data[index] = value
  }
  /** The values so far, without copying (valid until the next push). */
  view(): A {
    return this.data.subarray(0, this.length) as A
  }
  /** The values, trimmed to their length (the list is emptied). */
  take(): A {
    const out = this.data.slice(0, this.length) as A
    this.data = this.make(0)
    this.length = 0
    return out
  }
}

/** A growable list of 32-bit integers. */
export class IntList extends NumberList<Int32Array> {
  constructor() {
    super((length) => new Int32Array(length))
  }
}

/** A growable list of bytes: relation kinds, flags. */
export class ByteList extends NumberList<Uint8Array> {
  constructor() {
    super((length) => new Uint8Array(length))
  }
}

/**
 * CIDs by number and back. The way back is an open-addressing table of numbers (4 bytes a slot, at
 * most half full) over the CIDs' own strings, probed by a hash of the CID's code units: a `Map`
 * from CID to number held about 40 bytes per CID and, while it grew, its old table beside the new
 * one (docs/pushdown.md, "Memory of a run").
 */
abstract class CidTable {
  protected slots: Int32Array
  private readonly basis = (0x811c9dc5 ^ Math.floor(Math.random() * 0x40000000)) | 0

  constructor(protected readonly list: readonly string[]) {
    let size = 1024
    while (size < list.length * 2) size *= 2
    this.slots = new Int32Array(size).fill(-1)
    for (let at = 0; at < list.length; at++) this.place(at)
  }

  /** The number of CIDs. */
  get size(): number {
    return this.list.length
  }

  /** The number of `cid`, or −1 when it is not one of the CIDs. */
  idOf(cid: string): number {
    const mask = this.slots.length - 1
    for (let slot = this.hashOf(cid) & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]!
      if (id < 0 || this.list[id] === cid) return id
    }
  }

  has(cid: string): boolean {
    return this.idOf(cid) >= 0
  }

  protected place(id: number): void {
    const mask = this.slots.length - 1
    let slot = this.hashOf(this.list[id]!) & mask
    while (this.slots[slot]! >= 0) slot = (slot + 1) & mask
    this.slots[slot] = id
  }

  /**
   * FNV-1a from a basis drawn per table: CIDs come from the source, and a set made to collide
   * under one basis does not under another.
   */
  private hashOf(text: string): number {
    return fnv1a(text, this.basis)
  }
}

/** The graph's nodes: node id → CID in the order nodes joined, and back. */
export class CidIndex extends CidTable {
  private readonly nodes: string[]

  constructor() {
    const nodes: string[] = []
    super(nodes)
    this.nodes = nodes
  }

  /** The CIDs by id. */
  get cids(): readonly string[] {
    return this.nodes
  }

  /** Adds `cid` (not a node yet) as the next id, and returns that id. */
  add(cid: string): number {
    const id = this.nodes.length
    this.nodes.push(cid)
    if (this.nodes.length * 2 <= this.slots.length) {
      this.place(id)
      return id
    }
    this.slots = new Int32Array(this.slots.length * 2).fill(-1)
    for (let each = 0; each <= id; each++) this.place(each)
    return id
  }

  /** Forgets the way back (the CIDs by id stay): lookups find nothing from here on. */
  clear(): void {
    this.slots = new Int32Array(1).fill(-1)
  }
}

/** Where each of a list of distinct CIDs is in it, without a copy of the list. */
export class CidLookup extends CidTable {}

/**
 * The CIDs without repeats, in the order first seen: `list` itself when it has none, as seeds
 * resolved from a source have (a set of them was a second copy of the list, and 6 MB passing at
 * the seed cap).
 */
export function distinctCids(list: readonly string[]): readonly string[] {
  const index = new CidIndex()
  for (const cid of list) if (!index.has(cid)) index.add(cid)
  return index.size === list.length ? list : index.cids
}

/** Links between node ids with their relation kind, in the order added. */
export class LinkList {
  readonly from = new IntList()
  readonly to = new IntList()
  readonly kind = new ByteList()
  add(from: number, to: number, kind: number): void {
    this.from.push(from)
    this.to.push(to)
    this.kind.push(kind)
  }
}

/** True for a key JavaScript orders before all others in an object: an array index. */
export function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295
}

const DROP_WALK_TABLES = `
  DROP TABLE IF EXISTS temp.lineage_walk_snapshot;
  DROP TABLE IF EXISTS temp.lineage_walk_wafer;
  DROP TABLE IF EXISTS temp.lineage_walk_name;
  DROP TABLE IF EXISTS temp.lineage_walk_ahead;
  DROP TABLE IF EXISTS temp.lineage_walk_fragment;`

/**
 * The temporary tables of one walk: the reader's caches and the genealogy's JSON entries. Dropped
 * by {@link WalkTables.drop}; they go with the connection anyway.
 */
export class WalkTables implements LineageCache {
  private readonly getSnapshot
  private readonly putSnapshot
  private readonly deleteSnapshot
  private readonly getWafer
  private readonly putWafer
  private readonly getName
  private readonly putName
  private readonly putFragment
  private readonly getAhead
  private readonly putAhead
  private readonly markAheadOf
  private readonly fragmentPage
  private readonly unreadOf
  /**
   * The snapshots read or written last: a chunk's containers are asked for several times (wafer
   * names, relations) right after they are read, and a statement each time costs more than the walk.
   */
  private readonly recent = new Map<string, ContainerSnapshot | null>()

  constructor(private readonly db: SqliteDatabase) {
    db.exec(`${DROP_WALK_TABLES}
      CREATE TEMP TABLE lineage_walk_snapshot (
        cid TEXT NOT NULL PRIMARY KEY, present INTEGER NOT NULL, name TEXT, mfg_order TEXT, object_type TEXT,
        first_name TEXT, split_from TEXT, original_cid TEXT, qty REAL
      ) WITHOUT ROWID;
      CREATE TEMP TABLE lineage_walk_wafer (name TEXT NOT NULL PRIMARY KEY, cid TEXT) WITHOUT ROWID;
      CREATE TEMP TABLE lineage_walk_name (cid TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;
      CREATE TEMP TABLE lineage_walk_ahead (cid TEXT NOT NULL PRIMARY KEY, m TEXT, d TEXT, s TEXT) WITHOUT ROWID;
      CREATE TEMP TABLE lineage_walk_fragment (part INTEGER NOT NULL, pos INTEGER NOT NULL, f TEXT NOT NULL, PRIMARY KEY (part, pos)) WITHOUT ROWID;`)
    this.getSnapshot = db.prepare(
      'SELECT present, name, mfg_order, object_type, first_name, split_from, original_cid, qty FROM temp.lineage_walk_snapshot WHERE cid = ?',
    ).raw()
    this.putSnapshot = db.prepare(
      'INSERT INTO temp.lineage_walk_snapshot (cid, present, name, mfg_order, object_type, first_name, split_from, original_cid, qty) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cid) DO UPDATE SET present = excluded.present, name = excluded.name, ' +
        'mfg_order = excluded.mfg_order, object_type = excluded.object_type, first_name = excluded.first_name, ' +
        'split_from = excluded.split_from, original_cid = excluded.original_cid, qty = excluded.qty',
    )
    this.deleteSnapshot = db.prepare('DELETE FROM temp.lineage_walk_snapshot WHERE cid = ?')
    this.getWafer = db.prepare('SELECT cid FROM temp.lineage_walk_wafer WHERE name = ?')
    this.putWafer = db.prepare('INSERT INTO temp.lineage_walk_wafer (name, cid) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET cid = excluded.cid')
    this.getName = db.prepare('SELECT name FROM temp.lineage_walk_name WHERE cid = ?').pluck()
    this.putName = db.prepare('INSERT INTO temp.lineage_walk_name (cid, name) VALUES (?, ?) ON CONFLICT (cid) DO UPDATE SET name = excluded.name')
    // One statement per kind of record: the column is written into the text, never a value.
    this.getAhead = { M: aheadColumn(db, 'SELECT m'), D: aheadColumn(db, 'SELECT d'), S: aheadColumn(db, 'SELECT s') }
    this.putAhead = {
      M: db.prepare('UPDATE temp.lineage_walk_ahead SET m = ? WHERE cid = ? AND m IS NOT NULL'),
      D: db.prepare('UPDATE temp.lineage_walk_ahead SET d = ? WHERE cid = ? AND d IS NOT NULL'),
      S: db.prepare('UPDATE temp.lineage_walk_ahead SET s = ? WHERE cid = ? AND s IS NOT NULL'),
    }
    this.markAheadOf = db.prepare(
      // A CID marked again (Oracle reads ahead per 1 000 seeds) keeps what the new mark leaves out.
      'INSERT INTO temp.lineage_walk_ahead (cid, m, d, s) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (cid) DO UPDATE SET m = coalesce(excluded.m, m), d = coalesce(excluded.d, d), s = coalesce(excluded.s, s)',
    )
    this.putFragment = db.prepare('INSERT INTO temp.lineage_walk_fragment (part, pos, f) VALUES (?, ?, ?)')
    this.unreadOf = db
      .prepare('SELECT j.value FROM json_each(?) j WHERE NOT EXISTS (SELECT 1 FROM temp.lineage_walk_snapshot s WHERE s.cid = j.value) ORDER BY j.key')
      .pluck()
    this.fragmentPage = db.prepare(`SELECT pos, f FROM temp.lineage_walk_fragment WHERE part = ? AND pos > ? ORDER BY pos LIMIT ${FRAGMENT_PAGE}`)
  }

  snapshot(cid: string): ContainerSnapshot | null | undefined {
    const known = this.recent.get(cid)
    if (known !== undefined) return known
    const snapshot = this.readSnapshot(cid)
    if (snapshot !== undefined) this.remember(cid, snapshot)
    return snapshot
  }
  private remember(cid: string, snapshot: ContainerSnapshot | null): void {
    if (this.recent.size >= RECENT_SNAPSHOTS) this.recent.clear()
    this.recent.set(cid, snapshot)
  }
  private readSnapshot(cid: string): ContainerSnapshot | null | undefined {
    // A row as an array: a statement per lookup is most of the walk's time, and keyed rows cost more.
    const row = this.getSnapshot.get(cid) as [number, string | null, string | null, string | null, string | null, string | null, string | null, number | null] | undefined
    if (row === undefined) return undefined
    const [present, name, mfgOrder, objectType, firstName, splitFrom, originalCid, qty] = row
    if (present === 0) return null
    return { cid, name, mfgOrder, objectType, firstName, splitFrom, originalCid, qty }
  }
  setSnapshot(s: ContainerSnapshot): void {
    this.putSnapshot.run(s.cid, 1, s.name, s.mfgOrder, s.objectType, s.firstName, s.splitFrom, s.originalCid, s.qty)
    this.remember(s.cid, s)
  }
  setMissing(cid: string): void {
    this.putSnapshot.run(cid, 0, null, null, null, null, null, null, null)
    this.remember(cid, null)
  }
  release(cid: string): void {
    this.deleteSnapshot.run(cid)
    this.recent.delete(cid)
  }
  unread(cids: readonly string[]): string[] {
    const out: string[] = []
    for (let at = 0; at < cids.length; at += UNREAD_PAGE) {
      for (const cid of this.unreadOf.iterate(JSON.stringify(cids.slice(at, at + UNREAD_PAGE)))) out.push(cid as string)
    }
    return out
  }
  wafer(name: string): string | null | undefined {
    const row = this.getWafer.get(name) as { cid: string | null } | undefined
    return row === undefined ? undefined : row.cid
  }
  setWafer(name: string, cid: string | null): void {
    this.putWafer.run(name, cid)
  }
  combinedName(cid: string): string | undefined {
    return (this.getName.get(cid) as string | undefined) ?? undefined
  }
  setCombinedName(cid: string, name: string): void {
    this.putName.run(cid, name)
  }

  ahead<K extends AheadKind>(cid: string, kind: K): readonly AheadRecord[K][] | undefined {
    const records = this.getAhead[kind].get(cid) as string | null | undefined
    return records === undefined || records === null ? undefined : (JSON.parse(records) as AheadRecord[K][])
  }
  markAhead(cid: string, kinds: string): void {
    const none = (kind: AheadKind): string | null => (kinds.includes(kind) ? '[]' : null)
    this.markAheadOf.run(cid, none('M'), none('D'), none('S'))
  }
  setAhead<K extends AheadKind>(cid: string, kind: K, records: readonly AheadRecord[K][]): void {
    this.putAhead[kind].run(JSON.stringify(records), cid)
  }

  /** Keeps one JSON entry of a part at `pos`, its place in the part. */
  fragment(part: number, pos: number, json: string): void {
    this.putFragment.run(part, pos, json)
  }

  /** A part's entries in order, read a page at a time (the file writes between pages). */
  *fragments(part: number): Generator<string> {
    for (let after = -1; ; ) {
      const page = this.fragmentPage.all(part, after) as { pos: number; f: string }[]
      for (const row of page) yield row.f
      if (page.length < FRAGMENT_PAGE) return
      after = page[page.length - 1]!.pos
    }
  }

  drop(): void {
    this.recent.clear()
    // A connection already closed (the job's file aborted) took its temporary tables with it.
    if (!this.db.open) return
    this.db.exec(DROP_WALK_TABLES)
  }
}

/** A statement reading one column of the read-ahead table by CID. */
function aheadColumn(db: SqliteDatabase, select: 'SELECT m' | 'SELECT d' | 'SELECT s') {
  return db.prepare(`${select} FROM temp.lineage_walk_ahead WHERE cid = ?`).pluck()
}

/** A genealogy left in the walk's tables, ready for the result file. */
export interface StagedLineage {
  /** What the job keeps of it. */
  outline: LineageOutline
  /** The genealogy for `ResultFileWriter.writeLineageStream`; read it before {@link dispose}. */
  stream: LineageStream
  /** The CIDs whose events the trace fetches, as `eventCids` gives them for the same genealogy. */
  eventCids(profile: string): string[]
  /** Drops the walk's tables. */
  dispose(): void
}

/**
 * Resolves the ancestors of the seeds as {@link resolveBackwardLineage} does, keeping the walk's
 * state in temporary tables of `db` (the result file's connection).
 *
 * @throws AppError as {@link resolveBackwardLineage}.
 */
export async function resolveBackwardLineageStaged(seedList: readonly string[], options: LineageOptions, db: SqliteDatabase): Promise<StagedLineage> {
  const { maxDepth, maxNodes } = limitsOf(options)
  const seeds = distinctCids(seedList)
  return stagedWalk(db, options.signal, (tables) => walk(seeds, options, maxDepth, maxNodes, tables))
}

/**
 * Runs a walk over new {@link WalkTables} of `db`, in one transaction over them (nothing else
 * writes the file meanwhile): each cached row would otherwise be a transaction of its own
 * (measured at 120 000 lots: 12.7 → 10.9 s). A walk that fails leaves no table behind.
 */
export async function stagedWalk(db: SqliteDatabase, signal: AbortSignal | undefined, run: (tables: WalkTables) => Promise<StagedLineage>): Promise<StagedLineage> {
  throwIfCancelled(signal)
  const tables = new WalkTables(db)
  db.exec('BEGIN')
  try {
    const staged = await run(tables)
    db.exec('COMMIT')
    return staged
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK')
    tables.drop()
    throw error
  }
}

/** The orders of a graph's nodes by their CIDs. */
export interface NodeOrders {
  /** Ids sorted by CID in code units. */
  byCode: Int32Array
  /** Id → its place in {@link byCode}: compares as the CIDs do. */
  rank: Int32Array
  /** Ids in the order an object keyed by their CIDs keeps its keys (array indexes first, by value). */
  keyOrder: Int32Array
  /** Id → its place in {@link keyOrder}. */
  position: Int32Array
}

export function nodeOrders(cids: readonly string[]): NodeOrders {
  const n = cids.length
  const byCode = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => compareCodeUnits(cids[a]!, cids[b]!))
  const rank = new Int32Array(n)
  byCode.forEach((id, i) => (rank[id] = i))
  const keyOrder = objectKeyOrder(cids, byCode)
  const position = new Int32Array(n)
  keyOrder.forEach((id, i) => (position[id] = i))
  return { byCode, rank, keyOrder, position }
}

/**
 * `ids` (sorted by CID, or in the order their keys were added) in the order an object keyed by their
 * CIDs keeps its keys. Filled in place: lists of the ids on the way were most of the garbage the
 * forward walk made at its peak (240 000 lots, docs/pushdown.md).
 */
export function objectKeyOrder(cids: readonly string[], ids: ArrayLike<number>): Int32Array {
  const order = new Int32Array(ids.length)
  let indexKeys = 0
  for (let i = 0; i < ids.length; i++) if (isArrayIndex(cids[ids[i]!]!)) order[indexKeys++] = ids[i]!
  order.subarray(0, indexKeys).sort((a, b) => Number(cids[a]) - Number(cids[b]))
  let next = indexKeys
  for (let i = 0; i < ids.length; i++) if (!isArrayIndex(cids[ids[i]!]!)) order[next++] = ids[i]!
  return order
}

/**
 * The graph's nodes in `keyOrder`, each named as the object walks name it; each name is kept as
 * the `names` part's entry on the way (part `namesPart` of `tables`).
 */
export function* nodeStream(
  keyOrder: Int32Array,
  cids: readonly string[],
  reader: LineageReader,
  isWaferNode: (id: number) => boolean,
  tables: WalkTables,
  namesPart: number,
): Generator<LineageNode> {
  for (const [pos, id] of keyOrder.entries()) {
    const cid = cids[id]!
    const snapshot = reader.snapshot(cid)
    // A lot without a container row keeps the name its merge record gives it.
    const name = reader.knownName(cid) ?? cid
    tables.fragment(namesPart, pos, `${JSON.stringify(cid)}:${JSON.stringify(name)}`)
    yield { ...toLineageNode(cid, snapshot, isWaferNode(id)), container_name: name }
  }
}

/** A part of the genealogy that is one small value. */
export function jsonPart(value: unknown): LineageJsonPart {
  return { json: JSON.stringify(value) }
}

/** A part of the genealogy that is an object of the entries kept as part `part` of `tables`. */
export function objectPart(tables: WalkTables, part: number): LineageJsonPart {
  return { open: '{', fragments: tables.fragments(part) }
}

/** A part of the genealogy that is a list of CIDs. */
export function listPart(cids: Iterable<string>): LineageJsonPart {
  return { open: '[', fragments: (function* () { for (const cid of cids) yield JSON.stringify(cid) })() }
}

/** The CIDs a query-tool trace fetches the events of: the seeds, then every node of the graph. */
export function everyNodeCid(seeds: readonly string[], keyOrder: Int32Array, cids: readonly string[]): string[] {
  const out = new Set<string>(seeds)
  for (const id of keyOrder) out.add(cids[id]!)
  return [...out]
}

/** Edges given as relation kinds, sorted by from, to, type (as their CIDs and names sort) without duplicates. */
export function* edgeStream(from: Int32Array, to: Int32Array, kind: Uint8Array, rank: Int32Array, cids: readonly string[]): Generator<LineageEdge> {
  const type = kind.map((k) => EDGE_TYPE_RANK[k as 0 | 1 | 2 | 3])
  const order = Int32Array.from({ length: from.length }, (_, i) => i).sort(
    (a, b) => rank[from[a]!]! - rank[from[b]!]! || rank[to[a]!]! - rank[to[b]!]! || type[a]! - type[b]!,
  )
  let last = -1
  for (const e of order) {
    if (last >= 0 && from[e] === from[last] && to[e] === to[last] && type[e] === type[last]) continue
    last = e
    yield { from_cid: cids[from[e]!]!, to_cid: cids[to[e]!]!, edge_type: EDGE_TYPES[type[e]!]! }
  }
}

async function walk(seeds: readonly string[], options: LineageOptions, maxDepth: number, maxNodes: number, tables: WalkTables): Promise<StagedLineage> {
  const reader = new LineageReader(options.source, options.signal, tables)
  const truncation = new Truncation()
  if (options.readAhead) await reader.readAhead(seeds, 'ancestry', maxDepth)
  // The graph: node id → CID, in the order nodes joined (seeds first), and back.
  const index = new CidIndex()
  for (const seed of seeds) index.add(seed)
  const cids = index.cids
  // Each node's relations to parents in the graph, in `parent_map` order: node i's are entries
  // relStart[i] … relStart[i + 1] − 1. Nodes are expanded in id order, each once.
  const relStart = new IntList()
  const relParent = new IntList()
  const relKind = new ByteList()

  const joins = { has: (cid: string) => index.has(cid), size: () => index.size, add: (cid: string) => void index.add(cid) }
  // A parent left out by a cap never joins later (the graph only grows, and a depth cut ends the
  // walk), so only relations to nodes of the graph are kept.
  const keep = (parent: string | null, kind: number): void => {
    const id = parent === null ? -1 : index.idOf(parent)
    if (id < 0) return
    relParent.push(id)
    relKind.push(kind)
  }
  const chunkSize = Math.max(1, options.source.dialect.maxInList)
  let levelStart = 0
  for (let level = 0; levelStart < cids.length; level++) {
    // A level is the nodes that joined during the one before: a range of ids, read in chunks.
    const levelEnd = cids.length
    for (let at = levelStart; at < levelEnd; at += chunkSize) {
      throwIfCancelled(options.signal)
      const frontier = cids.slice(at, Math.min(at + chunkSize, levelEnd))
      await reader.loadContainers(frontier)
      const merges = await reader.mergeSources(frontier)
      await reader.resolveWafers(firstNamesOf(frontier, reader))
      for (const cid of frontier) {
        const rel = relationsOf(cid, reader, merges)
        admitParents(cid, rel, level, { maxDepth, maxNodes }, joins, truncation)
        relStart.push(relParent.length)
        keep(rel.split, SPLIT)
        for (const source of rel.merges) keep(source, MERGE)
        keep(rel.gd, GD)
        keep(rel.wafer, WAFER)
      }
    }
    options.onProgress?.({ level, nodes: cids.length })
    levelStart = levelEnd
  }
  relStart.push(relParent.length)
  // From here on nodes are known by id only (seeds are ids 0 … seeds.length − 1).
  index.clear()
  options.onStepEnd?.()
  const n = cids.length
  const start = relStart.take()
  const parentOf = relParent.take()
  const kindOf = relKind.take()

  // Orders: by CID in code units (sorting, edges), and the order an object's keys take.
  const { byCode, rank, keyOrder: nodeOrder, position } = nodeOrders(cids)
  const seedIds = Int32Array.from({ length: seeds.length }, (_, i) => i)
  const seedOrder = objectKeyOrder(cids, seedIds)
  const seedPosition = new Int32Array(seeds.length)
  seedOrder.forEach((id, i) => (seedPosition[id] = i))

  // The serial numbers the seeds were merged into; read before naming, so a seed without a
  // container row is named by its merge record.
  for (let at = 0; at < seeds.length; at += chunkSize) {
    const chunk = seeds.slice(at, at + chunkSize)
    const serials = await reader.serials(chunk)
    chunk.forEach((seed, i) => {
      const list = serials.get(seed)
      if (list) tables.fragment(SEED_SERIALS, position[at + i]!, `${JSON.stringify(seed)}:${JSON.stringify(list)}`)
    })
  }
  throwIfCancelled(options.signal)

  // Ancestors and roots are walked over every relation; what is drawn leaves out the wafer links
  // the wafer already reaches another way (topmostWaferLinks in lineage.ts).
  const fullStart = new IntList()
  const fullParent = new IntList()
  const waferOf = new Int32Array(n).fill(-1)
  const isWaferNode = new Uint8Array(n)
  for (let child = 0; child < n; child++) {
    fullStart.push(fullParent.length)
    const first = fullParent.length
    for (let e = start[child]!; e < start[child + 1]!; e++) {
      const parent = parentOf[e]!
      if (kindOf[e] === WAFER) {
        waferOf[child] = parent
        isWaferNode[parent] = 1
      }
      let seen = false
      for (let k = first; k < fullParent.length && !seen; k++) seen = fullParent.get(k) === parent
      if (!seen) fullParent.push(parent)
    }
  }
  fullStart.push(fullParent.length)
  const fullFrom = fullStart.take()
  const fullList = fullParent.take()
  const keptWafer = topmostWaferLinks(n, start, parentOf, kindOf, waferOf, byCode)

  // parent_map, merge_edges and the edges.
  const edges = new LinkList()
  for (let child = 0; child < n; child++) {
    const parents: number[] = []
    const mergeSources: number[] = []
    for (let e = start[child]!; e < start[child + 1]!; e++) {
      const parent = parentOf[e]!
      const kind = kindOf[e]!
      if (kind === WAFER && !keptWafer[child]) continue
      // A wafer that is also the split parent, a merge source or the GD source stays a parent.
      if (!parents.includes(parent)) parents.push(parent)
      if (kind === MERGE) mergeSources.push(parent)
      edges.add(parent, child, kind)
    }
    const key = JSON.stringify(cids[child])
    if (parents.length > 0) tables.fragment(PARENT_MAP, position[child]!, `${key}:${JSON.stringify(parents.map((id) => cids[id]))}`)
    if (mergeSources.length > 0) tables.fragment(MERGE_EDGES, position[child]!, `${key}:${JSON.stringify(mergeSources.map((id) => cids[id]))}`)
  }

  // Each seed's ancestors and root.
  const nameOf = (id: number): string => reader.knownName(cids[id]!) ?? cids[id]!
  const parentsOf = (id: number): Int32Array => fullList.subarray(fullFrom[id]!, fullFrom[id + 1]!)
  const isAncestor = new Uint8Array(n)
  const inEvents = new Uint8Array(n)
  const msdEventIds: number[] = []
  for (const id of seedIds) {
    inEvents[id] = 1
    msdEventIds.push(id)
  }
  for (const seed of seedIds) {
    throwIfCancelled(options.signal)
    const { ancestors: found, rootName, depthCut } = walkAncestry(seed, parentsOf, maxDepth, nameOf, (a, b) => rank[a]! - rank[b]!)
    if (depthCut) truncation.add('depth_cap')
    const key = JSON.stringify(cids[seed])
    tables.fragment(ANCESTORS, seedPosition[seed]!, `${key}:${JSON.stringify(found.map((id) => cids[id]))}`)
    tables.fragment(SEED_ROOTS, seedPosition[seed]!, `${key}:${JSON.stringify(rootName)}`)
    for (const id of found) {
      isAncestor[id] = 1
      if (!inEvents[id]) {
        inEvents[id] = 1
        msdEventIds.push(id)
      }
    }
  }

  const from = edges.from.take()
  const to = edges.to.take()
  const kind = edges.kind.take()

  // Every seed, ancestor, edge end and wafer link counts, drawn or not.
  const counted = new Uint8Array(n)
  for (const id of seedIds) counted[id] = 1
  for (let id = 0; id < n; id++) {
    if (isAncestor[id]) counted[id] = 1
    if (waferOf[id]! >= 0) counted[id] = counted[waferOf[id]!] = 1
  }
  for (let e = 0; e < from.length; e++) counted[from[e]!] = counted[to[e]!] = 1
  const totalNodes = counted.reduce((sum, c) => sum + c, 0)
  let ancestorCount = 0
  for (let id = seeds.length; id < n; id++) ancestorCount += isAncestor[id]!

  const outline: LineageOutline = {
    direction: 'backward',
    total_nodes: totalNodes,
    truncated: truncation.isTruncated,
    truncation_reasons: truncation.list(),
  }
  const object = (part: number): LineageJsonPart => objectPart(tables, part)
  const stream: LineageStream = {
    // The file takes the nodes before the parts: each node's name is kept for `names` on the way.
    nodes: nodeStream(nodeOrder, cids, reader, (id) => isWaferNode[id] === 1, tables, NAMES),
    // Sorted by from, to, type (code units), without duplicates.
    edges: edgeStream(from, to, kind, rank, cids),
    parts: [
      ['direction', jsonPart('backward')],
      ['roots', listPart(seeds)],
      ['ancestors', object(ANCESTORS)],
      ['seed_roots', object(SEED_ROOTS)],
      ['parent_map', object(PARENT_MAP)],
      ['merge_edges', object(MERGE_EDGES)],
      ['seed_serials', object(SEED_SERIALS)],
      ['names', object(NAMES)],
      ['total_nodes', jsonPart(totalNodes)],
      ['total_ancestor_count', jsonPart(ancestorCount)],
      ['truncated', jsonPart(outline.truncated)],
      ['truncation_reasons', jsonPart(outline.truncation_reasons)],
    ],
  }
  return {
    outline,
    stream,
    eventCids: (profile) => {
      if (profile === 'mid_section_defect') return msdEventIds.map((id) => cids[id]!)
      return everyNodeCid(seeds, nodeOrder, cids)
    },
    dispose: () => tables.drop(),
  }
}

/** Edge types in code-unit order, so their index sorts as their name. */
export const EDGE_TYPES: readonly EdgeType[] = ['gd_rework_source', 'merge_source', 'split_from', 'wafer_origin']
/** Relation kind → index in {@link EDGE_TYPES}. */
const EDGE_TYPE_RANK = [2, 1, 0, 3] as const

/**
 * `topmostWaferLinks` (lineage.ts) over node ids: which containers keep their wafer-origin link.
 * The other links are each container's split, merge and GD relations; containers are ranked in
 * topological order of them (a cycle last, by CID), and per wafer a member keeps its link only
 * when the wafer does not reach it yet.
 *
 * @returns per node, 1 when its wafer link is kept
 */
export function topmostWaferLinks(
  n: number,
  start: Int32Array,
  parentOf: Int32Array,
  kindOf: Uint8Array,
  waferOf: Int32Array,
  byCode: Int32Array,
): Uint8Array {
  // The other links as parent → children lists, each in the order the object walk adds them.
  const count = new Int32Array(n + 1)
  const involved = new Uint8Array(n)
  const indegree = new Int32Array(n)
  for (let child = 0; child < n; child++) {
    for (let e = start[child]!; e < start[child + 1]!; e++) {
      if (kindOf[e] === WAFER) continue
      count[parentOf[e]! + 1]!++
      indegree[child]!++
      involved[child] = involved[parentOf[e]!] = 1
    }
    if (waferOf[child]! >= 0) involved[child] = involved[waferOf[child]!] = 1
  }
  for (let i = 0; i < n; i++) count[i + 1]! += count[i]!
  const children = new Int32Array(count[n]!)
  // `count` is each parent's next free place while the children are placed, and so the next
  // parent's start after; shifted by one, it is each parent's start (one array per node fewer).
  for (let child = 0; child < n; child++) {
    for (let e = start[child]!; e < start[child + 1]!; e++) if (kindOf[e] !== WAFER) children[count[parentOf[e]!]!++] = child
  }
  count.copyWithin(1, 0, n)
  count[0] = 0
  const childStart = count

  // Topological positions: parentless nodes by CID, then breadth-first; a cycle's nodes last, by CID.
  const position = new Int32Array(n).fill(-1)
  const queue = new Int32Array(n)
  let queued = 0
  for (const id of byCode) if (involved[id] && indegree[id] === 0) queue[queued++] = id
  let placed = 0
  for (let i = 0; i < queued; i++) {
    const id = queue[i]!
    position[id] = placed++
    for (let k = childStart[id]!; k < childStart[id + 1]!; k++) {
      const child = children[k]!
      if (--indegree[child]! === 0) queue[queued++] = child
    }
  }
  for (const id of byCode) if (involved[id] && position[id] === -1) position[id] = placed++

  // Members of each wafer, nearest the top first.
  const memberCount = new Int32Array(n + 1)
  for (let child = 0; child < n; child++) if (waferOf[child]! >= 0) memberCount[waferOf[child]! + 1]!++
  for (let i = 0; i < n; i++) memberCount[i + 1]! += memberCount[i]!
  const members = new Int32Array(memberCount[n]!)
  // The queue is free until it serves as the stack: each wafer's next free place meanwhile.
  const memberFill = queue
  memberFill.set(memberCount.subarray(0, n))
  for (let child = 0; child < n; child++) if (waferOf[child]! >= 0) members[memberFill[waferOf[child]!]!++] = child

  const kept = new Uint8Array(n)
  // The topological pass is done: its in-degrees and queue serve as the marks and the stack.
  const reached = indegree.fill(0)
  const stack = queue
  for (let wafer = 0; wafer < n; wafer++) {
    if (memberCount[wafer + 1] === memberCount[wafer]) continue
    const mark = wafer + 1
    const reachFrom = (from: number): void => {
      let top = 0
      stack[top++] = from
      while (top > 0) {
        const id = stack[--top]!
        for (let k = childStart[id]!; k < childStart[id + 1]!; k++) {
          const child = children[k]!
          if (reached[child] === mark) continue
          reached[child] = mark
          stack[top++] = child
        }
      }
    }
    reached[wafer] = mark
    reachFrom(wafer)
    const own = members.subarray(memberCount[wafer]!, memberCount[wafer + 1]!).sort((a, b) => position[a]! - position[b]!)
    for (const member of own) {
      if (reached[member] === mark) continue
      kept[member] = 1
      reached[member] = mark
      reachFrom(member)
    }
  }
  return kept
}
