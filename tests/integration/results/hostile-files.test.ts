/**
 * Hostile result files, as an attacker would mail them (tests/fixtures/hostile-results.ts), through
 * the two ways in: `mes-trace import` and `jobs:import` over a running `mes-trace serve`'s
 * WebSocket. Each is refused (or imports harmlessly) within 10 s; the host answers the next call;
 * the catalog passes `integrity_check`; nothing is left in the data folder or beside the file. A
 * formula planted in an imported result reaches a CSV export as text. Each file's time through
 * each way in is written to reports/hostile-files.json.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startServe, type Served } from '../../e2e/support/serve.js'
import { corpusListing, integrityOf, makeExportedResult, makeHostileCorpus, PLANTED_FORMULA, type HostileFile } from '../../fixtures/hostile-results.js'
import { parseCsv } from '../../fixtures/csv.js'

/** Longest a refusal may take, through either way in. */
const DEADLINE_MS = 10_000

/** How long each file took through each way in, written to reports/hostile-files.json. */
const timings: { file: string; via: 'cli' | 'websocket'; ms: number; outcome: string }[] = []

function writeTimings(): void {
  const summary = (via: 'cli' | 'websocket') => {
    const ms = timings.filter((t) => t.via === via).map((t) => t.ms).sort((a, b) => a - b)
    return ms.length === 0 ? null : { files: ms.length, median_ms: Math.round(ms[Math.floor(ms.length / 2)]!), max_ms: Math.round(ms.at(-1)!) }
  }
  mkdirSync('reports', { recursive: true })
  writeFileSync(join('reports', 'hostile-files.json'), JSON.stringify({ cli: summary('cli'), websocket: summary('websocket'), timings }, null, 2))
}

interface CliRun {
  code: number | null
  out: string
  err: string
  ms: number
}

/** Runs the real command line in its own process; kills it if it is still running past `killAfterMs`. */
function cli(args: readonly string[], killAfterMs = 30_000): Promise<CliRun> {
  return new Promise((resolve) => {
    const started = performance.now()
    const child = spawn(process.execPath, ['bin/mes-trace.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (err += c.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, out, err, ms: performance.now() - started })
    })
  })
}

/** Files of a results folder other than finished results (partials, journals, strays). */
function leftovers(resultsDir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(resultsDir)
  } catch {
    return []
  }
  return names.filter((n) => !/^trace-evt-[0-9a-f]{12}\.sqlite$/.test(n))
}

describe('hostile result files', () => {
  let dir: string
  let corpusDir: string
  let corpus: HostileFile[]
  let listing: string[]

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-hostile-'))
    const base = await makeExportedResult(join(dir, 'base'))
    corpusDir = join(dir, 'corpus')
    corpus = makeHostileCorpus(base, corpusDir)
    listing = corpusListing(corpusDir)
  }, 120_000)

  afterAll(async () => {
    writeTimings()
    await rm(dir, { recursive: true, force: true })
  })

  it('the command line refuses each hostile file within 10 s, writes nothing for it, and imports the harmless ones', async () => {
    // Two lanes (this machine has two cores), each with its own data folder, so a lane's checks
    // after each file see only its own imports.
    const lanes = [0, 1].map((lane) => ({ dataDir: join(dir, `cli-data-${lane}`), imported: [] as string[] }))
    await Promise.all(
      lanes.map(async (lane, index) => {
        for (const file of corpus.filter((_, i) => i % lanes.length === index)) {
          const run = await cli(['import', file.path, '--json', '--data-dir', lane.dataDir])
          timings.push({ file: file.name, via: 'cli', ms: run.ms, outcome: run.code === 0 ? 'imported' : (/\[([a-z/-]+)\]/.exec(run.err)?.[1] ?? `exit ${run.code}`) })
          expect(run.ms, `${file.name} took ${Math.round(run.ms)} ms`).toBeLessThan(DEADLINE_MS)
          if (file.expect === 'accept') {
            expect(run.code, `${file.name}: ${run.err}`).toBe(0)
            lane.imported.push((JSON.parse(run.out) as { job_id: string }).job_id)
          } else {
            expect(run.code, `${file.name}: ${run.out}`).toBe(1)
            expect(run.err, file.name).toContain('[import/invalid]')
            expect(run.err, file.name).toContain(file.path)
          }
          expect(leftovers(join(lane.dataDir, 'results')), file.name).toEqual([])
        }
      }),
    )
    for (const { dataDir, imported } of lanes) {
      expect(readdirSync(join(dataDir, 'results')).sort()).toEqual(imported.map((id) => `${id}.sqlite`).sort())
      const jobs = JSON.parse((await cli(['jobs', '--json', '--data-dir', dataDir])).out) as { job_id: string; status: string }[]
      expect(jobs.map((j) => j.job_id).sort()).toEqual([...imported].sort())
      expect(integrityOf(join(dataDir, 'catalog.sqlite'))).toBe('ok')
    }
    expect(lanes.flatMap((l) => l.imported)).toHaveLength(corpus.filter((f) => f.expect === 'accept').length)
    expect(corpusListing(corpusDir)).toEqual(listing)
  }, 300_000)

  it('a formula planted in an imported result is text in the CSV export', async () => {
    const dataDir = join(dir, 'formula-data')
    const file = corpus.find((f) => f.name === 'formula-cell')!
    const { job_id: jobId } = JSON.parse((await cli(['import', file.path, '--json', '--data-dir', dataDir])).out) as { job_id: string }
    const csv = join(dir, 'formula.csv')
    expect((await cli(['export', jobId, '--format', 'csv', '--domain', 'upstream_history', '--out', csv, '--data-dir', dataDir])).code).toBe(0)
    const rows = parseCsv(readFileSync(csv, 'utf8'))
    const header = rows[0]!
    const cell = rows[1]![header.indexOf('EQUIPMENTNAME')]
    expect(cell).toBe(`'${PLANTED_FORMULA}`)
    const detail = join(dir, 'formula-detail.csv')
    expect((await cli(['export', jobId, '--format', 'csv', '--detail', '--out', detail, '--data-dir', dataDir])).code).toBe(0)
    expect(readFileSync(detail, 'utf8')).toContain(`'+cmd|`)
  }, 60_000)

  describe('over the browser host', () => {
    let served: Served
    let dataDir: string

    type Answer = { ok: boolean; value?: unknown; error?: { code: string; message: string; details?: { reason?: string } } }

    /** A client of the host: one socket (each socket has its own rate limits), calls with a deadline. */
    async function connect(): Promise<{ call: (channel: string, payload: unknown, timeoutMs?: number) => Promise<Answer>; close: () => void }> {
      const url = new URL(served.url)
      const ws = new WebSocket(`ws://${url.host}/api?token=${encodeURIComponent(url.searchParams.get('token')!)}`, { origin: `http://${url.host}` })
      await new Promise<void>((resolve, reject) => {
        ws.on('open', () => resolve())
        ws.on('error', reject)
      })
      const pending = new Map<number, (answer: Answer) => void>()
      let nextId = 1
      ws.on('message', (data) => {
        const message = JSON.parse(data.toString()) as { id?: number; result?: Answer }
        if (typeof message.id === 'number') pending.get(message.id)?.(message.result!)
      })
      return {
        call: (channel, payload, timeoutMs = 30_000) =>
          new Promise((resolve, reject) => {
            const id = nextId++
            const timer = setTimeout(() => reject(new Error(`${channel}: no answer in ${timeoutMs} ms`)), timeoutMs)
            pending.set(id, (answer) => {
              clearTimeout(timer)
              resolve(answer)
            })
            ws.send(JSON.stringify({ id, channel, payload }))
          }),
        close: () => ws.close(),
      }
    }

    beforeAll(async () => {
      dataDir = join(dir, 'serve-data')
      served = await startServe(dataDir, 300)
    }, 120_000)

    afterAll(async () => {
      await served?.stop()
    })

    it('refuses each hostile file within 10 s, answers the next call, and shows the harmless ones', async () => {
      for (const file of corpus) {
        const { call, close } = await connect()
        try {
          const started = performance.now()
          const answer = await call('jobs:import', { path: file.path }, DEADLINE_MS)
          const ms = performance.now() - started
          timings.push({ file: file.name, via: 'websocket', ms, outcome: answer.ok ? 'imported' : `${answer.error!.code} (${answer.error!.details?.reason ?? ''})` })
          expect(ms, file.name).toBeLessThan(DEADLINE_MS)
          if (file.expect === 'accept') {
            expect(answer, `${file.name}: ${answer.error?.message}`).toMatchObject({ ok: true })
            const jobId = (answer.value as { job_id: string }).job_id
            expect(await call('results:summary', { job_id: jobId })).toMatchObject({ ok: true, value: { domains: ['upstream_history', 'materials'] } })
            expect(await call('results:page', { job_id: jobId, domain: 'upstream_history', limit: 5 })).toMatchObject({ ok: true })
            expect(await call('results:aggregation', { job_id: jobId })).toMatchObject({ ok: true })
            expect(await call('results:lineage', { job_id: jobId })).toMatchObject({ ok: true })
          } else {
            expect(answer, file.name).toMatchObject({ ok: false, error: { code: 'import/invalid' } })
            expect(file.expect, `${file.name}: ${answer.error?.message}`).toContain(answer.error!.details!.reason)
          }
          // The host is still there, and answers at once.
          expect(await call('app:version', {}, 2000), file.name).toMatchObject({ ok: true })
          expect(leftovers(join(dataDir, 'results')), file.name).toEqual([])
        } finally {
          close()
        }
      }
      expect(integrityOf(join(dataDir, 'catalog.sqlite'))).toBe('ok')
      expect(corpusListing(corpusDir)).toEqual(listing)
      expect(served.output).not.toMatch(/uncaught|unhandled/i)
    }, 300_000)
  })
})
