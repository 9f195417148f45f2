import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { catalogPathOf, isJobId, resultPathOf, resultsDirOf } from '../../../main/store/index.js'

describe('storage paths', () => {
  it('recognizes job ids: trace-evt- and 12 lower-case hex digits', () => {
    expect(isJobId('trace-evt-0123456789ab')).toBe(true)
    expect(isJobId('trace-evt-0123456789AB')).toBe(false)
    expect(isJobId('trace-evt-0123456789abc')).toBe(false)
    expect(isJobId('trace-evt-../../etc')).toBe(false)
    expect(isJobId(42)).toBe(false)
  })

  it('lays out the data directory', () => {
    expect(catalogPathOf('/data')).toBe(join('/data', 'catalog.sqlite'))
    expect(resultsDirOf('/data')).toBe(join('/data', 'results'))
    expect(resultPathOf('/data/results', 'trace-evt-00000000000a')).toBe(join('/data/results', 'trace-evt-00000000000a.sqlite'))
  })

  it('never builds a result path from something that is not a job id', () => {
    expect(() => resultPathOf('/data/results', '../catalog')).toThrow(expect.objectContaining({ code: 'input/invalid', details: { field: 'jobId' } }))
  })
})
