/** The `mes-trace` command line (entered from bin/mes-trace.js). */
export { main } from './main.js'
export type { CliIo } from './io.js'
export { defaultDataDir, PRODUCT_NAME } from './data-dir.js'
