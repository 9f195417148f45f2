/**
 * The MSD results of the demo plant do not move when the analysis is made faster. The file
 * snapshots next to this test were recorded by the analysis as it stood before the incident-scale
 * work; every later version must reproduce them exactly: the KPI, every suspect with its p-value
 * and q-value, the detail row count, and fingerprints (SHA-256) of the whole aggregation and of
 * every stored detail and suspect row. One re-recording since, on purpose: the detection lots are
 * numbered in CID order within each read batch, not in the order a query plan returned them,
 * which moved one conditional p-value in its 15th digit (5.306924490701492e-23 →
 * 5.306924490701568e-23, the strata summed in another order) and nothing else. The same runs check
 * that the analysis announces each of its steps as it starts (what the job card's bar shows).
 */
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import type { MsdAnalysisProgress } from '../../../main/msd/index.js'
import { openSource, parseSourceSpec, type MesSource } from '../../../main/sources/index.js'
import type { BackwardAggregation, ForwardAggregation, MsdAggregation } from '../../../shared/msd.js'
import { MSD_DIRECTION_STEPS, type MsdAnalysisStep } from '../../../shared/stage-timings.js'
import { runMsd, type MsdRun } from '../../fixtures/msd-kit.js'

const sha256 = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex')

/** What must not move, readable where it matters (KPI, suspects) and hashed where it is bulky. */
async function fingerprintOf(run: MsdRun<MsdAggregation>): Promise<Record<string, unknown>> {
  const a = run.aggregation
  const detail = await run.rows('detail')
  const out: Record<string, unknown> = {
    kpi: a.kpi,
    detail_total_count: a.detail_total_count,
    detail_rows: detail.length,
    detail_sha256: sha256(detail),
    aggregation_sha256: sha256(a),
  }
  if (a.direction === 'backward') {
    const suspects = await run.rows('suspects')
    out.suspect_summary = a.suspect_summary
    out.ancestor_count = a.ancestor_count
    out.suspects_rows = suspects.length
    out.suspects_sha256 = sha256(suspects)
    // Every ranked suspect with its numbers, in list order.
    out.suspects = suspects
      .filter((s) => s.rank !== null)
      .map((s) => [s.factor_type, s.name, s.station, s.rank, s.lots, s.defective_lots, s.p_value, s.q_value, s.significant, s.explained_by_name, s.onset])
  }
  return out
}

describe('MSD results on the demo plant are unchanged', () => {
  let dir: string
  let summary: DemoSummary
  let source: MesSource

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-msd-golden-'))
    summary = await generateDemoPlant({ out: join(dir, 'plant.sqlite') })
    ;({ source } = await openSource(parseSourceSpec(summary.out)))
  }, 120_000)

  afterAll(async () => {
    await source?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('backward over the demo window: KPI, suspects with p-values, detail rows as recorded; each step announced as it starts', async () => {
    const announced: MsdAnalysisProgress[] = []
    const stageMs: Partial<Record<MsdAnalysisStep, number>> = {}
    const run = await runMsd<BackwardAggregation>(source, { mode: 'date_range', start_date: summary.startDate, end_date: summary.endDate }, undefined, {
      onProgress: (p) => announced.push(p),
      stageMs,
    })
    try {
      const fingerprint = await fingerprintOf(run)
      await expect(`${JSON.stringify(fingerprint, null, 1)}\n`).toMatchFileSnapshot('./__snapshots__/msd-golden-backward.json')
      // Every step of the direction, in order, with the number done before it; and each was timed.
      expect(announced.map((p) => [p.step, p.steps_done, p.steps_total])).toEqual(MSD_DIRECTION_STEPS.backward.map((step, i) => [step, i, 9]))
      expect(Object.keys(stageMs).sort()).toEqual([...MSD_DIRECTION_STEPS.backward].sort())
    } finally {
      await run.cleanup()
    }
  }, 180_000)

  it('backward with the factor links read from the source, no upstream or material events fetched: the same results as recorded', async () => {
    const run = await runMsd<BackwardAggregation>(source, { mode: 'date_range', start_date: summary.startDate, end_date: summary.endDate }, [], { factorLinks: 'source' })
    try {
      // Nothing of the two domains was copied: the source summarized them.
      expect(run.outcome.rows).toEqual({})
      expect(run.reader.domainCounts()).toEqual({})
      const fingerprint = await fingerprintOf(run)
      await expect(`${JSON.stringify(fingerprint, null, 1)}\n`).toMatchFileSnapshot('./__snapshots__/msd-golden-backward.json')
    } finally {
      await run.cleanup()
    }
  }, 180_000)

  it('forward from the demo window: KPI and detail rows as recorded', async () => {
    const announced: MsdAnalysisProgress[] = []
    const params = { mode: 'date_range', start_date: summary.startDate, end_date: summary.endDate, direction: 'forward' }
    const run = await runMsd<ForwardAggregation>(source, params, undefined, { onProgress: (p) => announced.push(p) })
    try {
      const fingerprint = await fingerprintOf(run)
      await expect(`${JSON.stringify(fingerprint, null, 1)}\n`).toMatchFileSnapshot('./__snapshots__/msd-golden-forward.json')
      expect(announced.map((p) => [p.step, p.steps_done, p.steps_total])).toEqual(MSD_DIRECTION_STEPS.forward.map((step, i) => [step, i, 5]))
    } finally {
      await run.cleanup()
    }
  }, 180_000)

  it('forward from molding with the downstream rows read from the source: the same aggregation and detail as from the events', async () => {
    const params = { mode: 'date_range', start_date: summary.startDate, end_date: summary.endDate, direction: 'forward', station: '成型' }
    const local = await runMsd<ForwardAggregation>(source, params)
    const pushed = await runMsd<ForwardAggregation>(source, params, [], { factorLinks: 'source' })
    try {
      expect(pushed.reader.domainCounts()).toEqual({})
      // Molding has stations after it: rows, rejects and machines downstream to compare.
      expect(local.reader.domainCounts().downstream_rejects).toBeGreaterThan(1000)
      expect(local.aggregation.charts.by_downstream_station.length).toBeGreaterThan(3)
      expect(local.aggregation.charts.by_downstream_loss_reason.length).toBeGreaterThan(1)
      expect(pushed.aggregation).toEqual(local.aggregation)
      expect(await pushed.rows('detail')).toEqual(await local.rows('detail'))
    } finally {
      await local.cleanup()
      await pushed.cleanup()
    }
  }, 180_000)

  it('forward with the downstream rows read from the source, no upstream or reject events fetched: the same results as recorded', async () => {
    const params = { mode: 'date_range', start_date: summary.startDate, end_date: summary.endDate, direction: 'forward' }
    const run = await runMsd<ForwardAggregation>(source, params, [], { factorLinks: 'source' })
    try {
      expect(run.reader.domainCounts()).toEqual({})
      const fingerprint = await fingerprintOf(run)
      await expect(`${JSON.stringify(fingerprint, null, 1)}\n`).toMatchFileSnapshot('./__snapshots__/msd-golden-forward.json')
    } finally {
      await run.cleanup()
    }
  }, 180_000)
})
