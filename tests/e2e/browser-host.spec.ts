import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'

/**
 * The browser host's own guards, seen from a page it served: the socket refused without the
 * token, a malformed payload answered with input/invalid, an export downloaded only with the
 * token. (The workspace itself is driven through the host in workspace.spec.ts.)
 */
test.describe('browser host (mes-trace serve)', () => {
  let server: ChildProcess | undefined
  let dataDir = ''
  let url = ''

  test.beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mes-trace-serve-'))
    server = spawn(process.execPath, ['bin/mes-trace.js', 'serve', '--data-dir', dataDir, '--lots', '2000'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL after 60 s:\n${out}`)), 60_000)
      server!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const found = /MES Trace is served at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out)
        if (found) {
          clearTimeout(timer)
          resolve(found[1]!)
        }
      })
      server!.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()))
      server!.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)))
    })
  })

  test.afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve))
      server.kill('SIGTERM')
      await exited
    }
    rmSync(dataDir, { recursive: true, force: true })
  })

  test('refuses the socket without the token and answers a malformed payload with input/invalid', async ({ page }) => {
    await page.goto(url)
    const outcome = await page.evaluate(async () => {
      const withoutToken = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://${location.host}/api`)
        ws.onopen = () => resolve('open')
        ws.onclose = () => resolve('closed')
      })
      const token = new URLSearchParams(location.search).get('token')!
      const answer = await new Promise<unknown>((resolve) => {
        const ws = new WebSocket(`ws://${location.host}/api?token=${encodeURIComponent(token)}`)
        ws.onopen = () => ws.send(JSON.stringify({ id: 7, channel: 'jobs:status', payload: { job_id: 'nope' } }))
        ws.onmessage = (m) => {
          resolve(JSON.parse(String(m.data)))
          ws.close()
        }
      })
      return { withoutToken, answer }
    })
    expect(outcome.withoutToken).toBe('closed')
    expect(outcome.answer).toMatchObject({ id: 7, result: { ok: false, error: { code: 'input/invalid', details: { field: 'job_id' } } } })
  })

  test('downloads a file of the data folder’s exports folder as an attachment, only with the token', async ({ page }) => {
    mkdirSync(join(dataDir, 'exports'), { recursive: true })
    writeFileSync(join(dataDir, 'exports', 'lots-e2e.csv'), 'lot\nGA-1\n')
    await page.goto(url)
    const statuses = await page.evaluate(async () => {
      const token = new URLSearchParams(location.search).get('token')!
      const withToken = await fetch(`/download/lots-e2e.csv?token=${encodeURIComponent(token)}`)
      return {
        withToken: withToken.status,
        type: withToken.headers.get('content-type'),
        withoutToken: (await fetch('/download/lots-e2e.csv')).status,
        traversal: (await fetch(`/download/..%2fexports%2flots-e2e.csv?token=${encodeURIComponent(token)}`)).status,
      }
    })
    expect(statuses).toEqual({ withToken: 200, type: 'text/csv; charset=utf-8', withoutToken: 401, traversal: 404 })
    const downloaded = page.waitForEvent('download')
    await page.evaluate(() => {
      const link = document.createElement('a')
      link.href = `/download/lots-e2e.csv?token=${encodeURIComponent(new URLSearchParams(location.search).get('token')!)}`
      document.body.append(link)
      link.click()
    })
    const download = await downloaded
    expect(download.suggestedFilename()).toBe('lots-e2e.csv')
    expect(readFileSync(await download.path(), 'utf8')).toBe('lot\nGA-1\n')
  })
})
