/** Lot timeline option: a series per station group, markers per kind on their lane, zoom, tooltips. */
import { describe, expect, it } from 'vitest'
import { buildTimelineModel, type Row } from '../../../../renderer/src/charts/lot-timeline-model'
import { barTooltip, buildLotTimelineOption, markerTooltip, timelineHeight, VISIBLE_LANES, type LotTimelineLabels } from '../../../../renderer/src/charts/lot-timeline-option'

const LABELS: LotTimelineLabels = {
  hold: 'Hold',
  material: 'Material',
  reject: 'Reject',
  lot: 'Lot ID',
  station: 'Station',
  machine: 'Machine',
  trackIn: 'Track-in',
  trackOut: 'Track-out',
  open: 'not tracked out',
  duration: 'Duration {h} h',
  time: 'Time',
  description: 'Lot timeline',
}

const HISTORY: Row[] = [
  { CONTAINERID: 'C1', CONTAINERNAME: 'LOT-A', WORKCENTER_GROUP: '焊接_WB', WORKCENTERNAME: 'WB-2', EQUIPMENTNAME: 'GWBE-07', SPECNAME: 'WB {x}', TRACKINTIMESTAMP: '2024-03-01T11:00:00', TRACKOUTTIMESTAMP: '2024-03-01T13:30:00' },
  { CONTAINERID: 'C2', CONTAINERNAME: 'LOT-B', WORKCENTER_GROUP: '焊接_DB', WORKCENTERNAME: 'DB-1', EQUIPMENTNAME: 'GDBA-02', SPECNAME: 'DB', TRACKINTIMESTAMP: '2024-03-01T09:00:00', TRACKOUTTIMESTAMP: null },
]
const HOLDS: Row[] = [{ CONTAINERID: 'C2', WORKCENTERNAME: 'DB-1', HOLDTXNDATE: '2024-03-01T09:10:00', HOLDREASONNAME: 'QC' }]

describe('buildLotTimelineOption', () => {
  const model = buildTimelineModel({ cids: ['C1', 'C2'], history: HISTORY, holds: HOLDS })
  const option = buildLotTimelineOption(model, LABELS)
  const series = option.series as { id: string; name: string; type: string; data: number[][] }[]

  it('names the lanes by lot, first lot on top', () => {
    expect(option.yAxis).toMatchObject({ type: 'category', data: ['LOT-A', 'LOT-B'], inverse: true })
  })

  it('draws a custom series per station group and a scatter series per marker kind present', () => {
    expect(series.map((s) => [s.id, s.type])).toEqual([
      ['group:焊接_DB', 'custom'],
      ['group:焊接_WB', 'custom'],
      ['marker:hold', 'scatter'],
    ])
    expect(series[0]!.data).toEqual([[1, model.bars[1]!.start, model.bars[1]!.end, 1, 1]])
    // The hold sits on LOT-B's lane (index 1), at its time.
    expect(series[2]!.data).toEqual([[new Date(2024, 2, 1, 9, 10).getTime(), 1, 0]])
  })

  it('pads the time axis and zooms it with the wheel and a slider', () => {
    const x = option.xAxis as { min: number; max: number }
    expect(x.min).toBeLessThan(model.window!.start)
    expect(x.max).toBeGreaterThan(model.window!.end)
    const zoom = option.dataZoom as { type: string; xAxisIndex?: number; yAxisIndex?: number }[]
    expect(zoom.map((z) => [z.type, z.xAxisIndex ?? null, z.yAxisIndex ?? null])).toEqual([
      ['inside', 0, null],
      ['slider', 0, null],
    ])
  })

  it('adds a lane slider past the visible lanes', () => {
    const cids = Array.from({ length: VISIBLE_LANES + 1 }, (_, i) => `C${i}`)
    const many = buildLotTimelineOption(buildTimelineModel({ cids, history: [] }), LABELS)
    expect((many.dataZoom as { yAxisIndex?: number }[]).some((z) => z.yAxisIndex === 0)).toBe(true)
    expect(timelineHeight(VISIBLE_LANES + 10)).toBe(timelineHeight(VISIBLE_LANES))
  })

  it('tooltips name the lane and times, escape rich-text syntax, and say an open visit is open', () => {
    expect(barTooltip(model.bars[0]!, 'LOT-A', LABELS)).toBe(
      'WB (x)\nLot ID: LOT-A\nStation: 焊接_WB · WB-2\nMachine: GWBE-07\nTrack-in: 2024-03-01 11:00:00\nTrack-out: 2024-03-01 13:30:00\nDuration 2.50 h',
    )
    expect(barTooltip(model.bars[1]!, 'LOT-B', LABELS)).toContain('Track-out: not tracked out')
    expect(markerTooltip(model.markers[0]!, 'LOT-B', LABELS)).toBe('Hold: QC\nLot ID: LOT-B\nTime: 2024-03-01 09:10:00\nStation: DB-1')
    const formatter = (option.tooltip as { formatter: (p: unknown) => string }).formatter
    expect(formatter({ seriesId: 'marker:hold', data: [0, 1, 0] })).toContain('Lot ID: LOT-B')
    expect(formatter({ seriesId: 'group:焊接_WB', data: [0, 0, 0, 0, 0] })).toContain('GWBE-07')
  })
})
