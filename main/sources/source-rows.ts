/** Small pieces every source adapter shares: row shape, whole-result collection, the catalog. */
import type { SourceCatalog, SourceRow } from './mes-source.js'

/** Upper-cases a row's column names (SQLite returns them as written, PostgreSQL folds to lower case). */
export function upperRow(row: Record<string, unknown>): SourceRow {
  const out: SourceRow = {}
  for (const key in row) out[key.toUpperCase()] = row[key]
  return out
}

/**
 * Rows of a statement read as value arrays: from its column names, the function that makes one
 * array into what `upperRow` gives for the driver's object of the same row, upper-casing the names
 * once per statement. `null` when two names are the same once upper-cased: the driver's object
 * then decides which value a name keeps, and only `upperRow` of that object gives the same row.
 */
export function rowsFromValues(columnNames: readonly string[]): ((values: readonly unknown[]) => SourceRow) | null {
  const names = columnNames.map((name) => name.toUpperCase())
  if (new Set(names).size !== names.length) return null
  return (values) => {
    const row: SourceRow = {}
    for (let i = 0; i < names.length; i++) row[names[i]!] = values[i]
    return row
  }
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
