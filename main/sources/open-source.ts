/**
 * Opens a source from the spec a person types (`sqlite:PATH`, or a bare path to a `.sqlite`/`.db`
 * file) and checks its schema before anything reads it.
 */
import { AppError, invalidInput } from '../../shared/errors.js'
import type { MesSource } from './mes-source.js'
import { assertSourceSchema, type SchemaReport } from './schema-check.js'
import { openSqliteSource } from './sqlite-source.js'

export type SourceSpec = { kind: 'sqlite'; path: string }

/** Parses `sqlite:PATH` (or a bare file path) into a source spec. */
export function parseSourceSpec(text: string, field = 'source'): SourceSpec {
  const value = text.trim()
  if (!value) throw invalidInput(field, 'a source is required, e.g. sqlite:plant.sqlite')
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length)
    if (!path) throw invalidInput(field, 'sqlite: needs a file path, e.g. sqlite:plant.sqlite')
    return { kind: 'sqlite', path }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    const scheme = value.slice(0, value.indexOf(':'))
    throw new AppError('input/invalid', `${field}: source kind "${scheme}" is not supported yet; use sqlite:PATH`, { field })
  }
  return { kind: 'sqlite', path: value }
}

/** Opens and schema-checks a source; the report carries warnings for missing optional tables. */
export async function openSource(spec: SourceSpec): Promise<{ source: MesSource; schema: SchemaReport }> {
  const source = await openSqliteSource(spec.path)
  try {
    return { source, schema: await assertSourceSchema(source) }
  } catch (error) {
    await source.close()
    throw error
  }
}
