import { join } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..', '..')
const eslint = new ESLint({ cwd: root })

async function boundaryMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'local/boundaries').map((m) => m.message)
}

describe('import boundaries (architecture.md §8)', () => {
  it('keeps shared/ free of main/, Node and Electron', async () => {
    expect(await boundaryMessages('shared/x.ts', "import { a } from '../main/trace/index.js'\nexport const b = a\n")).toEqual([
      'shared/ may import only shared/ ("../main/trace/index.js")',
    ])
    expect(await boundaryMessages('shared/x.ts', "import { readFile } from 'node:fs/promises'\nexport const b = readFile\n")).toEqual([
      'shared/ must not import Node built-ins ("node:fs/promises")',
    ])
    expect(await boundaryMessages('shared/x.ts', "import { app } from 'electron'\nexport const b = app\n")).toHaveLength(1)
    expect(await boundaryMessages('shared/x.ts', "import { STATION_GROUPS } from './stations.js'\nexport const b = STATION_GROUPS\n")).toEqual([])
  })

  it('keeps renderer/ away from main/ and Electron', async () => {
    expect(await boundaryMessages('renderer/src/x.ts', "import { runTrace } from '../../main/trace/index.js'\nexport const b = runTrace\n")).toEqual([
      'renderer/ must not import main/ ("../../main/trace/index.js")',
    ])
    expect(await boundaryMessages('renderer/src/x.ts', "import { ipcRenderer } from 'electron'\nexport const b = ipcRenderer\n")).toHaveLength(1)
  })

  it('lets only main/electron import electron', async () => {
    expect(await boundaryMessages('main/trace/x.ts', "import { app } from 'electron'\nexport const b = app\n")).toEqual([
      'only main/electron/ may import electron (this is main/trace)',
    ])
    expect(await boundaryMessages('main/electron/x.ts', "import { app } from 'electron'\nexport const b = app\n")).toEqual([])
  })

  it('enters another main/ capability only through its index', async () => {
    expect(await boundaryMessages('main/trace/x.ts', "import { chunk } from '../sources/dialect.js'\nexport const b = chunk\n")).toEqual([
      'import main/sources/ through its index.ts, not "../sources/dialect.js"',
    ])
    expect(await boundaryMessages('main/trace/x.ts', "import { chunk } from '../sources/index.js'\nexport const b = chunk\n")).toEqual([])
    expect(await boundaryMessages('main/trace/x.ts', "import { y } from './y.js'\nexport const b = y\n")).toEqual([])
  })

  describe('the worker process and the main process', () => {
    it('keeps main/worker/ to shared/, the trace, the MSD analysis, the sources, the store and the demo', async () => {
      expect(await boundaryMessages('main/worker/x.ts', "import { JobEngine } from '../engine/index.js'\nexport const b = JobEngine\n")).toEqual([
        'main/worker/ runs in the worker process and must not import main/engine/ ("../engine/index.js")',
      ])
      for (const folder of ['results', 'transport', 'ipc', 'host', 'cli', 'electron', 'policy']) {
        expect(await boundaryMessages('main/worker/x.ts', `import { a } from '../${folder}/index.js'\nexport const b = a\n`), folder).toEqual([
          `main/worker/ runs in the worker process and must not import main/${folder}/ ("../${folder}/index.js")`,
        ])
      }
      expect(await boundaryMessages('main/worker/x.ts', "import { utilityProcess } from 'electron'\nexport const b = utilityProcess\n")).toEqual([
        'only main/electron/ may import electron (this is main/worker)',
      ])
      for (const folder of ['trace', 'msd', 'sources', 'store', 'demo']) {
        expect(await boundaryMessages('main/worker/x.ts', `import { a } from '../${folder}/index.js'\nexport const b = a\n`), folder).toEqual([])
      }
      expect(await boundaryMessages('main/worker/x.ts', "import { toErrorData } from '../../shared/errors.js'\nimport { p } from './port.js'\nexport const b = [toErrorData, p]\n")).toEqual([])
    })

    it('keeps main-process folders from importing main/worker/ (they start it by file path)', async () => {
      expect(await boundaryMessages('main/engine/x.ts', "import { connectToMain } from '../worker/index.js'\nexport const b = connectToMain\n")).toEqual([
        'main/engine/ runs in the main process: it starts the worker by file path and must not import main/worker/ ("../worker/index.js")',
      ])
      expect(await boundaryMessages('main/cli/x.ts', "import { runTraceJob } from '../worker/index.js'\nexport const b = runTraceJob\n")).toEqual([
        'main/cli/ runs in the main process: it starts the worker by file path and must not import main/worker/ ("../worker/index.js")',
      ])
      expect(await boundaryMessages('main/engine/x.ts', "import { openCatalog } from '../store/index.js'\nexport const b = openCatalog\n")).toEqual([])
      expect(await boundaryMessages('main/cli/x.ts', "import { JobEngine } from '../engine/index.js'\nexport const b = JobEngine\n")).toEqual([])
    })
  })
})
