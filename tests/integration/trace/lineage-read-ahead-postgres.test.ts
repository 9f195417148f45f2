/**
 * The genealogy read ahead on a real PostgreSQL server (the statement a pushed-down run sends:
 * `WITH RECURSIVE` with LATERAL seeks) against the object walk over the same rows in SQLite: on
 * the seeded random plants of the staged-walk tests (cycles, self-links, GD reworks, wafer lots
 * named twice, hostile CIDs), backward and forward, under the depth and node caps, the result
 * file holds the same nodes, edges and JSON parts byte for byte. Runs where MES_TRACE_PG_TEST_URL
 * names a server (`.ci/run` starts one on 127.0.0.1).
 */
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadIntoPostgres } from '../../../main/sources/postgres-load.js'
import { openPostgresSource } from '../../../main/sources/postgres-source.js'
import type { MesSource } from '../../../main/sources/index.js'
import { createResultFile } from '../../../main/store/index.js'
import type { LineageOptions } from '../../../main/trace/lineage.js'
import { createFixtureSource, withMaxInList, withStatementLog } from '../../fixtures/source-fixture.js'
import { tempDir } from '../../unit/store/store-fixtures.js'
import { COMPLETE, dump, randomPlant, REQUEST, WALKS } from './lineage-kit.js'

const url = process.env.MES_TRACE_PG_TEST_URL
const JOB = 'trace-evt-00000000b8b8'

describe.skipIf(!url)('the genealogy read ahead on PostgreSQL, against the object walk over SQLite', () => {
  const schema = `read_ahead_${process.pid}`
  let admin: pg.Client
  let tmp: ReturnType<typeof tempDir>
  let files = 0
  const newWriter = () => createResultFile(join(tmp.dir, `f${++files}`, `${JOB}.sqlite`), { jobId: JOB, request: REQUEST, source: 'fixture', appVersion: '0.1.0', now: Date.UTC(2026, 1, 2) })
  const finish = (writer: ReturnType<typeof newWriter>): ReturnType<typeof dump> => {
    writer.finish({ domainQuality: {}, quality: COMPLETE, completedAt: Date.UTC(2026, 1, 2, 0, 1) })
    return dump(writer.path)
  }

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url })
    await admin.connect()
  })
  afterAll(async () => {
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await admin?.end()
  })
  beforeEach(() => {
    tmp = tempDir()
  })
  afterEach(() => tmp.cleanup())

  const plants = Array.from({ length: 12 }, (_, i) => 1000 + i * 7919)
  it('leaves the same file on every random plant, both directions, capped and not, in one recursive statement', async () => {
    let compared = 0
    for (const plantSeed of plants) {
      const plant = randomPlant(plantSeed)
      const seeds = plant.seeds
      // The contract's QTY is an integer, which PostgreSQL holds to (the SQLite plants also draw 12.5).
      const containers = plant.rows.DW_MES_CONTAINER!.map((row) => (typeof row.QTY === 'number' ? { ...row, QTY: Math.round(row.QTY) } : row))
      const fixture = await createFixtureSource({ ...plant.rows, DW_MES_CONTAINER: containers })
      await loadIntoPostgres({ from: fixture.path, url: url!, schema, replace: true })
      const server = await openPostgresSource({ url: url!, schema })
      try {
        for (const direction of ['backward', 'forward'] as const) {
          for (const [label, caps, parts] of [
            ['no cap', {}, (s: MesSource) => s],
            ['depth 1', { maxDepth: 1 }, (s: MesSource) => s],
            ['depth 0', { maxDepth: 0 }, (s: MesSource) => s],
            ['node cap, chunks of 4', { maxNodes: 20 }, (s: MesSource) => withMaxInList(s, 4)],
          ] as const) {
            const name = `plant ${plantSeed} ${direction} ${label}`
            const local: LineageOptions = { source: parts(fixture.source), ...caps }
            const object = newWriter()
            object.writeLineage(await WALKS[direction].object(seeds, local))
            const expected = finish(object)

            const statements: string[] = []
            const staged = newWriter()
            const walked = await WALKS[direction].staged(seeds, { source: withStatementLog(parts(server), statements), ...caps, readAhead: true }, staged.workspace())
            staged.writeLineageStream(walked.stream)
            walked.dispose()
            staged.joinLineageParts()
            expect(finish(staged), name).toEqual(expected)
            expect(statements.filter((sql) => sql.startsWith('WITH RECURSIVE SEED (CID)')).length, name).toBe(1)
            // The walk asks the server only for the keys the statement could not answer exactly.
            expect(statements.length, name).toBeLessThanOrEqual(3)
            compared++
          }
        }
      } finally {
        await server.close()
        await fixture.cleanup()
      }
    }
    expect(compared).toBe(plants.length * 2 * 4)
  }, 240_000)
})
