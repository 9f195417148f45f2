/** What a `mes-trace` command is: its place in the usage text, its flags, and what it does. */
import type { FlagOptions, ParsedArgs } from './flags.js'
import type { CliIo } from './io.js'

/** One command of the command table. */
export interface Command {
  /** What it does, for the command list; a second line is indented under the first. */
  summary: string
  /** The positional argument as the usage shows it (`JOB_ID`, `FILE`); absent when it takes none. */
  positional?: string
  /** Its flags; any other flag is refused before `run` is called. */
  options: FlagOptions
  /** The usage lines under the summary (its flags and what they do), indented as they print. */
  usage: readonly string[]
  /**
   * Does the work. Resolves to the exit code (0 done, 1 the work failed, 2 bad usage); a thrown
   * `AppError` is printed by the dispatcher and exits 2 for `input/invalid`, else 1.
   */
  run(args: ParsedArgs, io: CliIo): Promise<number>
}
