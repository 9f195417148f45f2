/**
 * What a work order builds and how: its product, its route (the concrete steps with spec and
 * consumed materials) and the attributes its containers carry.
 */
import {
  MATERIAL_ISSUE_STEP, MATERIAL_PARTS, MATERIAL_STATION, PACKAGES, ROUTE_STEPS, workcenterByName,
  type DeviceDef, type MachineRole, type MaterialKind, type MaterialPartDef, type PackageDef, type WorkcenterDef,
} from './catalog.js'
import { bondGateWorkcenter, specName } from './reference-data.js'
import { WeightedList, type Rng } from './rng.js'

/** One step of a route. */
export interface RouteStep {
  readonly workcenter: WorkcenterDef
  /** Station group the workcenter maps to (null for e.g. 點測). */
  readonly group: string | null
  readonly spec: string
  /** Material parts booked at this step. */
  readonly materials: readonly MaterialPartDef[]
  /** Machines of a secondary role of the workcenter run this step (cure ovens, inspection). */
  readonly role?: MachineRole
  /** An inspection gate: tracked in and out without a machine. */
  readonly checkpoint: boolean
  /** How likely a planned split happens right after this step (0: never). */
  readonly splitWeight: number
}

/**
 * Where lots are split: mostly early (lots are spread over die and wire bonders), some around
 * plating and trim/form, never after a material issue, a gate or the last step.
 */
const SPLIT_WEIGHTS: Readonly<Record<string, number>> = {
  點測: 0.3, 切割: 4, 焊接_DB: 3, 焊接_WB: 2, 焊接_DW: 2, 成型: 1.5, 去膠: 0.5, 水吹砂: 0.3, 電鍍: 1, 移印: 0.7, 切彎腳: 1,
  元件切割: 1,
}

/** Product attributes written on every container of an order. */
export interface ProductInfo {
  readonly pkg: PackageDef
  readonly device: DeviceDef
  readonly productName: string
  readonly bop: string
  readonly workflow: string
}

/** A work order's product and route. */
export interface OrderPlan {
  readonly product: ProductInfo
  readonly route: readonly RouteStep[]
}

const PACKAGE_LIST = new WeightedList(PACKAGES, PACKAGES.map((p) => p.weight))

function partsOf(kind: MaterialKind): MaterialPartDef[] {
  return MATERIAL_PARTS.filter((p) => p.kind === kind)
}

function partNamed(name: string): MaterialPartDef {
  const part = MATERIAL_PARTS.find((p) => p.name === name)
  if (!part) throw new Error(`unknown demo material part ${name}`)
  return part
}

/** Packages molded with the G600 compound (the planted bad material lot is one of its lots). */
const G600_PACKAGES = new Set(['SOT23', 'SOT236', 'SOT323', 'SOD123', 'SOD323'])

/** The compounds a package may use, preferred first. */
function compoundsFor(pkg: PackageDef): [MaterialPartDef, MaterialPartDef] {
  const compounds = partsOf('COMPOUND')
  if (G600_PACKAGES.has(pkg.code)) return [partNamed('EMC-G600-A'), partNamed('EMC-G600-B')]
  const i = PACKAGES.indexOf(pkg)
  return [compounds[(i % (compounds.length - 2)) + 2]!, compounds[((i + 3) % (compounds.length - 2)) + 2]!]
}

/** The material parts an order books, by kind. */
function chooseMaterials(pkg: PackageDef, rng: Rng): Map<MaterialKind, MaterialPartDef[]> {
  const chosen = new Map<MaterialKind, MaterialPartDef[]>()
  chosen.set('DICING_TAPE', [rng.pick(partsOf('DICING_TAPE'))])
  chosen.set('LEADFRAME', [partNamed(`LF-${pkg.code}-${rng.chance(0.7) ? 'A' : 'B'}`)])
  // Small-signal dice are glued with silver epoxy; power and clip packages are soldered.
  const glued = pkg.route === 'LEADED_WB' || pkg.route === 'LEADLESS'
  chosen.set('DIE_ATTACH', [rng.pick(partsOf('DIE_ATTACH').filter((p) => p.name.includes(glued ? '-EP-' : '-SP-')))])
  chosen.set('WIRE', [rng.pick(partsOf('WIRE'))])
  const clip = MATERIAL_PARTS.find((p) => p.name === `CLIP-${pkg.code}`)
  chosen.set('CLIP', [clip ?? partNamed('CLIP-SMA'), rng.pick(partsOf('CLIP').filter((p) => !p.name.startsWith('CLIP')))])
  const [preferred, alternate] = compoundsFor(pkg)
  chosen.set('COMPOUND', [rng.chance(0.8) ? preferred : alternate])
  const plating = partsOf('PLATING')
  chosen.set('PLATING', rng.chance(0.5) ? [plating[0]!, rng.pick(plating.slice(1))] : [rng.pick(plating)])
  chosen.set('INK', [rng.pick(partsOf('INK'))])
  return chosen
}

function materialsAt(step: string, pkg: PackageDef, chosen: Map<MaterialKind, MaterialPartDef[]>): MaterialPartDef[] {
  const station = step === pkg.plating ? 'PLATING' : step
  const parts: MaterialPartDef[] = []
  for (const [kind, where] of Object.entries(MATERIAL_STATION) as [MaterialKind, string][]) {
    if (where === station) parts.push(...(chosen.get(kind) ?? []))
  }
  return parts
}

function routeStep(workcenter: string, spec: string, materials: MaterialPartDef[], extra: Partial<RouteStep> = {}): RouteStep {
  const wc = workcenterByName(workcenter)
  const isIssue = wc.name.endsWith('_料')
  const splitWeight = isIssue ? 0 : (SPLIT_WEIGHTS[wc.group ?? wc.name] ?? 0)
  return { workcenter: wc, group: wc.group, spec, materials, checkpoint: false, splitWeight, ...extra }
}

/** The concrete route of an order: main steps plus the order's optional steps. */
function buildRoute(pkg: PackageDef, rng: Rng): RouteStep[] {
  const chosen = chooseMaterials(pkg, rng)
  const withProbe = rng.chance(0.3)
  const withIssueSteps = rng.chance(0.5)
  const withBlasting = rng.chance(0.7)
  const withGates = rng.chance(0.7)
  const withSecondBond = pkg.route === 'LEADED_WB' && rng.chance(0.06)
  const route: RouteStep[] = []
  if (withProbe) route.push(routeStep('點測', specName.probe, []))
  for (const main of ROUTE_STEPS[pkg.route]) {
    const step = main === 'PLATING' ? pkg.plating : main
    if (step === '水吹砂' && !withBlasting) continue
    const materials = materialsAt(step, pkg, chosen)
    const issue = MATERIAL_ISSUE_STEP[step]
    // POWER routes book wire at the bonder itself; the view has no 焊_WB_料 spec for them.
    const hasIssueStep = withIssueSteps && issue !== undefined && !(pkg.route === 'POWER' && step === '焊接_WB')
    if (hasIssueStep) route.push(routeStep(issue, specName.step(workcenterByName(issue).code, pkg), materials))
    route.push(routeStep(step, specName.step(workcenterByName(step).code, pkg), hasIssueStep ? [] : materials))
    if (step === '焊接_WB' && withSecondBond) route.push(routeStep(step, specName.secondBond(pkg), []))
    if (step === '成型') {
      route.push(routeStep(step, specName.cure(pkg.route), [], { role: 'cure', splitWeight: 0.5 }))
      if (withGates) route.push(routeStep(step, specName.moldGate(pkg.route), [], { role: 'inspect', splitWeight: 0 }))
    }
    if (withGates && step === bondGateWorkcenter(pkg.route)) {
      route.push(routeStep(step, specName.bondGate(pkg.route), [], { role: 'inspect', splitWeight: 0 }))
    }
    if (withGates && step === pkg.plating) {
      route.push(routeStep(step, specName.platingGate(workcenterByName(step).code), [], { checkpoint: true, splitWeight: 0 }))
    }
  }
  return route.map((s, i) => (i === route.length - 1 ? { ...s, splitWeight: 0 } : s))
}

/** Picks an order's product and route. */
export function planOrder(rng: Rng): OrderPlan {
  const pkg = PACKAGE_LIST.pick(rng)
  const device = rng.pick(pkg.devices)
  const wire = pkg.route === 'LEADED_DW' ? 'SN' : rng.chance(0.7) ? 'CU' : 'AU'
  const product: ProductInfo = {
    pkg,
    device,
    productName: `${device.type}_${pkg.code}_${rng.pick(['R1', 'R2', 'T1'])}`,
    bop: `BOP-${pkg.route === 'LEADED_DW' ? 'DW' : pkg.route === 'LEADLESS' ? 'LL' : pkg.route === 'POWER' ? 'PW' : 'WB'}-${wire}`,
    workflow: `${pkg.code}_${pkg.route}_${rng.chance(0.8) ? 'STD' : 'ALT'}`,
  }
  return { product, route: buildRoute(pkg, rng) }
}

/** The short route a rework (GD) lot runs: sometimes re-marking, always a re-test. */
export function reworkRoute(plan: OrderPlan, rng: Rng): RouteStep[] {
  const steps: RouteStep[] = []
  if (rng.chance(0.3)) steps.push(routeStep('移印', specName.step('MRK', plan.product.pkg), [], { splitWeight: 0 }))
  steps.push(routeStep('TMTT', specName.rework(plan.product.pkg.route), [], { splitWeight: 0 }))
  return steps
}

/** Packing and warehouse entry of a combined lot: checkpoints without a machine. */
export function packingRoute(): RouteStep[] {
  return [
    routeStep('包裝', specName.packing, [], { checkpoint: true, splitWeight: 0 }),
    routeStep('入庫', specName.warehouse, [], { checkpoint: true, splitWeight: 0 }),
  ]
}

/** What a lot combined before final test runs: the order's final test, then packing. */
export function testAndPackRoute(plan: OrderPlan): RouteStep[] {
  return [plan.route[plan.route.length - 1]!, ...packingRoute()]
}
