/** MES sources: the read-only adapters, the SQL dialect layer and the schema contract. */
export type { MesSource, SourceRow, SourceKind, QueryOptions, SourceCatalog } from './mes-source.js'
export { DEFAULT_FETCH_SIZE } from './mes-source.js'
export { createDialect, SqlParams, chunk, escapeLike, type Dialect, type DialectName, type SqlValue } from './dialect.js'
export { openSqliteSource } from './sqlite-source.js'
export { SOURCE_TABLES, SOURCE_INDEXES, sourceSchemaScript, sourceTable, type SourceTableSpec } from './schema.js'
export { checkCatalog, assertSourceSchema, type SchemaReport } from './schema-check.js'
export { openSource, parseSourceSpec, type SourceSpec } from './open-source.js'
