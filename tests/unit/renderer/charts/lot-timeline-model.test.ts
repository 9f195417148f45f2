/** Lot timeline model: lanes per lot, bars per visit, markers on their own lot's lane, the group filter, open visits. */
import { describe, expect, it } from 'vitest'
import {
  buildTimelineModel,
  MAX_TIMELINE_LOTS,
  MIN_VISIT_MS,
  OPEN_VISIT_MS,
  plantTime,
  timelineList,
  type Row,
} from '../../../../renderer/src/charts/lot-timeline-model'

const visit = (cid: string, name: string, group: string, wc: string, machine: string, inAt: string | null, outAt: string | null, spec = `${group}-SPEC`): Row => ({
  CONTAINERID: cid,
  CONTAINERNAME: name,
  WORKCENTER_GROUP: group,
  WORKCENTERNAME: wc,
  EQUIPMENTNAME: machine,
  SPECNAME: spec,
  TRACKINTIMESTAMP: inAt,
  TRACKOUTTIMESTAMP: outAt,
})

const HISTORY: Row[] = [
  visit('C1', 'LOT-A', '焊接_DB', 'DB-1', 'GDBA-01', '2024-03-01T08:00:00', '2024-03-01T10:00:00'),
  visit('C2', 'LOT-B', '焊接_DB', 'DB-1', 'GDBA-02', '2024-03-01T09:00:00', '2024-03-01T09:30:00'),
  visit('C1', 'LOT-A', '焊接_WB', 'WB-2', 'GWBE-07', '2024-03-01T11:00:00', '2024-03-01T14:00:00'),
  visit('C2', 'LOT-B', '焊接_WB', 'WB-2', 'GWBE-08', '2024-03-01T12:00:00', null),
]

describe('plantTime', () => {
  it('reads plant times with T or a space, and rejects other text', () => {
    expect(plantTime('2024-03-01T08:30:15')).toBe(new Date(2024, 2, 1, 8, 30, 15).getTime())
    expect(plantTime('2024-03-01 08:30')).toBe(new Date(2024, 2, 1, 8, 30, 0).getTime())
    expect(plantTime('soon')).toBeNull()
    expect(plantTime(null)).toBeNull()
  })
})

describe('buildTimelineModel', () => {
  it('draws one lane per lot in the given order, named by the lot name', () => {
    const m = buildTimelineModel({ cids: ['C2', 'C1'], history: HISTORY })
    expect(m.lanes).toEqual([
      { cid: 'C2', name: 'LOT-B' },
      { cid: 'C1', name: 'LOT-A' },
    ])
    expect(m.bars.map((b) => [b.lane, b.machine])).toEqual([
      [1, 'GDBA-01'],
      [0, 'GDBA-02'],
      [1, 'GWBE-07'],
      [0, 'GWBE-08'],
    ])
    expect(m.groups).toEqual(['焊接_DB', '焊接_WB'])
  })

  it('runs a bar from track-in to track-out', () => {
    const m = buildTimelineModel({ cids: ['C1'], history: HISTORY })
    expect(m.bars).toHaveLength(2)
    expect(m.bars[1]).toMatchObject({ start: new Date(2024, 2, 1, 11).getTime(), end: new Date(2024, 2, 1, 14).getTime(), open: false, spec: '焊接_WB-SPEC' })
  })

  it('draws an open visit (no track-out) for 30 minutes and marks it open', () => {
    const m = buildTimelineModel({ cids: ['C2'], history: HISTORY })
    const open = m.bars.find((b) => b.machine === 'GWBE-08')!
    expect(open.open).toBe(true)
    expect(open.trackOut).toBe('')
    expect(open.end - open.start).toBe(OPEN_VISIT_MS)
  })

  it('gives a zero-length visit the minimum width and skips rows without track-in, counting them', () => {
    const m = buildTimelineModel({
      cids: ['C1'],
      history: [visit('C1', 'LOT-A', 'G', 'W', 'M', '2024-03-01T08:00:00', '2024-03-01T08:00:00'), visit('C1', 'LOT-A', 'G', 'W', 'M', null, '2024-03-01T09:00:00')],
    })
    expect(m.bars).toHaveLength(1)
    expect(m.bars[0]!.end - m.bars[0]!.start).toBe(MIN_VISIT_MS)
    expect(m.barsWithoutStart).toBe(1)
  })

  it("puts a hold on its own lot's lane, never on another lot's lane at the same station", () => {
    // The original put a hold on the first lane of any lot at the hold's station: LOT-A's here.
    const holds: Row[] = [{ CONTAINERID: 'C2', WORKCENTERNAME: 'DB-1', HOLDTXNDATE: '2024-03-01T09:10:00', HOLDREASONNAME: 'QC', HOLDCOMMENTS: 'check' }]
    const m = buildTimelineModel({ cids: ['C1', 'C2'], history: HISTORY, holds })
    expect(m.markers).toHaveLength(1)
    expect(m.markers[0]).toMatchObject({ kind: 'hold', lane: 1, cid: 'C2', title: 'QC', detail: 'check' })
    expect(m.lanes[m.markers[0]!.lane]!.cid).toBe('C2')
  })

  it('places materials and rejects on their lots, and counts those of lots not shown', () => {
    const materials: Row[] = [
      { CONTAINERID: 'C1', WORKCENTERNAME: 'WB-2', SPECNAME: 'X', TXNDATE: '2024-03-01T12:00:00', MATERIALPARTNAME: 'WIRE', MATERIALLOTNAME: 'W-9', QTYCONSUMED: 3 },
      { CONTAINERID: 'C9', WORKCENTERNAME: 'WB-2', TXNDATE: '2024-03-01T12:00:00', MATERIALPARTNAME: 'WIRE' },
    ]
    const rejects: Row[] = [{ CONTAINERID: 'C2', WORKCENTERNAME: 'WB-2', WORKCENTER_GROUP: '焊接_WB', TXN_TIME: '2024-03-01T12:30:00', LOSSREASONNAME: 'Crack', REJECT_TOTAL_QTY: 4 }]
    const m = buildTimelineModel({ cids: ['C1', 'C2'], history: HISTORY, materials, rejects })
    expect(m.markers.map((x) => [x.kind, x.lane, x.title, x.detail])).toEqual([
      ['material', 0, 'WIRE', '3 / W-9'],
      ['reject', 1, 'Crack', '4'],
    ])
    expect(m.misses.material).toEqual({ noLane: 1, noTime: 0, filtered: 0 })
  })

  it('widens the window to markers past the last bar (none is clipped)', () => {
    const holds: Row[] = [{ CONTAINERID: 'C1', WORKCENTERNAME: 'WB-2', HOLDTXNDATE: '2024-03-02T06:00:00' }]
    const m = buildTimelineModel({ cids: ['C1'], history: HISTORY, holds })
    expect(m.window).toEqual({ start: new Date(2024, 2, 1, 8).getTime(), end: new Date(2024, 2, 2, 6).getTime() })
  })

  it('follows the station-group filter: bars and markers of other groups leave, counted', () => {
    const holds: Row[] = [
      { CONTAINERID: 'C1', WORKCENTERNAME: 'DB-1', HOLDTXNDATE: '2024-03-01T09:00:00' },
      { CONTAINERID: 'C1', WORKCENTERNAME: 'WB-2', HOLDTXNDATE: '2024-03-01T12:00:00' },
    ]
    const m = buildTimelineModel({ cids: ['C1', 'C2'], history: HISTORY, holds, groups: ['焊接_WB'] })
    expect(m.bars.map((b) => b.group)).toEqual(['焊接_WB', '焊接_WB'])
    expect(m.groups).toEqual(['焊接_WB'])
    expect(m.markers.map((x) => x.workcenter)).toEqual(['WB-2'])
    expect(m.misses.hold.filtered).toBe(1)
    expect(m.window!.start).toBe(new Date(2024, 2, 1, 11).getTime())
  })

  it(`draws at most ${MAX_TIMELINE_LOTS} lanes`, () => {
    const cids = Array.from({ length: MAX_TIMELINE_LOTS + 5 }, (_, i) => `C${i}`)
    const m = buildTimelineModel({ cids, history: [] })
    expect(m.lanes).toHaveLength(MAX_TIMELINE_LOTS)
    expect(m.window).toBeNull()
  })
})

describe('timelineList', () => {
  it('lists visits and markers lane by lane, each by time', () => {
    const holds: Row[] = [{ CONTAINERID: 'C1', WORKCENTERNAME: 'DB-1', HOLDTXNDATE: '2024-03-01T10:30:00', HOLDREASONNAME: 'QC' }]
    const list = timelineList(buildTimelineModel({ cids: ['C1', 'C2'], history: HISTORY, holds }))
    expect(list.map((r) => [r.lot, r.kind, r.start])).toEqual([
      ['LOT-A', 'visit', '2024-03-01 08:00:00'],
      ['LOT-A', 'hold', '2024-03-01 10:30:00'],
      ['LOT-A', 'visit', '2024-03-01 11:00:00'],
      ['LOT-B', 'visit', '2024-03-01 09:00:00'],
      ['LOT-B', 'visit', '2024-03-01 12:00:00'],
    ])
    expect(list[4]).toMatchObject({ open: true, end: '' })
  })
})
