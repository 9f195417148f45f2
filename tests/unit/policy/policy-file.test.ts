/**
 * Where the machine policy lives on each OS — never moved by an environment variable, Windows's on
 * the system drive — and how its text is read.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { machinePolicyPathOf, readPolicyFile, windowsSystemRoot } from '../../../main/policy/policy-file.js'
import { thrown } from '../../fixtures/thrown.js'

describe('machinePolicyPathOf', () => {
  it('is the ProgramData folder of the Windows drive, whatever %ProgramData% says', () => {
    const previous = process.env.ProgramData
    process.env.ProgramData = 'C:\\Users\\eng\\fake'
    try {
      expect(machinePolicyPathOf('win32', 'C:\\Windows')).toBe('C:\\ProgramData\\MES Trace Desktop\\policy.json')
      expect(machinePolicyPathOf('win32', 'D:\\WINDOWS')).toBe('D:\\ProgramData\\MES Trace Desktop\\policy.json')
    } finally {
      if (previous === undefined) delete process.env.ProgramData
      else process.env.ProgramData = previous
    }
  })

  it('is fixed on macOS and Linux', () => {
    expect(machinePolicyPathOf('darwin')).toBe('/Library/Application Support/MES Trace Desktop/policy.json')
    expect(machinePolicyPathOf('linux')).toBe('/etc/mes-trace-desktop/policy.json')
  })

  it('falls back to C:\\Windows where Windows cannot be asked', () => {
    if (process.platform !== 'win32') expect(windowsSystemRoot()).toBe('C:\\Windows')
    else expect(windowsSystemRoot()).toMatch(/^[A-Za-z]:\\/)
  })
})

describe('readPolicyFile', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-policy-file-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads a file with a byte-order mark', () => {
    writeFileSync(join(dir, 'p.json'), `\uFEFF${JSON.stringify({ updates: { enabled: false, locked: true } })}`)
    expect(readPolicyFile(join(dir, 'p.json')).updates).toEqual({ value: false, locked: true })
  })

  it('manages nothing when the file is missing, and refuses one that is not JSON', () => {
    expect(readPolicyFile(join(dir, 'none.json'))).toEqual({ settings: {}, source: null, updates: null })
    writeFileSync(join(dir, 'bad.json'), '{ "settings": ')
    expect(thrown(() => readPolicyFile(join(dir, 'bad.json')))).toMatchObject({ code: 'policy/invalid', details: { field: '(file)' } })
  })
})
