/**
 * The engine's request validation speaks English (it is shared with the command line); the form
 * shows its messages in the user's language. Each known message maps to a message key with its
 * values; anything else is shown as the engine said it.
 */
type Translate = (key: string, values?: Record<string, unknown>) => string

const RULES: [RegExp, string, string[]][] = [
  [/^enter at least one value$/, 'required', []],
  [/^(\d+) values given; at most (\d+) \w+ values per trace$/, 'tooMany', ['n', 'max']],
  [/^(\d+) wildcard patterns given; at most (\d+) per trace$/, 'tooManyPatterns', ['n', 'max']],
  [/^pattern "(.*)" is too broad; give at least (\d+) characters besides wildcards$/, 'tooBroad', ['pattern', 'min']],
  [/^"(.*)" is a GD rework order; trace it with the reverse profile \(gd_work_order\)$/, 'gdOrder', ['value']],
  [/^"(.*)" is not a GA\/GC work order$/, 'notGaGc', ['value']],
  [/^"(.*)" does not start with GD$/, 'notGd', ['value']],
  [/^must be a date in the form YYYY-MM-DD$/, 'badDate', []],
  [/^start (\S+) is after end (\S+)$/, 'startAfterEnd', ['start', 'end']],
  [/^the range is (\d+) days; at most (\d+) days$/, 'rangeTooLong', ['days', 'max']],
  [/^is (\d+) characters long; the limit is (\d+)$/, 'tooLong', ['length', 'max']],
  [/^is too long$/, 'reasonTooLong', []],
]

/** The message in the user's language when it is a known one. */
export function localizeValidation(message: string, t: Translate): string {
  for (const [pattern, key, names] of RULES) {
    const match = pattern.exec(message)
    if (!match) continue
    return t(`app.validation.${key}`, Object.fromEntries(names.map((name, i) => [name, match[i + 1]])))
  }
  return message
}

/** The message keys the rules use (for the completeness test). */
export const VALIDATION_KEYS: readonly string[] = RULES.map(([, key]) => `app.validation.${key}`)
