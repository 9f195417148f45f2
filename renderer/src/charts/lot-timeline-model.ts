/**
 * The lot timeline (original-ui.md §2): one lane per lot, a bar per station visit from track-in to
 * track-out, and the lot's holds, material consumptions and rejects as markers on its own lane.
 *
 * Choices against the original's quirks: a marker goes on the lane of its own lot (CONTAINERID) or
 * nowhere, never on another lot's lane; a marker never vanishes silently (those with no lane, no
 * time or outside the station-group filter are counted); the window covers the bars and the placed
 * markers, so no placed marker is clipped.
 */
import { stationOrder } from '../../../shared/stations'

/** A row of a result table as the page API returns it. */
export type Row = Readonly<Record<string, unknown>>

/** How long a visit without track-out is drawn (as the original: 30 minutes). */
export const OPEN_VISIT_MS = 30 * 60_000
/** The shortest bar drawn: a zero or negative visit still shows (as the original: 1 minute). */
export const MIN_VISIT_MS = 60_000
/** Most lanes one timeline draws; the rest are named in the header, not drawn. */
export const MAX_TIMELINE_LOTS = 50

/** One lot's lane. */
export interface TimelineLane {
  cid: string
  /** The lot's name (CONTAINERNAME), else its CID. */
  name: string
}

/** One station visit. */
export interface TimelineBar {
  lane: number
  cid: string
  group: string
  workcenter: string
  machine: string
  spec: string
  start: number
  end: number
  /** Track-in and track-out as the source wrote them ('' for none). */
  trackIn: string
  trackOut: string
  /** No track-out yet: the bar lasts {@link OPEN_VISIT_MS}. */
  open: boolean
}

export type MarkerKind = 'hold' | 'material' | 'reject'

/** One hold, material consumption or reject, on its lot's lane. */
export interface TimelineMarker {
  kind: MarkerKind
  lane: number
  cid: string
  time: number
  /** The time as the source wrote it. */
  at: string
  workcenter: string
  machine: string
  /** Hold reason, material part, loss reason. */
  title: string
  /** Hold comment, `qty / material lot`, reject quantity. */
  detail: string
}

/** Markers not drawn, by why. */
export interface MarkerMisses {
  /** Their lot has no lane (not among the lots shown). */
  noLane: number
  /** No usable time. */
  noTime: number
  /** Their station is outside the chosen station groups. */
  filtered: number
}

export interface TimelineModel {
  lanes: TimelineLane[]
  bars: TimelineBar[]
  markers: TimelineMarker[]
  /** Station groups of the bars, in station order (the 12 stations' sequence, others by name). */
  groups: string[]
  /** Earliest and latest time drawn; null with nothing to draw. */
  window: { start: number; end: number } | null
  misses: Record<MarkerKind, MarkerMisses>
  /** History rows without track-in (not drawn). */
  barsWithoutStart: number
}

export interface TimelineInput {
  /** The lots, in the order their lanes are drawn (at most {@link MAX_TIMELINE_LOTS} are used). */
  cids: readonly string[]
  history: readonly Row[]
  holds?: readonly Row[]
  materials?: readonly Row[]
  rejects?: readonly Row[]
  /** Chosen station groups; empty means all. */
  groups?: readonly string[]
}

const text = (row: Row, column: string): string => {
  const v = row[column]
  return v === null || v === undefined ? '' : String(v)
}

/**
 * A plant time (`YYYY-MM-DDTHH:MM:SS` or with a space) as epoch milliseconds in the viewer's
 * time zone, the way the tables show it; null when it is not a time.
 */
export function plantTime(value: unknown): number | null {
  if (typeof value !== 'string' || value.length < 10) return null
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value)
  if (!m) return null
  const t = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)).getTime()
  return Number.isFinite(t) ? t : null
}

/** A plant time as shown in tooltips and the list: `YYYY-MM-DD HH:MM:SS`. */
export function showTime(value: string): string {
  return value.replace('T', ' ').slice(0, 19)
}

/** A history row's station group: WORKCENTER_GROUP, else WORKCENTERNAME, else ''. */
export function groupOfRow(row: Row): string {
  return text(row, 'WORKCENTER_GROUP') || text(row, 'WORKCENTERNAME')
}

const noMisses = (): MarkerMisses => ({ noLane: 0, noTime: 0, filtered: 0 })

/** Builds the lanes, bars and markers of the given lots. */
export function buildTimelineModel(input: TimelineInput): TimelineModel {
  const chosen = new Set(input.groups ?? [])
  const lanes: TimelineLane[] = []
  const laneOf = new Map<string, number>()
  for (const cid of input.cids) {
    if (laneOf.has(cid) || lanes.length >= MAX_TIMELINE_LOTS) continue
    laneOf.set(cid, lanes.length)
    lanes.push({ cid, name: cid })
  }
  const named = new Set<string>()
  const nameLane = (cid: string, row: Row) => {
    const name = text(row, 'CONTAINERNAME')
    const lane = laneOf.get(cid)
    if (name && lane !== undefined && !named.has(cid)) {
      lanes[lane]!.name = name
      named.add(cid)
    }
  }

  // Which group each workcenter belongs to, from the history itself: holds and materials carry
  // only the workcenter, and the station-group filter applies to them through it.
  const groupOfWorkcenter = new Map<string, string>()
  const bars: TimelineBar[] = []
  let barsWithoutStart = 0
  for (const row of input.history) {
    const cid = text(row, 'CONTAINERID')
    const group = groupOfRow(row)
    const workcenter = text(row, 'WORKCENTERNAME')
    if (workcenter && group) groupOfWorkcenter.set(workcenter, group)
    const lane = laneOf.get(cid)
    if (lane === undefined) continue
    nameLane(cid, row)
    if (chosen.size > 0 && !chosen.has(group)) continue
    const start = plantTime(row.TRACKINTIMESTAMP)
    if (start === null) {
      barsWithoutStart++
      continue
    }
    const trackOut = text(row, 'TRACKOUTTIMESTAMP')
    const out = plantTime(trackOut)
    const open = out === null
    const end = open ? start + OPEN_VISIT_MS : Math.max(out, start + MIN_VISIT_MS)
    bars.push({
      lane,
      cid,
      group,
      workcenter,
      machine: text(row, 'EQUIPMENTNAME'),
      spec: text(row, 'SPECNAME'),
      start,
      end,
      trackIn: text(row, 'TRACKINTIMESTAMP'),
      trackOut: open ? '' : trackOut,
      open,
    })
  }

  const misses: Record<MarkerKind, MarkerMisses> = { hold: noMisses(), material: noMisses(), reject: noMisses() }
  const markers: TimelineMarker[] = []
  const place = (kind: MarkerKind, rows: readonly Row[] | undefined, timeColumn: string, describe: (row: Row) => { title: string; detail: string }) => {
    for (const row of rows ?? []) {
      const cid = text(row, 'CONTAINERID')
      const lane = laneOf.get(cid)
      if (lane === undefined) {
        misses[kind].noLane++
        continue
      }
      nameLane(cid, row)
      const workcenter = text(row, 'WORKCENTERNAME')
      if (chosen.size > 0) {
        const group = text(row, 'WORKCENTER_GROUP') || groupOfWorkcenter.get(workcenter) || workcenter
        if (!chosen.has(group)) {
          misses[kind].filtered++
          continue
        }
      }
      const at = text(row, timeColumn)
      const time = plantTime(at)
      if (time === null) {
        misses[kind].noTime++
        continue
      }
      markers.push({ kind, lane, cid, time, at, workcenter, machine: text(row, 'EQUIPMENTNAME'), ...describe(row) })
    }
  }
  place('hold', input.holds, 'HOLDTXNDATE', (r) => ({ title: text(r, 'HOLDREASONNAME'), detail: text(r, 'HOLDCOMMENTS') }))
  place('material', input.materials, 'TXNDATE', (r) => ({
    title: text(r, 'MATERIALPARTNAME'),
    detail: [text(r, 'QTYCONSUMED'), text(r, 'MATERIALLOTNAME')].filter(Boolean).join(' / '),
  }))
  place('reject', input.rejects, 'TXN_TIME', (r) => ({ title: text(r, 'LOSSREASONNAME'), detail: text(r, 'REJECT_TOTAL_QTY') }))

  const times = [...bars.flatMap((b) => [b.start, b.end]), ...markers.map((m) => m.time)]
  const window = times.length > 0 ? { start: Math.min(...times), end: Math.max(...times) } : null
  const groups = [...new Set(bars.map((b) => b.group))].sort((a, b) => stationOrder(a) - stationOrder(b) || a.localeCompare(b, 'zh-Hant'))
  return { lanes, bars, markers, groups, window, misses, barsWithoutStart }
}

/** One line of the list the chart offers for the keyboard: a visit or a marker, by lot then time. */
export interface TimelineListRow {
  key: string
  lot: string
  kind: 'visit' | MarkerKind
  station: string
  machine: string
  start: string
  end: string
  open: boolean
  title: string
  detail: string
}

/** The visits and markers as a list, lane by lane, each lane by time. */
export function timelineList(model: TimelineModel): TimelineListRow[] {
  const items: { lane: number; time: number; row: TimelineListRow }[] = []
  model.bars.forEach((b, i) =>
    items.push({
      lane: b.lane,
      time: b.start,
      row: { key: `v${i}`, lot: model.lanes[b.lane]!.name, kind: 'visit', station: b.group, machine: b.machine, start: showTime(b.trackIn), end: showTime(b.trackOut), open: b.open, title: b.spec, detail: '' },
    }),
  )
  model.markers.forEach((m, i) =>
    items.push({
      lane: m.lane,
      time: m.time,
      row: { key: `${m.kind}${i}`, lot: model.lanes[m.lane]!.name, kind: m.kind, station: m.workcenter, machine: m.machine, start: showTime(m.at), end: '', open: false, title: m.title, detail: m.detail },
    }),
  )
  return items.sort((a, b) => a.lane - b.lane || a.time - b.time).map((i) => i.row)
}
