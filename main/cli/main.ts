/**
 * The `mes-trace` command line: finds the command named by the first word in the command table,
 * parses its flags, runs it, and turns what it throws into a message and an exit code. Each
 * command validates its flags and names a bad one in its error; exit code 0 = done, 1 = the work
 * failed, 2 = bad usage.
 */
import { invalidInput, toErrorData } from '../../shared/errors.js'
import { COMMANDS, isCommandName } from './command-table.js'
import { parseFlags, type ParsedArgs } from './flags.js'
import { processIo, type CliIo } from './io.js'
import { formatCommandUsage, formatUsage } from './usage.js'

/** Words that ask for the usage text. */
const HELP_WORDS: ReadonlySet<string> = new Set(['help', '--help', '-h'])

/** True when the arguments ask for help (`--help` or `-h` before any `--`). */
function asksForHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false
    if (arg === '--help' || arg === '-h') return true
  }
  return false
}

/** Prints `error` as `mes-trace[ COMMAND]: [code] message`; resolves to its exit code. */
function report(io: CliIo, prefix: string, error: unknown): number {
  const data = toErrorData(error)
  io.stderr(`${prefix}: [${data.code}] ${data.message}\n`)
  return data.code === 'input/invalid' ? 2 : 1
}

/** A word that names no command: `input/invalid` naming it, with the list of commands. */
function unknownCommand(word: string): Error {
  const names = [...Object.keys(COMMANDS), 'help'].join(', ')
  return invalidInput('COMMAND', `unknown command ${JSON.stringify(word.slice(0, 60))}; the commands are ${names} (\`mes-trace help\` says what each does)`, {
    command: word.slice(0, 60),
  })
}

/** `mes-trace help [COMMAND]`. */
function help(args: readonly string[], io: CliIo): number {
  const [word] = args
  if (word === undefined) {
    io.stdout(formatUsage(COMMANDS))
    return 0
  }
  if (!isCommandName(word)) return report(io, 'mes-trace help', unknownCommand(word))
  io.stdout(formatCommandUsage(word, COMMANDS[word]))
  return 0
}

/** Runs the CLI with `argv` (without the node and script paths); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [word, ...rest] = argv
  if (!word) {
    // No command at all: what there is to run, as a usage error.
    io.stdout(formatUsage(COMMANDS))
    return 2
  }
  if (HELP_WORDS.has(word)) return help(rest, io)
  if (!isCommandName(word)) return report(io, 'mes-trace', unknownCommand(word))
  const command = COMMANDS[word]
  if (asksForHelp(rest)) {
    io.stdout(formatCommandUsage(word, command))
    return 0
  }
  let args: ParsedArgs
  try {
    args = parseFlags(rest, command.options, command.positional !== undefined)
  } catch (error) {
    io.stderr(`mes-trace ${word}: ${(error as Error).message}\n`)
    return 2
  }
  try {
    return await command.run(args, io)
  } catch (error) {
    return report(io, `mes-trace ${word}`, error)
  }
}
