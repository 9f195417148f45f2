/**
 * A source password never reaches the catalog: the engine keeps it in memory and gives it to the
 * job's worker — and to the worker of a re-run, which may start the moment it is queued — in the
 * start message, never in the worker's environment.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { JobEngine, NodeWorkerHost, type WorkerSpawnOptions } from '../../../main/engine/index.js'
import { catalogPathOf, openCatalog, resultsDirOf } from '../../../main/store/index.js'
import { resolveSettings } from '../../../shared/settings.js'
import type { MainToWorkerMessage } from '../../../shared/worker-protocol.js'
import { fixtureEntry } from './worker-kit.js'

describe('JobEngine and source passwords', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mes-trace-secrets-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('hands the password to the worker of the job and of its re-run, and stores the URL without it', async () => {
    const catalog = openCatalog(catalogPathOf(dir))
    const spawned: WorkerSpawnOptions[] = []
    const sent: MainToWorkerMessage[] = []
    const inner = new NodeWorkerHost()
    const engine = new JobEngine({
      catalog,
      host: {
        spawn: async (options) => {
          spawned.push(options)
          const handle = await inner.spawn(options)
          const send = handle.send.bind(handle)
          handle.send = (message) => {
            sent.push(message)
            send(message)
          }
          return handle
        },
      },
      workerEntry: fixtureEntry('ok'),
      resultsDir: resultsDirOf(dir),
      settings: resolveSettings(),
      appVersion: 'test',
    })
    try {
      engine.start()
      const { jobId } = engine.enqueue(
        { profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['A'] } },
        { source: { kind: 'postgres', url: 'postgres://reader:s3cret@127.0.0.1:5432/mes', schema: 'dwh' } },
      )
      await engine.whenIdle()
      const row = engine.status(jobId)
      expect(row.source_id).toBe('postgres://reader@127.0.0.1:5432/mes?schema=dwh')
      expect(JSON.stringify(row)).not.toContain('s3cret')
      engine.rerun(jobId)
      await engine.whenIdle()
      expect(spawned.map((o) => o.env)).toEqual([undefined, undefined])
      expect(sent.filter((m) => m.type === 'start').map((m) => (m as { password?: string }).password)).toEqual(['s3cret', 's3cret'])
    } finally {
      await engine.shutdown(2000)
      catalog.close()
    }
  })
})
