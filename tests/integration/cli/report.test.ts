/**
 * `mes-trace report` on the demo plant's backward run (the full 20 000-lot plant of `npm run demo`):
 * the file is new unless `--force`, under 2 MB, holds no script and no address that would load, and
 * opens in Chromium — offline, with every request recorded — without a single request but its own
 * file and without a console error (a Content-Security-Policy refusal would be one). A forward
 * result is refused naming the job. The hand-made report with hostile MES names shows them as text
 * in Chromium too.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser } from '@playwright/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../../main/cli/main.js'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { buildEvidenceReport } from '../../../main/report/index.js'
import type { BackwardAggregation } from '../../../shared/msd.js'
import { captureIo } from '../../fixtures/cli-io.js'
import { fakeSource, HOSTILE_LOT, JOB_ID } from '../../fixtures/report-fixture.js'

/** The most a report of the demo's backward run may weigh (issue 15). */
const MAX_REPORT_BYTES = 2 * 1024 * 1024

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(argv, io)
  return { code, out: io.out, err: io.err }
}

/** Opens `file` in Chromium with the network off, recording every request, console message and dialog. */
async function openOffline(browser: Browser, file: string) {
  const context = await browser.newContext({ offline: true, viewport: { width: 1366, height: 768 } })
  const page = await context.newPage()
  const requests: string[] = []
  const problems: string[] = []
  page.on('request', (request) => requests.push(request.url()))
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`)
    void dialog.dismiss()
  })
  await page.goto(pathToFileURL(file).toString(), { waitUntil: 'load' })
  return { context, page, requests, problems }
}

describe('mes-trace report', () => {
  let dir: string
  let dataDir: string
  let plant: DemoSummary
  let backward: { job_id: string; aggregation: BackwardAggregation }
  let forward: { job_id: string }
  let browser: Browser

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-report-cli-'))
    dataDir = join(dir, 'data')
    // The demo plant as `npm run demo` makes it (20 000 lots, its default seed and window).
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite') })
    const common = ['--source', `sqlite:${plant.out}`, '--profile', 'mid_section_defect', '--from', plant.startDate, '--to', plant.endDate, '--data-dir', dataDir, '--json']
    const run = await cli('run', ...common)
    expect(run.code, run.err).toBe(0)
    backward = JSON.parse(run.out)
    const runForward = await cli('run', ...common, '--direction', 'forward', '--station', '成型')
    expect(runForward.code, runForward.err).toBe(0)
    forward = JSON.parse(runForward.out)
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    })
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('writes the demo run\'s report: under 2 MB, no script, no address that would load, its suspects named', async () => {
    const out = join(dir, 'report.html')
    const r = await cli('report', backward.job_id, '--out', out, '--lang', 'en', '--data-dir', dataDir, '--json')
    expect(r.code, r.err).toBe(0)
    const answer = JSON.parse(r.out) as { job_id: string; path: string; bytes: number; locale: string }
    expect(answer).toMatchObject({ job_id: backward.job_id, path: out, locale: 'en' })
    expect(answer.bytes).toBe(statSync(out).size)
    expect(answer.bytes).toBeLessThan(MAX_REPORT_BYTES)
    const html = readFileSync(out, 'utf8')
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/https?:\/\//i)
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:`)
    // The planted wire bonder heads the independent suspects, with its time chart.
    const independent = backward.aggregation.suspects.filter((s) => s.significant && !s.explained_by)
    expect(independent.length).toBeGreaterThan(0)
    const first = html.slice(html.indexOf('id="suspect-1"'), html.indexOf('id="suspect-2"') > 0 ? html.indexOf('id="suspect-2"') : html.indexOf('id="explained"'))
    expect(first).toContain(independent[0]!.name)
    expect(first).toContain('<svg')
    expect(html.match(/<article class="suspect"/g)).toHaveLength(Math.min(independent.length, 20))
    // Its explained suspects are listed with what explains each.
    const explained = backward.aggregation.suspects.filter((s) => s.significant && s.explained_by)
    if (explained.length > 0) expect(html.slice(html.indexOf('id="explained"'), html.indexOf('id="trend"'))).toContain(explained[0]!.name)
  })

  it('opens in Chromium offline with no request but its own file and no console error', async () => {
    const out = join(dir, 'report-zh.html')
    expect((await cli('report', backward.job_id, '--out', out, '--lang', 'zh-TW', '--data-dir', dataDir)).code).toBe(0)
    const { context, page, requests, problems } = await openOffline(browser, out)
    try {
      expect(requests).toEqual([pathToFileURL(out).toString()])
      expect(problems).toEqual([])
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-Hant-TW')
      expect(await page.locator('h1').textContent()).toBe('製程不良分析證據報告')
      expect(await page.locator('script').count()).toBe(0)
      // Charts drawn: every independent suspect with a time view, and the p-chart.
      expect(await page.locator('#trend svg').count()).toBe(1)
      const box = await page.locator('#trend svg').boundingBox()
      expect(box!.width).toBeGreaterThan(600)
    } finally {
      await context.close()
    }
  })

  it('shows hostile names from the MES as text in Chromium, running nothing', async () => {
    const file = join(dir, 'hostile.html')
    writeFileSync(file, await buildEvidenceReport(fakeSource(), JOB_ID, { locale: 'en', appVersion: 'test' }))
    const { context, page, requests, problems } = await openOffline(browser, file)
    try {
      expect(requests).toEqual([pathToFileURL(file).toString()])
      expect(problems).toEqual([])
      expect(await page.locator('#lots-1 tbody tr').first().locator('td').first().textContent()).toBe(HOSTILE_LOT)
      expect(await page.locator('img, script').count()).toBe(0)
    } finally {
      await context.close()
    }
  })

  it('never replaces a file without --force, and says how to', async () => {
    const out = join(dir, 'kept.html')
    writeFileSync(out, 'kept')
    const refused = await cli('report', backward.job_id, '--out', out, '--data-dir', dataDir)
    expect(refused.code).toBe(1)
    expect(refused.err).toContain(`[export/refused] ${out} already exists; pass --force to replace it or --out to write elsewhere`)
    expect(readFileSync(out, 'utf8')).toBe('kept')
    const forced = await cli('report', backward.job_id, '--out', out, '--force', '--data-dir', dataDir)
    expect(forced.code, forced.err).toBe(0)
    expect(forced.out).toMatch(/^Wrote the evidence report of trace-evt-[0-9a-f]{12} to .*kept\.html \(\d+ bytes, (en|zh-TW)\)/)
    expect(readFileSync(out, 'utf8').startsWith('<!doctype html>')).toBe(true)
  })

  it('refuses a forward result, a bad language and a missing --out, naming what is wrong', async () => {
    const out = join(dir, 'forward.html')
    const refused = await cli('report', forward.job_id, '--out', out, '--data-dir', dataDir)
    expect(refused.code).toBe(2)
    expect(refused.err).toContain(`[input/invalid] JOB_ID: job ${forward.job_id} is a forward MSD analysis; an evidence report is made of a backward one`)
    expect(() => statSync(out)).toThrow()
    const lang = await cli('report', backward.job_id, '--out', out, '--lang', 'fr', '--data-dir', dataDir)
    expect([lang.code, lang.err]).toEqual([2, 'mes-trace report: [input/invalid] --lang: must be en or zh-TW, got "fr"\n'])
    const missing = await cli('report', backward.job_id, '--data-dir', dataDir)
    expect(missing.code).toBe(2)
    expect(missing.err).toContain('--out: is required')
    const unknown = await cli('report', 'trace-evt-000000000000', '--out', out, '--data-dir', dataDir)
    expect(unknown.code).toBe(1)
    expect(unknown.err).toContain('[job/not-found]')
  })
})
