/**
 * The `mes-trace` command line. Each command validates its flags and names a bad one in its error;
 * exit code 0 = done, 1 = the work failed, 2 = bad usage.
 */
import { SETTING_KEYS, settingFlagName } from '../../shared/settings.js'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { toErrorData } from '../../shared/errors.js'
import { demoCommand, demoRunCommand } from './demo-command.js'
import { cancelCommand, exportCommand, importCommand, jobsCommand, pinCommand, rerunCommand, rmCommand, showCommand } from './jobs-command.js'
import { runCommand, type RunFlags } from './run-command.js'
import { serveCommand } from './serve-command.js'
import { loadCommand } from './load-command.js'

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
               --source sqlite:FILE | postgres://USER@HOST:PORT/DB?schema=S |
                        oracle://USER@HOST:PORT/SERVICE?schema=S
                                 a server's password never goes in the URL (the process list shows
                                 it to every local user): PostgreSQL takes PGPASSWORD or ~/.pgpass
                                 (%APPDATA%\\postgresql\\pgpass.conf on Windows), Oracle takes
                                 MES_TRACE_ORACLE_PASSWORD, or give --password-stdin
               --password-stdin  read the server's password from standard input (its first line;
                                 at a terminal, a prompt without echo)
               --profile query_tool | query_tool_reverse | mid_section_defect
               --lot-ids A,B | --wafer-lots … | --work-orders … | --serials … |
               --gd-work-orders … | --gd-lot-ids … | --ids-file FILE
               --direction backward|forward (MSD)   --station NAME --from YYYY-MM-DD --to YYYY-MM-DD
               --loss-reasons A,B   --domains history,materials,…   --ndjson FILE (all rows)
               --force           run again even if an identical unexpired result exists
               --data-dir DIR    catalog and results (default: the app's data folder)
               --trace-job-timeout-seconds N, --trace-worker-max-memory-mb N, … any engine
                                 setting for this run (names as the environment variables)
               --json            print one JSON object on stdout
  demo-run   Make the demo plant if missing and trace a few of its lots (the quick tour)
               --data-dir DIR    where the demo plant is kept (default: the app's data folder)
  jobs       List the jobs, newest first
               --status S[,S…]   queued, running, finished, failed, cancelled, interrupted
               --profile P       --text T (a job id, lot id, station, source… contains T)
               --json            print one JSON array
  show JOB_ID
             One job: its status, times, expiry and, once finished, what its result holds
               --domain D        print one page of that domain's rows instead
               --detail, --suspects   one page of the MSD detail rows or suspect list
               --offset N        rows to skip (default 0)   --limit N   rows (default 50, at most 1000)
               --sort COL[:desc] order of the page (default: the order rows were found in)
               --json            {job, result}, or with --domain {total, offset, limit, rows}
  cancel JOB_ID
             Cancel a queued job (a job that already ended is left as it is)
  pin JOB_ID Keep a job's result until deleted
               --off             unpin: it expires again TRACE_JOB_TTL_SECONDS after it ended
  rm JOB_ID  Delete a job and its result file
  rerun JOB_ID
             Run a job's request again as a new job and print what it found (like run)
  export JOB_ID
             Write a finished job's result out
               --format csv|xlsx|sqlite
                                 csv: one UTF-8 <table>.csv per domain (and msd_detail, msd_suspects);
                                 xlsx: one workbook, a sheet per table; sqlite: a copy of the result file
               --out PATH        the folder (csv), the file (xlsx, sqlite, or csv of one table)
               --domain D        one domain only           --detail   the MSD detail rows only
               --suspects        the MSD suspect list only --force    replace existing files
  import FILE
             Add a result file exported elsewhere (mes-trace export --format sqlite) as a finished,
             pinned job of this data folder, to list, show and export like any other
  Every job command takes --data-dir DIR (default: the app's data folder); cancel, pin, rm,
  rerun, export and import take --json for one JSON object on stdout.
  load       Copy a SQLite source into PostgreSQL in the source schema (to try the PostgreSQL path)
               --from plant.sqlite --to postgres://USER@HOST:PORT/DB [--schema S] [--replace]
               --password-stdin  read the password from standard input (else PGPASSWORD or ~/.pgpass;
                                 never in the URL)
  serve      Serve the app to a browser on this machine (127.0.0.1 only), with the demo plant as a
             data source; prints the URL (it carries a random token)
               --port N          default: any free port   --data-dir DIR
  help       Show this text
`

type Options = NonNullable<ParseArgsConfig['options']>
const str = { type: 'string' } as const
const bool = { type: 'boolean' } as const

/** `--trace-worker-count N`, … : engine settings for this run (over the environment and the settings table). */
const SETTING_FLAGS: Options = Object.fromEntries(SETTING_KEYS.map((key) => [settingFlagName(key), str]))

const COMMANDS: Record<string, Options> = {
  demo: { out: str, lots: str, seed: str, days: str, 'end-date': str, force: bool, json: bool },
  run: {
    source: str, profile: str, direction: str, 'lot-ids': str, 'wafer-lots': str, 'work-orders': str, serials: str,
    'gd-work-orders': str, 'gd-lot-ids': str, 'ids-file': str, station: str, from: str, to: str, 'loss-reasons': str,
    domains: str, ndjson: str, json: bool, force: bool, 'data-dir': str, 'password-stdin': bool, ...SETTING_FLAGS,
  },
  'demo-run': { 'data-dir': str, lots: str },
  load: { from: str, to: str, schema: str, replace: bool, json: bool, 'password-stdin': bool },
  serve: { 'data-dir': str, port: str, lots: str, 'renderer-dir': str, ...SETTING_FLAGS },
  jobs: { status: str, profile: str, text: str, json: bool, 'data-dir': str },
  show: { domain: str, detail: bool, suspects: bool, offset: str, limit: str, sort: str, json: bool, 'data-dir': str },
  cancel: { json: bool, 'data-dir': str },
  pin: { off: bool, json: bool, 'data-dir': str },
  rm: { json: bool, 'data-dir': str },
  rerun: { json: bool, 'data-dir': str, ...SETTING_FLAGS },
  export: { format: str, out: str, domain: str, detail: bool, suspects: bool, force: bool, json: bool, 'data-dir': str },
  import: { json: bool, 'data-dir': str },
}

/** Commands that take one positional argument (JOB_ID or FILE); the others take none. */
const WITH_POSITIONAL: ReadonlySet<string> = new Set(['show', 'cancel', 'pin', 'rm', 'rerun', 'export', 'import'])

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
  let positionals: string[]
  try {
    const parsed = parseArgs({ args: [...rest], options, strict: true, allowPositionals: WITH_POSITIONAL.has(command) })
    values = parsed.values as Record<string, string | boolean | undefined>
    positionals = parsed.positionals
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
      case 'jobs':
        return await jobsCommand(values, io)
      case 'show':
        return await showCommand(positionals, values, io)
      case 'cancel':
        return await cancelCommand(positionals, values, io)
      case 'pin':
        return await pinCommand(positionals, values, io)
      case 'rm':
        return await rmCommand(positionals, values, io)
      case 'rerun':
        return await rerunCommand(positionals, values, io)
      case 'export':
        return await exportCommand(positionals, values, io)
      case 'import':
        return await importCommand(positionals, values, io)
      case 'serve':
        return await serveCommand(values, io)
      case 'load':
        return await loadCommand(values, io)
      default:
        return await demoRunCommand(values, io)
    }
  } catch (error) {
    const data = toErrorData(error)
    io.stderr(`mes-trace ${command}: [${data.code}] ${data.message}\n`)
    return data.code === 'input/invalid' ? 2 : 1
  }
}
