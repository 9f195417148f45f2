import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect, test, type Page } from '@playwright/test'
import { JOB_WITH_TRANSACTION_COLUMNS, type JobTransactions } from '../../shared/equipment'
import type { SourceProfile } from '../../shared/api'
import type { RowsPage } from '../../shared/page-query'
import { parseCsv } from '../fixtures/csv'
import { call, startServe, watchConsole, type Served } from './support/serve'

/**
 * A repair job's transactions in the result view's jobs tab (original-ui.md §3.3–3.4) through
 * `mes-trace serve` on the 2 000-lot demo plant: a lot trace of a lot that ran on machines with
 * repair jobs, a job's transactions opened from its row (the same rows `sources:job-transactions`
 * answers), the export with transactions (every job of the tab in the file), and a source without
 * `DW_MES_JOBTXNHISTORY` that says so. Screenshots land in `SCREENS_DIR`/job-transactions-*.png.
 */
const SCREENS = process.env.SCREENS_DIR ?? join('test-results', 'screens')
const SIZES = [
  { width: 1920, height: 1080 },
  { width: 1366, height: 768 },
] as const

test.describe.configure({ mode: 'serial' })

test.describe('repair-job transactions (browser host, 2 000-lot demo plant)', () => {
  let dataDir = ''
  let served: Served
  let plant = ''
  let lot = ''

  test.beforeAll(async () => {
    test.setTimeout(120_000)
    mkdirSync(SCREENS, { recursive: true })
    dataDir = mkdtempSync(join(tmpdir(), 'mes-trace-job-txn-'))
    served = await startServe(dataDir)
    plant = join(dataDir, 'demo', 'plant.sqlite')
    // A lot that ran on a machine while a repair job with transactions was open there (§3.1's overlap).
    const db = new Database(plant, { readonly: true })
    try {
      const found = db
        .prepare(
          `SELECT c.CONTAINERNAME AS lot FROM DW_MES_LOTWIPHISTORY h
           JOIN DW_MES_CONTAINER c ON c.CONTAINERID = h.CONTAINERID
           JOIN DW_MES_JOB j ON j.RESOURCEID = h.EQUIPMENTID
            AND (j.CREATEDATE BETWEEN h.TRACKINTIMESTAMP AND h.TRACKOUTTIMESTAMP
              OR j.COMPLETEDATE BETWEEN h.TRACKINTIMESTAMP AND h.TRACKOUTTIMESTAMP
              OR (j.CREATEDATE <= h.TRACKINTIMESTAMP AND (j.COMPLETEDATE IS NULL OR j.COMPLETEDATE >= h.TRACKOUTTIMESTAMP)))
           WHERE EXISTS (SELECT 1 FROM DW_MES_JOBTXNHISTORY x WHERE x.JOBID = j.JOBID)
           GROUP BY c.CONTAINERNAME HAVING COUNT(DISTINCT j.JOBID) BETWEEN 2 AND 4
           ORDER BY c.CONTAINERNAME LIMIT 1`,
        )
        .get() as { lot: string } | undefined
      expect(found, 'a lot with repair jobs that have transactions').toBeTruthy()
      lot = found!.lot
    } finally {
      db.close()
    }
  })

  test.afterAll(async () => {
    await served?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  /** Runs a lot trace of `lot` on the source `sourceId` (the form's default when absent); resolves with the result's id. */
  async function trace(page: Page, sourceId?: string): Promise<string> {
    await page.goto(`${served.url}#/new`)
    // A source added since the page opened is listed after a reload.
    if (sourceId) await page.reload()
    await page.getByTestId('resolve-type').selectOption('lot_id')
    await page.getByTestId('values').fill(lot)
    const jobs = page.getByTestId('domain-jobs')
    if ((await jobs.count()) > 0 && !(await jobs.isChecked())) await jobs.check()
    if (sourceId) await page.getByTestId('source').selectOption(sourceId)
    await page.getByTestId('submit').click()
    await expect(page).toHaveURL(/#\/jobs\/trace-evt-[0-9a-f]{12}/)
    await expect(page.getByTestId('seeds')).toBeVisible({ timeout: 30_000 })
    return /trace-evt-[0-9a-f]{12}/.exec(page.url())![0]
  }

  /** Opens the jobs tab and the first row's transactions; resolves with that row's job. */
  async function openFirstJob(page: Page): Promise<string> {
    await page.locator('[data-tab="jobs"]').click()
    const first = page.getByRole('grid').locator('tbody tr.vt-row').first()
    await expect(first.locator('td[data-column="JOBID"]')).toHaveText(/\S/)
    const repairJob = (await first.locator('td[data-column="JOBID"]').textContent())!.trim()
    await first.getByTestId('txn-open').click()
    await expect(page.getByTestId('txn-panel')).toHaveAttribute('data-job', repairJob)
    await expect(page.getByTestId('txn-loading')).toHaveCount(0)
    return repairJob
  }

  test('a job’s transactions open below the table, equal the source’s, and export with every job', async ({ page }) => {
    test.setTimeout(60_000)
    const problems = watchConsole(page)
    await page.addInitScript(() => localStorage.setItem('mes-trace:locale', 'en'))
    await page.setViewportSize(SIZES[0])
    const jobId = await trace(page)
    const repairJob = await openFirstJob(page)

    const answer = await call<JobTransactions>(page, 'sources:job-transactions', { job_id: jobId, repair_job: repairJob })
    expect(answer.missing_table).toBeNull()
    expect(answer.rows.length).toBeGreaterThan(0)
    const panel = page.getByTestId('txn-panel')
    await expect(panel.locator('h3')).toContainText(`Transactions: ${repairJob}`)
    await expect(page.getByTestId('txn-count')).toHaveText(`${answer.rows.length} ${answer.rows.length === 1 ? 'row' : 'rows'}`)
    await expect(panel.getByTestId('txn-row')).toHaveCount(answer.rows.length)
    const firstTime = String(answer.rows[0]!.TXNDATE).replace('T', ' ').replace(/\.\d+$/, '')
    await expect(panel.getByTestId('txn-row').first().locator('td[data-column="TXNDATE"]')).toHaveText(firstTime)
    const lastStatus = String(answer.rows.at(-1)!.JOBSTATUS ?? '')
    if (lastStatus) await expect(panel.getByTestId('txn-row').last().locator('td[data-column="JOBSTATUS"] .status-badge')).toHaveText(lastStatus)
    // The same job from the keyboard: Enter on a selected row opens its transactions.
    await page.getByTestId('txn-close').click()
    await expect(panel).toHaveCount(0)
    await page.getByRole('grid').locator('tbody tr.vt-row').first().click()
    await page.keyboard.press('Enter')
    await expect(panel).toHaveAttribute('data-job', repairJob)
    await expect(panel.getByTestId('txn-row')).toHaveCount(answer.rows.length)

    // Every job of the tab is in the export, with the opened job's transactions.
    const table = await call<RowsPage>(page, 'results:page', { job_id: jobId, domain: 'jobs', offset: 0, limit: 1000 })
    const jobIds = new Set(table.rows.map((r) => String(r.JOBID)))
    expect(jobIds.size).toBeGreaterThan(1)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('txn-export-run').click()])
    await expect(page.getByTestId('txn-export-done')).toContainText(download.suggestedFilename())
    const csv = parseCsv(readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, ''))
    const header = csv[0]!
    expect(header).toEqual(JOB_WITH_TRANSACTION_COLUMNS.map((c) => (c === 'LOT_ID' ? 'LOT ID' : c)))
    const body = csv.slice(1)
    const at = (name: string) => header.indexOf(name)
    expect(new Set(body.map((r) => r[at('JOBID')]))).toEqual(jobIds)
    const opened = body.filter((r) => r[at('JOBID')] === repairJob).map((r) => r[at('TXNDATE')]!.replace('T', ' ').replace(/\.\d+$/, ''))
    expect(new Set(opened)).toEqual(new Set(answer.rows.map((r) => String(r.TXNDATE).replace('T', ' ').replace(/\.\d+$/, ''))))

    // Screens: each language at each size, the panel in view.
    await page.getByTestId('txn-export-done').waitFor()
    for (const locale of ['en', 'zh-TW'] as const) {
      await page.getByTestId('language').selectOption(locale)
      await expect(panel.locator('h3')).toContainText(locale === 'en' ? `Transactions: ${repairJob}` : `交易歷程：${repairJob}`)
      for (const size of SIZES) {
        await page.setViewportSize(size)
        await page.waitForTimeout(250)
        await panel.scrollIntoViewIfNeeded()
        await page.screenshot({ path: join(SCREENS, `job-transactions-${locale}-${size.width}.png`) })
      }
    }
    expect(problems).toEqual([])
  })

  test('a source without DW_MES_JOBTXNHISTORY: the panel names the table', async ({ page }) => {
    test.setTimeout(45_000)
    const problems = watchConsole(page)
    await page.addInitScript(() => localStorage.setItem('mes-trace:locale', 'en'))
    await page.setViewportSize(SIZES[0])
    await page.goto(served.url)
    const copy = join(dataDir, 'plant-without-transactions.sqlite')
    copyFileSync(plant, copy)
    const db = new Database(copy)
    try {
      db.exec('DROP TABLE DW_MES_JOBTXNHISTORY')
    } finally {
      db.close()
    }
    const source = await call<SourceProfile>(page, 'sources:add', { name: 'Plant without transactions', kind: 'sqlite', path: copy })
    await trace(page, source.id)
    const repairJob = await openFirstJob(page)
    const panel = page.getByTestId('txn-panel')
    await expect(panel.getByTestId('txn-missing')).toContainText('DW_MES_JOBTXNHISTORY')
    await expect(panel.getByTestId('txn-row')).toHaveCount(0)
    const answer = await call<JobTransactions>(page, 'sources:job-transactions', { job_id: /trace-evt-[0-9a-f]{12}/.exec(page.url())![0], repair_job: repairJob })
    expect(answer).toEqual({ job: repairJob, rows: [], missing_table: 'DW_MES_JOBTXNHISTORY' })
    await panel.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SCREENS, 'job-transactions-missing-en-1920.png') })
    expect(problems).toEqual([])
  })
})
