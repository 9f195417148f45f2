/**
 * Where the machine's policy file lives and how its text becomes a policy. The file is written by
 * IT (never by the app); a missing file means nothing is managed, a malformed one is an error
 * naming the entry. Whether the file may be believed at all is decided before it is read
 * (machine-policy.ts).
 */
import { readFileSync, realpathSync } from 'node:fs'
import { posix, win32 } from 'node:path'
import { AppError } from '../../shared/errors.js'
import { EMPTY_POLICY, parsePolicy, type ManagedPolicy } from '../../shared/policy.js'

/** Folder name of the product in machine-wide locations. */
const PRODUCT = 'MES Trace Desktop'

/** Where Windows lives when it cannot be asked (the default of every Windows installation). */
const DEFAULT_WINDOWS_DIR = 'C:\\Windows'

/**
 * The Windows folder of this machine (`C:\Windows`), found without the environment: `%SystemRoot%`
 * and `%ProgramData%` are the user's own to change, and a user who could point the app at another
 * ProgramData folder would have switched the machine policy off. `\\?\GLOBALROOT\SystemRoot` is
 * the kernel's link to the Windows folder; when it cannot be resolved, the default folder is used.
 */
export function windowsSystemRoot(): string {
  try {
    const resolved = realpathSync.native('\\\\?\\GLOBALROOT\\SystemRoot')
    if (/^[A-Za-z]:\\/.test(resolved)) return resolved
  } catch {
    // Not on Windows, or the link cannot be opened: the default below.
  }
  return DEFAULT_WINDOWS_DIR
}

/**
 * The machine policy file of an OS:
 * `<system drive>\ProgramData\MES Trace Desktop\policy.json` (Windows; the ProgramData folder of the
 * drive Windows is on, see {@link windowsSystemRoot}),
 * `/Library/Application Support/MES Trace Desktop/policy.json` (macOS),
 * `/etc/mes-trace-desktop/policy.json` (Linux and other POSIX systems).
 * No environment variable moves it (`MES_TRACE_POLICY_FILE` is handled by machine-policy.ts).
 */
export function machinePolicyPathOf(platform: NodeJS.Platform = process.platform, systemRoot?: string): string {
  if (platform === 'win32') {
    const drive = win32.parse(systemRoot ?? windowsSystemRoot()).root || 'C:\\'
    return win32.join(drive, 'ProgramData', PRODUCT, 'policy.json')
  }
  if (platform === 'darwin') return posix.join('/Library/Application Support', PRODUCT, 'policy.json')
  return '/etc/mes-trace-desktop/policy.json'
}

/** Reads and validates the policy at `path`; a file that does not exist manages nothing. */
export function readPolicyFile(path: string): ManagedPolicy {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_POLICY
    throw new AppError('policy/invalid', `The policy file ${path} cannot be read: ${(error as Error).message}`, { path })
  }
  let raw: unknown
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new AppError('policy/invalid', `The policy file ${path} is not valid JSON: ${(error as Error).message}`, { path, field: '(file)' })
  }
  return parsePolicy(raw, path)
}
