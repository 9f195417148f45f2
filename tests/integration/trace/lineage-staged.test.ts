/**
 * The staged walks, backward and forward (their state in the result file's temporary tables),
 * against the object walks: on seeded random plants with cycles, self-links, GD reworks, wafer lots named twice,
 * merge sources without a container row, and CIDs such as `0`, `__proto__`, `晶圓-1` or one
 * beyond the BMP, the file each leaves holds the same nodes, edges and JSON parts byte for byte,
 * under the depth and node caps too, and the pipeline fetches the events of the same CIDs.
 */
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createResultFile } from '../../../main/store/index.js'
import { RESULT_WRITER_CACHE_KIB } from '../../../main/store/connection.js'
import { eventCids, runTrace } from '../../../main/trace/index.js'
import { resolveBackwardLineage, resolveForwardLineage, type LineageOptions } from '../../../main/trace/lineage.js'
import { resolveBackwardLineageStaged } from '../../../main/trace/lineage-staged.js'
import { normalizeTraceRequest, type NormalizedTraceRequest } from '../../../shared/trace-request.js'
import { recordingOracleSource } from '../../fixtures/oracle-recording.js'
import { createFixtureSource, withMaxInList, withStatementLog, type FixtureSource } from '../../fixtures/source-fixture.js'
import { tempDir } from '../../unit/store/store-fixtures.js'
import { FIDELITY_ROWS } from './fidelity-fixture.js'
import { COMPLETE, dump, HOSTILE, randomPlant, REQUEST, WALKS } from './lineage-kit.js'

const JOB = 'trace-evt-00000000a7a9'
type Direction = keyof typeof WALKS

describe('the staged walks', () => {
  let tmp: ReturnType<typeof tempDir>
  let files = 0
  const newWriter = () => createResultFile(join(tmp.dir, `f${++files}`, `${JOB}.sqlite`), { jobId: JOB, request: REQUEST, source: 'sqlite:/fixture', appVersion: '0.1.0', now: Date.UTC(2026, 1, 2) })
  const finish = (writer: ReturnType<typeof newWriter>): string => {
    writer.finish({ domainQuality: {}, quality: COMPLETE, completedAt: Date.UTC(2026, 1, 2, 0, 1) })
    return writer.path
  }

  /** Both walks into a file each; returns the object walk's result, each walk's progress and what each file holds. */
  async function both(seeds: string[], options: LineageOptions, direction: Direction = 'backward') {
    const objectProgress: unknown[] = []
    const stagedProgress: unknown[] = []
    const full = await WALKS[direction].object(seeds, { ...options, onProgress: (p) => void objectProgress.push(p) })
    const a = newWriter()
    a.writeLineage(full)
    const objectFile = dump(finish(a))
    const b = newWriter()
    // Where the walk releases what it read (a worker collects there).
    const stepEnds: number[] = []
    const staged = await WALKS[direction].staged(
      seeds,
      { ...options, onProgress: (p) => void stagedProgress.push(p), onStepEnd: () => void stepEnds.push(stagedProgress.length) },
      b.workspace(),
    )
    b.writeLineageStream(staged.stream)
    staged.dispose()
    // The parts are joined once the walk is released, as a job does.
    b.joinLineageParts()
    expect(b.workspace().prepare("SELECT name FROM temp.sqlite_master WHERE name LIKE 'lineage_%'").all()).toEqual([])
    const stagedFile = dump(finish(b))
    return { full, objectFile, stagedFile, staged, objectProgress, stagedProgress, stepEnds }
  }

  beforeEach(() => {
    tmp = tempDir()
  })
  afterEach(() => tmp.cleanup())

  const plants = Array.from({ length: 12 }, (_, i) => 1000 + i * 7919)
  for (const plantSeed of plants) {
    it(`leaves the same file as the object walk on random plant ${plantSeed}, both directions, capped and not`, async () => {
      const { rows, seeds } = randomPlant(plantSeed)
      const fixture = await createFixtureSource(rows)
      try {
        for (const [label, options, walk] of (['backward', 'forward'] as const).flatMap((direction) =>
          ([
            ['no cap', { source: fixture.source }],
            ['chunks of 3', { source: withMaxInList(fixture.source, 3) }],
            ['depth 1', { source: fixture.source, maxDepth: 1 }],
            ['depth 3, chunks of 2', { source: withMaxInList(fixture.source, 2), maxDepth: 3 }],
            ['node cap', { source: withMaxInList(fixture.source, 4), maxNodes: 20 }],
            ['depth 0', { source: fixture.source, maxDepth: 0 }],
            // The relations followed on the server first (a pushed-down run): the same file.
            ['read ahead', { source: fixture.source, readAhead: true }],
            ['read ahead, depth 1', { source: fixture.source, maxDepth: 1, readAhead: true }],
            ['read ahead, node cap, chunks of 4', { source: withMaxInList(fixture.source, 4), maxNodes: 20, readAhead: true }],
            ['read ahead, depth 0', { source: fixture.source, maxDepth: 0, readAhead: true }],
            // Oracle's form (recursive subquery factoring), a statement per 4 seeds.
            ['read ahead in Oracle SQL, seeds 4 at a time', { source: withMaxInList(recordingOracleSource(fixture.source), 4), readAhead: true }],
          ] as const).map(([label, options]) => [`${direction}, ${label}`, options, direction] as const),
        )) {
          const { full, objectFile, stagedFile, staged, objectProgress, stagedProgress, stepEnds } = await both(seeds, options, walk)
          // After the last level; forward once more, when its wafer links are worked out.
          expect(stepEnds, label).toEqual(walk === 'forward' ? [stagedProgress.length, stagedProgress.length] : [stagedProgress.length])
          expect(stagedFile, label).toEqual(objectFile)
          // The joined parts keep the places the stream gave them (readers take them by rowid).
          const partNames = (stagedFile.parts as [string, string][]).map(([name]) => name).filter((name) => name !== 'lineage.node_qty')
          expect(partNames, label).toEqual(Array.from(staged.stream.parts, ([key]) => `lineage.${key}`))
          expect(objectFile.nodes.length, label).toBe(Object.keys(full.nodes).length)
          const { direction, total_nodes, truncated, truncation_reasons } = full
          expect(staged.outline, label).toEqual({ direction, total_nodes, truncated, truncation_reasons })
          for (const profile of ['mid_section_defect', 'query_tool_reverse'] as const) {
            expect(staged.eventCids(profile), `${label} ${profile}`).toEqual(eventCids({ profile } as NormalizedTraceRequest, seeds, full))
          }
          // The same levels, reported the same way; a forward climb read ahead has no hop left to read.
          if (walk === 'forward' && 'readAhead' in options) expect(stagedProgress.at(-1), label).toEqual(objectProgress.at(-1))
          else expect(stagedProgress, label).toEqual(objectProgress)
        }
      } finally {
        await fixture.cleanup()
      }
    })
  }

  it('reads ahead in one statement what the per-level reads ask level by level, and only asks for what it could not answer', async () => {
    let readAheadRuns = 0
    let walkedStatements = 0
    for (const plantSeed of plants) {
      const { rows, seeds } = randomPlant(plantSeed)
      const fixture = await createFixtureSource(rows)
      try {
        for (const direction of ['backward', 'forward'] as const) {
          const counts = { plain: 0, ahead: 0 }
          for (const readAhead of [false, true]) {
            const statements: string[] = []
            const counting = withStatementLog(fixture.source, statements)
            const writer = newWriter()
            const staged = await WALKS[direction].staged(seeds, { source: counting, readAhead }, writer.workspace())
            staged.dispose()
            writer.abort()
            const ahead = statements.filter((sql) => sql.startsWith('WITH RECURSIVE SEED (CID)'))
            if (readAhead) {
              expect(ahead.length, `${plantSeed} ${direction}`).toBe(1)
              counts.ahead = statements.length - ahead.length
              readAheadRuns++
            } else {
              expect(ahead).toEqual([])
              counts.plain = statements.length
            }
          }
          // The walk asks the source only for what the statement left to it: the keys a server's
          // TRIM reads otherwise than the walk (a tab-padded wafer lot name, a CID with a tab).
          expect(counts.plain, `${plantSeed} ${direction}`).toBeGreaterThanOrEqual(8)
          expect(counts.ahead, `${plantSeed} ${direction}`).toBeLessThanOrEqual(2)
          walkedStatements += counts.ahead
        }
      } finally {
        await fixture.cleanup()
      }
    }
    expect(readAheadRuns).toBe(plants.length * 2)
    expect(walkedStatements).toBeGreaterThan(0)
  })

  it('covers what the random plants are for: caps hit, cycles, wafers kept and dropped, hostile keys, every forward link', async () => {
    // Guards the generator: a change that stopped drawing these cases would leave the comparison empty-handed.
    let depthCut = 0
    let nodeCut = 0
    let waferEdges = 0
    let hostileKeys = 0
    const forwardEdges = new Set<string>()
    let forwardSerials = 0
    let forwardDepthCut = 0
    let forwardNodeCut = 0
    for (const plantSeed of plants) {
      const { rows, seeds } = randomPlant(plantSeed)
      const fixture = await createFixtureSource(rows)
      try {
        const full = await resolveBackwardLineage(seeds, { source: fixture.source })
        if (full.direction !== 'backward') throw new Error('backward expected')
        waferEdges += full.edges.filter((e) => e.edge_type === 'wafer_origin').length
        hostileKeys += Object.keys(full.nodes).filter((cid) => HOSTILE.includes(cid)).length
        if ((await resolveBackwardLineage(seeds, { source: fixture.source, maxDepth: 1 })).truncation_reasons.includes('depth_cap')) depthCut++
        if ((await resolveBackwardLineage(seeds, { source: fixture.source, maxNodes: 20 })).truncation_reasons.includes('node_cap')) nodeCut++
        const forward = await resolveForwardLineage(seeds, { source: fixture.source })
        for (const edge of forward.edges) forwardEdges.add(edge.edge_type)
        if (forward.direction === 'forward' && Object.keys(forward.leaf_serials).length > 0) forwardSerials++
        if ((await resolveForwardLineage(seeds, { source: fixture.source, maxDepth: 1 })).truncation_reasons.includes('depth_cap')) forwardDepthCut++
        if ((await resolveForwardLineage(seeds, { source: fixture.source, maxNodes: 20 })).truncation_reasons.includes('node_cap')) forwardNodeCut++
      } finally {
        await fixture.cleanup()
      }
    }
    expect(depthCut).toBeGreaterThan(6)
    expect(nodeCut).toBeGreaterThan(6)
    expect(waferEdges).toBeGreaterThan(10)
    expect(hostileKeys).toBeGreaterThan(30)
    expect([...forwardEdges].sort()).toEqual(['gd_rework_source', 'merge_source', 'split_from', 'wafer_origin'])
    expect(forwardSerials).toBeGreaterThan(6)
    expect(forwardDepthCut).toBeGreaterThan(6)
    expect(forwardNodeCut).toBeGreaterThan(6)
  })

  describe('on the fidelity plant', () => {
    let fixture: FixtureSource
    beforeAll(async () => {
      fixture = await createFixtureSource(FIDELITY_ROWS)
    })
    afterAll(async () => {
      await fixture.cleanup()
    })

    it('leaves the same file as the object walk for no seeds and for seeds that are not lots, both directions', async () => {
      for (const seeds of [[], ['NOT-A-LOT', 'constructor', '__proto__']]) {
        for (const direction of ['backward', 'forward'] as const) {
          const { objectFile, stagedFile, staged, full } = await both(seeds, { source: fixture.source }, direction)
          expect(stagedFile, `${direction} ${seeds.length}`).toEqual(objectFile)
          expect(staged.outline.total_nodes).toBe(full.total_nodes)
          expect(staged.eventCids('mid_section_defect')).toEqual(eventCids({ profile: 'mid_section_defect' } as NormalizedTraceRequest, seeds, full))
        }
      }
    })

    it('leaves the same file as the object walk, both directions', async () => {
      const seeds = ['A21', 'T', 'C1', 'V1', 'NOROW', 'NOROW2', 'G', 'A1']
      for (const direction of ['backward', 'forward'] as const) {
        const { objectFile, stagedFile } = await both(seeds, { source: fixture.source }, direction)
        expect(stagedFile, direction).toEqual(objectFile)
        expect(stagedFile.edges.length, direction).toBeGreaterThan(5)
      }
    })

    it('is what a job runs: the same outcome and file as a run that writes the whole genealogy', async () => {
      const request = normalizeTraceRequest({ profile: 'query_tool_reverse', params: { resolve_type: 'serial_number', values: ['SN-T', 'SN-NOROW'] }, domains: [] })
      const a = newWriter()
      const whole = await runTrace({ source: fixture.source, request, keepLineage: 'outline', sink: { onLineage: (l) => a.writeLineage(l) } })
      const b = newWriter()
      let streamed = false
      const staged = await runTrace({
        source: fixture.source,
        request,
        keepLineage: 'outline',
        sink: {
          onLineage: () => expect.unreachable('the staged walk hands over a stream'),
          onLineageStream: (s) => {
            streamed = true
            b.writeLineageStream(s)
          },
          lineageWorkspace: () => b.workspace(),
        },
      })
      expect(streamed).toBe(true)
      expect({ ...staged, stage_ms: null }).toEqual({ ...whole, stage_ms: null })
      expect(dump(finish(b))).toEqual(dump(finish(a)))
    })

    it('has the file join the parts once the walk is released, after a step end', async () => {
      const writer = newWriter()
      const db = writer.workspace()
      const parentMap = (): unknown => db.prepare("SELECT value FROM json_parts WHERE name = 'lineage.parent_map'").pluck().get()
      const events: string[] = []
      await runTrace({
        source: fixture.source,
        request: REQUEST,
        keepLineage: 'outline',
        onStepEnd: () => events.push('step end'),
        sink: {
          lineageWorkspace: () => db,
          onLineageStream: (s) => {
            writer.writeLineageStream(s)
            events.push(`streamed, parent_map ${String(parentMap())}`)
          },
          onLineageReleased: () => {
            const walkTables = db.prepare("SELECT count(*) FROM temp.sqlite_master WHERE name LIKE 'lineage_%' AND name <> 'lineage_fragments'").pluck().get()
            events.push(`released, ${String(walkTables)} walk tables`)
            writer.joinLineageParts()
            events.push(`joined, parent_map ${parentMap() === '{}' ? 'empty' : 'filled'}`)
            // The page caches, given up while the parts are joined, are the writer's again.
            events.push(`caches ${String(db.pragma('cache_size', { simple: true }))} ${String(db.pragma('temp.cache_size', { simple: true }))}`)
          },
        },
      })
      // Seeds resolved; the walk has every node (it collects before making its orders); the trace stage ended.
      expect(events).toEqual(['step end', 'step end', 'streamed, parent_map {}', 'step end', 'released, 0 walk tables', 'joined, parent_map filled', `caches -${RESULT_WRITER_CACHE_KIB} -${RESULT_WRITER_CACHE_KIB}`, 'step end'])
      expect(db.prepare("SELECT count(*) FROM temp.sqlite_master WHERE name = 'lineage_fragments'").pluck().get()).toBe(0)
      writer.abort()
    })

    it('reports the file\'s own failure when the file was closed before the genealogy was written', async () => {
      const request = normalizeTraceRequest({ profile: 'query_tool_reverse', params: { resolve_type: 'serial_number', values: ['SN-T'] }, domains: [] })
      const writer = newWriter()
      const run = runTrace({
        source: fixture.source,
        request,
        keepLineage: 'outline',
        sink: {
          lineageWorkspace: () => writer.workspace(),
          onLineageStream: () => {
            writer.abort()
            throw new Error('the disk went away')
          },
        },
      })
      await expect(run).rejects.toThrow('the disk went away')
    })

    it('leaves no table behind when cancelled', async () => {
      const writer = newWriter()
      const controller = new AbortController()
      const run = resolveBackwardLineageStaged(['A21', 'T'], { source: fixture.source, signal: controller.signal, onProgress: () => controller.abort() }, writer.workspace())
      await expect(run).rejects.toMatchObject({ code: 'trace/cancelled' })
      expect(writer.workspace().prepare("SELECT name FROM temp.sqlite_master WHERE name LIKE 'lineage_%'").all()).toEqual([])
      writer.abort()
    })
  })
})
