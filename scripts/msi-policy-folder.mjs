// electron-builder's `msiProjectCreated` hook (electron-builder.yml): before WiX compiles the MSI,
// adds to its project the machine policy folder `%ProgramData%\MES Trace Desktop`, created with the
// ACL the app requires of it (main/policy/windows-trust.ts):
//   owner BUILTIN\Administrators; SYSTEM and Administrators full control; Users read & execute;
//   inheritance from ProgramData cut off — ProgramData lets every user create files in the folders
//   below it, and a folder inheriting that would let any user plant or replace the policy.
// The entries are inherited by what IT places inside (a policy.json copied in gets the same ACL).
// The ACL is written as SDDL (Windows Installer 5's MsiLockPermissionsEx table, WiX `PermissionEx`):
// SDDL names the accounts by well-known SID, so it holds on Windows in every language, where the
// older LockPermissions table needs the localized account names ("Administratoren"…).
//
// electron-builder calls the hook with the path of the generated `.wxs`; `addPolicyFolder` does the
// work on its text and is what the tests call (tests/integration/packaging/msi-policy-folder.test.ts).
import { readFile, writeFile } from 'node:fs/promises'

/** The WiX id of the folder (mixed case: a private property nobody can move from the command line). */
export const POLICY_FOLDER_ID = 'MesTracePolicyFolder'

/** Name of the folder under ProgramData, as the app looks for it (main/policy/policy-file.ts). */
export const POLICY_FOLDER_NAME = 'MES Trace Desktop'

/**
 * The component's GUID. A component whose key is a folder cannot have a generated GUID; this one
 * is fixed for good: never change it, or upgrades lose track of the folder.
 */
export const POLICY_COMPONENT_GUID = 'BC2209F5-037B-41F9-8431-0F7E996A4E6E'

/**
 * The folder's security descriptor: owner Administrators (O:BA), group SYSTEM (G:SY), a protected
 * DACL (P: nothing inherited from ProgramData) whose entries are inherited by files and folders
 * inside (OICI): SYSTEM full control, Administrators full control, Users read & execute (0x1200a9).
 */
export const POLICY_FOLDER_SDDL = 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)'

const COMPONENT_GROUP_ID = `${POLICY_FOLDER_ID}Components`

/** Inserts `text` after (or before) the one occurrence of `anchor`; throws when there is not exactly one. */
function insert(wxs, anchor, text, where) {
  const at = wxs.indexOf(anchor)
  if (at < 0 || wxs.indexOf(anchor, at + 1) >= 0) {
    throw new Error(`msi-policy-folder: the MSI project has ${at < 0 ? 'no' : 'more than one'} ${anchor}; electron-builder's MSI template changed, update scripts/msi-policy-folder.mjs`)
  }
  const cut = where === 'after' ? at + anchor.length : at
  return wxs.slice(0, cut) + text + wxs.slice(cut)
}

/**
 * The WiX project `wxs` with the policy folder: a `CommonAppDataFolder\MES Trace Desktop`
 * directory, a component creating it with {@link POLICY_FOLDER_SDDL}, and that component in the
 * product's feature. A project that has it already is returned unchanged.
 */
export function addPolicyFolder(wxs) {
  if (wxs.includes(`Id="${POLICY_FOLDER_ID}"`)) return wxs
  let out = insert(
    wxs,
    '<Directory Id="TARGETDIR" Name="SourceDir">',
    `\n      <Directory Id="CommonAppDataFolder">\n        <Directory Id="${POLICY_FOLDER_ID}" Name="${POLICY_FOLDER_NAME}"/>\n      </Directory>`,
    'after',
  )
  out = insert(out, '<Feature Id="ProductFeature" Absent="disallow">', `\n      <ComponentGroupRef Id="${COMPONENT_GROUP_ID}"/>`, 'after')
  out = insert(
    out,
    '</Product>',
    [
      `  <!-- The machine policy folder: only administrators may change what IT places in it. -->`,
      `    <ComponentGroup Id="${COMPONENT_GROUP_ID}">`,
      `      <Component Id="${POLICY_FOLDER_ID}Acl" Directory="${POLICY_FOLDER_ID}" Guid="${POLICY_COMPONENT_GUID}">`,
      `        <CreateFolder>`,
      `          <PermissionEx Id="${POLICY_FOLDER_ID}Sddl" Sddl="${POLICY_FOLDER_SDDL}"/>`,
      `        </CreateFolder>`,
      `      </Component>`,
      `    </ComponentGroup>`,
      `  `,
    ].join('\n'),
    'before',
  )
  return out
}

/** The hook electron-builder calls with the path of the MSI's WiX project. */
export async function msiProjectCreated(projectFile) {
  const wxs = await readFile(projectFile, 'utf8')
  await writeFile(projectFile, addPolicyFolder(wxs))
}

export default msiProjectCreated
