/**
 * What a job leaves behind: the original's job-service scenarios (domain.md §9.1) through the
 * engine — result paging by domain/offset/limit, a failed domain that still finishes the job —
 * and a full disk (a capped result file) that fails the job without leaving anything behind.
 * Uses the compiled trace worker (`npm run build:main`).
 */
import { existsSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../../../main/cli/main.js'
import { generateDemoPlant } from '../../../main/demo/index.js'
import type { JobEngine } from '../../../main/engine/index.js'
import { ResultService } from '../../../main/results/index.js'
import { catalogPathOf, openCatalog, resultsDirOf, type Catalog } from '../../../main/store/index.js'
import type { EngineSettings } from '../../../shared/settings.js'
import { captureIo } from '../../fixtures/cli-io.js'
import { writeFixtureFile } from '../../fixtures/source-fixture.js'
import { testEngine } from './worker-kit.js'

const wip = (cid: string, day: string) => ({
  CONTAINERID: cid, WORKCENTERNAME: 'TMTT', EQUIPMENTID: 'e1', EQUIPMENTNAME: 'GTMA-0001', TRACKINTIMESTAMP: `2026-01-${day} 08:00:00`, TRACKINQTY: 100,
})

describe('job results', () => {
  let dir: string
  let catalog: Catalog
  let engine: JobEngine | undefined
  let results: ResultService | undefined

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-results-'))
    catalog = openCatalog(catalogPathOf(dir))
  })

  afterEach(async () => {
    results?.close()
    results = undefined
    await engine?.shutdown()
    engine = undefined
    catalog.close()
    await rm(dir, { recursive: true, force: true })
  })

  function start(overrides: Partial<EngineSettings> = {}): JobEngine {
    engine = testEngine({ catalog, resultsDir: resultsDirOf(dir), settings: overrides })
    engine.start()
    return engine
  }

  it('pages one domain by offset and limit and keeps a failed domain out of a still-finished job', async () => {
    // A source whose holds "table" is a view that fails at read time (malformed JSON in a column):
    // the holds domain fails, every other domain is complete, and the job still finishes.
    const path = join(dir, 'source.sqlite')
    const lots = ['c1', 'c2', 'c3'].map((id, i) => ({ CONTAINERID: id, CONTAINERNAME: `GA26010001-A0${i + 1}`, MFGORDERNAME: 'GA26010001', OBJECTTYPE: 'LOT' }))
    writeFixtureFile(
      path,
      { DW_MES_CONTAINER: lots, DW_MES_LOTWIPHISTORY: [wip('c1', '02'), wip('c2', '03'), wip('c3', '04')] },
      { tables: ['DW_MES_CONTAINER', 'DW_MES_LOTWIPHISTORY', 'DW_MES_LOTREJECTHISTORY', 'DW_MES_LOTMATERIALSHISTORY', 'DW_MES_JOB', 'DW_MES_PJ_COMBINEDASSYLOTS'] },
    )
    const db = new Database(path)
    db.exec(`CREATE TABLE HOLDS_RAW (CONTAINERID TEXT);
      INSERT INTO HOLDS_RAW VALUES ('c1');
      CREATE VIEW DW_MES_HOLDRELEASEHISTORY AS SELECT CONTAINERID, NULL AS WORKCENTERNAME, NULL AS HOLDTXNDATE,
        NULL AS HOLDEMP, NULL AS HOLDEMPDEPTNAME, NULL AS HOLDREASONNAME, NULL AS HOLDCOMMENTS, NULL AS RELEASETXNDATE,
        NULL AS RELEASEEMP, NULL AS RELEASECOMMENTS, json('not json') AS NCRID FROM HOLDS_RAW;`)
    db.close()
    const e = start()
    const { jobId } = e.enqueue(
      { profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['GA26010001-A0*'] }, domains: ['history', 'holds'] },
      { source: { kind: 'sqlite', path } },
    )
    await e.whenIdle()
    const row = e.status(jobId)
    expect([row.status, row.error_code]).toEqual(['finished', null])
    expect(row.quality).toBe('partial')
    results = new ResultService(e)
    const manifest = results.reader(jobId).manifest()
    expect(manifest.domain_quality.history?.status).toBe('complete')
    expect(manifest.domain_quality.holds?.status).toBe('failed')
    expect(manifest.quality).toMatchObject({ status: 'partial', failed_domains: ['holds'] })
    expect(manifest.quality?.reasons).toContain('domain_failure')
    // Paging: the second row of history only, with the stored total.
    const all = results.page(jobId, 'history', { limit: 10 })
    expect(all.total).toBe(3)
    const page = results.page(jobId, 'history', { offset: 1, limit: 1 })
    expect(page).toMatchObject({ total: 3, offset: 1, limit: 1 })
    expect(page.rows).toEqual([all.rows[1]])
    expect(results.page(jobId, 'holds', { limit: 10 }).total).toBe(0)
  })

  it('fails with a source/* code when the source fails mid-run (after seeds, in the genealogy)', async () => {
    const path = join(dir, 'source.sqlite')
    writeFixtureFile(
      path,
      { DW_MES_CONTAINER: [{ CONTAINERID: 'c1', CONTAINERNAME: 'GA26010001-A01', MFGORDERNAME: 'GA26010001', OBJECTTYPE: 'LOT' }] },
      { tables: ['DW_MES_CONTAINER', 'DW_MES_LOTWIPHISTORY', 'DW_MES_LOTREJECTHISTORY', 'DW_MES_LOTMATERIALSHISTORY', 'DW_MES_HOLDRELEASEHISTORY', 'DW_MES_JOB'] },
    )
    const db = new Database(path)
    db.exec(`CREATE TABLE MERGES_RAW (CONTAINERID TEXT, LOTID TEXT);
      INSERT INTO MERGES_RAW VALUES ('c0', 'c1');
      CREATE VIEW DW_MES_PJ_COMBINEDASSYLOTS AS SELECT json_extract('broken', '$') || CONTAINERID AS CONTAINERID, NULL AS CONTAINERNAME, LOTID, NULL AS FINISHEDNAME,
        NULL AS PJ_WORKORDER, NULL AS PJ_COMBINEDRATIO, NULL AS PJ_GOODDIEQTY, NULL AS ORIGINALSTARTDATE FROM MERGES_RAW;`)
    db.close()
    const e = start()
    const { jobId } = e.enqueue({ profile: 'query_tool_reverse', params: { resolve_type: 'gd_lot_id', values: ['GD*0001'] } }, { source: { kind: 'sqlite', path } })
    const direct = e.enqueue({ profile: 'mid_section_defect', params: { mode: 'container', resolve_type: 'lot_id', values: ['GA26010001-A01'] } }, { source: { kind: 'sqlite', path } })
    await e.whenIdle()
    expect(e.status(jobId).status).toBe('finished')
    expect(e.status(direct.jobId)).toMatchObject({ status: 'failed', error_code: 'source/query-failed' })
    expect(e.status(direct.jobId).error_message).toContain('Lineage query failed')
  })

  it('fails with storage/full when the result outgrows its cap, removing the partial file and keeping the catalog sound', async () => {
    const plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 2000, seed: 'full-disk' })
    const e = start({ TRACE_RESULT_MAX_MB: 1 })
    const { jobId } = e.enqueue(
      { profile: 'mid_section_defect', params: { start_date: plant.startDate, end_date: plant.endDate }, domains: ['upstream_history', 'materials'] },
      { source: { kind: 'sqlite', path: plant.out } },
    )
    await e.whenIdle()
    expect(e.status(jobId), e.status(jobId).error_message ?? '').toMatchObject({ status: 'failed', error_code: 'storage/full' })
    expect(existsSync(resultsDirOf(dir)) ? readdirSync(resultsDirOf(dir)) : []).toEqual([])
    expect(catalog.integrityCheck().ok).toBe(true)
    // The same trace without the cap finishes.
    await e.shutdown()
    const again = start().enqueue(
      { profile: 'mid_section_defect', params: { start_date: plant.startDate, end_date: plant.endDate }, domains: ['upstream_history', 'materials'] },
      { source: { kind: 'sqlite', path: plant.out } },
    )
    await engine!.whenIdle()
    expect(engine!.status(again.jobId).status).toBe('finished')
  })

  it('takes engine settings as run flags, naming a bad one', async () => {
    const plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 2000, seed: 'flags' })
    const args = ['run', '--source', plant.out, '--profile', 'mid_section_defect', '--from', plant.startDate, '--to', plant.endDate, '--data-dir', join(dir, 'cli'), '--json']
    const bad = captureIo()
    expect(await main([...args, '--trace-worker-count', '0'], bad)).toBe(2)
    expect(JSON.parse(bad.out).error).toMatchObject({ code: 'input/invalid', details: { field: '--trace-worker-count' } })
    const capped = captureIo()
    expect(await main([...args, '--trace-result-max-mb', '1'], capped)).toBe(1)
    expect(JSON.parse(capped.out)).toMatchObject({ status: 'failed', error: { code: 'storage/full' } })
  })
})
