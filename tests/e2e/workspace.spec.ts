import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { DOMAINS } from '../../shared/trace'
import { call, demoSuggestions, startServe, watchConsole, type Served } from './support/serve'

/**
 * The workspace in Chromium through `mes-trace serve` on the demo plant: a lot trace with its
 * lineage graph and event tables, an MSD backward trace from progress to the dashboard and a
 * drill-down, a cancelled job, CSV export, language switching, and a finished result reopened
 * from the history after the host restarts. Screenshots land in test-results/screens/.
 */
const SCREENS = join('test-results', 'screens')

test.describe.configure({ mode: 'serial' })

test.describe('workspace (browser host, demo plant)', () => {
  let dataDir = ''
  let served: Served
  let lots: string[] = []
  let lotJobId = ''

  test.beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true })
    dataDir = mkdtempSync(join(tmpdir(), 'mes-trace-ws-'))
    served = await startServe(dataDir)
    lots = demoSuggestions(served.output)['lot IDs'] ?? []
    expect(lots.length).toBeGreaterThan(1)
  })

  test.afterAll(async () => {
    await served?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  async function open(page: Page, hash = '#/new'): Promise<string[]> {
    const problems = watchConsole(page)
    // Count the progress events each job pushes to the page, and note the channels it calls.
    await page.addInitScript(() => {
      const seen: Record<string, number> = {}
      const called: string[] = []
      ;(window as unknown as { progressSeen: Record<string, number> }).progressSeen = seen
      ;(window as unknown as { called: string[] }).called = called
      const send = WebSocket.prototype.send
      WebSocket.prototype.send = function (data) {
        called.push((JSON.parse(String(data)) as { channel: string }).channel)
        if (!(this as unknown as { counted?: boolean }).counted) {
          ;(this as unknown as { counted?: boolean }).counted = true
          this.addEventListener('message', (event) => {
            const message = JSON.parse(String(event.data)) as { event?: string; payload?: { job_id: string } }
            if (message.event === 'jobs:did-progress' && message.payload) seen[message.payload.job_id] = (seen[message.payload.job_id] ?? 0) + 1
          })
        }
        return send.call(this, data)
      }
    })
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.goto(`${served.url}${hash}`)
    await expect(page.getByTestId('version')).toHaveText(/^\d+\.\d+\.\d+/)
    return problems
  }

  test('the new-trace form validates inline and switches language', async ({ page }) => {
    const problems = await open(page)
    await expect(page.getByTestId('source')).toHaveValue('src-demo')
    // Nothing typed: the values field says so, and no job starts.
    await page.getByTestId('submit').click()
    await expect(page.getByTestId('values-error')).toHaveText('Enter at least one value.')
    await expect(page.getByTestId('values')).toHaveAttribute('aria-invalid', 'true')
    // A work order that is not GA/GC is refused before it reaches the engine.
    await page.getByTestId('resolve-type').selectOption('work_order')
    await page.getByTestId('values').fill('XX123, GA26090012')
    await page.getByTestId('submit').click()
    await expect(page.getByTestId('values-error')).toHaveText('"XX123" is not a GA/GC work order.')
    await expect(page.getByTestId('token-count')).toContainText('2')
    await page.getByTestId('language').selectOption('zh-TW')
    await expect(page.getByTestId('values-error')).toHaveText('「XX123」不是 GA/GC 工單。')
    await expect(page.getByTestId('nav-new')).toHaveText('新追溯')
    await expect(page.getByTestId('submit')).toHaveText('開始追溯')
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-TW')
    // The error stays put after the typing pause has passed.
    await page.waitForTimeout(400)
    await expect(page.getByTestId('values-error')).toHaveText('「XX123」不是 GA/GC 工單。')
    await page.screenshot({ path: join(SCREENS, 'new-trace-zh-TW.png') })
    await page.getByTestId('language').selectOption('en')
    await expect(page.getByTestId('nav-new')).toHaveText('New trace')
    await page.getByTestId('resolve-type').selectOption('lot_id')
    // 100 000 lot IDs pasted: counted at once, kept aside, and typing after them stays quick.
    await page.getByTestId('values').fill('')
    await page.getByTestId('values').evaluate((el) => {
      const data = new DataTransfer()
      data.setData('text/plain', Array.from({ length: 100_000 }, (_, i) => `GA2609${String(i).padStart(5, '0')}-A01`).join('\r\n'))
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    })
    await expect(page.getByTestId('pasted')).toContainText('100,000 values pasted')
    await expect(page.getByTestId('token-count')).toHaveText('100,000 values')
    await page.getByTestId('values').focus()
    const started = Date.now()
    await page.keyboard.type('GA26090011-A07', { delay: 0 })
    const perKey = (Date.now() - started) / 'GA26090011-A07'.length
    console.log(`typing after 100 000 pasted IDs: ${perKey.toFixed(1)} ms a keystroke`)
    expect(perKey).toBeLessThan(50)
    await expect(page.getByTestId('token-count')).toHaveText('100,001 values')
    await page.getByTestId('clear-pasted').click()
    await expect(page.getByTestId('pasted')).toHaveCount(0)
    await expect(page.getByTestId('token-count')).toHaveText('1 values')
    await page.getByTestId('values').fill(lots.join('\n'))
    await page.screenshot({ path: join(SCREENS, 'new-trace.png') })
    expect(problems).toEqual([])
  })

  test('the form works from the keyboard alone', async ({ page }) => {
    const problems = await open(page)
    await page.getByTestId('values').focus()
    await page.keyboard.type(lots[0]!)
    // From the values box to the submit button: the domains and the data source lie between.
    let reached = false
    for (let i = 0; i < 15 && !reached; i++) {
      await page.keyboard.press('Tab')
      reached = await page.getByTestId('submit').evaluate((el) => el === document.activeElement)
    }
    expect(reached).toBe(true)
    await page.keyboard.press('Enter')
    await expect(page).toHaveURL(/#\/jobs\/trace-evt-[0-9a-f]{12}/)
    await expect(page.getByTestId('seeds')).toContainText('1 containers resolved (1 inputs)', { timeout: 60_000 })
    expect(problems).toEqual([])
  })

  test('a lot trace shows the tokens that matched nothing, its lineage graph and paged event tables, and exports CSV', async ({ page }) => {
    test.setTimeout(120_000)
    const problems = await open(page)
    await page.getByTestId('values').fill([lots[0], lots[1], 'NOPE-LOT-0001'].join('\n'))
    await page.getByTestId('submit').click()
    await expect(page).toHaveURL(/#\/jobs\/trace-evt-[0-9a-f]{12}/)
    lotJobId = /trace-evt-[0-9a-f]{12}/.exec(page.url())![0]
    await expect(page.getByTestId('not-found')).toContainText('NOPE-LOT-0001', { timeout: 60_000 })
    await expect(page.getByTestId('seeds')).toContainText('2 containers resolved (3 inputs)')
    // Lineage: the graph draws on a canvas; its status line counts the nodes.
    await page.locator('[data-tab="lineage"]').click()
    await expect(page.getByTestId('lineage').locator('canvas').first()).toBeVisible()
    await expect(page.getByTestId('lineage')).toContainText(/Showing \d+ of \d+ nodes/)
    await page.waitForTimeout(500)
    await page.screenshot({ path: join(SCREENS, 'lot-trace-lineage.png') })
    // Pick a node (by name, from the keyboard): every event tab narrows to it.
    await page.getByTestId('lineage').locator('input.find-input').fill(lots[0]!)
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('selection')).toContainText(lots[0]!)
    await page.locator('[data-tab="history"]').click()
    await expect(page.getByTestId('selection-chip')).toContainText(lots[0]!)
    const picked = page.getByRole('grid')
    const pickedRows = Number(await picked.getAttribute('aria-rowcount')) - 2
    expect(pickedRows).toBeGreaterThan(0)
    expect(pickedRows).toBeLessThan(Number((await page.locator('[data-tab="history"] .count').textContent())!.replace(/\D/g, '')))
    await expect(picked.locator('tbody tr[aria-rowindex]').first()).toContainText(lots[0]!)
    await page.getByTestId('selection-chip').getByRole('button').click()
    await expect(page.getByTestId('selection-chip')).toHaveCount(0)
    await page.locator('[data-tab="lineage"]').click()
    // The tabs follow the keyboard: arrows move between them.
    await page.locator('[data-tab="lineage"]').focus()
    await page.keyboard.press('ArrowRight')
    await expect(page.locator('[data-tab="history"]')).toBeFocused()
    await expect(page.locator('[data-tab="history"]')).toHaveAttribute('aria-selected', 'true')
    // History tab: a server-paged table with the row count of the tab.
    const historyTab = page.locator('[data-tab="history"]')
    const count = Number((await historyTab.locator('.count').textContent())!.replace(/\D/g, ''))
    expect(count).toBeGreaterThan(0)
    await historyTab.click()
    await expect(page.getByRole('grid')).toBeVisible()
    await expect(page.getByRole('grid')).toHaveAttribute('aria-rowcount', String(count + 2))
    await expect(page.getByRole('grid').getByText(lots[0]!).first()).toBeVisible()
    // Export the history table as CSV: the host writes a new file in the data folder's exports
    // folder (the page names none) and the page downloads it.
    await page.getByTestId('export-scope-all').check()
    const downloading = page.waitForEvent('download')
    await page.getByTestId('export-run').click()
    const download = await downloading
    await expect(page.getByTestId('export-done')).toContainText(`${lotJobId}-history-`)
    const exported = readdirSync(join(dataDir, 'exports')).filter((f) => f.startsWith(`${lotJobId}-history-`) && f.endsWith('.csv'))
    expect(exported).toHaveLength(1)
    expect(download.suggestedFilename()).toBe(exported[0])
    const written = join(dataDir, 'exports', exported[0]!)
    const lines = readFileSync(written, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/)
    expect(lines[0]).toContain('CONTAINERID')
    expect(lines.length).toBe(count + 1)
    expect(readFileSync((await download.path())!, 'utf8')).toBe(readFileSync(written, 'utf8'))

    // The same request again is answered from that result, and says so, with a way to run it again.
    await page.goto(page.url().replace(/#.*$/, '#/new'))
    await page.getByTestId('values').fill([lots[0], lots[1], 'NOPE-LOT-0001'].join('\n'))
    await page.getByTestId('submit').click()
    await expect(page).toHaveURL(new RegExp(`#/jobs/${lotJobId}\\?cached=1`))
    await expect(page.getByTestId('cached-notice')).toContainText('An identical request was answered from an earlier result')
    // (Running it again is the result view's re-run, tested with the view; here the history keeps one job.)
    await expect(page.getByTestId('cached-rerun')).toBeEnabled()
    expect(problems).toEqual([])
  })

  test('an MSD backward trace shows progress, then the dashboard; a suspect drills down to its lots and events', async ({ page }) => {
    test.setTimeout(180_000)
    const problems = await open(page)
    await page.getByTestId('profile-msd_backward').check()
    await page.getByTestId('start-date').fill('2026-09-02')
    await page.getByTestId('end-date').fill('2026-10-31')
    await page.getByTestId('submit').click()
    await expect(page).toHaveURL(/#\/jobs\/trace-evt-/)
    // While it runs: the stage stepper of the job in the result view.
    const progress = page.getByTestId('result-progress')
    if (await progress.isVisible()) {
      await page.screenshot({ path: join(SCREENS, 'running-job.png') })
      await expect(progress.locator('[data-stage="seed"]')).toBeVisible()
    }
    await expect(page.getByTestId('msd-dashboard')).toBeVisible({ timeout: 150_000 })
    // The page was told how the job went while it ran.
    const msdJobId = /trace-evt-[0-9a-f]{12}/.exec(page.url())![0]
    const progressSeen = await page.evaluate((id) => (window as unknown as { progressSeen: Record<string, number> }).progressSeen[id] ?? 0, msdJobId)
    expect(progressSeen).toBeGreaterThan(0)
    await expect(page.getByTestId('kpis').locator('[data-kpi="lots"] .value')).toHaveText(/^[\d,]+$/)
    // The suspect list pages from the result: its first row (after the header and filter rows).
    const first = page.getByTestId('suspects').locator('[role="row"][aria-rowindex="3"]')
    await expect(first).toContainText('GWBE-0029')
    await expect(first).toContainText('×')
    await expect(page.getByTestId('suspect-summary')).toContainText(/\d+ significant/)
    await expect(page.getByTestId('seeds')).toContainText(/\d+ lots tracked in at 測試/)
    // A tall window so the shot holds the KPIs, every chart and the suspects.
    await page.setViewportSize({ width: 1280, height: 2200 })
    await page.waitForTimeout(800)
    await page.screenshot({ path: join(SCREENS, 'msd-dashboard.png') })
    await page.setViewportSize({ width: 1280, height: 720 })
    // Drill down: the lots that went through the machine, then its upstream events.
    await first.getByTestId('drill').click()
    const drill = page.getByTestId('drill-panel')
    await expect(drill).toContainText('GWBE-0029')
    await expect(drill.getByRole('grid').locator('[aria-rowindex="3"]')).toContainText('焊接_WB/GWBE-0029')
    await drill.getByTestId('drill-events').click()
    await expect(page.locator('[data-tab="upstream_history"]')).toHaveAttribute('aria-selected', 'true')
    await expect(page.getByTestId('drill-chip')).toContainText('GWBE-0029')
    const grid = page.getByRole('grid')
    await expect(grid.locator('[aria-rowindex="3"]')).toContainText('GWBE-0029')
    // A bar, from the keyboard: the chart's bars as a list of buttons.
    await page.locator('[data-tab="msd"]').click()
    const reasons = page.locator('[data-chart="by_loss_reason"]')
    await reasons.locator('details.bars summary').focus()
    await page.keyboard.press('Enter')
    const firstBar = reasons.locator('details.bars button').first()
    const reason = (await firstBar.getAttribute('data-bar'))!
    await firstBar.focus()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('drill-panel')).toContainText(`Loss reason: ${reason}`)
    await expect(page.getByTestId('drill-panel').getByRole('grid').locator('[aria-rowindex="3"]')).toContainText(reason)
    expect(problems).toEqual([])
  })

  test('a result imported while the workspace is open appears in its jobs panel without a reload', async ({ page }) => {
    const problems = await open(page, '#/new')
    const panel = page.getByTestId('jobs-panel')
    await expect(panel.locator(`[data-job-id="${lotJobId}"]`)).toBeVisible()
    // A colleague's copy of the lot trace's result, imported by another client of the same host
    // (as the desktop app does for a file opened from the OS): this page calls nothing for it.
    const mailed = mkdtempSync(join(tmpdir(), 'mes-trace-mailed-'))
    const copy = join(mailed, 'colleague.mtr')
    copyFileSync(join(dataDir, 'results', `${lotJobId}.sqlite`), copy)
    /** One call over a socket of its own, as another window would make it. */
    const callElsewhere = (channel: string, payload: unknown) =>
      page.evaluate(
        async ([channel, payload]) => {
          const token = new URLSearchParams(location.search).get('token')!
          return new Promise<{ ok: boolean; value?: { job_id: string; imported: boolean } }>((resolve) => {
            const ws = new WebSocket(`ws://${location.host}/api?token=${encodeURIComponent(token)}`)
            ws.onopen = () => ws.send(JSON.stringify({ id: 1, channel, payload }))
            ws.onmessage = (m) => {
              const frame = JSON.parse(String(m.data)) as { id?: number; result?: { ok: boolean; value?: { job_id: string; imported: boolean } } }
              if (frame.id !== 1) return
              resolve(frame.result!)
              ws.close()
            }
          })
        },
        [channel, payload] as const,
      )
    const callsBefore = await page.evaluate(() => (window as unknown as { called: string[] }).called.length)
    const imported = await callElsewhere('jobs:import', { path: copy })
    expect(imported).toMatchObject({ ok: true, value: { imported: true } })
    const jobId = imported.value!.job_id
    const card = panel.locator(`[data-job-id="${jobId}"]`)
    await expect(card).toBeVisible()
    await expect(card).toHaveAttribute('data-status', 'finished')
    // Only the import itself went out after the panel was shown: no list reload, no status call.
    expect(await page.evaluate((n) => (window as unknown as { called: string[] }).called.slice(n), callsBefore)).toEqual(['jobs:import'])
    expect(problems).toEqual([])
    // The history test below looks for the lot trace alone.
    expect(await callElsewhere('jobs:remove', { job_id: jobId })).toEqual({ ok: true, value: { removed: true } })
    rmSync(mailed, { recursive: true, force: true })
  })

  test('a queued job is cancelled from the jobs panel', async ({ page }) => {
    test.setTimeout(180_000)
    const problems = await open(page, '#/settings')
    // One trace at a time: a saved worker count applies to the traces that start after it.
    const workers = page.locator('#setting-TRACE_WORKER_COUNT')
    await workers.fill('1')
    await workers.dispatchEvent('change')
    await expect(page.locator('[data-setting="TRACE_WORKER_COUNT"]')).toContainText('Saved')
    // Three long traces, then a fourth, asked for in one go (the form takes a second a trace, by
    // which time a trace may be done): long traces run one at a time, so the fourth surely waits.
    const [source] = await call<{ id: string }[]>(page, 'sources:list', {})
    const enqueue = (request: unknown): Promise<string> => call<{ job_id: string }>(page, 'jobs:enqueue', { request, source_id: source!.id, force: true }).then((r) => r.job_id)
    const blockers: string[] = []
    for (const start of ['2026-09-02', '2026-09-03', '2026-09-04']) {
      blockers.push(
        await enqueue({ profile: 'mid_section_defect', params: { direction: 'forward', start_date: start, end_date: '2026-10-31' }, domains: [...DOMAINS] }),
      )
    }
    // A long trace waits behind the long ones (one at a time), whatever the number of workers.
    const queuedId = await enqueue({ profile: 'mid_section_defect', params: { start_date: '2026-09-05', end_date: '2026-10-31' } })
    await page.goto(`${served.url}#/jobs/${queuedId}`)
    const card = page.getByTestId('jobs-panel').locator(`[data-job-id="${queuedId}"]`)
    await expect(card).toHaveAttribute('data-status', 'queued')
    await card.getByTestId('cancel').click()
    await expect(card).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 })
    await expect(card.getByTestId('job-status')).toHaveText('Cancelled')
    // The second long trace fetching its events, per domain (when it gets there before it ends).
    await page.getByTestId('jobs-panel').locator(`[data-job-id="${blockers[1]}"] .title`).click()
    await page.getByTestId('result-progress').locator('[data-domain]').first().waitFor({ timeout: 30_000 }).catch(() => undefined)
    await page.screenshot({ path: join(SCREENS, 'running-job-events.png') })
    await expect(page.getByTestId('jobs-panel').locator('[data-status="running"], [data-status="queued"]')).toHaveCount(0, { timeout: 150_000 })
    expect(problems).toEqual([])
  })

  test('a finished result reopens from the history after the host restarts', async ({ page }) => {
    test.setTimeout(180_000)
    await served.stop()
    served = await startServe(dataDir)
    const problems = await open(page, '#/history')
    await page.getByTestId('history-search').fill(lots[1]!)
    const row = page.getByTestId('history').locator(`[data-job-id="${lotJobId}"]`)
    await expect(row).toBeVisible()
    await expect(page.getByTestId('history').locator('tbody tr[data-job-id]')).toHaveCount(1)
    await row.getByRole('link').click()
    await expect(page.getByTestId('result-job-id')).toHaveText(lotJobId)
    await page.locator('[data-tab="materials"]').click()
    await expect(page.getByRole('grid').locator('[aria-rowindex="3"]')).toBeVisible()
    expect(problems).toEqual([])
  })
})
