import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'

/**
 * The renderer in Chromium through `mes-trace serve`: the service contract over the host's
 * WebSocket, a demo MSD trace run end to end with its progress events, and the socket refused
 * without the token.
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

  test('runs a demo trace through the WebSocket transport and receives its progress events', async ({ page }) => {
    test.setTimeout(120_000)
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text())
    })
    await page.goto(url)
    await expect(page.getByTestId('version')).toHaveText(/^\d+\.\d+\.\d+/)
    await expect(page.getByTestId('sources')).toHaveText('Demo plant')
    await page.getByTestId('run-demo').click()
    await expect(page.getByTestId('job-id')).toHaveText(/^trace-evt-[0-9a-f]{12}$/)
    await expect(page.getByTestId('job-status')).toHaveText('finished', { timeout: 90_000 })
    expect(Number(await page.getByTestId('progress-count').textContent())).toBeGreaterThan(0)
    await expect(page.getByTestId('summary')).toContainText(/\d+ lots; top suspect: /)
    expect(problems).toEqual([])
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
        ws.onopen = () => ws.send(JSON.stringify({ id: 7, channel: 'jobs:status', payload: { jobId: 'nope' } }))
        ws.onmessage = (m) => {
          resolve(JSON.parse(String(m.data)))
          ws.close()
        }
      })
      return { withoutToken, answer }
    })
    expect(outcome.withoutToken).toBe('closed')
    expect(outcome.answer).toMatchObject({ id: 7, result: { ok: false, error: { code: 'input/invalid', details: { field: 'jobId' } } } })
  })
})
