import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { atLocaleAndSize, demoSuggestions, startServe, type Served } from './support/serve'

/**
 * The jobs tab of a work-order trace on the 2 000-lot demo plant: each repair job row says how it
 * matched its lot (docs/fidelity.md §5), in the column right after the lot ID, in the page's
 * language. Screenshots at 1920×1080 and 1366×768 in English and Traditional Chinese land in
 * test-results/screens/jobs-matching-*.
 */
const SCREENS = process.env.SCREENS_DIR ?? join('test-results', 'screens')

const WORDS = {
  en: { header: 'Matched by', values: ['Machine window', 'Listed on job', 'Both'] },
  'zh-TW': { header: '對應方式', values: ['機台在站時段', '維修單列出', '兩者皆是'] },
} as const

test.describe.configure({ mode: 'serial' })

test.describe('repair jobs labelled by how they matched (browser host, 2 000-lot demo plant)', () => {
  let dataDir = ''
  let served: Served
  let jobId = ''

  test.beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true })
    dataDir = mkdtempSync(join(tmpdir(), 'mes-trace-jobs-match-'))
    served = await startServe(dataDir)
  })

  test.afterAll(async () => {
    await served?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  for (const locale of ['en', 'zh-TW'] as const) {
    for (const { width, height } of [{ width: 1920, height: 1080 }, { width: 1366, height: 768 }]) {
      test(`the jobs tab shows the match after the lot (${locale}, ${width}×${height})`, async ({ page }) => {
        test.setTimeout(120_000)
        const problems = await atLocaleAndSize(page, locale, width, height)
        if (!jobId) {
          const workOrders = demoSuggestions(served.output)['work orders'] ?? []
          expect(workOrders.length).toBeGreaterThan(0)
          await page.goto(`${served.url}#/new`)
          await page.getByTestId('resolve-type').selectOption('work_order')
          await page.getByTestId('values').fill(workOrders.join('\n'))
          await page.getByTestId('submit').click()
          await expect(page).toHaveURL(/#\/jobs\/trace-evt-[0-9a-f]{12}/)
          jobId = /trace-evt-[0-9a-f]{12}/.exec(page.url())![0]
        } else {
          await page.goto(`${served.url}#/jobs/${jobId}`)
        }
        await expect(page.getByTestId('seeds')).toBeVisible({ timeout: 60_000 })
        await page.locator('[data-tab="jobs"]').click()
        const grid = page.getByRole('grid')
        await expect(grid.locator('tbody tr.vt-row').first()).toContainText(/\S/)
        const keys = await grid.locator('thead tr[aria-rowindex="1"] th').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column') ?? ''))
        expect(keys.slice(0, 3)).toEqual(['CONTAINERNAME', 'MATCHED_BY', 'JOBID'])
        await expect(grid.locator('th[data-column="MATCHED_BY"] .vt-label')).toHaveText(WORDS[locale].header)
        const values = await grid.locator('tbody tr.vt-row td[data-column="MATCHED_BY"]').evaluateAll((tds) => tds.map((td) => td.textContent?.trim() ?? ''))
        expect(values.length).toBeGreaterThan(0)
        for (const value of values) expect(WORDS[locale].values as readonly string[]).toContain(value)
        // The machine windows add jobs the lists never named.
        expect(values).toContain(WORDS[locale].values[0])
        await page.screenshot({ path: join(SCREENS, `jobs-matching-${locale}-${width}.png`) })
        expect(problems).toEqual([])
      })
    }
  }
})
