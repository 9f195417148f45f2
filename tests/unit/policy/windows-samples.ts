/**
 * Security descriptors and PowerShell output in the form Windows PowerShell 5.1 prints them
 * (`(Get-Acl -LiteralPath …).Sddl`, `ConvertTo-Json -Compress`), for the policy folder and file in
 * the states IT meets: as the MSI creates them, made by hand under ProgramData (inheriting its
 * "Users may create files"), owned by a user, opened to Everyone.
 */

/** A domain user's SID (owner of what a user made). */
export const USER_SID = 'S-1-5-21-1004336348-1177238915-682003330-1001'
export const TRUSTED_INSTALLER_SID = 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464'

export const SDDL = {
  /** The folder as the MSI makes it: Administrators and SYSTEM full control, Users read & execute, not inheriting. */
  msiFolder: 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)',
  /** A file an administrator copied into that folder: it inherits the folder's entries. */
  msiFile: 'O:BAG:DUD:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;BU)',
  /** C:\ProgramData itself: Users may create files and folders in it (the last entry). */
  programData: 'O:SYG:SYD:PAI(A;OICIIO;FA;;;CO)(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)(A;CI;DCLCRPCR;;;BU)',
  /** A folder an administrator made by hand under ProgramData: it inherits "Users may create files". */
  handMadeFolder: 'O:BAG:DUD:AI(A;OICIIOID;FA;;;CO)(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;0x1200a9;;;BU)(A;CIID;DCLCRPCR;;;BU)',
  /** A file a user made in that folder: the user owns it (CREATOR OWNER became full control for them). */
  userFile: `O:${USER_SID}G:DUD:AI(A;ID;FA;;;${USER_SID})(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;BU)`,
  /** A file opened to Everyone. */
  everyoneFile: 'O:BAG:DUD:(A;;FA;;;WD)(A;ID;FA;;;SY)(A;ID;FA;;;BA)',
  /** A file Authenticated Users may modify (icacls … /grant "Authenticated Users:M"). */
  authenticatedModify: 'O:BAG:DUD:AI(A;;0x1301bf;;;AU)(A;ID;FA;;;SY)(A;ID;FA;;;BA)',
  /** A file owned by TrustedInstaller, as Windows's own files are. */
  trustedInstallerFile: `O:${TRUSTED_INSTALLER_SID}G:${TRUSTED_INSTALLER_SID}D:PAI(A;;FA;;;${TRUSTED_INSTALLER_SID})(A;;0x1200a9;;;BA)(A;;0x1200a9;;;SY)(A;;0x1200a9;;;BU)`,
}

/** What the script prints when both descriptors were read. */
export function aclOutput(file: string, folder: string): string {
  return `${JSON.stringify({ file, folder })}\r\n`
}

/** What the script prints when Get-Acl failed (here: no right to read the ACL). */
export const ACL_ERROR_OUTPUT = '{"error":"Attempted to perform an unauthorized operation."}\r\n'

/** What Windows PowerShell writes to stderr, as CLIXML, when it fails before the script runs. */
export const CLIXML_STDERR = '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><S S="Error">Get-Acl : The term \'Get-Acl\' is not recognized_x000D__x000A_</S><S S="Error">At line:4 char:12_x000D__x000A_</S></Objs>'
