/**
 * `mes-trace serve` as a real process (the compiled `dist/`, so `npx tsc -p tsconfig.main.json`
 * first): an exception nobody catches and a rejection nobody handles are logged with their stack
 * while the host keeps answering; an export in the data folder's `exports` folder is offered as a
 * download; SIGTERM still stops it cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'

const ROOT = resolve(import.meta.dirname, '..', '..', '..')

/**
 * Loaded before the CLI: on SIGUSR2 it throws from a timer and rejects a promise nobody awaits,
 * the two failures a bug in the host would cause.
 */
const PLANT_FAILURES = `
process.on('SIGUSR2', () => {
  setTimeout(() => { throw new Error('planted exception') })
  void Promise.reject(new Error('planted rejection'))
})
`

/** Waits until `text()` matches `pattern`; fails after `ms` or once `server` has exited. */
async function until(server: ChildProcess, text: () => string, pattern: RegExp, ms = 60_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + ms
  for (;;) {
    const found = pattern.exec(text())
    if (found) return found
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`exited (${server.exitCode ?? server.signalCode}) before ${pattern}:\n${text()}`)
    if (Date.now() > deadline) throw new Error(`not seen within ${ms} ms: ${pattern}\n${text()}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe.skipIf(process.platform === 'win32')('mes-trace serve', () => {
  let work: string
  let dataDir: string
  let child: ChildProcess
  let out = ''
  let err = ''
  let url: URL

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'mes-trace-serve-'))
    dataDir = join(work, 'data')
    const rendererDir = join(work, 'renderer')
    mkdirSync(rendererDir)
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>serve</title>')
    writeFileSync(join(work, 'plant-failures.mjs'), PLANT_FAILURES)
    child = spawn(
      process.execPath,
      ['--import', join(work, 'plant-failures.mjs'), join(ROOT, 'bin', 'mes-trace.js'), 'serve', '--data-dir', dataDir, '--lots', '100', '--renderer-dir', rendererDir],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
    url = new URL((await until(child, () => out + err, /served at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/))[1]!)
  }, 90_000)

  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGKILL')
      await exited
    }
    rmSync(work, { recursive: true, force: true })
  })

  async function version(): Promise<unknown> {
    const ws = new WebSocket(`ws://${url.host}/api?token=${encodeURIComponent(url.searchParams.get('token')!)}`, { origin: url.origin })
    try {
      await new Promise((ok, fail) => {
        ws.once('open', ok)
        ws.once('error', fail)
      })
      return await new Promise((answer) => {
        ws.once('message', (data) => answer(JSON.parse(data.toString())))
        ws.send(JSON.stringify({ id: 'v', channel: 'app:version', payload: {} }))
      })
    } finally {
      ws.close()
    }
  }

  it('logs an uncaught exception and an unhandled rejection with their stacks and keeps answering', async () => {
    expect(await version()).toMatchObject({ id: 'v', result: { ok: true, value: { version: expect.any(String) } } })
    child.kill('SIGUSR2')
    const exception = await until(child, () => err, /uncaught exception \(the host keeps serving\): Error: planted exception\n\s+at .+/, 10_000)
    const rejection = await until(child, () => err, /unhandled promise rejection \(the host keeps serving\): Error: planted rejection\n\s+at .+/, 10_000)
    expect(exception[0]).toContain('plant-failures.mjs')
    expect(rejection[0]).toContain('plant-failures.mjs')
    expect(child.exitCode).toBeNull()
    expect(await version()).toMatchObject({ id: 'v', result: { ok: true, value: { version: expect.any(String) } } })
  })

  it('offers a file of the data folder’s exports folder as a download', async () => {
    mkdirSync(join(dataDir, 'exports'), { recursive: true })
    writeFileSync(join(dataDir, 'exports', 'lots.csv'), 'lot\nGA-1\n')
    const token = encodeURIComponent(url.searchParams.get('token')!)
    const answer = await fetch(`${url.origin}/download/lots.csv?token=${token}`)
    expect([answer.status, answer.headers.get('content-disposition'), await answer.text()]).toEqual([
      200,
      `attachment; filename="lots.csv"; filename*=UTF-8''lots.csv`,
      'lot\nGA-1\n',
    ])
    expect((await fetch(`${url.origin}/download/lots.csv`)).status).toBe(401)
  })

  it('still stops on SIGTERM, with exit code 0', async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  }, 30_000)
})
