/**
 * Input tokens as engineers type or paste them: lot IDs, work orders, serials… one per line or
 * separated by commas/semicolons, with `*` (or `%`) as a wildcard (domain.md §2.1).
 */

/** Splits pasted text on newlines, commas and semicolons; trims; drops empty tokens. */
export function splitTokens(text: string): string[] {
  return text
    .split(/[\r\n,;]+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
}

/** Keeps string tokens, trimmed, non-empty, first occurrence only (order kept). */
export function normalizeTokens(values: readonly unknown[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const value of values) {
    if (typeof value !== 'string') continue
    const token = value.trim()
    if (!token || seen.has(token)) continue
    seen.add(token)
    out.push(token)
  }
  return out
}

/** The LIKE form of a token: `*` becomes `%`. */
export function toLikePattern(token: string): string {
  return token.replace(/\*/g, '%')
}

/** True when the token (after `*` → `%`) has an unescaped `%` or `_`, i.e. is a LIKE pattern. */
export function isPattern(token: string): boolean {
  const like = toLikePattern(token)
  for (let i = 0; i < like.length; i++) {
    const c = like[i]
    if (c === '\\') {
      i++
      continue
    }
    if (c === '%' || c === '_') return true
  }
  return false
}

/** Number of literal (non-wildcard) characters in a pattern. */
export function literalLength(token: string): number {
  const like = toLikePattern(token)
  let n = 0
  for (let i = 0; i < like.length; i++) {
    const c = like[i]
    if (c === '\\') {
      i++
      n++
    } else if (c !== '%' && c !== '_') {
      n++
    }
  }
  return n
}

/** The literal value of a token that is not a pattern: `\_` → `_`, `\%` → `%`, `\\` → `\`. */
export function unescapeLiteral(token: string): string {
  return token.replace(/\\([\s\S])/g, '$1')
}

/** The literal text before the first wildcard (used to validate prefixes like `GD`). */
export function literalPrefix(token: string): string {
  const like = toLikePattern(token)
  let out = ''
  for (let i = 0; i < like.length; i++) {
    const c = like[i]!
    if (c === '\\' && i + 1 < like.length) {
      out += like[++i]
    } else if (c === '%' || c === '_') {
      break
    } else {
      out += c
    }
  }
  return out
}

/**
 * A RegExp equivalent to `value LIKE pattern ESCAPE '\'`, anchored, used to match candidate rows
 * to tokens exactly in code after the database returned them.
 */
export function likeToRegExp(pattern: string, caseInsensitive = false): RegExp {
  const like = toLikePattern(pattern)
  let source = ''
  for (let i = 0; i < like.length; i++) {
    const c = like[i]!
    if (c === '\\' && i + 1 < like.length) {
      source += escapeRegExp(like[++i]!)
    } else if (c === '%') {
      source += '[\\s\\S]*'
    } else if (c === '_') {
      source += '[\\s\\S]'
    } else {
      source += escapeRegExp(c)
    }
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'iu' : 'u')
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
