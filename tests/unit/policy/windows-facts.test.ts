/**
 * Gathering the Windows facts, with PowerShell faked: it is started by its full path in the
 * Windows folder with the paths in its environment (not in the script) and a time limit; a
 * missing file never starts it; every way it can fail — not there, too slow, an error, CLIXML,
 * garbage — is `unavailable` with the reason.
 */
import { describe, expect, it } from 'vitest'
import { gatherWindowsFacts, WINDOWS_ACL_TIMEOUT_MS, type RunResult, type Runner } from '../../../main/policy/windows-facts.js'
import { ACL_ERROR_OUTPUT, CLIXML_STDERR, SDDL, aclOutput } from './windows-samples.js'

const FILE = 'D:\\ProgramData\\MES Trace Desktop\\policy.json'

function runner(result: Partial<RunResult>): Runner & { calls: { file: string; args: string[]; env: NodeJS.ProcessEnv; timeoutMs: number }[] } {
  const calls: { file: string; args: string[]; env: NodeJS.ProcessEnv; timeoutMs: number }[] = []
  const run = ((file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number) => {
    calls.push({ file, args, env, timeoutMs })
    return { status: 0, stdout: '', stderr: '', ...result }
  }) as Runner & { calls: typeof calls }
  run.calls = calls
  return run
}

const noLinks = (): boolean => false

describe('gatherWindowsFacts', () => {
  it('runs Windows PowerShell from the Windows folder with the paths in its environment and a time limit', () => {
    const run = runner({ stdout: aclOutput(SDDL.msiFile, SDDL.msiFolder) })
    const facts = gatherWindowsFacts(FILE, { systemRoot: 'D:\\Windows', run, isLink: noLinks })
    expect(facts).toMatchObject({
      kind: 'found',
      file: { path: FILE, isLink: false, owner: 'S-1-5-32-544' },
      folder: { path: 'D:\\ProgramData\\MES Trace Desktop', isLink: false, owner: 'S-1-5-32-544' },
    })
    const [call] = run.calls
    expect(call!.file).toBe('D:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe')
    expect(call!.timeoutMs).toBe(WINDOWS_ACL_TIMEOUT_MS)
    expect(call!.env.MES_TRACE_POLICY_ACL_FILE).toBe(FILE)
    expect(call!.env.MES_TRACE_POLICY_ACL_FOLDER).toBe('D:\\ProgramData\\MES Trace Desktop')
    expect(call!.args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command'])
    const script = call!.args[3]!
    expect(script).toContain('Get-Acl -LiteralPath $env:MES_TRACE_POLICY_ACL_FILE')
    expect(script).toContain('Get-Acl -LiteralPath $env:MES_TRACE_POLICY_ACL_FOLDER')
    // One line without double quotes: nothing for the Windows command line to split or unquote.
    expect(script).not.toMatch(/["\r\n]/)
    // The path never becomes part of the script: nothing in it can be run.
    expect(script).not.toContain('ProgramData')
  })

  it('leaves PowerShell 7’s module path out of the environment', () => {
    const previous = process.env.PSModulePath
    process.env.PSModulePath = 'C:\\Program Files\\PowerShell\\7\\Modules'
    try {
      const run = runner({ stdout: aclOutput(SDDL.msiFile, SDDL.msiFolder) })
      gatherWindowsFacts(FILE, { systemRoot: 'C:\\Windows', run, isLink: noLinks })
      expect(Object.keys(run.calls[0]!.env).filter((k) => k.toUpperCase() === 'PSMODULEPATH')).toEqual([])
    } finally {
      if (previous === undefined) delete process.env.PSModulePath
      else process.env.PSModulePath = previous
    }
  })

  it('does not start PowerShell when the file or its folder is missing', () => {
    const run = runner({})
    const missing = (): boolean => {
      throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' })
    }
    expect(gatherWindowsFacts(FILE, { systemRoot: 'C:\\Windows', run, isLink: missing })).toEqual({ kind: 'absent' })
    expect(run.calls).toHaveLength(0)
  })

  it('reports links found by lstat', () => {
    const run = runner({ stdout: aclOutput(SDDL.msiFile, SDDL.msiFolder) })
    const facts = gatherWindowsFacts(FILE, { systemRoot: 'C:\\Windows', run, isLink: (p) => p === FILE })
    expect(facts).toMatchObject({ kind: 'found', file: { isLink: true }, folder: { isLink: false } })
  })

  describe('when the facts cannot be gathered', () => {
    const gather = (result: Partial<RunResult>) => gatherWindowsFacts(FILE, { systemRoot: 'C:\\Windows', run: runner(result), isLink: noLinks })

    it('says PowerShell could not be run', () => {
      const error = Object.assign(new Error('spawn C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe ENOENT'), { code: 'ENOENT' })
      expect(gather({ status: null, error })).toEqual({ kind: 'unavailable', reason: `PowerShell (C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe) could not be run: ${error.message}` })
    })

    it('says PowerShell did not answer in time', () => {
      const error = Object.assign(new Error('spawnSync powershell.exe ETIMEDOUT'), { code: 'ETIMEDOUT' })
      expect(gather({ status: null, error })).toMatchObject({ kind: 'unavailable', reason: expect.stringContaining(`did not answer within ${WINDOWS_ACL_TIMEOUT_MS / 1000} s`) })
    })

    it('passes on the error Get-Acl gave', () => {
      expect(gather({ status: 1, stdout: ACL_ERROR_OUTPUT })).toEqual({ kind: 'unavailable', reason: 'PowerShell could not read the ACL: Attempted to perform an unauthorized operation.' })
    })

    it('reads around CLIXML on stderr, or names the exit code', () => {
      expect(gather({ status: 1, stderr: CLIXML_STDERR })).toEqual({
        kind: 'unavailable',
        reason: "PowerShell could not read the ACL: Get-Acl : The term 'Get-Acl' is not recognized At line:4 char:12",
      })
      expect(gather({ status: 1, stderr: '\r\nAccess is denied.\r\n' })).toEqual({ kind: 'unavailable', reason: 'PowerShell could not read the ACL: Access is denied.' })
      expect(gather({ status: 1, stderr: '#< CLIXML\r\n' })).toEqual({ kind: 'unavailable', reason: 'PowerShell could not read the ACL: it ended with exit code 1' })
      expect(gather({ status: 2, stdout: aclOutput(SDDL.msiFile, SDDL.msiFolder) })).toEqual({ kind: 'unavailable', reason: 'PowerShell could not read the ACL: it ended with exit code 2' })
    })

    it('refuses output that is not the script’s', () => {
      expect(gather({ stdout: 'Get-Acl : not recognized' })).toMatchObject({ kind: 'unavailable', reason: expect.stringContaining('something other than JSON') })
    })
  })
})
