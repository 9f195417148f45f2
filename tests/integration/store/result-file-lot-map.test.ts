/**
 * The MSD lot map is made in SQL from the genealogy the result file holds. Checked against the map
 * made by following the same genealogy in JavaScript, on random graphs with cycles, shared
 * descendants, keys that are not lots and CIDs that are also names of object properties.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createResultFile, type ResultFileWriter } from '../../../main/store/index.js'
import type { BackwardLineage, ForwardLineage, LineageResult } from '../../../shared/trace.js'
import { mulberry32 } from '../../../shared/statistics.js'
import { lotRequest, tempDir } from '../../unit/store/store-fixtures.js'
import { quality } from './result-file-fixtures.js'

const JOB = 'trace-evt-00000000abcd'

const ODD_CIDS = ['__proto__', 'constructor', 'toString', '0', '17', '晶圓-1', "it's", 'a"b', 'a\\b']

function cidsOf(count: number): string[] {
  return [...ODD_CIDS, ...Array.from({ length: count - ODD_CIDS.length }, (_, i) => `C${String(i).padStart(4, '0')}`)]
}

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)]!
}

/** The lot map as the analysis once made it in JavaScript: each lot, then its ancestors or everything below it. */
function expectedPairs(lots: readonly string[], lineage: LineageResult | null): string[] {
  const pairs = new Set<string>()
  const add = (lot: string, cid: string): void => void pairs.add(JSON.stringify([lot, cid]))
  for (const lot of lots) {
    add(lot, lot)
    if (!lineage) continue
    if (lineage.direction === 'backward') {
      if (Object.hasOwn(lineage.ancestors, lot)) for (const ancestor of lineage.ancestors[lot]!) add(lot, ancestor)
      continue
    }
    const seen = new Set([lot])
    const queue = [lot]
    for (let i = 0; i < queue.length; i++) {
      const children = Object.hasOwn(lineage.children_map, queue[i]!) ? lineage.children_map[queue[i]!]! : []
      for (const child of children) {
        if (seen.has(child)) continue
        seen.add(child)
        queue.push(child)
        add(lot, child)
      }
    }
  }
  return [...pairs].sort()
}

/** The fields every lineage has, none of which the lot map reads. */
function baseOf(cids: readonly string[], lots: readonly string[]) {
  return { names: {}, nodes: {}, edges: [], total_nodes: cids.length, truncated: false, truncation_reasons: [], roots: [...lots] }
}

function backwardLineage(next: () => number, cids: readonly string[], lots: readonly string[]): BackwardLineage {
  // Some lots have no entry; one entry is for a CID that is not a lot of the analysis. Entries,
  // not assignments, so a lot named `__proto__` gets its own key.
  const ancestors: [string, string[]][] = []
  for (const key of new Set([...lots.filter(() => next() < 0.85), pick(next, cids)])) {
    ancestors.push([key, [...new Set(Array.from({ length: Math.floor(next() * 6) }, () => pick(next, cids)))]])
  }
  return { direction: 'backward', ...baseOf(cids, lots), ancestors: Object.fromEntries(ancestors), parent_map: {}, merge_edges: {}, seed_roots: {}, total_ancestor_count: 0 }
}

function forwardLineage(next: () => number, cids: readonly string[], lots: readonly string[]): ForwardLineage {
  const children: [string, string[]][] = []
  for (const parent of cids) {
    if (next() < 0.4) continue
    // Links go to any CID, so there are cycles, self-links and shared descendants.
    children.push([parent, [...new Set(Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(next, cids)))]])
  }
  return { direction: 'forward', ...baseOf(cids, lots), children_map: Object.fromEntries(children), leaf_serials: {} }
}

describe('result file: the MSD lot map', () => {
  let tmp: ReturnType<typeof tempDir>
  let n = 0
  beforeEach(() => {
    tmp = tempDir()
  })
  afterEach(() => tmp.cleanup())

  function lotMapOf(lineage: LineageResult | null, lots: readonly string[]): string[] {
    const path = join(tmp.dir, `${JOB}-${++n}.sqlite`)
    const w: ResultFileWriter = createResultFile(path, { jobId: JOB, request: lotRequest('L'), source: 'sqlite:/plant.sqlite', appVersion: '0.1.0', now: 0 })
    if (lineage) w.writeLineage(lineage)
    w.writeLotMap(lots)
    w.finish({ domainQuality: { history: quality('complete', 0, 'history') }, quality: quality('complete', 0), completedAt: 1 })
    const db = new Database(path, { readonly: true })
    try {
      const rows = db.prepare('SELECT lot_cid, cid FROM msd_lot_cids').all() as { lot_cid: string; cid: string }[]
      return rows.map((r) => JSON.stringify([r.lot_cid, r.cid])).sort()
    } finally {
      db.close()
    }
  }

  it('pairs each lot with itself and its ancestors (backward), or everything below it through cycles and shared descendants (forward)', () => {
    const cases = [
      { direction: 'backward', first: 1, cids: 60, lots: 25, make: backwardLineage },
      { direction: 'forward', first: 101, cids: 50, lots: 15, make: forwardLineage },
    ] as const
    for (const c of cases) {
      for (let seed = c.first; seed < c.first + 12; seed++) {
        const next = mulberry32(seed)
        const cids = cidsOf(c.cids)
        const lots = [...new Set(Array.from({ length: c.lots }, () => pick(next, cids)))]
        const lineage = c.make(next, cids, lots)
        const got = lotMapOf(lineage, lots)
        expect(got, `${c.direction} graph ${seed}`).toEqual(expectedPairs(lots, lineage))
        expect(got.length, `${c.direction} graph ${seed}`).toBeGreaterThan(lots.length)
      }
    }
  })

  it('holds only the lots themselves when the file has no genealogy', () => {
    expect(lotMapOf(null, ['K1', 'K2', 'K1'])).toEqual([JSON.stringify(['K1', 'K1']), JSON.stringify(['K2', 'K2'])])
  })
})
