/**
 * `mes-trace run`: one trace from the command line as a job of the engine (worker process, shared
 * catalog and result files), with a summary (or one JSON object with `--json`) at the end. Rows
 * can be written to an NDJSON file from the finished result.
 */
import { createWriteStream, type WriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { once } from 'node:events'
import { resolve } from 'node:path'
import { AppError, invalidInput, toErrorData, type AppErrorData } from '../../shared/errors.js'
import type { MsdAggregation } from '../../shared/msd.js'
import { formatLocalDateTime } from '../../shared/time.js'
import { splitTokens } from '../../shared/tokens.js'
import { normalizeTraceRequest, toTraceRequest, type NormalizedTraceRequest, type TraceRequest } from '../../shared/trace-request.js'
import type { Domain, EdgeType, LineageResult, QualityMeta, ResolveType, SeedResult, TraceProgress } from '../../shared/trace.js'
import type { JobEngine } from '../engine/index.js'
import { openSource, parseSourceSpec } from '../sources/index.js'
import type { Catalog } from '../store/index.js'
import { dataDirOf, openCliEngine } from './cli-engine.js'
import { withCliPassword } from './password-stdin.js'
import { formatAggregation } from './msd-format.js'
import { closeOutput, writeLine } from '../results/index.js'

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

/** Speaks of flags, not request fields, in errors shown on the command line. */
function renameFields(error: unknown, valuesFlag: string): unknown {
  const data = toErrorData(error)
  const field = data.details?.field
  if (data.code !== 'input/invalid' || typeof field !== 'string') return error
  const flag = field.startsWith('params.values') ? valuesFlag : (FLAG_OF_FIELD.find(([re]) => re.test(field))?.[1] ?? field)
  const text = data.message.startsWith(`${field}: `) ? data.message.slice(field.length + 2) : data.message
  return invalidInput(flag, text, { ...data.details, field: flag })
}

/** The one JSON object `run --json` prints. */
export interface RunJson {
  job_id: string | null
  status: 'finished' | 'failed' | 'cancelled'
  /** True when an identical earlier job's unexpired result answered the request. */
  cached: boolean
  /** Completion time (epoch ms) of that earlier result. */
  as_of: number | null
  profile: string | null
  source: string | null
  seed_count: number
  cid_count: number
  not_found: string[]
  lineage: { total_nodes: number; edges: number; truncated: boolean } | null
  domains: Partial<Record<Domain, { rows: number; quality: QualityMeta['status'] }>>
  quality_meta: QualityMeta | null
  elapsed_ms: number
  result_file: string | null
  /** The MSD aggregation (domain.md §5.6/§5.7 keys plus `suspects`); null for other profiles. */
  aggregation: MsdAggregation | null
  error: AppErrorData | null
}

/** Human progress on a terminal (stderr), one line rewritten in place. */
export function progressPrinter(enabled: boolean): { update(p: TraceProgress): void; done(): void } {
  let last = 0
  let shown = false
  return {
    update(p) {
      if (!enabled) return
      const now = Date.now()
      if (now - last < 100) return
      last = now
      const domains = Object.entries(p.domains ?? {})
        .map(([d, v]) => `${d} ${v.batches_done}/${v.batches_total}`)
        .join(' · ')
      const text = `${p.stage}: ${domains || p.message || ''}${p.rows_so_far !== undefined ? ` · ${p.rows_so_far} rows` : ''}`
      process.stderr.write(`\r\x1b[2K${text.slice(0, (process.stderr.columns ?? 120) - 1)}`)
      shown = true
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[2K')
    },
  }
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

/** What a finished run shows: the job row's numbers and the result file's seeds, lineage and quality. */
export interface RunSummary {
  request: NormalizedTraceRequest
  jobId: string
  cached: boolean
  asOf: number | null
  seeds: SeedResult
  lineage: LineageResult | null
  cidCount: number
  rows: Partial<Record<Domain, number>>
  domainQuality: Partial<Record<Domain, QualityMeta>>
  quality: QualityMeta | null
  resultFile: string
  elapsedMs: number
}

/** Formats a finished run for a person. */
export function formatOutcome(run: RunSummary): string {
  const lines: string[] = []
  const { seeds, lineage, request } = run
  lines.push(`Job           ${run.jobId}${run.cached && run.asOf ? ` (cached result, as of ${formatLocalDateTime(new Date(run.asOf)).replace('T', ' ')}; --force re-runs it)` : ''}`)
  lines.push(`Profile       ${request.profile} (${request.direction})`)
  lines.push(`Seeds         ${seeds.seed_count} container(s)${seeds.input_count ? ` from ${seeds.input_count} input value(s)` : ''}`)
  if (seeds.not_found.length > 0) {
    const shown = seeds.not_found.slice(0, 10).join(', ')
    lines.push(`Not found     ${seeds.not_found.length}: ${shown}${seeds.not_found.length > 10 ? ', …' : ''}`)
  }
  if (lineage) {
    const byType = new Map<EdgeType, number>()
    for (const e of lineage.edges) byType.set(e.edge_type, (byType.get(e.edge_type) ?? 0) + 1)
    const edges = [...byType].map(([t, n]) => `${t} ${n}`).join(', ') || 'none'
    lines.push(`Lineage       ${lineage.total_nodes} nodes; edges: ${edges}${lineage.truncated ? ` (TRUNCATED: ${lineage.truncation_reasons.join(', ')})` : ''}`)
    if (lineage.direction === 'backward') {
      const roots = [...new Set(Object.values(lineage.seed_roots))]
      lines.push(`Roots         ${roots.slice(0, 5).join(', ')}${roots.length > 5 ? ` … (${roots.length})` : ''}`)
    } else {
      const serials = new Set(Object.values(lineage.leaf_serials).flat())
      lines.push(`Roots         ${lineage.roots.length}; serials at the leaves: ${serials.size}`)
    }
    lines.push(`Event CIDs    ${run.cidCount}`)
  }
  for (const domain of request.domains) {
    const rows = run.rows[domain] ?? 0
    const q = run.domainQuality[domain]
    lines.push(`  ${domain.padEnd(20)} ${String(rows).padStart(9)} rows  ${q?.status ?? 'complete'}${q?.errors?.length ? ` — ${q.errors[0]}` : ''}`)
  }
  const quality = run.quality
  if (quality) lines.push(`Quality       ${quality.status}${quality.reasons.length ? ` (${quality.reasons.join(', ')})` : ''}`)
  lines.push(`Result file   ${run.resultFile}`)
  lines.push(`Time          ${(run.elapsedMs / 1000).toFixed(2)} s`)
  return lines.join('\n')
}

/** Resolves once `jobId` reaches a terminal status. */
export function whenJobEnds(engine: JobEngine, jobId: string): Promise<void> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const status = engine.status(jobId).status
      return status !== 'queued' && status !== 'running'
    }
    if (check()) return resolve()
    const stop = engine.onDidChangeStatus((event) => {
      if (event.jobId === jobId && check()) {
        stop()
        resolve()
      }
    })
  })
}

/**
 * Runs `mes-trace run`: one job through the engine (a worker process, the shared catalog and
 * result files of the data directory). Returns the exit code: 0 only when the job finished.
 */
export async function runCommand(flags: RunFlags, out: { stdout: (s: string) => void; stderr: (s: string) => void }): Promise<number> {
  const started = performance.now()
  const json: RunJson = {
    job_id: null, status: 'failed', cached: false, as_of: null, profile: flags.profile ?? null, source: null, seed_count: 0,
    cid_count: 0, not_found: [], lineage: null, domains: {}, quality_meta: null, elapsed_ms: 0, result_file: null, aggregation: null,
    error: null,
  }
  let ndjson: WriteStream | undefined
  let engine: JobEngine | undefined
  let catalog: Catalog | undefined
  let jobId: string | undefined
  const onSignal = (): void => {
    if (engine && jobId) engine.cancel(jobId)
  }
  process.once('SIGINT', onSignal)
  try {
    if (!flags.source) throw invalidInput('--source', 'is required, e.g. --source sqlite:plant.sqlite')
    const request = await requestFromFlags(flags)
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
    for (const warning of schema.warnings) out.stderr(`warning: ${warning}\n`)

    const opened = openCliEngine(dataDirOf(flags), flags, (text) => out.stderr(text))
    ;({ catalog, engine } = opened)
    const live = opened.engine
    live.start()
    const progress = progressPrinter(!flags.json && process.stderr.isTTY === true)
    const stopProgress = live.onDidProgress((event) => {
      if (event.jobId === jobId) progress.update(event.progress)
    })
    const enqueued = live.enqueue(toTraceRequest(request), { source: spec.kind === 'sqlite' ? { kind: 'sqlite', path: resolve(spec.path) } : spec, force: flags.force === true })
    jobId = enqueued.jobId
    Object.assign(json, { job_id: jobId, cached: enqueued.cached, as_of: enqueued.asOf ?? null })
    await whenJobEnds(live, jobId)
    stopProgress()
    progress.done()
    const row = live.status(jobId)
    if (row.status !== 'finished') {
      throw new AppError(row.error_code ?? 'trace/cancelled', row.error_message ?? `The job was ${row.status}.`)
    }
    const reader = live.reader(jobId)
    const manifest = reader.manifest()
    const seeds = reader.seeds() ?? { seeds: [], seed_count: 0, not_found: [], expansion_info: {}, input_count: 0 }
    const lineage = reader.lineage()
    for (const warning of manifest.warnings) out.stderr(`warning: ${warning}\n`)
    if (ndjson) {
      for (const domain of manifest.domains) {
        for await (const rows of reader.allRows(domain)) {
          for (const r of rows) await writeLine(ndjson, `${JSON.stringify({ domain, ...r })}\n`)
        }
      }
    }
    Object.assign(json, {
      status: 'finished',
      seed_count: seeds.seed_count,
      cid_count: row.cid_count,
      not_found: seeds.not_found,
      lineage: lineage ? { total_nodes: lineage.total_nodes, edges: lineage.edges.length, truncated: lineage.truncated } : null,
      domains: Object.fromEntries(
        request.domains.map((d) => [d, { rows: manifest.row_counts[d] ?? 0, quality: manifest.domain_quality[d]?.status ?? 'complete' }]),
      ),
      quality_meta: manifest.quality,
      result_file: reader.path,
      aggregation: (reader.aggregation() as MsdAggregation | null) ?? null,
    })
    if (!flags.json) {
      out.stdout(
        `${formatOutcome({
          request, jobId, cached: enqueued.cached, asOf: enqueued.asOf ?? null, seeds, lineage, cidCount: row.cid_count,
          rows: manifest.row_counts, domainQuality: manifest.domain_quality, quality: manifest.quality, resultFile: reader.path,
          elapsedMs: performance.now() - started,
        })}\n`,
      )
      if (json.aggregation) out.stdout(`${formatAggregation(json.aggregation)}\n`)
    }
  } catch (error) {
    const data = toErrorData(error)
    json.status = data.code === 'trace/cancelled' ? 'cancelled' : 'failed'
    json.error = data
    if (!flags.json) out.stderr(`error [${data.code}] ${data.message}\n`)
  } finally {
    process.off('SIGINT', onSignal)
    await engine?.shutdown(2000)
    catalog?.close()
    const closeError = ndjson ? await closeOutput(ndjson, flags.ndjson!) : null
    if (closeError && json.status === 'finished') {
      Object.assign(json, { status: 'failed', error: closeError })
      if (!flags.json) out.stderr(`error [${closeError.code}] ${closeError.message}\n`)
    }
  }
  json.elapsed_ms = Math.round(performance.now() - started)
  if (flags.json) out.stdout(`${JSON.stringify(json)}\n`)
  return json.status === 'finished' ? 0 : json.error?.code === 'input/invalid' ? 2 : 1
}
