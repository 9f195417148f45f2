/** The app version, read once from package.json (recorded in every result file). */
import { readFileSync } from 'node:fs'

function readVersion(): string {
  for (const relative of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'mes-trace-desktop' && pkg.version) return pkg.version
    } catch {
      // Not this layout (compiled vs. sources); try the next.
    }
  }
  return '0.0.0'
}

export const APP_VERSION = readVersion()
