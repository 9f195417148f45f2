/** The renderer-facing services: the handlers of the contract and the router every transport calls. */
export { ServiceRouter, type CallContext, type Handlers, type ServiceRouterOptions } from './router.js'
export { createServices, type ServicesOptions } from './services.js'
export { SourceProfiles, SOURCE_PROFILES_KEY, MAX_SOURCE_PROFILES } from './source-profiles.js'
