/** The usage text, generated from the command table: the whole list for `help`, one command for `help COMMAND`. */
import type { Command } from './command.js'

/** Column where a command's summary starts when its name fits before it. */
const NAME_WIDTH = 11

const SUMMARY_INDENT = ' '.repeat(2 + NAME_WIDTH)
const FLAG_INDENT = ' '.repeat(2 + NAME_WIDTH + 2)

/** Flags many commands share, said once at the end of the list instead of under each command. */
const SHARED_FLAGS: readonly (readonly [flag: string, line: string])[] = [
  ['data-dir', "--data-dir DIR    catalog and results (default: the app's data folder)"],
  ['json', '--json            print one JSON object on stdout'],
]

const NOTES = [
  "  Every job command takes --data-dir DIR (default: the app's data folder); cancel, pin, rm,",
  '  rerun, export, report, import and diff take --json for one JSON object on stdout.',
]

function synopsis(name: string, command: Command): string {
  return command.positional ? `${name} ${command.positional}` : name
}

/** A command in the list: its synopsis, its summary (beside a short name, else under it), its flags. */
function listEntry(head: string, summary: string, usage: readonly string[]): string[] {
  const [first = '', ...more] = summary.split('\n')
  const lines = head.length < NAME_WIDTH ? [`  ${head.padEnd(NAME_WIDTH)}${first}`] : [`  ${head}`, `${SUMMARY_INDENT}${first}`]
  return [...lines, ...more.map((m) => `${SUMMARY_INDENT}${m}`), ...usage.map((u) => `${FLAG_INDENT}${u}`)]
}

/** The usage of every command, as `mes-trace help` prints it. */
export function formatUsage(commands: Readonly<Record<string, Command>>): string {
  const lines = ['Usage: mes-trace <command> [options]', '', 'Commands']
  for (const [name, command] of Object.entries(commands)) lines.push(...listEntry(synopsis(name, command), command.summary, command.usage))
  lines.push(...listEntry('help', 'Show this text (`mes-trace help COMMAND` or `mes-trace COMMAND --help`: one command)', []), ...NOTES)
  return `${lines.join('\n')}\n`
}

/** One command's usage, as `mes-trace help NAME` and `mes-trace NAME --help` print it. */
export function formatCommandUsage(name: string, command: Command): string {
  const flags = Object.keys(command.options)
  const shared = SHARED_FLAGS.filter(([flag]) => flags.includes(flag) && !command.usage.some((u) => u.includes(`--${flag} `) || u === `--${flag}`))
  const usage = [...command.usage, ...shared.map(([, line]) => line)]
  return [
    `Usage: mes-trace ${synopsis(name, command)}${flags.length > 0 ? ' [options]' : ''}`,
    '',
    ...command.summary.split('\n'),
    ...(usage.length > 0 ? ['', ...usage.map((u) => `  ${u}`)] : []),
    '',
  ].join('\n')
}
