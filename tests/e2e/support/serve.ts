/** Starts and stops `mes-trace serve` for a spec: its URL with the token, and what it printed. */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import type { Page } from '@playwright/test'

export interface Served {
  url: string
  output: string
  stop: () => Promise<void>
}

export async function startServe(dataDir: string, lots = 2000, extraArgs: readonly string[] = []): Promise<Served> {
  const server: ChildProcess = spawn(process.execPath, ['bin/mes-trace.js', 'serve', '--data-dir', dataDir, '--lots', String(lots), ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL after 90 s:\n${output}`)), 90_000)
    server.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const found = /MES Trace is served at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output)
      if (found) {
        clearTimeout(timer)
        resolve(found[1]!)
      }
    })
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)))
  })
  return {
    url,
    get output() {
      return output
    },
    stop: async () => {
      if (server.exitCode !== null) return
      const exited = new Promise((resolve) => server.once('exit', resolve))
      server.kill('SIGTERM')
      await exited
    },
  }
}

/** The demo plant's suggestions (`Try tracing:` lines) by kind. */
export function demoSuggestions(output: string): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const match of output.matchAll(/^ {2}(lot IDs|work orders|wafer lots|serial numbers|GD work orders|GD lot IDs) +(.+)$/gm)) {
    out[match[1]!] = match[2]!.split(',').map((s) => s.trim())
  }
  return out
}

/** Collects console errors, warnings and page errors. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  return problems
}

/**
 * Prepares a page for a screen check: its locale (read by the app at start) and window size, with
 * console problems collected from then on.
 */
export async function atLocaleAndSize(page: Page, locale: 'en' | 'zh-TW', width: number, height: number): Promise<string[]> {
  const problems = watchConsole(page)
  await page.addInitScript((l) => localStorage.setItem('mes-trace:locale', l), locale)
  await page.setViewportSize({ width, height })
  return problems
}

/** One call over a socket of its own, as the page's bridge makes it. */
export function call<T>(page: Page, channel: string, payload: unknown): Promise<T> {
  return page.evaluate(
    async ([channel, payload]) => {
      const token = new URLSearchParams(location.search).get('token')!
      return new Promise<T>((resolve, reject) => {
        const ws = new WebSocket(`ws://${location.host}/api?token=${encodeURIComponent(token)}`)
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, channel, payload }))
        ws.onmessage = (m) => {
          const frame = JSON.parse(String(m.data)) as { id?: number; result?: { ok: boolean; value?: T; error?: unknown } }
          if (frame.id !== 1) return
          ws.close()
          if (frame.result?.ok) resolve(frame.result.value as T)
          else reject(new Error(JSON.stringify(frame.result?.error)))
        }
      })
    },
    [channel, payload] as const,
  )
}

/** Where the specs write their screenshots (`SCREENS_DIR` puts them elsewhere). */
export const SCREENS_DIR = process.env.SCREENS_DIR ?? join('test-results', 'screens')

/** The screen sizes every screen is looked at in: a plant workstation's and a laptop's. */
export const SCREEN_SIZES = [
  { width: 1920, height: 1080 },
  { width: 1366, height: 768 },
] as const

/**
 * Screenshots of what the page shows now in both languages at both sizes, as
 * `<name>-<locale>-<width>.png`, scrolled to `show` (a selector) when given; the page is left in
 * English at 1920×1080.
 */
export async function shootEachLocaleAndSize(page: Page, name: string, options: { show?: string; settleMs?: number } = {}): Promise<void> {
  for (const locale of ['en', 'zh-TW'] as const) {
    await page.getByTestId('language').selectOption(locale)
    for (const size of SCREEN_SIZES) {
      await page.setViewportSize(size)
      // Charts follow their box on the next frame.
      await page.waitForTimeout(options.settleMs ?? 400)
      if (options.show) await page.locator(options.show).first().scrollIntoViewIfNeeded()
      await page.screenshot({ path: join(SCREENS_DIR, `${name}-${locale}-${size.width}.png`) })
    }
  }
  await page.getByTestId('language').selectOption('en')
  await page.setViewportSize(SCREEN_SIZES[0])
}
