/**
 * The schema check a source passes before a trace reads it: a missing required table or column is
 * a clear `source/schema` error that names it; a missing optional one is a warning.
 */
import { AppError } from '../../shared/errors.js'
import type { MesSource, SourceCatalog } from './mes-source.js'
import { SOURCE_TABLES } from './schema.js'

export interface SchemaReport {
  /** `TABLE` or `TABLE.COLUMN` entries of required tables that are missing. */
  missingRequired: string[]
  /** Same for optional tables. */
  missingOptional: string[]
  /** One sentence per missing optional table/column saying what degrades. */
  warnings: string[]
  /** Optional tables present in full. */
  optionalTables: string[]
}

/** Compares a source catalog with the contract of source-schema.md. */
export function checkCatalog(catalog: SourceCatalog): SchemaReport {
  const report: SchemaReport = { missingRequired: [], missingOptional: [], warnings: [], optionalTables: [] }
  for (const table of SOURCE_TABLES) {
    const columns = catalog.get(table.name)
    const missing = columns ? table.columns.filter((c) => !columns.has(c)).map((c) => `${table.name}.${c}`) : [table.name]
    if (table.required) {
      report.missingRequired.push(...missing)
    } else if (missing.length > 0) {
      report.missingOptional.push(...missing)
      report.warnings.push(`${missing.join(', ')} missing: ${table.degradesTo ?? 'the feature that needs it is off'}.`)
    } else {
      report.optionalTables.push(table.name)
    }
  }
  return report
}

/**
 * Checks a source and throws `source/schema` naming every missing required table/column.
 * Returns the report (with warnings for optional tables) when the source is usable.
 */
export async function assertSourceSchema(source: MesSource): Promise<SchemaReport> {
  const report = checkCatalog(await source.catalog())
  if (report.missingRequired.length > 0) {
    throw new AppError(
      'source/schema',
      `The source ${source.description} is missing required ${report.missingRequired.length === 1 ? 'table/column' : 'tables/columns'}: ${report.missingRequired.join(', ')}.`,
      { missing: report.missingRequired },
    )
  }
  return report
}
