import { readFile, writeFile } from 'node:fs/promises'
import { join, dirname } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { assertSourceSchema, checkCatalog, openSource, openSqliteSource, parseSourceSpec, sourceIdOf, withoutPassword } from '../../../main/sources/index.js'
import { isAppError } from '../../../shared/errors.js'
import { createFixtureSource, type FixtureSource } from '../../fixtures/source-fixture.js'

const CONTAINERS = Array.from({ length: 12 }, (_, i) => ({
  CONTAINERID: `c${String(i).padStart(2, '0')}`,
  CONTAINERNAME: `GA26010001-A${String(i).padStart(2, '0')}`,
  OBJECTTYPE: 'LOT',
}))

describe('SqliteMesSource', () => {
  let fixture: FixtureSource | undefined
  afterEach(async () => {
    await fixture?.cleanup()
    fixture = undefined
  })

  it('streams rows in chunks of fetchSize with upper-case column names', async () => {
    fixture = await createFixtureSource({ DW_MES_CONTAINER: CONTAINERS })
    const chunks: number[] = []
    const names: string[] = []
    for await (const rows of fixture.source.stream(
      'SELECT containerid, containername FROM DW_MES_CONTAINER ORDER BY containerid',
      [],
      { fetchSize: 5 },
    )) {
      chunks.push(rows.length)
      names.push(...rows.map((r) => String(r.CONTAINERNAME)))
    }
    expect(chunks).toEqual([5, 5, 2])
    expect(names[0]).toBe('GA26010001-A00')
    expect(names[11]).toBe('GA26010001-A11')
  })

  it('gives the same rows for upper-case, lower-case and mixed names: each value under its upper-case name, in the same order', async () => {
    fixture = await createFixtureSource({ DW_MES_CONTAINER: CONTAINERS })
    const rowsOf = async (sql: string): Promise<Record<string, unknown>[]> => {
      const out: Record<string, unknown>[] = []
      for await (const rows of fixture!.source.stream(sql, [])) out.push(...rows)
      return out
    }
    const upper = await rowsOf("SELECT CONTAINERID, CONTAINERNAME, 1 AS N, NULL AS NO_VALUE FROM DW_MES_CONTAINER WHERE CONTAINERID = 'c03'")
    const lower = await rowsOf("SELECT containerid, containername, 1 AS n, NULL AS no_value FROM DW_MES_CONTAINER WHERE containerid = 'c03'")
    const mixed = await rowsOf("SELECT ContainerId, CONTAINERNAME, 1 AS n, NULL AS No_Value FROM DW_MES_CONTAINER WHERE ContainerId = 'c03'")
    expect(upper).toEqual([{ CONTAINERID: 'c03', CONTAINERNAME: 'GA26010001-A03', N: 1, NO_VALUE: null }])
    for (const rows of [lower, mixed]) {
      expect(rows).toEqual(upper)
      expect(Object.keys(rows[0]!)).toEqual(['CONTAINERID', 'CONTAINERNAME', 'N', 'NO_VALUE'])
    }
    // Two names that meet once upper-cased: the last one's value, as the rows of any statement.
    expect(await rowsOf('SELECT 1 AS b, 2.5 AS B')).toEqual([{ B: 2.5 }])
  })

  it('never writes to the source: writes are refused and the file bytes stay the same', async () => {
    fixture = await createFixtureSource({ DW_MES_CONTAINER: CONTAINERS })
    const before = await readFile(fixture.path)
    await expect(fixture.source.all("DELETE FROM DW_MES_CONTAINER WHERE CONTAINERID = 'c01'", [])).rejects.toMatchObject({
      code: 'source/query-failed',
    })
    await expect(fixture.source.all('CREATE TABLE x (a)', [])).rejects.toMatchObject({ code: 'source/query-failed' })
    const after = await readFile(fixture.path)
    expect(after.equals(before)).toBe(true)
  })

  it('stops a stream when the signal aborts between chunks', async () => {
    fixture = await createFixtureSource({ DW_MES_CONTAINER: CONTAINERS })
    const controller = new AbortController()
    const seen: number[] = []
    await expect(
      (async () => {
        for await (const rows of fixture!.source.stream('SELECT * FROM DW_MES_CONTAINER', [], {
          fetchSize: 4,
          signal: controller.signal,
        })) {
          seen.push(rows.length)
          controller.abort()
        }
      })(),
    ).rejects.toMatchObject({ code: 'trace/cancelled' })
    expect(seen).toEqual([4])
  })

  it('names a missing file and a non-database file as source/unreachable', async () => {
    fixture = await createFixtureSource({})
    const missing = join(dirname(fixture.path), 'nope.sqlite')
    await expect(openSqliteSource(missing)).rejects.toMatchObject({ code: 'source/unreachable', details: { path: missing } })
    const junk = join(dirname(fixture.path), 'junk.sqlite')
    await writeFile(junk, 'this is not a database, just some text that is long enough to have a header')
    await expect(openSqliteSource(junk)).rejects.toMatchObject({ code: 'source/unreachable' })
  })
})

describe('schema check', () => {
  it('names a missing required table and a missing column', async () => {
    const fixture = await createFixtureSource({}, { tables: ['DW_MES_CONTAINER', 'DW_MES_LOTWIPHISTORY', 'DW_MES_LOTREJECTHISTORY', 'DW_MES_LOTMATERIALSHISTORY', 'DW_MES_HOLDRELEASEHISTORY', 'DW_MES_JOB'] })
    try {
      const error = await assertSourceSchema(fixture.source).catch((e: unknown) => e)
      expect(isAppError(error, 'source/schema')).toBe(true)
      expect((error as Error).message).toContain('DW_MES_PJ_COMBINEDASSYLOTS')
      expect((error as { details: { missing: string[] } }).details.missing).toEqual(['DW_MES_PJ_COMBINEDASSYLOTS'])
    } finally {
      await fixture.cleanup()
    }
    const report = checkCatalog(
      new Map([
        ['DW_MES_CONTAINER', new Set(['CONTAINERID', 'CONTAINERNAME'])],
      ]),
    )
    expect(report.missingRequired).toContain('DW_MES_CONTAINER.SPLITFROMID')
    expect(report.missingRequired).toContain('DW_MES_JOB')
    expect(report.missingOptional).toEqual([
      'DW_MES_WIP', 'DW_MES_RESOURCE', 'DW_MES_SPEC_WORKCENTER_V', 'DW_MES_JOBTXNHISTORY', 'DW_MES_RESOURCESTATUS_SHIFT',
    ])
    expect(report.warnings).toHaveLength(5)
  })

  it('accepts a source without optional tables and with extra tables, and warns', async () => {
    const fixture = await createFixtureSource(
      {},
      { tables: ['DW_MES_CONTAINER', 'DW_MES_LOTWIPHISTORY', 'DW_MES_LOTREJECTHISTORY', 'DW_MES_LOTMATERIALSHISTORY', 'DW_MES_HOLDRELEASEHISTORY', 'DW_MES_JOB', 'DW_MES_PJ_COMBINEDASSYLOTS'] },
    )
    await fixture.source.close()
    const db = new Database(fixture.path)
    db.exec('CREATE TABLE SOMETHING_ELSE (A TEXT)')
    db.close()
    try {
      const { source, schema } = await openSource(parseSourceSpec(`sqlite:${fixture.path}`))
      expect(schema.missingRequired).toEqual([])
      expect(schema.warnings.join(' ')).toContain('DW_MES_RESOURCE missing: machine families are shown as (未知)')
      await source.close()
    } finally {
      await fixture.cleanup()
    }
  })

  it('parses source specs and names the field on bad input', () => {
    expect(parseSourceSpec('sqlite:/tmp/a.sqlite')).toEqual({ kind: 'sqlite', path: '/tmp/a.sqlite' })
    expect(parseSourceSpec('plant.sqlite')).toEqual({ kind: 'sqlite', path: 'plant.sqlite' })
    expect(() => parseSourceSpec('  ')).toThrow(/source: a source is required/)
    expect(() => parseSourceSpec('sqlite:')).toThrow(/source: sqlite: needs a file path/)
    expect(() => parseSourceSpec('mysql://h/db', '--source')).toThrow(/--source: source kind "mysql" is not supported; use sqlite:PATH, postgres:\/\/… or oracle:\/\/…/)
    expect(parseSourceSpec('postgres://reader:pw@db.plant:5432/mes?schema=dwh&sslmode=require')).toEqual({
      kind: 'postgres', url: 'postgres://reader:pw@db.plant:5432/mes?sslmode=require', schema: 'dwh',
    })
    expect(() => parseSourceSpec('postgres://h/db?schema=a;drop', '--source')).toThrow(/--source: schema must be a plain identifier/)
    const spec = parseSourceSpec('postgres://reader:p%40ss@db.plant/mes?schema=dwh')
    expect(withoutPassword(spec)).toEqual({ spec: { kind: 'postgres', url: 'postgres://reader@db.plant/mes', schema: 'dwh' }, password: 'p@ss' })
    expect(sourceIdOf(spec)).toBe('postgres://reader@db.plant/mes?schema=dwh')
    expect(parseSourceSpec(sourceIdOf(spec))).toEqual({ kind: 'postgres', url: 'postgres://reader@db.plant/mes', schema: 'dwh' })
    expect(sourceIdOf(parseSourceSpec('sqlite:/data/plant.sqlite'))).toBe('sqlite:/data/plant.sqlite')
    // A password given as a parameter is kept apart like one in the user part.
    const inQuery = parseSourceSpec('postgres://reader@db.plant/mes?password=s3cret&schema=dwh')
    expect(withoutPassword(inQuery)).toEqual({ spec: { kind: 'postgres', url: 'postgres://reader@db.plant/mes', schema: 'dwh' }, password: 's3cret' })
    expect(sourceIdOf(inQuery)).not.toContain('s3cret')
    expect(() => parseSourceSpec('postgres://r@db/mes?sslpassword=x', '--source')).toThrow(/--source: sslpassword cannot be given in the URL/)
  })
})
