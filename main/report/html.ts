/**
 * HTML built as text with escaping by default. Every value a report shows — lot, machine and
 * material names straight from the MES among them — is untrusted: interpolated into {@link html}
 * it is escaped, and only markup built by `html` itself (or an inline SVG that passed
 * {@link trustedSvg}) goes in as markup. A forgotten escape therefore shows `<script>` as text
 * instead of running it.
 */
import { AppError } from '../../shared/errors.js'

/** Markup that is already safe to insert as it is. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

/** What an `html` template takes: text and numbers (escaped), markup, or lists of those. */
export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[]

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/**
 * Escapes text for an HTML text node or a quoted attribute value. Control characters other than
 * tab and line breaks are dropped: they have no business in a report and some confuse parsers.
 */
export function escapeHtml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return ''
  if (value instanceof SafeHtml) return value.text
  if (Array.isArray(value)) return value.map(render).join('')
  return escapeHtml(String(value))
}

/** A template whose interpolated values are escaped unless they are {@link SafeHtml}. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!
  })
  return new SafeHtml(out)
}

/** Joins pieces of markup (and escaped text). */
export function join(values: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  const sep = render(separator)
  return new SafeHtml(values.map(render).join(sep))
}

/**
 * An SVG from the chart renderer, made fit for inlining: the namespace declarations (which the
 * HTML parser does not need, and which are the only URLs such an SVG holds) and the hover styles
 * are removed, and the result is refused (`internal/unexpected`: a bug, not the user's input) if
 * it still holds a script, an event handler, a link or any URL other than a reference to its own
 * parts, so nothing in the report can run or load.
 */
export function trustedSvg(svg: string): SafeHtml {
  const cleaned = svg
    .replace(/\s+xmlns(:\w+)?="[^"]*"/g, '')
    .replace(/\s+baseProfile="[^"]*"/g, '')
    // Hover styles of an interactive chart (a CDATA block, which not every HTML parser takes in
    // inline SVG): a printed page has no pointer.
    .replace(/<style[^>]*><!\[CDATA\[[^\]]*\]\]>\s*<\/style>/g, '')
  if (!/^<svg[\s>]/.test(cleaned)) throw new AppError('internal/unexpected', 'The chart renderer did not return an SVG element.')
  // `url(#id)` points inside the SVG itself (its clip paths); any other `url(` could load.
  const forbidden = /<script|<foreignObject|<image|<use|<a[\s>]|\son\w+\s*=|href\s*=|url\((?!#[\w-]+\))|@import|https?:|javascript:|data:/i.exec(cleaned)
  if (forbidden) throw new AppError('internal/unexpected', `A report chart holds ${JSON.stringify(forbidden[0])}, which a self-contained report must not; it was not written.`)
  return new SafeHtml(cleaned)
}
