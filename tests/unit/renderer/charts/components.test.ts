// @vitest-environment happy-dom
/** The chart components with the chart itself stubbed: what they pass to it and what they emit. */
import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import type { VueWrapper } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import ParetoChart from '../../../../renderer/src/components/charts/ParetoChart.vue'
import TrendChart from '../../../../renderer/src/components/charts/TrendChart.vue'
import LineageGraph from '../../../../renderer/src/components/charts/LineageGraph.vue'
import { charts } from '../../../../renderer/src/i18n/charts'
import { buildPareto, PARETO_OTHER } from '../../../../shared/msd'
import { mergeLineage } from './fixtures'

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

function i18n() {
  return createI18n({ legacy: false, locale: 'en', messages: { en: { charts: charts.en }, 'zh-TW': { charts: charts['zh-TW'] } } })
}

interface StubOption {
  series: { data: { id?: string; name?: string; value?: number }[] }[]
  xAxis?: { data: string[] }
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

  it('passes quantity bars to the chart with an accessible summary', () => {
    const w = mountPareto()
    expect(optionOf(w).xAxis!.data).toEqual(['A', 'B', PARETO_OTHER])
    const box = w.get('[role="img"]')
    expect(box.attributes('aria-label')).toBe('Machines Pareto chart, 3 items by Quantity; first: A 50')
    expect(w.get('[data-mode="qty"]').attributes('aria-pressed')).toBe('true')
  })

  it('switches to rate order from its toggle and emits update:mode', async () => {
    const w = mountPareto()
    await w.get('[data-mode="rate"]').trigger('click')
    expect(w.emitted('update:mode')).toEqual([['rate']])
    expect(optionOf(w).xAxis!.data).toEqual(['B', 'A', PARETO_OTHER])
    expect(w.get('[data-mode="rate"]').attributes('aria-pressed')).toBe('true')
  })

  it('follows a controlled mode', async () => {
    const w = mountPareto({ mode: 'rate' })
    expect(optionOf(w).xAxis!.data[0]).toBe('B')
    await w.setProps({ mode: 'qty' })
    expect(optionOf(w).xAxis!.data[0]).toBe('A')
  })

  it('emits select for a bar but not for 其他', async () => {
    const w = mountPareto()
    chartOf(w).vm.$emit('click', { componentType: 'series', seriesType: 'bar', name: PARETO_OTHER })
    chartOf(w).vm.$emit('click', { componentType: 'series', seriesType: 'bar', name: 'B' })
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

describe('TrendChart', () => {
  it('passes the days and emits the clicked date', () => {
    const w = mount(TrendChart, {
      props: { items: [{ date: '2024-03-01', input_qty: 10, defect_qty: 1, defect_rate: 10, lot_count: null, defective_lot_count: null }], title: 'Test' },
      global: { plugins: [i18n()] },
    })
    expect(optionOf(w).xAxis!.data).toEqual(['2024-03-01'])
    expect(w.get('[role="img"]').attributes('aria-label')).toBe('Test daily trend, 1 days, 2024-03-01 to 2024-03-01')
    chartOf(w).vm.$emit('click', { componentType: 'series', seriesType: 'line', name: '2024-03-01' })
    expect(w.emitted('select')).toEqual([['2024-03-01']])
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

describe('chart messages', () => {
  const keys = (tree: object, prefix = ''): string[] =>
    Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v as object, `${prefix}${k}.`)))
  it('have the same keys in both languages', () => {
    expect(keys(charts['zh-TW']).sort()).toEqual(keys(charts.en).sort())
    expect(keys(charts.en).length).toBeGreaterThan(40)
  })
})
