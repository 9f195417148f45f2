/**
 * `mes-trace diff` on a small demo plant: two backward runs over two halves of its window compared
 * against each run's full stored suspect list (paged here with `show --suspects`), the text a
 * person reads, a forward pair by its later stations, and the refusals (another station, the other
 * direction, a lot trace, one job twice, a missing or unknown job) with their exit codes.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import type { BackwardAggregation, ForwardAggregation } from '../../../shared/msd.js'
import { suspectKey, type BackwardMsdDiff, type ForwardMsdDiff, type SuspectDiff } from '../../../shared/msd-diff.js'
import { runCli, runCliJson } from '../../fixtures/cli-io.js'


type Row = Record<string, string | number | null>

describe('mes-trace diff', () => {
  let dir: string
  let dataDir: string
  let plant: DemoSummary
  let older: { job_id: string; aggregation: BackwardAggregation }
  let newer: { job_id: string; aggregation: BackwardAggregation }
  let fwdOlder: { job_id: string; aggregation: ForwardAggregation }
  let fwdNewer: { job_id: string; aggregation: ForwardAggregation }
  let otherStation: { job_id: string }
  let lotTrace: { job_id: string }
  const MIDDLE = '2026-10-01'
  const NEXT = '2026-10-02'

  /** Every row of a job's stored suspect list, paged as any client would. */
  async function storedSuspects(jobId: string): Promise<Row[]> {
    const rows: Row[] = []
    for (let offset = 0; ; offset += 1000) {
      const page = await runCliJson<{ total: number; rows: Row[] }>('show', jobId, '--suspects', '--limit', '1000', '--offset', String(offset), '--data-dir', dataDir)
      rows.push(...page.rows)
      if (rows.length >= page.total) return rows
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-diff-cli-'))
    dataDir = join(dir, 'data')
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 2000, seed: 'diff-cli' })
    expect(plant.startDate < MIDDLE && MIDDLE < plant.endDate).toBe(true)
    const msd = ['--source', `sqlite:${plant.out}`, '--profile', 'mid_section_defect', '--data-dir', dataDir]
    older = await runCliJson('run', ...msd, '--from', plant.startDate, '--to', MIDDLE)
    newer = await runCliJson('run', ...msd, '--from', NEXT, '--to', plant.endDate)
    fwdOlder = await runCliJson('run', ...msd, '--direction', 'forward', '--station', '成型', '--from', plant.startDate, '--to', MIDDLE)
    fwdNewer = await runCliJson('run', ...msd, '--direction', 'forward', '--station', '成型', '--from', NEXT, '--to', plant.endDate)
    otherStation = await runCliJson('run', ...msd, '--station', '成型', '--from', NEXT, '--to', plant.endDate)
    lotTrace = await runCliJson('run', '--source', `sqlite:${plant.out}`, '--profile', 'query_tool', '--lot-ids', plant.planted.samples.lot_ids[0]!, '--data-dir', dataDir)
  }, 240_000)

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  describe('two backward runs of the same station', () => {
    let diff: BackwardMsdDiff
    let rowsA: Row[]
    let rowsB: Row[]

    beforeAll(async () => {
      diff = await runCliJson<BackwardMsdDiff>('diff', older.job_id, newer.job_id, '--data-dir', dataDir)
      rowsA = await storedSuspects(older.job_id)
      rowsB = await storedSuspects(newer.job_id)
    }, 60_000)

    it('names both runs with their windows', () => {
      expect(diff).toMatchObject({ direction: 'backward', station: '測試', warnings: [] })
      expect(diff.a).toMatchObject({ job_id: older.job_id, start_date: plant.startDate, end_date: MIDDLE, loss_reasons: [] })
      expect(diff.b).toMatchObject({ job_id: newer.job_id, start_date: NEXT, end_date: plant.endDate })
      expect(diff.a.first_day! >= plant.startDate && diff.a.last_day! <= MIDDLE).toBe(true)
      expect(diff.b.first_day! >= NEXT).toBe(true)
    })

    it('gives each KPI of both runs and B − A', () => {
      const kpi = Object.fromEntries(diff.kpi.map((k) => [k.key, k]))
      for (const key of ['lot_count', 'defective_lot_count', 'total_input', 'total_defect_qty', 'affected_machine_count'] as const) {
        expect(kpi[key]).toEqual({ key, unit: 'count', a: older.aggregation.kpi[key], b: newer.aggregation.kpi[key], delta: newer.aggregation.kpi[key] - older.aggregation.kpi[key] })
      }
      expect(kpi.total_defect_rate!.a).toBe(older.aggregation.kpi.total_defect_rate)
      expect(kpi.total_defect_rate!.delta).toBeCloseTo(newer.aggregation.kpi.total_defect_rate - older.aggregation.kpi.total_defect_rate, 4)
      expect(kpi.suspects_ranked).toMatchObject({ a: older.aggregation.suspect_summary.ranked, b: newer.aggregation.suspect_summary.ranked })
    })

    it('sorts every suspect of the compared sets of the full lists into new, gone and changed', () => {
      const withQ = older.aggregation.suspect_summary.fdr !== null && newer.aggregation.suspect_summary.fdr !== null
      expect(diff.basis).toBe(withQ ? 'significant' : 'ranked')
      const keyOf = (r: Row): string => suspectKey({ factor_type: r.factor_type as 'machine', name: String(r.name), station: (r.station as string | null) ?? null })
      const inSet = (r: Row): boolean => (withQ ? r.significant === 'yes' : r.rank !== null && r.rank !== '')
      const setA = rowsA.filter(inSet).map(keyOf)
      const setB = rowsB.filter(inSet).map(keyOf)
      expect(setA.length + setB.length).toBeGreaterThan(0)
      expect(diff.compared).toEqual({ a: setA.length, b: setB.length })
      const keys = (items: SuspectDiff[]): string[] => items.map(suspectKey)
      expect(keys(diff.new)).toEqual(setB.filter((k) => !setA.includes(k)))
      expect(keys(diff.gone)).toEqual(setA.filter((k) => !setB.includes(k)))
      expect(keys(diff.changed)).toEqual(setB.filter((k) => setA.includes(k)))
    })

    it('takes each side’s values from that run’s full list, also for factors past its aggregation’s top list', () => {
      const byKey = (rows: Row[]) => new Map(rows.map((r) => [suspectKey({ factor_type: r.factor_type as 'machine', name: String(r.name), station: (r.station as string | null) ?? null }), r]))
      const fullA = byKey(rowsA)
      const fullB = byKey(rowsB)
      for (const item of [...diff.new, ...diff.gone, ...diff.changed]) {
        const a = fullA.get(suspectKey(item))
        const b = fullB.get(suspectKey(item))
        expect(item.a === null, suspectKey(item)).toBe(a === undefined)
        expect(item.b === null, suspectKey(item)).toBe(b === undefined)
        if (a) expect([item.a!.rank, item.a!.defect_rate, item.a!.lots]).toEqual([a.rank === '' ? null : a.rank, a.defect_rate, a.lots])
        if (b) expect([item.b!.rank, item.b!.defect_rate, item.b!.lots]).toEqual([b.rank === '' ? null : b.rank, b.defect_rate, b.lots])
        if (item.a && item.b) expect(item.rate_delta).toBeCloseTo(item.b.defect_rate - item.a.defect_rate, 4)
      }
    })

    it('prints a compact table for a person', async () => {
      const r = await runCli('diff', older.job_id, newer.job_id, '--data-dir', dataDir)
      expect([r.code, r.err]).toEqual([0, ''])
      const lines = r.out.split('\n')
      expect(lines[0]).toBe('MSD backward diff at 測試 — A is the baseline, B the newer run')
      expect(lines[1]).toMatch(new RegExp(`^A {9}${older.job_id} {2}${plant.startDate} … ${MIDDLE} {2}\\(as of `))
      expect(lines[2]).toMatch(new RegExp(`^B {9}${newer.job_id} {2}${NEXT} … ${plant.endDate} {2}\\(as of `))
      const lots = lines.find((l) => l.startsWith('Lots '))!
      expect(lots.split(/\s+/)).toEqual(['Lots', String(older.aggregation.kpi.lot_count), String(newer.aggregation.kpi.lot_count), `+${newer.aggregation.kpi.lot_count - older.aggregation.kpi.lot_count}`])
      const what = diff.basis === 'significant' ? 'significant' : 'ranked'
      expect(r.out).toContain(`New — ${what} in B, not in A (${diff.new.length})`)
      expect(r.out).toContain(`Gone — ${what} in A, not in B (${diff.gone.length})`)
      expect(r.out).toContain(`Changed — ${what} in both (${diff.changed.length})`)
      const first = diff.changed[0] ?? diff.new[0]!
      expect(r.out).toMatch(new RegExp(`^ {2}${first.factor_type === 'wafer_root' ? 'wafer root' : first.factor_type} +${first.name.replace(/[()]/g, '\\$&')} `, 'm'))
    })

    it('notes when A is the newer run', async () => {
      const swapped = await runCliJson<BackwardMsdDiff>('diff', newer.job_id, older.job_id, '--data-dir', dataDir)
      expect(swapped.warnings).toEqual([{ code: 'order', a: plant.endDate, b: MIDDLE }])
      // The same pair the other way round: what was gone is new, what was new is gone.
      expect(swapped.new.map(suspectKey)).toEqual(diff.gone.map(suspectKey))
      expect(swapped.gone.map(suspectKey)).toEqual(diff.new.map(suspectKey))
      const text = await runCli('diff', newer.job_id, older.job_id, '--data-dir', dataDir)
      expect(text.out).toContain(`Note      A should be the baseline (older) run, but its window ends ${plant.endDate}, after B's (${MIDDLE})`)
    })
  })

  it('compares two forward runs by their KPI and later stations', async () => {
    const diff = await runCliJson<ForwardMsdDiff>('diff', fwdOlder.job_id, fwdNewer.job_id, '--data-dir', dataDir)
    expect(diff).toMatchObject({ direction: 'forward', station: '成型', warnings: [] })
    const names = new Set([...fwdOlder.aggregation.charts.by_downstream_station, ...fwdNewer.aggregation.charts.by_downstream_station].map((s) => s.name))
    expect(diff.stations.map((s) => s.name).sort()).toEqual([...names].sort())
    for (const s of diff.stations) {
      expect(s.a?.defect_rate ?? null).toBe(fwdOlder.aggregation.charts.by_downstream_station.find((x) => x.name === s.name)?.defect_rate ?? null)
      expect(s.b?.defect_rate ?? null).toBe(fwdNewer.aggregation.charts.by_downstream_station.find((x) => x.name === s.name)?.defect_rate ?? null)
    }
    expect(diff.kpi.find((k) => k.key === 'tracked_lot_count')).toEqual({
      key: 'tracked_lot_count', unit: 'count', a: fwdOlder.aggregation.kpi.tracked_lot_count, b: fwdNewer.aggregation.kpi.tracked_lot_count,
      delta: fwdNewer.aggregation.kpi.tracked_lot_count - fwdOlder.aggregation.kpi.tracked_lot_count,
    })
    const text = await runCli('diff', fwdOlder.job_id, fwdNewer.job_id, '--data-dir', dataDir)
    expect(text.out).toContain('MSD forward diff from 成型')
    expect(text.out).toContain(`Later stations (${diff.stations.length})`)
  })

  describe('refuses', () => {
    async function refused(...argv: string[]): Promise<{ code: number; err: string }> {
      const r = await runCli('diff', ...argv, '--data-dir', dataDir)
      expect(r.out).toBe('')
      return { code: r.code, err: r.err }
    }

    it('a run of another detection station, naming JOB_B and both stations (exit 2)', async () => {
      expect(await refused(older.job_id, otherStation.job_id)).toEqual({
        code: 2,
        err: `mes-trace diff: [input/invalid] JOB_B: job ${otherStation.job_id} analyses detection station 成型 but JOB_A (${older.job_id}) analyses 測試; compare two runs of the same station\n`,
      })
    })

    it('a run of the other direction (exit 2)', async () => {
      const r = await refused(older.job_id, fwdNewer.job_id)
      expect(r.code).toBe(2)
      expect(r.err).toContain(`JOB_B: job ${fwdNewer.job_id} is an MSD forward analysis but JOB_A (${older.job_id}) is backward`)
    })

    it('a job that is not an MSD analysis, naming it (exit 2)', async () => {
      expect(await refused(lotTrace.job_id, newer.job_id)).toEqual({
        code: 2,
        err: `mes-trace diff: [input/invalid] JOB_A: job ${lotTrace.job_id} is a lot trace (query_tool), not an MSD analysis; compare two MSD results\n`,
      })
    })

    it('the same job twice, one job, three jobs or a malformed id (exit 2)', async () => {
      expect((await refused(older.job_id, older.job_id)).err).toContain('JOB_B: is the same job as JOB_A')
      expect((await refused(older.job_id)).err).toContain('JOB_B: is required: give two MSD jobs')
      expect((await refused(older.job_id, newer.job_id, older.job_id)).err).toContain('JOB_B: give two jobs (also got')
      const bad = await refused('trace-evt-XYZ', newer.job_id)
      expect(bad.code).toBe(2)
      expect(bad.err).toContain('JOB_A: must be a job id like trace-evt-0123456789ab')
    })

    it('a job the catalog does not know (exit 1)', async () => {
      const r = await refused(older.job_id, 'trace-evt-000000000000')
      expect(r.code).toBe(1)
      expect(r.err).toMatch(/^mes-trace diff: \[job\/not-found\] /)
    })
  })
})
