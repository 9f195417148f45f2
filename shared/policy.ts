/**
 * Managed settings: a machine-wide policy file IT deploys (Group Policy, SCCM, Intune…) that
 * pre-sets, and optionally locks, the engine settings, a data source and the update policy. A
 * locked value wins over everything a user can do — the settings view, an environment variable, a
 * command-line flag — and the services refuse to change it (`policy/locked`).
 */
import { AppError } from './errors.js'
import { isSettingKey, parseSetting, type SettingKey } from './settings.js'

/** One managed value. */
export interface Managed<T> {
  value: T
  /** When true, nobody but IT can change it. */
  locked: boolean
}

/** A data source every user of the machine gets. */
export interface ManagedSource {
  name: string
  kind: 'sqlite'
  /** Absolute path of the SQLite file (a share or a local replica). */
  path: string
  /** When true, users cannot remove it. */
  locked: boolean
}

export interface ManagedPolicy {
  settings: Partial<Record<SettingKey, Managed<number>>>
  source: ManagedSource | null
  /** Whether the app looks for updates by itself. */
  updates: Managed<boolean> | null
}

/** A machine without a policy file. */
export const EMPTY_POLICY: ManagedPolicy = { settings: {}, source: null, updates: null }

/** The id the managed data source has among the source profiles. */
export const MANAGED_SOURCE_ID = 'src-managed'

function invalid(field: string, message: string, origin: string): AppError {
  return new AppError('policy/invalid', `${origin}: ${field} ${message}`, { field, origin })
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function lockedOf(raw: Record<string, unknown>, field: string, origin: string): boolean {
  if (raw.locked === undefined) return false
  if (typeof raw.locked !== 'boolean') throw invalid(`${field}.locked`, 'must be true or false', origin)
  return raw.locked
}

/**
 * Validates a parsed policy file. Every error is `policy/invalid` naming the field and the file
 * (`origin`), so IT sees exactly what to correct. Unknown keys are refused: a typo must not
 * silently leave a value unmanaged.
 */
export function parsePolicy(raw: unknown, origin = 'policy'): ManagedPolicy {
  if (!isRecord(raw)) throw invalid('(file)', 'must be a JSON object', origin)
  for (const key of Object.keys(raw)) {
    if (!['settings', 'source', 'updates'].includes(key)) throw invalid(key, 'is not a policy entry (settings, source, updates)', origin)
  }
  const settings: ManagedPolicy['settings'] = {}
  if (raw.settings !== undefined) {
    if (!isRecord(raw.settings)) throw invalid('settings', 'must be an object of setting names', origin)
    for (const [key, entry] of Object.entries(raw.settings)) {
      const field = `settings.${key}`
      if (!isSettingKey(key)) throw invalid(field, 'is not a setting name', origin)
      if (!isRecord(entry)) throw invalid(field, 'must be { "value": …, "locked": true|false }', origin)
      let value: number
      try {
        value = parseSetting(key, entry.value, `${field}.value`)
      } catch (error) {
        throw invalid(`${field}.value`, (error as Error).message.replace(`${field}.value: `, ''), origin)
      }
      settings[key] = { value, locked: lockedOf(entry, field, origin) }
    }
  }
  let source: ManagedSource | null = null
  if (raw.source !== undefined && raw.source !== null) {
    const s = raw.source
    if (!isRecord(s)) throw invalid('source', 'must be { "name", "kind": "sqlite", "path", "locked" }', origin)
    if (typeof s.name !== 'string' || s.name.trim() === '' || s.name.length > 100) throw invalid('source.name', 'must be a name of 1 to 100 characters', origin)
    if (s.kind !== 'sqlite') throw invalid('source.kind', 'must be "sqlite" (other kinds come with secret storage)', origin)
    if (typeof s.path !== 'string' || !(s.path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s.path) || s.path.startsWith('\\\\'))) {
      throw invalid('source.path', 'must be an absolute path', origin)
    }
    source = { name: s.name.trim(), kind: 'sqlite', path: s.path, locked: lockedOf(s, 'source', origin) }
  }
  let updates: ManagedPolicy['updates'] = null
  if (raw.updates !== undefined && raw.updates !== null) {
    if (!isRecord(raw.updates) || typeof raw.updates.enabled !== 'boolean') throw invalid('updates', 'must be { "enabled": true|false, "locked": true|false }', origin)
    updates = { value: raw.updates.enabled, locked: lockedOf(raw.updates, 'updates', origin) }
  }
  return { settings, source, updates }
}

/** The locked setting keys of a policy. */
export function lockedSettings(policy: ManagedPolicy): SettingKey[] {
  return (Object.entries(policy.settings) as [SettingKey, Managed<number>][]).filter(([, m]) => m.locked).map(([k]) => k)
}
