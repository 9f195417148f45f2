/**
 * Wafer lots: the containers whose CONTAINERNAME is the wafer-lot name every assembly lot cut
 * from them carries in FIRSTNAME. One wafer lot feeds several GA lots; GC orders draw on wafer
 * lots that GA orders already opened, so a wafer lot sometimes feeds both.
 */
import { HOUR } from './plant-clock.js'
import type { PlantContext } from './plant-context.js'
import type { ProductInfo } from './order-plan.js'
import type { Rng } from './rng.js'

const LETTERS = 'ABCDEFGHJKLMNPRTUVWXYZ'
const RECENT_PER_DEVICE = 12

/** How much a wafer lot was used (for choosing demo samples). */
export interface WaferUse {
  readonly name: string
  readonly createdSec: number
  gaLots: number
  gcLots: number
}

/** Hands out wafer lots to the root lots of orders and writes their containers. */
export class WaferSupply {
  private readonly recent = new Map<string, string[]>()
  private readonly uses = new Map<string, WaferUse>()
  /** Wafer lots in creation order. */
  readonly created: WaferUse[] = []

  constructor(private readonly ctx: PlantContext) {}

  /** A wafer lot for the next root lot of an order; `open` asks for a fresh one. */
  take(kind: 'GA' | 'GC', product: ProductInfo, atSec: number, open: boolean, rng: Rng): string {
    const pool = this.recent.get(product.device.type) ?? []
    const reuse = !open || kind === 'GC' || rng.chance(0.05)
    const name = reuse && pool.length > 0 ? rng.pick(pool) : this.create(product, atSec, rng)
    const use = this.uses.get(name)!
    if (kind === 'GA') use.gaLots++
    else use.gcLots++
    return name
  }

  private create(product: ProductInfo, atSec: number, rng: Rng): string {
    const letters = Array.from({ length: 3 }, () => LETTERS[rng.int(0, LETTERS.length - 1)]!).join('')
    const digits = Array.from({ length: 5 }, () => String(rng.int(0, 9))).join('')
    const name = this.ctx.names.waferLot(letters, digits)
    const cid = this.ctx.containerIds.next('4880')
    const dies = rng.int(8, 60) * 10_000
    this.ctx.registry.add(cid, name)
    const { sink, clock } = this.ctx
    sink.container([
      cid, name, null, 'LOT', name, null, null, 'WAFER_BANK', dies, product.device.type, null, product.device.func,
      `${product.device.type}_WF`, null,
    ])
    sink.wipLot([cid, 'WAFER_PROBE', '點測'])
    // Wafer probe happens a day or two before assembly; only record it when inside the window.
    const probeSec = Math.floor(atSec - rng.between(20, 48) * HOUR)
    const machine = this.ctx.machines.pick('點測', rng)
    if (probeSec >= clock.startSec && machine) {
      const out = Math.floor(probeSec + rng.between(1, 3) * HOUR)
      sink.wipHistory([
        cid, '點測', 'PRB_WAFER', machine.id, machine.name, clock.format(probeSec), dies, clock.format(out), dies,
        this.ctx.names.runCard(clock.yymmdd(out)), null,
      ])
      this.ctx.usage.add(machine.index, probeSec, out, this.ctx.registry.cids.length - 1)
    }
    const pool = this.recent.get(product.device.type) ?? []
    pool.push(name)
    if (pool.length > RECENT_PER_DEVICE) pool.shift()
    this.recent.set(product.device.type, pool)
    const use: WaferUse = { name, createdSec: atSec, gaLots: 0, gcLots: 0 }
    this.uses.set(name, use)
    this.created.push(use)
    return name
  }
}
