/**
 * The trace job on a real SQLite source and a real result file: the source's schema warnings reach
 * the job's log and the result's warnings, and a failure reaches the log with its stack before the
 * job's error. Run in this process first (runTraceJob), then through the compiled worker entry.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeWorkerHost, traceWorkerEntry } from '../../../main/engine/index.js'
import { openResultFile } from '../../../main/store/index.js'
import { runTraceJob, type TraceStartMessage } from '../../../main/worker/index.js'
import { normalizeTraceRequest } from '../../../shared/trace-request.js'
import type { WorkerToMainMessage } from '../../../shared/worker-protocol.js'
import { SPLIT_LOT_ROWS, writeFixtureFile } from '../../fixtures/source-fixture.js'
import { SpawnTracker, collectUntilExit } from '../engine/worker-kit.js'

const JOB = 'trace-evt-0123456789ab'

/** What the schema check says of a resource master without its family column. */
const FAMILY_WARNING = 'DW_MES_RESOURCE.RESOURCEFAMILYNAME missing: machine families are shown as (未知).'

describe('the trace job', () => {
  let dir: string
  let sourcePath: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-trace-job-'))
    sourcePath = join(dir, 'source.sqlite')
    writeFixtureFile(sourcePath, {
      ...SPLIT_LOT_ROWS,
    })
    // An optional table present but short of a column: usable, with a warning.
    const db = new Database(sourcePath)
    db.exec('ALTER TABLE DW_MES_RESOURCE DROP COLUMN RESOURCEFAMILYNAME')
    db.close()
  })

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  function startMessage(resultPath: string, source = sourcePath): TraceStartMessage {
    return {
      type: 'start',
      jobId: JOB,
      request: normalizeTraceRequest({ profile: 'query_tool', params: { resolve_type: 'lot_id', values: ['GA26010001-A01'] } }),
      source: { kind: 'sqlite', path: source },
      resultPath,
      limits: { maxDepth: 20, maxNodes: 10_000, maxRowsPerDomain: 100_000, maxResultBytes: 0, suspectFdr: 0.05 },
      appVersion: '0.0.0-test',
    }
  }

  async function runInProcess(message: TraceStartMessage): Promise<WorkerToMainMessage[]> {
    const posted: WorkerToMainMessage[] = []
    await runTraceJob(message, new AbortController().signal, { postToMain: (m) => posted.push(m) })
    return posted
  }

  it('logs the schema warning and writes it into the result’s warnings', async () => {
    const resultPath = join(dir, 'in-process.sqlite')
    const posted = await runInProcess(startMessage(resultPath))
    expect(posted.filter((m) => m.type === 'log')).toEqual([{ type: 'log', jobId: JOB, level: 'warn', message: FAMILY_WARNING }])
    const done = posted.at(-1)
    expect(done?.type).toBe('done')
    expect(done?.type === 'done' && done.summary.warnings[0]).toBe(FAMILY_WARNING)
    const reader = openResultFile(resultPath)
    try {
      expect(reader.manifest().warnings[0]).toBe(FAMILY_WARNING)
      expect(reader.manifest().warnings.filter((w) => w === FAMILY_WARNING)).toHaveLength(1)
    } finally {
      reader.close()
    }
  })

  it('logs a failure with its stack right before the error, and leaves no result', async () => {
    const resultPath = join(dir, 'failed.sqlite')
    const posted = await runInProcess(startMessage(resultPath, join(dir, 'no-such-source.sqlite')))
    expect(posted.map((m) => m.type)).toEqual(['log', 'error'])
    const [log, error] = posted
    if (log?.type !== 'log' || error?.type !== 'error') throw new Error('expected a log entry, then an error')
    expect(log.level).toBe('error')
    expect(log.message).toBe(error.error.message)
    expect(log.detail).toMatch(/^AppError: /)
    expect(log.detail).toContain('trace-job.')
    expect(JSON.stringify(error.error)).not.toContain(log.detail!.split('\n')[1]!)
    expect(existsSync(resultPath)).toBe(false)
  })

  describe('in the compiled worker process', () => {
    const host = new NodeWorkerHost()
    const tracker = new SpawnTracker(host)

    afterAll(async () => {
      await tracker.cleanUp()
    })

    it('sends the schema warning to main as a log entry and writes it into the result', async () => {
      const entry = traceWorkerEntry()
      expect(existsSync(entry), 'run `npx tsc -p tsconfig.main.json` first').toBe(true)
      expect(entry.endsWith(join('dist', 'main', 'worker', 'entry.js'))).toBe(true)
      const resultPath = join(dir, 'worker.sqlite')
      const handle = await tracker.spawn({ entry, maxOldSpaceMb: 256, serviceName: `trace ${JOB}` })
      const collected = collectUntilExit(handle, 20_000)
      handle.send(startMessage(resultPath))
      const { messages, exit } = await collected
      expect(exit.code).toBe(0)
      expect(messages.filter((m) => m.type === 'log')).toEqual([{ type: 'log', jobId: JOB, level: 'warn', message: FAMILY_WARNING }])
      expect(messages.at(-1)?.type).toBe('done')
      const reader = openResultFile(resultPath)
      try {
        expect(reader.manifest().warnings[0]).toBe(FAMILY_WARNING)
      } finally {
        reader.close()
      }
    })

    it('sends a failure’s stack to main in a log entry before the error', async () => {
      const handle = await tracker.spawn({ entry: traceWorkerEntry(), maxOldSpaceMb: 256, serviceName: `trace ${JOB}` })
      const collected = collectUntilExit(handle, 20_000)
      handle.send(startMessage(join(dir, 'worker-failed.sqlite'), join(dir, 'missing.sqlite')))
      const { messages } = await collected
      const types = messages.map((m) => m.type)
      expect(types).toEqual(['log', 'error'])
      const log = messages[0]
      expect(log?.type === 'log' && log.level).toBe('error')
      expect(log?.type === 'log' && log.detail).toMatch(/^AppError: [^\n]+\n\s+at /)
    })
  })
})
