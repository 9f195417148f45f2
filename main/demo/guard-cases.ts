/**
 * Guard cases: genealogies a tracer must survive without looping or running away — a split
 * cycle, a self-reference and a split chain deeper than the depth cap of 20. Each container also
 * gets a little history (the two steps before final test) so traces touch them; they stay out
 * of the final-test population, so a demo MSD run is not truncated by them.
 */
import { HOUR } from './plant-clock.js'
import type { PlantContext } from './plant-context.js'
import { planOrder, type RouteStep } from './order-plan.js'
import { Rng } from './rng.js'
import type { PlantedGuards } from './types.js'

/** Levels of the deep split chain (the tracer caps at 20). */
export const DEEP_CHAIN_DEPTH = 25

interface GuardLot {
  cid: string
  name: string
  splitFrom: string | null
}

/** Writes the guard containers and returns their identities. */
export function writeGuardCases(ctx: PlantContext, waferLot: string): PlantedGuards {
  const rng = Rng.from(ctx.seed, 'guards')
  const { clock } = ctx
  const mid = clock.at(0.5)
  const yymm = clock.yymm(mid)
  const newCid = (): string => ctx.containerIds.next('4880')

  // L5 → L5P1 → L5P2 → L5P1: the child points into a two-lot loop.
  const cycleOrder = `GA${yymm}9901`
  const cycle: GuardLot[] = [
    { cid: newCid(), name: `${cycleOrder}-A01`, splitFrom: null },
    { cid: newCid(), name: `${cycleOrder}-A01-001`, splitFrom: null },
    { cid: newCid(), name: `${cycleOrder}-A01-002`, splitFrom: null },
  ]
  cycle[0]!.splitFrom = cycle[1]!.cid
  cycle[1]!.splitFrom = cycle[2]!.cid
  cycle[2]!.splitFrom = cycle[1]!.cid

  const selfCid = newCid()
  const self: GuardLot = { cid: selfCid, name: `GA${yymm}9902-A01`, splitFrom: selfCid }

  const chainOrder = `GA${yymm}9903`
  const chain: GuardLot[] = [{ cid: newCid(), name: `${chainOrder}-A01`, splitFrom: null }]
  for (let level = 1; level <= DEEP_CHAIN_DEPTH; level++) {
    chain.push({ cid: newCid(), name: `${chainOrder}-A01-${String(level).padStart(3, '0')}`, splitFrom: chain[level - 1]!.cid })
  }

  const plan = planOrder(rng)
  const steps = plan.route.slice(-3, -1)
  let at = mid
  for (const lot of [...cycle, self, ...chain]) {
    writeGuardLot(ctx, lot, plan.product, steps, waferLot, at, rng)
    at += Math.floor(rng.between(0.2, 1) * HOUR)
  }
  const leaf = chain[chain.length - 1]!
  return {
    split_cycle: { cids: cycle.map((l) => l.cid), names: cycle.map((l) => l.name) },
    self_reference: { cid: self.cid, name: self.name },
    deep_chain: { root_cid: chain[0]!.cid, root_name: chain[0]!.name, leaf_cid: leaf.cid, leaf_name: leaf.name, depth: DEEP_CHAIN_DEPTH },
  }
}

function writeGuardLot(
  ctx: PlantContext, lot: GuardLot, product: ReturnType<typeof planOrder>['product'], steps: readonly RouteStep[],
  waferLot: string, start: number, rng: Rng,
): void {
  const { clock, names, sink } = ctx
  const order = lot.name.slice(0, 10)
  const qty = 10_000
  const index = ctx.registry.add(lot.cid, lot.name)
  let t = start
  let lastSpec = ''
  for (const step of steps) {
    const machine = ctx.machines.pick(step.workcenter.name, rng)!
    const out = t + Math.floor(rng.between(0.5, 2) * HOUR)
    lastSpec = step.spec
    sink.wipHistory([
      lot.cid, step.workcenter.name, lastSpec, machine.id, machine.name, clock.format(t), qty, clock.format(out), qty,
      names.runCard(clock.yymmdd(out)), order,
    ])
    ctx.usage.add(machine.index, t, out, index)
    t = out + Math.floor(rng.between(1, 4) * HOUR)
  }
  sink.container([
    lot.cid, lot.name, order, 'LOT', waferLot, lot.splitFrom, null, lastSpec, qty, product.device.type, product.bop,
    product.device.func, product.productName, product.pkg.name,
  ])
  sink.wipLot([lot.cid, product.workflow, product.pkg.name])
}
