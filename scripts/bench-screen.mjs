// Benchmark of what an engineer waits for on screen (not part of the test run): runs the e2e spec
// tests/e2e/timings.spec.ts in Chromium through `mes-trace serve` on the 20 000-lot demo plant —
// a 5-lot trace from Start to its result, and the MSD backward run from Start to its dashboard —
// and writes the times with each job's stage times to reports/bench-screen.json.
// Needs the built renderer and main process code (`npm run build`).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
if (!existsSync(join(root, 'dist', 'renderer', 'index.html')) || !existsSync(join(root, 'dist', 'main', 'worker', 'entry.js'))) {
  console.error('bench: run `npm run build` first')
  process.exit(2)
}
const out = join(root, 'reports', 'bench-screen.json')
const run = spawnSync(process.execPath, [join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', 'tests/e2e/timings.spec.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TIMINGS_OUT: out, E2E_PORT: process.env.E2E_PORT ?? '4497' },
})
if (run.status !== 0) process.exit(run.status ?? 1)
const report = JSON.parse(readFileSync(out, 'utf8'))
console.error(`5-lot trace on screen: median ${report.lot_trace.median_ms} ms (${report.lot_trace.runs.map((r) => r.ms).join(', ')})`)
console.error(`MSD backward dashboard (${report.lots} lots): ${report.msd_dashboard.ms} ms, job ${Math.round(report.msd_dashboard.stage_ms?.total ?? 0)} ms`)
console.log(JSON.stringify(report))
