// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import NewTraceView from '../../../renderer/src/views/NewTraceView.vue'
import { fakeApi, type FakeApi } from './fake-api'
import { jobView } from '../../fixtures/job-view'
import { mountView, settle, type Mounted } from './mount-app'

/** The pause after the last keystroke before the view reads the box (NewTraceView.vue's debounce). */
const TYPING_PAUSE_MS = 150

describe('NewTraceView', () => {
  let api: FakeApi
  let m: Mounted

  async function setup(): Promise<void> {
    api = fakeApi()
    api.handle('sources:list', () => [{ id: 'src-demo', name: 'Demo plant', kind: 'sqlite', path: '/data/plant.sqlite', created_at: 0 }])
    api.handle('jobs:enqueue', () => ({ job_id: 'trace-evt-00000000abcd', cached: false, as_of: null }))
    api.handle('jobs:status', ({ job_id }) => jobView({ job_id, status: 'queued' }))
    m = await mountView(NewTraceView, api)
    await settle()
  }

  afterEach(() => {
    m?.wrapper.unmount()
    m?.jobs.dispose()
    vi.useRealTimers()
  })

  it('picks the first data source and shows the profile’s input types', async () => {
    await setup()
    const w = m.wrapper
    expect((w.get('[data-testid="source"]').element as HTMLSelectElement).value).toBe('src-demo')
    expect(w.findAll('[data-testid="resolve-type"] option').map((o) => o.text())).toEqual(['Lot ID', 'Wafer lot', 'Work order'])
    await w.get('[data-testid="profile-serial"]').setValue(true)
    expect(w.findAll('[data-testid="resolve-type"] option').map((o) => o.text())).toEqual(['Serial number', 'GD work order', 'GD lot ID'])
  })

  it('shows an inline error on the values field and starts nothing', async () => {
    await setup()
    const w = m.wrapper
    await w.get('form').trigger('submit')
    await settle()
    expect(w.get('[data-testid="values-error"]').text()).toBe('Enter at least one value.')
    expect(w.get('[data-testid="values"]').attributes('aria-invalid')).toBe('true')
    expect(w.get('[data-testid="values"]').attributes('aria-describedby')).toBe('values-error')
    expect(api.calls.some((c) => c.channel === 'jobs:enqueue')).toBe(false)
  })

  it('keeps an error found on submit after the typing pause ends', async () => {
    vi.useFakeTimers()
    await setup()
    const w = m.wrapper
    await w.get('[data-testid="resolve-type"]').setValue('work_order')
    const area = w.get('[data-testid="values"]')
    ;(area.element as HTMLTextAreaElement).value = 'XX123'
    await area.trigger('input')
    await w.get('form').trigger('submit')
    await settle()
    expect(w.get('[data-testid="values-error"]').text()).toBe('"XX123" is not a GA/GC work order.')
    await vi.advanceTimersByTimeAsync(TYPING_PAUSE_MS)
    await settle()
    expect(w.get('[data-testid="values-error"]').text()).toBe('"XX123" is not a GA/GC work order.')
  })

  it('counts 100 000 pasted IDs after a pause, and enqueues them all with the picked domains', async () => {
    vi.useFakeTimers()
    await setup()
    const w = m.wrapper
    const ids = Array.from({ length: 100_000 }, (_, i) => `GA2609${String(i).padStart(5, '0')}-A01`)
    const area = w.get('[data-testid="values"]')
    ;(area.element as HTMLTextAreaElement).value = ids.join('\n')
    await area.trigger('input')
    await vi.advanceTimersByTimeAsync(TYPING_PAUSE_MS - 1)
    await settle()
    expect(w.get('[data-testid="token-count"]').text()).toBe('0 values')
    await vi.advanceTimersByTimeAsync(1)
    await settle()
    expect(w.get('[data-testid="token-count"]').text()).toBe('100,000 values')
    await w.get('[data-testid="domain-jobs"]').setValue(false)
    await w.get('form').trigger('submit')
    await settle()
    const enqueue = api.calls.find((c) => c.channel === 'jobs:enqueue')!.payload as { request: { params: { values: string[] }; domains: string[] }; source_id: string }
    expect(enqueue.source_id).toBe('src-demo')
    expect(enqueue.request.params.values).toHaveLength(100_000)
    expect(enqueue.request.params.values[99_999]).toBe('GA260999999-A01')
    expect(enqueue.request.domains).toEqual(['history', 'materials', 'rejects', 'holds'])
    // The result page is loaded on demand: wait for the navigation.
    await vi.waitFor(() => expect(m.router.currentRoute.value.fullPath).toBe('/jobs/trace-evt-00000000abcd'), { timeout: 10_000 })
    expect(m.jobs.job('trace-evt-00000000abcd')?.status).toBe('queued')
  })

  it('keeps a big paste aside, counts it with what is typed, and sends both', async () => {
    vi.useFakeTimers()
    await setup()
    const w = m.wrapper
    const ids = Array.from({ length: 5000 }, (_, i) => `GA2609${String(i).padStart(5, '0')}-A01`)
    const area = w.get('[data-testid="values"]')
    const data = new DataTransfer()
    data.setData('text/plain', ids.join('\n'))
    const paste = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })
    area.element.dispatchEvent(paste)
    await settle()
    expect(paste.defaultPrevented).toBe(true)
    expect((area.element as HTMLTextAreaElement).value).toBe('')
    expect(w.get('[data-testid="pasted"]').text()).toContain('5,000 values pasted')
    ;(area.element as HTMLTextAreaElement).value = 'GA26090011-A07'
    await area.trigger('input')
    await vi.advanceTimersByTimeAsync(TYPING_PAUSE_MS - 1)
    await settle()
    expect(w.get('[data-testid="token-count"]').text()).toBe('5,000 values')
    await vi.advanceTimersByTimeAsync(1)
    await settle()
    expect(w.get('[data-testid="token-count"]').text()).toBe('5,001 values')
    await w.get('form').trigger('submit')
    await settle()
    const enqueue = api.calls.find((c) => c.channel === 'jobs:enqueue')!.payload as { request: { params: { values: string[] } } }
    expect(enqueue.request.params.values).toHaveLength(5001)
    expect(enqueue.request.params.values.at(-1)).toBe('GA26090011-A07')
  })

  it('lets a small paste go into the box as usual', async () => {
    await setup()
    const area = m.wrapper.get('[data-testid="values"]')
    const data = new DataTransfer()
    data.setData('text/plain', 'GA26090011-A07\nGA26090012-A05')
    const paste = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })
    area.element.dispatchEvent(paste)
    expect(paste.defaultPrevented).toBe(false)
    expect(m.wrapper.find('[data-testid="pasted"]').exists()).toBe(false)
  })

  it('builds an MSD request from the station, the days and the loss reasons', async () => {
    await setup()
    const w = m.wrapper
    await w.get('[data-testid="profile-msd_backward"]').setValue(true)
    await w.get('[data-testid="station"]').setValue('電鍍')
    await w.get('[data-testid="start-date"]').setValue('2026-10-01')
    await w.get('[data-testid="end-date"]').setValue('2026-10-31')
    await w.get('[data-testid="loss-reasons"]').setValue('201_OPEN, 202_SHORT')
    await w.get('form').trigger('submit')
    await settle()
    const enqueue = api.calls.find((c) => c.channel === 'jobs:enqueue')!.payload as { request: unknown }
    expect(enqueue.request).toEqual({
      profile: 'mid_section_defect',
      params: { direction: 'backward', station: '電鍍', loss_reasons: ['201_OPEN', '202_SHORT'], mode: 'date_range', start_date: '2026-10-01', end_date: '2026-10-31' },
      domains: ['upstream_history', 'materials'],
    })
  })

  it('says why the engine refused a request, with its code', async () => {
    await setup()
    api.fail('jobs:enqueue', 'input/rate-limited', 'Too many traces started in a minute; wait 20 s.')
    const w = m.wrapper
    const area = w.get('[data-testid="values"]')
    ;(area.element as HTMLTextAreaElement).value = 'GA26090011-A07'
    await area.trigger('input')
    await w.get('form').trigger('submit')
    await settle()
    expect(w.get('[data-testid="submit-error"] code').text()).toBe('input/rate-limited')
    expect(w.get('[data-testid="submit-error"] [data-testid="error-message"]').text()).toBe('Too many requests in a short time; wait a moment and try again.')
    expect(w.get('[data-testid="submit-error"] [data-testid="error-detail"]').text()).toBe('Details: Too many traces started in a minute; wait 20 s.')
    expect(m.router.currentRoute.value.fullPath).toBe('/new')
  })

  it('opens an answer from an earlier result marked as such, so the result view can say it', async () => {
    await setup()
    api.handle('jobs:enqueue', () => ({ job_id: 'trace-evt-00000000abcd', cached: true, as_of: 1_764_300_000_000 }))
    api.handle('jobs:status', ({ job_id }) => jobView({ job_id, status: 'finished' }))
    const w = m.wrapper
    const area = w.get('[data-testid="values"]')
    ;(area.element as HTMLTextAreaElement).value = 'GA26090011-A07'
    await area.trigger('input')
    await w.get('form').trigger('submit')
    await vi.waitFor(() => expect(m.router.currentRoute.value.fullPath).toBe('/jobs/trace-evt-00000000abcd?cached=1'), { timeout: 10_000 })
  })
})

describe('NewTraceView with what the source holds', () => {
  let api: FakeApi
  let m: Mounted

  afterEach(() => {
    m?.wrapper.unmount()
    m?.jobs.dispose()
  })

  async function setup(reasons: 'ok' | 'fail'): Promise<void> {
    api = fakeApi()
    api.handle('sources:list', () => [{ id: 'src-demo', name: 'Demo plant', kind: 'sqlite', path: '/data/plant.sqlite', created_at: 0 }])
    api.handle('jobs:enqueue', () => ({ job_id: 'trace-evt-00000000abcd', cached: false, as_of: null }))
    api.handle('sources:data-window', () => ({
      first: '2026-05-01T06:00:00',
      last: '2026-10-31T22:15:00',
      stations: { 測試: { first: '2026-05-02T06:00:00', last: '2026-10-30T21:00:00' } },
      workcenters: { 測試: ['TMTT'] },
    }))
    if (reasons === 'ok') api.handle('sources:loss-reasons', ({ station }) => ({ station, reasons: ['001_CRACK', '206_LEAKAGE'], since: '2026-05-04', until: '2026-10-30' }))
    else api.fail('sources:loss-reasons', 'source/unreachable', 'The source cannot be reached.')
    m = await mountView(NewTraceView, api)
    await settle()
    await m.wrapper.get('[data-testid="profile-msd_backward"]').setValue(true)
    await settle()
  }

  it('defaults the dates to the last week of the station’s data and shows the window', async () => {
    await setup('ok')
    const w = m.wrapper
    expect((w.get('[data-testid="start-date"]').element as HTMLInputElement).value).toBe('2026-10-24')
    expect((w.get('[data-testid="end-date"]').element as HTMLInputElement).value).toBe('2026-10-30')
    expect(w.get('[data-testid="data-window"]').text()).toBe('Track-ins at 測試 in the source: 2026-05-02 to 2026-10-30')
    expect(w.find('[data-testid="range-outside"]').exists()).toBe(false)
    await w.get('[data-testid="start-date"]').setValue('2026-11-20')
    await w.get('[data-testid="end-date"]').setValue('2026-11-27')
    expect(w.get('[data-testid="range-outside"]').text()).toContain('outside the station’s data')
    await w.get('[data-testid="use-data-window"]').trigger('click')
    expect((w.get('[data-testid="start-date"]').element as HTMLInputElement).value).toBe('2026-10-24')
  })

  it('lists the station’s loss reasons from the source and adds a clicked one', async () => {
    await setup('ok')
    const w = m.wrapper
    expect(api.calls.find((c) => c.channel === 'sources:loss-reasons')?.payload).toEqual({ id: 'src-demo', station: '測試' })
    expect(w.findAll('[data-testid="loss-reason-list"] .chip').map((c) => c.text())).toEqual(['001_CRACK', '206_LEAKAGE'])
    expect(w.get('[data-testid="loss-reasons-info"]').text()).toBe('2 loss reasons at 測試 in the last 180 days of its data (2026-05-04 to 2026-10-30); click to add:')
    await w.get('[data-reason="206_LEAKAGE"]').trigger('click')
    expect((w.get('[data-testid="loss-reasons"]').element as HTMLInputElement).value).toBe('206_LEAKAGE')
  })

  it('shows a failure to list the loss reasons instead of an empty list', async () => {
    await setup('fail')
    expect(m.wrapper.get('[data-testid="loss-reasons-error"]').text()).toContain('source/unreachable')
  })
})
