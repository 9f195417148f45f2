/**
 * Finished results in the main process: the one service that reads them (readers, summary,
 * aggregation, pages), and results leaving the data folder (CSV and XLSX exports of a result's
 * tables, a copy of the result file). Importing a copy is the engine's (`JobEngine.importResult`),
 * as it makes a job. Used by the command line and by the services behind the renderer.
 */
export { assertExportFolder, assertExportTarget, closeOutput, EXPORTS_FOLDER, tempPathFor, writeAtomically, writeLine, type TargetRules } from './file-output.js'
export {
  CSV_BOM, cellsOf, copyResultFile, csvField, csvRecord, domainColumns, exportResult, exportTablesOf, msdExportColumns, planView, viewRowsOf,
  writeCsv, writeDomainCsv, writeMsdCsv, writeViewCsv, type ExportedFile, type ExportResultOptions, type ExportTableName, type ViewPlan,
} from './export.js'
export { writeXlsx, XLSX_MAX_CELL_CHARS, XLSX_MAX_ROWS, type XlsxOptions, type XlsxSheet } from './xlsx.js'
export { ResultService } from './result-service.js'
export { diffResults } from './msd-diff.js'
export {
  EXPORT_EXTENSIONS, exportFileName, exportsFolderDestination, type ExportDestination, type ExportRequest, type ExportTarget,
} from './export-destination.js'
