/**
 * Storage (architecture.md §6): the catalog of jobs and settings, written by the main process, and
 * one result file per job, written by its worker and read page by page by the main process.
 */
export { BUSY_TIMEOUT_MS } from './connection.js'
export {
  CATALOG_FILE_NAME, JOB_ID_PATTERN, PARTIAL_SUFFIX, RESULTS_DIR_NAME, assertJobId, catalogPathOf, isJobId, resultPathOf,
  resultsDirOf,
} from './paths.js'
export {
  JOB_STATUSES, TERMINAL_JOB_STATUSES, type CompleteJob, type JobPatch, type JobRow, type JobStatus, type JsonValue,
  type ListJobsQuery, type NewJob, type StoredLogEntry, type TerminalJobStatus,
} from './job-row.js'
export { CATALOG_APPLICATION_ID, Catalog, MAX_JOB_PAGE, openCatalog, type CatalogOptions } from './catalog.js'
export type { MigrationReport } from './migrate.js'
export {
  MSD_TABLES, NUMBER_COLUMNS, RESULT_APPLICATION_ID, RESULT_FORMAT_VERSION, eventTableOf, msdStoredColumnsOf, msdTableOf, type MsdTable,
  type ResultManifest,
} from './result-schema.js'
export {
  DEFAULT_INSPECT_LIMITS, RESULT_HEADER_BYTES, inspectResultFile, isResultFileHeader, notAResultFile, type InspectLimits, type ResultFileInspection,
} from './result-inspect.js'
export type { SqliteDatabase } from './connection.js'
export {
  createResultFile, removeOrphanPartials, type CreateResultFileOptions, type FinishResultOptions, type LineageJsonPart, type LineageStream,
  type ResultFileWriter,
} from './result-file.js'
export {
  DEFAULT_EXPORT_CHUNK, MAX_CELL_CHARS, cutMarkerOf, openResultFile, type AllRowsOptions, type ResultFileReader,
} from './result-reader.js'
