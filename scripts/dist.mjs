// `npm run dist` (and dist:win, dist:mac, dist:linux): builds the app and its installers with
// electron-builder, rebuilding native modules for Electron's ABI. Needs the Electron download (the
// runtime and headers) and, for signed installers, the signing credentials in the environment —
// never in the repository:
//   Windows, Azure Trusted Signing: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (read by
//     the signing tool) plus MES_TRACE_AZURE_ENDPOINT, MES_TRACE_AZURE_ACCOUNT, MES_TRACE_AZURE_PROFILE,
//     MES_TRACE_PUBLISHER_NAME;
//   Windows, a certificate in the machine's store (hardware token): MES_TRACE_CERT_SUBJECT_NAME;
//   macOS: CSC_NAME (Developer ID Application identity) or CSC_LINK/CSC_KEY_PASSWORD, and for
//     notarization APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID;
//   updates: MES_TRACE_UPDATE_URL (the HTTPS folder self-updating installers read).
// Without credentials the installers are built unsigned (fine for developers; not for IT).
//   node scripts/dist.mjs [win|mac|linux] [--dry] (--dry: print the electron-builder command only)
import { spawnSync } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const platform = process.argv.find((a) => ['win', 'mac', 'linux'].includes(a))
const dry = process.argv.includes('--dry')

/**
 * electron-builder arguments for a platform and the signing set up in `env`. On Windows the MSI is
 * built by a run of its own without the update feed (see `builderRuns`): an `app-update.yml` in
 * the MSI would make a per-machine install update itself.
 */
export function builderArgs(target, env) {
  const args = target ? [`--${target}`] : []
  args.push('--publish', 'never', '-c.npmRebuild=true')
  const notes = []
  if (env.MES_TRACE_AZURE_ENDPOINT && env.MES_TRACE_AZURE_ACCOUNT && env.MES_TRACE_AZURE_PROFILE && env.MES_TRACE_PUBLISHER_NAME) {
    args.push(
      `-c.win.azureSignOptions.endpoint=${env.MES_TRACE_AZURE_ENDPOINT}`,
      `-c.win.azureSignOptions.codeSigningAccountName=${env.MES_TRACE_AZURE_ACCOUNT}`,
      `-c.win.azureSignOptions.certificateProfileName=${env.MES_TRACE_AZURE_PROFILE}`,
      `-c.win.azureSignOptions.publisherName=${env.MES_TRACE_PUBLISHER_NAME}`,
    )
    notes.push('Windows: signed with Azure Trusted Signing')
  } else if (env.MES_TRACE_CERT_SUBJECT_NAME) {
    args.push(`-c.win.signtoolOptions.certificateSubjectName=${env.MES_TRACE_CERT_SUBJECT_NAME}`)
    notes.push('Windows: signed with the certificate of the machine store')
  } else {
    notes.push('Windows: unsigned (no signing credentials in the environment)')
  }
  if (env.APPLE_ID && env.APPLE_APP_SPECIFIC_PASSWORD && env.APPLE_TEAM_ID) {
    args.push('-c.mac.notarize=true')
    notes.push('macOS: notarized')
  } else {
    notes.push('macOS: not notarized (APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID not all set)')
  }
  if (!env.CSC_NAME && !env.CSC_LINK) notes.push('macOS: signed ad hoc only (no CSC_NAME/CSC_LINK)')
  if (env.MES_TRACE_UPDATE_URL) {
    if (!/^https:\/\//.test(env.MES_TRACE_UPDATE_URL)) throw new Error('MES_TRACE_UPDATE_URL must be an https:// URL')
    args.push('-c.publish.provider=generic', `-c.publish.url=${env.MES_TRACE_UPDATE_URL}`)
    notes.push(`updates: self-updating installers read ${env.MES_TRACE_UPDATE_URL}`)
  } else {
    notes.push('updates: MES_TRACE_UPDATE_URL not set, no installer will update itself')
  }
  return { args, notes }
}

/** The electron-builder runs of a release: on Windows, the MSI (no feed) and then the NSIS installer. */
export function builderRuns(target, env) {
  const { args, notes } = builderArgs(target, env)
  if (target !== 'win') return { runs: [args], notes }
  // Targets follow the platform flag: `--win msi`, `--win nsis`.
  const [flag, ...rest] = args
  const withoutFeed = rest.filter((a) => !a.startsWith('-c.publish.'))
  return { runs: [[flag, 'msi', ...withoutFeed], [flag, 'nsis', ...rest]], notes }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { runs, notes } = builderRuns(platform, process.env)
  for (const note of notes) console.error(`dist: ${note}`)
  if (dry) {
    for (const args of runs) console.log(['electron-builder', ...args].join(' '))
    process.exit(0)
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  // The runtime must be there first (npm ci never downloads it): the same check as `npm start`.
  const runtime = spawnSync(process.execPath, [join(root, 'scripts', 'start-electron.mjs'), '--check'], { stdio: 'inherit', cwd: root })
  if (runtime.status !== 0) process.exit(runtime.status ?? 1)
  const builder = join(root, 'node_modules', 'electron-builder', 'cli.js')
  for (const step of [[npm, ['run', 'build']], ...runs.map((args) => [process.execPath, [builder, ...args]])]) {
    const r = spawnSync(step[0], step[1], { stdio: 'inherit', cwd: root })
    if (r.status !== 0) process.exit(r.status ?? 1)
  }
}
