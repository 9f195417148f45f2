/**
 * The factor links of the MSD analysis read from the source's own SQL instead of from the event
 * rows in the result file (pushdown, docs/pushdown.md): for each container the detection lots reach,
 * backward the machines it passed (latest track-in per workcenter and machine) and the material
 * lots it consumed (first consumption), forward the machines and the rejects at the stations after
 * the detection station — summarized or filtered by the database (`factorLinkSql`). They land in
 * temp tables of the result file's connection with the columns, and the values, the event tables
 * would give the analysis's statements (backward.ts, forward.ts), which then run unchanged: the
 * analysis is the same, only the raw events are never copied to the workstation.
 */
import { throwIfCancelled } from '../../shared/errors.js'
import { stationGroupOf, UNKNOWN_STATION_ORDER } from '../../shared/stations.js'
import { chunk, readWorkcenterNames, type MesSource } from '../sources/index.js'
import { eventTableOf, type ResultFileWriter, type SqliteDatabase } from '../store/index.js'
import { FACTOR_LINK_COLUMNS, factorLinkRows, factorLinkSql, type FactorLinkKind } from '../trace/index.js'

/**
 * Where the analysis's statements read the rows of each kind (SQL table references): the result
 * file's event tables, or the temp tables of the links (same columns, same values).
 */
export type RowTables = Readonly<Record<FactorLinkKind, string>>

/** The result file's own event tables. */
export const EVENT_ROW_TABLES: RowTables = {
  upstream: `"${eventTableOf('upstream_history')}"`,
  materials: `"${eventTableOf('materials')}"`,
  downstream_rejects: `"${eventTableOf('downstream_rejects')}"`,
}

/** The temp tables the links are stored in, read by the analysis's statements in place of the event tables. */
export const FACTOR_LINK_TABLES: RowTables = {
  upstream: 'temp.msd_link_upstream',
  materials: 'temp.msd_link_materials',
  downstream_rejects: 'temp.msd_link_rejects',
}

/** The links each direction reads. */
const KINDS: Readonly<Record<'backward' | 'forward', readonly FactorLinkKind[]>> = {
  backward: ['upstream', 'materials'],
  forward: ['upstream', 'downstream_rejects'],
}

/** Rows per INSERT of the stored links. */
const ROWS_PER_INSERT = 64

export interface LoadFactorLinksOptions {
  source: MesSource
  writer: ResultFileWriter
  direction: 'backward' | 'forward'
  /** Order of the detection station (forward reads only the stations after it). */
  detectionOrder: number
  signal?: AbortSignal
}

/** What a load read: the containers, the links of each kind and the statements it ran. */
export interface FactorLinksLoaded {
  cids: number
  rows: Partial<Record<FactorLinkKind, number>>
  statements: number
}

/**
 * Reads the factor links of every container the detection lots reach (`msd_lot_cids` of the
 * detection lots, stored by the analysis before this runs) into {@link FACTOR_LINK_TABLES}, one
 * batch of CIDs per statement and kind. Each table has `_seq`, numbering its rows as the event
 * tables do (the forward analysis counts each row once by it).
 *
 * @throws AppError `trace/cancelled` when `signal` fires; the source's own error when a read fails
 */
export async function loadFactorLinks(options: LoadFactorLinksOptions): Promise<FactorLinksLoaded> {
  const { source, writer, signal, direction } = options
  const kinds = KINDS[direction]
  const cids = writer.analyze('Preparing the factor links', (db) => {
    for (const kind of kinds) {
      const table = FACTOR_LINK_TABLES[kind]
      // TEXT and NUMERIC columns, as the event tables have them: stored values compare the same way.
      const columns = FACTOR_LINK_COLUMNS[kind].map((c) => `${c} ${/QTY$/.test(c) ? 'NUMERIC' : 'TEXT'}`)
      db.exec(`DROP TABLE IF EXISTS ${table}; CREATE TEMP TABLE ${table.replace(/^temp\./, '')} (_seq INTEGER PRIMARY KEY, ${columns.join(', ')})`)
    }
    return db.prepare('SELECT DISTINCT m.cid FROM msd_lot_cids m JOIN msd_detection d ON d.cid = m.lot_cid ORDER BY m.cid').pluck().all() as string[]
  })
  // Forward reads only the stations after the detection station: the workcenters of those, by name.
  const workcenters: Partial<Record<FactorLinkKind, readonly string[]>> = {}
  if (direction === 'forward') {
    workcenters.upstream = await laterWorkcenters(source, 'DW_MES_LOTWIPHISTORY', options.detectionOrder, signal)
    workcenters.downstream_rejects = await laterWorkcenters(source, 'DW_MES_LOTREJECTHISTORY', options.detectionOrder, signal)
  }
  const rows: Partial<Record<FactorLinkKind, number>> = {}
  let statements = 0
  // Ten thousand CIDs a statement where the source takes them as one JSON text: a tenth of the
  // statements, each of several round trips to a far server.
  for (const batch of chunk(cids, source.dialect.maxValueList)) {
    for (const kind of kinds) {
      rows[kind] ??= 0
      const at = workcenters[kind]
      // No workcenter after the station: nothing to read.
      if (at !== undefined && at.length === 0) continue
      throwIfCancelled(signal, 'Reading the factor links')
      const { sql, params } = factorLinkSql(kind, source.dialect, batch, at)
      statements++
      for await (const chunkRows of source.stream(sql, params, signal ? { signal } : {})) {
        const links = factorLinkRows(kind, chunkRows)
        writer.analyze('Storing the factor links', (db) => storeLinks(db, kind, links))
        rows[kind] += links.length
      }
    }
  }
  return { cids: cids.length, rows, statements }
}

/**
 * The workcenter names of `table` whose station group comes after the detection station (the
 * forward analysis's stations; a name without a group has no place in the flow), or undefined —
 * read everything, the analysis filters as it always does — when the names cannot be listed or
 * are too many for one IN list.
 */
async function laterWorkcenters(
  source: MesSource,
  table: 'DW_MES_LOTWIPHISTORY' | 'DW_MES_LOTREJECTHISTORY',
  detectionOrder: number,
  signal: AbortSignal | undefined,
): Promise<readonly string[] | undefined> {
  const names = await readWorkcenterNames(source, signal, table)
  if (names === null) return undefined
  const later = names.filter((name) => {
    const order = name === '' ? UNKNOWN_STATION_ORDER : (stationGroupOf(name)?.order ?? UNKNOWN_STATION_ORDER)
    return order > detectionOrder && order !== UNKNOWN_STATION_ORDER
  })
  return later.length > source.dialect.maxInList ? undefined : later
}

function storeLinks(db: SqliteDatabase, kind: FactorLinkKind, links: readonly (string | number | null)[][]): void {
  const table = FACTOR_LINK_TABLES[kind]
  const columns = FACTOR_LINK_COLUMNS[kind]
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `
  const row = `(${Array<string>(columns.length).fill('?').join(', ')})`
  const many = db.prepare(head + Array<string>(ROWS_PER_INSERT).fill(row).join(', '))
  const one = db.prepare(head + row)
  let at = 0
  for (; at + ROWS_PER_INSERT <= links.length; at += ROWS_PER_INSERT) many.run(links.slice(at, at + ROWS_PER_INSERT).flat())
  for (; at < links.length; at++) one.run(links[at]!)
}
