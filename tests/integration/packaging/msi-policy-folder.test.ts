/**
 * The MSI creates the machine policy folder with the ACL the app requires. WiX cannot run here, so
 * electron-builder's own MSI target writes the WiX project of this app (electron-builder.yml's
 * msi options, a fake unpacked app), the hook named in electron-builder.yml — resolved the way
 * electron-builder resolves it — edits it, and the XML is checked: the folder under
 * CommonAppDataFolder, its component in the product's feature, and an SDDL that the app's own
 * Windows rules accept (Administrators own it, SYSTEM and Administrators full control, Users read
 * & execute, nothing inherited from ProgramData).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseSddl } from '../../../main/policy/windows-acl.js'
import { changeRightsOf, windowsTrust } from '../../../main/policy/windows-trust.js'

const root = process.cwd()
const require = createRequire(import.meta.url)

interface HookModule {
  addPolicyFolder(wxs: string): string
  POLICY_FOLDER_SDDL: string
  POLICY_COMPONENT_GUID: string
}

/** A DOM element, as much of it as the checks use. */
interface Node {
  getAttribute(name: string): string | null
  getElementsByTagName(name: string): ArrayLike<Node>
  childNodes: ArrayLike<Node & { nodeType: number; tagName?: string }>
  namespaceURI: string | null
  tagName: string
}

const config = (require('js-yaml') as { load(text: string): unknown }).load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>

/** The WiX project electron-builder 26's MSI target writes for this app. */
async function generatedProject(appDir: string): Promise<string> {
  require('app-builder-lib')
  const MsiTarget = (require('app-builder-lib/out/targets/MsiTarget.js') as { default: new (packager: unknown, outDir: string) => { options: unknown; writeManifest(appDir: string, arch: number, options: unknown): Promise<string> } }).default
  const { Arch } = require('builder-util') as { Arch: { x64: number } }
  const { getEffectiveOptions } = require('app-builder-lib/out/options/CommonWindowsInstallerConfiguration.js') as { getEffectiveOptions(options: unknown, packager: unknown): unknown }
  const packager = {
    config: { msi: config.msi },
    platformSpecificBuildOptions: config.win,
    appInfo: {
      productFilename: 'MES Trace Desktop', id: config.appId, productName: config.productName, companyName: null, description: 'MES Trace',
      sanitizedProductName: 'MES Trace Desktop', getVersionInWeirdWindowsForm: () => '0.1.0.0',
    },
    getIconPath: async () => null,
    compression: 'normal',
    fileAssociations: config.fileAssociations,
    expandMacro: (text: string) => text,
  }
  const target = new MsiTarget(packager, join(appDir, '..', 'out'))
  return target.writeManifest(appDir, Arch.x64, getEffectiveOptions(target.options, packager))
}

function parse(xml: string): Node {
  const { DOMParser } = require('@xmldom/xmldom') as { DOMParser: new (options: unknown) => { parseFromString(text: string, type: string): { documentElement: Node } } }
  const problems: string[] = []
  const record = (message: string): void => void problems.push(message)
  const doc = new DOMParser({ errorHandler: { warning: record, error: record, fatalError: record } }).parseFromString(xml, 'text/xml')
  expect(problems).toEqual([])
  return doc.documentElement
}

const childrenOf = (node: Node, tag: string): Node[] => Array.from(node.childNodes).filter((c) => c.nodeType === 1 && c.tagName === tag)
const byId = (node: Node, tag: string, id: string): Node | undefined => Array.from(node.getElementsByTagName(tag)).find((n) => n.getAttribute('Id') === id)

describe('scripts/msi-policy-folder.mjs', () => {
  let dir: string
  let hook: HookModule
  let original: string
  let edited: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-msi-'))
    const appDir = join(dir, 'win-unpacked')
    mkdirSync(join(appDir, 'resources'), { recursive: true })
    writeFileSync(join(appDir, 'MES Trace Desktop.exe'), '')
    writeFileSync(join(appDir, 'resources', 'app.asar'), '')
    original = await generatedProject(appDir)
    const project = join(dir, 'project.wxs')
    writeFileSync(project, original)
    // The hook as electron-builder finds it from electron-builder.yml, called as it calls it.
    const { resolveFunction } = require('app-builder-lib/out/util/resolve.js') as { resolveFunction(type: unknown, executor: unknown, name: string, root: string): Promise<(path: string) => Promise<void>> }
    expect(config.msiProjectCreated).toBe('./scripts/msi-policy-folder.mjs')
    const run = await resolveFunction(undefined, config.msiProjectCreated, 'msiProjectCreated', root)
    await run(project)
    edited = readFileSync(project, 'utf8')
    hook = (await import(/* @vite-ignore */ pathToFileURL(join(root, 'scripts', 'msi-policy-folder.mjs')).href)) as HookModule
  })

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('adds the policy folder under CommonAppDataFolder, named as the app looks for it', () => {
    const product = parse(edited).getElementsByTagName('Product')[0]!
    const targetDir = byId(product, 'Directory', 'TARGETDIR')!
    const [common] = childrenOf(targetDir, 'Directory').filter((d) => d.getAttribute('Id') === 'CommonAppDataFolder')
    expect(common).toBeDefined()
    const folders = childrenOf(common!, 'Directory')
    expect(folders.map((d) => [d.getAttribute('Id'), d.getAttribute('Name')])).toEqual([['MesTracePolicyFolder', 'MES Trace Desktop']])
    // The app's own files are untouched.
    expect(byId(product, 'Directory', 'APPLICATIONFOLDER')).toBeDefined()
    expect(edited.replace(/\s+/g, '')).toContain(original.slice(original.indexOf('<ComponentGroup Id="ProductComponents"'), original.indexOf('</Product>')).replace(/\s+/g, ''))
  })

  it('creates the folder in a component of the product’s feature, with a fixed GUID', () => {
    const product = parse(edited).getElementsByTagName('Product')[0]!
    const feature = byId(product, 'Feature', 'ProductFeature')!
    expect(childrenOf(feature, 'ComponentGroupRef').map((r) => r.getAttribute('Id')).sort()).toEqual(['MesTracePolicyFolderComponents', 'ProductComponents'])
    const group = byId(product, 'ComponentGroup', 'MesTracePolicyFolderComponents')!
    const [component] = childrenOf(group, 'Component')
    expect(component!.getAttribute('Directory')).toBe('MesTracePolicyFolder')
    // A folder-keyed component cannot have a generated GUID; upgrades find the folder by this one.
    expect(component!.getAttribute('Guid')).toBe('BC2209F5-037B-41F9-8431-0F7E996A4E6E')
    expect(hook.POLICY_COMPONENT_GUID).toBe('BC2209F5-037B-41F9-8431-0F7E996A4E6E')
    const [create] = childrenOf(component!, 'CreateFolder')
    const [permission] = childrenOf(create!, 'PermissionEx')
    // The core WiX PermissionEx (MsiLockPermissionsEx, SDDL), not the util extension's.
    expect(permission!.namespaceURI).toBe('http://wixtoolset.org/schemas/v4/wxs')
    expect(permission!.getAttribute('Sddl')).toBe(hook.POLICY_FOLDER_SDDL)
  })

  it('gives the folder an ACL the app accepts: Administrators own it, SYSTEM and Administrators full control, Users read & execute', () => {
    const sddl = hook.POLICY_FOLDER_SDDL
    // Protected: nothing inherited from ProgramData, which lets Users create files below it.
    expect(sddl).toMatch(/D:PAI?\(/)
    const folder = parseSddl(sddl)
    expect(folder.owner).toBe('S-1-5-32-544')
    expect(folder.aces.map((a) => [a.sid, a.mask, a.inheritOnly])).toEqual([
      ['S-1-5-18', 0x1f01ff, false],
      ['S-1-5-32-544', 0x1f01ff, false],
      ['S-1-5-32-545', 0x1200a9, false],
    ])
    expect(changeRightsOf(0x1200a9, true)).toEqual([])
    // Every entry is inherited by files and folders inside (OI CI): a policy.json IT copies in
    // gets the same entries, so file and folder both pass the app's Windows rules.
    expect(sddl.match(/\(A;OICI;/g)).toHaveLength(3)
    const inherited = `O:BAD:AI${sddl.slice(sddl.indexOf('(')).replace(/;OICI;/g, ';ID;')}`
    const facts = { kind: 'found' as const, file: { path: 'C:\\ProgramData\\MES Trace Desktop\\policy.json', isLink: false, ...parseSddl(inherited) }, folder: { path: 'C:\\ProgramData\\MES Trace Desktop', isLink: false, ...folder } }
    expect(windowsTrust(facts)).toEqual({ kind: 'trusted' })
  })

  it('leaves a project that has the folder already unchanged', () => {
    expect(hook.addPolicyFolder(edited)).toBe(edited)
  })

  it('stops the build when electron-builder’s template no longer has what it edits', () => {
    expect(() => hook.addPolicyFolder(original.replace('<Feature Id="ProductFeature" Absent="disallow">', '<Feature Id="ProductFeature">'))).toThrow(
      /no <Feature Id="ProductFeature" Absent="disallow">; electron-builder's MSI template changed/,
    )
  })
})
