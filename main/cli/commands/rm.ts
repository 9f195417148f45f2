/** `mes-trace rm JOB_ID`: deletes a job's row and its result file (never a job running in another process). */
import { withJobNotRunningElsewhere } from '../cli-engine.js'
import type { Command } from '../command.js'
import { JOB_FLAGS, jobIdArg } from '../flags.js'
import { printJson, printLine } from '../io.js'

/** `mes-trace rm JOB_ID`. */
export const rmCommand: Command = {
  summary: 'Delete a job and its result file',
  positional: 'JOB_ID',
  options: JOB_FLAGS,
  usage: [],
  async run({ flags, positionals }, io) {
    const jobId = jobIdArg(positionals)
    return withJobNotRunningElsewhere(flags, io, jobId, 'cancel it', ({ engine }, row) => {
      engine.remove(jobId)
      const file = row.result_path && row.status === 'finished' ? row.result_path : null
      if (flags.json) printJson(io, { job_id: jobId, removed: true, result_file: file })
      else printLine(io, `Removed job ${jobId}${file ? ` and its result file ${file}` : ''}.`)
      return 0
    })
  },
}
