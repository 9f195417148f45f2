/**
 * The batched reads of the genealogy walk. Every statement binds its values through
 * {@link SqlParams} and keeps IN lists within `dialect.maxInList`, so the same text runs on SQLite,
 * PostgreSQL and Oracle; the walk itself (levels, cycles, caps) lives in `lineage.ts`.
 */
import { AppError, isAppError, throwIfCancelled as throwIfCancelledBy } from '../../shared/errors.js'
import { chunk, SqlParams, type MesSource, type SourceRow, type SqlValue } from '../sources/index.js'

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
}

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
    await this.forEachBatch(unique(parents), 'SPLITFROMID', CONTAINER_COLUMNS, 'DW_MES_CONTAINER', '', [], (row) => {
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
    await this.forEachBatch(unique(targets), 'LOTID', 'CONTAINERID, CONTAINERNAME, LOTID', 'DW_MES_PJ_COMBINEDASSYLOTS', '', [], (row) => {
      const target = textValue(row.LOTID)
      const from = textValue(row.CONTAINERID)
      if (target === null || from === null || target === from) return
      this.rememberCombinedName(from, row.CONTAINERNAME)
      addTo(sources, target, from)
    })
    return toSortedLists(sources)
  }

  /** Serial numbers (FINISHEDNAME) each container was merged into: sorted, unique, nulls skipped. */
  async serials(cids: readonly string[]): Promise<Map<string, string[]>> {
    const serials = new Map<string, Set<string>>()
    await this.forEachBatch(
      unique(cids),
      'CONTAINERID',
      'CONTAINERID, CONTAINERNAME, FINISHEDNAME',
      'DW_MES_PJ_COMBINEDASSYLOTS',
      ' AND FINISHEDNAME IS NOT NULL',
      [],
      (row) => {
        const cid = textValue(row.CONTAINERID)
        const serial = textValue(row.FINISHEDNAME)
        if (cid === null) return
        this.rememberCombinedName(cid, row.CONTAINERNAME)
        if (serial !== null) addTo(serials, cid, serial)
      },
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
