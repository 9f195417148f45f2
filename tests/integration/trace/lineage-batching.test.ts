/** Lineage reads on a SQLite source keep every IN list within the dialect's limit. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { resolveBackwardLineage, resolveForwardLineage } from '../../../main/trace/lineage.js'
import { createFixtureSource, type FixtureSource } from '../../fixtures/source-fixture.js'

const COUNT = 1001
const cids = Array.from({ length: COUNT }, (_, i) => `B${String(i).padStart(4, '0')}`)

interface Call {
  sql: string
  inSize: number
}

/** Records each statement and the size of its IN list (SQLite placeholders are `?`). */
function recordCalls(fixture: FixtureSource): Call[] {
  const calls: Call[] = []
  const stream = fixture.source.stream.bind(fixture.source)
  vi.spyOn(fixture.source, 'stream').mockImplementation((sql, params, options) => {
    const inList = /IN \(([^)]*)\)/.exec(sql)?.[1] ?? ''
    calls.push({ sql, inSize: (inList.match(/\?/g) ?? []).length })
    return stream(sql, params, options)
  })
  return calls
}

function sizes(calls: Call[], pattern: RegExp): number[] {
  return calls.filter((c) => pattern.test(c.sql)).map((c) => c.inSize)
}

describe('lineage batching on a SQLite source', () => {
  let fixture: FixtureSource

  beforeAll(async () => {
    fixture = await createFixtureSource({
      DW_MES_CONTAINER: [
        ...cids.map((cid) => ({ CONTAINERID: cid, CONTAINERNAME: `GA2600-${cid}`, MFGORDERNAME: 'GA2600', OBJECTTYPE: 'LOT' })),
        { CONTAINERID: 'P', CONTAINERNAME: 'GA2600-P', MFGORDERNAME: 'GA2600', OBJECTTYPE: 'LOT' },
      ],
      // The last lot is a merge of P, so one merge row comes back from the second batch.
      DW_MES_PJ_COMBINEDASSYLOTS: [{ CONTAINERID: 'P', LOTID: 'B1000', FINISHEDNAME: 'SN-B1000' }],
    })
  })

  afterAll(async () => {
    vi.restoreAllMocks()
    await fixture.cleanup()
  })

  it('reads 1001 backward seeds in batches of 1000 + 1', async () => {
    const calls = recordCalls(fixture)
    const result = await resolveBackwardLineage(cids, { source: fixture.source })
    expect(sizes(calls, /FROM DW_MES_CONTAINER WHERE CONTAINERID IN/)).toEqual([1000, 1, 1])
    expect(sizes(calls, /FROM DW_MES_PJ_COMBINEDASSYLOTS WHERE LOTID IN/)).toEqual([1000, 1, 1])
    expect(Math.max(...calls.map((c) => c.inSize))).toBe(1000)
    expect(result.roots).toHaveLength(COUNT)
    expect(result.ancestors.B1000).toEqual(['P'])
    expect(result.ancestors.B0000).toEqual([])
    expect(result.total_nodes).toBe(COUNT + 1)
    vi.restoreAllMocks()
  })

  it('reads 1001 forward seeds in batches of 1000 + 1', async () => {
    const calls = recordCalls(fixture)
    const result = await resolveForwardLineage(cids, { source: fixture.source })
    expect(sizes(calls, /FROM DW_MES_CONTAINER WHERE CONTAINERID IN/)).toEqual([1000, 1, 1])
    expect(sizes(calls, /FROM DW_MES_CONTAINER WHERE SPLITFROMID IN/)).toEqual([1000, 1])
    expect(sizes(calls, /WHERE CONTAINERID IN .* AND FINISHEDNAME IS NOT NULL/)).toEqual([1000, 1])
    expect(sizes(calls, /FROM DW_MES_PJ_COMBINEDASSYLOTS WHERE LOTID IN/)).toEqual([1000, 1])
    expect(Math.max(...calls.map((c) => c.inSize))).toBe(1000)
    expect(result.roots).toHaveLength(COUNT)
    expect(result.edges).toEqual([{ from_cid: 'P', to_cid: 'B1000', edge_type: 'merge_source' }])
    vi.restoreAllMocks()
  })
})
