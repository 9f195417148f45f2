/**
 * `mes-trace cancel JOB_ID`: cancels a queued job; a job that already ended is left as it is. A
 * job running in another process has its worker there, so it is not cancelled from here.
 */
import { withJobNotRunningElsewhere } from '../cli-engine.js'
import type { Command } from '../command.js'
import { JOB_FLAGS, jobIdArg } from '../flags.js'
import { printJson, printLine } from '../io.js'

/** `mes-trace cancel JOB_ID`. */
export const cancelCommand: Command = {
  summary: 'Cancel a queued job (a job that already ended is left as it is)',
  positional: 'JOB_ID',
  options: JOB_FLAGS,
  usage: [],
  async run({ flags, positionals }, io) {
    const jobId = jobIdArg(positionals)
    return withJobNotRunningElsewhere(flags, io, jobId, 'cancel it', ({ engine }, before) => {
      const wasQueued = before.status === 'queued'
      const row = wasQueued ? engine.cancel(jobId) : before
      const message = wasQueued ? `Cancelled job ${jobId} (it was still queued).` : `Job ${jobId} already ended (${row.status}); nothing to cancel.`
      if (flags.json) printJson(io, { job_id: jobId, cancelled: wasQueued, status: row.status, message })
      else printLine(io, message)
      return 0
    })
  },
}
