/**
 * Reading a command line: the flag declarations every command shares, and the checks that turn a
 * flag's text into a value or an `input/invalid` error naming the flag (or the positional
 * argument) it came from. A command's own flags (`jobs --status`, `show --sort`…) are read in its
 * own file with these helpers.
 */
import { resolve } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { invalidInput } from '../../shared/errors.js'
import { SETTING_KEYS, settingFlagName } from '../../shared/settings.js'
import { assertJobId } from '../store/index.js'
import { defaultDataDir } from './data-dir.js'

/** A command's flags by name, as `parseArgs` hands them out (strings, or true for a switch). */
export type Flags = Record<string, string | boolean | undefined>

/** The flags a command takes, in `parseArgs` form. */
export type FlagOptions = NonNullable<ParseArgsConfig['options']>

/** A flag with a value (`--out FILE`). */
export const VALUE_FLAG = { type: 'string' } as const

/** A flag without one (`--json`). */
export const SWITCH_FLAG = { type: 'boolean' } as const

/** `--trace-worker-count N`, … : engine settings for this run (over the environment and the settings table). */
export const SETTING_FLAGS: FlagOptions = Object.fromEntries(SETTING_KEYS.map((key) => [settingFlagName(key), VALUE_FLAG]))

/** The flags of a command on the jobs of a data folder. */
export const JOB_FLAGS: FlagOptions = { json: SWITCH_FLAG, 'data-dir': VALUE_FLAG }

/** A command line split into flags and positional arguments. */
export interface ParsedArgs {
  flags: Flags
  positionals: string[]
}

/**
 * Splits `args` by `options`; an unknown flag, a missing value or a stray positional argument
 * throws the parser's own error (a `TypeError` whose message names it).
 */
export function parseFlags(args: readonly string[], options: FlagOptions, allowPositionals: boolean): ParsedArgs {
  const parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals })
  return { flags: parsed.values as Flags, positionals: parsed.positionals }
}

/** Parses a whole-number flag within bounds; the error names the flag. */
export function intFlag(flags: Flags, name: string, min: number, max: number): number | undefined {
  const raw = flags[name]
  if (raw === undefined) return undefined
  const text = String(raw).trim()
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw invalidInput(`--${name}`, `must be a whole number from ${min} to ${max}, got "${text}"`)
  }
  return Number(text)
}

/** `--data-dir`, or the app's data folder; an empty value is `input/invalid` naming the flag. */
export function dataDirOf(flags: Readonly<Record<string, unknown>>): string {
  const given = flags['data-dir']
  if (given !== undefined && String(given).trim() === '') throw invalidInput('--data-dir', 'must not be empty')
  return resolve(given === undefined ? defaultDataDir() : String(given))
}

/** The one positional argument of a command; missing or extra ones are `input/invalid` naming it. */
export function onePositional(positionals: readonly string[], name: string, example: string): string {
  if (positionals.length === 0) throw invalidInput(name, `is required, e.g. ${example}`)
  if (positionals.length > 1) throw invalidInput(name, `give one ${name} (also got ${JSON.stringify(positionals[1]!.slice(0, 60))})`)
  return positionals[0]!
}

/** The JOB_ID argument, checked for its form before anything is opened. */
export function jobIdArg(positionals: readonly string[]): string {
  const jobId = onePositional(positionals, 'JOB_ID', 'trace-evt-0123456789ab (see `mes-trace jobs`)')
  assertJobId(jobId, 'JOB_ID')
  return jobId
}
