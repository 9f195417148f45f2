/**
 * The forward genealogy walk of a job with its state kept out of the process: the same walk as
 * `resolveForwardLineage` (split tops, split descendants, merge sources, wafer and GD rework links,
 * roots, caps), over the same temporary tables and integer ids as the staged backward walk
 * (`lineage-staged.ts`). The file it leaves is the one `writeLineage` writes for
 * `resolveForwardLineage`'s result (tests/integration/trace/lineage-staged.test.ts).
 *
 * What stays in the process grows with the graph as one string and a few numbers per container and
 * link. Seeds and genealogy of a forward run on the 120 000-lot plant: see docs/pushdown.md.
 */
import { compareCodeUnits } from '../../shared/compare.js'
import type { LineageJsonPart, LineageStream, SqliteDatabase } from '../store/index.js'
import { gdSourceOf, sortByNameThenCid } from './lineage-graph.js'
import { firstNamesOf, limitsOf, splitTops, Truncation, type LineageOptions } from './lineage.js'
import { LineageReader, throwIfCancelled } from './lineage-reader.js'
import {
  ByteList,
  CidIndex,
  CidLookup,
  distinctCids,
  edgeStream,
  everyNodeCid,
  GD,
  IntList,
  jsonPart,
  LinkList,
  listPart,
  MERGE,
  nodeOrders,
  nodeStream,
  objectPart,
  SPLIT,
  stagedWalk,
  topmostWaferLinks,
  WAFER,
  type StagedLineage,
  type WalkTables,
} from './lineage-staged.js'
import type { LineageOutline } from './pipeline.js'

/** The JSON entries the walk keeps in its fragment table, one part each. */
const CHILDREN_MAP = 0
const LEAF_SERIALS = 1
const NAMES = 2

/** What a node of the graph is, as bits. */
const FAMILY = 1 // in the split tree: a top, a split descendant or a seed
const UNEXPLORED = 2 // its children were cut by a cap: not a leaf, though it shows none
const SPLIT_CHILDREN = 4 // has split children
const TREE = 8 // a tree node (`roots` are picked among them): the family, wafers and GD sources linked
const WAFER_NODE = 16
const HAS_PARENT = 32 // has an incoming `children_map` link

/**
 * Links (`key[e]`, `value[e]`) grouped by `key`: node i's are entries `start[i]` … `start[i + 1]` − 1
 * of `other` (the values) and `at` (the links' indexes), in the order of the links.
 */
function groupBy(n: number, key: Int32Array, value: Int32Array): { start: Int32Array; other: Int32Array; at: Int32Array } {
  const start = new Int32Array(n + 1)
  for (let e = 0; e < key.length; e++) start[key[e]! + 1]!++
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!
  const other = new Int32Array(key.length)
  const at = new Int32Array(key.length)
  const fill = start.slice(0, n)
  for (let e = 0; e < key.length; e++) {
    const k = fill[key[e]!]!++
    other[k] = value[e]!
    at[k] = e
  }
  return { start, other, at }
}

/**
 * Each child's relations (its split and GD links, as `links` holds them, then its wafer), in the
 * form `topmostWaferLinks` takes. Counted and placed in arrays sized up front: lists grown by
 * doubling and then trimmed held each relation up to three times over at the forward walk's peak,
 * and a grouping of the links read through was two more arrays of them.
 */
function relationsByChild(n: number, links: LinkList, wafers: Int32Array): { starts: Int32Array; relations: Int32Array; kinds: Uint8Array } {
  const from = links.from.view()
  const to = links.to.view()
  const kind = links.kind.view()
  const starts = new Int32Array(n + 1)
  for (let e = 0; e < to.length; e++) starts[to[e]! + 1]!++
  for (let child = 0; child < n; child++) if (wafers[child]! >= 0) starts[child + 1]!++
  for (let child = 0; child < n; child++) starts[child + 1]! += starts[child]!
  const relations = new Int32Array(starts[n]!)
  const kinds = new Uint8Array(starts[n]!)
  const fill = starts.slice(0, n)
  for (let e = 0; e < to.length; e++) {
    const k = fill[to[e]!]!++
    relations[k] = from[e]!
    kinds[k] = kind[e]!
  }
  for (let child = 0; child < n; child++) {
    if (wafers[child]! < 0) continue
    const k = fill[child]!++
    relations[k] = wafers[child]!
    kinds[k] = WAFER
  }
  return { starts, relations, kinds }
}

/**
 * Resolves the forward tree of the seeds as `resolveForwardLineage` does, keeping the walk's state
 * in temporary tables of `db` (the result file's connection).
 *
 * @throws AppError as `resolveForwardLineage`.
 */
export async function resolveForwardLineageStaged(seedList: readonly string[], options: LineageOptions, db: SqliteDatabase): Promise<StagedLineage> {
  const { maxDepth, maxNodes } = limitsOf(options)
  const seeds = distinctCids(seedList)
  return stagedWalk(db, options.signal, (tables) => walk(seeds, options, maxDepth, maxNodes, tables))
}

async function walk(seeds: readonly string[], options: LineageOptions, maxDepth: number, maxNodes: number, tables: WalkTables): Promise<StagedLineage> {
  const reader = new LineageReader(options.source, options.signal, tables)
  const truncation = new Truncation()
  const chunkSize = Math.max(1, options.source.dialect.maxInList)
  const nameOf = (cid: string): string => reader.knownName(cid) ?? cid

  // 1. The seeds' split tops.
  if (options.readAhead) await reader.readAhead(seeds, 'family', maxDepth)
  const tops = await splitTops(seeds, reader, options, maxDepth, truncation)

  // The graph: node id → CID in the order nodes were admitted, and back; per node its flags, its
  // split parent in the tree (−1: none) and its wafer origin (−1: none).
  const index = new CidIndex()
  const cids = index.cids
  // A seed joins the graph as the seed's own string: the job holds the seeds through the run, and
  // the graph's copy of each (up to 200 000) would be held beside it, and the event CIDs with it.
  let seedAt: CidLookup | null = new CidLookup(seeds)
  const canonical = (cid: string): string => {
    const seed = seedAt?.idOf(cid) ?? -1
    return seed >= 0 ? seeds[seed]! : cid
  }
  const flags = new ByteList()
  const splitParent = new IntList()
  const waferOf = new IntList()
  const join = (cid: string): number => {
    const id = index.add(canonical(cid))
    flags.push(0)
    splitParent.push(-1)
    waferOf.push(-1)
    return id
  }
  const mark = (id: number, bits: number): void => flags.set(id, flags.get(id) | bits)
  const has = (id: number, bits: number): boolean => (flags.get(id) & bits) !== 0
  /** The node's id once it is in the graph; −1 when the node cap keeps it out. */
  const admit = (cid: string): number => {
    const known = index.idOf(cid)
    if (known >= 0) return known
    if (cids.length >= maxNodes) {
      truncation.add('node_cap')
      return -1
    }
    return join(cid)
  }
  // `children_map` links (parent, child, relation kind) and the typed edges (from, to, kind).
  const links = new LinkList()
  const edges = new LinkList()
  const splitLink = (parent: number, child: number): void => {
    links.add(parent, child, SPLIT)
    splitParent.set(child, parent)
    mark(parent, SPLIT_CHILDREN)
    edges.add(parent, child, SPLIT)
  }
  // Split links only (one parent per child), to tell a link that would close a cycle.
  const closesCycle = (parent: number, child: number): boolean => {
    for (let id = parent; id >= 0; id = splitParent.get(id)) if (id === child) return true
    return false
  }

  // 2. Split descendants of the tops, level by level, a chunk of a level per read.
  let frontier: number[] = []
  for (const top of [...tops].sort(compareCodeUnits)) {
    const id = admit(top)
    if (id < 0) continue
    mark(id, FAMILY)
    frontier.push(id)
  }
  tops.clear()
  for (let level = 0; frontier.length > 0; level++) {
    const next: number[] = []
    for (let at = 0; at < frontier.length; at += chunkSize) {
      throwIfCancelled(options.signal)
      const chunk = frontier.slice(at, at + chunkSize)
      const found = await reader.splitChildren(chunk.map((id) => cids[id]!))
      for (const parent of chunk) {
        for (const child of sortByNameThenCid(found.get(cids[parent]!) ?? [], nameOf)) {
          const known = index.idOf(child)
          if (known >= 0 && has(known, FAMILY)) {
            // Reached again: a top found below another top (a capped climb) is a real link; a
            // link back into its own ancestry is a cycle and is left out.
            if (!closesCycle(parent, known)) splitLink(parent, known)
            continue
          }
          if (level >= maxDepth) {
            truncation.add('depth_cap')
            mark(parent, UNEXPLORED)
            continue
          }
          const id = admit(child)
          if (id < 0) {
            mark(parent, UNEXPLORED)
            continue
          }
          mark(id, FAMILY)
          splitLink(parent, id)
          next.push(id)
        }
      }
    }
    options.onProgress?.({ level, nodes: cids.length })
    frontier = next
  }
  // Seeds are the user's input and always appear, even when a node cap kept them out of the walk.
  for (const seed of seeds) {
    const known = index.idOf(seed)
    if (known >= 0 && has(known, FAMILY)) continue
    mark(known >= 0 ? known : join(seed), FAMILY | UNEXPLORED)
  }
  // The family is ids 0 … familyCount − 1, in the order the object walk's set holds it.
  const familyCount = cids.length

  // 3. Merge sources of every tree node: typed edges only, the tree stays a split tree.
  // In a block of its own: the split parents' grouping is garbage once the merges are read.
  {
    const splitParents = groupBy(familyCount, links.to.view(), links.from.view())
    const isSplitParent = (parent: number, child: number): boolean => {
      for (let k = splitParents.start[child]!; k < splitParents.start[child + 1]!; k++) if (splitParents.other[k] === parent) return true
      return false
    }
    for (let at = 0; at < familyCount; at += chunkSize) {
      throwIfCancelled(options.signal)
      const chunk = cids.slice(at, Math.min(at + chunkSize, familyCount))
      const merges = await reader.mergeSources(chunk)
      chunk.forEach((target, i) => {
        for (const source of merges.get(target) ?? []) {
          const known = index.idOf(source)
          if (known >= 0 && isSplitParent(known, at + i)) continue
          const id = admit(source)
          if (id >= 0) edges.add(id, at + i, MERGE)
        }
      })
    }
  }

  // 4. Wafer origins and GD rework sources of the tree nodes and of their merge sources, appended
  // to children_map (a wafer only to its topmost containers).
  await loadAll(reader, cids, 0, chunkSize, options.signal)
  // The family in id order, then the merge-only sources by CID.
  const linked = Int32Array.from({ length: cids.length }, (_, i) => i)
  linked.subarray(familyCount).sort((a, b) => compareCodeUnits(cids[a]!, cids[b]!))
  for (let id = 0; id < familyCount; id++) mark(id, TREE)
  // A chunk's wafer lots are read just before its links are made (the object walk reads them all
  // first): the same lots join in the same order, and the chunk's snapshots are still at hand.
  for (let at = 0; at < linked.length; at += chunkSize) {
    throwIfCancelled(options.signal)
    const chunk = linked.subarray(at, at + chunkSize)
    await reader.resolveWafers(firstNamesOf(Array.from(chunk, (id) => cids[id]!), reader))
    for (const id of chunk) link(id)
  }
  function link(id: number): void {
    const snapshot = reader.snapshot(cids[id]!)
    if (!snapshot) return
    const wafer = reader.waferOf(snapshot)
    const waferId = wafer === null ? -1 : admit(wafer)
    if (waferId >= 0) {
      waferOf.set(id, waferId)
      mark(waferId, WAFER_NODE | TREE)
    }
    const gdSource = gdSourceOf(snapshot)
    const gdId = gdSource === null ? -1 : admit(gdSource)
    if (gdId >= 0) {
      links.add(gdId, id, GD)
      edges.add(gdId, id, GD)
      mark(gdId, TREE)
    }
  }
  // Every node is in the graph now: from here on nodes are known by id only.
  const seedIds = Int32Array.from(seeds, (seed) => index.idOf(seed))
  index.clear()
  seedAt = null
  options.onStepEnd?.()
  const n = cids.length
  const { byCode, rank, keyOrder, position } = nodeOrders(cids)
  {
    // The wafer links worth drawing, over the split and GD links as the object walk's sets hold them.
    const wafers = waferOf.take()
    const { starts, relations, kinds } = relationsByChild(n, links, wafers)
    const kept = topmostWaferLinks(n, starts, relations, kinds, wafers, byCode)
    for (let child = 0; child < n; child++) {
      if (!kept[child]) continue
      links.add(wafers[child]!, child, WAFER)
      edges.add(wafers[child]!, child, WAFER)
    }
  }
  // The orders and the wafer links' working arrays (an array per node each) are garbage now.
  options.onStepEnd?.()
  await loadAll(reader, cids, familyCount, chunkSize, options.signal)

  // 5. Serial numbers of the leaves of the split tree. Read before anything is named, so a leaf
  // without a container row is named by its merge record, as in the object walk.
  const leaves: number[] = []
  for (let id = 0; id < familyCount; id++) if (!has(id, SPLIT_CHILDREN | UNEXPLORED)) leaves.push(id)
  for (let at = 0; at < leaves.length; at += chunkSize) {
    throwIfCancelled(options.signal)
    const chunk = leaves.slice(at, at + chunkSize)
    const serials = await reader.serials(chunk.map((id) => cids[id]!))
    for (const id of chunk) {
      const list = serials.get(cids[id]!)
      if (list) tables.fragment(LEAF_SERIALS, position[id]!, `${JSON.stringify(cids[id])}:${JSON.stringify(list)}`)
    }
  }

  // 6. children_map (each parent's children by name, then CID) and the roots: tree nodes without
  // an incoming link (merge-only sources are context).
  const from = links.from.take()
  const to = links.to.take()
  links.kind.take()
  const children = groupBy(n, from, to)
  const childStart = new Int32Array(n + 1)
  const childList = new IntList()
  for (let parent = 0; parent < n; parent++) {
    childStart[parent] = childList.length
    const own = children.other.subarray(children.start[parent]!, children.start[parent + 1]!)
    if (own.length === 0) continue
    const names = new Map<number, string>()
    for (const child of own) {
      mark(child, HAS_PARENT)
      if (!names.has(child)) names.set(child, nameOf(cids[child]!))
    }
    const sorted = [...names.keys()].sort((a, b) => compareCodeUnits(names.get(a)!, names.get(b)!) || rank[a]! - rank[b]!)
    for (const child of sorted) childList.push(child)
    tables.fragment(CHILDREN_MAP, position[parent]!, `${JSON.stringify(cids[parent])}:${JSON.stringify(sorted.map((id) => cids[id]))}`)
  }
  childStart[n] = childList.length
  const childOf = childList.take()
  const roots: number[] = []
  for (const id of byCode) if (has(id, TREE) && !has(id, HAS_PARENT)) roots.push(id)

  const outline: LineageOutline = {
    direction: 'forward',
    total_nodes: n,
    truncated: truncation.isTruncated,
    truncation_reasons: truncation.list(),
  }
  const object = (part: number): LineageJsonPart => objectPart(tables, part)
  const stream: LineageStream = {
    // The file takes the nodes before the parts: each node's name is kept for `names` on the way.
    nodes: nodeStream(keyOrder, cids, reader, (id) => has(id, WAFER_NODE), tables, NAMES),
    edges: edgeStream(edges.from.take(), edges.to.take(), edges.kind.take(), rank, cids),
    parts: [
      ['direction', jsonPart('forward')],
      ['roots', listPart(roots.map((id) => cids[id]!))],
      ['seeds', listPart(seeds)],
      ['children_map', object(CHILDREN_MAP)],
      ['leaf_serials', object(LEAF_SERIALS)],
      ['names', object(NAMES)],
      ['total_nodes', jsonPart(n)],
      ['truncated', jsonPart(outline.truncated)],
      ['truncation_reasons', jsonPart(outline.truncation_reasons)],
    ],
  }
  return {
    outline,
    stream,
    eventCids: (profile) => {
      // MSD forward: the seeds and everything below them over children_map, breadth-first.
      if (profile === 'mid_section_defect') {
        const seen = new Uint8Array(n)
        const queue: number[] = []
        for (const id of seedIds) {
          seen[id] = 1
          queue.push(id)
        }
        for (let i = 0; i < queue.length; i++) {
          for (let k = childStart[queue[i]!]!; k < childStart[queue[i]! + 1]!; k++) {
            const child = childOf[k]!
            if (seen[child]) continue
            seen[child] = 1
            queue.push(child)
          }
        }
        return queue.map((id) => cids[id]!)
      }
      return everyNodeCid(seeds, keyOrder, cids)
    },
    dispose: () => tables.drop(),
  }
}

/** Reads the snapshots of the nodes from id `from` on that are not cached yet, a chunk at a time. */
async function loadAll(reader: LineageReader, cids: readonly string[], from: number, chunkSize: number, signal: AbortSignal | undefined): Promise<void> {
  for (let at = from; at < cids.length; at += chunkSize) {
    throwIfCancelled(signal)
    await reader.loadContainers(cids.slice(at, at + chunkSize))
  }
}
