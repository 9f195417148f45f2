// Prints the closing line CI reads: `tests: N passed, N failed[, N skipped]`.
// A missing report counts as a failure, so a broken build can never look green. Every failed test
// is named just above that line (file, test, first line of its error), so the tail of a CI log says
// which test failed even when the log is cut.
import { existsSync, readFileSync } from 'node:fs'
import { relative } from 'node:path'

let passed = 0
let failed = 0
let skipped = 0
/** One line per failure, printed last so it survives a log cut to its tail. */
const failures = []
// eslint-disable-next-line no-control-regex -- the colour codes a reporter puts in its messages
const firstLine = (text) => String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim()) ?? ''
const reports = { vitest: 'reports/vitest.json', playwright: 'reports/playwright.json' }

if (existsSync(reports.vitest)) {
  const r = JSON.parse(readFileSync(reports.vitest, 'utf8'))
  passed += r.numPassedTests
  failed += r.numFailedTests
  skipped += r.numPendingTests + (r.numTodoTests ?? 0)
  // A file that failed outside any test (import error, failing beforeAll) counts as one failure.
  for (const file of r.testResults ?? []) {
    const name = relative(process.cwd(), file.name)
    const failedTests = (file.assertionResults ?? []).filter((a) => a.status === 'failed')
    // The duration tells a timeout, whose message Vitest's report leaves out (STACK_TRACE_ERROR).
    for (const a of failedTests) {
      const after = typeof a.duration === 'number' ? ` (after ${Math.round(a.duration)} ms)` : ''
      failures.push(`vitest: ${name} › ${a.fullName}${after}: ${firstLine(a.failureMessages?.[0]).slice(0, 300)}`)
    }
    if (file.status === 'failed' && failedTests.length === 0) {
      failures.push(`vitest: ${name} failed outside its tests: ${firstLine(file.message).slice(0, 300)}`)
      failed++
    }
  }
} else {
  failures.push(`missing ${reports.vitest}`)
  failed++
}
if (existsSync(reports.playwright)) {
  const report = JSON.parse(readFileSync(reports.playwright, 'utf8'))
  const s = report.stats
  passed += s.expected + s.flaky
  failed += s.unexpected
  skipped += s.skipped
  for (const { file, title, error } of unexpectedSpecs(report.suites ?? [], [])) {
    failures.push(`playwright: ${file} › ${title}: ${firstLine(error).slice(0, 300)}`)
  }
  for (const e of report.errors ?? []) {
    failures.push(`playwright error: ${firstLine(e.message ?? e).slice(0, 300)}`)
    failed++
  }
} else {
  failures.push(`missing ${reports.playwright}`)
  failed++
}
// At most MAX_NAMED, so a run where everything failed still ends readably.
const MAX_NAMED = 40
for (const line of failures.slice(0, MAX_NAMED)) console.log(`failed: ${line}`)
if (failures.length > MAX_NAMED) console.log(`failed: … and ${failures.length - MAX_NAMED} more (reports/vitest.json, reports/playwright.json)`)
console.log(`tests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''))
process.exit(failed > 0 || passed === 0 ? 1 : 0)

/** The specs of a Playwright JSON report whose outcome was unexpected, with their first error. */
function unexpectedSpecs(suites, titles) {
  const out = []
  for (const suite of suites) {
    const path = suite.title ? [...titles, suite.title] : titles
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') continue
        const last = (test.results ?? []).at(-1)
        out.push({ file: spec.file ?? suite.file ?? '', title: [...path.slice(1), spec.title].join(' › '), error: last?.error?.message ?? last?.errors?.[0]?.message })
      }
    }
    out.push(...unexpectedSpecs(suite.suites ?? [], path))
  }
  return out
}
