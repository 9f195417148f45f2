// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import JobsPanel from '../../../renderer/src/components/JobsPanel.vue'
import { STALL_MS } from '../../../renderer/src/composables/useJobs'
import { fakeApi, type FakeApi } from './fake-api'
import { jobView } from '../../fixtures/job-view'
import { mountView, settle, type Mounted } from './mount-app'

describe('JobsPanel', () => {
  let api: FakeApi
  let m: Mounted
  let now = 0

  async function setup(): Promise<void> {
    // A clock that stands still until a test moves it: times relative to it read exact
    // ("expires in 1:00:00"), however long the machine takes to mount the panel.
    vi.useFakeTimers()
    now = Date.now()
    api = fakeApi()
    api.handle('jobs:list', () => [
      jobView({ job_id: 'trace-evt-0000000000a1', status: 'running', profile: 'mid_section_defect', direction: 'backward', created_at: now - 1000, started_at: now - 90_000, completed_at: null, expires_at: null, stage: 'events', request: { mode: 'date_range', resolve_type: null, values: [], value_count: 0, station: '測試', start_date: '2026-10-01', end_date: '2026-10-31', loss_reasons: [] } }),
      jobView({ job_id: 'trace-evt-0000000000a2', status: 'failed', error: { code: 'source/unreachable', message: 'The source /data/plant.sqlite cannot be opened.' }, created_at: now - 2000, expires_at: now + 3_600_000 }),
      jobView({ job_id: 'trace-evt-0000000000a3', status: 'finished', cached_from: 'trace-evt-0000000000a4', created_at: now - 3000, expires_at: now + 7_200_000 }),
      jobView({ job_id: 'trace-evt-0000000000a5', status: 'finished', created_at: now - 4000, expires_at: now + 7 * 86_400_000 - 1000 }),
    ])
    m = await mountView(JobsPanel, api)
    await m.jobs.refresh()
    await settle()
  }

  afterEach(() => {
    m?.wrapper.unmount()
    m?.jobs.dispose()
    vi.useRealTimers()
  })

  it('lists every job with its status, and a failure in words with its code', async () => {
    await setup()
    const w = m.wrapper
    expect(w.findAll('[data-job-id]').map((c) => [c.attributes('data-job-id'), c.attributes('data-status')])).toEqual([
      ['trace-evt-0000000000a1', 'running'],
      ['trace-evt-0000000000a2', 'failed'],
      ['trace-evt-0000000000a3', 'finished'],
      ['trace-evt-0000000000a5', 'finished'],
    ])
    expect(w.get('[data-job-id="trace-evt-0000000000a5"]').text()).toContain('Expires in 6 d 23 h')
    expect(w.get('[data-testid="active-count"]').text()).toBe('1 running')
    const failed = w.get('[data-job-id="trace-evt-0000000000a2"]')
    // In the page's language, the original text on a line of its own.
    expect(failed.get('[role="alert"] [data-testid="error-message"]').text()).toBe('The data source cannot be reached or opened; test the connection in Settings & sources.')
    expect(failed.get('[role="alert"] [data-testid="error-detail"]').text()).toBe('Details: The source /data/plant.sqlite cannot be opened.')
    expect(failed.get('[role="alert"] code').text()).toBe('source/unreachable')
    expect(failed.text()).toContain('Expires in 1:00:00')
    expect(w.get('[data-job-id="trace-evt-0000000000a3"]').text()).toContain('Expires in 2:00:00')
    expect(w.get('[data-job-id="trace-evt-0000000000a3"]').text()).toContain('Cached, as of')
    const running = w.get('[data-job-id="trace-evt-0000000000a1"]')
    expect(running.text()).toContain('測試 · 2026-10-01 ~ 2026-10-31')
    expect(running.find('[data-testid="delete"]').exists()).toBe(false)
    expect(running.find('[data-testid="cancel"]').exists()).toBe(true)
  })

  it('shows live progress per domain with the stage stepper, then flags a job that went silent as stalled', async () => {
    await setup()
    api.emit('jobs:did-progress', {
      job_id: 'trace-evt-0000000000a1',
      progress: { stage: 'events', completed_stages: ['seed', 'lineage'], rows_so_far: 12_345, domains: { upstream_history: { batches_done: 3, batches_total: 12, rows: 12_000 }, materials: { batches_done: 1, batches_total: 12, rows: 345 } } },
      elapsed_ms: 90_000,
      eta_ms: 30_000,
    })
    await settle()
    const card = () => m.wrapper.get('[data-job-id="trace-evt-0000000000a1"]')
    expect(card().get('[data-testid="rows"]').text()).toBe('12,345')
    expect(card().findAll('[data-domain]').map((d) => [d.get('.domain').text(), d.get('progress').attributes('value'), d.get('.count').text()])).toEqual([
      ['Upstream history', '3', '12,000'],
      ['Materials', '1', '345'],
    ])
    expect(card().get('[data-stage="lineage"]').attributes('data-state')).toBe('complete')
    expect(card().get('[data-stage="events"]').attributes('data-state')).toBe('active')
    expect(card().get('[data-stage="analysis"]').attributes('data-state')).toBe('pending')
    expect(card().classes()).not.toContain('stalled')
    // No report for longer than the stall time.
    m.jobs.now.value = Date.now() + STALL_MS + 1000
    await settle()
    expect(card().classes()).toContain('stalled')
    expect(card().text()).toContain('No progress for 1:01: it may be stalled.')
  })

  it('cancels a running job and pins a finished one through the contract', async () => {
    await setup()
    // Each answer is the job as it now stands: the panel shows it without asking again.
    api.handle('jobs:cancel', ({ job_id }) => jobView({ job_id, status: 'cancelled', created_at: now - 1000 }))
    api.handle('jobs:pin', ({ job_id, pinned }) => jobView({ job_id, pinned, expires_at: null, created_at: now - 3000 }))
    await m.wrapper.get('[data-job-id="trace-evt-0000000000a1"] [data-testid="cancel"]').trigger('click')
    await settle()
    expect(m.wrapper.get('[data-job-id="trace-evt-0000000000a1"]').attributes('data-status')).toBe('cancelled')
    await m.wrapper.get('[data-job-id="trace-evt-0000000000a3"] [data-testid="pin"]').trigger('click')
    await settle()
    const pinned = m.wrapper.get('[data-job-id="trace-evt-0000000000a3"]')
    expect(pinned.text()).toContain('Pinned: kept until deleted')
    expect(pinned.get('[data-testid="pin"]').attributes('aria-pressed')).toBe('true')
    expect(api.calls.filter((c) => c.channel === 'jobs:cancel' || c.channel === 'jobs:pin').map((c) => c.payload)).toEqual([
      { job_id: 'trace-evt-0000000000a1' },
      { job_id: 'trace-evt-0000000000a3', pinned: true },
    ])
    expect(api.calls.some((c) => c.channel === 'jobs:status')).toBe(false)
  })

  it('adds a job it has not seen, imported elsewhere, from its status event alone', async () => {
    await setup()
    const callsBefore = api.calls.length
    api.emit('jobs:did-change-status', { job: jobView({ job_id: 'trace-evt-0000000000b7', imported: true, pinned: true, expires_at: null, created_at: now }) })
    await settle()
    // Past the running job, first of the others: the newest.
    expect(m.wrapper.findAll('[data-job-id]').map((c) => c.attributes('data-job-id'))).toEqual([
      'trace-evt-0000000000a1',
      'trace-evt-0000000000b7',
      'trace-evt-0000000000a2',
      'trace-evt-0000000000a3',
      'trace-evt-0000000000a5',
    ])
    expect(m.wrapper.get('[data-job-id="trace-evt-0000000000b7"]').text()).toContain('Imported from a result file')
    expect(api.calls.length).toBe(callsBefore)
  })

  it('says a cancel is pending and lists the warnings and errors of the job\'s log, not its notes', async () => {
    await setup()
    api.emit('jobs:did-change-status', {
      job: jobView({
        job_id: 'trace-evt-0000000000a1',
        status: 'running',
        cancel_requested: true,
        created_at: now - 1000,
        started_at: now - 90_000,
        completed_at: null,
        expires_at: null,
        log: [
          { at: now - 80_000, level: 'info', message: 'connected to the source' },
          { at: now - 70_000, level: 'warn', message: 'DW_MES_RESOURCE.RESOURCEFAMILYNAME missing: machine families are not shown.' },
          { at: now - 60_000, level: 'error', message: 'closing the source: connection reset' },
        ],
      }),
    })
    await settle()
    const card = m.wrapper.get('[data-job-id="trace-evt-0000000000a1"]')
    expect(card.get('[data-testid="job-status"]').text()).toBe('Cancelling…')
    expect(card.get('[data-testid="cancel"]').attributes('disabled')).toBeDefined()
    const log = card.get('[data-testid="job-log"]')
    expect(log.get('summary').text()).toBe('Trace log: 1 warning, 1 error')
    expect(log.findAll('li').map((li) => li.text())).toEqual([
      'Warning DW_MES_RESOURCE.RESOURCEFAMILYNAME missing: machine families are not shown.',
      'Error closing the source: connection reset',
    ])
    // A job with nothing but notes shows no log.
    expect(m.wrapper.find('[data-job-id="trace-evt-0000000000a5"] [data-testid="job-log"]').exists()).toBe(false)
  })

  it('counts a finished job\'s rows as stored, not as its last progress report said', async () => {
    await setup()
    const progress = { stage: 'events' as const, completed_stages: ['seed' as const, 'lineage' as const], rows_so_far: 88 }
    api.emit('jobs:did-change-status', { job: jobView({ job_id: 'trace-evt-0000000000a5', status: 'finished', rows_total: 102, progress, created_at: now - 4000 }) })
    await settle()
    expect(m.wrapper.get('[data-job-id="trace-evt-0000000000a5"] [data-testid="rows"]').text()).toBe('102')
    api.emit('jobs:did-change-status', { job: jobView({ job_id: 'trace-evt-0000000000a1', status: 'running', rows_total: 0, progress, completed_at: null, expires_at: null, created_at: now - 1000, started_at: now - 90_000 }) })
    await settle()
    expect(m.wrapper.get('[data-job-id="trace-evt-0000000000a1"] [data-testid="rows"]').text()).toBe('88')
  })

  it('asks before deleting, and keeps the job when the answer is no', async () => {
    await setup()
    api.handle('jobs:remove', () => ({ removed: true }))
    const confirm = vi.fn().mockReturnValueOnce(false).mockReturnValueOnce(true)
    window.confirm = confirm
    const del = () => m.wrapper.get('[data-job-id="trace-evt-0000000000a2"] [data-testid="delete"]').trigger('click')
    await del()
    await settle()
    expect(m.wrapper.find('[data-job-id="trace-evt-0000000000a2"]').exists()).toBe(true)
    await del()
    await settle()
    expect(m.wrapper.find('[data-job-id="trace-evt-0000000000a2"]').exists()).toBe(false)
    expect(confirm).toHaveBeenCalledWith('Delete job trace-evt-0000000000a2 and its result?')
  })

  it('marks a job that found nothing in amber with why, not as a plain finished', async () => {
    api = fakeApi()
    api.handle('jobs:list', () => [
      jobView({
        job_id: 'trace-evt-0000000000a6',
        seed_count: 0,
        request: { mode: 'containers', resolve_type: 'lot_id', values: ['NOPE-1', 'NOPE-2'], value_count: 2, station: null, start_date: null, end_date: null, loss_reasons: [] },
        outcome: { status: 'warning', reason: 'inputs_unknown', station: null, start_date: null, end_date: null, input_count: 2, source_window: null },
      }),
      jobView({ job_id: 'trace-evt-0000000000a7' }),
    ])
    m = await mountView(JobsPanel, api)
    await m.jobs.refresh()
    await settle()
    const empty = m.wrapper.get('[data-job-id="trace-evt-0000000000a6"]')
    expect(empty.get('[data-testid="job-status"]').text()).toBe('Nothing found')
    expect(empty.get('[data-testid="job-status"]').attributes('data-outcome')).toBe('warning')
    expect(empty.classes()).toContain('warning')
    expect(empty.get('[data-testid="job-outcome"]').text()).toBe('None of the 2 values given was found in the source, so nothing was traced.')
    const done = m.wrapper.get('[data-job-id="trace-evt-0000000000a7"]')
    expect(done.get('[data-testid="job-status"]').text()).toBe('Finished')
    expect(done.find('[data-testid="job-outcome"]').exists()).toBe(false)
  })
})
