/**
 * The transports of the service contract, side by side: the handlers of every channel and the
 * router every call goes through, the Electron IPC transport, the browser host (HTTP + WebSocket
 * on 127.0.0.1), and the one source of the events both push.
 */
export { ServiceRouter, MAX_ANSWER_BYTES, type CallContext, type Handlers, type ServiceRouterOptions } from './router.js'
export { createServices, MAX_SHOWABLE_EXPORTS, type FolderRevealer, type ServicesOptions } from './services.js'
export { SourceProfiles, SOURCE_PROFILES_KEY, MAX_SOURCE_PROFILES, type NewSourceProfile } from './source-profiles.js'
export { EncryptedSecretStore, MemorySecretStore, secretKeyOf, secretStoreFor, type SecretCipher, type SecretStore } from './secret-store.js'
export { onServiceEvent, type JobEvents, type ServiceEventListener } from './service-events.js'
export {
  EventFanout,
  isAppFrame,
  registerIpcTransport,
  type EventTarget,
  type InvokeEvent,
  type IpcHandlers,
  type IpcTransportOptions,
  type SenderFrame,
} from './ipc-transport.js'
export {
  startBrowserHost,
  downloadNameOf,
  HOST_CSP,
  PAGE_SECURITY_HEADERS,
  MAX_DOWNLOAD_NAME_CHARS,
  MAX_MESSAGE_BYTES,
  type BrowserHost,
  type BrowserHostOptions,
} from './socket-host.js'
