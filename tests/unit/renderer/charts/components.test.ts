// @vitest-environment happy-dom
/** The chart components (and the time view and station table) with the chart itself stubbed: what they pass to it and what they emit. */
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import type { VueWrapper } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import FactorChart from '../../../../renderer/src/components/charts/FactorChart.vue'
import ParetoChart from '../../../../renderer/src/components/charts/ParetoChart.vue'
import TrendChart from '../../../../renderer/src/components/charts/TrendChart.vue'
import LineageGraph from '../../../../renderer/src/components/charts/LineageGraph.vue'
import LineageTree from '../../../../renderer/src/components/LineageTree.vue'
import { buildLineageTree } from '../../../../renderer/src/charts/lineage-tree'
import { buildLineageModel } from '../../../../renderer/src/charts/lineage-view'
import ForwardStationTable from '../../../../renderer/src/components/ForwardStationTable.vue'
import SuspectTimeView from '../../../../renderer/src/components/SuspectTimeView.vue'
import { charts } from '../../../../renderer/src/i18n/charts'
import { messagesOf } from '../../../../renderer/src/i18n'
import { buildPareto, type DownstreamStationItem, type ForwardKpi, type SuspectRef, type SuspectTimeline } from '../../../../shared/msd'
import { bigForwardLineage, mergeLineage, suspectList } from './fixtures'

// ECharts cannot draw in happy-dom: a stub records the option and re-emits clicks.
vi.mock('vue-echarts', async () => {
  const { defineComponent, h } = await import('vue')
  return {
    default: defineComponent({
      name: 'VChart',
      props: { option: { type: Object, required: true }, autoresize: Boolean },
      emits: ['click', 'dblclick'],
      setup: () => () => h('div', { class: 'vchart-stub' }),
    }),
  }
})

function i18n(locale: 'en' | 'zh-TW' = 'en') {
  return createI18n({ legacy: false, locale, messages: { en: messagesOf('en'), 'zh-TW': messagesOf('zh-TW') } })
}

interface StubOption {
  series: { id?: string; data: { id?: string; name?: string; value?: number }[] }[]
  xAxis?: { data: string[] }
  yAxis?: { data: string[] } | unknown[]
}
const chartOf = (w: VueWrapper) => w.findComponent({ name: 'VChart' })
const optionOf = (w: VueWrapper) => chartOf(w).props('option') as StubOption

const ITEMS = buildPareto(
  [
    { name: 'A', input_qty: 1000, defect_qty: 50, lot_count: 5 },
    { name: 'B', input_qty: 100, defect_qty: 30, lot_count: 2 },
    { name: 'C', input_qty: 400, defect_qty: 20, lot_count: 4 },
    { name: 'D', input_qty: 30, defect_qty: 6, lot_count: 1 },
  ],
  { topN: 2 },
)

describe('ParetoChart', () => {
  const mountPareto = (props: Record<string, unknown> = {}) =>
    mount(ParetoChart, { props: { items: ITEMS, title: 'Machines', ...props }, global: { plugins: [i18n()] } })

  it('passes the bars with their cumulative line and an accessible summary', () => {
    const w = mountPareto()
    // The folded bar reads in the page's language: stored as 其他, shown as "Other" in English.
    expect(optionOf(w).xAxis!.data).toEqual(['A', 'B', 'Other'])
    expect(optionOf(w).series.map((s) => s.id)).toEqual(['bars', 'cumulative'])
    expect(w.get('[role="img"]').attributes('aria-label')).toBe('Machines Pareto chart, 3 items; first: A 50')
    expect(w.find('[data-testid="other-note"]').exists()).toBe(false)
    // No rate mode any more: a Pareto is by quantity.
    expect(w.find('[data-mode]').exists()).toBe(false)
  })

  it('states 其他 under an attributed chart instead of drawing it, with no cumulative line', () => {
    const w = mountPareto({ attributed: true })
    expect(optionOf(w).xAxis!.data).toEqual(['A', 'B'])
    expect(optionOf(w).series.map((s) => s.id)).toEqual(['bars'])
    expect(w.get('[data-testid="other-note"]').text()).toBe('Other (past the top 10): 26 defects, input 430, 5 lots; not drawn as a bar.')
  })

  it('emits select with the stored name of a clicked bar but not for 其他', async () => {
    const w = mountPareto({ displayName: (n: string) => `«${n}»` })
    expect(optionOf(w).xAxis!.data).toEqual(['«A»', '«B»', 'Other'])
    chartOf(w).vm.$emit('click', { componentType: 'series', seriesType: 'bar', dataIndex: 2 })
    chartOf(w).vm.$emit('click', { componentType: 'series', seriesType: 'bar', dataIndex: 1 })
    expect(w.emitted('select')).toEqual([['B']])
  })

  it('shows an empty state instead of a chart', () => {
    const w = mountPareto({ items: [] })
    expect(chartOf(w).exists()).toBe(false)
    expect(w.get('.chart-empty').text()).toBe('No data')
  })

  it('has no static inline style in its markup', () => {
    expect(mountPareto().html()).not.toMatch(/style="/)
  })
})

describe('FactorChart', () => {
  const list = suspectList()
  const volume = buildPareto(
    [
      { name: 'GWBE-0003', input_qty: 9000, defect_qty: 900, lot_count: 90 },
      { name: '(NA)', input_qty: 5000, defect_qty: 500, lot_count: 50 },
      { name: 'GWBE-0029', input_qty: 2000, defect_qty: 45, lot_count: 20 },
    ],
    { topN: 2 },
  )
  const mountFactor = (props: Record<string, unknown> = {}, locale: 'en' | 'zh-TW' = 'en') =>
    mount(FactorChart, {
      props: { factorType: 'machine', title: 'By upstream machine', suspects: list, volume, hasSignificance: true, totalDefects: 1000, ...props },
      global: { plugins: [i18n(locale)] },
    })
  const categories = (w: VueWrapper) => (optionOf(w).yAxis as { data: string[] }).data

  it('shows the ranked machines in the suspect list’s order by default, saying the minimum lot count', () => {
    const w = mountFactor()
    const order = list.filter((s) => s.factor_type === 'machine' && s.rank !== null).map((s) => (s.name === '(NA)' ? 'machine unknown' : s.name))
    expect(categories(w)).toEqual(order)
    expect(w.get('[data-mode="ranked"]').attributes('aria-pressed')).toBe('true')
    expect(w.get('[data-testid="factor-caption"]').text()).toContain('at least 3 lots on each side')
    expect(w.findAll('[data-testid="factor-key"] li').map((li) => li.attributes('data-class'))).toEqual(['significant', 'not_significant', 'baseline'])
    expect(w.get('[role="img"]').attributes('aria-label')).toBe(
      'By upstream machine: 3 ranked suspects in suspect-list order; first GWBE-0029, defect rate 2.25 % against 0.65 %',
    )
  })

  it('lists the material lots in list order with what explains the explained one', () => {
    const w = mountFactor({ factorType: 'material', title: 'By material lot' })
    expect(categories(w)).toEqual(['EPOXY-7 (EL-0042)', 'CAP-A (CAP-0007)'])
    const items = w.findAll('details.bars li')
    expect(items.map((li) => li.get('button').attributes('data-bar'))).toEqual(['EPOXY-7 (EL-0042)', 'CAP-A (CAP-0007)'])
    expect(items[1]!.text()).toContain('Explained by Machine GWBE-0029')
  })

  it('labels its toggle and the volume view as what they are, in both languages', async () => {
    const w = mountFactor()
    expect(w.findAll('.mode-button').map((b) => b.text())).toEqual(['Suspect ranking', 'Attributed volume'])
    await w.get('[data-mode="volume"]').trigger('click')
    expect(w.emitted('update:mode')).toEqual([['volume']])
    expect(w.get('[data-testid="factor-caption"]').text()).toContain('A lot counts for every factor it touched')
    expect(w.get('[data-testid="factor-caption"]').text()).toContain('1,000 defects found')
    // Volume bars without 其他, (NA) in words, 其他 as a note, no cumulative line.
    expect(optionOf(w).xAxis!.data).toEqual(['GWBE-0003', 'machine unknown'])
    expect(optionOf(w).series.map((s) => s.id)).toEqual(['bars'])
    expect(w.get('[data-testid="other-note"]').text()).toContain('45 defects')
    const zh = mountFactor({ mode: 'volume' }, 'zh-TW')
    expect(zh.findAll('.mode-button').map((b) => b.text())).toEqual(['依嫌疑排名', '歸因數量'])
    expect(zh.get('[data-testid="factor-caption"]').text()).toContain('每批計入其經過的每個因子')
    expect(zh.get('[data-testid="other-note"]').text()).toContain('其他')
  })

  it('emits the clicked suspect in ranked mode and the clicked bar’s name in volume mode', async () => {
    const w = mountFactor()
    chartOf(w).vm.$emit('click', { componentType: 'series', seriesType: 'bar', dataIndex: 1 })
    expect((w.emitted('select-suspect')![0]![0] as { name: string }).name).toBe('GWBE-0003')
    await w.setProps({ mode: 'volume' })
    chartOf(w).vm.$emit('click', { componentType: 'series', seriesType: 'bar', dataIndex: 1 })
    expect(w.emitted('select-bar')).toEqual([['(NA)']])
  })

  it('says when none is ranked, and when the result predates significance', () => {
    expect(mountFactor({ suspects: [] }).get('.chart-empty').text()).toBe(
      'No Machine is ranked: none has its lots fare worse than the rest with at least 3 lots on each side.',
    )
    const old = mountFactor({ hasSignificance: false })
    expect(old.text()).toContain('This result predates significance testing')
    expect(old.findAll('[data-testid="factor-key"] li').map((li) => li.attributes('data-class'))).toEqual(['unknown', 'baseline'])
  })

  it('has no static inline style in its markup', () => {
    expect(mountFactor().html()).not.toMatch(/style="/)
  })
})

describe('TrendChart', () => {
  const day = (date: string, lots: number | null, defective: number | null) => ({ date, input_qty: 10, defect_qty: 1, defect_rate: 10, lot_count: lots, defective_lot_count: defective })

  it('draws a p-chart and counts the days outside its limits', () => {
    const w = mount(TrendChart, {
      props: { items: [day('2024-03-01', 50, 5), day('2024-03-02', 50, 5), day('2024-03-03', 40, 30)], title: 'Test' },
      global: { plugins: [i18n()] },
    })
    expect(w.get('.trend-chart').attributes('data-kind')).toBe('p-chart')
    expect(optionOf(w).series.map((s) => s.id)).toEqual(['p', 'ucl', 'lcl', 'outside'])
    expect(w.get('[data-testid="p-chart-caption"]').text()).toContain('1 days outside the limits')
    expect(w.get('[role="img"]').attributes('aria-label')).toBe('Test daily p-chart, 3 days, 2024-03-01 to 2024-03-03, 1 days outside the limits')
  })

  it('says that an older result predates lot counts, shows its rate line and emits the clicked date', () => {
    const w = mount(TrendChart, { props: { items: [day('2024-03-01', null, null)], title: 'Test' }, global: { plugins: [i18n()] } })
    expect(w.get('.trend-chart').attributes('data-kind')).toBe('rate')
    expect(w.get('[data-testid="trend-legacy"]').text()).toContain('predates lot counts')
    expect(optionOf(w).series.map((s) => s.id)).toEqual(['rate'])
    chartOf(w).vm.$emit('click', { componentType: 'series', seriesType: 'line', name: '2024-03-01' })
    expect(w.emitted('select')).toEqual([['2024-03-01']])
  })
})

describe('SuspectTimeView', () => {
  const list = suspectList()
  const timeline: SuspectTimeline = {
    factor_type: 'machine',
    name: 'GWBE-0029',
    station: '焊接_WB',
    days: [
      { date: '2026-09-19', lots: 4, defective_lots: 0, rest_lots: 40, rest_defective_lots: 4 },
      { date: '2026-09-20', lots: 5, defective_lots: 4, rest_lots: 40, rest_defective_lots: 4 },
    ],
  }
  const mountView = (target: SuspectRef | null, more: Record<string, unknown> = {}, locale: 'en' | 'zh-TW' = 'en') =>
    mount(SuspectTimeView, { props: { target, suspects: list, timelines: [timeline], isLegacy: false, ...more }, global: { plugins: [i18n(locale)] }, attachTo: document.body })
  const BONDER: SuspectRef = { factor_type: 'machine', name: 'GWBE-0029', station: '焊接_WB' }

  it('opens on a suspect with its two lines, the onset and the rates around it', async () => {
    const w = mountView(BONDER)
    await flushPromises()
    expect(w.get('dialog').element.open).toBe(true)
    expect(w.get('#time-view-heading').text()).toBe('Time view: Machine GWBE-0029')
    expect(w.get('[data-testid="time-view-meta"] .verdict').text()).toBe('Significant, independent')
    expect(w.get('[data-testid="onset"]').text()).toBe('Onset 2026-09-20: the defective-lot rate rose from 10.00 % to 80.00 % (p = 0.001).')
    expect(optionOf(w).series.map((s) => s.id)).toEqual(['factor', 'rest'])
    expect(w.findAll('details.days tbody tr').map((r) => r.findAll('td').map((c) => c.text()))).toEqual([
      ['2026-09-19', '4', '0', '0.00 %', '40', '4', '10.00 %'],
      ['2026-09-20', '5', '4', '80.00 %', '40', '4', '10.00 %'],
    ])
    await w.get('[data-testid="time-view-close"]').trigger('click')
    expect(w.emitted('close')).toHaveLength(1)
    w.unmount()
  })

  it('says "no onset" for a significant suspect without one', async () => {
    const quiet = list.map((s) => (s.name === 'GWBE-0029' ? { ...s, onset: null, rate_before_onset: null, rate_after_onset: null, onset_p_value: null } : s))
    const w = mountView(BONDER, { suspects: quiet }, 'zh-TW')
    await flushPromises()
    expect(w.get('[data-testid="onset"]').text()).toBe('無起始點（無顯著上升）：此因子的批次在整段期間沒有明顯的轉折。')
    w.unmount()
  })

  it('names what explains an explained suspect', async () => {
    const cap: SuspectRef = { factor_type: 'material', name: 'CAP-A (CAP-0007)', station: '焊接_WB' }
    const w = mountView(cap, { timelines: [{ ...timeline, ...cap }] })
    await flushPromises()
    expect(w.get('[data-testid="time-view-meta"] .verdict').text()).toBe('Explained by Machine GWBE-0029')
    expect(optionOf(w).series.map((s) => s.id)).toEqual(['factor', 'rest'])
    w.unmount()
  })

  it('says why a suspect has no time view', async () => {
    const cases: [SuspectRef, Record<string, unknown>, string][] = [
      [{ factor_type: 'wafer_root', name: 'W-ROOT-1', station: null }, {}, 'Wafer lots have no time view'],
      [{ factor_type: 'machine', name: 'GWBE-0100', station: '焊接_WB' }, {}, 'Only ranked suspects have a time view'],
      [BONDER, { isLegacy: true }, 'This result predates time views'],
    ]
    for (const [target, more, text] of cases) {
      const w = mountView(target, more)
      await flushPromises()
      expect(w.get('[data-testid="time-view-absent"]').text()).toContain(text)
      expect(chartOf(w).exists()).toBe(false)
      w.unmount()
    }
  })

  it('is closed without a target', () => {
    const w = mountView(null)
    expect(w.get('dialog').element.open).toBe(false)
    w.unmount()
  })
})

describe('ForwardStationTable', () => {
  const station = (name: string, order: number, over: Partial<DownstreamStationItem> = {}): DownstreamStationItem => ({
    name,
    order,
    input_qty: 100,
    defect_qty: 6,
    defect_rate: 6,
    lot_count: 3,
    cumulative_pct: 50,
    baseline_rate: 2,
    lift: 3,
    top_loss_reason: 'R-PLATE',
    ...over,
  })
  const kpi: ForwardKpi = {
    detection_lot_count: 2,
    defect_lot_count: 1,
    detection_defect_qty: 7,
    detection_defect_rate: 7,
    tracked_lot_count: 2,
    downstream_stations_reached: 2,
    downstream_total_reject: 8,
    downstream_reject_rate: 8,
    baseline_downstream_reject_rate: 2,
    amplification: 1.1429,
  }
  const mountTable = (locale: 'en' | 'zh-TW' = 'en', more: Partial<ForwardKpi> = {}) =>
    mount(ForwardStationTable, {
      props: { stations: [station('移印', 8, { baseline_rate: null, lift: null, top_loss_reason: 'R-MARK' }), station('電鍍', 7)], kpi: { ...kpi, ...more }, station: '成型' },
      global: { plugins: [i18n(locale)] },
    })

  it('lists the stations in flow order with tracked rate, baseline, lift, top reason and lots', async () => {
    const w = mountTable()
    expect(w.findAll('tbody tr').map((r) => [r.get('th').text(), ...r.findAll('td').map((c) => c.text())])).toEqual([
      ['電鍍', '6.00 %', '2.00 %', '×3.00', 'R-PLATE', '3', '100', '6'],
      ['移印', '6.00 %', '—', '—', 'R-MARK', '3', '100', '6'],
    ])
    await w.get('tbody tr button').trigger('click')
    expect(w.emitted('select')).toEqual([['電鍍']])
  })

  it('defines the amplification in words next to its value', () => {
    expect(mountTable().get('[data-testid="amplification"]').text()).toBe(
      'Amplification ×1.14 = downstream reject rate of the tracked lots (8.00 %) ÷ their defect rate at 成型 (7.00 %).',
    )
    expect(mountTable('zh-TW').get('[data-testid="amplification"]').text()).toBe('放大倍數 ×1.14 = 追蹤批次的下游不良率 8.00 % ÷ 其在 成型 的不良率 7.00 %。')
    expect(mountTable('en', { amplification: null }).get('[data-testid="amplification"]').text()).toContain('Amplification not available')
  })
})

describe('LineageGraph', () => {
  const mountGraph = (selected: string[] = []) =>
    mount(LineageGraph, { props: { lineage: mergeLineage(), selected }, global: { plugins: [i18n()] } })
  const nodeIds = (w: VueWrapper) => optionOf(w).series[0]!.data.map((n) => n.id).sort()
  const nodeEvent = (id: string, ctrlKey = false) => ({ componentType: 'series', seriesType: 'graph', dataType: 'node', data: { id }, event: { event: { ctrlKey } } })

  it('draws every node and summarises the graph', () => {
    const w = mountGraph()
    expect(nodeIds(w)).toHaveLength(9)
    expect(w.get('[data-status="summary"]').text()).toBe('Showing 9 of 9 nodes')
    expect(w.get('[role="img"]').attributes('aria-label')).toBe('Lineage graph: 9 nodes, 9 shown with 9 links, 1 queried lots')
  })

  it('emits the clicked node, adding it with Ctrl', () => {
    const w = mountGraph(['A'])
    chartOf(w).vm.$emit('click', nodeEvent('C'))
    chartOf(w).vm.$emit('click', nodeEvent('C', true))
    expect(w.emitted('select')).toEqual([[['C']], [['A', 'C']]])
  })

  it('collapses a node on double-click and expands everything again', async () => {
    const w = mountGraph()
    chartOf(w).vm.$emit('dblclick', nodeEvent('C'))
    await w.vm.$nextTick()
    expect(nodeIds(w)).toEqual(['A', 'B', 'C', 'M', 'S', 'W', 'X'])
    expect(w.get('[data-status="hidden"]').text()).toContain('2 nodes hidden')
    await w.get('[data-action="expand-all"]').trigger('click')
    expect(nodeIds(w)).toHaveLength(9)
  })

  it('collapses to the roots', async () => {
    const w = mountGraph()
    await w.get('[data-action="collapse-roots"]').trigger('click')
    expect(nodeIds(w)).toEqual(['W', 'X'])
  })

  it('centres on the selection and shows all again', async () => {
    const w = mountGraph(['D'])
    await w.get('[data-action="center"]').trigger('click')
    expect(nodeIds(w)).toEqual(['A', 'C', 'D', 'E', 'W'])
    await w.get('[data-action="show-all"]').trigger('click')
    expect(nodeIds(w)).toHaveLength(9)
    expect(w.find('[data-action="show-all"]').exists()).toBe(false)
  })

  it('clears the selection from a button disabled when nothing is selected', async () => {
    expect(mountGraph().get('[data-action="clear-selection"]').attributes('disabled')).toBeDefined()
    const w = mountGraph(['M'])
    await w.get('[data-action="clear-selection"]').trigger('click')
    expect(w.emitted('select')).toEqual([[[]]])
  })

  it('finds a node by name from the keyboard', async () => {
    const w = mountGraph()
    await w.get('input[type="search"]').setValue('E')
    await w.get('form').trigger('submit')
    expect(w.emitted('select')).toEqual([[['E']]])
  })

  it('explains node and edge types in its legend', () => {
    const w = mountGraph()
    expect(w.findAll('[data-node-type]').map((e) => e.text())).toEqual(['Wafer', 'GA lot', 'GC lot', 'GD lot', 'Lot', 'Unknown'])
    expect(w.findAll('[data-edge-type]').map((e) => e.text())).toEqual(['Split', 'Merge', 'Wafer origin', 'GD rework source'])
  })
})

describe('LineageGraph at plant scale', () => {
  /** 2 000 lots in 40 work orders, fan-out 4, the lots of order 7 typed. */
  function plant() {
    const lineage = bigForwardLineage(2000, 4)
    for (const [cid, n] of Object.entries(lineage.nodes)) lineage.nodes[cid] = { ...n, mfgorder_name: `GA-${String(Number(cid.slice(1)) % 40).padStart(2, '0')}`, node_type: 'GA' }
    lineage.seeds = Object.keys(lineage.nodes).filter((cid) => Number(cid.slice(1)) % 40 === 7)
    return lineage
  }
  const mountPlant = (selected: string[] = []) => mount(LineageGraph, { props: { lineage: plant(), selected }, global: { plugins: [i18n()] } })
  const nodeEvent = (id: string) => ({ componentType: 'series', seriesType: 'graph', dataType: 'node', data: { id }, event: { event: {} } })

  it('opens grouped by work order, one node per order with its count, and the tree beside it', () => {
    const w = mountPlant()
    const data = optionOf(w).series[0]!.data
    expect(data).toHaveLength(40)
    expect(data.find((n) => n.id === 'group:wo:GA-07')!.name).toBe('GA-07 (50)')
    expect(w.get('[data-status="summary"]').text()).toBe('2,000 nodes: 40 groups (holding 2,000) and 0 single nodes')
    expect((w.get('[data-testid="group-mode"]').element as HTMLSelectElement).value).toBe('work_order')
    expect(w.findComponent(LineageTree).exists()).toBe(true)
  })

  it('opens a group on a click, and closes every group again', async () => {
    const w = mountPlant()
    chartOf(w).vm.$emit('click', nodeEvent('group:wo:GA-07'))
    await w.vm.$nextTick()
    const ids = optionOf(w).series[0]!.data.map((n) => n.id)
    expect(ids).toHaveLength(39 + 50)
    expect(ids).toContain('N7')
    expect(w.emitted('select')).toBeUndefined()
    await w.get('[data-action="regroup"]').trigger('click')
    expect(optionOf(w).series[0]!.data).toHaveLength(40)
  })

  it('finds a lot: selects it, draws it and the path to it on their own, centres on it and opens it in the tree', async () => {
    const w = mountPlant()
    await w.get('input.find-input').setValue('lot-001999')
    await w.get('form').trigger('submit')
    expect(w.emitted('select')).toEqual([[['N1999']]])
    await w.setProps({ selected: ['N1999'] })
    const series = optionOf(w).series[0]! as unknown as { data: { id: string; x: number; y: number }[]; center: number[] }
    // N1999 → N499 → N124 → N30 → N7 → N1 → N0: all on their own.
    for (const id of ['N0', 'N1', 'N7', 'N30', 'N124', 'N499', 'N1999']) expect(series.data.map((n) => n.id)).toContain(id)
    const found = series.data.find((n) => n.id === 'N1999')!
    expect(series.center).toEqual([found.x, found.y])
    const tree = w.findComponent(LineageTree)
    expect(tree.props('reveal')).toMatchObject({ id: 'N1999' })
  })

  it('switches the grouping, or draws every node', async () => {
    const w = mountPlant()
    await w.get('[data-testid="group-mode"]').setValue('none')
    expect(optionOf(w).series[0]!.data).toHaveLength(1500)
    expect(w.get('[data-status="cap"]').text()).toContain('500 hidden')
  })
})

describe('LineageTree', () => {
  function mountTree(lineage = bigForwardLineage(7770), selected: string[] = []) {
    const model = buildLineageModel(lineage)
    return mount(LineageTree, {
      props: { model, tree: buildLineageTree(model), selected, detail: new Set(selected), reveal: null },
      global: { plugins: [i18n()] },
      attachTo: document.body,
    })
  }
  const rowIds = (w: VueWrapper) => w.findAll('[role="treeitem"]').map((r) => r.attributes('data-cid'))

  it('puts only the rows in view in the page, with lot ID, type, work order, relation and sub-lots', async () => {
    const w = mountTree()
    expect(rowIds(w)).toEqual(['N0'])
    await w.get('[role="treeitem"] .twisty').trigger('click')
    await w.findAll('[role="treeitem"]')[1]!.find('.twisty').trigger('click')
    expect(rowIds(w)).toEqual(['N0', 'N1', 'N4', 'N5', 'N6', 'N2', 'N3'])
    const cells = w.findAll('[role="treeitem"]')[2]!
    // N4's sub-lots in the complete 3-ary tree of 7 770 nodes: children of i are 3i+1 … 3i+3.
    let below = 0
    for (let level = [4]; level.length > 0; ) {
      level = level.flatMap((i) => [3 * i + 1, 3 * i + 2, 3 * i + 3]).filter((c) => c < 7770)
      below += level.length
    }
    expect(['.lot', '.c-type', '.c-wo', '.c-rel', '.c-below'].map((c) => cells.get(c).text())).toEqual(['lot-000004', 'Lot', '', 'split', below.toLocaleString('en')])
    expect(w.findAll('[role="treeitem"]')[2]!.attributes()).toMatchObject({ 'aria-level': '3', 'aria-setsize': '7', 'aria-posinset': '3' })
    w.unmount()
  })

  it('searches, keeping the path to each hit, and draws a window of rows however many match', async () => {
    const w = mountTree()
    await w.get('[data-testid="tree-search"]').setValue('lot-0077')
    expect(w.get('[data-testid="tree-count"]').text()).toBe('70 matches')
    const ids = rowIds(w)
    // 70 hits with their paths, far more than 480 px of 26 px rows hold: only a window is drawn.
    expect(ids.length).toBeLessThan(40)
    expect(ids[0]).toBe('N0')
    w.unmount()
  })

  it('selects from the keyboard: arrows move and open, Enter picks, Ctrl+Enter adds', async () => {
    const w = mountTree(bigForwardLineage(40), ['N4'])
    const row = (i: number) => w.findAll('[role="treeitem"]')[i]!
    expect(row(0).attributes('tabindex')).toBe('0')
    await row(0).trigger('keydown', { key: 'ArrowDown' })
    await row(1).trigger('keydown', { key: 'Enter' })
    await row(1).trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(w.emitted('select')).toEqual([[['N1']], [['N4', 'N1']]])
    // A small lineage opens fully; ← closes the row, → opens it again.
    const count = () => w.get('[data-testid="tree-count"]').text()
    expect(count()).toBe('40 rows shown (40 nodes)')
    await row(1).trigger('keydown', { key: 'ArrowLeft' })
    expect(count()).toBe('28 rows shown (40 nodes)')
    expect(row(1).attributes('aria-expanded')).toBe('false')
    await row(1).trigger('keydown', { key: 'ArrowRight' })
    expect(count()).toBe('40 rows shown (40 nodes)')
    expect(w.get('[data-cid="N4"]').attributes('aria-selected')).toBe('true')
    expect(w.get('[data-cid="N1"]').attributes('aria-selected')).toBe('false')
    w.unmount()
  })

  it('opens the path to a revealed lot and focuses its row', async () => {
    const w = mountTree()
    await w.setProps({ reveal: { id: 'N7769', seq: 1 } })
    await flushPromises()
    const row = w.find('[data-cid="N7769"]')
    expect(row.exists()).toBe(true)
    expect(row.attributes('aria-level')).toBe('9')
    expect(document.activeElement).toBe(row.element)
    w.unmount()
  })
})

describe('chart messages', () => {
  const keys = (tree: object, prefix = ''): string[] =>
    Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v as object, `${prefix}${k}.`)))
  it('have the same keys in both languages', () => {
    expect(keys(charts['zh-TW']).sort()).toEqual(keys(charts.en).sort())
    expect(keys(charts.en).length).toBeGreaterThan(40)
  })
})
