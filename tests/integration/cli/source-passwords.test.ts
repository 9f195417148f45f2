/**
 * Server passwords on the command line: refused inside a URL (`--source`, `load --to`, as
 * `user:password@` or `?password=`), with a message that says why and what to do instead; read
 * from standard input with `--password-stdin` (a pipe's first line, or a prompt without echo at
 * a terminal); taken from the command's own environment for `run` and `rerun`.
 */
import { spawn } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../../main/cli/main.js'
import { MAX_STDIN_PASSWORD_CHARS, readPasswordLine, rerunPasswordOf, withCliPassword, type PasswordInput } from '../../../main/cli/password-stdin.js'
import { captureIo } from '../../fixtures/cli-io.js'

const dir = mkdtempSync(join(tmpdir(), 'mes-trace-cli-passwords-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A password no message may repeat. */
const SECRET = 'pw-4f0c9e2b7a'

/** What `promise` rejected with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<{ code?: string; message?: string; details?: Record<string, unknown> }> {
  try {
    await promise
  } catch (error) {
    return error as { code?: string; message?: string; details?: Record<string, unknown> }
  }
  throw new Error('expected a rejection')
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(argv, io)
  return { code, out: io.out, err: io.err }
}

const RUN = ['run', '--profile', 'query_tool', '--lot-ids', 'GA26090090-A02', '--data-dir', join(dir, 'data')]

describe('a password inside a server URL on the command line', () => {
  it.each([
    ['user:password@', `postgres://reader:${SECRET}@127.0.0.1:5432/mes?schema=mes`],
    ['?password=', `postgres://reader@127.0.0.1:5432/mes?schema=mes&password=${SECRET}`],
    ['postgresql:// with user:password@', `postgresql://reader:${SECRET}@db.plant/mes`],
  ])('is refused in run --source (%s) with exit code 2, why, and what to do instead', async (_, url) => {
    const r = await cli(...RUN, '--source', url)
    expect(r.code).toBe(2)
    expect(r.out).toBe('')
    expect(r.err).toMatch(/^error \[input\/invalid\] --source: must not contain a password: /)
    expect(r.err).toContain('visible to every local user in the process list')
    expect(r.err).toContain('PGPASSWORD')
    expect(r.err).toContain('~/.pgpass')
    expect(r.err).toContain('%APPDATA%\\postgresql\\pgpass.conf on Windows')
    expect(r.err).toContain('--password-stdin')
    expect(r.err).not.toContain(SECRET)
    expect(existsSync(join(dir, 'data'))).toBe(false)
  })

  it('is refused in run --source for Oracle, pointing to MES_TRACE_ORACLE_PASSWORD', async () => {
    const r = await cli(...RUN, '--source', `oracle://dwh_reader:${SECRET}@db.plant:1521/MESDW?schema=DWH`, '--json')
    expect(r.code).toBe(2)
    const json = JSON.parse(r.out) as { status: string; error: { code: string; message: string; details: { field: string } } }
    expect(json.status).toBe('failed')
    expect(json.error.code).toBe('input/invalid')
    expect(json.error.details.field).toBe('--source')
    expect(json.error.message).toContain('MES_TRACE_ORACLE_PASSWORD')
    expect(json.error.message).not.toContain('PGPASSWORD')
    expect(r.out).not.toContain(SECRET)
  })

  it('is refused in load --to, naming --to', async () => {
    const from = join(dir, 'plant.sqlite')
    writeFileSync(from, '')
    for (const to of [`postgres://loader:${SECRET}@127.0.0.1:5432/mes`, `postgres://loader@127.0.0.1:5432/mes?password=${SECRET}`]) {
      const r = await cli('load', '--from', from, '--to', to, '--schema', 'mes')
      expect(r.code).toBe(2)
      expect(r.err).toMatch(/^mes-trace load: \[input\/invalid\] --to: must not contain a password: /)
      expect(r.err).toContain('PGPASSWORD')
      expect(r.err).not.toContain(SECRET)
    }
  })

  it('is refused in run --password-stdin with a SQLite source, before anything is read', async () => {
    const r = await cli(...RUN, '--source', 'sqlite:plant.sqlite', '--password-stdin')
    expect(r.code).toBe(2)
    expect(r.err).toContain('[input/invalid] --password-stdin: only a postgres:// or oracle:// source takes a password')
  })

  it('is explained in the help text', async () => {
    const r = await cli('help')
    expect(r.code).toBe(0)
    expect(r.out).toContain('--password-stdin  read the server\'s password from standard input')
    expect(r.out).toContain('(%APPDATA%\\postgresql\\pgpass.conf on Windows)')
    expect(r.out).not.toMatch(/postgres:\/\/[^@\s]*:[^@\s]*@/)
  })
})

describe('readPasswordLine', () => {
  it('takes the first line of a pipe, without its line ending', async () => {
    const input = new PassThrough()
    const read = readPasswordLine({ input })
    input.write(`${SECRET.slice(0, 5)}`)
    input.write(`${SECRET.slice(5)}\r\nsecond line\n`)
    expect(await read).toBe(SECRET)
    expect(input.isPaused()).toBe(true)
  })

  it('takes a last line without a line ending', async () => {
    const input = new PassThrough()
    const read = readPasswordLine({ input })
    input.end('pässwörd with spaces ')
    expect(await read).toBe('pässwörd with spaces ')
  })

  it('refuses an empty line, empty input and an endless line, naming the flag', async () => {
    for (const text of ['\nlater', '']) {
      const input = new PassThrough()
      const read = readPasswordLine({ input, flag: '--password-stdin' })
      input.end(text)
      expect(await rejection(read)).toMatchObject({ code: 'input/invalid', details: { field: '--password-stdin' } })
    }
    const input = new PassThrough()
    const read = readPasswordLine({ input })
    input.write('x'.repeat(MAX_STDIN_PASSWORD_CHARS + 1))
    expect(await rejection(read)).toMatchObject({ code: 'input/invalid', message: expect.stringContaining(`longer than ${MAX_STDIN_PASSWORD_CHARS}`) })
  })

  /** A terminal in raw mode, as far as the reader can tell. */
  function fakeTerminal() {
    const rawModes: boolean[] = []
    const emitter = new EventEmitter()
    return Object.assign(emitter, {
      rawModes,
      isTTY: true,
      setRawMode: (mode: boolean) => rawModes.push(mode),
      setEncoding: () => undefined,
      resume: () => undefined,
      pause: () => undefined,
      type: (keys: string) => emitter.emit('data', keys),
    }) satisfies PasswordInput
  }

  it('at a terminal, prompts, reads with echo off and edits the line', async () => {
    const terminal = fakeTerminal()
    const prompts: string[] = []
    const read = readPasswordLine({ input: terminal, prompt: (text) => prompts.push(text) })
    expect(terminal.rawModes).toEqual([true])
    expect(prompts).toEqual(['Password: '])
    terminal.type('wrong\u0015ab')
    terminal.type('x\u007fc\r')
    expect(await read).toBe('abc')
    expect(terminal.rawModes).toEqual([true, false])
    expect(prompts).toEqual(['Password: ', '\n'])
    expect(terminal.listenerCount('data')).toBe(0)
  })

  it('at a terminal, Ctrl-C cancels and an empty Enter is refused', async () => {
    const cancelled = fakeTerminal()
    const first = readPasswordLine({ input: cancelled, prompt: () => {} })
    cancelled.type('abc\u0003')
    expect(await rejection(first)).toMatchObject({ code: 'trace/cancelled' })
    expect(cancelled.rawModes).toEqual([true, false])
    const empty = fakeTerminal()
    const second = readPasswordLine({ input: empty, prompt: () => {} })
    empty.type('\r')
    expect(await rejection(second)).toMatchObject({ code: 'input/invalid', message: '--password-stdin: no password was typed' })
  })
})

describe('the password a command hands to its job', () => {
  const pg = { kind: 'postgres', url: 'postgres://reader@127.0.0.1:5432/mes', schema: 'mes' } as const

  it('is --password-stdin’s, then the command’s own PGPASSWORD or MES_TRACE_ORACLE_PASSWORD, kept in the spec in memory', async () => {
    expect(await withCliPassword(pg, { passwordStdin: true, env: { PGPASSWORD: 'from-env' }, read: async () => 'from-stdin' })).toEqual({ ...pg, url: 'postgres://reader:from-stdin@127.0.0.1:5432/mes' })
    expect(await withCliPassword(pg, { passwordStdin: false, env: { PGPASSWORD: 'p@ss:w/rd' } })).toEqual({ ...pg, url: 'postgres://reader:p%40ss%3Aw%2Frd@127.0.0.1:5432/mes' })
    expect(await withCliPassword(pg, { passwordStdin: false, env: { MES_TRACE_ORACLE_PASSWORD: 'x' } })).toEqual(pg)
    const oracle = { kind: 'oracle', url: 'oracle://dwh@db:1521/MESDW' } as const
    expect(await withCliPassword(oracle, { passwordStdin: false, env: { PGPASSWORD: 'x', MES_TRACE_ORACLE_PASSWORD: 'ora' } })).toEqual({ ...oracle, url: 'oracle://dwh:ora@db:1521/MESDW' })
  })

  it('for rerun, is the command’s own variable of the job’s source kind', () => {
    const env = { PGPASSWORD: 'pg-pw', MES_TRACE_ORACLE_PASSWORD: 'ora-pw' }
    expect(rerunPasswordOf('postgres://reader@127.0.0.1:5432/mes?schema=mes', env)).toEqual({ secretEnv: { PGPASSWORD: 'pg-pw' } })
    expect(rerunPasswordOf('oracle://dwh@db:1521/MESDW?schema=DWH', env)).toEqual({ secretEnv: { MES_TRACE_ORACLE_PASSWORD: 'ora-pw' } })
    expect(rerunPasswordOf('sqlite:/data/plant.sqlite', env)).toEqual({})
    expect(rerunPasswordOf('postgres://reader@127.0.0.1:5432/mes', {})).toEqual({})
  })
})

/** Runs the built CLI with `stdin` written to it; resolves with its exit code and output. */
function runBin(args: string[], stdin: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/mes-trace.js', ...args], { stdio: ['pipe', 'pipe', 'pipe'], env })
    let out = ''
    let err = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (err += c.toString()))
    child.on('close', (code) => resolve({ code, out, err }))
    child.stdin.end(stdin)
  })
}

describe.skipIf(!existsSync('dist/main/cli/index.js'))('mes-trace run --password-stdin (built CLI)', () => {
  const args = [...RUN, '--source', 'postgres://reader@127.0.0.1:1/mes?schema=mes', '--password-stdin', '--json']

  it('refuses empty standard input with exit code 2', async () => {
    const r = await runBin(args, '')
    expect(r.code).toBe(2)
    expect(JSON.parse(r.out)).toMatchObject({ status: 'failed', error: { code: 'input/invalid', details: { field: '--password-stdin' } } })
  })

  it('reads the first line and goes on to the server (unreachable here), never printing it', async () => {
    const r = await runBin(args, `${SECRET}\nmore\n`)
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out)).toMatchObject({ status: 'failed', error: { code: 'source/unreachable' } })
    expect(r.out + r.err).not.toContain(SECRET)
  })
})
