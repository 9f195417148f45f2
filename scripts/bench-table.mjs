// Benchmark of the result table's paging (not part of the test run): a 1 000 000-row result file is
// made, imported as a job into a browser host started as `mes-trace serve` does (temp data folder,
// 127.0.0.1, random port), and `results:page` round trips over the WebSocket are timed for pages of
// 200 rows at many offsets — unsorted, sorted by the manifest's sort columns, and filtered with
// `contains`. Prints JSON and writes reports/bench-table.json (p50/p95/max per case; a case passes
// when its p95 is under 100 ms). Stops by itself.
//   node scripts/bench-table.mjs [--rows 1000000] [--samples 40] [--keep]
// Needs the compiled main process code (`npm run build:main`).
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import WebSocket from 'ws'
import { historyRow, makeLargeResult } from './make-large-result.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, samples: { type: 'string', default: '40' }, keep: { type: 'boolean', default: false } },
})
const ROWS = Number(values.rows)
const SAMPLES = Number(values.samples)
const LIMIT = 200
const BUDGET_MS = 100
/** The whole run is stopped after this long, whatever happens. */
const DEADLINE_MS = 10 * 60_000
if (!existsSync(join(root, 'dist', 'main', 'cli', 'index.js'))) {
  console.error('bench: run `npm run build:main` first')
  process.exit(2)
}

const work = mkdtempSync(join(tmpdir(), 'mes-trace-bench-table-'))
let host = null
let deadline = null

function cleanup() {
  if (deadline) clearTimeout(deadline)
  if (host && host.exitCode === null && host.signalCode === null) host.kill('SIGKILL')
  if (!values.keep) rmSync(work, { recursive: true, force: true })
}
process.once('SIGINT', () => {
  cleanup()
  process.exit(130)
})

/** Deterministic offsets (mulberry32). */
function random(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Starts `mes-trace serve` on a temp data folder; resolves with the URL it prints. */
function startHost(dataDir, rendererDir) {
  return new Promise((resolveUrl, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, 'bin', 'mes-trace.js'), 'serve', '--data-dir', dataDir, '--port', '0', '--lots', '100', '--renderer-dir', rendererDir],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MES_TRACE_DATA_DIR: dataDir } },
    )
    host = child
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk
      const m = /served at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out)
      if (m) resolveUrl(new URL(m[1]))
    })
    child.stderr.setEncoding('utf8').on('data', (chunk) => (err += chunk))
    child.once('exit', (code, signal) => reject(new Error(`mes-trace serve exited (${code ?? signal}) before serving:\n${out}\n${err}`)))
  })
}

function stopHost() {
  return new Promise((done) => {
    if (!host || host.exitCode !== null || host.signalCode !== null) return done()
    const kill = setTimeout(() => host.kill('SIGKILL'), 10_000)
    host.once('exit', () => {
      clearTimeout(kill)
      done()
    })
    host.kill('SIGTERM')
  })
}

/** One WebSocket client of the contract: `call(channel, payload)` → `{ result, ms }`. */
async function connect(url) {
  const ws = new WebSocket(`ws://${url.host}/api?token=${encodeURIComponent(url.searchParams.get('token'))}`, { origin: url.origin })
  await new Promise((ok, fail) => {
    ws.once('open', ok)
    ws.once('error', fail)
  })
  let next = 1
  const waiting = new Map()
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString())
    const pending = waiting.get(message.id)
    if (pending) {
      waiting.delete(message.id)
      pending(message.result)
    }
  })
  return {
    async call(channel, payload) {
      const id = next++
      const started = performance.now()
      const result = await new Promise((answer) => {
        waiting.set(id, answer)
        ws.send(JSON.stringify({ id, channel, payload }))
      })
      return { result, ms: performance.now() - started }
    },
    close: () => ws.close(),
  }
}

const round = (ms) => Math.round(ms * 100) / 100
function stats(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]
  return { n: s.length, p50_ms: round(at(0.5)), p95_ms: round(at(0.95)), max_ms: round(s[s.length - 1]), pass: at(0.95) < BUDGET_MS }
}

async function main() {
  deadline = setTimeout(() => {
    console.error('bench-table: deadline reached, stopping')
    cleanup()
    process.exit(1)
  }, DEADLINE_MS)
  deadline.unref()

  const file = join(work, 'large.mtr')
  process.stderr.write(`making ${ROWS} rows …\n`)
  const made = await makeLargeResult({ rows: ROWS, out: file })
  // The host needs an index.html to serve; the benchmark uses only the socket.
  const rendererDir = existsSync(join(root, 'dist', 'renderer', 'index.html')) ? join(root, 'dist', 'renderer') : join(work, 'renderer')
  if (rendererDir === join(work, 'renderer')) {
    mkdirSync(rendererDir, { recursive: true })
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>bench</title>')
  }
  const url = await startHost(join(work, 'data'), rendererDir)
  if (url.hostname !== '127.0.0.1') throw new Error(`host is not on 127.0.0.1: ${url}`)
  const setup = await connect(url)
  const imported = await setup.call('jobs:import', { path: file })
  if (!imported.result.ok) throw new Error(`jobs:import failed: ${JSON.stringify(imported.result.error)}`)
  const jobId = imported.result.value.job_id
  const summary = (await setup.call('results:summary', { job_id: jobId })).result
  if (!summary.ok) throw new Error(`results:summary failed: ${JSON.stringify(summary.error)}`)
  const sortColumns = summary.value.sort_columns.history ?? []
  setup.close()

  const rand = random(20260901)
  const last = ROWS - LIMIT
  const spread = (n, f) => Array.from({ length: n }, (_, i) => f(i))
  // Two filters, so that each case's first page counts its matches cold.
  const contains = (value) => [{ column: 'EQUIPMENTNAME', op: 'contains', value }]
  const cases = [
    { name: 'unsorted_start', offsets: spread(SAMPLES, (i) => i * LIMIT) },
    { name: 'unsorted_random', offsets: spread(SAMPLES, () => Math.floor(rand() * last)) },
    { name: 'unsorted_deep', offsets: spread(SAMPLES, (i) => last - (i % 5) * LIMIT) },
  ]
  for (const column of sortColumns.filter((c) => ['TRACKINTIMESTAMP', 'TRACKINQTY', 'CONTAINERID'].includes(c))) {
    cases.push({ name: `sorted_${column}_asc_random`, sort: { column, direction: 'asc' }, offsets: spread(SAMPLES, () => Math.floor(rand() * last)) })
    cases.push({ name: `sorted_${column}_desc_deep`, sort: { column, direction: 'desc' }, offsets: spread(SAMPLES, (i) => last - (i % 5) * LIMIT) })
  }
  // Filtered: the first page also counts the matching rows (once per filter); offsets then range over that total.
  cases.push({ name: 'filter_contains', filter: contains('GWBA-0007'), offsets: null })
  cases.push({ name: 'filter_contains_sorted', filter: contains('GDBA-0011'), sort: { column: 'TRACKINTIMESTAMP', direction: 'desc' }, offsets: null })

  const report = {
    benchmark: 'table-paging',
    node: process.version,
    rows: ROWS,
    page_limit: LIMIT,
    budget_ms: BUDGET_MS,
    file: { bytes: made.bytes, make_ms: made.total_ms },
    sort_columns: sortColumns,
    cases: {},
    wrong_rows: 0,
  }
  for (const c of cases) {
    // A socket per case: each client has its own rate limit.
    const client = await connect(url)
    const base = { job_id: jobId, domain: 'history', limit: LIMIT, ...(c.sort ? { sort: c.sort } : {}), ...(c.filter ? { filter: c.filter } : {}) }
    let first = null
    let offsets = c.offsets
    let total = ROWS
    if (!offsets) {
      const head = await client.call('results:page', { ...base, offset: 0 })
      if (!head.result.ok) throw new Error(`${c.name}: ${JSON.stringify(head.result.error)}`)
      first = round(head.ms)
      total = head.result.value.total
      const lastFiltered = Math.max(0, total - LIMIT)
      offsets = spread(SAMPLES, (i) => (i % 4 === 3 ? lastFiltered : Math.floor(rand() * lastFiltered)))
    }
    const times = []
    for (const offset of offsets) {
      const { result, ms } = await client.call('results:page', { ...base, offset })
      if (!result.ok) throw new Error(`${c.name} at ${offset}: ${JSON.stringify(result.error)}`)
      times.push(ms)
      const rows = result.value.rows
      if (rows.length !== Math.min(LIMIT, total - offset)) report.wrong_rows++
      else if (!c.sort && !c.filter && rows[0].CONTAINERID !== historyRow(offset).CONTAINERID) report.wrong_rows++
      else if (c.filter && rows.some((r) => !String(r.EQUIPMENTNAME).includes(c.filter[0].value))) report.wrong_rows++
    }
    report.cases[c.name] = { ...stats(times), ...(first !== null ? { first_page_ms: first, total } : {}) }
    client.close()
  }
  report.pass = Object.values(report.cases).every((s) => s.pass) && report.wrong_rows === 0
  await stopHost()
  return report
}

try {
  const report = await main()
  mkdirSync(join(root, 'reports'), { recursive: true })
  writeFileSync(join(root, 'reports', 'bench-table.json'), JSON.stringify(report, null, 2))
  for (const [name, s] of Object.entries(report.cases)) {
    console.error(
      `${name.padEnd(36)} p50 ${String(s.p50_ms).padStart(7)} ms  p95 ${String(s.p95_ms).padStart(7)} ms  max ${String(s.max_ms).padStart(7)} ms` +
        `${s.first_page_ms !== undefined ? `  (first page with count ${s.first_page_ms} ms, ${s.total} rows)` : ''}  ${s.pass ? 'pass' : 'FAIL'}`,
    )
  }
  console.log(JSON.stringify(report))
  cleanup()
  process.exitCode = report.pass ? 0 : 1
} catch (error) {
  console.error(`bench-table: ${error instanceof Error ? error.message : String(error)}`)
  await stopHost()
  cleanup()
  process.exitCode = 1
}
