/**
 * The backward detail's suspect-hit columns and the aggregation's ancestor count on the demo plant
 * (2000 lots), each against a brute-force check: a lot's hits are worked out here from its own
 * upstream lists and the whole stored suspect list (every significant suspect, not a chart's top
 * ten); the ancestors from the trace's lineage.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { openSource, parseSourceSpec, type MesSource } from '../../../main/sources/index.js'
import { parseMaterialKey, type BackwardAggregation } from '../../../shared/msd.js'
import { runMsd, type MsdRun } from '../../fixtures/msd-kit.js'

describe('suspect hits of the backward detail (demo plant, 2000 lots)', () => {
  let dir: string
  let summary: DemoSummary
  let source: MesSource
  let run: MsdRun<BackwardAggregation>

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-msd-hits-'))
    summary = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 2000 })
    ;({ source } = await openSource(parseSourceSpec(summary.out)))
    run = await runMsd<BackwardAggregation>(source, {
      mode: 'date_range',
      start_date: summary.startDate,
      end_date: summary.endDate,
      station: summary.planted.bad_machine.detection_station,
    })
  }, 180_000)

  afterAll(async () => {
    await run?.cleanup()
    await source?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('lists, per lot, every significant suspect it touched, in list order, and counts them', async () => {
    const suspects = await run.rows('suspects')
    const significant = suspects.filter((s) => s.significant === 'yes')
    expect(significant.length).toBeGreaterThan(0)
    expect(significant.length).toBe(run.aggregation.suspect_summary.significant)
    const split = (v: unknown): Set<string> => new Set(String(v ?? '').split(', ').filter((x) => x !== ''))
    const detail = await run.rows('detail')
    expect(detail.length).toBe(run.aggregation.detail_total_count)
    let lotsWithHits = 0
    for (const row of detail) {
      const machines = split(row.UPSTREAM_MACHINES)
      const materials = split(row.UPSTREAM_MATERIALS)
      const expected: string[] = []
      for (const s of significant) {
        let label: string | null = null
        if (s.factor_type === 'machine' && machines.has(`${s.station}/${s.name}`)) label = `${s.station}/${s.name}`
        if (s.factor_type === 'material') {
          const { part, lot } = parseMaterialKey(String(s.name))
          const item = lot ? `${part}/${lot}` : part
          if (materials.has(item)) label = item
        }
        if (s.factor_type === 'wafer_root' && row.WAFER_ROOT === s.name) label = String(s.name)
        if (label !== null && !expected.includes(label)) expected.push(label)
      }
      expect([row.CONTAINERNAME, row.SUSPECT_HITS], String(row.CONTAINERNAME)).toEqual([row.CONTAINERNAME, expected.join(', ')])
      expect(row.SUSPECT_HIT_COUNT).toBe(expected.length)
      if (expected.length > 0) lotsWithHits++
    }
    // Not vacuous: the planted bonder's lots are hit.
    expect(lotsWithHits).toBeGreaterThan(10)
    const bonder = summary.planted.bad_machine
    const bonderRows = detail.filter((r) => split(r.UPSTREAM_MACHINES).has(`${bonder.station}/${bonder.equipment_name}`))
    expect(bonderRows.length).toBeGreaterThan(0)
    for (const r of bonderRows) expect(String(r.SUSPECT_HITS).split(', ')).toContain(`${bonder.station}/${bonder.equipment_name}`)
  })

  it('counts the distinct upstream containers of the detection lots, the lots themselves left out', () => {
    const lineage = run.reader.lineage()
    expect(lineage?.direction).toBe('backward')
    const seeds = new Set(run.outcome.seeds.seeds.map((s) => s.container_id))
    const ancestors = new Set<string>()
    if (lineage?.direction === 'backward') {
      for (const seed of seeds) for (const a of lineage.ancestors[seed] ?? []) if (!seeds.has(a)) ancestors.add(a)
    }
    expect(ancestors.size).toBeGreaterThan(0)
    expect(run.aggregation.ancestor_count).toBe(ancestors.size)
  })

  it('sorts and filters the stored hit columns like any other', () => {
    const page = run.reader.msdPage('detail', { sort: { column: 'SUSPECT_HIT_COUNT', direction: 'desc' }, filter: [{ column: 'SUSPECT_HIT_COUNT', op: 'gte', value: 1 }], limit: 500 })
    expect(page.rows.length).toBeGreaterThan(0)
    const counts = page.rows.map((r) => Number(r.SUSPECT_HIT_COUNT))
    expect(counts.every((c) => c >= 1)).toBe(true)
    expect([...counts].sort((a, b) => b - a)).toEqual(counts)
  })
})
