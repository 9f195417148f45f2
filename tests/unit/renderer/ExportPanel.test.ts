// @vitest-environment happy-dom
/**
 * The export panel: "this view" sends what the table shows (the person's boxes, then the table's
 * fixed conditions, the order, the shown data columns with their labels, the selected rows) and
 * "all rows" sends no view; after the desktop app saved a file, "show in folder" asks main to show
 * exactly that file; in the browser host (a download) there is no such button.
 */
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { ExportAnswer } from '../../../shared/api'
import type { PageFilter } from '../../../shared/page-query'
import ExportPanel from '../../../renderer/src/components/ExportPanel.vue'
import type { TableView } from '../../../renderer/src/components/table/table-view'
import { API_KEY } from '../../../renderer/src/composables/useApi'
import { exportViewOf } from '../../../renderer/src/composables/useExport'
import { createAppI18n } from '../../../renderer/src/i18n'
import { fakeApi } from './fake-api'
import { settle } from './mount-app'

const JOB = 'trace-evt-0123456789ab'
const VIEW: TableView = {
  filter: [{ column: 'SPECNAME', op: 'contains', value: 'DB' }],
  sort: { column: 'TRACKINTIMESTAMP', direction: 'desc' },
  columns: ['CONTAINERNAME', 'actions', 'SPECNAME'],
  selection: [[2, 4], [9, 9]],
}
const FIXED: PageFilter[] = [{ column: 'CONTAINERID', op: 'in', value: ['CID-1', 'CID-2'] }]
const COLUMNS = [{ key: 'CONTAINERNAME', label: 'Lot ID' }, { key: 'SPECNAME' }, { key: 'TRACKINTIMESTAMP', label: 'Track-in' }]

afterEach(() => {
  document.body.innerHTML = ''
})

describe('exportViewOf', () => {
  it('sends the boxes then the fixed conditions, the order, the shown data columns in display order with their labels, and the selection', () => {
    expect(exportViewOf(VIEW, FIXED, COLUMNS)).toEqual({
      filter: [...VIEW.filter, ...FIXED],
      sort: { column: 'TRACKINTIMESTAMP', direction: 'desc' },
      columns: ['CONTAINERNAME', 'SPECNAME'],
      headers: ['Lot ID', 'SPECNAME'],
      selection: [[2, 4], [9, 9]],
    })
  })

  it('leaves out what the view does not have: no conditions, no order, no selection, no labels', () => {
    expect(exportViewOf({ filter: [], sort: null, columns: ['A', 'B'], selection: [] })).toEqual({ columns: ['A', 'B'] })
  })
})

describe('ExportPanel', () => {
  function mountPanel(answer: ExportAnswer, props: Record<string, unknown> = {}) {
    const api = fakeApi()
    api.handle('jobs:export', () => answer)
    api.handle('jobs:show-export', () => ({ shown: true }))
    const wrapper = mount(ExportPanel, {
      props: { jobId: JOB, table: 'history', view: VIEW, fixedFilter: FIXED, columns: COLUMNS, ...props },
      global: { plugins: [createAppI18n('en')], provide: { [API_KEY as symbol]: api } },
      attachTo: document.body,
    })
    return { api, wrapper }
  }
  const saved: ExportAnswer = { cancelled: false, delivery: 'saved', files: [{ path: '/home/eng/lots-view.csv', name: 'lots-view.csv', rows: 5 }] }

  it('exports this view by default, and every row when asked', async () => {
    const { api, wrapper } = mountPanel(saved)
    expect((wrapper.get('[data-testid="export-scope-view"]').element as HTMLInputElement).checked).toBe(true)
    expect(wrapper.get('[data-testid="export-view-hint"]').text()).toBe('Only the 4 selected rows, in the order and columns shown')
    await wrapper.get('form').trigger('submit')
    await settle()
    await wrapper.get('[data-testid="export-scope-all"]').setValue(true)
    await wrapper.get('[data-testid="export-format"]').setValue('xlsx')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(api.calls.map((c) => c.payload)).toEqual([
      { job_id: JOB, format: 'csv', table: 'history', view: exportViewOf(VIEW, FIXED, COLUMNS) },
      { job_id: JOB, format: 'xlsx', table: 'history' },
    ])
    expect(wrapper.find('[data-testid="export-view-hint"]').exists()).toBe(false)
  })

  it('offers only all rows until the table has said what it shows', async () => {
    const { api, wrapper } = mountPanel(saved, { view: null })
    expect((wrapper.get('[data-testid="export-scope-view"]').element as HTMLInputElement).disabled).toBe(true)
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(api.calls.map((c) => c.payload)).toEqual([{ job_id: JOB, format: 'csv', table: 'history' }])
  })

  it('shows a file the desktop app saved in its folder', async () => {
    const { api, wrapper } = mountPanel(saved)
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(wrapper.get('[data-testid="export-done"]').text()).toContain('Saved to /home/eng/lots-view.csv (5 rows)')
    await wrapper.get('[data-testid="export-show"]').trigger('click')
    await settle()
    expect(api.calls.at(-1)).toEqual({ channel: 'jobs:show-export', payload: { path: '/home/eng/lots-view.csv' } })
  })

  it('says why a file could not be shown', async () => {
    const { api, wrapper } = mountPanel(saved)
    api.fail('jobs:show-export', 'export/refused', 'path: only a file this app exported since it started can be shown in its folder.')
    await wrapper.get('form').trigger('submit')
    await settle()
    await wrapper.get('[data-testid="export-show"]').trigger('click')
    await settle()
    expect(wrapper.get('[role="alert"]').text()).toContain('export/refused')
  })

  it('has no "show in folder" for a download (the browser host)', async () => {
    const { wrapper } = mountPanel({ cancelled: false, delivery: 'download', files: [{ path: '/data/exports/x-view.csv', name: 'x-view.csv', rows: 0 }] })
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(wrapper.get('[data-testid="export-done"]').text()).toContain('Downloaded x-view.csv (0 rows)')
    expect(wrapper.find('[data-testid="export-show"]').exists()).toBe(false)
  })
})
