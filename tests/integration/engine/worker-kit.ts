/**
 * Helpers for tests that start real worker fixtures: paths, a valid `start` message, and a
 * tracker that makes sure no spawned process outlives its test.
 */
import { join } from 'node:path'
import { expect } from 'vitest'
import {
  JobEngine,
  NodeWorkerHost,
  traceWorkerEntry,
  type WorkerExit,
  type WorkerHandle,
  type WorkerHost,
  type WorkerSpawnOptions,
} from '../../../main/engine/index.js'
import type { Catalog } from '../../../main/store/index.js'
import { resolveSettings, type EngineSettings } from '../../../shared/settings.js'
import type { MainToWorkerMessage, WorkerToMainMessage } from '../../../shared/worker-protocol.js'

const FIXTURE_DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'workers')

export type FixtureName =
  | 'ok'
  | 'fail'
  | 'heap'
  | 'crash'
  | 'slow'
  | 'hang'
  | 'oom'
  | 'init-fail'
  | 'no-ready'
  | 'big-rss'
  | 'protocol-violation'
  | 'limits'

/** Absolute path of a worker fixture. */
export function fixtureEntry(name: FixtureName): string {
  return join(FIXTURE_DIR, `${name}.mjs`)
}

/** Spawn options for a fixture; 128 MB of heap is plenty for every fixture but `oom`. */
export function fixtureOptions(name: FixtureName, overrides: Partial<WorkerSpawnOptions> = {}): WorkerSpawnOptions {
  return { entry: fixtureEntry(name), maxOldSpaceMb: 128, serviceName: `mes-trace-fixture-${name}`, ...overrides }
}

/** A well-formed `start` message. */
export function startMessage(jobId = 'trace-evt-0123456789ab'): MainToWorkerMessage {
  return {
    type: 'start',
    jobId,
    request: {
      profile: 'query_tool',
      direction: 'forward',
      seed: { mode: 'containers', resolve_type: 'lot_id', values: ['GA26010001-A00'] },
      station: null,
      loss_reasons: [],
      domains: ['history', 'materials'],
    },
    source: { kind: 'sqlite', path: '/nonexistent/source.sqlite' },
    resultPath: '/nonexistent/result.sqlite',
    limits: { maxDepth: 20, maxNodes: 10_000, maxRowsPerDomain: 100_000, maxResultBytes: 0, suspectFdr: 0.05 },
    appVersion: '0.0.0-test',
  }
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but is not ours — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Resolves with the worker's exit; fails the test if it takes longer than `timeoutMs`. */
export function whenExited(handle: WorkerHandle, timeoutMs = 4000): Promise<WorkerExit> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${String(handle.pid)} still running after ${timeoutMs} ms`)), timeoutMs)
    handle.onExit((exit) => {
      clearTimeout(timer)
      resolve(exit)
    })
  })
}

/** Collects every message of a worker until it exits. */
export function collectUntilExit(handle: WorkerHandle, timeoutMs?: number): Promise<{ messages: WorkerToMainMessage[]; exit: WorkerExit }> {
  const messages: WorkerToMainMessage[] = []
  handle.onMessage((m) => messages.push(m))
  return whenExited(handle, timeoutMs).then((exit) => ({ messages, exit }))
}

/** Spawns through `host` and remembers every process, so {@link cleanUp} can prove none is left. */
export class SpawnTracker {
  readonly #host: WorkerHost
  readonly #handles: WorkerHandle[] = []
  readonly #pids = new Set<number>()

  constructor(host: WorkerHost) {
    this.#host = host
  }

  async spawn(options: WorkerSpawnOptions): Promise<WorkerHandle> {
    try {
      const handle = await this.#host.spawn(options)
      this.#handles.push(handle)
      if (handle.pid !== undefined) this.#pids.add(handle.pid)
      return handle
    } catch (error) {
      const pid = (error as { details?: { pid?: unknown } }).details?.pid
      if (typeof pid === 'number') this.#pids.add(pid)
      throw error
    }
  }

  /** Kills what is still running, waits for it, and asserts that every pid seen is gone. */
  async cleanUp(): Promise<void> {
    await Promise.all(
      this.#handles.map((handle) => {
        const exited = whenExited(handle)
        handle.kill()
        return exited
      }),
    )
    for (const pid of this.#pids) expect(isAlive(pid), `pid ${pid} is still alive`).toBe(false)
    this.#handles.length = 0
    this.#pids.clear()
  }
}

/** Polls `check` until it holds; fails the test after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 10_000, stepMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, stepMs))
  }
}

export interface TestEngineOptions {
  catalog: Catalog
  resultsDir: string
  /** @default the compiled trace worker */
  workerEntry?: string
  /** Settings over the defaults. */
  settings?: Partial<EngineSettings>
  now?: () => number
  lockPath?: string
  /** @default 300 (tests need no long grace) */
  cancelGraceMs?: number
}

/** A JobEngine on real worker processes with test settings; not started. */
export function testEngine(options: TestEngineOptions): JobEngine {
  return new JobEngine({
    catalog: options.catalog,
    host: new NodeWorkerHost(),
    workerEntry: options.workerEntry ?? traceWorkerEntry(),
    resultsDir: options.resultsDir,
    settings: { ...resolveSettings(), ...options.settings },
    appVersion: '0.0.0-test',
    cancelGraceMs: options.cancelGraceMs ?? 300,
    ...(options.now ? { now: options.now } : {}),
    ...(options.lockPath ? { lockPath: options.lockPath } : {}),
  })
}
