/** The browser host: the renderer and the service contract over HTTP + WebSocket on 127.0.0.1. */
export {
  startBrowserHost,
  downloadNameOf,
  HOST_CSP,
  PAGE_SECURITY_HEADERS,
  MAX_DOWNLOAD_NAME_CHARS,
  MAX_MESSAGE_BYTES,
  type BrowserHost,
  type BrowserHostOptions,
  type EventSource,
} from './browser-host.js'
