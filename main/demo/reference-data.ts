/**
 * The plant's reference rows built from the catalog and the seed: machines (`DW_MES_RESOURCE`),
 * the spec → workcenter view (`DW_MES_SPEC_WORKCENTER_V`) and material lots over time.
 */
import { UNKNOWN_STATION_ORDER, stationGroupByName } from '../../shared/stations.js'
import {
  MATERIAL_PARTS, PACKAGES, ROUTE_STEPS, WORKCENTERS, workcenterByName,
  type MachineRole, type MaterialPartDef, type PackageDef, type RouteKind,
} from './catalog.js'
import type { PlantClock } from './plant-clock.js'
import { HexIdFactory, Rng, WeightedList } from './rng.js'

/** One machine of the plant. */
export interface Machine {
  readonly index: number
  readonly id: string
  readonly name: string
  readonly workcenter: string
  readonly family: string
  readonly role: MachineRole | 'main'
  /** Relative share of the workcenter's lots it runs. */
  readonly weight: number
}

/** A `DW_MES_SPEC_WORKCENTER_V` row. */
export type SpecRow = [spec: string, workCenter: string, workCenterGroup: string, sequence: number]

/** Machines per workcenter, with the planted bad wire-bond machine singled out. */
export interface MachinePark {
  readonly all: readonly Machine[]
  /**
   * Picks a machine of a workcenter in proportion to its weight (the main machines, or those of
   * a secondary role); undefined when there is none.
   */
  pick(workcenter: string, rng: Rng, role?: MachineRole): Machine | undefined
  /** The wire-bond machine the planted problem is tied to. */
  readonly badWireBonder: Machine
}

const BAD_MACHINE_WORKCENTER = '焊接_WB'

function pad4(n: number): string {
  return String(n).padStart(4, '0')
}

/** Builds the machines of every workcenter (≈ 130, ≈ 18 families). */
export function buildMachinePark(seed: string): MachinePark {
  const rng = Rng.from(seed, 'machines')
  const ids = new HexIdFactory(seed, 'resource')
  const all: Machine[] = []
  for (const wc of WORKCENTERS) {
    for (const family of wc.machines) {
      // Gaps in the numbering, as a real fleet has after machines were retired.
      let number = rng.int(1, 20)
      for (let i = 0; i < family.count; i++) {
        all.push({
          index: all.length, id: ids.next('0014'), name: `${family.prefix}-${pad4(number)}`,
          workcenter: wc.name, family: family.family, role: family.role ?? 'main', weight: rng.between(0.6, 1.4),
        })
        number += rng.int(1, 9)
      }
    }
  }
  // The bad bonder is a busy one, so enough lots pass it to make the problem significant.
  const bonders = all.filter((m) => m.workcenter === BAD_MACHINE_WORKCENTER && m.role === 'main')
  const chosen = bonders[rng.int(0, bonders.length - 1)]!
  const busiest = Math.max(...bonders.map((m) => m.weight))
  const badWireBonder: Machine = { ...chosen, weight: busiest * 1.3 }
  all[chosen.index] = badWireBonder

  const lists = new Map<string, WeightedList<Machine>>()
  for (const wc of WORKCENTERS) {
    for (const role of ['main', 'cure', 'inspect'] as const) {
      const machines = all.filter((m) => m.workcenter === wc.name && m.role === role)
      if (machines.length > 0) lists.set(`${wc.name}|${role}`, new WeightedList(machines, machines.map((m) => m.weight)))
    }
  }
  return {
    all,
    badWireBonder,
    pick: (workcenter, r, role) => lists.get(`${workcenter}|${role ?? 'main'}`)?.pick(r),
  }
}

/**
 * A `DW_MES_RESOURCE` row: `[RESOURCEID, RESOURCENAME, WORKCENTERNAME, RESOURCEFAMILYNAME,
 * OBJECTCATEGORY, OBJECTTYPE, LOCATIONNAME, PJ_ASSETSSTATUS]`.
 */
export type ResourceRecord = [
  id: string, name: string, workcenter: string, family: string, category: string, type: string, location: string | null,
  assetStatus: string | null,
]

/** The plant's two buildings: the front end (probe to molding) and the back end. */
const FRONT_END_AREA = 'A棟'
const BACK_END_AREA = 'B棟'
const FRONT_END_LAST_ORDER = stationGroupByName('成型')!.order

/**
 * The machine master (`DW_MES_RESOURCE`): every machine of the park as a production machine in
 * the original's sense (original-ui.md §1.1: ASSEMBLY/ASSEMBLY, or WAFERSORT/WAFERSORT for the
 * probe station; a building or no location; approved or no asset status), then three machines
 * that run no lots and that the production filter removes: a tester in the lab, a retired
 * (Disapproved) bonder and a facility unit. Derived from the park and a separate id space, so the
 * rest of the plant is the same with or without these columns.
 */
export function buildResourceRows(park: MachinePark, seed: string): ResourceRecord[] {
  const rows: ResourceRecord[] = park.all.map((m) => {
    const probe = m.workcenter === '點測'
    const area = probe || groupOf(m.workcenter)[1] <= FRONT_END_LAST_ORDER ? FRONT_END_AREA : BACK_END_AREA
    return [
      m.id, m.name, m.workcenter, m.family, probe ? 'WAFERSORT' : 'ASSEMBLY', probe ? 'WAFERSORT' : 'ASSEMBLY',
      // Some machines have no location recorded, some no asset status: both still count.
      m.index % 9 === 4 ? null : area, m.index % 13 === 7 ? null : 'Approved',
    ]
  })
  const ids = new HexIdFactory(seed, 'resource-non-production')
  rows.push(
    [ids.next('0014'), 'GTMA-9001', 'TMTT', 'TMA_FT2018', 'ASSEMBLY', 'ASSEMBLY', '實驗室', 'Approved'],
    [ids.next('0014'), 'GWBA-9002', '焊接_WB', 'WBK_ConnX Elite_EAP', 'ASSEMBLY', 'ASSEMBLY', FRONT_END_AREA, 'Disapproved'],
    [ids.next('0014'), 'GCHL-9003', '成型', 'FAC_CHILLER', 'FACILITY', 'FACILITY', FRONT_END_AREA, 'Approved'],
  )
  return rows
}

/** Spec names of the plant, by the step that uses them. */
export const specName = {
  /** The spec of a main or material-issue step of a package. */
  step: (workcenterCode: string, pkg: PackageDef): string => `${workcenterCode}_${pkg.code}`,
  /** The second wire-bond pass some orders run. */
  secondBond: (pkg: PackageDef): string => `WB2_${pkg.code}`,
  /** Post-mold cure (an oven step at 成型), one per route shape. */
  cure: (route: RouteKind): string => `PMC_${route}`,
  /** Inspection gate (AOI) after bonding, one per route shape. */
  bondGate: (route: RouteKind): string => `QC_BOND_${route}`,
  /** Visual inspection gate (no machine) after plating, one per plating workcenter code. */
  platingGate: (platingCode: string): string => `QC_${platingCode}`,
  /** Re-test of rework (GD) lots, one per route shape. */
  rework: (route: RouteKind): string => `RW_TMTT_${route}`,
  /** Wafer probe, shared by every package. */
  probe: 'PRB_WAFER',
  /** Inspection gate (X-ray) after molding, one per route shape. */
  moldGate: (route: RouteKind): string => `QC_MOLD_${route}`,
  /** Packing of combined lots. */
  packing: 'PKG_FG',
  /** Warehouse entry of combined lots. */
  warehouse: 'WHS_FG',
} as const

/** Raw workcenters a package may visit (main steps, optional steps and material issue). */
export function packageWorkcenters(pkg: PackageDef): string[] {
  const main = ROUTE_STEPS[pkg.route].map((s) => (s === 'PLATING' ? pkg.plating : s))
  const names: string[] = []
  for (const step of main) {
    if (step === '焊接_DB') names.push('焊_DB_料')
    if (step === '焊接_WB' && pkg.route !== 'POWER') names.push('焊_WB_料')
    if (step === '成型') names.push('成型_料')
    names.push(step)
  }
  return names
}

/** The workcenter of the inspection gate after bonding: the last bonding step of the route. */
export function bondGateWorkcenter(route: RouteKind): string {
  return route === 'LEADED_DW' || route === 'POWER' ? '焊接_DW' : '焊接_WB'
}

function groupOf(workcenter: string): [string, number] {
  const group = workcenterByName(workcenter).group
  if (group === null) return [workcenter, UNKNOWN_STATION_ORDER]
  return [group, stationGroupByName(group)!.order]
}

/** The ≈ 230 rows of the spec → workcenter view. */
export function buildSpecRows(): SpecRow[] {
  const rows: SpecRow[] = []
  const add = (spec: string, workcenter: string): void => {
    rows.push([spec, workcenter, ...groupOf(workcenter)])
  }
  add(specName.probe, '點測')
  for (const pkg of PACKAGES) {
    for (const wc of packageWorkcenters(pkg)) add(specName.step(workcenterByName(wc).code, pkg), wc)
    if (pkg.route === 'LEADED_WB') add(specName.secondBond(pkg), '焊接_WB')
  }
  for (const route of Object.keys(ROUTE_STEPS) as RouteKind[]) {
    add(specName.cure(route), '成型')
    add(specName.bondGate(route), bondGateWorkcenter(route))
    add(specName.moldGate(route), '成型')
    add(specName.rework(route), 'TMTT')
  }
  for (const plating of ['條鍍', '掛鍍', '滾鍍', '電鍍']) add(specName.platingGate(workcenterByName(plating).code), plating)
  add(specName.packing, '包裝')
  add(specName.warehouse, '入庫')
  return rows
}

/** Material lots: each part opens a new lot every `lotHours`, at a part-specific phase. */
export class MaterialLots {
  private readonly phase: ReadonlyMap<string, number>
  private readonly partNumber: ReadonlyMap<string, string>
  private readonly names = new Map<string, string>()

  constructor(
    seed: string,
    private readonly clock: PlantClock,
  ) {
    const rng = Rng.from(seed, 'material-phase')
    this.phase = new Map(MATERIAL_PARTS.map((p) => [p.name, rng.between(0, p.lotHours * 3600)]))
    this.partNumber = new Map(MATERIAL_PARTS.map((p, i) => [p.name, String(i).padStart(2, '0')]))
  }

  /** Number of the lot of `part` in use at `sec`. */
  indexAt(part: MaterialPartDef, sec: number): number {
    return Math.floor((sec - this.clock.startSec + this.phase.get(part.name)!) / (part.lotHours * 3600))
  }

  /** When lot `index` of `part` was opened. */
  openedAt(part: MaterialPartDef, index: number): number {
    return this.clock.startSec - this.phase.get(part.name)! + index * part.lotHours * 3600
  }

  /** Name of the material lot with that number, e.g. `SMB260915-57` (opening day and part number). */
  lotName(part: MaterialPartDef, index: number): string {
    const key = `${part.name}#${index}`
    let name = this.names.get(key)
    if (name === undefined) {
      const opened = this.openedAt(part, index)
      name = `${part.vendor}${this.clock.yymmdd(opened)}-${this.partNumber.get(part.name)!}`
      this.names.set(key, name)
    }
    return name
  }
}
