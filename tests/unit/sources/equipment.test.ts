/**
 * The equipment reads on a hand-built source whose answers are spelled out here: partial
 * track-outs kept once with the latest track-out, the rejects' sums with missing quantities, status
 * stretches ending `HOURS` after they start, the OU percentage, the machine list of a resource
 * table without the optional columns, and a status table without a column the timeline needs.
 */
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { equipmentExportRows, jobsWithTransactions, openSqliteSource, readEquipmentJobs, readJobTransactions, readEquipmentLots, readEquipmentRejects, readEquipmentTimeline, readMachineList, type MesSource } from '../../../main/sources/index.js'
import type { EquipmentQuery } from '../../../shared/equipment.js'
import { createFixtureSource, type FixtureRows, type FixtureSource } from '../../fixtures/source-fixture.js'

const ROWS: FixtureRows = {
  DW_MES_CONTAINER: [
    { CONTAINERID: 'c1', CONTAINERNAME: 'GA26010001-A01', FIRSTNAME: 'W1', PJ_TYPE: 'T', PJ_BOP: 'B' },
    { CONTAINERID: 'c2', CONTAINERNAME: 'GA26010001-A02' },
  ],
  DW_MES_LOTWIPHISTORY: [
    // c1 on e1 tracked out in three parts: the 12:00 part is kept.
    { CONTAINERID: 'c1', EQUIPMENTID: 'e1', EQUIPMENTNAME: 'M-01', WORKCENTERNAME: '焊接_WB', SPECNAME: 'WB_1', TRACKINTIMESTAMP: '2026-01-02 08:00:00', TRACKOUTTIMESTAMP: '2026-01-02 10:00:00', TRACKINQTY: 1000, TRACKOUTQTY: 400 },
    { CONTAINERID: 'c1', EQUIPMENTID: 'e1', EQUIPMENTNAME: 'M-01', WORKCENTERNAME: '焊接_WB', SPECNAME: 'WB_1', TRACKINTIMESTAMP: '2026-01-02 08:00:00', TRACKOUTTIMESTAMP: null, TRACKINQTY: 600 },
    { CONTAINERID: 'c1', EQUIPMENTID: 'e1', EQUIPMENTNAME: 'M-01', WORKCENTERNAME: '焊接_WB', SPECNAME: 'WB_1', TRACKINTIMESTAMP: '2026-01-02 08:00:00', TRACKOUTTIMESTAMP: '2026-01-02 12:00:00', TRACKINQTY: 600, TRACKOUTQTY: 600 },
    // A lot the container table does not know, at the same time on the same machine: after c1.
    { CONTAINERID: 'c0', EQUIPMENTID: 'e1', EQUIPMENTNAME: 'M-01', WORKCENTERNAME: '焊接_WB', SPECNAME: 'WB_1', TRACKINTIMESTAMP: '2026-01-02 08:00:00', TRACKOUTTIMESTAMP: null },
    // c2 on e2 the next day; e2's name sorts first.
    { CONTAINERID: 'c2', EQUIPMENTID: 'e2', EQUIPMENTNAME: 'K-07', WORKCENTERNAME: 'TMTT', SPECNAME: 'FT', TRACKINTIMESTAMP: '2026-01-03 09:30:00', TRACKOUTTIMESTAMP: '2026-01-03 11:00:00' },
    // Outside the range (the end day is inclusive, the next day is not).
    { CONTAINERID: 'c2', EQUIPMENTID: 'e2', EQUIPMENTNAME: 'K-07', WORKCENTERNAME: 'TMTT', SPECNAME: 'FT', TRACKINTIMESTAMP: '2026-01-05 00:00:00' },
  ],
  DW_MES_LOTREJECTHISTORY: [
    { CONTAINERID: 'c1', EQUIPMENTNAME: 'M-01', LOSSREASONNAME: '001_A', REJECTQTY: 5, STANDBYQTY: 1, QTYTOPROCESS: null, INPROCESSQTY: 2, PROCESSEDQTY: 0, DEFECTQTY: 7, TXNDATE: '2026-01-02 09:00:00' },
    { CONTAINERID: 'c1', EQUIPMENTNAME: 'M-01', LOSSREASONNAME: '001_A', REJECTQTY: null, STANDBYQTY: 3, DEFECTQTY: null, TXNDATE: '2026-01-04 23:59:59' },
    { CONTAINERID: 'c0', EQUIPMENTNAME: 'M-01', LOSSREASONNAME: '002_B', REJECTQTY: 20, TXNDATE: '2026-01-02 10:00:00' },
    { CONTAINERID: 'c0', EQUIPMENTNAME: 'M-01', LOSSREASONNAME: null, REJECTQTY: 1, TXNDATE: '2026-01-02 10:00:00' },
    { CONTAINERID: 'c2', EQUIPMENTNAME: 'K-07', LOSSREASONNAME: '001_A', REJECTQTY: 4, TXNDATE: '2026-01-05 00:00:00' },
  ],
  DW_MES_JOB: [
    { JOBID: 'j1', RESOURCEID: 'e1', RESOURCENAME: 'M-01', JOBSTATUS: 'Completed', CREATEDATE: '2026-01-02 13:00:00', COMPLETEDATE: '2026-01-02 15:00:00' },
    { JOBID: 'j2', RESOURCEID: 'e1', RESOURCENAME: 'M-01', JOBSTATUS: 'Open', CREATEDATE: '2026-01-03 13:00:00' },
    // Created before the range and still open: not listed (the original's rule).
    { JOBID: 'j0', RESOURCEID: 'e1', RESOURCENAME: 'M-01', JOBSTATUS: 'Open', CREATEDATE: '2025-12-30 13:00:00' },
    { JOBID: 'j3', RESOURCEID: 'e2', RESOURCENAME: 'K-07', JOBSTATUS: 'Completed', CREATEDATE: '2026-01-02 01:00:00', COMPLETEDATE: '2026-01-02 02:00:00' },
  ],
  DW_MES_RESOURCE: [
    { RESOURCEID: 'e1', RESOURCENAME: 'M-01', WORKCENTERNAME: '焊接_WB', RESOURCEFAMILYNAME: 'WB' },
    { RESOURCEID: 'e2', RESOURCENAME: 'K-07', WORKCENTERNAME: 'TMTT', RESOURCEFAMILYNAME: 'FT' },
    { RESOURCEID: 'e3', RESOURCENAME: 'P-01', WORKCENTERNAME: '點測' },
    { RESOURCEID: 'e4', RESOURCENAME: 'X-01', WORKCENTERNAME: null },
  ],
  DW_MES_RESOURCESTATUS_SHIFT: [
    { HISTORYID: 'e1', TXNDATE: '2026-01-02 08:00:00', NEWSTATUSNAME: 'PRD', HOURS: 2 },
    { HISTORYID: 'e1', TXNDATE: '2026-01-02 06:30:00', NEWSTATUSNAME: 'SBY', HOURS: 1.5 },
    { HISTORYID: 'e1', TXNDATE: '2026-01-02 22:45:00', NEWSTATUSNAME: 'EGT', HOURS: 2.25 },
    { HISTORYID: 'e2', TXNDATE: '2026-01-03 00:00:00', NEWSTATUSNAME: 'NST', HOURS: 8 },
  ],
}

const QUERY: EquipmentQuery = { id: 's', equipment_ids: ['e1', 'e2', 'e1'], start_date: '2026-01-02', end_date: '2026-01-04' }

let fixture: FixtureSource | undefined
/** The fixture file opened again after a change to its tables. */
let reopened: MesSource | undefined
afterEach(async () => {
  await reopened?.close()
  await fixture?.cleanup()
  fixture = undefined
  reopened = undefined
})

describe('the equipment reads on a hand-built source', () => {
  it('keeps each visit once with its latest track-out, ordered by machine name, track-in, lot', async () => {
    fixture = await createFixtureSource(ROWS)
    const page = await readEquipmentLots(fixture.source, QUERY)
    expect(page.total).toBe(3)
    expect(page.rows.map((r) => [r.EQUIPMENTNAME, r.CONTAINERID, r.CONTAINERNAME, r.TRACKOUTTIMESTAMP, r.TRACKOUTQTY])).toEqual([
      ['K-07', 'c2', 'GA26010001-A02', '2026-01-03T11:00:00', null],
      ['M-01', 'c1', 'GA26010001-A01', '2026-01-02T12:00:00', 600],
      ['M-01', 'c0', null, null, null],
    ])
    expect(page.rows[1]).toMatchObject({ FIRSTNAME: 'W1', PJ_TYPE: 'T', PJ_BOP: 'B', TRACKINTIMESTAMP: '2026-01-02T08:00:00', TRACKINQTY: 600 })
    const second = await readEquipmentLots(fixture.source, QUERY, { offset: 1, limit: 1 })
    expect([second.total, second.rows.map((r) => r.CONTAINERID)]).toEqual([3, ['c1']])
  })

  it('lists the jobs created in the range, by machine name and newest first', async () => {
    fixture = await createFixtureSource(ROWS)
    const jobs = await readEquipmentJobs(fixture.source, QUERY)
    expect(jobs.rows.map((r) => r.JOBID)).toEqual(['j3', 'j2', 'j1'])
    expect(jobs.rows[1]).toMatchObject({ JOBSTATUS: 'Open', CREATEDATE: '2026-01-03T13:00:00', COMPLETEDATE: null })
  })

  it('sums the rejects per machine name and loss reason, missing quantities as 0', async () => {
    fixture = await createFixtureSource(ROWS)
    const rejects = await readEquipmentRejects(fixture.source, QUERY)
    expect(rejects.rows).toEqual([
      { EQUIPMENTNAME: 'M-01', LOSSREASONNAME: '002_B', TOTAL_REJECT_QTY: 20, TOTAL_CHARGE_OFF_QTY: 20, TOTAL_DEFECT_QTY: 0, AFFECTED_LOT_COUNT: 1 },
      { EQUIPMENTNAME: 'M-01', LOSSREASONNAME: '001_A', TOTAL_REJECT_QTY: 5, TOTAL_CHARGE_OFF_QTY: 11, TOTAL_DEFECT_QTY: 7, AFFECTED_LOT_COUNT: 1 },
      { EQUIPMENTNAME: 'M-01', LOSSREASONNAME: null, TOTAL_REJECT_QTY: 1, TOTAL_CHARGE_OFF_QTY: 1, TOTAL_DEFECT_QTY: 0, AFFECTED_LOT_COUNT: 1 },
    ])
  })

  it('draws status stretches from TXNDATE to TXNDATE + HOURS in chronology, with hours and OU per machine asked', async () => {
    fixture = await createFixtureSource(ROWS)
    const timeline = await readEquipmentTimeline(fixture.source, QUERY)
    expect(timeline.machines).toEqual([{ resource_id: 'e1', name: 'M-01' }, { resource_id: 'e2', name: 'K-07' }])
    expect(timeline.window).toEqual({ start: '2026-01-02T00:00:00', end: '2026-01-05T00:00:00' })
    expect(timeline.status).toEqual([
      { resource_id: 'e1', status: 'SBY', start: '2026-01-02T06:30:00', end: '2026-01-02T08:00:00', hours: 1.5 },
      { resource_id: 'e1', status: 'PRD', start: '2026-01-02T08:00:00', end: '2026-01-02T10:00:00', hours: 2 },
      { resource_id: 'e1', status: 'EGT', start: '2026-01-02T22:45:00', end: '2026-01-03T01:00:00', hours: 2.25 },
      { resource_id: 'e2', status: 'NST', start: '2026-01-03T00:00:00', end: '2026-01-03T08:00:00', hours: 8 },
    ])
    expect(timeline.hours).toEqual([
      { RESOURCEID: 'e1', RESOURCENAME: 'M-01', PRD_HOURS: 2, SBY_HOURS: 1.5, UDT_HOURS: 0, SDT_HOURS: 0, EGT_HOURS: 2.25, NST_HOURS: 0, TOTAL_HOURS: 5.75, OU_PERCENT: 57.14 },
      { RESOURCEID: 'e2', RESOURCENAME: 'K-07', PRD_HOURS: 0, SBY_HOURS: 0, UDT_HOURS: 0, SDT_HOURS: 0, EGT_HOURS: 0, NST_HOURS: 8, TOTAL_HOURS: 8, OU_PERCENT: null },
    ])
    expect(timeline.lots.map((l) => [l.lot_id, l.start, l.end])).toEqual([
      ['GA26010001-A01', '2026-01-02T08:00:00', '2026-01-02T12:00:00'],
      ['c0', '2026-01-02T08:00:00', null],
      ['GA26010001-A02', '2026-01-03T09:30:00', '2026-01-03T11:00:00'],
    ])
    expect(timeline.lots_total).toBe(3)
    expect(timeline.jobs.map((j) => [j.job_id, j.status, j.completed])).toEqual([['j3', 'Completed', '2026-01-02T02:00:00'], ['j2', 'Open', null], ['j1', 'Completed', '2026-01-02T15:00:00']])
  })

  it('lists machines with a workcenter when the resource table has none of the production columns', async () => {
    fixture = await createFixtureSource(ROWS)
    await fixture.source.close()
    const db = new Database(fixture.path)
    for (const column of ['OBJECTCATEGORY', 'OBJECTTYPE', 'LOCATIONNAME', 'PJ_ASSETSSTATUS']) db.exec(`ALTER TABLE DW_MES_RESOURCE DROP COLUMN ${column}`)
    db.close()
    reopened = await openSqliteSource(fixture.path)
    const list = await readMachineList(reopened, { limits: { max_machines: 5, max_days: 10 } })
    expect(list.filtered_by).toEqual([])
    expect(list.from).toBe('resource')
    // By station order (焊接_WB, then 測試, then the probe station, which is in none), then name.
    expect(list.machines).toEqual([
      { resource_id: 'e1', name: 'M-01', workcenter: '焊接_WB', station: '焊接_WB', family: 'WB' },
      { resource_id: 'e2', name: 'K-07', workcenter: 'TMTT', station: '測試', family: 'FT' },
      { resource_id: 'e3', name: 'P-01', workcenter: '點測', station: null, family: null },
    ])
    expect(list.default_range).toEqual({ start: '2026-01-02', end: '2026-01-05' })
    expect(list.limits).toEqual({ max_machines: 5, max_days: 10 })
  })

  it('keeps only production machines by the optional columns, each used where the source has it', async () => {
    const machine = (id: string, category: string | null, type: string | null, location: string | null, status: string | null, workcenter: string | null = 'TMTT'): Record<string, unknown> => ({
      RESOURCEID: id, RESOURCENAME: id.toUpperCase(), WORKCENTERNAME: workcenter, OBJECTCATEGORY: category, OBJECTTYPE: type, LOCATIONNAME: location, PJ_ASSETSSTATUS: status,
    })
    fixture = await createFixtureSource({
      ...ROWS,
      DW_MES_RESOURCE: [
        machine('m1', 'ASSEMBLY', 'ASSEMBLY', null, null),
        machine('m2', 'ASSEMBLY', 'ASSEMBLY', '實驗室', 'Approved'),
        machine('m3', 'WAFERSORT', 'WAFERSORT', 'A棟', 'Approved', '點測'),
        machine('m4', 'ASSEMBLY', 'ASSEMBLY', null, null, null),
        machine('m5', 'FACILITY', 'FACILITY', null, null),
        machine('m6', 'ASSEMBLY', 'ASSEMBLY', 'A棟', 'Disapproved'),
        machine('m7', 'ASSEMBLY', 'WAFERSORT', null, null),
      ],
    })
    const limits = { limits: { max_machines: 5, max_days: 10 } }
    const all = await readMachineList(fixture.source, limits)
    expect(all.filtered_by).toEqual(['OBJECTCATEGORY', 'OBJECTTYPE', 'LOCATIONNAME', 'PJ_ASSETSSTATUS'])
    expect(all.machines.map((m) => m.resource_id)).toEqual(['m1', 'm3'])
    await fixture.source.close()
    const db = new Database(fixture.path)
    for (const column of ['OBJECTTYPE', 'PJ_ASSETSSTATUS']) db.exec(`ALTER TABLE DW_MES_RESOURCE DROP COLUMN ${column}`)
    db.close()
    reopened = await openSqliteSource(fixture.path)
    const some = await readMachineList(reopened, limits)
    expect(some.filtered_by).toEqual(['OBJECTCATEGORY', 'LOCATIONNAME'])
    expect(some.machines.map((m) => m.resource_id)).toEqual(['m1', 'm6', 'm7', 'm3'])
  })

  it('stops every read when its signal has fired', async () => {
    fixture = await createFixtureSource(ROWS)
    const signal = AbortSignal.abort()
    const source = fixture.source
    const reads: [string, () => Promise<unknown>][] = [
      ['machines', () => readMachineList(source, { limits: { max_machines: 5, max_days: 10 }, signal })],
      ['lots', () => readEquipmentLots(source, QUERY, { signal })],
      ['jobs', () => readEquipmentJobs(source, QUERY, { signal })],
      ['rejects', () => readEquipmentRejects(source, QUERY, { signal })],
      ['timeline', () => readEquipmentTimeline(source, QUERY, { signal })],
      ['transactions', () => readJobTransactions(source, 'j1', { signal })],
      ['export', async () => {
        for await (const chunk of equipmentExportRows(source, QUERY, 'lots', { signal }).rows) void chunk
      }],
      ['with transactions', async () => {
        for await (const chunk of jobsWithTransactions(source, (async function* () { yield [{ JOBID: 'j1' }] })(), { signal })) void chunk
      }],
    ]
    for (const [name, read] of reads) await expect(read(), name).rejects.toMatchObject({ code: 'trace/cancelled' })
  })

  it('counts a status table without NEWSTATUSNAME as missing', async () => {
    fixture = await createFixtureSource(ROWS)
    await fixture.source.close()
    const db = new Database(fixture.path)
    db.exec('ALTER TABLE DW_MES_RESOURCESTATUS_SHIFT DROP COLUMN NEWSTATUSNAME')
    db.close()
    reopened = await openSqliteSource(fixture.path)
    const timeline = await readEquipmentTimeline(reopened, QUERY)
    expect([timeline.status, timeline.hours, timeline.missing_tables]).toEqual([null, null, ['DW_MES_RESOURCESTATUS_SHIFT']])
    expect((await readMachineList(reopened, { limits: { max_machines: 5, max_days: 10 } })).missing_tables).toEqual(['DW_MES_RESOURCESTATUS_SHIFT'])
  })
})
