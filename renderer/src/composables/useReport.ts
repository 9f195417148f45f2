/**
 * The evidence report of a backward MSD result. The page never names a file: the desktop app saves
 * it where the person says in a save dialog (as HTML, or printed to PDF); the browser host answers
 * with the report itself, which the page hands to the browser as a download.
 */
import { shallowRef } from 'vue'
import type { Api, ReportAnswer } from '../../../shared/api'
import { call, describeError } from './useApi'
import { startDownload } from './useExport'

/** The report's languages (the workspace's). */
export type ReportLocale = 'en' | 'zh-TW'

export interface UseReportOptions {
  /** Hands a report to the browser as a file download. @default a Blob and a link with `download` */
  download?: (html: string, name: string) => void
}

/** Starts a browser download of `html` as `name`: a Blob behind a link, nothing fetched. */
export function downloadHtml(html: string, name: string): void {
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }))
  startDownload(url, name)
  // The download has its own copy once it started; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** The report of a job: `run` asks for it; `busy`, `done` and `error` say how it went. */
export function useReport(api: Api | null, options: UseReportOptions = {}) {
  const busy = shallowRef(false)
  const done = shallowRef<Pick<ReportAnswer, 'delivery' | 'format' | 'name' | 'path'> | null>(null)
  const error = shallowRef<{ code: string; message: string } | null>(null)
  const download = options.download ?? downloadHtml

  /** Writes the report of `jobId` in `locale`; resolves when it was saved, downloaded or cancelled. */
  async function run(jobId: string, locale: ReportLocale, format: 'html' | 'pdf' = 'html'): Promise<void> {
    busy.value = true
    error.value = null
    done.value = null
    try {
      const answer = await call(api, 'results:report', { job_id: jobId, locale, format })
      if (answer.cancelled) return
      if (answer.delivery === 'inline' && answer.html !== null) download(answer.html, answer.name)
      done.value = { delivery: answer.delivery, format: answer.format, name: answer.name, path: answer.path }
    } catch (e) {
      error.value = describeError(e)
    } finally {
      busy.value = false
    }
  }

  return { busy, done, error, run }
}
