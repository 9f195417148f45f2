/**
 * No command line ever shows a server's password: while a trace runs on a real PostgreSQL server —
 * from `mes-trace run` (password in PGPASSWORD, piped to `--password-stdin`, typed at a terminal)
 * and from the browser host (a source profile with its password, added over the WebSocket) —
 * every process's command line is sampled again and again, workers included. The password is a
 * random string of a throw-away role, so it is found wherever it leaks. A worker's environment
 * holds nothing of its parent's but what the allow-list lets through, and never the password (it
 * comes in the job's start message).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { isWorkerEnvName, workerAllocatorEnv } from '../../../main/engine/index.js'
import { loadIntoPostgres } from '../../../main/sources/index.js'
import { canCreateRoles, createThrowawayRole, type ThrowawayRole } from '../../fixtures/pg-role.js'

const adminUrl = process.env.MES_TRACE_PG_TEST_URL
const canRun = process.platform === 'linux' && existsSync('dist/main/cli/index.js')
const ready = canRun && adminUrl !== undefined && (await canCreateRoles(adminUrl))

/**
 * A worker's command line: Node shows its `--title` (`trace trace-evt-…` while it runs a job,
 * `trace (ready)` while a started worker waits for one), else the entry file. A job as short as a
 * five-lot trace can run between two samples, so the worker waiting for it counts too: it is the
 * process that takes the job, with the same environment.
 */
const WORKER = /^trace (?:trace-evt-|\(ready\))|worker[\\/]entry\.js/

/** A parent's secret that must not reach a worker. */
const PARENT_SECRET = `aws-${randomBytes(10).toString('hex')}`

interface Sampling {
  rounds: number
  psRuns: number
  /** Every distinct command line seen. */
  commandLines: Set<string>
  /** The environment blocks of the workers seen (pid → block). */
  workerEnvs: Map<number, string>
}

/**
 * Samples every process's command line from /proc as often as it can, and `ps -eo args` every
 * 100 ms, until stopped. Reading a worker's environment block as soon as it is seen.
 */
function sampleProcesses(): { stop: () => Promise<Sampling> } {
  const sampling: Sampling = { rounds: 0, psRuns: 0, commandLines: new Set(), workerEnvs: new Map() }
  let running = true
  const readProc = (): void => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      let line: string
      try {
        line = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim()
      } catch {
        continue // gone between the listing and the read
      }
      if (!line) continue
      sampling.commandLines.add(line)
      if (WORKER.test(line) && !sampling.workerEnvs.has(Number(entry))) {
        try {
          sampling.workerEnvs.set(Number(entry), readFileSync(`/proc/${entry}/environ`, 'utf8'))
        } catch {
          // ended already
        }
      }
    }
    sampling.rounds++
  }
  const procLoop = (async () => {
    while (running) {
      readProc()
      await new Promise((r) => setTimeout(r, 5))
    }
  })()
  const psLoop = (async () => {
    while (running) {
      const out = await new Promise<string>((resolve) => execFile('ps', ['-eo', 'args='], { maxBuffer: 16 * 1024 * 1024 }, (_e, stdout) => resolve(stdout ?? '')))
      for (const line of out.split('\n')) if (line.trim()) sampling.commandLines.add(line.trim())
      sampling.psRuns++
      await new Promise((r) => setTimeout(r, 100))
    }
  })()
  return {
    stop: async () => {
      running = false
      await Promise.all([procLoop, psLoop])
      return sampling
    },
  }
}

/** The checks every sampled run must pass. */
function expectNoPassword(sampling: Sampling, password: string, wanted: RegExp): void {
  expect(sampling.rounds).toBeGreaterThan(10)
  expect(sampling.psRuns).toBeGreaterThan(0)
  const lines = [...sampling.commandLines]
  // The sampling saw the run itself and its worker, so it looked at the right time.
  expect(lines.some((line) => wanted.test(line)), `no command line matched ${wanted}`).toBe(true)
  expect(lines.some((line) => WORKER.test(line)), 'no worker was seen').toBe(true)
  expect(lines.filter((line) => line.includes(password))).toEqual([])
  expect(sampling.workerEnvs.size).toBeGreaterThan(0)
  for (const block of sampling.workerEnvs.values()) {
    const names = block.split('\0').filter(Boolean).map((entry) => entry.slice(0, entry.indexOf('=')))
    expect(names.filter((name) => !isWorkerEnvName(name) && !(name in workerAllocatorEnv()) && !name.startsWith('NODE_CHANNEL_'))).toEqual([])
    expect(block).not.toContain(PARENT_SECRET)
    // The job's password comes in its start message, so not even the worker's own environment holds it.
    expect(block).not.toContain(password)
  }
}

/** Runs a child to its end and collects its output. */
function finished(child: ChildProcess): Promise<{ code: number | null; out: string; err: string }> {
  let out = ''
  let err = ''
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })))
}

describe.skipIf(!ready)('no password in any command line (needs Linux, the built CLI and MES_TRACE_PG_TEST_URL whose role may CREATEROLE, see scripts/test-postgres.sh)', () => {
  const schema = `ps_${process.pid}`
  let dir: string
  let plant: DemoSummary
  let role: ThrowawayRole
  /** The source as every run names it: no password anywhere in it. */
  let sourceUrl: string
  /** The CLI's environment: nothing of the test's own server password, a secret the worker must not get. */
  let baseEnv: NodeJS.ProcessEnv

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-ps-'))
    plant = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 300, seed: 'pg-ps' })
    await loadIntoPostgres({ from: plant.out, url: adminUrl!, schema, replace: true })
    role = await createThrowawayRole(adminUrl!)
    await role.grantRead(schema)
    sourceUrl = `${role.url}?schema=${schema}`
    baseEnv = { ...process.env, PGPASSFILE: join(dir, 'no-pgpass'), AWS_SECRET_ACCESS_KEY: PARENT_SECRET }
    delete baseEnv.PGPASSWORD
    delete baseEnv.MES_TRACE_PG_TEST_URL
  }, 180_000)

  afterAll(async () => {
    const client = new pg.Client({ connectionString: adminUrl })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.end()
    await role?.drop()
    rmSync(dir, { recursive: true, force: true })
  })

  const runArgs = (dataDir: string): string[] => [
    'bin/mes-trace.js', 'run', '--source', sourceUrl, '--profile', 'query_tool', '--lot-ids', plant.planted.samples.lot_ids.join(','),
    '--data-dir', dataDir, '--force', '--json',
  ]

  /** Checks a run's JSON: finished against the server, as the role, without the password anywhere. */
  function expectFinished(result: { code: number | null; out: string; err: string }): void {
    const json = JSON.parse(result.out.slice(result.out.indexOf('{'))) as { status: string; error: unknown; source: string; seed_count: number }
    expect(json.error).toBeNull()
    expect(json.status).toBe('finished')
    expect(json.seed_count).toBeGreaterThan(0)
    expect(json.source).toContain(role.role)
    expect(result.code).toBe(0)
    expect(result.out + result.err).not.toContain(role.password)
  }

  it('finds a string in the command line of a short-lived process (the check can fail)', async () => {
    const canary = `canary-${randomBytes(8).toString('hex')}`
    const sampler = sampleProcesses()
    await finished(spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300)', canary], { stdio: 'ignore' }))
    const sampling = await sampler.stop()
    expect([...sampling.commandLines].filter((line) => line.includes(canary)).length).toBeGreaterThan(0)
  })

  it('mes-trace run with the password in PGPASSWORD', async () => {
    const sampler = sampleProcesses()
    const child = spawn(process.execPath, runArgs(join(dir, 'data-env')), { env: { ...baseEnv, PGPASSWORD: role.password }, stdio: ['ignore', 'pipe', 'pipe'] })
    const result = await finished(child)
    const sampling = await sampler.stop()
    expectFinished(result)
    expectNoPassword(sampling, role.password, /bin\/mes-trace\.js run --source/)
  })

  it('mes-trace rerun of that job, with the password in PGPASSWORD again', async () => {
    const dataDir = join(dir, 'data-env')
    const jobs = await finished(spawn(process.execPath, ['bin/mes-trace.js', 'jobs', '--data-dir', dataDir, '--json'], { env: baseEnv }))
    const [job] = JSON.parse(jobs.out) as { job_id: string; status: string }[]
    expect(job?.status).toBe('finished')
    const sampler = sampleProcesses()
    const child = spawn(process.execPath, ['bin/mes-trace.js', 'rerun', job!.job_id, '--data-dir', dataDir, '--json'], {
      env: { ...baseEnv, PGPASSWORD: role.password },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const result = await finished(child)
    const sampling = await sampler.stop()
    expectFinished(result)
    expectNoPassword(sampling, role.password, /bin\/mes-trace\.js rerun trace-evt-/)
  })

  it('mes-trace run with the password piped to --password-stdin', async () => {
    const sampler = sampleProcesses()
    const child = spawn(process.execPath, [...runArgs(join(dir, 'data-stdin')), '--password-stdin'], { env: baseEnv, stdio: ['pipe', 'pipe', 'pipe'] })
    const done = finished(child)
    child.stdin!.end(`${role.password}\n`)
    const result = await done
    const sampling = await sampler.stop()
    expectFinished(result)
    expectNoPassword(sampling, role.password, /bin\/mes-trace\.js run --source .* --password-stdin/)
  })

  it.skipIf(!existsSync('/usr/bin/script'))('mes-trace run with the password typed at a terminal, not echoed', async () => {
    const quoted = [process.execPath, ...runArgs(join(dir, 'data-tty')), '--password-stdin'].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ')
    const sampler = sampleProcesses()
    // `script` gives the command a terminal; what it prints is what a person would see.
    const child = spawn('/usr/bin/script', ['-qec', quoted, '/dev/null'], { env: baseEnv, stdio: ['pipe', 'pipe', 'pipe'] })
    let screen = ''
    let typed = false
    child.stdout!.on('data', (c: Buffer) => {
      screen += c.toString()
      // Typed once the prompt shows, as a person would: the terminal echoes nothing from then on.
      if (screen.includes('Password: ') && !typed) {
        typed = true
        child.stdin!.write(`${role.password}\r`)
      }
    })
    const result = await finished(child)
    const sampling = await sampler.stop()
    expect(screen).toContain('Password: ')
    expectFinished({ ...result, out: screen })
    expect(screen).not.toContain(role.password)
    expectNoPassword(sampling, role.password, /bin\/mes-trace\.js run --source .* --password-stdin/)
    child.stdin!.end()
  })

  it('the browser host, with a source profile whose password came over the WebSocket', async () => {
    const rendererDir = join(dir, 'renderer')
    mkdirSync(rendererDir, { recursive: true })
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>')
    const sampler = sampleProcesses()
    const server = spawn(process.execPath, ['bin/mes-trace.js', 'serve', '--data-dir', join(dir, 'data-host'), '--lots', '100', '--renderer-dir', rendererDir], {
      env: baseEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const ended = finished(server)
    let output = ''
    server.stdout!.on('data', (c: Buffer) => (output += c.toString()))
    server.stderr!.on('data', (c: Buffer) => (output += c.toString()))
    let ws: WebSocket | undefined
    try {
      const address = await new Promise<URL>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL after 90 s:\n${output}`)), 90_000)
        const look = (): void => {
          const found = /MES Trace is served at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output)
          if (found) {
            clearTimeout(timer)
            resolve(new URL(found[1]!))
          }
        }
        server.stdout!.on('data', look)
        server.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)))
      })
      ws = new WebSocket(`ws://${address.host}/api?token=${encodeURIComponent(address.searchParams.get('token')!)}`, { origin: address.origin })
      const socket = ws
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve())
        socket.once('error', reject)
      })
      let nextId = 1
      const call = <T>(channel: string, payload: unknown): Promise<T> =>
        new Promise((resolve, reject) => {
          const id = nextId++
          const onMessage = (data: WebSocket.RawData): void => {
            const message = JSON.parse(data.toString()) as { id?: number; result?: { ok: boolean; value?: T; error?: unknown } }
            if (message.id !== id) return
            socket.off('message', onMessage)
            if (message.result?.ok) resolve(message.result.value as T)
            else reject(new Error(`${channel}: ${JSON.stringify(message.result?.error)}`))
          }
          socket.on('message', onMessage)
          socket.send(JSON.stringify({ id, channel, payload }))
        })
      const profile = await call<{ id: string }>('sources:add', { name: 'PG replica', kind: 'postgres', url: sourceUrl, password: role.password })
      const { job_id: jobId } = await call<{ job_id: string }>('jobs:enqueue', {
        request: { profile: 'query_tool', params: { resolve_type: 'lot_id', values: plant.planted.samples.lot_ids } },
        source_id: profile.id,
        force: true,
      })
      let view: { status: string; error: unknown; source: string | null }
      for (;;) {
        view = await call('jobs:status', { job_id: jobId })
        if (view.status !== 'queued' && view.status !== 'running') break
        await new Promise((r) => setTimeout(r, 50))
      }
      expect(view.error).toBeNull()
      expect(view.status).toBe('finished')
    } finally {
      ws?.close()
      server.kill('SIGTERM')
      await ended
    }
    const sampling = await sampler.stop()
    expect(output).not.toContain(role.password)
    expectNoPassword(sampling, role.password, /bin\/mes-trace\.js serve --data-dir/)
  })
})
