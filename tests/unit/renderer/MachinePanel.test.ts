// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import MachinePanel from '../../../renderer/src/components/MachinePanel.vue'
import { API_KEY } from '../../../renderer/src/composables/useApi'
import { messagesOf } from '../../../renderer/src/i18n'
import type { Api } from '../../../shared/api'
import type { MachineRecentJobs } from '../../../shared/machine-jobs'
import type { MachineAttribution } from '../../../shared/msd'

const record: MachineAttribution = {
  WORKCENTER_GROUP: '焊接_WB', EQUIPMENT_NAME: 'GWBE-0029', EQUIPMENT_ID: 'R-29', RESOURCEFAMILYNAME: 'WBA_Eagle',
  DETECTION_LOT_COUNT: 71, INPUT_QTY: 4_982_165, DEFECT_QTY: 112_211, DEFECT_RATE: 2.2523,
  WORKFLOW: 'W', PRODUCTLINENAME: 'P', PJ_TYPE: 'T', DETECTION_EQUIPMENTNAME: 'D',
}

/** An api answering `sources:machine-jobs` with `answer` (a value or an error). */
function apiOf(answer: { ok: true; value: MachineRecentJobs } | { ok: false; error: { code: string; message: string } }) {
  const invoke = vi.fn(async () => answer)
  return { api: { invoke, on: () => () => {} } as unknown as Api, invoke }
}

function mountPanel(api: Api, props: Partial<{ imported: boolean; records: MachineAttribution[] }> = {}) {
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en: messagesOf('en'), 'zh-TW': messagesOf('zh-TW') } })
  return mount(MachinePanel, {
    props: { name: 'GWBE-0029', station: '焊接_WB', records: props.records ?? [record], suspect: null, hasSignificance: true, jobId: 'trace-evt-0123456789ab', imported: props.imported ?? false },
    global: { plugins: [i18n], provide: { [API_KEY as symbol]: api } },
  })
}

describe('MachinePanel', () => {
  it('asks the result’s source for the machine’s jobs and shows an open one as in progress', async () => {
    const { api, invoke } = apiOf({
      ok: true,
      value: {
        equipment_id: 'R-29', total: 7, since: '2026-10-02', until: '2026-10-31',
        jobs: [
          { job_id: 'J2', status: 'Open', model: 'PM', created: '2026-10-30T08:00:00', completed: null, cause: null, repair: null, symptom: null },
          { job_id: 'J1', status: 'Completed', model: 'PM', created: '2026-10-24T02:36:00', completed: '2026-10-24T06:24:00', cause: null, repair: null, symptom: null },
        ],
      },
    })
    const w = mountPanel(api)
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('sources:machine-jobs', { job_id: 'trace-evt-0123456789ab', equipment_id: 'R-29' })
    expect(w.findAll('tr[data-job]').map((r) => r.attributes('data-job'))).toEqual(['J2', 'J1'])
    expect(w.findAll('[data-testid="job-in-progress"]').map((e) => e.text())).toEqual(['In progress'])
    expect(w.get('tr[data-job="J1"]').text()).toContain('2026-10-24 02:36 → 2026-10-24 06:24')
    expect(w.get('[data-testid="machine-jobs-window"]').text()).toContain('7 in all, newest 5 shown')
    expect(w.get('[data-fact="defects"]').text()).toBe('112,211')
  })

  it('says the source has no jobs table', async () => {
    const { api } = apiOf({ ok: false, error: { code: 'source/schema', message: 'missing DW_MES_JOB' } })
    const w = mountPanel(api)
    await flushPromises()
    expect(w.get('[data-testid="machine-jobs-problem"]').text()).toContain('no repair-job table (DW_MES_JOB)')
  })

  it('says the source cannot be reached', async () => {
    const { api } = apiOf({ ok: false, error: { code: 'source/unreachable', message: 'ECONNREFUSED' } })
    const w = mountPanel(api)
    await flushPromises()
    expect(w.get('[data-testid="machine-jobs-problem"]').text()).toContain('cannot be reached')
  })

  it('does not ask for an imported result, and says why', async () => {
    const { api, invoke } = apiOf({ ok: false, error: { code: 'internal/unexpected', message: 'x' } })
    const w = mountPanel(api, { imported: true })
    await flushPromises()
    expect(invoke).not.toHaveBeenCalled()
    expect(w.get('[data-testid="machine-jobs-problem"]').text()).toContain('imported')
  })
})
