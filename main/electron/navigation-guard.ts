/**
 * What any web contents of the app may do, applied app-wide when each is created (windows, and
 * anything a bug or an exploit might create later): never navigate or be redirected away from the
 * app's own page, never attach a webview, never open a window; a link opens in the user's browser
 * only when it is an allow-listed https page. Electron is used by type only, so this is tested
 * with a fake under plain Node.
 */
import type { Event, HandlerDetails, WebContents, WindowOpenHandlerResponse } from 'electron'
import { isAllowedExternalUrl } from './external-links.js'

/** The part of `WebContents` the guard uses. */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>

/** The navigation events refused outright (a page of the app never changes its document). */
export const REFUSED_NAVIGATIONS = ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview'] as const

/**
 * Guards one web contents. `openExternal` opens a URL in the user's browser; it is called only
 * for allow-listed https links. (The app's routes are hash changes, and a reload is not a
 * navigation event, so refusing every navigation costs the app nothing.)
 */
export function guardContents(contents: GuardedContents, openExternal: (url: string) => void): void {
  const refuse = (event: Event): void => event.preventDefault()
  for (const name of REFUSED_NAVIGATIONS) {
    ;(contents.on as (event: string, listener: (event: Event) => void) => unknown)(name, refuse)
  }
  contents.setWindowOpenHandler(({ url }: HandlerDetails): WindowOpenHandlerResponse => {
    if (isAllowedExternalUrl(url)) openExternal(url)
    return { action: 'deny' }
  })
}
