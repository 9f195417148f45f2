/**
 * Reading SDDL and the ACL script's output: owners and entries come out as SIDs and masks whatever
 * the language of Windows, rights written as letters are decoded, unknown rights count as all
 * rights, and output that is not what the script prints is refused with the reason.
 */
import { describe, expect, it } from 'vitest'
import { parseSddl, parseWindowsAclOutput } from '../../../main/policy/windows-acl.js'
import { ACL_ERROR_OUTPUT, SDDL, USER_SID, aclOutput } from './windows-samples.js'

describe('parseSddl', () => {
  it('reads the owner and the entries of the folder the MSI makes', () => {
    expect(parseSddl(SDDL.msiFolder)).toEqual({
      owner: 'S-1-5-32-544',
      aces: [
        { type: 'allow', sid: 'S-1-5-18', mask: 0x1f01ff, inheritOnly: false },
        { type: 'allow', sid: 'S-1-5-32-544', mask: 0x1f01ff, inheritOnly: false },
        { type: 'allow', sid: 'S-1-5-32-545', mask: 0x1200a9, inheritOnly: false },
      ],
    })
  })

  it('decodes rights written as letters and marks inherit-only entries', () => {
    const acl = parseSddl(SDDL.programData)
    expect(acl.owner).toBe('S-1-5-18')
    // DC LC RP CR: add file, add subfolder, write extended attributes, write attributes.
    expect(acl.aces.at(-1)).toEqual({ type: 'allow', sid: 'S-1-5-32-545', mask: 0x2 | 0x4 | 0x10 | 0x100, inheritOnly: false })
    expect(acl.aces[0]).toEqual({ type: 'allow', sid: 'S-1-3-0', mask: 0x1f01ff, inheritOnly: true })
  })

  it('reads an owner given as a SID, and names deny and other entries', () => {
    expect(parseSddl(SDDL.userFile).owner).toBe(USER_SID)
    expect(parseSddl('O:BAD:(D;;FA;;;BU)(AU;SA;FA;;;WD)').aces.map((a) => a.type)).toEqual(['deny', 'other'])
  })

  it('counts a right it does not know as every right', () => {
    expect(parseSddl('O:BAD:(A;;QQ;;;BU)').aces[0]!.mask).toBe(0xffffffff)
  })

  it('keeps an alias relative to a domain as alias:XX', () => {
    expect(parseSddl('O:DAD:(A;;FA;;;DU)')).toEqual({ owner: 'alias:DA', aces: [{ type: 'allow', sid: 'alias:DU', mask: 0x1f01ff, inheritOnly: false }] })
  })

  it('reads a conditional entry with parentheses inside as an allow', () => {
    expect(parseSddl('O:BAD:(XA;;FA;;;WD;(Member_of {SID(BA)}))(A;;FA;;;SY)').aces.map((a) => [a.type, a.sid])).toEqual([
      ['allow', 'S-1-1-0'],
      ['allow', 'S-1-5-18'],
    ])
  })

  it('reads a descriptor without owner as owner unknown, and one without DACL as Everyone full control', () => {
    expect(parseSddl('D:PAI(A;;FA;;;SY)').owner).toBeNull()
    expect(parseSddl('O:BAD:NO_ACCESS_CONTROL').aces).toEqual([{ type: 'allow', sid: 'S-1-1-0', mask: 0xffffffff, inheritOnly: false }])
  })

  it('refuses what is not SDDL', () => {
    expect(() => parseSddl('')).toThrow('not a security descriptor')
    expect(() => parseSddl('O:BAD:(A;;FA;;;SY')).toThrow('unbalanced')
    expect(() => parseSddl('O:BAD:(A;;FA)')).toThrow('is not an access entry')
    expect(() => parseSddl('O:BAD:(A;;FA;;;Users)')).toThrow('unknown account "Users"')
  })
})

describe('parseWindowsAclOutput', () => {
  it('reads the file’s and the folder’s descriptors', () => {
    const acl = parseWindowsAclOutput(aclOutput(SDDL.msiFile, SDDL.msiFolder))
    expect(acl.file.owner).toBe('S-1-5-32-544')
    expect(acl.file.aces).toHaveLength(3)
    expect(acl.folder.aces[2]).toEqual({ type: 'allow', sid: 'S-1-5-32-545', mask: 0x1200a9, inheritOnly: false })
  })

  it('passes on the error the script caught', () => {
    expect(() => parseWindowsAclOutput(ACL_ERROR_OUTPUT)).toThrow('Attempted to perform an unauthorized operation.')
  })

  it('refuses output that is not the script’s', () => {
    expect(() => parseWindowsAclOutput('Get-Acl : Cannot find path')).toThrow('something other than JSON')
    expect(() => parseWindowsAclOutput('[]')).toThrow('no object')
    expect(() => parseWindowsAclOutput('{"file":"O:BAD:(A;;FA;;;SY)"}')).toThrow('no security descriptor')
    expect(() => parseWindowsAclOutput('{"file":"nonsense","folder":"O:BAD:"}')).toThrow('cannot be read')
  })
})
