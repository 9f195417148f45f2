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
  /** A significant suspect's rate bar, and a p-chart's out-of-limit days. */
  signal: '#b91c1c',
  /** A ranked suspect that is not significant. */
  quiet: '#64748b',
  /** Outline of a baseline bar (drawn hollow, so it never reads as a second factor). */
  baseline: '#374151',
  /** Lines of the rest of a population (time view), centre lines. */
  reference: '#4b5563',
} as const

/**
 * Name the sources give a machine they do not know (`NVL(EQUIPMENTNAME, '(NA)')`). Kept in the
 * data so drill-downs match; shown in words ({@link displayMachine}).
 */
export const MACHINE_NOT_AVAILABLE = '(NA)'

/** A machine's name as shown: `unknownLabel` ("machine unknown") for {@link MACHINE_NOT_AVAILABLE}. */
export function displayMachine(name: string, unknownLabel: string): string {
  return name === MACHINE_NOT_AVAILABLE ? unknownLabel : name
}

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

/**
 * The formatter of an axis tooltip that describes one row of the chart's data: the row under the
 * pointer (the first series' data index), or nothing.
 */
export function axisRowFormatter<T>(rows: readonly T[], text: (row: T, index: number) => string): (params: { dataIndex?: number } | { dataIndex?: number }[]) => string {
  return (params) => {
    const first = Array.isArray(params) ? params[0] : params
    const index = first && typeof first.dataIndex === 'number' ? first.dataIndex : -1
    const row = rows[index]
    return row === undefined ? '' : text(row, index)
  }
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
