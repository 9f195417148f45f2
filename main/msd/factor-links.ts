/**
 * The factor links of the backward analysis read from the source's own SQL instead of from the
 * event rows in the result file: for each container some detection lot reaches, the machines it
 * passed (latest track-in per workcenter and machine) and the material lots it consumed (first
 * consumption), summarized by the database (`factorLinkSql`). They land in two temp tables of the
 * result file's connection with the columns, and the values, the event tables would give the
 * factor-table statements (backward.ts), which then run unchanged: the analysis is the same, only
 * the raw upstream and material events are never copied to the workstation.
 */
import { throwIfCancelled } from '../../shared/errors.js'
import { chunk, type MesSource } from '../sources/index.js'
import type { ResultFileWriter } from '../store/index.js'
import { FACTOR_LINK_COLUMNS, factorLinkRows, factorLinkSql, type FactorLinkKind } from '../trace/index.js'

/** The temp tables the links are stored in, read by the factor-table statements in place of the event tables. */
export const FACTOR_LINK_TABLES: Readonly<Record<FactorLinkKind, string>> = {
  upstream: 'temp.msd_link_upstream',
  materials: 'temp.msd_link_materials',
}

/** Rows per INSERT of the stored links (5 values each). */
const ROWS_PER_INSERT = 64

export interface LoadFactorLinksOptions {
  source: MesSource
  writer: ResultFileWriter
  signal?: AbortSignal
}

/** What a load read: the links of each kind and the statements it ran. */
export interface FactorLinksLoaded {
  cids: number
  rows: Record<FactorLinkKind, number>
  statements: number
}

/**
 * Reads the factor links of every container the detection lots reach (`msd_lot_cids` of the
 * detection lots, stored by the analysis before this runs) into {@link FACTOR_LINK_TABLES}, one
 * batch of CIDs per statement and kind.
 *
 * @throws AppError `trace/cancelled` when `signal` fires; the source's own error when a read fails
 */
export async function loadFactorLinks(options: LoadFactorLinksOptions): Promise<FactorLinksLoaded> {
  const { source, writer, signal } = options
  const kinds = Object.keys(FACTOR_LINK_TABLES) as FactorLinkKind[]
  const cids = writer.analyze('Preparing the factor links', (db) => {
    for (const kind of kinds) {
      const table = FACTOR_LINK_TABLES[kind]
      // TEXT columns, as the event tables have them: stored values compare the same way.
      db.exec(`DROP TABLE IF EXISTS ${table}; CREATE TEMP TABLE ${table.replace(/^temp\./, '')} (${FACTOR_LINK_COLUMNS[kind].map((c) => `${c} TEXT`).join(', ')})`)
    }
    return db
      .prepare('SELECT DISTINCT m.cid FROM msd_lot_cids m JOIN msd_detection d ON d.cid = m.lot_cid ORDER BY m.cid')
      .pluck()
      .all() as string[]
  })
  const rows: Record<FactorLinkKind, number> = { upstream: 0, materials: 0 }
  let statements = 0
  for (const batch of chunk(cids, source.dialect.maxInList)) {
    for (const kind of kinds) {
      throwIfCancelled(signal, 'Reading the factor links')
      const { sql, params } = factorLinkSql(kind, source.dialect, batch)
      statements++
      for await (const chunkRows of source.stream(sql, params, signal ? { signal } : {})) {
        const links = factorLinkRows(kind, chunkRows)
        writer.analyze('Storing the factor links', (db) => storeLinks(db, FACTOR_LINK_TABLES[kind], FACTOR_LINK_COLUMNS[kind].length, links))
        rows[kind] += links.length
      }
    }
  }
  return { cids: cids.length, rows, statements }
}

function storeLinks(
  db: Parameters<Parameters<ResultFileWriter['analyze']>[1]>[0],
  table: string,
  width: number,
  links: readonly (string | number | null)[][],
): void {
  const row = `(${Array<string>(width).fill('?').join(', ')})`
  const many = db.prepare(`INSERT INTO ${table} VALUES ${Array<string>(ROWS_PER_INSERT).fill(row).join(', ')}`)
  const one = db.prepare(`INSERT INTO ${table} VALUES ${row}`)
  let at = 0
  for (; at + ROWS_PER_INSERT <= links.length; at += ROWS_PER_INSERT) many.run(links.slice(at, at + ROWS_PER_INSERT).flat())
  for (; at < links.length; at++) one.run(links[at]!)
}
