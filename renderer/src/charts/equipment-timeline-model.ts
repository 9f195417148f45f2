/**
 * The equipment timeline (original-ui.md §1.3): one lane per machine in the order picked, the
 * machine's statuses as bands in their real chronology, its lots as bars from track-in to
 * track-out, its repair jobs as markers.
 *
 * Choices against the original's quirks: the status bands are the shift status table's stretches
 * where they happened (the original drew PRD, SBY, UDT, SDT back to back from the window's start,
 * and left EGT and NST out); all six statuses are drawn; the window is the range in plant time
 * (the original read the start date as UTC midnight); a cut lot list says so.
 */
import { MACHINE_STATUSES, type EquipmentTimeline } from '../../../shared/equipment'
import { plantTime, showTime } from './lot-timeline-model'

/** How long a lot without track-out is drawn (as the original: 30 minutes). */
export const OPEN_LOT_MS = 30 * 60_000
/** The shortest lot drawn (as the original: zero or negative visits last 1 minute). */
export const MIN_LOT_MS = 60_000

/** Status colours: the original's four, and two of ours for EGT and NST. */
export const STATUS_COLORS: Readonly<Record<string, string>> = {
  PRD: '#16a34a',
  SBY: '#f59e0b',
  UDT: '#ef4444',
  SDT: '#64748b',
  EGT: '#8b5cf6',
  NST: '#a8a29e',
}
/** A status outside the six (a source with its own codes). */
export const OTHER_STATUS_COLOR = '#d6d3d1'
export const LOT_COLOR = '#2563eb'
export const JOB_COLOR = '#9333ea'

export interface EquipmentLane {
  id: string
  name: string
  /** `NAME (ID)`, or the id alone when the source has no name. */
  label: string
}

export interface StatusBand {
  lane: number
  status: string
  start: number
  end: number
  hours: number
  /** As the source wrote them. */
  from: string
  to: string
}

export interface LotBar {
  lane: number
  lotId: string
  containerId: string
  spec: string
  workcenter: string
  start: number
  end: number
  trackIn: string
  trackOut: string
  /** No track-out: drawn {@link OPEN_LOT_MS} long. */
  open: boolean
}

export interface JobMark {
  lane: number
  jobId: string
  time: number
  /** The time placed at (CREATEDATE, else COMPLETEDATE) as the source wrote it. */
  at: string
  status: string
  cause: string
  repair: string
  symptom: string
  lots: string
  created: string
  completed: string
}

export interface EquipmentTimelineModel {
  lanes: EquipmentLane[]
  /** null when the source lacks the status table. */
  status: StatusBand[] | null
  /** Statuses present, in the order of {@link MACHINE_STATUSES} (others after, by name). */
  statuses: string[]
  lots: LotBar[]
  jobs: JobMark[]
  window: { start: number; end: number } | null
  lotsTotal: number
  /** The answer holds fewer lots than the range has. */
  cut: boolean
  /** Rows with no usable time or machine (not drawn). */
  skipped: number
  missingTables: string[]
}

const str = (v: string | null | undefined): string => v ?? ''

/** The model of a timeline answer. */
export function buildEquipmentTimelineModel(answer: EquipmentTimeline): EquipmentTimelineModel {
  const lanes = answer.machines.map((m) => ({ id: m.resource_id, name: m.name, label: m.name && m.name !== m.resource_id ? `${m.name} (${m.resource_id})` : m.resource_id }))
  const laneOf = new Map(lanes.map((l, i) => [l.id, i]))
  const wStart = plantTime(answer.window.start)
  const wEnd = plantTime(answer.window.end)
  const window = wStart !== null && wEnd !== null && wEnd > wStart ? { start: wStart, end: wEnd } : null
  let skipped = 0

  let status: StatusBand[] | null = null
  if (answer.status) {
    status = []
    for (const s of answer.status) {
      const lane = laneOf.get(s.resource_id)
      let start = plantTime(s.start)
      let end = plantTime(s.end)
      if (lane === undefined || start === null || end === null || end <= start) {
        skipped++
        continue
      }
      // A stretch reaching past the range is drawn inside it.
      if (window) {
        start = Math.max(start, window.start)
        end = Math.min(end, window.end)
        if (end <= start) continue
      }
      status.push({ lane, status: s.status, start, end, hours: s.hours, from: s.start, to: s.end })
    }
  }
  const present = new Set(status?.map((b) => b.status) ?? [])
  const statuses = [...MACHINE_STATUSES.filter((s) => present.has(s)), ...[...present].filter((s) => !(MACHINE_STATUSES as readonly string[]).includes(s)).sort()]

  const lots: LotBar[] = []
  for (const l of answer.lots) {
    const lane = laneOf.get(l.resource_id)
    const start = plantTime(l.start)
    if (lane === undefined || start === null) {
      skipped++
      continue
    }
    const out = l.end ? plantTime(l.end) : null
    const open = out === null
    const end = open ? start + OPEN_LOT_MS : Math.max(out, start + MIN_LOT_MS)
    lots.push({ lane, lotId: l.lot_id || l.container_id, containerId: l.container_id, spec: str(l.spec), workcenter: str(l.workcenter), start, end, trackIn: l.start, trackOut: str(l.end), open })
  }

  const jobs: JobMark[] = []
  for (const j of answer.jobs) {
    const lane = laneOf.get(j.resource_id)
    const at = j.created ?? j.completed ?? ''
    const time = plantTime(at)
    if (lane === undefined || time === null) {
      skipped++
      continue
    }
    jobs.push({
      lane,
      jobId: j.job_id,
      time,
      at,
      status: str(j.status),
      cause: str(j.cause),
      repair: str(j.repair),
      symptom: str(j.symptom),
      lots: str(j.container_names),
      created: str(j.created),
      completed: str(j.completed),
    })
  }

  const empty = lots.length === 0 && jobs.length === 0 && (status?.length ?? 0) === 0
  return {
    lanes,
    status,
    statuses,
    lots,
    jobs,
    window: empty ? null : window,
    lotsTotal: answer.lots_total,
    cut: answer.lots_total > answer.lots.length,
    skipped,
    missingTables: answer.missing_tables,
  }
}

/** One line of the keyboard list: a status stretch, a lot or a job, by machine then time. */
export interface TimelineListRow {
  key: string
  kind: 'status' | 'lot' | 'job'
  machine: string
  start: string
  end: string
  title: string
  detail: string
  /** For sorting. */
  time: number
  lane: number
}

/** The model as rows of a list (the chart's keyboard alternative). */
export function equipmentTimelineList(model: EquipmentTimelineModel): TimelineListRow[] {
  // The key is the kind's initial and the item's index in its kind.
  const row = (kind: TimelineListRow['kind'], i: number, at: { lane: number; time: number }, start: string, end: string, title: string, detail: string): TimelineListRow => ({
    key: `${kind[0]}${i}`,
    kind,
    machine: model.lanes[at.lane]!.label,
    start,
    end,
    title,
    detail,
    time: at.time,
    lane: at.lane,
  })
  const rows = [
    ...(model.status ?? []).map((b, i) => row('status', i, { lane: b.lane, time: b.start }, showTime(b.from), showTime(b.to), b.status, `${b.hours.toFixed(2)} h`)),
    ...model.lots.map((l, i) => row('lot', i, { lane: l.lane, time: l.start }, showTime(l.trackIn), l.open ? '' : showTime(l.trackOut), l.lotId, [l.spec, l.workcenter].filter(Boolean).join(' / '))),
    ...model.jobs.map((j, i) => row('job', i, j, showTime(j.at), j.completed ? showTime(j.completed) : '', [j.jobId, j.cause].filter(Boolean).join(' '), [j.repair, j.symptom, j.lots].filter(Boolean).join(' / '))),
  ]
  return rows.sort((a, b) => a.lane - b.lane || a.time - b.time || a.key.localeCompare(b.key))
}
