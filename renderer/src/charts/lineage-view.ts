/**
 * View model of the lineage graph: the DAG of a lineage result (merges make it more than a tree),
 * what is visible after collapsing, focusing and capping, and a layered layout.
 *
 * Rules:
 * - Layer of a node = longest path from a source (a node without visible parents).
 * - Collapsing a node hides what lies downstream of it and is reachable only through it (or other
 *   collapsed nodes): visible = everything reachable from the sources without passing through a
 *   collapsed node. The collapsed node itself stays visible.
 * - Focusing on nodes keeps them, their ancestors and their descendants.
 * - At most `maxNodes` nodes are shown; the kept ones are the nearest to the seeds (breadth-first
 *   in both directions), the rest are counted as hidden.
 * - The seeds ("queried") are the lots the user typed: a forward lineage's `seeds` (its `roots` are
 *   the wafer sources), a backward lineage's `roots`.
 * - A wafer-origin edge to a lot that also descends, by split, merge or rework, from a lot of the
 *   same wafer lot says nothing the other path does not: it is left out, so a wafer does not fan
 *   out to every lot cut from it (results written before the walker thinned them).
 * Every step is linear in nodes + edges (plus sorting), so a 20 000-node lineage stays responsive.
 */
import { compareCodeUnits } from '../../../shared/compare'
import { ownValue } from '../../../shared/own-keys'
import type { EdgeType, LineageResult, NodeType } from '../../../shared/trace'

/** Node kinds drawn: the lineage node types plus serial numbers of forward leaves. */
export type ViewNodeType = NodeType | 'SERIAL'
/** Edge kinds drawn: the lineage edge types plus leaf → serial number. */
export type ViewEdgeType = EdgeType | 'serial'

export const VIEW_NODE_TYPES: readonly ViewNodeType[] = ['WAFER', 'GA', 'GC', 'GD', 'LOT', 'UNKNOWN', 'SERIAL']
export const VIEW_EDGE_TYPES: readonly ViewEdgeType[] = ['split_from', 'merge_source', 'wafer_origin', 'gd_rework_source', 'serial']

/** Most nodes drawn at once. */
export const MAX_VISIBLE_NODES = 1500

/** Prefix of the ids of serial-number nodes (never a container id). */
export const SERIAL_ID_PREFIX = 'serial:'

export interface ViewNode {
  id: string
  name: string
  type: ViewNodeType
  mfgorder: string | null
  /** The container's quantity; null when unknown (wafer, serial, or a result without it). */
  qty: number | null
  waferLot: string | null
  /** A lot the user asked for ("queried"): a forward lineage's `seeds`, a backward one's `roots`. */
  isSeed: boolean
}

export interface ViewEdge {
  from: string
  to: string
  type: ViewEdgeType
}

export interface LineageModel {
  nodes: Map<string, ViewNode>
  edges: ViewEdge[]
  parents: Map<string, string[]>
  children: Map<string, string[]>
  /** Nodes without parents, by name. */
  sources: string[]
  /** Seeds of the query, as given and present in the graph. */
  seeds: string[]
  /** Direction of the lineage: which way a node's subtree runs. */
  direction: LineageResult['direction']
  /** Wafer-origin edges left out because another path from the same wafer lot reaches the lot. */
  thinnedWaferEdges: number
}

export interface BuildModelOptions {
  /**
   * Add a node per serial number: below the leaves of a forward lineage (domain.md §7.4), below the
   * seeds of a backward one (`seed_serials`, when the result has it). @default true
   */
  includeSerials?: boolean
}

function byName(model: { nodes: Map<string, ViewNode> }): (a: string, b: string) => number {
  return (a, b) => compareCodeUnits(model.nodes.get(a)?.name ?? a, model.nodes.get(b)?.name ?? b) || compareCodeUnits(a, b)
}

/** Builds the graph from a lineage result; edges from `edges`, completed by the parent/child maps. */
export function buildLineageModel(lineage: LineageResult, options: BuildModelOptions = {}): LineageModel {
  const nodes = new Map<string, ViewNode>()
  // A forward result written before `seeds` was recorded names no queried lot: its roots are wafers.
  const seedList = lineage.direction === 'forward' ? (lineage.seeds ?? []) : lineage.roots
  const seeds = new Set(seedList)
  const ensure = (cid: string): void => {
    if (nodes.has(cid)) return
    const n = ownValue(lineage.nodes, cid)
    nodes.set(cid, {
      id: cid,
      name: n?.container_name || ownValue(lineage.names, cid) || cid,
      type: n?.node_type ?? 'UNKNOWN',
      mfgorder: n?.mfgorder_name ?? null,
      qty: n?.qty ?? null,
      waferLot: n?.wafer_lot ?? null,
      isSeed: seeds.has(cid),
    })
  }
  for (const cid of Object.keys(lineage.nodes)) ensure(cid)
  for (const cid of lineage.roots) ensure(cid)
  for (const cid of seedList) ensure(cid)

  let edges: ViewEdge[] = []
  const seen = new Set<string>()
  const add = (from: string, to: string, type: ViewEdgeType): void => {
    const key = `${from}\u0000${to}`
    if (from === to || seen.has(key)) return
    seen.add(key)
    ensure(from)
    ensure(to)
    edges.push({ from, to, type })
  }
  for (const e of lineage.edges) add(e.from_cid, e.to_cid, e.edge_type)
  let serialsOf: Record<string, string[]>
  if (lineage.direction === 'backward') {
    for (const [child, parents] of Object.entries(lineage.parent_map)) {
      const merges = new Set(ownValue(lineage.merge_edges, child) ?? [])
      for (const p of parents) add(p, child, merges.has(p) ? 'merge_source' : 'split_from')
    }
    serialsOf = lineage.seed_serials ?? {}
  } else {
    for (const [parent, kids] of Object.entries(lineage.children_map)) for (const c of kids) add(parent, c, 'split_from')
    serialsOf = lineage.leaf_serials
  }
  if (options.includeSerials ?? true) {
    for (const [cid, serials] of Object.entries(serialsOf)) {
      for (const sn of serials) {
        const id = SERIAL_ID_PREFIX + sn
        if (!nodes.has(id)) nodes.set(id, { id, name: sn, type: 'SERIAL', mfgorder: null, qty: null, waferLot: null, isSeed: false })
        add(cid, id, 'serial')
      }
    }
  }
  const before = edges.length
  edges = thinWaferEdges(nodes, edges)

  const parents = new Map<string, string[]>()
  const children = new Map<string, string[]>()
  for (const id of nodes.keys()) {
    parents.set(id, [])
    children.set(id, [])
  }
  for (const e of edges) {
    children.get(e.from)!.push(e.to)
    parents.get(e.to)!.push(e.from)
  }
  const model: LineageModel = {
    nodes,
    edges,
    parents,
    children,
    sources: [],
    seeds: seedList.filter((r) => nodes.has(r)),
    direction: lineage.direction,
    thinnedWaferEdges: before - edges.length,
  }
  model.sources = [...nodes.keys()].filter((id) => parents.get(id)!.length === 0).sort(byName(model))
  return model
}

/**
 * The edges without the redundant wafer-origin ones: `W → N` goes when N has another parent of the
 * same wafer lot (by split, merge or rework), which W reaches already.
 */
function thinWaferEdges(nodes: ReadonlyMap<string, ViewNode>, edges: ViewEdge[]): ViewEdge[] {
  const sameWaferParent = new Set<string>()
  for (const e of edges) {
    if (e.type === 'wafer_origin' || e.type === 'serial') continue
    const lot = nodes.get(e.to)?.waferLot
    if (lot && nodes.get(e.from)?.waferLot === lot) sameWaferParent.add(e.to)
  }
  return edges.filter((e) => e.type !== 'wafer_origin' || !sameWaferParent.has(e.to))
}

/** Walks `next` from the starts (starts included) within `scope`, not expanding past `stop`. */
function reach(
  starts: Iterable<string>,
  next: Map<string, string[]>,
  scope: ReadonlySet<string> | null,
  stop: ReadonlySet<string> | null = null,
  seen: Set<string> = new Set(),
): Set<string> {
  const queue: string[] = []
  for (const s of starts) {
    if (seen.has(s) || (scope && !scope.has(s))) continue
    seen.add(s)
    queue.push(s)
  }
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!
    if (stop?.has(id)) continue
    for (const n of next.get(id) ?? []) {
      if (seen.has(n) || (scope && !scope.has(n))) continue
      seen.add(n)
      queue.push(n)
    }
  }
  return seen
}

/** Ancestors of the nodes (the nodes excluded unless one is another's ancestor). */
export function ancestorsOf(model: LineageModel, cids: readonly string[]): Set<string> {
  const out = reach(cids.flatMap((c) => model.parents.get(c) ?? []), model.parents, null)
  return out
}

/** Descendants of the nodes (the nodes excluded unless one is another's descendant). */
export function descendantsOf(model: LineageModel, cids: readonly string[]): Set<string> {
  return reach(cids.flatMap((c) => model.children.get(c) ?? []), model.children, null)
}

/**
 * The nodes with their subtree (original-ui.md §4.3): descendants in a forward lineage, ancestors
 * in a backward one, through every drawn edge; serial numbers are not containers and are left out.
 * The given nodes first, then what they reach, each once.
 */
export function subtreeOf(model: LineageModel, cids: readonly string[]): string[] {
  const next = model.direction === 'forward' ? model.children : model.parents
  return reachable(cids.filter((c) => model.nodes.has(c)), next).filter((c) => !c.startsWith(SERIAL_ID_PREFIX))
}

/** The start nodes, then every node `next` leads to from them, breadth-first, each once. */
export function reachable(start: Iterable<string>, next: ReadonlyMap<string, readonly string[]>): string[] {
  const seen = new Set(start)
  const queue = [...seen]
  for (let i = 0; i < queue.length; i++) {
    for (const n of next.get(queue[i]!) ?? []) {
      if (seen.has(n)) continue
      seen.add(n)
      queue.push(n)
    }
  }
  return queue
}

/** The nodes, their ancestors and their descendants. */
export function focusSet(model: LineageModel, cids: readonly string[]): Set<string> {
  const present = cids.filter((c) => model.nodes.has(c))
  return new Set([...present, ...ancestorsOf(model, present), ...descendantsOf(model, present)])
}

export interface ViewState {
  /** Nodes whose exclusive downstream is hidden. */
  collapsed: ReadonlySet<string>
  /** Show only these nodes with their ancestors and descendants; null or empty = everything. */
  focus: readonly string[] | null
  /** @default MAX_VISIBLE_NODES */
  maxNodes?: number
}

export interface VisibleGraph {
  /** Visible node ids. */
  nodes: Set<string>
  /** Edges whose two ends are visible. */
  edges: ViewEdge[]
  /** Nodes outside the focus. */
  hiddenByFocus: number
  /** Nodes hidden by collapsed nodes. */
  hiddenByCollapse: number
  /** Nodes left out by the node cap. */
  hiddenByCap: number
  /** Collapsed visible nodes that actually hide at least one child. */
  collapsedWithHidden: Set<string>
}

/** What is drawn for a view state (see the rules at the top of this file). */
export function visibleGraph(model: LineageModel, state: ViewState): VisibleGraph {
  const maxNodes = state.maxNodes ?? MAX_VISIBLE_NODES
  const focus = state.focus && state.focus.length > 0 ? focusSet(model, state.focus) : null
  const scopeSize = focus ? focus.size : model.nodes.size
  const sort = byName(model)

  // Starts: sources of the scope, then one node per cycle the sources never reach.
  const scopeIds = focus ? [...focus] : [...model.nodes.keys()]
  const starts = scopeIds.filter((id) => !(model.parents.get(id) ?? []).some((p) => !focus || focus.has(p))).sort(sort)
  const reached = reach(starts, model.children, focus)
  if (reached.size < scopeSize) {
    for (const id of scopeIds.filter((i) => !reached.has(i)).sort(sort)) {
      if (reached.has(id)) continue
      starts.push(id)
      reach([id], model.children, focus, null, reached)
    }
  }

  const shown = state.collapsed.size > 0 ? reach(starts, model.children, focus, state.collapsed) : reached
  const hiddenByCollapse = scopeSize - shown.size

  let nodes = shown
  if (shown.size > maxNodes) {
    // Nearest to the seeds first, in both directions, then from the sources.
    const both = new Map<string, string[]>()
    const neighbours = (id: string): string[] => [...(model.parents.get(id) ?? []), ...(model.children.get(id) ?? [])]
    for (const id of shown) both.set(id, neighbours(id))
    const order = reach(model.seeds, both, shown)
    reach(starts, both, shown, null, order)
    nodes = new Set<string>()
    for (const id of order) {
      if (nodes.size >= maxNodes) break
      nodes.add(id)
    }
  }

  const collapsedWithHidden = new Set<string>()
  for (const c of state.collapsed) {
    if (!nodes.has(c)) continue
    if ((model.children.get(c) ?? []).some((k) => (!focus || focus.has(k)) && !shown.has(k))) collapsedWithHidden.add(c)
  }
  return {
    nodes,
    edges: model.edges.filter((e) => nodes.has(e.from) && nodes.has(e.to)),
    hiddenByFocus: model.nodes.size - scopeSize,
    hiddenByCollapse,
    hiddenByCap: shown.size - nodes.size,
    collapsedWithHidden,
  }
}

/** Adds the node to the collapsed set, or removes it (a new set; the input is not changed). */
export function toggleCollapsed(collapsed: ReadonlySet<string>, cid: string): Set<string> {
  const next = new Set(collapsed)
  if (next.has(cid)) next.delete(cid)
  else next.add(cid)
  return next
}

/** Collapsed set that shows only the sources of the graph. */
export function collapseToSources(model: LineageModel): Set<string> {
  return new Set(model.sources)
}

/**
 * Selection after clicking a node: the node alone, or with Ctrl/Cmd (`additive`) the node added
 * to the selection — or removed when it was already selected.
 */
export function nextSelection(current: readonly string[], cid: string, additive: boolean): string[] {
  if (!additive) return [cid]
  return current.includes(cid) ? current.filter((c) => c !== cid) : [...current, cid]
}

export interface NodePosition {
  /** Layer (longest path from a source within the visible graph). */
  layer: number
  /** Position within the layer, in row units (may be fractional). */
  y: number
}

/**
 * Layered layout of the visible nodes. Layers by longest path (Kahn's order; a cycle is broken at
 * its smallest-named node). Rows: down, up and down sweeps placing each node near the barycenter
 * of its neighbours in the previous layer, at least one row apart, which keeps chains straight
 * and limits crossings.
 */
export function layoutLineage(model: LineageModel, visible: ReadonlySet<string>): Map<string, NodePosition> {
  return layoutGraph(
    [...visible],
    (id) => (model.parents.get(id) ?? []).filter((p) => visible.has(p)),
    (id) => (model.children.get(id) ?? []).filter((c) => visible.has(c)),
    byName(model),
  )
}

/**
 * The layered layout of {@link layoutLineage} for any directed graph (the grouped view draws
 * groups and single nodes): `parentsOf`/`childrenOf` list drawn neighbours only, `sort` breaks ties.
 */
export function layoutGraph(
  drawn: readonly string[],
  parentsOf: (id: string) => string[],
  childrenOf: (id: string) => string[],
  sort: (a: string, b: string) => number,
): Map<string, NodePosition> {
  const ids = [...drawn].sort(sort)

  const indegree = new Map<string, number>()
  const layer = new Map<string, number>()
  for (const id of ids) {
    indegree.set(id, parentsOf(id).length)
    layer.set(id, 0)
  }
  const done = new Set<string>()
  const queue = ids.filter((id) => indegree.get(id) === 0)
  let head = 0
  let nextForced = 0
  while (done.size < ids.length) {
    if (head >= queue.length) {
      while (done.has(ids[nextForced]!)) nextForced++
      queue.push(ids[nextForced]!)
    }
    const id = queue[head++]!
    if (done.has(id)) continue
    done.add(id)
    for (const c of childrenOf(id)) {
      if (done.has(c)) continue
      layer.set(c, Math.max(layer.get(c)!, layer.get(id)! + 1))
      const d = indegree.get(c)! - 1
      indegree.set(c, d)
      if (d === 0) queue.push(c)
    }
  }

  const layers: string[][] = []
  for (const id of ids) (layers[layer.get(id)!] ??= []).push(id)
  const y = new Map<string, number>()
  layers[0]?.forEach((id, i) => y.set(id, i))

  const place = (row: string[], neighbours: (id: string) => string[], fallback: (id: string) => number): void => {
    const desired = new Map<string, number>()
    for (const id of row) {
      const placed = neighbours(id).filter((n) => y.has(n))
      desired.set(id, placed.length > 0 ? placed.reduce((s, n) => s + y.get(n)!, 0) / placed.length : fallback(id))
    }
    row.sort((a, b) => desired.get(a)! - desired.get(b)! || sort(a, b))
    let previous = -Infinity
    let shift = 0
    for (const id of row) {
      const at = Math.max(desired.get(id)!, previous + 1)
      y.set(id, at)
      shift += desired.get(id)! - at
      previous = at
    }
    // Centre the row on what its nodes wanted; a uniform shift keeps the spacing.
    shift /= row.length
    for (const id of row) y.set(id, y.get(id)! + shift)
  }

  let bottom = (layers[0]?.length ?? 0) - 1
  const below = (): number => ++bottom
  for (let l = 1; l < layers.length; l++) place(layers[l]!, (id) => parentsOf(id).filter((p) => layer.get(p)! < l), below)
  for (let l = layers.length - 2; l >= 0; l--) {
    const keep = new Map(layers[l]!.map((id) => [id, y.get(id)!]))
    for (const id of layers[l]!) y.delete(id)
    place(layers[l]!, (id) => childrenOf(id).filter((c) => layer.get(c)! > l), (id) => keep.get(id)!)
  }
  for (let l = 1; l < layers.length; l++) {
    const keep = new Map(layers[l]!.map((id) => [id, y.get(id)!]))
    for (const id of layers[l]!) y.delete(id)
    place(layers[l]!, (id) => parentsOf(id).filter((p) => layer.get(p)! < l), (id) => keep.get(id)!)
  }

  const out = new Map<string, NodePosition>()
  for (const id of ids) out.set(id, { layer: layer.get(id)!, y: y.get(id)! })
  return out
}

/** Counts for the summary line and the accessible label. */
export interface LineageSummary {
  total: number
  shown: number
  edges: number
  seeds: number
  hidden: number
  hiddenByCap: number
}

export function lineageSummary(model: LineageModel, view: VisibleGraph): LineageSummary {
  return {
    total: model.nodes.size,
    shown: view.nodes.size,
    edges: view.edges.length,
    seeds: model.seeds.length,
    hidden: model.nodes.size - view.nodes.size,
    hiddenByCap: view.hiddenByCap,
  }
}
