import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultDataDir } from '../../../main/cli/data-dir.js'
import { main } from '../../../main/cli/main.js'
import { requestFromFlags } from '../../../main/cli/commands/run.js'
import { createFixtureSource, type FixtureSource } from '../../fixtures/source-fixture.js'
import { captureIo } from '../../fixtures/cli-io.js'


describe('mes-trace run', () => {
  let fx: FixtureSource
  let dataDir: string
  beforeAll(async () => {
    fx = await createFixtureSource({
      DW_MES_CONTAINER: [
        { CONTAINERID: 'p1', CONTAINERNAME: 'GA26010001-A01', MFGORDERNAME: 'GA26010001', OBJECTTYPE: 'LOT' },
        { CONTAINERID: 'k1', CONTAINERNAME: 'GA26010001-A01-001', MFGORDERNAME: 'GA26010001', OBJECTTYPE: 'LOT', SPLITFROMID: 'p1' },
      ],
      DW_MES_LOTWIPHISTORY: [
        { CONTAINERID: 'p1', WORKCENTERNAME: '成型', EQUIPMENTID: 'e1', EQUIPMENTNAME: 'GMOA-0001', TRACKINTIMESTAMP: '2026-01-02 08:00:00', TRACKINQTY: 1000, TRACKOUTTIMESTAMP: '2026-01-02 09:00:00', TRACKOUTQTY: 990 },
        { CONTAINERID: 'k1', WORKCENTERNAME: 'TMTT', EQUIPMENTID: 'e2', EQUIPMENTNAME: 'GTMA-0001', TRACKINTIMESTAMP: '2026-01-03 08:00:00', TRACKINQTY: 500, TRACKOUTTIMESTAMP: '2026-01-03 09:00:00', TRACKOUTQTY: 495 },
      ],
      DW_MES_LOTREJECTHISTORY: [
        { CONTAINERID: 'k1', WORKCENTERNAME: 'TMTT', LOSSREASONNAME: '001_CRACK', REJECTQTY: 5, TXNDATE: '2026-01-03 09:00:00' },
      ],
    })
    dataDir = join(dirname(fx.path), 'data')
  })
  afterAll(async () => fx.cleanup())

  it('prints one JSON object with seeds, lineage and rows per domain', async () => {
    const io = captureIo()
    const code = await main(['run', '--source', `sqlite:${fx.path}`, '--profile', 'query_tool', '--lot-ids', 'GA26010001-A01,NOPE', '--json', '--data-dir', dataDir], io)
    expect(code).toBe(0)
    const json = JSON.parse(io.out)
    expect(json).toMatchObject({
      job_id: expect.stringMatching(/^trace-evt-[0-9a-f]{12}$/),
      cached: false,
      status: 'finished',
      seed_count: 1,
      cid_count: 2,
      not_found: ['NOPE'],
      lineage: { total_nodes: 2, edges: 1, truncated: false },
      domains: {
        history: { rows: 2, quality: 'complete' },
        materials: { rows: 0, quality: 'complete' },
        rejects: { rows: 1, quality: 'complete' },
        holds: { rows: 0, quality: 'complete' },
        jobs: { rows: 0, quality: 'complete' },
      },
      error: null,
    })
    expect(json.quality_meta.status).toBe('complete')
    expect(io.out.trim().split('\n')).toHaveLength(1)
  })

  it('streams rows to an NDJSON file', async () => {
    const file = join(dirname(fx.path), 'rows.ndjson')
    const io = captureIo()
    const code = await main(['run', '--source', fx.path, '--profile', 'query_tool', '--lot-ids', 'GA26010001-A01', '--domains', 'rejects,history', '--ndjson', file, '--data-dir', dataDir], io)
    expect(code).toBe(0)
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.filter((l) => l.domain === 'history').map((l) => l.CONTAINERID).sort()).toEqual(['k1', 'p1'])
    expect(lines.filter((l) => l.domain === 'rejects')).toHaveLength(1)
    expect(io.out).toContain('Seeds         1 container(s) from 1 input value(s)')
  })

  it('answers every input token that matched nothing, past the screenful a result summary carries', async () => {
    const { writeFile } = await import('node:fs/promises')
    const { MAX_NOT_FOUND_SHOWN } = await import('../../../shared/api.js')
    const missing = Array.from({ length: MAX_NOT_FOUND_SHOWN + 5 }, (_, i) => `NOPE-${String(i).padStart(5, '0')}`)
    const file = join(dirname(fx.path), 'many-ids.txt')
    await writeFile(file, ['GA26010001-A01', ...missing].join('\n'))
    const io = captureIo()
    const code = await main(['run', '--source', fx.path, '--profile', 'query_tool', '--ids-file', file, '--domains', 'history', '--json', '--data-dir', dataDir], io)
    expect(code).toBe(0)
    const json = JSON.parse(io.out) as { job_id: string; not_found: string[] }
    expect(json.not_found).toEqual(missing)
    const shown = captureIo()
    expect(await main(['show', json.job_id, '--json', '--data-dir', dataDir], shown)).toBe(0)
    expect((JSON.parse(shown.out) as { result: { not_found: string[] } }).result.not_found).toEqual(missing)
  })

  it('names the flag of bad input and exits 2', async () => {
    const cases: [string[], string][] = [
      [['--profile', 'query_tool', '--lot-ids', 'A'], '--source'],
      [['--source', fx.path, '--lot-ids', 'A'], '--profile'],
      [['--source', fx.path, '--profile', 'query_tool', '--lot-ids', 'A', '--serials', 'B'], '--serials'],
      [['--source', fx.path, '--profile', 'query_tool', '--lot-ids', ''], '--lot-ids'],
      [['--source', fx.path, '--profile', 'mid_section_defect', '--from', '2026-01-01', '--to', '2026-13-01'], '--to'],
      [['--source', fx.path, '--profile', 'mid_section_defect', '--from', '2026-01-01', '--to', '2026-01-02', '--station', 'X'], '--station'],
      [['--source', fx.path, '--profile', 'query_tool', '--lot-ids', 'A', '--domains', 'history,nope'], '--domains'],
      [['--source', 'mysql://x/y', '--profile', 'query_tool', '--lot-ids', 'A'], '--source'],
      [['--source', fx.path, '--profile', 'query_tool', '--lot-ids', 'A', '--ndjson', join(dirname(fx.path), 'no', 'such', 'dir.ndjson')], '--ndjson'],
    ]
    for (const [args, flag] of cases) {
      const io = captureIo()
      const code = await main(['run', ...args, '--json', '--data-dir', dataDir], io)
      const json = JSON.parse(io.out)
      expect([args.join(' '), code, json.error.code, json.error.details.field]).toEqual([args.join(' '), 2, 'input/invalid', flag])
      expect(json.error.message.startsWith(`${flag}: `)).toBe(true)
    }
  })

  it('fails with source/unreachable for a missing file and source/schema for a file without the tables', async () => {
    const io = captureIo()
    expect(await main(['run', '--source', join(dirname(fx.path), 'missing.sqlite'), '--profile', 'query_tool', '--lot-ids', 'A', '--data-dir', dataDir], io)).toBe(1)
    expect(io.err).toMatch(/^error \[source\/unreachable\] /)
    const empty = await createFixtureSource({}, { tables: ['DW_MES_CONTAINER'] })
    try {
      const io2 = captureIo()
      expect(await main(['run', '--source', empty.path, '--profile', 'query_tool', '--lot-ids', 'A', '--data-dir', dataDir], io2)).toBe(1)
      expect(io2.err).toContain('[source/schema]')
      expect(io2.err).toContain('DW_MES_LOTWIPHISTORY')
    } finally {
      await empty.cleanup()
    }
  })

  it('fails with storage/write-failed, not a hang, when the NDJSON output cannot be written', async () => {
    const io = captureIo()
    const code = await main(['run', '--source', fx.path, '--profile', 'query_tool', '--lot-ids', 'GA26010001-A01', '--ndjson', '/dev/full', '--json', '--force', '--data-dir', dataDir], io)
    expect(code).toBe(1)
    expect(JSON.parse(io.out).error.code).toBe('storage/write-failed')
  })

  it('rejects unknown commands and flags with exit code 2', async () => {
    const io = captureIo()
    expect(await main(['bogus'], io)).toBe(2)
    expect(io.err).toMatch(/^mes-trace: \[input\/invalid\] COMMAND: unknown command "bogus"; the commands are demo, run, demo-run, jobs, show, /)
    expect(io.out).toBe('')
    expect(await main(['run', '--nope'], io)).toBe(2)
    expect(await main(['demo', '--lots', 'abc'], io)).toBe(2)
    expect(io.err).toContain('--lots: must be a whole number')
  })

  it('reads ids from a file for the profile’s default input type', async () => {
    const { writeFile } = await import('node:fs/promises')
    const file = join(dirname(fx.path), 'ids.txt')
    await writeFile(file, 'GA26010001-A01\r\nGA26010001-A01-001;X\n')
    const r = await requestFromFlags({ profile: 'query_tool', 'ids-file': file })
    expect(r.seed).toEqual({ mode: 'containers', resolve_type: 'lot_id', values: ['GA26010001-A01', 'GA26010001-A01-001', 'X'] })
  })
})

describe('data directory', () => {
  it('matches Electron userData for the product name on each OS', () => {
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\e\\AppData\\Roaming' }, 'win32')).toContain('MES Trace Desktop')
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux')).toBe('/x/cfg/MES Trace Desktop')
    expect(defaultDataDir({ MES_TRACE_DATA_DIR: '/data' }, 'linux')).toBe('/data')
  })
})
