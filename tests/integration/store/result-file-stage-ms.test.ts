/**
 * The stage times in a result file's manifest: `finish` completes the record it is given (sort
 * indexes, finish, total) and stores it; a file finished without one has none, and still opens.
 */
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createResultFile, inspectResultFile, openResultFile, type ResultFileWriter } from '../../../main/store/index.js'
import { lotRequest, tempDir } from '../../unit/store/store-fixtures.js'
import { eventRows, quality, SEEDS } from './result-file-fixtures.js'

const JOB = 'trace-evt-00000000abce'
const AS_OF = Date.UTC(2026, 0, 9, 6, 30, 0)

describe('result file stage times', () => {
  let tmp: ReturnType<typeof tempDir>
  let path: string
  beforeEach(() => {
    tmp = tempDir()
    path = join(tmp.dir, 'results', `${JOB}.sqlite`)
  })
  afterEach(() => tmp.cleanup())

  function written(): ResultFileWriter {
    const w = createResultFile(path, { jobId: JOB, request: lotRequest('GA26010001-A01'), source: 'sqlite:/plants/demo.sqlite', appVersion: '0.1.0', now: AS_OF })
    w.writeSeeds(SEEDS)
    w.writeEvents('history', eventRows('history', 0, 500))
    return w
  }

  it('stores the stages given, with the sort indexes, the finish and the total it measured', () => {
    const startedAt = performance.now() - 1000
    const stages = {
      resolve: 12.34,
      lineage: 100,
      events: 300,
      domains: { history: { fetch: 250.55, write: 40 } },
      analysis: {},
    }
    written().finish({ domainQuality: { history: quality('complete', 500, 'history') }, quality: quality('complete', 500), stageMs: { stages, startedAt } })
    const stored = openResultFile(path).manifest().stage_ms
    expect(stored).toMatchObject({ resolve: 12.3, lineage: 100, events: 300, domains: { history: { fetch: 250.5, write: 40 } }, analysis: {} })
    expect(stored!.sort_index).toBeGreaterThanOrEqual(0)
    expect(stored!.finish).toBeGreaterThanOrEqual(0)
    // The total runs from `startedAt`, a second before: it holds the stages' time and the finish.
    expect(stored!.total).toBeGreaterThanOrEqual(1000)
    expect(stored!.total).toBeGreaterThanOrEqual(stored!.sort_index + stored!.finish)
    expect(() => inspectResultFile(path)).not.toThrow()
  })

  it('has no stage times when finished without them, and opens and checks as before', () => {
    written().finish({ domainQuality: { history: quality('complete', 500, 'history') }, quality: quality('complete', 500) })
    const reader = openResultFile(path)
    expect(reader.manifest().stage_ms).toBeUndefined()
    expect(reader.manifest().row_counts.history).toBe(500)
    expect(inspectResultFile(path).manifest.stage_ms).toBeUndefined()
  })
})
