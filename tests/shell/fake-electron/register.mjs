/**
 * `node --import ./register.mjs dist/main/electron/index.js`: installs hooks.mjs, so the shell's
 * `import … from 'electron'` loads electron.mjs instead of the npm package (which, without its
 * binary, only exports a path).
 */
import { register } from 'node:module'
import { pathToFileURL } from 'node:url'

register('./hooks.mjs', import.meta.url, {
  data: {
    fakeElectronUrl: new URL('./electron.mjs', import.meta.url).href,
    entryUrl: process.argv[1] ? pathToFileURL(process.argv[1]).href : null,
  },
})
