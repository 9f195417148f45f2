/** Small lineages and suspect lists for the chart tests. */
import type { Suspect, SuspectRef } from '../../../../shared/msd'
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

/** A suspect with the fields a chart reads; everything else neutral. */
export function suspect(over: Partial<Suspect> & Pick<Suspect, 'factor_type' | 'name'>): Suspect {
  return {
    station: over.factor_type === 'wafer_root' ? null : '焊接_WB',
    lots: 20,
    defective_lots: 10,
    input_qty: 20_000,
    defect_qty: 200,
    defect_rate: 1,
    baseline_rate: 0.5,
    baseline_lots: 200,
    baseline_defective_lots: 40,
    lift: 2,
    p_value: 0.001,
    inconclusive: false,
    no_contrast: false,
    rank: 1,
    q_value: 0.01,
    significant: true,
    explained_by: null,
    conditional_p_value: null,
    onset: null,
    onset_p_value: null,
    rate_before_onset: null,
    rate_after_onset: null,
    ...over,
  }
}

/**
 * A backward suspect list in list order: the planted wire bonder and a material lot independent,
 * a capillary lot explained by the bonder, then ranked but not significant ones, then unranked.
 */
export function suspectList(): Suspect[] {
  const bonder: SuspectRef = { factor_type: 'machine', name: 'GWBE-0029', station: '焊接_WB' }
  return [
    suspect({ ...bonder, rank: 2, defect_rate: 2.25, baseline_rate: 0.65, lift: 3.4615, q_value: 1e-60, onset: '2026-09-20', onset_p_value: 0.001, rate_before_onset: 10, rate_after_onset: 80 }),
    suspect({ factor_type: 'material', name: 'EPOXY-7 (EL-0042)', station: '黏晶_DA', rank: 5, defect_rate: 1.9, baseline_rate: 0.7, lift: 2.71 }),
    suspect({ factor_type: 'material', name: 'CAP-A (CAP-0007)', station: '焊接_WB', rank: 1, defect_rate: 3.1, baseline_rate: 0.7, lift: 4.43, explained_by: bonder, conditional_p_value: 0.41 }),
    suspect({ factor_type: 'machine', name: 'GWBE-0003', rank: 3, significant: false, q_value: 0.2, defect_rate: 1.1, baseline_rate: 0.8, lift: 1.375 }),
    suspect({ factor_type: 'machine', name: '(NA)', station: '黏晶_DA', rank: 4, significant: false, q_value: 0.3, defect_rate: 1.0, baseline_rate: 0.8, lift: 1.25 }),
    suspect({ factor_type: 'wafer_root', name: 'W-ROOT-1', rank: 6, significant: false, q_value: 0.4, defect_rate: 1.2, baseline_rate: 0.8, lift: 1.5 }),
    suspect({ factor_type: 'machine', name: 'GWBE-0100', rank: null, significant: false, inconclusive: true, q_value: 0.9, lift: 3 }),
  ]
}
