/**
 * The grouped lineage graph: a plant-scale lineage (a work order's 7 770 nodes) is drawn as one
 * node per group — work order, wafer lot or node type — with its member count, and a group opens
 * on demand into its members. Nodes pulled out of their group (the path Find opened, the
 * selection) are drawn on their own beside what is left of it.
 *
 * Rules:
 * - A node without the grouping field (a wafer has no work order) falls into its type's group.
 * - A group of one is drawn as its node; an opened group as its members.
 * - Links between drawn items are merged: one link per pair, styled by its most frequent edge
 *   type, with the count of each type; links inside a group are not drawn.
 */
import { compareCodeUnits } from '../../../shared/compare'
import type { LineageModel, ViewEdgeType, ViewNodeType, VisibleGraph } from './lineage-view'

/** What the graph groups nodes by; `none` draws every node. */
export type GroupMode = 'none' | 'work_order' | 'wafer_lot' | 'type'
export const GROUP_MODES: readonly GroupMode[] = ['work_order', 'wafer_lot', 'type', 'none']

/** A lineage with more nodes than this opens grouped by work order; smaller ones node by node. */
export const GROUP_THRESHOLD = 200

/** Prefix of the ids of group items (never a container id or a serial number id). */
export const GROUP_ID_PREFIX = 'group:'

/** The grouping a lineage of this size opens with. */
export function defaultGroupMode(model: LineageModel): GroupMode {
  return model.nodes.size > GROUP_THRESHOLD ? 'work_order' : 'none'
}

/** The key of a node's group: `wo:<order>`, `wl:<wafer lot>` or `type:<type>`. */
export function groupKeyOf(model: LineageModel, cid: string, mode: Exclude<GroupMode, 'none'>): string {
  const n = model.nodes.get(cid)
  const type = n?.type ?? 'UNKNOWN'
  if (mode === 'work_order' && n?.mfgorder) return `wo:${n.mfgorder}`
  if (mode === 'wafer_lot' && n?.waferLot && type !== 'SERIAL') return `wl:${n.waferLot}`
  return `type:${type}`
}

export interface DrawItem {
  /** A node's id, or {@link GROUP_ID_PREFIX} + the group key. */
  id: string
  kind: 'node' | 'group'
  /** Node: its name. Group: the work order or wafer lot; empty for a type group (named by its type). */
  name: string
  /** Node: its type. Group: its most frequent member type. */
  type: ViewNodeType
  /** Group: the members it holds (visible, not drawn on their own). Node: itself. */
  members: string[]
  /** Group: its key. */
  key?: string
}

export interface DrawEdge {
  from: string
  to: string
  /** The most frequent edge type between the two items. */
  type: ViewEdgeType
  /** Edges between the two items, per type. */
  counts: Partial<Record<ViewEdgeType, number>>
}

export interface DrawGraph {
  items: Map<string, DrawItem>
  edges: DrawEdge[]
  parents: Map<string, string[]>
  children: Map<string, string[]>
  /** Groups drawn. */
  groups: number
  /** Nodes drawn on their own. */
  singles: number
  /** The drawn item of each visible node (itself or its group). */
  itemOf: Map<string, string>
}

export interface GroupState {
  mode: GroupMode
  /** Opened group keys. */
  opened: ReadonlySet<string>
  /** Nodes drawn on their own whatever their group (Find's path, the selection). */
  revealed: ReadonlySet<string>
}

function mostFrequent<K extends string>(counts: Map<K, number>): K {
  let best: K | undefined
  let max = -1
  for (const [k, n] of counts) {
    if (n > max) {
      best = k
      max = n
    }
  }
  return best!
}

/** The items and links drawn for a visible graph under a grouping. */
export function groupGraph(model: LineageModel, view: VisibleGraph, state: GroupState): DrawGraph {
  const itemOf = new Map<string, string>()
  const items = new Map<string, DrawItem>()
  const members = new Map<string, string[]>()
  const mode = state.mode
  if (mode !== 'none') {
    for (const id of view.nodes) {
      if (state.revealed.has(id)) continue
      const key = groupKeyOf(model, id, mode)
      if (state.opened.has(key)) continue
      const list = members.get(key)
      if (list) list.push(id)
      else members.set(key, [id])
    }
  }
  let groups = 0
  for (const [key, list] of members) {
    if (list.length < 2) continue
    const id = GROUP_ID_PREFIX + key
    const types = new Map<ViewNodeType, number>()
    for (const m of list) {
      const t = model.nodes.get(m)?.type ?? 'UNKNOWN'
      types.set(t, (types.get(t) ?? 0) + 1)
      itemOf.set(m, id)
    }
    items.set(id, { id, kind: 'group', name: key.startsWith('type:') ? '' : key.slice(key.indexOf(':') + 1), type: mostFrequent(types), members: list, key })
    groups++
  }
  let singles = 0
  for (const id of view.nodes) {
    if (itemOf.has(id)) continue
    const n = model.nodes.get(id)
    itemOf.set(id, id)
    items.set(id, { id, kind: 'node', name: n?.name ?? id, type: n?.type ?? 'UNKNOWN', members: [id] })
    singles++
  }

  const pairs = new Map<string, { from: string; to: string; counts: Map<ViewEdgeType, number> }>()
  for (const e of view.edges) {
    const from = itemOf.get(e.from)
    const to = itemOf.get(e.to)
    if (!from || !to || from === to) continue
    const key = `${from}\u0000${to}`
    let pair = pairs.get(key)
    if (!pair) {
      pair = { from, to, counts: new Map() }
      pairs.set(key, pair)
    }
    pair.counts.set(e.type, (pair.counts.get(e.type) ?? 0) + 1)
  }
  const edges: DrawEdge[] = []
  const parents = new Map<string, string[]>()
  const children = new Map<string, string[]>()
  for (const id of items.keys()) {
    parents.set(id, [])
    children.set(id, [])
  }
  for (const p of pairs.values()) {
    edges.push({ from: p.from, to: p.to, type: mostFrequent(p.counts), counts: Object.fromEntries(p.counts) })
    children.get(p.from)!.push(p.to)
    parents.get(p.to)!.push(p.from)
  }
  return { items, edges, parents, children, groups, singles, itemOf }
}

/** Order of drawn items: by name (type groups by type), then id. */
export function drawOrder(graph: DrawGraph): (a: string, b: string) => number {
  const label = (id: string): string => {
    const item = graph.items.get(id)
    return item ? item.name || item.type : id
  }
  return (a, b) => compareCodeUnits(label(a), label(b)) || compareCodeUnits(a, b)
}
