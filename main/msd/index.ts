/** MSD analysis (domain.md §5): detection dataset, backward attribution with suspect statistics, forward tracking. */
export { runMsdAnalysis, CONTAINER_MODE_HINT, type MsdAnalysisOptions, type MsdAnalysisProgress } from './analysis.js'
export { fetchDetection, fetchResourceFamilies, type DetectionBatch, type FetchDetectionOptions } from './detection.js'
export { rankSuspects, suspectOf, type FactorTally, type Tally } from './suspects.js'
export { byFlowOrder } from './forward.js'
