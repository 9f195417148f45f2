import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  createResultFile,
  openCatalog,
  openResultFile,
  removeOrphanPartials,
  RESULT_FORMAT_VERSION,
  type ResultFileReader,
  type ResultFileWriter,
} from '../../../main/store/index.js'
import type { EventRow, ForwardLineage } from '../../../shared/trace.js'
import { lotRequest, tempDir } from '../../unit/store/store-fixtures.js'
import { BACKWARD, BACKWARD_AGGREGATION, BACKWARD_AGGREGATION_V1, eventRows, FORWARD, FORWARD_AGGREGATION, quality, SEEDS, sortedBy } from './result-file-fixtures.js'
import { thrown } from '../../fixtures/thrown.js'

const JOB = 'trace-evt-00000000abcd'
const AS_OF = Date.UTC(2026, 0, 9, 6, 30, 0)
const DONE = AS_OF + 90_000


function writer(path: string, extra: { maxPageCount?: number; maxBytes?: number; domains?: ReturnType<typeof lotRequest>['domains'] } = {}): ResultFileWriter {
  const request = { ...lotRequest('GA26010001-A01'), ...(extra.domains ? { domains: extra.domains } : {}) }
  return createResultFile(path, {
    jobId: JOB,
    request,
    source: 'sqlite:/plants/demo.sqlite',
    appVersion: '0.1.0',
    now: AS_OF,
    ...(extra.maxPageCount !== undefined ? { maxPageCount: extra.maxPageCount } : {}),
    ...(extra.maxBytes !== undefined ? { maxBytes: extra.maxBytes } : {}),
  })
}

function finishPlain(w: ResultFileWriter): number {
  return w.finish({ domainQuality: { history: quality('complete', 0, 'history') }, quality: quality('complete', 0), completedAt: DONE })
}

describe('result file', () => {
  let tmp: ReturnType<typeof tempDir>
  let path: string
  beforeEach(() => {
    tmp = tempDir()
    path = join(tmp.dir, 'results', `${JOB}.sqlite`)
  })
  afterEach(() => tmp.cleanup())

  describe('round trip', () => {
    it('reads back the manifest, seeds, lineage, aggregation and events exactly as written', () => {
      const w = writer(path)
      const history = eventRows('history', 0, 250)
      const rejects = eventRows('rejects', 0, 40)
      w.writeSeeds(SEEDS)
      w.writeLineage(BACKWARD)
      w.writeEvents('history', history.slice(0, 200))
      w.writeEvents('rejects', rejects)
      w.writeEvents('history', history.slice(200))
      const domainQuality = { history: quality('complete', 250, 'history'), rejects: { ...quality('partial', 40, 'rejects'), reasons: ['chunk_failure' as const] } }
      const size = w.finish({
        domainQuality,
        quality: quality('partial', 290),
        warnings: ['DW_MES_SPEC_WORKCENTER_V is missing: rejects grouped by station rules'],
        aggregation: BACKWARD_AGGREGATION,
        completedAt: DONE,
      })
      expect(size).toBe(statSync(path).size)

      const reader = openResultFile(path)
      try {
        expect(reader.manifest()).toEqual({
          format_version: RESULT_FORMAT_VERSION,
          job_id: JOB,
          request: lotRequest('GA26010001-A01'),
          source: 'sqlite:/plants/demo.sqlite',
          app_version: '0.1.0',
          created_at: AS_OF,
          as_of: AS_OF,
          completed_at: DONE,
          status: 'finished',
          domains: ['history', 'materials', 'rejects', 'holds', 'jobs'],
          row_counts: { history: 250, materials: 0, rejects: 40, holds: 0, jobs: 0 },
          domain_quality: domainQuality,
          quality: quality('partial', 290),
          warnings: ['DW_MES_SPEC_WORKCENTER_V is missing: rejects grouped by station rules'],
          sort_columns: expect.objectContaining({ history: expect.arrayContaining(['CONTAINERID', 'TRACKINTIMESTAMP']) }),
        })
        expect(reader.seeds()).toEqual(SEEDS)
        expect(reader.lineage()).toEqual(BACKWARD)
        expect(reader.aggregation()).toEqual(BACKWARD_AGGREGATION)
        expect(reader.domainCounts()).toEqual({ history: 250, materials: 0, rejects: 40, holds: 0, jobs: 0 })
        expect(reader.page('history', { limit: 1000 }).rows).toEqual(history)
        expect(reader.page('rejects', { limit: 1000 })).toEqual({ rows: rejects, total: 40, offset: 0, limit: 1000 })
        expect(reader.page('materials')).toEqual({ rows: [], total: 0, offset: 0, limit: 100 })
      } finally {
        reader.close()
      }
    })

    it('reads an aggregation written before significance, onset and lot counts, saying they were not recorded', () => {
      const old = join(tmp.dir, 'version-1.sqlite')
      const w = writer(old)
      w.finish({ domainQuality: {}, quality: quality('complete', 0), aggregation: BACKWARD_AGGREGATION_V1, completedAt: DONE })
      const reader = openResultFile(old)
      try {
        const a = reader.aggregation()
        if (a?.direction !== 'backward') throw new Error('expected a backward aggregation')
        expect(a.daily_trend).toEqual([{ date: '2026-01-08', input_qty: 3000, defect_qty: 12, defect_rate: 0.4, lot_count: null, defective_lot_count: null }])
        expect(a.suspects[0]).toMatchObject({
          name: 'GWBE-0029', q_value: null, significant: false, explained_by: null, conditional_p_value: null, onset: null, onset_p_value: null,
          rate_before_onset: null, rate_after_onset: null,
        })
        expect(a.suspect_summary).toMatchObject({ total: 1, significant: 0, independent: 0, explained: 0, fdr: null })
        expect(a.suspect_timelines).toEqual([])
      } finally {
        reader.close()
      }
    })

    it('reads a forward aggregation, and refuses a stored aggregation of another shape naming where it is wrong', () => {
      const forward = join(tmp.dir, 'forward.sqlite')
      const w = writer(forward)
      w.finish({ domainQuality: {}, quality: quality('complete', 0), aggregation: FORWARD_AGGREGATION, completedAt: DONE })
      const reader = openResultFile(forward)
      try {
        expect(reader.aggregation()).toEqual(FORWARD_AGGREGATION)
      } finally {
        reader.close()
      }
      const cases: [unknown, string][] = [
        [{ kpi: { lots: 3, defect_rate: 0.125 } }, 'aggregation.direction'],
        [{ ...BACKWARD_AGGREGATION, charts: { ...BACKWARD_AGGREGATION.charts, by_machine: [{ ...BACKWARD_AGGREGATION.charts.by_machine[0], defect_qty: '12' }] } }, 'aggregation.charts.by_machine[0].defect_qty'],
        [{ ...FORWARD_AGGREGATION, suspects: undefined, attribution: [BACKWARD_AGGREGATION.attribution[0]] }, 'aggregation.attribution'],
        [[BACKWARD_AGGREGATION], 'aggregation'],
      ]
      for (const [stored, field] of cases) {
        const file = join(tmp.dir, `bad-${cases.findIndex((c) => c[1] === field)}.sqlite`)
        const bad = writer(file)
        bad.finish({ domainQuality: {}, quality: quality('complete', 0), aggregation: stored, completedAt: DONE })
        const opened = openResultFile(file)
        try {
          const error = thrown(() => opened.aggregation())
          expect(error, field).toMatchObject({ code: 'storage/unreadable', details: { path: file, field } })
          expect(error.message, field).toContain(`has a damaged MSD aggregation (${field}: `)
        } finally {
          opened.close()
        }
      }
    })

    it('rebuilds a forward lineage (children map, leaf serials, truncation) and reports missing parts as null', () => {
      const w = writer(path)
      w.writeLineage(FORWARD)
      finishPlain(w)
      const reader = openResultFile(path)
      try {
        expect(reader.lineage()).toEqual(FORWARD)
        expect(Object.keys(reader.lineage()!.nodes)).toEqual(['P', 'K1', 'K2', 'M'])
        expect(reader.seeds()).toBeNull()
        expect(reader.aggregation()).toBeNull()
      } finally {
        reader.close()
      }
    })

    it('keeps CIDs such as __proto__ and constructor as plain keys of the lineage it rebuilds', () => {
      // A mailed file is hostile: such keys must neither vanish nor reach Object.prototype.
      const node = (cid: string, name: string) => ({ container_id: cid, container_name: name, mfgorder_name: null, wafer_lot: null, node_type: 'LOT' as const })
      const cids = ['0', '__proto__', 'constructor']
      const lineage: ForwardLineage = {
        direction: 'forward',
        roots: ['__proto__'],
        seeds: ['constructor'],
        children_map: JSON.parse('{"__proto__":["constructor","0"]}') as Record<string, string[]>,
        leaf_serials: JSON.parse('{"0":["SN-0"],"constructor":["SN-1"]}') as Record<string, string[]>,
        names: Object.fromEntries(cids.map((cid) => [cid, `name of ${cid}`])),
        nodes: Object.fromEntries(cids.map((cid) => [cid, node(cid, `name of ${cid}`)])),
        edges: [{ from_cid: '__proto__', to_cid: 'constructor', edge_type: 'split_from' }],
        total_nodes: 3,
        truncated: false,
        truncation_reasons: [],
      }
      const w = writer(path)
      w.writeLineage(lineage)
      finishPlain(w)
      const reader = openResultFile(path)
      try {
        const read = reader.lineage()!
        for (const key of Object.keys(lineage) as (keyof ForwardLineage)[]) expect(JSON.stringify(read[key as keyof typeof read]), key).toBe(JSON.stringify(lineage[key]))
        expect(Object.keys(read.nodes)).toEqual(cids)
        expect(Object.getPrototypeOf(read.nodes)).toBe(Object.prototype)
        expect(Object.hasOwn(read.nodes, '__proto__') && read.nodes['__proto__']!.container_name).toBe('name of __proto__')
      } finally {
        reader.close()
      }
    })

    it('stores a domain outside the request when rows arrive for it', () => {
      const w = writer(path, { domains: ['history'] })
      w.writeEvents('downstream_rejects', eventRows('downstream_rejects', 0, 3))
      finishPlain(w)
      const reader = openResultFile(path)
      try {
        expect(reader.manifest().domains).toEqual(['history', 'downstream_rejects'])
        expect(reader.domainCounts()).toEqual({ history: 0, downstream_rejects: 3 })
      } finally {
        reader.close()
      }
    })
  })

  describe('while it is written', () => {
    it('never shows a partial file at the final path before finish, and renames it at finish', () => {
      const w = writer(path)
      expect(w.partialPath).toBe(`${path}.partial`)
      w.writeSeeds(SEEDS)
      w.writeEvents('history', eventRows('history', 0, 500))
      expect(existsSync(path)).toBe(false)
      expect(existsSync(w.partialPath)).toBe(true)
      expect(thrown(() => openResultFile(path))).toMatchObject({ code: 'storage/unreadable' })
      finishPlain(w)
      expect(existsSync(path)).toBe(true)
      expect(readdirSync(join(tmp.dir, 'results'))).toEqual([`${JOB}.sqlite`])
      // abort after finish must never delete a finished result
      w.abort()
      expect(existsSync(path)).toBe(true)
      expect(() => w.writeEvents('history', [])).toThrow(/finished/)
    })

    it('abort closes and deletes the partial file', () => {
      const w = writer(path)
      w.writeEvents('history', eventRows('history', 0, 100))
      w.abort()
      w.abort()
      expect(readdirSync(join(tmp.dir, 'results'))).toEqual([])
    })

    it('refuses to replace an existing result', () => {
      finishPlain(writer(path))
      expect(thrown(() => writer(path))).toMatchObject({ code: 'storage/write-failed' })
      expect(existsSync(`${path}.partial`)).toBe(false)
    })

    it('refuses an unknown domain without failing the writer', () => {
      const w = writer(path)
      expect(thrown(() => w.writeEvents('bogus' as 'history', []))).toMatchObject({ code: 'input/invalid', details: { field: 'domain' } })
      w.writeEvents('history', eventRows('history', 0, 1))
      finishPlain(w)
      expect(existsSync(path)).toBe(true)
    })
  })

  describe('when the disk is full', () => {
    it('fails the write with storage/full (page cap), keeps failing, and abort leaves nothing behind', () => {
      const w = writer(path, { maxPageCount: 64 })
      let error: { code?: string } | undefined
      for (let batch = 0; batch < 100 && !error; batch++) {
        try {
          w.writeEvents('history', eventRows('history', batch * 2000, 2000))
        } catch (e) {
          error = e as { code?: string }
        }
      }
      expect(error).toMatchObject({ code: 'storage/full' })
      expect(thrown(() => w.writeEvents('history', eventRows('history', 0, 1)))).toMatchObject({ code: 'storage/full' })
      expect(thrown(() => finishPlain(w))).toMatchObject({ code: 'storage/full' })
      w.abort()
      expect(readdirSync(join(tmp.dir, 'results'))).toEqual([])
    })

    it('fails finish with storage/full when the indexes no longer fit (byte cap), leaving nothing behind', () => {
      // Measure how big the rows alone make the file, then cap it just above that.
      const probe = writer(path)
      const rows = eventRows('history', 0, 20_000)
      probe.writeEvents('history', rows)
      const rowBytes = statSync(probe.partialPath).size
      probe.abort()

      const w = writer(path, { maxBytes: rowBytes + 16 * 4096 })
      w.writeEvents('history', rows)
      expect(thrown(() => finishPlain(w))).toMatchObject({ code: 'storage/full' })
      w.abort()
      expect(readdirSync(join(tmp.dir, 'results'))).toEqual([])
    })
  })

  describe('paging', () => {
    const ROWS = 10_000
    let dir: ReturnType<typeof tempDir>
    let reader: ResultFileReader
    let history: EventRow[]
    let holds: EventRow[]

    beforeAll(() => {
      dir = tempDir()
      const file = join(dir.dir, `${JOB}.sqlite`)
      const w = writer(file)
      history = eventRows('history', 0, ROWS)
      for (let start = 0; start < ROWS; start += 1000) w.writeEvents('history', history.slice(start, start + 1000))
      holds = eventRows('holds', 0, 6)
      holds[0]!.HOLDCOMMENTS = 'yield 100% ok'
      holds[1]!.HOLDCOMMENTS = 'under_score'
      holds[2]!.HOLDCOMMENTS = 'Plain Comment'
      holds[3]!.HOLDCOMMENTS = "x' OR '1'='1"
      w.writeEvents('holds', holds)
      finishPlain(w)
      reader = openResultFile(file)
    })
    afterAll(() => {
      reader.close()
      dir.cleanup()
    })

    it('returns the first page and a deep page in written order', () => {
      expect(reader.page('history', { offset: 0, limit: 100 })).toEqual({ rows: history.slice(0, 100), total: ROWS, offset: 0, limit: 100 })
      expect(reader.page('history', { offset: 9_950, limit: 100 })).toEqual({ rows: history.slice(9_950), total: ROWS, offset: 9_950, limit: 100 })
      expect(reader.page('history', { offset: ROWS, limit: 10 })).toEqual({ rows: [], total: ROWS, offset: ROWS, limit: 10 })
    })

    it.each([
      ['TRACKINTIMESTAMP', 'asc'],
      ['TRACKINTIMESTAMP', 'desc'],
      ['TRACKINQTY', 'asc'],
      ['TRACKOUTQTY', 'desc'],
      ['CONTAINERID', 'asc'],
      ['EQUIPMENTNAME', 'asc'],
      ['EQUIPMENTNAME', 'desc'],
    ] as const)('sorts by %s %s, at the first page and deep', (column, direction) => {
      const expected = sortedBy(history, column, direction)
      for (const offset of [0, 4_321, 9_990]) {
        const page = reader.page('history', { offset, limit: 50, sort: { column, direction } })
        expect(page.total).toBe(ROWS)
        expect(page.rows).toEqual(expected.slice(offset, offset + 50))
      }
    })

    it('sorts numbers as numbers', () => {
      const values = reader.page('history', { limit: 1000, offset: 5000, sort: { column: 'TRACKINQTY' } }).rows.map((r) => r.TRACKINQTY as number)
      expect(values.every((v, i) => i === 0 || values[i - 1]! <= v)).toBe(true)
      expect(values.every((v) => typeof v === 'number')).toBe(true)
    })

    it('filters with bound values: eq, contains (case-insensitive), gte and lte, with totals', () => {
      const cid = history[17]!.CONTAINERID as string
      const eq = history.filter((r) => r.CONTAINERID === cid)
      expect(reader.page('history', { limit: 1000, filter: [{ column: 'CONTAINERID', op: 'eq', value: cid }] })).toEqual({
        rows: eq,
        total: eq.length,
        offset: 0,
        limit: 1000,
      })
      const equipment = history[3]!.EQUIPMENTNAME as string
      const contains = history.filter((r) => typeof r.EQUIPMENTNAME === 'string' && r.EQUIPMENTNAME.toLowerCase().includes(equipment.slice(1).toLowerCase()))
      const page = reader.page('history', { limit: 1000, filter: [{ column: 'EQUIPMENTNAME', op: 'contains', value: equipment.slice(1).toLowerCase() }] })
      expect(page.total).toBe(contains.length)
      expect(page.rows).toEqual(contains.slice(0, 1000))

      const inRange = history.filter(
        (r) => typeof r.TRACKINTIMESTAMP === 'string' && r.TRACKINTIMESTAMP >= '2026-01-10' && r.TRACKINTIMESTAMP <= '2026-01-12T23:59:59',
      )
      const ranged = reader.page('history', {
        offset: 10,
        limit: 20,
        sort: { column: 'TRACKINTIMESTAMP', direction: 'desc' },
        filter: [
          { column: 'TRACKINTIMESTAMP', op: 'gte', value: '2026-01-10' },
          { column: 'TRACKINTIMESTAMP', op: 'lte', value: '2026-01-12T23:59:59' },
        ],
      })
      expect(ranged.total).toBe(inRange.length)
      expect(ranged.rows).toEqual(sortedBy(inRange, 'TRACKINTIMESTAMP', 'desc').slice(10, 30))

      const big = history.filter((r) => typeof r.TRACKINQTY === 'number' && r.TRACKINQTY >= 500)
      expect(reader.page('history', { filter: [{ column: 'TRACKINQTY', op: 'gte', value: 500 }] }).total).toBe(big.length)
      // A number column compares typed text as a number, as a person typing "500" means.
      expect(reader.page('history', { filter: [{ column: 'TRACKINQTY', op: 'gte', value: '500' }] }).total).toBe(big.length)
    })

    it('filters on a list of values (in), pages deep into a filtered sorted view, and refuses a bad list', () => {
      const cids = [...new Set(history.map((r) => r.CONTAINERID as string))].slice(5, 40)
      const picked = history.filter((r) => cids.includes(r.CONTAINERID as string))
      expect(picked.length).toBeGreaterThan(60)
      const first = reader.page('history', { limit: 50, filter: [{ column: 'CONTAINERID', op: 'in', value: cids }] })
      expect(first.total).toBe(picked.length)
      expect(first.rows).toEqual(picked.slice(0, 50))
      const sorted = sortedBy(picked, 'TRACKINQTY', 'desc')
      for (const offset of [0, 20, picked.length - 7]) {
        const page = reader.page('history', { offset, limit: 20, sort: { column: 'TRACKINQTY', direction: 'desc' }, filter: [{ column: 'CONTAINERID', op: 'in', value: cids }] })
        expect(page.rows).toEqual(sorted.slice(offset, offset + 20))
      }
      expect(reader.page('history', { offset: picked.length, filter: [{ column: 'CONTAINERID', op: 'in', value: cids }] }).rows).toEqual([])
      // A whole lineage: far more containers than a statement has placeholders, bound as one list.
      const lineage = [...Array.from({ length: 50_000 }, (_, i) => `NOT-A-CID-${i}`), ...cids]
      const whole = reader.page('history', { limit: 1000, sort: { column: 'TRACKINQTY', direction: 'desc' }, filter: [{ column: 'CONTAINERID', op: 'in', value: lineage }] })
      expect(whole.total).toBe(picked.length)
      expect(whole.rows).toEqual(sorted.slice(0, 1000))
      expect(reader.page('history', { filter: [{ column: 'CONTAINERID', op: 'in', value: [...new Set(history.map((r) => r.CONTAINERID as string))] }] }).total).toBe(history.length)
      expect(thrown(() => reader.page('history', { filter: [{ column: 'CONTAINERID', op: 'in', value: [] }] }))).toMatchObject({
        code: 'input/invalid',
        details: { field: 'filter[0].value' },
      })
      expect(thrown(() => reader.page('history', { filter: [{ column: 'CONTAINERID', op: 'in', value: 'CID-1' as unknown as string[] }] }))).toMatchObject({
        details: { field: 'filter[0].value' },
      })
    })

    it('treats SQL-looking and wildcard values as plain text', () => {
      expect(reader.page('holds', { filter: [{ column: 'HOLDCOMMENTS', op: 'eq', value: "x' OR '1'='1" }] }).rows).toEqual([holds[3]])
      expect(reader.page('history', { filter: [{ column: 'CONTAINERID', op: 'eq', value: "CID-001' OR '1'='1" }] }).total).toBe(0)
      expect(reader.page('history', { filter: [{ column: 'CONTAINERID', op: 'contains', value: "'; DROP TABLE events_history; --" }] }).total).toBe(0)
      expect(reader.page('holds', { filter: [{ column: 'HOLDCOMMENTS', op: 'contains', value: '%' }] }).rows).toEqual([holds[0]])
      expect(reader.page('holds', { filter: [{ column: 'HOLDCOMMENTS', op: 'contains', value: '_' }] }).rows).toEqual([holds[1]])
      expect(reader.page('holds', { filter: [{ column: 'HOLDCOMMENTS', op: 'contains', value: 'plain c' }] }).rows).toEqual([holds[2]])
      expect(reader.page('history').total).toBe(ROWS)
    })

    it('refuses unknown columns and bad values with input/invalid naming the field', () => {
      const cases: [Parameters<ResultFileReader['page']>[1], string][] = [
        [{ sort: { column: 'NOPE' } }, 'sort.column'],
        [{ sort: { column: '_seq' } }, 'sort.column'],
        [{ sort: { column: 'CONTAINERID; DROP TABLE events_history' } }, 'sort.column'],
        [{ sort: { column: 'CONTAINERID', direction: 'sideways' as 'asc' } }, 'sort.direction'],
        [{ filter: [{ column: 'CONTAINERID', op: 'eq', value: 'a' }, { column: 'nope', op: 'eq', value: 'b' }] }, 'filter[1].column'],
        [{ filter: [{ column: 'CONTAINERID', op: 'like' as 'eq', value: 'a' }] }, 'filter[0].op'],
        [{ filter: [{ column: 'CONTAINERID', op: 'eq', value: { $ne: 1 } as unknown as string }] }, 'filter[0].value'],
        [{ filter: [{ column: 'CONTAINERID', op: 'eq', value: 'x'.repeat(5000) }] }, 'filter[0].value'],
        [{ limit: 1001 }, 'limit'],
        [{ limit: 0 }, 'limit'],
        [{ offset: -1 }, 'offset'],
        [{ offset: 1.5 }, 'offset'],
      ]
      for (const [options, field] of cases) {
        expect(thrown(() => reader.page('history', options)), field).toMatchObject({ code: 'input/invalid', details: { field } })
      }
      expect(thrown(() => reader.page('bogus' as 'history'))).toMatchObject({ code: 'input/invalid', details: { field: 'domain' } })
      // A real domain this result does not store: no rows, but its column names are still checked.
      expect(reader.page('upstream_history', { sort: { column: 'TRACKINQTY' } })).toEqual({ rows: [], total: 0, offset: 0, limit: 100 })
      expect(thrown(() => reader.page('upstream_history', { sort: { column: 'NOPE' } }))).toMatchObject({ details: { field: 'sort.column' } })
    })

    it('streams every row of a domain in chunks, in written order', async () => {
      const chunks: number[] = []
      const all: EventRow[] = []
      for await (const chunk of reader.allRows('history', { chunkSize: 3000 })) {
        chunks.push(chunk.length)
        all.push(...chunk)
      }
      expect(chunks).toEqual([3000, 3000, 3000, 1000])
      expect(all).toEqual(history)
      const none: EventRow[][] = []
      for await (const chunk of reader.allRows('jobs')) none.push(chunk)
      expect(none).toEqual([])
    })
  })

  describe('opening', () => {
    it('refuses a missing file, a foreign SQLite file, an unfinished file and a newer format', () => {
      expect(thrown(() => openResultFile(join(tmp.dir, 'missing.sqlite')))).toMatchObject({ code: 'storage/unreadable' })

      const catalog = openCatalog(join(tmp.dir, 'catalog.sqlite'))
      catalog.close()
      expect(thrown(() => openResultFile(join(tmp.dir, 'catalog.sqlite')))).toMatchObject({ code: 'storage/unreadable' })

      writeFileSync(join(tmp.dir, 'text.sqlite'), 'not a database '.repeat(100))
      expect(thrown(() => openResultFile(join(tmp.dir, 'text.sqlite')))).toMatchObject({ code: 'storage/unreadable' })

      finishPlain(writer(path))
      const unfinished = join(tmp.dir, 'unfinished.sqlite')
      copyFileSync(path, unfinished)
      const a = new Database(unfinished)
      a.prepare(`UPDATE manifest SET value = '"writing"' WHERE key = 'status'`).run()
      a.close()
      expect(thrown(() => openResultFile(unfinished))).toMatchObject({ code: 'storage/unreadable' })

      const newer = join(tmp.dir, 'newer.sqlite')
      copyFileSync(path, newer)
      const b = new Database(newer)
      b.prepare(`UPDATE manifest SET value = '99' WHERE key = 'format_version'`).run()
      b.close()
      const error = thrown(() => openResultFile(newer))
      expect(error).toMatchObject({ code: 'storage/incompatible', details: { fileVersion: 99, codeVersion: RESULT_FORMAT_VERSION } })
      expect(error.message).toContain('format version 99')
      expect(error.message).toContain(`up to ${RESULT_FORMAT_VERSION}`)
    })

    it('orders by a column whose sort table the file lacks, and never answers with a raw SQLite error', () => {
      const w = writer(path)
      w.writeEvents('history', eventRows('history', 0, 30))
      w.finish({ domainQuality: { history: quality('complete', 30, 'history') }, quality: quality('complete', 30), completedAt: DONE })
      const expected = openResultFile(path)
      const want = expected.page('history', { sort: { column: 'TRACKINQTY', direction: 'desc' }, limit: 10, offset: 3 }).rows
      expected.close()
      // The manifest still lists TRACKINQTY as sorted, but its sort table is gone.
      const db = new Database(path)
      db.exec('DROP TABLE "sort_history__TRACKINQTY"')
      db.close()
      const reader = openResultFile(path)
      try {
        expect(reader.page('history', { sort: { column: 'TRACKINQTY', direction: 'desc' }, limit: 10, offset: 3 }).rows).toEqual(want)
        // A table gone from under an open reader is a storage error naming the file, not SQLite's own.
        const broken = new Database(path)
        broken.exec('DROP TABLE events_history')
        broken.close()
        const error = thrown(() => reader.page('history', { limit: 5 }))
        expect(error).toMatchObject({ code: 'storage/unreadable' })
        expect(error.message).toContain('Reading a page of history from the result file')
      } finally {
        reader.close()
      }
    })

    it('pages MSD tables and refuses a file whose manifest lists one it does not hold', () => {
      const w = writer(path)
      w.createMsdTable('detail', [{ key: 'CONTAINERID', numeric: false }, { key: 'DEFECT_RATE', numeric: true }, { key: 'UPSTREAM_MACHINES', numeric: false }])
      w.analyze('Filling the detail', (db) => {
        const insert = db.prepare('INSERT INTO msd_detail (CONTAINERID, DEFECT_RATE, UPSTREAM_MACHINES) VALUES (?, ?, ?)')
        for (const [cid, rate, machines] of [
          ['C', 9.5, '焊接_WB/GWBE-0029'],
          ['A', 5, '切割/GSAW-0001, 焊接_WB/GWBE-00290'],
          ['B', 1.25, '成型/GMLD-0001, 焊接_WB/GWBE-0029, 測試/GTMA-0002'],
        ] as const)
          insert.run(cid, rate, machines)
      })
      finishPlain(w)
      const reader = openResultFile(path)
      expect(reader.msdColumns('detail')).toEqual(['CONTAINERID', 'DEFECT_RATE', 'UPSTREAM_MACHINES'])
      expect(reader.msdColumns('suspects')).toBeNull()
      expect(reader.msdPage('detail', { offset: 1, limit: 5 }).rows.map((r) => [r.CONTAINERID, r.DEFECT_RATE])).toEqual([
        ['A', 5],
        ['B', 1.25],
      ])
      expect(reader.msdPage('detail', { sort: { column: 'DEFECT_RATE' }, filter: [{ column: 'DEFECT_RATE', op: 'gte', value: 2 }] }).rows.map((r) => r.CONTAINERID)).toEqual(['A', 'C'])
      expect(reader.msdPage('suspects')).toEqual({ rows: [], total: 0, offset: 0, limit: 100 })
      // One whole entry of a list column: GWBE-0029 is not GWBE-00290, and % or _ are plain text.
      const item = (value: string) => reader.msdPage('detail', { filter: [{ column: 'UPSTREAM_MACHINES', op: 'item', value }] }).rows.map((r) => r.CONTAINERID)
      expect(item('焊接_WB/GWBE-0029')).toEqual(['C', 'B'])
      expect(item('焊接_WB/GWBE-002')).toEqual([])
      expect(item('焊接_WB/GWBE-00290')).toEqual(['A'])
      expect(item('成型/GMLD-0001')).toEqual(['B'])
      expect(item('焊接_WB/GWBE-002%')).toEqual([])
      expect(thrown(() => reader.msdPage('nope' as 'detail'))).toMatchObject({ code: 'input/invalid', details: { field: 'table' } })
      reader.close()

      const broken = join(tmp.dir, 'broken.sqlite')
      copyFileSync(path, broken)
      const db = new Database(broken)
      db.exec('DROP TABLE msd_detail')
      db.close()
      expect(thrown(() => openResultFile(broken))).toMatchObject({ code: 'storage/unreadable' })
    })

    it('reports a failing analysis step as trace/analysis-failed, not as a storage error', () => {
      const w = writer(path)
      const error = thrown(() => w.analyze('Aggregating', (db) => db.exec('SELECT no_such_column FROM msd_detection')))
      expect(error).toMatchObject({ code: 'trace/analysis-failed' })
      expect(error.message).toContain('no such column')
      w.abort()
      expect(existsSync(`${path}.partial`)).toBe(false)
    })

    it('opens a copy on another path (results are self-describing)', () => {
      const w = writer(path)
      w.writeEvents('history', eventRows('history', 0, 10))
      finishPlain(w)
      const elsewhere = join(tmp.dir, 'exported', 'copy.sqlite')
      mkdirSync(join(tmp.dir, 'exported'))
      copyFileSync(path, elsewhere)
      const reader = openResultFile(elsewhere)
      try {
        expect(reader.manifest().job_id).toBe(JOB)
        expect(reader.page('history').rows).toEqual(eventRows('history', 0, 10))
      } finally {
        reader.close()
      }
    })
  })

  describe('removeOrphanPartials', () => {
    it('deletes partial files and their companions and stray -wal/-shm/-journal files, keeps finished results, and copes with a missing folder', () => {
      const results = join(tmp.dir, 'results')
      mkdirSync(results)
      const stray = ['trace-evt-000000000003.sqlite-journal', 'trace-evt-000000000003.sqlite-shm', 'trace-evt-000000000003.sqlite-wal']
      for (const name of ['trace-evt-000000000001.sqlite.partial', 'trace-evt-000000000002.sqlite.partial-journal', 'trace-evt-000000000003.sqlite', 'notes.txt', ...stray]) {
        writeFileSync(join(results, name), 'x')
      }
      expect(removeOrphanPartials(results)).toEqual(['trace-evt-000000000001.sqlite.partial', 'trace-evt-000000000002.sqlite.partial-journal', ...stray])
      expect(readdirSync(results).sort()).toEqual(['notes.txt', 'trace-evt-000000000003.sqlite'])
      expect(removeOrphanPartials(join(tmp.dir, 'nowhere'))).toEqual([])
    })
  })
})
