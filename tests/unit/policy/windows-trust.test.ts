/**
 * The Windows rules for the machine policy file, on ACL facts in the form PowerShell gives them:
 * the MSI's folder with an administrator's file is believed; a folder made by hand under
 * ProgramData (Users may create files), a file Users or Everyone may change, a file owned by a
 * user or by nobody known, a link — each is refused with who may do what; facts that could not be
 * gathered are passed on.
 */
import { describe, expect, it } from 'vitest'
import { parseSddl } from '../../../main/policy/windows-acl.js'
import { accountNameOf, changeRightsOf, isAdministratorSid, windowsTrust, type WindowsFacts, type WindowsObjectFacts } from '../../../main/policy/windows-trust.js'
import { SDDL, TRUSTED_INSTALLER_SID, USER_SID } from './windows-samples.js'

const FOLDER = 'C:\\ProgramData\\MES Trace Desktop'
const FILE = `${FOLDER}\\policy.json`

function facts(fileSddl: string, folderSddl: string, over: { file?: Partial<WindowsObjectFacts>; folder?: Partial<WindowsObjectFacts> } = {}): WindowsFacts {
  return {
    kind: 'found',
    file: { path: FILE, isLink: false, ...parseSddl(fileSddl), ...over.file },
    folder: { path: FOLDER, isLink: false, ...parseSddl(folderSddl), ...over.folder },
  }
}

describe('windowsTrust', () => {
  it('believes a file an administrator placed in the folder the MSI made', () => {
    expect(windowsTrust(facts(SDDL.msiFile, SDDL.msiFolder))).toEqual({ kind: 'trusted' })
  })

  it('believes a file owned by SYSTEM or TrustedInstaller (deployed by Intune/SCCM, or by Windows)', () => {
    expect(windowsTrust(facts(SDDL.msiFile.replace('O:BA', 'O:SY'), SDDL.msiFolder))).toEqual({ kind: 'trusted' })
    expect(windowsTrust(facts(SDDL.trustedInstallerFile, SDDL.msiFolder))).toEqual({ kind: 'trusted' })
  })

  it('says nothing is there when the file is missing', () => {
    expect(windowsTrust({ kind: 'absent' })).toEqual({ kind: 'absent' })
  })

  it('passes on why the facts could not be gathered', () => {
    expect(windowsTrust({ kind: 'unavailable', reason: 'PowerShell could not be run: spawn ENOENT' })).toEqual({ kind: 'unverified', reason: 'PowerShell could not be run: spawn ENOENT' })
  })

  it('refuses a folder made by hand under ProgramData, where Users may create files', () => {
    expect(windowsTrust(facts(SDDL.msiFile, SDDL.handMadeFolder))).toEqual({
      kind: 'untrusted',
      problems: [`its folder ${FOLDER} is writable by BUILTIN\\Users (create files, create folders)`],
    })
  })

  it('refuses a file Users may write, naming the group and the right', () => {
    expect(windowsTrust(facts(`${SDDL.msiFile}(A;;0x100116;;;BU)`, SDDL.msiFolder))).toEqual({
      kind: 'untrusted',
      problems: ['policy.json is writable by BUILTIN\\Users (write data, append data)'],
    })
  })

  it('refuses a file Everyone controls fully', () => {
    expect(windowsTrust(facts(SDDL.everyoneFile, SDDL.msiFolder))).toEqual({ kind: 'untrusted', problems: ['policy.json is writable by Everyone (full control)'] })
  })

  it('refuses a file Authenticated Users may modify (delete counts: a deleted policy unlocks everything)', () => {
    expect(windowsTrust(facts(SDDL.authenticatedModify, SDDL.msiFolder))).toEqual({
      kind: 'untrusted',
      problems: ['policy.json is writable by NT AUTHORITY\\Authenticated Users (write data, append data, delete)'],
    })
  })

  it('refuses INTERACTIVE and any other SID that is not an administrator', () => {
    expect(windowsTrust(facts(`${SDDL.msiFile}(A;;FW;;;IU)`, SDDL.msiFolder))).toMatchObject({ problems: ['policy.json is writable by NT AUTHORITY\\INTERACTIVE (write data, append data)'] })
    expect(windowsTrust(facts(`${SDDL.msiFile}(A;;WD;;;${USER_SID})`, SDDL.msiFolder))).toMatchObject({ problems: [`policy.json is writable by ${USER_SID} (change permissions)`] })
  })

  it('refuses a file owned by a user', () => {
    expect(windowsTrust(facts(SDDL.userFile, SDDL.msiFolder))).toEqual({
      kind: 'untrusted',
      problems: [`policy.json is owned by ${USER_SID}`, `policy.json is writable by ${USER_SID} (full control)`],
    })
  })

  it('refuses a file or folder whose owner is unknown', () => {
    expect(windowsTrust(facts('D:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)', SDDL.msiFolder))).toEqual({ kind: 'untrusted', problems: ['the owner of policy.json is unknown'] })
    expect(windowsTrust(facts(SDDL.msiFile, SDDL.msiFolder, { folder: { owner: null } }))).toEqual({ kind: 'untrusted', problems: [`the owner of its folder ${FOLDER} is unknown`] })
  })

  it('refuses a file or folder that is a symbolic link or junction', () => {
    expect(windowsTrust(facts(SDDL.msiFile, SDDL.msiFolder, { file: { isLink: true } }))).toEqual({ kind: 'untrusted', problems: ['policy.json is a symbolic link or junction'] })
    expect(windowsTrust(facts(SDDL.msiFile, SDDL.msiFolder, { folder: { isLink: true } }))).toEqual({ kind: 'untrusted', problems: [`its folder ${FOLDER} is a symbolic link or junction`] })
  })

  it('does not count deny entries, inherit-only entries, read rights or CREATOR OWNER', () => {
    const folder = `${SDDL.msiFolder}(D;OICI;FA;;;WD)(A;OICIIO;FA;;;BU)(A;OICIIO;FA;;;CO)(A;;0x100110;;;BU)`
    expect(windowsTrust(facts(SDDL.msiFile, folder))).toEqual({ kind: 'trusted' })
  })

  it('lets domain administrators own and write', () => {
    const domainAdmins = 'S-1-5-21-1004336348-1177238915-682003330-512'
    expect(windowsTrust(facts(`O:${domainAdmins}D:(A;;FA;;;${domainAdmins})(A;;FA;;;DA)(A;;FA;;;EA)`, SDDL.msiFolder))).toEqual({ kind: 'trusted' })
  })
})

describe('accounts and rights', () => {
  it('names well-known accounts the same on every Windows, others by SID', () => {
    expect(accountNameOf('S-1-5-32-545')).toBe('BUILTIN\\Users')
    expect(accountNameOf(TRUSTED_INSTALLER_SID)).toBe('NT SERVICE\\TrustedInstaller')
    expect(accountNameOf(USER_SID)).toBe(USER_SID)
  })

  it('knows the administrator accounts', () => {
    expect(['S-1-5-32-544', 'S-1-5-18', TRUSTED_INSTALLER_SID].map(isAdministratorSid)).toEqual([true, true, true])
    expect(['S-1-5-32-545', 'S-1-5-11', 'S-1-1-0', 'S-1-5-4', USER_SID, 'alias:DU'].map(isAdministratorSid)).toEqual([false, false, false, false, false, false])
  })

  it('names the rights that change a file or a folder, and none for read & execute', () => {
    expect(changeRightsOf(0x1200a9, false)).toEqual([])
    expect(changeRightsOf(0x1301bf, false)).toEqual(['write data', 'append data', 'delete'])
    expect(changeRightsOf(0x6, true)).toEqual(['create files', 'create folders'])
    expect(changeRightsOf(0x10000000, true)).toEqual(['full control'])
    expect(changeRightsOf(0x80000, false)).toEqual(['take ownership'])
  })
})
