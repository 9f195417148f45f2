/**
 * The engine's tunables, with the original's names (domain.md §8.3), defaults for a desktop, and
 * their valid ranges. A value comes from, in rising precedence: the default, the settings table,
 * an environment variable of the same name, a command-line flag. A bad value is refused with an
 * `input/invalid` error that names where it came from.
 */
import { invalidInput } from './errors.js'
import { EVENT_MAX_ROWS_PER_DOMAIN, LINEAGE_MAX_DEPTH, LINEAGE_MAX_NODES } from './limits.js'

export interface SettingSpec {
  readonly key: SettingKey
  readonly min: number
  readonly max: number
  readonly defaultValue: number
  readonly unit: string
  readonly description: string
}

export const SETTING_KEYS = [
  'TRACE_WORKER_COUNT',
  'TRACE_ASYNC_CID_THRESHOLD',
  'TRACE_JOB_TTL_SECONDS',
  'TRACE_JOB_TIMEOUT_SECONDS',
  'TRACE_WORKER_MAX_MEMORY_MB',
  'EVENT_FETCHER_MAX_TOTAL_ROWS',
  'LINEAGE_MAX_DEPTH',
  'LINEAGE_MAX_NODES',
  'TRACE_RESULT_MAX_MB',
  'MSD_SUSPECT_FDR_PERCENT',
  'EQUIPMENT_MAX_MACHINES',
  'EQUIPMENT_MAX_DAYS',
  'MSD_PUSHDOWN_MIN_CIDS',
] as const
export type SettingKey = (typeof SETTING_KEYS)[number]

/** All settings as numbers. */
export type EngineSettings = Record<SettingKey, number>

const DAY_SECONDS = 86_400

export const SETTING_SPECS: Readonly<Record<SettingKey, SettingSpec>> = {
  TRACE_WORKER_COUNT: {
    key: 'TRACE_WORKER_COUNT', min: 1, max: 8, defaultValue: 2, unit: 'workers',
    description: 'traces that run at the same time, each in its own worker process',
  },
  TRACE_ASYNC_CID_THRESHOLD: {
    key: 'TRACE_ASYNC_CID_THRESHOLD', min: 1, max: 10_000_000, defaultValue: 20_000, unit: 'CIDs',
    description: 'a trace expected to touch more CIDs than this is bulk and never takes the last free worker',
  },
  TRACE_JOB_TTL_SECONDS: {
    key: 'TRACE_JOB_TTL_SECONDS', min: 0, max: 3650 * DAY_SECONDS, defaultValue: 7 * DAY_SECONDS, unit: 's',
    description: 'how long a finished result is kept after completion (0 = keep until deleted)',
  },
  TRACE_JOB_TIMEOUT_SECONDS: {
    key: 'TRACE_JOB_TIMEOUT_SECONDS', min: 1, max: DAY_SECONDS, defaultValue: 1800, unit: 's',
    description: 'a running trace is stopped and failed with job/timeout after this long',
  },
  TRACE_WORKER_MAX_MEMORY_MB: {
    key: 'TRACE_WORKER_MAX_MEMORY_MB', min: 128, max: 65_536, defaultValue: 3072, unit: 'MB',
    description: 'heap limit and RSS cap of one worker; above it the trace fails with worker/memory-limit',
  },
  EVENT_FETCHER_MAX_TOTAL_ROWS: {
    key: 'EVENT_FETCHER_MAX_TOTAL_ROWS', min: 1, max: 1_000_000_000, defaultValue: EVENT_MAX_ROWS_PER_DOMAIN, unit: 'rows',
    description: 'rows one event domain may hold; more marks the domain truncated',
  },
  LINEAGE_MAX_DEPTH: {
    key: 'LINEAGE_MAX_DEPTH', min: 1, max: 100, defaultValue: LINEAGE_MAX_DEPTH, unit: 'levels',
    description: 'genealogy levels walked from the seeds',
  },
  LINEAGE_MAX_NODES: {
    key: 'LINEAGE_MAX_NODES', min: 1, max: 50_000_000, defaultValue: LINEAGE_MAX_NODES, unit: 'nodes',
    description: 'genealogy nodes a trace may hold; more marks the lineage truncated',
  },
  TRACE_RESULT_MAX_MB: {
    key: 'TRACE_RESULT_MAX_MB', min: 0, max: 10_000_000, defaultValue: 0, unit: 'MB',
    description: 'largest result file of one trace (0 = only the disk limits it); past it the trace fails with storage/full',
  },
  MSD_SUSPECT_FDR_PERCENT: {
    key: 'MSD_SUSPECT_FDR_PERCENT', min: 1, max: 50, defaultValue: 5, unit: '%',
    description: 'false-discovery rate of the suspect list: a ranked suspect whose Benjamini-Hochberg q-value is at most this is significant',
  },
  EQUIPMENT_MAX_MACHINES: {
    key: 'EQUIPMENT_MAX_MACHINES', min: 1, max: 500, defaultValue: 20, unit: 'machines',
    description: 'machines one equipment-tab query may name',
  },
  EQUIPMENT_MAX_DAYS: {
    key: 'EQUIPMENT_MAX_DAYS', min: 1, max: 730, defaultValue: 90, unit: 'days',
    description: 'days one equipment-tab query may span',
  },
  MSD_PUSHDOWN_MIN_CIDS: {
    key: 'MSD_PUSHDOWN_MIN_CIDS', min: 1, max: 100_000_000, defaultValue: 100_000, unit: 'CIDs',
    description: 'with pushdown auto, an MSD trace on a database server expected to touch more CIDs than this has the server summarize its events',
  },
}

/** The command-line flag of a setting: `TRACE_WORKER_COUNT` → `trace-worker-count`. */
export function settingFlagName(key: SettingKey): string {
  return key.toLowerCase().replace(/_/g, '-')
}

/** Picks the setting flags out of parsed command-line flags, keyed by setting name. */
export function settingsFromFlags(flags: Readonly<Record<string, unknown>>): Partial<Record<SettingKey, unknown>> {
  const out: Partial<Record<SettingKey, unknown>> = {}
  for (const key of SETTING_KEYS) {
    const value = flags[settingFlagName(key)]
    if (value !== undefined) out[key] = value
  }
  return out
}

/** The built-in defaults. */
export function defaultSettings(): EngineSettings {
  return Object.fromEntries(SETTING_KEYS.map((k) => [k, SETTING_SPECS[k].defaultValue])) as EngineSettings
}

/** True for a known setting name. */
export function isSettingKey(value: unknown): value is SettingKey {
  return typeof value === 'string' && (SETTING_KEYS as readonly string[]).includes(value)
}

/**
 * Parses one value (a number, or text as typed in an environment variable or a flag) for `key`.
 * `origin` names where it came from in the error (e.g. `environment variable TRACE_WORKER_COUNT`).
 */
export function parseSetting(key: SettingKey, raw: unknown, origin: string = key): number {
  const spec = SETTING_SPECS[key]
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : ''
  if (!/^\d+$/.test(text)) {
    throw invalidInput(origin, `must be a whole number of ${spec.unit} from ${spec.min} to ${spec.max}, got ${JSON.stringify(raw)}`)
  }
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
    throw invalidInput(origin, `must be from ${spec.min} to ${spec.max} ${spec.unit}, got ${text}`)
  }
  return value
}

export interface SettingLayers {
  /**
   * The machine policy's values: an unlocked one replaces the default, a locked one is final
   * (stored values, the environment and flags are ignored for it).
   */
  policy?: Partial<Record<SettingKey, { value: number; locked: boolean }>>
  /** Values stored in the settings table. */
  stored?: Partial<Record<string, unknown>>
  /** Environment variables (only keys named like a setting are read). */
  env?: Partial<Record<string, string | undefined>>
  /** Command-line flags, keyed by setting name. */
  flags?: Partial<Record<string, unknown>>
}

/**
 * Merges the layers over the defaults (locked policy > flags > env > stored > policy > default),
 * validating every value used.
 */
export function resolveSettings(layers: SettingLayers = {}): EngineSettings {
  const out = defaultSettings()
  for (const key of SETTING_KEYS) {
    const managed = layers.policy?.[key]
    if (managed) {
      out[key] = managed.value
      if (managed.locked) continue
    }
    const flag = layers.flags?.[key]
    const env = layers.env?.[key]
    const stored = layers.stored?.[key]
    if (flag !== undefined) out[key] = parseSetting(key, flag, `--${settingFlagName(key)}`)
    else if (env !== undefined && env !== '') out[key] = parseSetting(key, env, `environment variable ${key}`)
    else if (stored !== undefined && stored !== null) out[key] = parseSetting(key, stored, `setting ${key}`)
  }
  return out
}
