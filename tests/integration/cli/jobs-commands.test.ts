/**
 * The job commands against real jobs: two traces run through `mes-trace run` on a small fixture
 * source, then listed, shown, paged, pinned, cancelled, re-run, exported, imported elsewhere and
 * removed, asserting on the values each command prints.
 */
import { existsSync } from 'node:fs'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../../main/cli/main.js'
import { catalogPathOf, openCatalog } from '../../../main/store/index.js'
import { createFixtureSource, type FixtureSource } from '../../fixtures/source-fixture.js'
import { captureIo } from '../../fixtures/cli-io.js'
import { parseCsv } from '../../fixtures/csv.js'


/** Runs the CLI; returns the exit code and what it printed. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(argv, io)
  return { code, out: io.out, err: io.err }
}

/** Runs the CLI with `--json` and parses its one line of stdout. */
async function cliJson<T = Record<string, unknown>>(...argv: string[]): Promise<T> {
  const r = await cli(...argv, '--json')
  expect(r.code, r.err).toBe(0)
  expect(r.out.endsWith('\n') && r.out.indexOf('\n') === r.out.length - 1).toBe(true)
  return JSON.parse(r.out) as T
}

/** An equipment name that needs every kind of CSV quoting. */
const AWKWARD = 'GMOA-0002, "bay 3"\nsecond line'

interface JobJson {
  job_id: string
  status: string
  profile: string
  seed_count: number
  cid_count: number
  rows_total: number
  row_counts: Record<string, number>
  quality: string | null
  created_at: number
  completed_at: number | null
  expires_at: number | null
  pinned: boolean
  imported: boolean
  error: { code: string } | null
  result_file: string | null
}

interface Page {
  total: number
  offset: number
  limit: number
  rows: Record<string, unknown>[]
}

describe('mes-trace job commands on real jobs', () => {
  let fx: FixtureSource
  let root: string
  let dataDir: string
  let first: string
  let second: string

  beforeAll(async () => {
    const history = []
    // 9 history rows over two lots, track-in times deliberately not in insertion order.
    const hours = [5, 1, 8, 3, 7, 2, 9, 4, 6]
    for (const [i, h] of hours.entries()) {
      history.push({
        CONTAINERID: i % 2 === 0 ? 'p1' : 'k1',
        WORKCENTERNAME: i % 2 === 0 ? '成型' : 'TMTT',
        EQUIPMENTID: `e${i}`,
        EQUIPMENTNAME: i === 4 ? AWKWARD : `GMOA-000${i}`,
        TRACKINTIMESTAMP: `2026-01-02 0${h}:00:00`,
        TRACKINQTY: 1000 - i,
        TRACKOUTTIMESTAMP: `2026-01-02 0${h}:30:00`,
        TRACKOUTQTY: 990 - i,
      })
    }
    fx = await createFixtureSource({
      DW_MES_CONTAINER: [
        { CONTAINERID: 'p1', CONTAINERNAME: 'GA26010001-A01', MFGORDERNAME: 'GA26010001', OBJECTTYPE: 'LOT' },
        { CONTAINERID: 'k1', CONTAINERNAME: 'GA26010001-A01-001', MFGORDERNAME: 'GA26010001', OBJECTTYPE: 'LOT', SPLITFROMID: 'p1' },
      ],
      DW_MES_LOTWIPHISTORY: history,
      DW_MES_LOTREJECTHISTORY: [
        { CONTAINERID: 'k1', WORKCENTERNAME: 'TMTT', LOSSREASONNAME: '001_CRACK', REJECTQTY: 5, TXNDATE: '2026-01-03 09:00:00' },
      ],
    })
    root = dirname(fx.path)
    dataDir = join(root, 'data')
    const a = await cliJson<{ job_id: string; status: string }>('run', '--source', fx.path, '--profile', 'query_tool', '--lot-ids', 'GA26010001-A01,NOPE', '--data-dir', dataDir)
    const b = await cliJson<{ job_id: string; status: string }>(
      'run', '--source', fx.path, '--profile', 'query_tool', '--lot-ids', 'GA26010001-A01-001', '--domains', 'history', '--data-dir', dataDir,
    )
    expect([a.status, b.status]).toEqual(['finished', 'finished'])
    first = a.job_id
    second = b.job_id
  })
  afterAll(async () => fx.cleanup())

  it('lists both jobs newest first, as a table and as JSON', async () => {
    const jobs = await cliJson<JobJson[]>('jobs', '--data-dir', dataDir)
    expect(jobs.map((j) => j.job_id)).toEqual([second, first])
    expect(jobs[1]).toMatchObject({
      status: 'finished', profile: 'query_tool', seed_count: 1, cid_count: 2, rows_total: 10, quality: 'complete',
      row_counts: { history: 9, materials: 0, rejects: 1, holds: 0, jobs: 0 }, pinned: false, imported: false, error: null,
    })
    expect(jobs[0]).toMatchObject({ status: 'finished', row_counts: { history: 9 }, rows_total: 9 })
    expect(jobs[1]!.expires_at).toBeGreaterThan(jobs[1]!.completed_at!)
    expect(jobs[1]!.result_file).toBe(join(dataDir, 'results', `${first}.sqlite`))

    const text = await cli('jobs', '--data-dir', dataDir)
    expect(text.code).toBe(0)
    const lines = text.out.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^JOB ID +STATUS +PROFILE +SEEDS +CIDS +ROWS +QUALITY +CREATED +COMPLETED +EXPIRES +NOTE$/)
    expect(lines[1]).toMatch(new RegExp(`^${second} +finished +query_tool +1 +2 +9 +complete +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d`))
    expect(lines[2]).toMatch(new RegExp(`^${first} +finished +query_tool +1 +2 +10 +complete `))
    expect(lines[3]).toBe('2 job(s)')
    // Columns line up: the status column starts at the same place on every line.
    expect(new Set(lines.slice(0, 3).map((l) => l.search(/STATUS|finished/))).size).toBe(1)

    // Filters.
    expect((await cliJson<JobJson[]>('jobs', '--text', 'NOPE', '--data-dir', dataDir)).map((j) => j.job_id)).toEqual([first])
    expect(await cliJson<JobJson[]>('jobs', '--status', 'failed,cancelled', '--data-dir', dataDir)).toEqual([])
    expect((await cli('jobs', '--profile', 'mid_section_defect', '--data-dir', dataDir)).out).toBe('No jobs match.\n')
  })

  it('shows a finished job with its result summary', async () => {
    const json = await cliJson<{ job: JobJson & { request: { seed: { values: string[] } } }; result: Record<string, unknown> }>('show', first, '--data-dir', dataDir)
    expect(json.job).toMatchObject({ job_id: first, status: 'finished', request: { seed: { values: ['GA26010001-A01', 'NOPE'] } } })
    expect(json.result).toMatchObject({
      file_job_id: first,
      seed_count: 1,
      not_found: ['NOPE'],
      lineage: { total_nodes: 2, edges: 1, truncated: false },
      domains: { history: { rows: 9, quality: 'complete' }, rejects: { rows: 1, quality: 'complete' }, holds: { rows: 0, quality: 'complete' } },
    })
    const text = await cli('show', first, '--data-dir', dataDir)
    expect(text.out).toContain(`Job           ${first}\n`)
    expect(text.out).toContain('Status        finished\n')
    expect(text.out).toContain('Input         lot_id: GA26010001-A01, NOPE\n')
    expect(text.out).toContain('Not found     1: NOPE\n')
    expect(text.out).toContain('Lineage       2 nodes, 1 edges\n')
    expect(text.out).toMatch(/ {2}history +9 rows {2}complete\n/)
  })

  it('pages a domain with offset and limit, in a stable order, sorted or not', async () => {
    const all = await cliJson<Page>('show', first, '--domain', 'history', '--limit', '1000', '--data-dir', dataDir)
    expect(Object.keys(all)).toEqual(['total', 'offset', 'limit', 'rows'])
    expect([all.total, all.offset, all.limit, all.rows.length]).toEqual([9, 0, 1000, 9])
    expect(Object.keys(all.rows[0]!)).toContain('EQUIPMENTNAME')

    const page = await cliJson<Page>('show', first, '--domain', 'history', '--offset', '2', '--limit', '3', '--data-dir', dataDir)
    expect([page.total, page.offset, page.limit]).toEqual([9, 2, 3])
    expect(page.rows).toEqual(all.rows.slice(2, 5))

    // Pages of a sorted domain put back together are the sorted domain, whatever the page size.
    const sorted = await cliJson<Page>('show', first, '--domain', 'history', '--sort', 'TRACKINTIMESTAMP:desc', '--data-dir', dataDir)
    const times = sorted.rows.map((r) => r.TRACKINTIMESTAMP as string)
    expect(times).toEqual([...times].sort().reverse())
    const pieces: Record<string, unknown>[] = []
    for (let offset = 0; offset < 9; offset += 4) {
      const p = await cliJson<Page>('show', first, '--domain', 'history', '--sort', 'TRACKINTIMESTAMP:desc', '--offset', String(offset), '--limit', '4', '--data-dir', dataDir)
      pieces.push(...p.rows)
    }
    expect(pieces).toEqual(sorted.rows)

    const beyond = await cliJson<Page>('show', first, '--domain', 'history', '--offset', '50', '--data-dir', dataDir)
    expect([beyond.total, beyond.rows.length, beyond.limit]).toEqual([9, 0, 50])

    // The text table: a header, one line per row with the new lines of a value shown as ↵, a footer.
    const text = await cli('show', first, '--domain', 'history', '--data-dir', dataDir)
    const lines = text.out.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^CONTAINERID +WORKCENTERNAME +WORKCENTER_GROUP +EQUIPMENTID +EQUIPMENTNAME +/)
    expect(lines).toHaveLength(1 + 9 + 1)
    expect(text.out).toContain('GMOA-0002, "bay 3"↵second line')
    expect(lines[10]).toBe('history: rows 1–9 of 9')
    // Wide characters count double, so the column after 成型 starts where it starts after TMTT.
    const equipmentAt = (line: string) => {
      const at = line.indexOf(' e')
      return at + (line.slice(0, at).match(/[\u2e80-\uffef]/g)?.length ?? 0)
    }
    expect(new Set(lines.slice(1, 10).map(equipmentAt)).size).toBe(1)
    const middle = await cli('show', first, '--domain', 'history', '--offset', '5', '--limit', '2', '--data-dir', dataDir)
    expect(middle.out.trimEnd().split('\n').at(-1)).toBe('history: rows 6–7 of 9; next page: --offset 7')

    const bad = await cli('show', first, '--domain', 'history', '--sort', 'NOPE', '--data-dir', dataDir)
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('[input/invalid] --sort: unknown history column "NOPE"')
    const notStored = await cli('show', second, '--domain', 'rejects', '--data-dir', dataDir)
    expect(notStored.code).toBe(2)
    expect(notStored.err).toContain(`--domain: job ${second} has no rejects rows; its domains: history`)
  })

  it('reports cancel of a finished job as a no-op, cancels a queued one, and will not stop a worker it does not own', async () => {
    const done = await cli('cancel', first, '--data-dir', dataDir)
    expect(done).toMatchObject({ code: 0, out: `Job ${first} already ended (finished); nothing to cancel.\n` })
    expect((await cliJson<JobJson>('show', first, '--data-dir', dataDir) as unknown as { job: JobJson }).job.status).toBe('finished')

    // A queued and a "running" job, as another process (the desktop app) would have them.
    const catalog = openCatalog(catalogPathOf(dataDir))
    const base = catalog.getJob(second)!
    const queued = 'trace-evt-00000000000a'
    const running = 'trace-evt-00000000000b'
    for (const id of [queued, running]) {
      catalog.insertJob({ job_id: id, profile: base.profile, direction: base.direction, request: base.request, source_id: base.source_id, created_at: 1 })
    }
    // Run by a process that still lives (this one's parent): a row naming a dead runner reads interrupted.
    catalog.updateJob(running, { status: 'running', started_at: 2, runner_pid: process.ppid })
    catalog.close()
    try {
      expect(await cliJson('cancel', queued, '--data-dir', dataDir)).toMatchObject({ job_id: queued, cancelled: true, status: 'cancelled' })
      const again = await cli('cancel', queued, '--data-dir', dataDir)
      expect(again.out).toBe(`Job ${queued} already ended (cancelled); nothing to cancel.\n`)

      const busy = await cli('cancel', running, '--data-dir', dataDir)
      expect(busy.code).toBe(1)
      expect(busy.err).toContain(`Job ${running} is running in another MES Trace process`)
      const rm = await cli('rm', running, '--data-dir', dataDir)
      expect(rm.code).toBe(1)
      expect((await cliJson<JobJson[]>('jobs', '--status', 'running', '--data-dir', dataDir)).map((j) => j.job_id)).toEqual([running])
    } finally {
      const c = openCatalog(catalogPathOf(dataDir))
      c.deleteJob(queued)
      c.deleteJob(running)
      c.close()
    }
  })

  it('pins and unpins: a pinned job has no expiry, an unpinned one gets it back', async () => {
    const before = (await cliJson<{ job: JobJson }>('show', second, '--data-dir', dataDir)).job
    expect(before.expires_at).not.toBeNull()
    const pinned = await cliJson<JobJson>('pin', second, '--data-dir', dataDir)
    expect([pinned.pinned, pinned.expires_at]).toEqual([true, null])
    expect((await cli('jobs', '--data-dir', dataDir)).out).toMatch(new RegExp(`^${second} .* pinned *\\n`, 'm'))
    const text = await cli('pin', second, '--off', '--data-dir', dataDir)
    expect(text.out).toMatch(new RegExp(`^Unpinned job ${second}: it expires \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\n$`))
    const unpinned = (await cliJson<{ job: JobJson }>('show', second, '--data-dir', dataDir)).job
    expect([unpinned.pinned, unpinned.expires_at]).toEqual([false, before.expires_at])
  })

  it('re-runs a job as a new finished job', async () => {
    const json = await cliJson<{ job_id: string; status: string; rerun_of: string; cached: boolean; domains: Record<string, { rows: number }> }>(
      'rerun', second, '--data-dir', dataDir,
    )
    expect(json).toMatchObject({ status: 'finished', rerun_of: second, cached: false, domains: { history: { rows: 9 } } })
    expect(json.job_id).not.toBe(second)
    const jobs = await cliJson<JobJson[]>('jobs', '--data-dir', dataDir)
    expect(jobs.map((j) => j.job_id)).toEqual([json.job_id, second, first])
    expect(jobs[0]!.status).toBe('finished')

    const text = await cli('rerun', json.job_id, '--data-dir', dataDir)
    expect(text.code).toBe(0)
    expect(text.err).toContain(`Running ${json.job_id} again as trace-evt-`)
    expect(text.out).toContain('Seeds         1 container(s) from 1 input value(s)')
    const newest = (await cliJson<JobJson[]>('jobs', '--data-dir', dataDir))[0]!
    // Tidy up: the later tests count on the two jobs of beforeAll only.
    for (const id of [json.job_id, newest.job_id]) expect((await cli('rm', id, '--data-dir', dataDir)).code).toBe(0)
  })

  it('exports CSV with a BOM, a header, one record per row and RFC 4180 quoting', async () => {
    const out = join(root, 'csv')
    const json = await cliJson<{ files: { domain: string; path: string; rows: number }[] }>('export', first, '--format', 'csv', '--out', out, '--data-dir', dataDir)
    expect(json.files.map((f) => [f.domain, f.rows])).toEqual([['history', 9], ['materials', 0], ['rejects', 1], ['holds', 0], ['jobs', 0]])
    expect((await readdir(out)).sort()).toEqual(['history.csv', 'holds.csv', 'jobs.csv', 'materials.csv', 'rejects.csv'])

    const bytes = await readFile(join(out, 'history.csv'))
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = bytes.toString('utf8').slice(1)
    const records = parseCsv(text)
    const page = await cliJson<Page>('show', first, '--domain', 'history', '--data-dir', dataDir)
    const columns = Object.keys(page.rows[0]!)
    expect(records[0]).toEqual(columns)
    expect(records).toHaveLength(1 + 9)
    expect(records.slice(1)).toEqual(page.rows.map((r) => columns.map((c) => (r[c] === null ? '' : String(r[c])))))
    // The awkward value is quoted with its quotes doubled, and its line break stays inside the field.
    expect(text).toContain('"GMOA-0002, ""bay 3""\nsecond line"')
    expect(text.split('\r\n')).toHaveLength(1 + 9 + 1)
    expect(records.flat()).toContain(AWKWARD)
    expect(records.flat()).toContain('成型')

    // An empty domain still has its header.
    const holds = (await readFile(join(out, 'holds.csv'), 'utf8')).slice(1)
    expect(parseCsv(holds)).toHaveLength(1)

    // Never replaces a file silently; --force does, and leaves no temporary file behind.
    const again = await cli('export', first, '--format', 'csv', '--out', out, '--data-dir', dataDir)
    expect(again.code).toBe(1)
    expect(again.err).toContain(`${join(out, 'history.csv')} already exists; pass --force`)
    const single = join(out, 'rejects.csv')
    const forced = await cliJson<{ files: { rows: number; path: string }[] }>('export', first, '--format', 'csv', '--domain', 'rejects', '--out', single, '--force', '--data-dir', dataDir)
    expect(forced.files).toEqual([{ table: 'rejects', domain: 'rejects', path: single, rows: 1 }])
    expect(parseCsv((await readFile(single, 'utf8')).slice(1))[1]).toContain('001_CRACK')
    expect((await readdir(out)).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('exports the result file, imports it into another data dir, and lists and pages the same rows there', async () => {
    const copy = join(root, 'export', 'result.sqlite')
    await mkdir(dirname(copy), { recursive: true })
    const exported = await cliJson<{ files: { path: string; bytes: number }[] }>('export', first, '--format', 'sqlite', '--out', copy, '--data-dir', dataDir)
    expect(exported.files[0]!.bytes).toBeGreaterThan(0)
    expect((await cli('export', first, '--format', 'sqlite', '--out', copy, '--data-dir', dataDir)).code).toBe(1)

    const otherDir = join(root, 'other-data')
    const imported = await cliJson<JobJson & { file_job_id: string }>('import', copy, '--data-dir', otherDir)
    expect(imported.job_id).not.toBe(first)
    expect(imported).toMatchObject({
      status: 'finished', profile: 'query_tool', seed_count: 1, cid_count: 2, rows_total: 10, quality: 'complete', pinned: true,
      expires_at: null, imported: true, file_job_id: first, result_file: join(otherDir, 'results', `${imported.job_id}.sqlite`),
    })
    const listed = await cliJson<JobJson[]>('jobs', '--data-dir', otherDir)
    expect(listed.map((j) => [j.job_id, j.status, j.rows_total])).toEqual([[imported.job_id, 'finished', 10]])
    expect((await cli('jobs', '--data-dir', otherDir)).out).toContain('imported')

    const here = await cliJson<Page>('show', first, '--domain', 'history', '--sort', 'TRACKINQTY', '--data-dir', dataDir)
    const there = await cliJson<Page>('show', imported.job_id, '--domain', 'history', '--sort', 'TRACKINQTY', '--data-dir', otherDir)
    expect(there).toEqual(here)
    const shown = await cli('show', imported.job_id, '--data-dir', otherDir)
    expect(shown.out).toContain(`imported from job ${first}`)
    expect(shown.out).toContain('Expires       never (pinned)')

    // An imported job has no source to run again.
    const rerun = await cli('rerun', imported.job_id, '--data-dir', otherDir)
    expect(rerun.code).toBe(2)
    expect(rerun.err).toContain('JOB_ID: job')

    // Junk is refused with the path, and nothing is added.
    const junk = join(root, 'junk.sqlite')
    await writeFile(junk, 'this is not a result file\n'.repeat(100))
    const bad = await cli('import', junk, '--data-dir', otherDir)
    expect(bad.code).toBe(1)
    expect(bad.err).toContain('[import/invalid]')
    expect(bad.err).toContain(junk)
    expect(await cliJson<JobJson[]>('jobs', '--data-dir', otherDir)).toHaveLength(1)
    expect((await readdir(join(otherDir, 'results'))).sort()).toEqual([`${imported.job_id}.sqlite`])
  })

  it('removes a job: its row and its result file', async () => {
    const file = join(dataDir, 'results', `${second}.sqlite`)
    expect(existsSync(file)).toBe(true)
    expect(await cliJson('rm', second, '--data-dir', dataDir)).toEqual({ job_id: second, removed: true, result_file: file })
    expect(existsSync(file)).toBe(false)
    expect((await cliJson<JobJson[]>('jobs', '--data-dir', dataDir)).map((j) => j.job_id)).toEqual([first])
    const gone = await cli('show', second, '--data-dir', dataDir)
    expect(gone.code).toBe(1)
    expect(gone.err).toContain('[job/not-found]')
  })
})
