/**
 * Where a command's output goes: standard output for what it answers (the table, the summary, the
 * one JSON object), standard error for progress, warnings and errors. Tests pass a stand-in.
 */

/** The two streams a command writes to. */
export interface CliIo {
  stdout: (s: string) => void
  stderr: (s: string) => void
}

/** The process's own streams. */
export const processIo: CliIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
}

/** Prints `value` as one line of JSON on stdout (what `--json` promises: one object or array). */
export function printJson(io: Pick<CliIo, 'stdout'>, value: unknown): void {
  io.stdout(`${JSON.stringify(value)}\n`)
}

/** Prints `text` and a line ending on stdout. */
export function printLine(io: Pick<CliIo, 'stdout'>, text: string): void {
  io.stdout(`${text}\n`)
}

/** Prints `warning: text` on stderr, where it never mixes into a `--json` answer. */
export function printWarning(io: Pick<CliIo, 'stderr'>, text: string): void {
  io.stderr(`warning: ${text}\n`)
}
