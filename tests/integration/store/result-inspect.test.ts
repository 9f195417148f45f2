/**
 * The check every imported result file passes: a corpus of hostile files made from a real export
 * (see tests/fixtures/hostile-results.ts), each refused with `import/invalid` for its own reason,
 * or harmless; the real export itself accepted with what its job row needs.
 */
import { copyFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_INSPECT_LIMITS, inspectResultFile, openResultFile } from '../../../main/store/index.js'
import { eventColumnsOf, eventTableOf, eventTableSql, msdStoredColumnsOf, msdTableSql, sortIndexSql } from '../../../main/store/result-schema.js'
import type { Domain } from '../../../shared/trace.js'
import { SUSPECT_COLUMNS_V1 } from '../../../shared/msd.js'
import { jsonDepthExceeds, parseBoundedJson } from '../../../shared/bounded-json.js'
import { corpusListing, makeExportedResult, makeHostileCorpus, type HostileFile } from '../../fixtures/hostile-results.js'
import { thrown } from '../../fixtures/thrown.js'

/** Rewrites a file's event tables with the columns a file of `version` has (rows, indexes kept). */
function withEventColumnsOf(db: Database.Database, version: number): void {
  const manifest = (key: string) => JSON.parse((db.prepare('SELECT value FROM manifest WHERE key = ?').get(key) as { value: string }).value)
  const domains = manifest('domains') as Domain[]
  const sortColumns = manifest('sort_columns') as Partial<Record<Domain, string[]>>
  for (const domain of domains) {
    const table = eventTableOf(domain)
    const keep = ['_seq', ...eventColumnsOf(domain, version)].map((c) => `"${c}"`).join(', ')
    db.exec(`ALTER TABLE "${table}" RENAME TO old_events`)
    db.exec(eventTableSql(domain, version))
    db.exec(`INSERT INTO "${table}" (${keep}) SELECT ${keep} FROM old_events`)
    db.exec('DROP TABLE old_events')
    for (const column of sortColumns[domain] ?? []) db.exec(sortIndexSql(domain, column))
  }
  withDetailColumnsOf(db, version)
}

/** Gives a backward result's MSD detail the columns a file of `version` has (before 4: no suspect hits). */
function withDetailColumnsOf(db: Database.Database, version: number): void {
  const tables = JSON.parse((db.prepare("SELECT value FROM manifest WHERE key = 'msd_tables'").get() as { value: string }).value)
  if (!tables.detail) return
  const columns = msdStoredColumnsOf('detail', 'backward', version)
  const keep = ['_seq', ...columns.map((c) => c.key)].map((c) => `"${c}"`).join(', ')
  db.exec('ALTER TABLE msd_detail RENAME TO old_detail')
  db.exec(msdTableSql('detail', columns))
  db.exec(`INSERT INTO msd_detail (${keep}) SELECT ${keep} FROM old_detail`)
  db.exec('DROP TABLE old_detail')
  tables.detail.columns = columns.map((c) => c.key)
  db.prepare("UPDATE manifest SET value = ? WHERE key = 'msd_tables'").run(JSON.stringify(tables))
}

describe('inspectResultFile', () => {
  let dir: string
  let base: string
  let corpus: HostileFile[]
  let listing: string[]

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-inspect-'))
    base = await makeExportedResult(join(dir, 'base'))
    corpus = makeHostileCorpus(base, join(dir, 'corpus'))
    listing = corpusListing(join(dir, 'corpus'))
  }, 120_000)

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('accepts the real export with its request, counts and domains', () => {
    const found = inspectResultFile(base)
    const reader = openResultFile(base)
    try {
      const manifest = reader.manifest()
      expect(found.request).toEqual(manifest.request)
      expect(found.manifest.row_counts).toEqual(manifest.row_counts)
      expect(found.manifest.domains).toEqual(['upstream_history', 'materials'])
      expect(found.seedCount).toBe(reader.seeds()!.seed_count)
      expect(found.seedCount).toBeGreaterThan(50)
      expect(found.cidCount).toBeGreaterThan(found.seedCount)
      expect(Object.keys(manifest.msd_tables ?? {}).sort()).toEqual(['detail', 'suspects'])
    } finally {
      reader.close()
    }
  })

  it('accepts a result of format version 1, whose suspect list has the first version’s columns, and reads it', () => {
    const old = join(dir, 'version-1.sqlite')
    copyFileSync(base, old)
    const db = new Database(old)
    try {
      // What the first version wrote: its suspect columns only, and version 1 in header and manifest.
      const keys = SUSPECT_COLUMNS_V1.map((c) => c.key)
      const rows = db.prepare(`SELECT _seq, ${keys.map((k) => `"${k}"`).join(', ')} FROM msd_suspects ORDER BY _seq`).raw().all() as unknown[][]
      db.exec('DROP TABLE msd_suspects')
      db.exec(msdTableSql('suspects', SUSPECT_COLUMNS_V1))
      const insert = db.prepare(`INSERT INTO msd_suspects (_seq, ${keys.map((k) => `"${k}"`).join(', ')}) VALUES (${['_seq', ...keys].map(() => '?').join(', ')})`)
      for (const row of rows) insert.run(row)
      const tables = JSON.parse((db.prepare("SELECT value FROM manifest WHERE key = 'msd_tables'").get() as { value: string }).value)
      tables.suspects.columns = keys
      db.prepare("UPDATE manifest SET value = ? WHERE key = 'msd_tables'").run(JSON.stringify(tables))
      withEventColumnsOf(db, 1)
      db.prepare("UPDATE manifest SET value = '1' WHERE key = 'format_version'").run()
      db.pragma('user_version = 1')
      db.exec('VACUUM')
    } finally {
      db.close()
    }
    expect(inspectResultFile(old).manifest.format_version).toBe(1)
    const reader = openResultFile(old)
    try {
      const page = reader.msdPage('suspects', { limit: 2 })
      expect(page.total).toBeGreaterThan(0)
      expect(Object.keys(page.rows[0]!)).not.toContain('q_value')
      expect(reader.msdColumns('suspects')).toEqual(SUSPECT_COLUMNS_V1.map((c) => c.key))
    } finally {
      reader.close()
    }
    // The same file with the current version's number is refused: its columns are not that version's.
    const db2 = new Database(old)
    try {
      db2.prepare("UPDATE manifest SET value = '2' WHERE key = 'format_version'").run()
      db2.pragma('user_version = 2')
    } finally {
      db2.close()
    }
    expect(thrown(() => inspectResultFile(old))).toMatchObject({ code: 'import/invalid' })
  })

  it('accepts a result of format version 2, whose events lack the lot ID of the upstream history, and reads it', () => {
    const old = join(dir, 'version-2.sqlite')
    copyFileSync(base, old)
    const db = new Database(old)
    try {
      withEventColumnsOf(db, 2)
      db.prepare("UPDATE manifest SET value = '2' WHERE key = 'format_version'").run()
      db.pragma('user_version = 2')
      db.exec('VACUUM')
    } finally {
      db.close()
    }
    expect(inspectResultFile(old).manifest.format_version).toBe(2)
    const reader = openResultFile(old)
    try {
      expect(reader.domainColumns('upstream_history')).toEqual(eventColumnsOf('upstream_history', 2))
      expect(reader.domainColumns('upstream_history')).not.toContain('CONTAINERNAME')
      const page = reader.page('upstream_history', { limit: 1 })
      expect(page.total).toBeGreaterThan(0)
      expect(Object.keys(page.rows[0]!)).not.toContain('CONTAINERNAME')
    } finally {
      reader.close()
    }
    // The current version's file has the lot ID, and the same file called version 3 is refused.
    const current = openResultFile(base)
    try {
      expect(current.domainColumns('upstream_history')!.slice(0, 2)).toEqual(['CONTAINERID', 'CONTAINERNAME'])
      expect(current.page('upstream_history', { limit: 1 }).rows[0]!.CONTAINERNAME).toMatch(/\S/)
    } finally {
      current.close()
    }
    const db3 = new Database(old)
    try {
      db3.prepare("UPDATE manifest SET value = '3' WHERE key = 'format_version'").run()
      db3.pragma('user_version = 3')
    } finally {
      db3.close()
    }
    expect(thrown(() => inspectResultFile(old))).toMatchObject({ code: 'import/invalid' })
  })

  it('accepts a result of format version 3, whose detail lacks the suspect-hit columns, and reads it', () => {
    const old = join(dir, 'version-3.sqlite')
    copyFileSync(base, old)
    const db = new Database(old)
    try {
      withEventColumnsOf(db, 3)
      db.prepare("UPDATE manifest SET value = '3' WHERE key = 'format_version'").run()
      db.pragma('user_version = 3')
      db.exec('VACUUM')
    } finally {
      db.close()
    }
    expect(inspectResultFile(old).manifest.format_version).toBe(3)
    const reader = openResultFile(old)
    try {
      expect(reader.msdColumns('detail')).not.toContain('SUSPECT_HITS')
      const page = reader.msdPage('detail', { limit: 1 })
      expect(page.total).toBeGreaterThan(0)
      expect(Object.keys(page.rows[0]!)).not.toContain('SUSPECT_HIT_COUNT')
    } finally {
      reader.close()
    }
    const current = openResultFile(base)
    try {
      expect(current.msdColumns('detail')!.slice(-2)).toEqual(['SUSPECT_HIT_COUNT', 'SUSPECT_HITS'])
    } finally {
      current.close()
    }
    // The same file called version 4 is refused: its detail is not that version's.
    const db4 = new Database(old)
    try {
      db4.prepare("UPDATE manifest SET value = '4' WHERE key = 'format_version'").run()
      db4.pragma('user_version = 4')
    } finally {
      db4.close()
    }
    expect(thrown(() => inspectResultFile(old))).toMatchObject({ code: 'import/invalid' })
  })

  it('refuses every hostile file of the corpus for its own reason, and accepts the harmless ones', () => {
    const outcomes = corpus.map((file) => {
      const started = performance.now()
      let error: { code?: string; message?: string; details?: { reason?: string } } | undefined
      try {
        inspectResultFile(file.path)
      } catch (e) {
        error = e as typeof error
      }
      return { file, error, ms: performance.now() - started }
    })
    for (const { file, error, ms } of outcomes) {
      if (file.expect === 'accept') {
        expect(error, `${file.name}: ${error?.message}`).toBeUndefined()
      } else {
        expect(error, file.name).toMatchObject({ code: 'import/invalid' })
        expect(file.expect, `${file.name}: ${error?.message}`).toContain(error!.details!.reason)
      }
      expect(ms, file.name).toBeLessThan(10_000)
    }
    expect(outcomes.filter((o) => o.file.expect !== 'accept').length).toBeGreaterThanOrEqual(35)
  })

  it('names what is wrong', () => {
    const byName = new Map(corpus.map((f) => [f.name, f.path]))
    const message = (name: string): string => (thrown(() => inspectResultFile(byName.get(name)!)) as Error).message
    expect(message('recursive-view')).toMatch(/holds a view "json_parts"; result files have only tables and indexes/)
    expect(message('trigger')).toMatch(/holds a trigger "wipe"/)
    expect(message('deep-json')).toMatch(/JSON part aggregation is nested more than 32 levels deep/)
    expect(message('huge-cell')).toMatch(/a cell of events_upstream_history\.EQUIPMENTNAME is 67108864 characters long/)
    expect(message('wal-mode')).toMatch(/write-ahead-log \(WAL\) mode/)
    expect(message('newer-version')).toMatch(/format version 99.*update the app/)
    expect(message('lie-row-count')).toMatch(/events_upstream_history has \d+ rows where the manifest says \d+/)
    expect(message('lie-extra-domain')).toMatch(/no table events_holds, which its manifest calls for/)
    expect(message('lie-missing-domain')).toMatch(/a table "events_materials" the app does not write/)
    expect(message('hostile-column')).toMatch(/table events_upstream_history is not the one the app writes/)
    expect(message('truncated')).toMatch(/truncated/)
    // One message for every file that is not a result file at all, so no answer says whether a path exists.
    for (const name of ['missing', 'directory', 'not-sqlite', 'empty', 'wrong-application-id']) {
      expect(message(name)).toBe(`${byName.get(name)} cannot be imported: it is not an MES Trace result file, or it cannot be read.`)
    }
    // Checked on a private copy, the message still names the file as the person gave it.
    expect((thrown(() => inspectResultFile(byName.get('trigger')!, { name: 'C:\\Mail\\trace.mtr' })) as Error).message).toMatch(/^C:\\Mail\\trace\.mtr cannot be imported: it holds a trigger/)
  })

  it('holds the manifest and the JSON parts to their own limits, not to the limit of a cell', () => {
    // A large trace's lineage maps are MB long: far past a cell's limit, well within a part's.
    const parts = inspectResultFile(base, { limits: { ...DEFAULT_INSPECT_LIMITS, maxCellChars: 1000 } })
    expect(parts.seedCount).toBeGreaterThan(0)
    expect(thrown(() => inspectResultFile(base, { limits: { ...DEFAULT_INSPECT_LIMITS, maxJsonPartChars: 1000 } }))).toMatchObject({
      code: 'import/invalid',
      details: { reason: 'json-part' },
    })
  })

  it('never writes beside the file it checks (no -journal, -wal or -shm)', () => {
    expect(corpusListing(join(dir, 'corpus'))).toEqual(listing)
  })
})

describe('parseBoundedJson', () => {
  it('counts depth outside strings only and stops at the limit', () => {
    expect(jsonDepthExceeds('[[["[[[[[["]]]', 3)).toBe(false)
    expect(jsonDepthExceeds('[[[[]]]]', 3)).toBe(true)
    expect(jsonDepthExceeds('{"a":{"b":"\\"[[[["}}', 2)).toBe(false)
    expect(parseBoundedJson('{"a":[1,{"b":2}]}', { maxChars: 100, maxDepth: 3 })).toEqual({ a: [1, { b: 2 }] })
    expect(thrown(() => parseBoundedJson('[[[[1]]]]', { maxChars: 100, maxDepth: 3 }))).toMatchObject({ reason: 'too-deep' })
    expect(thrown(() => parseBoundedJson('"abcdef"', { maxChars: 4, maxDepth: 3 }))).toMatchObject({ reason: 'too-long' })
    expect(thrown(() => parseBoundedJson('{', { maxChars: 4, maxDepth: 3 }))).toMatchObject({ reason: 'not-json' })
  })
})
