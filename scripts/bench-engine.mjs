// Benchmark of the job engine and its storage (not part of the test run):
//  - result-file ingest rows/s next to a raw better-sqlite3 insert of the same rows (the ratio),
//  - page-read latency at the first and a deep offset of a 2 000 000-row domain,
//  - demo-plant traces (MSD backward, full range, all 7 domains, then the MSD analysis) through
//    JobEngine + worker processes: wall time, worker and main peak RSS, main event-loop lag p99
//    while pages of a finished result are read every 20 ms, and the top suspect found.
// Prints a table to stderr and one JSON object to stdout; writes reports/bench-engine.json.
//   node scripts/bench-engine.mjs [--lots 20000,120000] [--rows 2000000]
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
const { values } = parseArgs({ options: { lots: { type: 'string', default: '20000,120000' }, rows: { type: 'string', default: '2000000' } } })
const { createResultFile, openResultFile, openCatalog, catalogPathOf, resultsDirOf } = await import(dist('main/store/index.js'))
const { JobEngine, NodeWorkerHost, traceWorkerEntry, readRssBytes } = await import(dist('main/engine/index.js'))
const { generateDemoPlant } = await import(dist('main/demo/index.js'))
const { ResultService } = await import(dist('main/results/index.js'))
const { resolveSettings } = await import(dist('shared/settings.js'))
const { normalizeTraceRequest } = await import(dist('shared/trace-request.js'))
const { DOMAINS } = await import(dist('shared/trace.js'))

const work = mkdtempSync(join(tmpdir(), 'mes-trace-bench-'))
const report = { benchmark: 'engine', node: process.version, cpus: (await import('node:os')).cpus().length }
const mb = (bytes) => Math.round((bytes / 1048576) * 10) / 10
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

// 1. Demo-plant traces through the engine, pages of a finished result read meanwhile. First, so
//    the main process's peak RSS is the engine's, not the ingest benchmark's rows.
report.traces = []
for (const lots of values.lots.split(',').map(Number)) {
  const plant = join(work, `plant-${lots}.sqlite`)
  const made = await generateDemoPlant({ out: plant, lots, seed: 'bench' })
  const dataDir = join(work, `data-${lots}`)
  mkdirSync(dataDir, { recursive: true })
  const catalog = openCatalog(catalogPathOf(dataDir))
  const engine = new JobEngine({
    catalog, host: new NodeWorkerHost(), workerEntry: traceWorkerEntry(), resultsDir: resultsDirOf(dataDir),
    settings: resolveSettings({ env: process.env }), appVersion: 'bench',
  })
  engine.start()
  const results = new ResultService(engine)
  const warmup = engine.enqueue(
    { profile: 'query_tool', params: { resolve_type: 'lot_id', values: made.planted.samples.lot_ids } },
    { source: { kind: 'sqlite', path: plant } },
  )
  await engine.whenIdle()
  const pageable = results.reader(warmup.jobId)
  const pageableRows = pageable.domainCounts().history ?? 0
  const lag = monitorEventLoopDelay({ resolution: 10 })
  let workerPeak = 0
  let mainPeak = 0
  let pagesRead = 0
  const started = performance.now()
  const { jobId } = engine.enqueue(
    { profile: 'mid_section_defect', params: { start_date: made.startDate, end_date: made.endDate }, domains: [...DOMAINS] },
    { source: { kind: 'sqlite', path: plant } },
  )
  lag.enable()
  const sampler = setInterval(async () => {
    const pid = engine.workerPid(jobId)
    mainPeak = Math.max(mainPeak, process.memoryUsage.rss())
    if (pid) workerPeak = Math.max(workerPeak, (await readRssBytes(pid)) ?? 0)
  }, 50)
  const pager = setInterval(() => {
    pageable.page('history', { offset: pagesRead % Math.max(1, pageableRows - 20), limit: 20 })
    pagesRead++
  }, 20)
  await engine.whenIdle()
  clearInterval(sampler)
  clearInterval(pager)
  lag.disable()
  const job = engine.status(jobId)
  const aggregation = results.aggregation(jobId)
  const top = aggregation?.suspects?.[0]
  report.traces.push({
    lots,
    status: job.status,
    seeds: job.seed_count,
    cids: job.cid_count,
    rows: Object.values(job.row_counts).reduce((a, b) => a + b, 0),
    wall_s: Math.round((performance.now() - started) / 100) / 10,
    worker_peak_rss_mb: mb(workerPeak),
    main_peak_rss_mb: mb(mainPeak),
    main_loop_lag_p99_ms: Math.round((lag.percentile(99) / 1e6) * 10) / 10,
    main_loop_lag_max_ms: Math.round((lag.max / 1e6) * 10) / 10,
    pages_read_meanwhile: pagesRead,
    msd_detail_rows: aggregation?.detail_total_count ?? null,
    msd_factors: aggregation?.suspect_summary?.total ?? null,
    msd_top_suspect: top ? `${top.factor_type} ${top.name} @ ${top.station}` : null,
    msd_top_is_planted_machine: top ? top.name === made.planted.bad_machine.equipment_name : false,
  })
  results.close()
  await engine.shutdown()
  catalog.close()
  rmSync(plant, { force: true })
}
// 2. Ingest: the result writer vs a raw prepared INSERT of the same rows.
const ROWS = Number(values.rows)
const BATCH = 2000
const row = (i) => ({
  CONTAINERID: `48800000${String(i % 50000).padStart(8, '0')}`, WORKCENTERNAME: '焊接_WB', EQUIPMENTID: 'e0000001',
  EQUIPMENTNAME: `GWBA-${String(i % 120).padStart(4, '0')}`, SPECNAME: 'WB_SOT23', TRACKINTIMESTAMP: `2026-09-${String((i % 28) + 1).padStart(2, '0')}T08:00:00`,
  TRACKOUTTIMESTAMP: `2026-09-${String((i % 28) + 1).padStart(2, '0')}T09:00:00`, TRACKINQTY: 10000 + (i % 997), TRACKOUTQTY: 9990,
  FINISHEDRUNCARD: `RC${i}`, PJ_WORKORDER: 'GA26090001', CONTAINERNAME: `GA26090001-A${i % 99}`, PJ_TYPE: '2N7002', PJ_BOP: 'BOP-WB',
  WAFER_LOT_ID: '56014S00T-5K07R', PARTIAL_COUNT: 1,
})
const batches = Array.from({ length: Math.ceil(ROWS / BATCH) }, (_, b) => Array.from({ length: Math.min(BATCH, ROWS - b * BATCH) }, (_, j) => row(b * BATCH + j)))
const request = normalizeTraceRequest({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['A'] }, domains: ['history'] })
const resultPath = join(work, 'ingest.sqlite')
let t = performance.now()
const writer = createResultFile(resultPath, { jobId: 'trace-evt-000000000001', request, source: 'bench', appVersion: 'bench', now: Date.now() })
for (const b of batches) writer.writeEvents('history', b)
const ingestMs = performance.now() - t
t = performance.now()
writer.finish({ domainQuality: {}, quality: { status: 'complete', scope: 'query', reasons: [], observed_rows: ROWS }, warnings: [] })
const finishMs = performance.now() - t
const raw = new Database(join(work, 'raw.sqlite'))
raw.pragma('journal_mode = OFF')
raw.pragma('synchronous = OFF')
const columns = Object.keys(row(0))
raw.exec(`CREATE TABLE h (${columns.map((c) => `${c}`).join(', ')})`)
const insert = raw.prepare(`INSERT INTO h VALUES (${columns.map(() => '?').join(', ')})`)
const insertBatch = raw.transaction((rows) => {
  for (const r of rows) insert.run(...columns.map((c) => r[c]))
})
t = performance.now()
for (const b of batches) insertBatch(b)
const rawMs = performance.now() - t
raw.close()
batches.length = 0 // release the rows before the traces
report.ingest = {
  rows: ROWS,
  result_writer_rows_per_s: Math.round(ROWS / (ingestMs / 1000)),
  raw_insert_rows_per_s: Math.round(ROWS / (rawMs / 1000)),
  /** Result-writer throughput as a share of a raw prepared INSERT of the same rows. */
  ratio: Math.round((rawMs / ingestMs) * 100) / 100,
  finish_ms: Math.round(finishMs),
}

// 3. Page reads at the first and a deep offset.
const reader = openResultFile(resultPath)
const time = (fn) => {
  const xs = []
  for (let i = 0; i < 21; i++) {
    const s = performance.now()
    fn()
    xs.push(performance.now() - s)
  }
  return Math.round(median(xs) * 1000) / 1000
}
report.page_read_ms = {
  first: time(() => reader.page('history', { offset: 0, limit: 200 })),
  deep: time(() => reader.page('history', { offset: ROWS - 1000, limit: 200 })),
  deep_sorted: time(() => reader.page('history', { offset: ROWS - 1000, limit: 200, sort: { column: 'TRACKINTIMESTAMP', direction: 'desc' } })),
}

reader.close()
rmSync(work, { recursive: true, force: true })

mkdirSync(join(root, 'reports'), { recursive: true })
writeFileSync(join(root, 'reports', 'bench-engine.json'), JSON.stringify(report, null, 2))
const i = report.ingest
console.error(`ingest        ${i.rows} rows: result file ${i.result_writer_rows_per_s}/s, raw insert ${i.raw_insert_rows_per_s}/s (result file at ${i.ratio}× raw speed); finish ${i.finish_ms} ms`)
console.error(`page read     first ${report.page_read_ms.first} ms, deep ${report.page_read_ms.deep} ms, deep sorted ${report.page_read_ms.deep_sorted} ms`)
for (const tr of report.traces) {
  console.error(
    `trace ${String(tr.lots).padStart(6)} lots  ${tr.status}, ${tr.seeds} seeds, ${tr.cids} CIDs, ${tr.rows} rows in ${tr.wall_s} s; ` +
      `worker peak ${tr.worker_peak_rss_mb} MB, main peak ${tr.main_peak_rss_mb} MB; loop lag p99 ${tr.main_loop_lag_p99_ms} ms (max ${tr.main_loop_lag_max_ms}) over ${tr.pages_read_meanwhile} page reads; ` +
      `MSD: ${tr.msd_detail_rows} detail rows, ${tr.msd_factors} factors, top suspect ${tr.msd_top_suspect}${tr.msd_top_is_planted_machine ? ' (the planted machine)' : ''}`,
  )
}
console.log(JSON.stringify(report))
