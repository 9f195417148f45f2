/**
 * Where an investigation stands, so it survives a tab switch, a reload and the browser's Back.
 *
 * A result's place is its route: `tab` (the open tab), `drill` (the MSD drill-down panel that is
 * open), `events` (the drill-down whose events filter an event tab) and `view` (the history tab's
 * table or lot timeline). They are short references
 * ({@link DrillRef}), not filters: a reference is rebuilt into a {@link Drill} against the result,
 * so a URL never carries a filter that could disagree with it. Each step the person takes (a tab,
 * opening or closing a drill-down, clearing its filter) is a history entry; moving between tabs
 * with the arrow keys is not, so Back does not replay every tab passed over.
 *
 * What a route cannot hold is kept per result in this window's session storage: the last place in
 * each result (opening the result again from the jobs list returns there) and the scroll position
 * of each of its tabs.
 */
import { PARETO_OTHER, type SuspectFactor, type SuspectRef } from '../../shared/msd'
import { drillOfBar, drillOfSuspect, type Drill, type DrillChart } from './drill'

/** Charts whose bars drill down, as a list (what a reference may name). */
export const DRILL_CHARTS: readonly DrillChart[] = [
  'by_machine',
  'by_material',
  'by_wafer_root',
  'by_loss_reason',
  'by_detection_machine',
  'by_downstream_station',
  'by_downstream_machine',
  'by_downstream_loss_reason',
]

/** Where a drill-down was opened, so its panel opens next to it: a chart, the suspect list or the forward station table. */
export type DrillAnchor = DrillChart | 'suspects' | 'stations'

/** What a drill-down was opened on: a bar of a chart, or a suspect (from its factor chart or the suspect list). */
export type DrillRef =
  | { from: 'bar'; chart: DrillChart; name: string; at: DrillAnchor }
  | { from: 'suspect'; factor_type: SuspectFactor; name: string; station: string | null; lots: number; at: DrillAnchor }

const FACTORS: readonly SuspectFactor[] = ['machine', 'material', 'wafer_root']
const ANCHORS: readonly string[] = [...DRILL_CHARTS, 'suspects', 'stations']

/** A reference as a query value: a JSON array, exact for any name (`/`, `:`, CJK…). */
export function encodeDrill(ref: DrillRef): string {
  return ref.from === 'bar'
    ? JSON.stringify(['bar', ref.chart, ref.name, ref.at])
    : JSON.stringify(['suspect', ref.factor_type, ref.name, ref.station, ref.lots, ref.at])
}

/** The reference in a query value; null for none or for anything not written by {@link encodeDrill} (an edited URL). */
export function decodeDrill(value: unknown): DrillRef | null {
  if (typeof value !== 'string' || value === '') return null
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    return null
  }
  if (!Array.isArray(parsed)) return null
  const [from, a, name, b, c, d] = parsed as unknown[]
  if (typeof name !== 'string' || name === '') return null
  if (from === 'bar' && parsed.length === 4) {
    if (!(DRILL_CHARTS as readonly unknown[]).includes(a) || !ANCHORS.includes(b as string)) return null
    if (name === PARETO_OTHER) return null
    return { from: 'bar', chart: a as DrillChart, name, at: b as DrillAnchor }
  }
  if (from === 'suspect' && parsed.length === 6) {
    if (!(FACTORS as readonly unknown[]).includes(a)) return null
    if (b !== null && typeof b !== 'string') return null
    if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0) return null
    if (!ANCHORS.includes(d as string)) return null
    return { from: 'suspect', factor_type: a as SuspectFactor, name, station: b, lots: c, at: d as DrillAnchor }
  }
  return null
}

/**
 * The drill-down a reference stands for; null for the folded "other" bar. `stationOf` gives a
 * machine's station group (from the attribution records), as a bar names the machine only.
 */
export function drillOfRef(ref: DrillRef, stationOf: (machine: string) => string | undefined = () => undefined): Drill | null {
  if (ref.from === 'bar') return drillOfBar(ref.chart, ref.name, stationOf)
  return drillOfSuspect({ factor_type: ref.factor_type, name: ref.name, station: ref.station, lots: ref.lots })
}

/** The suspect a reference names, when it names one (its time view opens from the drill panel). */
export function suspectOfRef(ref: DrillRef): SuspectRef | null {
  return ref.from === 'suspect' ? { factor_type: ref.factor_type, name: ref.name, station: ref.station } : null
}

/** A result's place: its open tab and drill-downs (the route query's keys). */
export interface ResultPlace {
  tab?: string
  drill?: string
  events?: string
  view?: string
}

/** Query keys that make up a result's place. */
export const PLACE_KEYS = ['tab', 'drill', 'events', 'view'] as const

/** What the history tab shows: its table, or the lot timeline of the selection. */
export type HistoryView = 'table' | 'timeline'

/** The history tab's view in a query value: `timeline`, else the table (none, or an edited URL). */
export function decodeHistoryView(value: unknown): HistoryView {
  return value === 'timeline' ? 'timeline' : 'table'
}

/** The place in a route query (other keys, e.g. `cached`, are not part of it). */
export function placeOf(query: Readonly<Record<string, unknown>>): ResultPlace {
  const out: ResultPlace = {}
  for (const key of PLACE_KEYS) {
    const value = query[key]
    if (typeof value === 'string' && value !== '') out[key] = value
  }
  return out
}

/** Storage this module keeps its memory in (session storage in the app; a map in tests). */
export type PlaceStorage = Pick<Storage, 'getItem' | 'setItem'>

const PLACES_KEY = 'mes-trace:places'
const SCROLL_KEY = 'mes-trace:scroll'
/** Results (and tabs) remembered at most; the least recently used go first. */
export const REMEMBERED_MAX = 100

/** A small most-recently-used map in storage; a damaged or full storage is treated as empty. */
function storedMap<T>(storage: PlaceStorage | null, key: string, isValue: (value: unknown) => value is T) {
  const read = (): [string, T][] => {
    try {
      const parsed: unknown = JSON.parse(storage?.getItem(key) ?? '[]')
      return Array.isArray(parsed) ? parsed.filter((e): e is [string, T] => Array.isArray(e) && typeof e[0] === 'string' && isValue(e[1])) : []
    } catch {
      return []
    }
  }
  return {
    get(name: string): T | undefined {
      return read().find(([k]) => k === name)?.[1]
    },
    set(name: string, value: T): void {
      const entries = read().filter(([k]) => k !== name)
      entries.push([name, value])
      try {
        storage?.setItem(key, JSON.stringify(entries.slice(-REMEMBERED_MAX)))
      } catch {
        // A full storage only costs the memory of a place.
      }
    },
  }
}

const isPlace = (value: unknown): value is ResultPlace =>
  typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string')
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0

/** The last place in each result and the scroll position of each of its tabs. */
export interface PlaceMemory {
  /** The last place in a result, if it was seen in this window's session. */
  placeOf(jobId: string): ResultPlace | undefined
  rememberPlace(jobId: string, place: ResultPlace): void
  /** Where a tab of a result was scrolled to (0 when never seen). */
  scrollOf(jobId: string, tab: string): number
  rememberScroll(jobId: string, tab: string, top: number): void
}

export function createPlaceMemory(storage: PlaceStorage | null = globalThis.sessionStorage ?? null): PlaceMemory {
  const places = storedMap(storage, PLACES_KEY, isPlace)
  const scrolls = storedMap(storage, SCROLL_KEY, isNumber)
  return {
    placeOf: (jobId) => places.get(jobId),
    rememberPlace: (jobId, place) => places.set(jobId, place),
    scrollOf: (jobId, tab) => scrolls.get(`${jobId}\n${tab}`) ?? 0,
    rememberScroll: (jobId, tab, top) => scrolls.set(`${jobId}\n${tab}`, Math.max(0, Math.round(top))),
  }
}

/**
 * Whether the app has a page to go back or forward to: vue-router keeps the neighbouring entries
 * in `history.state` (`back`, `forward`), null at either end of what the app itself pushed — so an
 * in-app Back never leaves the app.
 */
export function historyReach(state: unknown): { canBack: boolean; canForward: boolean } {
  const s = (typeof state === 'object' && state !== null ? state : {}) as { back?: unknown; forward?: unknown }
  return { canBack: typeof s.back === 'string', canForward: typeof s.forward === 'string' }
}
