/**
 * The rules for a machine policy file on Windows, on facts gathered by windows-facts.ts (or made
 * up by a test). Pure.
 *
 * The file and its folder must be owned by an administrator account — BUILTIN\Administrators,
 * NT AUTHORITY\SYSTEM, NT SERVICE\TrustedInstaller (or the domain's Administrator, Domain Admins,
 * Enterprise Admins) — and no allow entry may give anybody else a right that changes them: write
 * or append data (in a folder: create files or folders), delete, delete children, change
 * permissions, take ownership, generic write or all. Deny entries are not counted (a reader
 * cannot be sure of their order and scope), nor are inherit-only entries, which apply to new
 * files, not to this one. Neither the file nor its folder may be a symbolic link or junction:
 * what it points to would be another object with another ACL.
 */
import type { PolicyTrust } from './policy-trust.js'
import type { WindowsAcl } from './windows-acl.js'

/** One of the two objects: the file or its folder. */
export interface WindowsObjectFacts extends WindowsAcl {
  path: string
  /** A symbolic link or a junction (`lstat`). */
  isLink: boolean
}

/** What was gathered about a policy path on Windows. */
export type WindowsFacts =
  /** Nothing at the path (or its folder is missing). */
  | { kind: 'absent' }
  | { kind: 'found'; file: WindowsObjectFacts; folder: WindowsObjectFacts }
  /** The facts could not be gathered; `reason` says why. */
  | { kind: 'unavailable'; reason: string }

const ADMINISTRATORS = 'S-1-5-32-544'
const SYSTEM = 'S-1-5-18'
const TRUSTED_INSTALLER = 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464'
/** OWNER RIGHTS: the object's owner, who must be an administrator anyway. */
const OWNER_RIGHTS = 'S-1-3-4'
/** CREATOR OWNER and CREATOR GROUP stand for someone else only in entries that are inherited. */
const CREATOR_PLACEHOLDERS = new Set(['S-1-3-0', 'S-1-3-1'])

/** Names of well-known accounts, the same on every Windows, for the warnings. */
const NAMES: Readonly<Record<string, string>> = {
  'S-1-1-0': 'Everyone',
  'S-1-3-0': 'CREATOR OWNER',
  'S-1-3-4': 'OWNER RIGHTS',
  'S-1-5-2': 'NT AUTHORITY\\NETWORK',
  'S-1-5-4': 'NT AUTHORITY\\INTERACTIVE',
  'S-1-5-6': 'NT AUTHORITY\\SERVICE',
  'S-1-5-7': 'NT AUTHORITY\\ANONYMOUS LOGON',
  'S-1-5-11': 'NT AUTHORITY\\Authenticated Users',
  'S-1-5-18': 'NT AUTHORITY\\SYSTEM',
  'S-1-5-19': 'NT AUTHORITY\\LOCAL SERVICE',
  'S-1-5-20': 'NT AUTHORITY\\NETWORK SERVICE',
  'S-1-5-32-544': 'BUILTIN\\Administrators',
  'S-1-5-32-545': 'BUILTIN\\Users',
  'S-1-5-32-546': 'BUILTIN\\Guests',
  'S-1-5-32-547': 'BUILTIN\\Power Users',
  'S-1-5-32-555': 'BUILTIN\\Remote Desktop Users',
  'S-1-15-2-1': 'ALL APPLICATION PACKAGES',
  [TRUSTED_INSTALLER]: 'NT SERVICE\\TrustedInstaller',
  'alias:DA': 'Domain Admins',
  'alias:DU': 'Domain Users',
  'alias:EA': 'Enterprise Admins',
  'alias:LA': 'the local Administrator account',
}

/** The account's name for a warning: its well-known name, else the SID itself. */
export function accountNameOf(sid: string): string {
  return NAMES[sid] ?? sid
}

/** Whether a SID is an administrator account (see the file comment). */
export function isAdministratorSid(sid: string): boolean {
  if ([ADMINISTRATORS, SYSTEM, TRUSTED_INSTALLER, 'alias:DA', 'alias:EA', 'alias:LA'].includes(sid)) return true
  // The Administrator account (500), Domain Admins (512) and Enterprise Admins (519) of a domain or machine.
  return /^S-1-5-21-\d+-\d+-\d+-(500|512|519)$/.test(sid)
}

const FULL_CONTROL = 0x001f01ff
/** Rights that change an object or what it holds, with their names for a file and for a folder. */
const CHANGE_RIGHTS: readonly [mask: number, file: string, folder: string][] = [
  [0x00000002, 'write data', 'create files'],
  [0x00000004, 'append data', 'create folders'],
  [0x00000040, 'delete children', 'delete children'],
  [0x00010000, 'delete', 'delete'],
  [0x00040000, 'change permissions', 'change permissions'],
  [0x00080000, 'take ownership', 'take ownership'],
  [0x40000000, 'generic write', 'generic write'],
  [0x10000000, 'generic all', 'generic all'],
]

/** The changing rights of a mask, named; empty when it grants none. */
export function changeRightsOf(mask: number, isFolder: boolean): string[] {
  if ((mask & FULL_CONTROL) === FULL_CONTROL || (mask & 0x10000000) !== 0) return ['full control']
  return CHANGE_RIGHTS.filter(([bit]) => (mask & bit) !== 0).map(([, file, folder]) => (isFolder ? folder : file))
}

function problemsOf(facts: WindowsObjectFacts, isFolder: boolean): string[] {
  const name = isFolder ? `its folder ${facts.path}` : (facts.path.split('\\').pop() ?? facts.path)
  if (facts.isLink) return [`${name} is a symbolic link or junction`]
  const problems: string[] = []
  if (facts.owner === null) problems.push(`the owner of ${name} is unknown`)
  else if (!isAdministratorSid(facts.owner)) problems.push(`${name} is owned by ${accountNameOf(facts.owner)}`)
  const granted = new Map<string, Set<string>>()
  for (const ace of facts.aces) {
    if (ace.type !== 'allow' || ace.inheritOnly) continue
    if (isAdministratorSid(ace.sid) || ace.sid === OWNER_RIGHTS || CREATOR_PLACEHOLDERS.has(ace.sid)) continue
    const rights = changeRightsOf(ace.mask, isFolder)
    if (rights.length === 0) continue
    const set = granted.get(ace.sid) ?? new Set<string>()
    for (const right of rights) set.add(right)
    granted.set(ace.sid, set)
  }
  for (const [sid, rights] of granted) {
    const list = rights.has('full control') ? ['full control'] : [...rights]
    problems.push(`${name} is writable by ${accountNameOf(sid)} (${list.join(', ')})`)
  }
  return problems
}

/** The verdict on a policy file from its Windows facts. */
export function windowsTrust(facts: WindowsFacts): PolicyTrust {
  if (facts.kind === 'absent') return { kind: 'absent' }
  if (facts.kind === 'unavailable') return { kind: 'unverified', reason: facts.reason }
  const problems = [...problemsOf(facts.file, false), ...problemsOf(facts.folder, true)]
  return problems.length === 0 ? { kind: 'trusted' } : { kind: 'untrusted', problems }
}
