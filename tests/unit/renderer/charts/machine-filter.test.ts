import { describe, expect, it } from 'vitest'
import { MSD_UNKNOWN, PARETO_OTHER, type MachineAttribution, type ParetoItem, type Suspect } from '../../../../shared/msd'
import { rankedFactors } from '../../../../renderer/src/charts/factor-option'
import { filteredMachineVolume, filterMachineSuspects, machineFilterOptions } from '../../../../renderer/src/charts/machine-filter'

/** An attribution record; only the fields the filter reads matter. */
function record(group: string, name: string, family: string, input: number, defect: number, lots: number): MachineAttribution {
  return {
    WORKCENTER_GROUP: group, EQUIPMENT_NAME: name, EQUIPMENT_ID: `ID-${name}`, RESOURCEFAMILYNAME: family,
    DETECTION_LOT_COUNT: lots, INPUT_QTY: input, DEFECT_QTY: defect, DEFECT_RATE: input ? (defect / input) * 100 : 0,
    WORKFLOW: 'W', PRODUCTLINENAME: 'P', PJ_TYPE: 'T', DETECTION_EQUIPMENTNAME: 'D',
  }
}

/** A ranked (or unranked) suspect; the filter reads type, name, station and rank. */
function suspect(factor_type: Suspect['factor_type'], name: string, station: string | null, rank: number | null): Suspect {
  return {
    factor_type, name, station, lots: 10, defective_lots: 5, input_qty: 100, defect_qty: 5, defect_rate: 5, baseline_rate: 1,
    baseline_lots: 10, baseline_defective_lots: 1, lift: 5, p_value: 0.01, inconclusive: false, no_contrast: false, rank,
    q_value: 0.02, significant: rank !== null && rank <= 2, explained_by: null, conditional_p_value: null, onset: null,
    onset_p_value: null, rate_before_onset: null, rate_after_onset: null,
  }
}

const attribution = [
  record('焊接_WB', 'WB-1', 'Eagle', 1000, 50, 10),
  record('焊接_WB', 'WB-2', 'Eagle', 800, 10, 8),
  record('焊接_WB', 'WB-3', 'Maxum', 600, 30, 6),
  record('切割', 'DS-1', 'Disco', 900, 40, 9),
  record('切割', 'DS-2', MSD_UNKNOWN, 700, 5, 7),
  record('成型', 'MD-1', 'Towa', 500, 20, 5),
]
// The suspect list's order, as the analysis writes it: machines interleaved with other factors.
const list = [
  suspect('machine', 'DS-1', '切割', 1),
  suspect('material', 'GOLD (L1)', '焊接_WB', 2),
  suspect('machine', 'WB-3', '焊接_WB', 3),
  suspect('machine', 'MD-1', '成型', 4),
  suspect('machine', 'WB-1', '焊接_WB', 5),
  suspect('wafer_root', 'R1', null, 6),
  suspect('machine', 'DS-2', '切割', 7),
  suspect('machine', 'WB-2', '焊接_WB', null),
]

describe('machine chart filters', () => {
  it('offers the station groups, and the known families of the chosen stations, in Traditional Chinese order', () => {
    const all = machineFilterOptions(attribution, { stations: [], families: [] })
    expect(all.stations).toEqual([...new Set(attribution.map((a) => a.WORKCENTER_GROUP))].sort(new Intl.Collator('zh-TW').compare))
    expect(all.families).toEqual(['Disco', 'Eagle', 'Maxum', 'Towa'])
    expect(machineFilterOptions(attribution, { stations: ['切割'], families: [] }).families).toEqual(['Disco'])
  })

  it('keeps the suspect list’s ranking order for the machines a station filter leaves', () => {
    const filtered = filterMachineSuspects(list, attribution, { stations: ['焊接_WB'], families: [] })
    expect(rankedFactors(filtered, 'machine').map((s) => s.name)).toEqual(['WB-3', 'WB-1'])
    // Brute force: the unfiltered ranking with the other stations struck out, order untouched.
    const expected = rankedFactors(list, 'machine').filter((s) => s.station === '焊接_WB').map((s) => s.name)
    expect(rankedFactors(filtered, 'machine').map((s) => s.name)).toEqual(expected)
    // Other factor types are not touched by a machine filter.
    expect(filtered.filter((s) => s.factor_type !== 'machine')).toEqual(list.filter((s) => s.factor_type !== 'machine'))
  })

  it('keeps the order under a family filter across stations, and drops machines of unknown family', () => {
    const filtered = filterMachineSuspects(list, attribution, { stations: [], families: ['Eagle', 'Disco'] })
    expect(rankedFactors(filtered, 'machine').map((s) => s.name)).toEqual(['DS-1', 'WB-1'])
  })

  it('shows everything in the list’s order with no filter', () => {
    expect(filterMachineSuspects(list, attribution, { stations: [], families: [] })).toEqual(list)
  })

  it('rebuilds the volume Pareto from the records that pass, and uses the stored one with no filter', () => {
    const stored: ParetoItem[] = [{ name: 'stored', input_qty: 1, defect_qty: 1, defect_rate: 100, lot_count: 1, cumulative_pct: 100 }]
    expect(filteredMachineVolume(attribution, stored, { stations: [], families: [] })).toEqual(stored)
    const volume = filteredMachineVolume(attribution, stored, { stations: ['焊接_WB'], families: ['Eagle'] })
    // WB-1: 50 / 1000 = 5 %; WB-2: 10 / 800 = 1.25 %; cumulative 50/60, 60/60.
    expect(volume.map((v) => [v.name, v.defect_qty, v.input_qty, v.defect_rate, v.lot_count, v.cumulative_pct])).toEqual([
      ['WB-1', 50, 1000, 5, 10, 83.33],
      ['WB-2', 10, 800, 1.25, 8, 100],
    ])
    expect(volume.some((v) => v.name === PARETO_OTHER)).toBe(false)
  })
})
