/**
 * `mes-trace report JOB_ID --out report.html [--lang en|zh-TW] [--force]`: the evidence report of
 * a backward MSD result as one self-contained HTML file (charts drawn here, nothing to load when
 * it is opened), written under the rules of `export`: a new file unless `--force`.
 */
import { resolve } from 'node:path'
import { AppError, invalidInput, toErrorData } from '../../../shared/errors.js'
import { buildEvidenceReport, osReportLocale, parseReportLocale, REPORT_LOCALES, writeReportFile } from '../../report/index.js'
import { APP_VERSION } from '../app-version.js'
import { withJobStore } from '../cli-engine.js'
import type { Command } from '../command.js'
import { JOB_FLAGS, jobIdArg, SWITCH_FLAG, VALUE_FLAG } from '../flags.js'
import { printJson, printLine } from '../io.js'

/** `mes-trace report JOB_ID`. */
export const reportCommand: Command = {
  summary: 'Write the evidence report of a backward MSD result: one HTML file that opens offline',
  positional: 'JOB_ID',
  options: { out: VALUE_FLAG, lang: VALUE_FLAG, force: SWITCH_FLAG, ...JOB_FLAGS },
  usage: [
    '--out FILE        the HTML file to write (a new file unless --force)',
    "--lang en|zh-TW   the report's language (default: this machine's: Chinese → zh-TW, else en)",
    '--force           replace an existing file',
  ],
  async run({ flags, positionals }, io) {
    const jobId = jobIdArg(positionals)
    if (flags.out === undefined || String(flags.out).trim() === '') throw invalidInput('--out', 'is required: the HTML file to write, e.g. --out report.html')
    const out = resolve(String(flags.out))
    let locale = osReportLocale()
    if (flags.lang !== undefined) {
      const given = parseReportLocale(String(flags.lang))
      if (!given) throw invalidInput('--lang', `must be ${REPORT_LOCALES.join(' or ')}, got ${JSON.stringify(String(flags.lang).slice(0, 60))}`)
      locale = given
    }
    return withJobStore(flags, io, async ({ results, dataDir }) => {
      const html = await buildEvidenceReport(results, jobId, { locale, appVersion: APP_VERSION, field: 'JOB_ID' })
      let bytes: number
      try {
        bytes = await writeReportFile(out, html, { replace: flags.force === true, dataDir, field: '--out' })
      } catch (error) {
        const data = toErrorData(error)
        if (data.code === 'export/refused' && data.details?.exists === true) {
          throw new AppError(data.code, `${out} already exists; pass --force to replace it or --out to write elsewhere`, data.details)
        }
        throw error
      }
      if (flags.json) printJson(io, { job_id: jobId, path: out, bytes, locale })
      else printLine(io, `Wrote the evidence report of ${jobId} to ${out} (${bytes} bytes, ${locale}). It opens in any browser, offline.`)
      return 0
    })
  },
}
