import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { atLocaleAndSize, startServe, watchConsole, type Served } from './support/serve'

/**
 * An investigation keeps its context, in Chromium through `mes-trace serve` on the demo plant: a
 * bar's drill-down opens right under its chart and is still open (at the same scroll position)
 * after a look at another tab; the browser's Back and the app's own Back step through tabs and
 * drill-downs without leaving the app; the jobs drawer folds away and the table takes the width;
 * a value the engine refuses is told in Traditional Chinese. The dashboard with its drill-down
 * and the layout (form, table) are shot at 1920 and 1366 wide, in English and Traditional Chinese,
 * into test-results/screens/.
 */
const SCREENS = join('test-results', 'screens')
const SIZES = [
  { width: 1920, height: 1080 },
  { width: 1366, height: 768 },
] as const

test.describe.configure({ mode: 'serial' })

test.describe('context of an investigation (browser host, demo plant)', () => {
  let dataDir = ''
  let served: Served
  /** The MSD result's URL (its dashboard). */
  let jobUrl = ''

  test.beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true })
    dataDir = mkdtempSync(join(tmpdir(), 'mes-trace-context-e2e-'))
    // Started with one setting on its command line, as IT may: the settings say it is in effect.
    served = await startServe(dataDir, undefined, ['--trace-job-timeout-seconds', '900'])
  })

  test.afterAll(async () => {
    await served?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const scrollTop = (page: Page) => page.locator('#main').evaluate((el) => el.scrollTop)
  const query = (page: Page) => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '')

  /** Opens the bonder's bar in the machine chart's keyboard list. */
  async function drillBonder(page: Page): Promise<void> {
    const box = page.locator('[data-chart="by_machine"]')
    const details = box.locator('details.bars')
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click()
    await box.locator('details.bars button[data-bar="GWBE-0029"]').click()
  }

  test('a drill-down opens next to its chart and survives a tab switch; Back stays in the app', async ({ page }) => {
    test.setTimeout(240_000)
    const problems = watchConsole(page)
    await page.addInitScript(() => localStorage.setItem('mes-trace:locale', 'en'))
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(`${served.url}#/new`)
    await page.getByTestId('profile-msd_backward').check()
    await page.getByTestId('start-date').fill('2026-09-02')
    await page.getByTestId('end-date').fill('2026-10-31')
    await page.getByTestId('submit').click()
    await expect(page.getByTestId('msd-dashboard')).toBeVisible({ timeout: 180_000 })
    jobUrl = page.url()

    await drillBonder(page)
    const panel = page.getByTestId('drill-panel')
    await expect(panel).toContainText('Machine: 焊接_WB/GWBE-0029')
    // Next to its chart: the grid cell right after the chart, starting within a gap of its bottom.
    const chart = (await page.locator('[data-chart="by_machine"]').boundingBox())!
    const opened = (await panel.boundingBox())!
    expect(opened.y - (chart.y + chart.height)).toBeGreaterThanOrEqual(0)
    expect(opened.y - (chart.y + chart.height)).toBeLessThan(40)
    await expect(panel).toBeInViewport()
    await expect(page.getByTestId('breadcrumb').locator('li')).toHaveText(['Trace result', 'Analysis', 'Machine: 焊接_WB/GWBE-0029'])
    // The route holds the drill-down: the ranked chart's bar is the suspect, opened at its chart.
    const drill = query(page).get('drill')!
    const ref = JSON.parse(drill) as unknown[]
    expect([ref[0], ref[1], ref[2], ref[3], ref.at(-1)]).toEqual(['suspect', 'machine', 'GWBE-0029', '焊接_WB', 'by_machine'])

    // Another tab and back: the drill-down is still open, where the page was.
    const before = await scrollTop(page)
    expect(before).toBeGreaterThan(100)
    await page.locator('[data-tab="upstream_history"]').click()
    await expect(page.locator('[data-tab="upstream_history"]')).toHaveAttribute('aria-selected', 'true')
    await expect(panel).toHaveCount(0)
    await page.locator('[data-tab="msd"]').click()
    await expect(panel).toContainText('Machine: 焊接_WB/GWBE-0029')
    await expect.poll(() => scrollTop(page)).toBeGreaterThan(before - 30)
    expect(Math.abs((await scrollTop(page)) - before)).toBeLessThanOrEqual(30)

    // The browser's Back walks the tabs and drill-downs, inside the app.
    await page.goBack()
    await expect(page.locator('[data-tab="upstream_history"]')).toHaveAttribute('aria-selected', 'true')
    await page.goBack()
    await expect(panel).toContainText('GWBE-0029')
    await page.goBack()
    await expect(page.getByTestId('msd-dashboard')).toBeVisible()
    await expect(panel).toHaveCount(0)
    expect(page.url().startsWith(new URL(served.url).origin)).toBe(true)
    expect(page.url()).toContain('#/jobs/')
    // The app's own Forward and Back do the same, and Back turns off at the first page of the app.
    await page.getByTestId('nav-forward').click()
    await expect(panel).toContainText('GWBE-0029')
    await page.getByTestId('nav-back').click()
    await expect(panel).toHaveCount(0)
    await page.getByTestId('nav-back').click()
    await expect(page.getByTestId('new-trace-form')).toBeVisible()
    await expect(page.getByTestId('nav-back')).toBeDisabled()
    expect(page.url()).toContain('#/new')

    // A reload of the drill-down's URL opens it again.
    await page.goto(`${jobUrl}?tab=msd&drill=${encodeURIComponent(drill)}`)
    await expect(panel).toContainText('Machine: 焊接_WB/GWBE-0029')
    expect(problems).toEqual([])
  })

  test('the jobs drawer folds away, the table takes the width, and the choice is kept', async ({ page }) => {
    test.setTimeout(120_000)
    const problems = watchConsole(page)
    await page.addInitScript(() => localStorage.setItem('mes-trace:locale', 'en'))
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(`${jobUrl}?tab=upstream_history`)
    const table = page.locator('[role="tabpanel"] .vt').first()
    await expect(table).toBeVisible()
    await expect(page.getByTestId('jobs-panel')).toBeVisible()
    const narrow = (await table.boundingBox())!.width
    await page.getByTestId('jobs-drawer-toggle').click()
    await expect(page.getByTestId('jobs-panel')).toBeHidden()
    await expect(page.getByTestId('jobs-drawer-toggle')).toHaveAttribute('aria-expanded', 'false')
    await expect.poll(async () => (await table.boundingBox())!.width).toBeGreaterThan(narrow + 250)
    await page.reload()
    await expect(page.locator('[role="tabpanel"] .vt').first()).toBeVisible()
    await expect(page.getByTestId('jobs-panel')).toBeHidden()
    await page.getByTestId('jobs-drawer-toggle').click()
    await expect(page.getByTestId('jobs-panel')).toBeVisible()
    expect(problems).toEqual([])
  })

  test('a value the engine refuses is told in Traditional Chinese, its own words on a detail line', async ({ page }) => {
    await page.addInitScript(() => localStorage.setItem('mes-trace:locale', 'zh-TW'))
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(`${served.url}#/settings`)
    const row = page.locator('[data-setting="TRACE_JOB_TTL_SECONDS"]')
    await expect(row.getByTestId('retention-days')).toHaveValue('7')
    await expect(row.getByTestId('retention-hours')).toHaveValue('0')
    await expect(row).toContainText('預設 7 天 0 小時')
    await row.getByTestId('retention-days').fill('5000')
    await row.getByTestId('retention-days').press('Enter')
    await row.getByTestId('retention-days').blur()
    const error = row.getByTestId('setting-error')
    await expect(error.getByTestId('error-message')).toHaveText('輸入不正確：設定值。')
    await expect(error.getByTestId('error-detail')).toContainText('詳細：value: must be from 0 to 315360000')
    await expect(error).toContainText('可設定 0（保留到刪除）至 3650 天。')
    await page.screenshot({ path: join(SCREENS, 'context-settings-zh-TW-1366.png') })
    // Days and hours are stored as seconds.
    await row.getByTestId('retention-days').fill('2')
    await row.getByTestId('retention-hours').fill('12')
    await row.getByTestId('retention-hours').blur()
    await expect(row.locator('.ok')).toHaveText('已儲存')
    await page.reload()
    await expect(row.getByTestId('retention-days')).toHaveValue('2')
    await expect(row.getByTestId('retention-hours')).toHaveValue('12')
  })

  test('a server source keeps its analysis pushdown mode; the sources list and the engine settings at 1920 and 1366 in both languages', async ({ browser }) => {
    test.setTimeout(120_000)
    const first = await browser.newPage()
    await first.addInitScript(() => localStorage.setItem('mes-trace:locale', 'en'))
    await first.goto(`${served.url}#/settings`)
    const form = first.getByTestId('add-source')
    await form.locator('input[value="postgres"]').check()
    await first.getByTestId('source-name').fill('MES replica (far site)')
    await first.getByTestId('source-url').fill('postgres://mes_reader@mes-db.plant.example:5432/mes?schema=dwh')
    await form.evaluate((f: HTMLFormElement) => f.requestSubmit())
    const item = first.locator('[data-testid="sources"] li', { hasText: 'MES replica (far site)' })
    const select = item.getByTestId('source-pushdown')
    await expect(select).toHaveValue('auto')
    await select.selectOption('on')
    await first.reload()
    await expect(first.locator('[data-testid="sources"] li', { hasText: 'MES replica (far site)' }).getByTestId('source-pushdown')).toHaveValue('on')
    await first.close()
    for (const locale of ['en', 'zh-TW'] as const) {
      for (const size of SIZES) {
        const context = await browser.newContext()
        const page = await context.newPage()
        const problems = await atLocaleAndSize(page, locale, size.width, size.height)
        await page.goto(`${served.url}#/settings`)
        const row = page.locator('[data-testid="sources"] li', { hasText: 'MES replica (far site)' })
        await expect(row.getByTestId('source-pushdown')).toHaveValue('on')
        await expect(row).toContainText(locale === 'en' ? 'Analysis pushdown' : '分析下推')
        // The row's controls stay inside the card.
        const card = (await page.locator('section.card').first().boundingBox())!
        const picker = (await row.getByTestId('source-pushdown').boundingBox())!
        expect(picker.x + picker.width).toBeLessThanOrEqual(card.x + card.width)
        await page.locator('section.card').first().screenshot({ path: join(SCREENS, `settings-sources-${locale}-${size.width}.png`) })
        // The engine settings say when a saved change applies.
        const engine = page.locator('section.card', { has: page.locator('#engine-heading') })
        await expect(engine.getByTestId('engine-hint')).toHaveText(locale === 'en' ? /applies to the traces that start after it/ : /之後開始的追溯即採用/)
        await expect(engine.getByTestId('in-effect')).toHaveCount(1)
        await expect(engine.locator('[data-setting="TRACE_JOB_TIMEOUT_SECONDS"]').getByTestId('in-effect')).toHaveText(locale === 'en' ? 'Running with 900' : '執行中的值：900')
        await engine.screenshot({ path: join(SCREENS, `settings-engine-${locale}-${size.width}.png`) })
        expect(problems).toEqual([])
        await context.close()
      }
    }
  })

  test('screenshots: the drill-down next to its chart, the form and the table, at 1920 and 1366 in both languages', async ({ browser }) => {
    test.setTimeout(240_000)
    for (const locale of ['en', 'zh-TW'] as const) {
      for (const size of SIZES) {
        const context = await browser.newContext()
        const page = await context.newPage()
        const problems = await atLocaleAndSize(page, locale, size.width, size.height)
        await page.goto(jobUrl)
        await expect(page.getByTestId('msd-dashboard')).toBeVisible()
        await drillBonder(page)
        await expect(page.getByTestId('drill-panel')).toBeInViewport()
        await expect(page.getByTestId('drill-count')).not.toBeEmpty()
        await page.waitForTimeout(500)
        await page.screenshot({ path: join(SCREENS, `context-${locale}-${size.width}.png`) })

        await page.goto(`${served.url}#/new`)
        await page.getByTestId('profile-msd_backward').check()
        await expect(page.getByTestId('data-window')).not.toBeEmpty()
        await page.screenshot({ path: join(SCREENS, `layout-${locale}-${size.width}.png`) })

        await page.goto(`${jobUrl}?tab=upstream_history`)
        await expect(page.locator('[role="tabpanel"] .vt').first()).toBeVisible()
        await page.getByTestId('jobs-drawer-toggle').click()
        await expect(page.getByTestId('jobs-panel')).toBeHidden()
        await page.waitForTimeout(300)
        await page.screenshot({ path: join(SCREENS, `layout-table-${locale}-${size.width}.png`) })
        expect(problems).toEqual([])
        await context.close()
      }
    }
  })
})
