/**
 * Picks good starting points for a demo trace while the orders are generated: lots, work orders,
 * wafer lots, serials and rework orders that exist and have a real genealogy. Orders released in
 * the middle of the window are preferred (their lots are finished and their neighbours exist);
 * earlier ones fill in when a small run has too few.
 */
import type { OrderOutcome } from './lot-flow.js'
import type { PlantedSamples } from './types.js'
import type { WaferUse } from './wafer-supply.js'

const WANTED = { lot_ids: 5, work_orders: 2, wafer_lots: 2, serials: 3, gd_work_orders: 1, gd_lot_ids: 1 } as const

type Key = keyof PlantedSamples

/** Collects candidates in two tiers and answers the first few of each. */
export class SampleCollector {
  private readonly preferred: PlantedSamples = empty()
  private readonly fallback: PlantedSamples = empty()
  private badMachineLot: string | null = null

  /** Orders released at or after this moment are preferred. */
  constructor(private readonly preferFromSec: number) {}

  add(order: OrderOutcome): void {
    const tier = order.startSec >= this.preferFromSec ? this.preferred : this.fallback
    // A bad-machine lot leads the list: tracing it leads straight to the planted problem.
    this.badMachineLot ??= order.badMachineLots[0] ?? null
    offer(tier, 'lot_ids', order.genealogyLots.slice(0, 2))
    if (order.kind === 'GA' && order.splitCount > 0 && order.combined.length > 0) offer(tier, 'work_orders', [order.name])
    offer(tier, 'serials', order.combined.filter((c) => c.sources >= 3).map((c) => c.serial).slice(0, 1))
    if (order.gdOrder !== null && order.gdLots.length > 0) {
      offer(tier, 'gd_work_orders', [order.gdOrder])
      offer(tier, 'gd_lot_ids', order.gdLots.slice(0, 1))
    }
  }

  /** The chosen samples; wafer lots are judged at the end, when their use is complete. */
  result(wafers: readonly WaferUse[]): PlantedSamples {
    const shared = wafers.filter((w) => w.gaLots >= 4 && w.gcLots > 0)
    const busy = wafers.filter((w) => w.gaLots >= 4)
    const late = (list: readonly WaferUse[]): string[] => list.filter((w) => w.createdSec >= this.preferFromSec).map((w) => w.name)
    const early = (list: readonly WaferUse[]): string[] => list.filter((w) => w.createdSec < this.preferFromSec).map((w) => w.name)
    const waferOrder = [...late(shared).slice(0, 1), ...late(busy), ...early(shared), ...early(busy), ...wafers.map((w) => w.name)]
    const samples = empty()
    for (const key of Object.keys(WANTED) as Key[]) {
      const lead = key === 'lot_ids' && this.badMachineLot !== null ? [this.badMachineLot] : []
      const pool = key === 'wafer_lots' ? waferOrder : [...lead, ...this.preferred[key], ...this.fallback[key]]
      samples[key] = [...new Set(pool)].slice(0, WANTED[key])
    }
    return samples
  }
}

function empty(): PlantedSamples {
  return { lot_ids: [], work_orders: [], wafer_lots: [], serials: [], gd_work_orders: [], gd_lot_ids: [] }
}

function offer(tier: PlantedSamples, key: Key, values: readonly string[]): void {
  for (const value of values) {
    if (tier[key].length < WANTED[key] * 2 && !tier[key].includes(value)) tier[key].push(value)
  }
}
