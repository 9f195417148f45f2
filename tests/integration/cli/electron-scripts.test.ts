/**
 * The desktop shell's scripts: `npm start` fetches the Electron runtime or says why it cannot and
 * how to fix it; `npm run audit:electron` runs Electronegativity over main/ and renderer/ and
 * finds nothing HIGH or MEDIUM.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = process.cwd()
const runtimeInstalled = existsSync(join(root, 'node_modules', 'electron', 'path.txt'))

describe('npm start', () => {
  it('says why the Electron runtime is missing and how to fix it, or finds it', () => {
    const r = spawnSync(process.execPath, ['scripts/start-electron.mjs', '--check'], {
      cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    })
    if (runtimeInstalled) {
      expect(r.status).toBe(0)
      expect(r.stdout).toContain('Electron runtime at')
      return
    }
    const version = (JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`the Electron ${version} runtime is missing and could not be fetched (ELECTRON_SKIP_BINARY_DOWNLOAD is set`)
    expect(r.stderr).toContain('To fix it')
    expect(r.stderr).toContain('`npm run serve`')
  })
})

describe('npm run audit:electron', () => {
  it('reports no HIGH and no MEDIUM finding over main/ and renderer/', () => {
    const r = spawnSync(process.execPath, ['scripts/electronegativity.mjs'], { cwd: root, encoding: 'utf8', timeout: 120_000 })
    expect(r.stdout).toMatch(/Electronegativity 1\.10\.3 over main\/ and renderer\/ \(Electron \d+\.\d+\.\d+\): \d+ finding\(s\)/)
    expect(r.stdout).toContain('No HIGH or MEDIUM finding.')
    expect(r.status).toBe(0)
  }, 120_000)
})
