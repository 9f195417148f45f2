/** Where the trace worker's compiled entry is, for whichever layout this code runs from. */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The trace worker entry: next to this module when it runs compiled (`dist/main/engine/`), or the
 * checkout's compiled copy when it runs from TypeScript sources (tests).
 */
export function traceWorkerEntry(): string {
  const compiled = fileURLToPath(new URL('./trace-worker.js', import.meta.url))
  if (existsSync(compiled)) return compiled
  return fileURLToPath(new URL('../../dist/main/engine/trace-worker.js', import.meta.url))
}
