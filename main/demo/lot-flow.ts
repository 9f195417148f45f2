/**
 * Simulates one work order through the line: root lots released over a few days, each step
 * tracked in/out on a machine (sometimes in partial track-outs), rejects and materials booked,
 * holds, splits into child lots, then finished lots combined into serials and a few sent to
 * rework (GD). Rows are handed to the sink as they are made; only the order's own lots are kept.
 */
import {
  BAD_MACHINE_REASON, BAD_MATERIAL_REASON, DOWNSTREAM_DETECTION_REASON, DOWNSTREAM_EFFECT_REASONS, HOLD_COMMENTS,
  HOLD_DEPARTMENTS, HOLD_REASONS, REJECT_COMMENTS, RELEASE_COMMENTS,
} from './catalog.js'
import type { HoldRow } from './demo-writer.js'
import { DAY, HOUR } from './plant-clock.js'
import type { PlantContext } from './plant-context.js'
import { packingRoute, planOrder, reworkRoute, testAndPackRoute, type OrderPlan, type RouteStep } from './order-plan.js'
import type { Machine } from './reference-data.js'
import { Rng, WeightedList } from './rng.js'
import type { WaferSupply } from './wafer-supply.js'

/** Lots never go below this size when split. */
const MIN_LOT_QTY = 5000
/** Combined lots never exceed this size. */
const MAX_LOT_QTY = 500_000
/** Reject totals of one step never exceed this share of its input. */
const MAX_STEP_REJECT_SHARE = 0.25
const PARTIAL_TRACKOUT_CHANCE = 0.14
const RETEST_CHANCE = 0.1
const HOLD_CHANCE_PER_STEP = 0.0075
const LONG_HOLD_CHANCE = 0.1
/**
 * Chance that a lot is split somewhere on its route, by split depth: [split up entirely,
 * split off part and continue]. Tuned so that lineage grows a final-test population by ≈ 1.6
 * (domain.md §11.3) and most lots stay within two split levels.
 */
const SPLIT_CHANCES_BY_DEPTH: readonly (readonly [number, number])[] = [[0.42, 0.15], [0.12, 0.08], [0.04, 0.03]]
/** Part name of the wire bonders' capillaries (a ride-along factor of the planted bad bonder). */
export const CAPILLARY_PART = 'CAP-WB38'
/** How long a capillary stays on a bonder. */
const CAPILLARY_LIFE_SEC = 3 * DAY

/** Latent-defect lots are split right after molding this often (the planted downstream effect). */
const FORCED_SPLIT_CHANCE = 0.8
/** A lot consuming material later than this after its release is running late (holds, queues). */
const ON_SCHEDULE_SEC = 3 * DAY
/** Chance that neighbouring lots are combined before final test, and after it. */
const PRE_TEST_COMBINE_CHANCE = 0.1
const COMBINE_CHANCE = 0.35
const REWORK_CHANCE = 0.1

const HOLD_REASON_LIST = WeightedList.zipf(HOLD_REASONS, 1)
const REASON_LISTS = new Map<readonly string[], WeightedList<string>>()
const REASONS_PER_EVENT = new WeightedList([1, 2, 3, 4, 5], [50, 22, 14, 9, 5])

/** Upstream conditions a lot carries to later steps, its split children and its rework lots. */
interface Risk {
  badMachine: boolean
  badMaterial: boolean
  moldDefect: boolean
}

/** Where a lot will be split: after route step `at`, entirely or in part. */
interface SplitPlan {
  readonly at: number
  readonly all: boolean
}

/** The part of a route a lot runs now, and what becomes of it when it gets through. */
interface RunPlan {
  readonly route: readonly RouteStep[]
  readonly from: number
  /** Index of the first step not run. */
  readonly until: number
  /** Wait for final test (assembly), be a finished lot (final test on its own), or nothing more. */
  readonly atEnd: 'wait-for-test' | 'finished' | 'done'
}

/** Shared by a root lot and all its split descendants. */
interface LotFamily {
  readonly rootName: string
  readonly rootStartSec: number
  nextChild: number
  hasSplit: boolean
  hasCombined: boolean
  badMachine: boolean
  readonly members: string[]
}

interface Lot {
  readonly index: number
  readonly cid: string
  readonly name: string
  readonly mfgOrder: string
  readonly splitFrom: string | null
  readonly original: string | null
  readonly wafer: string
  readonly family: LotFamily
  readonly depth: number
  qty: number
  time: number
  risk: Risk
  lastSpec: string | null
  /** Already counted for the planted-problem totals at final test. */
  testedCounted: boolean
}

/** What a new lot starts with (split children inherit the rest from their parent). */
interface NewLotFields {
  qty: number
  time: number
  wafer: string
  family: LotFamily
  /** Source CID of a rework lot. */
  original?: string
  /** Work order when it is not this order (rework lots). */
  mfgOrder?: string
  risk?: Risk
}

/** A combined lot of an order: its serial and how many source lots went in. */
export interface CombinedLot {
  readonly serial: string
  readonly sources: number
  readonly sourceNames: readonly string[]
}

/** What one order produced, for the summary and the demo samples. */
export interface OrderOutcome {
  readonly name: string
  readonly kind: 'GA' | 'GC'
  readonly startSec: number
  /** Lot names whose family has splits and a combined member (good trace starting points). */
  readonly genealogyLots: readonly string[]
  /** Like `genealogyLots`, restricted to families that ran on the planted bad machine. */
  readonly badMachineLots: readonly string[]
  readonly splitCount: number
  readonly combined: readonly CombinedLot[]
  readonly gdOrder: string | null
  readonly gdLots: readonly string[]
}

function lotCode(seq: number): string {
  // A01 … A99, B00 … K99: the plant's lot numbering within an order (orders stay far below).
  const letter = 'ABCDEFGHJK'[Math.floor(seq / 100)]
  return letter === undefined ? `Z${seq}` : `${letter}${String(seq % 100).padStart(2, '0')}`
}

function noRisk(): Risk {
  return { badMachine: false, badMaterial: false, moldDefect: false }
}

interface RejectLine {
  reason: string | null
  qty: number
}

/** Runs one work order. */
export class OrderRun {
  private readonly plan: OrderPlan
  /** Lots through assembly, waiting for final test. */
  private readonly assembled: Lot[] = []
  /** Lots through final test on their own. */
  private readonly finished: Lot[] = []
  /** Finished lots that were not combined afterwards (rework candidates). */
  private uncombined: Lot[] = []
  private nextLotSeq = 1
  private splitCount = 0
  private readonly combined: CombinedLot[] = []
  private gdOrder: string | null = null
  private readonly gdLots: string[] = []
  private readonly families: LotFamily[] = []

  constructor(
    private readonly ctx: PlantContext,
    private readonly wafers: WaferSupply,
    private readonly rng: Rng,
    private readonly name: string,
    private readonly kind: 'GA' | 'GC',
    private readonly startSec: number,
    plan?: OrderPlan,
  ) {
    this.plan = plan ?? planOrder(rng)
  }

  /** The order's product and route (a GC order reuses those of a recent GA order). */
  get orderPlan(): OrderPlan {
    return this.plan
  }

  /**
   * Releases up to `rootCount` root lots (fewer when the budget runs out) and runs the order:
   * assembly of every lot, then final test (some lots combined first), then combining of
   * finished lots into serials, then rework.
   */
  run(rootCount: number): OrderOutcome {
    const releaseSpan = this.rng.between(0.5, 3) * DAY
    let wafer = ''
    let waferLeft = 0
    for (let i = 0; i < rootCount; i++) {
      if (!this.ctx.budget.take()) break
      const release = Math.floor(this.startSec + (releaseSpan * i) / rootCount + this.rng.between(0, 2) * HOUR)
      if (waferLeft === 0) {
        wafer = this.wafers.take(this.kind, this.plan.product, release, true, this.rng)
        waferLeft = this.rng.int(2, 4)
      } else {
        this.wafers.take(this.kind, this.plan.product, release, false, this.rng)
      }
      waferLeft--
      this.runRoot(release, wafer)
    }
    this.testAssembled()
    this.combineFinished()
    this.reworkSome()
    return this.outcome()
  }

  private outcome(): OrderOutcome {
    const good = this.families.filter((f) => f.hasSplit && f.hasCombined)
    return {
      name: this.name, kind: this.kind, startSec: this.startSec, splitCount: this.splitCount,
      genealogyLots: good.flatMap((f) => f.members.slice(0, 2)),
      badMachineLots: good.filter((f) => f.badMachine).flatMap((f) => f.members.slice(0, 1)),
      combined: this.combined, gdOrder: this.gdOrder, gdLots: this.gdLots,
    }
  }

  private newLot(name: string, parent: Lot | null, fields: NewLotFields): Lot {
    const cid = this.ctx.containerIds.next(this.rng.chance(0.8) ? '4880' : this.rng.chance(0.5) ? '4881' : '48a0')
    const index = this.ctx.registry.add(cid, name)
    fields.family.members.push(name)
    return {
      index, cid, name, mfgOrder: fields.mfgOrder ?? this.name, splitFrom: parent?.cid ?? null,
      original: fields.original ?? null, wafer: fields.wafer, family: fields.family,
      depth: parent ? parent.depth + 1 : 0, qty: fields.qty, time: fields.time,
      risk: fields.risk ?? (parent ? { ...parent.risk } : noRisk()), lastSpec: null, testedCounted: false,
    }
  }

  private runRoot(release: number, wafer: string): void {
    const name = `${this.name}-${lotCode(this.nextLotSeq++)}`
    const family: LotFamily = {
      rootName: name, rootStartSec: release, nextChild: 1, hasSplit: false, hasCombined: false, badMachine: false, members: [],
    }
    this.families.push(family)
    // Log-uniform 20 000 … 400 000 units: most lots are mid-sized, a few very large.
    const qty = Math.round(Math.exp(this.rng.between(Math.log(20_000), Math.log(400_000))) / 100) * 100
    const lot = this.newLot(name, null, { qty, time: release, wafer, family })
    this.runLot(lot, this.assembly(0))
  }

  /** The assembly part of the order's route from step `from`: every step before final test. */
  private assembly(from: number): RunPlan {
    return { route: this.plan.route, from, until: this.plan.route.length - 1, atEnd: 'wait-for-test' }
  }

  /**
   * Runs a lot through `plan.route[from … until)` until it gets there, is split up, or is
   * stopped by the end of the window or a hold. Lots waiting for final test are written later.
   */
  private runLot(lot: Lot, run: RunPlan): void {
    const isAssembly = run.atEnd === 'wait-for-test'
    const split = isAssembly ? this.planSplit(lot, run.from) : null
    let done = true
    for (let j = run.from; j < run.until; j++) {
      const step = run.route[j]!
      if (!this.advance(lot, step)) {
        done = false
        break
      }
      const forced = isAssembly && lot.risk.moldDefect && step.workcenter.name === '成型' && !step.role && this.rng.chance(FORCED_SPLIT_CHANCE)
      const planned = split !== null && split.at === j
      if ((forced || planned) && this.split(lot, j, step, planned ? split.all : this.rng.chance(0.5))) {
        done = false
        break
      }
    }
    if (done && run.atEnd === 'wait-for-test') {
      this.assembled.push(lot)
      return
    }
    if (done && run.atEnd === 'finished') this.finished.push(lot)
    this.writeContainer(lot)
  }

  /** Queue time, a possible hold, the step itself and a possible re-test; false when the lot stops. */
  private advance(lot: Lot, step: RouteStep): boolean {
    const end = this.ctx.clock.endSec
    lot.time += Math.min(48 * HOUR, Math.max(0.2 * HOUR, 3 * HOUR * this.rng.logNormal(0.8)))
    if (lot.time >= end || !this.maybeHold(lot, step) || !this.runStep(lot, step)) return false
    if (step.group === '測試' && this.rng.chance(RETEST_CHANCE)) {
      lot.time += this.rng.between(0.5, 4) * HOUR
      if (lot.time >= end || !this.runStep(lot, step)) return false
    }
    return true
  }

  /** Decides whether and where a lot will be split, among the steps it still has to run. */
  private planSplit(lot: Lot, from: number): SplitPlan | null {
    const [all, part] = SPLIT_CHANCES_BY_DEPTH[lot.depth] ?? [0, 0]
    const draw = this.rng.float()
    if (draw >= all + part) return null
    const candidates = this.plan.route.map((step, i) => (i >= from ? step.splitWeight : 0))
    if (candidates.every((w) => w === 0)) return null
    const at = new WeightedList(candidates.map((_, i) => i), candidates).pick(this.rng)
    return { at, all: draw < all }
  }

  private writeContainer(lot: Lot): void {
    const { product } = this.plan
    this.ctx.sink.container([
      lot.cid, lot.name, lot.mfgOrder, 'LOT', lot.wafer, lot.splitFrom, lot.original, lot.lastSpec, lot.qty,
      product.device.type, product.bop, product.device.func, product.productName, product.pkg.name,
    ])
    this.ctx.sink.wipLot([lot.cid, product.workflow, product.pkg.name])
  }

  /**
   * A random hold before the step. Returns false when the lot is still on hold at the end of
   * the window (it stops there); otherwise the lot resumes at the release.
   */
  private maybeHold(lot: Lot, step: RouteStep): boolean {
    if (!this.rng.chance(HOLD_CHANCE_PER_STEP)) return true
    const reason = HOLD_REASON_LIST.pick(this.rng)
    return this.hold(lot, step, lot.time, reason)
  }

  private hold(lot: Lot, step: RouteStep, atSec: number, reason: string): boolean {
    const { clock, names, sink } = this.ctx
    const rng = this.rng
    // Hours to days (median ≈ 10 h); a few wait weeks for a disposition (MRB, customer).
    const duration = rng.chance(LONG_HOLD_CHANCE)
      ? rng.between(3, 21) * DAY
      : Math.min(7 * DAY, Math.max(0.5 * HOUR, 10 * HOUR * rng.logNormal(1.1)))
    const release = Math.floor(atSec + duration)
    const released = release < clock.endSec
    const row: HoldRow = [
      lot.cid, step.workcenter.name, clock.format(atSec), `E${rng.int(10000, 39999)}`, rng.pick(HOLD_DEPARTMENTS), reason,
      rng.pick(HOLD_COMMENTS), released ? clock.format(release) : null, released ? `E${rng.int(10000, 39999)}` : null,
      released ? rng.pick(RELEASE_COMMENTS) : null, rng.chance(0.3) ? names.ncr(clock.yymm(atSec)) : null,
    ]
    sink.hold(row)
    if (released) lot.time = Math.max(lot.time, release)
    return released
  }

  /**
   * One step: track-in on a machine, one or more (partial) track-outs, rejects and materials.
   * Returns false when the step is still running at the end of the window (the lot stops there).
   */
  private runStep(lot: Lot, step: RouteStep): boolean {
    const machine = step.checkpoint ? undefined : this.ctx.machines.pick(step.workcenter.name, this.rng, step.role)
    const trackIn = Math.floor(lot.time)
    const qtyIn = lot.qty
    this.noteMachine(lot, machine, trackIn)
    this.bookMaterials(lot, step, trackIn, machine?.name ?? null)
    this.bookCapillary(lot, step, machine, trackIn)
    const flaggedNow = step.workcenter.name === '成型' && !step.role && !lot.risk.moldDefect && this.rng.chance(this.ctx.planted.moldDefectChance)
    if (flaggedNow) lot.risk.moldDefect = true
    const events = step.workcenter.rejects ? this.rejectLines(lot, step, qtyIn, flaggedNow) : []
    const proposed = events.reduce((sum, event) => sum + event.reduce((s, line) => s + line.qty, 0), 0)
    const rejected = Math.min(Math.floor(qtyIn * MAX_STEP_REJECT_SHARE), proposed)
    lot.lastSpec = step.spec
    const trackOut = this.writeTrackOuts(lot, step, machine, trackIn, rejected)
    // The machine status per shift is built from these: a lot still running holds it to the end.
    if (machine) this.ctx.usage.add(machine.index, trackIn, trackOut ?? this.ctx.clock.endSec, lot.index)
    if (trackOut === null) return false
    this.writeRejects(lot, step, events, rejected, trackIn, trackOut, machine?.name ?? null)
    lot.qty = qtyIn - rejected
    lot.time = trackOut
    this.countPlanted(lot, step, flaggedNow)
    const holdAt = trackOut + 600
    if (step.group === '測試' && rejected > qtyIn * 0.03 && holdAt < this.ctx.clock.endSec && this.rng.chance(0.4)) {
      // High final-test loss puts the lot on a yield hold before it may ship.
      return this.hold(lot, step, holdAt, 'YIELD HOLD 良率偏低')
    }
    return true
  }

  /** Marks lots bonded on the bad machine in its bad period. */
  private noteMachine(lot: Lot, machine: Machine | undefined, trackIn: number): void {
    if (!machine) return
    const { planted } = this.ctx
    if (machine.index === planted.badMachine.index && trackIn >= planted.badMachineFromSec) {
      lot.risk.badMachine = true
      lot.family.badMachine = true
    }
  }

  /**
   * Writes the track-out rows of a step: usually one, sometimes 2–4 partial track-outs sharing
   * the track-in, each row holding the quantity still remaining at its track-in (as the MES
   * stores it). Rejects leave with the last one. Returns the last track-out time, or null when
   * the step is still running at the end of the window (its row has no track-out).
   */
  private writeTrackOuts(lot: Lot, step: RouteStep, machine: Machine | undefined, trackIn: number, rejected: number): number | null {
    const { clock, sink, names } = this.ctx
    const rng = this.rng
    const qtyIn = lot.qty
    const duration = Math.max(600, step.workcenter.processHours * HOUR * Math.pow(qtyIn / 100_000, 0.4) * rng.logNormal(0.3))
    const partials = rng.chance(PARTIAL_TRACKOUT_CHANCE) ? rng.int(2, 4) : 1
    const trackInText = clock.format(trackIn)
    let remaining = qtyIn
    let out = trackIn
    for (let p = 0; p < partials; p++) {
      out = Math.floor(trackIn + (duration * (p + 1)) / partials)
      const good = remaining - rejected
      const outQty = p === partials - 1 ? good : Math.max(1, Math.floor(good * rng.between(0.3, 0.6)))
      const done = out < clock.endSec
      sink.wipHistory([
        lot.cid, step.workcenter.name, step.spec, machine?.id ?? null, machine?.name ?? null, trackInText, remaining,
        done ? clock.format(out) : null, done ? outQty : null, done ? names.runCard(clock.yymmdd(out)) : null, lot.mfgOrder,
      ])
      if (!done) return null
      remaining -= outQty
    }
    return out
  }

  private countPlanted(lot: Lot, step: RouteStep, flaggedNow: boolean): void {
    const counts = this.ctx.counts
    if (flaggedNow) counts.moldDefectLots++
    if (step.group !== '測試' || lot.testedCounted) return
    lot.testedCounted = true
    if (lot.risk.badMachine) counts.badMachineLots++
    if (lot.risk.badMaterial) counts.badMaterialLots++
  }

  private bookMaterials(lot: Lot, step: RouteStep, trackIn: number, equipment: string | null): void {
    const { clock, materialLots, planted, sink } = this.ctx
    for (const part of step.materials) {
      // Booked shortly after track-in, never after the end of the window.
      const txn = Math.min(clock.endSec - 1, trackIn + this.rng.int(60, 1200))
      const index = materialLots.indexAt(part, txn)
      const onSchedule = txn - lot.family.rootStartSec < ON_SCHEDULE_SEC
      if (planted.badMaterial.isBad(part, index, onSchedule)) lot.risk.badMaterial = true
      const consumed = Math.round((lot.qty / 1000) * part.perThousand * this.rng.logNormal(0.1) * 1000) / 1000
      sink.material([
        lot.cid, part.name, materialLots.lotName(part, index), part.description, consumed, step.workcenter.name, step.spec,
        equipment, clock.format(txn),
      ])
    }
  }

  /**
   * A wire bonder's bonding capillary: each bonder mounts a new capillary lot every
   * {@link CAPILLARY_LIFE_SEC} (staggered by machine), and every lot it bonds books it. The
   * capillaries have no effect of their own; those of the bad bonder in its bad period ride along
   * with it (their lots fail more than the bonder's on average) — the case the explain-away has to
   * get right. Uses no random numbers, so the rest of the plant is the same with or without them.
   */
  private bookCapillary(lot: Lot, step: RouteStep, machine: Machine | undefined, trackIn: number): void {
    if (!machine || machine.role !== 'main' || step.workcenter.name !== '焊接_WB') return
    const { clock, sink } = this.ctx
    const offset = ((machine.index * 7919) % CAPILLARY_LIFE_SEC)
    const mounted = Math.floor((trackIn - clock.startSec + offset) / CAPILLARY_LIFE_SEC) * CAPILLARY_LIFE_SEC - offset + clock.startSec
    const txn = Math.min(clock.endSec - 1, trackIn + 90)
    sink.material([
      lot.cid, CAPILLARY_PART, `CAP${clock.yymmdd(Math.max(clock.startSec, mounted))}-${machine.name}`, 'Bonding capillary, ceramic', 1,
      step.workcenter.name, step.spec, machine.name, clock.format(txn),
    ])
  }

  /** The reject lines of a step: the station's baseline plus the planted problems' extra losses. */
  private rejectLines(lot: Lot, step: RouteStep, qtyIn: number, flaggedNow: boolean): RejectLine[][] {
    const profile = step.workcenter.rejects!
    const rng = this.rng
    const events: RejectLine[][] = []
    if (rng.chance(profile.eventChance)) {
      const total = Math.max(1, Math.round(qtyIn * Math.min(0.1, profile.meanRate * rng.logNormal(0.9))))
      events.push(this.splitIntoReasons(total, profile.reasons))
    }
    const extra = (reason: string, chance: number, rate: number): void => {
      if (!rng.chance(chance)) return
      const line = { reason, qty: Math.max(1, Math.round(qtyIn * rate * rng.logNormal(0.35))) }
      // The extra loss is usually booked in the same reject transaction as the baseline.
      if (events.length > 0 && rng.chance(0.6)) events[0]!.push(line)
      else events.push([line])
    }
    if (flaggedNow) extra(DOWNSTREAM_DETECTION_REASON, 1, rng.between(0.01, 0.03))
    if (step.group === '測試') {
      if (lot.risk.badMachine) extra(BAD_MACHINE_REASON, 0.9, profile.meanRate * 2.2)
      if (lot.risk.badMaterial) extra(BAD_MATERIAL_REASON, 0.9, profile.meanRate * 2.2)
    }
    const effect = step.group ? DOWNSTREAM_EFFECT_REASONS[step.group] : undefined
    if (lot.risk.moldDefect && !flaggedNow && effect) extra(effect, 0.85, profile.meanRate * 2.5)
    return events
  }

  private splitIntoReasons(total: number, reasons: readonly string[]): RejectLine[] {
    const rng = this.rng
    let list = REASON_LISTS.get(reasons)
    if (!list) {
      list = WeightedList.zipf(reasons)
      REASON_LISTS.set(reasons, list)
    }
    const count = Math.min(REASONS_PER_EVENT.pick(rng), total)
    const picked: (string | null)[] = []
    for (let i = 0; i < count; i++) {
      // Operators sometimes leave the reason empty (shown as 未填寫).
      if (rng.chance(0.004)) picked.push(null)
      else {
        let reason = list.pick(rng)
        for (let attempt = 0; attempt < 3 && picked.includes(reason); attempt++) reason = list.pick(rng)
        picked.push(reason)
      }
    }
    const weights = picked.map(() => rng.between(0.2, 1))
    const sum = weights.reduce((a, b) => a + b, 0)
    let left = total
    return picked.map((reason, i) => {
      const qty = i === picked.length - 1 ? left : Math.max(1, Math.min(left - (picked.length - 1 - i), Math.round((total * weights[i]!) / sum)))
      left -= qty
      return { reason, qty }
    }).filter((l) => l.qty > 0)
  }

  private writeRejects(lot: Lot, step: RouteStep, events: RejectLine[][], cap: number, trackIn: number, trackOut: number, equipment: string | null): void {
    const { clock, sink, mainLineIds } = this.ctx
    const rng = this.rng
    let left = cap
    for (const event of events) {
      const mainLine = mainLineIds.next('4890')
      const txn = clock.format(Math.floor(trackIn + (trackOut - trackIn) * rng.between(0.1, 0.95)))
      for (const line of event) {
        const qty = Math.min(line.qty, left)
        if (qty <= 0) continue
        left -= qty
        // Most losses are booked as REJECTQTY; a few land in the other charge-off buckets.
        const bucket = rng.chance(0.93) ? 0 : rng.int(1, 4)
        const q = [0, 0, 0, 0, 0]
        q[bucket] = qty
        const defect = rng.chance(0.1) ? Math.max(1, Math.round(qty * rng.between(0.1, 0.5))) : 0
        sink.reject([
          lot.cid, step.workcenter.name, step.spec, equipment, line.reason, q[0]!, q[1]!, q[2]!, q[3]!, q[4]!, defect, txn,
          rng.chance(0.2) ? rng.pick(REJECT_COMMENTS) : null, mainLine,
        ])
      }
    }
  }

  /**
   * Splits a lot after step `j`: one to three children take part of its quantity and continue
   * with their own CID; when `all`, the whole lot is divided and the parent stops. Returns true
   * when the parent stops here.
   */
  private split(lot: Lot, j: number, step: RouteStep, all: boolean): boolean {
    const rng = this.rng
    const count = all ? rng.int(2, 3) : rng.chance(0.65) ? 1 : 2
    const shares = Array.from({ length: count }, () => rng.between(0.15, all ? 0.5 : 0.35))
    if (all) {
      const sum = shares.reduce((a, b) => a + b, 0)
      for (let i = 0; i < count; i++) shares[i] = shares[i]! / sum
    }
    const quantities = shares.map((share) => Math.floor(lot.qty * share))
    const parentLeft = lot.qty - quantities.reduce((a, b) => a + b, 0)
    if (quantities.some((q) => q < MIN_LOT_QTY) || (!all && parentLeft < MIN_LOT_QTY)) return false
    if (!this.ctx.budget.take(count)) return false
    this.splitCount += count
    lot.family.hasSplit = true
    const at = lot.time + rng.int(60, 1800)
    if (all) quantities[count - 1] = quantities[count - 1]! + parentLeft
    lot.qty = all ? 0 : parentLeft
    for (const qty of quantities) {
      const name = `${lot.family.rootName}-${String(lot.family.nextChild++).padStart(3, '0')}`
      const child = this.newLot(name, lot, { qty, time: at, wafer: lot.wafer, family: lot.family })
      child.lastSpec = step.spec
      this.runLot(child, this.assembly(j + 1))
    }
    return all
  }

  /**
   * Final test of the assembled lots. Some are first combined, two to four at a time, and the
   * combined lot is tested and packed; the others are tested one by one.
   */
  private testAssembled(): void {
    const { single } = this.combineGroups(this.assembled, PRE_TEST_COMBINE_CHANCE, 3, testAndPackRoute(this.plan), true)
    const test: RunPlan = { route: this.plan.route, from: this.plan.route.length - 1, until: this.plan.route.length, atEnd: 'finished' }
    for (const lot of single) this.runLot(lot, test)
  }

  /** Lots that finished final test on their own are combined, two to five at a time, into serials. */
  private combineFinished(): void {
    const { single } = this.combineGroups(this.finished, COMBINE_CHANCE, 5, packingRoute(), false)
    this.uncombined = single
  }

  /**
   * Walks the lots in time order and combines neighbours (within the largest lot size) with the
   * given chance; the combined lot then runs `route`. Returns the lots left on their own.
   * `waiting`: the lots wait for final test, so their container rows are not written yet.
   */
  private combineGroups(
    lots: readonly Lot[], chance: number, maxSources: number, route: readonly RouteStep[], waiting: boolean,
  ): { single: Lot[] } {
    const rng = this.rng
    const sorted = [...lots].sort((a, b) => a.time - b.time || (a.name < b.name ? -1 : 1))
    const single: Lot[] = []
    let i = 0
    while (i < sorted.length) {
      const group: Lot[] = []
      let total = 0
      for (const lot of sorted.slice(i, i + rng.int(2, maxSources))) {
        if (total + lot.qty > MAX_LOT_QTY) break
        group.push(lot)
        total += lot.qty
      }
      const at = Math.floor(Math.max(...group.map((l) => l.time)) + rng.between(1, 12) * HOUR)
      if (group.length < 2 || !rng.chance(chance) || at >= this.ctx.clock.endSec || !this.ctx.budget.take()) {
        single.push(sorted[i]!)
        i++
        continue
      }
      this.combine(group, at, route, waiting)
      i += group.length
    }
    return { single }
  }

  /** Combines source lots into a new lot with a serial number; the new lot then runs `route`. */
  private combine(sources: Lot[], at: number, route: readonly RouteStep[], waiting: boolean): void {
    const { clock, names, sink } = this.ctx
    const total = sources.reduce((s, l) => s + l.qty, 0)
    const first = sources[0]!
    const serial = names.serial(clock.yymm(at))
    // The combined lot carries every problem any of its sources carries.
    const risk: Risk = {
      badMachine: sources.some((l) => l.risk.badMachine),
      badMaterial: sources.some((l) => l.risk.badMaterial),
      moldDefect: sources.some((l) => l.risk.moldDefect),
    }
    const result = this.newLot(`${this.name}-${lotCode(this.nextLotSeq++)}`, null, {
      qty: total, time: at, wafer: first.wafer, family: first.family, risk,
    })
    for (const source of sources) {
      source.family.hasCombined = true
      sink.combined([
        source.cid, source.name, result.cid, serial, this.name, Math.round((source.qty / total) * 10000) / 10000, source.qty,
        clock.format(source.family.rootStartSec),
      ])
      // Sources that were waiting for final test end here (their quantity went on).
      if (waiting) this.writeContainer(source)
    }
    this.combined.push({ serial, sources: sources.length, sourceNames: sources.map((s) => s.name) })
    this.runLot(result, { route, from: 0, until: route.length, atEnd: 'done' })
  }

  /** A few lots that finished final test and were not combined come back as rework (GD) lots. */
  private reworkSome(): void {
    const { clock, budget } = this.ctx
    const rng = this.rng
    for (const source of this.uncombined) {
      if (!rng.chance(REWORK_CHANCE)) continue
      const start = Math.floor(source.time + rng.between(12, 72) * HOUR)
      if (start >= clock.endSec || !budget.take()) continue
      this.gdOrder ??= this.ctx.names.workOrder('GD', clock.yymm(start))
      const name = `${this.gdOrder}-${lotCode(this.gdLots.length + 1)}`
      const lot = this.newLot(name, null, {
        qty: Math.max(MIN_LOT_QTY, Math.floor(source.qty * rng.between(0.3, 1))), time: start, wafer: source.wafer,
        family: source.family, original: source.cid, mfgOrder: this.gdOrder, risk: { ...source.risk },
      })
      this.gdLots.push(name)
      const route = reworkRoute(this.plan, rng)
      this.runLot(lot, { route, from: 0, until: route.length, atEnd: 'done' })
    }
  }
}

/** Seeds an order's generator from the run seed and the order number. */
export function orderRng(seed: string, orderIndex: number): Rng {
  return Rng.from(seed, 'order', orderIndex)
}
