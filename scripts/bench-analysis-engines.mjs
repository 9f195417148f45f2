// Benchmark (not part of the test run): would an embedded columnar engine make the MSD analysis
// fast enough to adopt? The core of the backward analysis — detection lots, the lot → container map,
// the machine and material factor tables with each lot's first passage, the per-factor tallies and
// the station-group populations — run as the same SQL on SQLite (over a real result file, as the
// worker runs it) and on DuckDB (fed from the rows in JavaScript, as a fetch would feed it), on the
// same demo plant. Both must give identical tallies; the report holds each statement's time, the
// cost of getting the rows into DuckDB, and the ratio.
//
// DuckDB is not a dependency of the app. The benchmark runs it when it is installed beside the
// project (`npm install --no-save @duckdb/node-api@1.5.6-r.1`, prebuilt binaries from the npm
// registry) and otherwise records that it was skipped and why.
// Prints a table to stderr and one JSON object to stdout; writes reports/bench-analysis-engines.json.
//   node scripts/bench-analysis-engines.mjs [--lots 120000] [--threads 2]
// Needs the compiled main process code (`npm run build:main`).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = (p) => pathToFileURL(join(root, 'dist', p)).href
if (!existsSync(join(root, 'dist', 'main', 'msd', 'index.js'))) {
  console.error('bench: run `npm run build:main` first')
  process.exit(2)
}
const { values } = parseArgs({ options: { lots: { type: 'string', default: '120000' }, threads: { type: 'string', default: '2' } } })
const lots = Number(values.lots)
const reportPath = join(root, 'reports', 'bench-analysis-engines.json')
const write = (report) => {
  mkdirSync(join(root, 'reports'), { recursive: true })
  writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`)
  console.log(JSON.stringify(report))
}

let duckdb
try {
  duckdb = await import('@duckdb/node-api')
} catch {
  const reason = 'DuckDB is not installed (npm install --no-save @duckdb/node-api@1.5.6-r.1 to run this comparison)'
  console.error(`analysis engines: skipped: ${reason}`)
  write({ benchmark: 'analysis-engines', node: process.version, lots, skipped: reason })
  process.exit(0)
}

const { generateDemoPlant } = await import(dist('main/demo/index.js'))
const { openSource, parseSourceSpec } = await import(dist('main/sources/index.js'))
const { createResultFile } = await import(dist('main/store/index.js'))
const { resultFileSink, runTrace } = await import(dist('main/trace/index.js'))
const { runMsdAnalysis } = await import(dist('main/msd/index.js'))
const { normalizeTraceRequest } = await import(dist('shared/trace-request.js'))
const { stationGroupByName, stationGroupOf, UNKNOWN_STATION_NAME, UNKNOWN_STATION_ORDER } = await import(dist('shared/stations.js'))
const { MSD_UNKNOWN } = await import(dist('shared/msd.js'))

const work = mkdtempSync(join(tmpdir(), 'mes-trace-bench-engines-'))
const since = (t) => Math.round(performance.now() - t)

// A result file as the worker leaves it: the trace, then the analysis (which stores the detection
// lots and the lot → container map the statements below start from).
const made = await generateDemoPlant({ out: join(work, 'plant.sqlite'), lots, seed: 'bench' })
const { source } = await openSource(parseSourceSpec(`sqlite:${made.out}`))
const request = normalizeTraceRequest({ profile: 'mid_section_defect', params: { start_date: made.startDate, end_date: made.endDate } })
const resultPath = join(work, 'trace-evt-000000000001.sqlite')
const writer = createResultFile(resultPath, { jobId: 'trace-evt-000000000001', request, source: source.description, appVersion: 'bench', now: Date.now() })
const outcome = await runTrace({
  source,
  request,
  sink: resultFileSink(writer),
})
const aggregation = await runMsdAnalysis({ source, writer, request, seedCids: outcome.seeds.seeds.map((s) => s.container_id), lineage: outcome.lineage, quality: outcome.quality_meta })
writer.finish({ domainQuality: outcome.domains, quality: outcome.quality_meta, aggregation })
await source.close()
const detectionOrder = stationGroupByName(aggregation.station)?.order ?? UNKNOWN_STATION_ORDER
console.error(`${lots} lots traced: ${outcome.event_cids.length} CIDs, detection station ${aggregation.station} (order ${detectionOrder})`)

// The statements, one text for both engines. Machine codes and material codes follow key order,
// lots are numbered in CID order; the kept station groups and workcenters come in as tables.
const UNKNOWN = MSD_UNKNOWN
const STATEMENTS = [
  ['lots', `CREATE TEMP TABLE b_lot AS SELECT row_number() OVER (ORDER BY d.cid) AS lot_no, d.cid AS cid, d.input_qty AS input_qty, COALESCE(r.qty, 0) AS defect_qty
     FROM b_det d LEFT JOIN (SELECT cid, SUM(qty) AS qty FROM b_rej WHERE qty > 0 GROUP BY cid) r ON r.cid = d.cid`],
  ['lot_containers', `CREATE TEMP TABLE b_cid_lot AS SELECT m.cid AS cid, l.lot_no AS lot_no FROM b_lot_cids m JOIN b_lot l ON l.cid = m.lot_cid`],
  ['machines', `CREATE TEMP TABLE b_machine AS SELECT row_number() OVER (ORDER BY grp, name, id) AS f, grp, name, id FROM (
     SELECT DISTINCT COALESCE(NULLIF(u.WORKCENTER_GROUP, ''), '${UNKNOWN}') AS grp, COALESCE(NULLIF(u.EQUIPMENTNAME, ''), '${UNKNOWN}') AS name, COALESCE(u.EQUIPMENTID, '') AS id
     FROM b_up u WHERE COALESCE(u.WORKCENTER_GROUP, '') IN (SELECT g FROM b_kept) AND u.CONTAINERID IN (SELECT cid FROM b_cid_lot)) x`],
  ['lot_machines', `CREATE TEMP TABLE b_lot_machine AS SELECT k.f AS f, c.lot_no AS lot_no, MIN(u.TRACKINTIMESTAMP) AS t FROM b_up u
     JOIN b_machine k ON k.grp = COALESCE(NULLIF(u.WORKCENTER_GROUP, ''), '${UNKNOWN}') AND k.name = COALESCE(NULLIF(u.EQUIPMENTNAME, ''), '${UNKNOWN}') AND k.id = COALESCE(u.EQUIPMENTID, '')
     JOIN b_cid_lot c ON c.cid = u.CONTAINERID WHERE COALESCE(u.WORKCENTER_GROUP, '') IN (SELECT g FROM b_kept) GROUP BY k.f, c.lot_no`],
  ['machine_tallies', `SELECT f.f AS f, COUNT(*) AS lots, SUM(CASE WHEN l.defect_qty > 0 THEN 1 ELSE 0 END) AS defective_lots, SUM(l.input_qty) AS input_qty, SUM(l.defect_qty) AS defect_qty
     FROM b_lot_machine f JOIN b_lot l ON l.lot_no = f.lot_no GROUP BY f.f ORDER BY f.f`],
  ['group_populations', `SELECT p.grp AS grp, COUNT(*) AS lots, SUM(l.input_qty) AS input_qty, SUM(l.defect_qty) AS defect_qty
     FROM (SELECT DISTINCT k.grp AS grp, f.lot_no AS lot_no FROM b_lot_machine f JOIN b_machine k ON k.f = f.f) p JOIN b_lot l ON l.lot_no = p.lot_no GROUP BY p.grp ORDER BY p.grp`],
  ['materials', `CREATE TEMP TABLE b_material AS SELECT row_number() OVER (ORDER BY part, lot) AS m, part, lot FROM (
     SELECT DISTINCT x.MATERIALPARTNAME AS part, COALESCE(x.MATERIALLOTNAME, '') AS lot FROM b_mat x JOIN b_kept_wc w ON w.wc = COALESCE(x.WORKCENTERNAME, '')
     WHERE x.MATERIALPARTNAME IS NOT NULL AND x.MATERIALPARTNAME <> '' AND x.CONTAINERID IN (SELECT cid FROM b_cid_lot)) x`],
  ['lot_materials', `CREATE TEMP TABLE b_lot_material AS SELECT k.m AS m, c.lot_no AS lot_no, MIN(x.TXNDATE) AS t FROM b_mat x JOIN b_kept_wc w ON w.wc = COALESCE(x.WORKCENTERNAME, '')
     JOIN b_material k ON k.part = x.MATERIALPARTNAME AND k.lot = COALESCE(x.MATERIALLOTNAME, '') JOIN b_cid_lot c ON c.cid = x.CONTAINERID
     WHERE x.MATERIALPARTNAME IS NOT NULL AND x.MATERIALPARTNAME <> '' GROUP BY k.m, c.lot_no`],
  ['material_tallies', `SELECT f.m AS m, COUNT(*) AS lots, SUM(CASE WHEN l.defect_qty > 0 THEN 1 ELSE 0 END) AS defective_lots, SUM(l.input_qty) AS input_qty, SUM(l.defect_qty) AS defect_qty
     FROM b_lot_material f JOIN b_lot l ON l.lot_no = f.lot_no GROUP BY f.m ORDER BY f.m`],
]
/** Indexes SQLite needs for the joins above (DuckDB builds hash tables per join instead). */
const SQLITE_INDEXES = {
  lots: 'CREATE UNIQUE INDEX temp.b_lot_by_cid ON b_lot (cid); CREATE UNIQUE INDEX temp.b_lot_by_no ON b_lot (lot_no)',
  lot_containers: 'CREATE INDEX temp.b_cid_lot_by_cid ON b_cid_lot (cid)',
  machines: 'CREATE UNIQUE INDEX temp.b_machine_by_key ON b_machine (grp, name, id)',
  materials: 'CREATE UNIQUE INDEX temp.b_material_by_key ON b_material (part, lot)',
}

/** The inputs as the analysis sees them, read out of the result file into arrays. */
const db = new Database(resultPath)
let t = performance.now()
const inputs = {
  b_det: { columns: ['cid VARCHAR', 'input_qty DOUBLE'], rows: db.prepare('SELECT cid, input_qty FROM msd_detection').raw().all() },
  b_rej: { columns: ['cid VARCHAR', 'reason VARCHAR', 'qty DOUBLE'], rows: db.prepare('SELECT cid, reason, qty FROM msd_detection_rejects').raw().all() },
  b_lot_cids: { columns: ['lot_cid VARCHAR', 'cid VARCHAR'], rows: db.prepare('SELECT lot_cid, cid FROM msd_lot_cids').raw().all() },
  b_up: {
    columns: ['CONTAINERID VARCHAR', 'WORKCENTER_GROUP VARCHAR', 'EQUIPMENTNAME VARCHAR', 'EQUIPMENTID VARCHAR', 'TRACKINTIMESTAMP VARCHAR'],
    rows: db.prepare('SELECT CONTAINERID, WORKCENTER_GROUP, EQUIPMENTNAME, EQUIPMENTID, TRACKINTIMESTAMP FROM events_upstream_history').raw().all(),
  },
  b_mat: {
    columns: ['CONTAINERID VARCHAR', 'WORKCENTERNAME VARCHAR', 'MATERIALPARTNAME VARCHAR', 'MATERIALLOTNAME VARCHAR', 'TXNDATE VARCHAR'],
    rows: db.prepare('SELECT CONTAINERID, WORKCENTERNAME, MATERIALPARTNAME, MATERIALLOTNAME, TXNDATE FROM events_materials').raw().all(),
  },
}
const readMs = since(t)
const orderOf = (group) => (group === '' ? UNKNOWN_STATION_ORDER : (stationGroupByName(group)?.order ?? UNKNOWN_STATION_ORDER))
const isKept = (order) => order < detectionOrder || order === UNKNOWN_STATION_ORDER
inputs.b_kept = { columns: ['g VARCHAR'], rows: [...new Set(inputs.b_up.rows.map((r) => r[1] ?? ''))].filter((g) => isKept(orderOf(g))).map((g) => [g]) }
inputs.b_kept_wc = {
  columns: ['wc VARCHAR', 'grp VARCHAR'],
  rows: [...new Set(inputs.b_mat.rows.map((r) => r[1] ?? ''))]
    .map((wc) => [wc, stationGroupOf(wc)?.name ?? UNKNOWN_STATION_NAME])
    .filter(([, grp]) => isKept(orderOf(grp))),
}
const rowCounts = Object.fromEntries(Object.entries(inputs).map(([name, { rows }]) => [name, rows.length]))
console.error(`inputs read from the result file in ${readMs} ms: ${JSON.stringify(rowCounts)}`)

// SQLite: the result file's own connection; the inputs are views over its tables (no copy), the
// two small kept tables are temp tables.
db.exec(`
  CREATE TEMP VIEW b_det AS SELECT cid, input_qty FROM msd_detection;
  CREATE TEMP VIEW b_rej AS SELECT cid, reason, qty FROM msd_detection_rejects;
  CREATE TEMP VIEW b_lot_cids AS SELECT lot_cid, cid FROM msd_lot_cids;
  CREATE TEMP VIEW b_up AS SELECT CONTAINERID, WORKCENTER_GROUP, EQUIPMENTNAME, EQUIPMENTID, TRACKINTIMESTAMP FROM events_upstream_history;
  CREATE TEMP VIEW b_mat AS SELECT CONTAINERID, WORKCENTERNAME, MATERIALPARTNAME, MATERIALLOTNAME, TXNDATE FROM events_materials;
  CREATE TEMP TABLE b_kept (g TEXT PRIMARY KEY);
  CREATE TEMP TABLE b_kept_wc (wc TEXT PRIMARY KEY, grp TEXT);
`)
for (const name of ['b_kept', 'b_kept_wc']) {
  const insert = db.prepare(`INSERT INTO ${name} VALUES (${inputs[name].columns.map(() => '?').join(', ')})`)
  for (const row of inputs[name].rows) insert.run(row)
}
const sqlite = { ms: {}, out: {} }
for (const [name, sql] of STATEMENTS) {
  t = performance.now()
  if (sql.startsWith('CREATE')) {
    db.exec(sql)
    if (SQLITE_INDEXES[name]) db.exec(SQLITE_INDEXES[name])
  } else sqlite.out[name] = db.prepare(sql).raw().all()
  sqlite.ms[name] = since(t)
}
db.close()

// DuckDB, in memory, fed from the arrays column by column in chunks of its vector size.
const { DuckDBInstance, DuckDBDataChunk, VARCHAR, DOUBLE } = duckdb
const instance = await DuckDBInstance.create(':memory:', { threads: values.threads })
const connection = await instance.connect()
const duck = { ms: {}, out: {} }
t = performance.now()
for (const [name, { columns, rows }] of Object.entries(inputs)) {
  await connection.run(`CREATE TABLE ${name} (${columns.join(', ')})`)
  const types = columns.map((c) => (c.endsWith('DOUBLE') ? DOUBLE : VARCHAR))
  const appender = await connection.createAppender(name)
  for (let at = 0; at < rows.length; at += 2048) {
    const slice = rows.slice(at, at + 2048)
    const chunk = DuckDBDataChunk.create(types)
    // Stored text columns may hold numbers (TEXT affinity keeps what a driver gave): as text here too.
    chunk.setColumns(types.map((type, c) => slice.map((row) => (type === VARCHAR && typeof row[c] === 'number' ? String(row[c]) : row[c]))))
    appender.appendDataChunk(chunk)
  }
  appender.closeSync()
}
const appendMs = since(t)
for (const [name, sql] of STATEMENTS) {
  t = performance.now()
  if (sql.startsWith('CREATE')) await connection.run(sql)
  else duck.out[name] = (await connection.runAndReadAll(sql)).getRowsJS()
  duck.ms[name] = since(t)
}
connection.closeSync()
instance.closeSync()
rmSync(work, { recursive: true, force: true })

const plain = (rows) => JSON.stringify(rows.map((row) => row.map((v) => (typeof v === 'bigint' ? Number(v) : v))))
const identical = Object.fromEntries(Object.keys(sqlite.out).map((name) => [name, plain(sqlite.out[name]) === plain(duck.out[name])]))
const total = (ms) => Object.values(ms).reduce((a, b) => a + b, 0)
const report = {
  benchmark: 'analysis-engines',
  node: process.version,
  duckdb: (await import('@duckdb/node-api/package.json', { with: { type: 'json' } }).catch(() => ({ default: {} }))).default.version ?? null,
  duckdb_threads: Number(values.threads),
  lots,
  cids: outcome.event_cids.length,
  input_rows: rowCounts,
  read_inputs_ms: readMs,
  duckdb_append_ms: appendMs,
  sqlite_ms: sqlite.ms,
  duckdb_ms: duck.ms,
  sqlite_total_ms: total(sqlite.ms),
  duckdb_total_ms: total(duck.ms),
  statements_ratio: Math.round((total(sqlite.ms) / Math.max(1, total(duck.ms))) * 10) / 10,
  with_append_ratio: Math.round((total(sqlite.ms) / Math.max(1, total(duck.ms) + appendMs)) * 10) / 10,
  identical,
  result_rows: Object.fromEntries(Object.entries(sqlite.out).map(([name, rows]) => [name, rows.length])),
}
write(report)
for (const [name] of STATEMENTS) console.error(`  ${name.padEnd(18)} sqlite ${String(sqlite.ms[name]).padStart(6)} ms   duckdb ${String(duck.ms[name]).padStart(6)} ms`)
console.error(
  `statements: sqlite ${report.sqlite_total_ms} ms, duckdb ${report.duckdb_total_ms} ms (${report.statements_ratio}×); ` +
    `duckdb + appending its inputs ${report.duckdb_total_ms + appendMs} ms (${report.with_append_ratio}×); identical: ${Object.values(identical).every(Boolean)}`,
)
if (!Object.values(identical).every(Boolean)) process.exitCode = 1
