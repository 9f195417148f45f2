/**
 * The genealogy decisions of docs/fidelity.md on a hand-built SQLite source (FIDELITY_ROWS): the
 * typed lots and a reverse trace's serial leaves, wafer links only to the topmost containers (what
 * the walks reach unchanged), wafer and GD links of merge sources, trimmed names and wafer lots,
 * and source lots without a container row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveBackwardLineage, resolveForwardLineage } from '../../../main/trace/lineage.js'
import type { LineageEdge } from '../../../shared/trace.js'
import { createFixtureSource, type FixtureSource } from '../../fixtures/source-fixture.js'
import { FIDELITY_ROWS } from './fidelity-fixture.js'

function edge(from: string, to: string, type: LineageEdge['edge_type']): LineageEdge {
  return { from_cid: from, to_cid: to, edge_type: type }
}

function ofType(edges: readonly LineageEdge[], type: LineageEdge['edge_type']): LineageEdge[] {
  return edges.filter((e) => e.edge_type === type)
}

/** Everything reachable from `start` over a parent → children map. */
function reachable(links: Record<string, string[]>, start: string): string[] {
  const seen = new Set<string>()
  const stack = [start]
  while (stack.length > 0) {
    for (const next of links[stack.pop()!] ?? []) {
      if (seen.has(next)) continue
      seen.add(next)
      stack.push(next)
    }
  }
  return [...seen].sort()
}

describe('lineage fidelity on a hand-built source', () => {
  let fixture: FixtureSource

  beforeAll(async () => {
    fixture = await createFixtureSource(FIDELITY_ROWS)
  })

  afterAll(async () => {
    await fixture.cleanup()
  })

  describe('the forward tree', () => {
    it('lists the typed lots as seeds, in input order and once each', async () => {
      const result = await resolveForwardLineage(['A21', 'T', 'A1', 'A21'], { source: fixture.source })
      expect(result.seeds).toEqual(['A21', 'T', 'A1'])
      // The wafer, not a typed lot, is the root of A's family.
      expect(result.roots).toEqual(['T', 'W', 'W2', 'Z'])
    })

    it('links a wafer to its topmost container only, and still reaches every container of it', async () => {
      const result = await resolveForwardLineage(['A21', 'A1'], { source: fixture.source })
      // A's FIRSTNAME is 'WAF-100   ': trimmed, it still finds wafer W.
      expect(ofType(result.edges, 'wafer_origin')).toEqual([edge('W', 'A', 'wafer_origin')])
      // Children sort by name: BL shows its CID, which sorts first.
      expect(result.children_map).toEqual({ A: ['BL', 'A1', 'A2'], A2: ['A21'], W: ['A'] })
      expect(reachable(result.children_map, 'W')).toEqual(['A', 'A1', 'A2', 'A21', 'BL'])
      expect(result.nodes.W?.node_type).toBe('WAFER')
      expect(result.total_nodes).toBe(6)
    })

    it('adds the wafer and GD rework links of merge sources, as the original links every node', async () => {
      const result = await resolveForwardLineage(['T'], { source: fixture.source })
      expect(result.edges).toEqual([
        edge('A1', 'T', 'merge_source'),
        edge('G', 'T', 'merge_source'),
        edge('W', 'A1', 'wafer_origin'),
        edge('W2', 'X', 'wafer_origin'),
        edge('X', 'T', 'merge_source'),
        edge('Z', 'G', 'gd_rework_source'),
      ])
      expect(result.children_map).toEqual({ W: ['A1'], W2: ['X'], Z: ['G'] })
      expect(result.roots).toEqual(['T', 'W', 'W2', 'Z'])
      expect(Object.keys(result.nodes)).toEqual(['A1', 'G', 'T', 'W', 'W2', 'X', 'Z'])
      expect(result.nodes.W2?.node_type).toBe('WAFER')
      expect(result.nodes.Z?.node_type).toBe('GA')
    })

    it('trims names, wafer lots and serials, and shows a blank name as the CID', async () => {
      const result = await resolveForwardLineage(['A1'], { source: fixture.source })
      expect(result.names.A1).toBe('GA3001-A01-001')
      expect(result.nodes.A).toMatchObject({ container_name: 'GA3001-A01', wafer_lot: 'WAF-100' })
      expect(result.names.BL).toBe('BL')
      expect(result.nodes.BL?.container_name).toBe('BL')
      // Leaves: A1 went into serial 'SN-T  ', stored blank-padded.
      expect(result.leaf_serials).toEqual({ A1: ['SN-T'] })
    })
  })

  describe('the backward genealogy', () => {
    it('keeps every ancestor and the root while it draws only the topmost wafer links', async () => {
      const result = await resolveBackwardLineage(['T'], { source: fixture.source })
      expect(result.ancestors).toEqual({ T: ['A', 'A1', 'G', 'W', 'W2', 'X', 'Z'] })
      expect(result.parent_map).toEqual({ A: ['W'], A1: ['A'], G: ['Z'], T: ['A1', 'G', 'X'], X: ['W2'] })
      expect(ofType(result.edges, 'wafer_origin')).toEqual([edge('W', 'A', 'wafer_origin'), edge('W2', 'X', 'wafer_origin')])
      // Over every relation W is two hops above T (through A1's own wafer link), X's wafer W2 and
      // G's source Z too: the smallest name of the three parentless ones is the root.
      expect(result.seed_roots).toEqual({ T: 'GA3003-A01' })
      expect(result.total_nodes).toBe(8)
      expect(result.total_ancestor_count).toBe(7)
      expect(result.seed_serials).toEqual({})
    })

    it('keeps a wafer that is also the split parent as a parent, and links a split cycle once', async () => {
      const result = await resolveBackwardLineage(['C1', 'V1'], { source: fixture.source })
      expect(result.ancestors).toEqual({ C1: ['C2', 'W3'], V1: ['V'] })
      expect(result.parent_map).toEqual({ C1: ['C2', 'W3'], C2: ['C1'], V1: ['V'] })
      expect(result.edges).toEqual([
        edge('C1', 'C2', 'split_from'),
        edge('C2', 'C1', 'split_from'),
        edge('V', 'V1', 'split_from'),
        edge('W3', 'C1', 'wafer_origin'),
      ])
      expect(result.nodes.V?.node_type).toBe('WAFER')
    })

    it('records the serials each seed went into and names a seed without a container row by its merge record', async () => {
      const result = await resolveBackwardLineage(['NOROW', 'NOROW2', 'A1'], { source: fixture.source })
      expect(result.seed_serials).toEqual({ A1: ['SN-T'], NOROW: ['SN-NOROW'], NOROW2: ['SN-NOROW'] })
      expect(result.nodes.NOROW).toEqual({
        container_id: 'NOROW', container_name: 'GA3009-A01', mfgorder_name: null, wafer_lot: null, node_type: 'UNKNOWN',
      })
      expect(result.names.NOROW2).toBe('NOROW2')
      expect(result.seed_roots).toMatchObject({ NOROW: 'GA3009-A01', NOROW2: 'NOROW2' })
      expect(result.ancestors).toMatchObject({ NOROW: [], NOROW2: [] })
    })
  })
})
