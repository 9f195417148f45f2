// @vitest-environment happy-dom
/**
 * An equipment sub-view's export is delivered as every export is (useExport's `deliver`): the
 * chosen format goes to the view's writer, a saved file is named with its rows and shown in its
 * folder on request, a cancelled dialog says nothing, a refusal says why.
 */
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import type { ExportAnswer } from '../../../shared/api'
import type { EquipmentExport as EquipmentExportTable } from '../../../shared/equipment'
import EquipmentExport from '../../../renderer/src/components/equipment/EquipmentExport.vue'
import { API_KEY, ApiError } from '../../../renderer/src/composables/useApi'
import { createAppI18n } from '../../../renderer/src/i18n'
import { fakeApi } from './fake-api'
import { settle } from './mount-app'

function mountExport(answer: () => Promise<ExportAnswer>) {
  const api = fakeApi()
  api.handle('jobs:show-export', () => ({ shown: true }))
  const asked: [EquipmentExportTable, 'csv' | 'xlsx'][] = []
  const run = (table: EquipmentExportTable, format: 'csv' | 'xlsx') => {
    asked.push([table, format])
    return answer()
  }
  const wrapper = mount(EquipmentExport, {
    props: { table: 'rejects', run },
    global: { plugins: [createAppI18n('en')], provide: { [API_KEY as symbol]: api } },
  })
  return { api, asked, wrapper }
}

describe('EquipmentExport', () => {
  it('writes the chosen format, names the saved file and shows it in its folder', async () => {
    const { api, asked, wrapper } = mountExport(async () => ({ cancelled: false, delivery: 'saved', files: [{ path: '/home/eng/rejects.xlsx', name: 'rejects.xlsx', rows: 3 }] }))
    await wrapper.get('[data-testid="equipment-export-format"]').setValue('xlsx')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(asked).toEqual([['rejects', 'xlsx']])
    expect(wrapper.get('[data-testid="equipment-export-done"]').text()).toContain('Saved to /home/eng/rejects.xlsx (3 rows)')
    await wrapper.get('[data-testid="equipment-export-show"]').trigger('click')
    await settle()
    expect(api.calls).toEqual([{ channel: 'jobs:show-export', payload: { path: '/home/eng/rejects.xlsx' } }])
  })

  it('says nothing after a cancelled dialog, and why a refused export was refused', async () => {
    const cancelled = mountExport(async () => ({ cancelled: true, delivery: 'saved', files: [] }))
    await cancelled.wrapper.get('form').trigger('submit')
    await settle()
    expect(cancelled.wrapper.find('[data-testid="equipment-export-done"]').exists()).toBe(false)
    expect(cancelled.wrapper.find('[role="alert"]').exists()).toBe(false)

    const refused = mountExport(async () => {
      throw new ApiError({ code: 'export/refused', message: 'table: the source has no DW_MES_RESOURCESTATUS_SHIFT.' })
    })
    await refused.wrapper.get('form').trigger('submit')
    await settle()
    expect(refused.wrapper.get('[role="alert"]').text()).toContain('export/refused')
    expect(refused.wrapper.get('[role="alert"]').text()).toContain('DW_MES_RESOURCESTATUS_SHIFT')
  })
})
