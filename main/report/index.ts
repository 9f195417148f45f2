/**
 * The evidence report of a backward MSD result: one self-contained HTML file (inline CSS, charts
 * as inline SVG drawn without a browser, no script, nothing that loads) in English or Traditional
 * Chinese, for an engineer to mail, archive or print. Read through the results service; written
 * by the command line (`mes-trace report`) and delivered to the workspace (`results:report`: a
 * save dialog and PDF in the desktop app, a download in the browser host).
 */
import type { ReportLocale } from './messages.js'
import { renderReportHtml } from './document.js'
import { collectReportData, type CollectOptions, type ReportSource } from './report-data.js'

export { REPORT_CSP, renderReportHtml, type RenderOptions } from './document.js'
export { escapeHtml, html, SafeHtml, trustedSvg } from './html.js'
export { isReportLocale, REPORT_LOCALES, reportMessages, type ReportLocale, type ReportMessages } from './messages.js'
export {
  collectReportData, readSuspectLots, REPORT_MAX_LOTS_PER_SUSPECT, REPORT_MAX_SUSPECT_SECTIONS, reportSections,
  type CollectOptions, type ReportData, type ReportLot, type ReportSource, type SuspectLots,
} from './report-data.js'
export { osReportLocale, parseReportLocale, reportFileName, writeReportFile, type ReportFormat, type WriteReportOptions } from './report-file.js'
export { deliverReport, type DeliverOptions, type ReportRequest, type ReportSaver } from './report-delivery.js'

/** Options of {@link buildEvidenceReport}. */
export interface BuildReportOptions extends CollectOptions {
  locale: ReportLocale
  /** Version of the app writing the report. */
  appVersion: string
  /** When the report is written. @default Date.now() */
  now?: number
}

/**
 * The evidence report of `jobId` as HTML text. A job that is not a finished backward MSD analysis
 * is refused (`input/invalid` naming the job under `options.field`, or the result service's
 * `job/not-found` / `job/not-finished`).
 */
export async function buildEvidenceReport(source: ReportSource, jobId: string, options: BuildReportOptions): Promise<string> {
  const data = collectReportData(source, jobId, options)
  return renderReportHtml(data, { locale: options.locale, appVersion: options.appVersion, ...(options.now !== undefined ? { now: options.now } : {}) })
}
