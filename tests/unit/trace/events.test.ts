import { afterEach, describe, expect, it, vi } from 'vitest'
import type { MesSource, QueryOptions, SourceRow } from '../../../main/sources/mes-source.js'
import type { SqlValue } from '../../../main/sources/dialect.js'
import { SOURCE_TABLES } from '../../../main/sources/schema.js'
import {
  fetchEvents,
  normalizeCids,
  BATCH_ATTEMPTS,
  RETRY_BACKOFF_MS,
  SCAN_PART_ROWS,
  type EventBatch,
  type EventProgress,
  type FetchEventsOptions,
} from '../../../main/trace/events.js'
import { AppError, isAppError } from '../../../shared/errors.js'
import type { Domain, EventRow } from '../../../shared/trace.js'
import { createFixtureSource, type FixtureOptions, type FixtureRows, type FixtureSource } from '../../fixtures/source-fixture.js'

const cidsOf = (n: number): string[] => Array.from({ length: n }, (_, i) => `c${String(i).padStart(4, '0')}`)

/** One history row (with a machine and a track-in, so it is kept) per CID. */
const historyRows = (cids: readonly string[]) =>
  cids.map((cid, i) => ({
    CONTAINERID: cid,
    WORKCENTERNAME: 'TMTT',
    EQUIPMENTID: 'T1',
    EQUIPMENTNAME: 'T1',
    SPECNAME: 'S',
    TRACKINTIMESTAMP: `2026-01-01 00:${String(i % 60).padStart(2, '0')}:00`,
    TRACKINQTY: 10,
  }))

const materialRows = (cids: readonly string[]) =>
  cids.map((cid) => ({ CONTAINERID: cid, MATERIALPARTNAME: 'P', TXNDATE: '2026-01-01 00:00:00' }))

interface StreamCall {
  sql: string
  params: readonly SqlValue[]
}

/**
 * Wraps a source: records every `stream` call and lets a test replace a call's result
 * (`intercept` returns an iterable to use instead, or undefined to pass through).
 */
function instrument(
  source: MesSource,
  intercept: (call: StreamCall, index: number, options: QueryOptions | undefined) => AsyncIterable<SourceRow[]> | undefined = () =>
    undefined,
): { source: MesSource; calls: StreamCall[] } {
  const calls: StreamCall[] = []
  const wrapped = new Proxy(source, {
    get(target, key, receiver) {
      if (key === 'stream') {
        return (sql: string, params: readonly SqlValue[], options?: QueryOptions) => {
          const call = { sql, params }
          calls.push(call)
          return intercept(call, calls.length - 1, options) ?? target.stream(sql, params, options)
        }
      }
      const value: unknown = Reflect.get(target, key, receiver)
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    },
  })
  return { source: wrapped, calls }
}

/** A statement that fails on its first read, as a driver error would. */
function failing(message: string): AsyncIterable<SourceRow[]> {
  return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error(message)) }) }
}

/** A statement that never answers and ignores its signal; `onRead` is told when it is first read. */
function hanging(onRead: () => void = () => undefined): AsyncIterable<SourceRow[]> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => {
        onRead()
        return new Promise<IteratorResult<SourceRow[]>>(() => undefined)
      },
    }),
  }
}

/**
 * Runs `work` under a fake clock that moves 1 ms per event-loop turn: a wait the test puts in a
 * callback passes in fake time, while the source's real reads go on between the turns.
 */
async function ticking<T>(work: () => Promise<T>): Promise<T> {
  if (!vi.isFakeTimers()) vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  let settled = false
  const pending = work()
  pending.then(
    () => (settled = true),
    () => (settled = true),
  )
  while (!settled) await vi.advanceTimersByTimeAsync(1)
  return pending
}

/** Lets the fetch run, one event-loop turn at a time without moving the fake clock, until it sets a timer. */
async function untilTimerSet(): Promise<void> {
  for (let turn = 0; vi.getTimerCount() === 0; turn++) {
    if (turn === 1000) throw new Error('no timer was set')
    await vi.advanceTimersByTimeAsync(0)
  }
}

const fixtures: FixtureSource[] = []
async function fixture(rows: FixtureRows, options?: FixtureOptions): Promise<FixtureSource> {
  const fx = await createFixtureSource(rows, options)
  fixtures.push(fx)
  return fx
}
afterEach(async () => {
  vi.useRealTimers()
  while (fixtures.length) await fixtures.pop()!.cleanup()
})

async function run(options: Omit<FetchEventsOptions, 'onBatch'> & Partial<Pick<FetchEventsOptions, 'onBatch'>>) {
  const batches: EventBatch[] = []
  const progress: EventProgress[] = []
  const result = await fetchEvents({
    onBatch: (b) => void batches.push(b),
    onProgress: (p) => void progress.push(p),
    ...options,
  })
  return { result, batches, progress }
}

const batchesOf = (calls: StreamCall[], table: string) => calls.filter((c) => c.sql.includes(`FROM ${table} `))

describe('fetchEvents', () => {
  describe('input', () => {
    it('normalizes CIDs: strings only, trimmed, non-empty, first occurrence kept', () => {
      expect(normalizeCids([' b ', 'a', 'b', '', '  ', 42, null, 'a', 'c'])).toEqual(['b', 'a', 'c'])
    })

    it('queries the normalized CIDs', async () => {
      const fx = await fixture({ DW_MES_LOTWIPHISTORY: historyRows(['a', 'b']) })
      const { source, calls } = instrument(fx.source)
      const dirty = [' a ', 'a', '', 7, 'b'] as unknown as string[]
      const { batches } = await run({ source, cids: dirty, domains: ['history'] })
      expect(calls.map((c) => c.params)).toEqual([['a', 'b']])
      expect(batches[0]?.rows.map((r) => r.CONTAINERID)).toEqual(['a', 'b'])
    })

    it('refuses an unknown domain with input/invalid naming `domains`', async () => {
      const fx = await fixture({})
      const error: unknown = await fetchEvents({
        source: fx.source,
        cids: ['a'],
        domains: ['history', 'nope' as Domain],
        onBatch: () => undefined,
      }).catch((e: unknown) => e)
      expect(isAppError(error, 'input/invalid')).toBe(true)
      expect((error as { details: { field: string } }).details.field).toBe('domains')
      expect((error as Error).message).toContain('"nope"')
    })

    it.each([
      ['batchSize', 0],
      ['concurrency', 1.5],
      ['maxRowsPerDomain', -1],
    ] as const)('refuses %s = %s', async (field, value) => {
      const fx = await fixture({})
      const error: unknown = await fetchEvents({ source: fx.source, cids: ['a'], domains: ['history'], onBatch: () => undefined, [field]: value }).catch(
        (e: unknown) => e,
      )
      expect(isAppError(error, 'input/invalid')).toBe(true)
      expect((error as { details: { field: string } }).details.field).toBe(field)
    })

    it('reads nothing for no CIDs and reports every domain complete', async () => {
      const fx = await fixture({})
      const { source, calls } = instrument(fx.source)
      const { result, batches } = await run({ source, cids: ['  '], domains: ['history', 'jobs'] })
      expect(calls).toHaveLength(0)
      expect(batches).toHaveLength(0)
      expect(result.domains.history).toMatchObject({ status: 'complete', observed_rows: 0 })
      expect(result.domains.jobs).toMatchObject({ status: 'complete', observed_rows: 0 })
      expect(result.quality_meta).toMatchObject({ status: 'complete', observed_rows: 0 })
    })
  })

  describe('batching', () => {
    it('splits 1001 CIDs into 1000 + 1 for IN domains and reads the jobs table once', async () => {
      const cids = cidsOf(1001)
      const fx = await fixture({ DW_MES_LOTWIPHISTORY: historyRows([cids[0]!, cids[1000]!]) })
      const { source, calls } = instrument(fx.source)
      const { result, batches } = await run({ source, cids, domains: ['history', 'jobs'] })

      // The jobs domain's machine-window reads join the history too; they are the jobs domain's.
      const history = batchesOf(calls, 'DW_MES_LOTWIPHISTORY').filter((c) => !c.sql.includes('DW_MES_JOB'))
      expect(history.map((c) => c.params.length)).toEqual([1000, 1])
      expect(history[0]?.params[0]).toBe(cids[0])
      expect(history[1]?.params).toEqual([cids[1000]])

      // 1001 CIDs need more than one LIKE statement: one scan of the table instead, after the
      // machine-window read of each batch of CIDs.
      const jobs = calls.filter((c) => c.sql.includes('DW_MES_JOB'))
      expect(jobs.map((c) => c.params.length)).toEqual([1000, 1, 0])
      expect(jobs[0]?.sql).toContain('JOIN DW_MES_JOB j ON j.RESOURCEID = h.EQUIPMENTID')
      expect(jobs[2]?.sql).toContain('WHERE j.CONTAINERIDS IS NOT NULL')
      expect(jobs.some((c) => c.sql.includes('LIKE'))).toBe(false)
      expect(result.domains.jobs).toMatchObject({ status: 'complete', observed_rows: 0 })

      const historyBatches = batches.filter((b) => b.domain === 'history').sort((a, b) => a.batchIndex - b.batchIndex)
      expect(historyBatches.map((b) => [b.batchIndex, b.batchCount, b.rows.map((r) => r.CONTAINERID)])).toEqual([
        [0, 2, [cids[0]]],
        [1, 2, [cids[1000]]],
      ])
      expect(result.domains.history).toMatchObject({ status: 'complete', observed_rows: 2 })
    })

    it('lowers a batch size above the IN-list limit and honours a smaller one', async () => {
      const fx = await fixture({})
      const big = instrument(fx.source)
      await run({ source: big.source, cids: cidsOf(1500), domains: ['holds'], batchSize: 5000 })
      expect(big.calls.map((c) => c.params.length)).toEqual([1000, 500])

      const small = instrument(fx.source)
      await run({ source: small.source, cids: cidsOf(5), domains: ['holds', 'jobs'], batchSize: 2 })
      expect(batchesOf(small.calls, 'DW_MES_HOLDRELEASEHISTORY').map((c) => c.params.length)).toEqual([2, 2, 1])
      // Three jobs batches of 2 would be three LIKE scans: the table is read once instead.
      expect(batchesOf(small.calls, 'DW_MES_JOB').map((c) => c.params.length)).toEqual([0])
    })

    it('keeps one LIKE statement for jobs while the CIDs fit one batch, and scans past it', async () => {
      const fx = await fixture({})
      const orTerms = fx.source.dialect.maxOrTerms
      const fits = instrument(fx.source)
      const { result } = await run({ source: fits.source, cids: cidsOf(orTerms), domains: ['jobs'] })
      expect(fits.calls).toHaveLength(1)
      // Each CID twice: the machine-window IN list and the LIKE pattern, in one statement.
      expect(fits.calls[0]?.params).toHaveLength(2 * orTerms)
      expect(fits.calls[0]?.sql).toContain('LIKE')
      expect(result.domains.jobs).toMatchObject({ status: 'complete', observed_rows: 0 })

      const over = instrument(fx.source)
      await run({ source: over.source, cids: cidsOf(orTerms + 1), domains: ['jobs'] })
      expect(over.calls.map((c) => c.params.length)).toEqual([orTerms + 1, 0])
      expect(over.calls[0]?.sql).toContain('WHERE h.CONTAINERID IN (')
      expect(over.calls[1]?.sql).toContain('IS NOT NULL')
    })

    it('hands onBatch at most one batch of rows at a time, never a whole domain', async () => {
      const cids = cidsOf(2500)
      const fx = await fixture({ DW_MES_LOTMATERIALSHISTORY: materialRows(cids) })
      const sizes: number[] = []
      let inFlight = 0
      let maxInFlight = 0
      const { result } = await ticking(() => run({
        source: fx.source,
        cids,
        domains: ['materials'],
        concurrency: 3,
        onBatch: async (b) => {
          inFlight += 1
          maxInFlight = Math.max(maxInFlight, inFlight)
          sizes.push(b.rows.length)
          const batchCids = new Set(cids.slice(b.batchIndex * 1000, (b.batchIndex + 1) * 1000))
          expect(b.rows.every((r) => batchCids.has(String(r.CONTAINERID)))).toBe(true)
          // Fake time: the other batches are read meanwhile, so a second call would overlap this one.
          await new Promise((resolve) => setTimeout(resolve, 5))
          inFlight -= 1
        },
      }))
      expect(sizes.sort((a, b) => b - a)).toEqual([1000, 1000, 500])
      expect(maxInFlight).toBe(1)
      expect(result.domains.materials?.observed_rows).toBe(2500)
    })

    it('loads the spec map once per run, not per batch', async () => {
      const fx = await fixture({ DW_MES_SPEC_WORKCENTER_V: [{ SPEC: 'S', WORK_CENTER: 'W', WORK_CENTER_GROUP: 'G', WORKCENTERSEQUENCE_GROUP: 1 }] })
      const all = vi.spyOn(fx.source, 'all')
      await run({ source: fx.source, cids: cidsOf(5), domains: ['rejects', 'history'], batchSize: 1 })
      expect(all.mock.calls.filter(([sql]) => sql.includes('DW_MES_SPEC_WORKCENTER_V'))).toHaveLength(1)
    })

    it('reads at most `concurrency` batches at once, starting them in batch order', async () => {
      const cids = cidsOf(10)
      const fx = await fixture({ DW_MES_LOTWIPHISTORY: historyRows(cids) })
      let inFlight = 0
      let maxInFlight = 0
      const { source, calls } = instrument(fx.source, (call, _i, options) =>
        (async function* () {
          inFlight += 1
          maxInFlight = Math.max(maxInFlight, inFlight)
          try {
            // Hold the statement past the current turn, so every batch the pool starts now overlaps it.
            await new Promise((resolve) => setImmediate(resolve))
            yield* fx.source.stream(call.sql, call.params, options)
          } finally {
            inFlight -= 1
          }
        })(),
      )
      const { result } = await run({ source, cids, domains: ['history'], batchSize: 1, concurrency: 3 })
      expect(maxInFlight).toBe(3)
      expect(calls.map((c) => c.params)).toEqual(cids.map((cid) => [cid]))
      expect(result.domains.history).toMatchObject({ status: 'complete', observed_rows: 10 })
    })

    it('starts no further batch once onBatch has thrown', async () => {
      const cids = cidsOf(6)
      const fx = await fixture({ DW_MES_LOTWIPHISTORY: historyRows(cids) })
      const { source, calls } = instrument(fx.source)
      const error = await fetchEvents({
        source,
        cids,
        domains: ['history'],
        batchSize: 1,
        concurrency: 2,
        onBatch: () => {
          throw new Error('result file is full')
        },
      }).catch((e: unknown) => e)
      expect((error as Error).message).toBe('result file is full')
      // The two batches started together ran; none of the four waiting ones was read.
      expect(calls.map((c) => c.params)).toEqual([['c0000'], ['c0001']])
    })

    it('reports progress after every batch, ending at batchesTotal', async () => {
      const cids = cidsOf(3)
      const fx = await fixture({ DW_MES_LOTWIPHISTORY: historyRows(cids) })
      const { progress } = await run({ source: fx.source, cids, domains: ['history'], batchSize: 1, concurrency: 1 })
      expect(progress).toEqual([
        { domain: 'history', batchesDone: 1, batchesTotal: 3, rows: 1 },
        { domain: 'history', batchesDone: 2, batchesTotal: 3, rows: 2 },
        { domain: 'history', batchesDone: 3, batchesTotal: 3, rows: 3 },
      ])
    })
  })

  describe('when a batch fails', () => {
    const cids = cidsOf(5)
    const failSecondHistoryBatch = (source: MesSource) => {
      let historyCalls = 0
      return instrument(source, (call) => {
        if (!call.sql.includes('FROM DW_MES_LOTWIPHISTORY ')) return undefined
        historyCalls += 1
        return historyCalls === 2 ? failing('disk I/O error') : undefined
      })
    }

    it('marks the domain partial with the failed range and still delivers the other batches', async () => {
      const fx = await fixture({ DW_MES_LOTWIPHISTORY: historyRows(cids), DW_MES_LOTMATERIALSHISTORY: materialRows(cids) })
      const { source } = failSecondHistoryBatch(fx.source)
      const { result, batches } = await run({ source, cids, domains: ['history', 'materials'], batchSize: 2, concurrency: 1 })

      expect(result.domains.history).toEqual({
        status: 'partial',
        scope: 'domain',
        reasons: ['chunk_failure'],
        domain: 'history',
        observed_rows: 3,
        has_partial_failure: true,
        failed_ranges: [{ start: 'c0002', end: 'c0003' }],
        failed_chunk_count: 1,
        errors: [expect.stringContaining('disk I/O error')],
      })
      const delivered = batches.filter((b) => b.domain === 'history')
      expect(delivered.map((b) => b.batchIndex)).toEqual([0, 2])
      expect(delivered.flatMap((b) => b.rows.map((r) => r.CONTAINERID))).toEqual(['c0000', 'c0001', 'c0004'])
      expect(result.domains.materials).toMatchObject({ status: 'complete', observed_rows: 5 })
      expect(result.quality_meta).toMatchObject({ status: 'partial', reasons: ['chunk_failure'], failed_domains: [], observed_rows: 8 })
    })

    it('tries a batch again when the source could not be reached, RETRY_BACKOFF_MS later and then twice that, and marks it partial after the last try', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
      const fx = await fixture({ DW_MES_LOTWIPHISTORY: historyRows(cids) })
      const unreachable = (): AsyncIterable<SourceRow[]> => ({
        [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new AppError('source/unreachable', 'connection reset')) }),
      })
      // The second batch fails twice, then answers: every row arrives and the domain is complete.
      let secondBatchCalls = 0
      const flaky = instrument(fx.source, (call) => {
        if (!call.sql.includes('FROM DW_MES_LOTWIPHISTORY ') || call.params[0] !== 'c0002') return undefined
        secondBatchCalls += 1
        return secondBatchCalls <= 2 ? unreachable() : undefined
      })
      const pending = run({ source: flaky.source, cids, domains: ['history'], batchSize: 2, concurrency: 1 })
      await untilTimerSet()
      expect(secondBatchCalls).toBe(1)
      await vi.advanceTimersByTimeAsync(RETRY_BACKOFF_MS - 1)
      expect(secondBatchCalls).toBe(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(secondBatchCalls).toBe(2)
      await vi.advanceTimersByTimeAsync(2 * RETRY_BACKOFF_MS - 1)
      expect(secondBatchCalls).toBe(2)
      await vi.advanceTimersByTimeAsync(1)
      const ok = await pending
      expect(secondBatchCalls).toBe(3)
      expect(ok.result.domains.history).toMatchObject({ status: 'complete', observed_rows: 5 })
      // Always unreachable: three tries (BATCH_ATTEMPTS), then the batch is a failed range.
      let calls = 0
      const down = instrument(fx.source, (call) => {
        if (!call.sql.includes('FROM DW_MES_LOTWIPHISTORY ') || call.params[0] !== 'c0002') return undefined
        calls += 1
        return unreachable()
      })
      const partial = await ticking(() => run({ source: down.source, cids, domains: ['history'], batchSize: 2, concurrency: 1, retryBackoffMs: 1 }))
      expect(calls).toBe(BATCH_ATTEMPTS)
      expect(partial.result.domains.history).toMatchObject({ status: 'partial', observed_rows: 3, failed_ranges: [{ start: 'c0002', end: 'c0003' }] })
      // A statement error is not tried again.
      let wrong = 0
      const broken = instrument(fx.source, (call) => {
        if (!call.sql.includes('FROM DW_MES_LOTWIPHISTORY ') || call.params[0] !== 'c0002') return undefined
        wrong += 1
        return failing('syntax error')
      })
      await ticking(() => run({ source: broken.source, cids, domains: ['history'], batchSize: 2, concurrency: 1, retryBackoffMs: 1 }))
      expect(wrong).toBe(1)
    })

    it('fails the domain at the first failed batch when partial results are not allowed', async () => {
      const fx = await fixture({ DW_MES_LOTWIPHISTORY: historyRows(cids), DW_MES_LOTMATERIALSHISTORY: materialRows(cids) })
      const { source, calls } = failSecondHistoryBatch(fx.source)
      const { result, batches, progress } = await run({
        source, cids, domains: ['history', 'materials'], batchSize: 2, concurrency: 1, allowPartialResults: false,
      })
      expect(result.domains.history).toMatchObject({
        status: 'failed',
        reasons: ['domain_fetch_failed'],
        observed_rows: 2,
        failed_ranges: [{ start: 'c0002', end: 'c0003' }],
        failed_chunk_count: 1,
      })
      // The third history batch is never read; materials go on.
      expect(batchesOf(calls, 'DW_MES_LOTWIPHISTORY')).toHaveLength(2)
      expect(batches.filter((b) => b.domain === 'history').map((b) => b.batchIndex)).toEqual([0])
      expect(progress.filter((p) => p.domain === 'history').at(-1)).toEqual({ domain: 'history', batchesDone: 3, batchesTotal: 3, rows: 2 })
      expect(result.domains.materials).toMatchObject({ status: 'complete', observed_rows: 5 })
      expect(result.quality_meta).toMatchObject({ status: 'partial', failed_domains: ['history'] })
      expect(result.quality_meta.reasons).toContain('domain_failure')
    })

    it('fails a domain whose table is missing while the others complete', async () => {
      const tables = SOURCE_TABLES.map((t) => t.name).filter((n) => n !== 'DW_MES_HOLDRELEASEHISTORY')
      const fx = await fixture({ DW_MES_LOTWIPHISTORY: historyRows(cids) }, { tables })
      const { result, batches } = await run({ source: fx.source, cids, domains: ['holds', 'history'], batchSize: 2 })
      expect(result.domains.holds).toMatchObject({
        status: 'failed',
        reasons: ['domain_fetch_failed'],
        observed_rows: 0,
        failed_chunk_count: 3,
        failed_ranges: [
          { start: 'c0000', end: 'c0001' },
          { start: 'c0002', end: 'c0003' },
          { start: 'c0004', end: 'c0004' },
        ],
      })
      expect(result.domains.holds?.errors?.[0]).toMatch(/no such table/i)
      expect(result.domains.history).toMatchObject({ status: 'complete', observed_rows: 5 })
      expect(batches.every((b) => b.domain === 'history')).toBe(true)
      expect(result.quality_meta).toMatchObject({
        status: 'partial', failed_domains: ['holds'], reasons: ['domain_fetch_failed', 'domain_failure'], observed_rows: 5,
      })
    })

    it('rejects with the consumer error when onBatch throws', async () => {
      const fx = await fixture({ DW_MES_LOTWIPHISTORY: historyRows(cids) })
      const error = await fetchEvents({
        source: fx.source,
        cids,
        domains: ['history'],
        batchSize: 1,
        onBatch: () => {
          throw new Error('result file is full')
        },
      }).catch((e: unknown) => e)
      expect((error as Error).message).toBe('result file is full')
    })
  })

  describe('row guard', () => {
    it('stops the domain at maxRowsPerDomain and marks it truncated', async () => {
      const cids = cidsOf(5)
      const fx = await fixture({ DW_MES_LOTMATERIALSHISTORY: materialRows(cids), DW_MES_LOTWIPHISTORY: historyRows(cids) })
      const { source, calls } = instrument(fx.source)
      const { result, batches, progress } = await run({
        source, cids, domains: ['materials', 'history'], batchSize: 2, concurrency: 1, maxRowsPerDomain: 3,
      })
      expect(result.domains.materials).toEqual({
        status: 'truncated', scope: 'domain', reasons: ['max_total_rows_exceeded'], domain: 'materials', observed_rows: 3, max_rows: 3,
      })
      const materials = batches.filter((b) => b.domain === 'materials')
      expect(materials.map((b) => b.rows.length)).toEqual([2, 1])
      expect(batchesOf(calls, 'DW_MES_LOTMATERIALSHISTORY')).toHaveLength(2)
      expect(progress.filter((p) => p.domain === 'materials').at(-1)).toMatchObject({ batchesDone: 3, batchesTotal: 3, rows: 3 })
      expect(result.domains.history).toMatchObject({ status: 'truncated', observed_rows: 3 })
      expect(result.quality_meta).toMatchObject({
        status: 'truncated', truncated_domains: ['materials', 'history'], max_rows: 3, observed_rows: 6,
      })
    })

    it('is complete when the rows fit exactly', async () => {
      const cids = cidsOf(3)
      const fx = await fixture({ DW_MES_LOTMATERIALSHISTORY: materialRows(cids) })
      const { result } = await run({ source: fx.source, cids, domains: ['materials'], maxRowsPerDomain: 3 })
      expect(result.domains.materials).toMatchObject({ status: 'complete', observed_rows: 3 })
    })
  })

  describe('cancellation', () => {
    const cids = cidsOf(6)

    it('rejects with trace/cancelled before reading anything when already aborted', async () => {
      const fx = await fixture({})
      const { source, calls } = instrument(fx.source)
      const controller = new AbortController()
      controller.abort()
      const error = await fetchEvents({ source, cids, domains: ['history'], signal: controller.signal, onBatch: () => undefined }).catch(
        (e: unknown) => e,
      )
      expect(isAppError(error, 'trace/cancelled')).toBe(true)
      expect(calls).toHaveLength(0)
    })

    it('stops after the batch during which it was aborted', async () => {
      const fx = await fixture({ DW_MES_LOTWIPHISTORY: historyRows(cids) })
      const { source, calls } = instrument(fx.source)
      const controller = new AbortController()
      const seen: number[] = []
      const error = await fetchEvents({
        source,
        cids,
        domains: ['history'],
        batchSize: 1,
        concurrency: 1,
        signal: controller.signal,
        onBatch: (b) => {
          seen.push(b.batchIndex)
          controller.abort()
        },
      }).catch((e: unknown) => e)
      expect(isAppError(error, 'trace/cancelled')).toBe(true)
      expect(seen).toEqual([0])
      expect(calls).toHaveLength(1)
    })

    it('does not wait for a statement that ignores the signal', async () => {
      const fx = await fixture({})
      let reached!: () => void
      const read = new Promise<void>((resolve) => (reached = resolve))
      const { source } = instrument(fx.source, () => hanging(reached))
      const controller = new AbortController()
      const pending = fetchEvents({ source, cids, domains: ['history', 'jobs'], signal: controller.signal, onBatch: () => undefined })
      await read
      controller.abort()
      const error = await pending.catch((e: unknown) => e)
      expect(isAppError(error, 'trace/cancelled')).toBe(true)
    })

    it('passes an abortable signal to every statement', async () => {
      const fx = await fixture({ DW_MES_LOTWIPHISTORY: historyRows(cids) })
      const signals: (AbortSignal | undefined)[] = []
      const { source } = instrument(fx.source, (_call, _i, options) => {
        signals.push(options?.signal)
        return undefined
      })
      const controller = new AbortController()
      await run({ source, cids, domains: ['history'], batchSize: 3, signal: controller.signal })
      expect(signals).toHaveLength(2)
      expect(signals.every((s) => s instanceof AbortSignal && !s.aborted)).toBe(true)
    })
  })
  describe('jobs table scan', () => {
    /** 1001 plain CIDs and, in the middle, one with the LIKE wildcards `%` and `_`. */
    const CIDS = [...cidsOf(500), 'a%b_c', ...cidsOf(1001).slice(500)]
    const at = (i: number): string => CIDS[i % CIDS.length]!
    const created = (i: number): string | null => (i % 17 === 0 ? null : `2026-01-${String(1 + (i % 9)).padStart(2, '0')} 0${i % 3}:00:00`)

    /**
     * Jobs whose lists mix lots of different LIKE batches, spaces, repeated items, substring decoys
     * (`c0001` inside `c00010`/`xc0001`, `a%b_c` inside `a%b_cd`, `axb1c` matching an unescaped
     * pattern), case decoys (SQLite's LIKE ignores ASCII case) and lots nobody asked for.
     */
    const JOBS = [
      ...Array.from({ length: 400 }, (_, i) => ({
        JOBID: `J${String(i).padStart(3, '0')}`,
        RESOURCEID: `E${i % 7}`,
        CREATEDATE: created(i),
        CONTAINERIDS: [at(i), ` ${at(i + 401)} `, at(i * 7), `${at(i + 3)}0`, `x${at(i + 5)}`, at(i).toUpperCase(), at(i)].join(','),
        CONTAINERNAMES: `N${i}`,
      })),
      { JOBID: 'JS1', CREATEDATE: '2026-01-05 00:00:00', CONTAINERIDS: 'a%b_c,c0999' },
      { JOBID: 'JS2', CREATEDATE: '2026-01-05 00:00:00', CONTAINERIDS: 'a%b_cd, axb1c' },
      { JOBID: 'JN', CREATEDATE: '2026-01-06 00:00:00', CONTAINERIDS: null },
      { JOBID: 'JZ', CREATEDATE: '2026-01-06 00:00:00', CONTAINERIDS: 'zz1,zz2' },
    ]

    /** Jobs listing 5 requested lots each: 5000 output rows from 1000 source rows. */
    const WIDE = Array.from({ length: 1000 }, (_, i) => ({
      JOBID: `W${String(i).padStart(4, '0')}`,
      CREATEDATE: `2026-01-01 ${String(Math.floor(i / 60) % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`,
      CONTAINERIDS: [0, 1, 2, 3, 4].map((k) => at(i + k * 200)).join(','),
    }))

    const sorted = (rows: EventRow[]): string[] => rows.map((r) => JSON.stringify(r)).sort()

    /** §4.2 order: create date desc with missing dates last, then job ID. */
    function expectJobOrder(rows: EventRow[]): void {
      for (let i = 1; i < rows.length; i += 1) {
        const [a, b] = [rows[i - 1]!, rows[i]!]
        const [da, db] = [a.CREATEDATE ?? null, b.CREATEDATE ?? null]
        const ok =
          db === null ? da !== null || String(a.JOBID) <= String(b.JOBID)
          : da === null ? false
          : da > db || (da === db && String(a.JOBID) <= String(b.JOBID))
        expect(ok, `${JSON.stringify(a)} before ${JSON.stringify(b)}`).toBe(true)
      }
    }

    /** Re-chunks every DW_MES_JOB statement into `size`-row chunks, logging reads and the release. */
    function rechunkJobs(source: MesSource, size: number, log: string[], failAfter = Infinity) {
      return instrument(source, (call, _i, options) => {
        if (!call.sql.includes('FROM DW_MES_JOB ')) return undefined
        return (async function* () {
          try {
            let chunks = 0
            for await (const rows of source.stream(call.sql, call.params, options)) {
              for (let i = 0; i < rows.length; i += size) {
                if (chunks === failAfter) throw new Error('ORA-03113: end-of-file on communication channel')
                chunks += 1
                log.push('chunk')
                yield rows.slice(i, i + size)
              }
            }
          } finally {
            log.push('released')
          }
        })()
      })
    }

    it('gives the same rows as the per-batch LIKE statements, from one statement', async () => {
      const fx = await fixture({ DW_MES_JOB: JOBS })
      const stream = vi.spyOn(fx.source, 'stream')
      const orTerms = fx.source.dialect.maxOrTerms

      // The LIKE path: CID lists that each fit one statement.
      const viaLike: EventRow[] = []
      for (let i = 0; i < CIDS.length; i += orTerms) {
        const { batches } = await run({ source: fx.source, cids: CIDS.slice(i, i + orTerms), domains: ['jobs'] })
        viaLike.push(...batches.flatMap((b) => b.rows))
      }
      expect(stream).toHaveBeenCalledTimes(Math.ceil(CIDS.length / orTerms))
      expect(stream.mock.calls.every(([sql]) => sql.includes('LIKE'))).toBe(true)

      stream.mockClear()
      const { result, batches, progress } = await run({ source: fx.source, cids: CIDS, domains: ['jobs'] })
      // The machine windows of 1000 + 2 CIDs, then the one scan.
      expect(stream).toHaveBeenCalledTimes(3)
      expect(stream.mock.calls.map(([, params]) => params.length)).toEqual([1000, 2, 0])
      expect(stream.mock.calls[2]?.[0]).toContain('WHERE j.CONTAINERIDS IS NOT NULL')
      const viaScan = batches.flatMap((b) => b.rows)

      // About 400 jobs × 3 exact items (the first, the trimmed 401st, the 7×) + JS1's 2.
      expect(viaScan.length).toBeGreaterThan(1100)
      expect(sorted(viaScan)).toEqual(sorted(viaLike))
      expect(viaScan.filter((r) => r.CONTAINERID === 'a%b_c').map((r) => r.JOBID)).toContain('JS1')
      expect(viaScan.some((r) => r.JOBID === 'JS2' || r.JOBID === 'JN' || r.JOBID === 'JZ')).toBe(false)
      expect(batches.map((b) => [b.batchIndex, b.batchCount])).toEqual([[0, 1]])
      expectJobOrder(viaScan)
      expect(result.domains.jobs).toEqual({ status: 'complete', scope: 'domain', reasons: [], domain: 'jobs', observed_rows: viaScan.length })
      expect(progress.at(-1)).toEqual({ domain: 'jobs', batchesDone: 1, batchesTotal: 1, rows: viaScan.length })
    })

    it('delivers bounded parts in order as the scan goes, one at a time', async () => {
      const fx = await fixture({ DW_MES_JOB: WIDE })
      const log: string[] = []
      const { source, calls } = rechunkJobs(fx.source, 300, log)
      const batches: EventBatch[] = []
      let inFlight = 0
      let maxInFlight = 0
      const { result, progress } = await ticking(() => run({
        source,
        cids: CIDS,
        domains: ['jobs'],
        onBatch: async (b) => {
          inFlight += 1
          maxInFlight = Math.max(maxInFlight, inFlight)
          log.push(`part ${b.rows.length}`)
          batches.push(b)
          // Fake time: the scan reads on meanwhile, so a second call would overlap this one.
          await new Promise((resolve) => setTimeout(resolve, 5))
          inFlight -= 1
        },
      }))
      // Two machine-window reads (no history here, so no rows) and the scan.
      expect(calls.map((c) => c.sql.includes('FROM DW_MES_JOB '))).toEqual([false, false, true])
      expect(batches.map((b) => b.rows.length)).toEqual([SCAN_PART_ROWS, SCAN_PART_ROWS, 5000 - 2 * SCAN_PART_ROWS])
      expect(maxInFlight).toBe(1)
      // The first part goes out long before the statement is read to its end.
      expect(log.indexOf(`part ${SCAN_PART_ROWS}`)).toBeLessThan(log.lastIndexOf('chunk'))
      expect(log.at(-1)).toBe('part 1000')
      expect(log).toContain('released')
      const rows = batches.flatMap((b) => b.rows)
      expectJobOrder(rows)
      expect(new Set(rows.map((r) => `${String(r.JOBID)}/${String(r.CONTAINERID)}`)).size).toBe(5000)
      expect(result.domains.jobs).toMatchObject({ status: 'complete', observed_rows: 5000 })
      expect(progress).toEqual([
        { domain: 'jobs', batchesDone: 0, batchesTotal: 1, rows: 2000 },
        { domain: 'jobs', batchesDone: 0, batchesTotal: 1, rows: 4000 },
        { domain: 'jobs', batchesDone: 0, batchesTotal: 1, rows: 5000 },
        { domain: 'jobs', batchesDone: 1, batchesTotal: 1, rows: 5000 },
      ])
    })

    it('delivers one empty part when no job lists a requested lot', async () => {
      const fx = await fixture({ DW_MES_JOB: [{ JOBID: 'J', CONTAINERIDS: 'zz' }] })
      const { result, batches } = await run({ source: fx.source, cids: CIDS, domains: ['jobs'] })
      expect(batches.map((b) => b.rows.length)).toEqual([0])
      expect(result.domains.jobs).toMatchObject({ status: 'complete', observed_rows: 0 })
    })

    it.each([true, false])('fails the domain when the scan cannot start (partial results %s)', async (allowPartialResults) => {
      const fx = await fixture({ DW_MES_JOB: WIDE, DW_MES_LOTWIPHISTORY: historyRows(CIDS.slice(0, 3)) })
      const { source } = instrument(fx.source, (call) => (call.sql.includes('FROM DW_MES_JOB ') ? failing('ORA-00942') : undefined))
      const { result, batches, progress } = await run({ source, cids: CIDS, domains: ['jobs', 'history'], allowPartialResults })
      expect(result.domains.jobs).toEqual({
        status: 'failed',
        scope: 'domain',
        reasons: ['domain_fetch_failed'],
        domain: 'jobs',
        observed_rows: 0,
        failed_ranges: [{ start: 'c0000', end: 'c1000' }],
        failed_chunk_count: 1,
        errors: [expect.stringMatching(/^DW_MES_JOB scan for 1002 CIDs \(c0000…c1000\): ORA-00942$/)],
      })
      expect(batches.every((b) => b.domain === 'history')).toBe(true)
      expect(progress.filter((p) => p.domain === 'jobs')).toEqual([{ domain: 'jobs', batchesDone: 1, batchesTotal: 1, rows: 0 }])
      expect(result.domains.history).toMatchObject({ status: 'complete', observed_rows: 3 })
      expect(result.quality_meta).toMatchObject({ status: 'partial', failed_domains: ['jobs'] })
    })

    it('fails the domain when the scan breaks midway, counting the parts already delivered', async () => {
      const fx = await fixture({ DW_MES_JOB: WIDE })
      const log: string[] = []
      // 2 chunks of 300 jobs = 3000 rows: one full part goes out, then the connection drops.
      const { source } = rechunkJobs(fx.source, 300, log, 2)
      const { result, batches } = await run({ source, cids: CIDS, domains: ['jobs'] })
      expect(batches.map((b) => b.rows.length)).toEqual([SCAN_PART_ROWS])
      expect(result.domains.jobs).toMatchObject({
        status: 'failed',
        reasons: ['domain_fetch_failed'],
        observed_rows: SCAN_PART_ROWS,
        failed_chunk_count: 1,
        errors: [expect.stringContaining('end-of-file on communication channel')],
      })
    })

    it('stops the scan at the row cap and marks the domain truncated', async () => {
      const fx = await fixture({ DW_MES_JOB: WIDE })
      const log: string[] = []
      const { source } = rechunkJobs(fx.source, 300, log)
      const { result, batches } = await run({ source, cids: CIDS, domains: ['jobs'], maxRowsPerDomain: 2500 })
      expect(batches.map((b) => b.rows.length)).toEqual([SCAN_PART_ROWS, 500])
      expect(result.domains.jobs).toEqual({
        status: 'truncated', scope: 'domain', reasons: ['max_total_rows_exceeded'], domain: 'jobs', observed_rows: 2500, max_rows: 2500,
      })
      // Released without being read to the end (1000 jobs = 4 chunks); the release is not awaited.
      await new Promise((resolve) => setImmediate(resolve))
      expect(log.filter((e) => e === 'chunk').length).toBeLessThan(4)
      expect(log.at(-1)).toBe('released')
    })

    it('stops at the part during which it was cancelled', async () => {
      const fx = await fixture({ DW_MES_JOB: WIDE })
      const log: string[] = []
      const { source } = rechunkJobs(fx.source, 300, log)
      const controller = new AbortController()
      const seen: number[] = []
      const error = await fetchEvents({
        source,
        cids: CIDS,
        domains: ['jobs'],
        signal: controller.signal,
        onBatch: (b) => {
          seen.push(b.rows.length)
          controller.abort()
        },
      }).catch((e: unknown) => e)
      expect(isAppError(error, 'trace/cancelled')).toBe(true)
      expect(seen).toEqual([SCAN_PART_ROWS])
      await new Promise((resolve) => setImmediate(resolve))
      expect(log).toContain('released')
    })

    it('does not wait for a scan that ignores the signal', async () => {
      const fx = await fixture({})
      let reached!: () => void
      const read = new Promise<void>((resolve) => (reached = resolve))
      const { source } = instrument(fx.source, () => hanging(reached))
      const controller = new AbortController()
      const pending = fetchEvents({ source, cids: CIDS, domains: ['jobs'], signal: controller.signal, onBatch: () => undefined })
      await read
      controller.abort()
      expect(isAppError(await pending.catch((e: unknown) => e), 'trace/cancelled')).toBe(true)
    })
  })
})
