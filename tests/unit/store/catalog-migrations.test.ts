import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openConnection } from '../../../main/store/connection.js'
import { CATALOG_APPLICATION_ID, openCatalog } from '../../../main/store/index.js'
import { migrate, schemaVersionOf } from '../../../main/store/migrate.js'
import { CATALOG_MIGRATIONS, type Migration } from '../../../main/store/migrations/index.js'
import { initial } from '../../../main/store/migrations/0010-initial.js'
import { jobId, newJob, tempDir } from './store-fixtures.js'
import { thrown } from '../../fixtures/thrown.js'

const LATEST = CATALOG_MIGRATIONS.at(-1)!.version


describe('catalog migrations', () => {
  let tmp: ReturnType<typeof tempDir>
  let path: string
  beforeEach(() => {
    tmp = tempDir()
    path = join(tmp.dir, 'catalog.sqlite')
  })
  afterEach(() => tmp.cleanup())

  it('are registered in order, numbered in tens, one file each named NNNN-kebab.ts', () => {
    const versions = CATALOG_MIGRATIONS.map((m) => m.version)
    expect(versions).toEqual([...versions].sort((a, b) => a - b))
    expect(versions.every((v) => v % 10 === 0 && v > 0)).toBe(true)
    const files = readdirSync(join(import.meta.dirname, '../../../main/store/migrations'))
      .filter((f) => f !== 'index.ts' && f !== 'migration.ts')
      .sort()
    expect(files).toEqual(CATALOG_MIGRATIONS.map((m) => `${String(m.version).padStart(4, '0')}-${m.name}.ts`))
    expect(files.every((f) => /^\d{4}-[a-z0-9]+(-[a-z0-9]+)*\.ts$/.test(f))).toBe(true)
  })

  describe('from an empty database', () => {
    it('creates the latest schema, marks the file as a catalog and reports the steps', () => {
      const catalog = openCatalog(path)
      try {
        expect(catalog.migration).toEqual({ from: 0, to: LATEST, applied: ['0010-initial', '0020-job-log-and-runner'] })
        expect(catalog.schemaVersion).toBe(LATEST)
      } finally {
        catalog.close()
      }
      const raw = new Database(path, { readonly: true })
      try {
        expect(raw.pragma('user_version', { simple: true })).toBe(LATEST)
        expect(raw.pragma('application_id', { simple: true })).toBe(CATALOG_APPLICATION_ID)
        expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
        const tables = (raw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((t) => t.name)
        expect(tables).toEqual(['jobs', 'settings'])
        const indexes = (raw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'jobs' AND sql IS NOT NULL`).all() as { name: string }[]).map((t) => t.name)
        expect(indexes).toContain('jobs_by_expiry')
        expect(indexes).toContain('jobs_by_dedup_key')
      } finally {
        raw.close()
      }
    })
  })

  describe('0010-initial from version 0', () => {
    it('runs on a fresh file and leaves an empty, valid catalog', () => {
      const db = openConnection(path, 'catalog')
      try {
        expect(schemaVersionOf(db)).toBe(0)
        expect(migrate(db, [initial], { what: 'The catalog', path, applicationId: CATALOG_APPLICATION_ID })).toEqual({
          from: 0,
          to: 10,
          applied: ['0010-initial'],
        })
        expect(db.prepare('SELECT count(*) AS n FROM jobs').get()).toEqual({ n: 0 })
      } finally {
        db.close()
      }
    })
  })

  describe('0020-job-log-and-runner on a catalog of version 10 with data in place', () => {
    it('gives every job an empty log and no runner, and the catalog reads and appends to them', () => {
      const db = openConnection(path, 'catalog')
      try {
        migrate(db, [initial], { what: 'The catalog', path, applicationId: CATALOG_APPLICATION_ID })
        db.prepare(`INSERT INTO jobs (job_id, profile, direction, request, source_id, created_at, status, started_at)
VALUES (?, 'query_tool', 'backward', '{}', 'sqlite:/plant.sqlite', 1000, 'running', 1001)`).run(jobId(1))
        expect(migrate(db, CATALOG_MIGRATIONS, { what: 'The catalog', path, applicationId: CATALOG_APPLICATION_ID })).toEqual({
          from: 10,
          to: 20,
          applied: ['0020-job-log-and-runner'],
        })
        expect(db.prepare('SELECT job_id, status, log, runner_pid FROM jobs').all()).toEqual([
          { job_id: jobId(1), status: 'running', log: '[]', runner_pid: null },
        ])
        expect(() => db.prepare(`UPDATE jobs SET log = '{}'`).run()).toThrow(/CHECK/)
        expect(() => db.prepare(`UPDATE jobs SET runner_pid = 0`).run()).toThrow(/CHECK/)
      } finally {
        db.close()
      }
      const catalog = openCatalog(path)
      try {
        expect(catalog.getJob(jobId(1))).toMatchObject({ log: [], runner_pid: null })
        catalog.appendLog(jobId(1), [{ at: 1, level: 'warn', message: 'first' }], 2)
        catalog.appendLog(jobId(1), [{ at: 2, level: 'info', message: 'second' }, { at: 3, level: 'error', message: 'third', detail: 'Error: third\n    at x' }], 2)
        // The newest two are kept.
        expect(catalog.getJob(jobId(1))!.log).toEqual([
          { at: 2, level: 'info', message: 'second' },
          { at: 3, level: 'error', message: 'third', detail: 'Error: third\n    at x' },
        ])
        // A job that is gone is left alone.
        expect(() => catalog.appendLog(jobId(2), [{ at: 4, level: 'info', message: 'late' }], 2)).not.toThrow()
      } finally {
        catalog.close()
      }
    })
  })

  describe('reopening the latest version with data in place', () => {
    it('runs nothing and keeps every row', () => {
      const first = openCatalog(path)
      const row = first.insertJob(newJob(1))
      first.setSetting('TRACE_JOB_TTL_SECONDS', 3600)
      first.close()
      const again = openCatalog(path)
      try {
        expect(again.migration).toEqual({ from: LATEST, to: LATEST, applied: [] })
        expect(again.getJob(jobId(1))).toEqual(row)
        expect(again.getSetting('TRACE_JOB_TTL_SECONDS')).toBe(3600)
      } finally {
        again.close()
      }
    })
  })

  describe('a later step on a catalog of the previous version with data in place', () => {
    // How every future migration is tested: build the previous version with rows, run the step.
    const addsNote: Migration = {
      version: 30,
      name: 'job-note',
      up(db) {
        db.exec(`ALTER TABLE jobs ADD COLUMN note TEXT NOT NULL DEFAULT ''; CREATE INDEX jobs_by_note ON jobs (note)`)
      },
    }

    it('migrates the rows and bumps the version', () => {
      const catalog = openCatalog(path)
      const row = catalog.insertJob(newJob(1))
      catalog.completeJob(jobId(1), { status: 'finished', ttlMs: 1000, completed_at: row.created_at + 5 })
      catalog.close()
      const db = openConnection(path, 'catalog')
      try {
        const report = migrate(db, [...CATALOG_MIGRATIONS, addsNote], { what: 'The catalog', path, applicationId: CATALOG_APPLICATION_ID })
        expect(report).toEqual({ from: 20, to: 30, applied: ['0030-job-note'] })
        expect(db.prepare('SELECT job_id, note, status, expires_at FROM jobs').all()).toEqual([
          { job_id: jobId(1), note: '', status: 'finished', expires_at: row.created_at + 1005 },
        ])
      } finally {
        db.close()
      }
    })

    it('leaves the previous version and its rows when the step fails', () => {
      const catalog = openCatalog(path)
      catalog.insertJob(newJob(1))
      catalog.close()
      const broken: Migration = {
        version: 30,
        name: 'broken',
        up(db) {
          db.exec(`ALTER TABLE jobs ADD COLUMN note TEXT`)
          db.exec(`SELECT no_such_function()`)
        },
      }
      const db = openConnection(path, 'catalog')
      try {
        expect(() => migrate(db, [...CATALOG_MIGRATIONS, broken], { what: 'The catalog', path, applicationId: CATALOG_APPLICATION_ID })).toThrow(
          /no such function/,
        )
        expect(schemaVersionOf(db)).toBe(20)
        const columns = (db.pragma('table_info(jobs)') as { name: string }[]).map((c) => c.name)
        expect(columns).not.toContain('note')
        expect(db.prepare('SELECT job_id FROM jobs').all()).toEqual([{ job_id: jobId(1) }])
      } finally {
        db.close()
      }
    })
  })

  describe('a catalog newer than the code', () => {
    it('is refused with storage/incompatible naming both versions, and left untouched', () => {
      openCatalog(path).close()
      const raw = new Database(path)
      raw.pragma('user_version = 40')
      raw.close()
      const error = thrown(() => openCatalog(path))
      expect(error).toMatchObject({ code: 'storage/incompatible', details: { fileVersion: 40, codeVersion: LATEST } })
      expect(error.message).toContain('schema version 40')
      expect(error.message).toContain(`up to ${LATEST}`)
      const check = new Database(path, { readonly: true })
      expect(check.pragma('user_version', { simple: true })).toBe(40)
      check.close()
    })
  })

  describe('a file that is not a catalog', () => {
    it('refuses another SQLite database', () => {
      const other = new Database(path)
      other.exec('CREATE TABLE notes (body TEXT)')
      other.close()
      expect(thrown(() => openCatalog(path))).toMatchObject({ code: 'storage/unreadable' })
    })

    it('refuses a file that is not a database at all', () => {
      writeFileSync(path, 'this is a text file, not a database, and it is long enough to have a header '.repeat(20))
      expect(thrown(() => openCatalog(path))).toMatchObject({ code: 'storage/unreadable' })
    })
  })
})
