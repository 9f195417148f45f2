/**
 * Data-source profiles and engine settings as the settings view and the new-trace form use them:
 * list, add, test, remove, give a server its password; read and change a setting.
 */
import { ref, shallowRef } from 'vue'
import type { Api, RequestOf, Responses, SourceProfile } from '../../../shared/api'
import { call, describeError, ApiError } from './useApi'

type ErrorLine = { code: string; message: string; field?: string }

export function useSources(api: Api | null) {
  const sources = shallowRef<SourceProfile[]>([])
  const error = shallowRef<ErrorLine | null>(null)
  const busy = ref(false)

  async function load(): Promise<void> {
    try {
      sources.value = await call(api, 'sources:list', {})
      error.value = null
    } catch (e) {
      error.value = describeError(e)
    }
  }

  /** Runs one change, then reloads the list; the error (with the field it names) or null. */
  async function change(action: () => Promise<unknown>): Promise<ErrorLine | null> {
    busy.value = true
    try {
      await action()
      await load()
      return null
    } catch (e) {
      return { ...describeError(e), ...(e instanceof ApiError && e.field ? { field: e.field } : {}) }
    } finally {
      busy.value = false
    }
  }

  /** Tests a saved source (`id`) or one not saved yet. */
  async function test(payload: RequestOf<'sources:test'>): Promise<{ ok: true; value: Responses['sources:test'] } | { ok: false; error: ErrorLine }> {
    busy.value = true
    try {
      return { ok: true, value: await call(api, 'sources:test', payload) }
    } catch (e) {
      return { ok: false, error: describeError(e) }
    } finally {
      busy.value = false
    }
  }

  return {
    sources,
    error,
    busy,
    load,
    test,
    add: (input: RequestOf<'sources:add'>) => change(() => call(api, 'sources:add', input)),
    remove: (id: string) => change(() => call(api, 'sources:remove', { id })),
    setPassword: (id: string, password: string) => change(() => call(api, 'sources:set-password', { id, password })),
  }
}

export function useSettings(api: Api | null) {
  const settings = shallowRef<Responses['settings:get'] | null>(null)
  const dataDir = ref('')
  const error = shallowRef<ErrorLine | null>(null)

  async function load(): Promise<void> {
    try {
      const [values, dir] = await Promise.all([call(api, 'settings:get', {}), call(api, 'app:data-dir', {})])
      settings.value = values
      dataDir.value = dir.path
    } catch (e) {
      error.value = describeError(e)
    }
  }

  /**
   * Saves a value typed in a number box, or (`null`) goes back to the default. An empty or
   * non-finite entry is refused here: `'not-a-number'`, which the view words; else the error.
   */
  async function set(key: string, raw: string | null): Promise<string | null> {
    let value: number | null = null
    if (raw !== null) {
      value = Number(raw.trim())
      if (raw.trim() === '' || !Number.isFinite(value)) return 'not-a-number'
    }
    try {
      await call(api, 'settings:set', { key, value })
      settings.value = await call(api, 'settings:get', {})
      return null
    } catch (e) {
      return describeError(e).message
    }
  }

  return { settings, dataDir, error, load, set }
}
