/**
 * The 7 event domains end to end over a real SQLite source: the SQL each domain sends, then the
 * code that post-processes it. Every expected row below is worked out by hand from the fixture.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EVENT_DOMAINS, SPEC_WORKCENTER_TABLE } from '../../../main/trace/event-domains.js'
import { fetchEvents, type EventBatch } from '../../../main/trace/events.js'
import { SOURCE_TABLES } from '../../../main/sources/schema.js'
import type { Domain, EventRow } from '../../../shared/trace.js'
import { createFixtureSource, type FixtureRows, type FixtureSource } from '../../fixtures/source-fixture.js'

const NOW = '2026-01-10T12:00:00'
const CIDS = ['cidA', 'cidB', 'a%b_c']

const wip = (
  cid: string,
  wc: string,
  eq: string | null,
  spec: string,
  trackIn: string | null,
  inQty: number | null,
  trackOut: string | null,
  outQty: number | null,
  extra: Record<string, unknown> = {},
) => ({
  CONTAINERID: cid,
  WORKCENTERNAME: wc,
  EQUIPMENTID: eq,
  EQUIPMENTNAME: eq,
  SPECNAME: spec,
  TRACKINTIMESTAMP: trackIn,
  TRACKINQTY: inQty,
  TRACKOUTTIMESTAMP: trackOut,
  TRACKOUTQTY: outQty,
  ...extra,
})

const REJECT_ROWS = [
  // R1: mapped spec; 5 charge-off fields 3+1+0+2+0 = 6; DEFECTQTY 4 (downstream total 10).
  {
    CONTAINERID: 'cidA', WORKCENTERNAME: '焊_WB_料', SPECNAME: 'S-WB', EQUIPMENTNAME: 'E1', LOSSREASONNAME: '001_CRACK',
    REJECTQTY: 3, STANDBYQTY: 1, QTYTOPROCESS: null, INPROCESSQTY: 2, PROCESSEDQTY: null, DEFECTQTY: 4,
    TXNDATE: '2026-01-05 09:30:00', REJECTCOMMENT: 'c1',
  },
  // R2: mapped to TMTT/測試; no loss reason, no machine.
  { CONTAINERID: 'cidA', WORKCENTERNAME: 'TMTT-1', SPECNAME: 'S-TEST', REJECTQTY: 10, TXNDATE: '2026-01-06 11:00:00' },
  // R3: unmapped spec on a workcenter no group matches.
  {
    CONTAINERID: 'cidB', WORKCENTERNAME: '點測', SPECNAME: 'S-UNMAPPED', EQUIPMENTNAME: 'PT1', LOSSREASONNAME: '043_NSOP',
    REJECTQTY: 2, TXNDATE: '2026-01-05 14:00:00',
  },
  // R4: no spec; 1+1+1+1+1 = 5, DEFECTQTY 7 (downstream total 12).
  {
    CONTAINERID: 'cidB', WORKCENTERNAME: '元件切割', REJECTQTY: 1, STANDBYQTY: 1, QTYTOPROCESS: 1, INPROCESSQTY: 1,
    PROCESSEDQTY: 1, DEFECTQTY: 7, TXNDATE: '2026-01-05 07:00:00',
  },
  // R5: nothing filled in but the CID and the time.
  { CONTAINERID: 'cidA', TXNDATE: '2026-01-05 18:00:00' },
]

const ROWS: FixtureRows = {
  DW_MES_CONTAINER: [
    {
      CONTAINERID: 'cidA', CONTAINERNAME: 'GA-A', PJ_TYPE: 'T1', PJ_BOP: 'BOP1', FIRSTNAME: 'WAF-1',
      PRODUCTLINENAME: 'SOT-23', PJ_FUNCTION: 'F1', PRODUCTNAME: 'P1',
    },
    { CONTAINERID: 'cidB', CONTAINERNAME: 'GA-B' },
    { CONTAINERID: 'a%b_c', CONTAINERNAME: 'GA-S' },
  ],
  DW_MES_LOTWIPHISTORY: [
    // cidA wire bond, session 1: three partial track-outs; the MES records the remaining qty at each.
    wip('cidA', '焊接_WB', 'E1', 'S-WB', '2026-01-05 08:00:00', 1000, '2026-01-05 09:00:00', 400),
    wip('cidA', '焊接_WB', 'E1', 'S-WB', '2026-01-05 08:00:00', 600, '2026-01-05 10:00:00', 590, { FINISHEDRUNCARD: 'RC-WB' }),
    wip('cidA', '焊接_WB', 'E1', 'S-WB', '2026-01-05 08:00:00', null, null, 5),
    // cidA wire bond on the same machine again later (another spec): two partials.
    wip('cidA', '焊接_WB', 'E1', 'S-WB2', '2026-01-05 20:00:00', 580, '2026-01-05 21:00:00', 280),
    wip('cidA', '焊接_WB', 'E1', 'S-WB2', '2026-01-05 20:00:00', 300, '2026-01-05 22:00:00', 295),
    wip('cidA', 'TMTT', 'T1', 'S-TEST', '2026-01-06 08:00:00', 990, '2026-01-06 12:00:00', 985, {
      FINISHEDRUNCARD: 'RC1', PJ_WORKORDER: 'GA1',
    }),
    // Dropped: no machine / no track-in.
    wip('cidA', '點測', null, 'S-X', '2026-01-06 13:00:00', 985, '2026-01-06 14:00:00', 985),
    wip('cidA', 'TMTT', 'T1', 'S-X', null, 985, null, null),
    wip('cidB', '切割', 'SAW1', 'S-SAW', '2026-01-03 06:00:00', 520, '2026-01-03 07:00:00', 510),
    wip('cidB', '元件切割', 'P1', 'S-PKG', '2026-01-04 07:00:00', 500, '2026-01-04 07:30:00', 500),
    wip('cidB', '點測', 'PT1', 'S-PT', '2026-01-04 09:00:00', null, '2026-01-04 09:10:00', 498),
    // Not requested.
    wip('cidZ', 'TMTT', 'T1', 'S-TEST', '2026-01-06 08:00:00', 1, null, null),
  ],
  DW_MES_LOTMATERIALSHISTORY: [
    {
      CONTAINERID: 'cidA', MATERIALPARTNAME: 'WIRE-AU', MATERIALLOTNAME: 'WL1', DESCRIPTION: 'Gold wire', QTYCONSUMED: 1.5,
      WORKCENTERNAME: '焊接_WB', SPECNAME: 'S-WB', EQUIPMENTNAME: 'E1', TXNDATE: '2026-01-05 08:05:00',
    },
    { CONTAINERID: 'cidA', MATERIALPARTNAME: 'FRAME', MATERIALLOTNAME: 'FL1', TXNDATE: '2026-01-04 12:00:00' },
    { CONTAINERID: 'cidB', MATERIALPARTNAME: 'EPOXY', MATERIALLOTNAME: 'EP1', QTYCONSUMED: 2 },
  ],
  DW_MES_LOTREJECTHISTORY: REJECT_ROWS,
  DW_MES_HOLDRELEASEHISTORY: [
    {
      CONTAINERID: 'cidA', WORKCENTERNAME: '焊接_WB', HOLDTXNDATE: '2026-01-05 10:00:00', HOLDEMP: 'emp1',
      HOLDREASONNAME: 'QA', RELEASETXNDATE: '2026-01-05 13:30:00', RELEASEEMP: 'emp2', NCRID: 'NCR-1',
    },
    { CONTAINERID: 'cidB', WORKCENTERNAME: 'TMTT', HOLDTXNDATE: '2026-01-09 00:00:00', HOLDREASONNAME: 'ENG' },
    { CONTAINERID: 'cidA', HOLDTXNDATE: '2026-01-08 06:15:00', RELEASETXNDATE: '2026-01-08 06:35:00' },
  ],
  DW_MES_JOB: [
    {
      JOBID: 'J1', RESOURCEID: 'E1', RESOURCENAME: 'WB-01', JOBSTATUS: 'Complete', CREATEDATE: '2026-01-05 11:00:00',
      COMPLETEDATE: '2026-01-05 15:00:00', CAUSECODENAME: 'wear', CONTAINERIDS: 'cidA, cidB,cidX', CONTAINERNAMES: 'GA-A,GA-B,GA-X',
    },
    // `cidAA` contains `cidA` (a LIKE hit, not a listed lot); `a%b_c` is listed exactly.
    { JOBID: 'J2', RESOURCEID: 'T1', CREATEDATE: '2026-01-07 09:00:00', CONTAINERIDS: 'cidAA,a%b_c', CONTAINERNAMES: 'GA-AA,GA-S' },
    // Matches `%a%b_c%` only if `%` and `_` were left unescaped.
    { JOBID: 'J3', RESOURCEID: 'T1', CREATEDATE: '2026-01-02 09:00:00', CONTAINERIDS: 'axb1c' },
  ],
  [SPEC_WORKCENTER_TABLE]: [
    { SPEC: 'S-WB', WORK_CENTER: 'WB_ALT', WORK_CENTER_GROUP: 'WB_ALT_GROUP', WORKCENTERSEQUENCE_GROUP: 5 },
    { SPEC: 'S-WB', WORK_CENTER: '焊接_WB', WORK_CENTER_GROUP: '焊接_WB', WORKCENTERSEQUENCE_GROUP: 2 },
    { SPEC: 'S-TEST', WORK_CENTER: 'TMTT', WORK_CENTER_GROUP: '測試', WORKCENTERSEQUENCE_GROUP: 11 },
    // The view's own group for a workcenter, unlike the 12 stations' substring rule (切割).
    { SPEC: 'S-SAW', WORK_CENTER: '切割', WORK_CENTER_GROUP: '前段切割', WORKCENTERSEQUENCE_GROUP: 1 },
  ],
}

async function collect(source: FixtureSource['source'], domains: Domain[]) {
  const batches: EventBatch[] = []
  const result = await fetchEvents({ source, cids: CIDS, domains, now: () => NOW, onBatch: (b) => void batches.push(b) })
  const rows = (domain: Domain): EventRow[] => batches.filter((b) => b.domain === domain).flatMap((b) => b.rows)
  return { result, rows }
}

/** Checks values and the exact column order of every row. */
function expectRows(domain: Domain, actual: EventRow[], expected: Record<string, unknown>[]): void {
  const columns = EVENT_DOMAINS[domain].columns
  for (const row of actual) expect(Object.keys(row)).toEqual(columns)
  expect(actual).toEqual(expected.map((e) => Object.fromEntries(columns.map((c) => [c, e[c] ?? null]))))
}

describe('fetchEvents over SQLite', () => {
  let fx: FixtureSource
  let all: Awaited<ReturnType<typeof collect>>
  beforeAll(async () => {
    fx = await createFixtureSource(ROWS)
    all = await collect(fx.source, ['history', 'materials', 'rejects', 'holds', 'jobs', 'upstream_history', 'downstream_rejects'])
  })
  afterAll(async () => fx.cleanup())

  it('completes every domain and counts its rows', () => {
    expect(all.result.quality_meta).toMatchObject({ status: 'complete', scope: 'query', observed_rows: 6 + 3 + 5 + 3 + 4 + 5 + 5 })
    expect(all.result.domains.history).toEqual({ status: 'complete', scope: 'domain', reasons: [], domain: 'history', observed_rows: 6 })
    expect(all.result.warnings).toEqual([])
  })

  describe('history', () => {
    it('keeps one row per machine session: the last track-out, the largest track-in qty, the partial count', () => {
      expectRows('history', all.rows('history'), [
        {
          CONTAINERID: 'cidB', WORKCENTERNAME: '切割', WORKCENTER_GROUP: '前段切割', EQUIPMENTID: 'SAW1', EQUIPMENTNAME: 'SAW1', SPECNAME: 'S-SAW',
          TRACKINTIMESTAMP: '2026-01-03T06:00:00', TRACKOUTTIMESTAMP: '2026-01-03T07:00:00', TRACKINQTY: 520, TRACKOUTQTY: 510,
          CONTAINERNAME: 'GA-B', PARTIAL_COUNT: 1,
        },
        {
          CONTAINERID: 'cidB', WORKCENTERNAME: '元件切割', WORKCENTER_GROUP: '元件切割', EQUIPMENTID: 'P1', EQUIPMENTNAME: 'P1', SPECNAME: 'S-PKG',
          TRACKINTIMESTAMP: '2026-01-04T07:00:00', TRACKOUTTIMESTAMP: '2026-01-04T07:30:00', TRACKINQTY: 500, TRACKOUTQTY: 500,
          CONTAINERNAME: 'GA-B', PARTIAL_COUNT: 1,
        },
        {
          CONTAINERID: 'cidB', WORKCENTERNAME: '點測', WORKCENTER_GROUP: '點測', EQUIPMENTID: 'PT1', EQUIPMENTNAME: 'PT1', SPECNAME: 'S-PT',
          TRACKINTIMESTAMP: '2026-01-04T09:00:00', TRACKOUTTIMESTAMP: '2026-01-04T09:10:00', TRACKINQTY: null, TRACKOUTQTY: 498,
          CONTAINERNAME: 'GA-B', PARTIAL_COUNT: 1,
        },
        {
          CONTAINERID: 'cidA', WORKCENTERNAME: '焊接_WB', WORKCENTER_GROUP: '焊接_WB', EQUIPMENTID: 'E1', EQUIPMENTNAME: 'E1', SPECNAME: 'S-WB',
          TRACKINTIMESTAMP: '2026-01-05T08:00:00', TRACKOUTTIMESTAMP: '2026-01-05T10:00:00', TRACKINQTY: 1000, TRACKOUTQTY: 995,
          FINISHEDRUNCARD: 'RC-WB', CONTAINERNAME: 'GA-A', PJ_TYPE: 'T1', PJ_BOP: 'BOP1', WAFER_LOT_ID: 'WAF-1', PARTIAL_COUNT: 3,
        },
        {
          CONTAINERID: 'cidA', WORKCENTERNAME: '焊接_WB', WORKCENTER_GROUP: '焊接_WB', EQUIPMENTID: 'E1', EQUIPMENTNAME: 'E1', SPECNAME: 'S-WB2',
          TRACKINTIMESTAMP: '2026-01-05T20:00:00', TRACKOUTTIMESTAMP: '2026-01-05T22:00:00', TRACKINQTY: 580, TRACKOUTQTY: 575,
          CONTAINERNAME: 'GA-A', PJ_TYPE: 'T1', PJ_BOP: 'BOP1', WAFER_LOT_ID: 'WAF-1', PARTIAL_COUNT: 2,
        },
        {
          CONTAINERID: 'cidA', WORKCENTERNAME: 'TMTT', WORKCENTER_GROUP: '測試', EQUIPMENTID: 'T1', EQUIPMENTNAME: 'T1', SPECNAME: 'S-TEST',
          TRACKINTIMESTAMP: '2026-01-06T08:00:00', TRACKOUTTIMESTAMP: '2026-01-06T12:00:00', TRACKINQTY: 990, TRACKOUTQTY: 985,
          FINISHEDRUNCARD: 'RC1', PJ_WORKORDER: 'GA1', CONTAINERNAME: 'GA-A', PJ_TYPE: 'T1', PJ_BOP: 'BOP1', WAFER_LOT_ID: 'WAF-1',
          PARTIAL_COUNT: 1,
        },
      ])
    })
  })

  describe('history without the spec view', () => {
    it('groups the steps by the substring rules, an unmatched workcenter standing for itself', async () => {
      const tables = SOURCE_TABLES.map((t) => t.name).filter((n) => n !== SPEC_WORKCENTER_TABLE)
      const { [SPEC_WORKCENTER_TABLE]: _dropped, ...rest } = ROWS
      const bare = await createFixtureSource(rest, { tables })
      try {
        const { result, rows } = await collect(bare.source, ['history'])
        expect(result.domains.history?.status).toBe('complete')
        expect(result.warnings).toEqual([expect.stringContaining(SPEC_WORKCENTER_TABLE)])
        expect(rows('history').map((r) => [r.WORKCENTERNAME, r.WORKCENTER_GROUP])).toEqual([
          ['切割', '切割'],
          ['元件切割', '元件切割'],
          ['點測', '點測'],
          ['焊接_WB', '焊接_WB'],
          ['焊接_WB', '焊接_WB'],
          ['TMTT', '測試'],
        ])
      } finally {
        await bare.cleanup()
      }
    })
  })

  describe('materials', () => {
    it('orders by transaction time with missing times last and names the description column', () => {
      expectRows('materials', all.rows('materials'), [
        { CONTAINERID: 'cidA', CONTAINERNAME: 'GA-A', MATERIALPARTNAME: 'FRAME', MATERIALLOTNAME: 'FL1', TXNDATE: '2026-01-04T12:00:00' },
        {
          CONTAINERID: 'cidA', CONTAINERNAME: 'GA-A', MATERIALPARTNAME: 'WIRE-AU', MATERIALLOTNAME: 'WL1', QTYCONSUMED: 1.5,
          WORKCENTERNAME: '焊接_WB', SPECNAME: 'S-WB', EQUIPMENTNAME: 'E1', TXNDATE: '2026-01-05T08:05:00', MATERIALDESCRIPTION: 'Gold wire',
        },
        { CONTAINERID: 'cidB', CONTAINERNAME: 'GA-B', MATERIALPARTNAME: 'EPOXY', MATERIALLOTNAME: 'EP1', QTYCONSUMED: 2 },
      ])
    })
  })

  describe('rejects', () => {
    const rejectRow = (values: Record<string, unknown>) => ({
      PRODUCTLINENAME: '(NA)', PJ_FUNCTION: '(NA)', PJ_TYPE: '(NA)', PRODUCTNAME: '(NA)', SPECNAME: '(NA)',
      LOSSREASONNAME: '(未填寫)', EQUIPMENTNAME: '(NA)', REJECT_QTY: 0, STANDBY_QTY: 0, QTYTOPROCESS_QTY: 0, INPROCESS_QTY: 0,
      PROCESSED_QTY: 0, DEFECT_QTY: 0, ...values,
    })
    const cidAProduct = { CONTAINERNAME: 'GA-A', PRODUCTLINENAME: 'SOT-23', PJ_FUNCTION: 'F1', PJ_TYPE: 'T1', PRODUCTNAME: 'P1' }

    it('maps specs through the spec view, sums the five charge-off fields and orders by day, sequence, workcenter', () => {
      expectRows('rejects', all.rows('rejects'), [
        rejectRow({
          ...cidAProduct, CONTAINERID: 'cidA', WORKCENTERNAME: 'TMTT', WORKCENTER_GROUP: '測試', WORKCENTERSEQUENCE_GROUP: 11,
          SPECNAME: 'S-TEST', REJECT_QTY: 10, REJECT_TOTAL_QTY: 10, TXN_TIME: '2026-01-06T11:00:00', TXNDATE: '2026-01-06T11:00:00',
          TXN_DAY: '2026-01-06',
        }),
        rejectRow({
          ...cidAProduct, CONTAINERID: 'cidA', WORKCENTERNAME: '焊接_WB', WORKCENTER_GROUP: '焊接_WB', WORKCENTERSEQUENCE_GROUP: 2,
          SPECNAME: 'S-WB', LOSSREASONNAME: '001_CRACK', EQUIPMENTNAME: 'E1', REJECTCOMMENT: 'c1', REJECT_QTY: 3, STANDBY_QTY: 1,
          INPROCESS_QTY: 2, REJECT_TOTAL_QTY: 6, DEFECT_QTY: 4, TXN_TIME: '2026-01-05T09:30:00', TXNDATE: '2026-01-05T09:30:00',
          TXN_DAY: '2026-01-05',
        }),
        // With the spec view present, a spec it does not map keeps its raw workcenter as the group
        // with sequence 999 (the original's SQL); code-unit order then puts '(NA)' < '元件切割' < '點測'.
        rejectRow({
          ...cidAProduct, CONTAINERID: 'cidA', WORKCENTERNAME: '(NA)', WORKCENTER_GROUP: '(NA)', WORKCENTERSEQUENCE_GROUP: 999,
          REJECT_TOTAL_QTY: 0, TXN_TIME: '2026-01-05T18:00:00', TXNDATE: '2026-01-05T18:00:00', TXN_DAY: '2026-01-05',
        }),
        rejectRow({
          CONTAINERID: 'cidB', CONTAINERNAME: 'GA-B', WORKCENTERNAME: '元件切割', WORKCENTER_GROUP: '元件切割',
          WORKCENTERSEQUENCE_GROUP: 999, REJECT_QTY: 1, STANDBY_QTY: 1, QTYTOPROCESS_QTY: 1, INPROCESS_QTY: 1, PROCESSED_QTY: 1,
          REJECT_TOTAL_QTY: 5, DEFECT_QTY: 7, TXN_TIME: '2026-01-05T07:00:00', TXNDATE: '2026-01-05T07:00:00', TXN_DAY: '2026-01-05',
        }),
        rejectRow({
          CONTAINERID: 'cidB', CONTAINERNAME: 'GA-B', WORKCENTERNAME: '點測', WORKCENTER_GROUP: '點測', WORKCENTERSEQUENCE_GROUP: 999,
          SPECNAME: 'S-UNMAPPED', LOSSREASONNAME: '043_NSOP', EQUIPMENTNAME: 'PT1', REJECT_QTY: 2, REJECT_TOTAL_QTY: 2,
          TXN_TIME: '2026-01-05T14:00:00', TXNDATE: '2026-01-05T14:00:00', TXN_DAY: '2026-01-05',
        }),
      ])
    })

    it('falls back to the raw workcenter and the substring groups when the spec view is missing', async () => {
      const tables = SOURCE_TABLES.map((t) => t.name).filter((n) => n !== SPEC_WORKCENTER_TABLE)
      const { [SPEC_WORKCENTER_TABLE]: _dropped, ...rest } = ROWS
      const bare = await createFixtureSource(rest, { tables })
      try {
        const { result, rows } = await collect(bare.source, ['rejects'])
        expect(result.domains.rejects?.status).toBe('complete')
        expect(result.warnings).toEqual([expect.stringContaining(SPEC_WORKCENTER_TABLE)])
        const placed = rows('rejects').map((r) => [r.WORKCENTERNAME, r.WORKCENTER_GROUP, r.WORKCENTERSEQUENCE_GROUP, r.TXN_DAY])
        expect(placed).toEqual([
          ['TMTT-1', '測試', 11, '2026-01-06'],
          ['焊_WB_料', '焊接_WB', 2, '2026-01-05'],
          ['元件切割', '元件切割', 10, '2026-01-05'],
          ['(NA)', '(NA)', 999, '2026-01-05'],
          ['點測', '點測', 999, '2026-01-05'],
        ])
      } finally {
        await bare.cleanup()
      }
    })
  })

  describe('holds', () => {
    it('derives status and hours (to release, or to now while held), newest hold first', () => {
      expectRows('holds', all.rows('holds'), [
        {
          CONTAINERID: 'cidB', CONTAINERNAME: 'GA-B', WORKCENTERNAME: 'TMTT', HOLDTXNDATE: '2026-01-09T00:00:00',
          HOLDREASONNAME: 'ENG', HOLD_STATUS: 'HOLD', HOLD_HOURS: 36,
        },
        {
          CONTAINERID: 'cidA', CONTAINERNAME: 'GA-A', HOLDTXNDATE: '2026-01-08T06:15:00', RELEASETXNDATE: '2026-01-08T06:35:00',
          HOLD_STATUS: 'RELEASED', HOLD_HOURS: 0.33,
        },
        {
          CONTAINERID: 'cidA', CONTAINERNAME: 'GA-A', WORKCENTERNAME: '焊接_WB', HOLDTXNDATE: '2026-01-05T10:00:00', HOLDEMP: 'emp1',
          HOLDREASONNAME: 'QA', RELEASETXNDATE: '2026-01-05T13:30:00', RELEASEEMP: 'emp2', NCRID: 'NCR-1', HOLD_STATUS: 'RELEASED',
          HOLD_HOURS: 3.5,
        },
      ])
    })
  })

  describe('jobs', () => {
    it('emits one row per exactly listed batch CID and per machine-window lot, newest job first', () => {
      expectRows('jobs', all.rows('jobs'), [
        {
          JOBID: 'J2', RESOURCEID: 'T1', CREATEDATE: '2026-01-07T09:00:00', CONTAINERIDS: 'cidAA,a%b_c', CONTAINERNAMES: 'GA-AA,GA-S',
          CONTAINERID: 'a%b_c', CONTAINERNAME: 'GA-S', MATCHED_BY: 'container_list',
        },
        // cidA's session on E1 from 08:00 ends at its last partial track-out (10:00), not never
        // (the part without a track-out does not hold it open): J1 at 11:00 only lists it.
        ...[['cidA', 'GA-A'], ['cidB', 'GA-B']].map(([cid, name]) => ({
          JOBID: 'J1', RESOURCEID: 'E1', RESOURCENAME: 'WB-01', JOBSTATUS: 'Complete', CREATEDATE: '2026-01-05T11:00:00',
          COMPLETEDATE: '2026-01-05T15:00:00', CAUSECODENAME: 'wear', CONTAINERIDS: 'cidA, cidB,cidX',
          CONTAINERNAMES: 'GA-A,GA-B,GA-X', CONTAINERID: cid, CONTAINERNAME: name, MATCHED_BY: 'container_list',
        })),
        // J3, open on T1 since before cidA's session there (06 08:00–12:00), does not list cidA.
        {
          JOBID: 'J3', RESOURCEID: 'T1', CREATEDATE: '2026-01-02T09:00:00', CONTAINERIDS: 'axb1c', CONTAINERID: 'cidA',
          CONTAINERNAME: 'GA-A', MATCHED_BY: 'machine_window',
        },
      ])
    })

    it('gives the same rows when the CIDs need several statements and the table is scanned (its window reads first)', async () => {
      const batches: EventBatch[] = []
      const result = await fetchEvents({
        source: fx.source, cids: CIDS, domains: ['jobs'], batchSize: 1, now: () => NOW, onBatch: (b) => void batches.push(b),
      })
      expect(batches.map((b) => [b.batchIndex, b.batchCount])).toEqual([[0, 1]])
      const rows = batches.flatMap((b) => b.rows)
      const listed = all.rows('jobs').filter((r) => r.MATCHED_BY !== 'machine_window')
      expect(rows).toEqual([...all.rows('jobs').filter((r) => r.MATCHED_BY === 'machine_window'), ...listed])
      expect(result.domains.jobs).toMatchObject({ status: 'complete', observed_rows: 4 })
    })

    it('reads every job that lists lots, and only those, when scanning', async () => {
      const { sql, params } = EVENT_DOMAINS.jobs.buildScanSql!(fx.source.dialect)
      const hits = await fx.source.all(sql, params)
      expect(hits.map((r) => r.JOBID)).toEqual(['J2', 'J1', 'J3'])
    })

    it('matches % and _ in a CID literally in SQL', async () => {
      const { sql, params } = EVENT_DOMAINS.jobs.buildSql(fx.source.dialect, ['a%b_c'])
      const hits = await fx.source.all(sql, params)
      expect(hits.map((r) => r.JOBID)).toEqual(['J2'])
    })
  })

  describe('upstream_history', () => {
    it('keeps the latest track-in per lot, workcenter and machine, with its largest track-in qty and group', () => {
      expectRows('upstream_history', all.rows('upstream_history'), [
        {
          CONTAINERID: 'cidA', CONTAINERNAME: 'GA-A', WORKCENTERNAME: '焊接_WB', WORKCENTER_GROUP: '焊接_WB', EQUIPMENTID: 'E1', EQUIPMENTNAME: 'E1',
          SPECNAME: 'S-WB2', TRACKINTIMESTAMP: '2026-01-05T20:00:00', TRACKINQTY: 580,
        },
        {
          CONTAINERID: 'cidA', CONTAINERNAME: 'GA-A', WORKCENTERNAME: 'TMTT', WORKCENTER_GROUP: '測試', EQUIPMENTID: 'T1', EQUIPMENTNAME: 'T1',
          SPECNAME: 'S-TEST', TRACKINTIMESTAMP: '2026-01-06T08:00:00', TRACKINQTY: 990,
        },
        {
          CONTAINERID: 'cidB', CONTAINERNAME: 'GA-B', WORKCENTERNAME: '切割', WORKCENTER_GROUP: '切割', EQUIPMENTID: 'SAW1', EQUIPMENTNAME: 'SAW1',
          SPECNAME: 'S-SAW', TRACKINTIMESTAMP: '2026-01-03T06:00:00', TRACKINQTY: 520,
        },
        {
          CONTAINERID: 'cidB', CONTAINERNAME: 'GA-B', WORKCENTERNAME: '元件切割', WORKCENTER_GROUP: '元件切割', EQUIPMENTID: 'P1', EQUIPMENTNAME: 'P1',
          SPECNAME: 'S-PKG', TRACKINTIMESTAMP: '2026-01-04T07:00:00', TRACKINQTY: 500,
        },
        {
          CONTAINERID: 'cidB', CONTAINERNAME: 'GA-B', WORKCENTERNAME: '點測', WORKCENTER_GROUP: null, EQUIPMENTID: 'PT1', EQUIPMENTNAME: 'PT1',
          SPECNAME: 'S-PT', TRACKINTIMESTAMP: '2026-01-04T09:00:00', TRACKINQTY: 0,
        },
      ])
    })
  })

  describe('downstream_rejects', () => {
    it('sums six fields including DEFECTQTY and maps the workcenter group, ordered by lot and time', () => {
      expectRows('downstream_rejects', all.rows('downstream_rejects'), [
        {
          CONTAINERID: 'cidA', CONTAINERNAME: 'GA-A', WORKCENTERNAME: '焊_WB_料', WORKCENTER_GROUP: '焊接_WB', LOSSREASONNAME: '001_CRACK',
          EQUIPMENTNAME: 'E1', REJECT_TOTAL_QTY: 10, TXNDATE: '2026-01-05T09:30:00',
        },
        {
          CONTAINERID: 'cidA', CONTAINERNAME: 'GA-A', WORKCENTERNAME: null, WORKCENTER_GROUP: null, LOSSREASONNAME: '(未填寫)', EQUIPMENTNAME: '(NA)',
          REJECT_TOTAL_QTY: 0, TXNDATE: '2026-01-05T18:00:00',
        },
        {
          CONTAINERID: 'cidA', CONTAINERNAME: 'GA-A', WORKCENTERNAME: 'TMTT-1', WORKCENTER_GROUP: '測試', LOSSREASONNAME: '(未填寫)', EQUIPMENTNAME: '(NA)',
          REJECT_TOTAL_QTY: 10, TXNDATE: '2026-01-06T11:00:00',
        },
        {
          CONTAINERID: 'cidB', CONTAINERNAME: 'GA-B', WORKCENTERNAME: '元件切割', WORKCENTER_GROUP: '元件切割', LOSSREASONNAME: '(未填寫)',
          EQUIPMENTNAME: '(NA)', REJECT_TOTAL_QTY: 12, TXNDATE: '2026-01-05T07:00:00',
        },
        {
          CONTAINERID: 'cidB', CONTAINERNAME: 'GA-B', WORKCENTERNAME: '點測', WORKCENTER_GROUP: null, LOSSREASONNAME: '043_NSOP', EQUIPMENTNAME: 'PT1',
          REJECT_TOTAL_QTY: 2, TXNDATE: '2026-01-05T14:00:00',
        },
      ])
    })
  })
})
