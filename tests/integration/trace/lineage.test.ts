/**
 * Lineage on a hand-built SQLite source. Every expected value below was worked out by hand from
 * the rows in `GENEALOGY`; the comments next to the rows draw the graph.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveBackwardLineage, resolveForwardLineage } from '../../../main/trace/lineage.js'
import type { LineageNode } from '../../../shared/trace.js'
import { createFixtureSource, type FixtureSource } from '../../fixtures/source-fixture.js'

type Row = Record<string, unknown>

function lot(
  cid: string,
  name: string,
  fields: { order?: string | null; first?: string | null; split?: string | null; original?: string | null; type?: string } = {},
): Row {
  return {
    CONTAINERID: cid,
    CONTAINERNAME: name,
    MFGORDERNAME: fields.order ?? null,
    OBJECTTYPE: fields.type ?? 'LOT',
    FIRSTNAME: fields.first ?? null,
    SPLITFROMID: fields.split ?? null,
    ORIGINALCONTAINERID: fields.original ?? null,
  }
}

function combined(source: string, target: string, serial: string | null): Row {
  return { CONTAINERID: source, LOTID: target, FINISHEDNAME: serial }
}

const chain: Row[] = []
for (let i = 0; i <= 25; i++) {
  const id = `K${String(i).padStart(2, '0')}`
  chain.push(lot(id, `GA2505-${id}`, { order: 'GA2505', split: i === 0 ? null : `K${String(i - 1).padStart(2, '0')}` }))
}

const GENEALOGY: Record<string, Row[]> = {
  DW_MES_CONTAINER: [
    // Wafer WAF-001 (W1) is the FIRSTNAME of the GA family and of the GC lot.
    lot('W1', 'WAF-001', { first: 'WAF-001' }),
    // GA lot A split twice: A → A1 → {A11, A12}, A → A2 → A21.
    lot('A', 'GA2501-A00', { order: 'GA2501', first: 'WAF-001' }),
    lot('A1', 'GA2501-A01', { order: 'GA2501', first: 'WAF-001', split: 'A' }),
    lot('A2', 'GA2501-A02', { order: 'GA2501', first: 'WAF-001', split: 'A' }),
    lot('A11', 'GA2501-A01-01', { order: 'GA2501', first: 'WAF-001', split: 'A1' }),
    lot('A12', 'GA2501-A01-02', { order: 'GA2501', first: 'WAF-001', split: 'A1' }),
    lot('A21', 'GA2501-A02-01', { order: 'GA2501', first: 'WAF-001', split: 'A2' }),
    // GC lot, merged with A11 and A21 into the serial lot S.
    lot('C1', 'GC2501-C01', { order: 'GC2501', first: 'WAF-001' }),
    lot('S', 'GA2501-M01', { order: 'GA2501' }),
    // GD rework of S (ORIGINALCONTAINERID), and a GD lot split from it (no ORIGINALCONTAINERID;
    // GD only by its lower-case name).
    lot('D1', 'GD2502-D01', { order: 'GD2502', original: 'S' }),
    lot('D2', 'gd2502-d02', { split: 'D1' }),
    // Split cycle: L5 → L5P1 → L5P2 → L5P1 (child → parent).
    lot('L5', 'GA2503-L5', { order: 'GA2503', split: 'L5P1' }),
    lot('L5P1', 'GA2503-L5P1', { order: 'GA2503', split: 'L5P2' }),
    lot('L5P2', 'GA2503-L5P2', { order: 'GA2503', split: 'L5P1' }),
    // Self-reference.
    lot('SELF', 'GA2504-SELF', { order: 'GA2504', split: 'SELF' }),
    // FIRSTNAME naming a container that is not a LOT: no wafer origin.
    lot('NL', 'GA2506-N01', { order: 'GA2506', first: 'WAF-002' }),
    lot('W2', 'WAF-002', { type: 'MATERIAL' }),
    // Root tie-break: T merged from RZ and RB (both parentless, one hop).
    lot('T', 'GA2507-T', { order: 'GA2507' }),
    lot('RZ', 'GA2507-RZ', { order: 'GA2507' }),
    lot('RB', 'GA2507-RB', { order: 'GA2507' }),
    // Farthest wins: T2 merged from Y (one hop) and Z, Z split from Q (two hops).
    lot('T2', 'GA2508-T2', { order: 'GA2508' }),
    lot('Y', 'GA2508-AAA', { order: 'GA2508' }),
    lot('Z', 'GA2508-ZZZ', { order: 'GA2508', split: 'Q' }),
    lot('Q', 'GA2508-QQQ', { order: 'GA2508' }),
    // Merge of a merge source: MA ← MB ← MC.
    lot('MA', 'GA2509-MA', { order: 'GA2509' }),
    lot('MB', 'GA2509-MB', { order: 'GA2509' }),
    lot('MC', 'GA2509-MC', { order: 'GA2509' }),
    // domain.md §9.5: split chain PA → PB → PC, PB merged from PM1, PM1 split from PM0.
    lot('PA', 'GA2510-A', { order: 'GA2510', split: 'PB' }),
    lot('PB', 'GA2510-B', { order: 'GA2510', split: 'PC' }),
    lot('PC', 'GA2510-C', { order: 'GA2510' }),
    lot('PM1', 'GA2510-M1', { order: 'GA2510', split: 'PM0' }),
    lot('PM0', 'GA2510-M0', { order: 'GA2510' }),
    // 25 splits: K00 → K01 → … → K25.
    ...chain,
  ],
  DW_MES_PJ_COMBINEDASSYLOTS: [
    combined('A11', 'S', 'SN0001'),
    combined('A21', 'S', 'SN0001'),
    combined('C1', 'S', 'SN0001'),
    // A21 also went partly into another serial; A12 only into a row without a serial.
    combined('A21', 'S3', 'SN0000'),
    combined('A12', 'S2', null),
    combined('SELF', 'SELF', 'SN-SELF'),
    combined('RZ', 'T', 'SN-T'),
    combined('RB', 'T', 'SN-T'),
    combined('Y', 'T2', 'SN-T2'),
    combined('Z', 'T2', 'SN-T2'),
    combined('MB', 'MA', 'SN-MA'),
    combined('MC', 'MB', 'SN-MB'),
    combined('PM1', 'PB', 'SN-PB'),
  ],
}

function node(cid: string, name: string, order: string | null, wafer: string | null, type: LineageNode['node_type']): LineageNode {
  return { container_id: cid, container_name: name, mfgorder_name: order, wafer_lot: wafer, node_type: type }
}

const NODES = {
  W1: node('W1', 'WAF-001', null, 'WAF-001', 'WAFER'),
  A: node('A', 'GA2501-A00', 'GA2501', 'WAF-001', 'GA'),
  A1: node('A1', 'GA2501-A01', 'GA2501', 'WAF-001', 'GA'),
  A2: node('A2', 'GA2501-A02', 'GA2501', 'WAF-001', 'GA'),
  A11: node('A11', 'GA2501-A01-01', 'GA2501', 'WAF-001', 'GA'),
  A12: node('A12', 'GA2501-A01-02', 'GA2501', 'WAF-001', 'GA'),
  A21: node('A21', 'GA2501-A02-01', 'GA2501', 'WAF-001', 'GA'),
  C1: node('C1', 'GC2501-C01', 'GC2501', 'WAF-001', 'GC'),
  S: node('S', 'GA2501-M01', 'GA2501', null, 'GA'),
  D1: node('D1', 'GD2502-D01', 'GD2502', null, 'GD'),
  D2: node('D2', 'gd2502-d02', null, null, 'GD'),
} as const

function edge(from: string, to: string, type: 'split_from' | 'merge_source' | 'wafer_origin' | 'gd_rework_source') {
  return { from_cid: from, to_cid: to, edge_type: type }
}

function namesOf(...nodes: LineageNode[]): Record<string, string> {
  return Object.fromEntries(nodes.map((n) => [n.container_id, n.container_name]))
}

function nodesOf(...nodes: LineageNode[]): Record<string, LineageNode> {
  return Object.fromEntries(nodes.map((n) => [n.container_id, n]))
}

function range(from: number, to: number): string[] {
  const out: string[] = []
  for (let i = from; i <= to; i++) out.push(`K${String(i).padStart(2, '0')}`)
  return out
}

/** Split ancestors by walking SPLITFROMID in memory: the reference the original's tests used. */
function referenceSplitAncestors(seed: string, maxDepth: number): string[] {
  const parentOf = new Map<string, string | null>()
  for (const row of GENEALOGY.DW_MES_CONTAINER ?? []) parentOf.set(String(row.CONTAINERID), (row.SPLITFROMID as string | null) ?? null)
  const seen = new Set<string>([seed])
  let current = seed
  for (let hop = 0; hop < maxDepth; hop++) {
    const parent = parentOf.get(current) ?? null
    if (parent === null || seen.has(parent)) break
    seen.add(parent)
    current = parent
  }
  seen.delete(seed)
  return [...seen].sort()
}

describe('lineage on a SQLite source', () => {
  let fixture: FixtureSource

  beforeAll(async () => {
    fixture = await createFixtureSource(GENEALOGY)
  })

  afterAll(async () => {
    await fixture.cleanup()
  })

  describe('resolveBackwardLineage', () => {
    it('follows GD, merge, split and wafer relations of a GD rework lot to the wafer', async () => {
      const result = await resolveBackwardLineage(['D2'], { source: fixture.source })
      const { W1, A, A1, A2, A11, A21, C1, S, D1, D2 } = NODES
      expect(result).toEqual({
        direction: 'backward',
        roots: ['D2'],
        ancestors: { D2: ['A', 'A1', 'A11', 'A2', 'A21', 'C1', 'D1', 'S', 'W1'] },
        seed_roots: { D2: 'WAF-001' },
        // The wafer reaches A1, A11, A2 and A21 through A: only the topmost A and C1 keep its link.
        parent_map: {
          A: ['W1'],
          A1: ['A'],
          A11: ['A1'],
          A2: ['A'],
          A21: ['A2'],
          C1: ['W1'],
          D1: ['S'],
          D2: ['D1'],
          S: ['A11', 'A21', 'C1'],
        },
        merge_edges: { S: ['A11', 'A21', 'C1'] },
        seed_serials: {},
        names: namesOf(W1, A, A1, A2, A11, A21, C1, S, D1, D2),
        nodes: nodesOf(W1, A, A1, A2, A11, A21, C1, S, D1, D2),
        edges: [
          edge('A', 'A1', 'split_from'),
          edge('A', 'A2', 'split_from'),
          edge('A1', 'A11', 'split_from'),
          edge('A11', 'S', 'merge_source'),
          edge('A2', 'A21', 'split_from'),
          edge('A21', 'S', 'merge_source'),
          edge('C1', 'S', 'merge_source'),
          // D2 is GD with only a split parent: the same pair is a split and a GD rework link.
          edge('D1', 'D2', 'gd_rework_source'),
          edge('D1', 'D2', 'split_from'),
          edge('S', 'D1', 'gd_rework_source'),
          edge('W1', 'A', 'wafer_origin'),
          edge('W1', 'C1', 'wafer_origin'),
        ],
        total_nodes: 10,
        total_ancestor_count: 9,
        truncated: false,
        truncation_reasons: [],
      })
    })

    it('unions the split chain and the merge chain (domain.md §9.5: A → {B, C, M1, M0})', async () => {
      const result = await resolveBackwardLineage(['PA'], { source: fixture.source })
      expect(result.ancestors).toEqual({ PA: ['PB', 'PC', 'PM0', 'PM1'] })
      expect(result.parent_map).toEqual({ PA: ['PB'], PB: ['PC', 'PM1'], PM1: ['PM0'] })
      expect(result.merge_edges).toEqual({ PB: ['PM1'] })
      // PM0 is three hops away, PC two: the farthest parentless ancestor is the root.
      expect(result.seed_roots).toEqual({ PA: 'GA2510-M0' })
      expect(result.edges).toEqual([
        edge('PB', 'PA', 'split_from'),
        edge('PC', 'PB', 'split_from'),
        edge('PM0', 'PM1', 'split_from'),
        edge('PM1', 'PB', 'merge_source'),
      ])
      expect(result.total_nodes).toBe(5)
      expect(result.total_ancestor_count).toBe(4)
    })

    it('follows merges of merge sources (MA ← MB ← MC)', async () => {
      const result = await resolveBackwardLineage(['MA'], { source: fixture.source })
      expect(result.ancestors).toEqual({ MA: ['MB', 'MC'] })
      expect(result.parent_map).toEqual({ MA: ['MB'], MB: ['MC'] })
      expect(result.merge_edges).toEqual({ MA: ['MB'], MB: ['MC'] })
      expect(result.seed_roots).toEqual({ MA: 'GA2509-MC' })
      expect(result.edges).toEqual([edge('MB', 'MA', 'merge_source'), edge('MC', 'MB', 'merge_source')])
    })

    it('chooses the farthest parentless ancestor, then the smallest name', async () => {
      const result = await resolveBackwardLineage(['T', 'T2'], { source: fixture.source })
      expect(result.ancestors).toEqual({ T: ['RB', 'RZ'], T2: ['Q', 'Y', 'Z'] })
      expect(result.seed_roots).toEqual({ T: 'GA2507-RB', T2: 'GA2508-QQQ' })
      expect(result.parent_map).toEqual({ T: ['RB', 'RZ'], T2: ['Y', 'Z'], Z: ['Q'] })
    })

    it('never loops on a split cycle and roots it at the farthest member', async () => {
      const result = await resolveBackwardLineage(['L5'], { source: fixture.source })
      expect(result).toMatchObject({
        ancestors: { L5: ['L5P1', 'L5P2'] },
        parent_map: { L5: ['L5P1'], L5P1: ['L5P2'], L5P2: ['L5P1'] },
        seed_roots: { L5: 'GA2503-L5P2' },
        edges: [edge('L5P1', 'L5', 'split_from'), edge('L5P1', 'L5P2', 'split_from'), edge('L5P2', 'L5P1', 'split_from')],
        total_nodes: 3,
        total_ancestor_count: 2,
        truncated: false,
      })
    })

    it('ignores self-references in SPLITFROMID and COMBINEDASSYLOTS', async () => {
      const result = await resolveBackwardLineage(['SELF'], { source: fixture.source })
      expect(result).toMatchObject({
        ancestors: { SELF: [] },
        parent_map: {},
        merge_edges: {},
        seed_roots: { SELF: 'GA2504-SELF' },
        edges: [],
        total_nodes: 1,
        total_ancestor_count: 0,
      })
    })

    it('resolves wafer origins to LOT containers only', async () => {
      const result = await resolveBackwardLineage(['NL'], { source: fixture.source })
      expect(result.ancestors).toEqual({ NL: [] })
      expect(result.nodes).toEqual({ NL: node('NL', 'GA2506-N01', 'GA2506', 'WAF-002', 'GA') })
    })

    it('cuts a chain of 25 splits at 20 ancestors and marks it truncated', async () => {
      const result = await resolveBackwardLineage(['K25'], { source: fixture.source })
      expect(result.ancestors).toEqual({ K25: range(5, 24) })
      expect(result.ancestors.K25).toHaveLength(20)
      expect(result.truncated).toBe(true)
      expect(result.truncation_reasons).toEqual(['depth_cap'])
      // K05's parent K04 is beyond the cap, so K05 is the oldest known ancestor.
      expect(result.seed_roots).toEqual({ K25: 'GA2505-K05' })
      expect(result.total_nodes).toBe(21)
      expect(result.parent_map.K05).toBeUndefined()
    })

    it('honours a smaller maxDepth', async () => {
      const result = await resolveBackwardLineage(['K03'], { source: fixture.source, maxDepth: 2 })
      expect(result.ancestors).toEqual({ K03: ['K01', 'K02'] })
      expect(result.truncation_reasons).toEqual(['depth_cap'])
    })

    it('stops at the node cap and marks it truncated', async () => {
      const result = await resolveBackwardLineage(['D2'], { source: fixture.source, maxNodes: 3 })
      expect(result).toMatchObject({
        ancestors: { D2: ['D1', 'S'] },
        parent_map: { D1: ['S'], D2: ['D1'] },
        merge_edges: {},
        seed_roots: { D2: 'GA2501-M01' },
        total_nodes: 3,
        truncated: true,
        truncation_reasons: ['node_cap'],
      })
      expect(Object.keys(result.nodes)).toEqual(['D1', 'D2', 'S'])
    })

    it('keeps seeds as given (deduped), includes unknown seeds, and counts the union', async () => {
      const result = await resolveBackwardLineage(['D2', 'L5', 'SELF', 'NOPE', 'D2'], { source: fixture.source })
      expect(result.roots).toEqual(['D2', 'L5', 'SELF', 'NOPE'])
      expect(result.ancestors.NOPE).toEqual([])
      expect(result.seed_roots.NOPE).toBe('NOPE')
      expect(result.names.NOPE).toBe('NOPE')
      expect(result.nodes.NOPE).toEqual(node('NOPE', 'NOPE', null, null, 'UNKNOWN'))
      // D2's graph has 10 nodes, L5's 3, SELF and NOPE one each.
      expect(result.total_nodes).toBe(15)
      expect(result.total_ancestor_count).toBe(11)
    })

    it('does not count a seed that is also an ancestor of another seed', async () => {
      const result = await resolveBackwardLineage(['D2', 'S'], { source: fixture.source })
      expect(result.ancestors.S).toEqual(['A', 'A1', 'A11', 'A2', 'A21', 'C1', 'W1'])
      expect(result.total_nodes).toBe(10)
      expect(result.total_ancestor_count).toBe(8)
    })

    it('matches an in-memory split walk for 5 lots including a cycle', async () => {
      const seeds = ['K03', 'K10', 'L5', 'L5P2', 'SELF']
      const result = await resolveBackwardLineage(seeds, { source: fixture.source })
      for (const seed of seeds) expect(result.ancestors[seed]).toEqual(referenceSplitAncestors(seed, 20))
      expect(result.ancestors).toEqual({
        K03: ['K00', 'K01', 'K02'],
        K10: range(0, 9),
        L5: ['L5P1', 'L5P2'],
        L5P2: ['L5P1'],
        SELF: [],
      })
    })

    it('makes wafer_origin and gd_rework_source links parents', async () => {
      const result = await resolveBackwardLineage(['A', 'D1'], { source: fixture.source })
      expect(result.parent_map.A).toEqual(['W1'])
      expect(result.parent_map.D1).toEqual(['S'])
      expect(result.ancestors.A).toEqual(['W1'])
      expect(result.edges).toContainEqual(edge('W1', 'A', 'wafer_origin'))
      expect(result.edges).toContainEqual(edge('S', 'D1', 'gd_rework_source'))
      expect(result.nodes.W1?.node_type).toBe('WAFER')
    })

    it('reports progress per level', async () => {
      const progress: { level: number; nodes: number }[] = []
      await resolveBackwardLineage(['D2'], { source: fixture.source, onProgress: (p) => progress.push(p) })
      expect(progress).toEqual([
        { level: 0, nodes: 2 },
        { level: 1, nodes: 3 },
        { level: 2, nodes: 6 },
        { level: 3, nodes: 9 },
        { level: 4, nodes: 10 },
        { level: 5, nodes: 10 },
      ])
    })
  })

  describe('resolveForwardLineage', () => {
    it('builds the split tree of the seed’s top with wafer links, leaf serials and roots', async () => {
      const result = await resolveForwardLineage(['A11'], { source: fixture.source })
      const { W1, A, A1, A2, A11, A12, A21 } = NODES
      expect(result).toEqual({
        direction: 'forward',
        roots: ['W1'],
        seeds: ['A11'],
        children_map: {
          A: ['A1', 'A2'],
          A1: ['A11', 'A12'],
          A2: ['A21'],
          W1: ['A'],
        },
        leaf_serials: { A11: ['SN0001'], A21: ['SN0000', 'SN0001'] },
        names: namesOf(W1, A, A1, A2, A11, A12, A21),
        nodes: nodesOf(W1, A, A1, A2, A11, A12, A21),
        edges: [
          edge('A', 'A1', 'split_from'),
          edge('A', 'A2', 'split_from'),
          edge('A1', 'A11', 'split_from'),
          edge('A1', 'A12', 'split_from'),
          edge('A2', 'A21', 'split_from'),
          edge('W1', 'A', 'wafer_origin'),
        ],
        total_nodes: 7,
        truncated: false,
        truncation_reasons: [],
      })
    })

    it('adds merge sources as typed edges only, GD sources to children_map, and the merge sources’ wafer', async () => {
      const result = await resolveForwardLineage(['D2', 'S'], { source: fixture.source })
      const { W1, A11, A21, C1, S, D1, D2 } = NODES
      expect(result).toEqual({
        direction: 'forward',
        roots: ['S', 'W1'],
        seeds: ['D2', 'S'],
        // The merge sources A11, A21 and C1 come from wafer WAF-001, as the original links them.
        children_map: { D1: ['D2'], S: ['D1'], W1: ['A11', 'A21', 'C1'] },
        leaf_serials: {},
        names: namesOf(W1, A11, A21, C1, S, D1, D2),
        nodes: nodesOf(W1, A11, A21, C1, S, D1, D2),
        edges: [
          edge('A11', 'S', 'merge_source'),
          edge('A21', 'S', 'merge_source'),
          edge('C1', 'S', 'merge_source'),
          edge('D1', 'D2', 'gd_rework_source'),
          edge('D1', 'D2', 'split_from'),
          edge('S', 'D1', 'gd_rework_source'),
          edge('W1', 'A11', 'wafer_origin'),
          edge('W1', 'A21', 'wafer_origin'),
          edge('W1', 'C1', 'wafer_origin'),
        ],
        total_nodes: 7,
        truncated: false,
        truncation_reasons: [],
      })
    })

    it('breaks a split cycle at its smallest CID, whichever member is the seed', async () => {
      for (const seed of ['L5', 'L5P2']) {
        const result = await resolveForwardLineage([seed], { source: fixture.source })
        expect(result).toMatchObject({
          roots: ['L5P1'],
          children_map: { L5P1: ['L5', 'L5P2'] },
          leaf_serials: {},
          edges: [edge('L5P1', 'L5', 'split_from'), edge('L5P1', 'L5P2', 'split_from')],
          total_nodes: 3,
          truncated: false,
        })
      }
    })

    it('ignores a self-reference and keeps the leaf serial', async () => {
      const result = await resolveForwardLineage(['SELF'], { source: fixture.source })
      expect(result).toMatchObject({
        roots: ['SELF'],
        children_map: {},
        leaf_serials: { SELF: ['SN-SELF'] },
        edges: [],
        total_nodes: 1,
      })
    })

    it('keeps an unknown seed as an UNKNOWN root', async () => {
      const result = await resolveForwardLineage(['NOPE'], { source: fixture.source })
      expect(result).toMatchObject({ roots: ['NOPE'], children_map: {}, names: { NOPE: 'NOPE' }, total_nodes: 1 })
      expect(result.nodes.NOPE?.node_type).toBe('UNKNOWN')
    })

    it('climbs at most maxDepth hops and marks the climb truncated', async () => {
      const result = await resolveForwardLineage(['K25'], { source: fixture.source })
      expect(result.roots).toEqual(['K05'])
      expect(Object.keys(result.children_map)).toEqual(range(5, 24))
      expect(result.children_map.K24).toEqual(['K25'])
      expect(result.total_nodes).toBe(21)
      expect(result.truncation_reasons).toEqual(['depth_cap'])
    })

    it('walks down at most maxDepth levels, and a cut node is not a leaf', async () => {
      const result = await resolveForwardLineage(['K03'], { source: fixture.source })
      expect(result.roots).toEqual(['K00'])
      expect(Object.keys(result.children_map)).toEqual(range(0, 19))
      expect(result.total_nodes).toBe(21)
      expect(result.leaf_serials).toEqual({})
      expect(result.truncated).toBe(true)
      expect(result.truncation_reasons).toEqual(['depth_cap'])
    })

    it('links a capped climb’s top under a top found above it', async () => {
      const result = await resolveForwardLineage(['K03', 'K25'], { source: fixture.source })
      expect(result.roots).toEqual(['K00'])
      expect(result.children_map.K04).toEqual(['K05'])
      expect(Object.keys(result.children_map)).toHaveLength(25)
      expect(result.total_nodes).toBe(26)
      expect(result.truncation_reasons).toEqual(['depth_cap'])
    })

    it('stops at the node cap and marks it truncated', async () => {
      const result = await resolveForwardLineage(['A11'], { source: fixture.source, maxNodes: 3 })
      expect(result).toMatchObject({
        roots: ['A', 'A11'],
        children_map: { A: ['A1', 'A2'] },
        leaf_serials: {},
        total_nodes: 4,
        truncated: true,
        truncation_reasons: ['node_cap'],
      })
      expect(Object.keys(result.nodes)).toEqual(['A', 'A1', 'A11', 'A2'])
    })
  })
})
