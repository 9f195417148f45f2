// Benchmark of the MSD analysis stage alone (not part of the test run): a demo plant's whole range,
// backward, default domains, traced in-process into a result file, then the analysis timed on its
// own — the part the suspect statistics (q-values, onsets, explain-away, time views) add to. The
// trace itself is timed too, as the yardstick the analysis is measured against in the same run.
// Prints a table to stderr and one JSON object to stdout; writes reports/bench-msd-analysis.json.
//   node scripts/bench-msd-analysis.mjs [--lots 120000] [--runs 3] [--plant FILE]
// Needs the compiled main process code (`npm run build:main`). `--plant` reuses a demo plant (so
// two builds can be compared on the same data).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = (p) => pathToFileURL(join(root, 'dist', p)).href
if (!existsSync(join(root, 'dist', 'main', 'msd', 'index.js'))) {
  console.error('bench: run `npm run build:main` first')
  process.exit(2)
}
const { values } = parseArgs({
  options: { lots: { type: 'string', default: '120000' }, runs: { type: 'string', default: '3' }, plant: { type: 'string' } },
})
const { generateDemoPlant } = await import(dist('main/demo/index.js'))
const { openSource, parseSourceSpec } = await import(dist('main/sources/index.js'))
const { createResultFile } = await import(dist('main/store/index.js'))
const { resultFileSink, runTrace } = await import(dist('main/trace/index.js'))
const { runMsdAnalysis } = await import(dist('main/msd/index.js'))
const { normalizeTraceRequest } = await import(dist('shared/trace-request.js'))

const work = mkdtempSync(join(tmpdir(), 'mes-trace-bench-msd-'))
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const lots = Number(values.lots)
let plant = values.plant
let window
if (plant) {
  const Database = (await import('better-sqlite3')).default
  const db = new Database(plant, { readonly: true })
  const info = Object.fromEntries(db.prepare('SELECT KEY AS k, VALUE AS v FROM MES_TRACE_DEMO_INFO').raw().all())
  db.close()
  window = { start: info.start_date, end: info.end_date }
} else {
  plant = join(work, 'plant.sqlite')
  const made = await generateDemoPlant({ out: plant, lots, seed: 'bench' })
  window = { start: made.startDate, end: made.endDate }
}
const { source } = await openSource(parseSourceSpec(`sqlite:${plant}`))
const request = normalizeTraceRequest({ profile: 'mid_section_defect', params: { start_date: window.start, end_date: window.end } })
const runs = []
for (let i = 0; i < Number(values.runs); i++) {
  const dir = join(work, `run-${i}`)
  mkdirSync(dir)
  const path = join(dir, 'trace-evt-000000000001.sqlite')
  const writer = createResultFile(path, { jobId: 'trace-evt-000000000001', request, source: source.description, appVersion: 'bench', now: Date.now() })
  const t0 = performance.now()
  const outcome = await runTrace({
    source,
    request,
    sink: resultFileSink(writer),
  })
  const t1 = performance.now()
  const aggregation = await runMsdAnalysis({ source, writer, request, seedCids: outcome.seeds.seeds.map((s) => s.container_id), lineage: outcome.lineage, quality: outcome.quality_meta })
  const t2 = performance.now()
  writer.finish({ domainQuality: outcome.domains, quality: outcome.quality_meta, aggregation })
  const top = aggregation.suspects[0]
  runs.push({
    trace_s: Math.round(t1 - t0) / 1000,
    analysis_s: Math.round(t2 - t1) / 1000,
    factors: aggregation.suspect_summary.total,
    significant: aggregation.suspect_summary.significant ?? null,
    independent: aggregation.suspect_summary.independent ?? null,
    top: top ? `${top.factor_type} ${top.name} @ ${top.station}` : null,
  })
  rmSync(dir, { recursive: true, force: true })
  console.error(`run ${i + 1}: trace ${runs.at(-1).trace_s} s, analysis ${runs.at(-1).analysis_s} s, top ${runs.at(-1).top}`)
}
await source.close()
const report = {
  benchmark: 'msd-analysis',
  node: process.version,
  lots: values.plant ? null : lots,
  plant: values.plant ?? null,
  runs,
  median_trace_s: median(runs.map((r) => r.trace_s)),
  median_analysis_s: median(runs.map((r) => r.analysis_s)),
  analysis_to_trace: Math.round((median(runs.map((r) => r.analysis_s)) / median(runs.map((r) => r.trace_s))) * 1000) / 1000,
}
rmSync(work, { recursive: true, force: true })
mkdirSync(join(root, 'reports'), { recursive: true })
writeFileSync(join(root, 'reports', 'bench-msd-analysis.json'), `${JSON.stringify(report, null, 2)}\n`)
console.error(`analysis median ${report.median_analysis_s} s (trace ${report.median_trace_s} s, ratio ${report.analysis_to_trace})`)
console.log(JSON.stringify(report))
