// Prints the closing line CI reads: `tests: N passed, N failed[, N skipped]`.
// A missing report counts as a failure, so a broken build can never look green.
import { existsSync, readFileSync } from 'node:fs'

let passed = 0
let failed = 0
let skipped = 0
const reports = { vitest: 'reports/vitest.json', playwright: 'reports/playwright.json' }

if (existsSync(reports.vitest)) {
  const r = JSON.parse(readFileSync(reports.vitest, 'utf8'))
  passed += r.numPassedTests
  failed += r.numFailedTests
  skipped += r.numPendingTests + (r.numTodoTests ?? 0)
  // A file that failed outside any test (import error, failing beforeAll) counts as one failure.
  for (const file of r.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((a) => a.status === 'failed').length
    if (file.status === 'failed' && failedTests === 0) {
      console.error(`vitest: ${file.name} failed outside its tests: ${(file.message ?? '').split('\n')[0]}`)
      failed++
    }
  }
} else {
  console.error(`missing ${reports.vitest}`)
  failed++
}
if (existsSync(reports.playwright)) {
  const s = JSON.parse(readFileSync(reports.playwright, 'utf8')).stats
  passed += s.expected + s.flaky
  failed += s.unexpected
  skipped += s.skipped
  for (const e of JSON.parse(readFileSync(reports.playwright, 'utf8')).errors ?? []) {
    console.error(`playwright error: ${e.message ?? e}`)
    failed++
  }
} else {
  console.error(`missing ${reports.playwright}`)
  failed++
}
console.log(`tests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''))
process.exit(failed > 0 || passed === 0 ? 1 : 0)
