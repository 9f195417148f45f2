/**
 * The report's words in its two languages: Traditional Chinese as the plant speaks it, and
 * English. Values (names, numbers) are handed in already formatted and are escaped where the
 * document inserts them; these strings are plain text, never markup.
 */
import type { SuspectFactor } from '../../shared/msd.js'

/** Languages a report is written in. */
export const REPORT_LOCALES = ['en', 'zh-TW'] as const

/** A language of the report. */
export type ReportLocale = (typeof REPORT_LOCALES)[number]

/** Whether `value` names a report language. */
export function isReportLocale(value: unknown): value is ReportLocale {
  return typeof value === 'string' && (REPORT_LOCALES as readonly string[]).includes(value)
}

/** One paragraph of the method section: its heading and its text. */
export interface MethodParagraph {
  heading: string
  text: string
}

/** Every text of the report in one language. */
export interface ReportMessages {
  /** `lang` attribute of the document. */
  lang: string
  title: string
  subtitle: (station: string) => string
  generated: (at: string) => string
  request: {
    heading: string
    station: string
    direction: string
    backward: string
    window: string
    seeds: string
    seedsValue: (kind: string, shown: string, more: number) => string
    lossReasons: string
    allReasons: string
    source: string
    asOf: string
    appVersion: string
    appVersionValue: (written: string, report: string) => string
    jobId: string
    detectionLots: string
  }
  resolveType: Readonly<Record<string, string>>
  kpi: {
    heading: string
    input: string
    lots: string
    defectiveLots: string
    defects: string
    rate: string
    topReason: string
    machines: string
  }
  significance: {
    heading: string
    /** "N significant of M tested at FDR q ≤ …; K independent, J explained." */
    summary: (significant: string, tested: string, fdr: string, independent: string, explained: string) => string
    ranked: (ranked: string, notElevated: string, inconclusive: string, noContrast: string) => string
    olderResult: string
    none: string
  }
  independent: {
    heading: string
    /** Heading used instead when the result predates significance (top ranked suspects). */
    headingOlder: string
    intro: string
    introOlder: string
    more: (n: string) => string
  }
  suspect: {
    lots: string
    defectiveLots: (n: string) => string
    defectiveLotRate: string
    otherLots: (rate: string, lots: string) => string
    defectRate: string
    baseline: (rate: string) => string
    lift: string
    liftHint: string
    p: string
    pHint: string
    q: string
    qHint: string
    conditionalP: string
    conditionalPHint: string
    conditionalPNone: string
    onset: string
    onsetValue: (date: string, before: string, after: string, p: string) => string
    onsetNone: string
    onsetNotTested: string
    timeline: string
    timelineNone: string
    waferRootNoTimeline: string
    chartAlt: (name: string) => string
    lotsHeading: string
    lotsLink: string
    lotsShown: (shown: string, total: string, rows: string) => string
    lotsAll: (total: string, rows: string) => string
    lotsMore: (more: string) => string
    lotsNone: string
    lotsUnavailable: string
  }
  /** Headers of the overview table of the independent suspects. */
  overview: { lots: string; defectiveLots: string; rate: string; rest: string; lift: string; onset: string }
  chart: {
    factorRate: string
    restRate: string
    factorLots: string
    onset: string
    ratePercent: string
    lotsAxis: string
    pChartRate: string
    center: string
    ucl: string
    lcl: string
    signal: string
  }
  explained: {
    heading: string
    intro: string
    none: string
    by: string
  }
  trend: {
    heading: string
    intro: string
    signals: (above: number, below: number) => string
    unavailable: string
    chartAlt: string
  }
  method: {
    heading: string
    paragraphs: (fdr: string, explainAlpha: string, onsetAlpha: string) => MethodParagraph[]
  }
  factor: Readonly<Record<SuspectFactor, string>>
  /** Headers of the suspect tables. */
  columns: { kind: string; name: string; station: string }
  lotColumns: {
    lot: string
    type: string
    packageName: string
    detectionMachine: string
    input: string
    reasons: string
    defects: string
    rate: string
    waferRoot: string
  }
  footer: string
  none: string
  yes: string
  no: string
}

const en: ReportMessages = {
  lang: 'en',
  title: 'Mid-section defect evidence report',
  subtitle: (station) => `Defects at ${station}, traced back to upstream machines, material lots and wafer lots`,
  generated: (at) => `Written ${at} by MES Trace from a finished result; it reads nothing else and loads nothing when opened.`,
  request: {
    heading: 'What was analysed',
    station: 'Detection station',
    direction: 'Direction',
    backward: 'Backward (upstream attribution)',
    window: 'Detection window',
    seeds: 'Seeds',
    seedsValue: (kind, shown, more) => `${kind}: ${shown}${more > 0 ? ` (and ${more} more)` : ''}`,
    lossReasons: 'Loss reasons',
    allReasons: 'All loss reasons',
    source: 'Source',
    asOf: 'Data as of',
    appVersion: 'App version',
    appVersionValue: (written, report) => (written === report ? written : `${written} (analysis), ${report} (report)`),
    jobId: 'Job',
    detectionLots: 'Detection lots',
  },
  resolveType: {
    lot_id: 'Lot IDs',
    wafer_lot: 'Wafer lots',
    work_order: 'Work orders',
    serial_number: 'Serial numbers',
    gd_work_order: 'GD work orders',
    gd_lot_id: 'GD lot IDs',
  },
  kpi: {
    heading: 'Key figures',
    input: 'Input',
    lots: 'Lots',
    defectiveLots: 'Defective lots',
    defects: 'Defects',
    rate: 'Defect rate',
    topReason: 'Top loss reason',
    machines: 'Upstream machines',
  },
  significance: {
    heading: 'Significance',
    summary: (significant, tested, fdr, independent, explained) =>
      `${significant} significant of ${tested} factors tested, at a false-discovery rate of q ≤ ${fdr}: ${independent} independent, ${explained} explained by another suspect.`,
    ranked: (ranked, notElevated, inconclusive, noContrast) =>
      `Ranked (worse than their baseline): ${ranked}; no worse: ${notElevated}; too few lots to tell: ${inconclusive}; passed by every lot, so without a contrast: ${noContrast}.`,
    olderResult:
      'This result was written by an older version of MES Trace: q-values, the explain-away and onsets were not computed. The suspects below are ranked by p-value only; run the analysis again for the full evidence.',
    none: 'No factor is significant at this false-discovery rate: nothing here stands out from chance.',
  },
  independent: {
    heading: 'Independent suspects',
    headingOlder: 'Top ranked suspects',
    intro: 'Significant suspects that no other significant suspect explains, strongest first.',
    introOlder: 'The strongest suspects by p-value (significance was not computed for this result).',
    more: (n) => `${n} more independent suspects are in the result (the suspect list, or \`mes-trace export --suspects\`).`,
  },
  suspect: {
    lots: 'Lots through it',
    defectiveLots: (n) => `${n} defective`,
    defectiveLotRate: 'Defective-lot rate',
    otherLots: (rate, lots) => `other lots ${rate} (of ${lots})`,
    defectRate: 'Defect rate',
    baseline: (rate) => `baseline ${rate}`,
    lift: 'Lift',
    liftHint: 'defect rate ÷ baseline',
    p: 'p',
    pHint: 'Fisher exact, one-sided',
    q: 'q',
    qHint: 'Benjamini–Hochberg',
    conditionalP: 'Conditional p',
    conditionalPHint: 'the largest, given another significant suspect',
    conditionalPNone: 'shares no lots with another significant suspect',
    onset: 'Onset',
    onsetValue: (date, before, after, p) => `${date}: defective-lot rate ${before} before, ${after} from then on (p ${p})`,
    onsetNone: 'No significant rise: its lots fared the same throughout the window.',
    onsetNotTested: 'Not tested.',
    timeline: 'Daily defective-lot rate of its lots against the rest',
    timelineNone: 'No time view is stored for this suspect.',
    waferRootNoTimeline: 'A wafer lot has no time view: its lots did not pass it on a day.',
    chartAlt: (name) => `Daily defective-lot rate of the lots through ${name} against the rest of its population`,
    lotsHeading: 'Lots behind each suspect',
    lotsLink: 'Lots behind it',
    lotsShown: (shown, total, rows) => `The first ${shown} of ${total} lots (${rows} detail rows), defective lots first.`,
    lotsAll: (total, rows) => `All ${total} lots (${rows} detail rows), defective lots first.`,
    lotsMore: (more) => `${more} more lots are in the result (the lot detail, or \`mes-trace export --detail\`).`,
    lotsNone: 'No detail rows match this suspect.',
    lotsUnavailable: 'The lot detail could not be read for this suspect.',
  },
  overview: { lots: 'Lots', defectiveLots: 'Defective', rate: 'Defective-lot rate', rest: 'Other lots', lift: 'Lift', onset: 'Onset' },
  chart: {
    factorRate: 'Its lots',
    restRate: 'The rest',
    factorLots: 'Its lots (count)',
    onset: 'Onset',
    ratePercent: 'Defective lots (%)',
    lotsAxis: 'Lots',
    pChartRate: 'Defective lots (%)',
    center: 'Centre line',
    ucl: 'Upper limit (3σ)',
    lcl: 'Lower limit (3σ)',
    signal: 'Outside the limits',
  },
  explained: {
    heading: 'Explained by another suspect',
    intro:
      'Significant on their own, but no longer elevated once a stronger suspect they share lots with is accounted for. Listed for completeness; act on the suspect that explains them.',
    none: 'No significant suspect is explained by another.',
    by: 'Explained by',
  },
  trend: {
    heading: 'Daily trend (p-chart)',
    intro: 'Share of defective lots among the lots tracked in at the detection station each day, with the centre line and 3-sigma limits from each day’s lot count.',
    signals: (above, below) => `${above} ${above === 1 ? 'day' : 'days'} above the upper limit, ${below} below the lower limit.`,
    unavailable: 'This result does not record daily lot counts (written by an older version), so no p-chart can be drawn.',
    chartAlt: 'p-chart of the daily share of defective lots',
  },
  method: {
    heading: 'Method, in plain words',
    paragraphs: (fdr, explainAlpha, onsetAlpha) => [
      {
        heading: 'Association, not cause',
        text:
          'This report shows association, not cause. Every detection lot is linked to every machine, material lot and wafer lot that it or its ancestors passed. A factor is a suspect when its lots fail more often than comparable lots that did not pass it. Factors that travel together — material lots consumed on the same days as a bad machine’s lots — rise together. The explain-away in this report separates many of those, but only an engineering check (the machine’s records, a split lot, a containment) confirms a cause.',
      },
      {
        heading: 'The contrast',
        text:
          'Each factor’s lots are compared with the lots of the same population that did not touch it: for a machine, the lots through the same station group; for a material lot, the lots that consumed the same part; for a wafer lot, every detection lot. A defective lot is a lot with at least one reject of the selected loss reasons at the detection station. The defect rate (defects ÷ input) stands beside the baseline rate of the other lots, and the lift is their ratio. With fewer than 3 lots on either side a factor is inconclusive.',
      },
      {
        heading: 'The p-value (Fisher’s exact test)',
        text:
          'The p-value is a one-sided Fisher exact test on lot counts (defective or not × touched or not): the chance of at least this many defective lots among the factor’s lots if the factor made no difference. A small p says the excess is unlikely to be chance alone; it does not say how large the effect is — that is the lift.',
      },
      {
        heading: 'The q-value (Benjamini–Hochberg)',
        text: `One run tests thousands of factors, so some small p-values happen by chance. The Benjamini–Hochberg q-value adjusts each p-value for the number of factors tested: among the factors with q ≤ ${fdr}, no more than that share are expected to be false alarms. Only those factors are called significant.`,
      },
      {
        heading: 'Explained by another (Cochran–Mantel–Haenszel)',
        text: `Factors that share lots rise together. For every pair of significant suspects that share lots, each is tested again given the other: a Cochran–Mantel–Haenszel test compares the factor’s lots with the rest of its population separately among the lots that carry the other factor (from its onset, when it has one) and among those that do not. A factor whose excess disappears given another (conditional p above ${explainAlpha}) while the other stays elevated given it is marked as explained by that one. The verdict does not depend on which of the two ranks first.`,
      },
      {
        heading: 'The onset (change point)',
        text: `For each significant machine and material lot, its lots are put in the order they passed it (the track-in at the machine, the consumption of the material), and the split into before and after that best separates a lower from a higher defective-lot rate is found. A permutation test (up to 4,999 relabellings of which lots failed) gives its p-value, and Benjamini–Hochberg adjusts those p-values over all the factors tested. At q ≤ ${onsetAlpha}, and when the lots before the change failed no more often than the rest of the population, the first day of the higher part is the onset, shown with the rates before and after. A factor that was bad all along has no onset.`,
      },
      {
        heading: 'The p-chart',
        text:
          'The daily trend is a p-chart: each day’s share of defective lots among the lots tracked in at the detection station that day, the centre line (the share over the whole window), and limits three standard errors either side, computed from that day’s lot count. A day outside the limits is unlikely to be ordinary day-to-day variation.',
      },
    ],
  },
  factor: { machine: 'Machine', material: 'Material lot', wafer_root: 'Wafer lot' },
  columns: { kind: 'Kind', name: 'Name', station: 'Station' },
  lotColumns: {
    lot: 'Lot ID',
    type: 'Type',
    packageName: 'Package',
    detectionMachine: 'Detection machine',
    input: 'Input',
    reasons: 'Loss reasons',
    defects: 'Defects',
    rate: 'Defect rate',
    waferRoot: 'Wafer lot (root)',
  },
  footer: 'MES Trace evidence report. Names and numbers come from the MES source as of the time above.',
  none: '—',
  yes: 'yes',
  no: 'no',
}

const zhTW: ReportMessages = {
  lang: 'zh-Hant-TW',
  title: '製程不良分析證據報告',
  subtitle: (station) => `${station}站不良 → 回溯上游機台、原物料批與源頭批次`,
  generated: (at) => `由 MES Trace 於 ${at} 依已完成的分析結果產生；開啟時不讀取也不下載任何其他資料。`,
  request: {
    heading: '分析條件',
    station: '偵測站',
    direction: '方向',
    backward: '反向追溯（上游歸因）',
    window: '偵測期間',
    seeds: '查詢批次',
    seedsValue: (kind, shown, more) => `${kind}：${shown}${more > 0 ? `（另有 ${more} 筆）` : ''}`,
    lossReasons: '不良原因',
    allReasons: '全部不良原因',
    source: '資料來源',
    asOf: '資料時間',
    appVersion: '程式版本',
    appVersionValue: (written, report) => (written === report ? written : `${written}（分析）、${report}（報告）`),
    jobId: '工作編號',
    detectionLots: '偵測批次數',
  },
  resolveType: {
    lot_id: 'LOT ID',
    wafer_lot: '晶圓批',
    work_order: '工單',
    serial_number: '流水號',
    gd_work_order: 'GD 工單',
    gd_lot_id: 'GD 批號',
  },
  kpi: {
    heading: '關鍵指標',
    input: '投入數',
    lots: 'LOT 數量',
    defectiveLots: '不良批數',
    defects: '不良總數',
    rate: '不良率',
    topReason: '首要不良原因',
    machines: '上游關聯機台',
  },
  significance: {
    heading: '顯著性',
    summary: (significant, tested, fdr, independent, explained) =>
      `在偽發現率 q ≤ ${fdr} 下，檢定的 ${tested} 個因子中有 ${significant} 個顯著：${independent} 個獨立，${explained} 個可由其他因子解釋。`,
    ranked: (ranked, notElevated, inconclusive, noContrast) =>
      `不良高於基準（列入排名）：${ranked} 個；不高於基準：${notElevated} 個；批數不足無法判斷：${inconclusive} 個；所有批次都經過而無法對照：${noContrast} 個。`,
    olderResult: '此結果由舊版 MES Trace 產生，未計算 q 值、排除分析與起始日。下列嫌疑因子僅依 p 值排序；重新執行分析可取得完整證據。',
    none: '在此偽發現率下沒有顯著的因子：沒有任何因子明顯超出隨機變異。',
  },
  independent: {
    heading: '獨立嫌疑因子',
    headingOlder: '排名最前的嫌疑因子',
    intro: '無法由其他顯著因子解釋的顯著嫌疑因子，依強度排列。',
    introOlder: '依 p 值排列的最強嫌疑因子（此結果未計算顯著性）。',
    more: (n) => `另有 ${n} 個獨立嫌疑因子在結果中（嫌疑因子清單，或 \`mes-trace export --suspects\`）。`,
  },
  suspect: {
    lots: '經過的批數',
    defectiveLots: (n) => `不良批 ${n}`,
    defectiveLotRate: '不良批比例',
    otherLots: (rate, lots) => `其餘批次 ${rate}（共 ${lots} 批）`,
    defectRate: '不良率',
    baseline: (rate) => `基準 ${rate}`,
    lift: '倍數',
    liftHint: '不良率 ÷ 基準不良率',
    p: 'p 值',
    pHint: 'Fisher 精確檢定，單尾',
    q: 'q 值',
    qHint: 'Benjamini–Hochberg',
    conditionalP: '條件 p 值',
    conditionalPHint: '給定其他顯著嫌疑因子時的最大值',
    conditionalPNone: '與其他顯著嫌疑因子沒有共用批次',
    onset: '起始日',
    onsetValue: (date, before, after, p) => `${date}：不良批比例之前 ${before}，自當日起 ${after}（p ${p}）`,
    onsetNone: '沒有顯著的上升：整段期間其批次表現一致。',
    onsetNotTested: '未檢定。',
    timeline: '其批次與其餘批次的每日不良批比例',
    timelineNone: '此嫌疑因子沒有儲存時間趨勢。',
    waferRootNoTimeline: '源頭批次沒有時間趨勢：批次不是在某一天經過它。',
    chartAlt: (name) => `經過 ${name} 的批次與同母體其餘批次的每日不良批比例`,
    lotsHeading: '各嫌疑因子的相關批次',
    lotsLink: '相關批次',
    lotsShown: (shown, total, rows) => `${total} 批中的前 ${shown} 批（${rows} 筆明細），不良批在前。`,
    lotsAll: (total, rows) => `全部 ${total} 批（${rows} 筆明細），不良批在前。`,
    lotsMore: (more) => `另有 ${more} 批在結果中（LOT 明細，或 \`mes-trace export --detail\`）。`,
    lotsNone: '沒有符合此嫌疑因子的明細。',
    lotsUnavailable: '無法讀取此嫌疑因子的 LOT 明細。',
  },
  overview: { lots: '批數', defectiveLots: '不良批', rate: '不良批比例', rest: '其餘批次', lift: '倍數', onset: '起始日' },
  chart: {
    factorRate: '其批次',
    restRate: '其餘批次',
    factorLots: '其批數',
    onset: '起始日',
    ratePercent: '不良批比例 (%)',
    lotsAxis: '批數',
    pChartRate: '不良批比例 (%)',
    center: '中心線',
    ucl: '管制上限 (3σ)',
    lcl: '管制下限 (3σ)',
    signal: '超出管制界限',
  },
  explained: {
    heading: '可由其他嫌疑因子解釋',
    intro: '單獨看是顯著的，但在考慮與其共用批次的更強嫌疑因子後就不再偏高。列出以供完整參考；請針對解釋它們的嫌疑因子採取行動。',
    none: '沒有顯著嫌疑因子可由其他因子解釋。',
    by: '解釋因子',
  },
  trend: {
    heading: '每日趨勢（p 管制圖）',
    intro: '每天在偵測站進站的批次中不良批所佔的比例，以及中心線與依當天批數計算的 3 sigma 管制界限。',
    signals: (above, below) => `${above} 天高於管制上限，${below} 天低於管制下限。`,
    unavailable: '此結果未記錄每日批數（由舊版產生），無法繪製 p 管制圖。',
    chartAlt: '每日不良批比例的 p 管制圖',
  },
  method: {
    heading: '分析方法說明',
    paragraphs: (fdr, explainAlpha, onsetAlpha) => [
      {
        heading: '關聯，不是因果',
        text:
          '本報告呈現的是關聯，不是因果。每一個偵測批次都連結到它本身及其上游批次經過的每一台機台、每一個原物料批與源頭批次。某個因子的批次比未經過它的同類批次更常出現不良時，它就是嫌疑因子。總是一起出現的因子（例如與異常機台同幾天耗用的原物料批）會一起偏高。本報告的排除分析能區分其中多數情況，但唯有工程確認（機台紀錄、分批實驗、圍堵）才能證實原因。',
      },
      {
        heading: '對照比較',
        text:
          '每個因子的批次都與同一母體中未經過它的批次比較：機台比較同一站群的批次；原物料批比較耗用同一料號的批次；源頭批次比較全部偵測批次。「不良批」指在偵測站至少有一筆所選不良原因報廢的批次。不良率（不良數 ÷ 投入數）與其餘批次的基準不良率並列，倍數為兩者之比。任一側少於 3 批時，該因子為資料不足。',
      },
      {
        heading: 'p 值（Fisher 精確檢定）',
        text:
          'p 值為批數的單尾 Fisher 精確檢定（不良與否 × 經過與否）：假如該因子毫無影響，其批次中出現至少這麼多不良批的機率。p 值小表示這個偏高不太可能只是巧合；它不代表影響有多大——那是倍數。',
      },
      {
        heading: 'q 值（Benjamini–Hochberg）',
        text: `一次分析會檢定上千個因子，難免有些 p 值純屬巧合而偏小。Benjamini–Hochberg q 值依檢定的因子數調整每個 p 值：在 q ≤ ${fdr} 的因子中，預期誤報的比例不超過此值。只有這些因子稱為顯著。`,
      },
      {
        heading: '可由其他因子解釋（Cochran–Mantel–Haenszel）',
        text: `共用批次的因子會一起偏高。每一對共用批次的顯著嫌疑因子，都在給定另一個因子的條件下各自重新檢定：Cochran–Mantel–Haenszel 檢定把該因子的批次與其母體中其餘批次，分別在帶有另一因子的批次（若另一因子有起始日，則自起始日起）與不帶有的批次中比較。若某因子在給定另一因子後不再偏高（條件 p 值大於 ${explainAlpha}），而另一因子在給定它之後仍然偏高，就標示為「可由該因子解釋」。判定結果與兩者的排名先後無關。`,
      },
      {
        heading: '起始日（變化點）',
        text: `對每一個顯著的機台與原物料批，將其批次依經過的先後排序（機台的進站時間、原物料的耗用時間），找出最能把較低與較高不良批比例分開的前後分界。以置換檢定（最多 4,999 次重新標記不良批）求其 p 值，再以 Benjamini–Hochberg 對所有受檢因子的 p 值做校正。q ≤ ${onsetAlpha}，且分界前的批次不良比例不高於母體其餘批次時，較高段的第一天即為起始日，並列出前後的不良批比例。一直都不好的因子沒有起始日。`,
      },
      {
        heading: 'p 管制圖',
        text:
          '每日趨勢為 p 管制圖：每天在偵測站進站的批次中不良批所佔的比例、中心線（整段期間的比例），以及依當天批數計算、在中心線上下各三個標準誤的管制界限。超出界限的日子不太可能只是一般的日常變異。',
      },
    ],
  },
  factor: { machine: '機台', material: '原物料批', wafer_root: '源頭批次' },
  columns: { kind: '類型', name: '名稱', station: '站點' },
  lotColumns: {
    lot: 'LOT ID',
    type: 'TYPE',
    packageName: 'PACKAGE',
    detectionMachine: '偵測設備',
    input: '投入數',
    reasons: '不良原因',
    defects: '不良數',
    rate: '不良率',
    waferRoot: '源頭批次',
  },
  footer: 'MES Trace 證據報告。名稱與數字均來自上述資料時間的 MES 資料來源。',
  none: '—',
  yes: '是',
  no: '否',
}

/** The report's texts in `locale`. */
export function reportMessages(locale: ReportLocale): ReportMessages {
  return locale === 'zh-TW' ? zhTW : en
}
