import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runTrace } from '../../../main/trace/index.js'
import { normalizeTraceRequest } from '../../../shared/trace-request.js'
import { createFixtureSource, SPLIT_LOT_ROWS, type FixtureSource } from '../../fixtures/source-fixture.js'

describe('runTrace when nothing is found', () => {
  let fixture: FixtureSource
  beforeAll(async () => {
    fixture = await createFixtureSource(SPLIT_LOT_ROWS)
  })
  afterAll(async () => fixture.cleanup())

  const msd = (start: string, end: string) =>
    normalizeTraceRequest({ profile: 'mid_section_defect', params: { direction: 'backward', mode: 'date_range', station: '測試', start_date: start, end_date: end } })

  it('reports the station’s track-in window with an empty date range', async () => {
    const outcome = await runTrace({ source: fixture.source, request: msd('2026-02-01', '2026-02-07') })
    expect(outcome.seeds.seed_count).toBe(0)
    expect(outcome.station_window).toEqual({ first: '2026-01-03T08:00:00', last: '2026-01-03T08:00:00' })
  })

  it('reports no window when the range found lots', async () => {
    const outcome = await runTrace({ source: fixture.source, request: msd('2026-01-01', '2026-01-07') })
    expect(outcome.seeds.seed_count).toBe(1)
    expect(outcome.station_window).toBeUndefined()
  })

  it('reports an empty window for a station the source never saw', async () => {
    const request = normalizeTraceRequest({ profile: 'mid_section_defect', params: { direction: 'backward', mode: 'date_range', station: '電鍍', start_date: '2026-01-01', end_date: '2026-01-07' } })
    expect((await runTrace({ source: fixture.source, request })).station_window).toEqual({ first: null, last: null })
  })

  it('reads no window for typed lots that are all unknown', async () => {
    const request = normalizeTraceRequest({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['NOPE-1', 'NOPE-2'] } })
    const outcome = await runTrace({ source: fixture.source, request })
    expect(outcome.seeds).toMatchObject({ seed_count: 0, not_found: ['NOPE-1', 'NOPE-2'] })
    expect(outcome.station_window).toBeUndefined()
  })
})
