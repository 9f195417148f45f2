/**
 * The demo-plant generator: validates the options, writes a new SQLite source file under a
 * temporary name in the target folder and renames it into place only when complete.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setImmediate as nextTick } from 'node:timers/promises'
import { AppError, invalidInput } from '../../shared/errors.js'
import { parseCalendarDate } from '../../shared/time.js'
import { BAD_MACHINE_REASON, BAD_MATERIAL_REASON, DOWNSTREAM_DETECTION_REASON, DOWNSTREAM_EFFECT_REASONS } from './catalog.js'
import { SampleCollector } from './demo-samples.js'
import { SqliteDemoWriter } from './demo-writer.js'
import { writeGuardCases } from './guard-cases.js'
import { OrderRun, orderRng } from './lot-flow.js'
import type { OrderPlan } from './order-plan.js'
import { writeJobTransactions } from './job-transactions.js'
import { writeMachineJobs } from './machine-jobs.js'
import { HOUR, PlantClock } from './plant-clock.js'
import {
  ContainerRegistry, LotBudget, MachineUsageLog, NameCounters, plantProblems, type PlantContext,
} from './plant-context.js'
import { MaterialLots, buildMachinePark, buildResourceRows, buildSpecRows } from './reference-data.js'
import { HexIdFactory } from './rng.js'
import { writeShiftStatus } from './shift-status.js'
import type { DemoOptions, DemoPlanted, DemoSummary, PlantedGuards } from './types.js'
import { WaferSupply } from './wafer-supply.js'

/** Written into MES_TRACE_DEMO_INFO; bump when the same seed would give different data. */
export const DEMO_GENERATOR_VERSION = '5'

const DEFAULTS = { lots: 20_000, seed: 'mes-trace', endDate: '2026-10-31', days: 60 } as const
const MIN_LOTS = 100
const MAX_LOTS = 1_000_000
const MIN_DAYS = 7
const MAX_DAYS = 730
/** Lots per transaction; between transactions the event loop gets a turn and progress is told. */
const LOTS_PER_CHUNK = 5000
/** Share of work orders that are GC (intermediate) orders. */
const GC_ORDER_SHARE = 0.08
/** GC orders pick the product of one of this many latest GA orders. */
const RECENT_GA_PLANS = 10
/** Orders released before this fraction of the window are not preferred as demo samples. */
const SAMPLES_FROM_FRACTION = 0.3

let runCounter = 0

interface Settings {
  out: string
  lots: number
  seed: string
  endDate: string
  days: number
  overwrite: boolean
  progress: (message: string) => void
}

function validate(options: DemoOptions): Settings {
  if (typeof options.out !== 'string' || options.out.trim() === '') throw invalidInput('out', 'a file path is required')
  const lots = options.lots ?? DEFAULTS.lots
  if (!Number.isInteger(lots) || lots < MIN_LOTS || lots > MAX_LOTS) {
    throw invalidInput('lots', `expected a whole number from ${MIN_LOTS} to ${MAX_LOTS}, got ${String(lots)}`)
  }
  const seed = String(options.seed ?? DEFAULTS.seed)
  if (seed.trim() === '') throw invalidInput('seed', 'must not be empty')
  const endDate = options.endDate ?? DEFAULTS.endDate
  if (!parseCalendarDate(endDate)) throw invalidInput('endDate', `expected a date YYYY-MM-DD, got "${endDate}"`)
  const days = options.days ?? DEFAULTS.days
  if (!Number.isInteger(days) || days < MIN_DAYS || days > MAX_DAYS) {
    throw invalidInput('days', `expected a whole number from ${MIN_DAYS} to ${MAX_DAYS}, got ${String(days)}`)
  }
  return {
    out: resolve(options.out), lots, seed, endDate, days, overwrite: options.overwrite ?? false,
    progress: options.onProgress ?? (() => undefined),
  }
}

function refuseExisting(out: string): never {
  throw new AppError('storage/write-failed', `${out} already exists; choose another path or allow overwriting it`, {
    path: out,
    exists: true,
  })
}

/**
 * Generates a deterministic demo plant: a new SQLite file with every table and index of the
 * source contract (source-schema.md), realistic genealogy and history, three planted problems
 * for the MSD analysis and guard-case genealogies. The file appears at `out` only when complete.
 */
export async function generateDemoPlant(options: DemoOptions): Promise<DemoSummary> {
  const started = performance.now()
  const settings = validate(options)
  const { out } = settings
  if (!settings.overwrite && existsSync(out)) refuseExisting(out)
  mkdirSync(dirname(out), { recursive: true })
  // Unique per run, so two runs writing the same target never share a temporary file.
  const temp = join(dirname(out), `.${basename(out)}.${process.pid}-${++runCounter}.partial`)
  rmSync(temp, { force: true })
  let writer: SqliteDemoWriter | null = null
  try {
    writer = new SqliteDemoWriter(temp)
    const clock = new PlantClock(settings.endDate, settings.days)
    const planted = await writePlant(writer, clock, settings)
    settings.progress('Writing generator info')
    writer.writeInfo({
      seed: settings.seed, lots: String(settings.lots), start_date: clock.startDate, end_date: clock.endDate,
      generator_version: DEMO_GENERATOR_VERSION, planted: JSON.stringify(planted),
    })
    const tables = writer.rowCounts()
    settings.progress('Creating indexes')
    writer.finish()
    writer.close()
    // Checked again: another process may have created the file while this one was writing.
    if (!settings.overwrite && existsSync(out)) refuseExisting(out)
    renameSync(temp, out)
    return {
      out, seed: settings.seed, lots: settings.lots, startDate: clock.startDate, endDate: clock.endDate, tables, planted,
      elapsedMs: Math.round(performance.now() - started),
    }
  } catch (error) {
    writer?.close()
    rmSync(temp, { force: true })
    throw error
  }
}

function createContext(writer: SqliteDemoWriter, clock: PlantClock, settings: Settings): PlantContext {
  const { seed } = settings
  const machines = buildMachinePark(seed)
  const materialLots = new MaterialLots(seed, clock)
  return {
    seed, clock, sink: writer, machines, materialLots,
    planted: plantProblems(clock, machines, materialLots),
    counts: { badMachineLots: 0, badMaterialLots: 0, moldDefectLots: 0 },
    containerIds: new HexIdFactory(seed, 'container'),
    mainLineIds: new HexIdFactory(seed, 'main-line'),
    jobIds: new HexIdFactory(seed, 'job'),
    names: new NameCounters(),
    registry: new ContainerRegistry(),
    usage: new MachineUsageLog(clock.startSec),
    budget: new LotBudget(settings.lots),
  }
}

function writeReferenceRows(ctx: PlantContext): void {
  for (const row of buildResourceRows(ctx.machines, ctx.seed)) ctx.sink.resource(row)
  for (const row of buildSpecRows()) ctx.sink.specWorkcenter(row)
}

/** Releases work orders one after the other. */
class OrderReleaser {
  private orderIndex = 0
  // GC (intermediate) orders build what recent GA orders build, from the same wafer lots.
  private readonly recentGaPlans: OrderPlan[] = []

  constructor(
    private readonly ctx: PlantContext,
    private readonly wafers: WaferSupply,
    private readonly samples: SampleCollector,
  ) {}

  /** Releases the next order; its start follows the share of the lot budget already used. */
  next(): void {
    const { budget, clock } = this.ctx
    const rng = orderRng(this.ctx.seed, this.orderIndex++)
    // Releases spread evenly over the window whatever the lot count; the last few percent are
    // left so that even the last orders get some history.
    const startSec = clock.startSec + Math.floor(clock.spanSec * 0.985 * (budget.produced / budget.total)) + rng.int(0, 4 * HOUR)
    const kind = rng.chance(GC_ORDER_SHARE) && this.recentGaPlans.length > 0 ? 'GC' : 'GA'
    const name = this.ctx.names.workOrder(kind, clock.yymm(startSec))
    const roots = Math.round(6 + 34 * Math.pow(rng.float(), 1.3))
    const plan = kind === 'GC' ? rng.pick(this.recentGaPlans) : undefined
    const order = new OrderRun(this.ctx, this.wafers, rng, name, kind, startSec, plan)
    if (kind === 'GA') {
      this.recentGaPlans.push(order.orderPlan)
      if (this.recentGaPlans.length > RECENT_GA_PLANS) this.recentGaPlans.shift()
    }
    this.samples.add(order.run(roots))
  }
}

async function writePlant(writer: SqliteDemoWriter, clock: PlantClock, settings: Settings): Promise<DemoPlanted> {
  const ctx = createContext(writer, clock, settings)
  const wafers = new WaferSupply(ctx)
  const samples = new SampleCollector(clock.at(SAMPLES_FROM_FRACTION))
  const releaser = new OrderReleaser(ctx, wafers, samples)
  writer.transaction(() => writeReferenceRows(ctx))
  while (ctx.budget.remaining > 0) {
    const chunkEnd = Math.min(ctx.budget.total, ctx.budget.produced + LOTS_PER_CHUNK)
    writer.transaction(() => {
      while (ctx.budget.remaining > 0 && ctx.budget.produced < chunkEnd) releaser.next()
    })
    settings.progress(`Lots ${ctx.budget.produced.toLocaleString('en-US')} / ${ctx.budget.total.toLocaleString('en-US')}`)
    await nextTick()
  }
  const guards = writer.transaction(() => {
    const written = writeGuardCases(ctx, wafers.created[0]!.name)
    settings.progress('Writing machine jobs')
    const uses = ctx.usage.sorted(ctx.machines.all.length)
    const jobs = writeMachineJobs(ctx, uses)
    const downtime = writeJobTransactions(ctx, jobs)
    settings.progress('Writing machine status per shift')
    writeShiftStatus(ctx, uses, downtime)
    return written
  })
  return plantedSummary(ctx, guards, samples.result(wafers.created))
}

function plantedSummary(ctx: PlantContext, guards: PlantedGuards, samples: DemoPlanted['samples']): DemoPlanted {
  const { planted, counts } = ctx
  return {
    bad_machine: {
      equipment_name: planted.badMachine.name, equipment_id: planted.badMachine.id, station: '焊接_WB',
      from_date: planted.badMachineFromDate, loss_reason: BAD_MACHINE_REASON, detection_station: '測試',
      affected_lots: counts.badMachineLots,
    },
    bad_material_lot: {
      material_part_name: planted.badMaterial.part.name, material_lot_name: planted.badMaterial.lotName, station: '成型',
      loss_reason: BAD_MATERIAL_REASON, detection_station: '測試', affected_lots: counts.badMaterialLots,
    },
    downstream_effect: {
      detection_station: '成型', loss_reason: DOWNSTREAM_DETECTION_REASON,
      downstream_stations: Object.keys(DOWNSTREAM_EFFECT_REASONS), downstream_loss_reasons: { ...DOWNSTREAM_EFFECT_REASONS },
      affected_lots: counts.moldDefectLots,
    },
    guards,
    samples,
  }
}
