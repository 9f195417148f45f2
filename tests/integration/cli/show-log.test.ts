/**
 * A job's log through the command line: a schema warning raised in the trace worker (a source
 * without an optional table) is kept with the job and shown by `mes-trace show`.
 */
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../../main/cli/main.js'
import { SOURCE_TABLES } from '../../../main/sources/schema.js'
import { createFixtureSource, type FixtureSource } from '../../fixtures/source-fixture.js'
import { captureIo } from '../../fixtures/cli-io.js'

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(argv, io)
  return { code, out: io.out, err: io.err }
}

describe('mes-trace show: what the worker logged', () => {
  let fx: FixtureSource
  let dataDir: string
  beforeAll(async () => {
    fx = await createFixtureSource(
      {
        DW_MES_CONTAINER: [{ CONTAINERID: 'p1', CONTAINERNAME: 'GA26010001-A01', MFGORDERNAME: 'GA26010001', OBJECTTYPE: 'LOT' }],
        DW_MES_LOTWIPHISTORY: [
          { CONTAINERID: 'p1', WORKCENTERNAME: '成型', EQUIPMENTID: 'e1', EQUIPMENTNAME: 'GMOA-0001', TRACKINTIMESTAMP: '2026-01-02 08:00:00', TRACKINQTY: 1000 },
        ],
      },
      // Without the optional machine table: a trace still runs, with a warning.
      { tables: SOURCE_TABLES.map((t) => t.name).filter((name) => name !== 'DW_MES_RESOURCE') },
    )
    dataDir = join(dirname(fx.path), 'data')
  })
  afterAll(async () => fx.cleanup())

  it('shows the source’s schema warning under Log, and answers it in --json', async () => {
    const run = await cli('run', '--source', `sqlite:${fx.path}`, '--profile', 'query_tool', '--lot-ids', 'GA26010001-A01', '--json', '--data-dir', dataDir)
    expect(run.code, run.err).toBe(0)
    const jobId = (JSON.parse(run.out) as { job_id: string }).job_id

    const shown = await cli('show', jobId, '--data-dir', dataDir)
    expect(shown.code).toBe(0)
    expect(shown.out).toContain('Status        finished\n')
    expect(shown.out).toMatch(/\n\nLog\n {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}warn {3}DW_MES_RESOURCE missing: machine families are shown as \(未知\)\.\n/)

    const json = JSON.parse((await cli('show', jobId, '--json', '--data-dir', dataDir)).out) as { job: { log: { level: string; message: string }[] } }
    expect(json.job.log.filter((e) => e.level === 'warn').map((e) => e.message)).toEqual(['DW_MES_RESOURCE missing: machine families are shown as (未知).'])
  })
})
