/**
 * State shared by every part of one demo-plant run: the clock, the output sink, reference data,
 * the planted problems, ID and name counters, the lot budget and the compact logs the machine
 * jobs are built from at the end. Kept small on purpose: rows themselves are streamed out.
 */
import { MATERIAL_PARTS, BAD_MATERIAL_PART, type MaterialPartDef } from './catalog.js'
import type { DemoRowSink } from './demo-writer.js'
import type { PlantClock } from './plant-clock.js'
import type { Machine, MachinePark, MaterialLots } from './reference-data.js'
import type { HexIdFactory } from './rng.js'

/** The planted problems as the simulation applies them. */
export interface PlantedSetup {
  readonly badMachine: Machine
  /** Wire-bond track-ins on the bad machine from this moment on cause final-test rejects. */
  readonly badMachineFromSec: number
  readonly badMachineFromDate: string
  readonly badMaterial: BadMaterialLot
  /** Share of lots that get the latent molding defect. */
  readonly moldDefectChance: number
}

/**
 * The planted bad material lot: a lot of the part opened after a given moment, chosen when a
 * lot running on schedule (not one delayed by holds) is the first to consume it. Lots that used
 * it before it was chosen cannot exist — it had never been consumed — so every lot that
 * consumed it carries the problem; and being fresh, it goes on to feed the following orders.
 */
export class BadMaterialLot {
  private index: number | null = null
  private readonly consumed = new Set<number>()

  constructor(
    readonly part: MaterialPartDef,
    private readonly fromSec: number,
    private readonly materialLots: MaterialLots,
  ) {}

  /**
   * True when consuming lot `index` of `part` brings the problem; may choose it when
   * `onSchedule` (the consuming lot is not running days late).
   */
  isBad(part: MaterialPartDef, index: number, onSchedule: boolean): boolean {
    if (part !== this.part) return false
    if (this.index === null && onSchedule && !this.consumed.has(index) && this.materialLots.openedAt(part, index) >= this.fromSec) {
      this.index = index
    }
    this.consumed.add(index)
    return index === this.index
  }

  /** Name of the chosen material lot (the first lot after the moment when none was chosen). */
  get lotName(): string {
    return this.materialLots.lotName(this.part, this.index ?? this.materialLots.indexAt(this.part, this.fromSec) + 1)
  }
}

/** How many lots each planted problem touched (lots that reached final test, or 成型 for the third). */
export interface PlantedCounts {
  badMachineLots: number
  badMaterialLots: number
  moldDefectLots: number
}

/** Unique, readable names: work orders, serials, run cards, NCRs, job orders. */
export class NameCounters {
  private readonly seqs = new Map<string, number>()

  private next(key: string): number {
    const n = (this.seqs.get(key) ?? 0) + 1
    this.seqs.set(key, n)
    return n
  }

  /**
   * `GA26090012`: prefix, year-month of release, sequence in that month. 9900–9999 are kept for
   * the guard-case orders; a month with more orders than that (only very dense settings) goes on
   * with five-digit sequences, which stay unique.
   */
  workOrder(prefix: 'GA' | 'GC' | 'GD', yymm: string): string {
    const n = this.next(`${prefix}${yymm}`)
    return `${prefix}${yymm}${String(n < 9900 ? n : n + 100).padStart(4, '0')}`
  }

  /** `PSN2609000123`: finished-goods serial of a combined lot. */
  serial(yymm: string): string {
    return `PSN${yymm}${String(this.next(`PSN${yymm}`)).padStart(6, '0')}`
  }

  /** `RC26091500012`: finished run-card code of a track-out. */
  runCard(yymmdd: string): string {
    return `RC${yymmdd}${String(this.next(`RC${yymmdd}`)).padStart(5, '0')}`
  }

  /** `NCR-2609-0012`: non-conformance report of a hold. */
  ncr(yymm: string): string {
    return `NCR-${yymm}-${String(this.next(`NCR${yymm}`)).padStart(4, '0')}`
  }

  /** `JO2609150003`: order number of a maintenance job. */
  jobOrder(yymmdd: string): string {
    return `JO${yymmdd}${String(this.next(`JO${yymmdd}`)).padStart(4, '0')}`
  }

  /** `56014S00T-5K07R`-style wafer-lot name, unique by its running number. */
  waferLot(letters: string, digits: string): string {
    const n = this.next('wafer') + 56000
    return `${n}S${digits.slice(0, 2)}${letters[0]}-${digits[2]}${letters[1]}${digits.slice(3, 5)}${letters[2]}`
  }
}

/** CIDs and names of every container, by registration index (the jobs list affected lots). */
export class ContainerRegistry {
  readonly cids: string[] = []
  readonly names: string[] = []

  /** Registers a container; returns its index. */
  add(cid: string, name: string): number {
    this.cids.push(cid)
    this.names.push(name)
    return this.cids.length - 1
  }
}

/**
 * Which lot ran on which machine when: four parallel growable typed arrays (times as seconds
 * after the window start, so 32 bits suffice), a few bytes per step even for a million lots.
 */
export class MachineUsageLog {
  private machine = new Int32Array(1 << 16)
  private time = new Int32Array(1 << 16)
  private out = new Int32Array(1 << 16)
  private lot = new Int32Array(1 << 16)
  private size = 0

  constructor(private readonly baseSec: number) {}

  /**
   * Records one step of a lot (registry index) on a machine: its track-in and its last
   * track-out (the window end when it was still on the machine then).
   */
  add(machineIndex: number, trackInSec: number, trackOutSec: number, lotIndex: number): void {
    if (this.size === this.machine.length) this.grow()
    this.machine[this.size] = machineIndex
    this.time[this.size] = trackInSec - this.baseSec
    this.out[this.size] = trackOutSec - this.baseSec
    this.lot[this.size] = lotIndex
    this.size++
  }

  private grow(): void {
    const capacity = this.machine.length * 2
    const machine = new Int32Array(capacity)
    const time = new Int32Array(capacity)
    const out = new Int32Array(capacity)
    const lot = new Int32Array(capacity)
    machine.set(this.machine)
    time.set(this.time)
    out.set(this.out)
    lot.set(this.lot)
    this.machine = machine
    this.time = time
    this.out = out
    this.lot = lot
  }

  /**
   * All uses grouped by machine and sorted by track-in (then lot, so ties are deterministic).
   * Machine `m`'s uses are the entries `offsets[m]` … `offsets[m + 1] - 1`.
   */
  sorted(machineCount: number): SortedMachineUses {
    const offsets = new Int32Array(machineCount + 1)
    for (let i = 0; i < this.size; i++) offsets[this.machine[i]! + 1]!++
    for (let m = 0; m < machineCount; m++) offsets[m + 1]! += offsets[m]!
    const fill = offsets.slice(0, machineCount)
    const order = new Int32Array(this.size)
    for (let i = 0; i < this.size; i++) order[fill[this.machine[i]!]!++] = i
    for (let m = 0; m < machineCount; m++) {
      const segment = order.subarray(offsets[m]!, offsets[m + 1]!)
      segment.sort((a, b) => this.time[a]! - this.time[b]! || this.lot[a]! - this.lot[b]!)
    }
    const times = new Float64Array(this.size)
    const outs = new Float64Array(this.size)
    const lots = new Int32Array(this.size)
    for (let k = 0; k < this.size; k++) {
      times[k] = this.time[order[k]!]! + this.baseSec
      outs[k] = this.out[order[k]!]! + this.baseSec
      lots[k] = this.lot[order[k]!]!
    }
    return { offsets, times, outs, lots }
  }
}

/** Machine uses grouped by machine, see {@link MachineUsageLog.sorted}. */
export interface SortedMachineUses {
  readonly offsets: Int32Array
  /** Track-in of each use. */
  readonly times: Float64Array
  /** Last track-out of each use (the window end for a lot still on the machine). */
  readonly outs: Float64Array
  readonly lots: Int32Array
}

/** The number of production lots still to create; the run stops exactly at the requested count. */
export class LotBudget {
  private used = 0

  constructor(readonly total: number) {}

  /** Takes `n` lots when that many are left. */
  take(n = 1): boolean {
    if (this.used + n > this.total) return false
    this.used += n
    return true
  }

  get remaining(): number {
    return this.total - this.used
  }

  get produced(): number {
    return this.used
  }
}

/** Everything a run shares. */
export interface PlantContext {
  readonly seed: string
  readonly clock: PlantClock
  readonly sink: DemoRowSink
  readonly machines: MachinePark
  readonly materialLots: MaterialLots
  readonly planted: PlantedSetup
  readonly counts: PlantedCounts
  readonly containerIds: HexIdFactory
  readonly mainLineIds: HexIdFactory
  readonly jobIds: HexIdFactory
  readonly names: NameCounters
  readonly registry: ContainerRegistry
  readonly usage: MachineUsageLog
  readonly budget: LotBudget
}

/** Fraction of the window from which the bad wire bonder's lots carry the problem. */
export const BAD_MACHINE_FROM_FRACTION = 0.25
/** Fraction of the window after which the bad material lot is opened. */
export const BAD_MATERIAL_AT_FRACTION = 0.35

/** Decides the planted problems of a run (which machine, from when, which material lot). */
export function plantProblems(clock: PlantClock, machines: MachinePark, materialLots: MaterialLots): PlantedSetup {
  const fromDate = clock.date(clock.at(BAD_MACHINE_FROM_FRACTION))
  const part = MATERIAL_PARTS.find((p) => p.name === BAD_MATERIAL_PART)!
  return {
    badMachine: machines.badWireBonder,
    badMachineFromSec: clock.secondsOf(fromDate),
    badMachineFromDate: fromDate,
    badMaterial: new BadMaterialLot(part, clock.at(BAD_MATERIAL_AT_FRACTION), materialLots),
    moldDefectChance: 0.03,
  }
}
