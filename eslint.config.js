// Lint: typescript-eslint + eslint-plugin-vue, plus the import boundaries of architecture.md §8.
import { dirname, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'

const ROOT = dirname(fileURLToPath(import.meta.url))

/** Node built-ins, with and without the `node:` prefix. */
const NODE_BUILTINS = new Set([
  'assert', 'buffer', 'child_process', 'crypto', 'events', 'fs', 'fs/promises', 'http', 'https', 'net',
  'os', 'path', 'perf_hooks', 'process', 'stream', 'timers', 'timers/promises', 'url', 'util', 'worker_threads', 'zlib',
])

/** Where a file lives: `shared`, `renderer`, `main/<capability>`, or something else. */
function areaOf(file) {
  const parts = relative(ROOT, file).split(sep)
  if (parts[0] === 'main' && parts.length > 2) return { top: 'main', capability: parts[1] }
  if (parts[0] === 'main') return { top: 'main', capability: null }
  return { top: parts[0], capability: null }
}

/**
 * Folders of main/ the main process runs. They reach the worker process by its entry's file path
 * only (`traceWorkerEntry()`), never by importing `main/worker/`.
 */
const MAIN_PROCESS_CAPABILITIES = new Set(['engine', 'results', 'transport', 'ipc', 'host', 'cli', 'electron', 'policy', 'report'])

/**
 * What `main/worker/`, run in a worker process, may import from main/: the trace, the MSD analysis,
 * the sources, the store (its result writer) and the demo plant. An allow-list, so a new folder is
 * main-process code to the worker until it is added here.
 */
const WORKER_MAY_IMPORT = new Set(['worker', 'trace', 'msd', 'sources', 'store', 'demo'])

/**
 * The layering rule:
 * - `shared/` imports only `shared/` (no electron, no node:*, no DOM-bound code).
 * - `renderer/` never imports `main/`, electron or Node built-ins.
 * - only `main/electron/` imports `electron`.
 * - a `main/<capability>/` folder is entered only through its `index.ts` from other folders.
 * - `main/worker/` imports only the folders of {@link WORKER_MAY_IMPORT}; the main-process folders
 *   ({@link MAIN_PROCESS_CAPABILITIES}) never import `main/worker/`.
 */
const boundaries = {
  meta: { type: 'problem', schema: [], messages: { denied: '{{reason}}' } },
  create(context) {
    const file = context.filename
    const from = areaOf(file)
    function check(node, spec) {
      if (typeof spec !== 'string') return
      const bare = spec.startsWith('node:') ? spec.slice(5) : spec
      const isBuiltin = spec.startsWith('node:') || NODE_BUILTINS.has(bare)
      const report = (reason) => context.report({ node, messageId: 'denied', data: { reason } })
      if (spec === 'electron' || spec.startsWith('electron/')) {
        if (!(from.top === 'main' && from.capability === 'electron')) {
          report(`only main/electron/ may import electron (this is ${from.top}${from.capability ? '/' + from.capability : ''})`)
        }
        return
      }
      if (!spec.startsWith('.')) {
        if (isBuiltin && (from.top === 'shared' || from.top === 'renderer')) {
          report(`${from.top}/ must not import Node built-ins ("${spec}")`)
        }
        return
      }
      const target = areaOf(resolve(dirname(file), spec))
      if (from.top === 'shared' && target.top !== 'shared') report(`shared/ may import only shared/ ("${spec}")`)
      if (from.top === 'renderer' && target.top === 'main') report(`renderer/ must not import main/ ("${spec}")`)
      if (from.top === 'main' && from.capability === 'worker' && target.top === 'main' && target.capability && !WORKER_MAY_IMPORT.has(target.capability)) {
        report(`main/worker/ runs in the worker process and must not import main/${target.capability}/ ("${spec}")`)
      }
      if (from.top === 'main' && MAIN_PROCESS_CAPABILITIES.has(from.capability) && target.top === 'main' && target.capability === 'worker') {
        report(`main/${from.capability}/ runs in the main process: it starts the worker by file path and must not import main/worker/ ("${spec}")`)
      }
      if (
        from.top === 'main' &&
        target.top === 'main' &&
        target.capability &&
        target.capability !== from.capability &&
        !/(^|\/)index(\.js|\.ts)?$/.test(spec)
      ) {
        report(`import main/${target.capability}/ through its index.ts, not "${spec}"`)
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    }
  },
}

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'reports/**', 'test-results/**', 'playwright-report/**', '.fake-electron/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { local: { rules: { boundaries } } },
    rules: {
      'local/boundaries': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
)
