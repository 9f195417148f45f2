// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { BACKWARD_DIFF_KPIS, FORWARD_DIFF_KPIS, SUSPECT_STATUSES, type BackwardMsdDiff, type ForwardMsdDiff, type MsdDiffRun, type MsdDiffWarning, type SuspectDiff, type SuspectState } from '../../../shared/msd-diff'
import { createAppI18n, LOCALES } from '../../../renderer/src/i18n'
import DiffView from '../../../renderer/src/views/DiffView.vue'
import HistoryView from '../../../renderer/src/views/HistoryView.vue'
import { diffOrder } from '../../../renderer/src/composables/useDiff'
import { jobView } from '../../fixtures/job-view'
import { fakeApi, type FakeApi } from './fake-api'
import { mountView, settle, type Mounted } from './mount-app'

const A = 'trace-evt-00000000000a'
const B = 'trace-evt-00000000000b'

function run(jobId: string, start: string, end: string, over: Partial<MsdDiffRun> = {}): MsdDiffRun {
  return {
    job_id: jobId, start_date: start, end_date: end, first_day: start, last_day: end, loss_reasons: [], source: 'Demo plant (sqlite:/data/plant.sqlite)',
    as_of: new Date(2026, 10, 1, 8, 0).getTime(), app_version: '1.2.0', fdr: 0.05, ...over,
  }
}

function state(over: Partial<SuspectState> = {}): SuspectState {
  return {
    rank: 1, lots: 40, defective_lots: 30, defect_rate: 2.25, baseline_rate: 0.65, lift: 3.4615, p_value: 1e-8, q_value: 1e-6, status: 'independent',
    explained_by: null, onset: null, rate_before_onset: null, rate_after_onset: null, ...over,
  }
}

function item(name: string, a: SuspectState | null, b: SuspectState | null, over: Partial<SuspectDiff> = {}): SuspectDiff {
  return {
    factor_type: 'machine', name, station: '焊接_WB', a, b,
    rate_delta: a && b ? Math.round((b.defect_rate - a.defect_rate) * 10_000) / 10_000 : null,
    lift_delta: a && b && a.lift !== null && b.lift !== null ? b.lift - a.lift : null,
    changes: [], ...over,
  }
}

function backwardDiff(over: Partial<BackwardMsdDiff> = {}): BackwardMsdDiff {
  return {
    direction: 'backward', station: '測試', a: run(A, '2026-10-18', '2026-10-24'), b: run(B, '2026-10-25', '2026-10-31'),
    kpi: [
      { key: 'lot_count', unit: 'count', a: 1145, b: 1201, delta: 56 },
      { key: 'total_defect_rate', unit: 'percent', a: 0.8035, b: 0.912, delta: 0.1085 },
      { key: 'top_loss_reason', unit: 'text', a: '201_OPEN', b: '202_SHORT', delta: null },
      { key: 'suspects_significant', unit: 'count', a: 2, b: 3, delta: 1 },
      { key: 'suspects_explained', unit: 'count', a: 1, b: 0, delta: -1 },
    ],
    warnings: [],
    basis: 'significant', without_q_values: [], compared: { a: 2, b: 3 },
    new: [item('GWBE-0029', state({ rank: 40, status: 'not_significant', q_value: 0.31, defect_rate: 0.9, lift: 1.2 }), state({ onset: '2026-10-27' }))],
    gone: [item('CAP-7 (L9)', state({ rank: 2 }), null, { factor_type: 'material' })],
    changed: [
      item('GDAE-0011', state({ status: 'explained', explained_by: { factor_type: 'machine', name: 'GWBE-0029', station: '焊接_WB' }, defect_rate: 1.5 }), state({ defect_rate: 1.2 }), { changes: ['rate', 'status'] }),
    ],
    ...over,
  }
}

describe('DiffView', () => {
  let api: FakeApi
  let m: Mounted

  afterEach(() => {
    m?.wrapper.unmount()
    m?.jobs.dispose()
  })

  async function open(answer: BackwardMsdDiff | ForwardMsdDiff, locale: 'en' | 'zh-TW' = 'en'): Promise<void> {
    api = fakeApi()
    api.handle('results:diff', () => answer)
    m = await mountView(DiffView, api, { path: `/diff/${A}/${B}`, props: { jobA: A, jobB: B }, locale })
    await settle()
  }

  const text = (selector: string) => m.wrapper.find(selector).text().replace(/\s+/g, ' ').trim()
  /** A section's rows: each cell's text, a cell with a second line as both. */
  const rows = (section: string) =>
    m.wrapper.findAll(`[data-section="${section}"] tbody tr`).map((tr) =>
      tr.findAll('td').flatMap((td) => {
        const lines = [...td.element.children].filter((c) => c.tagName === 'SPAN')
        return lines.length > 0 ? lines.map((l) => l.textContent!.replace(/\s+/g, ' ').trim()) : [td.text()]
      }),
    )

  it('asks for the diff of A and B and shows both runs with their windows', async () => {
    await open(backwardDiff())
    expect(api.calls).toEqual([{ channel: 'results:diff', payload: { job_a: A, job_b: B } }])
    expect(text('[data-testid="diff-subtitle"]')).toBe('Defects at 測試 → upstream: what changed from A (baseline) to B')
    expect(m.wrapper.find('[data-run="a"]').findAll('h2, p').map((p) => p.text())).toEqual([
      'A · baseline (older)',
      '2026-10-18 ~ 2026-10-24',
      'Loss reasons: all',
      'Data as of 2026-11-01 08:00 · MES Trace 1.2.0',
      'Demo plant (sqlite:/data/plant.sqlite)',
    ])
    expect(text('[data-run="b"] .window')).toBe('2026-10-25 ~ 2026-10-31')
    expect(m.wrapper.find('[data-run="b"] a').attributes('href')).toContain(B)
    expect(text('[data-testid="diff-basis"]')).toBe('Compared: significant suspects (q ≤ 5 %) — A 2, B 3')
    expect(m.wrapper.find('[data-testid="diff-no-q"]').exists()).toBe(false)
  })

  it('shows each KPI of A and B with B − A, a rising defect rate as worse', async () => {
    await open(backwardDiff())
    const kpi = m.wrapper.findAll('[data-testid="diff-kpi"] tbody tr').map((tr) => [tr.find('th').text(), ...tr.findAll('td').map((td) => td.text())])
    expect(kpi).toEqual([
      ['Lots', '1,145', '1,201', '+56'],
      ['Defect rate', '0.80 %', '0.91 %', '+0.11 pp'],
      ['Top loss reason', '201_OPEN', '202_SHORT', 'changed'],
      ['Significant suspects', '2', '3', '+1'],
      ['of which explained by another', '1', '0', '-1'],
    ])
    expect(m.wrapper.find('[data-kpi="total_defect_rate"] .delta').classes()).toContain('worse')
    expect(m.wrapper.find('[data-kpi="lot_count"] .delta').classes()).not.toContain('worse')
  })

  it('lists the suspects new, gone and in both with their values A → B', async () => {
    await open(backwardDiff())
    expect(text('[data-section="new"] h2')).toBe('New 1')
    expect(text('[data-section="new"] .hint')).toBe('Significant in B; not significant or not present in A')
    expect(rows('new')).toEqual([['GWBE-0029', 'Machine · 焊接_WB', '0.90 % → 2.25 %', '+1.35 pp', '×1.20 → ×3.46', '0.310 → 1.0e-6', 'Not significant → Independent', 'onset — → 2026-10-27']])
    expect(rows('gone')).toEqual([['CAP-7 (L9)', 'Material · 焊接_WB', '2.25 % → —', '×3.46 → —', '1.0e-6 → —', 'Independent → Not tested']])
    expect(rows('changed')).toEqual([['GDAE-0011', 'Machine · 焊接_WB', '1.50 % → 1.20 %', '-0.30 pp', '×3.46', '1.0e-6', 'Explained by GWBE-0029 → Independent']])
    // A changed verdict is marked among the suspects in both runs (new and gone ones changed it by definition).
    expect(m.wrapper.find('[data-section="changed"] .verdict > span').classes()).toContain('changed')
    expect(m.wrapper.findAll('[data-section="new"] .changed')).toHaveLength(0)
    expect(m.wrapper.find('[data-section="changed"] .delta').classes()).toContain('better')
    expect(m.wrapper.find('[data-section="new"] .delta').classes()).toContain('worse')
  })

  it('says when a run predates q-values and the ranked suspects are compared instead', async () => {
    await open(backwardDiff({ basis: 'ranked', without_q_values: ['a'], a: run(A, '2026-10-18', '2026-10-24', { fdr: null, app_version: '1.0.0' }), compared: { a: 210, b: 230 } }))
    expect(text('[data-testid="diff-basis"]')).toBe('Compared: factors worse than their baseline — A 210, B 230')
    expect(text('[data-testid="diff-no-q"]')).toMatch(/^A predates significance testing \(no q-values, explained-by or onsets\)/)
    expect(text('[data-section="gone"] .hint')).toBe('Worse than baseline in A, not in B')
  })

  it('puts the warnings into words', async () => {
    await open(
      backwardDiff({
        warnings: [
          { code: 'loss_reasons', a: ['201_OPEN'], b: [] },
          { code: 'source', a: 'plant A', b: 'plant B' },
          { code: 'order', a: '2026-10-31', b: '2026-10-24' },
          { code: 'fdr', a: 0.05, b: 0.1 },
          { code: 'genealogy', runs: ['a', 'b'] },
        ],
      }),
    )
    expect(m.wrapper.findAll('[data-testid="diff-warnings"] li').map((li) => li.text())).toEqual([
      'The runs selected different loss reasons (A: 201_OPEN; B: all): their rates are not like for like.',
      'The runs read different data sources (A: plant A; B: plant B).',
      'A should be the older, baseline run, but its window ends 2026-10-31, after B’s (2026-10-24). Swap them so that “new” means new.',
      'The runs used different significance thresholds (FDR A: 5 %, B: 10 %).',
      'The lineage of A and B failed: its suspects may be incomplete.',
    ])
  })

  it('shows the first 50 suspects of a long section until asked for all', async () => {
    const many = Array.from({ length: 120 }, (_, i) => item(`M${i}`, null, state({ rank: i + 1, status: 'ranked' })))
    await open(backwardDiff({ basis: 'ranked', without_q_values: ['a', 'b'], new: many }))
    expect(rows('new')).toHaveLength(50)
    expect(rows('new')[0]![5]).toBe('Not tested → Ranked #1')
    await m.wrapper.find('[data-section="new"] button.more').trigger('click')
    expect(rows('new')).toHaveLength(120)
    expect(m.wrapper.find('[data-section="new"] button.more').exists()).toBe(false)
    expect(text('[data-testid="diff-no-q"]')).toMatch(/^A and B predate significance testing/)
  })

  it('swaps A and B', async () => {
    await open(backwardDiff())
    await m.wrapper.find('[data-testid="diff-swap"]').trigger('click')
    await settle()
    expect(m.router.currentRoute.value.params).toEqual({ jobA: B, jobB: A })
  })

  it('compares two forward runs by their later stations', async () => {
    const forward: ForwardMsdDiff = {
      direction: 'forward', station: '成型', a: run(A, '2026-10-18', '2026-10-24'), b: run(B, '2026-10-25', '2026-10-31', { fdr: null }), warnings: [],
      kpi: [{ key: 'amplification', unit: 'ratio', a: 2.4, b: 1.9, delta: -0.5 }],
      stations: [
        { name: '切割', a: { order: 6, input_qty: 100, defect_qty: 2, defect_rate: 2, baseline_rate: 1, lift: 2, top_loss_reason: '101_SAW_BURR' }, b: null, rate_delta: null, lift_delta: null },
        { name: '測試', a: { order: 9, input_qty: 100, defect_qty: 1, defect_rate: 1, baseline_rate: 1, lift: 1, top_loss_reason: '201_OPEN' }, b: { order: 9, input_qty: 100, defect_qty: 2, defect_rate: 1.5, baseline_rate: 1, lift: 1.5, top_loss_reason: '201_OPEN' }, rate_delta: 0.5, lift_delta: 0.5 },
      ],
    }
    await open(forward)
    expect(text('[data-testid="diff-subtitle"]')).toBe('Defective lots at 成型 → downstream: what changed from A (baseline) to B')
    expect(m.wrapper.find('[data-testid="diff-basis"]').exists()).toBe(false)
    expect(rows('stations')).toEqual([
      ['切割', '2.00 % → not reached', '×2.00 → —', '101_SAW_BURR → —'],
      ['測試', '1.00 % → 1.50 %', '+0.50 pp', '×1.00 → ×1.50', '201_OPEN'],
    ])
    expect(m.wrapper.findAll('[data-testid="diff-kpi"] tbody td').map((td) => td.text())).toEqual(['×2.40', '×1.90', '-0.50'])
  })

  it('names what went wrong when the runs cannot be compared', async () => {
    api = fakeApi()
    api.fail('results:diff', 'input/invalid', 'job_b: job trace-evt-00000000000b analyses detection station 成型 but job_a (trace-evt-00000000000a) analyses 測試; compare two runs of the same station')
    m = await mountView(DiffView, api, { path: `/diff/${A}/${B}`, props: { jobA: A, jobB: B } })
    await settle()
    expect(text('[data-testid="diff-error"] [data-testid="error-message"]')).toBe('A value you entered is not valid; check it and try again.')
    expect(text('[data-testid="diff-error"] [data-testid="error-detail"]')).toBe(
      'Details: job_b: job trace-evt-00000000000b analyses detection station 成型 but job_a (trace-evt-00000000000a) analyses 測試; compare two runs of the same station',
    )
    expect(m.wrapper.find('[data-testid="diff-kpi"]').exists()).toBe(false)
  })

  it('speaks Traditional Chinese', async () => {
    await open(backwardDiff({ basis: 'ranked', without_q_values: ['b'], warnings: [{ code: 'order', a: '2026-10-31', b: '2026-10-24' }] }), 'zh-TW')
    expect(text('h1')).toBe('MSD 分析比較')
    expect(text('[data-testid="diff-subtitle"]')).toBe('測試站不良 → 回溯上游：由 A（基準）到 B 的變化')
    expect(text('[data-section="new"] h2')).toBe('新出現 1')
    expect(rows('changed')[0]![6]).toBe('由 GWBE-0029 解釋 → 獨立')
    expect(rows('new')[0]![7]).toBe('異常起始 — → 2026-10-27')
    expect(rows('new')[0]!.slice(1, 4)).toEqual(['機台 · 焊接_WB', '0.90 % → 2.25 %', '+1.35 百分點'])
    expect(text('[data-testid="diff-no-q"]')).toMatch(/^B 早於顯著性檢定/)
    expect(text('[data-testid="diff-warnings"]')).toContain('A 應為較早的基準分析，但其期間結束於 2026-10-31，晚於 B（2026-10-24）')
    expect(m.wrapper.findAll('[data-testid="diff-kpi"] tbody th').map((th) => th.text())).toEqual(['LOT 數量', '不良率', '首要不良原因', '顯著嫌疑因子', '其中可由其他因子解釋'])
  })
})

describe('diff messages', () => {
  it('name every KPI, verdict, warning and section the diff can hold, in both languages', () => {
    const { global } = createAppI18n('en')
    const codes: MsdDiffWarning['code'][] = ['loss_reasons', 'source', 'order', 'fdr', 'genealogy']
    const keys = [
      ...[...BACKWARD_DIFF_KPIS, ...FORWARD_DIFF_KPIS].map((k) => `diff.kpi.key.${k}`),
      ...SUSPECT_STATUSES.map((s) => `diff.status.${s}`),
      'diff.status.explainedBy',
      'diff.status.absent',
      ...codes.map((c) => `diff.warning.${c}`),
      ...['significant', 'ranked'].flatMap((basis) => ['new', 'gone', 'changed'].map((s) => `diff.section.hint.${basis}.${s}`)),
      ...['new', 'gone', 'changed'].map((s) => `diff.section.${s}`),
      ...['a', 'b'].map((side) => `diff.run.${side}`),
      ...['backward', 'forward'].map((d) => `diff.subtitle.${d}`),
    ]
    for (const locale of LOCALES) expect(keys.filter((k) => !global.te(k, locale)), locale).toEqual([])
  })
})

describe('comparing from the history', () => {
  let api: FakeApi
  let m: Mounted

  afterEach(() => {
    m?.wrapper.unmount()
    m?.jobs.dispose()
  })

  const msd = (jobId: string, start: string, end: string, station = '測試', direction: 'backward' | 'forward' = 'backward', completedAt = 1_780_000_004_500) =>
    jobView({
      job_id: jobId, profile: 'mid_section_defect', direction, completed_at: completedAt,
      request: { mode: 'date_range', resolve_type: null, values: [], value_count: 0, station, start_date: start, end_date: end, loss_reasons: [] },
    })

  it('opens the diff of two MSD results of one station, the older window as A', async () => {
    api = fakeApi()
    // Listed newest first: the newer window comes first in the list.
    api.handle('jobs:list', () => [
      msd(B, '2026-10-25', '2026-10-31'),
      msd(A, '2026-10-18', '2026-10-24', '測試', 'backward', 1_780_000_009_000),
      msd('trace-evt-00000000000c', '2026-10-25', '2026-10-31', '成型'),
      msd('trace-evt-00000000000d', '2026-10-25', '2026-10-31', '測試', 'forward'),
      jobView({ job_id: 'trace-evt-00000000000e' }),
    ])
    m = await mountView(HistoryView, api, { path: '/history' })
    await settle()
    const pick = (id: string) => m.wrapper.find(`tr[data-job-id="${id}"] [data-testid="compare-pick"]`)
    expect(m.wrapper.find('tr[data-job-id="trace-evt-00000000000e"] [data-testid="compare-pick"]').exists()).toBe(false)
    expect(m.wrapper.find('[data-testid="compare"]').attributes('disabled')).toBeDefined()
    await pick(B).setValue(true)
    // Another station or direction cannot be the second pick.
    expect(pick('trace-evt-00000000000c').attributes('disabled')).toBeDefined()
    expect(pick('trace-evt-00000000000c').attributes('title')).toBe('Only results of the same detection station and direction can be compared')
    expect(pick('trace-evt-00000000000d').attributes('disabled')).toBeDefined()
    expect(pick(A).attributes('disabled')).toBeUndefined()
    await pick(A).setValue(true)
    expect(m.wrapper.find('[data-testid="compare-bar"]').text()).toContain('2 of 2 selected')
    await m.wrapper.find('[data-testid="compare"]').trigger('click')
    await settle()
    expect(m.router.currentRoute.value.name).toBe('diff')
    expect(m.router.currentRoute.value.params).toEqual({ jobA: A, jobB: B })
  })

  it('orders a pair without windows by when each finished', () => {
    const first = jobView({ job_id: A, completed_at: 2000 })
    const second = jobView({ job_id: B, completed_at: 1000 })
    expect(diffOrder(first, second).map((j) => j.job_id)).toEqual([B, A])
    expect(diffOrder(msd(A, '2026-10-01', '2026-10-31'), msd(B, '2026-10-01', '2026-10-15')).map((j) => j.job_id)).toEqual([B, A])
  })
})
