import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { resolveContainerSeeds, resolveDetectionPopulation } from '../../../main/trace/seed-resolve.js'
import { createFixtureSource, type FixtureSource } from '../../fixtures/source-fixture.js'

const lot = (id: string, name: string, order: string | null, first: string | null = null, type = 'LOT') => ({
  CONTAINERID: id,
  CONTAINERNAME: name,
  MFGORDERNAME: order,
  FIRSTNAME: first,
  OBJECTTYPE: type,
})

const wip = (cid: string, wc: string, trackIn: string, equipment: string | null = 'EQ1') => ({
  CONTAINERID: cid,
  WORKCENTERNAME: wc,
  EQUIPMENTID: equipment,
  EQUIPMENTNAME: equipment,
  TRACKINTIMESTAMP: trackIn,
  TRACKINQTY: 100,
})

describe('seed resolve', () => {
  let fx: FixtureSource
  beforeAll(async () => {
    fx = await createFixtureSource({
      DW_MES_CONTAINER: [
        lot('w1', 'WAF-001', null),
        lot('a1', 'GA26010001-A01', 'GA26010001', 'WAF-001'),
        lot('a2', 'GA26010001-A02', 'GA26010001', 'WAF-001'),
        lot('a3', 'GA26010002-A01', 'ga26010002', 'WAF-002'),
        lot('c1', 'GC26010001-A01', 'GC26010001', 'WAF-001'),
        lot('d1', 'GD26010001-A01', 'GD26010001', null),
        lot('x1', 'ga26010001-a01', 'GA26010009', null, 'MATERIAL'),
        lot('s1', 'SN-777', 'GA26010003', 'SN-778'),
        lot('m1', 'GA26010001-M01', 'GA26010001'),
        lot('u1', 'GC26010009_A01', 'GC26010009'),
        lot('u2', 'GC26010009XA01', 'GC26010009'),
      ],
      DW_MES_PJ_COMBINEDASSYLOTS: [
        { CONTAINERID: 'a1', LOTID: 'm1', FINISHEDNAME: 'SN-777' },
        { CONTAINERID: 'a2', LOTID: 'm1', FINISHEDNAME: 'SN-777' },
      ],
      DW_MES_LOTWIPHISTORY: [
        wip('a1', 'TMTT', '2026-01-05 10:00:00'),
        wip('a1', 'TMTT', '2026-01-06 10:00:00'),
        wip('a2', '測試', '2026-01-07 23:59:59'),
        wip('a3', 'TMTT', '2026-01-08 00:00:00'),
        wip('c1', 'TMTT', '2026-01-06 10:00:00', null),
        wip('d1', 'TMTT_2', '2026-01-04 23:59:59'),
        wip('x1', 'PKG_SAW', '2026-01-06 10:00:00'),
        wip('s1', '元件切割', '2026-01-06 10:00:00'),
        wip('m1', '切割', '2026-01-06 10:00:00'),
        // A lower-case workcenter: SQLite's UPPER/LIKE still put it in 測試 (pattern TMTT).
        wip('u1', 'tmtt-b', '2026-01-06 11:00:00'),
      ],
    })
  })
  afterAll(async () => fx.cleanup())

  it('resolves lot IDs case-sensitively, keeps token order and reports not_found', async () => {
    const r = await resolveContainerSeeds(
      { mode: 'containers', resolve_type: 'lot_id', values: ['GA26010001-A02', 'NOPE', 'GA26010001-A01'] },
      { source: fx.source },
    )
    expect(r.seeds.map((s) => s.container_id)).toEqual(['a2', 'a1'])
    expect(r.seeds[0]).toEqual({ container_id: 'a2', container_name: 'GA26010001-A02', lot_id: 'GA26010001-A02', input_value: 'GA26010001-A02' })
    expect(r.not_found).toEqual(['NOPE'])
    expect(r.expansion_info).toEqual({ 'GA26010001-A02': 1, NOPE: 0, 'GA26010001-A01': 1 })
    expect(r.input_count).toBe(3)
  })

  it('treats * as a wildcard and re-matches candidates exactly (case-sensitive lot IDs)', async () => {
    const r = await resolveContainerSeeds(
      { mode: 'containers', resolve_type: 'lot_id', values: ['GA26010001-A*'] },
      { source: fx.source },
    )
    // x1 "ga26010001-a01" is a LIKE candidate on SQLite (case-insensitive LIKE) but not a match.
    expect(r.seeds.map((s) => s.container_id)).toEqual(['a1', 'a2'])
    expect(r.expansion_info['GA26010001-A*']).toBe(2)
  })

  it('treats _ as a single-character wildcard and an escaped one literally', async () => {
    const r = await resolveContainerSeeds(
      { mode: 'containers', resolve_type: 'lot_id', values: ['GA26010001-A0_', 'GC26010009\\_A01', 'GA26010001\\_A01'] },
      { source: fx.source },
    )
    // The escaped token is an exact name: it finds the lot with a real '_' and not its look-alike.
    expect(r.seeds.map((s) => s.container_id)).toEqual(['a1', 'a2', 'u1'])
    expect(r.expansion_info).toEqual({ 'GA26010001-A0_': 2, 'GC26010009\\_A01': 1, 'GA26010001\\_A01': 0 })
    expect(r.not_found).toEqual(['GA26010001\\_A01'])
    const pattern = await resolveContainerSeeds(
      { mode: 'containers', resolve_type: 'lot_id', values: ['GC26010009\\_A0*'] },
      { source: fx.source },
    )
    expect(pattern.seeds.map((s) => s.container_id)).toEqual(['u1'])
  })

  it('finds nothing for SQL-looking input (values are bound, never spliced)', async () => {
    const r = await resolveContainerSeeds(
      { mode: 'containers', resolve_type: 'lot_id', values: ["x' OR '1'='1", "'; DROP TABLE DW_MES_CONTAINER; --"] },
      { source: fx.source },
    )
    expect(r.seeds).toEqual([])
    expect(r.not_found).toHaveLength(2)
    const still = await resolveContainerSeeds({ mode: 'containers', resolve_type: 'lot_id', values: ['GA26010001-A01'] }, { source: fx.source })
    expect(still.seed_count).toBe(1)
  })

  it('matches work orders upper-cased and only GA/GC orders', async () => {
    const r = await resolveContainerSeeds(
      { mode: 'containers', resolve_type: 'work_order', values: ['GA26010002', 'ga26010001'] },
      { source: fx.source },
    )
    expect(r.seeds.map((s) => s.container_id)).toEqual(['a3', 'a1', 'a2', 'm1'])
    expect(r.not_found).toEqual([])
  })

  it('resolves wafer lots to real lots only', async () => {
    const r = await resolveContainerSeeds(
      { mode: 'containers', resolve_type: 'wafer_lot', values: ['WAF-001'] },
      { source: fx.source },
    )
    expect(r.seeds.map((s) => s.container_id)).toEqual(['a1', 'a2', 'c1'])
  })

  it('resolves GD orders and GD lot IDs', async () => {
    const order = await resolveContainerSeeds(
      { mode: 'containers', resolve_type: 'gd_work_order', values: ['GD26010001', 'GD9'] },
      { source: fx.source },
    )
    expect(order.seeds.map((s) => s.container_id)).toEqual(['d1'])
    expect(order.not_found).toEqual(['GD9'])
    const lotId = await resolveContainerSeeds(
      { mode: 'containers', resolve_type: 'gd_lot_id', values: ['gd26010001-a01'] },
      { source: fx.source },
    )
    expect(lotId.seeds.map((s) => s.lot_id)).toEqual(['GD26010001-A01'])
  })

  it('resolves serials with the finished-name > container-name > first-name priority', async () => {
    const r = await resolveContainerSeeds(
      { mode: 'containers', resolve_type: 'serial_number', values: ['SN-777', 'SN-778'] },
      { source: fx.source },
    )
    expect(r.seeds.map((s) => [s.container_id, s.match_source, s.input_value])).toEqual([
      ['a1', 'finished_name', 'SN-777'],
      ['a2', 'finished_name', 'SN-777'],
      ['s1', 'container_name', 'SN-777'],
    ])
    // s1 also matches SN-778 by FIRSTNAME; it is already a seed, but the token is found.
    expect(r.expansion_info).toEqual({ 'SN-777': 3, 'SN-778': 1 })
    expect(r.not_found).toEqual([])
  })

  it('batches exact tokens at 1000 per IN list (1001 tokens → 2 queries)', async () => {
    const spy = vi.spyOn(fx.source, 'stream')
    const values = Array.from({ length: 1001 }, (_, i) => `LOT-${i}`)
    const r = await resolveContainerSeeds({ mode: 'containers', resolve_type: 'lot_id', values }, { source: fx.source })
    expect(spy).toHaveBeenCalledTimes(2)
    expect(spy.mock.calls.map((c) => c[1].length)).toEqual([1000, 1])
    expect(r.not_found).toHaveLength(1001)
    spy.mockRestore()
  })

  it('refuses a request that matches more containers than the cap', async () => {
    await expect(
      resolveContainerSeeds({ mode: 'containers', resolve_type: 'work_order', values: ['GA26010001'] }, { source: fx.source, maxMatches: 2 }),
    ).rejects.toMatchObject({ code: 'input/invalid', details: { field: 'params.values' } })
  })

  it('builds the detection population: every lot tracked in at the station in the window', async () => {
    const r = await resolveDetectionPopulation(
      { mode: 'date_range', station: '測試', start_date: '2026-01-05', end_date: '2026-01-07' },
      { source: fx.source },
    )
    // a1 twice (one seed), a2 via 測試 at 23:59:59 of the last day, u1 at the lower-case tmtt-b;
    // a3 is on the day after; c1 has no machine; d1 is before the window.
    expect(r.seeds.map((s) => s.container_id)).toEqual(['a1', 'a2', 'u1'])
    expect(r.seeds[0]).toEqual({ container_id: 'a1', container_name: 'GA26010001-A01', lot_id: 'GA26010001-A01' })
  })

  it('keeps 元件切割/PKG_SAW out of 切割 and in 元件切割', async () => {
    const saw = await resolveDetectionPopulation(
      { mode: 'date_range', station: '切割', start_date: '2026-01-01', end_date: '2026-01-31' },
      { source: fx.source },
    )
    expect(saw.seeds.map((s) => s.container_id)).toEqual(['m1'])
    const pkg = await resolveDetectionPopulation(
      { mode: 'date_range', station: '元件切割', start_date: '2026-01-01', end_date: '2026-01-31' },
      { source: fx.source },
    )
    expect(pkg.seeds.map((s) => s.container_id).sort()).toEqual(['s1', 'x1'])
  })

  it('reads the window by the names of the station workcenters, and by its filter alone when the source has too many names to list', async () => {
    const seen: string[] = []
    const recording = new Proxy(fx.source, {
      get(target, key, receiver) {
        if (key === 'stream') return (sql: string, ...rest: unknown[]) => (seen.push(sql), (target.stream as (...a: unknown[]) => unknown)(sql, ...rest))
        if (key === 'all') return (sql: string, ...rest: unknown[]) => (seen.push(sql), (target.all as (...a: unknown[]) => unknown)(sql, ...rest))
        const value = Reflect.get(target, key, receiver) as unknown
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
      },
    })
    const spec = { mode: 'date_range', station: '測試', start_date: '2026-01-05', end_date: '2026-01-07' } as const
    const r = await resolveDetectionPopulation(spec, { source: recording })
    expect(r.seeds.map((s) => s.container_id)).toEqual(['a1', 'a2', 'u1'])
    const read = seen.find((sql) => sql.startsWith('SELECT DISTINCT h.CONTAINERID'))!
    // The names that can be 測試's (TMTT, TMTT_2, tmtt-b, 測試), then the station's own filter.
    expect(read).toMatch(/^SELECT DISTINCT .* WHERE h\.WORKCENTERNAME IN \(\?, \?, \?, \?\) AND \(UPPER\(h\.WORKCENTERNAME\) LIKE/)
    // Past the seek limit the names are not listed: the same seeds from the filter alone.
    const { MAX_WORKCENTER_SEEKS } = await import('../../../main/sources/data-window.js')
    const many = await createFixtureSource({
      DW_MES_CONTAINER: [lot('a1', 'GA26010001-A01', 'GA26010001')],
      DW_MES_LOTWIPHISTORY: [
        wip('a1', 'TMTT', '2026-01-05 10:00:00'),
        ...Array.from({ length: MAX_WORKCENTER_SEEKS }, (_, i) => wip('a1', `WC-${String(i).padStart(4, '0')}`, '2026-01-05 09:00:00')),
      ],
    })
    try {
      const alone = await resolveDetectionPopulation(spec, { source: many.source })
      expect(alone.seeds.map((s) => s.container_id)).toEqual(['a1'])
    } finally {
      await many.cleanup()
    }
  })
})
