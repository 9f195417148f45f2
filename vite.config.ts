/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  root: 'renderer',
  plugins: [vue()],
  // Relative asset URLs so the built renderer loads from a custom protocol or a local host alike.
  base: './',
  // vue-i18n: composition API only, no devtools hooks; messages compile without eval (CSP).
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  // ECharts is most of the result view; the app loads it from disk, not over a network.
  build: { outDir: '../dist/renderer', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  test: {
    root: '.',
    // tests/shell boots the compiled desktop shell under a fake Electron (build first: npm test does).
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/shell/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two test files at a time even on a 2-core machine (Vitest's default there is one): most
    // files wait on child processes, sockets or SQLite, and the suite's wall time drops by a
    // fifth. The timing checks (event-loop lag, fault timings) hold with the second file running.
    maxWorkers: 2,
  },
})
