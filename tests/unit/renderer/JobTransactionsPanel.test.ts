// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import JobTransactionsPanel from '../../../renderer/src/components/JobTransactionsPanel.vue'
import { API_KEY } from '../../../renderer/src/composables/useApi'
import { messagesOf } from '../../../renderer/src/i18n'
import type { Api } from '../../../shared/api'
import { fakeApi, type FakeApi } from './fake-api'

const JOB = 'trace-evt-0123456789ab'

function mountPanel(api: Api, repairJob: string | null, locale: 'en' | 'zh-TW' = 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { en: messagesOf('en'), 'zh-TW': messagesOf('zh-TW') } })
  return mount(JobTransactionsPanel, { props: { jobId: JOB, repairJob }, global: { plugins: [i18n], provide: { [API_KEY as symbol]: api } } })
}

function answering(rows: Record<string, string | null>[], missing: string | null = null): FakeApi {
  const api = fakeApi()
  api.handle('sources:job-transactions', ({ repair_job }) => ({ job: repair_job, rows, missing_table: missing }))
  return api
}

describe('JobTransactionsPanel', () => {
  it('reads the open job’s transactions from the result’s source and shows each with badges and the person', async () => {
    const api = answering([
      { TXNDATE: '2026-10-24T02:36:00', FROMJOBSTATUS: null, JOBSTATUS: 'Open', STAGENAME: 'Create', CAUSECODENAME: 'C1', REPAIRCODENAME: null, USER_NAME: null, EMP_NAME: '李大華', COMMENTS: 'new' },
      { TXNDATE: '2026-10-24T06:24:00', FROMJOBSTATUS: 'Open', JOBSTATUS: 'Complete', STAGENAME: 'Close', CAUSECODENAME: 'C1', REPAIRCODENAME: 'R2', USER_NAME: '王小明', EMP_NAME: '李大華', COMMENTS: null },
    ])
    const w = mountPanel(api, 'JOB-42')
    await flushPromises()
    expect(api.calls).toEqual([{ channel: 'sources:job-transactions', payload: { job_id: JOB, repair_job: 'JOB-42' } }])
    expect(w.get('[data-testid="txn-panel"] h3').text()).toContain('Transactions: JOB-42')
    expect(w.get('[data-testid="txn-count"]').text()).toBe('2 rows')
    const rows = w.findAll('[data-testid="txn-row"]')
    expect(rows.map((r) => r.get('[data-column="TXNDATE"]').text())).toEqual(['2026-10-24 02:36:00', '2026-10-24 06:24:00'])
    expect(rows.map((r) => r.get('[data-column="USER"]').text())).toEqual(['李大華', '王小明'])
    expect(rows[1]!.get('[data-column="JOBSTATUS"] .status-badge').attributes('data-tone')).toBe('success')
    expect(rows[1]!.get('[data-column="FROMJOBSTATUS"] .status-badge').attributes('data-tone')).toBe('warning')
    expect(rows[0]!.find('[data-column="FROMJOBSTATUS"] .status-badge').exists()).toBe(false)
  })

  it('names the missing transactions table instead of an empty list', async () => {
    const w = mountPanel(answering([], 'DW_MES_JOBTXNHISTORY'), 'JOB-1', 'zh-TW')
    await flushPromises()
    expect(w.get('[data-testid="txn-missing"]').text()).toBe('資料來源沒有 DW_MES_JOBTXNHISTORY 資料表，無法顯示維修單的交易歷程。')
    expect(w.find('[data-testid="txn-empty"]').exists()).toBe(false)
    expect(w.find('[data-testid="txn-count"]').exists()).toBe(false)
  })

  it('says a job has no transactions, and a source it cannot ask', async () => {
    const empty = mountPanel(answering([]), 'JOB-1', 'zh-TW')
    await flushPromises()
    expect(empty.get('[data-testid="txn-empty"]').text()).toBe('無交易歷程資料')
    expect(empty.get('[data-testid="txn-count"]').text()).toBe('0 筆')

    const api = fakeApi()
    api.fail('sources:job-transactions', 'source/unreachable', 'no saved source "plant-b"')
    const w = mountPanel(api, 'JOB-1')
    await flushPromises()
    expect(w.get('[data-testid="txn-error"]').text()).toContain('not a saved source here')
    expect(w.get('.error-line').attributes('data-code')).toBe('source/unreachable')
  })

  it('reads nothing until a job is open, follows a new job and closes', async () => {
    const api = answering([])
    const w = mountPanel(api, null)
    await flushPromises()
    expect(api.calls).toEqual([])
    expect(w.find('[data-testid="txn-panel"]').exists()).toBe(false)
    await w.setProps({ repairJob: 'JOB-2' })
    await flushPromises()
    expect(api.calls.map((c) => (c.payload as { repair_job: string }).repair_job)).toEqual(['JOB-2'])
    await w.get('[data-testid="txn-close"]').trigger('click')
    expect(w.emitted('close')).toHaveLength(1)
  })

  it('exports the jobs with their transactions in the chosen format', async () => {
    const api = answering([])
    api.handle('sources:job-transactions-export', () => ({ cancelled: false, delivery: 'saved', files: [{ name: 'x.xlsx', path: '/exports/x.xlsx', rows: 12 }] }))
    const w = mountPanel(api, null)
    await w.get('[data-testid="txn-export-format"]').setValue('xlsx')
    await w.get('[data-testid="txn-export"]').trigger('submit')
    await flushPromises()
    expect(api.calls).toEqual([{ channel: 'sources:job-transactions-export', payload: { job_id: JOB, format: 'xlsx' } }])
    expect(w.get('[data-testid="txn-export-done"]').text()).toContain('/exports/x.xlsx (12 rows)')
  })
})
