/** Small lineages for the chart tests. */
import type { BackwardLineage, ForwardLineage, LineageEdge, LineageNode, NodeType } from '../../../../shared/trace'

function node(cid: string, type: NodeType, name = cid.toLowerCase()): LineageNode {
  return { container_id: cid, container_name: name, mfgorder_name: type === 'GA' ? `GA-${cid}` : null, wafer_lot: type === 'WAFER' ? `WL-${cid}` : null, node_type: type }
}

/**
 * W ─wafer→ A ─split→ B ─merge→ M ─split→ S (seed)
 *           A ─split→ C ─merge→ M
 *                     C ─split→ D ─rework→ E
 *                         X ─merge→ M
 */
export const MERGE_EDGES: LineageEdge[] = [
  { from_cid: 'W', to_cid: 'A', edge_type: 'wafer_origin' },
  { from_cid: 'A', to_cid: 'B', edge_type: 'split_from' },
  { from_cid: 'A', to_cid: 'C', edge_type: 'split_from' },
  { from_cid: 'B', to_cid: 'M', edge_type: 'merge_source' },
  { from_cid: 'C', to_cid: 'M', edge_type: 'merge_source' },
  { from_cid: 'X', to_cid: 'M', edge_type: 'merge_source' },
  { from_cid: 'M', to_cid: 'S', edge_type: 'split_from' },
  { from_cid: 'C', to_cid: 'D', edge_type: 'split_from' },
  { from_cid: 'D', to_cid: 'E', edge_type: 'gd_rework_source' },
]

export function mergeLineage(): BackwardLineage {
  const nodes: Record<string, LineageNode> = {
    W: node('W', 'WAFER'),
    A: node('A', 'GA'),
    B: node('B', 'GA'),
    C: node('C', 'GC'),
    D: node('D', 'GD'),
    E: node('E', 'GD'),
    M: node('M', 'LOT'),
    X: node('X', 'LOT'),
    S: node('S', 'LOT'),
  }
  const parent_map: Record<string, string[]> = {}
  for (const e of MERGE_EDGES) (parent_map[e.to_cid] ??= []).push(e.from_cid)
  return {
    direction: 'backward',
    names: Object.fromEntries(Object.values(nodes).map((n) => [n.container_id, n.container_name])),
    nodes,
    edges: MERGE_EDGES,
    total_nodes: 9,
    truncated: false,
    truncation_reasons: [],
    roots: ['S'],
    ancestors: { S: ['A', 'B', 'C', 'M', 'W', 'X'] },
    parent_map,
    merge_edges: { M: ['B', 'C', 'X'] },
    seed_roots: { S: 'w' },
    total_ancestor_count: 6,
  }
}

/** R → K1 → leaf L1 (serials SN1, SN2); R → K2 (serial SN1): SN1 is a merge of two leaves. */
export function forwardLineage(): ForwardLineage {
  return {
    direction: 'forward',
    names: { R: 'r', K1: 'k1', K2: 'k2', L1: 'l1' },
    nodes: { R: node('R', 'GA', 'r'), K1: node('K1', 'GC', 'k1'), K2: node('K2', 'GC', 'k2'), L1: node('L1', 'GD', 'l1') },
    edges: [{ from_cid: 'R', to_cid: 'K1', edge_type: 'split_from' }],
    total_nodes: 4,
    truncated: false,
    truncation_reasons: [],
    roots: ['R'],
    children_map: { R: ['K1', 'K2'], K1: ['L1'] },
    leaf_serials: { L1: ['SN1', 'SN2'], K2: ['SN1'] },
  }
}

/** A forward tree of `count` nodes, each node with `fanout` children (breadth-first numbering). */
export function bigForwardLineage(count: number, fanout = 3): ForwardLineage {
  const nodes: Record<string, LineageNode> = {}
  const children_map: Record<string, string[]> = {}
  for (let i = 0; i < count; i++) {
    const cid = `N${i}`
    nodes[cid] = node(cid, 'LOT', `lot-${String(i).padStart(6, '0')}`)
    if (i > 0) (children_map[`N${Math.floor((i - 1) / fanout)}`] ??= []).push(cid)
  }
  return {
    direction: 'forward',
    names: {},
    nodes,
    edges: [],
    total_nodes: count,
    truncated: false,
    truncation_reasons: [],
    roots: ['N0'],
    children_map,
    leaf_serials: {},
  }
}
