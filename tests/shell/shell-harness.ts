/**
 * Starts the real compiled Electron shell (dist/main/electron/index.js) in a child Node process
 * with `electron` replaced by fake-electron/electron.mjs, and drives it over the child's Node IPC
 * channel: requests to the fake (fire app events, invoke IPC channels as a window, fetch `app://`
 * URLs, answer dialogs, quit) and the records of everything the shell did through Electron.
 * Nothing here sleeps: every wait is a check run on each new record or output, with a deadline.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/**
 * The folder whose `dist/` is booted: the checkout, or (MES_TRACE_SHELL_ROOT) a copy of its
 * `dist/` with package.json and a node_modules link beside it — how a deliberately broken build
 * is tried without touching the checkout's own.
 */
export const SHELL_ROOT = process.env.MES_TRACE_SHELL_ROOT || ROOT
/** The compiled composition root the app's package.json names as `main`. */
export const SHELL_ENTRY = join(SHELL_ROOT, 'dist', 'main', 'electron', 'index.js')
/** The built renderer the shell serves on `app://mes-trace/`. */
export const RENDERER_DIR = join(SHELL_ROOT, 'dist', 'renderer')
const REGISTER = join(ROOT, 'tests', 'shell', 'fake-electron', 'register.mjs')

/** Lines the shell writes when something escaped its handlers, or when it could not start. */
export const SHELL_FAILURE_MARKERS = ['[main] unhandled rejection', '[main] uncaught exception', 'MES Trace could not start'] as const

/** One thing the shell did through Electron, as the fake reported it. */
export interface ShellRecord {
  type: string
  data: Record<string, unknown>
  at: number
}

export interface ShellStartOptions {
  /** MES_TRACE_DATA_DIR of the shell. */
  dataDir: string
  /** Root of the fake's `appData` and `home` folders. */
  profileDir: string
  /** Extra environment (FAKE_ELECTRON_* switches and engine settings). */
  env?: Record<string, string>
  /** Arguments after the entry, as a file manager would pass them. */
  args?: string[]
  locale?: string
}

interface Waiter {
  check: () => boolean
}

type Response = { kind: 'response'; id: number; ok: true; value: unknown } | { kind: 'response'; id: number; ok: false; error: string }

/** Fails with a message that says how to make the missing build output. */
export function assertBuilt(): void {
  if (!existsSync(SHELL_ENTRY)) throw new Error(`${SHELL_ENTRY} is missing: build the main process first (npx tsc -p tsconfig.main.json)`)
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error(`${RENDERER_DIR}/index.html is missing: build the renderer first (npx vite build)`)
}

export class ShellProcess {
  readonly child: ChildProcess
  readonly records: ShellRecord[] = []
  stdout = ''
  stderr = ''
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined
  #nextId = 1
  #pending = new Map<number, (response: Response) => void>()
  #waiters = new Set<Waiter>()

  private constructor(options: ShellStartOptions) {
    const env: Record<string, string> = {}
    for (const [name, value] of Object.entries(process.env)) {
      // The shell gets a plain environment: no loader options of the test runner.
      if (value !== undefined && name !== 'NODE_OPTIONS' && !name.startsWith('VITEST')) env[name] = value
    }
    Object.assign(env, {
      FAKE_ELECTRON_CONTROL: 'ipc',
      FAKE_ELECTRON_APP_DATA: join(options.profileDir, 'appData'),
      FAKE_ELECTRON_HOME: join(options.profileDir, 'home'),
      FAKE_ELECTRON_LOCALE: options.locale ?? 'en-US',
      MES_TRACE_DATA_DIR: options.dataDir,
      ...options.env,
    })
    this.child = fork(SHELL_ENTRY, options.args ?? [], {
      cwd: SHELL_ROOT,
      execArgv: ['--import', REGISTER],
      env,
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    })
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString('utf8')
      this.#recheck()
    })
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8')
      this.#recheck()
    })
    this.child.on('message', (message: unknown) => this.#receive(message))
    this.child.on('exit', (code, signal) => {
      this.exit = { code, signal }
      for (const resolve of this.#pending.values()) resolve({ kind: 'response', id: -1, ok: false, error: `the shell exited (code ${code}, signal ${signal})` })
      this.#pending.clear()
      this.#recheck()
    })
  }

  /** Starts the shell; resolves once its main window has loaded its page. */
  static async start(options: ShellStartOptions, timeoutMs = 20_000): Promise<ShellProcess> {
    const shell = new ShellProcess(options)
    try {
      await shell.waitForRecord('load', () => true, timeoutMs)
    } catch (error) {
      await shell.kill()
      throw error
    }
    return shell
  }

  /** Starts the shell and returns at once (for runs that are expected to end by themselves). */
  static launch(options: ShellStartOptions): ShellProcess {
    return new ShellProcess(options)
  }

  #receive(message: unknown): void {
    const m = message as { kind?: string }
    if (m.kind === 'record') {
      const record = message as ShellRecord & { kind: string }
      this.records.push({ type: record.type, data: record.data, at: record.at })
    } else if (m.kind === 'response') {
      const response = message as Response
      this.#pending.get(response.id)?.(response)
      this.#pending.delete(response.id)
    }
    this.#recheck()
  }

  #recheck(): void {
    for (const waiter of [...this.#waiters]) waiter.check()
  }

  /** Asks the fake to do `op`; rejects with the fake's error. */
  request<T = unknown>(op: string, args: Record<string, unknown> = {}, timeoutMs = 15_000): Promise<T> {
    if (this.exit || !this.child.connected) return Promise.reject(new Error(`cannot ${op}: the shell is not running (stderr: ${this.stderr.slice(-2000)})`))
    const id = this.#nextId++
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id)
        reject(new Error(`${op}: no answer from the shell in ${timeoutMs} ms`))
      }, timeoutMs)
      this.#pending.set(id, (response) => {
        clearTimeout(timer)
        if (response.ok) resolve(response.value as T)
        else reject(new Error(`${op}: ${response.error}`))
      })
      this.child.send({ kind: 'request', id, op, args })
    })
  }

  /**
   * Resolves with `probe()`'s first value other than undefined, checked now, on every record or
   * output line, and every `pollMs` (for state outside the shell, such as a process's life).
   */
  waitFor<T>(description: string, probe: () => T | undefined, timeoutMs = 10_000, pollMs = 50): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false
      const finish = (error: Error | null, value?: T): void => {
        if (done) return
        done = true
        clearTimeout(deadline)
        clearInterval(poll)
        this.#waiters.delete(waiter)
        if (error) reject(error)
        else resolve(value as T)
      }
      const waiter: Waiter = {
        check: () => {
          let value: T | undefined
          try {
            value = probe()
          } catch (error) {
            finish(error as Error)
            return true
          }
          if (value !== undefined) finish(null, value)
          return value !== undefined
        },
      }
      const deadline = setTimeout(
        () => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${description}; shell stderr:\n${this.stderr.slice(-3000)}`)),
        timeoutMs,
      )
      const poll = setInterval(() => waiter.check(), pollMs)
      this.#waiters.add(waiter)
      waiter.check()
    })
  }

  /** The first record of `type` (after `since`, an index into {@link records}) that `match` accepts. */
  waitForRecord(type: string, match: (data: Record<string, unknown>) => boolean = () => true, timeoutMs = 10_000, since = 0): Promise<ShellRecord> {
    return this.waitFor(`a '${type}' record`, () => {
      if (this.exit && !this.records.slice(since).some((r) => r.type === type && match(r.data))) {
        throw new Error(`the shell exited (code ${this.exit.code}) before a '${type}' record; stderr:\n${this.stderr.slice(-3000)}`)
      }
      return this.records.slice(since).find((r) => r.type === type && match(r.data))
    }, timeoutMs)
  }

  recordsOf(type: string): ShellRecord[] {
    return this.records.filter((r) => r.type === type)
  }

  /** The shell's failure lines in its stderr so far. */
  failureLines(): string[] {
    return this.stderr.split('\n').filter((line) => SHELL_FAILURE_MARKERS.some((marker) => line.includes(marker)))
  }

  /** Resolves with the exit once the shell's process has ended. */
  whenExited(timeoutMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.waitFor('the shell to exit', () => this.exit, timeoutMs)
  }

  /** Ends the shell (SIGKILL) and every utility process it started. */
  async kill(): Promise<void> {
    const pids = this.recordsOf('utility-spawn').map((r) => r.data.pid as number)
    if (!this.exit) {
      this.child.kill('SIGKILL')
      await this.whenExited(5000).catch(() => undefined)
    }
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // gone already
      }
    }
  }
}

/** True while a process with this pid exists (a zombie not yet reaped counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    return !/\)\s+Z\s/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return true
  }
}
