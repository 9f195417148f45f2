/**
 * Data-source profiles the renderer picks from, kept in the catalog's settings table under one
 * key: SQLite files, and PostgreSQL / Oracle servers whose passwords sit in a {@link SecretStore}
 * (encrypted by the OS where it can) and never reach the renderer.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { AppError, invalidInput } from '../../shared/errors.js'
import { isPushdownMode, PUSHDOWN_MODES, type PushdownMode } from '../../shared/trace-request.js'
import type { ServerSourceProfile, SourceProfile } from '../../shared/api.js'
import { MANAGED_SOURCE_ID, type ManagedSource } from '../../shared/policy.js'
import { parseSourceSpec, passwordEnvOf, sourceIdOf, withoutPassword, type SourceSpec } from '../sources/index.js'
import type { Catalog } from '../store/index.js'
import { MemorySecretStore, type SecretStore } from './secret-store.js'

/** A new profile as `sources:add` takes it. */
export type NewSourceProfile =
  | { name: string; kind: 'sqlite'; path: string }
  | { name: string; kind: 'postgres' | 'oracle'; url: string; password?: string; pushdown?: PushdownMode }

/** Settings key of the profile list. */
export const SOURCE_PROFILES_KEY = 'source_profiles'

/** Most profiles kept (a long list is a mistake, not a plant). */
export const MAX_SOURCE_PROFILES = 100

/** Settings key remembering that the user hid an unlocked managed source. */
export const MANAGED_SOURCE_HIDDEN_KEY = 'managed_source_hidden'

export class SourceProfiles {
  constructor(
    private readonly catalog: Catalog,
    /** The data source the machine's policy gives every user. */
    private readonly managed: ManagedSource | null = null,
    /** Where server passwords are kept. @default in memory, for this process only */
    private readonly secrets: SecretStore = new MemorySecretStore(),
  ) {}

  /** The user's profiles, after the managed one (unless the user hid an unlocked managed one). */
  list(): SourceProfile[] {
    const stored = this.catalog.getSetting(SOURCE_PROFILES_KEY)
    // A profile stored before pushdown was a setting reads `auto`, as the engine decides for one that does not say.
    const own = (Array.isArray(stored) ? (stored as unknown as SourceProfile[]) : []).map((p) =>
      p.kind === 'sqlite' ? p : { ...p, password: this.passwordState(p.id), pushdown: isPushdownMode(p.pushdown) ? p.pushdown : 'auto' },
    )
    const m = this.managed
    if (!m || (!m.locked && this.catalog.getSetting(MANAGED_SOURCE_HIDDEN_KEY) === true)) return own
    return [{ id: MANAGED_SOURCE_ID, name: m.name, kind: m.kind, path: m.path, created_at: 0, managed: true, locked: m.locked }, ...own]
  }

  private passwordState(id: string): ServerSourceProfile['password'] {
    if (this.secrets.get(id) === null) return 'none'
    return this.secrets.persistent ? 'saved' : 'session'
  }

  private own(): SourceProfile[] {
    return this.list().filter((p) => !p.managed)
  }

  /** The profile `id` names; `input/invalid` naming `field` (the request's) when there is none. */
  get(id: string, field = 'id'): SourceProfile {
    const found = this.list().find((p) => p.id === id)
    if (!found) throw invalidInput(field, `no data source with id ${JSON.stringify(id.slice(0, 60))}; see sources:list`)
    return found
  }

  /**
   * Adds a source: a SQLite file (an absolute path to a file), or a server by its URL. A password
   * given inside the URL or apart goes to the secret store; the profile keeps the URL without it.
   */
  add(input: NewSourceProfile, now = Date.now()): SourceProfile {
    const list = this.own()
    if (this.list().some((p) => p.name === input.name)) throw invalidInput('name', `a data source named ${JSON.stringify(input.name)} exists already`)
    if (list.length >= MAX_SOURCE_PROFILES) throw invalidInput('name', `at most ${MAX_SOURCE_PROFILES} data sources`)
    const id = `src-${randomBytes(6).toString('hex')}`
    let profile: SourceProfile
    if (input.kind === 'sqlite') {
      if (!isAbsolute(input.path)) throw invalidInput('path', 'must be an absolute path to a SQLite file')
      const path = resolve(input.path)
      if (!existsSync(path) || !statSync(path).isFile()) throw invalidInput('path', `${path} is not a file`)
      profile = { id, name: input.name, kind: 'sqlite', path, created_at: now }
    } else {
      const parsed = parseSourceSpec(input.url, 'url')
      if (parsed.kind !== input.kind) throw invalidInput('url', `is not a ${input.kind}:// URL`)
      const { spec, password } = withoutPassword(parsed)
      const secret = input.password || password
      if (secret) this.secrets.set(id, secret)
      profile = { id, name: input.name, kind: input.kind, url: sourceIdOf(spec), created_at: now, password: 'none', pushdown: input.pushdown ?? 'auto' }
    }
    this.catalog.setSetting(SOURCE_PROFILES_KEY, [...list.map(storedForm), storedForm(profile)] as never)
    return this.get(id)
  }

  /** Keeps a new password for a server profile (an empty one forgets it). */
  setPassword(id: string, password: string): SourceProfile {
    const profile = this.get(id)
    if (profile.kind === 'sqlite') throw invalidInput('id', `${profile.name} is a SQLite file; it has no password`)
    if (password === '') this.secrets.delete(id)
    else this.secrets.set(id, password)
    return this.get(id)
  }

  /** Sets how a server profile's MSD traces are pushed down (docs/pushdown.md). */
  setPushdown(id: string, pushdown: PushdownMode): SourceProfile {
    const profile = this.get(id)
    if (profile.kind === 'sqlite') throw invalidInput('id', `${profile.name} is a SQLite file; pushdown is a database server's`)
    if (!isPushdownMode(pushdown)) throw invalidInput('pushdown', `must be ${PUSHDOWN_MODES.join(', ')}`)
    this.catalog.setSetting(SOURCE_PROFILES_KEY, this.own().map((p) => storedForm(p.id === id && p.kind !== 'sqlite' ? { ...p, pushdown } : p)) as never)
    return this.get(id)
  }

  /**
   * The password environment of the server profile a job's source id names (the URL without the
   * password, as jobs keep it), for a re-run after a restart or a new password; null for others.
   */
  secretEnvOf(sourceId: string): Record<string, string> | null {
    const profile = this.list().find((p) => p.kind !== 'sqlite' && p.url === sourceId)
    if (!profile) return null
    const secret = this.secrets.get(profile.id)
    if (secret === null) return null
    return passwordEnvOf(this.specOf(profile.id).spec, secret)
  }

  /**
   * The spec a job or a test opens: the file, or the server URL with its password put back. An
   * unknown id is `input/invalid` naming `field`, the request's own name for it.
   */
  specOf(id: string, field = 'id'): { spec: SourceSpec; description: string } {
    const profile = this.get(id, field)
    if (profile.kind === 'sqlite') return { spec: { kind: 'sqlite', path: profile.path }, description: `${profile.name} (sqlite:${profile.path})` }
    const url = new URL(profile.url)
    const secret = this.secrets.get(id)
    if (secret !== null) url.password = encodeURIComponent(secret)
    return { spec: parseSourceSpec(url.toString(), field), description: `${profile.name} (${profile.url})` }
  }

  /** Adds or keeps a profile with a fixed id (the demo plant of the browser host). */
  ensure(profile: SourceProfile): SourceProfile {
    const list = this.own()
    const existing = list.find((p) => p.id === profile.id)
    if (existing) return existing
    this.catalog.setSetting(SOURCE_PROFILES_KEY, [...list.map(storedForm), storedForm(profile)] as never)
    return profile
  }

  remove(id: string): void {
    if (id === MANAGED_SOURCE_ID && this.managed) {
      if (this.managed.locked) throw new AppError('policy/locked', 'This data source is set by the machine policy and cannot be removed. Ask IT.', { field: 'id' })
      this.catalog.setSetting(MANAGED_SOURCE_HIDDEN_KEY, true)
      return
    }
    const list = this.own()
    if (!list.some((p) => p.id === id)) throw new AppError('input/invalid', `id: no data source with id ${JSON.stringify(id.slice(0, 60))}`, { field: 'id' })
    this.catalog.setSetting(SOURCE_PROFILES_KEY, list.filter((p) => p.id !== id).map(storedForm) as never)
    this.secrets.delete(id)
  }
}

/** A profile as the catalog keeps it: the password state is derived, never stored. */
function storedForm(profile: SourceProfile): SourceProfile | Omit<ServerSourceProfile, 'password'> {
  if (profile.kind === 'sqlite') return profile
  const { password: _state, ...stored } = profile
  return stored
}
