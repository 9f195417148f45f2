/**
 * Station-group and machine-family filters of the machine chart (original-ui.md §5.2): the options
 * come from the attribution records, and a filter narrows what the chart shows without changing
 * its order. The ranked view keeps the suspect list's order for the machines that remain; the
 * volume view is rebuilt from the records that pass, as the original did.
 */
import { buildPareto, MSD_UNKNOWN, type MachineAttribution, type ParetoItem, type Suspect } from '../../../shared/msd'

/** The chosen station groups and machine families; empty lists mean no condition. */
export interface MachineFilter {
  stations: readonly string[]
  families: readonly string[]
}

const collator = new Intl.Collator('zh-TW')

/** True when the filter has any condition. */
export function isFiltering(filter: MachineFilter): boolean {
  return filter.stations.length > 0 || filter.families.length > 0
}

/** True when an attribution record passes the station condition. */
function passesStation(record: Pick<MachineAttribution, 'WORKCENTER_GROUP'>, filter: MachineFilter): boolean {
  return filter.stations.length === 0 || filter.stations.includes(record.WORKCENTER_GROUP)
}

/** True when an attribution record passes both conditions (an unknown family never matches a chosen one). */
export function recordPasses(record: Pick<MachineAttribution, 'WORKCENTER_GROUP' | 'RESOURCEFAMILYNAME'>, filter: MachineFilter): boolean {
  return passesStation(record, filter) && (filter.families.length === 0 || filter.families.includes(record.RESOURCEFAMILYNAME))
}

/**
 * Options of the two filters: the distinct station groups, and the distinct known families of the
 * records that pass the station condition, each sorted by Traditional Chinese collation.
 */
export function machineFilterOptions(attribution: readonly MachineAttribution[], filter: MachineFilter): { stations: string[]; families: string[] } {
  const stations = new Set(attribution.map((a) => a.WORKCENTER_GROUP))
  const families = new Set(attribution.filter((a) => passesStation(a, filter) && a.RESOURCEFAMILYNAME !== MSD_UNKNOWN).map((a) => a.RESOURCEFAMILYNAME))
  return { stations: [...stations].sort(collator.compare), families: [...families].sort(collator.compare) }
}

/**
 * The suspects the machine chart may show under the filter, in the list's order: every factor that
 * is not a machine as it is, and each machine suspect whose attribution record (same station group
 * and name) passes. A suspect with no record passes only an empty filter.
 */
export function filterMachineSuspects(suspects: readonly Suspect[], attribution: readonly MachineAttribution[], filter: MachineFilter): Suspect[] {
  if (!isFiltering(filter)) return [...suspects]
  const passing = new Set(attribution.filter((a) => recordPasses(a, filter)).map((a) => JSON.stringify([a.WORKCENTER_GROUP, a.EQUIPMENT_NAME])))
  return suspects.filter((s) => s.factor_type !== 'machine' || passing.has(JSON.stringify([s.station, s.name])))
}

/**
 * The volume Pareto under the filter: the server's chart when nothing is chosen, else rebuilt from
 * the records that pass (grouped by machine name, top ten and the rest), with the same builder.
 */
export function filteredMachineVolume(attribution: readonly MachineAttribution[], serverChart: readonly ParetoItem[], filter: MachineFilter): ParetoItem[] {
  if (!isFiltering(filter)) return [...serverChart]
  return buildPareto(
    attribution
      .filter((a) => recordPasses(a, filter))
      .map((a) => ({ name: a.EQUIPMENT_NAME || MSD_UNKNOWN, input_qty: a.INPUT_QTY, defect_qty: a.DEFECT_QTY, lot_count: a.DETECTION_LOT_COUNT })),
  )
}
