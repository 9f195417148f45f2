/**
 * The equipment tab's state (original-ui.md §1): the source, the machine picker's list, the
 * conditions (machines, dates), the active sub-view and the answers, kept per sub-view and per
 * conditions so that switching back to a sub-view never asks again.
 *
 * Choices against the original's quirks: the default range is the last 30 days of the source's
 * data (not today's UTC date); the conditions are checked before anything is sent, each problem
 * naming its field; a sub-view is queried when it is shown and its answer for the conditions is
 * not held yet (the original re-queried on every tab click, and kept nothing); an error shows once,
 * in the sub-view it belongs to.
 *
 * The URL holds the conditions last queried (`source`, `machine` repeated, `start`, `end`, `view`):
 * opening such a URL (a reload, Back) shows the same answer. Edits not yet queried stay in the form.
 */
import { computed, reactive, shallowReactive, shallowRef, watch } from 'vue'
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import type { Api, ExportAnswer, SourceProfile } from '../../../shared/api'
import {
  EQUIPMENT_VIEWS,
  type EquipmentExport,
  type EquipmentJobs,
  type EquipmentQuery,
  type EquipmentRejects,
  type EquipmentTimeline,
  type EquipmentView,
  type MachineList,
  type ProductionMachine,
} from '../../../shared/equipment'
import { call, describeError, type ErrorDescription } from './useApi'
import type { FetchPage, Row, RowsAnswer } from './useRowsPage'

// ─── pure helpers (tested apart) ──────────────────────────────────────────────────────────────

/** The tab's state as the URL holds it. */
export interface EquipmentUrlState {
  sourceId: string
  machines: string[]
  start: string
  end: string
  view: EquipmentView
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

function firstOf(value: LocationQuery[string] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value
  return typeof v === 'string' ? v : ''
}

export function isEquipmentView(value: unknown): value is EquipmentView {
  return typeof value === 'string' && (EQUIPMENT_VIEWS as readonly string[]).includes(value)
}

/** The state a URL's query names; what it lacks (or holds wrongly) is empty, the view `lots`. */
export function stateFromQuery(query: LocationQuery): EquipmentUrlState {
  const raw = query.machine
  const list = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]).filter((v): v is string => typeof v === 'string' && v.trim() !== '')
  const start = firstOf(query.start)
  const end = firstOf(query.end)
  const view = firstOf(query.view)
  return {
    sourceId: firstOf(query.source),
    machines: [...new Set(list)],
    start: DATE.test(start) ? start : '',
    end: DATE.test(end) ? end : '',
    view: isEquipmentView(view) ? view : 'lots',
  }
}

/** The URL query of a state (machines repeated, in the order picked; empty fields left out). */
export function queryOfState(state: EquipmentUrlState): LocationQueryRaw {
  return {
    ...(state.sourceId ? { source: state.sourceId } : {}),
    ...(state.machines.length ? { machine: [...state.machines] } : {}),
    ...(state.start ? { start: state.start } : {}),
    ...(state.end ? { end: state.end } : {}),
    view: state.view,
  }
}

/** Whether two states name the same conditions and view. */
export function sameState(a: EquipmentUrlState, b: EquipmentUrlState): boolean {
  return a.sourceId === b.sourceId && a.start === b.start && a.end === b.end && a.view === b.view && a.machines.join('\n') === b.machines.join('\n')
}

/** Days a range covers, both ends included; null when a date is missing or not a date. */
export function daysInRange(start: string, end: string): number | null {
  if (!DATE.test(start) || !DATE.test(end)) return null
  const a = Date.UTC(Number(start.slice(0, 4)), Number(start.slice(5, 7)) - 1, Number(start.slice(8, 10)))
  const b = Date.UTC(Number(end.slice(0, 4)), Number(end.slice(5, 7)) - 1, Number(end.slice(8, 10)))
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null
  return Math.round((b - a) / 86_400_000) + 1
}

export type EquipmentField = 'source' | 'machines' | 'start' | 'end'

/** One problem of the conditions: the field it belongs to and its message (`equipment.invalid.*`). */
export interface EquipmentProblem {
  field: EquipmentField
  key: string
  values: Record<string, number>
}

/**
 * What is wrong with the conditions before they are sent: no source, no machine, too many, a date
 * missing, end before start, a span over the limit. A span counts both ends (the default 30 days
 * is 30), so a range the page lets through is never refused by the service.
 */
export function validateConditions(c: { sourceId: string; machines: readonly string[]; start: string; end: string }, limits: { max_machines: number; max_days: number }): EquipmentProblem[] {
  const out: EquipmentProblem[] = []
  if (!c.sourceId) out.push({ field: 'source', key: 'equipment.invalid.source', values: {} })
  if (c.machines.length === 0) out.push({ field: 'machines', key: 'equipment.invalid.machines', values: {} })
  else if (c.machines.length > limits.max_machines) out.push({ field: 'machines', key: 'equipment.invalid.tooMany', values: { n: c.machines.length, max: limits.max_machines } })
  if (!DATE.test(c.start)) out.push({ field: 'start', key: 'equipment.invalid.start', values: {} })
  if (!DATE.test(c.end)) out.push({ field: 'end', key: 'equipment.invalid.end', values: {} })
  const days = daysInRange(c.start, c.end)
  if (days !== null && days < 1) out.push({ field: 'end', key: 'equipment.invalid.order', values: {} })
  else if (days !== null && days > limits.max_days) out.push({ field: 'end', key: 'equipment.invalid.span', values: { days, max: limits.max_days } })
  return out
}

/** The key an answer is held under: the sub-view and its conditions. */
export function answerKey(view: EquipmentView | EquipmentExport, q: EquipmentQuery): string {
  return JSON.stringify([view, q.id, q.equipment_ids, q.start_date, q.end_date])
}

export type StatusTone = 'success' | 'warning' | 'danger' | 'neutral'

/** The tone of a repair job's status badge, by case-insensitive substring (original-ui.md §3.2). */
export function jobStatusTone(status: unknown): StatusTone {
  const s = typeof status === 'string' ? status.toLowerCase() : ''
  if (!s) return 'neutral'
  if (['cancel', 'abort', 'fail', 'error'].some((w) => s.includes(w))) return 'danger'
  if (['complete', 'done', 'closed', 'finish'].some((w) => s.includes(w))) return 'success'
  if (['open', 'pending', 'queue', 'wait', 'hold', 'in progress'].some((w) => s.includes(w))) return 'warning'
  return 'neutral'
}

/** Whether a machine matches a search (its name, id, workcenter, station or family). */
export function machineMatches(m: ProductionMachine, search: string): boolean {
  const q = search.trim().toLowerCase()
  if (!q) return true
  return [m.name, m.resource_id, m.workcenter, m.station, m.family].some((v) => typeof v === 'string' && v.toLowerCase().includes(q))
}

/** A station's machines in the picker. */
export interface MachineGroup {
  /** The station; null for machines whose workcenter matches none. */
  station: string | null
  machines: ProductionMachine[]
}

/** The machines a search shows, grouped by station in the list's order (the list is sorted by station). */
export function groupMachines(machines: readonly ProductionMachine[], search = ''): MachineGroup[] {
  const groups: MachineGroup[] = []
  const byStation = new Map<string | null, MachineGroup>()
  for (const m of machines) {
    if (!machineMatches(m, search)) continue
    let g = byStation.get(m.station)
    if (!g) {
      g = { station: m.station, machines: [] }
      byStation.set(m.station, g)
      groups.push(g)
    }
    g.machines.push(m)
  }
  return groups
}

/**
 * "Select all" of what a search shows: the chosen ones kept, the shown ones added in list order
 * until `max` is reached; `capped` says some shown ones were left out.
 */
export function selectShown(chosen: readonly string[], shown: readonly string[], max: number): { values: string[]; capped: boolean } {
  const values = [...chosen]
  const have = new Set(values)
  let capped = false
  for (const id of shown) {
    if (have.has(id)) continue
    if (values.length >= max) {
      capped = true
      break
    }
    values.push(id)
    have.add(id)
  }
  return { values, capped }
}

// ─── the composable ───────────────────────────────────────────────────────────────────────────

/** The lots sub-view's answer: the total and the pages, read on demand and kept. */
export interface LotsAnswer {
  total: number
  fetchPage: FetchPage
}

export interface ViewAnswers {
  lots: LotsAnswer
  jobs: EquipmentJobs
  rejects: EquipmentRejects
  timeline: EquipmentTimeline
}

export type Held<T> = { state: 'loading' } | { state: 'done'; value: T } | { state: 'error'; error: ErrorDescription }

/** Rows a lots page asks for (the table's page size). */
export const LOTS_PAGE = 200
/** Answers kept at most (oldest dropped first). */
const MAX_HELD = 40

/** A lots fetcher over `equipment:lots` that keeps every page it read for these conditions. */
export function lotsFetcher(api: Api | null, q: EquipmentQuery, onTotal: (total: number) => void = () => {}): FetchPage {
  const pages = new Map<string, Promise<RowsAnswer>>()
  return (query) => {
    const key = `${query.offset}:${query.limit}`
    let page = pages.get(key)
    if (!page) {
      page = call(api, 'equipment:lots', { ...q, offset: query.offset, limit: query.limit }).then((p) => {
        onTotal(p.total)
        return { rows: p.rows as Row[], total: p.total }
      })
      // A failed page is asked again the next time.
      page.catch(() => pages.delete(key))
      pages.set(key, page)
    }
    return page
  }
}

export function useEquipment(api: Api | null) {
  const sources = shallowRef<SourceProfile[]>([])
  const sourcesError = shallowRef<ErrorDescription | null>(null)
  const sourceId = shallowRef('')
  const machineList = shallowRef<MachineList | null>(null)
  const machinesLoading = shallowRef(false)
  const machinesError = shallowRef<ErrorDescription | null>(null)
  const form = reactive({ machines: [] as string[], start: '', end: '' })
  const view = shallowRef<EquipmentView>('lots')
  /** The conditions last queried (what the URL holds and the sub-views show). */
  const applied = shallowRef<EquipmentQuery | null>(null)
  const problems = shallowRef<EquipmentProblem[]>([])
  const answers = shallowReactive(new Map<string, Held<unknown>>())

  const limits = computed(() => machineList.value?.limits ?? { max_machines: 20, max_days: 90 })
  const check = () => validateConditions({ sourceId: sourceId.value, machines: form.machines, start: form.start, end: form.end }, limits.value)
  // Once problems are shown they follow the form: one fixed disappears at once.
  watch([sourceId, () => [...form.machines], () => form.start, () => form.end, limits], () => {
    if (problems.value.length > 0) problems.value = check()
  })
  const machineById = computed(() => new Map((machineList.value?.machines ?? []).map((m) => [m.resource_id, m])))

  async function loadSources(): Promise<void> {
    try {
      sources.value = await call(api, 'sources:list', {})
      sourcesError.value = null
    } catch (e) {
      sourcesError.value = describeError(e)
    }
  }

  let machinesGeneration = 0
  /** Reads the source's machine list; `keepDates` keeps dates already set (from the URL). */
  async function loadMachines(keepDates: boolean): Promise<void> {
    const mine = ++machinesGeneration
    machineList.value = null
    machinesError.value = null
    if (!sourceId.value) return
    machinesLoading.value = true
    try {
      const list = await call(api, 'equipment:machines', { id: sourceId.value })
      if (mine !== machinesGeneration) return
      machineList.value = list
      if (list.default_range && (!keepDates || !form.start || !form.end)) {
        form.start = list.default_range.start
        form.end = list.default_range.end
      }
    } catch (e) {
      if (mine === machinesGeneration) machinesError.value = describeError(e)
    } finally {
      if (mine === machinesGeneration) machinesLoading.value = false
    }
  }

  /** The default range of the source's data (the "last 30 days of data" button). */
  function resetRange(): void {
    const range = machineList.value?.default_range
    if (!range) return
    form.start = range.start
    form.end = range.end
  }

  function current(): EquipmentQuery {
    return { id: sourceId.value, equipment_ids: [...form.machines], start_date: form.start, end_date: form.end }
  }

  function held<V extends EquipmentView>(v: V, q: EquipmentQuery | null = applied.value): Held<ViewAnswers[V]> | null {
    if (!q) return null
    return (answers.get(answerKey(v, q)) as Held<ViewAnswers[V]> | undefined) ?? null
  }

  function keep(key: string, value: Held<unknown>): void {
    answers.delete(key)
    answers.set(key, value)
    while (answers.size > MAX_HELD) answers.delete(answers.keys().next().value!)
  }

  async function read(v: EquipmentView, q: EquipmentQuery): Promise<unknown> {
    switch (v) {
      case 'lots': {
        const fetchPage = lotsFetcher(api, q)
        const first = await fetchPage({ offset: 0, limit: LOTS_PAGE })
        return { total: first.total, fetchPage } satisfies LotsAnswer
      }
      case 'jobs':
        return call(api, 'equipment:jobs', q)
      case 'rejects':
        return call(api, 'equipment:rejects', q)
      case 'timeline':
        return call(api, 'equipment:timeline', q)
    }
  }

  /** Asks for a sub-view's answer under the applied conditions unless it is held (or on its way). */
  async function ensure(v: EquipmentView, force = false): Promise<void> {
    const q = applied.value
    if (!q) return
    const key = answerKey(v, q)
    const have = answers.get(key)
    if (have && !force && have.state !== 'error') return
    keep(key, { state: 'loading' })
    try {
      keep(key, { state: 'done', value: await read(v, q) })
    } catch (e) {
      keep(key, { state: 'error', error: describeError(e) })
    }
  }

  /**
   * 查詢: checks the form, makes it the applied conditions and asks for the active sub-view (again,
   * when the same conditions are queried twice: the person asked for fresh data). False when the
   * form has problems (they are in `problems`).
   */
  function query(): boolean {
    problems.value = check()
    if (problems.value.length > 0) return false
    const q = current()
    const same = applied.value !== null && answerKey(view.value, applied.value) === answerKey(view.value, q)
    if (!same) for (const v of EQUIPMENT_VIEWS) answers.delete(answerKey(v, q))
    applied.value = q
    void ensure(view.value, true)
    return true
  }

  /** Takes a URL's state: the source, the form and — when complete and valid — the applied conditions. */
  function restore(state: EquipmentUrlState): boolean {
    form.machines = [...state.machines]
    if (state.start) form.start = state.start
    if (state.end) form.end = state.end
    view.value = state.view
    const ok = state.machines.length > 0 && validateConditions(state, limits.value).length === 0
    applied.value = ok ? { id: state.sourceId, equipment_ids: [...state.machines], start_date: state.start, end_date: state.end } : null
    problems.value = []
    if (ok) void ensure(state.view)
    return ok
  }

  /** The state to put in the URL: the applied conditions (else the form) and the view. */
  function urlState(): EquipmentUrlState {
    const q = applied.value
    return q
      ? { sourceId: q.id, machines: [...q.equipment_ids], start: q.start_date, end: q.end_date, view: view.value }
      : { sourceId: sourceId.value, machines: [], start: '', end: '', view: view.value }
  }

  /** Whether the form differs from the applied conditions (the shown answers are of the latter). */
  const stale = computed(() => {
    const q = applied.value
    if (!q) return false
    return q.id !== sourceId.value || q.start_date !== form.start || q.end_date !== form.end || q.equipment_ids.join('\n') !== form.machines.join('\n')
  })

  /** Exports a sub-view's table under the applied conditions (an {@link ExportAnswer}, like `jobs:export`). */
  async function exportTable(table: EquipmentExport, format: 'csv' | 'xlsx'): Promise<ExportAnswer> {
    const q = applied.value
    if (!q) throw new Error('nothing queried yet')
    return call(api, 'equipment:export', { ...q, table, format })
  }

  return {
    sources,
    sourcesError,
    sourceId,
    machineList,
    machinesLoading,
    machinesError,
    machineById,
    limits,
    form,
    view,
    applied,
    problems,
    stale,
    loadSources,
    loadMachines,
    resetRange,
    held,
    ensure,
    query,
    restore,
    urlState,
    exportTable,
  }
}
