/** Small pieces every source adapter shares: row shape, whole-result collection, the catalog. */
import type { SourceCatalog, SourceRow } from './mes-source.js'

/** Upper-cases a row's column names (SQLite returns them as written, PostgreSQL folds to lower case). */
export function upperRow(row: Record<string, unknown>): SourceRow {
  const out: SourceRow = {}
  for (const key in row) out[key.toUpperCase()] = row[key]
  return out
}

/** Every row of a stream, for statements whose result the caller knows to be small (`MesSource.all`). */
export async function collectRows(chunks: AsyncIterable<SourceRow[]>): Promise<SourceRow[]> {
  const out: SourceRow[] = []
  for await (const rows of chunks) out.push(...rows)
  return out
}

/** A catalog from `TABLE_NAME, COLUMN_NAME` rows of a database's dictionary. */
export function catalogFromColumns(rows: readonly SourceRow[]): SourceCatalog {
  const catalog = new Map<string, Set<string>>()
  for (const row of rows) {
    const table = String(row.TABLE_NAME).toUpperCase()
    const columns = catalog.get(table) ?? new Set<string>()
    columns.add(String(row.COLUMN_NAME).toUpperCase())
    catalog.set(table, columns)
  }
  return catalog
}
