/**
 * The batched reads of the genealogy walk. Every statement binds its values through
 * {@link SqlParams} and keeps IN lists within `dialect.maxInList`, so the same text runs on SQLite,
 * PostgreSQL and Oracle; the walk itself (levels, cycles, caps) lives in `lineage.ts`.
 */
import { AppError, isAppError, throwIfCancelled as throwIfCancelledBy } from '../../shared/errors.js'
import { chunk, SqlParams, type Dialect, type MesSource, type SourceRow, type SqlValue } from '../sources/index.js'

/** The container columns the genealogy needs, as read from `DW_MES_CONTAINER`. */
export interface ContainerSnapshot {
  readonly cid: string
  readonly name: string | null
  readonly mfgOrder: string | null
  readonly objectType: string | null
  readonly firstName: string | null
  readonly splitFrom: string | null
  readonly originalCid: string | null
  readonly qty: number | null
}

const CONTAINER_COLUMNS =
  'CONTAINERID, CONTAINERNAME, MFGORDERNAME, OBJECTTYPE, FIRSTNAME, SPLITFROMID, ORIGINALCONTAINERID, QTY'

/** The OBJECTTYPE of real lots; wafer origins resolve only to these. */
const LOT_OBJECT_TYPE = 'LOT'

/**
 * A column value trimmed, as a non-empty string, or null (ids may come back as numbers from some
 * drivers). The original reads every genealogy value this way (`NVL(TRIM(…))` in SQL, a stripped
 * string or nothing in code), so a blank-padded name or wafer lot still matches and a blank one
 * counts as missing; docs/fidelity.md.
 */
export function textValue(value: unknown): string | null {
  if (typeof value === 'string') {
    const trimmed = value.trim()
    return trimmed === '' ? null : trimmed
  }
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  return null
}

/** A quantity as a finite number, or null (drivers give numbers, bigints or numeric text). */
function qtyValue(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
  return Number.isFinite(n) ? n : null
}

function toSnapshot(row: SourceRow, shared: (text: string | null) => string | null): ContainerSnapshot | null {
  const cid = textValue(row.CONTAINERID)
  if (cid === null) return null
  return {
    cid,
    name: textValue(row.CONTAINERNAME),
    mfgOrder: shared(textValue(row.MFGORDERNAME)),
    objectType: shared(textValue(row.OBJECTTYPE)),
    firstName: shared(textValue(row.FIRSTNAME)),
    splitFrom: textValue(row.SPLITFROMID),
    originalCid: textValue(row.ORIGINALCONTAINERID),
    qty: qtyValue(row.QTY),
  }
}

/** Throws `trace/cancelled` when the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  throwIfCancelledBy(signal, 'Lineage resolution')
}

/**
 * What a {@link LineageReader} remembers between reads: container snapshots, wafer lot names and
 * the names merge records give. In memory by default ({@link MemoryLineageCache}); a walk whose
 * graph must not live in the process keeps it in SQLite instead (`lineage-staged.ts`).
 */
export interface LineageCache {
  /** The snapshot of a CID; `null` when it was read and does not exist, undefined when never read. */
  snapshot(cid: string): ContainerSnapshot | null | undefined
  setSnapshot(snapshot: ContainerSnapshot): void
  /** Records a CID that was looked up and does not exist. */
  setMissing(cid: string): void
  /** Forgets a snapshot (its merge-record name stays). */
  release(cid: string): void
  /** The LOT container of a wafer lot name; `null`: none, undefined: never looked up. */
  wafer(name: string): string | null | undefined
  setWafer(name: string, cid: string | null): void
  /** The name a merge record gives a CID (the smallest, when several do). */
  combinedName(cid: string): string | undefined
  setCombinedName(cid: string, name: string): void
  /**
   * Those of `cids` whose snapshot was never read, in their order: one statement instead of a
   * lookup each, for a cache whose lookups are statements. Without it, {@link snapshot} is asked.
   */
  unread?(cids: readonly string[]): string[]
  /**
   * What a read-ahead ({@link LineageReader.readAhead}) answered for a CID besides its snapshot:
   * its merge records ('M'), split children ('D') or serial records ('S'); undefined when it was not
   * read ahead for that. A cache without these is not read ahead into.
   */
  ahead?<K extends AheadKind>(cid: string, kind: K): readonly AheadRecord[K][] | undefined
  /** Records that the read-ahead answers each of `kinds` (say `'MDS'`) for the CID: none of each yet. */
  markAhead?(cid: string, kinds: string): void
  /** The records of `kind` of a CID marked for it. */
  setAhead?<K extends AheadKind>(cid: string, kind: K, records: readonly AheadRecord[K][]): void
}

/** What a read-ahead answers for a container besides its snapshot. */
export type AheadKind = 'M' | 'D' | 'S'

/** The records of each {@link AheadKind}: a merge record, a split child's CID, a serial record. */
export interface AheadRecord {
  M: MergeRecord
  D: string
  S: SerialRecord
}

/** A serial record of a container: the lot name it gives the container and the serial number (trimmed, or null). */
export type SerialRecord = readonly [name: string | null, serial: string | null]

/** A merge record of a target as the walk takes it: the source CID and the lot name the record gives it. */
export type MergeRecord = readonly [source: string | null, name: string | null]

/**
 * What a read-ahead follows on the server: `ancestry`, every relation of a backward walk (split
 * parent, merge sources, GD rework source, wafer origin); `family`, a forward walk's (the split
 * parents up to the tops, the split children down from them, their merge sources, and the wafer
 * lots and GD rework sources of those).
 */
export type ReadAheadScope = 'ancestry' | 'family'

/** The reader's caches as maps. Memory is one snapshot per container touched. */
export class MemoryLineageCache implements LineageCache {
  /** CID → snapshot; `null` records a CID that was looked up and does not exist. */
  private readonly snapshots = new Map<string, ContainerSnapshot | null>()
  /** Wafer lot name → CID of the LOT container with that name (`null`: none). */
  private readonly waferByName = new Map<string, string | null>()
  /** CID → the lot name a merge record gives it (`COMBINEDASSYLOTS.CONTAINERNAME`). */
  private readonly combinedNames = new Map<string, string>()

  snapshot(cid: string): ContainerSnapshot | null | undefined {
    return this.snapshots.get(cid)
  }
  setSnapshot(snapshot: ContainerSnapshot): void {
    this.snapshots.set(snapshot.cid, snapshot)
  }
  setMissing(cid: string): void {
    this.snapshots.set(cid, null)
  }
  release(cid: string): void {
    this.snapshots.delete(cid)
  }
  wafer(name: string): string | null | undefined {
    return this.waferByName.get(name)
  }
  setWafer(name: string, cid: string | null): void {
    this.waferByName.set(name, cid)
  }
  combinedName(cid: string): string | undefined {
    return this.combinedNames.get(cid)
  }
  setCombinedName(cid: string, name: string): void {
    this.combinedNames.set(cid, name)
  }
}

/**
 * Reads containers, merges and serials for the walk and caches container snapshots, so each
 * container is read at most once per resolution.
 */
export class LineageReader {
  /**
   * One string per distinct work order, object type and wafer lot: thousands of containers repeat
   * each, and every row read would otherwise hold its own copy.
   */
  private readonly sharedTexts = new Map<string, string>()

  constructor(
    private readonly source: MesSource,
    private readonly signal: AbortSignal | undefined,
    private readonly cache: LineageCache = new MemoryLineageCache(),
  ) {}

  /** The cached snapshot of a CID (undefined when never read or missing). */
  snapshot(cid: string): ContainerSnapshot | undefined {
    return this.cache.snapshot(cid) ?? undefined
  }

  /**
   * The name to show for a CID: its container's name, else the name a merge record gave it, else
   * undefined (the caller falls back to the CID), as the original's "snapshot name → known name → CID".
   */
  knownName(cid: string): string | undefined {
    return this.cache.snapshot(cid)?.name ?? this.cache.combinedName(cid)
  }

  /**
   * Drops the cached snapshot of a CID (its name from a merge record stays): for a walk that has
   * finished with it. Reading it again would read the source again.
   */
  release(cid: string): void {
    this.cache.release(cid)
  }

  /** True when the CID was already read (whether or not it exists). */
  isLoaded(cid: string): boolean {
    return this.cache.snapshot(cid) !== undefined
  }

  /** Those of `cids` not read yet, in their order. */
  unread(cids: readonly string[]): string[] {
    return this.cache.unread ? this.cache.unread(cids) : cids.filter((cid) => !this.isLoaded(cid))
  }

  /** Reads the snapshots of the given CIDs that are not cached yet. */
  async loadContainers(cids: Iterable<string>): Promise<void> {
    const missing = this.unread(unique(cids))
    const found = new Set<string>()
    await this.forEachBatch(missing, 'CONTAINERID', CONTAINER_COLUMNS, 'DW_MES_CONTAINER', '', [], (row) => {
      const snapshot = this.remember(row)
      if (snapshot) found.add(snapshot.cid)
    })
    // Whatever did not come back does not exist; remember that so it is not asked again.
    for (const cid of missing) if (!found.has(cid) && !this.isLoaded(cid)) this.cache.setMissing(cid)
  }

  /** Split children of each parent (`SPLITFROMID IN parents`), self-references excluded. */
  async splitChildren(parents: readonly string[]): Promise<Map<string, string[]>> {
    const children = new Map<string, Set<string>>()
    // Parents read ahead (a forward walk's family) are answered from their children, read as below.
    const toRead: string[] = []
    for (const parent of unique(parents)) {
      const known = this.cache.ahead?.(parent, 'D')
      if (known === undefined) toRead.push(parent)
      else for (const child of known) addTo(children, parent, child)
    }
    await this.forEachBatch(toRead, 'SPLITFROMID', CONTAINER_COLUMNS, 'DW_MES_CONTAINER', '', [], (row) => {
      const snapshot = this.remember(row)
      const parent = snapshot?.splitFrom
      if (!snapshot || !parent || parent === snapshot.cid) return
      addTo(children, parent, snapshot.cid)
    })
    return toSortedLists(children)
  }

  /** Merge sources of each target (`COMBINEDASSYLOTS.LOTID IN targets`): sorted, unique, self excluded. */
  async mergeSources(targets: readonly string[]): Promise<Map<string, string[]>> {
    const sources = new Map<string, Set<string>>()
    const take = (target: string | null, from: string | null, name: string | null): void => {
      if (target === null || from === null || target === from) return
      if (name !== null) this.rememberCombinedName(from, name)
      addTo(sources, target, from)
    }
    // Targets read ahead are answered from their records, in the same way: the sources are sorted
    // and the smallest name wins, so the order records come in does not matter.
    const toRead: string[] = []
    for (const target of unique(targets)) {
      const records = this.cache.ahead?.(target, 'M')
      if (records === undefined) toRead.push(target)
      else for (const [from, name] of records) take(target, from, name)
    }
    await this.forEachBatch(toRead, 'LOTID', 'CONTAINERID, CONTAINERNAME, LOTID', 'DW_MES_PJ_COMBINEDASSYLOTS', '', [], (row) =>
      take(textValue(row.LOTID), textValue(row.CONTAINERID), textValue(row.CONTAINERNAME)),
    )
    return toSortedLists(sources)
  }

  /**
   * Follows the seeds' relations on the server in one recursive statement ({@link readAheadSql}),
   * up to `maxDepth` levels each way the scope goes, and keeps what the walk's per-level reads would
   * read for every container reached: its snapshot (or that it does not exist), its merge records,
   * the LOT containers of its wafer lot name, and the seeds' (backward) or the family's (forward)
   * serial records and split children. The walk then reads from the cache and asks the source only
   * for what the statement did not answer exactly: a CID or name the server trims otherwise than
   * the walk (`TRIM` takes spaces only), a GD rule the server's upper-casing reads otherwise, a
   * container beyond the statement's reach. The walk, its caps and its rules are unchanged, so the
   * genealogy is the one the per-level reads give (tests/integration/trace/lineage-staged.test.ts).
   * A cache that cannot keep merge records is not read ahead into.
   */
  async readAhead(seeds: readonly string[], scope: ReadAheadScope, maxDepth: number): Promise<void> {
    const { cache } = this
    if (seeds.length === 0 || !cache.ahead || !cache.markAhead || !cache.setAhead) return
    const { dialect } = this.source
    // Oracle binds a seed list as an IN list (a long text bind needs a LOB there); the others take
    // every seed in one JSON text, so the containers the seeds share are read once.
    for (const part of dialect.jsonValues(dialect.placeholder(0)) === null ? chunk(seeds, dialect.maxInList) : [seeds]) {
      throwIfCancelled(this.signal)
      const { sql, params } = readAheadSql(dialect, scope, part, maxDepth)
      const group = new ReadAheadGroup(this)
      await this.run(sql, params, (row) => group.take(row))
      group.end()
    }
  }

  /**
   * @internal A read-ahead row of a container ('C'), kept as a read by CID keeps it; `AHEAD` says
   * which of its records follow (its merge records, split children, serial records), so that a
   * container without any has none.
   */
  takeAheadContainer(key: string, row: SourceRow): void {
    if (!isCanonical(key)) return
    if (typeof row.AHEAD === 'string' && row.AHEAD !== '') this.cache.markAhead?.(key, row.AHEAD)
    const cid = row.CONTAINERID
    if (cid === null || cid === undefined) this.cache.setMissing(key)
    else if (cid === key) this.remember(row)
  }

  /**
   * @internal The rows of one key and kind, all of them: a container's split children ('D': the
   * child's CID and split parent), merge records ('M') or serial records ('S'); a wafer lot name's
   * LOT containers ('W', one row without a container when there is none). A key whose rows hold a
   * CID the walk would read otherwise is left to the walk.
   */
  takeAheadGroup(kind: string, key: string, rows: readonly SourceRow[]): void {
    if (!isCanonical(key)) return
    const cache = this.cache
    if (kind === 'M') {
      cache.setAhead?.(key, 'M', rows.map((row) => [textValue(row.CONTAINERID), textValue(row.CONTAINERNAME)] as const))
      return
    }
    if (kind === 'S') {
      cache.setAhead?.(key, 'S', rows.map((row) => [textValue(row.CONTAINERNAME), textValue(row.FIRSTNAME)] as const))
      return
    }
    const found = rows.filter((row) => row.CONTAINERID !== null && row.CONTAINERID !== undefined)
    if (!found.every((row) => typeof row.CONTAINERID === 'string' && isCanonical(row.CONTAINERID))) return
    if (kind === 'D') {
      // As splitChildren reads them (the children's snapshots came as 'C' rows): a child that
      // names itself its parent is none.
      const children = found.map((row) => row.CONTAINERID as string).filter((child) => child !== key)
      cache.setAhead?.(key, 'D', children)
    } else if (kind === 'W' && cache.wafer(key) === undefined && found.every((row) => row.CONTAINERNAME === key)) {
      // As resolveWafers reads them: the smallest CID of the name's LOT containers.
      let wafer: string | null = null
      for (const row of found) {
        const snapshot = this.remember(row)
        if (snapshot && (wafer === null || snapshot.cid < wafer)) wafer = snapshot.cid
      }
      cache.setWafer(key, wafer)
    }
  }

  /** Serial numbers (FINISHEDNAME) each container was merged into: sorted, unique, nulls skipped. */
  async serials(cids: readonly string[]): Promise<Map<string, string[]>> {
    const serials = new Map<string, Set<string>>()
    const take = (cid: string | null, name: string | null, serial: string | null): void => {
      if (cid === null) return
      if (name !== null) this.rememberCombinedName(cid, name)
      if (serial !== null) addTo(serials, cid, serial)
    }
    // Containers read ahead are answered from their records, read as below.
    const toRead: string[] = []
    for (const cid of unique(cids)) {
      const records = this.cache.ahead?.(cid, 'S')
      if (records === undefined) toRead.push(cid)
      else for (const [name, serial] of records) take(cid, name, serial)
    }
    await this.forEachBatch(
      toRead,
      'CONTAINERID',
      'CONTAINERID, CONTAINERNAME, FINISHEDNAME',
      'DW_MES_PJ_COMBINEDASSYLOTS',
      ' AND FINISHEDNAME IS NOT NULL',
      [],
      (row) => take(textValue(row.CONTAINERID), textValue(row.CONTAINERNAME), textValue(row.FINISHEDNAME)),
    )
    return toSortedLists(serials)
  }

  /**
   * Resolves wafer lot names (FIRSTNAME values) to the LOT containers of that name and caches their
   * snapshots, so a wafer found here costs no second read when it joins the graph.
   */
  async resolveWafers(names: Iterable<string>): Promise<void> {
    const missing = unique(names).filter((name) => this.cache.wafer(name) === undefined)
    await this.forEachBatch(
      missing,
      'CONTAINERNAME',
      CONTAINER_COLUMNS,
      'DW_MES_CONTAINER',
      ' AND OBJECTTYPE = ',
      [LOT_OBJECT_TYPE],
      (row) => {
        const snapshot = this.remember(row)
        if (!snapshot?.name) return
        // Names are unique in the plant; should a source still hold duplicates, the smallest CID
        // wins so the result does not depend on row order.
        const known = this.cache.wafer(snapshot.name)
        if (known === undefined || known === null || snapshot.cid < known) this.cache.setWafer(snapshot.name, snapshot.cid)
      },
    )
    for (const name of missing) if (this.cache.wafer(name) === undefined) this.cache.setWafer(name, null)
  }

  /** The wafer-origin CID of a container (its FIRSTNAME's LOT container), when it is another container. */
  waferOf(snapshot: ContainerSnapshot): string | null {
    if (snapshot.firstName === null) return null
    const wafer = this.cache.wafer(snapshot.firstName) ?? null
    return wafer === snapshot.cid ? null : wafer
  }

  private rememberCombinedName(cid: string, value: unknown): void {
    const name = textValue(value)
    if (name === null) return
    // Several merge records may spell the name; the smallest wins so row order does not matter.
    const known = this.cache.combinedName(cid)
    if (known === undefined || name < known) this.cache.setCombinedName(cid, name)
  }

  private readonly shared = (text: string | null): string | null => {
    if (text === null) return null
    const known = this.sharedTexts.get(text)
    if (known !== undefined) return known
    this.sharedTexts.set(text, text)
    return text
  }

  private remember(row: SourceRow): ContainerSnapshot | null {
    const snapshot = toSnapshot(row, this.shared)
    if (snapshot) this.cache.setSnapshot(snapshot)
    return snapshot
  }

  /**
   * Runs `SELECT columns FROM table WHERE keyColumn IN (…)<tail>` once per batch of keys. `tail`
   * is fixed SQL text ending where `tailValues` are bound, in order, after the IN list.
   */
  private async forEachBatch(
    keys: readonly string[],
    keyColumn: string,
    columns: string,
    table: string,
    tail: string,
    tailValues: readonly SqlValue[],
    onRow: (row: SourceRow) => void,
  ): Promise<void> {
    if (keys.length === 0) return
    const { dialect } = this.source
    for (const batch of chunk(keys, dialect.maxInList)) {
      throwIfCancelled(this.signal)
      const params = new SqlParams(dialect)
      const inList = params.list(batch)
      const tailSql = tailValues.length === 0 ? tail : tail + tailValues.map((v) => params.add(v)).join(', ')
      const sql = `SELECT ${columns} FROM ${dialect.table(table)} WHERE ${keyColumn} IN (${inList})${tailSql}`
      await this.run(sql, params.values, onRow)
    }
  }

  private async run(sql: string, params: readonly SqlValue[], onRow: (row: SourceRow) => void): Promise<void> {
    try {
      const options = this.signal ? { signal: this.signal } : {}
      for await (const rows of this.source.stream(sql, params, options)) {
        for (const row of rows) onRow(row)
        throwIfCancelled(this.signal)
      }
    } catch (error) {
      // An abort surfaces from the driver in driver-specific shapes; the signal is the truth.
      if (this.signal?.aborted || isAppError(error, 'trace/cancelled')) {
        throw new AppError('trace/cancelled', 'Lineage resolution was cancelled', undefined, { cause: error })
      }
      const cause = error instanceof Error || isAppError(error) ? error.message : String(error)
      // A source error keeps its source/* code, so the person is sent to check the source.
      if (isAppError(error) && error.code.startsWith('source/')) {
        throw new AppError(error.code, `Lineage query failed: ${cause}`, { ...error.details, cause_code: error.code }, { cause: error })
      }
      const details = isAppError(error) ? { cause_code: error.code } : undefined
      throw new AppError('trace/lineage-failed', `Lineage query failed: ${cause}`, details, { cause: error })
    }
  }
}

/** True for a string the walk could ask for as it is: trimmed as {@link textValue} trims, not empty. */
function isCanonical(value: string): boolean {
  return textValue(value) === value
}

/**
 * Gathers a read-ahead's rows, which come ordered by kind and key, into the rows of one key at a
 * time, and hands each group to the reader ('C' rows one by one).
 */
class ReadAheadGroup {
  private kind: string | null = null
  private key: string | null = null
  private rows: SourceRow[] = []
  constructor(private readonly reader: LineageReader) {}

  take(row: SourceRow): void {
    const kind = typeof row.KIND === 'string' ? row.KIND.trim() : null
    if (kind === 'C') {
      // A found container's key is its CID.
      const key = typeof row.KEYID === 'string' ? row.KEYID : row.CONTAINERID
      if (typeof key === 'string') this.reader.takeAheadContainer(key, row)
      return
    }
    const key = typeof row.KEYID === 'string' ? row.KEYID : null
    if (kind === null || key === null) return
    if (kind !== this.kind || key !== this.key) {
      this.end()
      this.kind = kind
      this.key = key
    }
    this.rows.push(row)
  }

  end(): void {
    if (this.kind !== null && this.key !== null) this.reader.takeAheadGroup(this.kind, this.key, this.rows)
    this.kind = null
    this.key = null
    this.rows = []
  }
}

/** A value trimmed of spaces (what every dialect's `TRIM` does), empty as null. */
function trimmed(column: string): string {
  return `NULLIF(TRIM(${column}), '')`
}

/**
 * The read-ahead statement. Recursive queries on the server (PostgreSQL and SQLite: `WITH
 * RECURSIVE` with `UNION`, so a container met again at the same depth is not walked again;
 * Oracle: recursive subquery factoring with `UNION ALL` and a `CYCLE` clause) find the containers
 * within `maxDepth` levels of the seeds through the scope's relations; a relation to itself is not
 * followed and the depth cap ends any cycle. Then one result, ordered by kind and key: per
 * container a 'C' row (its columns, or none when it does not exist; `AHEAD` says which of its
 * records are read: so "none" is an answer too); per container its merge records ('M');
 * backward per seed, forward per family member, its serial records ('S'); forward per family
 * member its split children ('D', the child's CID and split parent: the children's columns are
 * their own 'C' rows); per wafer lot name its LOT containers ('W'). The columns are a container's,
 * with the kind, key and `AHEAD` in front; a serial record keeps its serial in `FIRSTNAME`.
 */
export function readAheadSql(dialect: Dialect, scope: ReadAheadScope, seeds: readonly string[], maxDepth: number): { sql: string; params: SqlValue[] } {
  const params = new SqlParams(dialect)
  const container = dialect.table('DW_MES_CONTAINER')
  const combined = dialect.table('DW_MES_PJ_COMBINEDASSYLOTS')
  const lot = `'${LOT_OBJECT_TYPE}'`
  const gdOf = (alias: string): string => `(UPPER(${trimmed(`${alias}.MFGORDERNAME`)}) LIKE 'GD%' OR UPPER(${trimmed(`${alias}.CONTAINERNAME`)}) LIKE 'GD%')`
  const gd = gdOf('c')
  const split = trimmed('c.SPLITFROMID')
  const ctes: string[] = []
  const json = params.jsonList(seeds)
  ctes.push(`SEED (CID) AS (${json ?? `SELECT s.CONTAINERID FROM ${container} s WHERE s.CONTAINERID IN (${params.list(seeds)})`})`)
  const depth = (): string => params.add(maxDepth)
  const selects: string[] = []
  const columns = 'CONTAINERID, CONTAINERNAME, MFGORDERNAME, OBJECTTYPE, FIRSTNAME, SPLITFROMID, ORIGINALCONTAINERID, QTY'
  const of = (alias: string): string => columns.split(', ').map((c) => `${alias}.${c}`).join(', ')
  const serials = (keys: string): string =>
    `SELECT 'S', k.CID, NULL, m.CONTAINERID, m.CONTAINERNAME, NULL, NULL, m.FINISHEDNAME, NULL, NULL, NULL FROM ${keys} k ` +
    `JOIN ${combined} m ON m.CONTAINERID = k.CID AND m.FINISHEDNAME IS NOT NULL`
  const merges = (keys: string): string =>
    `SELECT 'M', k.CID, NULL, m.CONTAINERID, m.CONTAINERNAME, NULL, NULL, NULL, NULL, NULL, NULL FROM ${keys} k JOIN ${combined} m ON m.LOTID = k.CID`
  // The containers' own rows, read once for their 'C' rows, their wafer lot names and GD sources.
  const rowsOf = (name: string, keys: string): string =>
    `${name} (KEYID, ${columns}) AS (SELECT k.CID, ${of('c')} FROM ${keys} k LEFT JOIN ${container} c ON c.CONTAINERID = k.CID WHERE k.CID IS NOT NULL)`
  // A found container's key is its CONTAINERID: only a missing one's is sent.
  const containerRows = (rows: string, ahead: string, join: string): string =>
    `SELECT 'C' AS KIND, CASE WHEN r.CONTAINERID IS NULL THEN r.KEYID END AS KEYID, ${ahead} AS AHEAD, ${of('r')} FROM ${rows} r ${join}`
  const wafers = (rows: string): string =>
    `SELECT 'W', f.NAME, NULL, ${of('l')} FROM (SELECT DISTINCT ${trimmed('r.FIRSTNAME')} AS NAME FROM ${rows} r) f ` +
    `LEFT JOIN ${container} l ON l.CONTAINERNAME = f.NAME AND l.OBJECTTYPE = ${lot} WHERE f.NAME IS NOT NULL`
  if (scope === 'ancestry') {
    // Each relation: the child's column, the parent's value, the tables and what else must hold.
    const relations: { child: string; parent: string; from: string; filter?: string }[] = [
      { child: 'c.CONTAINERID', parent: split, from: `${container} c` },
      { child: 'm.LOTID', parent: trimmed('m.CONTAINERID'), from: `${combined} m` },
      { child: 'c.CONTAINERID', parent: trimmed('c.ORIGINALCONTAINERID'), from: `${container} c`, filter: gd },
      { child: 'c.CONTAINERID', parent: 'l.CONTAINERID', from: `${container} c JOIN ${container} l ON l.CONTAINERNAME = ${trimmed('c.FIRSTNAME')} AND l.OBJECTTYPE = ${lot}` },
    ]
    const also = (filter: string | undefined): string => (filter ? ` AND ${filter}` : '')
    let step: string
    if (dialect.name === 'oracle') {
      // One recursive member, joined to the relations as (child, parent) rows.
      const edges = relations.map((r) => `SELECT ${r.child} AS CHILD, ${r.parent} AS PARENT FROM ${r.from}${r.filter ? ` WHERE ${r.filter}` : ''}`)
      step = `SELECT e.PARENT, w.DEPTH + 1 FROM WALK w JOIN (${edges.join(' UNION ALL ')}) e ON e.CHILD = w.CID
  WHERE w.DEPTH < ${depth()} AND e.PARENT IS NOT NULL AND e.PARENT <> w.CID`
    } else if (dialect.name === 'postgres') {
      // LATERAL: each relation an index seek by the container at hand.
      const parents = relations.map((r) => `SELECT ${r.parent} AS PARENT FROM ${r.from} WHERE ${r.child} = w.CID${also(r.filter)}`)
      step = `SELECT p.PARENT, w.DEPTH + 1 FROM WALK w CROSS JOIN LATERAL (${parents.join(' UNION ALL ')}) p
  WHERE w.DEPTH < ${depth()} AND p.PARENT IS NOT NULL AND p.PARENT <> w.CID`
    } else {
      // SQLite runs each recursive SELECT for one container at a time: one SELECT per relation.
      step = relations
        .map((r) => `SELECT ${r.parent}, w.DEPTH + 1 FROM WALK w, ${r.from} WHERE ${r.child} = w.CID${also(r.filter)} AND w.DEPTH < ${depth()} AND ${r.parent} IS NOT NULL AND ${r.parent} <> w.CID`)
        .join('\n  UNION\n  ')
    }
    ctes.push(
      dialect.recursiveSubquery('WALK (CID, DEPTH)', 'SELECT s.CID, 0 FROM SEED s', step, 'CID'),
      'NODE (CID) AS (SELECT DISTINCT CID FROM WALK)',
      rowsOf('NODEROW', 'NODE'),
    )
    selects.push(
      // Every container's merge records are read, and a seed's serial records.
      containerRows('NODEROW', `CASE WHEN s.CID IS NULL THEN 'M' ELSE 'MS' END`, 'LEFT JOIN SEED s ON s.CID = r.KEYID'),
      merges('NODE'),
      serials('SEED'),
      wafers('NODEROW'),
    )
  } else {
    ctes.push(
      // The climb: split parents up to the tops.
      dialect.recursiveSubquery(
        'UP (CID, DEPTH)',
        'SELECT s.CID, 0 FROM SEED s',
        `SELECT ${split}, w.DEPTH + 1 FROM UP w JOIN ${container} c ON c.CONTAINERID = w.CID WHERE w.DEPTH < ${depth()} AND ${split} IS NOT NULL AND ${split} <> w.CID`,
        'CID',
      ),
      // The split children down from every container of the climb (a superset of the tops').
      dialect.recursiveSubquery(
        'DOWN (CID, DEPTH)',
        'SELECT DISTINCT u.CID, 0 FROM UP u',
        `SELECT c.CONTAINERID, w.DEPTH + 1 FROM DOWN w JOIN ${container} c ON c.SPLITFROMID = w.CID WHERE w.DEPTH < ${depth()} AND c.CONTAINERID <> w.CID`,
        'CID',
      ),
      'FAMILY (CID) AS (SELECT DISTINCT CID FROM DOWN)',
      // The family and its merge sources (their wafers and GD sources are linked too).
      `LINKED (CID) AS (SELECT k.CID FROM FAMILY k UNION SELECT ${trimmed('m.CONTAINERID')} FROM FAMILY k JOIN ${combined} m ON m.LOTID = k.CID)`,
      rowsOf('LINKEDROW', 'LINKED'),
      // The GD rework sources of the linked containers that are not linked themselves.
      `GDSOURCE (CID) AS (SELECT ${trimmed('r.ORIGINALCONTAINERID')} FROM LINKEDROW r WHERE ${gdOf('r')}
  UNION SELECT ${trimmed('r.SPLITFROMID')} FROM LINKEDROW r WHERE ${gdOf('r')})`,
    )
    selects.push(
      // A family member's split children, merge records and serial records are read.
      containerRows('LINKEDROW', `CASE WHEN f.CID IS NULL THEN NULL ELSE 'DMS' END`, 'LEFT JOIN FAMILY f ON f.CID = r.KEYID'),
      `SELECT 'C', CASE WHEN c.CONTAINERID IS NULL THEN g.CID END, NULL, ${of('c')} FROM GDSOURCE g LEFT JOIN ${container} c ON c.CONTAINERID = g.CID ` +
        `WHERE g.CID IS NOT NULL AND NOT EXISTS (SELECT 1 FROM LINKED k WHERE k.CID = g.CID)`,
      `SELECT 'D', k.CID, NULL, c.CONTAINERID, NULL, NULL, NULL, NULL, c.SPLITFROMID, NULL, NULL FROM FAMILY k JOIN ${container} c ON c.SPLITFROMID = k.CID`,
      merges('FAMILY'),
      serials('FAMILY'),
      wafers('LINKEDROW'),
    )
  }
  const sql = `${dialect.withRecursive} ${ctes.join(',\n')}
${selects.join('\nUNION ALL\n')}
ORDER BY 1, 2`
  return { sql, params: params.values }
}

/** Distinct values in first-seen order. */
export function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)]
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key)
  if (!set) map.set(key, (set = new Set()))
  set.add(value)
}

function toSortedLists(map: Map<string, Set<string>>): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const [key, set] of map) out.set(key, [...set].sort())
  return out
}
