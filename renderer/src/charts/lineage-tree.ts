/**
 * The indented genealogy tree beside the lineage graph, as commercial MES genealogy views show it:
 * one row per container, its children indented below it, with the relation to its parent row.
 *
 * Rules:
 * - Forward, the tree runs downstream from the sources (wafers first); backward it runs upstream
 *   from the most downstream nodes (the serial numbers, else the queried lots) through parents.
 * - A lineage is a graph (merges give a lot several parents): each node sits once, under its
 *   preferred parent (split before GD rework before merge before serial before wafer origin, then
 *   by name); under each other parent it is listed as a reference row that does not open. A
 *   wafer-origin parent is not repeated as a reference: the lot's other parent already descends
 *   from that wafer.
 * - Nodes a cycle hides from every root become roots themselves (the smallest name first).
 * Building and flattening are linear in nodes + edges, so a 7 770-node tree stays responsive.
 */
import { compareCodeUnits } from '../../../shared/compare'
import type { LineageModel, ViewEdgeType } from './lineage-view'

/** Preference of a node's parent row, by the relation's type (lower first). */
const RELATION_RANK: Record<ViewEdgeType, number> = { split_from: 0, gd_rework_source: 1, merge_source: 2, serial: 3, wafer_origin: 4 }

export interface TreeLink {
  id: string
  /** The edge between the row and its parent row. */
  relation: ViewEdgeType
  /** A reference: the node sits under another parent; this row does not open. */
  isRef: boolean
}

export interface LineageTree {
  roots: string[]
  /** Rows below a node, in name order: its children and its references. */
  kids: Map<string, TreeLink[]>
  /** The parent row of a node (none for a root). */
  parentOf: Map<string, TreeLink & { parent: string }>
  /** Nodes below each node in the tree (references not counted). */
  sizes: Map<string, number>
}

/** The tree of a lineage model (see the rules at the top of this file). */
export function buildLineageTree(model: LineageModel): LineageTree {
  const forward = model.direction === 'forward'
  const down = forward ? model.children : model.parents
  const up = forward ? model.parents : model.children
  const byName = (a: string, b: string): number =>
    compareCodeUnits(model.nodes.get(a)?.name ?? a, model.nodes.get(b)?.name ?? b) || compareCodeUnits(a, b)
  const typeOf = new Map<string, ViewEdgeType>()
  for (const e of model.edges) typeOf.set(`${e.from}\u0000${e.to}`, e.type)
  const relation = (parent: string, child: string): ViewEdgeType =>
    (forward ? typeOf.get(`${parent}\u0000${child}`) : typeOf.get(`${child}\u0000${parent}`)) ?? 'split_from'

  // Preferred parent of every node that has one.
  const preferred = new Map<string, string>()
  for (const id of model.nodes.keys()) {
    let best: string | undefined
    for (const p of up.get(id) ?? []) {
      if (best === undefined) best = p
      else {
        const d = RELATION_RANK[relation(p, id)] - RELATION_RANK[relation(best, id)]
        if (d < 0 || (d === 0 && byName(p, best) < 0)) best = p
      }
    }
    if (best !== undefined) preferred.set(id, best)
  }

  const kids = new Map<string, TreeLink[]>()
  const parentOf = new Map<string, TreeLink & { parent: string }>()
  const roots = [...model.nodes.keys()].filter((id) => (up.get(id) ?? []).length === 0).sort(byName)
  const placed = new Set<string>()
  const order: string[] = []
  const walk = (starts: string[]): void => {
    const queue = starts.filter((s) => !placed.has(s))
    for (const s of queue) placed.add(s)
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i]!
      order.push(id)
      const rows: TreeLink[] = []
      for (const c of down.get(id) ?? []) {
        const rel = relation(id, c)
        if (preferred.get(c) === id && !placed.has(c)) {
          placed.add(c)
          queue.push(c)
          rows.push({ id: c, relation: rel, isRef: false })
          parentOf.set(c, { parent: id, id: c, relation: rel, isRef: false })
        } else if (rel !== 'wafer_origin') {
          rows.push({ id: c, relation: rel, isRef: true })
        }
      }
      rows.sort((a, b) => byName(a.id, b.id) || Number(a.isRef) - Number(b.isRef))
      kids.set(id, rows)
    }
  }
  walk(roots)
  // A node whose preferred parent lies in a cycle no root reaches: the cycle opens at its smallest name.
  if (placed.size < model.nodes.size) {
    for (const id of [...model.nodes.keys()].filter((n) => !placed.has(n)).sort(byName)) {
      if (placed.has(id)) continue
      roots.push(id)
      walk([id])
    }
  }

  const sizes = new Map<string, number>()
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i]!
    let n = 0
    for (const k of kids.get(id) ?? []) if (!k.isRef) n += 1 + (sizes.get(k.id) ?? 0)
    sizes.set(id, n)
  }
  return { roots, kids, parentOf, sizes }
}

/** One row of the flattened tree. */
export interface TreeRow {
  /** Unique per row: the node id, or `parent>id` for a reference. */
  key: string
  id: string
  depth: number
  /** Relation to the parent row (none for a root). */
  relation: ViewEdgeType | null
  isRef: boolean
  /** Parent row's node (none for a root). */
  parent: string | null
  hasChildren: boolean
  expanded: boolean
}

/**
 * The rows shown: the roots, and below every expanded node its rows. With `only` (a search), just
 * the nodes in it, all opened.
 */
export function flattenTree(tree: LineageTree, expanded: ReadonlySet<string>, only: ReadonlySet<string> | null = null): TreeRow[] {
  const out: TreeRow[] = []
  const stack: { link: TreeLink | null; id: string; depth: number; parent: string | null }[] = []
  for (let i = tree.roots.length - 1; i >= 0; i--) {
    const id = tree.roots[i]!
    if (!only || only.has(id)) stack.push({ link: null, id, depth: 0, parent: null })
  }
  while (stack.length > 0) {
    const { link, id, depth, parent } = stack.pop()!
    const isRef = link?.isRef ?? false
    const rows = isRef ? [] : (tree.kids.get(id) ?? []).filter((k) => !only || only.has(k.id))
    const open = rows.length > 0 && (only !== null || expanded.has(id))
    out.push({ key: isRef ? `${parent}>${id}` : id, id, depth, relation: link?.relation ?? null, isRef, parent, hasChildren: rows.length > 0, expanded: open })
    if (!open) continue
    for (let i = rows.length - 1; i >= 0; i--) stack.push({ link: rows[i]!, id: rows[i]!.id, depth: depth + 1, parent: id })
  }
  return out
}

/** The nodes above a node in the tree, root first (the node excluded). */
export function treePath(tree: LineageTree, id: string): string[] {
  const path: string[] = []
  const seen = new Set([id])
  for (let at = tree.parentOf.get(id); at && !seen.has(at.parent); at = tree.parentOf.get(at.parent)) {
    seen.add(at.parent)
    path.push(at.parent)
  }
  return path.reverse()
}

/** Expanded set with the path to each node opened (a new set). */
export function expandPathTo(tree: LineageTree, expanded: ReadonlySet<string>, ids: readonly string[]): Set<string> {
  const next = new Set(expanded)
  for (const id of ids) for (const p of treePath(tree, id)) next.add(p)
  return next
}

/**
 * A search of the tree: the nodes whose lot ID, work order, type or container id holds the text
 * (any case), with the path to each; null for an empty text. `matches` counts the hits.
 */
export function searchTree(model: LineageModel, tree: LineageTree, text: string): { shown: Set<string>; matches: string[] } | null {
  const wanted = text.trim().toLowerCase()
  if (wanted === '') return null
  const matches: string[] = []
  for (const n of model.nodes.values()) {
    if ([n.name, n.mfgorder ?? '', n.type, n.id].some((v) => v.toLowerCase().includes(wanted))) matches.push(n.id)
  }
  const shown = new Set<string>()
  for (const id of matches) {
    if (shown.has(id)) continue
    shown.add(id)
    for (let at = tree.parentOf.get(id); at && !shown.has(at.parent); at = tree.parentOf.get(at.parent)) shown.add(at.parent)
  }
  return { shown, matches }
}

/** Expanded set a tree opens with: everything for a small lineage, nothing (roots only) for a large one. */
export function initialExpanded(tree: LineageTree, openAllBelow: number): Set<string> {
  let total = 0
  for (const r of tree.roots) total += 1 + (tree.sizes.get(r) ?? 0)
  if (total > openAllBelow) return new Set()
  return new Set([...tree.kids].filter(([, rows]) => rows.length > 0).map(([id]) => id))
}
