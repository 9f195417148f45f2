// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ResultSummary } from '../../../shared/api'
import type { RequestSummary } from '../../../shared/jobs'
import type { EventRow, LineageResult } from '../../../shared/trace'
import { suspectRow, type BackwardAggregation } from '../../../shared/msd'
import ResultView from '../../../renderer/src/views/ResultView.vue'
import { fakeApi, type FakeApi } from './fake-api'
import { jobView } from '../../fixtures/job-view'
import { mountView, settle, type Mounted } from './mount-app'
import { bigForwardLineage } from './charts/fixtures'

const JOB = 'trace-evt-0000000000b1'

function summary(over: Partial<ResultSummary> = {}): ResultSummary {
  return {
    job_id: JOB,
    file_job_id: JOB,
    app_version: '1.0.0',
    result_file: `/data/results/${JOB}.sqlite`,
    request: { profile: 'query_tool', direction: 'forward', seed: { mode: 'containers', resolve_type: 'lot_id', values: ['GA26090011-A07', 'NOPE-1'] }, station: null, loss_reasons: [], domains: ['history', 'materials'] },
    source: 'sqlite:/data/plant.sqlite',
    as_of: new Date(2026, 10, 28, 9, 30).getTime(),
    domains: ['history', 'materials'],
    row_counts: { history: 84, materials: 47 },
    columns: { history: ['CONTAINERID', 'EQUIPMENTNAME', 'TRACKINQTY'], materials: ['CONTAINERID', 'MATERIALPARTNAME', 'MATERIALLOTNAME'] },
    sort_columns: { history: ['CONTAINERID'] },
    quality: { status: 'partial', scope: 'query', reasons: ['chunk_failure'], observed_rows: 131, failed_domains: [], has_partial_failure: true, failed_chunk_count: 1 },
    domain_quality: { history: { status: 'partial', scope: 'domain', reasons: ['chunk_failure'], observed_rows: 84, failed_chunk_count: 1, errors: ['batch 2: source timed out'] } },
    warnings: [],
    seeds: { seed_count: 1, input_count: 2, not_found: ['NOPE-1'], not_found_count: 1 },
    msd_tables: {},
    outcome: { status: 'ok' },
    stage_ms: null,
    ...over,
  }
}

const pareto = (name: string, defect: number) => ({ name, input_qty: 1000, defect_qty: defect, defect_rate: defect / 10, lot_count: 4, cumulative_pct: 50 })

/** Significance, explain-away and onset of a suspect that has none of them. */
const notTested = { q_value: null, significant: false, explained_by: null, conditional_p_value: null, onset: null, onset_p_value: null, rate_before_onset: null, rate_after_onset: null }

function aggregation(): BackwardAggregation {
  return {
    direction: 'backward',
    station: '測試',
    loss_reasons: [],
    available_loss_reasons: ['201_OPEN'],
    genealogy_status: 'ready',
    daily_trend: [{ date: '2026-10-01', input_qty: 5000, defect_qty: 40, defect_rate: 0.8, lot_count: 12, defective_lot_count: 5 }],
    detail_total_count: 20,
    warnings: [],
    kpi: { total_input: 75_534_015, lot_count: 1145, defective_lot_count: 700, total_defect_qty: 606_924, total_defect_rate: 0.8035, top_loss_reason: '202_SHORT', affected_machine_count: 118 },
    charts: { by_machine: [pareto('GWBE-0029', 54), pareto('其他', 20)], by_detection_machine: [], by_material: [], by_wafer_root: [], by_loss_reason: [pareto('201_OPEN', 30)] },
    attribution: [],
    suspects: [
      { factor_type: 'machine', name: 'GWBE-0029', station: '焊接_WB', lots: 71, defective_lots: 54, input_qty: 500_000, defect_qty: 11_250, defect_rate: 2.25, baseline_rate: 0.65, baseline_lots: 900, baseline_defective_lots: 400, lift: 3.4615, p_value: 9.7e-6, inconclusive: false, no_contrast: false, rank: 1, ...notTested, q_value: 0.002, significant: true },
      { factor_type: 'wafer_root', name: '56098S24Y-8F03R', station: null, lots: 2, defective_lots: 2, input_qty: 9000, defect_qty: 400, defect_rate: 4.44, baseline_rate: 0.8, baseline_lots: 1143, baseline_defective_lots: 698, lift: 5.55, p_value: 0.3, inconclusive: true, no_contrast: false, rank: null, ...notTested, q_value: 0.9 },
    ],
    suspect_summary: { machines: 300, materials: 250, wafer_roots: 61, ranked: 232, not_elevated: 300, inconclusive: 51, no_contrast: 28, total: 611, significant: 1, independent: 1, explained: 0, fdr: 0.05 },
    suspect_timelines: [],
  }
}

describe('ResultView', () => {
  let api: FakeApi
  let m: Mounted

  afterEach(() => {
    m?.wrapper.unmount()
    m?.jobs.dispose()
    // Each test starts with no remembered place (nav-history.ts keeps them per session).
    sessionStorage.clear()
  })

  async function setup(kind: 'lot' | 'msd', locale: 'en' | 'zh-TW' = 'en', lineage: LineageResult | null = null, lot: Partial<ResultSummary> = {}): Promise<void> {
    api = fakeApi()
    api.handle('jobs:status', () =>
      kind === 'lot' ? jobView({ job_id: JOB }) : jobView({ job_id: JOB, profile: 'mid_section_defect', direction: 'backward', domains: ['upstream_history', 'materials'] }),
    )
    api.handle('results:summary', () =>
      kind === 'lot'
        ? summary(lot)
        : summary({
            request: { profile: 'mid_section_defect', direction: 'backward', seed: { mode: 'date_range', station: '測試', start_date: '2026-09-02', end_date: '2026-10-31' }, station: '測試', loss_reasons: [], domains: ['upstream_history', 'materials'] },
            domains: ['upstream_history', 'materials'],
            row_counts: { upstream_history: 13_544, materials: 6854 },
            columns: { upstream_history: ['CONTAINERID', 'WORKCENTER_GROUP', 'EQUIPMENTNAME'], materials: ['CONTAINERID', 'MATERIALPARTNAME', 'MATERIALLOTNAME'] },
            quality: { status: 'complete', scope: 'query', reasons: [], observed_rows: 20_398 },
            domain_quality: {},
            seeds: { seed_count: 1145, input_count: 0, not_found: [], not_found_count: 0 },
          }),
    )
    api.handle('results:aggregation', () => (kind === 'msd' ? aggregation() : null))
    api.handle('results:page', ({ domain, offset, limit }) => ({
      rows: [domain === 'jobs' ? ({ CONTAINERID: 'c1', JOBID: 'JOB-9', JOBSTATUS: 'InProgress' } as EventRow) : { CONTAINERID: 'c1', EQUIPMENTNAME: 'GWBE-0029', TRACKINQTY: 100 }],
      total: 1,
      offset: offset ?? 0,
      limit: limit ?? 100,
    }))
    // The suspect list as stored; the drill-down's detail rows: 71 lots in 90 rows (one per lot and reason).
    api.handle('results:detail', ({ table, offset, limit, filter }) =>
      table === 'suspects'
        ? { rows: kind === 'msd' ? aggregation().suspects.map(suspectRow) : [], total: kind === 'msd' ? 2 : 0, offset: offset ?? 0, limit: limit ?? 100 }
        : { rows: [], total: filter ? 90 : 0, offset: offset ?? 0, limit: limit ?? 100 },
    )
    api.handle('app:data-dir', () => ({ path: '/data' }))
    if (lineage) api.handle('results:lineage', () => lineage)
    m = await mountView(ResultView, api, { path: `/jobs/${JOB}`, props: { jobId: JOB }, locale })
    await settle(10)
  }

  it('shows the tokens that matched nothing, the quality banners and a tab per domain with its rows', async () => {
    await setup('lot')
    const w = m.wrapper
    expect(w.get('[data-testid="not-found"]').text()).toContain('1 inputs matched nothing')
    expect(w.get('[data-testid="not-found"]').text()).toContain('NOPE-1')
    expect(w.get('[data-testid="seeds"]').text()).toContain('1 containers resolved (2 inputs)')
    expect(w.findAll('[role="tab"]').map((t) => [t.attributes('data-tab'), t.text()])).toEqual([
      ['lineage', 'Lineage'],
      ['history', 'History 84'],
      ['materials', 'Materials 47'],
    ])
    expect(w.get('[data-testid="as-of"]').text()).toBe('Data as of 2026-11-28 09:30')
    const banners = w.findAll('[data-testid="quality-banner"]')
    expect(banners[0]!.attributes('data-quality')).toBe('partial')
    expect(banners[0]!.text()).toContain('Some event data could not be fetched')
    await w.get('[data-tab="history"]').trigger('click')
    await settle(10)
    expect(m.router.currentRoute.value.query.tab).toBe('history')
    expect(w.findAll('[data-testid="quality-banner"]')[1]!.text()).toContain('batch 2: source timed out')
    const page = api.calls.find((c) => c.channel === 'results:page')!.payload as Record<string, unknown>
    expect(page).toMatchObject({ job_id: JOB, domain: 'history', offset: 0 })
    // The view redraws when its job changes (pinned elsewhere), from the event alone: the table keeps its pages.
    const pages = () => api.calls.filter((c) => c.channel === 'results:page').length
    const statusCalls = () => api.calls.filter((c) => c.channel === 'jobs:status').length
    const [pagesBefore, statusBefore] = [pages(), statusCalls()]
    api.emit('jobs:did-change-status', { job: jobView({ job_id: JOB, pinned: true, expires_at: null }) })
    await settle(10)
    expect(m.jobs.job(JOB)).toMatchObject({ pinned: true, expires_at: null })
    expect(statusCalls()).toBe(statusBefore)
    expect(pages()).toBe(pagesBefore)
  })

  it('narrows the event tabs to a picked lot and its whole subtree, with no cap, under the original\'s header', async () => {
    await setup('lot', 'en', bigForwardLineage(3000))
    const w = m.wrapper
    await w.get('[data-tab="lineage"]').trigger('click')
    await settle(10)
    // N1's subtree in the complete 3-ary tree of 3 000 lots (children of i: 3i+1 … 3i+3).
    let below = 0
    for (let level = [1]; level.length > 0; ) {
      level = level.flatMap((i) => [3 * i + 1, 3 * i + 2, 3 * i + 3]).filter((c) => c < 3000)
      below += level.length
    }
    expect(below).toBeGreaterThan(1000)
    // The graph (stubbed here; its own tests click it) hands up the picked lots.
    const graph = w.findComponent({ name: 'LineageGraph' })
    graph.vm.$emit('select', ['N1'])
    await settle(5)
    expect(graph.props('selected')).toEqual(['N1'])
    expect(graph.props('detail')).toHaveLength(below + 1)
    expect(w.get('[data-testid="selection-header"]').text()).toBe(`Lot details (incl. ${below.toLocaleString('en')} sub-lots)`)
    expect(w.get('[data-testid="selection"]').text()).toContain('lot-000001')
    await w.get('[data-tab="history"]').trigger('click')
    await settle(10)
    const pages = api.calls.filter((c) => c.channel === 'results:page')
    const filter = (pages[pages.length - 1]!.payload as { filter: { column: string; op: string; value: string[] }[] }).filter
    expect(filter).toHaveLength(1)
    expect(filter[0]).toMatchObject({ column: 'CONTAINERID', op: 'in' })
    expect(filter[0]!.value).toHaveLength(below + 1)
    expect(filter[0]!.value[0]).toBe('N1')
    expect(w.get('[data-testid="selection-chip"]').text()).toContain(`incl. ${below.toLocaleString('en')} sub-lots`)
    expect(w.get('[data-testid="selection-chip"]').text()).not.toContain('first')
  })

  it('reads the header in Traditional Chinese as the original did', async () => {
    await setup('lot', 'zh-TW', bigForwardLineage(40))
    const w = m.wrapper
    await w.get('[data-tab="lineage"]').trigger('click')
    await settle(10)
    w.findComponent({ name: 'LineageGraph' }).vm.$emit('select', ['N1', 'N2'])
    await settle(5)
    // N1 and N2 with their 3 + 9 + … descendants each: 24 sub-lots, the picked names joined by 、.
    expect(w.get('[data-testid="selection"]').text()).toBe('LOT 明細（含 24 個子批次） lot-000001、lot-000002 查看事件')
  })

  it('opens a repair job’s transactions from its row’s button, leaving the button out of the export', async () => {
    const jobs = { domains: ['history', 'jobs'] as ResultSummary['domains'], row_counts: { history: 84, jobs: 1 }, columns: { history: ['CONTAINERID', 'EQUIPMENTNAME'], jobs: ['CONTAINERID', 'JOBID', 'JOBSTATUS'] } }
    await setup('lot', 'en', null, jobs)
    api.handle('sources:job-transactions', ({ repair_job }) => ({ job: repair_job, rows: [{ TXNDATE: '2026-09-21 02:23:19', JOBSTATUS: 'Open', USER_NAME: 'PM排程' }], missing_table: null }))
    api.handle('jobs:export', () => ({ cancelled: false, delivery: 'saved', files: [{ name: 'jobs.csv', path: '/data/exports/jobs.csv', rows: 1 }] }))
    const w = m.wrapper
    await w.get('[data-tab="jobs"]').trigger('click')
    await settle(10)
    const row = w.get('[data-testid="result-view"] tbody tr.vt-row')
    expect(row.get('[data-column="JOBSTATUS"] .status-badge').attributes('data-tone')).toBe('warning')
    expect(w.find('[data-testid="txn-panel"]').exists()).toBe(false)
    await row.get('[data-testid="txn-open"]').trigger('click')
    await settle(10)
    expect(api.calls.filter((c) => c.channel === 'sources:job-transactions').map((c) => c.payload)).toEqual([{ job_id: JOB, repair_job: 'JOB-9' }])
    expect(w.get('[data-testid="txn-panel"] h3').text()).toContain('Transactions: JOB-9')
    expect(w.get('[data-testid="txn-row"] [data-column="USER"]').text()).toBe('PM排程')
    await w.get('[data-testid="export"]').trigger('submit')
    await settle(5)
    const exported = api.calls.find((c) => c.channel === 'jobs:export')!.payload as { view: { columns: string[] } }
    expect(exported.view.columns).not.toContain('__transactions')
    expect(exported.view.columns).toContain('JOBID')
    await w.get('[data-testid="txn-close"]').trigger('click')
    await settle(2)
    expect(w.find('[data-testid="txn-panel"]').exists()).toBe(false)
  })

  it('keeps the history tab’s table or timeline in the route', async () => {
    await setup('lot')
    await m.wrapper.get('[data-tab="history"]').trigger('click')
    await settle(5)
    await m.wrapper.get('[data-testid="history-view"] [data-view="timeline"]').trigger('click')
    await settle(10)
    expect(m.router.currentRoute.value.query).toMatchObject({ tab: 'history', view: 'timeline' })
    expect(m.wrapper.find('[data-testid="lot-timeline"]').exists()).toBe(true)
    m.router.back()
    await settle(10)
    expect(m.router.currentRoute.value.query.view).toBeUndefined()
    expect(m.wrapper.get('[data-testid="history-view"] [data-view="table"]').attributes('aria-pressed')).toBe('true')
  })

  it('shows the MSD dashboard and drills from a suspect to its lots and then to its events', async () => {
    await setup('msd')
    const w = m.wrapper
    expect(w.get('[data-testid="seeds"]').text()).toBe('1,145 lots tracked in at 測試 in the range')
    expect(w.findAll('[data-kpi]').map((k) => k.get('.value').text())).toEqual(['75,534,015', '1,145', '606,924', '0.80 %', '202_SHORT', '118'])
    expect(w.get('[data-testid="suspect-summary"] strong').text()).toBe('1 significant of 583 factors tested (FDR q ≤ 5 %): 1 independent, 0 explained by another')
    const rows = w.findAll('[data-testid="suspects"] tbody tr.vt-row')
    expect(rows.map((r) => r.findAll('td')[2]!.text())).toEqual(['GWBE-0029', '56098S24Y-8F03R'])
    expect(rows[0]!.text()).toContain('×3.46')
    expect(rows[0]!.text()).toContain('9.7e-6')
    expect(rows[0]!.text()).toContain('Independent')
    expect(rows[1]!.text()).toContain('Too few lots')
    await rows[0]!.get('[data-testid="drill"]').trigger('click')
    await settle(10)
    expect(w.get('[data-testid="drill-panel"]').text()).toContain('Machine: 焊接_WB/GWBE-0029')
    // The suspect's lots, and the detail rows behind them: the two counts are told apart.
    expect(w.get('[data-testid="drill-count"]').text()).toBe('71 lots (90 detail rows: one per lot and loss reason)')
    const detail = api.calls.filter((c) => c.channel === 'results:detail').map((c) => c.payload as { filter?: unknown })
    expect(detail.some((p) => JSON.stringify(p.filter) === JSON.stringify([{ column: 'UPSTREAM_MACHINES', op: 'item', value: '焊接_WB/GWBE-0029' }]))).toBe(true)
    await w.get('[data-testid="drill-events"]').trigger('click')
    await settle(10)
    expect(m.router.currentRoute.value.query.tab).toBe('upstream_history')
    expect(w.get('[data-testid="drill-chip"]').text()).toContain('GWBE-0029')
    const pages = api.calls.filter((c) => c.channel === 'results:page').map((c) => c.payload as { domain: string; filter?: unknown })
    expect(pages.at(-1)).toMatchObject({ domain: 'upstream_history', filter: [{ column: 'EQUIPMENTNAME', op: 'eq', value: 'GWBE-0029' }] })
  })

  describe('keeps its place', () => {
    const panel = () => m.wrapper.find('[data-testid="drill-panel"]')
    const query = () => m.router.currentRoute.value.query
    const crumbs = () => m.wrapper.findAll('[data-testid="breadcrumb"] li').map((li) => li.text())

    it('opens a bar’s drill-down right under its chart, and a suspect’s under the suspect list', async () => {
      await setup('msd')
      const w = m.wrapper
      await w.get('[data-chart="by_loss_reason"] button[data-bar="201_OPEN"]').trigger('click')
      await settle(10)
      // The chart grid holds the panel right after the chart it came from.
      expect(w.get('[data-chart="by_loss_reason"]').element.nextElementSibling).toBe(panel().element)
      expect(panel().text()).toContain('201_OPEN')
      const rows = w.findAll('[data-testid="suspects"] tbody tr.vt-row')
      await rows[0]!.get('[data-testid="drill"]').trigger('click')
      await settle(10)
      expect(w.findAll('[data-testid="drill-panel"]')).toHaveLength(1)
      expect(w.get('section[aria-labelledby="suspects-heading"]').element.nextElementSibling).toBe(panel().element)
      expect(panel().text()).toContain('Machine: 焊接_WB/GWBE-0029')
    })

    it('keeps the drill-down through a tab switch, and Back steps through tabs and drill-downs', async () => {
      await setup('msd')
      const w = m.wrapper
      await w.get('[data-chart="by_loss_reason"] button[data-bar="201_OPEN"]').trigger('click')
      await settle(10)
      expect(query()).toMatchObject({ tab: 'msd' })
      expect(crumbs()).toEqual(['Trace result', 'Analysis', 'Loss reason: 201_OPEN'])
      await w.get('[data-tab="materials"]').trigger('click')
      await settle(10)
      expect(panel().exists()).toBe(false)
      await w.get('[data-tab="msd"]').trigger('click')
      await settle(10)
      expect(panel().text()).toContain('201_OPEN')
      // Back: the materials tab; again: the drill-down; again: the dashboard before it.
      m.router.back()
      await settle(10)
      expect(query().tab).toBe('materials')
      m.router.back()
      await settle(10)
      expect(query().tab).toBe('msd')
      expect(panel().text()).toContain('201_OPEN')
      m.router.back()
      await settle(10)
      expect(panel().exists()).toBe(false)
      m.router.forward()
      await settle(10)
      expect(panel().text()).toContain('201_OPEN')
      // Closing is a step too; the breadcrumb's tab goes back up to the dashboard.
      await w.get('[data-testid="drill-close"]').trigger('click')
      await settle(10)
      expect(panel().exists()).toBe(false)
      expect(query().drill).toBeUndefined()
    })

    it('reopens where it was left: a reload restores the drill-down, a later visit the last place', async () => {
      await setup('msd')
      const rows = m.wrapper.findAll('[data-testid="suspects"] tbody tr.vt-row')
      await rows[0]!.get('[data-testid="drill"]').trigger('click')
      await settle(10)
      await m.wrapper.get('[data-testid="drill-events"]').trigger('click')
      await settle(10)
      const left = { ...query() }
      expect(left.tab).toBe('upstream_history')
      expect(crumbs()).toEqual(['Trace result', 'Upstream history', 'Machine: 焊接_WB/GWBE-0029'])
      m.wrapper.unmount()
      m.jobs.dispose()
      // Opened again from the jobs list (no place in the URL): where it was left, its filter chip included.
      m = await mountView(ResultView, api, { path: `/jobs/${JOB}`, props: { jobId: JOB } })
      await settle(10)
      expect(query()).toMatchObject({ tab: 'upstream_history', drill: left.drill, events: left.events })
      expect(m.wrapper.get('[data-testid="drill-chip"]').text()).toContain('GWBE-0029')
      await m.wrapper.get('[data-tab="msd"]').trigger('click')
      await settle(10)
      expect(panel().text()).toContain('Machine: 焊接_WB/GWBE-0029')
      // The chip's ✕ clears the events filter only: the drill-down stays open on the dashboard.
      m.router.back()
      await settle(10)
      await m.wrapper.get('[data-testid="drill-chip"] button').trigger('click')
      await settle(10)
      expect(query().events).toBeUndefined()
      expect(query().drill).toBe(left.drill)
    })
  })

  it('says when an identical earlier result answered the request, and runs it again on demand', async () => {
    api = fakeApi()
    api.handle('jobs:status', ({ job_id }) => jobView({ job_id }))
    api.handle('results:summary', () => summary())
    api.handle('results:aggregation', () => null)
    api.handle('results:page', ({ offset, limit }) => ({ rows: [], total: 0, offset: offset ?? 0, limit: limit ?? 100 }))
    api.handle('jobs:rerun', () => ({ job_id: 'trace-evt-0000000000b2' }))
    m = await mountView(ResultView, api, { path: `/jobs/${JOB}?cached=1`, props: { jobId: JOB } })
    await settle(10)
    const notice = m.wrapper.get('[data-testid="cached-notice"]')
    expect(notice.text()).toContain('An identical request was answered from an earlier result (data as of 2026-11-28 09:30); nothing was read from the source.')
    await notice.get('[data-testid="cached-rerun"]').trigger('click')
    await vi.waitFor(() => expect(m.router.currentRoute.value.fullPath).toBe('/jobs/trace-evt-0000000000b2'), { timeout: 10_000 })
    expect(api.calls.filter((c) => c.channel === 'jobs:rerun').map((c) => c.payload)).toEqual([{ job_id: JOB }])
  })

  it('says nothing about a cache when the result was opened any other way', async () => {
    await setup('lot')
    expect(m.wrapper.find('[data-testid="cached-notice"]').exists()).toBe(false)
  })

  it('explains an empty MSD range: the station, the dates and where the source’s data is, in amber on the card too', async () => {
    api = fakeApi()
    const outcome = {
      status: 'warning',
      reason: 'no_lots_in_window',
      station: '測試',
      start_date: '2026-11-24',
      end_date: '2026-11-30',
      input_count: 0,
      source_window: { first: '2026-05-02T06:00:00', last: '2026-10-30T21:00:00' },
    } as const
    const request: RequestSummary = { mode: 'date_range', resolve_type: null, values: [], value_count: 0, station: '測試', start_date: '2026-11-24', end_date: '2026-11-30', loss_reasons: [] }
    api.handle('jobs:status', () => jobView({ job_id: JOB, profile: 'mid_section_defect', direction: 'backward', seed_count: 0, request, outcome: { ...outcome, source_window: null } }))
    api.handle('jobs:list', () => [jobView({ job_id: JOB, profile: 'mid_section_defect', direction: 'backward', seed_count: 0, request, outcome: { ...outcome, source_window: null } })])
    api.handle('results:summary', () =>
      summary({
        request: { profile: 'mid_section_defect', direction: 'backward', seed: { mode: 'date_range', station: '測試', start_date: '2026-11-24', end_date: '2026-11-30' }, station: '測試', loss_reasons: [], domains: [] },
        domains: ['upstream_history'],
        row_counts: { upstream_history: 0 },
        columns: { upstream_history: ['CONTAINERID', 'CONTAINERNAME'] },
        seeds: { seed_count: 0, input_count: 0, not_found: [], not_found_count: 0 },
        outcome,
      }),
    )
    // An empty analysis is stored too; its zero charts and report are not what the person needs.
    api.handle('results:aggregation', () => aggregation())
    m = await mountView(ResultView, api, { path: `/jobs/${JOB}`, props: { jobId: JOB } })
    await settle(10)
    expect(m.wrapper.get('[data-testid="result-outcome"]').text()).toBe(
      'Nothing to traceNo lot was tracked in at 測試 from 2026-11-24 to 2026-11-30.The source has track-ins at this station from 2026-05-02 to 2026-10-30; pick dates in that period.',
    )
    expect(m.wrapper.find('[role="tablist"]').exists()).toBe(false)
    expect(m.wrapper.find('[data-testid="report"]').exists()).toBe(false)
    expect(m.wrapper.find('[data-testid="msd-dashboard"]').exists()).toBe(false)
  })

  it('says when the job does not exist', async () => {
    api = fakeApi()
    api.fail('jobs:status', 'job/not-found', 'No job trace-evt-0000000000b1.')
    m = await mountView(ResultView, api, { path: `/jobs/${JOB}`, props: { jobId: JOB } })
    await settle(10)
    expect(m.wrapper.get('[data-testid="result-error"]').text()).toBe('job/not-found No job trace-evt-0000000000b1 (it may have expired or been deleted).')
  })
})
