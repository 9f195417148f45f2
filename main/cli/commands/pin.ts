/** `mes-trace pin JOB_ID [--off]`: a pinned job never expires; unpinning restores its expiry. */
import { jobViewOf } from '../../engine/index.js'
import { withJobStore } from '../cli-engine.js'
import type { Command } from '../command.js'
import { JOB_FLAGS, jobIdArg, SWITCH_FLAG } from '../flags.js'
import { printJson, printLine } from '../io.js'
import { expiryText } from '../job-format.js'

/** `mes-trace pin JOB_ID`. */
export const pinCommand: Command = {
  summary: "Keep a job's result until deleted",
  positional: 'JOB_ID',
  options: { off: SWITCH_FLAG, ...JOB_FLAGS },
  usage: ['--off             unpin: it expires again TRACE_JOB_TTL_SECONDS after it ended'],
  async run({ flags, positionals }, io) {
    const jobId = jobIdArg(positionals)
    const pinned = flags.off !== true
    return withJobStore(flags, io, ({ engine }) => {
      const row = engine.pin(jobId, pinned)
      if (flags.json) {
        printJson(io, jobViewOf(row))
        return 0
      }
      const expiry = expiryText(row, Date.now())
      const when =
        expiry === 'pinned' ? 'it never expires'
        : expiry === 'never' ? 'it is kept until deleted (TRACE_JOB_TTL_SECONDS was 0)'
        : expiry === 'expired' ? 'it has expired already; the next sweep deletes it'
        : expiry === '-' ? 'it expires TRACE_JOB_TTL_SECONDS after it ends'
        : `it expires ${expiry}`
      printLine(io, `${pinned ? 'Pinned' : 'Unpinned'} job ${jobId}: ${when}.`)
      return 0
    })
  },
}
