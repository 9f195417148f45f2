/**
 * Languages of the workspace: Traditional Chinese (the plant's) and English. Messages live in one
 * module per area of the app, each with both languages; a test fails when a key is missing from
 * either. The choice is kept in this window's storage and follows the system language at first.
 */
import { createI18n } from 'vue-i18n'
import { app } from './app'
import { charts } from './charts'
import { diff } from './diff'
import { equipment } from './equipment'
import { jobs } from './jobs'
import { table } from './table'
import { LOCALES, type AreaMessages, type Locale, type MessageTree } from './types'

export { LOCALES, type AreaMessages, type Locale, type MessageTree }

/** Every area, merged per language. */
export const AREAS: Record<string, AreaMessages> = { app, charts, table, diff, equipment, jobs }

export function messagesOf(locale: Locale): MessageTree {
  const out: MessageTree = {}
  for (const [name, area] of Object.entries(AREAS)) out[name] = area[locale]
  return out
}

const STORAGE_KEY = 'mes-trace:locale'

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** The stored choice, else the system language (Chinese → zh-TW), else zh-TW. */
export function initialLocale(storage: Pick<Storage, 'getItem'> | null = globalThis.localStorage ?? null, languages: readonly string[] = globalThis.navigator?.languages ?? []): Locale {
  const stored = storage?.getItem(STORAGE_KEY)
  if (isLocale(stored)) return stored
  const first = languages[0]?.toLowerCase()
  if (first?.startsWith('en')) return 'en'
  return 'zh-TW'
}

export function rememberLocale(locale: Locale, storage: Pick<Storage, 'setItem'> | null = globalThis.localStorage ?? null): void {
  storage?.setItem(STORAGE_KEY, locale)
}

export function createAppI18n(locale: Locale = initialLocale()) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    // A missing key is a defect the key test catches; at run time the key itself shows.
    missingWarn: false,
    fallbackWarn: false,
    messages: { 'zh-TW': messagesOf('zh-TW'), en: messagesOf('en') },
    datetimeFormats: {
      'zh-TW': { short: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false } },
      en: { short: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false } },
    },
    numberFormats: {
      'zh-TW': { integer: { maximumFractionDigits: 0 }, pct: { maximumFractionDigits: 2 } },
      en: { integer: { maximumFractionDigits: 0 }, pct: { maximumFractionDigits: 2 } },
    },
  })
}
