/**
 * `--password-stdin`: a server's password read from standard input, so it is never an argument
 * (a command line is visible to every local user in the process list). From a pipe it is the
 * first line; at a terminal the user types it after a prompt, without echo.
 */
import { AppError, invalidInput } from '../../shared/errors.js'
import type { SourceSpec } from '../sources/index.js'
import { parseSourceSpec, passwordEnvNameOf, withPassword } from '../sources/index.js'

/** Longest password taken from standard input. */
export const MAX_STDIN_PASSWORD_CHARS = 4096

/** What the reader needs of standard input (`process.stdin`, or a stand-in in tests). */
export interface PasswordInput {
  isTTY?: boolean
  setRawMode?: (mode: boolean) => unknown
  setEncoding(encoding: BufferEncoding): unknown
  on(event: 'data', listener: (chunk: string) => void): unknown
  on(event: 'end' | 'close', listener: () => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
  off(event: 'data', listener: (chunk: string) => void): unknown
  off(event: 'end' | 'close', listener: () => void): unknown
  off(event: 'error', listener: (error: Error) => void): unknown
  resume(): unknown
  pause(): unknown
}

/** Options of {@link readPasswordLine}. */
export interface ReadPasswordOptions {
  /** The flag named in errors. @default '--password-stdin' */
  flag?: string
  /** @default process.stdin */
  input?: PasswordInput
  /** Where the prompt goes when the input is a terminal. @default standard error */
  prompt?: (text: string) => void
}

/**
 * Reads a password: the first line of standard input (without its line ending), or, at a
 * terminal, what the user types after a `Password:` prompt with echo off. An empty password is
 * `input/invalid` naming the flag; Ctrl-C at the prompt is `trace/cancelled`.
 */
export function readPasswordLine(options: ReadPasswordOptions = {}): Promise<string> {
  const flag = options.flag ?? '--password-stdin'
  const input = options.input ?? (process.stdin as PasswordInput)
  const isTerminal = input.isTTY === true && typeof input.setRawMode === 'function'
  const prompt = options.prompt ?? ((text: string) => void process.stderr.write(text))
  return new Promise<string>((resolve, reject) => {
    let text = ''
    let done = false
    const finish = (error: Error | null): void => {
      if (done) return
      done = true
      input.off('data', onData)
      input.off('end', onEnd)
      input.off('close', onEnd)
      input.off('error', onError)
      if (isTerminal) {
        input.setRawMode!(false)
        prompt('\n')
      }
      // Nothing more is read: a pipe left open by the caller must not keep the command alive.
      input.pause()
      if (error) return reject(error)
      if (text === '') return reject(invalidInput(flag, isTerminal ? 'no password was typed' : 'standard input gave no password; pipe the password to it as one line'))
      resolve(text)
    }
    const tooLong = (): AppError => invalidInput(flag, `the password is longer than ${MAX_STDIN_PASSWORD_CHARS} characters`)
    const onData = (chunk: string): void => {
      if (!isTerminal) {
        const end = chunk.indexOf('\n')
        text += end === -1 ? chunk : chunk.slice(0, end)
        if (text.length > MAX_STDIN_PASSWORD_CHARS) return finish(tooLong())
        if (end !== -1) {
          if (text.endsWith('\r')) text = text.slice(0, -1)
          finish(null)
        }
        return
      }
      // Raw mode: every key arrives as typed; line editing is ours.
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(null)
        if (char === '\u0003') return finish(new AppError('trace/cancelled', 'Cancelled at the password prompt.'))
        if (char === '\u0004') {
          if (text === '') return finish(null)
        } else if (char === '\u007f' || char === '\b') {
          text = [...text].slice(0, -1).join('')
        } else if (char === '\u0015') {
          text = ''
        } else if (char >= ' ') {
          text += char
          if (text.length > MAX_STDIN_PASSWORD_CHARS) return finish(tooLong())
        }
      }
    }
    const onEnd = (): void => finish(null)
    const onError = (error: Error): void => finish(invalidInput(flag, `cannot read standard input: ${error.message}`))
    input.setEncoding('utf8')
    input.on('data', onData)
    input.on('end', onEnd)
    input.on('close', onEnd)
    input.on('error', onError)
    if (isTerminal) {
      input.setRawMode!(true)
      prompt('Password: ')
    }
    input.resume()
  })
}

/**
 * The password a command hands to a server source: `--password-stdin`'s, else the password
 * variable of the command's own environment (`PGPASSWORD`, `MES_TRACE_ORACLE_PASSWORD`), put into
 * the spec in memory so the engine gives it to the job's worker. Without either the spec stays
 * as it is and PostgreSQL's password file is asked. `--password-stdin` with a SQLite source is
 * `input/invalid`.
 */
export async function withCliPassword(
  spec: SourceSpec,
  options: { passwordStdin: boolean; env?: NodeJS.ProcessEnv; read?: () => Promise<string> },
): Promise<SourceSpec> {
  if (spec.kind === 'sqlite') {
    if (options.passwordStdin) throw invalidInput('--password-stdin', 'only a postgres:// or oracle:// source takes a password')
    return spec
  }
  if (options.passwordStdin) return withPassword(spec, await (options.read ?? readPasswordLine)())
  const fromEnv = (options.env ?? process.env)[passwordEnvNameOf(spec.kind)!]
  return fromEnv ? withPassword(spec, fromEnv) : spec
}

/**
 * For `rerun`: the password variable of the command's own environment, for a job whose source
 * (`source_id`, stored without its password) is a server of that kind. A worker no longer sees
 * its parent's whole environment, so the variable is handed over as the job's own.
 */
export function rerunPasswordOf(sourceId: string, env: NodeJS.ProcessEnv = process.env): { secretEnv?: Record<string, string> } {
  let kind: SourceSpec['kind']
  try {
    kind = parseSourceSpec(sourceId, 'source_id').kind
  } catch {
    return {}
  }
  const name = passwordEnvNameOf(kind)
  const value = name ? env[name] : undefined
  return name && value ? { secretEnv: { [name]: value } } : {}
}
