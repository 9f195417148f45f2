/**
 * Gathers the ownership and permission facts of a policy path on Linux and macOS with `lstat`,
 * for the rules of posix-trust.ts. A symbolic link is never followed silently: the link is an
 * entry of its own and what it points to is another, each with the folders holding it.
 */
import { lstatSync, realpathSync, type Stats } from 'node:fs'
import { posix } from 'node:path'
import type { PosixEntry, PosixFacts } from './posix-trust.js'

function typeOf(stats: Stats): PosixEntry['type'] {
  if (stats.isSymbolicLink()) return 'symlink'
  if (stats.isFile()) return 'file'
  if (stats.isDirectory()) return 'directory'
  return 'other'
}

function entryOf(path: string, role: PosixEntry['role']): PosixEntry {
  const stats = lstatSync(path)
  return { path, role, type: typeOf(stats), uid: stats.uid, gid: stats.gid, mode: stats.mode & 0o7777 }
}

/** `folder` and every folder above it up to `/`, the first as `folder`, the others as `ancestor`. */
function chainOf(folder: string): PosixEntry[] {
  const entries: PosixEntry[] = []
  let current = folder
  for (;;) {
    entries.push(entryOf(current, entries.length === 0 ? 'folder' : 'ancestor'))
    const parent = posix.dirname(current)
    if (parent === current) return entries
    current = parent
  }
}

const isMissing = (error: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')

/**
 * The facts of the policy file at `path` (absolute): the entry itself, its target when it is a
 * link, and the folders holding each, both as written (the links on the way) and as resolved. A
 * path that does not exist (or a link to nothing) is `absent`; any other failure is `unavailable`.
 */
export function gatherPosixFacts(path: string): PosixFacts {
  try {
    const first = entryOf(path, 'file')
    const entries: PosixEntry[] = []
    let target = path
    if (first.type === 'symlink') {
      entries.push({ ...first, role: 'link' })
      target = realpathSync(path)
      entries.push(entryOf(target, 'file'))
    } else {
      entries.push(first)
    }
    // The folders as written and as resolved: a link among them is judged by its owner and the
    // folder holding it, the real folder by the full rule.
    const seen = new Set<string>()
    for (const folder of [posix.dirname(path), posix.dirname(realpathSync(target))]) {
      for (const entry of chainOf(folder)) {
        const key = `${entry.path}\u0000${entry.role}`
        if (seen.has(key)) continue
        seen.add(key)
        entries.push(entry)
      }
    }
    return { kind: 'found', entries }
  } catch (error) {
    if (isMissing(error)) return { kind: 'absent' }
    return { kind: 'unavailable', reason: `${path} could not be examined: ${(error as Error).message}` }
  }
}
