/**
 * Data-source profiles and engine settings as the settings view and the new-trace form use them:
 * list, add, test, remove, give a server its password and its pushdown mode; read and change a setting; what a source
 * holds (its data window, the loss reasons at a station) for the form's defaults and lists.
 */
import { ref, shallowRef } from 'vue'
import type { Api, RequestOf, Responses, SourceProfile } from '../../../shared/api'
import type { SourceDataWindow, StationLossReasons } from '../../../shared/data-window'
import { call, describeError, ApiError, type ErrorDescription } from './useApi'

type ErrorLine = { code: string; message: string; detail?: string; field?: string }

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
    setPushdown: (id: string, pushdown: RequestOf<'sources:set-pushdown'>['pushdown']) => change(() => call(api, 'sources:set-pushdown', { id, pushdown })),
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
  async function set(key: string, raw: string | null): Promise<'not-a-number' | ErrorDescription | null> {
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
      return describeError(e)
    }
  }

  return { settings, dataDir, error, load, set }
}

/**
 * The data window of a source and the loss reasons at its stations, each asked once per page
 * (main caches them too). Every answer is for the source and station it was asked for: a late
 * answer for a source no longer chosen is dropped. A failure is kept as an error to show.
 */
export function useSourceFacts(api: Api | null) {
  const dataWindow = shallowRef<SourceDataWindow | null>(null)
  const windowError = shallowRef<ErrorLine | null>(null)
  const windowLoading = ref(false)
  const reasons = shallowRef<StationLossReasons | null>(null)
  const reasonsError = shallowRef<ErrorLine | null>(null)
  const reasonsLoading = ref(false)
  const windows = new Map<string, Promise<SourceDataWindow>>()
  const reasonLists = new Map<string, Promise<StationLossReasons>>()
  let windowAsk = 0
  let reasonsAsk = 0

  function remembered<T>(cache: Map<string, Promise<T>>, key: string, ask: () => Promise<T>): Promise<T> {
    let answer = cache.get(key)
    if (!answer) {
      answer = ask()
      cache.set(key, answer)
      // A failure is asked again next time.
      answer.catch(() => cache.delete(key))
    }
    return answer
  }

  /** Reads the data window of source `id` (empty `id`: none). */
  async function loadWindow(id: string): Promise<void> {
    const ask = ++windowAsk
    dataWindow.value = null
    windowError.value = null
    if (!id) return
    windowLoading.value = true
    try {
      const value = await remembered(windows, id, () => call(api, 'sources:data-window', { id }))
      if (ask === windowAsk) dataWindow.value = value
    } catch (e) {
      if (ask === windowAsk) windowError.value = describeError(e)
    } finally {
      if (ask === windowAsk) windowLoading.value = false
    }
  }

  /** Reads the loss reasons at `station` of source `id`. */
  async function loadReasons(id: string, station: string): Promise<void> {
    const ask = ++reasonsAsk
    reasons.value = null
    reasonsError.value = null
    if (!id || !station) return
    reasonsLoading.value = true
    try {
      const value = await remembered(reasonLists, `${id}\u0000${station}`, () => call(api, 'sources:loss-reasons', { id, station }))
      if (ask === reasonsAsk) reasons.value = value
    } catch (e) {
      if (ask === reasonsAsk) reasonsError.value = describeError(e)
    } finally {
      if (ask === reasonsAsk) reasonsLoading.value = false
    }
  }

  return { dataWindow, windowError, windowLoading, reasons, reasonsError, reasonsLoading, loadWindow, loadReasons }
}
