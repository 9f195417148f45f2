/**
 * The status of every machine per shift (`DW_MES_RESOURCESTATUS_SHIFT`), in real chronology: one
 * row per status period (TXNDATE = its start, HOURS = its length), cut at shift boundaries, so the
 * rows of a machine follow each other without gap or overlap and each shift's rows add up to the
 * shift. The statuses agree with the rest of the plant: down (UDT for repairs, SDT for other jobs)
 * while a job held the machine, PRD while a lot was on it, otherwise SBY — or EGT for some long
 * idle periods, and NST for a whole shift with nothing to run.
 */
import type { Downtime } from './job-transactions.js'
import { HOUR } from './plant-clock.js'
import type { PlantContext, SortedMachineUses } from './plant-context.js'
import { Rng } from './rng.js'

/** Three 8-hour shifts a day, starting at 00:00, 08:00 and 16:00. */
export const SHIFT_HOURS = 8
/** Idle periods at least this long are sometimes used for engineering work. */
const ENGINEERING_MIN_SEC = 2 * HOUR
const ENGINEERING_CHANCE = 0.08

type Label = 'UDT' | 'SDT' | 'PRD' | 'IDLE'

/** Flat `[start, end, …]` pairs: the union of the machine's lot periods, clipped to the window. */
function busyPeriods(uses: SortedMachineUses, machineIndex: number, from: number, to: number): number[] {
  const busy: number[] = []
  for (let k = uses.offsets[machineIndex]!; k < uses.offsets[machineIndex + 1]!; k++) {
    const start = Math.max(uses.times[k]!, from)
    const end = Math.min(uses.outs[k]!, to)
    if (end <= start) continue
    // Uses come sorted by track-in, so a period either extends the last one or starts a new one.
    if (busy.length > 0 && start <= busy[busy.length - 1]!) busy[busy.length - 1] = Math.max(busy[busy.length - 1]!, end)
    else busy.push(start, end)
  }
  return busy
}

/** Disjoint down periods: where repairs and other jobs overlap, the repair (UDT) wins. */
function downPeriods(downtime: readonly Downtime[], from: number, to: number): { start: number; end: number; status: 'UDT' | 'SDT' }[] {
  const clipped = downtime.map((d) => ({ ...d, start: Math.max(d.start, from), end: Math.min(d.end, to) })).filter((d) => d.end > d.start)
  const points = [...new Set(clipped.flatMap((d) => [d.start, d.end]))].sort((a, b) => a - b)
  const result: { start: number; end: number; status: 'UDT' | 'SDT' }[] = []
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i]!, points[i + 1]!]
    const covering = clipped.filter((d) => d.start <= a && d.end >= b)
    if (covering.length === 0) continue
    const status = covering.some((d) => d.status === 'UDT') ? 'UDT' : 'SDT'
    const previous = result[result.length - 1]
    if (previous && previous.end === a && previous.status === status) previous.end = b
    else result.push({ start: a, end: b, status })
  }
  return result
}

/** Writes the status rows of every machine over the whole window. */
export function writeShiftStatus(ctx: PlantContext, uses: SortedMachineUses, downtime: readonly Downtime[][]): void {
  const { clock, sink } = ctx
  const shiftSec = SHIFT_HOURS * HOUR
  for (const machine of ctx.machines.all) {
    const rng = Rng.from(ctx.seed, 'shift-status', machine.index)
    const busy = busyPeriods(uses, machine.index, clock.startSec, clock.endSec)
    const down = downPeriods(downtime[machine.index] ?? [], clock.startSec, clock.endSec)
    const cuts: number[] = [...busy]
    for (const d of down) cuts.push(d.start, d.end)
    for (let t = clock.startSec; t <= clock.endSec; t += shiftSec) cuts.push(t)
    const points = Float64Array.from(new Set(cuts)).sort()
    let b = 0
    let d = 0
    let shift: { start: number; end: number; label: Label }[] = []
    const flush = (): void => {
      const idleShift = shift.length === 1 && shift[0]!.label === 'IDLE'
      for (const piece of shift) {
        const length = piece.end - piece.start
        const status = piece.label !== 'IDLE' ? piece.label
          : idleShift ? 'NST'
            : length >= ENGINEERING_MIN_SEC && rng.chance(ENGINEERING_CHANCE) ? 'EGT' : 'SBY'
        sink.shiftStatus([machine.id, clock.format(piece.start), status, length / HOUR])
      }
      shift = []
    }
    for (let i = 0; i + 1 < points.length; i++) {
      const start = points[i]!
      const end = points[i + 1]!
      while (d < down.length && down[d]!.end <= start) d++
      while (b < busy.length && busy[b + 1]! <= start) b += 2
      const label: Label = d < down.length && down[d]!.start <= start ? down[d]!.status
        : b < busy.length && busy[b]! <= start ? 'PRD' : 'IDLE'
      // A shift boundary always starts a new row.
      if ((start - clock.startSec) % shiftSec === 0) flush()
      const last = shift[shift.length - 1]
      if (last && last.label === label) last.end = end
      else shift.push({ start, end, label })
    }
    flush()
  }
}
