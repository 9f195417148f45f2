// @vitest-environment happy-dom
/**
 * The equipment tab on a source missing optional tables: the machine list from history and the
 * missing status table are named where their data would be; a URL with complete conditions shows
 * its sub-view; job rows open and close (several at once); a server error shows once.
 */
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import EquipmentView from '../../../renderer/src/views/EquipmentView.vue'
import { API_KEY } from '../../../renderer/src/composables/useApi'
import { createAppI18n } from '../../../renderer/src/i18n'
import type { EquipmentTimeline, MachineList } from '../../../shared/equipment'
import { fakeApi } from './fake-api'

vi.mock('vue-echarts', async () => {
  const { defineComponent, h } = await import('vue')
  return {
    default: defineComponent({ name: 'VChart', props: { option: { type: Object, required: true }, autoresize: Boolean }, setup: () => () => h('div', { class: 'vchart-stub' }) }),
  }
})

const LIST: MachineList = {
  machines: [
    { resource_id: 'R1', name: 'GWBE-0029', workcenter: '焊接_WB', station: '焊接_WB', family: null },
    { resource_id: 'R2', name: 'GWBM-0007', workcenter: '焊接_WB', station: '焊接_WB', family: null },
  ],
  from: 'history',
  filtered_by: [],
  missing_tables: ['DW_MES_RESOURCE', 'DW_MES_RESOURCESTATUS_SHIFT'],
  default_range: { start: '2026-10-02', end: '2026-10-31' },
  limits: { max_machines: 20, max_days: 90 },
}
const TIMELINE: EquipmentTimeline = {
  machines: [
    { resource_id: 'R1', name: 'GWBE-0029' },
    { resource_id: 'R2', name: 'GWBM-0007' },
  ],
  window: { start: '2026-10-02T00:00:00', end: '2026-11-01T00:00:00' },
  status: null,
  hours: null,
  lots: [{ resource_id: 'R1', container_id: 'C1', lot_id: 'GA1', spec: 'S', workcenter: 'W', start: '2026-10-03T01:00:00', end: '2026-10-03T02:00:00' }],
  lots_total: 1,
  jobs: [],
  missing_tables: ['DW_MES_RESOURCESTATUS_SHIFT'],
}

async function mountAt(url: string, api = fakeApi()) {
  api.handle('sources:list', () => [{ id: 's', name: 'Demo' } as never])
  api.handle('equipment:machines', () => LIST)
  api.handle('equipment:timeline', () => TIMELINE)
  api.handle('equipment:jobs', () => ({
    rows: [
      { JOBID: 'J1', JOBSTATUS: 'Completed', RESOURCEID: 'R1', RESOURCENAME: 'GWBE-0029', JOBMODELNAME: 'REPAIR', CONTAINERNAMES: 'GA1' },
      { JOBID: 'J2', JOBSTATUS: 'Open', RESOURCEID: 'R2', RESOURCENAME: 'GWBM-0007', JOBMODELNAME: 'PM', CONTAINERNAMES: null },
    ],
  }))
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/equipment', component: EquipmentView }] })
  await router.push(url)
  const wrapper = mount({ template: '<RouterView />' }, { global: { plugins: [router, createAppI18n('en')], provide: { [API_KEY as symbol]: api } }, attachTo: document.body })
  await flushPromises()
  await flushPromises()
  return { wrapper, api, router }
}

describe('EquipmentView', () => {
  it('names the missing tables: the machine list from history, no status lane and no status hours', async () => {
    const { wrapper, api } = await mountAt('/equipment?source=s&machine=R1&machine=R2&start=2026-10-02&end=2026-10-31&view=timeline')
    expect(wrapper.get('[data-testid="equipment-machines-from-history"]').text()).toContain('no DW_MES_RESOURCE')
    expect(wrapper.get('[data-testid="equipment-missing-tables"]').text()).toBe('This source lacks DW_MES_RESOURCESTATUS_SHIFT.')
    expect(wrapper.get('[data-testid="equipment-timeline-no-status"]').text()).toContain('no status bands and no status hours')
    expect(wrapper.get('[data-testid="equipment-hours-missing"]').text()).toContain('DW_MES_RESOURCESTATUS_SHIFT')
    expect(wrapper.get('[data-testid="equipment-timeline-chart"]').attributes()).toMatchObject({ 'data-lanes': '2', 'data-lots': '1', 'data-bands': '0' })
    expect(api.calls.filter((c) => c.channel === 'equipment:timeline').map((c) => c.payload)).toEqual([{ id: 's', equipment_ids: ['R1', 'R2'], start_date: '2026-10-02', end_date: '2026-10-31' }])
    expect(wrapper.get('[data-testid="machine-picker-summary"]').text()).toBe('2 selected')
    wrapper.unmount()
  })

  it('opens several job rows at once, by the ▸ control, and shows the status as a badge of its tone', async () => {
    const { wrapper } = await mountAt('/equipment?source=s&machine=R1&machine=R2&start=2026-10-02&end=2026-10-31&view=jobs')
    expect(wrapper.findAll('[data-testid="equipment-job-row"]')).toHaveLength(2)
    expect(wrapper.findAll('[data-testid="equipment-job-status"]').map((b) => b.classes().find((c) => c.startsWith('tone-')))).toEqual(['tone-success', 'tone-warning'])
    const buttons = wrapper.findAll('[data-testid="equipment-job-expand"]')
    await buttons[0]!.trigger('click')
    await buttons[1]!.trigger('click')
    const details = wrapper.findAll('[data-testid="equipment-job-detail"]')
    expect(details).toHaveLength(2)
    expect(details[0]!.text()).toContain('REPAIR')
    expect(buttons[0]!.attributes('aria-expanded')).toBe('true')
    await buttons[0]!.trigger('click')
    expect(wrapper.findAll('[data-testid="equipment-job-detail"]')).toHaveLength(1)
    wrapper.unmount()
  })

  it('shows a server error once, in its sub-view', async () => {
    const api = fakeApi()
    api.fail('equipment:jobs', 'input/invalid', 'end_date: the range may span at most 90 days', { field: 'end_date' })
    const { wrapper } = await mountAt('/equipment?source=s&machine=R1&start=2026-10-02&end=2026-10-31&view=jobs', api)
    expect(wrapper.findAll('[data-code="input/invalid"]')).toHaveLength(1)
    expect(wrapper.get('[data-testid="equipment-panel-jobs"]').find('[data-code="input/invalid"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('checks the form before sending and names the field', async () => {
    const { wrapper, api } = await mountAt('/equipment')
    expect((wrapper.get('[data-testid="equipment-start"]').element as HTMLInputElement).value).toBe('2026-10-02')
    await wrapper.get('[data-testid="equipment-form"]').trigger('submit')
    expect(wrapper.get('[data-testid="equipment-problems"]').text()).toBe('Machines: choose at least one.')
    expect(api.calls.some((c) => c.channel.startsWith('equipment:') && c.channel !== 'equipment:machines')).toBe(false)
    wrapper.unmount()
  })
})
