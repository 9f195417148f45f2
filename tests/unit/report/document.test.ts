/**
 * The evidence report's document, from a hand-made result: self-contained (a strict CSP, no
 * script, nothing that loads), in the promised order, every MES name escaped, the numbers and
 * verdicts of each suspect, and both languages.
 */
import { Window } from 'happy-dom'
import { describe, expect, it } from 'vitest'
import { buildEvidenceReport, collectReportData, REPORT_CSP, renderReportHtml, type ReportLocale } from '../../../main/report/index.js'
import { aggregation, fakeSource, HOSTILE_LOT, HOSTILE_MATERIAL, JOB_ID, summary, TREND } from '../../fixtures/report-fixture.js'

const NOW = Date.UTC(2026, 9, 21, 1, 0)

async function report(locale: ReportLocale = 'en', source = fakeSource()): Promise<string> {
  return buildEvidenceReport(source, JOB_ID, { locale, appVersion: '0.2.0', now: NOW })
}

/** The document as a browser parses it (no script runs, nothing loads). */
function parse(html: string): Document {
  const window = new Window({ settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true, disableIframePageLoading: true } })
  return new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document
}

/** The text of the document without its tags (entities left as they are). */
function textOf(html: string): string {
  return html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<svg[\s\S]*?<\/svg>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
}

describe('the evidence report', () => {
  it('is one document that can neither run nor load anything', async () => {
    const html = await report()
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true)
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP.replace(/'/g, '&#39;')}">`)
    expect(REPORT_CSP.startsWith("default-src 'none'; style-src 'unsafe-inline'; img-src data:")).toBe(true)
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/https?:\/\//i)
    expect(html).not.toMatch(/@import|url\((?!#)/i)
    const doc = parse(html)
    expect(doc.querySelectorAll('script, link, iframe, frame, object, embed, img, image, use, base, form, video, audio, source, meta[http-equiv="refresh"]')).toHaveLength(0)
    for (const element of doc.querySelectorAll('*')) {
      for (const attribute of element.getAttributeNames()) {
        expect(attribute, element.tagName).not.toMatch(/^(on|src|srcset|action|formaction|background|poster|xlink:href|ping)/i)
        // The only links are to the report's own sections.
        if (attribute === 'href') expect(element.getAttribute('href')).toMatch(/^#[a-z]+(-\d+)?$/)
      }
    }
  })

  it('holds its sections in order: request, key figures, significance, suspects, explained, p-chart, method, lots', async () => {
    const html = await report()
    const at = ['id="request"', 'id="kpi"', 'id="significance"', 'id="independent"', 'id="suspect-1"', 'id="explained"', 'id="trend"', 'id="method"', 'id="lots"', 'id="lots-3"'].map((id) => html.indexOf(id))
    expect(at.every((i) => i > 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
  })

  it('shows names from the MES as text, never as markup', async () => {
    const html = await report()
    const doc = parse(html)
    const cells = [...doc.querySelectorAll('#lots-1 td')].map((td) => td.textContent)
    expect(cells).toContain(HOSTILE_LOT)
    expect([...doc.querySelectorAll('#explained td')].map((td) => td.textContent)).toContain(HOSTILE_MATERIAL)
    expect(html).not.toContain(HOSTILE_LOT)
    expect(html).toContain('&lt;script&gt;alert(&quot;lot&quot;)&lt;/script&gt;&amp;LOT')
    expect(html).not.toContain('<img')
    expect(html).toContain('CAP-&lt;img src=x onerror=alert(1)&gt; (L&quot;1&#39;)')
    expect(html).not.toContain(HOSTILE_MATERIAL)
  })

  it('states the request, its source, the data time, both app versions and the job', async () => {
    const text = textOf(await report())
    for (const part of ['Detection station 測試', 'Detection window 2026-09-20 ~ 2026-10-19', 'Loss reasons All loss reasons', 'Source SQLite demo plant (plant.sqlite)', `Job ${JOB_ID}`, '0.1.0 (analysis), 0.2.0 (report)', 'Detection lots 19,822']) {
      expect(text).toContain(part)
    }
    expect(text).toMatch(/Data as of 2026-10-2\d \d\d:30/)
  })

  it('lists the seeds of a container-mode request, the first twenty of them', async () => {
    const values = Array.from({ length: 25 }, (_, i) => `GA${i}`)
    const source = fakeSource({ summary: summary({ seed: { mode: 'containers', resolve_type: 'work_order', values } }) })
    expect(textOf(await report('en', source))).toContain(`Seeds Work orders: ${values.slice(0, 20).join(', ')} (and 5 more)`)
  })

  it('sums up the significance: how many significant of how many tested, independent and explained', async () => {
    const text = textOf(await report())
    expect(text).toContain('4 significant of 3,004 factors tested, at a false-discovery rate of q ≤ 0.05: 3 independent, 1 explained by another suspect.')
  })

  it('gives each independent suspect its numbers, its time chart and its onset with the rates before and after', async () => {
    const html = await report()
    const machine = html.slice(html.indexOf('id="suspect-1"'), html.indexOf('id="suspect-2"'))
    const text = textOf(machine)
    for (const part of ['GWBE-0029 @ 焊接_WB', '801', '240 defective', '29.96%', 'other lots 4.31% (of 19,021)', '0.52%', 'baseline 0.11%', '4.73×', '8.0 × 10⁻⁶⁷', '1.2 × 10⁻⁶³', '2.5 × 10⁻³⁰', 'Onset 2026-10-05', '4.10% → 52.30% (p 0.001)']) {
      expect(text, part).toContain(part)
    }
    expect(machine).toMatch(/<figure role="img" aria-label="Daily defective-lot rate of the lots through GWBE-0029[^"]*"><svg /)
    expect(machine).toContain('>Onset 2026-10-05</text>')
    // The material lot that was bad all along has no onset; the wafer lot has no time view.
    const mold = textOf(html.slice(html.indexOf('id="suspect-2"'), html.indexOf('id="suspect-3"')))
    expect(mold).toContain('No significant rise')
    const wafer = html.slice(html.indexOf('id="suspect-3"'), html.indexOf('id="explained"'))
    expect(wafer).not.toContain('<svg')
    expect(textOf(wafer)).toContain('A wafer lot has no time view')
  })

  it('lists the explained suspects with what explains each and the conditional p-value', async () => {
    const html = await report()
    const text = textOf(html.slice(html.indexOf('id="explained"'), html.indexOf('id="trend"')))
    expect(text).toContain('Explained by')
    expect(text).toMatch(/CAP-&lt;img src=x onerror=alert\(1\)&gt; \(L&quot;1&#39;\) 焊接_WB 180 52\.78% 9\.10× 3\.0 × 10⁻⁴⁰ 2\.0 × 10⁻³⁸ Machine GWBE-0029 @ 焊接_WB 0\.41/)
    // Explained suspects get no section of their own.
    expect(html.match(/<article class="suspect"/g)).toHaveLength(3)
  })

  it('draws the daily trend as a p-chart, every day on the axis, the days outside the limits counted', async () => {
    const html = await report()
    const trend = html.slice(html.indexOf('id="trend"'), html.indexOf('id="method"'))
    expect(trend).toContain('<svg')
    // Centre line: Σ defective ÷ Σ lots over the days.
    const center = (TREND.reduce((n, d) => n + d.defective_lot_count!, 0) / TREND.reduce((n, d) => n + d.lot_count!, 0)) * 100
    expect(textOf(trend)).toContain(`Centre line ${center.toFixed(2)}% · 1 day above the upper limit, 0 below the lower limit.`)
    // 30 calendar days on the axis although one has no lots: labels are MM-DD.
    expect(trend).toContain('>10-10</text>')
  })

  it('says so when the result has no daily lot counts for a p-chart', async () => {
    const agg = aggregation({ daily_trend: TREND.map((d) => ({ ...d, lot_count: null, defective_lot_count: null })) })
    const html = await report('en', fakeSource({ aggregation: agg }))
    expect(textOf(html.slice(html.indexOf('id="trend"'), html.indexOf('id="method"')))).toContain('does not record daily lot counts')
  })

  it('explains the method in plain words, association not cause, in both languages', async () => {
    const en = textOf(await report('en'))
    for (const heading of ['Association, not cause', 'The contrast', 'The p-value (Fisher’s exact test)', 'The q-value (Benjamini–Hochberg)', 'Explained by another (Cochran–Mantel–Haenszel)', 'The onset (change point)', 'The p-chart']) {
      expect(en).toContain(heading)
    }
    expect(en).toContain('among the factors with q ≤ 0.05')
    const zh = await report('zh-TW')
    expect(zh.startsWith('<!doctype html>\n<html lang="zh-Hant-TW">')).toBe(true)
    const zhText = textOf(zh)
    for (const part of ['製程不良分析證據報告', '關聯，不是因果', 'Cochran–Mantel–Haenszel', '起始日（變化點）', '在偽發現率 q ≤ 0.05 下，檢定的 3,004 個因子中有 4 個顯著：3 個獨立，1 個可由其他因子解釋。', '可由其他嫌疑因子解釋']) {
      expect(zhText, part).toContain(part)
    }
  })

  it('lists the lots behind each independent suspect, capped, with how many more the result holds', async () => {
    const html = await report()
    const lots = html.slice(html.indexOf('id="lots-1"'), html.indexOf('id="lots-2"'))
    expect(textOf(lots)).toContain('The first 200 of 801 lots (314 detail rows), defective lots first.')
    expect(textOf(lots)).toContain('601 more lots are in the result')
    expect(lots.match(/<tr>/g)).toHaveLength(201)
    expect(textOf(lots)).toContain('A01_OPEN (30), B02_SHORT (5) 35 3.50% WL2609-017')
  })

  it('marks a result written before q-values and shows its top ranked suspects instead', async () => {
    const agg = aggregation()
    agg.suspect_summary.fdr = null
    const data = collectReportData(fakeSource({ aggregation: agg }), JOB_ID)
    const text = textOf(await renderReportHtml(data, { locale: 'en', appVersion: '0.1.0', now: NOW }))
    expect(text).toContain('written by an older version of MES Trace')
    expect(text).toContain('Top ranked suspects')
    expect(text).not.toContain('Explained by another suspect')
  })

  it('says plainly when nothing is significant', async () => {
    const agg = aggregation({ suspects: aggregation().suspects.map((s) => ({ ...s, significant: false, explained_by: null })) })
    agg.suspect_summary = { ...agg.suspect_summary, significant: 0, independent: 0, explained: 0 }
    const html = await report('en', fakeSource({ aggregation: agg }))
    expect(textOf(html)).toContain('No factor is significant at this false-discovery rate')
    expect(html).not.toContain('id="lots"')
  })
})
