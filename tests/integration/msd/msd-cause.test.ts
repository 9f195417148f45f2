/**
 * Naming the cause on hand-built plants: a wire bonder that goes bad on a known day, a capillary
 * that only rides along with part of its bad period, and a material lot that is bad from its first
 * use. The capillary must come out explained by the machine whichever of the two ranks first
 * marginally; the machine and the material stay independent; the machine's onset is its bad day,
 * the always-bad material has none. The marginal order each plant is built for is asserted too,
 * so a fixture that stopped testing what it claims would fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackwardAggregation, Suspect } from '../../../shared/msd.js'
import { runMsd, type MsdRun } from '../../fixtures/msd-kit.js'
import { createFixtureSource, type FixtureRows, type FixtureSource } from '../../fixtures/source-fixture.js'

type Row = Record<string, unknown>

const day2 = (day: number): string => String(day).padStart(2, '0')
const at = (day: number, hour: number): string => `2026-01-${day2(day)} ${String(hour).padStart(2, '0')}:00:00`

/**
 * 20 days; four bonders M1..M4 take 5 lots a day each (400 lots). M1 is bad from day 13: 4 of 5
 * of its lots fail; otherwise 1 lot in 20 of each bonder fails. Capillaries change every 5 days on each bonder,
 * except that M1 carries `CAP-R` over `rideDays` (inside its bad period). 36 lots of M2..M4 on
 * days 5–8 consumed the bad compound `EMC-BAD`: 2 in 3 fail on days 5–6, all on days 7–8.
 */
function plant(rideDays: readonly number[]): FixtureRows {
  const rows: Required<Pick<FixtureRows, 'DW_MES_CONTAINER' | 'DW_MES_LOTWIPHISTORY' | 'DW_MES_LOTREJECTHISTORY' | 'DW_MES_LOTMATERIALSHISTORY'>> = {
    DW_MES_CONTAINER: [],
    DW_MES_LOTWIPHISTORY: [],
    DW_MES_LOTREJECTHISTORY: [],
    DW_MES_LOTMATERIALSHISTORY: [],
  }
  let n = 0
  let emcLots = 0
  const perMachine = [0, 0, 0, 0, 0]
  for (let day = 1; day <= 20; day++) {
    for (let m = 1; m <= 4; m++) {
      for (let k = 0; k < 5; k++) {
        n++
        const cid = `C${String(n).padStart(4, '0')}`
        const machine = `M${m}`
        const bad = m === 1 && day >= 13
        const emc = m > 1 && day >= 5 && day <= 8 && k < 3
        // The bad compound's lots fail 2 in 3 over its first two days, then all: a rise, but from
        // a rate far above the rest — bad from the start.
        const emcFails = emc && (day >= 7 || emcLots++ % 3 !== 0)
        const j = perMachine[m]!++
        const failed = bad ? k !== 0 : emcFails || (!emc && j % 20 === 7)
        const hour = 1 + k * 2
        rows.DW_MES_CONTAINER.push({ CONTAINERID: cid, CONTAINERNAME: `L${cid}`, OBJECTTYPE: 'LOT' })
        const wip = (workcenter: string, eq: string, time: string): Row => ({
          CONTAINERID: cid, WORKCENTERNAME: workcenter, EQUIPMENTID: `ID-${eq}`, EQUIPMENTNAME: eq,
          TRACKINTIMESTAMP: time, TRACKINQTY: 1000, TRACKOUTTIMESTAMP: time.replace(/ (\d\d)/, (_, h: string) => ` ${String(Number(h) + 1).padStart(2, '0')}`), TRACKOUTQTY: 1000,
        })
        rows.DW_MES_LOTWIPHISTORY.push(wip('焊接_WB', machine, at(day, hour)), wip('成型', `MD${(n % 3) + 1}`, at(day, hour + 1)), wip('TMTT', 'TM-01', at(day + 1, hour)))
        const capillary = m === 1 && rideDays.includes(day) ? 'CAP-R' : `CAP-${machine}-${Math.floor((day - 1) / 5)}`
        rows.DW_MES_LOTMATERIALSHISTORY.push(
          { CONTAINERID: cid, MATERIALPARTNAME: 'CAP', MATERIALLOTNAME: capillary, QTYCONSUMED: 1, WORKCENTERNAME: '焊接_WB', TXNDATE: at(day, hour) },
          { CONTAINERID: cid, MATERIALPARTNAME: 'EMC', MATERIALLOTNAME: emc ? 'EMC-BAD' : `EMC-${Math.floor((day - 1) / 4)}`, QTYCONSUMED: 1, WORKCENTERNAME: '成型', TXNDATE: at(day, hour + 1) },
        )
        if (failed) {
          rows.DW_MES_LOTREJECTHISTORY.push({ CONTAINERID: cid, WORKCENTERNAME: 'TMTT', LOSSREASONNAME: 'R1', REJECTQTY: 30, TXNDATE: at(day + 1, hour + 1) })
        }
      }
    }
  }
  return rows
}

function find(suspects: readonly Suspect[], type: Suspect['factor_type'], name: string): Suspect {
  const s = suspects.find((x) => x.factor_type === type && x.name === name)
  if (!s) throw new Error(`no ${type} ${name} among ${suspects.map((x) => x.name).join(', ')}`)
  return s
}

const ref = (s: Suspect): object => ({ factor_type: s.factor_type, name: s.name, station: s.station })

describe.each([
  { label: 'the capillary ranks first marginally', rideDays: [13, 14, 15, 16, 17, 18, 19], capillaryFirst: true },
  { label: 'the machine ranks first marginally', rideDays: [14, 15], capillaryFirst: false },
])('MSD cause: $label', ({ rideDays, capillaryFirst }) => {
  let fx: FixtureSource
  let run: MsdRun<BackwardAggregation>
  beforeAll(async () => {
    fx = await createFixtureSource(plant(rideDays))
    run = await runMsd<BackwardAggregation>(fx.source, { mode: 'date_range', start_date: '2026-01-01', end_date: '2026-01-31', station: '測試' })
  })
  afterAll(async () => {
    await run?.cleanup()
    await fx?.cleanup()
  })

  it('builds the marginal order it claims (the premise of the test)', () => {
    const s = run.aggregation.suspects
    const machine = find(s, 'machine', 'M1')
    const capillary = find(s, 'material', 'CAP (CAP-R)')
    expect(capillary.lift!).toBeGreaterThan(machine.lift!)
    expect(machine.significant && capillary.significant).toBe(true)
    // Marginal order: by p (the ranking before the explain-away reorders the list).
    expect(capillary.p_value! < machine.p_value!).toBe(capillaryFirst)
  })

  it('explains the ride-along capillary by the machine, never the machine by it', () => {
    const s = run.aggregation.suspects
    const machine = find(s, 'machine', 'M1')
    const capillary = find(s, 'material', 'CAP (CAP-R)')
    expect(capillary.explained_by).toEqual(ref(machine))
    expect(capillary.conditional_p_value!).toBeGreaterThan(0.05)
    expect(machine.explained_by).toBeNull()
    // Tested only against factors it does not explain itself (none here share its lots).
    expect(machine.conditional_p_value).toBeNull()
  })

  it('keeps the bad compound independent, with no onset: its lots got worse, but were failing from the first', () => {
    const emc = find(run.aggregation.suspects, 'material', 'EMC (EMC-BAD)')
    expect(emc).toMatchObject({ significant: true, explained_by: null, onset: null, rate_before_onset: null, rate_after_onset: null })
    // The premise: its lots' rate did rise (12 of 18, then 18 of 18), significantly on its own.
    expect(emc.onset_p_value!).toBeLessThan(0.01)
  })

  it("dates the machine's onset to its bad day, with the rates either side", () => {
    const machine = find(run.aggregation.suspects, 'machine', 'M1')
    // Days 1–12: M1's lots 0..59, of which 7, 27 and 47 failed → 5 %; days 13–20: 40 lots, 32 failed → 80 %.
    expect(machine).toMatchObject({ onset: '2026-01-13', rate_before_onset: 5, rate_after_onset: 80 })
    expect(machine.onset_p_value!).toBeLessThan(0.001)
  })

  it('lists the independent suspects first and counts them in the summary', () => {
    const { suspects, suspect_summary: summary } = run.aggregation
    const significant = suspects.filter((s) => s.significant)
    const firstExplained = significant.findIndex((s) => s.explained_by !== null)
    expect(significant.slice(0, firstExplained).every((s) => s.explained_by === null)).toBe(true)
    expect(significant.slice(firstExplained).every((s) => s.explained_by !== null)).toBe(true)
    expect(suspects.slice(0, 2).map((s) => s.name).sort()).toEqual(['EMC (EMC-BAD)', 'M1'])
    expect(summary).toMatchObject({ fdr: 0.05, significant: significant.length, independent: firstExplained })
    expect(summary.independent + summary.explained).toBe(summary.significant)
    expect(suspects.filter((s) => s.rank !== null).map((s) => s.rank)).toEqual(suspects.filter((s) => s.rank !== null).map((_, i) => i + 1))
  })

  it('stores the new columns in the full list, explained_by in its parts', async () => {
    const rows = await run.rows('suspects')
    const capillary = rows.find((r) => r.name === 'CAP (CAP-R)')!
    expect(capillary).toMatchObject({ significant: 'yes', verdict: 'explained', explained_by_type: 'machine', explained_by_name: 'M1', explained_by_station: '焊接_WB' })
    expect(rows.find((r) => r.name === 'M1')).toMatchObject({ verdict: 'independent', onset: '2026-01-13', explained_by_name: null, rate_after_onset: 80 })
    expect(new Set(rows.map((r) => r.verdict))).toEqual(new Set(['independent', 'explained', 'not_significant', 'not_elevated', 'inconclusive']))
  })

  it("gives the machine a time view: its lots per day against the rest of its station's", () => {
    const timeline = run.aggregation.suspect_timelines.find((t) => t.factor_type === 'machine' && t.name === 'M1')!
    expect(timeline.days).toHaveLength(20)
    const day13 = timeline.days.find((d) => d.date === '2026-01-13')!
    // M1's 5 lots that day, 4 failed; the other 15 lots of 焊接_WB that day.
    expect(day13).toMatchObject({ lots: 5, defective_lots: 4, rest_lots: 15 })
    expect(timeline.days.reduce((sum, d) => sum + d.lots + d.rest_lots, 0)).toBe(400)
  })

  it('records lots and defective lots per day for the p-chart', () => {
    const trend = run.aggregation.daily_trend
    expect(trend.reduce((sum, d) => sum + d.lot_count!, 0)).toBe(400)
    expect(trend.reduce((sum, d) => sum + d.defective_lot_count!, 0)).toBe(run.aggregation.kpi.defective_lot_count)
  })
})
