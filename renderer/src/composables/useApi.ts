/**
 * The renderer's one handle on the main side. `provideApi` puts the API of this window (or a test
 * double) into the app; `useApi` gets it back; `call` unwraps an answer into its value or throws
 * an {@link ApiError} that keeps the code and details, so a view can say what went wrong.
 */
import { inject, type App, type InjectionKey } from 'vue'
import type { Api, Channel, RequestOf, Responses } from '../../../shared/api'
import type { AppErrorData } from '../../../shared/errors'
import { initialLocale, isLocale, type Locale } from '../i18n'
import { errorText } from '../i18n/errors'

export const API_KEY: InjectionKey<Api | null> = Symbol('mes-trace-api')

/** An answer `{ ok: false }` as a thrown error. */
export class ApiError extends Error {
  readonly code: string
  readonly details: Record<string, unknown> | undefined
  constructor(error: AppErrorData) {
    super(error.message)
    this.name = 'ApiError'
    this.code = error.code
    this.details = error.details
  }
  /** The field a bad input names, if any. */
  get field(): string | undefined {
    const field = this.details?.field
    return typeof field === 'string' ? field : undefined
  }
}

export function provideApi(app: App, api: Api | null): void {
  app.provide(API_KEY, api)
}

/** The API of this window, or null when the page runs without a backend (a static preview). */
export function useApi(): Api | null {
  return inject(API_KEY, null)
}

/** Calls a channel and returns its value, or throws an {@link ApiError}. */
export async function call<C extends Channel>(api: Api | null, channel: C, payload: RequestOf<C>): Promise<Responses[C]> {
  if (!api) throw new ApiError({ code: 'internal/unexpected', message: 'This window is not connected to MES Trace.' })
  const result = await api.invoke(channel, payload)
  if (!result.ok) throw new ApiError(result.error)
  return result.value
}

/** An error as a person reads it: what went wrong in their language, and the original text apart. */
export interface ErrorDescription {
  code: string
  /** The code's meaning in the page's language (bad input names its field). */
  message: string
  /** The text main (or the browser) wrote, for a detail line; absent when there is none. */
  detail?: string
}

/** The page's language: the one App.vue puts on the document, else the stored or system choice. */
function pageLocale(): Locale {
  const lang = globalThis.document?.documentElement.lang
  return isLocale(lang) ? lang : initialLocale()
}

/** An error code (and its original text) for an error line, in `locale` (the page's by default). */
export function describeErrorData(error: { code: string; message: string; details?: Record<string, unknown> | undefined }, locale: Locale = pageLocale()): ErrorDescription {
  const message = errorText(error.code, locale, error.details)
  const detail = error.message.trim()
  return detail && detail !== message ? { code: error.code, message, detail } : { code: error.code, message }
}

/** Code, translated message and original text of anything thrown, for an error line. */
export function describeError(error: unknown, locale?: Locale): ErrorDescription {
  if (error instanceof ApiError) return describeErrorData({ code: error.code, message: error.message, details: error.details }, locale)
  if (error instanceof Error) return describeErrorData({ code: 'internal/unexpected', message: error.message }, locale)
  return describeErrorData({ code: 'internal/unexpected', message: String(error) }, locale)
}
