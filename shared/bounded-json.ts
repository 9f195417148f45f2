/**
 * JSON from files that come from elsewhere (result files are mailed around) is parsed only within
 * limits: a longest text and a deepest nesting. `JSON.parse` itself copes with deep input, but what
 * is done with the value afterwards — `JSON.stringify` for an answer, structured clone, recursion
 * in a view — overflows the stack on a 150 000-deep array, so such a value is refused at the door.
 */

/** Limits of {@link parseBoundedJson}. */
export interface JsonLimits {
  /** Longest text, in UTF-16 code units (≈ characters). */
  maxChars: number
  /** Deepest nesting of arrays and objects (a scalar is depth 0, `[1]` depth 1). */
  maxDepth: number
}

/**
 * Nesting deeper than any value the app writes (its deepest, an MSD aggregation, is 4) by a wide
 * margin, and far below what recursion over the value can survive.
 * @default 32
 */
export const MAX_JSON_DEPTH = 32

/** Why a text was refused: too long, too deep, or not JSON. */
export class JsonLimitError extends Error {
  override readonly name = 'JsonLimitError' as const
  constructor(
    message: string,
    readonly reason: 'too-long' | 'too-deep' | 'not-json',
  ) {
    super(message)
  }
}

/**
 * The deepest nesting of `text`, counted without parsing (brackets inside strings do not count),
 * stopping as soon as it passes `limit`. Linear in the length of the text.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return false
}

/** Parses `text` as JSON within `limits`; throws {@link JsonLimitError} saying which limit it broke. */
export function parseBoundedJson(text: string, limits: JsonLimits): unknown {
  if (text.length > limits.maxChars) {
    throw new JsonLimitError(`is ${text.length} characters long; at most ${limits.maxChars} are accepted`, 'too-long')
  }
  if (jsonDepthExceeds(text, limits.maxDepth)) {
    throw new JsonLimitError(`is nested more than ${limits.maxDepth} levels deep`, 'too-deep')
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new JsonLimitError('is not valid JSON', 'not-json')
  }
}
