/**
 * `mes-trace rerun JOB_ID`: the same request, from the same source, as a new job (never answered
 * from cache), waited for and reported like `run`. The engine is not started: re-running needs no
 * recovery or sweep, and starting it would mark jobs running in a desktop app as interrupted.
 */
import { invalidInput } from '../../../shared/errors.js'
import { IMPORT_SOURCE_PREFIX, isImported } from '../../engine/index.js'
import { withJobStore } from '../cli-engine.js'
import type { Command } from '../command.js'
import { JOB_FLAGS, jobIdArg, SETTING_FLAGS } from '../flags.js'
import { printJson, printLine } from '../io.js'
import { rerunPasswordOf } from '../password-stdin.js'
import { finishedRunFields, finishedRunText, followRun, recordRunError, runExitCode, unfinishedRunJson } from '../run-report.js'

/** `mes-trace rerun JOB_ID`. */
export const rerunCommand: Command = {
  summary: "Run a job's request again as a new job and print what it found (like run)",
  positional: 'JOB_ID',
  options: { ...JOB_FLAGS, ...SETTING_FLAGS },
  usage: [],
  async run({ flags, positionals }, io) {
    const jobId = jobIdArg(positionals)
    return withJobStore(flags, io, async ({ engine, results }) => {
      const old = engine.status(jobId)
      if (isImported(old)) {
        throw invalidInput('JOB_ID', `job ${jobId} was imported from a result file (${old.source_id.slice(IMPORT_SOURCE_PREFIX.length)}); it has no source to run again`)
      }
      const started = performance.now()
      const json = unfinishedRunJson(old.profile, old.source_description ?? old.source_id)
      let newId: string | undefined
      const onSignal = (): void => {
        if (newId) engine.cancel(newId)
      }
      process.once('SIGINT', onSignal)
      try {
        // A server's password comes from this command's environment (PGPASSWORD…), else ~/.pgpass.
        newId = engine.rerun(jobId, rerunPasswordOf(old.source_id)).jobId
        json.job_id = newId
        if (!flags.json) io.stderr(`Running ${jobId} again as ${newId}\n`)
        const { row, result } = await followRun(engine, results, newId, io, flags.json === true)
        Object.assign(json, { ...finishedRunFields(result, row.cid_count, row.request.domains), as_of: result.summary.as_of })
        if (!flags.json) {
          printLine(
            io,
            finishedRunText(result, { request: row.request, jobId: newId, cached: false, asOf: null, cidCount: row.cid_count, elapsedMs: performance.now() - started }),
          )
        }
      } catch (error) {
        recordRunError(json, error, io, flags.json === true)
      } finally {
        process.off('SIGINT', onSignal)
      }
      json.elapsed_ms = Math.round(performance.now() - started)
      if (flags.json) printJson(io, { ...json, rerun_of: jobId })
      return runExitCode(json)
    })
  },
}
