/**
 * The equipment timeline's model and option: lanes in the order asked named `NAME (ID)`, status
 * bands in their real chronology (all six statuses, clipped to the range), lots from track-in to
 * track-out (open ones 30 min, none shorter than a minute), jobs at CREATEDATE else COMPLETEDATE,
 * the cut said, the list for the keyboard, and the chart's series, zoom and tooltips.
 */
import { describe, expect, it } from 'vitest'
import type { EquipmentTimeline } from '../../../../shared/equipment'
import { buildEquipmentTimelineModel, equipmentTimelineList, MIN_LOT_MS, OPEN_LOT_MS, STATUS_COLORS } from '../../../../renderer/src/charts/equipment-timeline-model'
import { buildEquipmentTimelineOption, equipmentTimelineHeight, LANE_HEIGHT, VISIBLE_LANES, type EquipmentTimelineLabels } from '../../../../renderer/src/charts/equipment-timeline-option'
import { plantTime } from '../../../../renderer/src/charts/lot-timeline-model'

const answer = (over: Partial<EquipmentTimeline> = {}): EquipmentTimeline => ({
  machines: [
    { resource_id: 'R2', name: 'GWBE-0029' },
    { resource_id: 'R1', name: 'R1' },
  ],
  window: { start: '2026-10-01 00:00:00', end: '2026-10-03 00:00:00' },
  status: [
    { resource_id: 'R2', status: 'SBY', start: '2026-10-01 08:00:00', end: '2026-10-01 12:00:00', hours: 4 },
    { resource_id: 'R2', status: 'PRD', start: '2026-10-01 00:00:00', end: '2026-10-01 08:00:00', hours: 8 },
    { resource_id: 'R1', status: 'NST', start: '2026-09-30 20:00:00', end: '2026-10-01 04:00:00', hours: 8 },
    { resource_id: 'R1', status: 'EGT', start: '2026-10-02 00:00:00', end: '2026-10-02 02:00:00', hours: 2 },
    { resource_id: 'RX', status: 'UDT', start: '2026-10-02 00:00:00', end: '2026-10-02 02:00:00', hours: 2 },
  ],
  hours: [],
  lots: [
    { resource_id: 'R2', container_id: 'C1', lot_id: 'GA1', spec: 'WB', workcenter: '焊接_WB', start: '2026-10-01 01:00:00', end: '2026-10-01 03:00:00' },
    { resource_id: 'R2', container_id: 'C2', lot_id: 'GA2', spec: null, workcenter: null, start: '2026-10-01 05:00:00', end: null },
    { resource_id: 'R1', container_id: 'C3', lot_id: 'GA3', spec: 'S', workcenter: 'W', start: '2026-10-02 05:00:00', end: '2026-10-02 05:00:00' },
  ],
  lots_total: 10,
  jobs: [
    { resource_id: 'R1', job_id: 'J1', status: 'Complete', created: null, completed: '2026-10-02 06:00:00', cause: 'C', repair: 'R', symptom: 'S', container_names: 'GA3' },
    { resource_id: 'R2', job_id: 'J2', status: 'Open', created: '2026-10-01 09:00:00', completed: null, cause: null, repair: null, symptom: null, container_names: null },
  ],
  missing_tables: [],
  ...over,
})

describe('buildEquipmentTimelineModel', () => {
  it('has a lane per machine in the order asked, labelled NAME (ID) (the id alone when it is the name)', () => {
    expect(buildEquipmentTimelineModel(answer()).lanes.map((l) => l.label)).toEqual(['GWBE-0029 (R2)', 'R1'])
  })

  it('draws statuses where they happened, clipped to the range, every status kept, unknown machines skipped', () => {
    const m = buildEquipmentTimelineModel(answer())
    expect(m.status!.map((b) => [b.lane, b.status, b.start])).toEqual([
      [0, 'SBY', plantTime('2026-10-01 08:00:00')],
      [0, 'PRD', plantTime('2026-10-01 00:00:00')],
      [1, 'NST', plantTime('2026-10-01 00:00:00')],
      [1, 'EGT', plantTime('2026-10-02 00:00:00')],
    ])
    expect(m.statuses).toEqual(['PRD', 'SBY', 'EGT', 'NST'])
    expect(m.skipped).toBe(1)
    expect(Object.keys(STATUS_COLORS)).toEqual(['PRD', 'SBY', 'UDT', 'SDT', 'EGT', 'NST'])
  })

  it('draws lots from track-in to track-out, open ones 30 min, none shorter than a minute, and says the list was cut', () => {
    const m = buildEquipmentTimelineModel(answer())
    const [a, b, c] = m.lots
    expect(a!.end - a!.start).toBe(2 * 3_600_000)
    expect([b!.open, b!.end - b!.start]).toEqual([true, OPEN_LOT_MS])
    expect(c!.end - c!.start).toBe(MIN_LOT_MS)
    expect([m.cut, m.lotsTotal]).toEqual([true, 10])
    expect(buildEquipmentTimelineModel(answer({ lots_total: 3 })).cut).toBe(false)
  })

  it('places a job at its creation, else its completion', () => {
    const m = buildEquipmentTimelineModel(answer())
    expect(m.jobs.map((j) => [j.jobId, j.lane, j.at])).toEqual([
      ['J1', 1, '2026-10-02 06:00:00'],
      ['J2', 0, '2026-10-01 09:00:00'],
    ])
  })

  it('has no status layer without the status table, and no window with nothing to draw', () => {
    const m = buildEquipmentTimelineModel(answer({ status: null, hours: null, missing_tables: ['DW_MES_RESOURCESTATUS_SHIFT'] }))
    expect([m.status, m.statuses, m.missingTables]).toEqual([null, [], ['DW_MES_RESOURCESTATUS_SHIFT']])
    expect(buildEquipmentTimelineModel(answer({ status: [], lots: [], jobs: [], lots_total: 0 })).window).toBeNull()
  })

  it('lists everything by machine, then time', () => {
    const list = equipmentTimelineList(buildEquipmentTimelineModel(answer()))
    expect(list.map((r) => `${r.kind}:${r.title}`)).toEqual(['status:PRD', 'lot:GA1', 'lot:GA2', 'status:SBY', 'job:J2', 'status:NST', 'status:EGT', 'lot:GA3', 'job:J1 C'])
    expect(list.find((r) => r.title === 'GA2')!.end).toBe('')
  })
})

const labels: EquipmentTimelineLabels = {
  lot: 'Lot',
  job: 'Repair job',
  statusName: (s) => `${s}!`,
  machine: 'Machine',
  start: 'Start',
  end: 'End',
  trackIn: 'In',
  trackOut: 'Out',
  open: 'open',
  duration: 'Duration {h} h',
  time: 'Time',
  status: 'Status',
  description: 'desc',
}

describe('buildEquipmentTimelineOption', () => {
  const model = buildEquipmentTimelineModel(answer())
  const option = buildEquipmentTimelineOption(model, labels)
  const series = option.series as { id: string; name: string; data: unknown[]; itemStyle: { color: string } }[]

  it('has a band series per status present, then lots, then jobs; the legend names them', () => {
    expect(series.map((s) => s.id)).toEqual(['status:PRD', 'status:SBY', 'status:EGT', 'status:NST', 'lots', 'jobs'])
    expect(series[0]!.itemStyle.color).toBe('#16a34a')
    expect(series[1]!.itemStyle.color).toBe('#f59e0b')
    expect((option.legend as { data: string[] }).data).toEqual(['Lot', 'Repair job', 'PRD!', 'SBY!', 'EGT!', 'NST!'])
    expect(series.find((s) => s.id === 'lots')!.data).toHaveLength(3)
    expect(series.find((s) => s.id === 'jobs')!.data).toHaveLength(2)
  })

  it('pads the time axis by 3 % and zooms it; lanes scroll past the visible number', () => {
    const x = option.xAxis as { min: number; max: number }
    const span = plantTime('2026-10-03 00:00:00')! - plantTime('2026-10-01 00:00:00')!
    expect(x.min).toBe(plantTime('2026-10-01 00:00:00')! - span * 0.03)
    expect((option.dataZoom as { type: string }[]).map((d) => d.type)).toEqual(['inside', 'slider'])
    const many = buildEquipmentTimelineModel(answer({ machines: Array.from({ length: VISIBLE_LANES + 2 }, (_, i) => ({ resource_id: `M${i}`, name: `M${i}` })) }))
    expect((buildEquipmentTimelineOption(many, labels).dataZoom as unknown[]).length).toBe(3)
    expect(equipmentTimelineHeight(40)).toBe(equipmentTimelineHeight(VISIBLE_LANES))
    expect(equipmentTimelineHeight(2) - equipmentTimelineHeight(1)).toBe(LANE_HEIGHT)
  })

  it('tooltips name the machine and times, and escape rich-text syntax', () => {
    const format = (option.tooltip as { formatter: (p: unknown) => string }).formatter
    const lot = format({ seriesId: 'lots', data: [0, 0, 0, 1, 1] })
    expect(lot).toContain('GA2')
    expect(lot).toContain('Machine: GWBE-0029 (R2)')
    expect(lot).toContain('Out: open')
    expect(format({ seriesId: 'jobs', data: [0, 1, 0] })).toContain('J1 C\nMachine: R1\nTime: 2026-10-02 06:00:00\nStatus: Complete\nR / S / GA3')
    expect(format({ seriesId: 'status:PRD', data: [0, 0, 0, 1] })).toBe('PRD!\nMachine: GWBE-0029 (R2)\nStart: 2026-10-01 00:00:00\nEnd: 2026-10-01 08:00:00\nDuration 8.00 h')
    const braces = buildEquipmentTimelineModel(answer({ lots: [{ ...answer().lots[0]!, lot_id: 'A{b}|c' }] }))
    expect((buildEquipmentTimelineOption(braces, labels).tooltip as { formatter: (p: unknown) => string }).formatter({ seriesId: 'lots', data: [0, 0, 0, 0, 0] })).toContain('A(b)¦c')
  })
})
