/** A `JobView` with plausible values; override what a test is about. */
import type { JobView } from '../../../shared/jobs'

export function jobView(over: Partial<JobView> = {}): JobView {
  return {
    job_id: 'trace-evt-000000000001',
    status: 'finished',
    profile: 'query_tool',
    direction: 'forward',
    source: 'Demo plant (sqlite:/data/plant.sqlite)',
    source_id: 'sqlite:/data/plant.sqlite',
    domains: ['history', 'materials'],
    seed_count: 2,
    cid_count: 9,
    rows_total: 131,
    row_counts: { history: 84, materials: 47 },
    quality: 'complete',
    created_at: 1_780_000_000_000,
    started_at: 1_780_000_000_500,
    completed_at: 1_780_000_004_500,
    expires_at: 1_780_604_804_500,
    pinned: false,
    imported: false,
    cached_from: null,
    stage: 'events',
    progress: null,
    request: { mode: 'containers', resolve_type: 'lot_id', values: ['GA26090011-A07', 'GA26090012-A05'], value_count: 2, station: null, start_date: null, end_date: null, loss_reasons: [] },
    error: null,
    result_file: '/data/results/trace-evt-000000000001.mtr',
    ...over,
  }
}
