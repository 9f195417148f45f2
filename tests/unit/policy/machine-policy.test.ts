/**
 * The policy in force, with the file judged by a fake: a trusted file is applied, an untrusted one
 * ignored with the reasons, an unverified one applied with a warning; MES_TRACE_POLICY_FILE is
 * read only where allowed, and the warnings say what happened.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadMachinePolicy } from '../../../main/policy/machine-policy.js'
import type { PolicyTrust } from '../../../main/policy/policy-trust.js'
import { thrown } from '../../fixtures/thrown.js'

describe('loadMachinePolicy', () => {
  let dir: string
  let machinePath: string
  let testPath: string
  const machinePolicy = { settings: { TRACE_WORKER_COUNT: { value: 1, locked: true } } }
  const testPolicy = { settings: { TRACE_WORKER_COUNT: { value: 7, locked: true } } }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-machine-policy-'))
    machinePath = join(dir, 'machine.json')
    testPath = join(dir, 'test.json')
    writeFileSync(machinePath, JSON.stringify(machinePolicy))
    writeFileSync(testPath, JSON.stringify(testPolicy))
  })

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const load = (trust: PolicyTrust, build: 'packaged' | 'development', env: NodeJS.ProcessEnv = {}, platform: NodeJS.Platform = 'linux') => {
    const judged: string[] = []
    const loaded = loadMachinePolicy({ build, env, platform, machinePath, inspect: (path) => (judged.push(path), trust) })
    return { ...loaded, judged }
  }

  it('applies a trusted machine policy, silently', () => {
    const loaded = load({ kind: 'trusted' }, 'packaged')
    expect(loaded.policy.settings.TRACE_WORKER_COUNT).toEqual({ value: 1, locked: true })
    expect(loaded.source).toBe(machinePath)
    expect(loaded.warnings).toEqual([])
    expect(loaded.judged).toEqual([machinePath])
  })

  it('manages nothing, silently, without a policy file', () => {
    expect(load({ kind: 'absent' }, 'packaged')).toMatchObject({ policy: { settings: {}, source: null, updates: null }, source: null, warnings: [] })
  })

  it('ignores a policy others may change, saying who and what', () => {
    const loaded = load({ kind: 'untrusted', problems: ['policy.json is owned by uid 1000, not root', 'its folder /x is writable by every user'] }, 'packaged')
    expect(loaded.policy.settings).toEqual({})
    expect(loaded.source).toBeNull()
    expect(loaded.warnings).toEqual([
      `The machine policy ${machinePath} is ignored (nothing is managed): policy.json is owned by uid 1000, not root; its folder /x is writable by every user. Only root may own or change the file and its folder.`,
    ])
  })

  it('names the Windows administrators in a Windows warning', () => {
    const loaded = load({ kind: 'untrusted', problems: ['policy.json is writable by BUILTIN\\Users (write data)'] }, 'packaged', {}, 'win32')
    expect(loaded.warnings[0]).toContain('policy.json is writable by BUILTIN\\Users (write data). Only Administrators, SYSTEM or TrustedInstaller may own or change')
  })

  it('applies a policy whose protection could not be checked, and says so', () => {
    // Failing the other way would let a user drop every lock by making the check fail.
    const loaded = load({ kind: 'unverified', reason: 'PowerShell could not be run: spawn ENOENT' }, 'packaged')
    expect(loaded.policy.settings.TRACE_WORKER_COUNT).toEqual({ value: 1, locked: true })
    expect(loaded.warnings).toEqual([`The machine policy ${machinePath} is applied, but who may change it could not be checked: PowerShell could not be run: spawn ENOENT.`])
  })

  it('does not offer the data source of a policy whose protection could not be checked', () => {
    const withSource = join(dir, 'with-source.json')
    writeFileSync(withSource, JSON.stringify({ ...machinePolicy, source: { name: 'Plant replica', kind: 'sqlite', path: '/srv/replica.sqlite', locked: true } }))
    const unverified = loadMachinePolicy({ build: 'packaged', env: {}, platform: 'win32', machinePath: withSource, inspect: () => ({ kind: 'unverified', reason: 'PowerShell timed out' }) })
    expect(unverified.policy.settings.TRACE_WORKER_COUNT).toEqual({ value: 1, locked: true })
    expect(unverified.policy.source).toBeNull()
    expect(unverified.warnings.at(-1)).toBe('Its data source "Plant replica" is not offered until the file\'s protection can be checked.')
    const trusted = loadMachinePolicy({ build: 'packaged', env: {}, platform: 'win32', machinePath: withSource, inspect: () => ({ kind: 'trusted' }) })
    expect(trusted.policy.source).toMatchObject({ name: 'Plant replica', path: '/srv/replica.sqlite' })
  })

  it('still refuses a malformed policy it may believe', () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{ "settings": ')
    expect(thrown(() => loadMachinePolicy({ build: 'packaged', env: {}, platform: 'linux', machinePath: bad, inspect: () => ({ kind: 'trusted' }) }))).toMatchObject({ code: 'policy/invalid' })
  })

  it('never lets a malformed file it does not believe stop the app', () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{ "settings": ')
    expect(loadMachinePolicy({ build: 'packaged', env: {}, platform: 'linux', machinePath: bad, inspect: () => ({ kind: 'untrusted', problems: ['x'] }) }).policy.settings).toEqual({})
  })

  describe('MES_TRACE_POLICY_FILE', () => {
    it('replaces a missing machine policy in a development build, read as it is', () => {
      const loaded = load({ kind: 'absent' }, 'development', { MES_TRACE_POLICY_FILE: testPath })
      expect(loaded.policy.settings.TRACE_WORKER_COUNT).toEqual({ value: 7, locked: true })
      expect(loaded.source).toBe(testPath)
      expect(loaded.warnings).toEqual([])
    })

    it('is ignored by the installed app, which keeps the machine policy and says why', () => {
      const loaded = load({ kind: 'trusted' }, 'packaged', { MES_TRACE_POLICY_FILE: testPath })
      expect(loaded.policy.settings.TRACE_WORKER_COUNT).toEqual({ value: 1, locked: true })
      expect(loaded.warnings).toEqual([`MES_TRACE_POLICY_FILE is ignored: the installed app reads only the machine policy (${machinePath}).`])
    })

    it('is ignored by the installed app even without a machine policy', () => {
      const loaded = load({ kind: 'absent' }, 'packaged', { MES_TRACE_POLICY_FILE: testPath })
      expect(loaded.policy.settings).toEqual({})
      expect(loaded.warnings).toHaveLength(1)
    })

    it('is ignored by a development build (the CLI) where IT placed a policy, even one that is ignored itself', () => {
      const kept = load({ kind: 'trusted' }, 'development', { MES_TRACE_POLICY_FILE: testPath })
      expect(kept.policy.settings.TRACE_WORKER_COUNT).toEqual({ value: 1, locked: true })
      expect(kept.warnings).toEqual([`MES_TRACE_POLICY_FILE is ignored: this machine has a policy file placed by IT (${machinePath}), and no variable replaces it.`])
      const ignored = load({ kind: 'untrusted', problems: ['policy.json is writable by every user'] }, 'development', { MES_TRACE_POLICY_FILE: testPath })
      expect(ignored.policy.settings).toEqual({})
      expect(ignored.warnings).toHaveLength(2)
      // When it cannot be told whether a policy is there, it counts as there.
      expect(load({ kind: 'unverified', reason: 'x' }, 'development', { MES_TRACE_POLICY_FILE: testPath }).policy.settings.TRACE_WORKER_COUNT?.value).toBe(1)
    })
  })
})
