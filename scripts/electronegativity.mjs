// `npm run audit:electron`: Electronegativity over main/ and renderer/ together (its global checks —
// navigation limits, permission handler, CSP — need both in one scan), assuming the Electron
// version the app ships. Prints every finding and exits 1 on any HIGH or MEDIUM one.
// Electronegativity looks for newer Electron releases online and goes on without them offline.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const { version: electronVersion } = require(join(root, 'node_modules', 'electron', 'package.json'))
const bin = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electronegativity.cmd' : 'electronegativity')
if (!existsSync(bin)) {
  console.error('audit:electron: @doyensec/electronegativity is not installed; run `npm ci`.')
  process.exit(2)
}

/** The cells of one CSV line (quoted cells may hold commas; "" is a quote). */
function csvCells(line) {
  const cells = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      cells.push(cell)
      cell = ''
    } else cell += ch
  }
  cells.push(cell)
  return cells
}

const scan = mkdtempSync(join(tmpdir(), 'mes-trace-eneg-'))
try {
  cpSync(join(root, 'main'), join(scan, 'main'), { recursive: true })
  cpSync(join(root, 'renderer'), join(scan, 'renderer'), { recursive: true })
  const report = join(scan, 'report.csv')
  const run = spawnSync(bin, ['-i', scan, '-r', '-e', electronVersion, '-o', report, '-v', 'false'], { encoding: 'utf8' })
  if (!existsSync(report)) {
    console.error(run.stdout, run.stderr)
    console.error('audit:electron: Electronegativity wrote no report.')
    process.exit(2)
  }
  const [header, ...lines] = readFileSync(report, 'utf8').trim().split(/\r?\n/)
  const columns = csvCells(header).map((c) => c.trim())
  const at = (name) => columns.indexOf(name)
  const findings = lines
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const cells = csvCells(line)
      return { check: cells[at('issue')], severity: cells[at('severity')], confidence: cells[at('confidence')], file: cells[at('filename')], location: cells[at('location')] }
    })
  console.log(`Electronegativity ${require(join(root, 'node_modules', '@doyensec', 'electronegativity', 'package.json')).version} over main/ and renderer/ (Electron ${electronVersion}): ${findings.length} finding(s)`)
  for (const f of findings) console.log(`  ${String(f.severity).padEnd(8)} ${String(f.confidence).padEnd(10)} ${f.check}  ${f.file ?? ''} ${f.location ?? ''}`)
  const blocking = findings.filter((f) => /^(HIGH|MEDIUM)$/i.test(String(f.severity)))
  console.log(blocking.length === 0 ? 'No HIGH or MEDIUM finding.' : `${blocking.length} HIGH/MEDIUM finding(s).`)
  process.exit(blocking.length === 0 ? 0 : 1)
} finally {
  rmSync(scan, { recursive: true, force: true })
}
