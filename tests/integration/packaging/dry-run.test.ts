/**
 * An offline packaging dry run: electron-builder packs the app for Linux (`--dir`) around a fake
 * Electron binary (only its fuse wire is real), with native rebuilds off. It proves what goes into
 * the package — the files, the unpacked native module, the production dependencies and nothing of
 * the development ones — and that the fuses are flipped. Needs the built main code and renderer.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = process.cwd()
const require = createRequire(import.meta.url)
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
/** Electron's own defaults, in fuse order: RunAsNode, cookie encryption, NODE_OPTIONS, inspect, asar integrity, only asar, V8 snapshot, file protocol. */
const DEFAULT_WIRE = '10110001'

describe('packaging dry run (fake Electron, rebuild off)', () => {
  let work: string
  let appDir: string
  let files: string[]

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'mes-trace-pack-'))
    const fakeDist = join(work, 'electron-dist')
    mkdirSync(fakeDist)
    writeFileSync(join(fakeDist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\necho fake\n'), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from(DEFAULT_WIRE)]), { mode: 0o755 })
    writeFileSync(join(fakeDist, 'version'), 'v41.7.1')
    const out = join(work, 'out')
    const r = spawnSync(
      process.execPath,
      [require.resolve('electron-builder/cli.js'), '--linux', 'dir', '--publish', 'never', `-c.electronDist=${fakeDist}`, '-c.electronVersion=41.7.1',
        '-c.npmRebuild=false', `-c.directories.output=${out}`],
      { cwd: root, encoding: 'utf8', timeout: 240_000, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
    )
    if (r.status !== 0) throw new Error(`electron-builder failed (${r.status}):\n${r.stdout}\n${r.stderr}`)
    appDir = join(out, 'linux-unpacked')
    const asar = require('@electron/asar') as { listPackage(path: string, options: object): string[] }
    files = asar.listPackage(join(appDir, 'resources', 'app.asar'), {}).map((f) => f.replace(/\\/g, '/'))
  }, 300_000)

  afterAll(() => rmSync(work, { recursive: true, force: true }))

  it('packs the compiled app, the renderer and package.json, without sources or source maps', () => {
    for (const f of ['/package.json', '/dist/main/electron/index.js', '/dist/main/electron/preload.cjs', '/dist/main/worker/entry.js', '/dist/renderer/index.html', '/dist/shared/api.js']) {
      expect(files, f).toContain(f)
    }
    expect(files.some((f) => f.endsWith('.map'))).toBe(false)
    expect(files.some((f) => f.startsWith('/main/') || f.startsWith('/tests/') || f.startsWith('/renderer/src/'))).toBe(false)
  })

  it('carries the production dependencies and none of the development ones', () => {
    for (const dep of ['better-sqlite3', 'p-queue', 'zod', 'ws', 'exceljs', 'pg', 'pg-cursor', 'oracledb', 'echarts', 'zrender']) {
      expect(files.some((f) => f.startsWith(`/node_modules/${dep}/`)), dep).toBe(true)
    }
    for (const dep of ['electron', 'vitest', 'typescript', '@playwright/test', 'electron-builder', '@doyensec/electronegativity', 'vue-tsc']) {
      expect(files.some((f) => f.startsWith(`/node_modules/${dep}/`)), dep).toBe(false)
    }
  })

  it('keeps the native SQLite module outside the archive', () => {
    expect(existsSync(join(appDir, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true)
  })

  it('flips the fuses: no RunAsNode, NODE_OPTIONS or inspector, asar integrity on, app only from the asar', async () => {
    const { getCurrentFuseWire, FuseV1Options } = require('@electron/fuses') as {
      getCurrentFuseWire(path: string): Promise<Record<number, number>>
      FuseV1Options: Record<string, number>
    }
    const wire = await getCurrentFuseWire(join(appDir, 'mes-trace-desktop'))
    const state = (name: string): string => String.fromCharCode(wire[FuseV1Options[name]!]!)
    expect({
      runAsNode: state('RunAsNode'), nodeOptions: state('EnableNodeOptionsEnvironmentVariable'), inspect: state('EnableNodeCliInspectArguments'),
      asarIntegrity: state('EnableEmbeddedAsarIntegrityValidation'), onlyAsar: state('OnlyLoadAppFromAsar'), cookies: state('EnableCookieEncryption'),
    }).toEqual({ runAsNode: '0', nodeOptions: '0', inspect: '0', asarIntegrity: '1', onlyAsar: '1', cookies: '1' })
  })
})
