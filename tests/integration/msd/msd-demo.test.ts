/**
 * MSD on the demo plant (default size): the analysis must find what the generator planted. The
 * planted facts come from the generator's own output (its summary, and the same JSON it stores in
 * MES_TRACE_DEMO_INFO); nothing about them is written into the analysis or this test.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoPlanted, type DemoSummary } from '../../../main/demo/index.js'
import { openSource, parseSourceSpec, type MesSource } from '../../../main/sources/index.js'
import type { BackwardAggregation, ForwardAggregation } from '../../../shared/msd.js'
import { runMsd } from '../../fixtures/msd-kit.js'

describe('MSD on the demo plant', () => {
  let dir: string
  let summary: DemoSummary
  let planted: DemoPlanted
  let source: MesSource

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-msd-demo-'))
    summary = await generateDemoPlant({ out: join(dir, 'plant.sqlite') })
    ;({ source } = await openSource(parseSourceSpec(summary.out)))
    const raw = new Database(summary.out, { readonly: true })
    try {
      planted = JSON.parse((raw.prepare("SELECT VALUE AS value FROM MES_TRACE_DEMO_INFO WHERE KEY = 'planted'").get() as { value: string }).value)
    } finally {
      raw.close()
    }
  }, 120_000)

  afterAll(async () => {
    await source?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('stores the same planted facts it returns', () => {
    expect(planted).toEqual(summary.planted)
  })

  it('backward over the demo window names the bad wire bonder first and the bad material lot in the top 3', async () => {
    const machine = planted.bad_machine
    const material = planted.bad_material_lot
    const run = await runMsd<BackwardAggregation>(source, {
      mode: 'date_range', start_date: summary.startDate, end_date: summary.endDate, station: machine.detection_station,
    })
    try {
      const { aggregation: a } = run
      expect(a.direction).toBe('backward')
      expect(a.kpi.lot_count).toBeGreaterThan(5000)
      const top = a.suspects[0]!
      expect([top.factor_type, top.name, top.station, top.rank]).toEqual(['machine', machine.equipment_name, machine.station, 1])
      expect(top.lift).toBeGreaterThan(2)
      expect(top.p_value).toBeLessThan(1e-10)
      const materialKey = `${material.material_part_name} (${material.material_lot_name})`
      const top3 = a.suspects.slice(0, 3).map((s) => `${s.factor_type}:${s.name}`)
      expect(top3).toContain(`material:${materialKey}`)
      // The attribution record of the bad machine carries its ID and a raised rate.
      const record = a.attribution.find((m) => m.EQUIPMENT_NAME === machine.equipment_name)!
      expect(record.EQUIPMENT_ID).toBe(machine.equipment_id)
      expect(record.DEFECT_RATE).toBeGreaterThan(a.kpi.total_defect_rate * 2)
      // The bad machine's reason is among the filterable reasons, and the detail rows are stored.
      expect(a.available_loss_reasons).toContain(machine.loss_reason)
      expect(a.detail_total_count).toBe(run.reader.msdPage('detail', { limit: 1 }).total)
      expect(a.detail_total_count).toBeGreaterThanOrEqual(a.kpi.lot_count)
      expect(run.reader.msdPage('suspects', { limit: 1 }).total).toBe(a.suspect_summary.total)
    } finally {
      await run.cleanup()
    }
  }, 120_000)

  it('names the cause: the bad bonder and the bad compound independent, the capillaries riding along explained by the bonder', async () => {
    const machine = planted.bad_machine
    const material = planted.bad_material_lot
    const run = await runMsd<BackwardAggregation>(source, {
      mode: 'date_range', start_date: summary.startDate, end_date: summary.endDate, station: machine.detection_station,
    })
    try {
      const { suspects, suspect_summary: summary15 } = run.aggregation
      const bonder = suspects.find((s) => s.factor_type === 'machine' && s.name === machine.equipment_name)!
      const compound = suspects.find((s) => s.factor_type === 'material' && s.name === `${material.material_part_name} (${material.material_lot_name})`)!
      for (const s of [bonder, compound]) expect(s).toMatchObject({ significant: true, explained_by: null })
      // The compound lot was bad from its first use: no onset.
      expect(compound.onset).toBeNull()
      expect(suspects.slice(0, 2)).toEqual(expect.arrayContaining([bonder, compound]))
      // The onset of the bonder is within 2 days of the day it went bad.
      const days = Math.abs(Date.parse(bonder.onset!) - Date.parse(machine.from_date)) / 86_400_000
      expect(days).toBeLessThanOrEqual(2)
      expect(bonder.rate_after_onset!).toBeGreaterThan(bonder.rate_before_onset! * 1.5)
      // Every significant capillary of the bonder is explained by it, some with a higher lift than
      // the bonder's own (they cover only its bad period) and some ranking above it marginally.
      const rideAlong = (await run.rows('suspects')).filter(
        (r) => r.factor_type === 'material' && String(r.name).startsWith('CAP-WB38 (') && String(r.name).endsWith(`-${machine.equipment_name})`) && r.significant === 'yes',
      )
      expect(rideAlong.length).toBeGreaterThanOrEqual(3)
      for (const r of rideAlong) {
        expect([r.name, r.explained_by_type, r.explained_by_name, r.explained_by_station]).toEqual([r.name, 'machine', machine.equipment_name, machine.station])
      }
      expect(rideAlong.some((r) => Number(r.lift) > bonder.lift!)).toBe(true)
      expect(summary15.independent).toBeGreaterThanOrEqual(2)
      expect(summary15.independent + summary15.explained).toBe(summary15.significant)
      expect(suspects.filter((s) => s.significant).length).toBe(summary15.significant)
    } finally {
      await run.cleanup()
    }
  }, 120_000)

  it('forward from the molding defect reports the planted downstream effect', async () => {
    const effect = planted.downstream_effect
    const run = await runMsd<ForwardAggregation>(source, {
      mode: 'date_range', start_date: summary.startDate, end_date: summary.endDate, station: effect.detection_station,
      direction: 'forward', loss_reasons: [effect.loss_reason],
    })
    try {
      const { aggregation: a } = run
      expect(a.direction).toBe('forward')
      expect(a.kpi.defect_lot_count).toBeGreaterThan(50)
      // Split children are followed: more containers than defect lots.
      expect(a.kpi.tracked_lot_count).toBeGreaterThan(a.kpi.defect_lot_count)
      expect(a.kpi.downstream_reject_rate).toBeGreaterThan(2 * a.kpi.baseline_downstream_reject_rate!)
      for (const station of effect.downstream_stations) {
        const item = a.charts.by_downstream_station.find((s) => s.name === station)
        expect(item, station).toBeDefined()
        expect(item!.lift, station).toBeGreaterThan(2)
        expect(item!.top_loss_reason, station).toBe(effect.downstream_loss_reasons[station])
      }
      const reasons = a.charts.by_downstream_loss_reason.slice(0, effect.downstream_stations.length).map((r) => r.name).sort()
      expect(reasons).toEqual(Object.values(effect.downstream_loss_reasons).sort())
      expect(a.detail_total_count).toBe(a.kpi.defect_lot_count)
    } finally {
      await run.cleanup()
    }
  }, 120_000)
})
