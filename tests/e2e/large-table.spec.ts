import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { startServe, watchConsole, type Served } from './support/serve'

/**
 * A 1 000 000-row domain in the result view, through the browser host: only the visible rows are
 * in the DOM, the end of the table is reachable by keyboard and by scrolling, and every page a
 * scroll asks for is timed from the page's side of the WebSocket (written to
 * test-results/large-table.json).
 */
const ROWS = 1_000_000

test.describe('a 1 000 000-row domain', () => {
  let dir = ''
  let served: Served

  test.beforeAll(async () => {
    test.setTimeout(240_000)
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-large-'))
    execFileSync(process.execPath, ['scripts/make-large-result.mjs', '--rows', String(ROWS), '--out', join(dir, 'large.mtr')], { stdio: 'ignore' })
    served = await startServe(join(dir, 'data'), 200)
  })

  test.afterAll(async () => {
    await served?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  test('scrolls with only the visible rows in the DOM, and each page arrives in under 100 ms', async ({ page }) => {
    test.setTimeout(240_000)
    const problems = watchConsole(page)
    await page.setViewportSize({ width: 1280, height: 720 })
    // Time every results:page answer as the renderer sees it.
    await page.addInitScript(() => {
      const times: number[] = []
      ;(window as unknown as { pageTimes: number[] }).pageTimes = times
      const send = WebSocket.prototype.send
      const sentAt = new Map<number, number>()
      WebSocket.prototype.send = function (data) {
        const message = JSON.parse(String(data)) as { id: number; channel: string }
        if (message.channel === 'results:page') sentAt.set(message.id, performance.now())
        if (!(this as unknown as { timed?: boolean }).timed) {
          ;(this as unknown as { timed?: boolean }).timed = true
          this.addEventListener('message', (event) => {
            const answer = JSON.parse(String(event.data)) as { id?: number }
            const at = answer.id === undefined ? undefined : sentAt.get(answer.id)
            if (at !== undefined) times.push(performance.now() - at)
          })
        }
        return send.call(this, data)
      }
    })
    await page.goto(`${served.url}#/history`)
    await page.getByTestId('import-path').fill(join(dir, 'large.mtr'))
    await page.getByTestId('import-run').click()
    await expect(page.getByTestId('result-view')).toBeVisible({ timeout: 120_000 })
    await page.locator('[data-tab="history"]').click()
    const grid = page.getByRole('grid')
    await expect(grid).toHaveAttribute('aria-rowcount', String(ROWS + 2))
    await expect(grid.locator('[aria-rowindex="3"]')).toBeVisible()

    const scroller = page.locator('.vt-scroller')
    const domRows = async () => grid.locator('tbody tr').count()
    const counts: number[] = [await domRows()]
    // Jump through the table the way a scrollbar drag does.
    for (const fraction of [0.1, 0.37, 0.5, 0.73, 0.9]) {
      await scroller.evaluate((el, f) => {
        el.scrollTop = (el.scrollHeight - el.clientHeight) * f
      }, fraction)
      const index = Math.round(ROWS * fraction)
      // The first row drawn is the one at that fraction (give or take the overscan and the view's height).
      await expect.poll(async () => Math.abs(Number(await grid.locator('tbody tr[aria-rowindex]').first().getAttribute('aria-rowindex')) - index)).toBeLessThan(40)
      await expect(grid.locator('tbody tr.vt-row-loading')).toHaveCount(0)
      counts.push(await domRows())
    }
    // The last row, by keyboard.
    await grid.focus()
    await page.keyboard.press('End')
    await expect(grid.locator(`[aria-rowindex="${ROWS + 2}"]`)).toBeVisible()
    counts.push(await domRows())
    expect(Math.max(...counts)).toBeLessThan(100)

    const times = await page.evaluate(() => (window as unknown as { pageTimes: number[] }).pageTimes)
    const sorted = [...times].sort((a, b) => a - b)
    const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
    const report = { rows: ROWS, pages: times.length, p50_ms: p(0.5), p95_ms: p(0.95), max_ms: sorted.at(-1), dom_rows_max: Math.max(...counts) }
    mkdirSync('test-results', { recursive: true })
    writeFileSync(join('test-results', 'large-table.json'), JSON.stringify(report, null, 2))
    console.log(`large table: ${JSON.stringify(report)}`)
    expect(times.length).toBeGreaterThan(5)
    expect(p(0.95)).toBeLessThan(100)
    await page.screenshot({ path: join('test-results', 'screens', 'large-table.png') })
    expect(problems).toEqual([])
  })
})
