/**
 * The shapes every message module shares. Apart from index.ts so that an area's module (app.ts,
 * charts.ts, table.ts) can name its type without importing the index that imports it.
 */

/** The workspace's languages, the plant's first; `Locale` is read from this list. */
export const LOCALES = ['zh-TW', 'en'] as const
export type Locale = (typeof LOCALES)[number]

/** A message tree: nested objects of strings. */
export interface MessageTree {
  [key: string]: string | MessageTree
}

/** One area's messages in every language. */
export type AreaMessages = Record<Locale, MessageTree>
