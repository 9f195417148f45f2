/**
 * Colours and small helpers shared by the chart option builders. Colours are chosen for at least
 * 3:1 contrast against a white background (WCAG 1.4.11, graphical objects).
 */

export const CHART_COLORS = {
  /** Main bars. */
  primary: '#1d4ed8',
  /** Secondary bars (e.g. input quantity behind defects). */
  secondary: '#64748b',
  /** The folded `其他` bar. */
  other: '#6b7280',
  /** Cumulative / rate lines. */
  line: '#b45309',
  /** Threshold lines (80 % Pareto line). */
  threshold: '#b91c1c',
  /** Axis text. */
  axisText: '#374151',
} as const

/** The look of a rate or cumulative line on a right axis (Pareto and trend charts alike). */
export const RATE_LINE_STYLE = {
  symbol: 'circle',
  symbolSize: 6,
  itemStyle: { color: CHART_COLORS.line },
  lineStyle: { color: CHART_COLORS.line, width: 2 },
} as const

/**
 * Rich-text tooltips are drawn on the canvas, so names from the database never reach innerHTML
 * (no markup injection, no inline styles under the page's CSP). Braces and pipes are ECharts
 * rich-text syntax and are replaced.
 */
export function plainText(value: string): string {
  return value.replace(/[{}|]/g, (c) => (c === '|' ? '¦' : c === '{' ? '(' : ')'))
}

/** The element an ECharts mouse event reports (the subset the builders read). */
export interface ChartEventParams {
  componentType?: string
  seriesType?: string
  seriesId?: string
  dataType?: string
  name?: string
  dataIndex?: number
  data?: unknown
  event?: { event?: { ctrlKey?: boolean; metaKey?: boolean; shiftKey?: boolean } }
}
