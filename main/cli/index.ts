/** The `mes-trace` command line (entered from bin/mes-trace.js). */
export { main, type CliIo } from './main.js'
export { defaultDataDir, PRODUCT_NAME } from './data-dir.js'
