/**
 * The new-trace form's state and rules: which profile, which input, which station and days, which
 * domains; the request it makes; and inline errors from the same validation the engine runs
 * (`normalizeTraceRequest`), mapped onto the form's fields. Pasted text is kept as one string and
 * split only when asked, so 100 000 IDs never make a reactive array. The MSD dates default to the
 * last week of the chosen station's data once the source's data window is known (a replica that
 * stopped a month ago must not get an empty week by default), until the person picks dates.
 */
import { computed, reactive, shallowRef, watch } from 'vue'
import type { Api } from '../../../shared/api'
import { defaultRangeIn, rangeAgainstWindow, type SourceDataWindow, type TimeWindow } from '../../../shared/data-window'
import { isAppError } from '../../../shared/errors'
import type { JobView } from '../../../shared/jobs'
import { defaultDomains, normalizeTraceRequest, type TraceRequest } from '../../../shared/trace-request'
import { DEFAULT_DETECTION_STATION } from '../../../shared/stations'
import { splitTokens } from '../../../shared/tokens'
import { RESOLVE_TYPES, type Direction, type Domain, type Profile, type ResolveType } from '../../../shared/trace'
import { call } from './useApi'

/** What the engineer picks first: the four ways to trace. */
export const FORM_PROFILES = ['lot', 'serial', 'msd_backward', 'msd_forward'] as const
export type FormProfile = (typeof FORM_PROFILES)[number]

/** Form fields an error can point at. */
export type FormField = 'profile' | 'resolveType' | 'values' | 'station' | 'startDate' | 'endDate' | 'lossReasons' | 'domains' | 'source'

export function profileOf(form: FormProfile): { profile: Profile; direction: Direction } {
  switch (form) {
    case 'lot':
      return { profile: 'query_tool', direction: 'forward' }
    case 'serial':
      return { profile: 'query_tool_reverse', direction: 'backward' }
    case 'msd_backward':
      return { profile: 'mid_section_defect', direction: 'backward' }
    case 'msd_forward':
      return { profile: 'mid_section_defect', direction: 'forward' }
  }
}

/** The form field behind a request field named by `input/invalid`. */
export function formFieldOf(field: string): FormField {
  if (field.startsWith('params.values')) return 'values'
  if (field.startsWith('params.resolve_type')) return 'resolveType'
  if (field.startsWith('params.station')) return 'station'
  if (field.startsWith('params.start_date') || field.startsWith('params.date_range')) return 'startDate'
  if (field.startsWith('params.end_date')) return 'endDate'
  if (field.startsWith('params.loss_reasons')) return 'lossReasons'
  if (field.startsWith('domains')) return 'domains'
  if (field === 'source_id') return 'source'
  return 'profile'
}

export interface TraceFormState {
  profile: FormProfile
  /** MSD: a date range at the station, or containers typed in. */
  msdMode: 'date_range' | 'container'
  resolveType: ResolveType
  station: string
  startDate: string
  endDate: string
  /** Comma-separated loss reasons (empty: all). */
  lossReasons: string
  domains: Domain[]
  sourceId: string
}

export interface TraceFormOptions {
  /** Today, `YYYY-MM-DD` (the default range is the week before it). */
  today: string
  yesterday: string
  weekBefore: string
}

export function useTraceForm(options: TraceFormOptions) {
  const state = reactive<TraceFormState>({
    profile: 'lot',
    msdMode: 'date_range',
    resolveType: 'lot_id',
    station: DEFAULT_DETECTION_STATION,
    startDate: options.weekBefore,
    endDate: options.yesterday,
    lossReasons: '',
    domains: defaultDomains('query_tool', 'forward'),
    sourceId: '',
  })
  /** The textarea's text, set by the view (debounced), never split reactively per keystroke. */
  const text = shallowRef('')
  const isMsd = computed(() => state.profile === 'msd_backward' || state.profile === 'msd_forward')
  const needsValues = computed(() => !isMsd.value || state.msdMode === 'container')
  const resolveTypes = computed<readonly ResolveType[]>(() => RESOLVE_TYPES[profileOf(state.profile).profile])
  const tokenCount = computed(() => (needsValues.value ? splitTokens(text.value).length : 0))
  /** The chosen source's data window (null until known, or for a source that could not tell). */
  const dataWindow = shallowRef<SourceDataWindow | null>(null)
  /** True once the person set a date: from then on the window never moves the dates. */
  const datesEdited = shallowRef(false)
  /** The detection station's track-in window in the source; null until the window is known. */
  const stationWindow = computed<TimeWindow | null>(() => (dataWindow.value ? (dataWindow.value.stations[state.station] ?? { first: null, last: null }) : null))
  /** Whether the chosen range meets the station's data (`outside`: it cannot find a lot). */
  const rangeStatus = computed(() => rangeAgainstWindow(state.startDate, state.endDate, stationWindow.value))

  // The default range follows the station's data until the person picks dates.
  watch(stationWindow, (window) => {
    if (datesEdited.value) return
    const range = defaultRangeIn(window)
    if (!range) return
    state.startDate = range.start
    state.endDate = range.end
  })

  /** Puts the range on the last week of the station's data (the person asked for it). */
  function applyDataWindowRange(): boolean {
    const range = defaultRangeIn(stationWindow.value)
    if (!range) return false
    state.startDate = range.start
    state.endDate = range.end
    return true
  }

  // A new profile brings its own input types and default domains.
  watch(
    () => state.profile,
    (form) => {
      const { profile, direction } = profileOf(form)
      if (!(RESOLVE_TYPES[profile] as readonly string[]).includes(state.resolveType)) state.resolveType = RESOLVE_TYPES[profile][0]
      state.domains = defaultDomains(profile, direction)
    },
  )

  function request(): TraceRequest & { domains: Domain[] } {
    const { profile, direction } = profileOf(state.profile)
    const params: Record<string, unknown> = {}
    if (profile === 'mid_section_defect') {
      params.direction = direction
      params.station = state.station
      const reasons = state.lossReasons
        .split(/[,;\n]+/)
        .map((r) => r.trim())
        .filter((r) => r !== '')
      if (reasons.length > 0) params.loss_reasons = reasons
      if (state.msdMode === 'container') {
        params.mode = 'container'
        params.resolve_type = state.resolveType
        params.values = splitTokens(text.value)
      } else {
        params.mode = 'date_range'
        params.start_date = state.startDate
        params.end_date = state.endDate
      }
    } else {
      params.resolve_type = state.resolveType
      params.values = splitTokens(text.value)
    }
    return { profile, params, domains: [...state.domains] }
  }

  /** Errors per field; empty when the request would be accepted. */
  function validate(): Partial<Record<FormField, string>> {
    const errors: Partial<Record<FormField, string>> = {}
    if (!state.sourceId) errors.source = 'choose a data source'
    try {
      normalizeTraceRequest(request())
    } catch (error) {
      if (!isAppError(error)) throw error
      const field = typeof error.details?.field === 'string' ? error.details.field : 'profile'
      errors[formFieldOf(field)] = error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message
    }
    return errors
  }

  return {
    state,
    text,
    isMsd,
    needsValues,
    resolveTypes,
    tokenCount,
    dataWindow,
    datesEdited,
    stationWindow,
    rangeStatus,
    applyDataWindowRange,
    request,
    validate,
  }
}

/** Loss reasons seen by the newest finished MSD analysis among `jobs`, as suggestions; none when there is none. */
export async function lossReasonSuggestions(api: Api | null, jobs: readonly JobView[]): Promise<string[]> {
  const msd = jobs.find((j) => j.profile === 'mid_section_defect' && j.status === 'finished')
  if (!msd) return []
  try {
    return (await call(api, 'results:aggregation', { job_id: msd.job_id }))?.available_loss_reasons ?? []
  } catch {
    return []
  }
}
