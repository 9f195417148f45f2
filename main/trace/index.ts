/** The trace pipeline: seed resolve → lineage → events, usable in a worker process, the CLI and tests. */
export { runTrace, runJobTrace, eventCids, resultFileSink, type JobTrace, type LineageOutline, type TraceSink, type RunTraceOptions, type TraceOutcome } from './pipeline.js'
export { resolveContainerSeeds, resolveDetectionPopulation, stationFilterSql, type SeedResolveOptions } from './seed-resolve.js'
export { resolveBackwardLineage, resolveForwardLineage, type LineageOptions } from './lineage.js'
export { fetchEvents, type FetchEventsOptions, type FetchEventsResult } from './events.js'
export { EVENT_DOMAINS, type EventDomainDefinition } from './event-domains.js'
export { factorLinkRows, factorLinkSql, FACTOR_LINK_COLUMNS, type FactorLinkKind } from './event-domains.js'
