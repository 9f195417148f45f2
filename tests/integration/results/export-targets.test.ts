/**
 * Exports cannot overwrite what the person did not choose. Through the service contract the page
 * names no file (a destination in main chooses it: here a fake standing in for the desktop app's
 * save dialog, returning what a person could pick); through the command line `--force` replaces
 * only a regular file outside the data folder. Attempts at the catalog, a result file, a device, a
 * symbolic link, a folder and places inside the data folder are refused, and the bytes of every
 * file involved are the same before and after.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCliEngine, type CliEngine } from '../../../main/cli/cli-engine.js'
import { main } from '../../../main/cli/main.js'
import { generateDemoPlant } from '../../../main/demo/index.js'
import { createServices, ServiceRouter } from '../../../main/transport/index.js'
import { ResultService, type ExportRequest, type ExportTarget } from '../../../main/results/index.js'
import { captureIo } from '../../fixtures/cli-io.js'
import { callOf, endedJob } from '../../fixtures/services-kit.js'

const hash = (path: string): string | null => (existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : null)

describe('export targets', () => {
  let dir: string
  let store: CliEngine
  let router: ServiceRouter
  let results: ResultService
  let jobId: string
  /** What the fake save dialog answers next (null: the person cancelled). */
  let chosen: ExportTarget | null = null
  const asked: ExportRequest[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-export-targets-'))
    const plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 300, seed: 'export-targets' })
    store = openCliEngine(join(dir, 'data'), {}, () => {})
    store.engine.start()
    results = new ResultService(store.engine)
    router = new ServiceRouter({
      handlers: createServices({
        engine: store.engine,
        results,
        catalog: store.catalog,
        dataDir: store.dataDir,
        appVersion: '9.9.9',
        exportDestination: {
          choose: async (request) => {
            asked.push(request)
            return chosen
          },
        },
      }),
    })
    const call = callOf(router)
    const source = await call('sources:add', { name: 'Plant', kind: 'sqlite', path: plant.out })
    ;({ job_id: jobId } = await call('jobs:enqueue', { request: { profile: 'query_tool', params: { resolve_type: 'lot_id', values: plant.planted.samples.lot_ids.slice(0, 2) } }, source_id: source.id }))
    await endedJob(call, jobId)
    // Something the engine keeps open while it runs, and a file of the person's own.
    writeFileSync(join(store.dataDir, 'window-state.json'), '{"width":1200}')
  }, 120_000)

  afterAll(async () => {
    results?.close()
    await store?.engine.shutdown(2000)
    store?.catalog.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const exportTo = async (path: string) => {
    chosen = { path, delivery: 'saved' }
    return router.invoke('jobs:export', { job_id: jobId, format: 'csv', table: 'history' }, { clientId: 'wc-1' })
  }

  it('refuses the catalog, a result file, a device, a link, a folder and the data folder, changing nothing', async () => {
    const victim = join(dir, 'victim.txt')
    writeFileSync(victim, 'keep me')
    const link = join(dir, 'link.csv')
    symlinkSync(victim, link)
    const linkedData = join(dir, 'linked-data')
    symlinkSync(store.dataDir, linkedData)
    const profile = join(dir, '.bashrc')
    writeFileSync(profile, 'export PATH=/usr/bin\n')
    const resultFile = join(store.dataDir, 'results', `${jobId}.sqlite`)
    const cases: [string, string, Record<string, unknown>][] = [
      ['catalog', join(store.dataDir, 'catalog.sqlite'), { code: 'export/refused', details: { reason: 'data-folder' } }],
      ['result file', resultFile, { code: 'export/refused', details: { reason: 'data-folder' } }],
      ['data folder', join(store.dataDir, 'notes.csv'), { code: 'export/refused', details: { reason: 'data-folder' } }],
      ['window state', join(store.dataDir, 'window-state.json'), { code: 'export/refused', details: { reason: 'data-folder' } }],
      ['data folder through exports/..', join(store.dataDir, 'exports', '..', 'catalog.sqlite'), { code: 'export/refused' }],
      ['data folder through a linked folder', join(linkedData, 'catalog.sqlite'), { code: 'export/refused', details: { reason: 'data-folder' } }],
      ['link', link, { code: 'export/refused', details: { reason: 'link' } }],
      ['folder', dir, { code: 'input/invalid', details: { field: 'path' } }],
      ['existing file', profile, { code: 'export/refused', details: { reason: 'exists' } }],
      ['relative path', 'history.csv', { code: 'input/invalid', details: { field: 'path' } }],
      ['missing folder', join(dir, 'nowhere', 'x.csv'), { code: 'input/invalid', details: { field: 'path' } }],
      ...(process.platform === 'win32' ? [] : ([['device', '/dev/null', { code: 'export/refused', details: { reason: 'not-a-file' } }]] as [string, string, Record<string, unknown>][])),
    ]
    const watched = [join(store.dataDir, 'catalog.sqlite'), resultFile, join(store.dataDir, 'window-state.json'), victim, profile]
    const before = watched.map(hash)
    const dataFiles = readdirSync(store.dataDir).sort()
    for (const [what, path, error] of cases) {
      const answer = await exportTo(path)
      expect(answer, what).toMatchObject({ ok: false, error })
      if (!answer.ok) expect(answer.error.message, what).toContain(path.startsWith('/') ? path : 'history.csv')
    }
    expect(watched.map(hash)).toEqual(before)
    expect(readdirSync(store.dataDir).sort()).toEqual(dataFiles)
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('knows the data folder by its identity on disk, not by how a path spells it', async (context) => {
    // Another spelling of the same folder — as a case-insensitive file system or a Windows short
    // name gives one — made here with a bind mount (Linux, root).
    const alias = join(dir, 'alias')
    mkdirSync(alias)
    if (process.platform !== 'linux' || process.getuid?.() !== 0 || spawnSync('mount', ['--bind', store.dataDir, alias]).status !== 0) {
      context.skip()
      return
    }
    try {
      const catalog = join(store.dataDir, 'catalog.sqlite')
      const before = hash(catalog)
      expect(await exportTo(join(alias, 'catalog.sqlite'))).toMatchObject({ ok: false, error: { code: 'export/refused', details: { reason: 'data-folder' } } })
      expect(await exportTo(join(alias, 'results', 'sneaky.csv'))).toMatchObject({ ok: false, error: { code: 'export/refused', details: { reason: 'data-folder' } } })
      expect(hash(catalog)).toBe(before)
    } finally {
      spawnSync('umount', [alias])
    }
  })

  it('writes a new file where the person chose, and its exports folder inside the data folder', async () => {
    const elsewhere = join(dir, 'out', 'history.csv')
    mkdirSync(join(dir, 'out'))
    expect(await exportTo(elsewhere)).toMatchObject({ ok: true, value: { cancelled: false, delivery: 'saved', files: [{ path: elsewhere, name: 'history.csv' }] } })
    expect(readFileSync(elsewhere, 'utf8')).toContain('CONTAINERID')
    // The same name again is refused, not replaced.
    const before = hash(elsewhere)
    expect(await exportTo(elsewhere)).toMatchObject({ ok: false, error: { code: 'export/refused', details: { reason: 'exists' } } })
    expect(hash(elsewhere)).toBe(before)
    mkdirSync(join(store.dataDir, 'exports'), { recursive: true })
    expect(await exportTo(join(store.dataDir, 'exports', 'mine.csv'))).toMatchObject({ ok: true })
    expect(asked.at(-1)).toEqual({ jobId, table: 'history', format: 'csv', clientId: 'wc-1' })
  })

  it('writes nothing when the person cancels, and asks nobody about a table the result does not have', async () => {
    chosen = null
    expect(await router.invoke('jobs:export', { job_id: jobId, format: 'xlsx', table: 'history' }, { clientId: 'wc-1' })).toEqual({
      ok: true,
      value: { cancelled: true, delivery: 'saved', files: [] },
    })
    const count = asked.length
    expect(await router.invoke('jobs:export', { job_id: jobId, format: 'csv', table: 'detail' }, { clientId: 'wc-1' })).toMatchObject({
      ok: false,
      error: { code: 'input/invalid', details: { field: 'table' } },
    })
    expect(asked).toHaveLength(count)
  })

  describe('on the command line', () => {
    const cli = async (...args: string[]) => {
      const io = captureIo()
      const code = await main([...args, '--data-dir', store.dataDir], io)
      return { code, out: io.out, err: io.err }
    }

    it('refuses the data folder, links and devices even with --force, and replaces a regular file only with it', async () => {
      const catalog = join(store.dataDir, 'catalog.sqlite')
      const victim = join(dir, 'cli-victim.txt')
      writeFileSync(victim, 'keep me too')
      const link = join(dir, 'cli-link.csv')
      symlinkSync(victim, link)
      const before = [catalog, victim].map(hash)
      for (const out of [catalog, join(store.dataDir, 'results', `${jobId}.sqlite`), link, ...(process.platform === 'win32' ? [] : ['/dev/null'])]) {
        const run = await cli('export', jobId, '--format', 'csv', '--domain', 'history', '--out', out, '--force')
        expect([out, run.code]).toEqual([out, 1])
        expect(run.err, out).toContain('[export/refused]')
      }
      const sqlite = await cli('export', jobId, '--format', 'sqlite', '--out', catalog, '--force')
      expect(sqlite.err).toContain('[export/refused]')
      expect([catalog, victim].map(hash)).toEqual(before)

      const mine = join(dir, 'mine.csv')
      writeFileSync(mine, 'old')
      const refused = await cli('export', jobId, '--format', 'csv', '--domain', 'history', '--out', mine)
      expect(refused.code).toBe(1)
      expect(refused.err).toContain('already exists; pass --force to replace it')
      expect(readFileSync(mine, 'utf8')).toBe('old')
      expect((await cli('export', jobId, '--format', 'csv', '--domain', 'history', '--out', mine, '--force')).code).toBe(0)
      expect(readFileSync(mine, 'utf8')).toContain('CONTAINERID')
    })
  })
})
