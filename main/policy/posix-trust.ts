/**
 * The rules for a machine policy file on Linux and macOS, on facts gathered by posix-facts.ts (or
 * made up by a test). Pure.
 *
 * Only root may own or change the file, the folder holding it, and every folder above: whoever may
 * write a folder may rename or replace what is in it. So:
 * - the file (a symbolic link is followed: the link and what it points to are both judged) is a
 *   regular file owned by uid 0, not writable by others nor by its group;
 * - the folder holding it (and the folder holding the link) is owned by uid 0, not writable by
 *   others nor by its group;
 * - each folder above is owned by uid 0 and writable by others or its group only with the sticky
 *   bit (as `/tmp`), where nobody but an entry's owner may rename or remove it;
 * - every symbolic link on the way (the file or a folder) is owned by uid 0.
 * A group may write where its members are administrators anyway: gid 0 (`root`, `wheel` on macOS)
 * and, on macOS, gid 80 (`admin`, the users allowed to administer the Mac — `/Library` itself is
 * `root:admin` with mode 1775). Linux distributions name their administrator group differently
 * (`sudo`, `wheel`, `adm`…), so only gid 0 counts there.
 */
import type { PolicyTrust } from './policy-trust.js'

/** One file system entry on the way to the policy, as `lstat` saw it. */
export interface PosixEntry {
  /** Absolute path of the entry. */
  path: string
  /**
   * What it is to the policy: `file` the file that is read (the target of a link), `link` a
   * symbolic link on the way, `folder` a folder holding the file or the link, `ancestor` a folder
   * above one.
   */
  role: 'file' | 'link' | 'folder' | 'ancestor'
  /** What `lstat` says it is. */
  type: 'file' | 'directory' | 'symlink' | 'other'
  uid: number
  gid: number
  /** Permission bits, with the sticky bit (`0o1000`). */
  mode: number
}

/** What was gathered about a policy path on a POSIX system. */
export type PosixFacts =
  /** Nothing at the path (or its folder is missing). */
  | { kind: 'absent' }
  | { kind: 'found'; entries: PosixEntry[] }
  /** The facts could not be gathered; `reason` says why. */
  | { kind: 'unavailable'; reason: string }

const STICKY = 0o1000
const GROUP_WRITE = 0o020
const OTHER_WRITE = 0o002

/** Groups whose members are administrators anyway (see the file comment). */
export function administratorGroupsOf(platform: NodeJS.Platform): readonly number[] {
  return platform === 'darwin' ? [0, 80] : [0]
}

function nameOf(entry: PosixEntry): string {
  if (entry.role === 'file') return entry.path.split('/').pop() || entry.path
  if (entry.role === 'folder') return `its folder ${entry.path}`
  if (entry.role === 'link') return `the link ${entry.path}`
  return `the folder ${entry.path} above it`
}

function problemsOf(entry: PosixEntry, adminGroups: readonly number[]): string[] {
  const name = nameOf(entry)
  const problems: string[] = []
  if (entry.uid !== 0) problems.push(`${name} is owned by uid ${entry.uid}, not root`)
  // A link's own mode means nothing; its owner and the folder holding it are what count.
  if (entry.type === 'symlink') return problems
  if (entry.role === 'file' && entry.type !== 'file') problems.push(`${name} is not a regular file`)
  if (entry.role !== 'file' && entry.type !== 'directory') problems.push(`${name} is not a folder`)
  const groupWrites = (entry.mode & GROUP_WRITE) !== 0 && !adminGroups.includes(entry.gid)
  const othersWrite = (entry.mode & OTHER_WRITE) !== 0
  const sticky = (entry.mode & STICKY) !== 0
  // Above the folder, the sticky bit keeps others from renaming what they do not own.
  if (entry.role === 'ancestor' && sticky) return problems
  if (othersWrite) problems.push(`${name} is writable by every user`)
  if (groupWrites) problems.push(`${name} is writable by its group (gid ${entry.gid})`)
  return problems
}

/**
 * The verdict on a policy file from its POSIX facts. Facts without the file or without a folder
 * holding it were not gathered completely, and what was not examined is not believed.
 */
export function posixTrust(facts: PosixFacts, platform: NodeJS.Platform): PolicyTrust {
  if (facts.kind === 'absent') return { kind: 'absent' }
  if (facts.kind === 'unavailable') return { kind: 'unverified', reason: facts.reason }
  const adminGroups = administratorGroupsOf(platform)
  const problems = facts.entries.flatMap((entry) => problemsOf(entry, adminGroups))
  if (!facts.entries.some((e) => e.role === 'file')) problems.push('the file itself was not examined')
  if (!facts.entries.some((e) => e.role === 'folder')) problems.push('the folder holding it was not examined')
  return problems.length === 0 ? { kind: 'trusted' } : { kind: 'untrusted', problems }
}
