/**
 * `mes-trace import FILE`: registers a finished result file exported elsewhere as a finished,
 * pinned job of this data folder. The engine copies it, checks it in a worker process under a
 * time limit (never reading it here) and inserts the row; a file that is not exactly what the app
 * writes is `import/invalid`.
 */
import { resolve } from 'node:path'
import { jobViewOf, rowsTotal } from '../../engine/index.js'
import { withJobStore } from '../cli-engine.js'
import type { Command } from '../command.js'
import { JOB_FLAGS, onePositional } from '../flags.js'
import { printJson, printLine } from '../io.js'
import { formatTime } from '../job-format.js'

/** `mes-trace import FILE`. */
export const importCommand: Command = {
  summary:
    'Add a result file exported elsewhere (mes-trace export --format sqlite) as a finished,\n' +
    'pinned job of this data folder, to list, show and export like any other',
  positional: 'FILE',
  options: JOB_FLAGS,
  usage: [],
  async run({ flags, positionals }, io) {
    const file = resolve(onePositional(positionals, 'FILE', 'mes-trace import exported-result.mtr'))
    return withJobStore(flags, io, async ({ engine }) => {
      const { row, fileJobId, asOf } = await engine.importResult(file)
      if (flags.json) {
        printJson(io, { ...jobViewOf(row), imported_from: file, file_job_id: fileJobId })
      } else {
        printLine(
          io,
          `Imported ${file} as job ${row.job_id} (${row.profile}, ${rowsTotal(row)} rows in ${row.domains.length} domain(s), as of ${formatTime(asOf)}).\n` +
            `It is pinned; \`mes-trace pin ${row.job_id} --off\` lets it expire like any other result.`,
        )
      }
      return 0
    })
  },
}
