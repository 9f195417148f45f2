// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { suspectRow, type Suspect, type SuspectSummary } from '../../../shared/msd'
import type { PageQuery } from '../../../shared/page-query'
import SuspectTable from '../../../renderer/src/components/SuspectTable.vue'
import { API_KEY } from '../../../renderer/src/composables/useApi'
import { createAppI18n } from '../../../renderer/src/i18n'
import { fakeApi, type FakeApi } from './fake-api'
import { bonderSuspect as suspect } from '../../fixtures/suspect-fixture'

const JOB = 'trace-evt-0000000000c1'

const BONDER = suspect({})
const CAPILLARY = suspect({
  factor_type: 'material',
  name: 'CAP-WB38 (CAP261009-GWBE-0029)',
  lots: 60,
  defective_lots: 59,
  defect_rate: 2.726,
  baseline_rate: 0.813,
  lift: 3.35,
  p_value: 4e-15,
  rank: 8,
  q_value: 1.1e-12,
  explained_by: { factor_type: 'machine', name: 'GWBE-0029', station: '焊接_WB' },
  conditional_p_value: 0.41,
  onset: null,
  onset_p_value: null,
  rate_before_onset: null,
  rate_after_onset: null,
})
const ROOT = suspect({ factor_type: 'wafer_root', name: '56098S24Y-8F03R', station: null, lots: 2, defective_lots: 2, rank: null, p_value: 0.3, q_value: 0.9, significant: false, inconclusive: true, conditional_p_value: null, onset: null })
const PLAIN = suspect({ factor_type: 'material', name: 'EMC-G600-A (SMB261020-11)', station: '成型', rank: 40, q_value: 0.2, significant: false, conditional_p_value: null, onset: null })

const SUMMARY: SuspectSummary = { machines: 300, materials: 250, wafer_roots: 61, ranked: 232, not_elevated: 300, inconclusive: 51, no_contrast: 1, total: 611, significant: 32, independent: 6, explained: 26, fdr: 0.05 }

let wrapper: VueWrapper | undefined
let api: FakeApi

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
})

/** Mounts the table over stored rows; every results:detail query is answered with all of them. */
async function mountTable(options: { summary?: SuspectSummary; rows?: Record<string, string | number | null>[]; locale?: 'en' | 'zh-TW' } = {}) {
  api = fakeApi()
  const rows = options.rows ?? [BONDER, CAPILLARY, PLAIN, ROOT].map(suspectRow)
  api.handle('results:detail', ({ offset, limit }) => ({ rows, total: rows.length, offset: offset ?? 0, limit: limit ?? 100 }))
  wrapper = mount(SuspectTable, {
    props: { jobId: JOB, summary: options.summary ?? SUMMARY, suspects: [BONDER, CAPILLARY, PLAIN], timelines: [BONDER, CAPILLARY] },
    global: { plugins: [createAppI18n(options.locale ?? 'en')], provide: { [API_KEY as symbol]: api } },
    attachTo: document.body,
  })
  await flushPromises()
  return wrapper
}

const queries = (): (PageQuery & { table: string; job_id: string })[] =>
  api.calls.filter((c) => c.channel === 'results:detail').map((c) => c.payload as PageQuery & { table: string; job_id: string })
const rowText = (w: VueWrapper, index: number): string[] => w.find(`tbody tr[data-index="${index}"]`).findAll('td').map((c) => c.text())
const headers = (w: VueWrapper): string[] => w.findAll('thead th').map((h) => h.text().replace(/[▲▼]/g, '').trim())

describe('SuspectTable', () => {
  it('says how many suspects are significant, independent and explained', async () => {
    const w = await mountTable()
    expect(w.get('[data-testid="suspect-summary"] strong').text()).toBe('32 significant of 610 factors tested (FDR q ≤ 5 %): 6 independent, 26 explained by another')
    expect(w.get('[data-testid="suspect-summary"]').text()).toContain('232 worse than their baseline, 300 no worse, 51 with too few lots to tell.')
  })

  it('pages the full list from the result, in its stored order, with friendly columns', async () => {
    const w = await mountTable()
    expect(queries()[0]).toEqual({ job_id: JOB, table: 'suspects', offset: 0, limit: 200 })
    expect(headers(w)).toEqual(['#', 'Kind', 'Name', 'Station', 'Defective lots', 'Rate vs baseline', 'Lift', 'p', 'q', 'Verdict', 'Cond. p', 'Onset (defective lots)', 'Actions'])
    expect(rowText(w, 0)).toEqual(['1', 'Machine', 'GWBE-0029', '焊接_WB', '655 / 801 lots', '2.32 % vs 0.66 %', '×3.52', '8.2e-67', '2.9e-63', 'Independent', '1.2e-52', '2026-09-17 (45.86 % → 92.26 %)', 'LotsTime view'])
    expect(rowText(w, 1).slice(9, 11)).toEqual(['Explained by GWBE-0029', '0.410'])
    // The tooltip names the explaining factor in full, with the conditional p.
    expect(w.get('tbody tr[data-index="1"] .verdict').attributes('title')).toBe('Explained by Machine 焊接_WB/GWBE-0029 (conditional p 0.410)')
    expect(rowText(w, 2)[9]).toBe('Not significant')
    expect(rowText(w, 3)[9]).toBe('Too few lots')
    expect(rowText(w, 3)[3]).toBe('—')
  })

  it('sorts on the server by the column clicked', async () => {
    const w = await mountTable()
    await w.get('thead th[data-column="q_value"] button').trigger('click')
    await flushPromises()
    expect(queries().at(-1)).toMatchObject({ table: 'suspects', offset: 0, sort: { column: 'q_value', direction: 'asc' } })
    await w.get('thead th[data-column="lift"] button').trigger('click')
    await w.get('thead th[data-column="lift"] button').trigger('click')
    await flushPromises()
    expect(queries().at(-1)).toMatchObject({ sort: { column: 'lift', direction: 'desc' } })
  })

  it('sends the filters to the server as page conditions, keeping the order', async () => {
    const w = await mountTable()
    await w.get('thead th[data-column="lift"] button').trigger('click')
    await flushPromises()
    await w.get('select[data-filter="type"]').setValue('material')
    await flushPromises()
    expect(queries().at(-1)).toMatchObject({ sort: { column: 'lift', direction: 'asc' }, filter: [{ column: 'factor_type', op: 'eq', value: 'material' }] })
    await w.get('input[data-filter="station"]').setValue('焊接')
    await w.get('input[data-filter="min-lift"]').setValue('2')
    await w.get('input[data-filter="max-q"]').setValue('0.05')
    await w.get('select[data-filter="verdict"]').setValue('explained')
    await flushPromises()
    expect(queries().at(-1)!.filter).toEqual([
      { column: 'factor_type', op: 'eq', value: 'material' },
      { column: 'station', op: 'contains', value: '焊接' },
      { column: 'lift', op: 'gte', value: 2 },
      { column: 'q_value', op: 'lte', value: 0.05 },
      { column: 'verdict', op: 'eq', value: 'explained' },
    ])
    await w.get('[data-testid="suspect-filters-clear"]').trigger('click')
    await flushPromises()
    expect(queries().at(-1)!.filter).toBeUndefined()
    expect((w.get('input[data-filter="station"]').element as HTMLInputElement).value).toBe('')
  })

  it('picks the independent suspects by their stored verdict, and the not significant ones by their flag', async () => {
    const w = await mountTable()
    await w.get('select[data-filter="verdict"]').setValue('independent')
    await flushPromises()
    expect(queries().at(-1)!.filter).toEqual([{ column: 'verdict', op: 'eq', value: 'independent' }])
    await w.get('select[data-filter="verdict"]').setValue('not_significant')
    await flushPromises()
    expect(queries().at(-1)!.filter).toEqual([{ column: 'significant', op: 'eq', value: 'no' }])
  })

  it('drills down with the suspect and its lots, and opens the time view of ranked machines and materials only', async () => {
    const w = await mountTable()
    await w.get('tbody tr[data-index="0"] [data-testid="drill"]').trigger('click')
    expect(w.emitted('drill')).toEqual([[{ factor_type: 'machine', name: 'GWBE-0029', station: '焊接_WB', lots: 801 }]])
    await w.get('tbody tr[data-index="1"] [data-testid="open-timeline"]').trigger('click')
    expect(w.emitted('open-timeline')).toEqual([[{ factor_type: 'material', name: 'CAP-WB38 (CAP261009-GWBE-0029)', station: '焊接_WB' }]])
    // Only suspects with a time view in the aggregation offer it: not a ranked material without one, nor a wafer root.
    expect(w.find('tbody tr[data-index="2"] [data-testid="open-timeline"]').exists()).toBe(false)
    expect(w.find('tbody tr[data-index="3"] [data-testid="open-timeline"]').exists()).toBe(false)
    expect(w.find('tbody tr[data-index="3"] [data-testid="drill"]').exists()).toBe(true)
    // A double-click on a row drills down too.
    await w.get('tbody tr[data-index="3"]').trigger('dblclick')
    expect(w.emitted('drill')!.at(-1)).toEqual([{ factor_type: 'wafer_root', name: '56098S24Y-8F03R', station: null, lots: 2 }])
  })

  it('says an older result predates significance testing instead of showing zeros, and asks only for the columns it has', async () => {
    const legacy: SuspectSummary = { ...SUMMARY, significant: 0, independent: 0, explained: 0, fdr: null }
    const v1 = (s: Suspect) => Object.fromEntries(Object.entries(suspectRow(s)).slice(0, 16))
    const w = await mountTable({ summary: legacy, rows: [v1(BONDER), v1(ROOT)] })
    const text = w.get('[data-testid="suspect-summary"]').text()
    expect(text).toContain('This result predates significance testing')
    expect(text).toContain('232 of 611 factors fare worse than their baseline')
    expect(text).not.toMatch(/\b0 significant/)
    expect(headers(w)).toEqual(['#', 'Kind', 'Name', 'Station', 'Defective lots', 'Rate vs baseline', 'Lift', 'p', 'Actions'])
    expect(w.find('select[data-filter="verdict"]').exists()).toBe(false)
    expect(w.find('input[data-filter="max-q"]').exists()).toBe(false)
    await w.get('input[data-filter="min-lift"]').setValue('1.5')
    await flushPromises()
    expect(queries().at(-1)!.filter).toEqual([{ column: 'lift', op: 'gte', value: 1.5 }])
  })

  it('speaks Traditional Chinese', async () => {
    const w = await mountTable({ locale: 'zh-TW' })
    expect(w.get('[data-testid="suspect-summary"] strong').text()).toBe('610 個受測因子中 32 個顯著（FDR q ≤ 5 %）：6 個獨立，26 個可由其他因子解釋')
    expect(rowText(w, 1)[9]).toBe('由 GWBE-0029 解釋')
    expect(w.get('tbody tr[data-index="1"] .verdict').attributes('title')).toBe('由 機台 焊接_WB/GWBE-0029 解釋（條件 p 0.410）')
    expect(rowText(w, 0)[4]).toBe('655 / 801 批')
  })
})
