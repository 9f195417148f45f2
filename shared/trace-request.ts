/**
 * Validation of a trace request, shared by the CLI, the engine and the renderer (inline form
 * errors). Every rejection is an `input/invalid` error whose `details.field` names the field.
 */
import { invalidInput } from './errors.js'
import {
  MAX_SEED_PATTERNS,
  MAX_SEED_TOKENS,
  MIN_PATTERN_LITERAL_CHARS,
  MSD_MAX_SPAN_DAYS,
} from './limits.js'
import { DEFAULT_DETECTION_STATION, STATION_GROUPS, stationGroupByName } from './stations.js'
import { daysBetween, parseCalendarDate } from './time.js'
import { isPattern, literalLength, literalPrefix, normalizeTokens } from './tokens.js'
import {
  DOMAINS,
  isDomain,
  PROFILES,
  RESOLVE_TYPES,
  type Direction,
  type Domain,
  type Profile,
  type ResolveType,
} from './trace.js'

/**
 * How a request that does not say (`params.pushdown`) is decided: pushed down (`on`), not (`off`),
 * or `auto` — on a database server when the trace is expected to touch more than
 * `MSD_PUSHDOWN_MIN_CIDS` containers (docs/pushdown.md).
 */
export type PushdownMode = 'auto' | 'on' | 'off'

/** The pushdown modes, as `--pushdown` and server source profiles name them. */
export const PUSHDOWN_MODES: readonly PushdownMode[] = ['auto', 'on', 'off']

/** True for one of {@link PUSHDOWN_MODES}. */
export function isPushdownMode(value: unknown): value is PushdownMode {
  return typeof value === 'string' && (PUSHDOWN_MODES as readonly string[]).includes(value)
}

/** A trace request as a caller sends it (before validation). */
export interface TraceRequest {
  profile: Profile
  params: Record<string, unknown>
  /** Event domains to fetch; omitted → the profile's defaults; `[]` → lineage only. */
  domains?: readonly Domain[]
}

/** Seeds typed as container tokens. */
export interface ContainerSeedSpec {
  mode: 'containers'
  resolve_type: ResolveType
  values: string[]
}

/** MSD detection population: every lot tracked in at a station inside a date window. */
export interface DateRangeSeedSpec {
  mode: 'date_range'
  station: string
  start_date: string
  end_date: string
}

/** A validated, normalized trace request. */
export interface NormalizedTraceRequest {
  profile: Profile
  direction: Direction
  seed: ContainerSeedSpec | DateRangeSeedSpec
  /** MSD only: the detection station group. */
  station: string | null
  /** MSD only: selected loss reasons (empty = all). Never changes the seeds. */
  loss_reasons: string[]
  domains: Domain[]
  /**
   * MSD only, present only when true: the analysis reads which machines, material lots and
   * downstream rejects each lot met from the source's own SQL (the database summarizes or filters
   * the events; docs/pushdown.md) instead of from fetched events. Such a request fetches no event
   * domain unless it names some.
   */
  pushdown?: true
}

/** Longest accepted token (a lot ID is ~20 characters; anything far longer is a paste accident). */
export const MAX_TOKEN_LENGTH = 200

/** Domains fetched when a request names none (domain.md §7.1). */
export function defaultDomains(profile: Profile, direction: Direction): Domain[] {
  if (profile === 'mid_section_defect') {
    return direction === 'forward' ? ['upstream_history', 'downstream_rejects'] : ['upstream_history', 'materials']
  }
  return ['history', 'materials', 'rejects', 'holds', 'jobs']
}

/** Lineage direction of a profile (domain.md §1.7). */
export function directionOf(profile: Profile, requested: unknown): Direction {
  if (profile === 'query_tool') return 'forward'
  if (profile === 'query_tool_reverse') return 'backward'
  return requested === 'forward' ? 'forward' : 'backward'
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function validateTokens(field: string, type: ResolveType, raw: unknown): string[] {
  if (!Array.isArray(raw)) throw invalidInput(field, 'must be a list of strings')
  raw.forEach((v, i) => {
    if (typeof v !== 'string') throw invalidInput(`${field}[${i}]`, `must be a string, got ${typeof v}`)
    if (v.length > MAX_TOKEN_LENGTH) {
      throw invalidInput(`${field}[${i}]`, `is ${v.length} characters long; the limit is ${MAX_TOKEN_LENGTH}`)
    }
  })
  const values = normalizeTokens(raw)
  if (values.length === 0) throw invalidInput(field, 'enter at least one value')
  const limit = MAX_SEED_TOKENS[type]
  if (values.length > limit) {
    throw invalidInput(field, `${values.length} values given; at most ${limit} ${type} values per trace`, { limit })
  }
  const patterns = values.filter(isPattern)
  if (patterns.length > MAX_SEED_PATTERNS) {
    throw invalidInput(field, `${patterns.length} wildcard patterns given; at most ${MAX_SEED_PATTERNS} per trace`)
  }
  for (const p of patterns) {
    if (literalLength(p) < MIN_PATTERN_LITERAL_CHARS) {
      throw invalidInput(field, `pattern "${p}" is too broad; give at least ${MIN_PATTERN_LITERAL_CHARS} characters besides wildcards`)
    }
  }
  for (const v of values) {
    const prefix = literalPrefix(v).toUpperCase()
    if (type === 'work_order') {
      if (prefix.startsWith('GD')) {
        throw invalidInput(field, `"${v}" is a GD rework order; trace it with the reverse profile (gd_work_order)`)
      }
      if (!(prefix.startsWith('GA') || prefix.startsWith('GC') || (prefix.length < 2 && isPattern(v)))) {
        throw invalidInput(field, `"${v}" is not a GA/GC work order`)
      }
    }
    if ((type === 'gd_work_order' || type === 'gd_lot_id') && !prefix.startsWith('GD')) {
      throw invalidInput(field, `"${v}" does not start with GD`)
    }
  }
  return values
}

function validateDate(field: string, raw: unknown): string {
  if (typeof raw !== 'string' || !parseCalendarDate(raw)) {
    throw invalidInput(field, 'must be a date in the form YYYY-MM-DD')
  }
  return raw.trim()
}

function validateDomains(raw: unknown, profile: Profile, direction: Direction): Domain[] {
  if (raw === undefined) return defaultDomains(profile, direction)
  if (!Array.isArray(raw)) throw invalidInput('domains', 'must be a list of domain names')
  const out: Domain[] = []
  raw.forEach((d, i) => {
    if (!isDomain(d)) {
      throw invalidInput(`domains[${i}]`, `unknown domain ${JSON.stringify(d)}; expected one of ${DOMAINS.join(', ')}`)
    }
    if (!out.includes(d)) out.push(d)
  })
  return out
}

function validateLossReasons(raw: unknown): string[] {
  if (raw === undefined || raw === null) return []
  const list = typeof raw === 'string' ? raw.split(',') : raw
  if (!Array.isArray(list)) throw invalidInput('params.loss_reasons', 'must be a list of loss reason names')
  list.forEach((v, i) => {
    if (typeof v !== 'string') throw invalidInput(`params.loss_reasons[${i}]`, 'must be a string')
    if (v.length > MAX_TOKEN_LENGTH) throw invalidInput(`params.loss_reasons[${i}]`, 'is too long')
  })
  return normalizeTokens(list)
}

/**
 * Validates and normalizes a trace request. Throws `input/invalid` naming the first bad field.
 */
export function normalizeTraceRequest(raw: unknown): NormalizedTraceRequest {
  if (!isRecord(raw)) throw invalidInput('request', 'must be an object')
  const profile = raw.profile
  if (typeof profile !== 'string' || !(PROFILES as readonly string[]).includes(profile)) {
    throw invalidInput('profile', `unknown profile ${JSON.stringify(profile)}; expected one of ${PROFILES.join(', ')}`)
  }
  const p = profile as Profile
  const params = raw.params
  if (!isRecord(params)) throw invalidInput('params', 'must be an object')
  if (params.direction !== undefined && params.direction !== 'backward' && params.direction !== 'forward') {
    throw invalidInput('params.direction', 'must be backward or forward')
  }
  const direction = directionOf(p, params.direction)
  const domains = validateDomains(raw.domains, p, direction)

  if (p !== 'mid_section_defect') {
    if (params.pushdown !== undefined) throw invalidInput('params.pushdown', 'only the MSD analysis is pushed down to the source')
    const type = params.resolve_type ?? params.input_type
    const allowed: readonly string[] = RESOLVE_TYPES[p]
    if (typeof type !== 'string' || !allowed.includes(type)) {
      throw invalidInput('params.resolve_type', `must be one of ${allowed.join(', ')} for ${p}`)
    }
    const values = validateTokens('params.values', type as ResolveType, params.values)
    return {
      profile: p,
      direction,
      seed: { mode: 'containers', resolve_type: type as ResolveType, values },
      station: null,
      loss_reasons: [],
      domains,
    }
  }

  if (params.pushdown !== undefined && typeof params.pushdown !== 'boolean') throw invalidInput('params.pushdown', 'must be true or false')
  const pushdown = params.pushdown === true
  // Pushed down, the analysis needs no events: only the domains the request names are fetched.
  const msdDomains = pushdown && raw.domains === undefined ? [] : domains
  const extra = pushdown ? { pushdown: true as const } : {}

  const station = params.station ?? DEFAULT_DETECTION_STATION
  if (typeof station !== 'string' || !stationGroupByName(station)) {
    throw invalidInput('params.station', `unknown station ${JSON.stringify(station)}; expected one of ${STATION_GROUPS.map((g) => g.name).join(', ')}`)
  }
  const loss_reasons = validateLossReasons(params.loss_reasons)
  const mode = params.mode ?? 'date_range'
  if (mode === 'container') {
    const type = params.resolve_type ?? params.input_type
    const allowed: readonly string[] = RESOLVE_TYPES.mid_section_defect
    if (typeof type !== 'string' || !allowed.includes(type)) {
      throw invalidInput('params.resolve_type', `must be one of ${allowed.join(', ')} in container mode`)
    }
    const values = validateTokens('params.values', type as ResolveType, params.values)
    return { profile: p, direction, seed: { mode: 'containers', resolve_type: type as ResolveType, values }, station, loss_reasons, domains: msdDomains, ...extra }
  }
  if (mode !== 'date_range') throw invalidInput('params.mode', 'must be date_range or container')

  let start: unknown = params.start_date
  let end: unknown = params.end_date
  if (params.date_range !== undefined) {
    if (!Array.isArray(params.date_range) || params.date_range.length !== 2) {
      throw invalidInput('params.date_range', 'must be [start, end]')
    }
    ;[start, end] = params.date_range
  }
  const start_date = validateDate('params.start_date', start)
  const end_date = validateDate('params.end_date', end)
  const span = daysBetween(start_date, end_date)
  if (span < 0) throw invalidInput('params.start_date', `start ${start_date} is after end ${end_date}`)
  if (span + 1 > MSD_MAX_SPAN_DAYS) {
    throw invalidInput('params.end_date', `the range is ${span + 1} days; at most ${MSD_MAX_SPAN_DAYS} days`)
  }
  return { profile: p, direction, seed: { mode: 'date_range', station, start_date, end_date }, station, loss_reasons, domains: msdDomains, ...extra }
}

/**
 * The request form of a normalized request, so a stored job can be queued again through the same
 * validation; `normalizeTraceRequest(toTraceRequest(r))` gives `r` back.
 */
export function toTraceRequest(request: NormalizedTraceRequest): TraceRequest {
  const { profile, seed, domains } = request
  if (profile !== 'mid_section_defect') {
    if (seed.mode !== 'containers') throw new Error(`${profile} requests have container seeds`)
    return { profile, params: { resolve_type: seed.resolve_type, values: [...seed.values] }, domains: [...domains] }
  }
  const common = { station: request.station, direction: request.direction, loss_reasons: [...request.loss_reasons], ...(request.pushdown ? { pushdown: true } : {}) }
  const params =
    seed.mode === 'containers'
      ? { mode: 'container', resolve_type: seed.resolve_type, values: [...seed.values], ...common }
      : { mode: 'date_range', start_date: seed.start_date, end_date: seed.end_date, ...common }
  return { profile, params, domains: [...domains] }
}
