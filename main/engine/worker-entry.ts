/** Where the worker process's compiled entry is, for whichever layout this code runs from. */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The worker entry (main/worker/entry.ts, compiled): beside this module's folder when it runs
 * compiled (`dist/main/engine/` → `dist/main/worker/entry.js`), or the checkout's compiled copy
 * when it runs from TypeScript sources (tests). Main finds the worker by path only: it never
 * imports main/worker/, which runs in another process.
 */
export function traceWorkerEntry(): string {
  const compiled = fileURLToPath(new URL('../worker/entry.js', import.meta.url))
  if (existsSync(compiled)) return compiled
  return fileURLToPath(new URL('../../dist/main/worker/entry.js', import.meta.url))
}
