/**
 * Module hooks (Node `module.register`) for the shell's process:
 * - resolve: the specifier `electron` (and `electron/main`) is the fake;
 * - load: the entry module gets one statement appended that tells the fake the entry has been
 *   evaluated. Electron's ESM guide ("You must use await generously before the app's ready
 *   event"): ES modules load asynchronously, and the app's `ready` is emitted once the main
 *   entry point has fully resolved — so `protocol.registerSchemesAsPrivileged` at the top level of
 *   the entry still runs before ready, and anything left to a later turn may not.
 */
let fakeElectronUrl
let entryUrl

export function initialize(data) {
  fakeElectronUrl = data.fakeElectronUrl
  entryUrl = data.entryUrl
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron' || specifier === 'electron/main') return { url: fakeElectronUrl, format: 'module', shortCircuit: true }
  return nextResolve(specifier, context)
}

export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context)
  if (url !== entryUrl || loaded.format !== 'module') return loaded
  const source = typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source).toString('utf8')
  // Appended after the last line, so source-map line numbers stay right.
  return { ...loaded, source: `${source}\n;globalThis[Symbol.for('fake-electron.entry-evaluated')]?.();\n` }
}
