// @vitest-environment happy-dom
/** The lot timeline component: what it asks the result API for (lots, groups, paging bound) and what it says. */
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import LotTimeline from '../../../../renderer/src/components/charts/LotTimeline.vue'
import { API_KEY } from '../../../../renderer/src/composables/useApi'
import { createAppI18n } from '../../../../renderer/src/i18n'
import type { PageFilter } from '../../../../shared/page-query'
import { fakeApi } from '../fake-api'

vi.mock('vue-echarts', async () => {
  const { defineComponent, h } = await import('vue')
  return {
    default: defineComponent({
      name: 'VChart',
      props: { option: { type: Object, required: true }, autoresize: Boolean },
      setup: () => () => h('div', { class: 'vchart-stub' }),
    }),
  }
})

type PageRequest = { domain: string; offset: number; limit: number; filter?: PageFilter[] }

/** A result whose history has `historyRows` rows for lot C1 (one visit an hour) and one hold on C2. */
function resultApi(historyRows: number) {
  const api = fakeApi()
  api.handle('results:page', (req) => {
    const r = req as PageRequest
    if (r.domain === 'history') {
      const rows = Array.from({ length: Math.max(0, Math.min(r.limit, historyRows - r.offset)) }, (_, i) => {
        const n = r.offset + i
        const at = new Date(Date.UTC(2024, 0, 1) + n * 3_600_000).toISOString().slice(0, 19)
        return { CONTAINERID: 'C1', CONTAINERNAME: 'LOT-1', WORKCENTER_GROUP: '焊接_DB', WORKCENTERNAME: 'DB', EQUIPMENTNAME: 'M1', SPECNAME: 'S', TRACKINTIMESTAMP: at, TRACKOUTTIMESTAMP: at }
      })
      return { rows, total: historyRows, offset: r.offset, limit: r.limit }
    }
    const rows = r.domain === 'holds' ? [{ CONTAINERID: 'C2', CONTAINERNAME: 'LOT-2', WORKCENTERNAME: 'DB', HOLDTXNDATE: '2024-01-01T05:00:00' }] : []
    return { rows, total: rows.length, offset: r.offset, limit: r.limit }
  })
  return api
}

async function mountTimeline(api: ReturnType<typeof fakeApi>, props: Record<string, unknown>) {
  const wrapper = mount(LotTimeline, {
    props: { jobId: 'job-1', cids: ['C1', 'C2'], groups: [], hasGroupColumn: true, domains: ['history', 'holds'], ...props },
    global: { plugins: [createAppI18n('en')], provide: { [API_KEY as symbol]: api } },
  })
  await flushPromises()
  return wrapper
}

const pages = (api: ReturnType<typeof fakeApi>, domain: string) =>
  api.calls.filter((c) => c.channel === 'results:page' && (c.payload as PageRequest).domain === domain).map((c) => c.payload as PageRequest)

describe('LotTimeline', () => {
  it('reads the rows of the selected lots only, in the chosen station groups, and draws them', async () => {
    const api = resultApi(3)
    const wrapper = await mountTimeline(api, { groups: ['焊接_DB'] })
    const [history] = pages(api, 'history')
    expect(history!.filter).toEqual([
      { column: 'CONTAINERID', op: 'in', value: ['C1', 'C2'] },
      { column: 'WORKCENTER_GROUP', op: 'in', value: ['焊接_DB'] },
    ])
    expect(pages(api, 'holds')[0]!.filter).toEqual([{ column: 'CONTAINERID', op: 'in', value: ['C1', 'C2'] }])
    // Materials and rejects are not in this result: not asked for, and said.
    expect(pages(api, 'materials')).toEqual([])
    const chart = wrapper.get('[data-testid="lot-timeline-chart"]')
    expect(chart.attributes('data-bars')).toBe('3')
    expect(chart.attributes('data-markers')).toBe('1')
    expect(chart.attributes('data-lanes')).toBe('2')
    expect(wrapper.text()).toContain('This result has no Materials')
    expect(wrapper.get('[data-testid="lot-timeline-lots"]').text()).toBe('2 lots selected')
  })

  it('stops paging at 5,000 history rows and says so', async () => {
    const api = resultApi(7200)
    const wrapper = await mountTimeline(api, {})
    expect(pages(api, 'history').map((p) => p.offset)).toEqual([0, 1000, 2000, 3000, 4000])
    expect(wrapper.get('[data-testid="lot-timeline-stop"]').text()).toBe('History: read 5,000 of 7,200 rows; the timeline stops there')
    expect(wrapper.get('[data-testid="lot-timeline-chart"]').attributes('data-bars')).toBe('5000')
  })

  it('caps the lanes at 50 of a larger selection and says how many were selected', async () => {
    const api = resultApi(1)
    const cids = Array.from({ length: 60 }, (_, i) => `C${i}`)
    const wrapper = await mountTimeline(api, { cids })
    expect((pages(api, 'history')[0]!.filter![0] as { value: string[] }).value).toHaveLength(50)
    expect(wrapper.get('[data-testid="lot-timeline-lots"]').text()).toBe('Showing the first 50 of the 60 selected lots (at most 50)')
  })
})
