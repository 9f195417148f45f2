/** Hand-built trace outputs for the result-file tests. */
import { EVENT_DOMAINS } from '../../../main/trace/index.js'
import { NUMBER_COLUMNS } from '../../../main/store/index.js'
import type { BackwardAggregation, ForwardAggregation } from '../../../shared/msd.js'
import type { BackwardLineage, Domain, EventRow, ForwardLineage, QualityMeta, SeedResult } from '../../../shared/trace.js'

export const SEEDS: SeedResult = {
  seeds: [
    { container_id: 'K1', container_name: 'GA26010001-A01-001', lot_id: 'GA26010001-A01-001', input_value: 'GA26010001-A01-001' },
    { container_id: 'K2', container_name: 'GA26010001-A01-002', lot_id: 'GA26010001-A01-002', input_value: 'GA26010001-A01-00*' },
    { container_id: 'M', container_name: 'GA26010001-M01', lot_id: 'GA26010001-M01', input_value: 'SN-1', match_source: 'finished_name' },
    { container_id: 'X', container_name: 'GA26010009-A01', lot_id: 'GA26010009-A01' },
  ],
  seed_count: 4,
  not_found: ['GA-NOPE', "x' OR '1'='1"],
  expansion_info: { 'GA26010001-A01-001': 1, 'GA26010001-A01-00*': 1, 'SN-1': 1 },
  input_count: 5,
}

export const BACKWARD: BackwardLineage = {
  direction: 'backward',
  names: { K1: 'GA26010001-A01-001', P: 'GA26010001-A01', W: 'WAF-1' },
  nodes: {
    K1: { container_id: 'K1', container_name: 'GA26010001-A01-001', mfgorder_name: 'GA26010001', wafer_lot: 'WAF-1', node_type: 'GA' },
    P: { container_id: 'P', container_name: 'GA26010001-A01', mfgorder_name: 'GA26010001', wafer_lot: 'WAF-1', node_type: 'GA' },
    W: { container_id: 'W', container_name: 'WAF-1', mfgorder_name: null, wafer_lot: null, node_type: 'WAFER' },
  },
  edges: [
    { from_cid: 'P', to_cid: 'K1', edge_type: 'split_from' },
    { from_cid: 'W', to_cid: 'P', edge_type: 'wafer_origin' },
  ],
  total_nodes: 3,
  truncated: false,
  truncation_reasons: [],
  roots: ['K1'],
  ancestors: { K1: ['P', 'W'] },
  parent_map: { K1: ['P'], P: ['W'] },
  merge_edges: {},
  seed_roots: { K1: 'WAF-1' },
  total_ancestor_count: 2,
}

export const FORWARD: ForwardLineage = {
  direction: 'forward',
  names: { P: 'GA26010001-A01', K1: 'GA26010001-A01-001', K2: 'GA26010001-A01-002', M: 'GA26010001-M01' },
  nodes: {
    P: { container_id: 'P', container_name: 'GA26010001-A01', mfgorder_name: 'GA26010001', wafer_lot: 'WAF-1', node_type: 'GA' },
    K1: { container_id: 'K1', container_name: 'GA26010001-A01-001', mfgorder_name: 'GA26010001', wafer_lot: 'WAF-1', node_type: 'GA' },
    K2: { container_id: 'K2', container_name: 'GA26010001-A01-002', mfgorder_name: 'GA26010001', wafer_lot: 'WAF-1', node_type: 'GA' },
    M: { container_id: 'M', container_name: 'GA26010001-M01', mfgorder_name: null, wafer_lot: null, node_type: 'GC' },
  },
  edges: [
    { from_cid: 'P', to_cid: 'K1', edge_type: 'split_from' },
    { from_cid: 'P', to_cid: 'K2', edge_type: 'split_from' },
    { from_cid: 'K1', to_cid: 'M', edge_type: 'merge_source' },
    { from_cid: 'K2', to_cid: 'M', edge_type: 'merge_source' },
  ],
  total_nodes: 4,
  truncated: true,
  truncation_reasons: ['node_cap'],
  roots: ['P'],
  children_map: { P: ['K1', 'K2'], K1: ['M'], K2: ['M'] },
  leaf_serials: { M: ['SN-1', 'SN-2'] },
}

const pareto = (name: string, defect: number, share: number) => ({ name, input_qty: 1000, defect_qty: defect, defect_rate: defect / 10, lot_count: 3, cumulative_pct: share })

/** A small backward MSD aggregation: every list and record of the type, a few items each. */
export const BACKWARD_AGGREGATION: BackwardAggregation = {
  direction: 'backward',
  station: '測試',
  loss_reasons: ['201_OPEN'],
  available_loss_reasons: ['201_OPEN', '202_SHORT'],
  genealogy_status: 'ready',
  daily_trend: [{ date: '2026-01-08', input_qty: 3000, defect_qty: 12, defect_rate: 0.4, lot_count: 3, defective_lot_count: 2 }],
  detail_total_count: 3,
  warnings: [],
  kpi: { total_input: 3000, lot_count: 3, defective_lot_count: 2, total_defect_qty: 12, total_defect_rate: 0.4, top_loss_reason: '201_OPEN', affected_machine_count: 1 },
  charts: { by_machine: [pareto('GWBE-0029', 12, 100)], by_detection_machine: [pareto('TST-01', 12, 100)], by_material: [], by_wafer_root: [], by_loss_reason: [pareto('201_OPEN', 12, 100)] },
  attribution: [
    {
      WORKCENTER_GROUP: '焊接_WB', EQUIPMENT_NAME: 'GWBE-0029', EQUIPMENT_ID: 'EQ-29', RESOURCEFAMILYNAME: 'WB', DETECTION_LOT_COUNT: 3, INPUT_QTY: 3000,
      DEFECT_QTY: 12, DEFECT_RATE: 0.4, WORKFLOW: 'WF-1', PRODUCTLINENAME: 'QFN', PJ_TYPE: 'P', DETECTION_EQUIPMENTNAME: 'TST-01',
    },
  ],
  suspects: [
    {
      factor_type: 'machine', name: 'GWBE-0029', station: '焊接_WB', lots: 3, defective_lots: 2, input_qty: 3000, defect_qty: 12, defect_rate: 0.4, baseline_rate: null,
      baseline_lots: 0, baseline_defective_lots: 0, lift: null, p_value: null, inconclusive: true, no_contrast: true, rank: null,
      q_value: null, significant: false, explained_by: null, conditional_p_value: null, onset: null, onset_p_value: null, rate_before_onset: null,
      rate_after_onset: null,
    },
    {
      factor_type: 'material', name: 'CAP-WB38 (CAP261009-GWBE-0029)', station: '焊接_WB', lots: 60, defective_lots: 59, input_qty: 60000, defect_qty: 900,
      defect_rate: 1.5, baseline_rate: 0.4, baseline_lots: 900, baseline_defective_lots: 300, lift: 3.75, p_value: 4e-15, inconclusive: false,
      no_contrast: false, rank: 1, q_value: 3.5e-12, significant: true, explained_by: { factor_type: 'machine', name: 'GWBE-0029', station: '焊接_WB' },
      conditional_p_value: 0.055, onset: '2026-09-17', onset_p_value: 0.0001, rate_before_onset: 45.8564, rate_after_onset: 92.2581,
    },
  ],
  suspect_summary: {
    machines: 1, materials: 1, wafer_roots: 0, ranked: 1, not_elevated: 0, inconclusive: 1, no_contrast: 1, total: 2, significant: 1, independent: 0,
    explained: 1, fdr: 0.05,
  },
  suspect_timelines: [
    {
      factor_type: 'material', name: 'CAP-WB38 (CAP261009-GWBE-0029)', station: '焊接_WB',
      days: [{ date: '2026-10-09', lots: 20, defective_lots: 19, rest_lots: 300, rest_defective_lots: 100 }],
    },
  ],
}

/**
 * The same aggregation as a result of format version 1 stored it: none of the fields that came
 * with the suspects' significance, explain-away, onset, time views and the p-chart's lot counts.
 */
export const BACKWARD_AGGREGATION_V1: Record<string, unknown> = {
  ...BACKWARD_AGGREGATION,
  daily_trend: [{ date: '2026-01-08', input_qty: 3000, defect_qty: 12, defect_rate: 0.4 }],
  suspects: [
    {
      factor_type: 'machine', name: 'GWBE-0029', station: '焊接_WB', lots: 3, defective_lots: 2, input_qty: 3000, defect_qty: 12, defect_rate: 0.4, baseline_rate: null,
      baseline_lots: 0, baseline_defective_lots: 0, lift: null, p_value: null, inconclusive: true, no_contrast: true, rank: null,
    },
  ],
  suspect_summary: { machines: 1, materials: 0, wafer_roots: 0, ranked: 0, not_elevated: 0, inconclusive: 1, no_contrast: 1, total: 1 },
  suspect_timelines: undefined,
}

/** A small forward MSD aggregation. */
export const FORWARD_AGGREGATION: ForwardAggregation = {
  direction: 'forward',
  station: '測試',
  loss_reasons: [],
  available_loss_reasons: ['201_OPEN'],
  genealogy_status: 'ready',
  daily_trend: [],
  detail_total_count: 2,
  container_mode_hint: 'The seeds have no record at 測試.',
  warnings: ['lineage truncated'],
  kpi: {
    detection_lot_count: 2, defect_lot_count: 1, detection_defect_qty: 5, detection_defect_rate: 0.25, tracked_lot_count: 3, downstream_stations_reached: 1,
    downstream_total_reject: 4, downstream_reject_rate: 0.2, baseline_downstream_reject_rate: null, amplification: 0.8,
  },
  charts: {
    by_downstream_station: [{ ...pareto('電鍍', 4, 100), order: 7, baseline_rate: null, lift: null, top_loss_reason: '301_PLATING' }],
    by_downstream_machine: [pareto('PLT-02', 4, 100)],
    by_downstream_loss_reason: [pareto('301_PLATING', 4, 100)],
    by_detection_machine: [],
  },
  attribution: [],
}

export function quality(status: QualityMeta['status'], observed: number, domain?: Domain): QualityMeta {
  return { status, scope: domain ? 'domain' : 'query', reasons: [], observed_rows: observed, ...(domain ? { domain } : {}) }
}

/** A deterministic pseudo-random integer in [0, n) from `i` (no Math.random in tests). */
function pick(i: number, n: number, salt = 1): number {
  return ((i + 1) * 2654435761 * salt) % 4294967296 % n
}

/**
 * Row `i` of a domain: every column filled by its kind — repeated lot ids, times spread over a
 * month (some missing), numbers that sort differently as text (7, 10, 250…), text with nulls.
 */
export function eventRow(domain: Domain, i: number): EventRow {
  const { columns, timeColumns } = EVENT_DOMAINS[domain]
  const row: EventRow = {}
  columns.forEach((column, c) => {
    if (column === 'CONTAINERID') row[column] = `CID-${String(pick(i, 97)).padStart(3, '0')}`
    else if (timeColumns.includes(column)) {
      row[column] =
        pick(i, 50, c + 3) === 0
          ? null
          : `2026-01-${String(1 + pick(i, 28, c + 1)).padStart(2, '0')}T${String(pick(i, 24, c + 2)).padStart(2, '0')}:${String(pick(i, 60, c)).padStart(2, '0')}:00`
    } else if (NUMBER_COLUMNS[domain].includes(column)) row[column] = pick(i, 20, c) === 0 ? null : pick(i, 1200, c + 5) / (c % 2 ? 1 : 4)
    else row[column] = pick(i, 30, c + 7) === 0 ? null : `${column.slice(0, 3)}-${pick(i, 41, c + 11)}`
  })
  return row
}

/** `count` rows of a domain, from row `start`. */
export function eventRows(domain: Domain, start: number, count: number): EventRow[] {
  return Array.from({ length: count }, (_, k) => eventRow(domain, start + k))
}

type Cell = string | number | null

/** SQLite's order: NULL first, numbers before text, numbers by value, text by code units. */
export function compareCells(a: Cell, b: Cell): number {
  if (a === b) return 0
  if (a === null) return -1
  if (b === null) return 1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'number') return -1
  if (typeof b === 'number') return 1
  return a < b ? -1 : 1
}

/** `rows` sorted as a page sorted by `column` is: ties in written order, descending fully reversed. */
export function sortedBy(rows: readonly EventRow[], column: string, direction: 'asc' | 'desc'): EventRow[] {
  const indexed = rows.map((row, i) => ({ row, i }))
  indexed.sort((x, y) => compareCells(x.row[column] ?? null, y.row[column] ?? null) || x.i - y.i)
  const out = indexed.map((x) => x.row)
  return direction === 'asc' ? out : out.reverse()
}
