/**
 * Lineage (genealogy) resolution, domain.md §3.5–3.6 with the decisions of §14 #13.
 *
 * The genealogy is walked here, level by level, with batched reads (IN lists of at most
 * `dialect.maxInList` bound values) instead of database-specific hierarchical SQL, so one walk
 * serves SQLite, PostgreSQL and Oracle. Every walk keeps a visited set (cycles and
 * self-references never loop), stops at `maxDepth` levels and `maxNodes` nodes, and reports a cap
 * it hit as `truncated` rather than cutting silently.
 */
import { compareCodeUnits } from '../../shared/compare.js'
import { LINEAGE_MAX_DEPTH, LINEAGE_MAX_NODES } from '../../shared/limits.js'
import { invalidInput } from '../../shared/errors.js'
import type { BackwardLineage, ForwardLineage, LineageNode, LineageTruncation } from '../../shared/trace.js'
import type { MesSource } from '../sources/index.js'
import {
  EdgeSet,
  gdSourceOf,
  sortByNameThenCid,
  splitParentOf,
  toLineageNode,
  walkSeedAncestry,
} from './lineage-graph.js'
import { LineageReader, throwIfCancelled, unique, type ContainerSnapshot } from './lineage-reader.js'

/** Levels walked from the seeds when no `maxDepth` is given (the original's hierarchical limit). */
export const DEFAULT_LINEAGE_MAX_DEPTH = LINEAGE_MAX_DEPTH
/** Nodes a lineage graph may hold when no `maxNodes` is given. */
export const DEFAULT_LINEAGE_MAX_NODES = LINEAGE_MAX_NODES

/** Progress of a lineage walk. */
export interface LineageProgress {
  /** The level just finished (0 = the seeds' own level). */
  level: number
  /** Nodes known so far. */
  nodes: number
}

/** Options of {@link resolveBackwardLineage} and {@link resolveForwardLineage}. */
export interface LineageOptions {
  /** The MES source to read. */
  source: MesSource
  /** Cancels between (and during) queries with `trace/cancelled`. */
  signal?: AbortSignal
  /**
   * Largest number of levels walked from the seeds (forward: climbed up to the split tops, then
   * walked down from them). Hitting it marks the result `truncated` with `depth_cap`.
   * @default 20
   */
  maxDepth?: number
  /**
   * Largest number of nodes in the graph (seeds are always kept). Hitting it marks the result
   * `truncated` with `node_cap`.
   * @default 500_000
   */
  maxNodes?: number
  /**
   * A staged walk first follows the seeds' relations on the server in one recursive statement and
   * reads from what it returned (`LineageReader.readAhead`): backward every relation, forward the
   * climb to the tops, the split children down from them, their merge sources, wafer lots and GD
   * sources. The genealogy is the same; the source answers one statement instead of a few per
   * chunk of each level. A pushed-down MSD run sets it.
   * @default false
   */
  readAhead?: boolean
  /** Called after each level of the walk. */
  onProgress?: (progress: LineageProgress) => void
  /**
   * Called where a staged walk has released what it read to find the graph (every node is then in
   * the graph and known by id only): a worker collects its heap there (`heap-policy.ts`), before
   * the walk's orders and link lists are made. The forward walk calls it once more, when its wafer
   * links are worked out (their working arrays, several per node, are garbage then).
   */
  onStepEnd?: () => void
}

export interface Limits {
  maxDepth: number
  maxNodes: number
}

export function limitsOf(options: LineageOptions): Limits {
  const maxDepth = options.maxDepth ?? DEFAULT_LINEAGE_MAX_DEPTH
  const maxNodes = options.maxNodes ?? DEFAULT_LINEAGE_MAX_NODES
  if (!Number.isInteger(maxDepth) || maxDepth < 0) {
    throw invalidInput('maxDepth', `expected an integer ≥ 0, got ${maxDepth}`)
  }
  if (!Number.isInteger(maxNodes) || maxNodes < 1) {
    throw invalidInput('maxNodes', `expected an integer ≥ 1, got ${maxNodes}`)
  }
  return { maxDepth, maxNodes }
}

/** Collects the caps a walk hit, reported in a fixed order. */
export class Truncation {
  private readonly reasons = new Set<LineageTruncation>()
  add(reason: LineageTruncation): void {
    this.reasons.add(reason)
  }
  get isTruncated(): boolean {
    return this.reasons.size > 0
  }
  list(): LineageTruncation[] {
    return (['depth_cap', 'node_cap'] as const).filter((r) => this.reasons.has(r))
  }
}

/** The upstream relations of one container, as read. */
export interface Relations {
  split: string | null
  /** Sorted merge sources. */
  merges: readonly string[]
  gd: string | null
  wafer: string | null
}

/**
 * Direct parents in `parent_map` order: split parent, merge sources, GD source, wafer origin; only
 * those `keep` accepts. The list is spread from a set, so it has exactly its length: an array grown
 * by `push` or made by `filter` reserves 17 slots for its first element, and one is kept per
 * container (measured: 193 against 65 bytes for a one-parent list; parent maps of 114 698
 * containers took 24 MB).
 */
export function parentsOf(cid: string, relations: Relations, keep: (parent: string) => boolean = () => true): string[] {
  const parents = new Set<string>()
  for (const parent of [relations.split, ...relations.merges, relations.gd, relations.wafer]) {
    if (parent !== null && parent !== cid && keep(parent)) parents.add(parent)
  }
  return [...parents]
}

/** The upstream relations of a container of the frontier, from its snapshot and its merge records. */
export function relationsOf(cid: string, reader: LineageReader, merges: ReadonlyMap<string, readonly string[]>): Relations {
  const snapshot = reader.snapshot(cid)
  return {
    split: splitParentOf(snapshot),
    merges: merges.get(cid) ?? [],
    gd: snapshot ? gdSourceOf(snapshot) : null,
    wafer: snapshot ? reader.waferOf(snapshot) : null,
  }
}

/** The graph of a backward walk as {@link admitParents} grows it. */
export interface GrowingGraph {
  has(cid: string): boolean
  size(): number
  add(cid: string): void
}

/**
 * Adds the parents of a container expanded at `level` to the graph, in `parent_map` order, while
 * the caps allow; a parent a cap leaves out is recorded in `truncation` (the deepest level is still
 * expanded so that a cut is detected, never silent).
 */
export function admitParents(cid: string, relations: Relations, level: number, limits: Limits, graph: GrowingGraph, truncation: Truncation): void {
  for (const parent of parentsOf(cid, relations)) {
    if (graph.has(parent)) continue
    if (level >= limits.maxDepth) {
      truncation.add('depth_cap')
      continue
    }
    if (graph.size() >= limits.maxNodes) {
      truncation.add('node_cap')
      continue
    }
    graph.add(parent)
  }
}

export function firstNamesOf(cids: readonly string[], reader: LineageReader): string[] {
  const names: string[] = []
  for (const cid of cids) {
    const firstName = reader.snapshot(cid)?.firstName
    if (firstName) names.push(firstName)
  }
  return names
}

function nameResolver(reader: LineageReader): (cid: string) => string {
  return (cid) => reader.knownName(cid) ?? cid
}

/**
 * The graph's names and typed nodes, the last thing a walk builds: each container's snapshot is
 * dropped from the reader once its node is made, so the snapshots and the nodes are not all held
 * at once (the walk's peak).
 */
function namesAndNodes(
  cids: Iterable<string>,
  reader: LineageReader,
  waferNodes: ReadonlySet<string>,
): { names: Record<string, string>; nodes: Record<string, LineageNode> } {
  const sorted = [...cids].sort(compareCodeUnits)
  function* entries(): Generator<[string, LineageNode]> {
    for (const cid of sorted) {
      // A lot without a container row (a merge source, a serial's source lot) keeps the name its
      // merge record gives it, as the original's "snapshot name → known name → CID".
      const node = { ...toLineageNode(cid, reader.snapshot(cid), waferNodes.has(cid)), container_name: reader.knownName(cid) ?? cid }
      reader.release(cid)
      yield [cid, node]
    }
  }
  // Object.fromEntries defines own properties, so even a CID such as `__proto__` stays a plain key.
  const nodes = Object.fromEntries(entries())
  return {
    names: Object.fromEntries(sorted.map((cid) => [cid, nodes[cid]!.container_name])),
    nodes,
  }
}

function sortedRecord(map: ReadonlyMap<string, string[]>): Record<string, string[]> {
  return Object.fromEntries([...map.keys()].sort(compareCodeUnits).map((key) => [key, map.get(key) ?? []]))
}

/** `known` when it holds the same CIDs in the same order as `list`. */
function sameList(list: readonly string[], known: string[] | undefined): string[] | undefined {
  return known !== undefined && known.length === list.length && known.every((cid, i) => cid === list[i]) ? known : undefined
}

function addLink(links: Map<string, string[]>, from: string, to: string): void {
  const list = links.get(from)
  if (list) list.push(to)
  else links.set(from, [to])
}

/**
 * The wafer-origin links worth drawing. Every container cut from a wafer lot names it in FIRSTNAME,
 * so linking the wafer to all of them draws one node wired to thousands. A container keeps its
 * link only when the wafer does not already reach it through the other links (split, merge, GD
 * rework, whichever the view walks) from the wafer or from a container that kept its link: the
 * topmost containers of that wafer lot. Containers are visited in topological order of `links`
 * (a genealogy cycle last, by CID), so a parent keeps the link before its child is considered.
 * What the wafer reaches is unchanged; only shortcuts are dropped.
 *
 * @param waferLinks container → its wafer origin, both in the graph
 * @param links the other links, parent → children
 * @returns container → wafer origin, for the links to keep
 */
export function topmostWaferLinks(
  waferLinks: ReadonlyMap<string, string>,
  links: ReadonlyMap<string, readonly string[]>,
): Map<string, string> {
  const indegree = new Map<string, number>()
  const nodes = new Set<string>()
  for (const [parent, children] of links) {
    nodes.add(parent)
    for (const child of children) {
      nodes.add(child)
      indegree.set(child, (indegree.get(child) ?? 0) + 1)
    }
  }
  for (const [child, wafer] of waferLinks) {
    nodes.add(child)
    nodes.add(wafer)
  }
  const position = new Map<string, number>()
  const queue = [...nodes].filter((cid) => !indegree.get(cid)).sort(compareCodeUnits)
  for (let i = 0; i < queue.length; i++) {
    const cid = queue[i]!
    position.set(cid, position.size)
    for (const child of links.get(cid) ?? []) {
      const left = (indegree.get(child) ?? 1) - 1
      indegree.set(child, left)
      if (left === 0) queue.push(child)
    }
  }
  for (const cid of [...nodes].filter((n) => !position.has(n)).sort(compareCodeUnits)) position.set(cid, position.size)

  const byWafer = new Map<string, string[]>()
  for (const [child, wafer] of waferLinks) addLink(byWafer, wafer, child)
  const kept = new Map<string, string>()
  for (const [wafer, members] of byWafer) {
    const reached = new Set<string>([wafer])
    const reachFrom = (start: string): void => {
      const stack = [start]
      while (stack.length > 0) {
        for (const child of links.get(stack.pop()!) ?? []) {
          if (reached.has(child)) continue
          reached.add(child)
          stack.push(child)
        }
      }
    }
    reachFrom(wafer)
    members.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0))
    for (const member of members) {
      if (reached.has(member)) continue
      kept.set(member, wafer)
      reached.add(member)
      reachFrom(member)
    }
  }
  return kept
}

/**
 * Resolves the ancestors of the seeds (domain.md §3.5): split parents, merge sources, GD rework
 * sources and wafer origins, all followed to a fixpoint (merges of merge sources included) within
 * `maxDepth` levels. `seed_roots` picks, per seed, the parentless ancestor farthest from it, then
 * the smallest name (§14 #13). Seeds that are not containers still appear, typed `UNKNOWN` and
 * named by their merge record when they have one. `seed_serials` holds the serial numbers each seed
 * was merged into. Ancestors are walked over every relation; `parent_map` and the edges leave out
 * the wafer-origin links the wafer already reaches another way ({@link topmostWaferLinks}).
 *
 * @throws AppError `trace/cancelled` when `signal` fires, `trace/lineage-failed` when a query fails,
 *   `input/invalid` for a bad cap.
 */
export async function resolveBackwardLineage(seeds: readonly string[], options: LineageOptions): Promise<BackwardLineage> {
  const { maxDepth, maxNodes } = limitsOf(options)
  return walkBackward(unique(seeds), options, maxDepth, maxNodes)
}

async function walkBackward(seeds: string[], options: LineageOptions, maxDepth: number, maxNodes: number): Promise<BackwardLineage> {
  throwIfCancelled(options.signal)
  const reader = new LineageReader(options.source, options.signal)
  const truncation = new Truncation()
  const graph = new Set<string>(seeds)
  // Every node of the graph is expanded exactly once, so this holds the relations of all of them.
  const relations = new Map<string, Relations>()

  let frontier = seeds
  for (let level = 0; frontier.length > 0; level++) {
    await reader.loadContainers(frontier)
    const merges = await reader.mergeSources(frontier)
    await reader.resolveWafers(firstNamesOf(frontier, reader))
    const next: string[] = []
    const joins = { has: (cid: string) => graph.has(cid), size: () => graph.size, add: (cid: string) => void (graph.add(cid), next.push(cid)) }
    for (const cid of frontier) {
      const nodeRelations = relationsOf(cid, reader, merges)
      relations.set(cid, nodeRelations)
      admitParents(cid, nodeRelations, level, { maxDepth, maxNodes }, joins, truncation)
    }
    options.onProgress?.({ level, nodes: graph.size })
    frontier = next
  }

  // The serial numbers the seeds were merged into: the leaves a reverse trace draws below them.
  // Read before naming, so a seed without a container row is named by its merge record.
  const seedSerials = await reader.serials(seeds)

  // Relations to nodes left out by a cap are dropped, so every edge has both ends in the graph.
  // Ancestors and roots are walked over every relation (`fullParents`); what is drawn
  // (`parent_map`, edges) leaves out wafer-origin links the wafer already reaches another way.
  const inGraphNode = (cid: string): boolean => graph.has(cid)
  const fullParents = new Map<string, string[]>()
  const otherLinks = new Map<string, string[]>()
  const waferLinks = new Map<string, string>()
  const waferNodes = new Set<string>()
  for (const [child, rel] of relations) {
    const inGraph = (cid: string | null): cid is string => cid !== null && cid !== child && graph.has(cid)
    for (const parent of [rel.split, ...rel.merges, rel.gd]) if (inGraph(parent)) addLink(otherLinks, parent, child)
    if (inGraph(rel.wafer)) {
      waferLinks.set(child, rel.wafer)
      waferNodes.add(rel.wafer)
    }
    const parents = parentsOf(child, rel, inGraphNode)
    if (parents.length > 0) fullParents.set(child, parents)
  }
  const keptWafers = topmostWaferLinks(waferLinks, otherLinks)
  otherLinks.clear()

  const parentMap = new Map<string, string[]>()
  const mergeEdges = new Map<string, string[]>()
  const edges = new EdgeSet()
  for (const [child, rel] of relations) {
    const inGraph = (cid: string | null): cid is string => cid !== null && cid !== child && graph.has(cid)
    if (inGraph(rel.split)) edges.add(rel.split, child, 'split_from')
    const merges = [...rel.merges.filter(inGraph)] // copied to its exact length, see parentsOf
    for (const source of merges) edges.add(source, child, 'merge_source')
    if (merges.length > 0) mergeEdges.set(child, merges)
    if (inGraph(rel.gd)) edges.add(rel.gd, child, 'gd_rework_source')
    const wafer = keptWafers.get(child) ?? null
    if (wafer !== null) edges.add(wafer, child, 'wafer_origin')
    // A wafer that is also the split parent, a merge source or the GD source stays a parent.
    const parents = parentsOf(child, { ...rel, wafer }, inGraphNode)
    // Most containers keep every parent: they share the list walked for ancestors.
    if (parents.length > 0) parentMap.set(child, sameList(parents, fullParents.get(child)) ?? parents)
  }
  // What follows needs the parents and the names; the relations as read can go.
  relations.clear()

  const nameOf = nameResolver(reader)
  const ancestorEntries: [string, string[]][] = []
  const rootEntries: [string, string][] = []
  const allAncestors = new Set<string>()
  for (const seed of seeds) {
    throwIfCancelled(options.signal)
    const ancestry = walkSeedAncestry(seed, fullParents, maxDepth, nameOf)
    if (ancestry.depthCut) truncation.add('depth_cap')
    ancestorEntries.push([seed, ancestry.ancestors])
    rootEntries.push([seed, ancestry.rootName])
    for (const cid of ancestry.ancestors) allAncestors.add(cid)
  }

  const edgeList = edges.sorted()
  const counted = new Set<string>([...seeds, ...allAncestors])
  for (const edge of edgeList) {
    counted.add(edge.from_cid)
    counted.add(edge.to_cid)
  }
  // Every wafer link counts, drawn or not, so the count does not depend on what is drawn.
  for (const [child, wafer] of waferLinks) counted.add(child).add(wafer)
  const seedSet = new Set(seeds)
  let ancestorCount = 0
  for (const cid of allAncestors) if (!seedSet.has(cid)) ancestorCount++
  const totalNodes = counted.size

  // The maps become the result's records, and each working collection is emptied once copied,
  // so the graph is not held twice while its nodes are named (the walk's peak).
  const maps = {
    ancestors: Object.fromEntries(ancestorEntries),
    seed_roots: Object.fromEntries(rootEntries),
    parent_map: sortedRecord(parentMap),
    merge_edges: sortedRecord(mergeEdges),
    seed_serials: sortedRecord(seedSerials),
  }
  for (const done of [fullParents, parentMap, mergeEdges, seedSerials, allAncestors, counted, seedSet]) done.clear()
  ancestorEntries.length = 0
  rootEntries.length = 0

  return {
    direction: 'backward',
    roots: seeds,
    ...maps,
    ...namesAndNodes(graph, reader, waferNodes),
    edges: edgeList,
    total_nodes: totalNodes,
    total_ancestor_count: ancestorCount,
    truncated: truncation.isTruncated,
    truncation_reasons: truncation.list(),
  }
}

/** Where a seed's climb up the split parents ended. */
interface Climb {
  top: string
  /** The climb stopped at `maxDepth` hops with a parent still above. */
  cut: boolean
}

/**
 * Climbs split parents from a seed. On a cycle the top is the cycle's smallest CID, so every seed
 * entering the same cycle gets the same top whatever node it entered by.
 */
function climbToTop(seed: string, snapshotOf: (cid: string) => ContainerSnapshot | undefined, maxDepth: number): Climb {
  const path = [seed]
  const position = new Map<string, number>([[seed, 0]])
  let current = seed
  for (let hop = 0; ; hop++) {
    const parent = splitParentOf(snapshotOf(current))
    if (parent === null) return { top: current, cut: false }
    const seen = position.get(parent)
    if (seen !== undefined) return { top: path.slice(seen).sort(compareCodeUnits)[0] ?? current, cut: false }
    if (hop >= maxDepth) return { top: current, cut: true }
    position.set(parent, path.length)
    path.push(parent)
    current = parent
  }
}

/**
 * The split tops of the seeds, a forward walk's start: the split parents up to `maxDepth` hops above
 * the seeds are read (a progress report per hop), then each seed climbs in memory; a climb cut by
 * the cap is recorded in `truncation`.
 */
export async function splitTops(seeds: readonly string[], reader: LineageReader, options: LineageOptions, maxDepth: number, truncation: Truncation): Promise<Set<string>> {
  const snapshotOf = (cid: string): ContainerSnapshot | undefined => reader.snapshot(cid)
  let climbing = seeds
  let climbed = 0
  const chunkSize = Math.max(1, options.source.dialect.maxInList)
  for (let hop = 0; climbing.length > 0 && hop <= maxDepth; hop++) {
    // A chunk's parents are taken right after it is read, while its snapshots are at hand; those
    // read meanwhile (a parent that is itself climbing) are left out once the hop is read.
    const parents: string[] = []
    for (let at = 0; at < climbing.length; at += chunkSize) {
      const chunk = climbing.slice(at, at + chunkSize)
      await reader.loadContainers(chunk)
      for (const cid of chunk) {
        const parent = splitParentOf(snapshotOf(cid))
        if (parent !== null) parents.push(parent)
      }
    }
    climbed += climbing.length
    options.onProgress?.({ level: hop, nodes: climbed })
    climbing = reader.unread(unique(parents))
  }
  const tops = new Set<string>()
  for (const seed of seeds) {
    const climb = climbToTop(seed, snapshotOf, maxDepth)
    if (climb.cut) truncation.add('depth_cap')
    tops.add(climb.top)
  }
  return tops
}

/**
 * Resolves the forward tree of the seeds (domain.md §3.6): each seed climbs to its split top, the
 * tops' split descendants form `children_map`, leaves get their serial numbers, merge sources of
 * every node become `merge_source` edges (not tree links), and wafer origins and GD rework sources
 * of the tree nodes and of those merge sources are appended to `children_map` as extra parents (a
 * wafer only to its topmost containers, see {@link topmostWaferLinks}). `roots` are the tree nodes
 * without an incoming `children_map` link; `seeds` are the seeds as given (deduplicated).
 *
 * @throws AppError `trace/cancelled` when `signal` fires, `trace/lineage-failed` when a query fails,
 *   `input/invalid` for a bad cap.
 */
export async function resolveForwardLineage(seeds: readonly string[], options: LineageOptions): Promise<ForwardLineage> {
  const { maxDepth, maxNodes } = limitsOf(options)
  return walkForward(unique(seeds), options, maxDepth, maxNodes)
}

async function walkForward(seeds: string[], options: LineageOptions, maxDepth: number, maxNodes: number): Promise<ForwardLineage> {
  throwIfCancelled(options.signal)
  const reader = new LineageReader(options.source, options.signal)
  const truncation = new Truncation()
  const snapshotOf = (cid: string): ContainerSnapshot | undefined => reader.snapshot(cid)

  // 1. The seeds' split tops.
  const tops = await splitTops(seeds, reader, options, maxDepth, truncation)

  const graph = new Set<string>()
  const admit = (cid: string): boolean => {
    if (graph.has(cid)) return true
    if (graph.size >= maxNodes) {
      truncation.add('node_cap')
      return false
    }
    graph.add(cid)
    return true
  }
  const children = new Map<string, Set<string>>()
  const addChild = (parent: string, child: string): void => {
    let set = children.get(parent)
    if (!set) children.set(parent, (set = new Set()))
    set.add(child)
  }
  const edges = new EdgeSet()
  // Split links only (one parent per child), to tell a link that would close a cycle.
  const splitParent = new Map<string, string>()
  const closesCycle = (parent: string, child: string): boolean => {
    for (let cid: string | undefined = parent; cid !== undefined; cid = splitParent.get(cid)) {
      if (cid === child) return true
    }
    return false
  }
  // Nodes whose children were cut by a cap: not leaves, even though they show no children.
  const unexplored = new Set<string>()

  // 2. Split descendants of the tops, level by level.
  const nameOf = nameResolver(reader)
  let frontier = [...tops].sort(compareCodeUnits).filter(admit)
  const family = new Set<string>(frontier)
  for (let level = 0; frontier.length > 0; level++) {
    const found = await reader.splitChildren(frontier)
    const next: string[] = []
    for (const parent of frontier) {
      for (const child of sortByNameThenCid(found.get(parent) ?? [], nameOf)) {
        if (family.has(child)) {
          // Reached again: a top found below another top (a capped climb) is a real link; a
          // link back into its own ancestry is a cycle and is left out.
          if (!closesCycle(parent, child)) {
            addChild(parent, child)
            splitParent.set(child, parent)
            edges.add(parent, child, 'split_from')
          }
          continue
        }
        if (level >= maxDepth) {
          truncation.add('depth_cap')
          unexplored.add(parent)
          continue
        }
        if (!admit(child)) {
          unexplored.add(parent)
          continue
        }
        family.add(child)
        addChild(parent, child)
        splitParent.set(child, parent)
        edges.add(parent, child, 'split_from')
        next.push(child)
      }
    }
    options.onProgress?.({ level, nodes: graph.size })
    frontier = next
  }
  // Seeds are the user's input and always appear, even when a node cap kept them out of the walk.
  for (const seed of seeds) {
    if (family.has(seed)) continue
    graph.add(seed)
    family.add(seed)
    unexplored.add(seed)
  }

  // 3. Serial numbers of the leaves (split tree only, before semantic links are added).
  const leaves = [...family].filter((cid) => !children.has(cid) && !unexplored.has(cid))
  const serials = await reader.serials(leaves)

  // 4. Merge sources of every tree node: typed edges only, the tree stays a split tree.
  const familyList = [...family]
  const merges = await reader.mergeSources(familyList)
  for (const target of familyList) {
    for (const source of merges.get(target) ?? []) {
      if (children.get(source)?.has(target)) continue
      if (admit(source)) edges.add(source, target, 'merge_source')
    }
  }

  // 5. Wafer origins and GD rework sources of the tree nodes and of their merge sources (the
  // original links every node of the graph, docs/fidelity.md), appended to children_map. A wafer
  // gets a link only to its topmost containers: the split and GD links reach the others.
  await reader.loadContainers(graph)
  const mergeSources = [...graph].filter((cid) => !family.has(cid)).sort(compareCodeUnits)
  const linked = [...familyList, ...mergeSources]
  await reader.resolveWafers(firstNamesOf(linked, reader))
  const waferNodes = new Set<string>()
  const waferLinks = new Map<string, string>()
  const treeNodes = new Set<string>(family)
  for (const cid of linked) {
    const snapshot = snapshotOf(cid)
    if (!snapshot) continue
    const wafer = reader.waferOf(snapshot)
    if (wafer !== null && admit(wafer)) {
      waferLinks.set(cid, wafer)
      waferNodes.add(wafer)
      treeNodes.add(wafer)
    }
    const gdSource = gdSourceOf(snapshot)
    if (gdSource !== null && admit(gdSource)) {
      addChild(gdSource, cid)
      edges.add(gdSource, cid, 'gd_rework_source')
      treeNodes.add(gdSource)
    }
  }
  const otherLinks = new Map<string, string[]>()
  for (const [parent, set] of children) otherLinks.set(parent, [...set])
  for (const [cid, wafer] of topmostWaferLinks(waferLinks, otherLinks)) {
    addChild(wafer, cid)
    edges.add(wafer, cid, 'wafer_origin')
  }
  await reader.loadContainers(graph)

  // 6. Roots: tree nodes without an incoming children_map link (merge-only sources are context).
  const hasParent = new Set<string>()
  for (const set of children.values()) for (const child of set) hasParent.add(child)
  const roots = [...treeNodes].filter((cid) => !hasParent.has(cid)).sort(compareCodeUnits)

  const childrenMap = new Map<string, string[]>()
  for (const [parent, set] of children) childrenMap.set(parent, sortByNameThenCid(set, nameOf))

  return {
    direction: 'forward',
    roots,
    seeds,
    children_map: sortedRecord(childrenMap),
    leaf_serials: sortedRecord(serials),
    ...namesAndNodes(graph, reader, waferNodes),
    edges: edges.sorted(),
    total_nodes: graph.size,
    truncated: truncation.isTruncated,
    truncation_reasons: truncation.list(),
  }
}
