/**
 * Gathers the owner and ACL of a policy file and its folder on Windows, for the rules of
 * windows-trust.ts. Node cannot read ACLs, so Windows PowerShell (part of every Windows since 7)
 * prints both security descriptors in SDDL; windows-acl.ts reads them.
 *
 * PowerShell is started by its full path in the Windows folder (found as policy-file.ts finds it,
 * not through PATH or %SystemRoot%, which the user may change), with the paths passed in the
 * environment rather than spliced into the script, and with a time limit.
 */
import { spawnSync } from 'node:child_process'
import { lstatSync } from 'node:fs'
import { win32 } from 'node:path'
import { windowsSystemRoot } from './policy-file.js'
import { parseWindowsAclOutput, powershellErrorOf } from './windows-acl.js'
import type { WindowsFacts } from './windows-trust.js'

/** How long PowerShell gets to print the two descriptors (a cold start on a busy PC takes seconds). */
export const WINDOWS_ACL_TIMEOUT_MS = 15_000

/**
 * The script: Get-Acl of the file and of its folder, as SDDL, in one JSON object — or the error,
 * as JSON too (PowerShell may word its own error output as CLIXML when it is not on a console).
 * `Get-Acl` is a cmdlet, so this also runs where PowerShell is held to Constrained Language mode.
 * One line of plain text on the command line, not `-EncodedCommand`, which endpoint protection
 * tends to flag; it holds no double quote and no path, so nothing in it needs quoting or escaping.
 */
const SCRIPT = [
  "$ErrorActionPreference = 'Stop';",
  "$ProgressPreference = 'SilentlyContinue';",
  'try {',
  '$file = (Get-Acl -LiteralPath $env:MES_TRACE_POLICY_ACL_FILE).Sddl;',
  '$folder = (Get-Acl -LiteralPath $env:MES_TRACE_POLICY_ACL_FOLDER).Sddl;',
  'ConvertTo-Json -Compress -InputObject ([ordered]@{ file = $file; folder = $folder })',
  '} catch {',
  'ConvertTo-Json -Compress -InputObject ([ordered]@{ error = $_.Exception.Message });',
  'exit 1',
  '}',
].join(' ')

/** What running a program gave (the part of `spawnSync`'s answer used here). */
export interface RunResult {
  status: number | null
  stdout: string
  stderr: string
  error?: Error
}

/** Runs a program; tests give their own. */
export type Runner = (file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number) => RunResult

const runProgram: Runner = (file, args, env, timeoutMs) => {
  const r = spawnSync(file, args, { env, timeout: timeoutMs, windowsHide: true, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ...(r.error ? { error: r.error } : {}) }
}

export interface WindowsFactsOptions {
  /** The Windows folder. @default found by {@link windowsSystemRoot} */
  systemRoot?: string
  /** Runs PowerShell. @default `spawnSync` */
  run?: Runner
  /** `lstat` of a path: whether it is a link; throws like `lstatSync`. @default `lstatSync` */
  isLink?: (path: string) => boolean
}

const isMissing = (error: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')

/**
 * The facts of the policy file at `path` (absolute) and its folder. A file that does not exist is
 * `absent` (PowerShell is not started: machines without a policy pay nothing); a failure to run
 * PowerShell or to read what it printed is `unavailable`, naming why.
 */
export function gatherWindowsFacts(path: string, options: WindowsFactsOptions = {}): WindowsFacts {
  const isLink = options.isLink ?? ((p: string) => lstatSync(p).isSymbolicLink())
  const folder = win32.dirname(path)
  let fileIsLink: boolean
  let folderIsLink: boolean
  try {
    fileIsLink = isLink(path)
    folderIsLink = isLink(folder)
  } catch (error) {
    if (isMissing(error)) return { kind: 'absent' }
    return { kind: 'unavailable', reason: `${path} could not be examined: ${(error as Error).message}` }
  }
  const powershell = win32.join(options.systemRoot ?? windowsSystemRoot(), 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe')
  // PSModulePath set by PowerShell 7 makes Windows PowerShell load 7's modules, where Get-Acl fails.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.toUpperCase() !== 'PSMODULEPATH'))
  env.MES_TRACE_POLICY_ACL_FILE = path
  env.MES_TRACE_POLICY_ACL_FOLDER = folder
  const result = (options.run ?? runProgram)(powershell, ['-NoProfile', '-NonInteractive', '-Command', SCRIPT], env, WINDOWS_ACL_TIMEOUT_MS)
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code
    const why = code === 'ETIMEDOUT' ? `it did not answer within ${WINDOWS_ACL_TIMEOUT_MS / 1000} s` : result.error.message
    return { kind: 'unavailable', reason: `PowerShell (${powershell}) could not be run: ${why}` }
  }
  try {
    if (result.status !== 0 && result.stdout.trim() === '') {
      throw new Error(powershellErrorOf(result.stderr) ?? `it ended with exit code ${String(result.status)}`)
    }
    const acl = parseWindowsAclOutput(result.stdout)
    if (result.status !== 0) throw new Error(`it ended with exit code ${String(result.status)}`)
    return { kind: 'found', file: { path, isLink: fileIsLink, ...acl.file }, folder: { path: folder, isLink: folderIsLink, ...acl.folder } }
  } catch (error) {
    return { kind: 'unavailable', reason: `PowerShell could not read the ACL: ${(error as Error).message}` }
  }
}
