/**
 * Writing a report to disk under the rules every export obeys (results/file-output.ts): an
 * absolute path whose folder exists, never a link, a device or a file of the data folder outside
 * its `exports` folder, written beside its final name and appearing there only when complete, and
 * never over an existing file unless the caller says so.
 */
import { statSync, writeFileSync } from 'node:fs'
import { assertExportTarget, writeAtomically } from '../results/index.js'
import { isReportLocale, type ReportLocale } from './messages.js'

/** Kinds of report file: the HTML document, or a PDF printed from it (desktop app). */
export type ReportFormat = 'html' | 'pdf'

/** Options of {@link writeReportFile}. */
export interface WriteReportOptions {
  /**
   * Replace an existing regular file (the command line's `--force`). A link, a folder or a device
   * is refused even then.
   * @default false
   */
  replace?: boolean
  /** The app's data folder: nothing in it but `exports/` is written. @default none */
  dataDir?: string
  /** The field that names the target in errors (`--out` on the command line). @default 'path' */
  field?: string
}

/** Writes `content` to `path` (absolute) as a new file; returns its size in bytes. */
export async function writeReportFile(path: string, content: string | Uint8Array, options: WriteReportOptions = {}): Promise<number> {
  const replace = options.replace === true
  const target = assertExportTarget(path, { replace, ...(options.dataDir ? { dataDir: options.dataDir } : {}), ...(options.field ? { field: options.field } : {}) })
  return writeAtomically(
    target,
    async (temp) => {
      writeFileSync(temp, content, { flag: 'wx' })
      return statSync(temp).size
    },
    undefined,
    { replace },
  )
}

/** `<job>-report-<YYYYMMDD-HHMMSS>.<html|pdf>`, in local time: what a saved report is called. */
export function reportFileName(jobId: string, format: ReportFormat, at: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0')
  const stamp = `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`
  return `${jobId}-report-${stamp}.${format}`
}

/**
 * The report language of this machine's locale: Chinese → zh-TW, anything else → en. Reads
 * `LC_ALL`, `LC_MESSAGES` and `LANG` as POSIX does (first set wins; `C` and `POSIX` say nothing),
 * then the locale Node's Intl runs with.
 */
export function osReportLocale(env: Readonly<Record<string, string | undefined>> = process.env, intlLocale: () => string = () => Intl.DateTimeFormat().resolvedOptions().locale): ReportLocale {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name]?.trim()
    if (!value) continue
    if (/^(C|POSIX)([._@].*)?$/i.test(value)) break
    return /^zh/i.test(value) ? 'zh-TW' : 'en'
  }
  try {
    return /^zh/i.test(intlLocale()) ? 'zh-TW' : 'en'
  } catch {
    return 'en'
  }
}

/** `--lang` as given, checked: `en` or `zh-TW` (case and `_` forgiven). */
export function parseReportLocale(value: string): ReportLocale | null {
  const normalized = value.trim().replace('_', '-').toLowerCase()
  const found = normalized === 'zh-tw' ? 'zh-TW' : normalized === 'en' ? 'en' : null
  return isReportLocale(found) ? found : null
}
