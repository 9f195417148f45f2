/** What a report reads from a result: the suspects it gives a section, and the lots behind each. */
import { describe, expect, it } from 'vitest'
import { drillOfSuspect } from '../../../renderer/src/drill'
import { collectReportData, readSuspectLots, reportSections } from '../../../main/report/index.js'
import { suspectDetailFilter } from '../../../shared/msd.js'
import { aggregation, detailRows, fakeSource, HOSTILE_LOT, JOB_ID, MACHINE, MOLD, RIDE_ALONG, summary, WAFER } from '../../fixtures/report-fixture.js'

describe('suspectDetailFilter', () => {
  it('selects the lots of a suspect as the detail rows spell their lists, the same filter the drill-down uses', () => {
    expect(suspectDetailFilter(MACHINE)).toEqual([{ column: 'UPSTREAM_MACHINES', op: 'item', value: '焊接_WB/GWBE-0029' }])
    expect(suspectDetailFilter({ factor_type: 'machine', name: 'GWBE-0029', station: null })).toEqual([{ column: 'UPSTREAM_MACHINES', op: 'contains', value: '/GWBE-0029' }])
    expect(suspectDetailFilter({ factor_type: 'material', name: 'EMC-G600-A (SMB261013-57)', station: '成型' })).toEqual([
      { column: 'UPSTREAM_MATERIALS', op: 'item', value: 'EMC-G600-A/SMB261013-57' },
    ])
    expect(suspectDetailFilter({ factor_type: 'material', name: 'WR-CU', station: null })).toEqual([{ column: 'UPSTREAM_MATERIALS', op: 'item', value: 'WR-CU' }])
    expect(suspectDetailFilter(WAFER)).toEqual([{ column: 'WAFER_ROOT', op: 'eq', value: WAFER.name }])
    for (const s of [MACHINE, MOLD, RIDE_ALONG, WAFER]) expect(drillOfSuspect(s).detail, s.name).toEqual(suspectDetailFilter(s))
  })
})

describe('readSuspectLots', () => {
  it('folds a lot\'s rows (one per loss reason) into one, defective lots first, and counts lots and rows', () => {
    const lots = readSuspectLots(fakeSource(), JOB_ID, MACHINE, 500)
    // 300 lots through the machine; 40 defective, every third of them with a second reason (14 extra rows).
    expect([lots.lots.length, lots.totalLots, lots.totalRows]).toEqual([300, 300, 314])
    expect(lots.lots[0]).toEqual({
      cid: 'CID0', name: HOSTILE_LOT, type: 'QFN', packageName: 'QFN-32', detectionMachine: 'FT-01', input: 1000,
      reasons: [{ reason: 'A01_OPEN', qty: 30 }, { reason: 'B02_SHORT', qty: 5 }], defects: 35, waferRoot: 'WL2609-017',
    })
    expect(lots.lots[40]).toMatchObject({ name: 'GA26090040-A01', reasons: [], defects: 0 })
    // GWBE-00290 is another machine: an item match, not a prefix.
    expect(lots.lots.some((l) => l.cid === 'OTHER')).toBe(false)
  })

  it('stops at the cap and takes the analysis\'s lot count for the rest, reading only the pages it needs', () => {
    const source = fakeSource({ rows: detailRows(2500) })
    const lots = readSuspectLots(source, JOB_ID, { ...MACHINE, lots: 2500 }, 200)
    expect([lots.lots.length, lots.totalLots, lots.totalRows]).toEqual([200, 2500, 2514])
    expect(source.pages).toBe(1)
  })
})

describe('reportSections', () => {
  it('gives a section to each independent significant suspect, in list order', () => {
    expect(reportSections(aggregation()).sections.map((s) => s.name)).toEqual([MACHINE.name, MOLD.name, WAFER.name])
    const capped = reportSections(aggregation(), 2)
    expect([capped.sections.length, capped.more, capped.olderResult]).toEqual([2, 1, false])
  })

  it('counts independent suspects the aggregation did not keep', () => {
    const agg = aggregation()
    agg.suspect_summary.independent = 130
    expect(reportSections(agg).more).toBe(130 - 3)
  })

  it('falls back to the top ranked suspects for a result written before q-values', () => {
    const agg = aggregation()
    agg.suspect_summary.fdr = null
    const older = reportSections(agg)
    expect(older.olderResult).toBe(true)
    expect(older.sections.map((s) => s.rank)).toEqual([1, 2, 3, 4, 5])
    expect(older.sections[2]!.name).toBe(RIDE_ALONG.name)
  })
})

describe('collectReportData', () => {
  it('reads the summary, the aggregation and the lots of each section', () => {
    const data = collectReportData(fakeSource(), JOB_ID)
    expect(data.sections).toHaveLength(3)
    // Past the cap of 200 lots, the total is the analysis's own count of the suspect's lots.
    expect(data.lots.map((l) => [l?.lots.length, l?.totalLots])).toEqual([[200, 801], [200, 240], [200, 300]])
    expect(data.summary.source).toBe('SQLite demo plant (plant.sqlite)')
  })

  it('refuses a forward analysis and another profile, naming the job under the field asked for', () => {
    const forward = fakeSource({ summary: summary({ direction: 'forward' }) })
    expect(() => collectReportData(forward, JOB_ID, { field: 'JOB_ID' })).toThrow(
      expect.objectContaining({ code: 'input/invalid', message: expect.stringContaining(`job ${JOB_ID} is a forward MSD analysis`), details: expect.objectContaining({ field: 'JOB_ID' }) }),
    )
    const lot = fakeSource({ summary: summary({ profile: 'query_tool', direction: 'forward' }) })
    expect(() => collectReportData(lot, JOB_ID)).toThrow(/job trace-evt-0123456789ab is a query_tool trace; an evidence report is made of a backward/)
    expect(() => collectReportData(fakeSource({ aggregation: null }), JOB_ID)).toThrow(/holds no backward MSD aggregation/)
  })

  it('still reports when the lots of a suspect cannot be read', () => {
    const source = fakeSource()
    source.detail = () => {
      throw new Error('no detail table')
    }
    expect(collectReportData(source, JOB_ID).lots).toEqual([null, null, null])
  })
})
