/**
 * MSD through the command line on a small demo plant: `run --json` carries the aggregation (its
 * population checked against SQL written here), `show` prints it, and `export` writes the detail
 * rows as CSV with the original's headers and as an XLSX workbook.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { openResultFile } from '../../../main/store/index.js'
import { drillOfSuspect } from '../../../renderer/src/drill.js'
import { BACKWARD_DETAIL_COLUMNS, FORWARD_DETAIL_COLUMNS, type BackwardAggregation, type ForwardAggregation } from '../../../shared/msd.js'
import { runCli, runCliJson } from '../../fixtures/cli-io.js'


describe('MSD on the command line', () => {
  let dir: string
  let plant: DemoSummary
  let dataDir: string
  let backward: { job_id: string; result_file: string; aggregation: BackwardAggregation }
  let forward: { job_id: string; aggregation: ForwardAggregation }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-msd-cli-'))
    dataDir = join(dir, 'data')
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 2000, seed: 'msd-cli' })
    const common = ['--source', `sqlite:${plant.out}`, '--profile', 'mid_section_defect', '--from', plant.startDate, '--to', plant.endDate, '--data-dir', dataDir]
    backward = await runCliJson('run', ...common)
    forward = await runCliJson('run', ...common, '--direction', 'forward', '--station', '成型')
  }, 180_000)

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('returns the backward aggregation under the original key names, its population counted independently', () => {
    const a = backward.aggregation
    expect(Object.keys(a.charts).sort()).toEqual(['by_detection_machine', 'by_loss_reason', 'by_machine', 'by_material', 'by_wafer_root'])
    for (const key of ['kpi', 'daily_trend', 'available_loss_reasons', 'genealogy_status', 'detail_total_count', 'attribution', 'suspects']) {
      expect(a, key).toHaveProperty(key)
    }
    const raw = new Database(plant.out, { readonly: true })
    try {
      const window = [`${plant.startDate} 00:00:00`, `${plant.endDate} 23:59:59`]
      // Lots tracked in on a machine at final test inside the window; input = the latest track-in's largest TRACKINQTY.
      const population = raw
        .prepare(
          `WITH t AS (SELECT CONTAINERID, TRACKINTIMESTAMP, TRACKINQTY FROM DW_MES_LOTWIPHISTORY
             WHERE (WORKCENTERNAME LIKE '%測試%' OR UPPER(WORKCENTERNAME) LIKE '%TMTT%') AND EQUIPMENTID IS NOT NULL
               AND TRACKINTIMESTAMP BETWEEN ? AND ?),
           latest AS (SELECT CONTAINERID, MAX(TRACKINTIMESTAMP) AS ti FROM t GROUP BY CONTAINERID)
           SELECT COUNT(*) AS lots, SUM(q) AS input FROM (
             SELECT l.CONTAINERID, MAX(t.TRACKINQTY) AS q FROM latest l JOIN t ON t.CONTAINERID = l.CONTAINERID AND t.TRACKINTIMESTAMP = l.ti
             GROUP BY l.CONTAINERID)`,
        )
        .get(...window) as { lots: number; input: number }
      const defects = raw
        .prepare(
          `SELECT SUM(COALESCE(REJECTQTY,0)+COALESCE(STANDBYQTY,0)+COALESCE(QTYTOPROCESS,0)+COALESCE(INPROCESSQTY,0)+COALESCE(PROCESSEDQTY,0)+COALESCE(DEFECTQTY,0)) AS qty
           FROM DW_MES_LOTREJECTHISTORY WHERE (WORKCENTERNAME LIKE '%測試%' OR UPPER(WORKCENTERNAME) LIKE '%TMTT%') AND TXNDATE BETWEEN ? AND ?
             AND CONTAINERID IN (SELECT CONTAINERID FROM DW_MES_LOTWIPHISTORY WHERE (WORKCENTERNAME LIKE '%測試%' OR UPPER(WORKCENTERNAME) LIKE '%TMTT%')
               AND EQUIPMENTID IS NOT NULL AND TRACKINTIMESTAMP BETWEEN ? AND ?)`,
        )
        .get(...window, ...window) as { qty: number }
      expect(a.kpi.lot_count).toBe(population.lots)
      expect(a.kpi.total_input).toBe(population.input)
      expect(a.kpi.total_defect_qty).toBe(defects.qty)
      expect(a.kpi.total_defect_rate).toBeCloseTo((defects.qty / population.input) * 100, 4)
    } finally {
      raw.close()
    }
    expect(a.daily_trend.reduce((n, d) => n + d.input_qty, 0)).toBe(a.kpi.total_input)
    expect(a.charts.by_detection_machine.reduce((n, d) => n + d.lot_count, 0)).toBe(a.kpi.lot_count)
    // The list's first 100 in order, then the next ranked ones of each factor type (for the charts).
    const ranks = a.suspects.filter((s) => s.rank !== null).map((s) => s.rank!)
    expect(ranks.slice(0, 100)).toEqual(ranks.slice(0, 100).map((_, i) => i + 1))
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y))
    // The first 100 are nearly all materials here; the machine chart still gets its top ten.
    expect(a.suspects.filter((s) => s.factor_type === 'machine' && s.rank !== null).length).toBeGreaterThanOrEqual(10)
  })

  it('returns the forward aggregation with its own keys', () => {
    const a = forward.aggregation
    expect(a.direction).toBe('forward')
    expect(Object.keys(a.charts).sort()).toEqual(['by_detection_machine', 'by_downstream_loss_reason', 'by_downstream_machine', 'by_downstream_station'])
    expect(a.attribution).toEqual([])
    expect(a.detail_total_count).toBe(a.kpi.defect_lot_count)
    expect(a.charts.by_downstream_station.every((s) => s.order > 4)).toBe(true)
  })

  it('with --pushdown on, has the source summarize the events: no events copied, the same aggregations both ways, said in the answer', async () => {
    const common = ['--source', `sqlite:${plant.out}`, '--profile', 'mid_section_defect', '--from', plant.startDate, '--to', plant.endDate, '--data-dir', dataDir]
    const pushed = await runCliJson<{ job_id: string; pushdown: boolean; domains: Record<string, unknown>; aggregation: BackwardAggregation }>('run', ...common, '--pushdown', 'on')
    expect(pushed.pushdown).toBe(true)
    expect(pushed.domains).toEqual({})
    expect(pushed.aggregation).toEqual(backward.aggregation)
    expect((backward as unknown as { pushdown: boolean }).pushdown).toBe(false)
    const pushedForward = await runCliJson<{ pushdown: boolean; domains: Record<string, unknown>; aggregation: ForwardAggregation }>(
      'run', ...common, '--direction', 'forward', '--station', '成型', '--pushdown', 'on',
    )
    expect([pushedForward.pushdown, pushedForward.domains]).toEqual([true, {}])
    expect(pushedForward.aggregation.charts.by_downstream_station.length).toBeGreaterThan(0)
    expect(pushedForward.aggregation).toEqual(forward.aggregation)
    // show says it of the stored job, not "lineage only".
    const shown = await runCli('show', pushed.job_id, '--data-dir', dataDir)
    expect(shown.out).toMatch(/^Domains {7}none fetched$/m)
    expect(shown.out).toMatch(/^Pushdown {6}the source summarized the events the analysis reads \(none copied\)$/m)
    expect((await runCli('show', backward.job_id, '--data-dir', dataDir)).out).not.toContain('Pushdown')
    // The text answer says it too.
    const text = await runCli('run', ...common, '--pushdown', 'on', '--force')
    expect(text.code, text.err).toBe(0)
    expect(text.out).toMatch(/^Pushdown {6}the source summarized the events the analysis reads \(none copied\)$/m)
  })

  it('refuses a bad --pushdown, and on for another profile, naming the flag', async () => {
    const common = ['--source', `sqlite:${plant.out}`, '--data-dir', dataDir, '--json']
    const window = ['--profile', 'mid_section_defect', '--from', plant.startDate, '--to', plant.endDate]
    for (const argv of [
      [...window, '--pushdown', 'maybe'],
      ['--profile', 'query_tool', '--lot-ids', 'GA1', '--pushdown', 'on'],
    ]) {
      const r = await runCli('run', ...common, ...argv)
      expect(r.code).not.toBe(0)
      const answer = JSON.parse(r.out) as { error: { code: string; details: { field: string } } }
      expect(answer.error.code).toBe('input/invalid')
      expect(answer.error.details.field).toBe('--pushdown')
    }
  })

  it('prints the suspects in show', async () => {
    const shown = await runCli('show', backward.job_id, '--data-dir', dataDir)
    expect(shown.code, shown.err).toBe(0)
    expect(shown.out).toMatch(/MSD backward at 測試/)
    expect(shown.out).toMatch(/ {4}1\. (machine|material|wafer root) /)
    const summary = backward.aggregation.suspect_summary
    expect(shown.out).toContain(
      `Suspects      ${summary.significant} significant of ${summary.total - summary.no_contrast} factors tested (FDR q ≤ 5%): ` +
        `${summary.independent} independent, ${summary.explained} explained by another`,
    )
    // Each top suspect says its q-value and what the analysis concluded about it.
    expect(shown.out).toMatch(/ {4}1\. .*\n {7}\d+\/\d+ lots defective, .*, p \S+, q \S+\n {7}(independent|explained by|not significant)/)
    expect(shown.out).toContain(`Detail rows   ${backward.aggregation.detail_total_count}`)
  })

  it('drills from each ranked suspect to exactly its lots: the detail rows (one per lot and reason) hold as many distinct lots', () => {
    const reader = openResultFile(backward.result_file)
    try {
      const ranked = backward.aggregation.suspects.filter((s) => s.rank !== null).slice(0, 8)
      expect(ranked.length).toBeGreaterThan(0)
      for (const s of ranked) {
        const lots = new Set<unknown>()
        let rows = 0
        for (let offset = 0; ; offset += 1000) {
          const page = reader.msdPage('detail', { offset, limit: 1000, filter: drillOfSuspect(s).detail })
          for (const row of page.rows) lots.add(row.CONTAINERID)
          rows += page.rows.length
          if (offset + 1000 >= page.total) break
        }
        expect(lots.size, `${s.factor_type} ${s.name}`).toBe(s.lots)
        expect(rows).toBeGreaterThanOrEqual(s.lots)
      }
    } finally {
      reader.close()
    }
  })

  it('pages the detail rows and the suspect list from the result file', async () => {
    type Page = { total: number; offset: number; rows: Record<string, unknown>[] }
    const first = await runCliJson<Page>('show', backward.job_id, '--detail', '--limit', '5', '--data-dir', dataDir)
    expect(first.total).toBe(backward.aggregation.detail_total_count)
    expect(first.rows).toHaveLength(5)
    expect(Object.keys(first.rows[0]!)).toEqual(['CONTAINERID', ...BACKWARD_DETAIL_COLUMNS.map((c) => c.key)])
    // The stored order is by defect rate, highest first.
    const rates = first.rows.map((r) => r.DEFECT_RATE as number)
    expect(rates).toEqual([...rates].sort((x, y) => y - x))
    const last = await runCliJson<Page>('show', backward.job_id, '--detail', '--offset', String(first.total - 2), '--limit', '5', '--sort', 'INPUT_QTY:desc', '--data-dir', dataDir)
    expect(last.rows).toHaveLength(2)
    const suspects = await runCliJson<Page>('show', backward.job_id, '--suspects', '--limit', '3', '--data-dir', dataDir)
    expect(suspects.rows.map((r) => [r.rank, r.name])).toEqual(backward.aggregation.suspects.slice(0, 3).map((s) => [s.rank, s.name]))
    const bad = await runCli('show', backward.job_id, '--detail', '--sort', 'NOPE', '--data-dir', dataDir)
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('[input/invalid] --sort: unknown detail column "NOPE"')
  })

  it('exports the detail rows as CSV with the original headers', async () => {
    const path = join(dir, 'detail.csv')
    const r = await runCliJson<{ files: { table: string; rows: number }[] }>('export', backward.job_id, '--format', 'csv', '--detail', '--out', path, '--data-dir', dataDir)
    expect(r.files).toEqual([expect.objectContaining({ table: 'msd_detail', rows: backward.aggregation.detail_total_count })])
    const text = await readFile(path, 'utf8')
    expect(text.startsWith('\uFEFF')).toBe(true)
    const lines = text.slice(1).split('\r\n')
    expect(lines[0]).toBe(BACKWARD_DETAIL_COLUMNS.map((c) => c.header).join(','))
    expect(lines[0]).toBe('LOT ID,TYPE,PACKAGE,WORKFLOW,完工流水碼,偵測設備,投入數,不良原因,不良數,不良率(%),上游LOT數,上游台數,上游機台,上游原物料,源頭批次,嫌疑命中數,嫌疑命中')
    expect(lines.length - 2).toBe(backward.aggregation.detail_total_count)

    const fwd = join(dir, 'forward.csv')
    await runCliJson('export', forward.job_id, '--format', 'csv', '--detail', '--out', fwd, '--data-dir', dataDir)
    expect((await readFile(fwd, 'utf8')).slice(1).split('\r\n')[0]).toBe(FORWARD_DETAIL_COLUMNS.map((c) => c.header).join(','))
    const noSuspects = await runCli('export', forward.job_id, '--format', 'csv', '--suspects', '--out', join(dir, 's.csv'), '--data-dir', dataDir)
    expect(noSuspects.code).toBe(2)
    expect(noSuspects.err).toContain('[input/invalid] --suspects:')
  })

  it('exports a workbook with the detail, the suspects and each domain', async () => {
    const path = join(dir, 'msd.xlsx')
    const r = await runCliJson<{ files: { sheets: { name: string; rows: number }[] }[] }>('export', backward.job_id, '--format', 'xlsx', '--out', path, '--data-dir', dataDir)
    const sheets = r.files[0]!.sheets
    expect(sheets.map((s) => s.name)).toEqual(['LOT 明細', 'Suspects', 'upstream_history', 'materials'])
    expect(sheets[0]!.rows).toBe(backward.aggregation.detail_total_count)
    expect(sheets[1]!.rows).toBe(backward.aggregation.suspect_summary.total)
    const book = new ExcelJS.Workbook()
    await book.xlsx.readFile(path)
    const detail = book.getWorksheet('LOT 明細')!
    expect(detail.getRow(1).values).toEqual([undefined, ...BACKWARD_DETAIL_COLUMNS.map((c) => c.header)])
    expect(detail.actualRowCount).toBe(backward.aggregation.detail_total_count + 1)
    // Numbers stay numbers: the input column of the first lot.
    expect(typeof detail.getRow(2).getCell(7).value).toBe('number')
  })
})
