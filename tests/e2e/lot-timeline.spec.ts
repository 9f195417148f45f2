import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect, test } from '@playwright/test'
import { demoSuggestions, SCREEN_SIZES, SCREENS_DIR, shootEachLocaleAndSize, startServe, watchConsole, type Served } from './support/serve'

/**
 * The lot timeline (original-ui.md §2) in Chromium through `mes-trace serve` on the 2 000-lot demo
 * plant: a lot trace, a lot picked in the genealogy with its subtree, the history tab's Timeline
 * view: a bar per history row of exactly those lots, their markers only on their own lanes, the
 * list for the keyboard, the station-group filter. Screenshots at 1920×1080 and 1366×768 in
 * English and Traditional Chinese land in `SCREENS_DIR`/lot-timeline-*.png.
 */

test.describe.configure({ mode: 'serial' })

test.describe('lot timeline (browser host, 2 000-lot demo plant)', () => {
  let dataDir = ''
  let served: Served
  let lots: string[] = []

  test.beforeAll(async () => {
    test.setTimeout(120_000)
    mkdirSync(SCREENS_DIR, { recursive: true })
    dataDir = mkdtempSync(join(tmpdir(), 'mes-trace-lot-timeline-'))
    served = await startServe(dataDir)
    lots = demoSuggestions(served.output)['lot IDs'] ?? []
    expect(lots.length).toBeGreaterThan(0)
  })

  test.afterAll(async () => {
    await served?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  test('a lot picked in the genealogy: its visits as bars, its holds, materials and rejects on its own lanes, narrowed by the station-group filter, kept on reload', async ({ page }) => {
    test.setTimeout(180_000)
    const problems = watchConsole(page)
    await page.setViewportSize(SCREEN_SIZES[0])
    await page.goto(`${served.url}#/new`)
    await page.evaluate(() => localStorage.setItem('mes-trace:locale', 'en'))
    await page.reload()
    await page.getByTestId('resolve-type').selectOption('lot_id')
    await page.getByTestId('values').fill(lots.join('\n'))
    for (const d of ['history', 'materials', 'rejects', 'holds']) {
      const box = page.getByTestId(`domain-${d}`)
      if ((await box.count()) > 0 && !(await box.isChecked())) await box.check()
    }
    await page.getByTestId('submit').click()
    await expect(page).toHaveURL(/#\/jobs\/trace-evt-[0-9a-f]{12}/)
    const jobId = /trace-evt-[0-9a-f]{12}/.exec(page.url())![0]
    await expect(page.getByTestId('seeds')).toBeVisible({ timeout: 60_000 })

    // Pick, in the genealogy tree, a lot that was held (it and its sub-lots).
    const resultDb = join(dataDir, 'results', `${jobId}.sqlite`)
    const held = (() => {
      const db = new Database(resultDb, { readonly: true })
      try {
        return (
          db.prepare('SELECT n.container_name AS name FROM events_holds h JOIN lineage_nodes n ON n.container_id = h.CONTAINERID ORDER BY h.HOLDTXNDATE LIMIT 1').get() as { name: string } | undefined
        )?.name
      } finally {
        db.close()
      }
    })()
    expect(held, 'the traced lots have a hold').toBeTruthy()
    await page.locator('[data-tab="lineage"]').click()
    const tree = page.getByTestId('lineage-tree')
    await expect(tree).toBeVisible({ timeout: 30_000 })
    await tree.getByTestId('tree-search').fill(held!)
    await expect(tree.getByTestId('tree-count')).toContainText('matches')
    await tree.locator('[role="treeitem"]').filter({ has: page.getByText(held!, { exact: true }) }).first().focus()
    await page.keyboard.press('Enter')
    // And the first traced lot with its sub-lots (Ctrl+Enter adds to the selection): several lanes.
    if (lots[0] !== held) {
      await tree.getByTestId('tree-search').fill(lots[0]!)
      await tree.locator('[role="treeitem"]').filter({ has: page.getByText(lots[0]!, { exact: true }) }).first().focus()
      await page.keyboard.press('Control+Enter')
    }
    await expect(page.getByTestId('selection-header')).toBeVisible()

    await page.locator('[data-tab="history"]').click()
    await expect(page.getByTestId('selection-chip')).toContainText(held!)
    await page.getByTestId('history-view').locator('[data-view="timeline"]').click()
    const chart = page.getByTestId('lot-timeline-chart')
    await expect(chart.locator('canvas').first()).toBeVisible({ timeout: 30_000 })

    // What the result file holds for the picked lot and its sub-lots.
    const db = new Database(resultDb, { readonly: true })
    let names: Map<string, string>
    let expected: { bars: number; markers: number; holds: number; lanes: number }
    let holdLots: string[]
    let shownCids = ''
    try {
      const subtree = (name: string) => {
        const start = (db.prepare('SELECT container_id FROM lineage_nodes WHERE container_name = ?').get(name) as { container_id: string }).container_id
        return (
          db
            .prepare(
              `WITH RECURSIVE sub(cid) AS (SELECT ? UNION SELECT e.to_cid FROM lineage_edges e JOIN sub ON e.from_cid = sub.cid)
               SELECT cid FROM sub`,
            )
            .all(start) as { cid: string }[]
        ).map((r) => r.cid)
      }
      const cids = [...new Set([...subtree(held!), ...subtree(lots[0]!)])]
      const shown = JSON.stringify(cids.slice(0, 50))
      shownCids = shown
      const count = (sql: string) => (db.prepare(sql).get(shown) as { n: number }).n
      const bars = count('SELECT count(*) AS n FROM events_history WHERE TRACKINTIMESTAMP IS NOT NULL AND CONTAINERID IN (SELECT value FROM json_each(?))')
      const holds = count('SELECT count(*) AS n FROM events_holds WHERE HOLDTXNDATE IS NOT NULL AND CONTAINERID IN (SELECT value FROM json_each(?))')
      const markers =
        holds +
        count('SELECT count(*) AS n FROM events_materials WHERE TXNDATE IS NOT NULL AND CONTAINERID IN (SELECT value FROM json_each(?))') +
        count('SELECT count(*) AS n FROM events_rejects WHERE TXN_TIME IS NOT NULL AND CONTAINERID IN (SELECT value FROM json_each(?))')
      expected = { bars, markers, holds, lanes: Math.min(cids.length, 50) }
      holdLots = (
        db
          .prepare('SELECT n.container_name AS name FROM events_holds h JOIN lineage_nodes n ON n.container_id = h.CONTAINERID WHERE h.HOLDTXNDATE IS NOT NULL AND h.CONTAINERID IN (SELECT value FROM json_each(?))')
          .all(shown) as { name: string }[]
      ).map((r) => r.name)
      names = new Map(
        (db.prepare('SELECT container_id, container_name FROM lineage_nodes WHERE container_id IN (SELECT value FROM json_each(?))').all(shown) as { container_id: string; container_name: string }[]).map((r) => [
          r.container_name,
          r.container_id,
        ]),
      )
    } finally {
      db.close()
    }
    expect(expected.bars).toBeGreaterThan(0)
    expect(expected.holds).toBeGreaterThan(0)
    await expect(page.getByTestId('lot-timeline-counts')).toContainText(`Holds ${expected.holds}`)
    await expect(chart).toHaveAttribute('data-bars', String(expected.bars))
    await expect(chart).toHaveAttribute('data-markers', String(expected.markers))
    await expect(chart).toHaveAttribute('data-lanes', String(expected.lanes))
    await expect(page.getByTestId('lot-timeline-lots')).toContainText(`${expected.lanes} lots selected`)
    expect(expected.lanes).toBeGreaterThan(1)

    // The keyboard list: every visit and marker, each on a lot of the selection.
    const list = page.getByTestId('lot-timeline-list')
    await list.locator('summary').click()
    const rows = list.locator('tbody tr')
    await expect(rows).toHaveCount(expected.bars + expected.markers)
    const lotsListed = await rows.locator('td:first-child').allTextContents()
    for (const lot of new Set(lotsListed)) expect(names.has(lot), `${lot} is one of the picked lots`).toBe(true)
    expect(await list.locator('tbody tr[data-kind="visit"]').count()).toBe(expected.bars)
    expect(await list.locator('tbody tr[data-kind="hold"]').count()).toBe(expected.holds)
    // The held lot's hold is on its own lane (the original could put it on another lot's lane at that station).
    const holdRows = await list.locator('tbody tr[data-kind="hold"] td:first-child').allTextContents()
    expect(holdRows.sort()).toEqual(holdLots.sort())
    expect(holdRows).toContain(held)
    await shootEachLocaleAndSize(page, 'lot-timeline-list', { show: '[data-testid="lot-timeline"]' })
    await list.locator('summary').click()

    await shootEachLocaleAndSize(page, 'lot-timeline-lot', { show: '[data-testid="lot-timeline"]' })
    // A tooltip: sweep the first lane's bars (ECharts shows a pointer over an item) and stop on one.
    const box = (await chart.boundingBox())!
    const band = (box.height - 40 - 64) / expected.lanes
    const y = box.y + 40 + band * 0.72
    let onBar = false
    for (let x = box.x + 120; x < box.x + box.width - 30 && !onBar; x += 4) {
      await page.mouse.move(x, y)
      onBar = await page.evaluate(([px, py]) => {
        const el = document.elementFromPoint(px!, py!)
        return getComputedStyle(el?.parentElement ?? document.body).cursor === 'pointer'
      }, [x, y])
    }
    expect(onBar, 'a bar under the pointer in the first lane').toBe(true)
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(SCREENS_DIR, 'lot-timeline-tooltip-en-1920.png') })

    // The history tab's station-group filter narrows the timeline: its bars and its list follow it.
    const group = (() => {
      const gdb = new Database(resultDb, { readonly: true })
      try {
        return gdb
          .prepare(
            `SELECT WORKCENTER_GROUP AS name, count(*) AS n FROM events_history
             WHERE TRACKINTIMESTAMP IS NOT NULL AND WORKCENTER_GROUP IS NOT NULL AND CONTAINERID IN (SELECT value FROM json_each(?))
             GROUP BY WORKCENTER_GROUP ORDER BY n DESC, name LIMIT 1`,
          )
          .get(shownCids) as { name: string; n: number }
      } finally {
        gdb.close()
      }
    })()
    expect(group.n).toBeGreaterThan(0)
    expect(group.n).toBeLessThan(expected.bars)
    const groups = page.getByTestId('group-filter')
    await groups.locator('.ms-button').click()
    await groups.locator(`.ms-option[data-value="${group.name}"] input`).check()
    await page.keyboard.press('Escape')
    await expect(chart).toHaveAttribute('data-bars', String(group.n))
    await list.locator('summary').click()
    await expect(list.locator('tbody tr[data-kind="visit"]')).toHaveCount(group.n)
    const stations = await list.locator('tbody tr[data-kind="visit"] td:nth-child(3)').allTextContents()
    expect([...new Set(stations)]).toEqual([group.name])
    await list.locator('summary').click()

    // Table or timeline is part of the route: a reload keeps the timeline, Back returns to the table.
    expect(page.url()).toContain('view=timeline')
    await page.reload()
    await expect(page.getByTestId('history-view').locator('[data-view="timeline"]')).toHaveAttribute('aria-pressed', 'true')
    await expect(page.getByTestId('lot-timeline')).toBeVisible()
    await page.goBack()
    await expect(page.getByTestId('history-view').locator('[data-view="table"]')).toHaveAttribute('aria-pressed', 'true')
    await expect(page.getByRole('grid')).toBeVisible()
    expect(page.url()).not.toContain('view=')
    expect(problems).toEqual([])
  })
})
