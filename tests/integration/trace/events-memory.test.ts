/**
 * The memory promise of the event fetcher: all 7 domains for 20 000 CIDs of a 20 000-lot demo
 * plant, measured in a fresh process (the benchmark script's child), stay under 300 MB RSS.
 * Uses the compiled code (`npm run build:main`, part of `npm test` and `npm ci`).
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..', '..')

describe('fetching all 7 domains for 20 000 CIDs', () => {
  let dir: string | undefined
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('keeps the fetching process under 300 MB RSS', async () => {
    expect(existsSync(join(root, 'dist', 'main', 'trace', 'index.js')), 'run `npm run build:main` first').toBe(true)
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-memory-'))
    const run = spawnSync(
      process.execPath,
      [join(root, 'scripts', 'bench-events-memory.mjs'), '--lots', '20000', '--cids', '20000', '--plant', join(dir, 'plant.sqlite'), '--quiet'],
      { cwd: root, encoding: 'utf8', timeout: 240_000 },
    )
    expect(run.status, run.stderr).toBe(0)
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
      cids: number
      total_rows: number
      quality: string
      max_rss_mb: number
      rows: Record<string, number>
    }
    expect(report.cids).toBe(20_000)
    expect(report.quality).toBe('complete')
    expect(Object.keys(report.rows).sort()).toEqual(
      ['downstream_rejects', 'history', 'holds', 'jobs', 'materials', 'rejects', 'upstream_history'],
    )
    expect(report.total_rows).toBeGreaterThan(300_000)
    expect(report.max_rss_mb).toBeLessThan(300)
  }, 300_000)
})
