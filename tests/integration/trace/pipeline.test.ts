import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { normalizeTraceRequest } from '../../../shared/trace-request.js'
import type { Domain, EventRow, LineageResult, SeedResult } from '../../../shared/trace.js'
import { runJobTrace, runTrace } from '../../../main/trace/index.js'
import { createFixtureSource, type FixtureSource } from '../../fixtures/source-fixture.js'

// Genealogy: wafer W → GA lot P → split children K1, K2; K1 → grandchild K11.
// Sibling S is another child of P. K1 and K2 are merged (serial SN-1) into M.
const lot = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  CONTAINERID: id, CONTAINERNAME: name, MFGORDERNAME: name.startsWith('GA') ? name.slice(0, 10) : null, OBJECTTYPE: 'LOT', ...extra,
})
const wip = (cid: string, wc: string, day: string, eq = `EQ-${wc}`) => ({
  CONTAINERID: cid, WORKCENTERNAME: wc, EQUIPMENTID: eq, EQUIPMENTNAME: eq, TRACKINTIMESTAMP: `2026-01-${day} 08:00:00`,
  TRACKINQTY: 1000, TRACKOUTTIMESTAMP: `2026-01-${day} 09:00:00`, TRACKOUTQTY: 990,
})

describe('runTrace', () => {
  let fx: FixtureSource
  beforeAll(async () => {
    fx = await createFixtureSource({
      DW_MES_CONTAINER: [
        lot('W', 'WAF-1', { MFGORDERNAME: null }),
        lot('P', 'GA26010001-A01', { FIRSTNAME: 'WAF-1' }),
        lot('K1', 'GA26010001-A01-001', { SPLITFROMID: 'P', FIRSTNAME: 'WAF-1' }),
        lot('K2', 'GA26010001-A01-002', { SPLITFROMID: 'P', FIRSTNAME: 'WAF-1' }),
        lot('K11', 'GA26010001-A01-003', { SPLITFROMID: 'K1', FIRSTNAME: 'WAF-1' }),
        lot('S', 'GA26010001-A01-004', { SPLITFROMID: 'P', FIRSTNAME: 'WAF-1' }),
        lot('M', 'GA26010001-M01'),
      ],
      DW_MES_PJ_COMBINEDASSYLOTS: [
        { CONTAINERID: 'K1', LOTID: 'M', FINISHEDNAME: 'SN-1' },
        { CONTAINERID: 'K2', LOTID: 'M', FINISHEDNAME: 'SN-1' },
      ],
      DW_MES_LOTWIPHISTORY: [
        wip('P', '焊接_WB', '02'), wip('P', '成型', '03'),
        wip('K1', 'TMTT', '05'), wip('K2', 'TMTT', '06'), wip('K11', 'TMTT', '07'), wip('S', 'TMTT', '20'),
        wip('K1', '電鍍', '04'),
      ],
      DW_MES_LOTREJECTHISTORY: [
        { CONTAINERID: 'K11', WORKCENTERNAME: 'TMTT', LOSSREASONNAME: '001_CRACK', REJECTQTY: 3, DEFECTQTY: 1, TXNDATE: '2026-01-07 09:00:00' },
      ],
      DW_MES_LOTMATERIALSHISTORY: [
        { CONTAINERID: 'P', MATERIALPARTNAME: 'LF-1', MATERIALLOTNAME: 'LF-1-L1', QTYCONSUMED: 10.5, WORKCENTERNAME: '焊接_DB', TXNDATE: '2026-01-02 07:00:00' },
      ],
    })
  })
  afterAll(async () => fx.cleanup())

  it('runs an MSD backward trace: population seeds, ancestors, events for seeds ∪ ancestors', async () => {
    const request = normalizeTraceRequest({
      profile: 'mid_section_defect',
      params: { station: '測試', start_date: '2026-01-05', end_date: '2026-01-07' },
    })
    const seen: { seeds?: SeedResult; lineage?: LineageResult; batches: { domain: Domain; rows: EventRow[] }[] } = { batches: [] }
    const stages: string[] = []
    const outcome = await runTrace({
      source: fx.source,
      request,
      sink: {
        onSeeds: (s) => void (seen.seeds = s),
        onLineage: (l) => void (seen.lineage = l),
        onEventBatch: (b) => void seen.batches.push({ domain: b.domain, rows: b.rows }),
      },
      onProgress: (p) => {
        if (stages.at(-1) !== p.stage) stages.push(p.stage)
      },
    })
    expect(stages).toEqual(['seed', 'lineage', 'events'])
    expect(outcome.seeds.seeds.map((s) => s.container_id)).toEqual(['K1', 'K2', 'K11'])
    expect(seen.seeds).toBe(outcome.seeds)
    expect(outcome.lineage?.direction).toBe('backward')
    // K1, K2 → P → W (wafer origin); K11 → K1 → P → W. S (the sibling) and M (the merge target) are not ancestors.
    expect(new Set(outcome.event_cids)).toEqual(new Set(['K1', 'K2', 'K11', 'P', 'W']))
    expect(outcome.event_cids.slice(0, 3)).toEqual(['K1', 'K2', 'K11'])
    expect(outcome.rows).toEqual({ upstream_history: 6, materials: 1 })
    const upstream = seen.batches.filter((b) => b.domain === 'upstream_history').flatMap((b) => b.rows)
    expect(upstream.map((r) => `${r.CONTAINERID}@${r.WORKCENTER_GROUP}`).sort()).toEqual(
      ['K11@測試', 'K1@測試', 'K1@電鍍', 'K2@測試', 'P@成型', 'P@焊接_WB'],
    )
    expect(outcome.quality_meta.status).toBe('complete')
  })

  it('runs a forward MSD trace over the seeds and their descendants only', async () => {
    const request = normalizeTraceRequest({
      profile: 'mid_section_defect',
      params: { station: '測試', start_date: '2026-01-05', end_date: '2026-01-05', direction: 'forward' },
    })
    const outcome = await runTrace({ source: fx.source, request })
    expect(outcome.seeds.seeds.map((s) => s.container_id)).toEqual(['K1'])
    // K1's descendant K11 is followed; its parent P and sibling S are in the tree but not fetched.
    expect(outcome.event_cids).toEqual(['K1', 'K11'])
    expect(outcome.rows).toEqual({ upstream_history: 3, downstream_rejects: 1 })
  })

  it('keeps only the outline of the genealogy when asked, after the sink got all of it', async () => {
    for (const direction of ['backward', 'forward'] as const) {
      const request = normalizeTraceRequest({
        profile: 'mid_section_defect',
        params: { station: '測試', start_date: '2026-01-05', end_date: '2026-01-07', direction },
      })
      const full = await runTrace({ source: fx.source, request })
      let written: LineageResult | undefined
      const outlined = await runTrace({ source: fx.source, request, keepLineage: 'outline', sink: { onLineage: (l) => void (written = l) } })
      expect(written).toEqual(full.lineage)
      expect(outlined.lineage).toEqual({ direction, total_nodes: full.lineage?.total_nodes, truncated: false, truncation_reasons: [] })
      // Nothing else of the trace changes.
      expect({ ...outlined, lineage: null }).toEqual({ ...full, lineage: null, stage_ms: outlined.stage_ms })
    }
  })

  it('keeps for a job the seeds\' CIDs in order and their counts, without their entries', async () => {
    for (const params of [
      { mode: 'container', resolve_type: 'lot_id', values: ['GA26010001-A01-003', 'GA-NOPE'] },
      { station: '測試', start_date: '2026-01-05', end_date: '2026-01-07' },
    ]) {
      const request = normalizeTraceRequest({ profile: 'mid_section_defect', params })
      const outcome = await runTrace({ source: fx.source, request, keepLineage: 'outline' })
      let written: unknown
      const kept = await runJobTrace({ source: fx.source, request, sink: { onSeeds: (s) => void (written = s) } })
      // The sink still gets every entry.
      expect(written).toEqual(outcome.seeds)
      expect(kept.seed_cids).toEqual(outcome.seeds.seeds.map((s) => s.container_id))
      expect(kept.seed_cids.length).toBeGreaterThan(0)
      expect(kept.seeds).toEqual({ ...outcome.seeds, seeds: undefined })
      expect('seeds' in kept.seeds).toBe(false)
      expect(kept.event_cid_count).toBe(outcome.event_cids.length)
      expect(kept.event_cid_count).toBeGreaterThan(kept.seed_cids.length)
      expect('event_cids' in kept).toBe(false)
      const { seeds: _seeds, event_cids: _cids, ...rest } = outcome
      expect({ ...kept, stage_ms: null }).toMatchObject({ ...rest, stage_ms: null })
    }
  })

  it('keeps for a job the counts of a run that found no seed', async () => {
    const request = normalizeTraceRequest({ profile: 'mid_section_defect', params: { mode: 'container', resolve_type: 'lot_id', values: ['GA-NOPE'] } })
    const outcome = await runTrace({ source: fx.source, request, keepLineage: 'outline' })
    const kept = await runJobTrace({ source: fx.source, request })
    expect(kept.seed_cids).toEqual([])
    expect(kept.event_cid_count).toBe(0)
    expect(kept.seeds).toEqual({ ...outcome.seeds, seeds: undefined })
    expect(kept.lineage).toBeNull()
  })

  it('runs MSD container mode from lot IDs, with not_found for the rest', async () => {
    const request = normalizeTraceRequest({
      profile: 'mid_section_defect',
      params: { mode: 'container', resolve_type: 'lot_id', values: ['GA26010001-A01-003', 'GA-NOPE'] },
    })
    const outcome = await runTrace({ source: fx.source, request })
    expect(outcome.seeds.seeds.map((s) => s.container_id)).toEqual(['K11'])
    expect(outcome.seeds.not_found).toEqual(['GA-NOPE'])
    expect(outcome.event_cids).toEqual(['K11', 'K1', 'P', 'W'])
  })

  it('fetches every node of the graph for a lot trace', async () => {
    const request = normalizeTraceRequest({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['GA26010001-A01-001'] } })
    const outcome = await runTrace({ source: fx.source, request })
    expect(new Set(outcome.event_cids)).toEqual(new Set(['K1', 'P', 'K2', 'K11', 'S', 'W']))
    expect(outcome.rows.history).toBe(7)
  })

  it('stops after seed resolve when nothing matched', async () => {
    const request = normalizeTraceRequest({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['NOPE'] } })
    const outcome = await runTrace({ source: fx.source, request })
    expect(outcome.seeds.not_found).toEqual(['NOPE'])
    expect(outcome.lineage).toBeNull()
    expect(outcome.event_cids).toEqual([])
  })

  it('marks the query truncated when the genealogy hit a cap', async () => {
    const request = normalizeTraceRequest({ profile: 'query_tool_reverse', params: { resolve_type: 'gd_lot_id', values: ['GD2601*'] }, domains: [] })
    const none = await runTrace({ source: fx.source, request })
    expect(none.seeds.seed_count).toBe(0)
    const deep = normalizeTraceRequest({ profile: 'mid_section_defect', params: { station: '測試', start_date: '2026-01-07', end_date: '2026-01-07' } })
    const outcome = await runTrace({ source: fx.source, request: deep, maxDepth: 1 })
    expect(outcome.lineage?.truncated).toBe(true)
    expect(outcome.quality_meta.status).toBe('truncated')
    expect(outcome.quality_meta.reasons).toContain('lineage_truncated')
  })

  it('is cancelled by its signal', async () => {
    const controller = new AbortController()
    const request = normalizeTraceRequest({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['GA26010001-A01'] } })
    const run = runTrace({ source: fx.source, request, signal: controller.signal, onProgress: (p) => p.stage === 'lineage' && controller.abort() })
    await expect(run).rejects.toMatchObject({ code: 'trace/cancelled' })
  })
})
