/**
 * How a report asked for by a page reaches the person. The page never names a file: the desktop
 * app asks in a save dialog (and can print the report to PDF), while the browser host answers with
 * the HTML itself for the page to download. Either way the job is checked before anyone is asked
 * anything, and the report is drawn only once the person has said where it goes.
 */
import type { ReportAnswer } from '../../shared/api.js'
import { invalidInput } from '../../shared/errors.js'
import { renderReportHtml } from './document.js'
import type { ReportLocale } from './messages.js'
import { collectReportData, type ReportSource } from './report-data.js'
import { reportFileName, writeReportFile, type ReportFormat } from './report-file.js'

/** What a page asked for. */
export interface ReportRequest {
  jobId: string
  locale: ReportLocale
  format: ReportFormat
  /** Who asked (a window), for a dialog to belong to its window. */
  clientId: string
}

/** Where the desktop app saves a report, and how it prints one to PDF. */
export interface ReportSaver {
  /** The file to write, chosen in a save dialog; null when the person cancelled. */
  choose(request: ReportRequest): Promise<string | null>
  /** The report printed to PDF by a browser engine that loads nothing but the report. */
  printToPdf(html: string): Promise<Uint8Array>
}

/** Options of {@link deliverReport}. */
export interface DeliverOptions {
  /** The desktop app's saver; without one (the browser host) the HTML goes back to the page. */
  saver?: ReportSaver
  /** The app's data folder: a report is never written inside it but in its `exports` folder. */
  dataDir?: string
  appVersion: string
  /** @default () => new Date() */
  now?: () => Date
}

/**
 * Answers `results:report`: checks the job (a finished backward MSD result, else an error naming
 * `job_id`), then saves the report where the person chooses (desktop) or returns it (browser host).
 */
export async function deliverReport(source: ReportSource, request: ReportRequest, options: DeliverOptions): Promise<ReportAnswer> {
  const now = options.now ?? (() => new Date())
  const data = collectReportData(source, request.jobId, { field: 'job_id' })
  const render = (): Promise<string> => renderReportHtml(data, { locale: request.locale, appVersion: options.appVersion, now: now().getTime() })
  const { saver } = options
  if (!saver) {
    if (request.format === 'pdf') {
      throw invalidInput('format', 'a PDF is saved by the desktop app; here, download the HTML report and print it to PDF from the browser')
    }
    const html = await render()
    return { cancelled: false, delivery: 'inline', format: 'html', name: reportFileName(request.jobId, 'html', now()), path: null, html, bytes: Buffer.byteLength(html) }
  }
  const path = await saver.choose(request)
  if (!path) return { cancelled: true, delivery: 'saved', format: request.format, name: '', path: null, html: null, bytes: 0 }
  const html = await render()
  const content = request.format === 'pdf' ? await saver.printToPdf(html) : html
  const bytes = await writeReportFile(path, content, options.dataDir ? { dataDir: options.dataDir } : {})
  return { cancelled: false, delivery: 'saved', format: request.format, name: path.split(/[\\/]/).pop() ?? path, path, html: null, bytes }
}
