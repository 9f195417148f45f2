import { describe, expect, it } from 'vitest'
import { AppError } from '../../../shared/errors.js'
import { createDialect, type Dialect, type SqlValue } from '../../../main/sources/dialect.js'
import type { MesSource, QueryOptions, SourceCatalog, SourceRow } from '../../../main/sources/mes-source.js'
import { resolveBackwardLineage, resolveForwardLineage } from '../../../main/trace/lineage.js'

type Tables = Record<string, SourceRow[]>

interface Call {
  sql: string
  params: readonly SqlValue[]
}

/**
 * An in-memory source that answers the one statement shape lineage uses,
 * `SELECT cols FROM table WHERE key IN (…)[ AND …]`, and records every statement. Anything else
 * fails loudly, so a change of shape cannot pass unnoticed.
 */
class FakeSource implements MesSource {
  readonly kind: MesSource['kind']
  readonly description = 'fake'
  readonly calls: Call[] = []
  /** Runs before a statement's rows are produced (to abort, or to fail). */
  beforeRows: ((call: Call, options: QueryOptions) => void) | undefined

  constructor(
    readonly dialect: Dialect,
    private readonly tables: Tables,
    private readonly schema = '',
  ) {
    this.kind = dialect.name
  }

  async *stream(sql: string, params: readonly SqlValue[], options: QueryOptions = {}): AsyncIterable<SourceRow[]> {
    const call = { sql, params: [...params] }
    this.calls.push(call)
    this.beforeRows?.(call, options)
    yield this.evaluate(sql, params)
  }

  async all(sql: string, params: readonly SqlValue[], options?: QueryOptions): Promise<SourceRow[]> {
    const out: SourceRow[] = []
    for await (const rows of this.stream(sql, params, options)) out.push(...rows)
    return out
  }

  async catalog(): Promise<SourceCatalog> {
    return new Map()
  }

  async close(): Promise<void> {}

  private evaluate(sql: string, params: readonly SqlValue[]): SourceRow[] {
    const match = /^SELECT (.+) FROM (\S+) WHERE (\w+) IN \(([^)]*)\)(.*)$/.exec(sql)
    if (!match) throw new Error(`fake source cannot run: ${sql}`)
    const [, columns = '', table = '', key = '', inList = '', tail = ''] = match
    const prefix = this.schema ? `${this.schema}.` : ''
    if (!table.startsWith(prefix)) throw new Error(`table without the schema prefix: ${table}`)
    const rows = this.tables[table.slice(prefix.length)] ?? []
    const keys = new Set(params.slice(0, inList.split(',').length))
    let out = rows.filter((row) => keys.has(row[key] as SqlValue))
    if (tail === ' AND FINISHEDNAME IS NOT NULL') out = out.filter((row) => row.FINISHEDNAME != null)
    else if (/^ AND OBJECTTYPE = \S+$/.test(tail)) out = out.filter((row) => row.OBJECTTYPE === params[params.length - 1])
    else if (tail !== '') throw new Error(`fake source cannot run the condition: ${tail}`)
    const wanted = columns.split(', ')
    return out.map((row) => Object.fromEntries(wanted.map((c) => [c, row[c] ?? null])))
  }
}

function lot(cid: string, name: string, fields: Partial<Record<string, string>> = {}): SourceRow {
  return {
    CONTAINERID: cid,
    CONTAINERNAME: name,
    MFGORDERNAME: null,
    OBJECTTYPE: 'LOT',
    FIRSTNAME: null,
    SPLITFROMID: null,
    ORIGINALCONTAINERID: null,
    ...fields,
  }
}

/** W (wafer WAF-9) → G0 → G1 (split); M merged into G1 with serial SN1; D is a GD rework of G1. */
const SMALL: Tables = {
  DW_MES_CONTAINER: [
    lot('W', 'WAF-9'),
    lot('G0', 'GA01-00', { MFGORDERNAME: 'GA01', FIRSTNAME: 'WAF-9' }),
    lot('G1', 'GA01-01', { MFGORDERNAME: 'GA01', FIRSTNAME: 'WAF-9', SPLITFROMID: 'G0' }),
    lot('M', 'GA01-99', { MFGORDERNAME: 'GA01' }),
    lot('D', 'GD01-01', { MFGORDERNAME: 'GD01', ORIGINALCONTAINERID: 'G1' }),
  ],
  DW_MES_PJ_COMBINEDASSYLOTS: [
    { CONTAINERID: 'M', LOTID: 'G1', FINISHEDNAME: 'SN1' },
    { CONTAINERID: 'G1', LOTID: 'X', FINISHEDNAME: 'SN-G1' },
  ],
}

function edge(from: string, to: string, type: string) {
  return { from_cid: from, to_cid: to, edge_type: type }
}

describe('lineage', () => {
  describe('on an Oracle source with the DWH schema', () => {
    it('binds every value as :n placeholders and prefixes every table', async () => {
      const source = new FakeSource(createDialect('oracle', 'DWH'), SMALL, 'DWH')
      const backward = await resolveBackwardLineage(['D'], { source })
      const forward = await resolveForwardLineage(['G1'], { source })

      const shapes = new Set(source.calls.map((c) => /FROM (\S+) WHERE (\w+)/.exec(c.sql)?.slice(1).join(' ')))
      expect(shapes).toEqual(
        new Set(['DWH.DW_MES_CONTAINER CONTAINERID', 'DWH.DW_MES_CONTAINER CONTAINERNAME', 'DWH.DW_MES_CONTAINER SPLITFROMID',
          'DWH.DW_MES_PJ_COMBINEDASSYLOTS LOTID', 'DWH.DW_MES_PJ_COMBINEDASSYLOTS CONTAINERID']),
      )
      for (const { sql, params } of source.calls) {
        expect(sql).not.toContain('?')
        // No literal at all: 'LOT' and every CID travel as bound values.
        expect(sql).not.toContain("'")
        const placeholders = [...sql.matchAll(/:(\d+)/g)].map((m) => Number(m[1]))
        expect(placeholders).toEqual(params.map((_, i) => i + 1))
        for (const table of sql.matchAll(/FROM (\S+)/g)) expect(table[1]).toMatch(/^DWH\.DW_MES_/)
      }
      expect(source.calls.find((c) => c.sql.includes('CONTAINERNAME IN'))?.params).toEqual(['WAF-9', 'LOT'])

      expect(backward.ancestors).toEqual({ D: ['G0', 'G1', 'M', 'W'] })
      // W reaches G1 through G0, so only G0 keeps its wafer link in what is drawn.
      expect(backward.parent_map).toEqual({ D: ['G1'], G0: ['W'], G1: ['G0', 'M'] })
      // M and W are both parentless two hops up (over every relation, the wafer link of G1
      // included): the smaller name wins.
      expect(backward.seed_roots).toEqual({ D: 'GA01-99' })
      expect(backward.seed_serials).toEqual({})
      expect(forward.roots).toEqual(['W'])
      expect(forward.seeds).toEqual(['G1'])
      expect(forward.children_map).toEqual({ G0: ['G1'], W: ['G0'] })
      expect(forward.leaf_serials).toEqual({ G1: ['SN-G1'] })
      expect(forward.edges).toEqual([
        edge('G0', 'G1', 'split_from'),
        edge('M', 'G1', 'merge_source'),
        edge('W', 'G0', 'wafer_origin'),
      ])
    })
  })

  describe('batching', () => {
    it('splits 1001 seeds into IN lists of 1000 and 1', async () => {
      const source = new FakeSource(createDialect('sqlite'), {})
      const seeds = Array.from({ length: 1001 }, (_, i) => `cid-${i}`)
      const result = await resolveBackwardLineage(seeds, { source })
      const inSizes = source.calls.map((c) => ({ sql: c.sql, size: (/IN \(([^)]*)\)/.exec(c.sql)?.[1] ?? '').split(',').length }))
      expect(inSizes.filter((c) => c.sql.includes('DW_MES_CONTAINER WHERE CONTAINERID IN')).map((c) => c.size)).toEqual([1000, 1])
      expect(inSizes.every((c) => c.size <= 1000)).toBe(true)
      expect(source.calls[0]?.params.slice(0, 2)).toEqual(['cid-0', 'cid-1'])
      expect(source.calls[1]?.params).toEqual(['cid-1000'])
      expect(result.total_nodes).toBe(1001)
    })
  })

  describe('when cancelled', () => {
    it('throws trace/cancelled before any query for an aborted signal', async () => {
      const source = new FakeSource(createDialect('sqlite'), SMALL)
      const controller = new AbortController()
      controller.abort()
      await expect(resolveBackwardLineage(['D'], { source, signal: controller.signal })).rejects.toMatchObject({
        code: 'trace/cancelled',
      })
      await expect(resolveForwardLineage(['D'], { source, signal: controller.signal })).rejects.toMatchObject({
        code: 'trace/cancelled',
      })
      expect(source.calls).toHaveLength(0)
    })

    it('stops between queries once the signal fires', async () => {
      const source = new FakeSource(createDialect('sqlite'), SMALL)
      const controller = new AbortController()
      source.beforeRows = () => controller.abort()
      const error: unknown = await resolveBackwardLineage(['D'], { source, signal: controller.signal }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AppError)
      expect(error).toMatchObject({ code: 'trace/cancelled' })
      expect(source.calls).toHaveLength(1)
    })

    it('maps a driver abort error to trace/cancelled', async () => {
      const source = new FakeSource(createDialect('sqlite'), SMALL)
      const controller = new AbortController()
      source.beforeRows = () => {
        controller.abort()
        throw new DOMException('The operation was aborted', 'AbortError')
      }
      await expect(resolveForwardLineage(['D'], { source, signal: controller.signal })).rejects.toMatchObject({
        code: 'trace/cancelled',
      })
    })
  })

  describe('when a query fails', () => {
    it('throws trace/lineage-failed with the cause in the message', async () => {
      const source = new FakeSource(createDialect('oracle', 'DWH'), SMALL, 'DWH')
      source.beforeRows = (call) => {
        if (call.sql.includes('COMBINEDASSYLOTS')) throw new Error('ORA-00942: table or view does not exist')
      }
      const error: unknown = await resolveBackwardLineage(['D'], { source }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AppError)
      expect(error).toMatchObject({ code: 'trace/lineage-failed' })
      expect((error as AppError).message).toContain('ORA-00942: table or view does not exist')
    })

    it('keeps the code of a source error, so the person is sent to the source', async () => {
      const source = new FakeSource(createDialect('sqlite'), SMALL)
      source.beforeRows = () => {
        throw new AppError('source/timeout', 'statement ran longer than 300 s')
      }
      await expect(resolveForwardLineage(['D'], { source })).rejects.toMatchObject({
        code: 'source/timeout',
        message: 'Lineage query failed: statement ran longer than 300 s',
        details: { cause_code: 'source/timeout' },
      })
    })
  })

  describe('options', () => {
    it('rejects caps that are not positive integers', async () => {
      const source = new FakeSource(createDialect('sqlite'), SMALL)
      await expect(resolveBackwardLineage(['D'], { source, maxDepth: -1 })).rejects.toMatchObject({
        code: 'input/invalid',
        details: { field: 'maxDepth' },
      })
      await expect(resolveForwardLineage(['D'], { source, maxDepth: 1.5 })).rejects.toMatchObject({ code: 'input/invalid' })
      await expect(resolveForwardLineage(['D'], { source, maxNodes: 0 })).rejects.toMatchObject({
        code: 'input/invalid',
        details: { field: 'maxNodes' },
      })
      expect(source.calls).toHaveLength(0)
    })

    it('keeps only the seeds at maxDepth 0 and reports the cut', async () => {
      const source = new FakeSource(createDialect('sqlite'), SMALL)
      const result = await resolveBackwardLineage(['D'], { source, maxDepth: 0 })
      expect(result.ancestors).toEqual({ D: [] })
      expect(result.seed_roots).toEqual({ D: 'GD01-01' })
      expect(result.truncation_reasons).toEqual(['depth_cap'])
    })

    it('returns empty results for no seeds without querying', async () => {
      const source = new FakeSource(createDialect('sqlite'), SMALL)
      expect(await resolveBackwardLineage([], { source })).toEqual({
        direction: 'backward',
        roots: [],
        ancestors: {},
        seed_roots: {},
        parent_map: {},
        merge_edges: {},
        seed_serials: {},
        names: {},
        nodes: {},
        edges: [],
        total_nodes: 0,
        total_ancestor_count: 0,
        truncated: false,
        truncation_reasons: [],
      })
      expect(await resolveForwardLineage([], { source })).toEqual({
        direction: 'forward',
        roots: [],
        seeds: [],
        children_map: {},
        leaf_serials: {},
        names: {},
        nodes: {},
        edges: [],
        total_nodes: 0,
        truncated: false,
        truncation_reasons: [],
      })
      expect(source.calls).toHaveLength(0)
    })
  })
})
