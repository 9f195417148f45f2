/**
 * `mes-trace run`: one trace from the command line as a job of the engine (worker process, shared
 * catalog and result files), with a summary (or one JSON object with `--json`) at the end. Rows
 * can be written to an NDJSON file from the finished result.
 */
import { createWriteStream, type WriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { once } from 'node:events'
import { resolve } from 'node:path'
import { invalidInput, toErrorData } from '../../../shared/errors.js'
import { splitTokens } from '../../../shared/tokens.js'
import { isPushdownMode, normalizeTraceRequest, PUSHDOWN_MODES, toTraceRequest, type NormalizedTraceRequest, type PushdownMode, type TraceRequest } from '../../../shared/trace-request.js'
import type { ResolveType } from '../../../shared/trace.js'
import { closeOutput, ResultService, writeLine } from '../../results/index.js'
import { openSource, parseSourceSpec } from '../../sources/index.js'
import { ENGINE_SHUTDOWN_MS, openCliEngine, type CliEngine } from '../cli-engine.js'
import type { Command } from '../command.js'
import { dataDirOf, SETTING_FLAGS, SWITCH_FLAG, VALUE_FLAG } from '../flags.js'
import { printJson, printLine, printWarning, type CliIo } from '../io.js'
import { withCliPassword } from '../password-stdin.js'
import { finishedRunFields, finishedRunText, followRun, recordRunError, runExitCode, unfinishedRunJson } from '../run-report.js'

/** Flags of `run`, as parsed from the command line (all strings). */
export interface RunFlags {
  source?: string
  profile?: string
  direction?: string
  'lot-ids'?: string
  'wafer-lots'?: string
  'work-orders'?: string
  serials?: string
  'gd-work-orders'?: string
  'gd-lot-ids'?: string
  'ids-file'?: string
  station?: string
  from?: string
  to?: string
  'loss-reasons'?: string
  domains?: string
  /** auto | on | off: whether the source summarizes an MSD trace's events (docs/pushdown.md). */
  pushdown?: string
  ndjson?: string
  json?: boolean
  force?: boolean
  'data-dir'?: string
  /** Read the server's password from standard input (never from an argument). */
  'password-stdin'?: boolean
  /** Engine setting flags (`trace-worker-count`, …), see `settingsFromFlags`. */
  [settingFlag: string]: string | boolean | undefined
}

const TYPE_FLAGS: readonly [keyof RunFlags, ResolveType][] = [
  ['lot-ids', 'lot_id'],
  ['wafer-lots', 'wafer_lot'],
  ['work-orders', 'work_order'],
  ['serials', 'serial_number'],
  ['gd-work-orders', 'gd_work_order'],
  ['gd-lot-ids', 'gd_lot_id'],
]

const DEFAULT_TYPE: Record<string, ResolveType> = {
  query_tool: 'lot_id',
  query_tool_reverse: 'serial_number',
  mid_section_defect: 'lot_id',
}

/** Builds a trace request from CLI flags; errors name the flag. */
export async function requestFromFlags(flags: RunFlags): Promise<NormalizedTraceRequest> {
  const profile = flags.profile
  if (!profile) throw invalidInput('--profile', 'is required (query_tool, query_tool_reverse or mid_section_defect)')
  const given = TYPE_FLAGS.filter(([flag]) => flags[flag] !== undefined)
  if (given.length > 1) {
    throw invalidInput(`--${given[1]![0]}`, `give one input type per trace (also got --${given[0]![0]})`)
  }
  const values = given.length === 1 ? splitTokens(String(flags[given[0]![0]])) : []
  if (flags['ids-file']) {
    let text: string
    try {
      text = await readFile(flags['ids-file'], 'utf8')
    } catch (error) {
      throw invalidInput('--ids-file', `cannot read ${flags['ids-file']}: ${(error as Error).message}`)
    }
    values.push(...splitTokens(text))
  }
  const type = given[0]?.[1] ?? DEFAULT_TYPE[profile]
  const params: Record<string, unknown> = {}
  if (flags.direction !== undefined) params.direction = flags.direction
  if (profile === 'mid_section_defect') {
    if (flags.station !== undefined) params.station = flags.station
    if (flags['loss-reasons'] !== undefined) params.loss_reasons = splitTokens(flags['loss-reasons'])
    if (values.length > 0) {
      Object.assign(params, { mode: 'container', resolve_type: type, values })
    } else {
      Object.assign(params, { mode: 'date_range', start_date: flags.from, end_date: flags.to })
    }
  } else {
    Object.assign(params, { resolve_type: type, values })
  }
  const request: Record<string, unknown> = { profile, params }
  if (flags.domains !== undefined) request.domains = splitTokens(flags.domains)
  try {
    return normalizeTraceRequest(request as unknown as TraceRequest)
  } catch (error) {
    throw renameFields(error, given[0] ? `--${given[0][0]}` : flags['ids-file'] ? '--ids-file' : '--lot-ids')
  }
}

const FLAG_OF_FIELD: readonly [RegExp, string][] = [
  [/^params\.start_date$/, '--from'],
  [/^params\.end_date$/, '--to'],
  [/^params\.station$/, '--station'],
  [/^params\.direction$/, '--direction'],
  [/^params\.loss_reasons/, '--loss-reasons'],
  [/^(profile|params\.resolve_type)$/, '--profile'],
  [/^domains/, '--domains'],
]

/**
 * The `--pushdown` mode (default auto). `on` names an MSD trace: anything else is refused here,
 * naming the flag, before a worker starts.
 */
function pushdownOf(flags: RunFlags, request: NormalizedTraceRequest): PushdownMode {
  const mode = flags.pushdown ?? 'auto'
  if (!isPushdownMode(mode)) throw invalidInput('--pushdown', `must be ${PUSHDOWN_MODES.join(', ')}, got ${JSON.stringify(mode)}`)
  if (mode === 'on' && request.profile !== 'mid_section_defect') throw invalidInput('--pushdown', 'only the MSD analysis is pushed down to the source')
  return mode
}

/** Speaks of flags, not request fields, in errors shown on the command line. */
function renameFields(error: unknown, valuesFlag: string): unknown {
  const data = toErrorData(error)
  const field = data.details?.field
  if (data.code !== 'input/invalid' || typeof field !== 'string') return error
  const flag = field.startsWith('params.values') ? valuesFlag : (FLAG_OF_FIELD.find(([re]) => re.test(field))?.[1] ?? field)
  const text = data.message.startsWith(`${field}: `) ? data.message.slice(field.length + 2) : data.message
  return invalidInput(flag, text, { ...data.details, field: flag })
}

/** Opens the NDJSON output; a path that cannot be written is bad input naming `--ndjson`. */
async function openNdjson(path: string): Promise<WriteStream> {
  const stream = createWriteStream(path, { encoding: 'utf8' })
  try {
    await once(stream, 'open')
  } catch (error) {
    throw invalidInput('--ndjson', `cannot write ${path}: ${(error as Error).message}`)
  }
  return stream
}

/**
 * Runs one trace as a job of the engine (a worker process, the shared catalog and result files of
 * the data directory) and reports it. Returns the exit code: 0 only when the job finished. Every
 * failure, bad input included, is in the report (stderr, or the `--json` object), never thrown.
 */
export async function runTrace(flags: RunFlags, io: CliIo): Promise<number> {
  const started = performance.now()
  const json = unfinishedRunJson(flags.profile ?? null, null)
  let ndjson: WriteStream | undefined
  let opened: CliEngine | undefined
  let results: ResultService | undefined
  let jobId: string | undefined
  const onSignal = (): void => {
    if (opened && jobId) opened.engine.cancel(jobId)
  }
  process.once('SIGINT', onSignal)
  try {
    if (!flags.source) throw invalidInput('--source', 'is required, e.g. --source sqlite:plant.sqlite')
    const request = await requestFromFlags(flags)
    const pushdown = pushdownOf(flags, request)
    // A password in the URL would sit in the process list for every local user to read.
    const typed = parseSourceSpec(flags.source, '--source', { refusePassword: true })
    // Kept in memory from here on: the engine hands it to the job's worker, never to the catalog.
    const spec = await withCliPassword(typed, { passwordStdin: flags['password-stdin'] === true })
    // The output file first: a bad path is refused before anything is read.
    if (flags.ndjson) ndjson = await openNdjson(flags.ndjson)
    // Check the source here too, so a wrong path or schema is named before a worker starts.
    const { source, schema } = await openSource(spec)
    json.source = source.description
    await source.close()
    // Said now, before the job may run for minutes; not said again with the result's warnings.
    for (const warning of schema.warnings) printWarning(io, warning)

    opened = openCliEngine(dataDirOf(flags), flags, (text) => io.stderr(text))
    const { engine } = opened
    results = new ResultService(engine)
    engine.start()
    // The domains go as given: a request that names none gets the profile's, or none when pushed down.
    const { domains, ...asked } = toTraceRequest(request)
    const raw = flags.domains === undefined ? asked : { ...asked, domains }
    const enqueued = engine.enqueue(raw, { source: spec.kind === 'sqlite' ? { kind: 'sqlite', path: resolve(spec.path) } : spec, force: flags.force === true, pushdown })
    jobId = enqueued.jobId
    Object.assign(json, { job_id: jobId, cached: enqueued.cached, as_of: enqueued.asOf ?? null })
    const { row, result } = await followRun(engine, results, jobId, io, flags.json === true, schema.warnings)
    json.pushdown = row.request.pushdown === true
    if (ndjson) {
      const reader = results.reader(jobId)
      for (const domain of result.summary.domains) {
        for await (const rows of reader.allRows(domain)) {
          for (const r of rows) await writeLine(ndjson, `${JSON.stringify({ domain, ...r })}\n`)
        }
      }
    }
    Object.assign(json, finishedRunFields(result, row.cid_count, row.request.domains))
    if (!flags.json) {
      printLine(
        io,
        finishedRunText(result, {
          request: row.request, jobId, cached: enqueued.cached, asOf: enqueued.asOf ?? null, cidCount: row.cid_count, elapsedMs: performance.now() - started,
        }),
      )
    }
  } catch (error) {
    recordRunError(json, error, io, flags.json === true)
  } finally {
    process.off('SIGINT', onSignal)
    results?.close()
    await opened?.engine.shutdown(ENGINE_SHUTDOWN_MS)
    opened?.catalog.close()
    const closeError = ndjson ? await closeOutput(ndjson, flags.ndjson!) : null
    if (closeError && json.status === 'finished') {
      Object.assign(json, { status: 'failed', error: closeError })
      if (!flags.json) io.stderr(`error [${closeError.code}] ${closeError.message}\n`)
    }
  }
  json.elapsed_ms = Math.round(performance.now() - started)
  if (flags.json) printJson(io, json)
  return runExitCode(json)
}

/** `mes-trace run`. */
export const runCommand: Command = {
  summary: 'Run one trace as a background job and print what it found',
  options: {
    source: VALUE_FLAG, profile: VALUE_FLAG, direction: VALUE_FLAG, 'lot-ids': VALUE_FLAG, 'wafer-lots': VALUE_FLAG,
    'work-orders': VALUE_FLAG, serials: VALUE_FLAG, 'gd-work-orders': VALUE_FLAG, 'gd-lot-ids': VALUE_FLAG, 'ids-file': VALUE_FLAG,
    station: VALUE_FLAG, from: VALUE_FLAG, to: VALUE_FLAG, 'loss-reasons': VALUE_FLAG, domains: VALUE_FLAG, pushdown: VALUE_FLAG, ndjson: VALUE_FLAG,
    json: SWITCH_FLAG, force: SWITCH_FLAG, 'data-dir': VALUE_FLAG, 'password-stdin': SWITCH_FLAG, ...SETTING_FLAGS,
  },
  usage: [
    '--source sqlite:FILE | postgres://USER@HOST:PORT/DB?schema=S |',
    '         oracle://USER@HOST:PORT/SERVICE?schema=S',
    '                  a server\'s password never goes in the URL (the process list shows',
    '                  it to every local user): PostgreSQL takes PGPASSWORD or ~/.pgpass',
    '                  (%APPDATA%\\postgresql\\pgpass.conf on Windows), Oracle takes',
    '                  MES_TRACE_ORACLE_PASSWORD, or give --password-stdin',
    '--password-stdin  read the server\'s password from standard input (its first line;',
    '                  at a terminal, a prompt without echo)',
    '--profile query_tool | query_tool_reverse | mid_section_defect',
    '--lot-ids A,B | --wafer-lots … | --work-orders … | --serials … |',
    '--gd-work-orders … | --gd-lot-ids … | --ids-file FILE',
    '--direction backward|forward (MSD)   --station NAME --from YYYY-MM-DD --to YYYY-MM-DD',
    '--loss-reasons A,B   --domains history,materials,…   --ndjson FILE (all rows)',
    '--pushdown auto|on|off  MSD: the database server summarizes the events the analysis',
    '                  reads and no events are copied unless --domains names them',
    '                  (auto: on a server, above MSD_PUSHDOWN_MIN_CIDS expected CIDs)',
    '--force           run again even if an identical unexpired result exists',
    '--data-dir DIR    catalog and results (default: the app\'s data folder)',
    '--trace-job-timeout-seconds N, --trace-worker-max-memory-mb N, … any engine',
    '                  setting for this run (names as the environment variables)',
    '--json            print one JSON object on stdout',
  ],
  run: ({ flags }, io) => runTrace(flags as RunFlags, io),
}
