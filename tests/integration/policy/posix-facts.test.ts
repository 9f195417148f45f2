/**
 * The Linux/macOS facts of a real policy file, through `lstat`, judged by the rules: a root-owned
 * closed file in a root folder is believed; one every user may write, one owned by a user, a
 * folder every user may write, a link to a file users may write are not; a missing file or folder,
 * or a link to nothing, is no policy. Run as root (as CI does) to make files owned by root and by
 * others; as another user, what the test makes is the user's, and is refused for it.
 */
import { chmodSync, chownSync, lchownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { inspectPolicyFile } from '../../../main/policy/index.js'
import { gatherPosixFacts } from '../../../main/policy/posix-facts.js'

const isRoot = process.getuid?.() === 0
const onPosix = process.platform !== 'win32'

describe.skipIf(!onPosix)('gatherPosixFacts', () => {
  let dir: string
  let folder: string
  let file: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-policy-facts-'))
    folder = join(dir, 'mes-trace-desktop')
    file = join(folder, 'policy.json')
    mkdirSync(folder, { mode: 0o755 })
    chmodSync(folder, 0o755)
    writeFileSync(file, '{}', { mode: 0o644 })
    chmodSync(file, 0o644)
  })

  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('lists the file, its folder and every folder up to /', () => {
    const facts = gatherPosixFacts(file)
    expect(facts.kind).toBe('found')
    if (facts.kind !== 'found') return
    expect(facts.entries.map((e) => [e.path, e.role, e.type])).toEqual([
      [file, 'file', 'file'],
      [folder, 'folder', 'directory'],
      ...ancestorsOf(dir).map((p) => [p, 'ancestor', 'directory']),
    ])
    expect(facts.entries[0]).toMatchObject({ mode: 0o644, uid: process.getuid!() })
  })

  it('finds no policy where the file or its folder is missing, or a link points to nothing', () => {
    expect(gatherPosixFacts(join(folder, 'none.json'))).toEqual({ kind: 'absent' })
    expect(gatherPosixFacts(join(dir, 'no-folder', 'policy.json'))).toEqual({ kind: 'absent' })
    symlinkSync(join(dir, 'nowhere.json'), join(folder, 'dangling.json'))
    expect(gatherPosixFacts(join(folder, 'dangling.json'))).toEqual({ kind: 'absent' })
    expect(inspectPolicyFile(join(dir, 'no-folder', 'policy.json'), 'linux')).toEqual({ kind: 'absent' })
  })

  it.skipIf(isRoot)('refuses a file the user running the test owns', () => {
    expect(inspectPolicyFile(file, 'linux')).toMatchObject({ kind: 'untrusted', problems: expect.arrayContaining([`policy.json is owned by uid ${process.getuid!()}, not root`]) })
  })

  describe.skipIf(!isRoot)('as root', () => {
    it('believes a root-owned file closed to others in a root-owned folder (under the sticky temp folder)', () => {
      expect(inspectPolicyFile(file, 'linux')).toEqual({ kind: 'trusted' })
    })

    it('refuses a file every user may write', () => {
      chmodSync(file, 0o666)
      expect(inspectPolicyFile(file, 'linux')).toEqual({ kind: 'untrusted', problems: ['policy.json is writable by every user'] })
    })

    it('refuses a file owned by a user, and one a group may write', () => {
      chownSync(file, 1000, 1000)
      expect(inspectPolicyFile(file, 'linux')).toEqual({ kind: 'untrusted', problems: ['policy.json is owned by uid 1000, not root'] })
      chownSync(file, 0, 1000)
      chmodSync(file, 0o664)
      expect(inspectPolicyFile(file, 'linux')).toEqual({ kind: 'untrusted', problems: ['policy.json is writable by its group (gid 1000)'] })
    })

    it('refuses a file in a folder every user may write', () => {
      chmodSync(folder, 0o777)
      expect(inspectPolicyFile(file, 'linux')).toEqual({ kind: 'untrusted', problems: [`its folder ${folder} is writable by every user`] })
    })

    it('refuses a file under a folder every user may write without the sticky bit', () => {
      chmodSync(dir, 0o777)
      expect(inspectPolicyFile(file, 'linux')).toEqual({ kind: 'untrusted', problems: [`the folder ${dir} above it is writable by every user`] })
    })

    it('judges a link by its owner and by the file it points to', () => {
      const elsewhere = join(dir, 'elsewhere')
      mkdirSync(elsewhere, { mode: 0o755 })
      writeFileSync(join(elsewhere, 'mes.json'), '{}', { mode: 0o644 })
      chmodSync(join(elsewhere, 'mes.json'), 0o644)
      const link = join(folder, 'linked.json')
      symlinkSync(join(elsewhere, 'mes.json'), link)
      expect(inspectPolicyFile(link, 'linux')).toEqual({ kind: 'trusted' })
      chmodSync(join(elsewhere, 'mes.json'), 0o666)
      expect(inspectPolicyFile(link, 'linux')).toEqual({ kind: 'untrusted', problems: ['mes.json is writable by every user'] })
      chmodSync(join(elsewhere, 'mes.json'), 0o644)
      lchownSync(link, 1000, 1000)
      expect(inspectPolicyFile(link, 'linux')).toEqual({ kind: 'untrusted', problems: [`the link ${link} is owned by uid 1000, not root`] })
    })
  })
})

/** `dir` and every folder above it, up to `/`. */
function ancestorsOf(dir: string): string[] {
  const out = [dir]
  while (out.at(-1) !== '/') out.push(join(out.at(-1)!, '..'))
  return out.map((p) => join(p))
}
