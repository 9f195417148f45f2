/** The report's HTML building: escaping by default, and the checks an inline chart must pass. */
import { describe, expect, it } from 'vitest'
import { escapeHtml, html, SafeHtml, trustedSvg } from '../../../main/report/index.js'

describe('html', () => {
  it('escapes every interpolated text, in text and in attributes', () => {
    const name = `<script>alert("x")</script> & 'quoted'`
    expect(html`<td title="${name}">${name}</td>`.text).toBe(
      '<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;</td>',
    )
  })

  it('inserts markup it built itself as markup, lists joined, and nothing for null, undefined and false', () => {
    const cells = ['a<b', 'c'].map((c) => html`<td>${c}</td>`)
    expect(html`<tr>${cells}${null}${undefined}${false}${0}</tr>`.text).toBe('<tr><td>a&lt;b</td><td>c</td>0</tr>')
  })

  it('drops control characters a report has no use for, keeping tabs and line breaks', () => {
    expect(escapeHtml('a\u0000b\u001bc\td\ne\u007f')).toBe('abc\td\ne')
  })
})

describe('trustedSvg', () => {
  const svg = (body: string): string =>
    `<svg width="10" height="10" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" baseProfile="full" viewBox="0 0 10 10">${body}</svg>`

  it('removes the namespace declarations, the only URLs a chart holds', () => {
    const out = trustedSvg(svg('<g clip-path="url(#zr0-c0)"><text>&lt;b&gt;</text></g>'))
    expect(out).toBeInstanceOf(SafeHtml)
    expect(out.text).toBe('<svg width="10" height="10" version="1.1" viewBox="0 0 10 10"><g clip-path="url(#zr0-c0)"><text>&lt;b&gt;</text></g></svg>')
  })

  it('drops the hover styles of an interactive chart', () => {
    const out = trustedSvg(svg('<style ><![CDATA[\n.zr0-cls-0:hover {\ncursor:pointer;\n}\n]]>\n\n</style><rect class="zr0-cls-0"/>'))
    expect(out.text).toBe('<svg width="10" height="10" version="1.1" viewBox="0 0 10 10"><rect class="zr0-cls-0"/></svg>')
  })

  it.each([
    ['a script', '<script>alert(1)</script>'],
    ['an event handler', '<rect onload="alert(1)"/>'],
    ['a link', '<a href="#x"><text>x</text></a>'],
    ['an image', '<image href="x.png"/>'],
    ['a reference to a file', '<use xlink:href="other.svg#a"/>'],
    ['a URL in a style', '<rect style="fill:url(http://example.org/x)"/>'],
    ['an address in text', '<text>see https://example.org</text>'],
    ['a data URL', '<rect fill="data:image/png;base64,AA"/>'],
  ])('refuses a chart holding %s', (_what, body) => {
    expect(() => trustedSvg(svg(body))).toThrow(expect.objectContaining({ code: 'internal/unexpected' }))
  })

  it('refuses what is not an SVG element', () => {
    expect(() => trustedSvg('<div></div>')).toThrow(/did not return an SVG element/)
  })
})
