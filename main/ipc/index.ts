/** The renderer-facing services: the handlers of the contract and the router every transport calls. */
export { ServiceRouter, MAX_ANSWER_BYTES, type CallContext, type CallId, type Handlers, type ServiceRouterOptions } from './router.js'
export { createServices, type ServicesOptions } from './services.js'
export { SourceProfiles, SOURCE_PROFILES_KEY, MAX_SOURCE_PROFILES, type NewSourceProfile } from './source-profiles.js'
export { EncryptedSecretStore, MemorySecretStore, secretKeyOf, secretStoreFor, type SecretCipher, type SecretStore } from './secret-store.js'
