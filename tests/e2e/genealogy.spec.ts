import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect, test, type Page } from '@playwright/test'
import { SCREEN_SIZES, SCREENS_DIR, shootEachLocaleAndSize, startServe, watchConsole, type Served } from './support/serve'

/**
 * The genealogy at plant scale, in Chromium through `mes-trace serve` on the 20 000-lot demo
 * plant: a work-order trace (`GA260900*`, 6 154 seeds, 7 770 nodes with its serial numbers) opens
 * collapsed into groups with counts; Find opens the path to a lot in the graph and the indented
 * tree and selects it (timed); a lot picked with its subtree narrows the event tabs to exactly the
 * rows of those containers. Screenshots at 1920×1080 and 1366×768 in English and Traditional
 * Chinese land in test-results/screens/genealogy-*.png.
 */
/** A lot three levels down in the trace: wafer → GA26090084-A06 → its split child. */
const FOUND_LOT = 'GA26090084-A06-002'
/** A lot with split children of its own. */
const PARENT_LOT = 'GA26090084-A06'

test.describe.configure({ mode: 'serial' })

test.describe('genealogy at plant scale (browser host, 20 000-lot demo plant)', () => {
  let dataDir = ''
  let served: Served
  let jobUrl = ''
  let jobId = ''

  test.beforeAll(async () => {
    test.setTimeout(120_000)
    mkdirSync(SCREENS_DIR, { recursive: true })
    dataDir = mkdtempSync(join(tmpdir(), 'mes-trace-genealogy-'))
    served = await startServe(dataDir, 20000)
  })

  test.afterAll(async () => {
    await served?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  /** Screenshots of a scene in both languages and sizes; `show` is scrolled into view first (the tree sits below the graph at 1366). */
  async function openLineage(page: Page): Promise<void> {
    await page.goto(jobUrl)
    await page.locator('[data-tab="lineage"]').click()
    await expect(page.getByTestId('lineage-tree')).toBeVisible({ timeout: 30_000 })
  }

  test('a 7 770-node work-order trace opens collapsed into groups with counts', async ({ page }) => {
    test.setTimeout(180_000)
    const problems = watchConsole(page)
    await page.setViewportSize(SCREEN_SIZES[0])
    await page.goto(`${served.url}#/new`)
    await page.evaluate(() => localStorage.setItem('mes-trace:locale', 'en'))
    await page.reload()
    await page.getByTestId('resolve-type').selectOption('work_order')
    await page.getByTestId('values').fill('GA260900*')
    for (const d of ['materials', 'rejects', 'holds', 'jobs']) {
      const box = page.getByTestId(`domain-${d}`)
      if ((await box.count()) > 0 && (await box.isChecked())) await box.uncheck()
    }
    await page.getByTestId('submit').click()
    await expect(page).toHaveURL(/#\/jobs\/trace-evt-[0-9a-f]{12}/)
    jobId = /trace-evt-[0-9a-f]{12}/.exec(page.url())![0]
    jobUrl = page.url().replace(/#.*$/, `#/jobs/${jobId}`)
    await expect(page.getByTestId('seeds')).toContainText('6,154 containers resolved', { timeout: 120_000 })

    await page.locator('[data-tab="lineage"]').click()
    const lineage = page.getByTestId('lineage')
    await expect(lineage.locator('canvas').first()).toBeVisible({ timeout: 30_000 })
    // Grouped by work order: 7 770 nodes drawn as about a hundred groups, not a column of nodes.
    await expect(lineage.locator('[data-status="summary"]')).toContainText('7,770 nodes')
    const summary = (await lineage.locator('[data-status="summary"]').textContent())!
    const groups = Number(/(\d[\d,]*) groups/.exec(summary)![1]!.replace(/,/g, ''))
    expect(groups).toBeGreaterThan(50)
    expect(groups).toBeLessThan(150)
    const drawn = Number(/(\d+) shown/.exec((await lineage.getByTestId('lineage-canvas').getAttribute('aria-label'))!)![1])
    expect(drawn).toBeLessThan(200)
    await expect(page.getByTestId('group-mode')).toHaveValue('work_order')
    // The tree opens at its roots, the wafers, with what lies below each.
    const tree = page.getByTestId('lineage-tree')
    await expect(tree.getByTestId('tree-count')).toContainText('rows shown (7,770 nodes)')
    // Virtualized: only the rows in view are in the page.
    expect(await tree.locator('[role="treeitem"]').count()).toBeLessThan(60)
    await shootEachLocaleAndSize(page, 'genealogy-collapsed')
    expect(problems).toEqual([])
  })

  test('Find opens the path to a lot in the graph and the tree, centres and selects it within 1 s', async ({ page }) => {
    test.setTimeout(90_000)
    const problems = watchConsole(page)
    await page.setViewportSize(SCREEN_SIZES[0])
    await openLineage(page)
    const lineage = page.getByTestId('lineage')
    await lineage.locator('input.find-input').fill(FOUND_LOT)
    const row = page.getByTestId('lineage-tree').locator('[role="treeitem"][aria-selected="true"]').filter({ has: page.getByText(FOUND_LOT, { exact: true }) })
    const started = Date.now()
    await lineage.locator('input.find-input').press('Enter')
    await expect(row).toBeVisible({ timeout: 5_000 })
    await expect(row).toBeInViewport()
    await expect(page.getByTestId('selection')).toContainText(FOUND_LOT)
    const elapsed = Date.now() - started
    console.log(`Find ${FOUND_LOT} in the 7 770-node trace: ${elapsed} ms from Enter to the lot visible and selected`)
    expect(elapsed).toBeLessThanOrEqual(1000)
    // The path is open: the lot sits three levels down (wafer, its parent lot, itself), focused.
    await expect(row).toHaveAttribute('aria-level', '3')
    await expect(row).toBeFocused()
    const parentRow = page.getByTestId('lineage-tree').locator('[role="treeitem"][aria-level="2"]').filter({ has: page.getByText(PARENT_LOT, { exact: true }) })
    await expect(parentRow).toHaveAttribute('aria-expanded', 'true')
    // The graph draws the found lot and its path on their own beside the groups.
    await expect(lineage.locator('[data-status="summary"]')).toContainText(/and [1-9]\d* single nodes/)
    await shootEachLocaleAndSize(page, 'genealogy-tree-found', { show: '[role="treeitem"][aria-selected="true"]' })
    expect(problems).toEqual([])
  })

  test('a lot picked with its subtree narrows the event tabs to exactly those containers', async ({ page }) => {
    test.setTimeout(90_000)
    const problems = watchConsole(page)
    await page.setViewportSize(SCREEN_SIZES[0])
    await openLineage(page)
    // From the keyboard: search the tree, move to the lot, Enter picks it with its sub-lots.
    const tree = page.getByTestId('lineage-tree')
    await tree.getByTestId('tree-search').fill(PARENT_LOT)
    await expect(tree.getByTestId('tree-count')).toContainText('matches')
    const target = tree.locator('[role="treeitem"]').filter({ has: page.getByText(PARENT_LOT, { exact: true }) }).first()
    await target.focus()
    await page.keyboard.press('Enter')
    const header = page.getByTestId('selection-header')
    await expect(header).toContainText(/Lot details \(incl\. \d+ sub-lots\)/)
    const subLots = Number(/incl\. (\d+) sub-lots/.exec((await header.textContent())!)![1])

    // The subtree, read from the result file itself: the lot and every container downstream of it.
    const db = new Database(join(dataDir, 'results', `${jobId}.sqlite`), { readonly: true })
    let cids: string[]
    let expectedRows: number
    try {
      const start = (db.prepare('SELECT container_id FROM lineage_nodes WHERE container_name = ?').get(PARENT_LOT) as { container_id: string }).container_id
      cids = (
        db
          .prepare(
            `WITH RECURSIVE sub(cid) AS (SELECT ? UNION SELECT e.to_cid FROM lineage_edges e JOIN sub ON e.from_cid = sub.cid)
             SELECT cid FROM sub`,
          )
          .all(start) as { cid: string }[]
      ).map((r) => r.cid)
      expectedRows = (db.prepare('SELECT count(*) AS n FROM events_history WHERE CONTAINERID IN (SELECT value FROM json_each(?))').get(JSON.stringify(cids)) as { n: number }).n
    } finally {
      db.close()
    }
    expect(subLots).toBe(cids.length - 1)
    expect(expectedRows).toBeGreaterThan(0)
    await shootEachLocaleAndSize(page, 'genealogy-subtree', { show: '[data-testid="selection-header"]' })

    await page.locator('[data-tab="history"]').click()
    await expect(page.getByTestId('selection-chip')).toContainText(PARENT_LOT)
    await expect(page.getByTestId('selection-chip')).toContainText(`incl. ${subLots} sub-lots`)
    await expect(page.getByRole('grid')).toHaveAttribute('aria-rowcount', String(expectedRows + 2))
    await shootEachLocaleAndSize(page, 'genealogy-subtree-tab')
    expect(problems).toEqual([])
  })
})
