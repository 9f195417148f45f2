import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { atLocaleAndSize, demoSuggestions, startServe, type Served } from './support/serve'

/**
 * Tables that lead with the lot, in Chromium through `mes-trace serve` on the 2 000-lot demo
 * plant: a work-order trace's history opens with the lot ID first, frozen when the table scrolls
 * sideways, friendly headers in the page's language and the database name as each header's
 * tooltip; a column resized and one reordered (by drag and by keyboard) are kept after a reload
 * and reset on request; the station-group filter narrows the history; the reject table's
 * 扣帳報廢量 opens its five-field breakdown. Screenshots at 1920×1080 and 1366×768 in English and
 * Traditional Chinese land in test-results/screens/tables-* and reject-*.
 */
// Several specs share test-results (each run empties it): SCREENS_DIR puts the screenshots elsewhere.
const SCREENS = process.env.SCREENS_DIR ?? join('test-results', 'screens')

const HISTORY_HEAD = ['CONTAINERNAME', 'WORKCENTER_GROUP', 'WORKCENTERNAME', 'SPECNAME', 'EQUIPMENTNAME', 'TRACKINTIMESTAMP', 'TRACKINQTY']
const HISTORY_LABELS = {
  en: ['Lot ID', 'Station group', 'Workcenter', 'Spec', 'Machine', 'Track-in time', 'Track-in qty'],
  'zh-TW': ['LOT ID', '站點群組', '站點', '規格', '機台', '上機時間', '上機數量'],
} as const
const BREAKDOWN = ['REJECT_QTY', 'STANDBY_QTY', 'QTYTOPROCESS_QTY', 'INPROCESS_QTY', 'PROCESSED_QTY']

test.describe.configure({ mode: 'serial' })

test.describe('tables that lead with the lot (browser host, 2 000-lot demo plant)', () => {
  let dataDir = ''
  let served: Served
  let workOrders: string[] = []
  let jobId = ''

  test.beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true })
    dataDir = mkdtempSync(join(tmpdir(), 'mes-trace-tables-'))
    served = await startServe(dataDir)
    workOrders = demoSuggestions(served.output)['work orders'] ?? []
    expect(workOrders.length).toBeGreaterThan(0)
  })

  test.afterAll(async () => {
    await served?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const open = atLocaleAndSize

  /** A tab of the work-order trace (run once, reopened after), with its grid drawn. */
  async function openTab(page: Page, tab: 'history' | 'rejects'): Promise<Locator> {
    if (!jobId) {
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
    await page.locator(`[data-tab="${tab}"]`).click()
    const grid = page.getByRole('grid')
    await expect(grid.locator('tbody tr.vt-row').first()).toContainText(/\S/)
    return grid
  }

  const headerKeys = (grid: Locator): Promise<string[]> =>
    grid.locator('thead tr[aria-rowindex="1"] th').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column') ?? ''))
  const headerLabels = (grid: Locator): Promise<string[]> =>
    grid.locator('thead tr[aria-rowindex="1"] th').evaluateAll((ths) => ths.map((th) => th.querySelector('.vt-label')?.textContent?.trim() ?? ''))
  const headerWidth = (grid: Locator, key: string): Promise<number> =>
    grid.locator(`th[data-column="${key}"]`).evaluate((th) => Math.round(th.getBoundingClientRect().width))
  const rowCount = async (grid: Locator): Promise<number> => Number(await grid.getAttribute('aria-rowcount')) - 2
  /** The text of a column's cells in the drawn rows. */
  const cells = (grid: Locator, key: string): Promise<string[]> =>
    grid.locator(`tbody tr.vt-row td[data-column="${key}"]`).evaluateAll((tds) => tds.map((td) => td.textContent?.trim() ?? ''))
  const number = (text: string): number => Number(text.replace(/,/g, ''))

  const VIEWPORTS = [
    { width: 1920, height: 1080 },
    { width: 1366, height: 768 },
  ] as const

  for (const locale of ['en', 'zh-TW'] as const) {
    for (const { width, height } of VIEWPORTS) {
      test(`history leads with the lot ID, frozen, under friendly headers (${locale}, ${width}×${height})`, async ({ page }) => {
        test.setTimeout(120_000)
        const problems = await open(page, locale, width, height)
        const grid = await openHistory(page)
        expect((await headerKeys(grid)).slice(0, HISTORY_HEAD.length)).toEqual(HISTORY_HEAD)
        expect((await headerLabels(grid)).slice(0, HISTORY_HEAD.length)).toEqual([...HISTORY_LABELS[locale]])
        // The database name is the header's tooltip; the internal CID is not shown at first.
        for (const key of HISTORY_HEAD) await expect(grid.locator(`th[data-column="${key}"]`)).toHaveAttribute('title', key)
        expect(await headerKeys(grid)).not.toContain('CONTAINERID')
        const lots = await cells(grid, 'CONTAINERNAME')
        expect(lots.length).toBeGreaterThan(5)
        for (const lot of lots) expect(lot).toMatch(/^[0-9A-Z][0-9A-Z-]{8,}$/)
        await page.screenshot({ path: join(SCREENS, `tables-${locale}-${width}.png`) })

        // Scrolled sideways, the lot ID stays at the table's left edge while the others move under it.
        const scroller = page.locator('.vt-scroller')
        const left = async (key: string) => grid.locator(`th[data-column="${key}"]`).evaluate((th) => th.getBoundingClientRect().left)
        const lotLeft = await left('CONTAINERNAME')
        const machineLeft = await left('EQUIPMENTNAME')
        await scroller.evaluate((el) => (el.scrollLeft = 400))
        await expect.poll(() => left('EQUIPMENTNAME')).toBeLessThan(machineLeft - 300)
        expect(await left('CONTAINERNAME')).toBeCloseTo(lotLeft, 0)
        const firstCell = grid.locator('tbody tr.vt-row').first().locator('td[data-column="CONTAINERNAME"]')
        expect(await firstCell.evaluate((td) => td.getBoundingClientRect().left)).toBeCloseTo(lotLeft, 0)
        await page.screenshot({ path: join(SCREENS, `tables-scrolled-${locale}-${width}.png`) })
        expect(problems).toEqual([])
      })

      test(`the reject table opens 扣帳報廢量 into its five fields, 不扣帳報廢量 apart (${locale}, ${width}×${height})`, async ({ page }) => {
        test.setTimeout(120_000)
        const problems = await open(page, locale, width, height)
        const grid = await openTab(page, 'rejects')
        const keys = await headerKeys(grid)
        expect(keys[0]).toBe('CONTAINERNAME')
        expect(keys.indexOf('DEFECT_QTY')).toBe(keys.indexOf('REJECT_TOTAL_QTY') + 1)
        for (const key of BREAKDOWN) expect(keys).not.toContain(key)
        const total = grid.locator('th[data-column="REJECT_TOTAL_QTY"]')
        await expect(total.locator('.vt-label')).toHaveText(locale === 'en' ? 'Charged-off scrap' : '扣帳報廢量')
        await expect(grid.locator('th[data-column="DEFECT_QTY"] .vt-label')).toHaveText(locale === 'en' ? 'Non-charged scrap' : '不扣帳報廢量')
        const toggle = total.locator('.vt-expand')
        await expect(toggle).toHaveText('▸')
        await expect(toggle).toHaveAttribute('aria-expanded', 'false')

        await toggle.click()
        await expect(toggle).toHaveText('▾')
        const opened = await headerKeys(grid)
        const at = opened.indexOf('REJECT_TOTAL_QTY')
        expect(opened.slice(at, at + 7)).toEqual(['REJECT_TOTAL_QTY', ...BREAKDOWN, 'DEFECT_QTY'])
        // Each drawn row's total is the sum of its five fields.
        const totals = (await cells(grid, 'REJECT_TOTAL_QTY')).map(number)
        const parts = await Promise.all(BREAKDOWN.map(async (key) => (await cells(grid, key)).map(number)))
        expect(totals.length).toBeGreaterThan(3)
        totals.forEach((sum, i) => expect(parts.reduce((s, column) => s + column[i]!, 0)).toBe(sum))
        // The breakdown in view, right of the frozen lot ID (after the reason where the window is wide enough).
        await page.locator('.vt-scroller').evaluate((el, from) => {
          const lot = el.querySelector<HTMLElement>('th[data-column="CONTAINERNAME"]')!
          el.scrollLeft = el.querySelector<HTMLElement>(`th[data-column="${from}"]`)!.offsetLeft - lot.offsetWidth
        }, width >= 1920 ? 'LOSSREASONNAME' : 'REJECT_TOTAL_QTY')
        await page.mouse.move(0, 0)
        await page.screenshot({ path: join(SCREENS, `reject-${locale}-${width}.png`) })

        await toggle.click()
        expect(await headerKeys(grid)).toEqual(keys)
        expect(problems).toEqual([])
      })
    }
  }

  async function openHistory(page: Page): Promise<Locator> {
    return openTab(page, 'history')
  }

  test('a resized and a reordered column are kept after a reload, and reset on request', async ({ page }) => {
    test.setTimeout(120_000)
    const problems = await open(page, 'en', 1920, 1080)
    let grid = await openHistory(page)

    // Resize the machine column by dragging its header's right edge 90 px.
    const before = await headerWidth(grid, 'EQUIPMENTNAME')
    const edge = grid.locator('th[data-column="EQUIPMENTNAME"] .vt-resize')
    const box = (await edge.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width / 2 + 45, box.y + box.height / 2, { steps: 4 })
    await page.mouse.move(box.x + box.width / 2 + 90, box.y + box.height / 2, { steps: 4 })
    await page.mouse.up()
    expect(await headerWidth(grid, 'EQUIPMENTNAME')).toBe(before + 90)

    // Drag the spec header in front of the station group.
    const spec = (await grid.locator('th[data-column="SPECNAME"]').boundingBox())!
    const group = (await grid.locator('th[data-column="WORKCENTER_GROUP"]').boundingBox())!
    await page.mouse.move(spec.x + 20, spec.y + spec.height / 2)
    await page.mouse.down()
    await page.mouse.move(spec.x - 40, spec.y + spec.height / 2, { steps: 5 })
    await page.mouse.move(group.x + 10, group.y + group.height / 2, { steps: 5 })
    await page.mouse.up()
    const dragged = ['CONTAINERNAME', 'SPECNAME', 'WORKCENTER_GROUP', 'WORKCENTERNAME', 'EQUIPMENTNAME']
    expect((await headerKeys(grid)).slice(0, 5)).toEqual(dragged)
    // The drag did not sort.
    await expect(grid.locator('th[data-column="SPECNAME"]')).toHaveAttribute('aria-sort', 'none')

    // And by keyboard: Ctrl+Shift+← moves the machine column one place left.
    await grid.locator('th[data-column="EQUIPMENTNAME"] .vt-sort').focus()
    await page.keyboard.press('Control+Shift+ArrowLeft')
    const moved = ['CONTAINERNAME', 'SPECNAME', 'WORKCENTER_GROUP', 'EQUIPMENTNAME', 'WORKCENTERNAME']
    expect((await headerKeys(grid)).slice(0, 5)).toEqual(moved)
    await expect(grid.locator('th[data-column="EQUIPMENTNAME"] .vt-sort')).toBeFocused()

    // The lot ID cannot be moved from the front.
    await grid.locator('th[data-column="SPECNAME"] .vt-sort').focus()
    await page.keyboard.press('Control+Shift+ArrowLeft')
    expect((await headerKeys(grid))[0]).toBe('CONTAINERNAME')

    await page.reload()
    grid = page.getByRole('grid')
    await expect(grid.locator('tbody tr.vt-row').first()).toContainText(/\S/)
    expect((await headerKeys(grid)).slice(0, 5)).toEqual(moved)
    expect(await headerWidth(grid, 'EQUIPMENTNAME')).toBe(before + 90)

    // Double-clicking an edge fits the widest value on screen: the track-in time, whole.
    const time = grid.locator('th[data-column="TRACKINTIMESTAMP"]')
    await grid.locator('th[data-column="TRACKINTIMESTAMP"] .vt-resize').dblclick()
    const fitted = await headerWidth(grid, 'TRACKINTIMESTAMP')
    const widest = await grid
      .locator('tbody tr.vt-row td[data-column="TRACKINTIMESTAMP"]')
      .evaluateAll((tds) => Math.max(...tds.map((td) => td.scrollWidth)))
    expect(fitted).toBeGreaterThanOrEqual(widest)
    expect(fitted).toBeLessThan(widest + 40)
    await expect(time).toHaveAttribute('title', 'TRACKINTIMESTAMP')

    // Reset columns: the default order and widths again, also after a reload.
    await page.getByRole('button', { name: 'Columns' }).click()
    await page.getByRole('button', { name: 'Reset columns' }).click()
    expect((await headerKeys(grid)).slice(0, HISTORY_HEAD.length)).toEqual(HISTORY_HEAD)
    expect(await headerWidth(grid, 'EQUIPMENTNAME')).toBe(before)
    await page.reload()
    grid = page.getByRole('grid')
    await expect(grid.locator('tbody tr.vt-row').first()).toContainText(/\S/)
    expect((await headerKeys(grid)).slice(0, HISTORY_HEAD.length)).toEqual(HISTORY_HEAD)
    expect(problems).toEqual([])
  })

  test('the station-group filter narrows the history to the chosen groups', async ({ page }) => {
    test.setTimeout(120_000)
    const problems = await open(page, 'zh-TW', 1920, 1080)
    const grid = await openHistory(page)
    const all = await rowCount(grid)
    const filter = page.getByTestId('group-filter')
    const button = filter.locator('.ms-button')
    await expect(button).toHaveText(/全部群組/)
    await button.click()
    const options = filter.locator('.ms-option')
    await expect(options.first()).toBeVisible()
    const names = await options.evaluateAll((labels) => labels.map((l) => l.getAttribute('data-value') ?? ''))
    expect(names.length).toBeGreaterThan(3)
    // In station order: 切割 before 焊接_DB before 測試.
    expect(names.indexOf('切割')).toBeLessThan(names.indexOf('焊接_DB'))
    expect(names.indexOf('焊接_DB')).toBeLessThan(names.indexOf('測試'))

    // Search, then pick 焊接_DB.
    await filter.locator('.ms-search').fill('焊接')
    await expect(options).toHaveCount(names.filter((n) => n.includes('焊接')).length)
    await filter.locator('.ms-option[data-value="焊接_DB"] input').check()
    await page.keyboard.press('Escape')
    await expect(button).toHaveText(/焊接_DB/)
    await expect.poll(() => rowCount(page.getByRole('grid'))).toBeLessThan(all)
    const narrowed = page.getByRole('grid')
    const groups = await cells(narrowed, 'WORKCENTER_GROUP')
    expect(groups.length).toBeGreaterThan(0)
    expect(new Set(groups)).toEqual(new Set(['焊接_DB']))
    await page.screenshot({ path: join(SCREENS, 'tables-group-filter-zh-TW-1920.png') })

    // Cleared, every row is back.
    await filter.locator('.ms-clear').click()
    await expect.poll(() => rowCount(page.getByRole('grid'))).toBe(all)
    expect(problems).toEqual([])
  })
})
