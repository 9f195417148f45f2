/**
 * The typed lots (`seeds`) and a reverse trace's serial leaves (`seed_serials`) travel through a
 * result file: written by the worker's writer, read back by the reader and accepted by the import
 * check; a file written before they existed still reads, without them.
 */
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createResultFile, inspectResultFile, openResultFile } from '../../../main/store/index.js'
import { resolveBackwardLineage, resolveForwardLineage } from '../../../main/trace/lineage.js'
import { normalizeTraceRequest, type NormalizedTraceRequest } from '../../../shared/trace-request.js'
import type { LineageResult, QualityMeta } from '../../../shared/trace.js'
import { createFixtureSource, type FixtureSource } from '../../fixtures/source-fixture.js'
import { tempDir } from '../../unit/store/store-fixtures.js'
import { FIDELITY_ROWS } from './fidelity-fixture.js'

const JOB = 'trace-evt-0000000fe1d0'
const COMPLETE: QualityMeta = { status: 'complete', scope: 'query', reasons: [], observed_rows: 0 }

function writeResult(path: string, request: NormalizedTraceRequest, lineage: LineageResult): void {
  const writer = createResultFile(path, { jobId: JOB, request, source: 'sqlite:/plants/fixture.sqlite', appVersion: '0.1.0', now: Date.UTC(2026, 1, 2) })
  writer.writeLineage(lineage)
  writer.finish({ domainQuality: {}, quality: COMPLETE, completedAt: Date.UTC(2026, 1, 2, 0, 1) })
}

describe('the typed lots and serial leaves in a result file', () => {
  let fixture: FixtureSource
  let tmp: ReturnType<typeof tempDir>
  let path: string
  const forwardRequest = normalizeTraceRequest({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['GA3001-A01-002-01'] }, domains: [] })
  const reverseRequest = normalizeTraceRequest({ profile: 'query_tool_reverse', params: { resolve_type: 'serial_number', values: ['SN-NOROW'] }, domains: [] })

  beforeAll(async () => {
    fixture = await createFixtureSource(FIDELITY_ROWS)
  })
  afterAll(async () => {
    await fixture.cleanup()
  })
  beforeEach(() => {
    tmp = tempDir()
    path = join(tmp.dir, 'results', `${JOB}.sqlite`)
  })
  afterEach(() => tmp.cleanup())

  it('reads back a forward lineage with its seeds, and the import check accepts it', async () => {
    const lineage = await resolveForwardLineage(['A21', 'T', 'A1'], { source: fixture.source })
    writeResult(path, forwardRequest, lineage)
    const reader = openResultFile(path)
    try {
      const read = reader.lineage()
      expect(read).toEqual(lineage)
      expect(read?.direction === 'forward' && read.seeds).toEqual(['A21', 'T', 'A1'])
    } finally {
      reader.close()
    }
    expect(inspectResultFile(path).request).toEqual(forwardRequest)
  })

  it('reads back a backward lineage with its serial leaves, and the import check accepts it', async () => {
    const lineage = await resolveBackwardLineage(['NOROW', 'NOROW2'], { source: fixture.source })
    writeResult(path, reverseRequest, lineage)
    const reader = openResultFile(path)
    try {
      const read = reader.lineage()
      expect(read).toEqual(lineage)
      expect(read?.direction === 'backward' && read.seed_serials).toEqual({ NOROW: ['SN-NOROW'], NOROW2: ['SN-NOROW'] })
    } finally {
      reader.close()
    }
    expect(inspectResultFile(path).request).toEqual(reverseRequest)
  })

  it('keeps the containers\' quantities on the nodes, and a file without them reads without', async () => {
    const lineage = await resolveForwardLineage(['A1'], { source: fixture.source })
    const [first, second] = Object.keys(lineage.nodes).sort()
    const withQty: LineageResult = { ...lineage, nodes: { ...lineage.nodes, [first!]: { ...lineage.nodes[first!]!, qty: 12_000 }, [second!]: { ...lineage.nodes[second!]!, qty: 0 } } }
    writeResult(path, forwardRequest, withQty)
    const reader = openResultFile(path)
    try {
      const read = reader.lineage()
      expect(read).toEqual(withQty)
      expect(read?.nodes[first!]?.qty).toBe(12_000)
      expect(read?.nodes[second!]?.qty).toBe(0)
      expect(Object.values(read?.nodes ?? {}).filter((n) => 'qty' in n)).toHaveLength(2)
    } finally {
      reader.close()
    }
    expect(inspectResultFile(path).request).toEqual(forwardRequest)
  })

  it('reads a result written before either was recorded, without them', async () => {
    const { seeds: _seeds, ...forward } = await resolveForwardLineage(['A1'], { source: fixture.source })
    writeResult(path, forwardRequest, forward)
    const reader = openResultFile(path)
    try {
      const read = reader.lineage()
      expect(read).toEqual(forward)
      expect(read && 'seeds' in read).toBe(false)
      expect(read?.direction === 'forward' && read.children_map).toEqual({ A: ['BL', 'A1', 'A2'], A2: ['A21'], W: ['A'] })
    } finally {
      reader.close()
    }
    expect(inspectResultFile(path).request).toEqual(forwardRequest)

    const { seed_serials: _serials, ...backward } = await resolveBackwardLineage(['NOROW'], { source: fixture.source })
    const older = join(tmp.dir, 'results', 'older.sqlite')
    writeResult(older, reverseRequest, backward)
    const olderReader = openResultFile(older)
    try {
      expect(olderReader.lineage()).toEqual(backward)
    } finally {
      olderReader.close()
    }
    expect(inspectResultFile(older).request).toEqual(reverseRequest)
  })
})
