import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, test } from '@playwright/test'
import { startServe, watchConsole, type Served } from './support/serve'

/**
 * The evidence report from the workspace, in Chromium through `mes-trace serve` on the demo plant:
 * the result view of an MSD backward trace offers it, the browser downloads it as one HTML file in
 * the workspace's language, and that file opens with the network off, asking for nothing. The
 * report is shot at 1920 and 1366 wide, in English and Traditional Chinese, into
 * test-results/screens/.
 */
const SCREENS = join('test-results', 'screens')

test.describe.configure({ mode: 'serial' })

test.describe('evidence report (browser host, demo plant)', () => {
  let dataDir = ''
  let served: Served
  let jobUrl = ''
  const downloads: Record<string, string> = {}

  test.beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true })
    dataDir = mkdtempSync(join(tmpdir(), 'mes-trace-report-e2e-'))
    served = await startServe(dataDir)
  })

  test.afterAll(async () => {
    await served?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  test('the result view of a backward MSD trace downloads its report in the workspace\'s language', async ({ page }) => {
    test.setTimeout(240_000)
    const problems = watchConsole(page)
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(`${served.url}#/new`)
    await page.getByTestId('profile-msd_backward').check()
    await page.getByTestId('start-date').fill('2026-09-02')
    await page.getByTestId('end-date').fill('2026-10-31')
    await page.getByTestId('submit').click()
    await expect(page.getByTestId('msd-dashboard')).toBeVisible({ timeout: 180_000 })
    jobUrl = page.url()
    const jobId = /trace-evt-[0-9a-f]{12}/.exec(jobUrl)![0]
    for (const locale of ['en', 'zh-TW'] as const) {
      await page.getByTestId('language').selectOption(locale)
      const button = page.getByTestId('report-run')
      await expect(button).toHaveText(locale === 'en' ? 'Download evidence report' : '下載證據報告')
      // The browser host has no PDF printer of its own: no PDF button here.
      await expect(page.getByTestId('report-pdf')).toHaveCount(0)
      const [download] = await Promise.all([page.waitForEvent('download'), button.click()])
      expect(download.suggestedFilename()).toMatch(new RegExp(`^${jobId}-report-\\d{8}-\\d{6}\\.html$`))
      const path = join(dataDir, `report-${locale}.html`)
      await download.saveAs(path)
      downloads[locale] = path
      await expect(page.getByTestId('report-done')).toContainText(download.suggestedFilename())
      const html = readFileSync(path, 'utf8')
      expect(html).toContain(`<html lang="${locale === 'en' ? 'en' : 'zh-Hant-TW'}">`)
      expect(html).not.toMatch(/<script|https?:\/\//i)
      expect(statSync(path).size).toBeLessThan(2 * 1024 * 1024)
    }
    expect(problems).toEqual([])
  })

  test('the downloaded report opens offline, asks for nothing, and reads well at 1920 and 1366', async ({ browser }) => {
    for (const locale of ['en', 'zh-TW'] as const) {
      for (const width of [1920, 1366]) {
        const context = await browser.newContext({ offline: true, viewport: { width, height: width === 1920 ? 1080 : 768 } })
        const page = await context.newPage()
        const requests: string[] = []
        page.on('request', (request) => requests.push(request.url()))
        const problems = watchConsole(page)
        const url = pathToFileURL(downloads[locale]!).toString()
        await page.goto(url)
        expect(requests).toEqual([url])
        expect(problems).toEqual([])
        await expect(page.locator('h1')).toHaveText(locale === 'en' ? 'Mid-section defect evidence report' : '製程不良分析證據報告')
        await expect(page.locator('#suspect-1 svg')).toBeVisible()
        await page.screenshot({ path: join(SCREENS, `report-${locale}-${width}.png`) })
        await page.locator('#suspect-1').scrollIntoViewIfNeeded()
        await page.screenshot({ path: join(SCREENS, `report-${locale}-${width}-suspect.png`) })
        await context.close()
      }
    }
  })
})
