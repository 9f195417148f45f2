/**
 * The evidence report as one self-contained HTML document: inline CSS, charts as inline SVG, no
 * script and nothing that loads — its Content-Security-Policy allows styles written in the file
 * and data images, nothing else — so it opens the same offline, in a mail client's preview, or
 * printed. Sections, in order: the request and its provenance, the key figures, the significance
 * summary, each independent suspect with its numbers, time view and onset, the suspects explained
 * by another, the daily p-chart, the method in plain words, and the lots behind each suspect.
 */
import { MSD_EXPLAIN_ALPHA, MSD_ONSET_ALPHA, type Suspect, type SuspectRef } from '../../shared/msd.js'
import { pChart } from '../../shared/statistics.js'
import { pChartSvg, suspectTimelineChart, type PChartDay } from './charts.js'
import { formatInt, formatLift, formatP, formatPercent, formatShare, formatTime, NONE } from './format.js'
import { html, join, SafeHtml, type HtmlValue } from './html.js'
import { reportMessages, type ReportLocale, type ReportMessages } from './messages.js'
import { sameFactor, type ReportData, type SuspectLots } from './report-data.js'

/**
 * The report's Content-Security-Policy: nothing may load or run; only the styles written in the
 * file and `data:` images.
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

/** Options of {@link renderReportHtml}. */
export interface RenderOptions {
  locale: ReportLocale
  /** Version of the app writing the report. */
  appVersion: string
  /** When the report is written. @default Date.now() */
  now?: number
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f1f5f9; color: #1f2937; font: 15px/1.55 'Segoe UI', 'Microsoft JhengHei', 'PingFang TC', 'Noto Sans CJK TC', 'Noto Sans TC', system-ui, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 32px 40px; background: #fff; min-height: 100vh; }
header.top { border-bottom: 3px solid #1e3a8a; padding-bottom: 12px; margin-bottom: 8px; }
h1 { font-size: 1.75rem; margin: 0 0 4px; color: #1e3a8a; line-height: 1.25; }
h2 { font-size: 1.3rem; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #cbd5e1; color: #0f172a; }
h3 { font-size: 1.1rem; margin: 26px 0 8px; color: #0f172a; }
h4 { font-size: 0.95rem; margin: 14px 0 6px; color: #334155; }
p { margin: 6px 0; }
.subtitle { font-size: 1.05rem; color: #334155; margin: 0; }
.muted { color: #52606d; font-size: 0.875rem; }
nav.toc { margin: 12px 0 0; font-size: 0.9rem; }
nav.toc ol { margin: 0; padding-left: 1.4em; columns: 2; column-gap: 32px; }
nav.toc a, a.ref { color: #1d4ed8; text-decoration: none; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 20px; margin: 0; }
dl.facts dt { color: #52606d; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 10px; }
.cards.stats, .cards.kpi { grid-template-columns: repeat(4, minmax(0, 1fr)); }
.card { border: 1px solid #cbd5e1; border-radius: 6px; padding: 8px 12px; background: #f8fafc; min-width: 0; }
.card .k { display: block; color: #52606d; font-size: 0.8rem; }
.card .v { display: block; font-size: 1.25rem; font-weight: 600; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.card .s { display: block; color: #52606d; font-size: 0.8rem; overflow-wrap: anywhere; }
.headline { font-size: 1.05rem; font-weight: 600; }
.note { border-left: 4px solid #f59e0b; background: #fffbeb; padding: 8px 12px; margin: 10px 0; }
article.suspect { border: 1px solid #cbd5e1; border-radius: 8px; padding: 4px 18px 14px; margin: 18px 0; break-inside: auto; }
article.suspect h3 { margin-top: 14px; }
.tag { display: inline-block; font-size: 0.75rem; font-weight: 600; border-radius: 10px; padding: 1px 8px; margin-right: 6px; vertical-align: middle; background: #e0e7ff; color: #1e3a8a; }
.station { color: #52606d; font-weight: normal; font-size: 0.95rem; }
figure { margin: 12px 0; break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { color: #52606d; font-size: 0.8rem; margin-top: 2px; }
table { border-collapse: collapse; width: 100%; font-size: 0.82rem; margin: 8px 0; }
th, td { border-bottom: 1px solid #e2e8f0; padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
th { background: #f1f5f9; color: #334155; font-weight: 600; position: sticky; top: 0; word-break: keep-all; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n, td.id, td.kind { white-space: nowrap; }
td.name { min-width: 12em; }
tr { break-inside: avoid; }
.method p.text { max-width: 78ch; }
.method h3 { font-size: 1rem; margin: 16px 0 4px; }
footer { margin-top: 36px; border-top: 1px solid #cbd5e1; padding-top: 8px; color: #52606d; font-size: 0.8rem; }
@media (max-width: 720px) { main { padding: 16px; } nav.toc ol { columns: 1; } dl.facts { grid-template-columns: 1fr; } .cards.stats, .cards.kpi { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; min-height: 0; }
  nav.toc { display: none; }
  h2, h3, h4 { break-after: avoid; }
  th { position: static; }
  table { font-size: 7.5pt; }
  a.ref { color: inherit; }
}
`

/** The style sheet as markup: constant text of this file, never data. */
const STYLE_HTML = new SafeHtml(STYLE)

/** The name of a suspect as a heading shows it: its kind, name and station. */
function suspectTitle(s: Pick<Suspect, 'factor_type' | 'name' | 'station'>, m: ReportMessages): SafeHtml {
  return html`<span class="tag">${m.factor[s.factor_type]}</span>${s.name}${s.station ? html` <span class="station">@ ${s.station}</span>` : ''}`
}

function refText(ref: SuspectRef, m: ReportMessages): string {
  return `${m.factor[ref.factor_type]} ${ref.name}${ref.station ? ` @ ${ref.station}` : ''}`
}

function card(label: string, value: HtmlValue, sub?: HtmlValue): SafeHtml {
  return html`<div class="card"><span class="k">${label}</span><span class="v">${value}</span>${sub ? html`<span class="s">${sub}</span>` : ''}</div>`
}

function requestSection(data: ReportData, m: ReportMessages, locale: ReportLocale, appVersion: string): SafeHtml {
  const { request } = data.summary
  const seed = request.seed
  const facts: [string, HtmlValue][] = [[m.request.station, request.station ?? NONE], [m.request.direction, m.request.backward]]
  if (seed.mode === 'date_range') {
    facts.push([m.request.window, `${seed.start_date} ~ ${seed.end_date}`])
  } else {
    const shown = seed.values.slice(0, 20)
    facts.push([m.request.seeds, m.request.seedsValue(m.resolveType[seed.resolve_type] ?? seed.resolve_type, shown.join(', '), seed.values.length - shown.length)])
  }
  // In date-range mode the seeds are the detection lots; in container mode the KPIs count them.
  if (seed.mode === 'date_range' && data.summary.seeds) facts.push([m.request.detectionLots, formatInt(data.summary.seeds.seed_count, locale)])
  facts.push(
    [m.request.lossReasons, request.loss_reasons.length > 0 ? request.loss_reasons.join(', ') : m.request.allReasons],
    [m.request.source, data.summary.source],
    [m.request.asOf, formatTime(data.summary.as_of)],
    [m.request.appVersion, m.request.appVersionValue(data.summary.app_version, appVersion)],
    [m.request.jobId, data.jobId],
  )
  return html`<section id="request"><h2>${m.request.heading}</h2><dl class="facts">${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></section>`
}

function kpiSection(data: ReportData, m: ReportMessages, locale: ReportLocale): SafeHtml {
  const k = data.aggregation.kpi
  return html`<section id="kpi"><h2>${m.kpi.heading}</h2><div class="cards kpi">
${card(m.kpi.input, formatInt(k.total_input, locale))}
${card(m.kpi.lots, formatInt(k.lot_count, locale))}
${card(m.kpi.defectiveLots, formatInt(k.defective_lot_count, locale), formatShare(k.defective_lot_count, k.lot_count))}
${card(m.kpi.defects, formatInt(k.total_defect_qty, locale))}
${card(m.kpi.rate, formatPercent(k.total_defect_rate))}
${card(m.kpi.topReason, k.top_loss_reason || NONE)}
${card(m.kpi.machines, formatInt(k.affected_machine_count, locale))}
</div></section>`
}

function significanceSection(data: ReportData, m: ReportMessages, locale: ReportLocale): SafeHtml {
  const s = data.aggregation.suspect_summary
  const n = (value: number): string => formatInt(value, locale)
  const ranked = m.significance.ranked(n(s.ranked), n(s.not_elevated), n(s.inconclusive), n(s.no_contrast))
  if (s.fdr === null) {
    return html`<section id="significance"><h2>${m.significance.heading}</h2><p class="note">${m.significance.olderResult}</p><p>${ranked}</p></section>`
  }
  // Every factor with a p-value was tested; only a factor every lot passed has none.
  const tested = s.total - s.no_contrast
  return html`<section id="significance"><h2>${m.significance.heading}</h2>
<p class="headline">${m.significance.summary(n(s.significant), n(tested), String(s.fdr), n(s.independent), n(s.explained))}</p>
<p class="muted">${ranked}</p>
${s.significant === 0 ? html`<p class="note">${m.significance.none}</p>` : ''}</section>`
}

function onsetText(s: Suspect, m: ReportMessages): string {
  if (s.onset !== null) return m.suspect.onsetValue(s.onset, formatPercent(s.rate_before_onset), formatPercent(s.rate_after_onset), formatP(s.onset_p_value))
  if (s.onset_p_value !== null) return m.suspect.onsetNone
  return m.suspect.onsetNotTested
}

function suspectCards(s: Suspect, m: ReportMessages, locale: ReportLocale, olderResult: boolean): SafeHtml {
  const cards: SafeHtml[] = [
    card(m.suspect.lots, formatInt(s.lots, locale), m.suspect.defectiveLots(formatInt(s.defective_lots, locale))),
    card(m.suspect.defectiveLotRate, formatShare(s.defective_lots, s.lots), m.suspect.otherLots(formatShare(s.baseline_defective_lots, s.baseline_lots), formatInt(s.baseline_lots, locale))),
    card(m.suspect.defectRate, formatPercent(s.defect_rate), m.suspect.baseline(formatPercent(s.baseline_rate))),
    card(m.suspect.lift, formatLift(s.lift), m.suspect.liftHint),
    card(m.suspect.p, formatP(s.p_value), m.suspect.pHint),
  ]
  if (!olderResult) {
    cards.push(
      card(m.suspect.q, formatP(s.q_value), m.suspect.qHint),
      card(m.suspect.conditionalP, formatP(s.conditional_p_value), s.conditional_p_value === null ? m.suspect.conditionalPNone : m.suspect.conditionalPHint),
    )
    if (s.factor_type !== 'wafer_root') {
      cards.push(
        card(
          m.suspect.onset,
          s.onset ?? NONE,
          s.onset !== null ? `${formatPercent(s.rate_before_onset)} → ${formatPercent(s.rate_after_onset)} (p ${formatP(s.onset_p_value)})` : onsetText(s, m),
        ),
      )
    }
  }
  return html`<div class="cards stats">${cards}</div>`
}

async function timelineFigure(data: ReportData, s: Suspect, m: ReportMessages): Promise<SafeHtml> {
  if (s.factor_type === 'wafer_root') return html`<p class="muted">${m.suspect.waferRootNoTimeline}</p>`
  const timeline = data.aggregation.suspect_timelines.find((t) => sameFactor(t, s))
  const svg = timeline ? await suspectTimelineChart(timeline, s, m) : null
  if (!svg) return html`<p class="muted">${m.suspect.timelineNone}</p>`
  return html`<figure role="img" aria-label="${m.suspect.chartAlt(s.name)}">${svg}<figcaption>${m.suspect.timeline}${s.onset ? ` · ${onsetText(s, m)}` : ''}</figcaption></figure>`
}

function overviewTable(data: ReportData, m: ReportMessages, locale: ReportLocale): SafeHtml {
  const o = m.overview
  const rows = data.sections.map(
    (s, i) => html`<tr><td class="n">${i + 1}</td><td class="kind">${m.factor[s.factor_type]}</td><td class="name"><a class="ref" href="#suspect-${i + 1}">${s.name}</a></td><td class="id">${s.station ?? NONE}</td>
<td class="n">${formatInt(s.lots, locale)}</td><td class="n">${formatInt(s.defective_lots, locale)}</td><td class="n">${formatShare(s.defective_lots, s.lots)}</td>
<td class="n">${formatShare(s.baseline_defective_lots, s.baseline_lots)}</td><td class="n">${formatLift(s.lift)}</td><td class="n">${formatP(s.p_value)}</td>
<td class="n">${formatP(s.q_value)}</td><td class="n">${s.onset ?? NONE}</td></tr>`,
  )
  return html`<table><thead><tr><th class="n">#</th><th>${m.columns.kind}</th><th>${m.columns.name}</th><th>${m.columns.station}</th>
<th class="n">${o.lots}</th><th class="n">${o.defectiveLots}</th><th class="n">${o.rate}</th><th class="n">${o.rest}</th>
<th class="n">${o.lift}</th><th class="n">p</th><th class="n">q</th><th class="n">${o.onset}</th></tr></thead><tbody>${rows}</tbody></table>`
}

async function independentSection(data: ReportData, m: ReportMessages, locale: ReportLocale): Promise<SafeHtml> {
  const heading = data.olderResult ? m.independent.headingOlder : m.independent.heading
  if (data.sections.length === 0) {
    return html`<section id="independent"><h2>${heading}</h2><p class="note">${m.significance.none}</p></section>`
  }
  const articles: SafeHtml[] = []
  for (const [i, s] of data.sections.entries()) {
    articles.push(html`<article class="suspect" id="suspect-${i + 1}">
<h3>${i + 1}. ${suspectTitle(s, m)}</h3>
${suspectCards(s, m, locale, data.olderResult)}
${await timelineFigure(data, s, m)}
<p class="muted"><a class="ref" href="#lots-${i + 1}">${m.suspect.lotsLink} →</a></p>
</article>`)
    // Charts are drawn on the main thread: let other work in between.
    await new Promise((resolve) => setImmediate(resolve))
  }
  return html`<section id="independent"><h2>${heading}</h2><p>${data.olderResult ? m.independent.introOlder : m.independent.intro}</p>
${overviewTable(data, m, locale)}
${articles}
${data.moreIndependent > 0 ? html`<p class="note">${m.independent.more(formatInt(data.moreIndependent, locale))}</p>` : ''}</section>`
}

function explainedSection(data: ReportData, m: ReportMessages, locale: ReportLocale): SafeHtml | null {
  if (data.olderResult) return null
  const explained = data.aggregation.suspects.filter((s) => s.significant && s.explained_by)
  const body =
    explained.length === 0
      ? html`<p class="muted">${m.explained.none}</p>`
      : html`<table><thead><tr><th>${m.columns.kind}</th><th>${m.columns.name}</th><th>${m.columns.station}</th>
<th class="n">${m.overview.lots}</th><th class="n">${m.overview.rate}</th><th class="n">${m.overview.lift}</th><th class="n">p</th><th class="n">q</th>
<th>${m.explained.by}</th><th class="n">${m.suspect.conditionalP}</th></tr></thead><tbody>${explained.map(
          (s) => html`<tr><td class="kind">${m.factor[s.factor_type]}</td><td class="name">${s.name}</td><td class="id">${s.station ?? NONE}</td><td class="n">${formatInt(s.lots, locale)}</td>
<td class="n">${formatShare(s.defective_lots, s.lots)}</td><td class="n">${formatLift(s.lift)}</td><td class="n">${formatP(s.p_value)}</td><td class="n">${formatP(s.q_value)}</td>
<td>${refText(s.explained_by!, m)}</td><td class="n">${formatP(s.conditional_p_value)}</td></tr>`,
        )}</tbody></table>`
  return html`<section id="explained"><h2>${m.explained.heading}</h2><p>${m.explained.intro}</p>${body}</section>`
}

async function trendSection(data: ReportData, m: ReportMessages): Promise<SafeHtml> {
  const trend = data.aggregation.daily_trend
  const recorded = trend.length > 0 && trend.every((d) => d.lot_count !== null && d.defective_lot_count !== null)
  const usable = recorded ? trend.filter((d) => d.lot_count! > 0) : []
  const chart = usable.length > 0 ? pChart(usable.map((d) => ({ n: d.lot_count!, x: d.defective_lot_count! }))) : null
  if (!chart) return html`<section id="trend"><h2>${m.trend.heading}</h2><p class="note">${m.trend.unavailable}</p></section>`
  const days: PChartDay[] = usable.map((d, i) => ({ date: d.date, point: chart.points[i]! }))
  const svg = await pChartSvg(days, chart.center, m)
  const above = days.filter((d) => d.point.signal === 'above').length
  const below = days.filter((d) => d.point.signal === 'below').length
  return html`<section id="trend"><h2>${m.trend.heading}</h2><p>${m.trend.intro}</p>
${svg ? html`<figure role="img" aria-label="${m.trend.chartAlt}">${svg}<figcaption>${m.chart.center} ${formatPercent(chart.center * 100)} · ${m.trend.signals(above, below)}</figcaption></figure>` : ''}</section>`
}

function methodSection(data: ReportData, m: ReportMessages): SafeHtml {
  const fdr = data.aggregation.suspect_summary.fdr ?? 0.05
  return html`<section id="method" class="method"><h2>${m.method.heading}</h2>${m.method
    .paragraphs(String(fdr), String(MSD_EXPLAIN_ALPHA), String(MSD_ONSET_ALPHA))
    .map((p) => html`<h3>${p.heading}</h3><p class="text">${p.text}</p>`)}</section>`
}

function lotsTable(lots: SuspectLots, m: ReportMessages, locale: ReportLocale): SafeHtml {
  const c = m.lotColumns
  return html`<table><thead><tr><th>${c.lot}</th><th>${c.type}</th><th>${c.packageName}</th><th>${c.detectionMachine}</th><th class="n">${c.input}</th>
<th>${c.reasons}</th><th class="n">${c.defects}</th><th class="n">${c.rate}</th><th>${c.waferRoot}</th></tr></thead><tbody>${lots.lots.map(
    (l) => html`<tr><td class="id">${l.name}</td><td>${l.type}</td><td class="id">${l.packageName}</td><td class="id">${l.detectionMachine}</td><td class="n">${formatInt(l.input, locale)}</td>
<td>${l.reasons.length === 0 ? NONE : join(l.reasons.map((r) => `${r.reason || NONE} (${formatInt(r.qty, locale)})`), ', ')}</td>
<td class="n">${formatInt(l.defects, locale)}</td><td class="n">${l.input > 0 ? formatShare(l.defects, l.input) : NONE}</td><td class="id">${l.waferRoot}</td></tr>`,
  )}</tbody></table>`
}

function lotsSection(data: ReportData, m: ReportMessages, locale: ReportLocale): SafeHtml | null {
  if (data.sections.length === 0) return null
  const parts = data.sections.map((s, i) => {
    const lots = data.lots[i]
    let body: SafeHtml
    if (!lots) body = html`<p class="note">${m.suspect.lotsUnavailable}</p>`
    else if (lots.lots.length === 0) body = html`<p class="muted">${m.suspect.lotsNone}</p>`
    else {
      const more = lots.totalLots - lots.lots.length
      const n = (value: number): string => formatInt(value, locale)
      body = html`<p class="muted">${more > 0 ? m.suspect.lotsShown(n(lots.lots.length), n(lots.totalLots), n(lots.totalRows)) : m.suspect.lotsAll(n(lots.totalLots), n(lots.totalRows))}</p>
${lotsTable(lots, m, locale)}${more > 0 ? html`<p class="note">${m.suspect.lotsMore(n(more))}</p>` : ''}`
    }
    return html`<div id="lots-${i + 1}"><h3>${i + 1}. ${suspectTitle(s, m)}</h3>${body}</div>`
  })
  return html`<section id="lots"><h2>${m.suspect.lotsHeading}</h2>${parts}</section>`
}

/**
 * Writes the report of `data` as one HTML document in `options.locale`. Everything from the result
 * is escaped; the charts are inline SVG drawn here.
 */
export async function renderReportHtml(data: ReportData, options: RenderOptions): Promise<string> {
  const { locale, appVersion } = options
  const m = reportMessages(locale)
  const station = data.summary.request.station ?? data.aggregation.station
  const independent = await independentSection(data, m, locale)
  const explained = explainedSection(data, m, locale)
  const trend = await trendSection(data, m)
  const lots = lotsSection(data, m, locale)
  const toc: [string, string][] = [
    ['request', m.request.heading],
    ['kpi', m.kpi.heading],
    ['significance', m.significance.heading],
    ['independent', data.olderResult ? m.independent.headingOlder : m.independent.heading],
    ...(explained ? [['explained', m.explained.heading] as [string, string]] : []),
    ['trend', m.trend.heading],
    ['method', m.method.heading],
    ...(lots ? [['lots', m.suspect.lotsHeading] as [string, string]] : []),
  ]
  const page = html`<!doctype html>
<html lang="${m.lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${m.title} · ${station} · ${data.jobId}</title>
<style>${STYLE_HTML}</style>
</head>
<body>
<main>
<header class="top">
<h1>${m.title}</h1>
<p class="subtitle">${m.subtitle(station)}</p>
<p class="muted">${m.generated(formatTime(options.now ?? Date.now()))}</p>
<nav class="toc"><ol>${toc.map(([id, label]) => html`<li><a href="#${id}">${label}</a></li>`)}</ol></nav>
</header>
${requestSection(data, m, locale, appVersion)}
${kpiSection(data, m, locale)}
${significanceSection(data, m, locale)}
${independent}
${explained ?? ''}
${trend}
${methodSection(data, m)}
${lots ?? ''}
<footer>${m.footer} ${data.jobId}</footer>
</main>
</body>
</html>
`
  return page.text
}
