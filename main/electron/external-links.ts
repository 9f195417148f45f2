/**
 * Links the app may open in the user's browser. The renderer never opens windows of its own; a
 * link to anything not listed here is dropped.
 */

/** Hosts whose https pages may be opened externally (documentation of the app). */
export const EXTERNAL_HOSTS: readonly string[] = ['www.electronjs.org']

/** True for an https URL on an allowed host, without credentials. */
export function isAllowedExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && EXTERNAL_HOSTS.includes(parsed.hostname)
  } catch {
    return false
  }
}
