/**
 * The closing line CI reads (`scripts/test-summary.mjs`): counts from both reports, a missing report
 * counted as a failure, and every failed test named just above that line, so a CI log cut to its
 * tail still says which test failed.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const script = resolve('scripts/test-summary.mjs')
const dirs: string[] = []

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** Runs the summary in a new folder holding the reports made for it (undefined: that report is missing). */
function summarize(make: (dir: string) => { vitest?: unknown; playwright?: unknown }): { status: number | null; lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'mes-trace-summary-'))
  dirs.push(dir)
  const reports = make(dir)
  mkdirSync(join(dir, 'reports'))
  if (reports.vitest !== undefined) writeFileSync(join(dir, 'reports', 'vitest.json'), JSON.stringify(reports.vitest))
  if (reports.playwright !== undefined) writeFileSync(join(dir, 'reports', 'playwright.json'), JSON.stringify(reports.playwright))
  const r = spawnSync(process.execPath, [script], { cwd: dir, encoding: 'utf8' })
  return { status: r.status, lines: `${r.stdout}${r.stderr}`.trim().split('\n') }
}

const passingPlaywright = { stats: { expected: 3, flaky: 1, unexpected: 0, skipped: 1 }, suites: [], errors: [] }

function vitestReport(dir: string, results: { file: string; status: string; message?: string; tests: { name: string; status: string; error?: string; duration?: number }[] }[]): unknown {
  const tests = results.flatMap((f) => f.tests)
  return {
    numPassedTests: tests.filter((t) => t.status === 'passed').length,
    numFailedTests: tests.filter((t) => t.status === 'failed').length,
    numPendingTests: tests.filter((t) => t.status === 'pending').length,
    testResults: results.map((f) => ({
      name: join(dir, f.file), status: f.status, message: f.message ?? '',
      assertionResults: f.tests.map((t) => ({ fullName: t.name, status: t.status, failureMessages: t.error ? [t.error] : [], ...(t.duration !== undefined ? { duration: t.duration } : {}) })),
    })),
  }
}

describe('scripts/test-summary.mjs', () => {
  it('sums both reports and exits 0 when nothing failed', () => {
    const r = summarize((dir) => ({ vitest: vitestReport(dir, [{ file: 'a.test.ts', status: 'passed', tests: [{ name: 'a', status: 'passed' }, { name: 'b', status: 'pending' }] }]), playwright: passingPlaywright }))
    expect(r.lines).toEqual(['tests: 5 passed, 0 failed, 2 skipped'])
    expect(r.status).toBe(0)
  })

  it('names each failed test, a file failing outside its tests and a failed spec above the closing line', () => {
    const playwright = {
      stats: { expected: 1, flaky: 0, unexpected: 1, skipped: 0 },
      errors: [],
      suites: [{ title: 'w.spec.ts', file: 'w.spec.ts', specs: [], suites: [{ title: 'workspace', specs: [
        { title: 'cancels a queued job', file: 'w.spec.ts', tests: [{ status: 'unexpected', results: [{ error: { message: 'Error: timed out 5000ms\ncall log' } }] }] },
        { title: 'opens', file: 'w.spec.ts', tests: [{ status: 'expected', results: [{}] }] },
      ] }] }],
    }
    const r = summarize((dir) => ({ vitest: vitestReport(dir, [
      { file: 'tests/a.test.ts', status: 'failed', tests: [
        { name: 'suite works', status: 'passed' },
        { name: 'suite cancels within 2 s', status: 'failed', error: '\u001b[31mAssertionError: expected 2300 to be less than 2000\u001b[39m\n    at x.ts:1:1' },
      ] },
      { file: 'tests/b.test.ts', status: 'failed', message: 'Error: beforeAll timed out\nstack', tests: [] },
      { file: 'tests/c.test.ts', status: 'failed', tests: [{ name: 'hangs', status: 'failed', duration: 90011.4, error: 'Error: STACK_TRACE_ERROR\n    at task' }] },
    ]), playwright }))
    expect(r.lines).toEqual([
      'failed: vitest: tests/a.test.ts › suite cancels within 2 s: AssertionError: expected 2300 to be less than 2000',
      'failed: vitest: tests/b.test.ts failed outside its tests: Error: beforeAll timed out',
      'failed: vitest: tests/c.test.ts › hangs (after 90011 ms): Error: STACK_TRACE_ERROR',
      'failed: playwright: w.spec.ts › workspace › cancels a queued job: Error: timed out 5000ms',
      'tests: 2 passed, 4 failed',
    ])
    expect(r.status).toBe(1)
  })

  it('names at most 40 failures and says how many more there are', () => {
    const tests = Array.from({ length: 45 }, (_, i) => ({ name: `t${i}`, status: 'failed', error: `Error: e${i}` }))
    const r = summarize((dir) => ({ vitest: vitestReport(dir, [{ file: 'many.test.ts', status: 'failed', tests }]), playwright: passingPlaywright }))
    expect(r.lines).toHaveLength(42)
    expect(r.lines[0]).toBe('failed: vitest: many.test.ts › t0: Error: e0')
    expect(r.lines[39]).toBe('failed: vitest: many.test.ts › t39: Error: e39')
    expect(r.lines[40]).toBe('failed: … and 5 more (reports/vitest.json, reports/playwright.json)')
    expect(r.lines[41]).toBe('tests: 4 passed, 45 failed, 1 skipped')
  })

  it('counts a missing report as a failure, so a broken build never looks green', () => {
    const r = summarize(() => ({ playwright: passingPlaywright }))
    expect(r.lines).toEqual(['failed: missing reports/vitest.json', 'tests: 4 passed, 1 failed, 1 skipped'])
    expect(r.status).toBe(1)
  })
})
