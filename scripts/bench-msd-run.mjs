// Benchmark of an MSD run end to end against the floor of reading its data (not part of the test
// run). For each plant size: a demo plant, then
//  - the scan floor: a plain full scan, with better-sqlite3 in this process, of every source table
//    the run reads (containers, merges, WIP history, materials, rejects), every column of every row
//    handed to JavaScript;
//  - MSD backward over the plant's whole range through JobEngine + a worker process (what
//    `mes-trace run` does), default domains, then again with all 7 domains: wall time from enqueue
//    to finished, the ratio to the scan floor, worker and main peak RSS, main event-loop lag p99,
//    and the job's own stage times (`stage_ms` of its result file).
// Prints a table to stderr and one JSON object to stdout; writes reports/bench-msd-run.json.
//   node scripts/bench-msd-run.mjs [--lots 20000,120000] [--all-domains true|false]
// Needs the compiled main process code (`npm run build:main`).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = (p) => pathToFileURL(join(root, 'dist', p)).href
if (!existsSync(join(root, 'dist', 'main', 'worker', 'entry.js'))) {
  console.error('bench: run `npm run build:main` first')
  process.exit(2)
}
const { values } = parseArgs({ options: { lots: { type: 'string', default: '20000,120000' }, 'all-domains': { type: 'string', default: 'true' } } })
const { openCatalog, catalogPathOf, resultsDirOf } = await import(dist('main/store/index.js'))
const { JobEngine, NodeWorkerHost, traceWorkerEntry, readRssBytes } = await import(dist('main/engine/index.js'))
const { generateDemoPlant } = await import(dist('main/demo/index.js'))
const { ResultService } = await import(dist('main/results/index.js'))
const { resolveSettings } = await import(dist('shared/settings.js'))
const { DOMAINS } = await import(dist('shared/trace.js'))

/** The source tables an MSD backward run with its default domains reads. */
const SCANNED = ['DW_MES_CONTAINER', 'DW_MES_PJ_COMBINEDASSYLOTS', 'DW_MES_LOTWIPHISTORY', 'DW_MES_LOTMATERIALSHISTORY', 'DW_MES_LOTREJECTHISTORY']

const work = mkdtempSync(join(tmpdir(), 'mes-trace-bench-msd-run-'))
const mb = (bytes) => Math.round((bytes / 1048576) * 10) / 10
const round1 = (x) => Math.round(x * 10) / 10

/** Every row of the tables, every column handed to JavaScript: the least a run that reads them costs. */
function scanFloor(plant) {
  const db = new Database(plant, { readonly: true })
  const tables = {}
  const started = performance.now()
  for (const table of SCANNED) {
    const t = performance.now()
    let rows = 0
    for (const row of db.prepare(`SELECT * FROM ${table}`).raw().iterate()) rows += row.length > 0 ? 1 : 0
    tables[table] = { rows, ms: Math.round(performance.now() - t) }
  }
  db.close()
  return { ms: Math.round(performance.now() - started), rows: Object.values(tables).reduce((n, t) => n + t.rows, 0), tables }
}

/** One MSD backward run through the engine, sampled while it runs. */
async function msdRun(engine, results, plant, made, domains) {
  const lag = monitorEventLoopDelay({ resolution: 10 })
  let workerPeak = 0
  let mainPeak = 0
  const started = performance.now()
  const { jobId } = engine.enqueue(
    { profile: 'mid_section_defect', params: { start_date: made.startDate, end_date: made.endDate }, ...(domains ? { domains } : {}) },
    { source: { kind: 'sqlite', path: plant }, force: true },
  )
  lag.enable()
  const sampler = setInterval(async () => {
    const pid = engine.workerPid(jobId)
    mainPeak = Math.max(mainPeak, process.memoryUsage.rss())
    if (pid) workerPeak = Math.max(workerPeak, (await readRssBytes(pid)) ?? 0)
  }, 50)
  await engine.whenIdle()
  const wallMs = performance.now() - started
  clearInterval(sampler)
  lag.disable()
  const job = engine.status(jobId)
  const summary = results.summary(jobId)
  const aggregation = results.aggregation(jobId)
  return {
    status: job.status,
    domains: domains ?? 'default',
    seeds: job.seed_count,
    cids: job.cid_count,
    rows: Object.values(job.row_counts).reduce((a, b) => a + b, 0),
    wall_ms: Math.round(wallMs),
    worker_peak_rss_mb: mb(workerPeak),
    main_peak_rss_mb: mb(mainPeak),
    main_loop_lag_p99_ms: round1(lag.percentile(99) / 1e6),
    msd_detail_rows: aggregation?.detail_total_count ?? null,
    stage_ms: summary.stage_ms ?? null,
  }
}

const report = { benchmark: 'msd-run', node: process.version, cpus: (await import('node:os')).cpus().length, plants: [] }
for (const lots of values.lots.split(',').map(Number)) {
  const plant = join(work, `plant-${lots}.sqlite`)
  const made = await generateDemoPlant({ out: plant, lots, seed: 'bench' })
  const floor = scanFloor(plant)
  const dataDir = join(work, `data-${lots}`)
  mkdirSync(dataDir, { recursive: true })
  const catalog = openCatalog(catalogPathOf(dataDir))
  const engine = new JobEngine({
    catalog, host: new NodeWorkerHost(), workerEntry: traceWorkerEntry(), resultsDir: resultsDirOf(dataDir),
    settings: resolveSettings({ env: process.env }), appVersion: 'bench',
  })
  engine.start()
  const results = new ResultService(engine)
  const runs = [await msdRun(engine, results, plant, made, null)]
  if (values['all-domains'] !== 'false') runs.push(await msdRun(engine, results, plant, made, [...DOMAINS]))
  for (const run of runs) run.ratio_to_scan_floor = round1(run.wall_ms / floor.ms)
  report.plants.push({ lots, scan_floor: floor, runs })
  results.close()
  await engine.shutdown()
  catalog.close()
  rmSync(plant, { force: true })
}
rmSync(work, { recursive: true, force: true })

for (const p of report.plants) {
  console.error(`${p.lots} lots — scan floor ${p.scan_floor.ms} ms over ${p.scan_floor.rows} rows`)
  for (const r of p.runs) {
    console.error(
      `  ${String(r.domains === 'default' ? 'default domains' : 'all 7 domains').padEnd(16)} ${r.status} ${r.wall_ms} ms (${r.ratio_to_scan_floor}× floor)` +
        `  worker ${r.worker_peak_rss_mb} MB  main ${r.main_peak_rss_mb} MB  lag p99 ${r.main_loop_lag_p99_ms} ms  ${r.cids} CIDs ${r.rows} rows`,
    )
    if (r.stage_ms) {
      const s = r.stage_ms
      const steps = Object.entries(s.analysis).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')
      const domains = Object.entries(s.domains).map(([k, v]) => `${k} ${Math.round(v.fetch)}/${Math.round(v.write)}`).join(', ')
      console.error(`    stages ms: resolve ${Math.round(s.resolve)}, lineage ${Math.round(s.lineage)}, events ${Math.round(s.events)} (read/write: ${domains})`)
      console.error(`    analysis: ${steps}; sort_index ${Math.round(s.sort_index)}, finish ${Math.round(s.finish)}, total ${Math.round(s.total)}`)
    }
  }
}
mkdirSync(join(root, 'reports'), { recursive: true })
writeFileSync(join(root, 'reports', 'bench-msd-run.json'), `${JSON.stringify(report, null, 2)}\n`)
console.log(JSON.stringify(report))
