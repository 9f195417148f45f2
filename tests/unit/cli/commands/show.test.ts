import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../../../main/cli/main.js'
import { catalogPathOf, openCatalog, type StoredLogEntry } from '../../../../main/store/index.js'
import { normalizeTraceRequest } from '../../../../shared/trace-request.js'
import { captureIo } from '../../../fixtures/cli-io.js'

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(argv, io)
  return { code, out: io.out, err: io.err }
}

const REQUEST = normalizeTraceRequest({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['GA26010001-A01'] } })

const LOG: StoredLogEntry[] = [
  { at: Date.UTC(2026, 10, 30, 8, 0, 1), level: 'info', message: 'started' },
  { at: Date.UTC(2026, 10, 30, 8, 0, 2), level: 'warn', message: 'DW_MES_WIP missing: no WIP\u001b[2J shown.\nsecond line' },
  {
    at: Date.UTC(2026, 10, 30, 8, 0, 3),
    level: 'error',
    message: 'The source stopped answering.',
    detail: 'Error: The source stopped answering.\n    at fetch (events.js:1:1)\nCaused by: Error: ECONNRESET',
  },
]

describe('mes-trace show: the job log', () => {
  let root: string
  let dataDir: string
  const failed = 'trace-evt-cccccccccccc'
  const quiet = 'trace-evt-dddddddddddd'
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mes-trace-show-log-'))
    dataDir = join(root, 'data')
    const catalog = openCatalog(catalogPathOf(dataDir))
    const job = { profile: REQUEST.profile, direction: REQUEST.direction, request: REQUEST, source_id: 'sqlite:/nowhere/plant.sqlite' }
    catalog.insertJob({ job_id: failed, ...job, log: LOG })
    catalog.completeJob(failed, { status: 'failed', ttlMs: 60_000, error_code: 'source/unreachable', error_message: 'The source stopped answering.' })
    catalog.insertJob({ job_id: quiet, ...job })
    catalog.close()
  })
  afterAll(async () => rm(root, { recursive: true, force: true }))

  it('lists every entry oldest first, a message of several lines indented, control characters shown and no stack', async () => {
    const r = await cli('show', failed, '--data-dir', dataDir)
    expect([r.code, r.err]).toEqual([0, ''])
    const log = r.out.slice(r.out.indexOf('\n\nLog\n') + 2).split('\n')
    expect(log).toEqual([
      'Log',
      expect.stringMatching(/^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? {2}info {3}started$/),
      expect.stringMatching(/^ {2}\S+ \S+ {2}warn {3}DW_MES_WIP missing: no WIP\ufffd\[2J shown\.$/),
      expect.stringMatching(/^ {30,}second line$/),
      expect.stringMatching(/^ {2}\S+ \S+ {2}error {2}The source stopped answering\.$/),
      '  (--verbose shows the stack of each error)',
      '',
    ])
    expect(r.out).not.toContain('ECONNRESET')
  })

  it('adds the stack and causes of an error under it with --verbose', async () => {
    const r = await cli('show', failed, '--verbose', '--data-dir', dataDir)
    expect(r.code).toBe(0)
    const lines = r.out.split('\n')
    const error = lines.findIndex((l) => l.includes('error  The source stopped answering.'))
    const indent = ' '.repeat(lines[error]!.indexOf('The source'))
    expect(lines.slice(error + 1, error + 4)).toEqual([
      `${indent}Error: The source stopped answering.`,
      `${indent}    at fetch (events.js:1:1)`,
      `${indent}Caused by: Error: ECONNRESET`,
    ])
    expect(r.out).not.toContain('--verbose shows')
  })

  it('answers the whole log, detail included, in --json', async () => {
    const r = await cli('show', failed, '--json', '--data-dir', dataDir)
    const json = JSON.parse(r.out) as { job: { log: StoredLogEntry[]; status: string; cancel_requested: boolean } }
    expect(json.job.log).toEqual(LOG)
    expect(json.job).toMatchObject({ status: 'failed', cancel_requested: false })
  })

  it('prints no Log section for a job without entries', async () => {
    const r = await cli('show', quiet, '--data-dir', dataDir)
    expect(r.code).toBe(0)
    expect(r.out).toContain('Status        queued\n')
    expect(r.out).not.toContain('Log')
    expect(JSON.parse((await cli('show', quiet, '--json', '--data-dir', dataDir)).out).job.log).toEqual([])
  })
})
