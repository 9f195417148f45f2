/**
 * The browser host over real sockets, with a router of fake handlers: an answer that cannot be
 * encoded or sent is an error answer on its call and the next call on the same socket is answered;
 * the download route serves a regular file directly inside the exports folder and nothing else.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import type { JobView } from '../../../shared/jobs.js'
import { HOST_CSP, ServiceRouter, startBrowserHost, type BrowserHost, type Handlers, type JobEvents } from '../../../main/transport/index.js'
import { jobView } from '../../fixtures/job-view.js'

/** An array nested `depth` levels deep, built without recursion. */
function nested(depth: number): unknown[] {
  let value: unknown[] = []
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

/** The engine's events, pushed by hand. */
function fakeEvents(): JobEvents & { status(job: JobView): void; progress(event: Parameters<Parameters<JobEvents['onDidProgress']>[0]>[0]): void } {
  const status: Parameters<JobEvents['onDidChangeStatus']>[0][] = []
  const progress: Parameters<JobEvents['onDidProgress']>[0][] = []
  return {
    onDidProgress: (listener) => {
      progress.push(listener)
      return () => void progress.splice(progress.indexOf(listener), 1)
    },
    onDidChangeStatus: (listener) => {
      status.push(listener)
      return () => void status.splice(status.indexOf(listener), 1)
    },
    status: (job) => status.forEach((l) => l({ job })),
    progress: (event) => progress.forEach((l) => l(event)),
  }
}

interface Client {
  call(id: number | string, channel: unknown, payload?: unknown): Promise<unknown>
  /** Every message received, in order. */
  messages: unknown[]
  /** Sends raw text. */
  send(text: string): void
  close(): void
}

async function connect(host: BrowserHost): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${encodeURIComponent(host.token)}`, { origin: `http://127.0.0.1:${host.port}` })
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  const messages: unknown[] = []
  const waiting = new Map<unknown, (message: unknown) => void>()
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { id?: unknown }
    messages.push(message)
    waiting.get(message.id)?.(message)
    waiting.delete(message.id)
  })
  return {
    messages,
    send: (text) => ws.send(text),
    call: (id, channel, payload = {}) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer to call ${id} within 10 s`)), 10_000)
        waiting.set(id, (message) => {
          clearTimeout(timer)
          resolve(message)
        })
        ws.send(JSON.stringify({ id, channel, payload }))
      }),
    close: () => ws.close(),
  }
}

interface HttpAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** One GET (or HEAD) with the path sent exactly as given, nothing normalized. */
function get(port: number, path: string, options: { host?: string; method?: string } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${port}` } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${path} within 10 s`)))
    req.on('error', reject)
    req.end()
  })
}

describe('startBrowserHost', () => {
  let work: string
  let rendererDir: string
  let exportsDir: string
  let host: BrowserHost
  const events = fakeEvents()
  const onUnexpectedError = vi.fn()

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'mes-trace-host-'))
    rendererDir = join(work, 'renderer')
    exportsDir = join(work, 'data', 'exports')
    mkdirSync(rendererDir)
    mkdirSync(exportsDir, { recursive: true })
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>host</title>')
    const handlers = {
      'app:version': () => ({ version: '9.9.9' }),
      'jobs:list': () => nested(150_000),
      'sources:list': () => ({ rows: 12n }),
    } as unknown as Handlers
    const router = new ServiceRouter({ handlers, limits: { 'app:version': { max: 10_000, windowMs: 1000 } } })
    host = await startBrowserHost({ router, events, rendererDir, exportsDir, onUnexpectedError })
  })

  afterAll(async () => {
    await host.close()
    rmSync(work, { recursive: true, force: true })
  })

  afterEach(() => {
    vi.restoreAllMocks()
    onUnexpectedError.mockClear()
  })

  describe('when an answer cannot be encoded', () => {
    it('answers a 150 000-deep array with internal/unexpected on its id, then answers the next call on the same socket', async () => {
      const client = await connect(host)
      try {
        expect(await client.call(1, 'jobs:list')).toEqual({ id: 1, result: { ok: false, error: { code: 'internal/unexpected', message: expect.stringContaining('jobs:list') } } })
        expect(await client.call(2, 'app:version')).toEqual({ id: 2, result: { ok: true, value: { version: '9.9.9' } } })
        expect(await client.call('three', 'sources:list')).toMatchObject({ id: 'three', result: { ok: false, error: { code: 'internal/unexpected' } } })
        expect(await client.call(4, 'app:version')).toEqual({ id: 4, result: { ok: true, value: { version: '9.9.9' } } })
      } finally {
        client.close()
      }
    })

    it('answers a channel named by an object whose toString throws', async () => {
      const client = await connect(host)
      try {
        expect(await client.call(5, { toString: 1 })).toMatchObject({ id: 5, result: { ok: false, error: { code: 'input/invalid', details: { field: 'channel' } } } })
        expect(await client.call(6, 'app:version')).toMatchObject({ id: 6, result: { ok: true } })
      } finally {
        client.close()
      }
    })

    it('answers a message nested a million levels deep with input/invalid, then the next call', async () => {
      const client = await connect(host)
      try {
        const answered = new Promise((resolve) => {
          const poll = setInterval(() => client.messages.length > 0 && (clearInterval(poll), resolve(client.messages[0])), 10)
        })
        // JSON.parse reads it: an array, not a request frame, so no id can be read from it.
        client.send('['.repeat(1_000_000) + ']'.repeat(1_000_000))
        expect(await answered).toMatchObject({ id: null, result: { ok: false, error: { code: 'input/invalid', details: { field: 'message' } } } })
        expect(await client.call(8, 'app:version')).toMatchObject({ id: 8, result: { ok: true } })
      } finally {
        client.close()
      }
    })

    it('drops an event that cannot be encoded and keeps serving', async () => {
      const client = await connect(host)
      try {
        events.status({ ...jobView(), rows_total: 1n } as unknown as JobView)
        expect(onUnexpectedError).toHaveBeenCalledWith(expect.any(TypeError), 'jobs:did-change-status')
        const job = jobView({ status: 'finished' })
        events.status(job)
        expect(await client.call(7, 'app:version')).toMatchObject({ id: 7, result: { ok: true } })
        expect(client.messages).toContainEqual({ event: 'jobs:did-change-status', payload: { job } })
        expect(client.messages).toHaveLength(2)
      } finally {
        client.close()
      }
    })
  })

  describe('events', () => {
    it('pushes the engine’s events to every socket as the contract’s event frames', async () => {
      const [first, second] = [await connect(host), await connect(host)]
      try {
        events.progress({ jobId: 'trace-evt-0123456789ab', progress: { stage: 'events', completed_stages: ['seed', 'lineage'] }, elapsedMs: 1200, etaMs: 800 })
        const job = jobView({ status: 'running', cancel_requested: true })
        events.status(job)
        // An answer on each socket comes after the events sent before it.
        await Promise.all([first.call(1, 'app:version'), second.call(1, 'app:version')])
        for (const client of [first, second]) {
          expect(client.messages.slice(0, 2)).toEqual([
            {
              event: 'jobs:did-progress',
              payload: { job_id: 'trace-evt-0123456789ab', progress: { stage: 'events', completed_stages: ['seed', 'lineage'] }, elapsed_ms: 1200, eta_ms: 800 },
            },
            { event: 'jobs:did-change-status', payload: { job } },
          ])
        }
      } finally {
        first.close()
        second.close()
      }
    })
  })

  describe('when a send throws', () => {
    it('answers the call with internal/unexpected on its id and the socket keeps working', async () => {
      const original = WebSocket.prototype.send
      let failures = 0
      // Only the host's sockets fail, and only once: the first answer cannot be sent.
      vi.spyOn(WebSocket.prototype, 'send').mockImplementation(function (this: WebSocket & { _isServer: boolean }, ...args: Parameters<WebSocket['send']>) {
        if (this._isServer && failures === 0) {
          failures++
          throw new RangeError('Array buffer allocation failed')
        }
        return original.apply(this, args)
      })
      const client = await connect(host)
      try {
        expect(await client.call(10, 'app:version')).toEqual({
          id: 10,
          result: { ok: false, error: { code: 'internal/unexpected', message: expect.stringContaining('could not be sent') } },
        })
        expect(failures).toBe(1)
        expect(onUnexpectedError).toHaveBeenCalledWith(expect.any(RangeError), 'send')
        expect(await client.call(11, 'app:version')).toEqual({ id: 11, result: { ok: true, value: { version: '9.9.9' } } })
      } finally {
        client.close()
      }
    })
  })

  describe('GET /download/<name>', () => {
    const CSV = 'lot,qty\nGA-1,3\n'
    const url = (name: string, token = host.token): string => `/download/${name}?token=${encodeURIComponent(token)}`

    beforeAll(() => {
      writeFileSync(join(exportsDir, 'trace-2026_01.csv'), CSV)
      writeFileSync(join(exportsDir, 'book.xlsx'), 'PK-xlsx')
      writeFileSync(join(exportsDir, 'result.mtr'), 'SQLite format 3\0')
      writeFileSync(join(exportsDir, 'empty.csv'), '')
      writeFileSync(join(exportsDir, 'notes.txt'), 'not an export')
      writeFileSync(join(exportsDir, '.hidden.csv'), 'hidden')
      writeFileSync(join(exportsDir, `${'a'.repeat(196)}.csv`), 'long name')
      writeFileSync(join(exportsDir, `${'a'.repeat(197)}.csv`), 'too long a name')
      mkdirSync(join(exportsDir, 'folder.csv'))
      writeFileSync(join(work, 'data', 'secret.csv'), 'SECRET')
      writeFileSync(join(work, 'secret.csv'), 'SECRET')
      symlinkSync(join(work, 'secret.csv'), join(exportsDir, 'outside.csv'))
      symlinkSync(join(exportsDir, 'trace-2026_01.csv'), join(exportsDir, 'inside.csv'))
      if (process.platform !== 'win32') execFileSync('mkfifo', [join(exportsDir, 'pipe.csv')])
    })

    it('serves a regular file of the exports folder as an attachment with the host’s headers', async () => {
      const answer = await get(host.port, url('trace-2026_01.csv'))
      expect(answer.status).toBe(200)
      expect(answer.body).toBe(CSV)
      expect(answer.headers).toMatchObject({
        'content-type': 'text/csv; charset=utf-8',
        'content-length': String(Buffer.byteLength(CSV)),
        'content-disposition': `attachment; filename="trace-2026_01.csv"; filename*=UTF-8''trace-2026_01.csv`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
        'content-security-policy': HOST_CSP,
        'referrer-policy': 'no-referrer',
      })
    })

    it('names the type of each export and answers HEAD without a body', async () => {
      expect((await get(host.port, url('book.xlsx'))).headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      const mtr = await get(host.port, url('result.mtr'))
      expect([mtr.status, mtr.headers['content-type'], mtr.body]).toEqual([200, 'application/vnd.sqlite3', 'SQLite format 3\0'])
      const head = await get(host.port, url('trace-2026_01.csv'), { method: 'HEAD' })
      expect([head.status, head.headers['content-length'], head.body]).toEqual([200, String(Buffer.byteLength(CSV)), ''])
      const empty = await get(host.port, url('empty.csv'))
      expect([empty.status, empty.headers['content-length'], empty.body]).toEqual([200, '0', ''])
    })

    it('serves a name of 200 characters and refuses one of 201', async () => {
      expect((await get(host.port, url(`${'a'.repeat(196)}.csv`))).status).toBe(200)
      expect((await get(host.port, url(`${'a'.repeat(197)}.csv`))).status).toBe(404)
    })

    it('refuses a missing or wrong token before looking at the file system', async () => {
      const missingToken = await get(host.port, '/download/trace-2026_01.csv')
      const wrongToken = await get(host.port, url('trace-2026_01.csv', `${host.token.slice(0, -1)}x`))
      const shortToken = await get(host.port, url('trace-2026_01.csv', 'x'))
      const noFile = await get(host.port, url('nothing-here.csv', 'x'))
      for (const answer of [missingToken, wrongToken, shortToken, noFile]) {
        expect([answer.status, answer.body]).toEqual([401, 'Unauthorized'])
      }
    })

    it('refuses a foreign Host header (DNS rebinding)', async () => {
      const answer = await get(host.port, url('trace-2026_01.csv'), { host: `evil.example:${host.port}` })
      expect(answer.status).toBe(421)
      expect(answer.body).not.toContain('lot,qty')
    })

    const refused: [string, string][] = [
      ['a parent folder', '../secret.csv'],
      ['two parent folders', '../../secret.csv'],
      ['an encoded parent folder', '%2e%2e/secret.csv'],
      ['an encoded separator', '..%2fsecret.csv'],
      ['an encoded, upper-case parent folder', '%2E%2E%2Fsecret.csv'],
      ['a backslash', '..\\secret.csv'],
      ['an encoded backslash', '..%5csecret.csv'],
      // `<work>` is the test's temp folder, the parent of the data folder.
      ['an absolute path', '<work>/secret.csv'],
      ['an absolute path, separator encoded', '%2f<work>/secret.csv'],
      ['a Windows drive path', 'C:%5cWindows%5cwin.ini'],
      ['a subfolder', 'sub/trace.csv'],
      ['a symbolic link to a file outside', 'outside.csv'],
      ['a symbolic link to a file inside', 'inside.csv'],
      ['a folder', 'folder.csv'],
      ['a FIFO', 'pipe.csv'],
      ['a file that is not an export', 'notes.txt'],
      ['a name with a leading dot', '.hidden.csv'],
      ['a missing file', 'nothing-here.csv'],
      ['an empty name', ''],
      ['a Windows device name', 'CON.csv'],
      ['an upper-case extension', 'TRACE.CSV'],
      ['a NUL byte', 'trace-2026_01.csv%00.csv'],
    ]
    for (const [what, name] of refused) {
      it(`answers 404 Not found for ${what}`, async () => {
        const answer = await get(host.port, url(name.replace('<work>', work)))
        expect([answer.status, answer.body]).toEqual([404, 'Not found'])
        expect(answer.headers['content-disposition']).toBeUndefined()
      })
    }

    it('serves nothing when the host has no exports folder', async () => {
      const handlers = { 'app:version': () => ({ version: '1' }) } as unknown as Handlers
      const bare = await startBrowserHost({ router: new ServiceRouter({ handlers }), events, rendererDir })
      try {
        const answer = await get(bare.port, `/download/trace-2026_01.csv?token=${encodeURIComponent(bare.token)}`)
        expect([answer.status, answer.body]).toEqual([404, 'Not found'])
      } finally {
        await bare.close()
      }
    })

    it('still serves the page and the socket after all of that', async () => {
      expect((await get(host.port, '/')).status).toBe(200)
      const client = await connect(host)
      try {
        expect(await client.call(20, 'app:version')).toMatchObject({ id: 20, result: { ok: true } })
      } finally {
        client.close()
      }
      expect(onUnexpectedError).not.toHaveBeenCalled()
    })
  })
})
