import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCatalog, type Catalog, type JobPatch, type JobRow } from '../../../main/store/index.js'
import { fakeClock, jobId, lotRequest, newJob, tempDir } from './store-fixtures.js'
import { thrown } from '../../fixtures/thrown.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR


describe('Catalog', () => {
  let tmp: ReturnType<typeof tempDir>
  let clock: ReturnType<typeof fakeClock>
  let catalog: Catalog

  beforeEach(() => {
    tmp = tempDir()
    clock = fakeClock()
    catalog = openCatalog(join(tmp.dir, 'data', 'catalog.sqlite'), { now: clock.now })
  })
  afterEach(() => {
    catalog.close()
    tmp.cleanup()
  })

  describe('insertJob and getJob', () => {
    it('stores every field and reads it back typed, with defaults for the rest', () => {
      const inserted = catalog.insertJob(newJob(1, { priority: 1 }))
      expect(inserted).toEqual({
        job_id: jobId(1),
        profile: 'query_tool',
        direction: 'forward',
        cid_count: 0,
        seed_count: 0,
        domains: ['history', 'materials', 'rejects', 'holds', 'jobs'],
        status: 'queued',
        stage: null,
        completed_stages: [],
        progress: null,
        created_at: clock.now(),
        started_at: null,
        completed_at: null,
        ttl_ms: null,
        expires_at: null,
        pinned: false,
        error_code: null,
        error_message: null,
        request: lotRequest('GA26010001-A01'),
        dedup_key: 'key-1',
        source_id: 'sqlite:/data/plant.sqlite',
        source_description: 'Demo plant',
        result_path: `/data/results/${jobId(1)}.sqlite`,
        row_counts: {},
        quality: null,
        cached_from: null,
        priority: 1,
        log: [],
        runner_pid: null,
      } satisfies JobRow)
      expect(catalog.getJob(jobId(1))).toEqual(inserted)
      expect(catalog.getJob(jobId(2))).toBeUndefined()
      expect(catalog.getJob('../etc/passwd')).toBeUndefined()
    })

    it('refuses a malformed id, a duplicate id, an unknown column and the derived expiry, naming the field', () => {
      expect(thrown(() => catalog.insertJob(newJob(1, { job_id: 'trace-evt-XYZ' })))).toMatchObject({
        code: 'input/invalid',
        details: { field: 'job.job_id' },
      })
      catalog.insertJob(newJob(1))
      expect(thrown(() => catalog.insertJob(newJob(1)))).toMatchObject({ code: 'input/invalid', details: { field: 'job.job_id' } })
      const withUnknown = { ...newJob(2), colour: 'red' }
      expect(thrown(() => catalog.insertJob(withUnknown))).toMatchObject({ code: 'input/invalid', details: { field: 'job.colour' } })
      const withExpiry = { ...newJob(3), expires_at: 5 }
      expect(thrown(() => catalog.insertJob(withExpiry))).toMatchObject({ code: 'input/invalid', details: { field: 'job.expires_at' } })
      expect(thrown(() => catalog.insertJob(newJob(4, { profile: 'nope' as JobRow['profile'] })))).toMatchObject({
        code: 'input/invalid',
        details: { field: 'job.profile' },
      })
      expect(catalog.countJobs()).toBe(1)
    })
  })

  describe('updateJob', () => {
    it('changes the given columns only and returns the row as stored', () => {
      catalog.insertJob(newJob(1))
      const progress = { stage: 'events' as const, completed_stages: ['seed' as const, 'lineage' as const], rows_so_far: 1200 }
      const updated = catalog.updateJob(jobId(1), { status: 'running', started_at: clock.now() + 5, stage: 'events', progress })
      expect(updated).toMatchObject({ status: 'running', started_at: clock.now() + 5, stage: 'events', progress, dedup_key: 'key-1' })
      expect(catalog.getJob(jobId(1))).toEqual(updated)
    })

    it('refuses unknown columns, job_id and expires_at, naming patch.<column>', () => {
      catalog.insertJob(newJob(1))
      const unknown = { stage: 'seed', colour: 'red' } as unknown as JobPatch
      expect(thrown(() => catalog.updateJob(jobId(1), unknown))).toMatchObject({ code: 'input/invalid', details: { field: 'patch.colour' } })
      const rename = { job_id: jobId(2) } as unknown as JobPatch
      expect(thrown(() => catalog.updateJob(jobId(1), rename))).toMatchObject({ code: 'input/invalid', details: { field: 'patch.job_id' } })
      const expiry = { expires_at: 1 } as unknown as JobPatch
      expect(thrown(() => catalog.updateJob(jobId(1), expiry))).toMatchObject({ code: 'input/invalid', details: { field: 'patch.expires_at' } })
      expect(catalog.getJob(jobId(1))?.stage).toBeNull()
    })

    it('reports a job that does not exist as job/not-found', () => {
      expect(thrown(() => catalog.updateJob(jobId(9), { stage: 'seed' }))).toMatchObject({ code: 'job/not-found', details: { jobId: jobId(9) } })
      expect(thrown(() => catalog.setPinned(jobId(9), true))).toMatchObject({ code: 'job/not-found' })
    })

    describe('when the update throws half way', () => {
      it('leaves the row exactly as it was (a CHECK of the database refuses one column)', () => {
        catalog.insertJob(newJob(1))
        const before = catalog.getJob(jobId(1))
        const patch: JobPatch = { stage: 'events', progress: { stage: 'events', completed_stages: [] }, cid_count: -1 }
        expect(thrown(() => catalog.updateJob(jobId(1), patch))).toMatchObject({ code: 'input/invalid', details: { field: 'patch.cid_count' } })
        expect(catalog.getJob(jobId(1))).toEqual(before)
      })

      it('leaves the row exactly as it was (a value cannot be serialized)', () => {
        catalog.insertJob(newJob(1))
        const before = catalog.getJob(jobId(1))
        const progress = { stage: 'events', completed_stages: [], rows_so_far: 10n } as unknown as JobRow['progress']
        expect(thrown(() => catalog.updateJob(jobId(1), { stage: 'events', progress }))).toMatchObject({
          code: 'input/invalid',
          details: { field: 'patch.progress' },
        })
        expect(catalog.getJob(jobId(1))).toEqual(before)
      })

      it('refuses a terminal status without completion (it would be a half-ended job)', () => {
        catalog.insertJob(newJob(1))
        const before = catalog.getJob(jobId(1))
        expect(thrown(() => catalog.updateJob(jobId(1), { status: 'finished', row_counts: { history: 3 } }))).toMatchObject({
          code: 'input/invalid',
          details: { field: 'patch.status' },
        })
        expect(catalog.getJob(jobId(1))).toEqual(before)
      })
    })
  })

  describe('listJobs', () => {
    beforeEach(() => {
      catalog.insertJob(newJob(1, { request: lotRequest('GA26010001-A01'), source_id: 'sqlite:/plants/north.sqlite' }))
      clock.advance(1000)
      catalog.insertJob(newJob(2, { request: lotRequest('GA26010002-B07') }))
      clock.advance(1000)
      const msd = lotRequest('GA26010003-C01')
      catalog.insertJob(newJob(3, { request: { ...msd, profile: 'mid_section_defect', direction: 'backward' }, profile: 'mid_section_defect', direction: 'backward' }))
      catalog.updateJob(jobId(2), { status: 'running', started_at: clock.now() })
    })

    it('lists newest first', () => {
      expect(catalog.listJobs().map((j) => j.job_id)).toEqual([jobId(3), jobId(2), jobId(1)])
    })

    it('filters by status (one or several) and profile', () => {
      expect(catalog.listJobs({ status: 'running' }).map((j) => j.job_id)).toEqual([jobId(2)])
      expect(catalog.listJobs({ status: ['queued', 'running'] }).map((j) => j.job_id)).toEqual([jobId(3), jobId(2), jobId(1)])
      expect(catalog.listJobs({ profile: 'mid_section_defect' }).map((j) => j.job_id)).toEqual([jobId(3)])
      expect(catalog.countJobs({ status: 'queued' })).toBe(2)
    })

    it('matches text in the job id, a request value and the source, case-insensitively, not in request keys', () => {
      expect(catalog.listJobs({ text: '000000000002' }).map((j) => j.job_id)).toEqual([jobId(2)])
      expect(catalog.listJobs({ text: 'ga26010002-b0' }).map((j) => j.job_id)).toEqual([jobId(2)])
      expect(catalog.listJobs({ text: 'NORTH' }).map((j) => j.job_id)).toEqual([jobId(1)])
      expect(catalog.listJobs({ text: 'loss_reasons' })).toEqual([])
      // LIKE wildcards in the text are literal characters.
      expect(catalog.listJobs({ text: '%' })).toEqual([])
      expect(catalog.listJobs({ text: 'GA2601000_' })).toEqual([])
      expect(catalog.listJobs({ text: '  ' }).length).toBe(3)
    })

    it('pages with limit and offset, and refuses bad paging naming the field', () => {
      expect(catalog.listJobs({ limit: 1, offset: 1 }).map((j) => j.job_id)).toEqual([jobId(2)])
      expect(thrown(() => catalog.listJobs({ limit: 0 }))).toMatchObject({ code: 'input/invalid', details: { field: 'limit' } })
      expect(thrown(() => catalog.listJobs({ limit: 5000 }))).toMatchObject({ code: 'input/invalid', details: { field: 'limit' } })
      expect(thrown(() => catalog.listJobs({ offset: -1 }))).toMatchObject({ code: 'input/invalid', details: { field: 'offset' } })
      expect(thrown(() => catalog.listJobs({ status: ['queued', 'bogus' as 'queued'] }))).toMatchObject({ details: { field: 'status[1]' } })
    })
  })

  describe('completeJob and expiry', () => {
    it('expires a finished job at completed_at + ttl, never earlier', () => {
      catalog.insertJob(newJob(1))
      const completedAt = clock.now() + HOUR
      const done = catalog.completeJob(jobId(1), {
        status: 'finished',
        completed_at: completedAt,
        ttlMs: 7 * DAY,
        row_counts: { history: 12 },
        quality: 'complete',
        seed_count: 1,
        cid_count: 4,
      })
      expect(done).toMatchObject({ status: 'finished', completed_at: completedAt, ttl_ms: 7 * DAY, expires_at: completedAt + 7 * DAY, row_counts: { history: 12 } })
      expect(catalog.expiredJobs(completedAt + 7 * DAY - 1, 10)).toEqual([])
      expect(catalog.expiredJobs(completedAt + 7 * DAY, 10).map((j) => j.job_id)).toEqual([jobId(1)])
    })

    it('never expires a job with ttl 0', () => {
      catalog.insertJob(newJob(1))
      expect(catalog.completeJob(jobId(1), { status: 'finished', ttlMs: 0 }).expires_at).toBeNull()
      expect(catalog.expiredJobs(Number.MAX_SAFE_INTEGER, 10)).toEqual([])
    })

    it('never expires a pinned job; unpinning restores its expiry', () => {
      catalog.insertJob(newJob(1))
      catalog.completeJob(jobId(1), { status: 'finished', ttlMs: DAY })
      expect(catalog.setPinned(jobId(1), true)).toMatchObject({ pinned: true, expires_at: null })
      expect(catalog.expiredJobs(clock.now() + 365 * DAY, 10)).toEqual([])
      expect(catalog.setPinned(jobId(1), false)).toMatchObject({ pinned: false, expires_at: clock.now() + DAY })
      expect(catalog.expiredJobs(clock.now() + DAY, 10).map((j) => j.job_id)).toEqual([jobId(1)])
    })

    it('keeps a job pinned before it finished from expiring', () => {
      catalog.insertJob(newJob(1))
      catalog.setPinned(jobId(1), true)
      expect(catalog.completeJob(jobId(1), { status: 'finished', ttlMs: DAY }).expires_at).toBeNull()
    })

    it('expires failed and cancelled jobs too, soonest first, in batches of the given size', () => {
      for (let n = 1; n <= 5; n++) {
        catalog.insertJob(newJob(n))
        catalog.completeJob(jobId(n), { status: n % 2 ? 'failed' : 'cancelled', ttlMs: HOUR, completed_at: clock.now() + (10 - n) * 1000, error_code: n % 2 ? 'job/timeout' : null })
      }
      const due = clock.now() + HOUR + 60_000
      expect(catalog.expiredJobs(due, 2).map((j) => j.job_id)).toEqual([jobId(5), jobId(4)])
      expect(catalog.expiredJobs(due, 100)).toHaveLength(5)
    })

    it('refuses a non-terminal status and a bad ttl', () => {
      catalog.insertJob(newJob(1))
      expect(thrown(() => catalog.completeJob(jobId(1), { status: 'running' as 'finished', ttlMs: 1 }))).toMatchObject({ details: { field: 'status' } })
      expect(thrown(() => catalog.completeJob(jobId(1), { status: 'finished', ttlMs: -5 }))).toMatchObject({ details: { field: 'ttlMs' } })
      expect(thrown(() => catalog.completeJob(jobId(1), { status: 'finished', ttlMs: 1.5 }))).toMatchObject({ details: { field: 'ttlMs' } })
      expect(catalog.getJob(jobId(1))?.status).toBe('queued')
    })
  })

  describe('findReusable', () => {
    function finished(n: number, key: string, completedAt: number, extra: Partial<Parameters<Catalog['completeJob']>[1]> = {}): void {
      catalog.insertJob(newJob(n, { dedup_key: key }))
      catalog.completeJob(jobId(n), { status: 'finished', ttlMs: DAY, completed_at: completedAt, ...extra })
    }

    it('returns the newest finished, unexpired job of the key', () => {
      const t = clock.now()
      finished(1, 'same', t)
      finished(2, 'same', t + 1000)
      finished(3, 'other', t + 2000)
      expect(catalog.findReusable('same', t + 5000)?.job_id).toBe(jobId(2))
      expect(catalog.findReusable('none', t + 5000)).toBeUndefined()
    })

    it('ignores expired, failed, running and cached jobs', () => {
      const t = clock.now()
      finished(1, 'same', t - 2 * DAY)
      catalog.insertJob(newJob(2, { dedup_key: 'same' }))
      catalog.completeJob(jobId(2), { status: 'failed', ttlMs: DAY, completed_at: t, error_code: 'source/unreachable' })
      catalog.insertJob(newJob(3, { dedup_key: 'same' }))
      catalog.updateJob(jobId(3), { status: 'running' })
      finished(4, 'same', t, { cached_from: jobId(1) })
      expect(catalog.findReusable('same', t)).toBeUndefined()
      // A pinned job never expires, so it stays reusable.
      catalog.setPinned(jobId(1), true)
      expect(catalog.findReusable('same', t)?.job_id).toBe(jobId(1))
    })
  })

  describe('markStaleOnStart', () => {
    it('returns queued jobs to re-queue and ends running ones interrupted, leaving the others alone', () => {
      catalog.insertJob(newJob(1))
      clock.advance(10)
      catalog.insertJob(newJob(2))
      catalog.updateJob(jobId(2), { status: 'running', started_at: clock.now(), stage: 'events' })
      clock.advance(10)
      catalog.insertJob(newJob(3))
      clock.advance(10)
      catalog.insertJob(newJob(4))
      const finished = catalog.completeJob(jobId(4), { status: 'finished', ttlMs: DAY })
      clock.advance(10)
      catalog.insertJob(newJob(5))
      catalog.updateJob(jobId(5), { status: 'running', started_at: clock.now() })

      const restart = clock.now() + HOUR
      const report = catalog.markStaleOnStart({ ttlMs: DAY, now: restart })
      expect(report).toEqual({ requeued: [jobId(1), jobId(3)], interrupted: [jobId(2), jobId(5)] })
      expect(catalog.getJob(jobId(2))).toMatchObject({
        status: 'interrupted',
        error_code: 'job/interrupted',
        completed_at: restart,
        expires_at: restart + DAY,
        stage: 'events',
      })
      expect(catalog.getJob(jobId(2))?.error_message).toMatch(/run it again/i)
      expect(catalog.getJob(jobId(1))?.status).toBe('queued')
      expect(catalog.getJob(jobId(4))).toEqual(finished)
      expect(catalog.markStaleOnStart({ ttlMs: DAY })).toEqual({ requeued: [jobId(1), jobId(3)], interrupted: [] })
    })

    it('leaves a running job whose process still runs it, and ends one whose process is gone', () => {
      catalog.insertJob(newJob(1))
      catalog.updateJob(jobId(1), { status: 'running', started_at: clock.now(), runner_pid: 4242 })
      catalog.insertJob(newJob(2))
      catalog.updateJob(jobId(2), { status: 'running', started_at: clock.now(), runner_pid: 4343 })
      const asked: number[] = []
      const report = catalog.markStaleOnStart({ ttlMs: DAY, stillRunning: (pid) => (asked.push(pid), pid === 4242) })
      expect(report).toEqual({ requeued: [], interrupted: [jobId(2)] })
      expect(asked.sort()).toEqual([4242, 4343])
      expect(catalog.getJob(jobId(1))?.status).toBe('running')
      expect(catalog.getJob(jobId(2))?.status).toBe('interrupted')
    })
  })

  it('deletes a job', () => {
    catalog.insertJob(newJob(1))
    expect(catalog.deleteJob(jobId(1))).toBe(true)
    expect(catalog.deleteJob(jobId(1))).toBe(false)
    expect(catalog.getJob(jobId(1))).toBeUndefined()
  })

  describe('settings', () => {
    it('stores JSON values with their update time', () => {
      expect(catalog.getSetting('TRACE_WORKER_COUNT')).toBeUndefined()
      catalog.setSetting('TRACE_WORKER_COUNT', 3)
      catalog.setSetting('ui', { theme: 'dark', columns: ['CONTAINERID'] })
      clock.advance(5)
      catalog.setSetting('TRACE_WORKER_COUNT', 4)
      expect(catalog.getSetting('TRACE_WORKER_COUNT')).toBe(4)
      expect(catalog.allSettings()).toEqual({ TRACE_WORKER_COUNT: 4, ui: { theme: 'dark', columns: ['CONTAINERID'] } })
      expect(catalog.deleteSetting('ui')).toBe(true)
      expect(catalog.allSettings()).toEqual({ TRACE_WORKER_COUNT: 4 })
      expect(thrown(() => catalog.setSetting('', 1))).toMatchObject({ code: 'input/invalid', details: { field: 'key' } })
    })
  })

  it('passes the integrity check', () => {
    catalog.insertJob(newJob(1))
    expect(catalog.integrityCheck()).toEqual({ ok: true, messages: ['ok'] })
  })
})
