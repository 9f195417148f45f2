/** The indented genealogy tree: preferred parents, references, sizes, flattening, search, paths. */
import { describe, expect, it } from 'vitest'
import { buildLineageTree, expandPathTo, flattenTree, initialExpanded, searchTree, treePath } from '../../../../renderer/src/charts/lineage-tree'
import { buildLineageModel } from '../../../../renderer/src/charts/lineage-view'
import type { ForwardLineage } from '../../../../shared/trace'
import { bigForwardLineage, forwardLineage, mergeLineage } from './fixtures'

const rowsOf = (rows: { id: string; depth: number; relation: string | null; isRef: boolean }[]) =>
  rows.map((r) => `${'  '.repeat(r.depth)}${r.id}${r.relation ? ` (${r.relation}${r.isRef ? ', ref' : ''})` : ''}`)

describe('buildLineageTree', () => {
  it('runs a backward lineage upstream from its most downstream nodes, each node once, other parents as references', () => {
    const model = buildLineageModel(mergeLineage())
    const tree = buildLineageTree(model)
    // S is the queried lot; E (a GD rework of D) leads to no other node, so it starts a tree too.
    expect(tree.roots).toEqual(['E', 'S'])
    expect(rowsOf(flattenTree(tree, new Set(model.nodes.keys())))).toEqual([
      'E',
      '  D (gd_rework_source)',
      // C is a merge source of M and the split parent of D: split is preferred.
      '    C (split_from)',
      '      A (split_from, ref)',
      'S',
      '  M (split_from)',
      '    B (merge_source)',
      '      A (split_from)',
      '        W (wafer_origin)',
      '    C (merge_source, ref)',
      '    X (merge_source)',
    ])
    expect(tree.parentOf.get('C')).toMatchObject({ parent: 'D', relation: 'split_from' })
    // References are not counted below a node.
    expect([tree.sizes.get('S'), tree.sizes.get('M'), tree.sizes.get('E')]).toEqual([5, 4, 2])
  })

  it('runs a forward lineage downstream from its sources, serial numbers as leaves', () => {
    const model = buildLineageModel(forwardLineage())
    const tree = buildLineageTree(model)
    expect(tree.roots).toEqual(['R'])
    expect(rowsOf(flattenTree(tree, new Set(model.nodes.keys())))).toEqual([
      'R',
      '  K1 (split_from)',
      '    L1 (split_from)',
      // SN1 was made of K2 and L1: it sits under the first by name.
      '      serial:SN1 (serial, ref)',
      '      serial:SN2 (serial)',
      '  K2 (split_from)',
      '    serial:SN1 (serial)',
    ])
  })

  it('draws a reverse trace from its serial numbers down to the queried lots and up their ancestry', () => {
    const lineage = mergeLineage()
    lineage.seed_serials = { S: ['PSN1'] }
    const tree = buildLineageTree(buildLineageModel(lineage))
    expect(tree.roots).toEqual(['serial:PSN1', 'E'])
    expect(flattenTree(tree, new Set(['serial:PSN1'])).map((r) => [r.id, r.relation])).toEqual([
      ['serial:PSN1', null],
      ['S', 'serial'],
      ['E', null],
    ])
  })

  it('opens a cycle no root reaches at its smallest name', () => {
    const lineage: ForwardLineage = { ...forwardLineage(), children_map: { R: ['K1'], A: ['B'], B: ['A'] }, leaf_serials: {} }
    lineage.nodes = { ...lineage.nodes }
    const tree = buildLineageTree(buildLineageModel(lineage))
    // K1's children are gone, so K2 and L1 start trees of their own; A and B reach each other only.
    expect(tree.roots).toEqual(['K2', 'L1', 'R', 'A'])
    expect(rowsOf(flattenTree(tree, new Set(['A', 'B']))).slice(-3)).toEqual(['A', '  B (split_from)', '    A (split_from, ref)'])
  })
})

describe('flattening, paths and search', () => {
  const model = buildLineageModel(bigForwardLineage(7770))
  const tree = buildLineageTree(model)

  it('shows only the roots of a large tree closed, and everything of a small one', () => {
    expect(flattenTree(tree, initialExpanded(tree, 200)).map((r) => r.id)).toEqual(['N0'])
    const small = buildLineageTree(buildLineageModel(mergeLineage()))
    expect(flattenTree(small, initialExpanded(small, 200))).toHaveLength(11)
  })

  it('opens the path to a deep node: its ancestors and their siblings, nothing else', () => {
    // N7769 → N2589 → N862 → N287 → N95 → N31 → N10 → N3 → N0 (fan-out 3).
    expect(treePath(tree, 'N7769')).toEqual(['N0', 'N3', 'N10', 'N31', 'N95', 'N287', 'N862', 'N2589'])
    const rows = flattenTree(tree, expandPathTo(tree, new Set(), ['N7769']))
    // The root, three children of each of seven opened nodes, and N2589's two (N7768, N7769).
    expect(rows).toHaveLength(1 + 7 * 3 + 2)
    const found = rows.find((r) => r.id === 'N7769')!
    expect([found.depth, found.parent, found.expanded]).toEqual([8, 'N2589', false])
    expect(rows.filter((r) => r.expanded).map((r) => r.id)).toEqual(treePath(tree, 'N7769'))
  })

  it('searches lot IDs, work orders and types, keeping the path to each hit', () => {
    const hit = searchTree(model, tree, 'LOT-007769')!
    expect(hit.matches).toEqual(['N7769'])
    expect([...hit.shown].sort()).toEqual([...treePath(tree, 'N7769'), 'N7769'].sort())
    expect(flattenTree(tree, new Set(), hit.shown).map((r) => r.id)).toEqual([...treePath(tree, 'N7769'), 'N7769'])
    expect(searchTree(model, tree, '  ')).toBeNull()
    expect(searchTree(model, tree, 'no such lot')!.matches).toEqual([])
  })
})
