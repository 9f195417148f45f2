import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { startServe, watchConsole, type Served } from './support/serve'

/**
 * The run-to-run diff in Chromium through `mes-trace serve` on the demo plant: two MSD backward
 * traces of two fortnights, picked in the history and compared (the older week as A), the diff's KPI
 * and suspect sections, swapping A and B, and the view in Traditional Chinese. Screenshots land in
 * test-results/screens/.
 */
const SCREENS = join('test-results', 'screens')

test.describe.configure({ mode: 'serial' })

test.describe('run-to-run diff (browser host, demo plant)', () => {
  let dataDir = ''
  let served: Served
  const jobs: string[] = []
  /** Two fortnights of the demo's window ("last time" and "this time"). */
  const WEEKS = [
    ['2026-10-04', '2026-10-17'],
    ['2026-10-18', '2026-10-31'],
  ] as const

  test.beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true })
    dataDir = mkdtempSync(join(tmpdir(), 'mes-trace-diff-'))
    // Enough lots that a fortnight names the planted machine significant.
    served = await startServe(dataDir, 8000)
  })

  test.afterAll(async () => {
    await served?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  async function open(page: Page, hash: string): Promise<string[]> {
    const problems = watchConsole(page)
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(`${served.url}${hash}`)
    await expect(page.getByTestId('version')).toHaveText(/^\d+\.\d+\.\d+/)
    return problems
  }

  test('two MSD traces of one station are compared from the history, the older window as A', async ({ page }) => {
    test.setTimeout(240_000)
    const problems = await open(page, '#/new')
    // The newer week first: the history must still make the older one the baseline.
    for (const [start, end] of [...WEEKS].reverse()) {
      await page.getByTestId('nav-new').click()
      await page.getByTestId('profile-msd_backward').check()
      await page.getByTestId('start-date').fill(start)
      await page.getByTestId('end-date').fill(end)
      await page.getByTestId('submit').click()
      await expect(page).toHaveURL(/#\/jobs\/trace-evt-/)
      await expect(page.getByTestId('msd-dashboard')).toBeVisible({ timeout: 150_000 })
      jobs.push(/trace-evt-[0-9a-f]{12}/.exec(page.url())![0])
    }
    const [newer, older] = jobs as [string, string]
    await page.getByTestId('nav-history').click()
    const history = page.getByTestId('history')
    await expect(history.locator(`[data-job-id="${older}"]`)).toBeVisible()
    await expect(page.getByTestId('compare')).toBeDisabled()
    await history.locator(`[data-job-id="${newer}"] [data-testid="compare-pick"]`).check()
    await history.locator(`[data-job-id="${older}"] [data-testid="compare-pick"]`).check()
    await expect(page.getByTestId('compare-bar')).toContainText('2 of 2 selected')
    await page.getByTestId('compare').click()
    await expect(page).toHaveURL(new RegExp(`#/diff/${older}/${newer}$`))

    const view = page.getByTestId('diff-view')
    await expect(view.locator('[data-run="a"] .window')).toHaveText(`${WEEKS[0][0]} ~ ${WEEKS[0][1]}`)
    await expect(view.locator('[data-run="b"] .window')).toHaveText(`${WEEKS[1][0]} ~ ${WEEKS[1][1]}`)
    await expect(page.getByTestId('diff-subtitle')).toHaveText('Defects at 測試 → upstream: what changed from A (baseline) to B')
    await expect(page.getByTestId('diff-basis')).toHaveText(/^Compared: (significant suspects \(q ≤ 5 %\)|factors worse than their baseline) — A \d+, B \d+$/)
    // Every KPI row has both runs' values; the lot counts are whole numbers.
    await expect(page.getByTestId('diff-kpi').locator('[data-kpi="lot_count"] td').nth(0)).toHaveText(/^[\d,]+$/)
    await expect(page.getByTestId('diff-kpi').locator('[data-kpi="lot_count"] td').nth(2)).toHaveText(/^([+-][\d,]+|0)$/)
    for (const section of ['new', 'gone', 'changed']) await expect(view.locator(`[data-section="${section}"] h2`)).toBeVisible()
    // The planted wire bonder is a suspect in both fortnights.
    const planted = view.locator('[data-section="changed"] tr[data-suspect="GWBE-0029"]')
    await expect(planted).toBeVisible()
    await expect(planted.locator('td .rate')).toHaveText(/^\d+\.\d\d % → \d+\.\d\d %$|^\d+\.\d\d %$/)
    await page.screenshot({ path: join(SCREENS, 'msd-diff.png'), fullPage: true })

    await page.getByTestId('diff-swap').click()
    await expect(page).toHaveURL(new RegExp(`#/diff/${newer}/${older}$`))
    await expect(view.locator('[data-run="a"] .window')).toHaveText(`${WEEKS[1][0]} ~ ${WEEKS[1][1]}`)
    await expect(page.getByTestId('diff-warnings').locator('[data-warning="order"]')).toContainText(`its window ends ${WEEKS[1][1]}, after B’s (${WEEKS[0][1]})`)

    await page.getByTestId('language').selectOption('zh-TW')
    await expect(page.locator('#diff-heading')).toHaveText('MSD 分析比較')
    await expect(view.locator('[data-section="changed"] h2')).toContainText('兩次皆有')
    await page.screenshot({ path: join(SCREENS, 'msd-diff-zh-TW.png'), fullPage: true })
    await page.getByTestId('language').selectOption('en')
    expect(problems).toEqual([])
  })

  test('a pair that cannot be compared says why', async ({ page }) => {
    const problems = await open(page, `#/diff/${jobs[0]}/trace-evt-000000000000`)
    await expect(page.getByTestId('diff-error')).toContainText('job/not-found')
    await expect(page.getByTestId('diff-kpi')).toHaveCount(0)
    expect(problems).toEqual([])
  })
})
