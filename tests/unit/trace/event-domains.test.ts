import { describe, expect, it } from 'vitest'
import { createDialect } from '../../../main/sources/dialect.js'
import {
  collapseSpecMap,
  EVENT_DOMAINS,
  type BatchContext,
} from '../../../main/trace/event-domains.js'
import { normalizePlantTime } from '../../../shared/time.js'
import { DOMAINS, type Domain } from '../../../shared/trace.js'

const context = (cids: string[], extra: Partial<BatchContext> = {}): BatchContext => ({
  cids,
  now: '2026-01-10T12:00:00',
  specMap: null,
  ...extra,
})

describe('event domain catalogue', () => {
  it('defines all 7 domains with the columns of domain.md §4.2 in order', () => {
    expect(Object.keys(EVENT_DOMAINS).sort()).toEqual([...DOMAINS].sort())
    expect(EVENT_DOMAINS.history.columns).toEqual([
      'CONTAINERID', 'WORKCENTERNAME', 'WORKCENTER_GROUP', 'EQUIPMENTID', 'EQUIPMENTNAME', 'SPECNAME', 'TRACKINTIMESTAMP', 'TRACKOUTTIMESTAMP',
      'TRACKINQTY', 'TRACKOUTQTY', 'FINISHEDRUNCARD', 'PJ_WORKORDER', 'CONTAINERNAME', 'PJ_TYPE', 'PJ_BOP', 'WAFER_LOT_ID',
      'PARTIAL_COUNT',
    ])
    expect(EVENT_DOMAINS.upstream_history.columns).toEqual([
      'CONTAINERID', 'CONTAINERNAME', 'WORKCENTERNAME', 'WORKCENTER_GROUP', 'EQUIPMENTID', 'EQUIPMENTNAME', 'SPECNAME', 'TRACKINTIMESTAMP', 'TRACKINQTY',
    ])
    expect(EVENT_DOMAINS.downstream_rejects.columns).toEqual([
      'CONTAINERID', 'CONTAINERNAME', 'WORKCENTERNAME', 'WORKCENTER_GROUP', 'LOSSREASONNAME', 'EQUIPMENTNAME', 'REJECT_TOTAL_QTY', 'TXNDATE',
    ])
    expect(EVENT_DOMAINS.jobs.columns.slice(-3)).toEqual(['CONTAINERID', 'CONTAINERNAME', 'MATCHED_BY'])
    // Every domain names its lot: the table can lead with it.
    for (const domain of DOMAINS) expect(EVENT_DOMAINS[domain].columns).toContain('CONTAINERNAME')
    expect(EVENT_DOMAINS.holds.columns.slice(-2)).toEqual(['HOLD_STATUS', 'HOLD_HOURS'])
  })

  it('offers a table scan for jobs only', () => {
    expect(DOMAINS.filter((d) => EVENT_DOMAINS[d].buildScanSql !== undefined)).toEqual(['jobs'])
  })

  it('uses the IN-list limit for IN domains and the OR-term limit for jobs', () => {
    const sqlite = createDialect('sqlite')
    expect(EVENT_DOMAINS.history.maxBatchSize(sqlite)).toBe(1000)
    expect(EVENT_DOMAINS.jobs.maxBatchSize(sqlite)).toBe(sqlite.maxOrTerms)
    expect(() => EVENT_DOMAINS.jobs.buildSql(sqlite, Array.from({ length: sqlite.maxOrTerms + 1 }, (_, i) => `c${i}`))).toThrow(
      /LIKE terms/,
    )
    expect(() => EVENT_DOMAINS.history.buildSql(sqlite, Array.from({ length: 1001 }, (_, i) => `c${i}`))).toThrow(/IN list/)
  })
})

describe('event domain SQL', () => {
  // Values that would break or inject if they were ever spliced into the text.
  const cids = ["cid'1", 'a%b_c', 'x) OR (1=1']

  for (const [name, first, second] of [
    ['postgres', '$1', '$2'],
    ['oracle', ':1', ':2'],
  ] as const) {
    describe(`on ${name}`, () => {
      const dialect = createDialect(name, 'DWH')
      for (const domain of DOMAINS) {
        it(`${domain}: numbered placeholders, the DWH prefix, no inlined values`, () => {
          const { sql, params } = EVENT_DOMAINS[domain].buildSql(dialect, cids)
          expect(sql).toContain(first)
          expect(sql).toContain(second)
          expect(sql).not.toContain('?')
          expect(sql).toMatch(/DWH\.DW_MES_/)
          // Every table reference carries the schema prefix.
          expect(sql.match(/(?<!DWH\.)\bDW_MES_\w+/g)).toBeNull()
          for (const cid of cids) expect(sql).not.toContain(cid)
          expect(sql).not.toContain('1=1')
          // jobs binds each CID twice: once in the machine-window IN list, once as a LIKE pattern.
          expect(params).toHaveLength(domain === 'jobs' ? 2 * cids.length : cids.length)
        })
      }

      it('binds the CIDs themselves for IN domains', () => {
        const { sql, params } = EVENT_DOMAINS.rejects.buildSql(dialect, cids)
        expect(params).toEqual(cids)
        expect(sql).toContain(`IN (${first}, ${second}, ${name === 'postgres' ? '$3' : ':3'})`)
      })

      it('scans the jobs table with the DWH prefix, no bound values and the §4.2 order', () => {
        const { sql, params } = EVENT_DOMAINS.jobs.buildScanSql!(dialect)
        expect(params).toEqual([])
        expect(sql).toContain('FROM DWH.DW_MES_JOB j')
        expect(sql.match(/(?<!DWH\.)\bDW_MES_\w+/g)).toBeNull()
        expect(sql).toContain('WHERE j.CONTAINERIDS IS NOT NULL')
        expect(sql).toMatch(/ORDER BY j\.CREATEDATE DESC NULLS LAST, j\.JOBID$/)
        expect(sql).not.toMatch(/LIKE|\?|\$1|:1/)
        // Same job columns as the per-batch statement's list part.
        const batch = EVENT_DOMAINS.jobs.buildSql(dialect, cids).sql
        const listPart = batch.slice(batch.indexOf('UNION ALL\n') + 'UNION ALL\n'.length)
        expect(listPart.startsWith(`${sql.slice(0, sql.indexOf('\nFROM'))},\n  NULL AS MATCHED_CID`)).toBe(true)
      })

      it('binds escaped LIKE patterns for jobs', () => {
        const { sql, params } = EVENT_DOMAINS.jobs.buildSql(dialect, cids)
        // The machine-window part binds the CIDs first, the list part their LIKE patterns.
        expect(params).toEqual([...cids, "%cid'1%", '%a\\%b\\_c%', '%x) OR (1=1%'])
        const fourth = name === 'postgres' ? '$4' : ':4'
        expect(sql).toContain(`j.CONTAINERIDS LIKE ${fourth} ESCAPE '\\'`)
        expect(sql.match(/LIKE/g)).toHaveLength(3)
        const listPart = sql.slice(sql.indexOf('UNION ALL'))
        expect(listPart.match(/ OR\s/g)).toHaveLength(2)
      })
    })
  }

  it('writes plain table names without a schema on SQLite', () => {
    const { sql } = EVENT_DOMAINS.history.buildSql(createDialect('sqlite'), ['a'])
    expect(sql).toContain('FROM DW_MES_LOTWIPHISTORY h')
    expect(sql).toContain('LEFT JOIN DW_MES_CONTAINER c')
    expect(sql).toContain('IN (?)')
  })
})

describe('event domain post-processing', () => {
  it('normalizes driver values: Date, numeric strings, bigint, NaN', () => {
    const rows = EVENT_DOMAINS.upstream_history.postProcess(
      [
        {
          CONTAINERID: 'c1', WORKCENTERNAME: 'PKG_SAW-2', EQUIPMENTID: 'E', EQUIPMENTNAME: 'E',
          SPECNAME: 'S', TRACKINTIMESTAMP: new Date(2026, 0, 2, 3, 4, 5), TRACKINQTY: '120',
        },
        { CONTAINERID: 'c1', WORKCENTERNAME: 'x', EQUIPMENTID: 'F', EQUIPMENTNAME: 'F', TRACKINTIMESTAMP: '2026-01-02 04:00', TRACKINQTY: 7n },
        { CONTAINERID: 'c1', WORKCENTERNAME: 'y', EQUIPMENTID: 'G', EQUIPMENTNAME: 'G', TRACKINTIMESTAMP: '2026-01-02 05:00:00.123', TRACKINQTY: Number.NaN },
      ],
      context(['c1']),
    )
    expect(rows.map((r) => [r.WORKCENTER_GROUP, r.TRACKINTIMESTAMP, r.TRACKINQTY])).toEqual([
      ['元件切割', '2026-01-02T03:04:05', 120],
      [null, '2026-01-02T04:00:00', 7],
      [null, '2026-01-02T05:00:00', 0],
    ])
  })

  it('drops rows without a CID', () => {
    const rows = EVENT_DOMAINS.materials.postProcess(
      [{ CONTAINERID: null, MATERIALPARTNAME: 'X' }, { CONTAINERID: '', MATERIALPARTNAME: 'Y' }, { CONTAINERID: 'c', MATERIALPARTNAME: 'Z' }],
      context(['c']),
    )
    expect(rows.map((r) => r.MATERIALPARTNAME)).toEqual(['Z'])
  })

  it('history: ties on track-out keep the first row; a null track-out never wins; in = max, out = sum of the partials', () => {
    const base = { CONTAINERID: 'c', EQUIPMENTID: 'E', SPECNAME: null, TRACKINTIMESTAMP: '2026-01-01 08:00:00' }
    const rows = EVENT_DOMAINS.history.postProcess(
      [
        { ...base, TRACKOUTTIMESTAMP: null, TRACKINQTY: 5, TRACKOUTQTY: 1 },
        { ...base, TRACKOUTTIMESTAMP: '2026-01-01 09:00:00', TRACKINQTY: 50, TRACKOUTQTY: 2 },
        { ...base, TRACKOUTTIMESTAMP: '2026-01-01 09:00:00', TRACKINQTY: 9, TRACKOUTQTY: 3 },
        { ...base, EQUIPMENTID: 'F', TRACKOUTTIMESTAMP: null, TRACKINQTY: null, TRACKOUTQTY: 4 },
      ],
      context(['c']),
    )
    expect(rows.map((r) => [r.EQUIPMENTID, r.TRACKOUTQTY, r.TRACKINQTY, r.PARTIAL_COUNT])).toEqual([
      ['E', 6, 50, 3],
      ['F', 4, null, 1],
    ])
  })

  it('history: the station group is the spec view\'s own group of the workcenter, else the substring rules, else the name', () => {
    const specMap = collapseSpecMap([
      { SPEC: 'S1', WORK_CENTER: '焊接_DB_1', WORK_CENTER_GROUP: 'DB', WORKCENTERSEQUENCE_GROUP: 3 },
      // A workcenter under two groups takes the one with the smallest sequence, even without a spec.
      { SPEC: null, WORK_CENTER: '焊接_DB_1', WORK_CENTER_GROUP: 'DB-early', WORKCENTERSEQUENCE_GROUP: 2 },
      { SPEC: 'S2', WORK_CENTER: '成型_1', WORK_CENTER_GROUP: null, WORKCENTERSEQUENCE_GROUP: 4 },
    ])
    expect([...specMap.workcenterGroups]).toEqual([['焊接_DB_1', 'DB-early']])
    const session = (equipment: string, workcenter: string | null) => ({
      CONTAINERID: 'c', EQUIPMENTID: equipment, SPECNAME: 'S', TRACKINTIMESTAMP: '2026-01-01 08:00:00', WORKCENTERNAME: workcenter,
    })
    const raw = [session('E1', '焊接_DB_1'), session('E2', '成型_1'), session('E3', 'TMTT_2'), session('E4', null)]
    const withView = EVENT_DOMAINS.history.postProcess(raw, context(['c'], { specMap }))
    // Unmapped names stand for themselves, as the original's lookup falls back to the raw name.
    expect(withView.map((r) => r.WORKCENTER_GROUP)).toEqual(['DB-early', '成型_1', 'TMTT_2', null])
    const withoutView = EVENT_DOMAINS.history.postProcess(raw, context(['c']))
    expect(withoutView.map((r) => r.WORKCENTER_GROUP)).toEqual(['焊接_DB', '成型', '測試', null])
    expect(EVENT_DOMAINS.history.usesSpecMap).toBe(true)
  })

  it('upstream_history and downstream_rejects read the lot ID from the container table', () => {
    const sqlite = createDialect('sqlite')
    for (const domain of ['upstream_history', 'downstream_rejects'] as const) {
      const { sql } = EVENT_DOMAINS[domain].buildSql(sqlite, ['c'])
      expect(sql).toMatch(/SELECT \w\.CONTAINERID, c\.CONTAINERNAME,/)
      expect(sql).toContain('LEFT JOIN DW_MES_CONTAINER c ON c.CONTAINERID = ')
      const [row] = EVENT_DOMAINS[domain].postProcess(
        [{ CONTAINERID: 'c', CONTAINERNAME: 'GA26010001', WORKCENTERNAME: 'TMTT_1', EQUIPMENTID: 'E', TRACKINTIMESTAMP: '2026-01-01 08:00:00' }],
        context(['c']),
      )
      expect(row).toMatchObject({ CONTAINERID: 'c', CONTAINERNAME: 'GA26010001' })
    }
  })

  it('rejects: 5-field total, DEFECT_QTY apart, spec map with the smallest sequence wins', () => {
    const specMap = collapseSpecMap([
      { SPEC: 'S1', WORK_CENTER: 'B', WORK_CENTER_GROUP: 'GB', WORKCENTERSEQUENCE_GROUP: 3 },
      { SPEC: 'S1', WORK_CENTER: 'A', WORK_CENTER_GROUP: 'GA', WORKCENTERSEQUENCE_GROUP: '1' },
      { SPEC: 'S1', WORK_CENTER: 'C', WORK_CENTER_GROUP: 'GC', WORKCENTERSEQUENCE_GROUP: null },
      { SPEC: 'S2', WORK_CENTER: '成型_1', WORK_CENTER_GROUP: null, WORKCENTERSEQUENCE_GROUP: 4 },
      { SPEC: null, WORK_CENTER: 'Z', WORK_CENTER_GROUP: 'Z', WORKCENTERSEQUENCE_GROUP: 0 },
    ])
    expect([...specMap.keys()]).toEqual(['S1', 'S2'])
    expect(specMap.get('S1')).toEqual({ workcenterName: 'A', workcenterGroup: 'GA', sequence: 1 })

    const [a, b] = EVENT_DOMAINS.rejects.postProcess(
      [
        { CONTAINERID: 'c', SPECNAME: 'S1', WORKCENTERNAME: 'raw', REJECT_QTY: 1, STANDBY_QTY: 2, QTYTOPROCESS_QTY: 3, INPROCESS_QTY: 4, PROCESSED_QTY: 5, DEFECT_QTY: 100, TXNDATE: '2026-01-02 00:00:00' },
        // Mapped spec without a group: the raw workcenter stands in for the group (the original's NVL).
        { CONTAINERID: 'c', SPECNAME: 'S2', WORKCENTERNAME: 'raw', TXNDATE: '2026-01-01 00:00:00' },
      ],
      context(['c'], { specMap }),
    )
    expect(a).toMatchObject({ WORKCENTERNAME: 'A', WORKCENTER_GROUP: 'GA', WORKCENTERSEQUENCE_GROUP: 1, REJECT_TOTAL_QTY: 15, DEFECT_QTY: 100, CONTAINERNAME: 'c' })
    expect(b).toMatchObject({ WORKCENTERNAME: '成型_1', WORKCENTER_GROUP: 'raw', WORKCENTERSEQUENCE_GROUP: 4, REJECT_TOTAL_QTY: 0 })
  })

  it('downstream_rejects: 6-field total and 元件切割 vs 切割', () => {
    const rows = EVENT_DOMAINS.downstream_rejects.postProcess(
      [
        { CONTAINERID: 'c', WORKCENTERNAME: '元件切割_2', REJECTQTY: 1, STANDBYQTY: 2, QTYTOPROCESS: 3, INPROCESSQTY: 4, PROCESSEDQTY: 5, DEFECTQTY: 100 },
        { CONTAINERID: 'c', WORKCENTERNAME: '切割_1', LOSSREASONNAME: '', EQUIPMENTNAME: '' },
        { CONTAINERID: 'c', WORKCENTERNAME: 'pkg_saw' },
      ],
      context(['c']),
    )
    expect(rows.map((r) => [r.WORKCENTER_GROUP, r.REJECT_TOTAL_QTY, r.LOSSREASONNAME, r.EQUIPMENTNAME])).toEqual([
      ['元件切割', 115, '(未填寫)', '(NA)'],
      ['切割', 0, '(未填寫)', '(NA)'],
      ['元件切割', 0, '(未填寫)', '(NA)'],
    ])
  })

  it('holds: hours to the injected now while held, null without a hold time', () => {
    const rows = EVENT_DOMAINS.holds.postProcess(
      [
        { CONTAINERID: 'c', HOLDTXNDATE: '2026-01-10 09:30:00', RELEASETXNDATE: null },
        { CONTAINERID: 'c', HOLDTXNDATE: null, RELEASETXNDATE: '2026-01-10 09:30:00' },
      ],
      context(['c'], { now: '2026-01-10T12:00:00' }),
    )
    expect(rows.map((r) => [r.HOLD_STATUS, r.HOLD_HOURS])).toEqual([
      ['HOLD', 2.5],
      ['RELEASED', null],
    ])
  })

  it('jobs: the same context list gives the same fan-out chunk after chunk', () => {
    const cids = ['a', 'b']
    const first = EVENT_DOMAINS.jobs.postProcess([{ JOBID: 'J1', CONTAINERIDS: 'a,x' }], context(cids))
    const second = EVENT_DOMAINS.jobs.postProcess([{ JOBID: 'J2', CONTAINERIDS: 'x, b ,a' }], context(cids))
    expect([...first, ...second].map((r) => [r.JOBID, r.CONTAINERID])).toEqual([
      ['J1', 'a'],
      ['J2', 'b'],
      ['J2', 'a'],
    ])
  })

  it('jobs: exact, trimmed, de-duplicated fan-out limited to the batch', () => {
    const rows = EVENT_DOMAINS.jobs.postProcess(
      [
        { JOBID: 'J1', CONTAINERIDS: ' a%b_c , axb1c,a%b_c,other' },
        { JOBID: 'J2', CONTAINERIDS: 'a%b_cd' },
        { JOBID: 'J3', CONTAINERIDS: null },
      ],
      context(['a%b_c', 'axb1c']),
    )
    expect(rows.map((r) => [r.JOBID, r.CONTAINERID])).toEqual([
      ['J1', 'a%b_c'],
      ['J1', 'axb1c'],
    ])
  })

  it('jobs: the lot ID is the name at the CID\'s position in the parallel name list, unknown when the lists differ', () => {
    const rows = EVENT_DOMAINS.jobs.postProcess(
      [
        { JOBID: 'J1', CONTAINERIDS: 'a, b,c', CONTAINERNAMES: 'GA1, GA2 ,GA3' },
        { JOBID: 'J2', CONTAINERIDS: 'a,b', CONTAINERNAMES: 'GA1' },
        { JOBID: 'J3', CONTAINERIDS: 'b', CONTAINERNAMES: null },
      ],
      context(['b', 'c']),
    )
    expect(rows.map((r) => [r.JOBID, r.CONTAINERID, r.CONTAINERNAME])).toEqual([
      ['J1', 'b', 'GA2'],
      ['J1', 'c', 'GA3'],
      ['J2', 'b', null],
      ['J3', 'b', null],
    ])
  })

  it('normalizes time cells as normalizePlantTime does, the plain shapes included', () => {
    const cases: [unknown, string | null][] = [
      ['2026-01-02 03:04:05', '2026-01-02T03:04:05'],
      ['2026-01-02T03:04:05', '2026-01-02T03:04:05'],
      ['2026-01-02 03:04', '2026-01-02T03:04:00'],
      ['2026-01-02 03:04:05.123', '2026-01-02T03:04:05'],
      ['2026-01-02', '2026-01-02T00:00:00'],
      // 19 characters but not a time: kept as text, never rewritten.
      ['2026-01-02X03:04:05', '2026-01-02X03:04:05'],
      ['2026-01-02 03:04:5x', '2026-01-02 03:04:5x'],
      ['2026/01/02 03:04:05', '2026/01/02 03:04:05'],
      ['２026-01-02 03:04:05', '２026-01-02 03:04:05'],
      // Padded to 19 characters: trimmed first, as normalizePlantTime does.
      [' 2026-01-02 03:04 ', '2026-01-02T03:04:00'],
      ['', null],
      [null, null],
    ]
    const rows = EVENT_DOMAINS.materials.postProcess(
      cases.map(([value]) => ({ CONTAINERID: 'c', TXNDATE: value })),
      context(['c']),
    )
    expect(rows.map((r) => r.TXNDATE)).toEqual(cases.map(([, expected]) => expected))
    expect(rows.map((r) => r.TXNDATE)).toEqual(cases.map(([value]) => normalizePlantTime(value)))
  })

  it('materials: every kept source row in its order, with exactly the domain columns, missing ones null', () => {
    const rows = EVENT_DOMAINS.materials.postProcess(
      [
        { EXTRA: 'dropped', QTYCONSUMED: '1.5', CONTAINERID: 'c2', MATERIALPARTNAME: 'P', TXNDATE: '2026-01-02 03:04:05' },
        { CONTAINERID: null, MATERIALPARTNAME: 'no lot' },
        { CONTAINERID: 'c1', CONTAINERNAME: 'GA1', QTYCONSUMED: Number.POSITIVE_INFINITY, SPECNAME: 7 },
      ],
      context(['c1', 'c2']),
    )
    expect(rows).toEqual([
      {
        CONTAINERID: 'c2', CONTAINERNAME: null, MATERIALPARTNAME: 'P', MATERIALLOTNAME: null, QTYCONSUMED: 1.5, WORKCENTERNAME: null,
        SPECNAME: null, EQUIPMENTNAME: null, TXNDATE: '2026-01-02T03:04:05', MATERIALDESCRIPTION: null,
      },
      {
        CONTAINERID: 'c1', CONTAINERNAME: 'GA1', MATERIALPARTNAME: null, MATERIALLOTNAME: null, QTYCONSUMED: null, WORKCENTERNAME: null,
        SPECNAME: 7, EQUIPMENTNAME: null, TXNDATE: null, MATERIALDESCRIPTION: null,
      },
    ])
    for (const row of rows) expect(Object.keys(row)).toEqual(EVENT_DOMAINS.materials.columns)
  })

  it('upstream_history: null, empty, "null", numbers and separator characters never merge two machines', () => {
    const visit = (workcenter: unknown, equipment: unknown) => ({
      CONTAINERID: 'c', WORKCENTERNAME: workcenter, EQUIPMENTID: 'E', EQUIPMENTNAME: equipment, TRACKINTIMESTAMP: '2026-01-01 08:00:00', TRACKINQTY: 1,
    })
    const rows = EVENT_DOMAINS.upstream_history.postProcess(
      [
        visit('W', null), visit('W', ''), visit('W', 'null'), visit('W', 1), visit('W', '1'),
        visit('a\u0000b', 'c'), visit('a', 'b\u0000c'), visit('a:', 'b'), visit('a', ':b'),
        // The same machine again: merged into its first row.
        visit('W', 1),
        // No lot: dropped.
        { ...visit('W', 'X'), CONTAINERID: null },
        { ...visit('W', 'Y'), CONTAINERID: '' },
      ],
      context(['c']),
    )
    expect(rows.map((r) => [r.WORKCENTERNAME, r.EQUIPMENTNAME])).toEqual([
      ['W', null], ['W', ''], ['W', 'null'], ['W', 1], ['W', '1'], ['a\u0000b', 'c'], ['a', 'b\u0000c'], ['a:', 'b'], ['a', ':b'],
    ])
  })

  it('upstream_history: latest track-in per machine, ordered by CID then track-in whatever the input order, ties in input order', () => {
    const visit = (cid: string, workcenter: string, equipment: string, time: string | null, qty: number | null) => ({
      CONTAINERID: cid, CONTAINERNAME: `N-${cid}`, WORKCENTERNAME: workcenter, EQUIPMENTID: equipment, EQUIPMENTNAME: equipment,
      SPECNAME: 'S', TRACKINTIMESTAMP: time, TRACKINQTY: qty,
    })
    const rows = EVENT_DOMAINS.upstream_history.postProcess(
      [
        visit('c2', 'TMTT_1', 'T1', '2026-01-03 08:00:00', 5),
        visit('c1', '焊接_DB_1', 'D1', '2026-01-01 08:00:00', 10),
        visit('c1', '成型_1', 'M1', '2026-01-02 08:00:00', 9),
        // A re-run on D1: its latest track-in wins and moves it after M1; same track-in keeps the largest qty.
        visit('c1', '焊接_DB_1', 'D1', '2026-01-04 08:00:00', 3),
        visit('c1', '焊接_DB_1', 'D1', '2026-01-04 08:00:00', 7),
        visit('c1', '點測', 'P1', null, null),
        visit('c1', '切割_1', 'S1', '2026-01-02 08:00:00', 2),
      ],
      context(['c1', 'c2']),
    )
    expect(rows.map((r) => [r.CONTAINERID, r.EQUIPMENTID, r.WORKCENTER_GROUP, r.TRACKINTIMESTAMP, r.TRACKINQTY])).toEqual([
      ['c1', 'M1', '成型', '2026-01-02T08:00:00', 9],
      ['c1', 'S1', '切割', '2026-01-02T08:00:00', 2],
      ['c1', 'D1', '焊接_DB', '2026-01-04T08:00:00', 7],
      ['c1', 'P1', null, null, 0],
      ['c2', 'T1', '測試', '2026-01-03T08:00:00', 5],
    ])
    expect(rows[0]).toEqual({
      CONTAINERID: 'c1', CONTAINERNAME: 'N-c1', WORKCENTERNAME: '成型_1', WORKCENTER_GROUP: '成型', EQUIPMENTID: 'M1', EQUIPMENTNAME: 'M1',
      SPECNAME: 'S', TRACKINTIMESTAMP: '2026-01-02T08:00:00', TRACKINQTY: 9,
    })
    expect(Object.keys(rows[0]!)).toEqual(EVENT_DOMAINS.upstream_history.columns)
  })

  it('emits every row with exactly the domain columns', () => {
    for (const domain of DOMAINS as readonly Domain[]) {
      const raw = { CONTAINERID: 'c', CONTAINERIDS: 'c', EQUIPMENTID: 'E', TRACKINTIMESTAMP: '2026-01-01 00:00:00', EXTRA: 'ignored' }
      const rows = EVENT_DOMAINS[domain].postProcess([raw], context(['c']))
      expect(rows).toHaveLength(1)
      expect(Object.keys(rows[0]!)).toEqual(EVENT_DOMAINS[domain].columns)
    }
  })
})
