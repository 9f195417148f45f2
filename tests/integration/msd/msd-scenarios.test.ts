/**
 * MSD scenarios on small hand-built sources: the applicable cases of domain.md §9.4 #12–#23 ported
 * to this product (with the decisions of §14), plus the product's own additions (suspect
 * statistics, forward re-keying, amplification). Every expected value is computed by hand in the
 * comments next to the fixture rows — never by calling the code under test.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeMsdCsv } from '../../../main/results/index.js'
import {
  buildPareto,
  PARETO_OTHER,
  type BackwardAggregation,
  type ForwardAggregation,
  type MachineAttribution,
  type ParetoItem,
  type Suspect,
} from '../../../shared/msd.js'
import { runMsd, type MsdRun } from '../../fixtures/msd-kit.js'
import { createFixtureSource, type FixtureRows, type FixtureSource } from '../../fixtures/source-fixture.js'
import { parseCsv } from '../../fixtures/csv.js'

// ─── fixture helpers ──────────────────────────────────────────────────────────────────────────

type Row = Record<string, unknown>

/** `2026-01-DD HH:MM:00`. */
const at = (day: string, hm = '08:00'): string => `2026-01-${day} ${hm}:00`

/** One hour later (same day; the fixtures never cross midnight). */
function hourAfter(time: string): string {
  const hour = Number(time.slice(11, 13)) + 1
  return `${time.slice(0, 11)}${String(hour).padStart(2, '0')}${time.slice(13)}`
}

const lot = (cid: string, name: string, extra: Row = {}): Row => ({ CONTAINERID: cid, CONTAINERNAME: name, OBJECTTYPE: 'LOT', ...extra })

/** A machine session; EQUIPMENTID is `ID-<machine>`, track-out one hour after track-in. */
const wip = (cid: string, workcenter: string, machine: string, trackIn: string, qty: number, extra: Row = {}): Row => ({
  CONTAINERID: cid,
  WORKCENTERNAME: workcenter,
  EQUIPMENTID: `ID-${machine}`,
  EQUIPMENTNAME: machine,
  TRACKINTIMESTAMP: trackIn,
  TRACKINQTY: qty,
  TRACKOUTTIMESTAMP: hourAfter(trackIn),
  TRACKOUTQTY: qty,
  ...extra,
})

/** A reject row whose only quantity is REJECTQTY (override with `extra`). */
const reject = (cid: string, workcenter: string, reason: string, qty: number, txn: string, extra: Row = {}): Row => ({
  CONTAINERID: cid,
  WORKCENTERNAME: workcenter,
  LOSSREASONNAME: reason,
  REJECTQTY: qty,
  TXNDATE: txn,
  ...extra,
})

const material = (cid: string, part: string, materialLot: string | null, workcenter: string, txn: string): Row => ({
  CONTAINERID: cid,
  MATERIALPARTNAME: part,
  MATERIALLOTNAME: materialLot,
  QTYCONSUMED: 1,
  WORKCENTERNAME: workcenter,
  TXNDATE: txn,
})

function named<T extends { name: string }>(items: readonly T[], name: string): T {
  const item = items.find((i) => i.name === name)
  if (!item) throw new Error(`no item named ${name} in ${JSON.stringify(items.map((i) => i.name))}`)
  return item
}

function machine(attribution: readonly MachineAttribution[], name: string): MachineAttribution {
  const record = attribution.find((m) => m.EQUIPMENT_NAME === name)
  if (!record) throw new Error(`no attribution for ${name}`)
  return record
}

function suspect(suspects: readonly Suspect[], type: Suspect['factor_type'], name: string): Suspect {
  const s = suspects.find((x) => x.factor_type === type && x.name === name)
  if (!s) throw new Error(`no ${type} suspect ${name}`)
  return s
}

/** The Pareto item fields, without extra fields a subtype may add. */
const bar = (i: ParetoItem): ParetoItem => ({
  name: i.name, input_qty: i.input_qty, defect_qty: i.defect_qty, defect_rate: i.defect_rate, lot_count: i.lot_count, cumulative_pct: i.cumulative_pct,
})

/** A "a, b, c" list as a sorted array (the order inside a list is not part of the contract). */
const listOf = (value: unknown): string[] => (typeof value === 'string' && value !== '' ? value.split(', ').sort() : [])

// ─── 1 & 5. machine attribution (detection station 電鍍, order 7) ──────────────────────────────

describe('MSD backward: machine attribution', () => {
  // Genealogy: P → split children A, B. C is a merge of S1 and S2 (COMBINEDASSYLOTS LOTID = C).
  // Detection at 電鍍 on 2026-01-10: A (PL-01, 120), B (PL-02, 90), C (PL-01, 200).
  // Detection rejects (six fields summed): A 1+1+1+1+1+1 = 6 (R1), B 1 (R1), C 12 (R1).
  // A's 移印 reject (50) is at another station: not a detection reject.
  // Upstream rows:
  //   P  焊接_WB WB-01 (order 2)  → A, B
  //   A  點測    PT-01 (no group) → A, kept as (未知)
  //   A  移印    MK-01 (order 8)  → later than 電鍍: excluded
  //   A/B/C 電鍍 PL-01/PL-02     → the detection station itself: excluded
  //   S1 焊接_DB DB-07, S2 焊接_DB DB-07 → C, once
  // Expected (hand):
  //   WB-01: lots {A,B} = 2, input 120+90 = 210, defects 6+1 = 7, rate 7/210 = 3.33333… → 3.3333
  //   PT-01: lots {A} = 1, input 120, defects 6, rate 5
  //   DB-07: lots {C} = 1, input 200 (not 400), defects 12, rate 6
  //   sorted by rate: DB-07 (6), PT-01 (5), WB-01 (3.3333)
  //   KPI: input 410, lots 3, defective 3, defects 19, rate 19/410 = 4.63414… → 4.6341, affected 3
  const rows: FixtureRows = {
    DW_MES_CONTAINER: [
      lot('P', 'P-100'),
      lot('A', 'A-1', { SPLITFROMID: 'P', PJ_TYPE: 'TYPE-A', PRODUCTLINENAME: 'SOT-23' }),
      lot('B', 'B-1', { SPLITFROMID: 'P', PJ_TYPE: 'TYPE-B', PRODUCTLINENAME: 'SOT-23' }),
      lot('C', 'C-1', { PJ_TYPE: 'TYPE-A', PRODUCTLINENAME: 'SOD-123' }),
      lot('S1', 'S-1'),
      lot('S2', 'S-2'),
    ],
    DW_MES_PJ_COMBINEDASSYLOTS: [
      { CONTAINERID: 'S1', LOTID: 'C' },
      { CONTAINERID: 'S2', LOTID: 'C' },
    ],
    DW_MES_LOTWIPHISTORY: [
      wip('P', '焊接_WB', 'WB-01', at('05'), 500),
      wip('A', '點測', 'PT-01', at('06'), 120),
      wip('A', '電鍍', 'PL-01', at('10', '08:00'), 120),
      wip('A', '移印', 'MK-01', at('11'), 120),
      wip('B', '電鍍', 'PL-02', at('10', '09:00'), 90),
      wip('C', '電鍍', 'PL-01', at('10', '10:00'), 200),
      wip('S1', '焊接_DB', 'DB-07', at('04', '08:00'), 100),
      wip('S2', '焊接_DB', 'DB-07', at('04', '09:00'), 100),
    ],
    DW_MES_LOTREJECTHISTORY: [
      reject('A', '電鍍', 'R1', 1, at('10', '09:00'), { STANDBYQTY: 1, QTYTOPROCESS: 1, INPROCESSQTY: 1, PROCESSEDQTY: 1, DEFECTQTY: 1 }),
      reject('A', '移印', 'R9', 50, at('10', '12:00')),
      reject('B', '電鍍', 'R1', 1, at('10', '10:00')),
      reject('C', '電鍍', 'R1', 12, at('10', '11:00')),
    ],
    DW_MES_WIP: [
      { CONTAINERID: 'A', WORKFLOWNAME: 'WF-A', PRODUCTLINENAME: 'SOT-23' },
      { CONTAINERID: 'B', WORKFLOWNAME: 'WF-B', PRODUCTLINENAME: 'SOT-23' },
    ],
    DW_MES_RESOURCE: [{ RESOURCEID: 'ID-WB-01', RESOURCENAME: 'WB-01', RESOURCEFAMILYNAME: 'WBA_iHawk' }],
  }
  let fx: FixtureSource
  let run: MsdRun<BackwardAggregation>

  beforeAll(async () => {
    fx = await createFixtureSource(rows)
    run = await runMsd<BackwardAggregation>(fx.source, {
      mode: 'date_range', start_date: '2026-01-10', end_date: '2026-01-10', station: '電鍍', direction: 'backward',
    })
  })
  afterAll(async () => {
    await run?.cleanup()
    await fx?.cleanup()
  })

  it('sums a shared ancestor machine over its lots and keeps the unmapped workcenter as (未知)', () => {
    const a = run.aggregation
    expect(machine(a.attribution, 'WB-01')).toEqual({
      WORKCENTER_GROUP: '焊接_WB',
      EQUIPMENT_NAME: 'WB-01',
      EQUIPMENT_ID: 'ID-WB-01',
      RESOURCEFAMILYNAME: 'WBA_iHawk',
      DETECTION_LOT_COUNT: 2,
      INPUT_QTY: 210,
      DEFECT_QTY: 7,
      DEFECT_RATE: 3.3333,
      WORKFLOW: 'WF-A, WF-B',
      PRODUCTLINENAME: 'SOT-23',
      PJ_TYPE: 'TYPE-A, TYPE-B',
      DETECTION_EQUIPMENTNAME: 'PL-01, PL-02',
    })
    const unknown = machine(a.attribution, 'PT-01')
    expect([unknown.WORKCENTER_GROUP, unknown.DETECTION_LOT_COUNT, unknown.INPUT_QTY, unknown.DEFECT_QTY, unknown.DEFECT_RATE]).toEqual(
      ['(未知)', 1, 120, 6, 5],
    )
    expect(unknown.RESOURCEFAMILYNAME).toBe('(未知)')
  })

  it('leaves out the detection station’s own machines and later stations', () => {
    const names = run.aggregation.attribution.map((m) => m.EQUIPMENT_NAME)
    expect(names).toEqual(['DB-07', 'PT-01', 'WB-01'])
    expect(names).not.toContain('PL-01')
    expect(names).not.toContain('PL-02')
    expect(names).not.toContain('MK-01')
    expect(run.aggregation.charts.by_machine.map((i) => i.name)).not.toContain('MK-01')
  })

  it('counts a machine reached through two merge sources once for the lot', async () => {
    const db07 = machine(run.aggregation.attribution, 'DB-07')
    expect([db07.WORKCENTER_GROUP, db07.DETECTION_LOT_COUNT, db07.INPUT_QTY, db07.DEFECT_QTY, db07.DEFECT_RATE]).toEqual(['焊接_DB', 1, 200, 12, 6])
    const detail = await run.rows('detail')
    const c = detail.find((r) => r.CONTAINERID === 'C')!
    expect(c.ANCESTOR_COUNT).toBe(2)
    expect(c.UPSTREAM_MACHINE_COUNT).toBe(1)
    expect(c.UPSTREAM_MACHINES).toBe('焊接_DB/DB-07')
    const a = detail.find((r) => r.CONTAINERID === 'A')!
    expect(listOf(a.UPSTREAM_MACHINES)).toEqual(['(未知)/PT-01', '焊接_WB/WB-01'])
    expect(a.UPSTREAM_MACHINE_COUNT).toBe(2)
  })

  it('sums the six quantity fields of the detection rejects and ignores rejects at other stations', () => {
    expect(run.aggregation.kpi).toEqual({
      total_input: 410,
      lot_count: 3,
      defective_lot_count: 3,
      total_defect_qty: 19,
      total_defect_rate: 4.6341,
      top_loss_reason: 'R1',
      affected_machine_count: 3,
    })
    expect(run.aggregation.available_loss_reasons).toEqual(['R1'])
  })
})

// ─── 2, 3, 4, 7, 8, 12. materials, wafer roots, detail, reason filter, KPI, CSV (測試) ──────────

describe('MSD backward: materials, wafer roots, detail, reason filter', () => {
  // Genealogy (FIRSTNAME = wafer lot name → wafer-origin container of OBJECTTYPE LOT):
  //   W 'WAF-01' ← P 'P-200' ← split L1, L2      (L1, L2 also carry FIRSTNAME WAF-01)
  //   W2 'WAF-02' ← Q 'Q-300' ← split L4
  //   L3 alone (no parent, no wafer)
  // Detection at TMTT on 2026-01-10:
  //   L1 TM-01 in 100: R1 5, R2 3           (all reasons 8; R1 only 5)
  //   L2 TM-02 in 200: R1 10
  //   L3 TM-01 in 50: none in the window (its R3 9 is at 2026-01-11 00:00, the window's open end)
  //   L4 TM-02 in 100: R2 13                 (R1 only: 0 — stays in the population)
  // Upstream machines (TMTT rows are the detection station: excluded):
  //   WB-01 (焊接_WB): P → L1, L2; L3 own → {L1,L2,L3}
  //   DB-01 (焊接_DB): L1 own;  MD-01 (成型): L1, L4 own;  MD-02 (成型): L2 own;  WB-02 (焊接_WB): Q → L4
  // Materials: PART-A/LOT-X on P (焊接_DB) → L1, L2; PART-C/LOT-Z on L1 (成型);
  //   PART-B with no lot on L4 (成型); PART-T/LOT-T on L3 at TMTT → excluded (detection station).
  //
  // All reasons:  defects L1 8, L2 10, L3 0, L4 13 → total 31 / 450 = 6.8889 %, defective 3,
  //   R2 = 3+13 = 16 > R1 = 15 → top R2.
  //   Machines: WB-01 350/18 → 5.1429; DB-01 100/8 → 8; MD-01 200/21 → 10.5; MD-02 200/10 → 5;
  //     WB-02 100/13 → 13 → by rate: WB-02, MD-01, DB-01, WB-01, MD-02; affected 5.
  //   by_machine (by defects): MD-01 21, WB-01 18, WB-02 13, MD-02 10, DB-01 8; total 70 →
  //     cumulative 30, 55.71, 74.29, 88.57, 100.
  //   Materials: PART-A (LOT-X) 300/18 → 6 (2 lots); PART-B 100/13 → 13; PART-C (LOT-Z) 100/8 → 8;
  //     by defects 18, 13, 8 of 39 → cumulative 46.15, 79.49, 100.
  //   Roots: WAF-01 300/18 → 6 (2 lots); WAF-02 100/13 → 13; L3 50/0 → 0;
  //     by defects WAF-01, WAF-02, L3 → cumulative 58.06, 100, 100; by rate WAF-02, WAF-01, L3.
  //   Detection machines (one record per lot): TM-01 = L1+L3 150/8 → 5.3333; TM-02 = L2+L4
  //     300/23 → 7.6667; lots 2 each; by defects TM-02 (74.19 %), TM-01 (100 %).
  //   Loss reasons: R2 16 (lots L1, L4), R1 15 (L1, L2); rate over all input 450 → 3.5556, 3.3333;
  //     cumulative 16/31 = 51.61, 100.
  // Filter R1: defects L1 5, L2 10 → total 15 / 450 = 3.3333 %, defective 2, lots 4, top R1.
  //   Machines: WB-01 350/15 → 4.2857; DB-01 100/5 → 5; MD-01 200/5 → 2.5; MD-02 200/10 → 5;
  //     WB-02 100/0 → 0; affected 4.
  //   Materials: PART-A (LOT-X) 300/15 → 5 (2 lots); PART-C (LOT-Z) 100/5 → 5; PART-B 100/0 → 0.
  //   Roots: WAF-01 300/15 → 5.
  const rows: FixtureRows = {
    DW_MES_CONTAINER: [
      lot('c-w1', 'WAF-01'),
      lot('c-w2', 'WAF-02'),
      lot('c-p', 'P-200', { FIRSTNAME: 'WAF-01' }),
      lot('c-q', 'Q-300', { FIRSTNAME: 'WAF-02' }),
      lot('c-l1', 'L1', { SPLITFROMID: 'c-p', FIRSTNAME: 'WAF-01', PJ_TYPE: 'TYPE-A', PRODUCTLINENAME: 'SOT-23' }),
      lot('c-l2', 'L2', { SPLITFROMID: 'c-p', FIRSTNAME: 'WAF-01', PJ_TYPE: 'TYPE-A', PRODUCTLINENAME: 'SOT-23' }),
      lot('c-l3', 'L3', { PJ_TYPE: 'TYPE-B', PRODUCTLINENAME: 'SOD-123' }),
      lot('c-l4', 'L4', { SPLITFROMID: 'c-q', FIRSTNAME: 'WAF-02', PJ_TYPE: 'TYPE-A', PRODUCTLINENAME: 'SOT-23' }),
    ],
    DW_MES_LOTWIPHISTORY: [
      wip('c-p', '焊接_WB', 'WB-01', at('03', '08:00'), 1000),
      wip('c-q', '焊接_WB', 'WB-02', at('03', '10:00'), 400),
      wip('c-l1', '焊接_DB', 'DB-01', at('04'), 100),
      wip('c-l1', '成型', 'MD-01', at('06'), 100),
      wip('c-l1', 'TMTT', 'TM-01', at('10', '08:00'), 100, { SPECNAME: 'SPEC-TMTT', FINISHEDRUNCARD: 'RC-001' }),
      wip('c-l2', '成型', 'MD-02', at('06', '09:00'), 200),
      wip('c-l2', 'TMTT', 'TM-02', at('10', '09:00'), 200, { SPECNAME: 'SPEC-TMTT' }),
      wip('c-l3', '焊接_WB', 'WB-01', at('03', '09:00'), 50),
      wip('c-l3', 'TMTT', 'TM-01', at('10', '10:00'), 50, { SPECNAME: 'SPEC-TMTT' }),
      wip('c-l4', '成型', 'MD-01', at('07'), 100),
      wip('c-l4', 'TMTT', 'TM-02', at('10', '11:00'), 100),
    ],
    DW_MES_LOTREJECTHISTORY: [
      reject('c-l1', 'TMTT', 'R1', 5, at('10', '09:00')),
      reject('c-l1', 'TMTT', 'R2', 3, at('10', '09:05')),
      reject('c-l2', 'TMTT', 'R1', 10, at('10', '10:00')),
      reject('c-l3', 'TMTT', 'R3', 9, '2026-01-11 00:00:00'),
      reject('c-l4', 'TMTT', 'R2', 13, at('10', '12:00')),
    ],
    DW_MES_LOTMATERIALSHISTORY: [
      material('c-p', 'PART-A', 'LOT-X', '焊接_DB', at('03')),
      material('c-l1', 'PART-C', 'LOT-Z', '成型', at('06')),
      material('c-l4', 'PART-B', null, '成型', at('07')),
      material('c-l3', 'PART-T', 'LOT-T', 'TMTT', at('10', '10:00')),
    ],
    DW_MES_WIP: [
      { CONTAINERID: 'c-l1', WORKFLOWNAME: 'WF-1', PRODUCTLINENAME: 'SOT-23' },
      { CONTAINERID: 'c-l1', WORKFLOWNAME: 'AAA-PROBE', PRODUCTLINENAME: '點測' },
      { CONTAINERID: 'c-l2', WORKFLOWNAME: 'WF-2', PRODUCTLINENAME: 'SOT-23' },
    ],
  }
  const params = { mode: 'date_range', start_date: '2026-01-10', end_date: '2026-01-10', station: '測試', direction: 'backward' }
  let fx: FixtureSource
  let all: MsdRun<BackwardAggregation>
  let r1: MsdRun<BackwardAggregation>
  let dir: string

  beforeAll(async () => {
    fx = await createFixtureSource(rows)
    all = await runMsd<BackwardAggregation>(fx.source, params)
    r1 = await runMsd<BackwardAggregation>(fx.source, { ...params, loss_reasons: ['R1'] })
    dir = await mkdtemp(join(tmpdir(), 'msd-scenarios-csv-'))
  })
  afterAll(async () => {
    await all?.cleanup()
    await r1?.cleanup()
    await fx?.cleanup()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('attributes an ancestor’s material lot to both lots (the original’s 300 / 15 / 5 % / 2)', () => {
    expect(bar(named(r1.aggregation.charts.by_material, 'PART-A (LOT-X)'))).toEqual({
      name: 'PART-A (LOT-X)', input_qty: 300, defect_qty: 15, defect_rate: 5, lot_count: 2, cumulative_pct: 75,
    })
  })

  it('keys a material without a material lot by its part alone', () => {
    expect(bar(named(all.aggregation.charts.by_material, 'PART-B'))).toEqual({
      name: 'PART-B', input_qty: 100, defect_qty: 13, defect_rate: 13, lot_count: 1, cumulative_pct: 79.49,
    })
    expect(all.aggregation.charts.by_material.map((i) => i.name)).toEqual(['PART-A (LOT-X)', 'PART-B', 'PART-C (LOT-Z)'])
    // PART-T was consumed at the detection station itself.
    expect(all.aggregation.charts.by_material.map((i) => i.name)).not.toContain('PART-T (LOT-T)')
  })

  it('applies the reason filter to material defects (5 of 5 + 3)', () => {
    expect(named(all.aggregation.charts.by_material, 'PART-C (LOT-Z)').defect_qty).toBe(8)
    expect(bar(named(r1.aggregation.charts.by_material, 'PART-C (LOT-Z)'))).toEqual({
      name: 'PART-C (LOT-Z)', input_qty: 100, defect_qty: 5, defect_rate: 5, lot_count: 1, cumulative_pct: 100,
    })
    expect(r1.aggregation.charts.by_material.map((i) => [i.name, i.defect_qty])).toEqual([
      ['PART-A (LOT-X)', 15], ['PART-C (LOT-Z)', 5], ['PART-B', 0],
    ])
  })

  it('aggregates lots of one wafer root; a lot without a root uses its own name', () => {
    expect(bar(named(r1.aggregation.charts.by_wafer_root, 'WAF-01'))).toEqual({
      name: 'WAF-01', input_qty: 300, defect_qty: 15, defect_rate: 5, lot_count: 2, cumulative_pct: 100,
    })
    expect(bar(named(r1.aggregation.charts.by_wafer_root, 'L3'))).toMatchObject({ input_qty: 50, defect_qty: 0, lot_count: 1 })
    expect(r1.aggregation.charts.by_wafer_root[0]!.name).toBe('WAF-01')
  })

  it('orders wafer roots as a Pareto (by defects) and by rate when re-sorted', () => {
    const roots = all.aggregation.charts.by_wafer_root
    expect(roots.map(bar)).toEqual([
      { name: 'WAF-01', input_qty: 300, defect_qty: 18, defect_rate: 6, lot_count: 2, cumulative_pct: 58.06 },
      { name: 'WAF-02', input_qty: 100, defect_qty: 13, defect_rate: 13, lot_count: 1, cumulative_pct: 100 },
      { name: 'L3', input_qty: 50, defect_qty: 0, defect_rate: 0, lot_count: 1, cumulative_pct: 100 },
    ])
    // The renderer's rate toggle: WAF-02 (13 %) before WAF-01 (6 %); cumulative 13/31 = 41.94.
    const byRate = buildPareto(roots.map((i) => ({ name: i.name, input_qty: i.input_qty, defect_qty: i.defect_qty, lot_count: i.lot_count })), { sortBy: 'rate' })
    expect(byRate.map((i) => [i.name, i.defect_rate, i.cumulative_pct])).toEqual([['WAF-02', 13, 41.94], ['WAF-01', 6, 100], ['L3', 0, 100]])
  })

  it('expands a lot with several reasons into one detail row per reason, and a clean lot into one empty row', async () => {
    const detail = await all.rows('detail')
    expect(all.aggregation.detail_total_count).toBe(5)
    expect(detail).toHaveLength(5)
    const l1 = detail.filter((r) => r.CONTAINERID === 'c-l1')
    expect(l1.map((r) => [r.LOSS_REASON, r.DEFECT_QTY, r.DEFECT_RATE])).toEqual([['R1', 5, 5], ['R2', 3, 3]])
    expect(l1.reduce((n, r) => n + (r.DEFECT_QTY as number), 0)).toBe(8)
    const l3 = detail.filter((r) => r.CONTAINERID === 'c-l3')
    expect(l3).toHaveLength(1)
    expect([l3[0]!.LOSS_REASON, l3[0]!.DEFECT_QTY, l3[0]!.DEFECT_RATE, l3[0]!.INPUT_QTY]).toEqual(['', 0, 0, 50])
    // Sorted by defect rate, highest first: L4 R2 13 %, L1 R1 5 %, L2 R1 5 %, L1 R2 3 %, L3 0.
    const rates = detail.map((r) => r.DEFECT_RATE as number)
    expect(rates).toEqual([...rates].sort((x, y) => y - x))
    expect(detail.map((r) => `${r.CONTAINERNAME as string}:${r.LOSS_REASON as string}`).sort()).toEqual(['L1:R1', 'L1:R2', 'L2:R1', 'L3:', 'L4:R2'])
  })

  it('fills the detail context columns: machines over the lot and its ancestors, materials, root, ancestors, workflow', async () => {
    const detail = await all.rows('detail')
    const first = (cid: string): Row => detail.find((r) => r.CONTAINERID === cid)!
    const l1 = first('c-l1')
    expect(l1).toMatchObject({
      CONTAINERNAME: 'L1', PJ_TYPE: 'TYPE-A', PRODUCTLINENAME: 'SOT-23', WORKFLOW: 'WF-1', FINISHEDRUNCARD: 'RC-001',
      DETECTION_EQUIPMENTNAME: 'TM-01', INPUT_QTY: 100, ANCESTOR_COUNT: 2, UPSTREAM_MACHINE_COUNT: 3, WAFER_ROOT: 'WAF-01',
    })
    expect(listOf(l1.UPSTREAM_MACHINES)).toEqual(['成型/MD-01', '焊接_DB/DB-01', '焊接_WB/WB-01'].sort())
    expect(listOf(l1.UPSTREAM_MATERIALS)).toEqual(['PART-A/LOT-X', 'PART-C/LOT-Z'])
    const l2 = first('c-l2')
    expect(l2).toMatchObject({ WORKFLOW: 'WF-2', ANCESTOR_COUNT: 2, UPSTREAM_MACHINE_COUNT: 2, UPSTREAM_MATERIALS: 'PART-A/LOT-X', WAFER_ROOT: 'WAF-01' })
    expect(listOf(l2.UPSTREAM_MACHINES)).toEqual(['成型/MD-02', '焊接_WB/WB-01'].sort())
    // No workflow in DW_MES_WIP: the detection SPECNAME; no SPECNAME either: (未知).
    const l3 = first('c-l3')
    expect(l3).toMatchObject({
      WORKFLOW: 'SPEC-TMTT', ANCESTOR_COUNT: 0, UPSTREAM_MACHINE_COUNT: 1, UPSTREAM_MACHINES: '焊接_WB/WB-01', UPSTREAM_MATERIALS: '', WAFER_ROOT: 'L3',
    })
    const l4 = first('c-l4')
    expect(l4).toMatchObject({ WORKFLOW: '(未知)', ANCESTOR_COUNT: 2, UPSTREAM_MACHINE_COUNT: 2, UPSTREAM_MATERIALS: 'PART-B', WAFER_ROOT: 'WAF-02' })
    expect(listOf(l4.UPSTREAM_MACHINES)).toEqual(['成型/MD-01', '焊接_WB/WB-02'].sort())
  })

  it('keeps a lot whose only reason is unselected in the denominator; reasons listed before the filter', async () => {
    expect(r1.aggregation.kpi).toEqual({
      total_input: 450,
      lot_count: 4,
      defective_lot_count: 2,
      total_defect_qty: 15,
      total_defect_rate: 3.3333,
      top_loss_reason: 'R1',
      affected_machine_count: 4,
    })
    // R3 lies outside the window, so it is no reason of this population.
    expect(r1.aggregation.available_loss_reasons).toEqual(['R1', 'R2'])
    expect(r1.aggregation.loss_reasons).toEqual(['R1'])
    const detail = await r1.rows('detail')
    expect(detail).toHaveLength(4)
    expect(r1.aggregation.detail_total_count).toBe(4)
    const l4 = detail.filter((r) => r.CONTAINERID === 'c-l4')
    expect(l4.map((r) => [r.LOSS_REASON, r.DEFECT_QTY, r.DEFECT_RATE, r.INPUT_QTY])).toEqual([['', 0, 0, 100]])
    expect(detail.filter((r) => r.CONTAINERID === 'c-l1').map((r) => r.LOSS_REASON)).toEqual(['R1'])
    const byName = new Map(r1.aggregation.attribution.map((m) => [m.EQUIPMENT_NAME, [m.DETECTION_LOT_COUNT, m.INPUT_QTY, m.DEFECT_QTY, m.DEFECT_RATE]]))
    expect(Object.fromEntries(byName)).toEqual({
      'WB-01': [3, 350, 15, 4.2857],
      'DB-01': [1, 100, 5, 5],
      'MD-01': [2, 200, 5, 2.5],
      'MD-02': [1, 200, 10, 5],
      'WB-02': [1, 100, 0, 0],
    })
    expect(r1.aggregation.charts.by_loss_reason.map(bar)).toEqual([
      { name: 'R1', input_qty: 450, defect_qty: 15, defect_rate: 3.3333, lot_count: 2, cumulative_pct: 100 },
    ])
  })

  it('computes the KPI and the charts of the unfiltered run', () => {
    const a = all.aggregation
    expect(a.kpi).toEqual({
      total_input: 450,
      lot_count: 4,
      defective_lot_count: 3,
      total_defect_qty: 31,
      total_defect_rate: 6.8889,
      top_loss_reason: 'R2',
      affected_machine_count: 5,
    })
    expect(a.available_loss_reasons).toEqual(['R1', 'R2'])
    expect(a.genealogy_status).toBe('ready')
    expect(a.attribution.map((m) => [m.EQUIPMENT_NAME, m.WORKCENTER_GROUP, m.DETECTION_LOT_COUNT, m.INPUT_QTY, m.DEFECT_QTY, m.DEFECT_RATE])).toEqual([
      ['WB-02', '焊接_WB', 1, 100, 13, 13],
      ['MD-01', '成型', 2, 200, 21, 10.5],
      ['DB-01', '焊接_DB', 1, 100, 8, 8],
      ['WB-01', '焊接_WB', 3, 350, 18, 5.1429],
      ['MD-02', '成型', 1, 200, 10, 5],
    ])
    expect(a.charts.by_machine.map((i) => [i.name, i.defect_qty, i.cumulative_pct])).toEqual([
      ['MD-01', 21, 30], ['WB-01', 18, 55.71], ['WB-02', 13, 74.29], ['MD-02', 10, 88.57], ['DB-01', 8, 100],
    ])
    expect(a.charts.by_loss_reason.map(bar)).toEqual([
      { name: 'R2', input_qty: 450, defect_qty: 16, defect_rate: 3.5556, lot_count: 2, cumulative_pct: 51.61 },
      { name: 'R1', input_qty: 450, defect_qty: 15, defect_rate: 3.3333, lot_count: 2, cumulative_pct: 100 },
    ])
    expect(a.charts.by_material.map((i) => i.cumulative_pct)).toEqual([46.15, 79.49, 100])
    expect(a.daily_trend).toEqual([{ date: '2026-01-10', input_qty: 450, defect_qty: 31, defect_rate: 6.8889, lot_count: 4, defective_lot_count: 3 }])
  })

  it('computes by_detection_machine from the lots: each lot once, however many upstream machines it has', () => {
    expect(all.aggregation.charts.by_detection_machine.map(bar)).toEqual([
      { name: 'TM-02', input_qty: 300, defect_qty: 23, defect_rate: 7.6667, lot_count: 2, cumulative_pct: 74.19 },
      { name: 'TM-01', input_qty: 150, defect_qty: 8, defect_rate: 5.3333, lot_count: 2, cumulative_pct: 100 },
    ])
    const lots = all.aggregation.charts.by_detection_machine.reduce((n, i) => n + i.lot_count, 0)
    expect(lots).toBe(all.aggregation.kpi.lot_count)
    expect(r1.aggregation.charts.by_detection_machine.map(bar)).toEqual([
      { name: 'TM-02', input_qty: 300, defect_qty: 10, defect_rate: 3.3333, lot_count: 2, cumulative_pct: 66.67 },
      { name: 'TM-01', input_qty: 150, defect_qty: 5, defect_rate: 3.3333, lot_count: 2, cumulative_pct: 100 },
    ])
  })

  it('exports the detail as CSV with BOM, the original headers and one record per row', async () => {
    const path = join(dir, 'detail.csv')
    const written = await writeMsdCsv(all.reader, 'detail', path)
    expect(written).toBe(5)
    const text = await readFile(path, 'utf8')
    expect(text.startsWith('\uFEFF')).toBe(true)
    const records = parseCsv(text.slice(1))
    expect(records[0]!.join(',')).toBe(
      // The original's 15 columns, then the suspect hits (which the original left out of the file).
      'LOT ID,TYPE,PACKAGE,WORKFLOW,完工流水碼,偵測設備,投入數,不良原因,不良數,不良率(%),上游LOT數,上游台數,上游機台,上游原物料,源頭批次,嫌疑命中數,嫌疑命中',
    )
    expect(text.slice(1).split('\r\n')[0]).toBe(records[0]!.join(','))
    expect(records).toHaveLength(6)
    for (const r of records) expect(r).toHaveLength(17)
    const l1r1 = records.find((r) => r[0] === 'L1' && r[7] === 'R1')!
    expect(l1r1.slice(0, 12)).toEqual(['L1', 'TYPE-A', 'SOT-23', 'WF-1', 'RC-001', 'TM-01', '100', 'R1', '5', '5', '2', '3'])
    expect(listOf(l1r1[12])).toEqual(['成型/MD-01', '焊接_DB/DB-01', '焊接_WB/WB-01'].sort())
    expect(listOf(l1r1[13])).toEqual(['PART-A/LOT-X', 'PART-C/LOT-Z'])
    expect(l1r1[14]).toBe('WAF-01')
    // Lists holding ", " are quoted in the file.
    const line = text.slice(1).split('\r\n').find((l) => l.startsWith('L1,') && l.includes(',R1,'))!
    expect(line).toContain(`"${l1r1[12]!}"`)
    expect(line).toContain(`"${l1r1[13]!}"`)
    const l3 = records.find((r) => r[0] === 'L3')!
    expect(l3.slice(6, 15)).toEqual(['50', '', '0', '0', '0', '1', '焊接_WB/WB-01', '', 'L3'])
    // Its hits: the significant suspects it touched (the stored list says which are significant).
    const significant = (await all.rows('suspects')).filter((s) => s.significant === 'yes')
    const touched = significant.filter((s) => (s.factor_type === 'machine' && `${s.station}/${s.name}` === '焊接_WB/WB-01') || (s.factor_type === 'wafer_root' && s.name === 'L3'))
    expect(l3.slice(15)).toEqual([String(touched.length), touched.map((s) => (s.factor_type === 'machine' ? `${s.station}/${s.name}` : s.name)).join(', ')])
  })
})

// ─── 6 & 10. session input, container mode ────────────────────────────────────────────────────

describe('MSD backward: lot CIDs that are names of object properties', () => {
  // 'constructor' (no wafer origin) and '__proto__' (split from 'toString', wafer WAF-9): the roots
  // are the lot's own name and WAF-9; the ancestors those of the genealogy, nothing inherited.
  const rows: FixtureRows = {
    DW_MES_CONTAINER: [
      lot('w9', 'WAF-9'),
      lot('toString', 'P-9', { FIRSTNAME: 'WAF-9' }),
      lot('constructor', 'LC'),
      lot('__proto__', 'LP', { SPLITFROMID: 'toString', FIRSTNAME: 'WAF-9' }),
    ],
    DW_MES_LOTWIPHISTORY: [
      wip('toString', '焊接_WB', 'WB-09', at('03'), 100),
      wip('constructor', 'TMTT', 'TM-01', at('10', '08:00'), 100),
      wip('__proto__', 'TMTT', 'TM-01', at('10', '09:00'), 100),
    ],
    DW_MES_LOTREJECTHISTORY: [reject('constructor', 'TMTT', 'R1', 4, at('10', '09:00')), reject('__proto__', 'TMTT', 'R1', 6, at('10', '10:00'))],
  }
  let fx: FixtureSource
  let run: MsdRun<BackwardAggregation>
  beforeAll(async () => {
    fx = await createFixtureSource(rows)
    run = await runMsd<BackwardAggregation>(fx.source, { mode: 'date_range', start_date: '2026-01-10', end_date: '2026-01-10', station: '測試', direction: 'backward' })
  })
  afterAll(async () => {
    await run?.cleanup()
    await fx?.cleanup()
  })

  it('roots each lot by its own genealogy and counts its own ancestors', () => {
    const roots = run.aggregation.charts.by_wafer_root.map((r) => [r.name, r.defect_qty, r.lot_count])
    expect(roots).toEqual([
      ['WAF-9', 6, 1],
      ['LC', 4, 1],
    ])
    expect(run.aggregation.ancestor_count).toBe(2)
    expect(run.aggregation.charts.by_machine.map((m) => [m.name, m.defect_qty])).toEqual([['WB-09', 6]])
  })
})

describe('MSD detection input and container mode', () => {
  // X: an earlier session at 06:00 (TM-09, 300), then the latest session at 08:00 with two partial
  //   track-outs (TRACKINQTY 100 then the remaining 40) → input 100 on TM-01.
  //   Rejects: R1 50 inside the window; R2 7 on 2026-01-20 (container mode only: no date filter).
  //   Date mode: 50 / 100 = 50 % (with input 40 it would be 125 %).
  //   Container mode: 57 / 100 = 57 %, reasons R1, R2, no daily trend.
  // Y: a lot that never passed the test station.
  // Z: two sessions at the station with the same track-in and track-out on TM-07 (stored first)
  //   and TM-03: the smaller machine name is kept, whichever row a read returns first.
  const rows: FixtureRows = {
    DW_MES_CONTAINER: [lot('X', 'X-1'), lot('Y', 'Y-1'), lot('Z', 'Z-1')],
    DW_MES_LOTWIPHISTORY: [
      wip('X', 'TMTT', 'TM-09', at('10', '06:00'), 300),
      wip('X', 'TMTT', 'TM-01', at('10', '08:00'), 100, { TRACKOUTTIMESTAMP: at('10', '09:00'), TRACKOUTQTY: 60 }),
      wip('X', 'TMTT', 'TM-01', at('10', '08:00'), 40, { TRACKOUTTIMESTAMP: at('10', '10:00'), TRACKOUTQTY: 40 }),
      wip('Y', '成型', 'MD-01', at('09'), 100),
      wip('Z', 'TMTT', 'TM-07', at('12'), 80),
      wip('Z', 'TMTT', 'TM-03', at('12'), 80),
    ],
    DW_MES_LOTREJECTHISTORY: [
      reject('X', 'TMTT', 'R1', 50, at('10', '09:30')),
      reject('X', 'TMTT', 'R2', 7, at('20')),
    ],
  }
  let fx: FixtureSource
  beforeAll(async () => {
    fx = await createFixtureSource(rows)
  })
  afterAll(async () => fx?.cleanup())

  it('takes the input of the latest session as its largest TRACKINQTY', async () => {
    const run = await runMsd<BackwardAggregation>(fx.source, { mode: 'date_range', start_date: '2026-01-10', end_date: '2026-01-10', station: '測試' })
    try {
      expect(run.aggregation.kpi).toMatchObject({ total_input: 100, lot_count: 1, total_defect_qty: 50, total_defect_rate: 50 })
      const detail = await run.rows('detail')
      expect(detail.map((r) => [r.INPUT_QTY, r.DEFECT_QTY, r.DEFECT_RATE, r.DETECTION_EQUIPMENTNAME])).toEqual([[100, 50, 50, 'TM-01']])
      expect(run.aggregation.charts.by_detection_machine.map((i) => [i.name, i.input_qty])).toEqual([['TM-01', 100]])
      expect(run.aggregation.available_loss_reasons).toEqual(['R1'])
    } finally {
      await run.cleanup()
    }
  })

  it('keeps the smaller machine of two sessions with the same track-in and track-out, in date and container mode', async () => {
    for (const params of [
      { mode: 'date_range', start_date: '2026-01-12', end_date: '2026-01-12', station: '測試' },
      { mode: 'container', resolve_type: 'lot_id', values: ['Z-1'], station: '測試' },
    ]) {
      const run = await runMsd<BackwardAggregation>(fx.source, params)
      try {
        const detail = await run.rows('detail')
        expect(detail.map((r) => [r.CONTAINERNAME, r.INPUT_QTY, r.DETECTION_EQUIPMENTNAME]), params.mode).toEqual([['Z-1', 80, 'TM-03']])
      } finally {
        await run.cleanup()
      }
    }
  })

  it('reads all-time rejects and gives no daily trend in container mode', async () => {
    const run = await runMsd<BackwardAggregation>(fx.source, { mode: 'container', resolve_type: 'lot_id', values: ['X-1'], station: '測試' })
    try {
      expect(run.aggregation.kpi).toMatchObject({ total_input: 100, lot_count: 1, defective_lot_count: 1, total_defect_qty: 57, total_defect_rate: 57 })
      expect(run.aggregation.available_loss_reasons).toEqual(['R1', 'R2'])
      expect(run.aggregation.daily_trend).toEqual([])
      expect(run.aggregation.container_mode_hint).toBeUndefined()
    } finally {
      await run.cleanup()
    }
  })

  it('hints when the containers never passed the station, with a zero KPI', async () => {
    const run = await runMsd<BackwardAggregation>(fx.source, { mode: 'container', resolve_type: 'lot_id', values: ['Y-1'], station: '測試' })
    try {
      const a = run.aggregation
      expect(run.outcome.seeds.seeds.map((s) => s.container_id)).toEqual(['Y'])
      expect(a.container_mode_hint).toBe('所選容器在此偵測站無記錄')
      expect(a.kpi).toEqual({
        total_input: 0, lot_count: 0, defective_lot_count: 0, total_defect_qty: 0, total_defect_rate: 0, top_loss_reason: '', affected_machine_count: 0,
      })
      expect(a.attribution).toEqual([])
      expect(a.charts).toEqual({ by_machine: [], by_detection_machine: [], by_material: [], by_wafer_root: [], by_loss_reason: [] })
      expect(a.daily_trend).toEqual([])
      expect(a.available_loss_reasons).toEqual([])
      expect(a.detail_total_count).toBe(0)
    } finally {
      await run.cleanup()
    }
  })
})

// ─── 9 & 10. suspect statistics, daily trend ──────────────────────────────────────────────────

describe('MSD backward: suspects and daily trend', () => {
  // Six lots T1..T6 (input 100 each), all from wafer WAF-S. Defective: T1 (4), T2 (6), T3 (5).
  // Day 2026-01-10: T1, T2, T4 → 300 / 10 → 3.3333 %; day 2026-01-11: T3, T5, T6 → 300 / 5 → 1.6667 %.
  // 焊接_WB (population: all 6 lots, 3 defective):
  //   M1 {T1,T2,T3}: 3/3 defective, 300/15 → 5 %; rest {T4,T5,T6} 0 defective, 300/0 → baseline 0,
  //     lift null (no finite ratio); p = P(X ≥ 3 | N 6, K 3, n 3) = 1 / C(6,3) = 1/20 = 0.05.
  //   M2 {T4,T5,T6}: 0 defective, rate 0; baseline 5; lift 0; p = P(X ≥ 0) = 1.
  // 成型:
  //   MD-A {T1,T2,T4}: 2 defective, 300/10 → 3.3333; rest {T3,T5,T6} 300/5 → 1.6667; lift 2;
  //     p = [C(3,2)·C(3,1) + C(3,3)] / 20 = (9 + 1) / 20 = 0.5.
  //   MD-B {T3,T5,T6}: 1 defective, 300/5 → 1.6667; baseline 3.3333; lift 0.5; p = 1 − 1/20 = 0.95.
  // 水吹砂: WJ-1 {T1,T2} (2 lots → inconclusive; rate 200/10 = 5, baseline 400/5 = 1.25, lift 4,
  //   p = C(3,2)/C(6,2) = 3/15 = 0.2); WJ-2 {T3..T6} (only 2 lots left → inconclusive).
  // 去膠: DF-1 on every lot → no contrast. Wafer root WAF-S: every lot → no contrast.
  // Ranked (over-represented: lift > 1) by p: M1 (1), MD-A (2). MD-B and M2 fare better than their
  // baseline: conclusive but not suspects, so unranked. Unranked order: defective lots, defects,
  // then type, station and name: DF-1, WAF-S (3 lots, 15), WJ-1 (2, 10), MD-B (1, 5, 成型),
  // WJ-2 (1, 5, 水吹砂), M2 (0).
  const lots = ['T1', 'T2', 'T3', 'T4', 'T5', 'T6']
  const day = (cid: string): string => (['T1', 'T2', 'T4'].includes(cid) ? '10' : '11')
  const defects: Record<string, number> = { T1: 4, T2: 6, T3: 5 }
  const rows: FixtureRows = {
    DW_MES_CONTAINER: [lot('W', 'WAF-S'), ...lots.map((cid) => lot(cid, cid, { FIRSTNAME: 'WAF-S' }))],
    DW_MES_LOTWIPHISTORY: lots.flatMap((cid, i) => [
      wip(cid, '焊接_WB', i < 3 ? 'M1' : 'M2', at('02', `0${i}:00`), 100),
      wip(cid, '成型', ['T1', 'T2', 'T4'].includes(cid) ? 'MD-A' : 'MD-B', at('03', `0${i}:00`), 100),
      wip(cid, '去膠', 'DF-1', at('04', `0${i}:00`), 100),
      wip(cid, '水吹砂', ['T1', 'T2'].includes(cid) ? 'WJ-1' : 'WJ-2', at('05', `0${i}:00`), 100),
      wip(cid, 'TMTT', 'TM-01', at(day(cid), `1${i}:00`), 100),
    ]),
    DW_MES_LOTREJECTHISTORY: Object.entries(defects).map(([cid, qty]) => reject(cid, 'TMTT', 'R1', qty, at(day(cid), '20:00'))),
  }
  let fx: FixtureSource
  let run: MsdRun<BackwardAggregation>
  beforeAll(async () => {
    fx = await createFixtureSource(rows)
    run = await runMsd<BackwardAggregation>(fx.source, { mode: 'date_range', start_date: '2026-01-10', end_date: '2026-01-11', station: '測試' })
  })
  afterAll(async () => {
    await run?.cleanup()
    await fx?.cleanup()
  })

  it('contrasts a machine with the rest of its station: rate, baseline, lift, Fisher p, rank', () => {
    const s = run.aggregation.suspects
    const m1 = suspect(s, 'machine', 'M1')
    expect(m1).toMatchObject({
      station: '焊接_WB', lots: 3, defective_lots: 3, input_qty: 300, defect_qty: 15, defect_rate: 5,
      baseline_rate: 0, baseline_lots: 3, baseline_defective_lots: 0, lift: null, inconclusive: false, no_contrast: false, rank: 1,
    })
    expect(m1.p_value).toBeCloseTo(0.05, 10)
    const m2 = suspect(s, 'machine', 'M2')
    expect(m2).toMatchObject({ defective_lots: 0, defect_rate: 0, baseline_rate: 5, baseline_defective_lots: 3, lift: 0, inconclusive: false, rank: null })
    expect(m2.p_value).toBeCloseTo(1, 10)
    const mdA = suspect(s, 'machine', 'MD-A')
    expect(mdA).toMatchObject({ station: '成型', lots: 3, defective_lots: 2, defect_qty: 10, defect_rate: 3.3333, baseline_rate: 1.6667, lift: 2, rank: 2 })
    expect(mdA.p_value).toBeCloseTo(0.5, 10)
    const mdB = suspect(s, 'machine', 'MD-B')
    expect(mdB).toMatchObject({ defective_lots: 1, defect_rate: 1.6667, baseline_rate: 3.3333, lift: 0.5, inconclusive: false, rank: null })
    expect(mdB.p_value).toBeCloseTo(0.95, 10)
    expect(s.map((x) => [x.name, x.rank])).toEqual([
      ['M1', 1], ['MD-A', 2], ['DF-1', null], ['WAF-S', null], ['WJ-1', null], ['MD-B', null], ['WJ-2', null], ['M2', null],
    ])
  })

  it('reports a factor with fewer than 3 lots (or fewer than 3 others) as inconclusive and unranked', () => {
    const s = run.aggregation.suspects
    const wj1 = suspect(s, 'machine', 'WJ-1')
    expect(wj1).toMatchObject({
      station: '水吹砂', lots: 2, defective_lots: 2, defect_rate: 5, baseline_rate: 1.25, baseline_lots: 4, lift: 4,
      inconclusive: true, no_contrast: false, rank: null,
    })
    expect(wj1.p_value).toBeCloseTo(0.2, 10)
    expect(suspect(s, 'machine', 'WJ-2')).toMatchObject({ lots: 4, baseline_lots: 2, inconclusive: true, no_contrast: false, rank: null })
  })

  it('reports a machine every lot passed (and the common wafer root) as no contrast', () => {
    const s = run.aggregation.suspects
    for (const f of [suspect(s, 'machine', 'DF-1'), suspect(s, 'wafer_root', 'WAF-S')]) {
      expect(f).toMatchObject({
        lots: 6, defective_lots: 3, input_qty: 600, defect_qty: 15, defect_rate: 2.5,
        baseline_rate: null, baseline_lots: 0, lift: null, p_value: null, inconclusive: true, no_contrast: true, rank: null,
      })
    }
    expect(suspect(s, 'wafer_root', 'WAF-S').station).toBeNull()
    expect(run.aggregation.suspect_summary).toEqual({
      machines: 7, materials: 0, wafer_roots: 1, ranked: 2, not_elevated: 2, inconclusive: 2, no_contrast: 2, total: 8,
      // Six factors have a p-value; the smallest, M1's 0.05, has q = min(0.05·6/1, 0.2·6/2, …) = 0.3.
      significant: 0, independent: 0, explained: 0, fdr: 0.05,
    })
    expect(suspect(s, 'machine', 'M1').q_value).toBeCloseTo(0.3, 10)
  })

  it('stores the full suspect list in the result file, ranked first', async () => {
    const stored = await run.rows('suspects')
    expect(stored).toHaveLength(8)
    expect(stored.slice(0, 2).map((r) => [r.rank, r.name])).toEqual([[1, 'M1'], [2, 'MD-A']])
    expect(stored.slice(2).every((r) => r.rank === null)).toBe(true)
  })

  it('gives a daily trend per detection track-in day in date mode', () => {
    expect(run.aggregation.kpi).toMatchObject({ total_input: 600, lot_count: 6, defective_lot_count: 3, total_defect_qty: 15, total_defect_rate: 2.5 })
    expect(run.aggregation.daily_trend).toEqual([
      { date: '2026-01-10', input_qty: 300, defect_qty: 10, defect_rate: 3.3333, lot_count: 3, defective_lot_count: 2 },
      { date: '2026-01-11', input_qty: 300, defect_qty: 5, defect_rate: 1.6667, lot_count: 3, defective_lot_count: 1 },
    ])
  })

  it('gives the same population but no daily trend in container mode', async () => {
    const container = await runMsd<BackwardAggregation>(fx.source, { mode: 'container', resolve_type: 'lot_id', values: lots, station: '測試' })
    try {
      expect(container.aggregation.kpi).toMatchObject({ total_input: 600, lot_count: 6, defective_lot_count: 3, total_defect_qty: 15, total_defect_rate: 2.5 })
      expect(container.aggregation.daily_trend).toEqual([])
      expect(container.aggregation.container_mode_hint).toBeUndefined()
    } finally {
      await container.cleanup()
    }
  })
})

// ─── 11. forward ──────────────────────────────────────────────────────────────────────────────

describe('MSD forward: re-keyed descendants, baseline, amplification', () => {
  // Detection at 成型 (order 4) on 2026-01-10:
  //   FL1 'F-L1' MD-01 in 100, R-MOLD 7 → defect lot (7 %).  FL2 'F-L2' MD-02 in 200, clean.
  // FL1C 'F-L1-C' is split from FL1 after molding.
  // Later rows (order > 4, known groups only):
  //   FL1  移印 MK-01 in 40, reject R-MARK 2
  //   FL1C 電鍍 PL-01 in 60, reject R-PLATE 6        (re-keyed to FL1)
  //   FL1C 點測 PT-01 in 60, reject R-PROBE 100      (no group: ignored)
  //   FL2  電鍍 PL-02 in 200, reject R-PLATE 4       (clean lot: baseline)
  //   FL1  焊接_WB WB-01 (order 2) with reject R-WB 5 — before the detection station: ignored.
  // Tracked (defect lots): 電鍍 60/6 → 10 %, 移印 40/2 → 5 %; total 8 / 100 → 8 %.
  //   by loss reason, over the tracked lots' 100 downstream input: R-PLATE 6 → 6 %, R-MARK 2 → 2 %.
  //   by station (by rejects): 電鍍 (cum 6/8 = 75), 移印 (100).
  //   電鍍 baseline: 4/200 → 2 %, lift 10/2 = 5; 移印 has no baseline.
  // KPI: detection lots 2, defect lots 1, detection defects 7, detection rate 7, tracked containers
  //   {FL1, FL1C} = 2, stations 2, downstream rejects 8, rate 8, baseline rate 2,
  //   amplification 8 / 7 = 1.142857… → 1.1429.
  // Detail (FL1): stations 2, rejects 8, rate 8/100 → 8, worst 電鍍 (6 > 2; only the child's).
  // Filter NOPE (nobody has it): no defect lot → amplification null; every lot is baseline:
  //   電鍍 (60+200)/(6+4), 移印 40/2 → 12 / 300 = 4 %.
  const rows: FixtureRows = {
    DW_MES_CONTAINER: [lot('FL1', 'F-L1'), lot('FL1C', 'F-L1-C', { SPLITFROMID: 'FL1' }), lot('FL2', 'F-L2')],
    DW_MES_LOTWIPHISTORY: [
      wip('FL1', '焊接_WB', 'WB-01', at('08'), 100),
      wip('FL1', '成型', 'MD-01', at('10', '08:00'), 100),
      wip('FL1', '移印', 'MK-01', at('13'), 40),
      wip('FL1C', '點測', 'PT-01', at('11'), 60),
      wip('FL1C', '電鍍', 'PL-01', at('12', '08:00'), 60),
      wip('FL2', '成型', 'MD-02', at('10', '09:00'), 200),
      wip('FL2', '電鍍', 'PL-02', at('12', '09:00'), 200),
    ],
    DW_MES_LOTREJECTHISTORY: [
      reject('FL1', '焊接_WB', 'R-WB', 5, at('08', '09:00'), { EQUIPMENTNAME: 'WB-01' }),
      reject('FL1', '成型', 'R-MOLD', 7, at('10', '09:00'), { EQUIPMENTNAME: 'MD-01' }),
      reject('FL1', '移印', 'R-MARK', 2, at('13', '09:00'), { EQUIPMENTNAME: 'MK-01' }),
      reject('FL1C', '點測', 'R-PROBE', 100, at('11', '09:00'), { EQUIPMENTNAME: 'PT-01' }),
      reject('FL1C', '電鍍', 'R-PLATE', 6, at('12', '09:00'), { EQUIPMENTNAME: 'PL-01' }),
      reject('FL2', '電鍍', 'R-PLATE', 4, at('12', '10:00'), { EQUIPMENTNAME: 'PL-02' }),
    ],
  }
  const params = { mode: 'date_range', start_date: '2026-01-10', end_date: '2026-01-10', station: '成型', direction: 'forward' }
  let fx: FixtureSource
  let run: MsdRun<ForwardAggregation>
  beforeAll(async () => {
    fx = await createFixtureSource(rows)
    run = await runMsd<ForwardAggregation>(fx.source, params)
  })
  afterAll(async () => {
    await run?.cleanup()
    await fx?.cleanup()
  })

  it('leaves the amplification unknown when no later track-ins were fetched', async () => {
    // Only downstream_rejects: the 8 later rejects are seen, but no later input, so neither the
    // downstream rate nor the amplification can be known (not "0 % downstream").
    const partial = await runMsd<ForwardAggregation>(fx.source, params, ['downstream_rejects'])
    try {
      expect(partial.aggregation.kpi).toMatchObject({ downstream_total_reject: 8, downstream_reject_rate: 0, amplification: null })
      expect(partial.aggregation.warnings.join('\n')).toContain('The upstream_history domain was not fetched')
    } finally {
      await partial.cleanup()
    }
  })

  it('credits the split child’s later rejects to its detection lot, with the clean lot as baseline', () => {
    const a = run.aggregation
    expect(a.direction).toBe('forward')
    expect(a.charts.by_downstream_station).toEqual([
      { name: '電鍍', input_qty: 60, defect_qty: 6, defect_rate: 10, lot_count: 1, cumulative_pct: 75, order: 7, baseline_rate: 2, lift: 5, top_loss_reason: 'R-PLATE' },
      { name: '移印', input_qty: 40, defect_qty: 2, defect_rate: 5, lot_count: 1, cumulative_pct: 100, order: 8, baseline_rate: null, lift: null, top_loss_reason: 'R-MARK' },
    ])
    expect(a.charts.by_downstream_machine.map(bar)).toEqual([
      { name: 'PL-01', input_qty: 60, defect_qty: 6, defect_rate: 10, lot_count: 1, cumulative_pct: 75 },
      { name: 'MK-01', input_qty: 40, defect_qty: 2, defect_rate: 5, lot_count: 1, cumulative_pct: 100 },
    ])
    expect(a.charts.by_downstream_loss_reason.map((i) => [i.name, i.input_qty, i.defect_qty, i.defect_rate, i.lot_count, i.cumulative_pct])).toEqual([
      ['R-PLATE', 100, 6, 6, 1, 75], ['R-MARK', 100, 2, 2, 1, 100],
    ])
    expect(a.charts.by_detection_machine.map(bar)).toEqual([
      { name: 'MD-01', input_qty: 100, defect_qty: 7, defect_rate: 7, lot_count: 1, cumulative_pct: 100 },
      { name: 'MD-02', input_qty: 200, defect_qty: 0, defect_rate: 0, lot_count: 1, cumulative_pct: 100 },
    ])
    expect(a.attribution).toEqual([])
    expect(a.available_loss_reasons).toEqual(['R-MOLD'])
    expect(a.daily_trend).toEqual([{ date: '2026-01-10', input_qty: 300, defect_qty: 7, defect_rate: 2.3333, lot_count: 2, defective_lot_count: 1 }])
  })

  it('computes the forward KPI with amplification = downstream rate ÷ detection rate', () => {
    expect(run.aggregation.kpi).toEqual({
      detection_lot_count: 2,
      defect_lot_count: 1,
      detection_defect_qty: 7,
      detection_defect_rate: 7,
      tracked_lot_count: 2,
      downstream_stations_reached: 2,
      downstream_total_reject: 8,
      downstream_reject_rate: 8,
      baseline_downstream_reject_rate: 2,
      amplification: 1.1429,
    })
  })

  it('writes one detail row per defect lot with its descendants’ downstream numbers', async () => {
    const detail = await run.rows('detail')
    expect(run.aggregation.detail_total_count).toBe(1)
    expect(detail).toEqual([
      {
        CONTAINERID: 'FL1',
        CONTAINERNAME: 'F-L1',
        PJ_TYPE: '(未知)',
        PRODUCTLINENAME: '(未知)',
        WORKFLOW: '(未知)',
        DETECTION_EQUIPMENTNAME: 'MD-01',
        TRACKINQTY: 100,
        DEFECT_QTY: 7,
        DOWNSTREAM_STATIONS_REACHED: 2,
        DOWNSTREAM_TOTAL_REJECT: 8,
        DOWNSTREAM_REJECT_RATE: 8,
        WORST_DOWNSTREAM_STATION: '電鍍',
      },
    ])
  })

  it('has no amplification when the detection rate is 0; every lot is then baseline', async () => {
    const none = await runMsd<ForwardAggregation>(fx.source, { ...params, loss_reasons: ['NOPE'] })
    try {
      expect(none.aggregation.kpi).toEqual({
        detection_lot_count: 2,
        defect_lot_count: 0,
        detection_defect_qty: 0,
        detection_defect_rate: 0,
        tracked_lot_count: 0,
        downstream_stations_reached: 0,
        downstream_total_reject: 0,
        downstream_reject_rate: 0,
        baseline_downstream_reject_rate: 4,
        amplification: null,
      })
      expect(none.aggregation.charts.by_downstream_station).toEqual([])
      expect(none.aggregation.detail_total_count).toBe(0)
      expect(none.aggregation.available_loss_reasons).toEqual(['R-MOLD'])
    } finally {
      await none.cleanup()
    }
  })

  it('counts a later reject once in the cohort totals when a split child is itself a detection lot', async () => {
    // G1 'G-1' at 成型 in 100 with R-MOLD 7; its split child G1C is tracked in at 成型 in the same
    // window too (in 40, R-MOLD 2): both are defect lots, and G1C is also G1's descendant.
    // G1C then runs 電鍍 PL-01 in 40 and gets 6 R-PLATE rejects — the only later event.
    // Tracked containers {G1, G1C} = 2; what happened later: 40 in, 6 rejected → 15 %.
    // Detection: 9 / 140 = 6.42857… → 6.4286 %; amplification 15 / 6.4286 = 2.33332… → 2.3333.
    // Per lot (detail), each detection lot sees its own family: G1 6 / 100 → 6 %, G1C 6 / 40 → 15 %.
    const own = await createFixtureSource({
      DW_MES_CONTAINER: [lot('G1', 'G-1'), lot('G1C', 'G-1-C', { SPLITFROMID: 'G1' })],
      DW_MES_LOTWIPHISTORY: [
        wip('G1', '成型', 'MD-01', at('10', '08:00'), 100),
        wip('G1C', '成型', 'MD-01', at('10', '10:00'), 40),
        wip('G1C', '電鍍', 'PL-01', at('12', '08:00'), 40),
      ],
      DW_MES_LOTREJECTHISTORY: [
        reject('G1', '成型', 'R-MOLD', 7, at('10', '09:00'), { EQUIPMENTNAME: 'MD-01' }),
        reject('G1C', '成型', 'R-MOLD', 2, at('10', '11:00'), { EQUIPMENTNAME: 'MD-01' }),
        reject('G1C', '電鍍', 'R-PLATE', 6, at('12', '09:00'), { EQUIPMENTNAME: 'PL-01' }),
      ],
    })
    let overlap: MsdRun<ForwardAggregation> | undefined
    try {
      overlap = await runMsd<ForwardAggregation>(own.source, params)
      const a = overlap.aggregation
      const detail = await overlap.rows('detail')
      expect(detail.map((r) => [r.CONTAINERID, r.DOWNSTREAM_TOTAL_REJECT, r.DOWNSTREAM_REJECT_RATE]).sort()).toEqual([['G1', 6, 6], ['G1C', 6, 15]])
      expect(a.kpi).toMatchObject({
        detection_lot_count: 2, defect_lot_count: 2, detection_defect_qty: 9, detection_defect_rate: 6.4286, tracked_lot_count: 2,
        downstream_stations_reached: 1, downstream_reject_rate: 15, amplification: 2.3333,
      })
      // Only 6 units were rejected after molding, by 40 tracked in.
      expect(a.kpi.downstream_total_reject).toBe(6)
      expect(a.charts.by_downstream_station.map((i) => [i.name, i.input_qty, i.defect_qty, i.defect_rate])).toEqual([['電鍍', 40, 6, 15]])
      expect(a.charts.by_downstream_machine.map((i) => [i.name, i.input_qty, i.defect_qty])).toEqual([['PL-01', 40, 6]])
      expect(a.charts.by_downstream_loss_reason.map((i) => [i.name, i.input_qty, i.defect_qty, i.defect_rate])).toEqual([['R-PLATE', 40, 6, 15]])
    } finally {
      await overlap?.cleanup()
      await own.cleanup()
    }
  })
})

// ─── 8. Pareto builder (unit) ─────────────────────────────────────────────────────────────────

describe('buildPareto', () => {
  it('keeps the top 10 by defects and folds the rest into 其他, cumulative ending at 100', () => {
    // M01..M12 with defects 12..1, input 100 each, 1 lot each. Total defects 78.
    // Top 10: M01..M10 (12..3); 其他 = M11 + M12: input 200, defects 2 + 1 = 3, rate 1.5, lots 2.
    // Cumulative: 12/78 = 15.38, 23/78 = 29.49, …, 75/78 = 96.15, 78/78 = 100.
    const records = Array.from({ length: 12 }, (_, i) => ({ name: `M${String(i + 1).padStart(2, '0')}`, input_qty: 100, defect_qty: 12 - i, lot_count: 1 }))
    const chart = buildPareto(records.slice().reverse())
    expect(chart).toHaveLength(11)
    expect(chart.slice(0, 10).map((i) => i.name)).toEqual(records.slice(0, 10).map((r) => r.name))
    expect(chart[0]).toEqual({ name: 'M01', input_qty: 100, defect_qty: 12, defect_rate: 12, lot_count: 1, cumulative_pct: 15.38 })
    expect(chart[1]!.cumulative_pct).toBe(29.49)
    expect(chart[9]!.cumulative_pct).toBe(96.15)
    expect(chart[10]).toEqual({ name: PARETO_OTHER, input_qty: 200, defect_qty: 3, defect_rate: 1.5, lot_count: 2, cumulative_pct: 100 })
  })

  it('credits a comma-joined name to each part and drops an empty 其他', () => {
    // "A, B" 100/10 credited to A and to B; A also 100/0 alone → A 200/10 (5 %), B 100/10 (10 %).
    const chart = buildPareto([
      { name: 'A, B', input_qty: 100, defect_qty: 10, lot_count: 1 },
      { name: 'A', input_qty: 100, defect_qty: 0, lot_count: 1 },
      { name: 'C', input_qty: 0, defect_qty: 0, lot_count: 0 },
    ], { topN: 2 })
    // Equal defects: the higher rate first. C (nothing at all) folds into an empty 其他, which is dropped.
    expect(chart).toEqual([
      { name: 'B', input_qty: 100, defect_qty: 10, defect_rate: 10, lot_count: 1, cumulative_pct: 50 },
      { name: 'A', input_qty: 200, defect_qty: 10, defect_rate: 5, lot_count: 2, cumulative_pct: 100 },
    ])
  })
})
