// Validates electron-builder.yml against electron-builder's own schema (no Electron download).
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js')
const projectDir = process.cwd()
const file = process.argv[2] ?? 'electron-builder.yml'
try {
  const config = await getConfig(projectDir, path.resolve(projectDir, file), null)
  await validateConfiguration(config, { isEnabled: false, add() {} })
  console.log(`OK: ${file} is valid for electron-builder ${require('electron-builder/package.json').version}`)
} catch (e) {
  console.error(`INVALID: ${file}\n${e.message}`)
  process.exit(1)
}
