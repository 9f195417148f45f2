/**
 * A trace that finds nothing says so and why, through the command line (`run`, `show`) and the
 * service contract (`jobs:status`, `results:summary`): no lot tracked in at the station in the
 * range (with where the source's data is), or no input known. A trace that found lots stays `ok`.
 */
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCliEngine, type CliEngine } from '../../../main/cli/cli-engine.js'
import { main } from '../../../main/cli/main.js'
import { ResultService } from '../../../main/results/index.js'
import { createServices, ServiceRouter } from '../../../main/transport/index.js'
import { captureIo } from '../../fixtures/cli-io.js'
import { callOf, endedJob } from '../../fixtures/services-kit.js'
import { createFixtureSource, SPLIT_LOT_ROWS, type FixtureSource } from '../../fixtures/source-fixture.js'

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(argv, io)
  return { code, out: io.out, err: io.err }
}

describe('an empty trace explains itself', () => {
  let fx: FixtureSource
  let dataDir: string
  beforeAll(async () => {
    fx = await createFixtureSource({
      ...SPLIT_LOT_ROWS,
      DW_MES_LOTREJECTHISTORY: [{ CONTAINERID: 'k1', WORKCENTERNAME: 'TMTT', LOSSREASONNAME: '001_CRACK', TXNDATE: '2026-01-03 09:00:00', REJECTQTY: 3 }],
    })
    dataDir = join(dirname(fx.path), 'data')
  })
  afterAll(async () => fx.cleanup())

  it('run and show: an MSD range without lots is a warning naming the station, the range and the source’s data', async () => {
    const run = await cli('run', '--source', `sqlite:${fx.path}`, '--profile', 'mid_section_defect', '--station', '測試', '--from', '2026-02-01', '--to', '2026-02-07', '--data-dir', dataDir)
    expect(run.code, run.err).toBe(0)
    const sentence = 'nothing to trace: no lot was tracked in at 測試 from 2026-02-01 to 2026-02-07; the source has track-ins there from 2026-01-03 to 2026-01-03'
    expect(run.out).toContain(`Warning       ${sentence}\n`)
    const json = JSON.parse((await cli('run', '--source', `sqlite:${fx.path}`, '--profile', 'mid_section_defect', '--station', '測試', '--from', '2026-02-01', '--to', '2026-02-07', '--data-dir', dataDir, '--json')).out) as {
      job_id: string
      status: string
      outcome: unknown
    }
    expect(json.status).toBe('finished')
    expect(json.outcome).toEqual({
      status: 'warning',
      reason: 'no_lots_in_window',
      station: '測試',
      start_date: '2026-02-01',
      end_date: '2026-02-07',
      input_count: 0,
      source_window: { first: '2026-01-03T08:00:00', last: '2026-01-03T08:00:00' },
    })
    const shown = await cli('show', json.job_id, '--data-dir', dataDir)
    expect(shown.out).toContain(`Warning       ${sentence}\n`)
  })

  it('run: typed lots that are all unknown are a warning; found lots are not', async () => {
    const unknown = await cli('run', '--source', `sqlite:${fx.path}`, '--profile', 'query_tool', '--lot-ids', 'NOPE-1,NOPE-2', '--data-dir', dataDir, '--json')
    expect(JSON.parse(unknown.out)).toMatchObject({ status: 'finished', outcome: { status: 'warning', reason: 'inputs_unknown', input_count: 2 } })
    const found = await cli('run', '--source', `sqlite:${fx.path}`, '--profile', 'query_tool', '--lot-ids', 'GA26010001-A01', '--data-dir', dataDir)
    expect(found.code).toBe(0)
    expect(found.out).not.toContain('nothing to trace')
  })

  describe('through the services', () => {
    let store: CliEngine
    let call: ReturnType<typeof callOf>
    beforeAll(() => {
      store = openCliEngine(join(dirname(fx.path), 'services'), {}, () => {})
      call = callOf(new ServiceRouter({ handlers: createServices({ engine: store.engine, results: new ResultService(store.engine), catalog: store.catalog, dataDir: store.dataDir, appVersion: '9.9.9' }) }))
    })
    afterAll(async () => {
      await store?.engine.shutdown(1000)
      store?.catalog.close()
    })

    it('answers the data window and loss reasons of a saved source, and marks an empty job and its result', async () => {
      const source = await call('sources:add', { name: 'Fixture', kind: 'sqlite', path: fx.path })
      const window = await call('sources:data-window', { id: source.id })
      expect(window.stations['測試']).toEqual({ first: '2026-01-03T08:00:00', last: '2026-01-03T08:00:00' })
      expect(await call('sources:loss-reasons', { id: source.id, station: '測試' })).toEqual({ station: '測試', reasons: ['001_CRACK'], since: '2026-01-03', until: '2026-01-03' })
      await expect(call('sources:loss-reasons', { id: source.id, station: 'NOPE' })).rejects.toThrow(/^input\/invalid: station:/)

      const empty = await call('jobs:enqueue', { request: { profile: 'mid_section_defect', params: { direction: 'backward', mode: 'date_range', station: '測試', start_date: '2026-03-01', end_date: '2026-03-07' } }, source_id: source.id })
      const job = await endedJob(call, empty.job_id)
      expect(job.status).toBe('finished')
      expect(job.outcome).toMatchObject({ status: 'warning', reason: 'no_lots_in_window', station: '測試', start_date: '2026-03-01', end_date: '2026-03-07', source_window: null })
      expect((await call('results:summary', { job_id: empty.job_id })).outcome).toMatchObject({ status: 'warning', source_window: { first: '2026-01-03T08:00:00', last: '2026-01-03T08:00:00' } })

      // The recorded window travels with the file: an imported copy explains itself the same way.
      const copy = await call('jobs:export', { job_id: empty.job_id, format: 'sqlite' })
      const imported = await call('jobs:import', { path: copy.files[0]!.path })
      expect(imported.outcome).toMatchObject({ status: 'warning', reason: 'no_lots_in_window' })
      expect((await call('results:summary', { job_id: imported.job_id })).outcome).toMatchObject({ source_window: { first: '2026-01-03T08:00:00', last: '2026-01-03T08:00:00' } })

      const found = await call('jobs:enqueue', { request: { profile: 'mid_section_defect', params: { direction: 'backward', mode: 'date_range', station: '測試', start_date: '2026-01-01', end_date: '2026-01-07' } }, source_id: source.id })
      expect((await endedJob(call, found.job_id)).outcome).toEqual({ status: 'ok' })
      expect((await call('results:summary', { job_id: found.job_id })).outcome).toEqual({ status: 'ok' })
    })
  })
})
