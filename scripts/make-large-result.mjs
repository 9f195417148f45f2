// Writes a finished result file (.mtr) holding N rows of the `history` domain with realistic
// columns, for paging benchmarks and for trying the result table on a large result:
//   node scripts/make-large-result.mjs [--rows 1000000] [--out /tmp/large.mtr] [--force]
// Import it with `mes-trace import FILE` or the `jobs:import` channel. Needs `npm run build:main`.
import { existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = (p) => pathToFileURL(join(root, 'dist', p)).href

/** Station, spec and machine prefix of each step of an SOT-23 assembly/test flow. */
const STEPS = [
  ['切割_SAW', 'SAW_SOT23', 'GSAW'],
  ['黏晶_DB', 'DB_SOT23', 'GDBA'],
  ['焊接_WB', 'WB_SOT23', 'GWBA'],
  ['封膠_MOLD', 'MOLD_SOT23', 'GMLD'],
  ['電鍍_PLATING', 'PLT_SOT23', 'GPLT'],
  ['切彎腳_TF', 'TF_SOT23', 'GTFM'],
  ['測試_FT', 'FT_SOT23', 'GFTA'],
  ['包裝_PACK', 'PACK_SOT23', 'GPCK'],
]
const TYPES = ['2N7002', 'BSS138', 'MMBT3904', 'BAT54S', 'SS8050']
const WAFERS = ['56014S00T-5K07R', '56021S00T-3J12Q', '57003S00T-8M41A', '57110S00T-2H05C']
const DAY_MS = 86_400_000
const START = Date.UTC(2026, 0, 1, 0, 0, 0)

const pad = (n, w) => String(n).padStart(w, '0')
/** Local plant time as ISO text without a zone (how the source stores it). */
const iso = (ms) => new Date(ms).toISOString().slice(0, 19)

/**
 * Row `i`: lot `i / 8` going through step `i % 8`. Lots start every 90 s, steps take 40–130 min,
 * machines rotate by lot, quantities lose a few units per step.
 */
export function historyRow(i) {
  const lot = Math.floor(i / STEPS.length)
  const step = i % STEPS.length
  const [center, spec, prefix] = STEPS[step]
  const machine = (lot * 7 + step * 3) % 40
  const wo = Math.floor(lot / 400)
  const trackIn = START + lot * 90_000 + step * 3 * 3_600_000 + ((lot * 37) % 900) * 1000
  const minutes = 40 + ((lot * 13 + step * 29) % 91)
  const qtyIn = 12_000 - step * 6 - (lot % 17)
  return {
    CONTAINERID: `4880${pad(lot, 12)}`,
    WORKCENTERNAME: center,
    EQUIPMENTID: `e${pad(step * 100 + machine, 7)}`,
    EQUIPMENTNAME: `${prefix}-${pad(machine, 4)}`,
    SPECNAME: spec,
    TRACKINTIMESTAMP: iso(trackIn),
    TRACKOUTTIMESTAMP: iso(trackIn + minutes * 60_000),
    TRACKINQTY: qtyIn,
    TRACKOUTQTY: qtyIn - ((lot + step) % 7),
    FINISHEDRUNCARD: `RC${pad(lot, 9)}-${step + 1}`,
    PJ_WORKORDER: `GA${new Date(START + Math.floor(wo / 20) * DAY_MS).toISOString().slice(2, 7).replace('-', '')}${pad(wo % 10000, 4)}`,
    CONTAINERNAME: `GA26${pad(wo % 10000, 4)}-A${pad(lot % 400, 3)}`,
    PJ_TYPE: TYPES[wo % TYPES.length],
    PJ_BOP: `BOP-${TYPES[wo % TYPES.length]}`,
    WAFER_LOT_ID: WAFERS[lot % WAFERS.length],
    PARTIAL_COUNT: 1 + (lot % 3 === 0 ? 1 : 0),
  }
}

/** Writes the file; returns its path, rows and timings. */
export async function makeLargeResult({ rows, out, force = false, onProgress = () => {} }) {
  if (!existsSync(join(root, 'dist', 'main', 'store', 'index.js'))) throw new Error('run `npm run build:main` first')
  const { createResultFile } = await import(dist('main/store/index.js'))
  const { normalizeTraceRequest } = await import(dist('shared/trace-request.js'))
  const path = resolve(out)
  if (existsSync(path)) {
    if (!force) throw new Error(`${path} exists; pass --force to replace it`)
    rmSync(path, { force: true })
  }
  const request = normalizeTraceRequest({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['GA26000000-A000'] }, domains: ['history'] })
  const started = performance.now()
  const jobId = `trace-evt-${Date.now().toString(16).slice(-12).padStart(12, '0')}`
  const writer = createResultFile(path, { jobId, request, source: 'synthetic:make-large-result', appVersion: 'make-large-result', now: Date.now() })
  const BATCH = 10_000
  try {
    for (let from = 0; from < rows; from += BATCH) {
      const batch = []
      for (let i = from; i < Math.min(rows, from + BATCH); i++) batch.push(historyRow(i))
      writer.writeEvents('history', batch)
      if ((from / BATCH) % 20 === 0) onProgress(`${from + batch.length} rows`)
    }
    const writtenMs = performance.now() - started
    const bytes = writer.finish({
      domainQuality: { history: { status: 'complete', scope: 'domain', domain: 'history', reasons: [], observed_rows: rows } },
      quality: { status: 'complete', scope: 'query', reasons: [], observed_rows: rows },
      warnings: [],
    })
    return { path, rows, bytes, write_ms: Math.round(writtenMs), total_ms: Math.round(performance.now() - started) }
  } catch (error) {
    writer.abort()
    throw error
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { rows: { type: 'string', default: '1000000' }, out: { type: 'string', default: join(tmpdir(), 'mes-trace-large.mtr') }, force: { type: 'boolean', default: false } },
  })
  const rows = Number(values.rows)
  if (!Number.isInteger(rows) || rows < 1) {
    console.error('--rows must be a whole number ≥ 1')
    process.exit(2)
  }
  try {
    const made = await makeLargeResult({ rows, out: values.out, force: values.force, onProgress: (m) => process.stderr.write(`\r${m}   `) })
    process.stderr.write('\n')
    console.log(JSON.stringify(made))
  } catch (error) {
    console.error(`make-large-result: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  }
}
