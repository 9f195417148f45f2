// `npm start`: launches the desktop app. `npm ci` never downloads Electron's runtime (its install
// script is denied in package.json so installs work offline), so the first start fetches it with
// Electron's own installer; when that is impossible it says why and how to fix it, and exits 1.
//   node scripts/start-electron.mjs [--check]   (--check: only make sure the runtime is there)
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const electronDir = join(root, 'node_modules', 'electron')
const require = createRequire(import.meta.url)

/** Path of the Electron executable, or null when the runtime is not installed. */
function electronPath() {
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const executable = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(executable) ? executable : null
}

function fail(lines) {
  console.error(lines.join('\n'))
  process.exit(1)
}

if (!existsSync(join(electronDir, 'package.json'))) {
  fail(['mes-trace: the electron package is not installed. Run `npm ci` first.'])
}

let executable = electronPath()
if (!executable) {
  const { version } = require(join(electronDir, 'package.json'))
  console.error(`mes-trace: fetching the Electron ${version} runtime (first start only) …`)
  const skipped = Boolean(process.env.ELECTRON_SKIP_BINARY_DOWNLOAD)
  const install = skipped ? { status: 0 } : spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit', cwd: electronDir })
  executable = electronPath()
  if (!executable) {
    fail([
      `mes-trace: the Electron ${version} runtime is missing and could not be fetched` +
        (skipped ? ' (ELECTRON_SKIP_BINARY_DOWNLOAD is set, which forbids the download).' : ` (its installer exited with ${install.status ?? install.signal}).`),
      'To fix it, on this machine:',
      '  - unset ELECTRON_SKIP_BINARY_DOWNLOAD and make sure the Electron release download is reachable (or set',
      '    ELECTRON_MIRROR to a mirror of it), then run `npm start` again; or',
      `  - put electron-v${version}-${process.platform}-${process.arch}.zip into Electron's download cache`,
      '    (ELECTRON_CACHE, see @electron/get) and run `npm start` again.',
      'The command line (`npx mes-trace …`) and the browser version (`npm run serve`) work without it.',
    ])
  }
}

if (process.argv.includes('--check')) {
  console.log(`mes-trace: Electron runtime at ${executable}`)
  process.exit(0)
}

// The main process code and the renderer must be built.
const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { stdio: 'inherit', cwd: root })
if (build.status !== 0) fail(['mes-trace: the build failed; see above.'])
const child = spawn(executable, [root], { stdio: 'inherit' })
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
