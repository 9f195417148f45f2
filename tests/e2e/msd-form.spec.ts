import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import type { SourceProfile } from '../../shared/api'
import type { SourceDataWindow, StationLossReasons } from '../../shared/data-window'
import type { JobView } from '../../shared/jobs'
import { addDays } from '../../shared/time'
import { atLocaleAndSize, startServe, type Served, call } from './support/serve'

/**
 * Forms that cannot lead to an empty answer without saying why, in Chromium through `mes-trace
 * serve` on the demo plant (whose data ends weeks before today): the MSD form defaults its dates to
 * the last week of the station's data and shows that window, lists the station's loss reasons
 * before any MSD run, warns of a range outside the data; a range without lots and a lot trace of
 * unknown lots finish in amber with why, on the job card and in the result. Screenshots at 1920 and
 * 1366 in both languages go to test-results/screens/msd-form-*.png and empty-result-*.png.
 */
test.describe.configure({ mode: 'serial' })

const SCREENS = join('test-results', 'screens')
const SIZES = [
  [1920, 1080],
  [1366, 768],
] as const
const LOCALES = ['en', 'zh-TW'] as const

test.describe('MSD form and empty results (browser host, demo plant)', () => {
  let dataDir = ''
  let served: Served

  test.beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mes-trace-msd-form-'))
    mkdirSync(SCREENS, { recursive: true })
    served = await startServe(dataDir)
  })

  test.afterAll(async () => {
    await served?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })


  async function open(page: Page, locale: (typeof LOCALES)[number], width: number, height: number): Promise<string[]> {
    const problems = await atLocaleAndSize(page, locale, width, height)
    await page.goto(`${served.url}#/new`)
    return problems
  }

  for (const locale of LOCALES) {
    for (const [width, height] of SIZES) {
      test(`the MSD form defaults inside the data window and lists loss reasons before any run (${locale}, ${width})`, async ({ page }) => {
        test.setTimeout(60_000)
        const problems = await open(page, locale, width, height)
        const [source] = await call<SourceProfile[]>(page, 'sources:list', {})
        const window = await call<SourceDataWindow>(page, 'sources:data-window', { id: source!.id })
        const station = window.stations['測試']!
        const last = station.last!.slice(0, 10)
        // The demo plant's data ends before today: the calendar's last week would find nothing.
        expect(last < new Date().toISOString().slice(0, 10)).toBe(true)

        await page.getByTestId('profile-msd_backward').check()
        await expect(page.getByTestId('start-date')).toHaveValue(addDays(last, -6))
        await expect(page.getByTestId('end-date')).toHaveValue(last)
        await expect(page.getByTestId('data-window')).toHaveText(
          locale === 'en' ? `Track-ins at 測試 in the source: ${station.first!.slice(0, 10)} to ${last}` : `資料來源在測試站的進站資料：${station.first!.slice(0, 10)} ~ ${last}`,
        )
        await expect(page.getByTestId('range-outside')).toHaveCount(0)

        // Loss reasons come from the source, with no MSD result anywhere yet.
        const jobs = await call<JobView[]>(page, 'jobs:list', {})
        expect(jobs.filter((j) => j.profile === 'mid_section_defect' && j.status === 'finished')).toEqual([])
        const reasons = await call<StationLossReasons>(page, 'sources:loss-reasons', { id: source!.id, station: '測試' })
        expect(reasons.reasons.length).toBeGreaterThan(0)
        const chips = page.getByTestId('loss-reason-list').locator('.chip')
        await expect(chips).toHaveText(reasons.reasons)
        await expect(page.getByTestId('loss-reasons-info')).toContainText(String(reasons.reasons.length))

        // Another station brings its own window and reasons.
        await page.getByTestId('station').selectOption('焊接_WB')
        const bond = window.stations['焊接_WB']!.last!.slice(0, 10)
        await expect(page.getByTestId('end-date')).toHaveValue(bond)
        await expect(page.getByTestId('loss-reasons-info')).toContainText('焊接_WB')
        await page.getByTestId('station').selectOption('測試')
        await expect(page.getByTestId('end-date')).toHaveValue(last)
        await chips.first().click()
        await expect(page.getByTestId('loss-reasons')).toHaveValue(reasons.reasons[0]!)
        await page.screenshot({ path: join(SCREENS, `msd-form-${locale}-${width}.png`) })

        // Dates outside the data are warned of, and one click puts them back.
        await page.getByTestId('start-date').fill(addDays(last, 20))
        await page.getByTestId('end-date').fill(addDays(last, 26))
        await expect(page.getByTestId('range-outside')).toBeVisible()
        await page.screenshot({ path: join(SCREENS, `msd-form-outside-${locale}-${width}.png`) })
        await page.getByTestId('use-data-window').click()
        await expect(page.getByTestId('start-date')).toHaveValue(addDays(last, -6))
        await expect(page.getByTestId('range-outside')).toHaveCount(0)
        expect(problems).toEqual([])
      })
    }
  }

  for (const locale of LOCALES) {
    for (const [width, height] of SIZES) {
      test(`an empty result explains itself: a range without lots, and lots that are all unknown (${locale}, ${width})`, async ({ page }) => {
        test.setTimeout(120_000)
        const problems = await open(page, locale, width, height)
        const [source] = await call<SourceProfile[]>(page, 'sources:list', {})
        const window = await call<SourceDataWindow>(page, 'sources:data-window', { id: source!.id })
        const first = window.stations['測試']!.first!.slice(0, 10)
        const last = window.stations['測試']!.last!.slice(0, 10)
        const [from, to] = [addDays(last, 20), addDays(last, 26)]

        await page.getByTestId('profile-msd_backward').check()
        await expect(page.getByTestId('end-date')).toHaveValue(last)
        await page.getByTestId('start-date').fill(from)
        await page.getByTestId('end-date').fill(to)
        await expect(page.getByTestId('range-outside')).toBeVisible()
        await page.getByTestId('submit').click()
        await expect(page).toHaveURL(/#\/jobs\/trace-evt-[0-9a-f]{12}/)
        const jobId = /trace-evt-[0-9a-f]{12}/.exec(page.url())![0]
        const outcome = page.getByTestId('result-outcome')
        await expect(outcome).toBeVisible({ timeout: 60_000 })
        await expect(outcome).toContainText(
          locale === 'en' ? `No lot was tracked in at 測試 from ${from} to ${to}.` : `測試站在 ${from} ~ ${to} 沒有任何批次進站。`,
        )
        await expect(outcome).toContainText(locale === 'en' ? `from ${first} to ${last}` : `${first} ~ ${last}`)
        const card = page.locator(`[data-job-id="${jobId}"]`).first()
        await expect(card.getByTestId('job-status')).toHaveAttribute('data-outcome', 'warning')
        await expect(card.getByTestId('job-status')).toHaveText(locale === 'en' ? 'Nothing found' : '完成・無資料')
        // Amber, not the green of a plain "finished".
        await expect(card.getByTestId('job-status')).toHaveCSS('background-color', 'rgb(254, 243, 199)')
        const view = await call<JobView>(page, 'jobs:status', { job_id: jobId })
        expect(view).toMatchObject({ status: 'finished', seed_count: 0, outcome: { status: 'warning', reason: 'no_lots_in_window', station: '測試', start_date: from, end_date: to } })
        await page.screenshot({ path: join(SCREENS, `empty-result-${locale}-${width}.png`) })

        // A lot trace whose every value is unknown.
        await page.goto(`${served.url}#/new`)
        await page.getByTestId('values').fill('NO-SUCH-LOT-1\nNO-SUCH-LOT-2\nNO-SUCH-LOT-3')
        await page.getByTestId('submit').click()
        await expect(page).toHaveURL(/#\/jobs\/trace-evt-[0-9a-f]{12}/)
        const lotJob = /trace-evt-[0-9a-f]{12}/.exec(page.url())![0]
        await expect(page.getByTestId('result-outcome')).toContainText(
          locale === 'en' ? 'None of the 3 values given was found in the source, so nothing was traced.' : '輸入的 3 筆在資料來源中都查無資料，沒有可追溯的批次。',
          { timeout: 60_000 },
        )
        const lotCard = page.locator(`[data-job-id="${lotJob}"]`).first()
        await expect(lotCard.getByTestId('job-status')).toHaveAttribute('data-outcome', 'warning')
        await expect(lotCard.getByTestId('job-outcome')).toBeVisible()
        await page.screenshot({ path: join(SCREENS, `empty-result-lots-${locale}-${width}.png`) })
        expect(problems).toEqual([])
      })
    }
  }
})
