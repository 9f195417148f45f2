// Benchmark (not part of the test run): MSD over a demo plant's whole range read from a PostgreSQL
// server, backward and forward, with the analysis's events fetched to the workstation (local) and
// summarized by the server (pushdown, docs/pushdown.md). Each run is a fresh process running what a
// job runs (`runJobWork`: seed resolve, lineage, events, analysis into a result file), started with
// a worker's command-line flags: wall time, stage times, peak RSS of that process, and bytes received
// from the server. Both modes must give the same aggregation.
// Needs a server: MES_TRACE_PG_TEST_URL (`.ci/run` and scripts/test-postgres.sh start one on
// 127.0.0.1); without it the report records a skip. Each plant is loaded into its own schema.
// Each mode runs `--runs` times, alternating, because the peak RSS of one run of the same code
// varies by several MB (when V8 happens to collect); the report gives every run and, per plant,
// direction and mode, the median wall time and the lowest, median and highest peak RSS. Several
// plant sizes (`--lots 120000,240000`) show what grows with the plant. `--days N` traces the last N
// days of each plant's range instead of all of it: the largest run the limits allow is a window
// just under the seed cap (200 000 detection lots; `--lots 480000 --days 41`). `--round-trip-ms N`
// puts a relay on 127.0.0.1 between the runs and the server that holds every packet N/2 ms each
// way, as a server across a WAN or VPN does (the plant is loaded directly).
// Prints a table to stderr and one JSON object to stdout; writes reports/bench-pushdown.json.
//   node scripts/bench-pushdown.mjs [--lots 120000[,240000…]] [--runs 3] [--direction both|backward|forward] [--days N] [--round-trip-ms N]
// Needs the compiled main process code (`npm run build:main`).
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs, promisify } from 'node:util'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = (p) => pathToFileURL(join(root, 'dist', p)).href
if (!existsSync(join(root, 'dist', 'main', 'msd', 'index.js'))) {
  console.error('bench: run `npm run build:main` first')
  process.exit(2)
}
const { values } = parseArgs({
  options: {
    lots: { type: 'string', default: '120000' },
    runs: { type: 'string', default: '3' },
    direction: { type: 'string', default: 'both' },
    days: { type: 'string' },
    'round-trip-ms': { type: 'string', default: '0' },
    child: { type: 'string' },
    schema: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
})
const url = process.env.MES_TRACE_PG_TEST_URL
/** Every number in `value` to whole milliseconds. */
const rounded = (value) =>
  typeof value === 'number' ? Math.round(value) : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]))

if (values.child) {
  // One run, in this fresh process, as a worker runs it (with its heap policy).
  const { applyHeapPolicy } = await import(dist('main/worker/heap-policy.js'))
  applyHeapPolicy()
  const { openPostgresSource } = await import(dist('main/sources/postgres-source.js'))
  const { runJobWork } = await import(dist('main/worker/trace-job.js'))
  const { SETTING_SPECS } = await import(dist('shared/settings.js'))
  const { createResultFile } = await import(dist('main/store/index.js'))
  const { normalizeTraceRequest } = await import(dist('shared/trace-request.js'))
  const pushdown = values.child === 'pushdown'
  const started = performance.now()
  const source = await openPostgresSource({ url, schema: values.schema })
  const request = normalizeTraceRequest({ profile: 'mid_section_defect', params: { start_date: values.from, end_date: values.to, pushdown, direction: values.direction } })
  const dir = mkdtempSync(join(tmpdir(), 'mes-trace-bench-pushdown-'))
  const writer = createResultFile(join(dir, 'trace-evt-000000000001.sqlite'), { jobId: 'trace-evt-000000000001', request, source: source.description, appVersion: 'bench', now: Date.now() })
  let peak = 0
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50)
  // What a job runs, with the settings' default limits.
  const setting = (key) => SETTING_SPECS[key].defaultValue
  const limits = {
    maxDepth: setting('LINEAGE_MAX_DEPTH'),
    maxNodes: setting('LINEAGE_MAX_NODES'),
    maxRowsPerDomain: setting('EVENT_FETCHER_MAX_TOTAL_ROWS'),
    suspectFdr: setting('MSD_SUSPECT_FDR_PERCENT') / 100,
  }
  const { outcome, aggregation, analysisMs: stageMs } = await runJobWork({ source, request, writer, limits })
  writer.finish({ domainQuality: outcome.domains, quality: outcome.quality_meta, aggregation })
  clearInterval(sampler)
  const wallMs = Math.round(performance.now() - started)
  const bytes = source.bytesReceived()
  await source.close()
  rmSync(dir, { recursive: true, force: true })
  peak = Math.max(peak, process.resourceUsage().maxRSS * 1024)
  process.stdout.write(
    JSON.stringify({
      mode: values.child,
      direction: values.direction,
      wall_ms: wallMs,
      peak_rss_mb: Math.round((peak / 1048576) * 10) / 10,
      bytes_received: bytes,
      cids: outcome.event_cid_count,
      event_rows: Object.values(outcome.rows).reduce((n, r) => n + (r ?? 0), 0),
      stage_ms: rounded({ ...outcome.stage_ms, analysis: stageMs }),
      suspects: aggregation.suspect_summary?.total ?? null,
      detail_rows: aggregation.detail_total_count,
      aggregation_sha256: createHash('sha256').update(JSON.stringify(aggregation)).digest('hex'),
    }),
  )
  process.exit(0)
}

const plantSizes = values.lots.split(',').map(Number)
const repeat = Number(values.runs)
const directions = values.direction === 'both' ? ['backward', 'forward'] : [values.direction]
if (!plantSizes.every((n) => Number.isInteger(n) && n >= 100)) {
  console.error(`bench: --lots must be whole numbers of at least 100, comma-separated, got ${values.lots}`)
  process.exit(2)
}
if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) {
  console.error(`bench: --runs must be an integer from 1 to 20, got ${values.runs}`)
  process.exit(2)
}
const days = values.days === undefined ? null : Number(values.days)
if (days !== null && !(Number.isInteger(days) && days >= 1 && days <= 3660)) {
  console.error(`bench: --days must be a whole number of days from 1 to 3660, got ${values.days}`)
  process.exit(2)
}
if (!directions.every((d) => d === 'backward' || d === 'forward')) {
  console.error(`bench: --direction must be both, backward or forward, got ${values.direction}`)
  process.exit(2)
}
const roundTripMs = Number(values['round-trip-ms'])
if (!(Number.isInteger(roundTripMs) && roundTripMs >= 0 && roundTripMs <= 1000)) {
  console.error(`bench: --round-trip-ms must be a whole number of milliseconds from 0 to 1000, got ${values['round-trip-ms']}`)
  process.exit(2)
}
const reportPath = join(root, 'reports', 'bench-pushdown.json')
const write = (report) => {
  mkdirSync(join(root, 'reports'), { recursive: true })
  writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`)
  console.log(JSON.stringify(report))
}
if (!url) {
  const reason = 'no PostgreSQL server: set MES_TRACE_PG_TEST_URL (scripts/test-postgres.sh starts one on 127.0.0.1)'
  console.error(`pushdown: skipped: ${reason}`)
  write({ benchmark: 'pushdown', node: process.version, lots: plantSizes, skipped: reason })
  process.exit(0)
}

const { generateDemoPlant } = await import(dist('main/demo/index.js'))
// Each run is started as a worker is: with the worker's heap caps at the default memory setting
// and its allocator's settings.
const { heapLimitExecArgv, workerAllocatorEnv } = await import(dist('main/engine/index.js'))
const { SETTING_SPECS } = await import(dist('shared/settings.js'))
const workerExecArgv = heapLimitExecArgv(SETTING_SPECS.TRACE_WORKER_MAX_MEMORY_MB.defaultValue)
const workerEnv = workerAllocatorEnv()
const { loadIntoPostgres } = await import(dist('main/sources/postgres-load.js'))
const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const ratio = (a, b) => Math.round((a / b) * 1000) / 1000
const { addDays } = await import(dist('shared/time.js'))
const laterOf = (a, b) => (a > b ? a : b)

/**
 * A relay on 127.0.0.1 to the server that holds each chunk `roundTripMs / 2` ms in each direction
 * (in order), closed when the bench ends; the runs are given its address instead of the server's.
 */
async function relayUrl() {
  if (roundTripMs === 0) return { url, close: () => {} }
  const target = new URL(url)
  const delay = roundTripMs / 2
  const relay = createServer((client) => {
    const server = connect(Number(target.port || 5432), target.hostname)
    const pipe = (from, to) => {
      from.on('data', (chunk) => setTimeout(() => to.destroyed || to.write(chunk), delay))
      from.on('end', () => setTimeout(() => to.end(), delay))
      from.on('error', () => to.destroy())
      from.on('close', () => setTimeout(() => to.destroy(), delay + 1))
    }
    pipe(client, server)
    pipe(server, client)
  })
  await new Promise((ready) => relay.listen(0, '127.0.0.1', ready))
  const via = new URL(url)
  via.hostname = '127.0.0.1'
  via.port = String(relay.address().port)
  return { url: via.toString(), close: () => relay.close() }
}
const relay = await relayUrl()
const runChild = promisify(execFile)

const plants = []
for (const lots of plantSizes) {
  const work = mkdtempSync(join(tmpdir(), 'mes-trace-bench-pushdown-'))
  const schema = `bench_pushdown_${lots}`
  const t = performance.now()
  const made = await generateDemoPlant({ out: join(work, 'plant.sqlite'), lots, seed: 'bench' })
  await loadIntoPostgres({ from: made.out, url, schema, replace: true })
  rmSync(work, { recursive: true, force: true })
  console.error(`${lots} lots generated and loaded into PostgreSQL (schema ${schema}) in ${Math.round((performance.now() - t) / 1000)} s`)

  // The last `--days` days of the plant's range, or all of it.
  const from = days === null ? made.startDate : laterOf(made.startDate, addDays(made.endDate, 1 - days))
  const plant = { lots, from, to: made.endDate, directions: {} }
  for (const direction of directions) {
    const runs = []
    for (let round = 0; round < repeat; round++) {
      for (const mode of ['local', 'pushdown']) {
        const args = [...workerExecArgv, fileURLToPath(import.meta.url), '--child', mode, '--direction', direction, '--schema', schema, '--from', from, '--to', made.endDate]
        // Started asynchronously: the relay, if any, runs in this process.
        const env = { ...process.env, ...workerEnv, MES_TRACE_PG_TEST_URL: relay.url }
        const child = await runChild(process.execPath, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }).catch((error) => {
          console.error(error.stderr ?? error.message)
          process.exit(typeof error.code === 'number' ? error.code : 1)
        })
        const r = JSON.parse(child.stdout)
        runs.push(r)
        console.error(
          `  ${lots} ${direction.padEnd(8)} ${mode.padEnd(9)} ${String(r.wall_ms).padStart(7)} ms  peak RSS ${r.peak_rss_mb} MB  ` +
            `received ${(r.bytes_received / 1048576).toFixed(1)} MiB  event rows ${r.event_rows}  stages ${JSON.stringify(r.stage_ms)}`,
        )
      }
    }
    const summaryOf = (mode) => {
      const of = runs.filter((r) => r.mode === mode)
      const rss = of.map((r) => r.peak_rss_mb)
      return {
        runs: of.length,
        wall_ms_median: median(of.map((r) => r.wall_ms)),
        peak_rss_mb: { min: Math.min(...rss), median: median(rss), max: Math.max(...rss) },
        bytes_received: of[0].bytes_received,
      }
    }
    const summary = { local: summaryOf('local'), pushdown: summaryOf('pushdown') }
    plant.directions[direction] = {
      summary,
      wall_ratio: ratio(summary.pushdown.wall_ms_median, summary.local.wall_ms_median),
      bytes_ratio: ratio(summary.pushdown.bytes_received, summary.local.bytes_received),
      identical: runs.every((r) => r.aggregation_sha256 === runs[0].aggregation_sha256),
      runs,
    }
  }
  plants.push(plant)
}

relay.close()
const report = { benchmark: 'pushdown', node: process.version, exec_argv: workerExecArgv, worker_env: workerEnv, runs_per_mode: repeat, days, round_trip_ms: roundTripMs, plants }
write(report)
let identical = true
for (const plant of plants) {
  for (const [direction, d] of Object.entries(plant.directions)) {
    for (const mode of ['local', 'pushdown']) {
      const m = d.summary[mode]
      console.error(
        `  ${plant.lots} ${direction.padEnd(8)} ${mode.padEnd(9)} median ${m.wall_ms_median} ms; ` +
          `peak RSS ${m.peak_rss_mb.min} / ${m.peak_rss_mb.median} / ${m.peak_rss_mb.max} MB (lowest / median / highest of ${m.runs})`,
      )
    }
    console.error(`  ${plant.lots} ${direction.padEnd(8)} pushdown/local: wall ${d.wall_ratio} (medians), bytes ${d.bytes_ratio}; identical aggregation in every run: ${d.identical}`)
    identical &&= d.identical
  }
}
if (!identical) process.exitCode = 1
