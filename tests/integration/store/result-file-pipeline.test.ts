/**
 * The result file with what the real pipeline emits: a demo-plant trace over all 7 domains is
 * streamed into a result file batch by batch, and every seed, lineage field and event row must come
 * back unchanged — types included, which pins the NUMERIC/TEXT choice of every event column.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { openSource, parseSourceSpec, type MesSource } from '../../../main/sources/index.js'
import { createResultFile, NUMBER_COLUMNS, openResultFile, type ResultFileReader } from '../../../main/store/index.js'
import { runTrace, type TraceOutcome } from '../../../main/trace/index.js'
import { normalizeTraceRequest, type NormalizedTraceRequest } from '../../../shared/trace-request.js'
import { DOMAINS, type Domain, type EventRow, type LineageResult, type SeedResult } from '../../../shared/trace.js'
import { tempDir } from '../../unit/store/store-fixtures.js'

interface Captured {
  seeds?: SeedResult
  lineage?: LineageResult
  rows: Partial<Record<Domain, EventRow[]>>
}

async function traceToFile(source: MesSource, request: NormalizedTraceRequest, path: string, jobId: string): Promise<{ captured: Captured; outcome: TraceOutcome }> {
  const writer = createResultFile(path, { jobId, request, source: source.description, appVersion: 'test', now: Date.now() })
  const captured: Captured = { rows: {} }
  try {
    const outcome = await runTrace({
      source,
      request,
      sink: {
        onSeeds: (s) => {
          captured.seeds = structuredClone(s)
          writer.writeSeeds(s)
        },
        onLineage: (l) => {
          captured.lineage = structuredClone(l)
          writer.writeLineage(l)
        },
        onEventBatch: (b) => {
          ;(captured.rows[b.domain] ??= []).push(...structuredClone(b.rows))
          writer.writeEvents(b.domain, b.rows)
        },
      },
    })
    writer.finish({ domainQuality: outcome.domains, quality: outcome.quality_meta, warnings: outcome.warnings })
    return { captured, outcome }
  } catch (error) {
    writer.abort()
    throw error
  }
}

async function allRows(reader: ResultFileReader, domain: Domain): Promise<EventRow[]> {
  const out: EventRow[] = []
  for await (const chunk of reader.allRows(domain, { chunkSize: 700 })) out.push(...chunk)
  return out
}

describe('a demo-plant trace stored in a result file', () => {
  let tmp: ReturnType<typeof tempDir>
  let summary: DemoSummary
  let source: MesSource

  beforeAll(async () => {
    tmp = tempDir()
    summary = await generateDemoPlant({ out: join(tmp.dir, 'plant.sqlite'), lots: 400, seed: 'store-round-trip' })
    ;({ source } = await openSource(parseSourceSpec(summary.out)))
  }, 120_000)
  afterAll(async () => {
    await source?.close()
    tmp.cleanup()
  })

  it('reads back every seed, the forward lineage and every row of all 7 domains unchanged', async () => {
    const raw = new Database(summary.out, { readonly: true })
    const lotIds = raw
      .prepare(`SELECT DISTINCT c.CONTAINERNAME FROM DW_MES_CONTAINER c JOIN DW_MES_LOTWIPHISTORY h ON h.CONTAINERID = c.CONTAINERID
                WHERE h.WORKCENTERNAME = 'TMTT' ORDER BY c.CONTAINERNAME`)
      .pluck()
      .all() as string[]
    raw.close()
    const request = normalizeTraceRequest({
      profile: 'query_tool',
      params: { resolve_type: 'lot_id', values: lotIds.filter((_, i) => i % 5 === 0) },
      domains: [...DOMAINS],
    })
    const path = join(tmp.dir, 'results', 'trace-evt-0000000000a1.sqlite')
    const { captured, outcome } = await traceToFile(source, request, path, 'trace-evt-0000000000a1')

    const reader = openResultFile(path)
    try {
      expect(reader.seeds()).toEqual(captured.seeds)
      expect(reader.lineage()).toEqual(captured.lineage)
      expect(reader.manifest().quality).toEqual(outcome.quality_meta)
      expect(reader.manifest().domain_quality).toEqual(outcome.domains)
      for (const domain of DOMAINS) {
        const expected = captured.rows[domain] ?? []
        expect([domain, reader.domainCounts()[domain]]).toEqual([domain, outcome.rows[domain]])
        expect(expected.length, `${domain} rows`).toBeGreaterThan(0)
        expect(await allRows(reader, domain)).toEqual(expected)
        // Every number the pipeline emits lives in a NUMERIC column, and nothing else does.
        const numeric = new Set(expected.flatMap((row) => Object.keys(row).filter((c) => typeof row[c] === 'number')))
        expect([domain, [...numeric].sort()]).toEqual([domain, [...NUMBER_COLUMNS[domain]].sort()])
      }
    } finally {
      reader.close()
    }
  })

  it('reads back a backward MSD lineage (ancestors, parent map, seed roots) unchanged', async () => {
    const request = normalizeTraceRequest({
      profile: 'mid_section_defect',
      params: { station: '測試', start_date: summary.endDate, end_date: summary.endDate },
    })
    const path = join(tmp.dir, 'results', 'trace-evt-0000000000b2.sqlite')
    const { captured } = await traceToFile(source, request, path, 'trace-evt-0000000000b2')
    expect(captured.lineage?.direction).toBe('backward')
    const reader = openResultFile(path)
    try {
      expect(reader.seeds()).toEqual(captured.seeds)
      expect(reader.lineage()).toEqual(captured.lineage)
      expect(reader.page('upstream_history', { limit: 1000 }).rows).toEqual((captured.rows.upstream_history ?? []).slice(0, 1000))
    } finally {
      reader.close()
    }
  })
})
