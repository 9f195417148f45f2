/**
 * Every `mes-trace` command by name, in the order the usage text lists them. `main` dispatches
 * through this table and `help` is generated from it, so a command exists once: in its own file
 * under `commands/`, and here.
 */
import type { Command } from './command.js'
import { cancelCommand } from './commands/cancel.js'
import { demoRunCommand } from './commands/demo-run.js'
import { demoCommand } from './commands/demo.js'
import { diffCommand } from './commands/diff.js'
import { exportCommand } from './commands/export.js'
import { importCommand } from './commands/import.js'
import { jobsCommand } from './commands/jobs.js'
import { loadCommand } from './commands/load.js'
import { pinCommand } from './commands/pin.js'
import { reportCommand } from './commands/report.js'
import { rerunCommand } from './commands/rerun.js'
import { rmCommand } from './commands/rm.js'
import { runCommand } from './commands/run.js'
import { serveCommand } from './commands/serve.js'
import { showCommand } from './commands/show.js'

/** The commands, by the word that names them on the command line. */
export const COMMANDS = {
  demo: demoCommand,
  run: runCommand,
  'demo-run': demoRunCommand,
  jobs: jobsCommand,
  show: showCommand,
  diff: diffCommand,
  cancel: cancelCommand,
  pin: pinCommand,
  rm: rmCommand,
  rerun: rerunCommand,
  export: exportCommand,
  report: reportCommand,
  import: importCommand,
  load: loadCommand,
  serve: serveCommand,
} as const satisfies Record<string, Command>

/** A command's name. */
export type CommandName = keyof typeof COMMANDS

/** True for a word that names a command (never for what every object has, like `toString`). */
export function isCommandName(word: string): word is CommandName {
  return Object.hasOwn(COMMANDS, word)
}
