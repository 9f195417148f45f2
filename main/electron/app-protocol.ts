/**
 * The app's own scheme, `app://mes-trace/…`, instead of `file://`: pages get a real origin (so the
 * CSP's 'self' means the app and nothing on disk), and only files inside the built renderer
 * folder can be reached through it. Resolving a request is pure, so it is tested without Electron.
 */
import { existsSync, statSync } from 'node:fs'
import { join, normalize, sep } from 'node:path'
import { PAGE_SECURITY_HEADERS } from '../transport/index.js'

export const APP_SCHEME = 'app'
export const APP_HOST = 'mes-trace'

/** The privileges the scheme is registered with (before the app is ready). */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: false } as const

/**
 * The file an `app://mes-trace/…` URL names inside `rendererDir`, or null for anything else: other
 * hosts or schemes, paths escaping the folder (also when percent-encoded), folders, missing files.
 */
export function resolveAppRequest(url: string, rendererDir: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null
  let relative: string
  try {
    relative = decodeURIComponent(parsed.pathname)
  } catch {
    return null
  }
  if (relative === '/' || relative === '') relative = '/index.html'
  if (relative.includes('\0')) return null
  const root = normalize(rendererDir)
  const file = normalize(join(root, relative))
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return null
  if (!existsSync(file) || !statSync(file).isFile()) return null
  return file
}

/**
 * The headers every `app://` response carries: the host's page headers (CSP, no sniffing, no
 * referrer, no caching). The CSP travels in the response itself: a `webRequest` hook may not see
 * custom-protocol responses, and a header beats a meta tag, which cannot set `frame-ancestors`.
 */
export const APP_RESPONSE_HEADERS = PAGE_SECURITY_HEADERS

/** `response` with {@link APP_RESPONSE_HEADERS} set (whatever it carried for them before). */
export function withAppHeaders(response: Response): Response {
  const headers = new Headers(response.headers)
  for (const [name, value] of Object.entries(APP_RESPONSE_HEADERS)) headers.set(name, value)
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
}
