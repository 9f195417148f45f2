// Benchmark: fetch all 7 event domains for N CIDs of the demo plant in a fresh process and report
// wall time, rows and peak RSS as JSON (reports/bench-events-memory.json).
//   node scripts/bench-events-memory.mjs [--lots 20000] [--cids 20000] [--plant FILE]
// Needs the compiled main process code (`npm run build:main`).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist', 'main')
const { values } = parseArgs({
  options: { lots: { type: 'string', default: '20000' }, cids: { type: 'string', default: '20000' }, plant: { type: 'string' }, child: { type: 'boolean' }, quiet: { type: 'boolean' } },
})

if (!existsSync(join(dist, 'trace', 'index.js'))) {
  console.error('bench: run `npm run build:main` first')
  process.exit(2)
}

if (values.child) {
  // The measured process: only the source, the fetcher and a counting sink live here.
  const { openSqliteSource } = await import(pathToFileURL(join(dist, 'sources', 'index.js')).href)
  const { fetchEvents } = await import(pathToFileURL(join(dist, 'trace', 'index.js')).href)
  const { DOMAINS } = await import(pathToFileURL(join(root, 'dist', 'shared', 'trace.js')).href)
  const source = await openSqliteSource(values.plant)
  const cids = (await source.all(
    "SELECT CONTAINERID FROM DW_MES_CONTAINER WHERE OBJECTTYPE = 'LOT' ORDER BY CONTAINERID LIMIT ?",
    [Number(values.cids)],
  )).map((r) => r.CONTAINERID)
  let peak = process.memoryUsage.rss()
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, 20)
  const rows = {}
  const started = performance.now()
  const result = await fetchEvents({
    source,
    cids,
    domains: [...DOMAINS],
    onBatch: ({ domain, rows: batch }) => { rows[domain] = (rows[domain] ?? 0) + batch.length },
  })
  const elapsed = performance.now() - started
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage.rss())
  await source.close()
  process.stdout.write(JSON.stringify({
    cids: cids.length,
    rows,
    total_rows: Object.values(rows).reduce((a, b) => a + b, 0),
    quality: result.quality_meta.status,
    elapsed_ms: Math.round(elapsed),
    rows_per_s: Math.round(Object.values(rows).reduce((a, b) => a + b, 0) / (elapsed / 1000)),
    peak_rss_mb: Math.round((peak / 1048576) * 10) / 10,
    max_rss_mb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
  }))
  process.exit(0)
}

const plant = values.plant ? resolve(values.plant) : join(root, '.bench', `plant-${values.lots}.sqlite`)
if (!existsSync(plant)) {
  mkdirSync(dirname(plant), { recursive: true })
  const made = spawnSync(process.execPath, [join(root, 'bin', 'mes-trace.js'), 'demo', '--out', plant, '--lots', values.lots], { stdio: ['ignore', 'ignore', 'inherit'] })
  if (made.status !== 0) process.exit(made.status ?? 1)
}
const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', '--plant', plant, '--cids', values.cids], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
if (child.status !== 0) {
  console.error(child.stdout)
  process.exit(child.status ?? 1)
}
const report = { benchmark: 'events-memory', node: process.version, lots: Number(values.lots), plant, ...JSON.parse(child.stdout) }
mkdirSync(join(root, 'reports'), { recursive: true })
writeFileSync(join(root, 'reports', 'bench-events-memory.json'), JSON.stringify(report, null, 2))
if (!values.quiet) {
  console.error(`fetched ${report.total_rows} rows of 7 domains for ${report.cids} CIDs in ${(report.elapsed_ms / 1000).toFixed(1)} s; peak RSS ${report.peak_rss_mb} MB`)
}
console.log(JSON.stringify(report))
