import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import Database from 'better-sqlite3'
import { EQUIPMENT_REJECT_COLUMNS, type EquipmentJobs, type EquipmentLotsPage, type EquipmentRejects, type EquipmentTimeline, type MachineList } from '../../shared/equipment'
import type { SourceProfile } from '../../shared/api'
import { parseCsv } from '../fixtures/csv'
import { atLocaleAndSize, call, SCREEN_SIZES, SCREENS_DIR, shootEachLocaleAndSize, startServe, watchConsole, type Served } from './support/serve'

/**
 * The equipment tab (original-ui.md §1) in Chromium through `mes-trace serve` on the 2 000-lot demo
 * plant: wire-bond machines picked in the grouped picker over the default range (the last 30 days
 * of the data); each sub-view shows what its channel answers (lots total, job rows, scrap groups,
 * timeline lanes and status hours); a job row expands; the scrap export downloads the groups; the
 * URL keeps the conditions through a reload and Back. Screenshots of each sub-view at 1920×1080
 * and 1366×768 in English and Traditional Chinese land in `SCREENS_DIR`/equipment-*.png. A second
 * saved source, the plant without its optional `DW_MES_RESOURCE` and `DW_MES_RESOURCESTATUS_SHIFT`,
 * shows each view naming the table it lacks.
 */
const LOCALES = ['en', 'zh-TW'] as const
const BOM = '\uFEFF'

test.describe.configure({ mode: 'serial' })

test.describe('equipment tab (browser host, 2 000-lot demo plant)', () => {
  let dataDir = ''
  let served: Served

  test.beforeAll(async () => {
    test.setTimeout(120_000)
    mkdirSync(SCREENS_DIR, { recursive: true })
    dataDir = mkdtempSync(join(tmpdir(), 'mes-trace-equipment-'))
    served = await startServe(dataDir)
  })

  test.afterAll(async () => {
    await served?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  test('wire-bond machines over the default range: every sub-view shows its answer; expand, export, reload, Back', async ({ page }) => {
    test.setTimeout(90_000)
    const problems = await atLocaleAndSize(page, 'en', SCREEN_SIZES[0].width, SCREEN_SIZES[0].height)
    // Every frame the page sends, to tell when switching tabs asks the host again.
    const sent: string[] = []
    page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))))
    const equipmentCalls = () => sent.filter((f) => f.includes('"channel":"equipment:')).length
    await page.goto(`${served.url}#/new`)
    await page.getByTestId('nav-equipment').click()
    await expect(page).toHaveURL(/#\/equipment/)

    const [source] = await call<SourceProfile[]>(page, 'sources:list', {})
    const list = await call<MachineList>(page, 'equipment:machines', { id: source!.id })
    expect(list.from).toBe('resource')
    const range = list.default_range!
    expect(range.end).toBe('2026-10-31')
    await expect(page.getByTestId('equipment-start')).toHaveValue(range.start)
    await expect(page.getByTestId('equipment-end')).toHaveValue(range.end)

    // Nothing chosen: the form says which field, and nothing is sent.
    await page.getByTestId('equipment-query').click()
    await expect(page.getByTestId('equipment-problems')).toHaveText('Machines: choose at least one.')

    // Two or three wire bonders of one station, GWBE-0029 among them when the plant has it.
    const bonders = list.machines.filter((m) => m.station === '焊接_WB' && m.name.startsWith('GWB'))
    const picked = [...bonders.filter((m) => m.name === 'GWBE-0029'), ...bonders.filter((m) => m.name !== 'GWBE-0029')].slice(0, 3)
    expect(picked.length).toBeGreaterThanOrEqual(2)
    await page.getByTestId('machine-picker-button').click()
    const station = page.locator('[data-testid="machine-picker-menu"] fieldset[data-station="焊接_WB"]')
    await expect(station.locator('legend')).toContainText(String(list.machines.filter((m) => m.station === '焊接_WB').length))
    for (const m of picked) {
      await page.getByTestId('machine-search').fill(m.name)
      await page.locator(`label.option[data-value="${m.resource_id}"] input`).check()
    }
    await page.getByTestId('machine-search').fill('')
    // The chosen ones lead the list in the order picked (the timeline's lanes follow it).
    await expect(page.getByTestId('machine-chosen').locator('button')).toHaveText(picked.map((m) => `${m.name} ×`))
    for (const size of SCREEN_SIZES) {
      await page.setViewportSize(size)
      await page.screenshot({ path: join(SCREENS_DIR, `equipment-picker-en-${size.width}.png`) })
    }
    await page.setViewportSize(SCREEN_SIZES[0])
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('machine-picker-summary')).toHaveText(`${picked.length} selected`)
    await expect(page.getByTestId('equipment-limits')).toContainText(`Machines ${picked.length} / ${list.limits.max_machines} · 30 days`)

    const q = { id: source!.id, equipment_ids: picked.map((m) => m.resource_id), start_date: range.start, end_date: range.end }
    const [lots, jobs, rejects, timeline] = await Promise.all([
      call<EquipmentLotsPage>(page, 'equipment:lots', { ...q, offset: 0, limit: 1 }),
      call<EquipmentJobs>(page, 'equipment:jobs', q),
      call<EquipmentRejects>(page, 'equipment:rejects', q),
      call<EquipmentTimeline>(page, 'equipment:timeline', q),
    ])
    expect(lots.total).toBeGreaterThan(0)

    // Lots: the total, the lot column first.
    await page.getByTestId('equipment-query').click()
    await expect(page.getByTestId('equipment-lots-total')).toHaveAttribute('data-total', String(lots.total))
    const grid = page.getByTestId('equipment-panel-lots').getByRole('grid')
    await expect(grid.getByRole('columnheader').first()).toContainText('Lot ID')
    await expect(grid.locator('tbody tr.vt-row').first()).toContainText(String(lots.rows[0]!.CONTAINERNAME))
    const url = new URL(page.url().replace('#/', ''))
    expect(url.searchParams.getAll('machine')).toEqual(q.equipment_ids)
    expect([url.searchParams.get('start'), url.searchParams.get('end'), url.searchParams.get('view')]).toEqual([range.start, range.end, 'lots'])
    await shootEachLocaleAndSize(page, 'equipment-lots')

    // Repair jobs: a row per job; a row opens to its details.
    await page.getByRole('tab', { name: 'Repair jobs' }).click()
    await expect(page.getByTestId('equipment-jobs-count')).toHaveAttribute('data-count', String(jobs.rows.length))
    await expect(page.getByTestId('equipment-job-row')).toHaveCount(jobs.rows.length)
    expect(jobs.rows.length).toBeGreaterThan(0)
    await page.getByTestId('equipment-job-expand').first().click()
    await expect(page.getByTestId('equipment-job-detail')).toHaveCount(1)
    await expect(page.getByTestId('equipment-job-detail')).toContainText(String(jobs.rows[0]!.RESOURCEID))
    await expect(page.getByTestId('equipment-job-expand').first()).toHaveAttribute('aria-expanded', 'true')
    await shootEachLocaleAndSize(page, 'equipment-jobs')

    // Scrap: the groups, charge-off named as such; the export downloads them.
    await page.getByRole('tab', { name: 'Scrap' }).click()
    await expect(page.getByTestId('equipment-rejects-count')).toHaveAttribute('data-count', String(rejects.rows.length))
    await expect(page.getByTestId('equipment-rejects-table-row')).toHaveCount(rejects.rows.length)
    await expect(page.getByTestId('equipment-rejects-table').locator('th[title="TOTAL_CHARGE_OFF_QTY"]')).toHaveText('Charge-off scrap')
    const downloading = page.waitForEvent('download')
    await page.getByTestId('equipment-export-rejects').getByTestId('equipment-export-run').click()
    const download = await downloading
    const text = readFileSync((await download.path())!, 'utf8')
    const records = parseCsv(text.startsWith(BOM) ? text.slice(BOM.length) : text)
    expect(records[0]).toEqual([...EQUIPMENT_REJECT_COLUMNS])
    expect(records.length - 1).toBe(rejects.rows.length)
    await expect(page.getByTestId('equipment-export-done')).toContainText(download.suggestedFilename())
    await shootEachLocaleAndSize(page, 'equipment-rejects')

    // Timeline: a lane per machine, every lot and job drawn, status hours per machine.
    await page.getByRole('tab', { name: 'Timeline' }).click()
    const chart = page.getByTestId('equipment-timeline-chart')
    await expect(chart).toHaveAttribute('data-lanes', String(picked.length))
    await expect(chart).toHaveAttribute('data-lots', String(timeline.lots.length))
    await expect(chart).toHaveAttribute('data-jobs', String(timeline.jobs.filter((j) => j.created ?? j.completed).length))
    expect(Number(await chart.getAttribute('data-bands'))).toBeGreaterThan(0)
    await expect(page.getByTestId('equipment-hours-table-row')).toHaveCount(timeline.hours!.length)
    await shootEachLocaleAndSize(page, 'equipment-timeline')

    // Switching back asks nothing again: the held answers show at once.
    const before = equipmentCalls()
    expect(before).toBeGreaterThanOrEqual(4)
    await page.getByRole('tab', { name: 'Lots' }).click()
    await page.getByRole('tab', { name: 'Repair jobs' }).click()
    await expect(page.getByTestId('equipment-job-row')).toHaveCount(jobs.rows.length)
    await page.getByRole('tab', { name: 'Timeline' }).click()
    await expect(page.getByTestId('equipment-timeline-chart')).toHaveAttribute('data-lanes', String(picked.length))
    expect(equipmentCalls()).toBe(before)

    // A reload shows the same conditions and view.
    await page.reload()
    await expect(page.getByRole('tab', { name: 'Timeline' })).toHaveAttribute('aria-selected', 'true')
    await expect(page.getByTestId('equipment-timeline-chart')).toHaveAttribute('data-lanes', String(picked.length))
    await expect(page.getByTestId('machine-picker-summary')).toHaveText(`${picked.length} selected`)

    // A narrower period queried, then Back: the earlier conditions and answer return.
    await page.getByTestId('equipment-start').fill(range.end)
    await page.getByTestId('equipment-query').click()
    await expect(page.getByTestId('equipment-conditions')).toContainText(`${range.end} to ${range.end}`)
    await page.goBack()
    await expect(page.getByTestId('equipment-start')).toHaveValue(range.start)
    await expect(page.getByTestId('equipment-conditions')).toContainText(`${range.start} to ${range.end}`)
    await expect(page.getByTestId('equipment-timeline-chart')).toHaveAttribute('data-lots', String(timeline.lots.length))
    expect(problems).toEqual([])
  })

  test('a source without DW_MES_RESOURCE and DW_MES_RESOURCESTATUS_SHIFT: machines from history, each view names the table it lacks', async ({ page }) => {
    test.setTimeout(45_000)
    const problems = watchConsole(page)
    await page.addInitScript(() => localStorage.setItem('mes-trace:locale', 'en'))
    await page.setViewportSize(SCREEN_SIZES[0])
    await page.goto(`${served.url}#/new`)
    const copy = join(dataDir, 'plant-without-resource-tables.sqlite')
    copyFileSync(join(dataDir, 'demo', 'plant.sqlite'), copy)
    const db = new Database(copy)
    try {
      db.exec('DROP TABLE DW_MES_RESOURCE; DROP TABLE DW_MES_RESOURCESTATUS_SHIFT')
    } finally {
      db.close()
    }
    const source = await call<SourceProfile>(page, 'sources:add', { name: 'Plant without machine tables', kind: 'sqlite', path: copy })
    const list = await call<MachineList>(page, 'equipment:machines', { id: source.id })
    expect(list.from).toBe('history')
    expect(list.missing_tables).toEqual(expect.arrayContaining(['DW_MES_RESOURCE', 'DW_MES_RESOURCESTATUS_SHIFT']))
    expect(list.machines.length).toBeGreaterThan(0)
    const range = list.default_range!

    await page.getByTestId('nav-equipment').click()
    await page.getByTestId('equipment-source').selectOption(source.id)
    await expect(page.getByTestId('equipment-machines-from-history')).toContainText('DW_MES_RESOURCE')
    await expect(page.getByTestId('equipment-start')).toHaveValue(range.start)

    // A wire bonder that tracked lots in over the range (the list is made of such machines).
    const machine = list.machines.find((m) => m.name.startsWith('GWB')) ?? list.machines[0]!
    await page.getByTestId('machine-picker-button').click()
    await page.getByTestId('machine-search').fill(machine.name)
    await page.locator(`label.option[data-value="${machine.resource_id}"] input`).check()
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('machine-picker-summary')).toHaveText(machine.name)
    const q = { id: source.id, equipment_ids: [machine.resource_id], start_date: range.start, end_date: range.end }
    const timeline = await call<EquipmentTimeline>(page, 'equipment:timeline', q)
    expect(timeline.status).toBeNull()
    expect(timeline.hours).toBeNull()
    expect(timeline.missing_tables).toContain('DW_MES_RESOURCESTATUS_SHIFT')
    expect(timeline.lots.length).toBeGreaterThan(0)

    // The timeline draws the lots and jobs, no status bands, and says which table is missing.
    await page.getByTestId('equipment-query').click()
    await page.getByRole('tab', { name: 'Timeline' }).click()
    const chart = page.getByTestId('equipment-timeline-chart')
    await expect(chart).toHaveAttribute('data-lanes', '1')
    await expect(chart).toHaveAttribute('data-lots', String(timeline.lots.length))
    await expect(chart).toHaveAttribute('data-jobs', String(timeline.jobs.filter((j) => j.created ?? j.completed).length))
    await expect(chart).toHaveAttribute('data-bands', '0')
    await expect(page.getByTestId('equipment-timeline-no-status')).toContainText('DW_MES_RESOURCESTATUS_SHIFT')
    await expect(page.getByTestId('equipment-hours-missing')).toContainText('DW_MES_RESOURCESTATUS_SHIFT')
    await expect(page.getByTestId('equipment-hours-table-row')).toHaveCount(0)
    // No status-hours export is offered; asked anyway, the host names the table before any file.
    await expect(page.getByTestId('equipment-export-status_hours')).toHaveCount(0)
    const refused = await call(page, 'equipment:export', { ...q, table: 'status_hours', format: 'csv' }).then(
      () => 'exported',
      (e: Error) => e.message,
    )
    expect(refused).toContain('"code":"source/schema"')
    expect(refused).toContain('DW_MES_RESOURCESTATUS_SHIFT')

    for (const locale of LOCALES) {
      await page.getByTestId('language').selectOption(locale)
      await page.waitForTimeout(300)
      await page.screenshot({ path: join(SCREENS_DIR, `equipment-missing-tables-${locale}-${SCREEN_SIZES[0].width}.png`), fullPage: true })
    }
    await expect(page.getByTestId('equipment-machines-from-history')).toContainText('DW_MES_RESOURCE')
    await expect(page.getByTestId('equipment-hours-missing')).toContainText('DW_MES_RESOURCESTATUS_SHIFT')
    expect(problems).toEqual([])
  })
})
