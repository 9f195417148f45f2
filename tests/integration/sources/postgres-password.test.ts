/**
 * How the PostgreSQL source takes its password: given apart from the URL, or read once from
 * PGPASSWORD when the source opens — and, in a worker (`takeEnvPassword`), taken out of the
 * environment so nothing else in the process sees it. Every connection of the pool must still
 * log in afterwards. Runs against a real server with a throw-away role whose password is random.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant } from '../../../main/demo/index.js'
import { loadIntoPostgres, openPostgresSource, openSource, parseSourceSpec, type MesSource } from '../../../main/sources/index.js'
import { canCreateRoles, createThrowawayRole, type ThrowawayRole } from '../../fixtures/pg-role.js'

const adminUrl = process.env.MES_TRACE_PG_TEST_URL
const ready = adminUrl !== undefined && (await canCreateRoles(adminUrl))

/** Three statements at once: the pool opens a connection for each, each logging in. */
async function threeAtOnce(source: MesSource): Promise<number[]> {
  const rows = await Promise.all([1, 2, 3].map((n) => source.all('SELECT $1::int AS N, pg_sleep(0.05) AS S', [n])))
  return rows.map((r) => Number(r[0]!.N))
}

describe.skipIf(!ready)('the PostgreSQL source’s password (needs MES_TRACE_PG_TEST_URL whose role may CREATEROLE, see scripts/test-postgres.sh)', () => {
  const schema = `pwd_${process.pid}`
  let dir: string
  let role: ThrowawayRole
  const saved = process.env.PGPASSWORD
  const opened: MesSource[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-pg-password-'))
    const plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 100, seed: 'pg-password' })
    await loadIntoPostgres({ from: plant.out, url: adminUrl!, schema, replace: true })
    role = await createThrowawayRole(adminUrl!)
    await role.grantRead(schema)
  }, 180_000)

  afterEach(async () => {
    for (const source of opened.splice(0)) await source.close()
    if (saved === undefined) delete process.env.PGPASSWORD
    else process.env.PGPASSWORD = saved
  })

  afterAll(async () => {
    const client = new pg.Client({ connectionString: adminUrl })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.end()
    await role?.drop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('logs in with a password given apart from the URL, on every connection of the pool', async () => {
    delete process.env.PGPASSWORD
    const source = await openPostgresSource({ url: role.url, schema, password: role.password })
    opened.push(source)
    expect(await threeAtOnce(source)).toEqual([1, 2, 3])
    expect(source.description).not.toContain(role.password)
  })

  it('in a worker, takes PGPASSWORD out of the environment once read, and still logs in afterwards', async () => {
    process.env.PGPASSWORD = role.password
    const { source, schema: report } = await openSource(parseSourceSpec(`${role.url}?schema=${schema}`), { takeEnvPassword: true })
    opened.push(source)
    expect(process.env.PGPASSWORD).toBeUndefined()
    expect(report.warnings).toEqual([])
    expect(await threeAtOnce(source)).toEqual([1, 2, 3])
  })

  it('elsewhere, reads PGPASSWORD and leaves it where it was', async () => {
    process.env.PGPASSWORD = role.password
    const { source } = await openSource(parseSourceSpec(`${role.url}?schema=${schema}`))
    opened.push(source)
    expect(process.env.PGPASSWORD).toBe(role.password)
    expect(await threeAtOnce(source)).toEqual([1, 2, 3])
  })

  it('without any password, says that one is needed and where it goes', async () => {
    delete process.env.PGPASSWORD
    const passfile = process.env.PGPASSFILE
    process.env.PGPASSFILE = join(dir, 'no-pgpass')
    try {
      const error = await openPostgresSource({ url: role.url, schema }).then(
        () => null,
        (e: unknown) => e as { code: string; message: string; details: { permanent?: boolean } },
      )
      expect(error).toMatchObject({ code: 'source/unreachable', details: { permanent: true } })
      expect(error!.message).toContain('the server asks for a password and none was given')
      expect(error!.message).toContain('PGPASSWORD, ~/.pgpass or --password-stdin')
    } finally {
      if (passfile === undefined) delete process.env.PGPASSFILE
      else process.env.PGPASSFILE = passfile
    }
  })

  it('refuses a wrong password as a permanent source/unreachable that never shows it', async () => {
    process.env.PGPASSWORD = `${role.password}-wrong`
    const error = await openSource(parseSourceSpec(`${role.url}?schema=${schema}`), { takeEnvPassword: true }).then(
      () => null,
      (e: unknown) => e as { code: string; message: string; details: { permanent?: boolean } },
    )
    expect(error).toMatchObject({ code: 'source/unreachable', details: { permanent: true } })
    expect(error!.message).not.toContain(role.password)
    expect(process.env.PGPASSWORD).toBeUndefined()
  })
})
