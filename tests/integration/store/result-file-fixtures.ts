/** Hand-built trace outputs for the result-file tests. */
import { EVENT_DOMAINS } from '../../../main/trace/index.js'
import { NUMBER_COLUMNS } from '../../../main/store/index.js'
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
