/**
 * Reading Windows security descriptors in their text form (SDDL, as `Get-Acl … .Sddl` prints
 * them), and the output of the PowerShell script of windows-facts.ts. Pure. SDDL is read rather
 * than account names because it is the same in every language of Windows: `BA` is the
 * Administrators group whether Windows calls it "Administrators" or "Administratoren".
 */

/** One access control entry of a folder's or a file's DACL. */
export interface WindowsAce {
  /** `allow` grants, `deny` refuses, `other` (audit, label…) does neither. */
  type: 'allow' | 'deny' | 'other'
  /**
   * The account or group: a SID (`S-1-5-32-545`), or `alias:XX` for an alias whose SID the text
   * does not carry (relative to the machine's or the domain's SID, as `DA` Domain Admins).
   */
  sid: string
  /** The access mask; a right the parser does not know sets every bit (`0xFFFFFFFF`). */
  mask: number
  /** Applies only to what is created inside a folder, not to the folder itself. */
  inheritOnly: boolean
}

/** The owner and the DACL of one file or folder. */
export interface WindowsAcl {
  /** The owner's SID, or null when the descriptor does not say. */
  owner: string | null
  aces: WindowsAce[]
}

/** SDDL aliases of well-known SIDs. */
const SID_ALIASES: Readonly<Record<string, string>> = {
  AA: 'S-1-5-32-579', AC: 'S-1-15-2-1', AN: 'S-1-5-7', AO: 'S-1-5-32-548', AU: 'S-1-5-11', BA: 'S-1-5-32-544',
  BG: 'S-1-5-32-546', BO: 'S-1-5-32-551', BU: 'S-1-5-32-545', CG: 'S-1-3-1', CO: 'S-1-3-0', CY: 'S-1-5-32-569',
  ED: 'S-1-5-9', ER: 'S-1-5-32-573', HA: 'S-1-5-32-578', HI: 'S-1-16-12288', IS: 'S-1-5-32-568', IU: 'S-1-5-4',
  LS: 'S-1-5-19', LU: 'S-1-5-32-559', LW: 'S-1-16-4096', ME: 'S-1-16-8192', MU: 'S-1-5-32-558', NO: 'S-1-5-32-556',
  NS: 'S-1-5-20', NU: 'S-1-5-2', OW: 'S-1-3-4', PO: 'S-1-5-32-550', PS: 'S-1-5-10', PU: 'S-1-5-32-547',
  RC: 'S-1-5-12', RD: 'S-1-5-32-555', RE: 'S-1-5-32-552', RM: 'S-1-5-32-580', RU: 'S-1-5-32-554', SI: 'S-1-16-16384',
  SO: 'S-1-5-32-549', SU: 'S-1-5-6', SY: 'S-1-5-18', WD: 'S-1-1-0', WR: 'S-1-5-33',
}

/** SDDL letters of access rights. */
const RIGHTS: Readonly<Record<string, number>> = {
  GA: 0x10000000, GR: 0x80000000, GW: 0x40000000, GX: 0x20000000,
  RC: 0x00020000, SD: 0x00010000, WD: 0x00040000, WO: 0x00080000,
  RP: 0x00000010, WP: 0x00000020, CC: 0x00000001, DC: 0x00000002, LC: 0x00000004, SW: 0x00000008, LO: 0x00000080,
  DT: 0x00000040, CR: 0x00000100,
  FA: 0x001f01ff, FR: 0x00120089, FW: 0x00120116, FX: 0x001200a0,
  KA: 0x000f003f, KR: 0x00020019, KW: 0x00020006, KX: 0x00020019,
  NR: 0x00000002, NW: 0x00000001, NX: 0x00000004,
}

const ALLOW_TYPES = new Set(['A', 'XA', 'OA', 'ZA'])
const DENY_TYPES = new Set(['D', 'XD', 'OD'])

function sidOf(text: string): string {
  if (/^S-1-\d+(-\d+)*$/i.test(text)) return text.toUpperCase()
  if (SID_ALIASES[text]) return SID_ALIASES[text]
  if (/^[A-Z]{2}$/.test(text)) return `alias:${text}`
  throw new Error(`unknown account "${text}"`)
}

function maskOf(text: string): number {
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16) >>> 0
  if (/^\d+$/.test(text)) return Number.parseInt(text, 10) >>> 0
  let mask = 0
  for (let i = 0; i < text.length; i += 2) {
    const right = RIGHTS[text.slice(i, i + 2)]
    // A right this parser does not know might be a write: count it as every right.
    if (right === undefined) return 0xffffffff
    mask |= right
  }
  return mask >>> 0
}

/** The parenthesised groups of a DACL, allowing parentheses nested inside (conditional ACEs). */
function groupsOf(text: string): string[] {
  const groups: string[] = []
  let depth = 0
  let start = -1
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '(') {
      if (depth === 0) start = i + 1
      depth++
    } else if (c === ')') {
      depth--
      if (depth < 0) throw new Error('unbalanced parentheses')
      if (depth === 0) groups.push(text.slice(start, i))
    } else if (depth === 0) {
      throw new Error(`unexpected "${c}" between entries`)
    }
  }
  if (depth !== 0) throw new Error('unbalanced parentheses')
  return groups
}

function aceOf(text: string): WindowsAce {
  const fields = text.split(';')
  if (fields.length < 6) throw new Error(`"(${text})" is not an access entry`)
  const [type = '', flags = '', rights = '', , , account = ''] = fields
  const flagList: string[] = flags.match(/[A-Z]{2}/g) ?? []
  return {
    type: ALLOW_TYPES.has(type) ? 'allow' : DENY_TYPES.has(type) ? 'deny' : 'other',
    sid: sidOf(account),
    mask: maskOf(rights),
    inheritOnly: flagList.includes('IO'),
  }
}

/**
 * Reads the owner and the DACL of an SDDL string (`O:BAG:SYD:PAI(A;OICI;FA;;;SY)…`). A descriptor
 * without a DACL (`D:NO_ACCESS_CONTROL` or no `D:` at all) grants everyone everything, and is read
 * as one entry allowing Everyone every right. Throws on text that is not SDDL.
 */
export function parseSddl(sddl: string): WindowsAcl {
  const text = sddl.trim()
  const match = /^(?:O:(S-1-[\d-]+|[A-Z]{2}))?(?:G:(S-1-[\d-]+|[A-Z]{2}))?(?:D:([A-Z_]*)(.*?))?(?:S:.*)?$/s.exec(text)
  if (!match || text === '') throw new Error('not a security descriptor')
  const [, owner, , daclFlags, dacl] = match
  if (daclFlags === undefined || daclFlags.includes('NO_ACCESS_CONTROL')) {
    return { owner: owner ? sidOf(owner) : null, aces: [{ type: 'allow', sid: 'S-1-1-0', mask: 0xffffffff, inheritOnly: false }] }
  }
  return { owner: owner ? sidOf(owner) : null, aces: groupsOf(dacl ?? '').map(aceOf) }
}

/**
 * Reads the output of windows-facts.ts's PowerShell script: one JSON object
 * `{ "file": "<SDDL>", "folder": "<SDDL>" }`, or `{ "error": "<message>" }` when Get-Acl failed.
 * Throws, naming what is wrong, on an error or anything else.
 */
export function parseWindowsAclOutput(stdout: string): { file: WindowsAcl; folder: WindowsAcl } {
  let raw: unknown
  try {
    raw = JSON.parse(stdout.replace(/^\uFEFF/, '').trim())
  } catch {
    throw new Error(`it printed something other than JSON: ${JSON.stringify(stdout.slice(0, 200))}`)
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('it printed no object')
  const { file, folder, error } = raw as Record<string, unknown>
  if (typeof error === 'string') throw new Error(error)
  if (typeof file !== 'string' || typeof folder !== 'string') throw new Error('it printed no security descriptor for the file and its folder')
  try {
    return { file: parseSddl(file), folder: parseSddl(folder) }
  } catch (cause) {
    throw new Error(`it printed a security descriptor that cannot be read (${(cause as Error).message})`, { cause })
  }
}

/**
 * The first error PowerShell wrote to stderr, in plain text: off a console it may word errors as
 * CLIXML (`#< CLIXML` then `<S S="Error">…</S>` with `_x000D__x000A_` for line ends). Null when
 * it wrote none.
 */
export function powershellErrorOf(stderr: string): string | null {
  if (stderr.startsWith('#< CLIXML')) {
    const parts = [...stderr.matchAll(/<S S="Error">([^<]*)<\/S>/g)].map((m) => m[1] ?? '')
    const text = parts.join('').replace(/_x000D_/g, '').replace(/_x000A_/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim()
    return text === '' ? null : text
  }
  return stderr.split(/\r?\n/).find((line) => line.trim() !== '')?.trim() ?? null
}
