import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Locator, type Page } from '@playwright/test'
import type { MachineRecentJobs } from '../../shared/machine-jobs'
import type { BackwardAggregation } from '../../shared/msd'
import { atLocaleAndSize, startServe, type Served, call } from './support/serve'

/**
 * The MSD page's context in Chromium through `mes-trace serve` on the 2000-lot demo plant: the
 * analysis summary (conditions, data range, ancestors, the method), the machine chart's station
 * filter keeping the suspect list's order, and a machine's panel with its attribution and its
 * latest repair jobs. Screens at 1920×1080 in English and Traditional Chinese land in
 * `SCREENS_DIR`/msd-context-*.png, the summary and the machine panel also at 1366×768.
 */
test.describe.configure({ mode: 'serial' })

const SCREENS = process.env.SCREENS_DIR ?? join('test-results', 'screens')
const BONDER = 'GWBE-0029'

test.describe('MSD context (browser host, demo plant)', () => {
  let dataDir = ''
  let served: Served
  let jobId = ''

  test.beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mes-trace-msd-context-'))
    mkdirSync(SCREENS, { recursive: true })
    served = await startServe(dataDir)
  })

  test.afterAll(async () => {
    await served?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })


  /** The names the machine chart's keyboard list holds, in order. */
  async function listedMachines(page: Page): Promise<string[]> {
    const box = page.locator('[data-chart="by_machine"]')
    const details = box.locator('details.bars')
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click()
    return box.locator('details.bars button[data-bar]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-bar') ?? ''))
  }

  /**
   * Shoots `part` at 1920×1080 and again at 1366×768 (a laptop: the panel must still read), then
   * returns to 1920×1080.
   */
  async function shootBothSizes(page: Page, part: Locator, name: string): Promise<void> {
    await part.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SCREENS, `${name}-1920.png`) })
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.waitForTimeout(300)
    await part.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SCREENS, `${name}-1366.png`) })
    await page.setViewportSize({ width: 1920, height: 1080 })
    await page.waitForTimeout(300)
  }

  /** Brings the detail table into view, scrolled to its last columns (the suspect hits), and shoots it. */
  async function shootDetail(page: Page, file: string): Promise<void> {
    const detail = page.locator('section[aria-labelledby="detail-heading"]')
    await detail.scrollIntoViewIfNeeded()
    await detail.evaluate((section) => {
      for (const el of section.querySelectorAll<HTMLElement>('*')) {
        const overflow = getComputedStyle(el).overflowX
        if ((overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 4) el.scrollLeft = el.scrollWidth
      }
    })
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(SCREENS, file) })
  }

  test('English: the summary, the station filter in the list’s order, and the bonder’s panel with its repair jobs', async ({ page }) => {
    test.setTimeout(240_000)
    const problems = await atLocaleAndSize(page, 'en', 1920, 1080)
    await page.goto(`${served.url}#/new`)
    await page.getByTestId('profile-msd_backward').check()
    await page.getByTestId('start-date').fill('2026-09-02')
    await page.getByTestId('end-date').fill('2026-10-31')
    await page.getByTestId('submit').click()
    await expect(page).toHaveURL(/#\/jobs\/trace-evt-/)
    await expect(page.getByTestId('msd-dashboard')).toBeVisible({ timeout: 150_000 })
    jobId = /trace-evt-[0-9a-f]{12}/.exec(page.url())![0]
    const a = await call<BackwardAggregation>(page, 'results:aggregation', { job_id: jobId })

    // The summary: conditions, data range and the method, from the run's request and aggregation.
    const summary = page.getByTestId('msd-summary')
    await expect(summary.locator('[data-fact="dates"]')).toHaveText('2026-09-02 ~ 2026-10-31')
    await expect(summary.locator('[data-fact="reasons"]')).toHaveText('All')
    await expect(summary.locator('[data-fact="lots"]')).toHaveText(a.kpi.lot_count.toLocaleString('en'))
    await expect(summary.locator('[data-fact="input"]')).toHaveText(`${a.kpi.total_input.toLocaleString('en')} pcs`)
    expect(a.ancestor_count).toBeGreaterThan(0)
    await expect(summary.locator('[data-fact="ancestors"]')).toHaveText(a.ancestor_count!.toLocaleString('en'))
    await expect(summary.getByTestId('msd-summary-method')).toContainText('Fisher exact test')
    await expect(summary.getByTestId('msd-summary-method')).toContainText('Cochran–Mantel–Haenszel')
    await shootBothSizes(page, summary, 'msd-context-summary-en')

    // The station filter narrows the chart and keeps the suspect list's order for what remains.
    const station = a.suspects.find((s) => s.name === BONDER)!.station!
    const filters = page.getByTestId('machine-filters')
    await filters.getByTestId('machine-filter-stations').locator('.ms-button').click()
    await filters.locator(`.ms-option[data-value="${station}"] input`).check()
    await page.keyboard.press('Escape')
    const expected = a.suspects.filter((s) => s.factor_type === 'machine' && s.rank !== null && s.station === station).slice(0, 10).map((s) => s.name)
    expect(expected.length).toBeGreaterThan(0)
    expect(await listedMachines(page)).toEqual(expected)
    await expect(page.getByTestId('machine-filter-note')).toBeVisible()

    // The bonder's panel: its attribution record and suspect row, and its repair jobs as the source has them.
    await page.locator(`[data-chart="by_machine"] details.bars button[data-bar="${BONDER}"]`).click()
    const panel = page.getByTestId('machine-panel')
    await expect(panel).toBeVisible()
    const record = a.attribution.find((r) => r.EQUIPMENT_NAME === BONDER && r.WORKCENTER_GROUP === station)!
    await expect(panel.locator('[data-fact="defects"]')).toHaveText(record.DEFECT_QTY.toLocaleString('en'))
    await expect(panel.locator('[data-fact="lots"]')).toHaveText(record.DETECTION_LOT_COUNT.toLocaleString('en'))
    await expect(panel.locator('[data-fact="verdict"]')).toHaveText('Significant (independent)')
    const jobs = await call<MachineRecentJobs>(page, 'sources:machine-jobs', { job_id: jobId, equipment_id: record.EQUIPMENT_ID })
    await expect(panel.getByTestId('machine-jobs-window')).toContainText(`${jobs.since} to ${jobs.until}`)
    if (jobs.jobs.length === 0) {
      await expect(panel.getByTestId('machine-jobs-empty')).toBeVisible()
    } else {
      await expect(panel.locator('tr[data-job]')).toHaveCount(jobs.jobs.length)
      expect(await panel.locator('tr[data-job]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job')))).toEqual(jobs.jobs.map((j) => j.job_id))
      await expect(panel.getByTestId('job-in-progress')).toHaveCount(jobs.jobs.filter((j) => j.completed === null).length)
    }
    await shootBothSizes(page, panel, 'msd-context-machine-en')

    // The detail's suspect-hit columns are there, and its top rows are the bonder's lots.
    await page.getByTestId('drill-close').click()
    const detail = page.locator('section[aria-labelledby="detail-heading"]')
    await expect(detail).toContainText('Suspect hits')
    await shootDetail(page, 'msd-context-detail-en-1920.png')
    await expect(detail).toContainText(`${station}/${BONDER}`)
    expect(problems).toEqual([])
  })

  test('Traditional Chinese: the same summary and machine panel', async ({ page }) => {
    test.setTimeout(120_000)
    expect(jobId).not.toBe('')
    const problems = await atLocaleAndSize(page, 'zh-TW', 1920, 1080)
    await page.goto(`${served.url}#/jobs/${jobId}`)
    await expect(page.getByTestId('msd-dashboard')).toBeVisible({ timeout: 60_000 })
    const summary = page.getByTestId('msd-summary')
    await expect(summary).toContainText('分析摘要')
    await expect(summary).toContainText('血緣追溯涵蓋上游 LOT')
    await shootBothSizes(page, summary, 'msd-context-summary-zh-TW')
    const box = page.locator('[data-chart="by_machine"]')
    const details = box.locator('details.bars')
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click()
    await box.locator(`details.bars button[data-bar="${BONDER}"]`).click()
    const panel = page.getByTestId('machine-panel')
    await expect(panel).toContainText('歸因摘要')
    await expect(panel).toContainText('近期維修紀錄')
    await expect(panel.locator('[data-fact="verdict"]')).toHaveText('顯著（獨立）')
    await shootBothSizes(page, panel, 'msd-context-machine-zh-TW')
    await page.getByTestId('drill-close').click()
    await expect(page.locator('section[aria-labelledby="detail-heading"]')).toContainText('嫌疑命中')
    await shootDetail(page, 'msd-context-detail-zh-TW-1920.png')
    expect(problems).toEqual([])
  })
})
