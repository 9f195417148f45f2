/**
 * Types of the trace pipeline (seed resolve → lineage → events) shared by the worker, the engine
 * and the renderer. Times in payload rows are ISO 8601 plant-local strings (`YYYY-MM-DDTHH:MM:SS`).
 */
import type { MsdAnalysisStep } from './stage-timings.js'

/** The three trace profiles of domain.md §1.1. */
export const PROFILES = ['query_tool', 'query_tool_reverse', 'mid_section_defect'] as const
export type Profile = (typeof PROFILES)[number]

/** Seed input types per profile (domain.md §1.1, §2.2). */
export const RESOLVE_TYPES = {
  query_tool: ['lot_id', 'wafer_lot', 'work_order'],
  query_tool_reverse: ['serial_number', 'gd_work_order', 'gd_lot_id'],
  mid_section_defect: ['lot_id', 'work_order', 'wafer_lot'],
} as const satisfies Record<Profile, readonly string[]>

export type ResolveType =
  | 'lot_id'
  | 'wafer_lot'
  | 'work_order'
  | 'serial_number'
  | 'gd_work_order'
  | 'gd_lot_id'

export const ALL_RESOLVE_TYPES: readonly ResolveType[] = [
  'lot_id', 'wafer_lot', 'work_order', 'serial_number', 'gd_work_order', 'gd_lot_id',
]

/** The 7 event domains (domain.md §4.2), in display order. */
export const DOMAINS = [
  'history',
  'materials',
  'rejects',
  'holds',
  'jobs',
  'upstream_history',
  'downstream_rejects',
] as const
export type Domain = (typeof DOMAINS)[number]

/** True for one of the 7 domain names. */
export function isDomain(value: unknown): value is Domain {
  return typeof value === 'string' && (DOMAINS as readonly string[]).includes(value)
}

/** Lineage direction. */
export type Direction = 'backward' | 'forward'

/** MSD seed mode. */
export type MsdMode = 'date_range' | 'container'

/** Seed request of the `query_tool` / `query_tool_reverse` profiles. */
export interface ContainerSeedParams {
  resolve_type: ResolveType
  /** Raw tokens as typed/pasted; trimmed, de-duplicated, `*` means any run of characters. */
  values: readonly string[]
}

/** Seed request of the `mid_section_defect` profile. */
export interface MsdSeedParams {
  /** @default 'date_range' */
  mode?: MsdMode
  /** Detection station group name. @default '測試' */
  station?: string
  /** @default 'backward' */
  direction?: Direction
  /** Date range mode: first day, `YYYY-MM-DD` (plant local). */
  start_date?: string
  /** Date range mode: last day inclusive, `YYYY-MM-DD`. */
  end_date?: string
  /** Container mode: `lot_id`, `work_order` or `wafer_lot`. */
  resolve_type?: ResolveType
  /** Container mode tokens. */
  values?: readonly string[]
  /** Loss reasons of the analysis; never changes the seeds. */
  loss_reasons?: readonly string[]
}

/** One resolved seed container. */
export interface Seed {
  container_id: string
  container_name: string
  /** Same as `container_name` (the original's field name). */
  lot_id: string
  /** The input token that matched it (absent for MSD date-range seeds). */
  input_value?: string
  /** For `serial_number`: which source matched (`finished_name` > `container_name` > `first_name`). */
  match_source?: 'finished_name' | 'container_name' | 'first_name'
}

/** Output of seed resolution. */
export interface SeedResult {
  seeds: Seed[]
  seed_count: number
  /** Input tokens that matched nothing, in input order (domain.md §14 #10). */
  not_found: string[]
  /** Rows matched per input token. */
  expansion_info: Record<string, number>
  /** Number of distinct input tokens after trimming and de-duplication. */
  input_count: number
}

/** Node type of the genealogy graph (precedence WAFER > GD > GC > GA > LOT > UNKNOWN). */
export type NodeType = 'WAFER' | 'GD' | 'GC' | 'GA' | 'LOT' | 'UNKNOWN'

/** Edge type of the genealogy graph; edges point upstream → downstream. */
export type EdgeType = 'split_from' | 'merge_source' | 'wafer_origin' | 'gd_rework_source'

export interface LineageNode {
  container_id: string
  container_name: string
  mfgorder_name: string | null
  wafer_lot: string | null
  node_type: NodeType
  /** The container's quantity now (`DW_MES_CONTAINER.QTY`); absent in results written before it was recorded. */
  qty?: number | null
}

export interface LineageEdge {
  from_cid: string
  to_cid: string
  edge_type: EdgeType
}

/** Why a lineage result is incomplete. */
export type LineageTruncation = 'depth_cap' | 'node_cap'

/** Common part of both lineage results. */
export interface LineageBase {
  direction: Direction
  names: Record<string, string>
  nodes: Record<string, LineageNode>
  edges: LineageEdge[]
  total_nodes: number
  /** True when a depth or node cap stopped the walk (domain.md §14 #13). */
  truncated: boolean
  truncation_reasons: LineageTruncation[]
}

/** Backward genealogy (domain.md §3.5). */
export interface BackwardLineage extends LineageBase {
  direction: 'backward'
  /** The seeds, as given. */
  roots: string[]
  /** Seed → sorted ancestor CIDs (seed excluded). */
  ancestors: Record<string, string[]>
  /** Child → direct parents (split parent, merge sources, GD source, wafer origin). */
  parent_map: Record<string, string[]>
  /** Child → merge-source CIDs. */
  merge_edges: Record<string, string[]>
  /** Seed → name of its chosen root (farthest parentless ancestor, then smallest name). */
  seed_roots: Record<string, string>
  /**
   * Seed CID → serial numbers (FINISHEDNAME) it was merged into: the leaves a reverse trace draws
   * below its seeds. Absent in results written before it was recorded.
   */
  seed_serials?: Record<string, string[]>
  total_ancestor_count: number
}

/** Forward tree (domain.md §3.6). */
export interface ForwardLineage extends LineageBase {
  direction: 'forward'
  /** Nodes with no incoming edge in `children_map`. */
  roots: string[]
  /**
   * The containers the request resolved to (the lots the user typed), in input order; these are the
   * nodes a view marks "queried". Absent in results written before it was recorded.
   */
  seeds?: string[]
  children_map: Record<string, string[]>
  /** Leaf CID → serial numbers (FINISHEDNAME) it was merged into. */
  leaf_serials: Record<string, string[]>
}

export type LineageResult = BackwardLineage | ForwardLineage

/** A row of an event domain: column name → value (strings, numbers or null). */
export type EventRow = Record<string, string | number | null>

/** Quality status, in increasing severity. */
export type QualityStatus = 'complete' | 'truncated' | 'partial' | 'failed'

export const QUALITY_ORDER: readonly QualityStatus[] = ['complete', 'truncated', 'partial', 'failed']

export type QualityReason =
  | 'max_total_rows_exceeded'
  | 'chunk_failure'
  | 'domain_failure'
  | 'domain_fetch_failed'
  | 'lineage_truncated'

/** The `quality_meta` contract of domain.md §4.4. */
export interface QualityMeta {
  status: QualityStatus
  scope: 'domain' | 'query' | 'export'
  reasons: QualityReason[]
  /** Domain scope: the domain. */
  domain?: Domain
  observed_rows: number
  /** Present only when truncated by the row cap. */
  max_rows?: number
  /** First/last CID of each failed batch. */
  failed_ranges?: { start: string; end: string }[]
  has_partial_failure?: boolean
  failed_chunk_count?: number
  /** Query scope summaries. */
  failed_domains?: Domain[]
  truncated_domains?: Domain[]
  /** A short message per failed batch or domain (first few), for the person reading it. */
  errors?: string[]
}

/** What the pipeline reports while it works (throttling is the engine's job). */
/** Stages of a trace job, in order; `analysis` is the MSD aggregation (MSD profile only). */
export const TRACE_STAGES = ['seed', 'lineage', 'events', 'analysis'] as const
export type TraceStage = (typeof TRACE_STAGES)[number]

export interface TraceProgress {
  stage: TraceStage
  completed_stages: TraceStage[]
  /** Events stage: per-domain batch counters and rows so far. */
  domains?: Partial<Record<Domain, { batches_done: number; batches_total: number; rows: number }>>
  rows_so_far?: number
  message?: string
  /**
   * Analysis stage: the step under way and how many of the direction's steps are done, so the bar
   * moves and the time estimate holds while the analysis runs.
   */
  analysis?: { step: MsdAnalysisStep; steps_done: number; steps_total: number }
}
