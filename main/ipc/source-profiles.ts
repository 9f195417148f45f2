/**
 * Data-source profiles the renderer picks from, kept in the catalog's settings table under one
 * key. Only SQLite files so far; kinds with secrets (PostgreSQL, Oracle) will keep them encrypted
 * in main and never hand them to the renderer.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { AppError, invalidInput } from '../../shared/errors.js'
import type { SourceProfile } from '../../shared/api.js'
import { MANAGED_SOURCE_ID, type ManagedSource } from '../../shared/policy.js'
import type { Catalog } from '../store/index.js'

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
  ) {}

  /** The user's profiles, after the managed one (unless the user hid an unlocked managed one). */
  list(): SourceProfile[] {
    const stored = this.catalog.getSetting(SOURCE_PROFILES_KEY)
    const own = Array.isArray(stored) ? (stored as unknown as SourceProfile[]) : []
    const m = this.managed
    if (!m || (!m.locked && this.catalog.getSetting(MANAGED_SOURCE_HIDDEN_KEY) === true)) return own
    return [{ id: MANAGED_SOURCE_ID, name: m.name, kind: m.kind, path: m.path, created_at: 0, managed: true, locked: m.locked }, ...own]
  }

  private own(): SourceProfile[] {
    return this.list().filter((p) => !p.managed)
  }

  get(id: string): SourceProfile {
    const found = this.list().find((p) => p.id === id)
    if (!found) throw invalidInput('sourceId', `no data source with id ${JSON.stringify(id.slice(0, 60))}; see sources:list`)
    return found
  }

  /** Adds a SQLite file as a source; the path must be absolute and a file. */
  add(input: { name: string; kind: 'sqlite'; path: string }, now = Date.now()): SourceProfile {
    if (!isAbsolute(input.path)) throw invalidInput('path', 'must be an absolute path to a SQLite file')
    const path = resolve(input.path)
    if (!existsSync(path) || !statSync(path).isFile()) throw invalidInput('path', `${path} is not a file`)
    const list = this.own()
    if (this.list().some((p) => p.name === input.name)) throw invalidInput('name', `a data source named ${JSON.stringify(input.name)} exists already`)
    if (list.length >= MAX_SOURCE_PROFILES) throw invalidInput('name', `at most ${MAX_SOURCE_PROFILES} data sources`)
    const profile: SourceProfile = { id: `src-${randomBytes(6).toString('hex')}`, name: input.name, kind: 'sqlite', path, created_at: now }
    this.catalog.setSetting(SOURCE_PROFILES_KEY, [...list, profile] as never)
    return profile
  }

  /** Adds or keeps a profile with a fixed id (the demo plant of the browser host). */
  ensure(profile: SourceProfile): SourceProfile {
    const list = this.own()
    const existing = list.find((p) => p.id === profile.id)
    if (existing) return existing
    this.catalog.setSetting(SOURCE_PROFILES_KEY, [...list, profile] as never)
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
    this.catalog.setSetting(SOURCE_PROFILES_KEY, list.filter((p) => p.id !== id) as never)
  }
}
