/**
 * The main process stays responsive while a 20 000-lot demo trace runs in a worker and pages of a
 * finished result are read: event-loop lag p99 under 50 ms (perf_hooks.monitorEventLoopDelay).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { afterAll, describe, expect, it } from 'vitest'
import { generateDemoPlant } from '../../../main/demo/index.js'
import { ResultService } from '../../../main/results/index.js'
import { catalogPathOf, openCatalog, resultsDirOf } from '../../../main/store/index.js'
import { DOMAINS } from '../../../shared/trace.js'
import { testEngine } from './worker-kit.js'

describe('main event loop during a 20 000-lot trace', () => {
  let dir: string | undefined
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('keeps event-loop lag p99 under 50 ms while pages are read', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-lag-'))
    const plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 20_000, seed: 'lag-test' })
    const catalog = openCatalog(catalogPathOf(dir))
    const engine = testEngine({ catalog, resultsDir: resultsDirOf(dir) })
    try {
      engine.start()
      const source = { kind: 'sqlite' as const, path: plant.out }
      // A finished result to page through while the big trace runs.
      const small = engine.enqueue({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: plant.planted.samples.lot_ids } }, { source })
      await engine.whenIdle()
      expect(engine.status(small.jobId).status).toBe('finished')
      const lag = monitorEventLoopDelay({ resolution: 10 })
      const big = engine.enqueue(
        { profile: 'mid_section_defect', params: { start_date: plant.startDate, end_date: plant.endDate }, domains: [...DOMAINS] },
        { source },
      )
      lag.enable()
      let pages = 0
      const results = new ResultService(engine)
      const pager = setInterval(() => {
        results.page(small.jobId, 'history', { offset: pages % 50, limit: 50 })
        pages++
      }, 20)
      await engine.whenIdle()
      clearInterval(pager)
      results.close()
      lag.disable()
      const row = engine.status(big.jobId)
      expect(row.status).toBe('finished')
      expect(row.cid_count).toBeGreaterThan(10_000)
      expect(pages).toBeGreaterThan(50)
      const p99Ms = lag.percentile(99) / 1e6
      console.info(`event-loop lag p99 ${p99Ms.toFixed(1)} ms over ${pages} page reads; trace of ${row.cid_count} CIDs`)
      expect(p99Ms).toBeLessThan(50)
    } finally {
      await engine.shutdown()
      catalog.close()
    }
  }, 240_000)
})
