// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { mount, type VueWrapper } from '@vue/test-utils'
import { createAppI18n } from '../../../../renderer/src/i18n'
import MultiSelect from '../../../../renderer/src/components/table/MultiSelect.vue'

const OPTIONS = ['切割', '焊接_DB', '焊接_WB', '測試']
let wrapper: VueWrapper | undefined
afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
})

function mountSelect(modelValue: string[] = [], locale: 'en' | 'zh-TW' = 'zh-TW') {
  wrapper = mount(MultiSelect, {
    props: { options: OPTIONS, modelValue, label: '站點群組', placeholder: '全部群組', 'onUpdate:modelValue': (v: string[]) => wrapper!.setProps({ modelValue: v }) },
    global: { plugins: [createAppI18n(locale)] },
    attachTo: document.body,
  })
  return wrapper
}

describe('MultiSelect', () => {
  it('shows the placeholder when nothing is chosen, and the choice in the options\' order', async () => {
    const w = mountSelect()
    expect(w.find('.ms-summary').text()).toBe('全部群組')
    await w.find('.ms-button').trigger('click')
    expect(w.findAll('.ms-option').map((o) => o.attributes('data-value'))).toEqual(OPTIONS)
    await w.find('.ms-option[data-value="測試"] input').setValue(true)
    await w.find('.ms-option[data-value="切割"] input').setValue(true)
    expect(w.emitted('update:modelValue')!.at(-1)).toEqual([['切割', '測試']])
    expect(w.find('.ms-summary').text()).toBe('切割、測試')
    await w.find('.ms-option[data-value="焊接_DB"] input').setValue(true)
    expect(w.find('.ms-summary').text()).toBe('3 個群組')
  })

  it('narrows the list by the search text and clears the choice', async () => {
    const w = mountSelect(['測試'])
    await w.find('.ms-button').trigger('click')
    await w.find('.ms-search').setValue('焊接')
    expect(w.findAll('.ms-option').map((o) => o.attributes('data-value'))).toEqual(['焊接_DB', '焊接_WB'])
    await w.find('.ms-search').setValue('nothing')
    expect(w.find('.ms-none').text()).toBe('沒有符合的群組')
    await w.find('.ms-clear').trigger('click')
    expect(w.emitted('update:modelValue')!.at(-1)).toEqual([[]])
    expect(w.find('.ms-summary').text()).toBe('全部群組')
  })

  it('closes on Escape', async () => {
    const w = mountSelect([], 'en')
    await w.find('.ms-button').trigger('click')
    expect(w.find('.ms-menu').exists()).toBe(true)
    await w.find('.ms-search').trigger('keydown', { key: 'Escape' })
    expect(w.find('.ms-menu').exists()).toBe(false)
    expect(w.find('.ms-button').attributes('aria-expanded')).toBe('false')
  })
})
