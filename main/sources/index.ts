/** MES sources: the read-only adapters, the SQL dialect layer and the schema contract. */
export type { MesSource, SourceRow, SourceKind, QueryOptions, SourceCatalog } from './mes-source.js'
export { DEFAULT_FETCH_SIZE } from './mes-source.js'
export { createDialect, SqlParams, chunk, escapeLike, type Dialect, type DialectName, type SqlValue } from './dialect.js'
export { openSqliteSource } from './sqlite-source.js'
export { SOURCE_TABLES, SOURCE_INDEXES, sourceSchemaScript, sourceTable, type SourceTableSpec } from './schema.js'
export { checkCatalog, assertSourceSchema, type SchemaReport } from './schema-check.js'
export {
  openSource,
  parseSourceSpec,
  passwordEnvNameOf,
  passwordEnvOf,
  passwordHelpOf,
  sourceIdOf,
  withPassword,
  withoutPassword,
  type OpenSourceOptions,
  type ParseSourceOptions,
} from './open-source.js'
export type { SourceSpec } from '../../shared/source-spec.js'
export { openPostgresSource, redactUrl, POSTGRES_POOL_SIZE, POSTGRES_STATEMENT_TIMEOUT_MS, type PostgresSourceOptions } from './postgres-source.js'
export { loadIntoPostgres, postgresColumns, type LoadPostgresOptions } from './postgres-load.js'
export { openOracleSource, parseOracleUrl, ORACLE_CALL_TIMEOUT_MS, ORACLE_POOL_SIZE, type OracleSourceOptions } from './oracle-source.js'
export { readDataWindow, readLossReasons, readStationWorkcenterNames, readWorkcenterNames, type DataWindowOptions } from './data-window.js'
export { readMachineJobs, type MachineJobsOptions } from './machine-jobs.js'
export {
  checkEquipmentQuery,
  equipmentExportRows,
  readEquipmentJobs,
  readEquipmentLots,
  readEquipmentRejects,
  readEquipmentTimeline,
  readMachineList,
  EQUIPMENT_LOTS_MAX_PAGE,
  EQUIPMENT_LOTS_PAGE,
  type EquipmentLimits,
} from './equipment.js'
export { jobsWithTransactions, readJobTransactions } from './job-transactions.js'
