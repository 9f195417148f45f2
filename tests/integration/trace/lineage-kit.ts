/**
 * What the genealogy walks' differential tests share: both walks of each direction, the request
 * and quality their result files are written with, what a file holds of its genealogy, and seeded
 * random plants: every relation a walk follows
 * (splits, merges with and without a container row, GD reworks, wafer lots named twice or not at
 * all), cycles and self-links, and hostile CIDs such as `0`, `__proto__`, `晶圓-1` or one beyond
 * the BMP.
 */
import Database from 'better-sqlite3'
import { resolveBackwardLineage, resolveForwardLineage } from '../../../main/trace/lineage.js'
import { resolveBackwardLineageStaged } from '../../../main/trace/lineage-staged.js'
import { resolveForwardLineageStaged } from '../../../main/trace/lineage-staged-forward.js'
import { mulberry32 } from '../../../shared/statistics.js'
import { normalizeTraceRequest } from '../../../shared/trace-request.js'
import type { QualityMeta } from '../../../shared/trace.js'
import type { FixtureRows } from '../../fixtures/source-fixture.js'

export const COMPLETE: QualityMeta = { status: 'complete', scope: 'query', reasons: [], observed_rows: 0 }
export const REQUEST = normalizeTraceRequest({ profile: 'query_tool_reverse', params: { resolve_type: 'serial_number', values: ['SN-T'] }, domains: [] })
/** The object walk (the reference) and the staged walk of each direction. */
export const WALKS = {
  backward: { object: resolveBackwardLineage, staged: resolveBackwardLineageStaged },
  forward: { object: resolveForwardLineage, staged: resolveForwardLineageStaged },
} as const

export const HOSTILE = ['0', '7', '42', '01', '-1', '4294967294', '4294967295', '__proto__', 'constructor', 'toString', '晶圓-1', '𝒜-1', '\uE000-1', 'a"b\\c', 'tab\there']

/** A plant of `count` containers drawn from `seed`: every relation the walk follows, hostile CIDs among them. */
export function randomPlant(seed: number): { rows: FixtureRows; seeds: string[] } {
  const random = mulberry32(seed)
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const count = 40 + Math.floor(random() * 60)
  const cids = Array.from({ length: count }, (_, i) => (i < HOSTILE.length && random() < 0.8 ? HOSTILE[i]! : `C${String(i).padStart(3, '0')}`))
  const wafers = ['WAF-1', 'WAF-2', 'WAF-3', 'WAF-4', 'WAF-5']
  const containers: Record<string, unknown>[] = [
    // Wafer lots; WAF-2 is named by two LOT containers (the smaller CID wins), WAF-4 by none.
    { CONTAINERID: 'W1', CONTAINERNAME: 'WAF-1', OBJECTTYPE: 'LOT', QTY: 25 },
    { CONTAINERID: 'W2b', CONTAINERNAME: 'WAF-2', OBJECTTYPE: 'LOT' },
    { CONTAINERID: 'W2a', CONTAINERNAME: 'WAF-2', OBJECTTYPE: 'LOT', FIRSTNAME: 'WAF-1' },
    { CONTAINERID: 'W3', CONTAINERNAME: 'WAF-3', OBJECTTYPE: 'LOT', SPLITFROMID: pick(cids) },
    { CONTAINERID: 'W4x', CONTAINERNAME: 'WAF-4', OBJECTTYPE: 'WAFER' },
    // A LOT container whose CID a reader trims into another's, and a wafer lot name padded with a
    // tab, which a server's TRIM keeps: what a read-ahead must leave to the walk's own reads.
    { CONTAINERID: 'W3\t', CONTAINERNAME: 'WAF-3', OBJECTTYPE: 'LOT', QTY: 7 },
    { CONTAINERID: 'W5', CONTAINERNAME: 'WAF-5', OBJECTTYPE: 'LOT', FIRSTNAME: 'WAF-3\t' },
  ]
  for (let i = 0; i < count; i++) {
    const cid = cids[i]!
    const order = pick(['GA26', 'GC27', 'GD28', 'gd29', 'XX30', null])
    const r = random()
    const split = r < 0.55 && i > 0 ? cids[Math.floor(random() * i)] : r < 0.65 ? pick(cids) : r < 0.68 ? cid : r < 0.72 ? `GHOST-${i}` : null
    containers.push({
      CONTAINERID: cid,
      CONTAINERNAME: pick([`${order ?? 'L'}-${i}`, 'SAME-NAME', 'SAME-NAME', '   ', '', `名-${i}`]),
      MFGORDERNAME: order,
      OBJECTTYPE: pick(['LOT', 'LOT', 'LOT', 'SN', null]),
      FIRSTNAME: pick([...wafers, 'WAF-1   ', 'WAF-NONE', null, null]),
      SPLITFROMID: split,
      ORIGINALCONTAINERID: random() < 0.25 ? pick([...cids, cid, 'GHOST-G']) : null,
      QTY: pick([1000, 12.5, null, 0, 250]),
    })
  }
  const merges: Record<string, unknown>[] = []
  for (let i = 0; i < count; i++) {
    if (random() < 0.35) {
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
        const from = random() < 0.8 ? pick(cids) : `SRC-${Math.floor(random() * 5)}`
        merges.push({ CONTAINERID: from, CONTAINERNAME: pick([`M-${from}`, `Z-${from}`, null]), LOTID: cids[i], FINISHEDNAME: pick([`SN-${i}`, null]) })
      }
    }
    if (random() < 0.3) merges.push({ CONTAINERID: cids[i], CONTAINERNAME: `S-${i}`, LOTID: `PKG-${i}`, FINISHEDNAME: pick([`SN-${i}`, `SN-${i} `, 'SN-Ω']) })
  }
  const seeds = Array.from({ length: 5 + Math.floor(random() * 25) }, () => pick(cids))
  seeds.push('NOT-A-LOT', pick(cids), 'SRC-1')
  return { rows: { DW_MES_CONTAINER: containers, DW_MES_PJ_COMBINEDASSYLOTS: merges }, seeds }
}

/** What a result file holds of its genealogy: nodes and edges in file order, and its JSON parts. */
export interface Dump {
  nodes: unknown[]
  edges: unknown[]
  parts: unknown[]
}

export function dump(path: string): Dump {
  const db = new Database(path, { readonly: true })
  try {
    return {
      nodes: db.prepare('SELECT * FROM lineage_nodes ORDER BY _seq').raw().all(),
      edges: db.prepare('SELECT * FROM lineage_edges ORDER BY _seq').raw().all(),
      parts: db.prepare("SELECT name, value FROM json_parts WHERE name LIKE 'lineage.%' ORDER BY rowid").raw().all(),
    }
  } finally {
    db.close()
  }
}
