/**
 * The `mes-trace` command line. Each command validates its flags and names a bad one in its error;
 * exit code 0 = done, 1 = the work failed, 2 = bad usage.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { toErrorData } from '../../shared/errors.js'
import { demoCommand, demoRunCommand } from './demo-command.js'
import { runCommand, type RunFlags } from './run-command.js'

const USAGE = `Usage: mes-trace <command> [options]

Commands
  demo       Make a demo plant (a SQLite MES source)
               --out FILE        where to write it (default demo-plant.sqlite)
               --lots N          lots to make (default 20000)
               --seed S          random seed (default mes-trace); same seed → same data
               --days N          days of production (default 60), ending --end-date (default 2026-10-31)
               --force           overwrite an existing file
               --json            print the summary as JSON
  run        Run one trace as a background job and print what it found
               --source sqlite:FILE
               --profile query_tool | query_tool_reverse | mid_section_defect
               --lot-ids A,B | --wafer-lots … | --work-orders … | --serials … |
               --gd-work-orders … | --gd-lot-ids … | --ids-file FILE
               --direction backward|forward (MSD)   --station NAME --from YYYY-MM-DD --to YYYY-MM-DD
               --loss-reasons A,B   --domains history,materials,…   --ndjson FILE (all rows)
               --force           run again even if an identical unexpired result exists
               --data-dir DIR    catalog and results (default: the app's data folder)
               --json            print one JSON object on stdout
  demo-run   Make the demo plant if missing and trace a few of its lots (the quick tour)
               --data-dir DIR    where the demo plant is kept (default: the app's data folder)
  help       Show this text
`

type Options = NonNullable<ParseArgsConfig['options']>
const str = { type: 'string' } as const
const bool = { type: 'boolean' } as const

const COMMANDS: Record<string, Options> = {
  demo: { out: str, lots: str, seed: str, days: str, 'end-date': str, force: bool, json: bool },
  run: {
    source: str, profile: str, direction: str, 'lot-ids': str, 'wafer-lots': str, 'work-orders': str, serials: str,
    'gd-work-orders': str, 'gd-lot-ids': str, 'ids-file': str, station: str, from: str, to: str, 'loss-reasons': str,
    domains: str, ndjson: str, json: bool, force: bool, 'data-dir': str,
  },
  'demo-run': { 'data-dir': str, lots: str },
}

export interface CliIo {
  stdout: (s: string) => void
  stderr: (s: string) => void
}

const defaultIo: CliIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) }

/** Runs the CLI with `argv` (without the node and script paths); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...rest] = argv
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.stdout(USAGE)
    return command ? 0 : 2
  }
  const options = COMMANDS[command]
  if (!options) {
    io.stderr(`mes-trace: unknown command "${command}"\n\n${USAGE}`)
    return 2
  }
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({ args: [...rest], options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>
  } catch (error) {
    io.stderr(`mes-trace ${command}: ${(error as Error).message}\n`)
    return 2
  }
  try {
    switch (command) {
      case 'demo':
        return await demoCommand(values, io)
      case 'run':
        return await runCommand(values as RunFlags, io)
      default:
        return await demoRunCommand(values, io)
    }
  } catch (error) {
    const data = toErrorData(error)
    io.stderr(`mes-trace ${command}: [${data.code}] ${data.message}\n`)
    return data.code === 'input/invalid' ? 2 : 1
  }
}
