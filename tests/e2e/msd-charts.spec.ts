import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import type { BackwardAggregation, ForwardAggregation, MsdAggregation } from '../../shared/msd'
import { startServe, watchConsole, type Served, call } from './support/serve'

/**
 * The MSD dashboard's charts in Chromium through `mes-trace serve` on the demo plant: the factor
 * charts agree with the suspect list (same order, the planted wire bonder first), the attributed
 * volume is a labelled toggle, the bonder's time view shows its onset, the daily trend is a
 * p-chart; a forward run shows its station table with the amplification defined and loss-reason
 * rates that are not all zero.
 */
test.describe.configure({ mode: 'serial' })

test.describe('MSD charts (browser host, demo plant)', () => {
  let dataDir = ''
  let served: Served

  test.beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mes-trace-charts-'))
    served = await startServe(dataDir)
  })

  test.afterAll(async () => {
    await served?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })


  /** Starts an MSD run from the form and waits for its dashboard; its job id and aggregation. */
  async function runMsd(page: Page, profile: 'msd_backward' | 'msd_forward', more: { station?: string; reasons?: string } = {}) {
    await page.goto(`${served.url}#/new`)
    await page.getByTestId(`profile-${profile}`).check()
    if (more.station) await page.getByTestId('station').selectOption(more.station)
    if (more.reasons) await page.getByTestId('loss-reasons').fill(more.reasons)
    await page.getByTestId('start-date').fill('2026-09-02')
    await page.getByTestId('end-date').fill('2026-10-31')
    await page.getByTestId('submit').click()
    await expect(page).toHaveURL(/#\/jobs\/trace-evt-/)
    await expect(page.getByTestId('msd-dashboard')).toBeVisible({ timeout: 150_000 })
    const jobId = /trace-evt-[0-9a-f]{12}/.exec(page.url())![0]
    return { jobId, aggregation: await call<MsdAggregation>(page, 'results:aggregation', { job_id: jobId }) }
  }

  /** The names a chart's keyboard list holds, in order. */
  async function listed(page: Page, chart: string): Promise<string[]> {
    const box = page.locator(`[data-chart="${chart}"]`)
    const details = box.locator('details.bars')
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click()
    return box.locator('details.bars button[data-bar]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-bar') ?? ''))
  }

  test('a backward run: factor charts in the suspect list’s order, the volume toggle, the bonder’s time view and a p-chart', async ({ page }) => {
    test.setTimeout(240_000)
    const problems = watchConsole(page)
    await page.setViewportSize({ width: 1366, height: 768 })
    const run = await runMsd(page, 'msd_backward')
    const a = run.aggregation as BackwardAggregation
    expect(a.direction).toBe('backward')

    // Each factor chart shows the ranked suspects of its type exactly as the suspect list orders them.
    for (const [chart, type] of [['by_machine', 'machine'], ['by_material', 'material'], ['by_wafer_root', 'wafer_root']] as const) {
      const expected = a.suspects.filter((s) => s.factor_type === type && s.rank !== null).slice(0, 10).map((s) => s.name)
      expect(await listed(page, chart), chart).toEqual(expected)
    }
    const machines = page.locator('[data-chart="by_machine"]')
    expect((await listed(page, 'by_machine'))[0]).toBe('GWBE-0029')
    await expect(machines.locator('.factor-chart')).toHaveAttribute('data-view', 'ranked')
    await expect(machines.locator('canvas').first()).toBeVisible()
    await expect(machines.getByTestId('factor-caption')).toContainText('at least 3 lots on each side')
    await expect(machines.locator('[data-testid="factor-key"] [data-class="significant"]')).toHaveText('Significant, independent')

    // The attributed volume is a toggle, labelled as what it is, with 其他 as a note.
    await machines.locator('.mode-button[data-mode="volume"]').click()
    await expect(machines.getByTestId('factor-caption')).toContainText('A lot counts for every factor it touched')
    await expect(machines.getByTestId('other-note')).toContainText('not drawn as a bar')
    expect(await listed(page, 'by_machine')).toEqual(a.charts.by_machine.filter((i) => i.name !== '其他').map((i) => i.name))
    // One switch for all three factor charts.
    await expect(page.locator('[data-chart="by_material"] .factor-chart')).toHaveAttribute('data-view', 'volume')
    // A volume bar still drills down to its lots.
    const topVolume = a.charts.by_machine[0]!.name
    await machines.locator(`details.bars button[data-bar="${topVolume}"]`).click()
    await expect(page.getByTestId('drill-panel')).toContainText(`Machine: `)
    await expect(page.getByTestId('drill-panel')).toContainText(topVolume)
    await page.getByTestId('drill-close').click()
    await machines.locator('.mode-button[data-mode="ranked"]').click()

    // The bonder's drill-down opens its time view, with its onset.
    const bonder = a.suspects.find((s) => s.name === 'GWBE-0029')!
    expect(bonder.onset).not.toBeNull()
    expect(await listed(page, 'by_machine')).toContain('GWBE-0029')
    await machines.locator('details.bars button[data-bar="GWBE-0029"]').click()
    await expect(page.getByTestId('drill-panel')).toContainText('焊接_WB/GWBE-0029')
    await page.getByTestId('drill-timeline').click()
    const view = page.getByTestId('time-view')
    await expect(view).toBeVisible()
    await expect(view.locator('#time-view-heading')).toHaveText('Time view: Machine GWBE-0029')
    await expect(view.getByTestId('onset')).toHaveAttribute('data-onset', bonder.onset!)
    await expect(view.getByTestId('onset')).toContainText(`Onset ${bonder.onset}`)
    await expect(view.locator('canvas').first()).toBeVisible()
    await view.getByTestId('time-view-close').click()
    await expect(view).toBeHidden()

    // A wafer lot has no time view, and says why.
    const root = (await listed(page, 'by_wafer_root'))[0]!
    await page.locator(`[data-chart="by_wafer_root"] details.bars button[data-bar="${root}"]`).click()
    await page.getByTestId('drill-timeline').click()
    await expect(view.getByTestId('time-view-absent')).toHaveAttribute('data-reason', 'wafer_root')
    await page.keyboard.press('Escape')
    await expect(view).toBeHidden()

    // The daily trend is a p-chart.
    const trend = page.locator('[data-chart="trend"] .trend-chart')
    await expect(trend).toHaveAttribute('data-kind', 'p-chart')
    await expect(trend.getByTestId('p-chart-caption')).toContainText('3σ limits')
    await expect(trend.locator('canvas').first()).toBeVisible()
    expect(problems).toEqual([])
  })

  test('a forward run from 成型: the station table with the amplification defined, and loss-reason rates over the tracked lots', async ({ page }) => {
    test.setTimeout(240_000)
    const problems = watchConsole(page)
    await page.setViewportSize({ width: 1366, height: 768 })
    const run = await runMsd(page, 'msd_forward', { station: '成型', reasons: '061_SHORT_MOLD' })
    const a = run.aggregation as ForwardAggregation
    expect(a.direction).toBe('forward')

    const table = page.getByTestId('forward-stations')
    const inFlowOrder = [...a.charts.by_downstream_station].sort((x, y) => x.order - y.order).map((s) => s.name)
    expect(inFlowOrder.length).toBeGreaterThan(1)
    await expect(table.locator('tbody tr')).toHaveCount(inFlowOrder.length)
    expect(await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-station')))).toEqual(inFlowOrder)
    const first = a.charts.by_downstream_station.find((s) => s.name === inFlowOrder[0])!
    await expect(table.locator('tbody tr').first().locator('td.rate')).toHaveText(`${first.defect_rate.toFixed(2)} %`)
    await expect(table.getByTestId('amplification')).toContainText(/^Amplification ×\d+\.\d\d = downstream reject rate of the tracked lots \(\d+\.\d\d %\) ÷ their defect rate at 成型/)

    // Loss-reason rates are over the tracked lots' downstream input, not all 0 %.
    const reasons = a.charts.by_downstream_loss_reason
    expect(reasons.some((r) => r.defect_rate > 0)).toBe(true)
    const box = page.locator('[data-chart="by_downstream_loss_reason"]')
    await box.locator('details.bars summary').click()
    await expect(box.locator('details.bars li .bar-numbers').first()).not.toContainText('· 0.00 % ·')

    // A machine the source does not know (the demo's later rejects booked without one) is shown in words.
    expect(a.charts.by_downstream_machine.map((m) => m.name)).toContain('(NA)')
    const machines = page.locator('[data-chart="by_downstream_machine"]')
    await machines.locator('details.bars summary').click()
    await expect(machines.locator('details.bars button[data-bar="(NA)"]')).toHaveText('machine unknown')
    expect(problems).toEqual([])
  })
})
