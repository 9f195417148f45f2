/**
 * Maintenance and repair jobs (`DW_MES_JOB`), made once all lots are known so that a repair job
 * can list the lots its machine ran just before it (CONTAINERIDS / CONTAINERNAMES).
 */
import { JOB_CAUSES, JOB_MODELS, JOB_REPAIRS, JOB_SYMPTOMS } from './catalog.js'
import { HOUR } from './plant-clock.js'
import type { PlantContext, SortedMachineUses } from './plant-context.js'
import type { Machine } from './reference-data.js'
import { Rng, WeightedList } from './rng.js'

/** Jobs per container, as in the production plant (1.26 M jobs / 5.25 M containers). */
const JOBS_PER_CONTAINER = 0.25
/** The comma lists are VARCHAR2(2000) in the warehouse. */
const MAX_LIST_CHARS = 2000
const MAX_LISTED_LOTS = 20
const LISTS_LOTS_CHANCE = 0.35
const WAITING_FOR_PARTS_CHANCE = 0.04

const MODEL_LIST = WeightedList.zipf(JOB_MODELS, 1.2)
const CAUSE_LIST = WeightedList.zipf(JOB_CAUSES, 1)
const REPAIR_LIST = WeightedList.zipf(JOB_REPAIRS, 1)
const SYMPTOM_LIST = WeightedList.zipf(JOB_SYMPTOMS.filter((s) => s !== 'S07_NSOP_ALARM'), 1)

/** A job as written, for its transactions and the machine status built after it. */
export interface WrittenJob {
  readonly id: string
  readonly machine: Machine
  readonly created: number
  /** Null while the job is still open at the end of the window. */
  readonly completed: number | null
  readonly status: string
  readonly model: string
  readonly orderName: string
  readonly cause: string | null
  readonly repair: string | null
  readonly symptom: string | null
  /** A repair still waiting for parts at the end of the window. */
  readonly waitingForParts: boolean
}

interface JobSpec {
  machine: Machine
  created: number
  model: string
  hours: number
  cause: string | null
  repair: string | null
  symptom: string | null
  listLots: boolean
  status?: string
}

function hoursFor(model: string, rng: Rng): number {
  if (model === 'REPAIR') return Math.min(72, Math.max(0.5, 4 * rng.logNormal(1)))
  if (model === 'CONVERSION') return rng.between(2, 8)
  if (model === 'CALIBRATION') return rng.between(1, 3)
  return rng.between(1, 6)
}

/** Lots the machine tracked in during the `windowHours` before `created`, latest first. */
function lotsBefore(uses: SortedMachineUses, machine: Machine, created: number, windowHours: number): number[] {
  const start = uses.offsets[machine.index]!
  const end = uses.offsets[machine.index + 1]!
  let lo = start
  let hi = end
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (uses.times[mid]! < created) lo = mid + 1
    else hi = mid
  }
  const lots: number[] = []
  for (let k = lo - 1; k >= start && uses.times[k]! >= created - windowHours * HOUR && lots.length < MAX_LISTED_LOTS; k--) {
    if (!lots.includes(uses.lots[k]!)) lots.push(uses.lots[k]!)
  }
  return lots
}

function commaList(values: readonly string[]): string {
  let text = ''
  for (const value of values) {
    const next = text === '' ? value : `${text},${value}`
    if (next.length > MAX_LIST_CHARS) break
    text = next
  }
  return text
}

function countItems(list: string): number {
  return list === '' ? 0 : list.split(',').length
}

function writeJob(ctx: PlantContext, uses: SortedMachineUses, job: JobSpec): WrittenJob {
  const { clock, names, registry, sink } = ctx
  const completed = job.created + job.hours * HOUR
  const isOpen = completed >= clock.endSec
  const status = job.status ?? (isOpen ? (job.hours > 8 ? 'Open' : 'InProgress') : 'Completed')
  const lots = job.listLots ? lotsBefore(uses, job.machine, job.created, job.model === 'REPAIR' ? 12 : 4) : []
  // Both lists hold the same lots: a name without its CID (or the reverse) would mislead.
  const listed = Math.min(
    countItems(commaList(lots.map((i) => registry.cids[i]!))),
    countItems(commaList(lots.map((i) => registry.names[i]!))),
  )
  const shown = lots.slice(0, listed)
  const id = ctx.jobIds.next('4a10')
  const orderName = names.jobOrder(clock.yymmdd(job.created))
  sink.job([
    id, job.machine.id, job.machine.name, status, job.model, orderName,
    clock.format(job.created), isOpen ? null : clock.format(completed), job.cause, job.repair, job.symptom,
    listed > 0 ? shown.map((i) => registry.cids[i]!).join(',') : null,
    listed > 0 ? shown.map((i) => registry.names[i]!).join(',') : null,
  ])
  return {
    id, machine: job.machine, created: job.created, completed: isOpen ? null : Math.floor(completed), status,
    model: job.model, orderName, cause: job.cause, repair: job.repair, symptom: job.symptom,
    waitingForParts: job.hours === Number.POSITIVE_INFINITY,
  }
}

/** Most jobs complete; a few are cancelled, and some repairs wait for parts and stay open. */
function jobOutcome(isRepair: boolean, rng: Rng): Partial<Pick<JobSpec, 'status' | 'hours'>> {
  if (isRepair && rng.chance(WAITING_FOR_PARTS_CHANCE)) return { status: 'Open', hours: Number.POSITIVE_INFINITY }
  if (rng.chance(0.03)) return { status: 'Cancelled' }
  return {}
}

function randomJob(machine: Machine, created: number, rng: Rng): JobSpec {
  const model = MODEL_LIST.pick(rng)
  const isRepair = model === 'REPAIR'
  return {
    machine, created, model, hours: hoursFor(model, rng),
    cause: isRepair ? (rng.chance(0.9) ? CAUSE_LIST.pick(rng) : null) : null,
    repair: isRepair ? REPAIR_LIST.pick(rng) : rng.chance(0.3) ? 'R03_CLEAN' : null,
    symptom: isRepair ? SYMPTOM_LIST.pick(rng) : null,
    listLots: isRepair && rng.chance(LISTS_LOTS_CHANCE),
    ...jobOutcome(isRepair, rng),
  }
}

/**
 * Writes ≈ 0.25 jobs per container, spread over the machines by how busy they were, plus one
 * repair on the planted bad wire bonder shortly after its problem starts (an engineer tracing
 * the problem should find it). Returns the jobs written.
 */
export function writeMachineJobs(ctx: PlantContext, uses: SortedMachineUses): WrittenJob[] {
  const rng = Rng.from(ctx.seed, 'jobs')
  const machines = ctx.machines.all
  const target = JOBS_PER_CONTAINER * ctx.registry.cids.length
  const weightOf = (m: Machine): number => uses.offsets[m.index + 1]! - uses.offsets[m.index]! + 50
  const totalWeight = machines.reduce((s, m) => s + weightOf(m), 0)
  const written: WrittenJob[] = []
  for (const machine of machines) {
    const count = Math.floor((target * weightOf(machine)) / totalWeight + rng.float())
    const times = Array.from({ length: count }, () => Math.floor(rng.between(ctx.clock.startSec, ctx.clock.endSec - HOUR)))
    times.sort((a, b) => a - b)
    for (const created of times) written.push(writeJob(ctx, uses, randomJob(machine, created, rng)))
  }
  const { badMachine, badMachineFromSec } = ctx.planted
  written.push(writeJob(ctx, uses, {
    machine: badMachine, created: Math.min(ctx.clock.endSec - 4 * HOUR, badMachineFromSec + 31 * HOUR), model: 'REPAIR',
    hours: 3, cause: 'C01_PART_WEAR', repair: 'R06_REPLACE_TOOL', symptom: 'S07_NSOP_ALARM', listLots: true,
  }))
  return written
}
