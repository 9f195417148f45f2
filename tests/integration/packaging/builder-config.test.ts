/**
 * electron-builder.yml: valid for electron-builder's own schema (no Electron download needed), a
 * broken copy refused, and the choices IT depends on pinned: per-machine MSI with a stable upgrade
 * code, per-user assisted NSIS, signed-ready dmg/zip, AppImage/deb, fuses, the unpacked native module.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = process.cwd()
const require = createRequire(import.meta.url)

function validate(file: string, cwd = root): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'validate-builder-config.mjs'), file], { cwd, encoding: 'utf8' })
  return { status: r.status, out: `${r.stdout}${r.stderr}` }
}

describe('electron-builder.yml', () => {
  it('is valid for electron-builder’s own schema', () => {
    const r = validate('electron-builder.yml')
    expect(r.out).toContain('OK: electron-builder.yml is valid for electron-builder 26.17.0')
    expect(r.status).toBe(0)
  })

  it('refuses a copy with a wrong value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mes-trace-builder-'))
    try {
      copyFileSync(join(root, 'package.json'), join(dir, 'package.json'))
      const text = readFileSync(join(root, 'electron-builder.yml'), 'utf8').replace('perMachine: true', 'perMachine: "yes please"')
      writeFileSync(join(dir, 'electron-builder.yml'), text)
      const r = validate('electron-builder.yml', dir)
      expect(r.status).toBe(1)
      expect(r.out).toContain('INVALID')
      expect(r.out).toContain('perMachine')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('keeps what IT relies on', () => {
    const yaml = require('js-yaml') as { load(text: string): unknown }
    const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, Record<string, unknown> & unknown[]>
    expect(config.win!.target).toEqual(['msi', 'nsis'])
    expect(config.msi).toMatchObject({ perMachine: true })
    expect(config.msi!.upgradeCode).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: false })
    expect(config.mac).toMatchObject({ target: ['dmg', 'zip'], hardenedRuntime: true, notarize: false, entitlements: 'build/entitlements.mac.plist' })
    // The hardened runtime is relaxed only for V8's JIT: no other entitlement is asked for.
    const plist = readFileSync(join(root, 'build', 'entitlements.mac.plist'), 'utf8').replace(/<!--[\s\S]*?-->/g, '')
    expect([...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1])).toEqual(['com.apple.security.cs.allow-jit'])
    expect(plist).not.toMatch(/<false\/>/)
    expect(config.win).toMatchObject({ verifyUpdateCodeSignature: true })
    expect(config.publish).toBeUndefined()
    expect(config.linux!.target).toEqual(['AppImage', 'deb'])
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**')
    expect(config.npmRebuild).toBe(false)
    expect(config.electronFuses).toMatchObject({
      runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true,
    })
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'mtr' })])
    for (const os of ['win', 'mac', 'linux']) expect((config[os] as Record<string, unknown>).icon, os).toBe('build/icon.png')
    // A real 1024×1024 PNG (electron-builder derives .ico/.icns from it).
    const icon = readFileSync(join(root, 'build', 'icon.png'))
    expect(icon.subarray(1, 4).toString()).toBe('PNG')
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([1024, 1024])
    // No secret may live in the file: signing comes from the environment (scripts/dist.mjs).
    expect(readFileSync(join(root, 'electron-builder.yml'), 'utf8')).not.toMatch(/password:|cscKeyPassword|certificatePassword/i)
  })
})

describe('scripts/dist.mjs', () => {
  it('signs, notarizes and sets the update feed only from the environment', async () => {
    const script = pathToFileURL(join(root, 'scripts', 'dist.mjs')).href
    const { builderArgs, builderRuns } = (await import(/* @vite-ignore */ script)) as {
      builderArgs(target: string | undefined, env: Record<string, string>): { args: string[]; notes: string[] }
      builderRuns(target: string | undefined, env: Record<string, string>): { runs: string[][]; notes: string[] }
    }
    // The MSI is built without the update feed: a per-machine install never updates itself.
    const feed = { MES_TRACE_UPDATE_URL: 'https://updates.plant.example/mes-trace/' }
    expect(builderRuns('win', feed).runs).toEqual([
      ['--win', 'msi', '--publish', 'never', '-c.npmRebuild=true'],
      ['--win', 'nsis', '--publish', 'never', '-c.npmRebuild=true', '-c.publish.provider=generic', '-c.publish.url=https://updates.plant.example/mes-trace/'],
    ])
    expect(builderRuns('linux', feed).runs).toHaveLength(1)
    const bare = builderArgs('win', {})
    expect(bare.args).toEqual(['--win', '--publish', 'never', '-c.npmRebuild=true'])
    expect(bare.notes).toContain('Windows: unsigned (no signing credentials in the environment)')
    const azure = builderArgs('win', {
      MES_TRACE_AZURE_ENDPOINT: 'https://weu.codesigning.azure.net', MES_TRACE_AZURE_ACCOUNT: 'plant', MES_TRACE_AZURE_PROFILE: 'public',
      MES_TRACE_PUBLISHER_NAME: 'Plant IT', MES_TRACE_UPDATE_URL: 'https://updates.plant.example/mes-trace/',
    })
    expect(azure.args).toEqual(expect.arrayContaining([
      '-c.win.azureSignOptions.endpoint=https://weu.codesigning.azure.net', '-c.win.azureSignOptions.publisherName=Plant IT',
      '-c.publish.provider=generic', '-c.publish.url=https://updates.plant.example/mes-trace/',
    ]))
    expect(builderArgs('mac', { APPLE_ID: 'a', APPLE_APP_SPECIFIC_PASSWORD: 'b', APPLE_TEAM_ID: 'c' }).args).toContain('-c.mac.notarize=true')
    expect(builderArgs('win', { MES_TRACE_CERT_SUBJECT_NAME: 'Plant IT' }).args).toContain('-c.win.signtoolOptions.certificateSubjectName=Plant IT')
    expect(() => builderArgs('win', { MES_TRACE_UPDATE_URL: 'http://insecure.example/' })).toThrow(/https/)
  })
})
