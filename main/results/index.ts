/**
 * Results leaving and entering the data folder: CSV and XLSX exports of a result's tables, a copy
 * of the result file, importing such a copy as a job, and the job as every surface shows it. Used
 * by the command line and by the services behind the renderer.
 */
export { assertExportFolder, assertExportTarget, closeOutput, EXPORTS_FOLDER, tempPathFor, writeAtomically, writeLine, type TargetRules } from './file-output.js'
export {
  CSV_BOM, cellsOf, copyResultFile, csvField, csvRecord, domainColumns, exportResult, exportTablesOf, msdExportColumns, writeCsv,
  writeDomainCsv, writeMsdCsv, type ExportedFile, type ExportResultOptions, type ExportTableName,
} from './export.js'
export { writeXlsx, XLSX_MAX_CELL_CHARS, XLSX_MAX_ROWS, type XlsxOptions, type XlsxSheet } from './xlsx.js'
export { IMPORT_SOURCE_PREFIX, isImported, jobViewOf, rowsTotal } from './job-view.js'
export { importResultFile, type ImportedResult, type ImportResultOptions } from './import.js'
export {
  EXPORT_EXTENSIONS, exportFileName, exportsFolderDestination, type ExportDestination, type ExportRequest, type ExportTarget,
} from './export-destination.js'
