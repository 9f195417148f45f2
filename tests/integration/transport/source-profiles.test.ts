/**
 * Source profiles with secrets: a server's password is taken out of its URL, kept in the secret
 * store (OS-encrypted ciphertext in the catalog, or memory only), put back only when a job or a
 * test opens the source, and never handed to the renderer. With MES_TRACE_PG_TEST_URL, a
 * PostgreSQL profile is tested and traced end to end through the service contract.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { openCliEngine, type CliEngine } from '../../../main/cli/cli-engine.js'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import {
  createServices,
  EncryptedSecretStore,
  MemorySecretStore,
  secretKeyOf,
  secretStoreFor,
  ServiceRouter,
  SourceProfiles,
  SOURCE_PROFILES_KEY,
  type SecretCipher,
} from '../../../main/transport/index.js'
import { loadIntoPostgres } from '../../../main/sources/index.js'
import { openCatalog, type Catalog } from '../../../main/store/index.js'
import { callOf, endedJob, type Call } from '../../fixtures/services-kit.js'
import { thrown } from '../../fixtures/thrown.js'
import { ResultService } from '../../../main/results/index.js'

/** A reversible stand-in for the OS cipher: a marker and the bytes reversed. */
function fakeCipher(available = true): SecretCipher & { used: number } {
  const cipher = {
    used: 0,
    isAvailable: () => available,
    encrypt: (plain: string) => {
      cipher.used++
      return Buffer.concat([Buffer.from('OSENC:'), Buffer.from(plain, 'utf8').reverse()])
    },
    decrypt: (data: Buffer) => {
      if (!data.subarray(0, 6).equals(Buffer.from('OSENC:'))) throw new Error('not ours')
      return Buffer.from(data.subarray(6)).reverse().toString('utf8')
    },
  }
  return cipher
}

describe('source profiles with secrets', () => {
  let dir: string
  let catalog: Catalog

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-profiles-'))
    catalog = openCatalog(join(dir, 'catalog.sqlite'))
  })

  afterEach(() => {
    catalog.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('takes the password out of a server URL and keeps it only in memory without an OS key store', () => {
    const profiles = new SourceProfiles(catalog, null, secretStoreFor(catalog, fakeCipher(false)))
    const added = profiles.add({ name: 'MES replica', kind: 'postgres', url: 'postgres://reader:s3cr%40t@db.plant:5432/mes?schema=mes' })
    expect(added).toMatchObject({ kind: 'postgres', url: 'postgres://reader@db.plant:5432/mes?schema=mes', password: 'session' })
    expect(JSON.stringify(profiles.list())).not.toContain('s3cr')
    expect(JSON.stringify(catalog.allSettings())).not.toContain('s3cr')
    const { spec, description } = profiles.specOf(added.id)
    expect(spec).toEqual({ kind: 'postgres', url: 'postgres://reader:s3cr%40t@db.plant:5432/mes', schema: 'mes' })
    expect(description).toBe('MES replica (postgres://reader@db.plant:5432/mes?schema=mes)')
    // A new process has no memory of it, until it is given again.
    const again = new SourceProfiles(catalog, null, new MemorySecretStore())
    expect(again.get(added.id)).toMatchObject({ password: 'none' })
    expect(again.specOf(added.id).spec).toEqual({ kind: 'postgres', url: 'postgres://reader@db.plant:5432/mes', schema: 'mes' })
    expect(again.setPassword(added.id, 'n3w')).toMatchObject({ password: 'session' })
    expect(again.specOf(added.id).spec).toMatchObject({ url: 'postgres://reader:n3w@db.plant:5432/mes' })
    expect(again.setPassword(added.id, '')).toMatchObject({ password: 'none' })
    const file = again.add({ name: 'File', kind: 'sqlite', path: join(dir, 'catalog.sqlite') })
    expect(thrown(() => again.setPassword(file.id, 'x'))).toMatchObject({ code: 'input/invalid', details: { field: 'id' } })
  })

  it('stores an OS-encrypted password as ciphertext, reads it back after a restart, and deletes it with the profile', () => {
    const cipher = fakeCipher()
    const profiles = new SourceProfiles(catalog, null, secretStoreFor(catalog, cipher))
    const added = profiles.add({ name: 'MES', kind: 'oracle', url: 'oracle://mes_ro@db.plant:1521/MESPDB', password: 'Tr4ce!pass' })
    expect(added).toMatchObject({ url: 'oracle://mes_ro@db.plant:1521/MESPDB', password: 'saved' })
    expect(cipher.used).toBe(1)
    const stored = catalog.getSetting(secretKeyOf(added.id)) as string
    expect(Buffer.from(stored, 'base64').subarray(0, 6).toString()).toBe('OSENC:')
    expect(JSON.stringify(catalog.allSettings())).not.toContain('Tr4ce!pass')
    expect(JSON.stringify(catalog.getSetting(SOURCE_PROFILES_KEY))).not.toContain('password')

    const restarted = new SourceProfiles(catalog, null, new EncryptedSecretStore(catalog, fakeCipher()))
    expect(restarted.get(added.id)).toMatchObject({ password: 'saved' })
    expect(new URL((restarted.specOf(added.id).spec as { url: string }).url).password).toBe('Tr4ce!pass')
    // A job keeps the URL without the password: a re-run after a restart finds the password again.
    expect(restarted.secretEnvOf('oracle://mes_ro@db.plant:1521/MESPDB')).toEqual({ MES_TRACE_ORACLE_PASSWORD: 'Tr4ce!pass' })
    expect(restarted.secretEnvOf('oracle://other@db.plant:1521/MESPDB')).toBeNull()
    expect(restarted.secretEnvOf('sqlite:/data/plant.sqlite')).toBeNull()

    // Ciphertext another user's key cannot open is as good as no password.
    catalog.setSetting(secretKeyOf(added.id), Buffer.from('garbage').toString('base64'))
    expect(restarted.get(added.id)).toMatchObject({ password: 'none' })

    restarted.remove(added.id)
    expect(catalog.getSetting(secretKeyOf(added.id))).toBeUndefined()
    expect(restarted.list()).toEqual([])
  })

  it('refuses a URL of another kind or one that is not a URL, naming the field', () => {
    const profiles = new SourceProfiles(catalog)
    expect(thrown(() => profiles.add({ name: 'x', kind: 'oracle', url: 'postgres://a@b/c' }))).toMatchObject({ code: 'input/invalid', details: { field: 'url' } })
    expect(thrown(() => profiles.add({ name: 'x', kind: 'postgres', url: 'not a url' }))).toMatchObject({ code: 'input/invalid', details: { field: 'url' } })
    expect(profiles.list()).toEqual([])
  })

  it('keeps a server profile\'s pushdown mode (auto unless set, and for a profile stored before it existed), none for a file', () => {
    const profiles = new SourceProfiles(catalog)
    const added = profiles.add({ name: 'MES', kind: 'postgres', url: 'postgres://reader@db.plant:5432/mes' })
    expect(added).toMatchObject({ pushdown: 'auto' })
    expect(profiles.setPushdown(added.id, 'on')).toMatchObject({ pushdown: 'on' })
    expect(new SourceProfiles(catalog).get(added.id)).toMatchObject({ pushdown: 'on' })
    expect(profiles.add({ name: 'Far', kind: 'oracle', url: 'oracle://ro@far:1521/MES', pushdown: 'off' })).toMatchObject({ pushdown: 'off' })
    // A profile stored by a version without the setting reads auto.
    const stored = catalog.getSetting(SOURCE_PROFILES_KEY) as unknown as Record<string, unknown>[]
    catalog.setSetting(SOURCE_PROFILES_KEY, stored.map(({ pushdown: _mode, ...rest }) => rest) as never)
    expect(profiles.list().map((p) => (p.kind === 'sqlite' ? null : p.pushdown))).toEqual(['auto', 'auto'])
    const file = profiles.add({ name: 'File', kind: 'sqlite', path: join(dir, 'catalog.sqlite') })
    expect(thrown(() => profiles.setPushdown(file.id, 'on'))).toMatchObject({ code: 'input/invalid', details: { field: 'id' } })
    expect(thrown(() => profiles.setPushdown(added.id, 'always' as never))).toMatchObject({ code: 'input/invalid', details: { field: 'pushdown' } })
  })

  it('keeps SQLite profiles as they were', () => {
    const profiles = new SourceProfiles(catalog)
    const file = join(dir, 'catalog.sqlite')
    const added = profiles.add({ name: 'Local', kind: 'sqlite', path: file })
    expect(added).toMatchObject({ kind: 'sqlite', path: file })
    expect(profiles.specOf(added.id)).toEqual({ spec: { kind: 'sqlite', path: file }, description: `Local (sqlite:${file})` })
  })
})

const url = process.env.MES_TRACE_PG_TEST_URL

describe.skipIf(!url)('a PostgreSQL source profile through the service contract', () => {
  const schema = `profile_${process.pid}`
  let dir: string
  let plant: DemoSummary
  let store: CliEngine

  let call: Call

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-pg-profile-'))
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 300, seed: 'pg-profile' })
    await loadIntoPostgres({ from: plant.out, url: url!, schema, replace: true })
    store = openCliEngine(join(dir, 'data'), {}, () => {})
    store.engine.start()
    call = callOf(new ServiceRouter({ handlers: createServices({ engine: store.engine, results: new ResultService(store.engine), catalog: store.catalog, dataDir: store.dataDir, appVersion: '9.9.9' }) }))
  }, 180_000)

  afterAll(async () => {
    await store?.engine.shutdown(2000)
    store?.catalog.close()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.end()
    rmSync(dir, { recursive: true, force: true })
  })

  it('is tested and traced by id, with its password never in an answer or in the catalog', async () => {
    const full = new URL(url!)
    const password = decodeURIComponent(full.password)
    full.password = ''
    full.searchParams.set('schema', schema)
    const profile = await call('sources:add', { name: 'PG replica', kind: 'postgres', url: full.toString(), password })
    expect(profile).toMatchObject({ kind: 'postgres', password: 'session' })
    const tested = await call('sources:test', { id: profile.id })
    expect(tested.ok).toBe(true)
    const { job_id: jobId } = await call('jobs:enqueue', { request: { profile: 'query_tool', params: { resolve_type: 'lot_id', values: plant.planted.samples.lot_ids.slice(0, 2) } }, source_id: profile.id })
    const view = await endedJob(call, jobId)
    expect(view.error).toBeNull()
    expect(view.status).toBe('finished')
    expect(view.rows_total).toBeGreaterThan(0)
    expect(view.source).toContain('PG replica (postgres://')
    // (The test role's password is also its user and database name: look for it as a URL's password.)
    const secret = `:${password}@`
    expect(JSON.stringify(await call('sources:list', {}))).not.toContain(secret)
    expect(JSON.stringify(view)).not.toContain(secret)
    expect(readFileSync(join(store.dataDir, 'catalog.sqlite')).includes(Buffer.from(secret))).toBe(false)
  })

  it('traces MSD pushed down when its profile says so, and not when it says off', async () => {
    const full = new URL(url!)
    full.searchParams.set('schema', schema)
    const profile = await call('sources:add', { name: 'PG pushdown', kind: 'postgres', url: full.toString(), pushdown: 'on' })
    const msd = { profile: 'mid_section_defect' as const, params: { start_date: plant.startDate, end_date: plant.endDate } }
    const pushed = await endedJob(call, (await call('jobs:enqueue', { request: msd, source_id: profile.id })).job_id)
    expect([pushed.status, pushed.error]).toEqual(['finished', null])
    expect(store.engine.status(pushed.job_id).request.pushdown).toBe(true)
    expect(pushed.rows_total).toBe(0)
    await call('sources:set-pushdown', { id: profile.id, pushdown: 'off' })
    const local = await endedJob(call, (await call('jobs:enqueue', { request: msd, source_id: profile.id })).job_id)
    expect(store.engine.status(local.job_id).request.pushdown).toBeUndefined()
    expect(local.rows_total).toBeGreaterThan(0)
    const results = new ResultService(store.engine)
    try {
      expect(results.aggregation(pushed.job_id)).toEqual(results.aggregation(local.job_id))
    } finally {
      results.close()
    }
  })
})
