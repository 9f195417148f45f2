/**
 * Transactions of the maintenance jobs (`DW_MES_JOBTXNHISTORY`): each job's path through the MES
 * — reported, assigned, worked on, sometimes waiting for parts, verified, then closed or
 * cancelled — with who keyed it and their notes; and the time each job held its machine down,
 * which the machine status per shift is built from.
 */
import {
  JOB_LEADERS, JOB_REPORTERS, JOB_SCHEDULER, JOB_TECHNICIANS, REPAIR_NOTES, SYMPTOM_REPORTS, type Person,
} from './catalog.js'
import type { WrittenJob } from './machine-jobs.js'
import { HOUR } from './plant-clock.js'
import type { PlantContext } from './plant-context.js'
import { HexIdFactory, Rng } from './rng.js'

/** A period a job held its machine down: unscheduled (repairs) or scheduled (all other models). */
export interface Downtime {
  readonly start: number
  readonly end: number
  readonly status: 'UDT' | 'SDT'
}

type Kind = 'create' | 'assign' | 'start' | 'wait' | 'resume' | 'verify' | 'complete' | 'cancel'

/** Where in the job's span each kind of transaction falls (fractions; the ranges never overlap). */
const PLACE: Readonly<Record<Kind, readonly [number, number]>> = {
  create: [0, 0], assign: [0.02, 0.1], start: [0.12, 0.2], wait: [0.3, 0.45], resume: [0.6, 0.75], verify: [0.85, 0.95],
  complete: [1, 1], cancel: [1, 1],
}

const CDO: Readonly<Record<Kind, string>> = {
  create: 'JobCreate', assign: 'JobAssign', start: 'JobStart', wait: 'JobHold', resume: 'JobResume', verify: 'JobVerify',
  complete: 'JobComplete', cancel: 'JobCancel',
}

/** Status after each kind (the status before is the previous transaction's). */
const STATUS_AFTER: Readonly<Record<Kind, string>> = {
  create: 'Open', assign: 'Open', start: 'InProgress', wait: 'Open', resume: 'InProgress', verify: 'InProgress',
  complete: 'Completed', cancel: 'Cancelled',
}

const WAIT_IN_REPAIR_CHANCE = 0.15
const VERIFY_CHANCE = 0.6
const CANCEL_NOTES = ['重複開單，取消', '誤開單，取消', '已由前一張工單處理']

function workStage(model: string): string {
  if (model === 'REPAIR') return 'REPAIR'
  if (model === 'CONVERSION') return 'SETUP'
  if (model === 'CALIBRATION') return 'CALIBRATE'
  return 'PM'
}

/**
 * The transactions of one job and the moment its last one happens. A job still open at the end
 * of the window stops where it stands: waiting for parts, being worked on, or assigned only.
 */
function plan(job: WrittenJob, endSec: number, rng: Rng): { kinds: Kind[]; span: number } {
  const isRepair = job.model === 'REPAIR'
  if (job.status === 'Cancelled') {
    const kinds: Kind[] = rng.chance(0.5) ? ['create', 'assign', 'cancel'] : ['create', 'cancel']
    const span = job.completed !== null ? job.completed - job.created : Math.floor((endSec - 1 - job.created) / 2)
    return { kinds, span }
  }
  if (job.completed !== null) {
    const span = job.completed - job.created
    const kinds: Kind[] = ['create', 'assign', 'start']
    if (isRepair && span > 6 * HOUR && rng.chance(WAIT_IN_REPAIR_CHANCE)) kinds.push('wait', 'resume')
    if (isRepair && rng.chance(VERIFY_CHANCE)) kinds.push('verify')
    kinds.push('complete')
    return { kinds, span }
  }
  // Open: the work so far took a few hours, or less when the window ends sooner.
  const span = Math.floor(Math.min(endSec - 1 - job.created, rng.between(2, 8) * HOUR))
  if (job.waitingForParts) return { kinds: ['create', 'assign', 'start', 'wait'], span }
  return { kinds: job.status === 'InProgress' ? ['create', 'assign', 'start'] : ['create', 'assign'], span }
}

function createNote(job: WrittenJob): string {
  if (job.model === 'REPAIR') return (job.symptom && SYMPTOM_REPORTS[job.symptom]) ?? '機台異常，請設備處理'
  if (job.model === 'CONVERSION') return '換線作業'
  if (job.model === 'CALIBRATION') return '定期校正'
  return `${job.model} 定期保養`
}

function note(kind: Kind, job: WrittenJob, tech: Person, rng: Rng): string {
  const isRepair = job.model === 'REPAIR'
  switch (kind) {
    case 'create': return createNote(job)
    case 'assign': return `指派 ${tech[1]}`
    case 'start': return isRepair ? '開始檢修' : '開始作業'
    case 'wait': return job.completed === null ? '待料：備品申請中，機台暫時復機生產' : '待料：等待備品到貨'
    case 'resume': return '備品到貨，繼續維修'
    case 'verify': return '試機確認中'
    case 'complete': return isRepair ? (job.repair && REPAIR_NOTES[job.repair]) ?? '維修完成' : '作業完成'
    case 'cancel': return rng.pick(CANCEL_NOTES)
  }
}

/**
 * Writes the transactions of every job and returns, per machine index, the periods jobs held the
 * machine down: a job from its creation to its completion (a cancelled job never held it), a
 * repair still waiting for parts until the wait began (the machine runs on a workaround while
 * the parts are on order), any other open job until the end of the window.
 */
export function writeJobTransactions(ctx: PlantContext, jobs: readonly WrittenJob[]): Downtime[][] {
  const { clock, sink } = ctx
  const rng = Rng.from(ctx.seed, 'job-transactions')
  const ids = new HexIdFactory(ctx.seed, 'job-transaction')
  const downtime: Downtime[][] = ctx.machines.all.map(() => [])
  for (const job of jobs) {
    const { kinds, span } = plan(job, clock.endSec, rng)
    const isRepair = job.model === 'REPAIR'
    const reporter = isRepair ? rng.pick(JOB_REPORTERS) : JOB_SCHEDULER
    const leader = rng.pick(JOB_LEADERS)
    const tech = rng.pick(JOB_TECHNICIANS)
    const work = workStage(job.model)
    let status: string | null = null
    let stage: string | null = null
    let last = job.created
    for (const kind of kinds) {
      const [lo, hi] = PLACE[kind]
      const at = kind === 'create' ? job.created : job.created + Math.floor(span * (kind === 'wait' && job.completed === null ? 1 : rng.between(lo, hi)))
      const toStage = kind === 'create' ? 'REQUEST' : kind === 'assign' ? 'ASSIGNED' : kind === 'wait' ? 'WAIT_PARTS'
        : kind === 'verify' ? 'VERIFY' : kind === 'complete' || kind === 'cancel' ? 'CLOSED' : work
      const user = kind === 'create' ? reporter : kind === 'assign' || kind === 'cancel' ? leader : tech
      const emp = kind === 'create' || kind === 'cancel' ? null : tech
      const allCodes = kind === 'complete'
      const toStatus = STATUS_AFTER[kind]
      sink.jobTxn([
        ids.next('4a20'), job.id, clock.format(at), status, toStatus, stage, toStage,
        allCodes ? job.cause : null, allCodes ? job.repair : null, kind === 'create' || allCodes ? job.symptom : null,
        user[0], user[1], emp?.[0] ?? null, emp?.[1] ?? null, note(kind, job, tech, rng), CDO[kind], job.model, job.orderName,
      ])
      status = toStatus
      stage = toStage
      last = at
    }
    if (job.status === 'Cancelled') continue
    const end = job.completed ?? (job.waitingForParts ? last : clock.endSec)
    if (end > job.created) downtime[job.machine.index]!.push({ start: job.created, end, status: isRepair ? 'UDT' : 'SDT' })
  }
  return downtime
}
