/**
 * The Linux and macOS rules for the machine policy file, on made-up ownership and permission
 * facts: root-owned and closed is believed; owned by a user, writable by a group or by everyone —
 * the file, its folder or a folder above without the sticky bit — is not; macOS trusts its admin
 * group, Linux does not; a symbolic link is judged with what it points to.
 */
import { describe, expect, it } from 'vitest'
import { posixTrust, type PosixEntry, type PosixFacts } from '../../../main/policy/posix-trust.js'

const FILE = '/etc/mes-trace-desktop/policy.json'

function entry(path: string, role: PosixEntry['role'], over: Partial<PosixEntry> = {}): PosixEntry {
  const type = role === 'file' ? 'file' : role === 'link' ? 'symlink' : 'directory'
  return { path, role, type, uid: 0, gid: 0, mode: role === 'file' ? 0o644 : 0o755, ...over }
}

/** The facts of a good Linux install, with some entries changed. */
function linux(over: { file?: Partial<PosixEntry>; folder?: Partial<PosixEntry>; etc?: Partial<PosixEntry> } = {}): PosixFacts {
  return {
    kind: 'found',
    entries: [entry(FILE, 'file', over.file), entry('/etc/mes-trace-desktop', 'folder', over.folder), entry('/etc', 'ancestor', over.etc), entry('/', 'ancestor')],
  }
}

describe('posixTrust', () => {
  it('believes a file owned by root, closed to others, in a root folder under root folders', () => {
    expect(posixTrust(linux(), 'linux')).toEqual({ kind: 'trusted' })
    expect(posixTrust(linux({ file: { mode: 0o600 }, folder: { mode: 0o700 } }), 'linux')).toEqual({ kind: 'trusted' })
  })

  it('says nothing is there when the file (or its folder) is missing', () => {
    expect(posixTrust({ kind: 'absent' }, 'linux')).toEqual({ kind: 'absent' })
  })

  it('passes on why the facts could not be gathered', () => {
    expect(posixTrust({ kind: 'unavailable', reason: '/etc/x could not be examined: EACCES' }, 'linux')).toEqual({ kind: 'unverified', reason: '/etc/x could not be examined: EACCES' })
  })

  describe('when someone but root may change the file', () => {
    it('refuses a file owned by a user, naming the uid', () => {
      expect(posixTrust(linux({ file: { uid: 1000, gid: 1000 } }), 'linux')).toEqual({ kind: 'untrusted', problems: ['policy.json is owned by uid 1000, not root'] })
    })

    it('refuses a file its group may write, naming the gid', () => {
      expect(posixTrust(linux({ file: { gid: 27, mode: 0o664 } }), 'linux')).toEqual({ kind: 'untrusted', problems: ['policy.json is writable by its group (gid 27)'] })
    })

    it('refuses a file every user may write', () => {
      expect(posixTrust(linux({ file: { mode: 0o666 } }), 'linux')).toEqual({ kind: 'untrusted', problems: ['policy.json is writable by every user'] })
    })

    it('refuses something that is not a regular file', () => {
      expect(posixTrust(linux({ file: { type: 'other' } }), 'linux')).toEqual({ kind: 'untrusted', problems: ['policy.json is not a regular file'] })
    })
  })

  describe('when someone but root may change the folder', () => {
    it('refuses a folder every user may write, even with the sticky bit', () => {
      expect(posixTrust(linux({ folder: { mode: 0o777 } }), 'linux')).toEqual({ kind: 'untrusted', problems: ['its folder /etc/mes-trace-desktop is writable by every user'] })
      expect(posixTrust(linux({ folder: { mode: 0o1777 } }), 'linux')).toMatchObject({ kind: 'untrusted' })
    })

    it('refuses a folder owned by a user, or one its group may write', () => {
      expect(posixTrust(linux({ folder: { uid: 1000 } }), 'linux')).toEqual({ kind: 'untrusted', problems: ['its folder /etc/mes-trace-desktop is owned by uid 1000, not root'] })
      expect(posixTrust(linux({ folder: { gid: 100, mode: 0o775 } }), 'linux')).toEqual({ kind: 'untrusted', problems: ['its folder /etc/mes-trace-desktop is writable by its group (gid 100)'] })
    })

    it('refuses facts without the folder: what was not examined is not believed', () => {
      const facts: PosixFacts = { kind: 'found', entries: [entry(FILE, 'file')] }
      expect(posixTrust(facts, 'linux')).toEqual({ kind: 'untrusted', problems: ['the folder holding it was not examined'] })
    })

    it('lists every problem at once', () => {
      const trust = posixTrust(linux({ file: { uid: 1000, mode: 0o666 }, folder: { mode: 0o777 } }), 'linux')
      expect(trust).toEqual({
        kind: 'untrusted',
        problems: ['policy.json is owned by uid 1000, not root', 'policy.json is writable by every user', 'its folder /etc/mes-trace-desktop is writable by every user'],
      })
    })
  })

  describe('folders above the folder', () => {
    it('refuses one every user may write without the sticky bit (the folder could be renamed away)', () => {
      expect(posixTrust(linux({ etc: { mode: 0o777 } }), 'linux')).toEqual({ kind: 'untrusted', problems: ['the folder /etc above it is writable by every user'] })
    })

    it('accepts one every user may write with the sticky bit, as /tmp', () => {
      expect(posixTrust(linux({ etc: { mode: 0o1777 } }), 'linux')).toEqual({ kind: 'trusted' })
    })

    it('refuses one owned by a user', () => {
      expect(posixTrust(linux({ etc: { uid: 501 } }), 'linux')).toEqual({ kind: 'untrusted', problems: ['the folder /etc above it is owned by uid 501, not root'] })
    })
  })

  describe('administrator groups', () => {
    const mac = (folderGid: number): PosixFacts => ({
      kind: 'found',
      entries: [
        entry('/Library/Application Support/MES Trace Desktop/policy.json', 'file', { gid: folderGid, mode: 0o664 }),
        entry('/Library/Application Support/MES Trace Desktop', 'folder', { gid: folderGid, mode: 0o775 }),
        entry('/Library/Application Support', 'ancestor', { gid: 80 }),
        // /Library is root:admin 1775 on every Mac.
        entry('/Library', 'ancestor', { gid: 80, mode: 0o1775 }),
        entry('/', 'ancestor'),
      ],
    })

    it('on macOS, lets the admin group (80) and wheel (0) write', () => {
      expect(posixTrust(mac(80), 'darwin')).toEqual({ kind: 'trusted' })
      expect(posixTrust(mac(0), 'darwin')).toEqual({ kind: 'trusted' })
    })

    it('on macOS, refuses another group, as staff (20)', () => {
      expect(posixTrust(mac(20), 'darwin')).toMatchObject({ kind: 'untrusted', problems: ['policy.json is writable by its group (gid 20)', 'its folder /Library/Application Support/MES Trace Desktop is writable by its group (gid 20)'] })
    })

    it('on Linux, lets only gid 0 write, not a group named admin or sudo', () => {
      expect(posixTrust(linux({ file: { gid: 0, mode: 0o664 } }), 'linux')).toEqual({ kind: 'trusted' })
      expect(posixTrust(linux({ file: { gid: 80, mode: 0o664 } }), 'linux')).toEqual({ kind: 'untrusted', problems: ['policy.json is writable by its group (gid 80)'] })
    })
  })

  describe('a symbolic link', () => {
    const linked = (over: { link?: Partial<PosixEntry>; target?: Partial<PosixEntry>; targetFolder?: Partial<PosixEntry> }): PosixFacts => ({
      kind: 'found',
      entries: [
        entry(FILE, 'link', over.link),
        entry('/srv/policies/mes.json', 'file', over.target),
        entry('/etc/mes-trace-desktop', 'folder'),
        entry('/etc', 'ancestor'),
        entry('/', 'ancestor'),
        entry('/srv/policies', 'folder', over.targetFolder),
        entry('/srv', 'ancestor'),
      ],
    })

    it('is believed when the link, its target and both folders are root’s', () => {
      expect(posixTrust(linked({}), 'linux')).toEqual({ kind: 'trusted' })
    })

    it('is refused when the link belongs to a user (its mode means nothing)', () => {
      expect(posixTrust(linked({ link: { uid: 1000, mode: 0o777 } }), 'linux')).toEqual({ kind: 'untrusted', problems: [`the link ${FILE} is owned by uid 1000, not root`] })
    })

    it('is refused when it points at a file users may write, or into a folder users may write', () => {
      expect(posixTrust(linked({ target: { mode: 0o666 } }), 'linux')).toEqual({ kind: 'untrusted', problems: ['mes.json is writable by every user'] })
      expect(posixTrust(linked({ targetFolder: { uid: 1000 } }), 'linux')).toEqual({ kind: 'untrusted', problems: ['its folder /srv/policies is owned by uid 1000, not root'] })
    })
  })
})
