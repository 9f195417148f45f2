/**
 * Result files handed to the app by the OS (double-click on an exported `.mtr` result): on Windows
 * and Linux as command-line arguments (also of a second instance), on macOS through `open-file`.
 */
import { existsSync, statSync } from 'node:fs'
import { extname, isAbsolute, resolve } from 'node:path'

/** Extension of exported result files the installers associate with the app. */
export const RESULT_FILE_EXTENSION = '.mtr'

/** The existing `.mtr` files among `argv` (flags and other arguments are ignored). */
export function resultFilesIn(argv: readonly string[], cwd: string = process.cwd()): string[] {
  const out: string[] = []
  for (const arg of argv) {
    if (arg.startsWith('-') || extname(arg).toLowerCase() !== RESULT_FILE_EXTENSION) continue
    const path = isAbsolute(arg) ? arg : resolve(cwd, arg)
    if (existsSync(path) && statSync(path).isFile() && !out.includes(path)) out.push(path)
  }
  return out
}
