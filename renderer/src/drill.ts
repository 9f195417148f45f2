/**
 * Drill-down: from a bar of an MSD chart or a suspect to the lots behind it (a filter on the
 * detail table) and to the events behind it (a filter on an event domain). The rules follow how
 * the detail rows spell their lists: upstream machines as `station/machine`, materials as
 * `part/lot`, the wafer root by name.
 */
import { parseMaterialKey, PARETO_OTHER, suspectDetailFilter, type Suspect } from '../../shared/msd'
import type { PageFilter } from '../../shared/page-query'
import type { Domain, LineageResult } from '../../shared/trace'
import { reachable } from './charts/lineage-view'

/**
 * The lots and their subtrees, whose events belong to them (original-ui.md §4.3): each lot with
 * its ancestors in a backward lineage, with its descendants in a forward one — through every edge
 * the graph draws (split, merge, wafer origin, GD rework). The given lots first, in order, then
 * what they reach, each once; no cap, so a whole lineage can be picked.
 */
export function relativesOf(lineage: LineageResult | null, cids: string | readonly string[]): string[] {
  const start = typeof cids === 'string' ? [cids] : [...cids]
  if (!lineage) return [...new Set(start)]
  const next = new Map<string, string[]>()
  const link = (from: string, to: string): void => {
    const list = next.get(from)
    if (list) list.push(to)
    else next.set(from, [to])
  }
  if (lineage.direction === 'backward') {
    for (const [child, parents] of Object.entries(lineage.parent_map ?? {})) for (const p of parents) link(child, p)
    for (const e of lineage.edges ?? []) link(e.to_cid, e.from_cid)
    // A seed's ancestors as the walker listed them, should a parent link be missing.
    for (const [seed, ancestors] of Object.entries(lineage.ancestors ?? {})) for (const a of ancestors) link(seed, a)
  } else {
    for (const [parent, kids] of Object.entries(lineage.children_map)) for (const c of kids) link(parent, c)
    for (const e of lineage.edges ?? []) link(e.from_cid, e.to_cid)
  }
  return reachable(start, next)
}

export interface Drill {
  /** What was picked, e.g. `machine` + `焊接_WB/GWBE-0029`. */
  kind: 'machine' | 'material' | 'wafer_root' | 'loss_reason' | 'detection_machine' | 'downstream_station' | 'downstream_machine'
  name: string
  /** The lots behind it: conditions on the MSD detail table (none: no lot view). */
  detail: PageFilter[]
  /** The events behind it. */
  events: { domain: Domain; filter: PageFilter[] } | null
  /**
   * Lots behind it when known (a suspect's `lots`): the detail table has a row per lot and loss
   * reason, so its row count alone would overstate them.
   */
  lots?: number
}

function materialDrill(name: string): Drill {
  const { part, lot } = parseMaterialKey(name)
  return {
    kind: 'material',
    name,
    detail: suspectDetailFilter({ factor_type: 'material', name, station: null }),
    events: {
      domain: 'materials',
      filter: lot
        ? [
            { column: 'MATERIALPARTNAME', op: 'eq', value: part },
            { column: 'MATERIALLOTNAME', op: 'eq', value: lot },
          ]
        : [{ column: 'MATERIALPARTNAME', op: 'eq', value: part }],
    },
  }
}

/** The drill-down of a suspect row; with its `lots`, the drill-down says how many lots it holds. */
export function drillOfSuspect(suspect: Pick<Suspect, 'factor_type' | 'name' | 'station'> & { lots?: number }): Drill {
  const drill = drillOfFactor(suspect)
  return suspect.lots === undefined ? drill : { ...drill, lots: suspect.lots }
}

function drillOfFactor(suspect: Pick<Suspect, 'factor_type' | 'name' | 'station'>): Drill {
  switch (suspect.factor_type) {
    case 'machine':
      return {
        kind: 'machine',
        name: suspect.station ? `${suspect.station}/${suspect.name}` : suspect.name,
        detail: suspectDetailFilter(suspect),
        events: { domain: 'upstream_history', filter: [{ column: 'EQUIPMENTNAME', op: 'eq', value: suspect.name }] },
      }
    case 'material':
      return materialDrill(suspect.name)
    case 'wafer_root':
      return { kind: 'wafer_root', name: suspect.name, detail: suspectDetailFilter(suspect), events: null }
  }
}

/** Charts whose bars drill down, by the aggregation's chart key. */
export type DrillChart =
  | 'by_machine'
  | 'by_material'
  | 'by_wafer_root'
  | 'by_loss_reason'
  | 'by_detection_machine'
  | 'by_downstream_station'
  | 'by_downstream_machine'
  | 'by_downstream_loss_reason'

/**
 * The drill-down of a bar; null for the folded `其他` bar. A machine bar names the machine only:
 * `stationOf` (from the attribution records) gives its station group for an exact match.
 */
export function drillOfBar(chart: DrillChart, name: string, stationOf: (machine: string) => string | undefined = () => undefined): Drill | null {
  if (name === PARETO_OTHER) return null
  switch (chart) {
    case 'by_machine':
      return drillOfSuspect({ factor_type: 'machine', name, station: stationOf(name) ?? null })
    case 'by_material':
      return materialDrill(name)
    case 'by_wafer_root':
      return { kind: 'wafer_root', name, detail: [{ column: 'WAFER_ROOT', op: 'eq', value: name }], events: null }
    case 'by_loss_reason':
      return { kind: 'loss_reason', name, detail: [{ column: 'LOSS_REASON', op: 'eq', value: name }], events: null }
    case 'by_detection_machine':
      return { kind: 'detection_machine', name, detail: [{ column: 'DETECTION_EQUIPMENTNAME', op: 'eq', value: name }], events: null }
    case 'by_downstream_station':
      return {
        kind: 'downstream_station',
        name,
        detail: [{ column: 'WORST_DOWNSTREAM_STATION', op: 'eq', value: name }],
        events: { domain: 'downstream_rejects', filter: [{ column: 'WORKCENTER_GROUP', op: 'eq', value: name }] },
      }
    case 'by_downstream_machine':
      return {
        kind: 'downstream_machine',
        name,
        detail: [],
        events: { domain: 'downstream_rejects', filter: [{ column: 'EQUIPMENTNAME', op: 'eq', value: name }] },
      }
    case 'by_downstream_loss_reason':
      return {
        kind: 'loss_reason',
        name,
        detail: [],
        events: { domain: 'downstream_rejects', filter: [{ column: 'LOSSREASONNAME', op: 'eq', value: name }] },
      }
  }
}
