/**
 * Stage times on the command line, on a small demo plant: `run --json` carries `stage_ms` with
 * every stage the trace ran (each a number ≥ 0, the parts adding up to at most the total), `show`
 * prints them, and a result file whose manifest has none (an earlier version's) still imports and
 * shows, without them.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { inspectResultFile, openResultFile } from '../../../main/store/index.js'
import type { StageTimings } from '../../../shared/stage-timings.js'
import type { Domain } from '../../../shared/trace.js'
import { runCli, runCliJson } from '../../fixtures/cli-io.js'


interface RunAnswer {
  job_id: string
  status: string
  result_file: string
  stage_ms: StageTimings | null
}

/** Sums of tenths of a millisecond in floating point may land a hair above the exact value. */
const EPSILON = 1e-6

/** Every stage present, a number ≥ 0, and the parts within their whole. */
function expectWellFormed(ms: StageTimings | null, domains: readonly Domain[], steps: readonly string[]): void {
  expect(ms).not.toBeNull()
  const s = ms!
  for (const key of ['resolve', 'lineage', 'events', 'sort_index', 'finish', 'total'] as const) {
    expect(typeof s[key], key).toBe('number')
    expect(s[key], key).toBeGreaterThanOrEqual(0)
  }
  expect(Object.keys(s.domains).sort()).toEqual([...domains].sort())
  let writes = 0
  for (const [domain, d] of Object.entries(s.domains)) {
    for (const part of ['fetch', 'write'] as const) {
      expect(typeof d[part], `${domain}.${part}`).toBe('number')
      expect(d[part], `${domain}.${part}`).toBeGreaterThanOrEqual(0)
    }
    // A domain's reads happen inside the event stage; the writes are serialized, so they add up within it.
    expect(d.fetch, `${domain}.fetch`).toBeLessThanOrEqual(s.events + EPSILON)
    writes += d.write
  }
  expect(writes).toBeLessThanOrEqual(s.events + EPSILON)
  expect(Object.keys(s.analysis)).toEqual(steps)
  const analysis = Object.values(s.analysis)
  for (const value of analysis) {
    expect(typeof value).toBe('number')
    expect(value).toBeGreaterThanOrEqual(0)
  }
  const parts = s.resolve + s.lineage + s.events + analysis.reduce((a, b) => a + b, 0) + s.sort_index + s.finish
  expect(parts).toBeLessThanOrEqual(s.total + EPSILON)
  // Something was measured: a run that read and wrote rows took some time.
  expect(s.total).toBeGreaterThan(0)
}

const BACKWARD_STEPS = ['detection', 'lot_map', 'factor_tables', 'aggregate', 'families', 'ranking', 'explain', 'detail', 'suspects']
const FORWARD_STEPS = ['detection', 'lot_map', 'factor_tables', 'aggregate', 'detail']

describe('stage times on the command line', () => {
  let dir: string
  let dataDir: string
  let plant: DemoSummary
  let backward: RunAnswer
  let forward: RunAnswer
  let lots: RunAnswer

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-stage-times-'))
    dataDir = join(dir, 'data')
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 600, seed: 'stage-times' })
    const source = ['--source', `sqlite:${plant.out}`, '--data-dir', dataDir]
    const msd = [...source, '--profile', 'mid_section_defect', '--from', plant.startDate, '--to', plant.endDate]
    backward = await runCliJson<RunAnswer>('run', ...msd)
    forward = await runCliJson<RunAnswer>('run', ...msd, '--direction', 'forward', '--station', '成型')
    const db = new Database(plant.out, { readonly: true })
    const lotIds = (db.prepare('SELECT CONTAINERNAME FROM DW_MES_CONTAINER ORDER BY CONTAINERNAME LIMIT 3').pluck().all() as string[]).join(',')
    db.close()
    lots = await runCliJson<RunAnswer>('run', ...source, '--profile', 'query_tool', '--lot-ids', lotIds, '--domains', 'history,materials,rejects')
  }, 240_000)

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('gives every stage of an MSD backward run in run --json, the parts within the total', () => {
    expect(backward.status).toBe('finished')
    expectWellFormed(backward.stage_ms, ['upstream_history', 'materials'], BACKWARD_STEPS)
  })

  it('gives the forward analysis its own steps', () => {
    expect(forward.status).toBe('finished')
    expectWellFormed(forward.stage_ms, ['upstream_history', 'downstream_rejects'], FORWARD_STEPS)
  })

  it('has no analysis steps for a lot trace, and a fetch and a write for each requested domain', () => {
    expect(lots.status).toBe('finished')
    expectWellFormed(lots.stage_ms, ['history', 'materials', 'rejects'], [])
  })

  it('stores the record in the result file, where show reads it', async () => {
    expect(openResultFile(backward.result_file).manifest().stage_ms).toEqual(backward.stage_ms)
    const shown = await runCliJson<{ result: { stage_ms: StageTimings | null } }>('show', backward.job_id, '--data-dir', dataDir)
    expect(shown.result.stage_ms).toEqual(backward.stage_ms)
  })

  it('prints the stage table in show, with each stage and its share', async () => {
    const r = await runCli('show', backward.job_id, '--data-dir', dataDir)
    expect(r.code, r.err).toBe(0)
    const table = r.out.slice(r.out.indexOf('Stage times'))
    expect(table.split('\n')[1]).toMatch(/^ {2}stage +ms +share$/)
    const s = backward.stage_ms!
    for (const [stage, ms] of [
      ['resolve', s.resolve],
      ['lineage', s.lineage],
      ['events', s.events],
      ['upstream_history.fetch', s.domains.upstream_history!.fetch],
      ['upstream_history.write', s.domains.upstream_history!.write],
      ['materials.fetch', s.domains.materials!.fetch],
      ['materials.write', s.domains.materials!.write],
      ...BACKWARD_STEPS.map((step) => [step, s.analysis[step as keyof StageTimings['analysis']]!] as const),
      ['sort_index', s.sort_index],
      ['finish', s.finish],
    ] as const) {
      const share = s.total > 0 ? (ms / s.total) * 100 : 0
      expect(table, stage).toMatch(new RegExp(`\\n {2,}${stage.replace('.', '\\.')} +${ms.toFixed(1).replace('.', '\\.')} +${share.toFixed(1).replace('.', '\\.')} %\\n`))
    }
    expect(table).toMatch(new RegExp(`\\n {2}total +${s.total.toFixed(1).replace('.', '\\.')}\\n`))
  })

  it('opens a result file whose manifest has no stage times, and shows it without them', async () => {
    const older = join(dir, 'older.sqlite')
    await copyFile(lots.result_file, older)
    const db = new Database(older)
    expect(db.prepare("DELETE FROM manifest WHERE key = 'stage_ms'").run().changes).toBe(1)
    db.close()
    expect(openResultFile(older).manifest().stage_ms).toBeUndefined()
    expect(() => inspectResultFile(older)).not.toThrow()
    const imported = await runCliJson<{ job_id: string }>('import', older, '--data-dir', dataDir)
    const shown = await runCliJson<{ result: { stage_ms: StageTimings | null; seed_count: number } }>('show', imported.job_id, '--data-dir', dataDir)
    expect(shown.result.stage_ms).toBeNull()
    expect(shown.result.seed_count).toBe(3)
    const text = await runCli('show', imported.job_id, '--data-dir', dataDir)
    expect(text.code, text.err).toBe(0)
    expect(text.out).not.toContain('Stage times')
  })

  it('refuses to import a file whose stage times do not hold together', async () => {
    const bad = join(dir, 'bad.sqlite')
    await copyFile(lots.result_file, bad)
    const db = new Database(bad)
    db.prepare("UPDATE manifest SET value = ? WHERE key = 'stage_ms'").run(JSON.stringify({ ...lots.stage_ms, total: -5 }))
    db.close()
    const r = await runCli('import', bad, '--data-dir', dataDir, '--json')
    expect(r.code).not.toBe(0)
    expect(r.out + r.err).toContain('import/invalid')
    expect(r.out + r.err).toContain('stage_ms')
  })
})
