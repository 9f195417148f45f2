/**
 * What a real worker process is given: the allow-listed part of its parent's environment and its
 * job's own variables — not the parent's secrets, not Node's switches. Seen from inside the worker
 * (the `env` fixture reports `process.env`) and, on Linux, from the OS (`/proc/<pid>/environ`).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { NodeWorkerHost, isWorkerEnvName, workerAllocatorEnv, type WorkerSpawnOptions } from '../../../main/engine/index.js'
import { SpawnTracker, collectUntilExit, startMessage } from './worker-kit.js'

const tracker = new SpawnTracker(new NodeWorkerHost())

/**
 * Variables of the parent that must never reach a worker, with values the checks can find: each
 * distinctive, so finding it anywhere in the worker's environment (a path holding `1`…) means it leaked.
 */
const PARENT_SECRETS: Record<string, string> = {
  AWS_SECRET_ACCESS_KEY: 'aws-7c1e0b5d9f',
  GITHUB_TOKEN: 'ghp-3a9d0e2b71',
  PGPASSWORD: 'parent-pg-5e8f1c2a',
  MES_TRACE_ORACLE_PASSWORD: 'parent-ora-9b4d7e1f',
  // Would make every worker fail to start if it were passed on.
  NODE_OPTIONS: '--require /nonexistent/mes-trace-evil.cjs',
  // Electron takes any non-empty value as "on".
  ELECTRON_RUN_AS_NODE: '1-electron-as-node-4d2e',
}

/** Variables of the parent a worker needs. */
const PARENT_NEEDED: Record<string, string> = {
  PGSSLMODE: 'disable',
  PGPASSFILE: '/nonexistent/pgpass',
  TNS_ADMIN: '/nonexistent/tns',
  TZ: 'Asia/Taipei',
}

/** Variables Node itself gives a forked child for its IPC channel. */
const NODE_CHANNEL = /^NODE_CHANNEL_/

const JOB_ENV = { PGPASSWORD: 'job-pg-2f6a8c0e' }

function envOptions(): WorkerSpawnOptions {
  return {
    entry: join(import.meta.dirname, '..', '..', 'fixtures', 'workers', 'env.mjs'),
    maxOldSpaceMb: 128,
    serviceName: 'mes-trace-fixture-env',
    env: JOB_ENV,
  }
}

describe('the environment of a worker', () => {
  const saved: Record<string, string | undefined> = {}

  beforeEach(() => {
    for (const [name, value] of Object.entries({ ...PARENT_SECRETS, ...PARENT_NEEDED })) {
      saved[name] = process.env[name]
      process.env[name] = value
    }
  })

  afterEach(async () => {
    await tracker.cleanUp()
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })

  it('holds the allowed variables of the parent and the job’s own, nothing else (seen by the worker)', async () => {
    const handle = await tracker.spawn(envOptions())
    const run = collectUntilExit(handle)
    handle.send(startMessage())
    const { messages, exit } = await run
    expect(exit.reason).toBe('exited')
    const log = messages.find((m) => m.type === 'log')
    expect(log?.type).toBe('log')
    const env = JSON.parse(log?.type === 'log' ? log.message : '{}') as Record<string, string>

    expect(env).toMatchObject({ ...PARENT_NEEDED, ...JOB_ENV })
    for (const name of Object.keys(PARENT_SECRETS)) if (!(name in JOB_ENV)) expect(env[name], name).toBeUndefined()
    const text = JSON.stringify(env)
    for (const value of Object.values(PARENT_SECRETS)) expect(text).not.toContain(value)
    const allocator = workerAllocatorEnv()
    const unexpected = Object.keys(env).filter((name) => !isWorkerEnvName(name) && !(name in JOB_ENV) && !(name in allocator) && !NODE_CHANNEL.test(name))
    expect(unexpected).toEqual([])
    // The allocator's settings the worker starts with (on Linux, glibc's mmap threshold).
    expect(env).toMatchObject(allocator)
    // What the worker needs of this machine is there.
    if (process.env.PATH) expect(env.PATH).toBe(process.env.PATH)
    if (process.env.HOME) expect(env.HOME).toBe(process.env.HOME)
  })

  it.skipIf(process.platform !== 'linux')('holds nothing else in the block the OS keeps (/proc/<pid>/environ)', async () => {
    const handle = await tracker.spawn(envOptions())
    const block = readFileSync(`/proc/${handle.pid}/environ`, 'utf8')
    const names = block.split('\0').filter(Boolean).map((entry) => entry.slice(0, entry.indexOf('=')))
    expect(names).toContain('PGPASSWORD')
    expect(names.filter((name) => !isWorkerEnvName(name) && !(name in JOB_ENV) && !(name in workerAllocatorEnv()) && !NODE_CHANNEL.test(name))).toEqual([])
    for (const value of Object.values(PARENT_SECRETS)) expect(block).not.toContain(value)
    expect(block).toContain(`PGPASSWORD=${JOB_ENV.PGPASSWORD}\0`)
    // Where glibc reads it when the process starts.
    expect(block).toContain('MALLOC_MMAP_THRESHOLD_=131072\0')
  })
})
