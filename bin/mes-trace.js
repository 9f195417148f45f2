#!/usr/bin/env node
// Entry of the `mes-trace` command: runs the compiled CLI (built by `npm ci`/`npm run build:main`).
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const entry = fileURLToPath(new URL('../dist/main/cli/index.js', import.meta.url))
if (!existsSync(entry)) {
  console.error('mes-trace: the CLI is not built yet. Run `npm run build:main` (or `npm ci`) in the project folder first.')
  process.exit(2)
}
const { main } = await import(pathToFileURL(entry).href)
process.exitCode = await main(process.argv.slice(2))
