/**
 * Pure pieces of the genealogy: node typing, the semantic relations of a container, typed edges,
 * and the per-seed ancestor walk with the deterministic root choice of domain.md §14 #13.
 * Nothing here reads a source.
 */
import { compareCodeUnits, hasOrderFamily } from '../../shared/compare.js'
import type { EdgeType, LineageEdge, LineageNode, NodeType } from '../../shared/trace.js'
import type { ContainerSnapshot } from './lineage-reader.js'

/** True when the work order or the lot name carries the order family prefix (case-insensitive). */
function isOrderFamily(snapshot: ContainerSnapshot, prefix: 'GA' | 'GC' | 'GD'): boolean {
  return hasOrderFamily(snapshot.mfgOrder, snapshot.name, prefix)
}

/** True for a GD (rework / re-test) container. */
export function isGdContainer(snapshot: ContainerSnapshot): boolean {
  return isOrderFamily(snapshot, 'GD')
}

/**
 * The container a GD lot re-processes: ORIGINALCONTAINERID, else the split parent. Null for
 * non-GD containers; a self-reference counts as absent.
 */
export function gdSourceOf(snapshot: ContainerSnapshot): string | null {
  if (!isGdContainer(snapshot)) return null
  const { cid, originalCid, splitFrom } = snapshot
  if (originalCid !== null && originalCid !== cid) return originalCid
  if (splitFrom !== null && splitFrom !== cid) return splitFrom
  return null
}

/** The split parent of a container; a self-reference counts as absent. */
export function splitParentOf(snapshot: ContainerSnapshot | undefined): string | null {
  if (!snapshot || snapshot.splitFrom === null || snapshot.splitFrom === snapshot.cid) return null
  return snapshot.splitFrom
}

/** Node type by precedence WAFER > GD > GC > GA > LOT > UNKNOWN (domain.md §3.4). */
export function nodeTypeOf(snapshot: ContainerSnapshot | undefined, isWafer: boolean): NodeType {
  if (isWafer) return 'WAFER'
  if (!snapshot) return 'UNKNOWN'
  if (isOrderFamily(snapshot, 'GD')) return 'GD'
  if (isOrderFamily(snapshot, 'GC')) return 'GC'
  if (isOrderFamily(snapshot, 'GA')) return 'GA'
  if (snapshot.objectType === 'LOT') return 'LOT'
  return 'UNKNOWN'
}

/** The typed node of a CID; a container that does not exist keeps its CID as name. */
export function toLineageNode(cid: string, snapshot: ContainerSnapshot | undefined, isWafer: boolean): LineageNode {
  return {
    container_id: cid,
    container_name: snapshot?.name ?? cid,
    mfgorder_name: snapshot?.mfgOrder ?? null,
    wafer_lot: snapshot?.firstName ?? null,
    node_type: nodeTypeOf(snapshot, isWafer),
    // Only when known: a wafer, a lot without a container row or a source without QTY says nothing.
    ...(snapshot?.qty !== null && snapshot?.qty !== undefined ? { qty: snapshot.qty } : {}),
  }
}

/**
 * Typed edges deduplicated on (from, to, type). Duplicates are dropped when sorted, not looked up
 * on each add: a set of string keys cost over 100 bytes per edge (measured at 114 698 containers).
 */
export class EdgeSet {
  private readonly list: LineageEdge[] = []

  add(from: string, to: string, type: EdgeType): void {
    this.list.push({ from_cid: from, to_cid: to, edge_type: type })
  }

  /** The edges sorted by from, to, type (code-unit order), so results compare byte for byte. */
  sorted(): LineageEdge[] {
    const order = (a: LineageEdge, b: LineageEdge): number =>
      compare(a.from_cid, b.from_cid) || compare(a.to_cid, b.to_cid) || compare(a.edge_type, b.edge_type)
    const sorted = [...this.list].sort(order)
    return sorted.filter((edge, i) => i === 0 || order(sorted[i - 1]!, edge) !== 0)
  }
}

const compare = compareCodeUnits

/** Sorts CIDs by display name, then CID. */
export function sortByNameThenCid(cids: Iterable<string>, nameOf: (cid: string) => string): string[] {
  return [...cids].sort((a, b) => compare(nameOf(a), nameOf(b)) || compare(a, b))
}

/** What the per-seed walk over `parent_map` found. */
export interface SeedAncestry<Node = string> {
  /** Ancestors, sorted (CIDs by code units), seed excluded. */
  ancestors: Node[]
  /** Name of the chosen root (the seed's own name when it has no ancestors). */
  rootName: string
  /** True when ancestors continue beyond `maxDepth` hops from this seed. */
  depthCut: boolean
}

/**
 * Walks `parentMap` breadth-first from one seed for at most `maxDepth` hops. The root is the
 * parentless ancestor farthest from the seed (the oldest), ties broken by the smaller name, then
 * the smaller CID; when every ancestor has parents (a cycle, or a walk cut by the cap) the farthest
 * ancestor of all is taken by the same rule. The visited map lives only for this call.
 */
export function walkSeedAncestry(
  seed: string,
  parentMap: ReadonlyMap<string, readonly string[]>,
  maxDepth: number,
  nameOf: (cid: string) => string,
): SeedAncestry {
  return walkAncestry(seed, (cid) => parentMap.get(cid) ?? [], maxDepth, nameOf, compare)
}

/**
 * {@link walkSeedAncestry} over any kind of node: the staged walk's are integer ids, ordered by
 * `compareNodes` as their CIDs are by code units.
 */
export function walkAncestry<Node>(
  seed: Node,
  parentsOf: (node: Node) => ArrayLike<Node>,
  maxDepth: number,
  nameOf: (node: Node) => string,
  compareNodes: (a: Node, b: Node) => number,
): SeedAncestry<Node> {
  const hops = new Map<Node, number>([[seed, 0]])
  let frontier = [seed]
  let depthCut = false
  for (let depth = 0; frontier.length > 0; depth++) {
    const next: Node[] = []
    for (const node of frontier) {
      const parents = parentsOf(node)
      for (let i = 0; i < parents.length; i++) {
        const parent: Node = parents[i]!
        if (hops.has(parent)) continue
        if (depth + 1 > maxDepth) {
          depthCut = true
          continue
        }
        hops.set(parent, depth + 1)
        next.push(parent)
      }
    }
    frontier = next
  }
  hops.delete(seed)
  const ancestors = [...hops.keys()].sort(compareNodes)
  if (ancestors.length === 0) return { ancestors, rootName: nameOf(seed), depthCut }

  const parentless = ancestors.filter((node) => parentsOf(node).length === 0)
  const candidates = parentless.length > 0 ? parentless : ancestors
  let best: Node = candidates[0]!
  for (const node of candidates) {
    const byHops = (hops.get(node) ?? 0) - (hops.get(best) ?? 0)
    if (byHops > 0 || (byHops === 0 && (compare(nameOf(node), nameOf(best)) || compareNodes(node, best)) < 0)) best = node
  }
  return { ancestors, rootName: nameOf(best), depthCut }
}
