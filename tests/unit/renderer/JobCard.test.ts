// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import JobCard from '../../../renderer/src/components/JobCard.vue'
import { createJobsStore, type JobsStore } from '../../../renderer/src/composables/useJobs'
import type { StageTimings } from '../../../shared/stage-timings'
import { summary } from '../../fixtures/report-fixture'
import { jobView } from '../../fixtures/job-view'
import { fakeApi, type FakeApi } from './fake-api'
import { mountView, settle, type Mounted } from './mount-app'

const JOB = 'trace-evt-0000000000c1'

const STAGES: StageTimings = {
  resolve: 120.4,
  lineage: 800,
  events: 2000,
  domains: { upstream_history: { fetch: 1500, write: 400 }, materials: { fetch: 300, write: 100 } },
  analysis: { detection: 1000, factor_tables: 500, detail: 250 },
  sort_index: 300,
  finish: 20,
  total: 5000,
}

describe('JobCard stage times', () => {
  let api: FakeApi
  let store: JobsStore
  let m: Mounted | undefined

  async function mountCard(over: Parameters<typeof jobView>[0], locale: 'en' | 'zh-TW' = 'en', stages: StageTimings | null = STAGES): Promise<Mounted> {
    api = fakeApi()
    api.handle('results:summary', () => ({ ...summary(), job_id: JOB, stage_ms: stages }))
    store = createJobsStore(api, { tickMs: 60_000 })
    m = await mountView(JobCard, api, { locale, props: { job: jobView({ job_id: JOB, profile: 'mid_section_defect', direction: 'backward', ...over }), store } })
    return m
  }

  async function open(card: Mounted): Promise<void> {
    const details = card.wrapper.get('[data-testid="job-stages"]').element as HTMLDetailsElement
    details.open = true
    details.dispatchEvent(new Event('toggle'))
    await settle()
  }

  afterEach(() => {
    m?.wrapper.unmount()
    store?.dispose()
    m = undefined
  })

  it('reads the stage times when their section opens, and lists each stage with its time and share', async () => {
    const card = await mountCard({ status: 'finished' })
    expect(api.calls.filter((c) => c.channel === 'results:summary')).toEqual([])
    await open(card)
    expect(api.calls.filter((c) => c.channel === 'results:summary').map((c) => c.payload)).toEqual([{ job_id: JOB }])
    const rows = card.wrapper.findAll('[data-testid="job-stages"] tbody tr').map((tr) => [tr.attributes('data-stage'), ...tr.findAll('th, td').map((c) => c.text())])
    expect(rows).toEqual([
      ['resolve', 'Resolve', '120.4', '2.4 %'],
      ['lineage', 'Lineage', '800.0', '16.0 %'],
      ['events', 'Events', '2,000.0', '40.0 %'],
      ['events.upstream_history.fetch', 'Upstream history read', '1,500.0', '30.0 %'],
      ['events.upstream_history.write', 'Upstream history write', '400.0', '8.0 %'],
      ['events.materials.fetch', 'Materials read', '300.0', '6.0 %'],
      ['events.materials.write', 'Materials write', '100.0', '2.0 %'],
      ['analysis', 'Analysis', '1,750.0', '35.0 %'],
      ['analysis.detection', 'Detection records', '1,000.0', '20.0 %'],
      ['analysis.factor_tables', 'Factor tables', '500.0', '10.0 %'],
      ['analysis.detail', 'Detail rows', '250.0', '5.0 %'],
      ['sort_index', 'Sort indexes', '300.0', '6.0 %'],
      ['finish', 'Finish result file', '20.0', '0.4 %'],
      ['total', 'Total', '5,000.0', ''],
    ])
    // Opened again, it does not read again.
    await open(card)
    expect(api.calls.filter((c) => c.channel === 'results:summary')).toHaveLength(1)
  })

  it('speaks the plant\'s Traditional Chinese', async () => {
    const card = await mountCard({ status: 'finished' }, 'zh-TW')
    expect(card.wrapper.get('[data-testid="job-stages"] summary').text()).toBe('各階段耗時')
    await open(card)
    const label = (stage: string): string => card.wrapper.get(`[data-stage="${stage}"] th`).text()
    expect(label('resolve')).toBe('批次解析')
    expect(label('analysis.detection')).toBe('讀取偵測站紀錄')
    expect(label('sort_index')).toBe('建立排序索引')
    expect(label('total')).toBe('總計')
    expect(label('events.materials.write')).toBe('原物料寫入')
  })

  it('says so when the result has no stage times (written by an earlier version)', async () => {
    const card = await mountCard({ status: 'finished' }, 'en', null)
    await open(card)
    expect(card.wrapper.get('[data-testid="job-stages"]').text()).toContain('This result has no stage times')
    expect(card.wrapper.find('[data-testid="job-stages"] table').exists()).toBe(false)
  })

  it('says so when the result cannot be read', async () => {
    const card = await mountCard({ status: 'finished' })
    api.fail('results:summary', 'storage/unreadable', 'gone')
    await open(card)
    expect(card.wrapper.get('[data-testid="job-stages"]').text()).toContain('The stage times cannot be read.')
  })

  it('has no stage times for a job that has not finished', async () => {
    const card = await mountCard({ status: 'running', completed_at: null, expires_at: null })
    expect(card.wrapper.find('[data-testid="job-stages"]').exists()).toBe(false)
  })

  it('shows the analysis step under way and the steps done while the analysis runs, in both languages', async () => {
    const progress = {
      stage: 'analysis' as const,
      completed_stages: ['seed' as const, 'lineage' as const, 'events' as const],
      message: 'factor_tables',
      analysis: { step: 'factor_tables' as const, steps_done: 2, steps_total: 9 },
    }
    const card = await mountCard({ status: 'running', completed_at: null, expires_at: null, stage: 'analysis', progress })
    const line = card.wrapper.get('[data-testid="analysis-step"]')
    expect(line.text()).toBe('Analysis: Factor tables (step 3 of 9)')
    // The bar: the usual share of the analysis the two steps done take (detection 15 + lot map 4 of 99.2).
    expect([line.get('progress').attributes('value'), line.get('progress').attributes('max')]).toEqual(['19', '100'])
    card.wrapper.unmount()
    const zh = await mountCard({ status: 'running', completed_at: null, expires_at: null, stage: 'analysis', progress }, 'zh-TW')
    expect(zh.wrapper.get('[data-testid="analysis-step"]').text()).toBe('分析：建立因子表（第 3/9 步）')
  })

  it('has no analysis line once the job ended', async () => {
    const progress = { stage: 'analysis' as const, completed_stages: [], analysis: { step: 'detail' as const, steps_done: 7, steps_total: 9 } }
    const card = await mountCard({ status: 'finished', stage: 'analysis', progress })
    expect(card.wrapper.find('[data-testid="analysis-step"]').exists()).toBe(false)
  })
})
