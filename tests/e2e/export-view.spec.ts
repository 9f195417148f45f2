import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Download, type Locator, type Page } from '@playwright/test'
import { parseCsv } from '../fixtures/csv'
import { atLocaleAndSize, demoSuggestions, startServe, type Served } from './support/serve'

/**
 * "Export this view" in Chromium through `mes-trace serve` on the 2 000-lot demo plant: a lot
 * trace's history narrowed with the column boxes, sorted, with a column hidden, exported as CSV;
 * the browser downloads the file and its header and rows are exactly what the table shows, in its
 * order. Selected rows export alone; a view narrowed to no rows exports just the header.
 * Screenshots at 1920×1080 and 1366×768 in English and Traditional Chinese land in
 * test-results/screens/export-<locale>-<width>.png.
 */
const SCREENS = join('test-results', 'screens')
const BOM = '\uFEFF'

test.describe.configure({ mode: 'serial' })

test.describe('export this view (browser host, 2 000-lot demo plant)', () => {
  let dataDir = ''
  let served: Served
  let lots: string[] = []
  let jobId = ''

  test.beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true })
    dataDir = mkdtempSync(join(tmpdir(), 'mes-trace-export-view-'))
    served = await startServe(dataDir)
    lots = demoSuggestions(served.output)['lot IDs'] ?? []
    expect(lots.length).toBeGreaterThan(1)
  })

  test.afterAll(async () => {
    await served?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const open = atLocaleAndSize

  /** The history table of the lot trace, with its grid. */
  async function openHistory(page: Page): Promise<Locator> {
    if (!jobId) {
      await page.goto(`${served.url}#/new`)
      await page.getByTestId('values').fill(lots.slice(0, 2).join('\n'))
      await page.getByTestId('submit').click()
      await expect(page).toHaveURL(/#\/jobs\/trace-evt-[0-9a-f]{12}/)
      jobId = /trace-evt-[0-9a-f]{12}/.exec(page.url())![0]
    } else {
      await page.goto(`${served.url}#/jobs/${jobId}`)
    }
    await expect(page.getByTestId('seeds')).toBeVisible({ timeout: 60_000 })
    await page.locator('[data-tab="history"]').click()
    const grid = page.getByRole('grid')
    await expect(grid.locator('tbody tr.vt-row').first()).toContainText(/\S/)
    return grid
  }

  /** Rows the table holds (its `aria-rowcount` counts the two header rows). */
  const rowCount = async (grid: Locator): Promise<number> => Number(await grid.getAttribute('aria-rowcount')) - 2

  /**
   * The header and the rows the table shows, as text (every row must be drawn: small views only).
   * A number column shows its digits grouped (54,566) where the file holds the number (54566):
   * its cells are read without the grouping.
   */
  async function shown(grid: Locator): Promise<{ keys: string[]; header: string[]; rows: string[][] }> {
    const heads = grid.locator('thead tr[aria-rowindex="1"] th')
    const keys = await heads.evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column') ?? ''))
    const header = await heads.evaluateAll((ths) => ths.map((th) => th.querySelector('.vt-label')?.textContent?.trim() ?? ''))
    const rows = await grid.locator('tbody tr.vt-row').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => {
        const text = td.textContent?.trim() ?? ''
        return td.classList.contains('vt-num') ? text.replace(/,/g, '') : text
      })),
    )
    return { keys, header, rows }
  }

  /** Types a condition into a column's box and applies it at once. */
  async function filterBox(grid: Locator, column: string, text: string): Promise<void> {
    const box = grid.locator(`input.vt-filter[data-column="${column}"]`)
    await box.fill(text)
    await box.press('Enter')
  }

  /** Runs the export and reads the file the browser downloaded. */
  async function exportDownload(page: Page): Promise<{ download: Download; text: string }> {
    const downloading = page.waitForEvent('download')
    await page.getByTestId('export-run').click()
    const download = await downloading
    await expect(page.getByTestId('export-done')).toContainText(download.suggestedFilename())
    return { download, text: readFileSync((await download.path())!, 'utf8') }
  }

  const VIEWPORTS = [
    { width: 1920, height: 1080 },
    { width: 1366, height: 768 },
  ] as const

  for (const locale of ['en', 'zh-TW'] as const) {
    for (const { width, height } of VIEWPORTS) {
      test(`a narrowed, sorted history exports exactly what it shows (${locale}, ${width}×${height})`, async ({ page }) => {
        test.setTimeout(120_000)
        const problems = await open(page, locale, width, height)
        const grid = await openHistory(page)
        const all = await rowCount(grid)
        expect(all).toBeGreaterThan(10)

        // Narrow to one lot at its most frequent station group, newest first, without the machine id column.
        await filterBox(grid, 'CONTAINERNAME', `=${lots[0]}`)
        await expect.poll(() => rowCount(grid)).toBeLessThan(all)
        const lotRows = await shown(grid)
        const groups = new Map<string, number>()
        for (const r of lotRows.rows) {
          const group = r[lotRows.keys.indexOf('WORKCENTER_GROUP')]!
          if (group) groups.set(group, (groups.get(group) ?? 0) + 1)
        }
        const [group, times] = [...groups].sort((a, b) => b[1] - a[1])[0]!
        expect(times).toBeGreaterThan(1)
        await filterBox(grid, 'WORKCENTER_GROUP', `=${group}`)
        // Narrowed when every row drawn is of that group and every row of the view is drawn.
        await expect
          .poll(async () => {
            const now = await shown(grid)
            const ofGroup = now.rows.every((r) => r[now.keys.indexOf('WORKCENTER_GROUP')] === group)
            return ofGroup && now.rows.length === (await rowCount(grid))
          })
          .toBe(true)
        const narrowed = await rowCount(grid)
        expect(narrowed).toBeGreaterThan(1)
        expect(narrowed).toBeLessThan(20)
        const sortButton = grid.locator('th[data-column="TRACKINTIMESTAMP"] button.vt-sort')
        await sortButton.click()
        await sortButton.click()
        await expect(grid.locator('th[data-column="TRACKINTIMESTAMP"]')).toHaveAttribute('aria-sort', 'descending')
        await page.locator('.vt-columns').click()
        await page.locator('.vt-menu input[data-column="EQUIPMENTID"]').uncheck()
        await page.keyboard.press('Escape')
        await expect(grid.locator('th[data-column="EQUIPMENTID"]')).toHaveCount(0)
        await expect(grid.locator('tbody tr.vt-row')).toHaveCount(narrowed)
        const view = await shown(grid)
        expect(view.rows.every((r) => r[view.keys.indexOf('CONTAINERNAME')] === lots[0])).toBe(true)
        expect(view.rows.every((r) => r[view.keys.indexOf('WORKCENTER_GROUP')] === group)).toBe(true)
        const trackIns = view.rows.map((r) => r[view.keys.indexOf('TRACKINTIMESTAMP')]!)
        expect([...trackIns].sort().reverse()).toEqual(trackIns)

        // "This view" is the default; the file is a download named as a view.
        await expect(page.getByTestId('export-scope-view')).toBeChecked()
        const { download, text } = await exportDownload(page)
        expect(download.suggestedFilename()).toMatch(new RegExp(`^${jobId}-history-\\d{8}-\\d{6}-\\d{3}-view\\.csv$`))
        expect(text.startsWith(BOM)).toBe(true)
        const records = parseCsv(text.slice(BOM.length))
        expect(records[0]).toEqual(view.header)
        expect(records.slice(1)).toEqual(view.rows)
        await expect(page.getByTestId('export-done')).toContainText(locale === 'en' ? `(${narrowed} rows)` : `（${narrowed} 列）`)
        // The browser keeps its downloads: there is no folder to show.
        await expect(page.getByTestId('export-show')).toHaveCount(0)
        // The box typed last scrolled the table sideways; the picture shows it from its first column.
        await grid.evaluate((table) => table.closest('.vt-scroller')?.scrollTo({ left: 0 }))
        await page.getByTestId('export').scrollIntoViewIfNeeded()
        await page.screenshot({ path: join(SCREENS, `export-${locale}-${width}.png`) })

        if (locale === 'en' && width === 1920) {
          // Selected rows (a click, then a shift-click) export alone, in the shown order.
          const rows = grid.locator('tbody tr.vt-row')
          await rows.nth(0).click()
          await rows.nth(1).click({ modifiers: ['Shift'] })
          await expect(page.getByTestId('export-view-hint')).toContainText('Only the 2 selected rows')
          const picked = parseCsv((await exportDownload(page)).text.slice(BOM.length))
          expect(picked).toEqual([view.header, view.rows[0], view.rows[1]])
          // Every row: the table's stored order, all columns.
          await page.getByTestId('export-scope-all').check()
          const whole = parseCsv((await exportDownload(page)).text.slice(BOM.length))
          expect(whole.length).toBe(all + 1)
          expect(whole[0]).toContain('EQUIPMENTID')
          await page.getByTestId('export-scope-view').check()

          // A view narrowed to no rows: the file is just the header.
          await filterBox(grid, 'WORKCENTER_GROUP', '=NO-SUCH-GROUP')
          await expect.poll(() => rowCount(grid)).toBe(0)
          const empty = await exportDownload(page)
          expect(empty.text).toBe(`${BOM}${view.header.join(',')}\r\n`)
          await expect(page.getByTestId('export-done')).toContainText('(0 rows)')
          await page.screenshot({ path: join(SCREENS, 'export-empty-en-1920.png') })
        }
        expect(problems).toEqual([])
      })
    }
  }
})
