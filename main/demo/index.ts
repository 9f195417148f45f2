/**
 * The demo plant: a deterministic, realistic MES source (SQLite, source-schema.md) with planted
 * problems for the MSD analysis and guard-case genealogies, used as the app's default source.
 */
export { DEMO_GENERATOR_VERSION, generateDemoPlant } from './demo-plant.js'
export { formatDemoSummary } from './demo-summary.js'
export { DEMO_INFO_TABLE } from './demo-writer.js'
export type {
  DemoOptions, DemoPlanted, DemoSummary, PlantedBadMachine, PlantedBadMaterialLot, PlantedDownstreamEffect, PlantedGuards,
  PlantedSamples,
} from './types.js'
