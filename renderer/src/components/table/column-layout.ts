/**
 * A table's column layout — the order of its columns, their widths and which are hidden — and how
 * it is kept per table kind in the window's storage. Pure functions, so the rules (frozen columns
 * lead, folded columns follow the one they belong to, a stored layout survives new or dropped
 * columns) are tested without a browser.
 */

/** What the layout needs to know about a column. */
export interface LayoutColumn {
  key: string
  /** Pinned at the start and not moved by reordering (the lot ID). */
  frozen?: boolean
  /** Keys of columns shown right after this one only while it is opened (a breakdown). */
  expands?: readonly string[]
  /** px. */
  width?: number
  numeric?: boolean
}

/** The person's arrangement of a table. */
export interface ColumnLayout {
  /** Keys of the top-level columns (not folded ones), in display order, frozen ones first. */
  order: string[]
  /** Widths the person set (px); a column without one has its default. */
  widths: Record<string, number>
  /** Keys of hidden top-level columns. */
  hidden: string[]
}

/** Narrowest and widest a column can be made (px). */
export const MIN_COLUMN_WIDTH = 48
export const MAX_COLUMN_WIDTH = 720

/** Storage key prefix of the layouts; the table kind follows (`mes-trace:columns:domain:history`). */
export const LAYOUT_STORAGE_PREFIX = 'mes-trace:columns:'

/** Default width of a column without one (px). */
export function defaultWidthOf(c: LayoutColumn): number {
  return c.width ?? (c.numeric ? 110 : 160)
}

/** A width within the allowed range, in whole px. */
export function clampWidth(width: number): number {
  if (!Number.isFinite(width)) return MIN_COLUMN_WIDTH
  return Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)))
}

/** Keys of the columns folded under another one. */
function foldedKeys(columns: readonly LayoutColumn[]): Set<string> {
  const out = new Set<string>()
  for (const c of columns) for (const k of c.expands ?? []) out.add(k)
  return out
}

/** Frozen keys first, each group keeping its relative order. */
function frozenFirst(order: readonly string[], frozen: ReadonlySet<string>): string[] {
  return [...order.filter((k) => frozen.has(k)), ...order.filter((k) => !frozen.has(k))]
}

/** The layout a table starts with: the columns' own order and widths, `hidden` hidden. */
export function defaultLayout(columns: readonly LayoutColumn[], hidden: readonly string[] = []): ColumnLayout {
  const folded = foldedKeys(columns)
  const frozen = new Set(columns.filter((c) => c.frozen).map((c) => c.key))
  const order = frozenFirst(
    columns.filter((c) => !folded.has(c.key)).map((c) => c.key),
    frozen,
  )
  return { order, widths: {}, hidden: hidden.filter((k) => order.includes(k) && !frozen.has(k)) }
}

/**
 * A stored layout fitted to the columns the table has now: unknown keys dropped, a column the
 * stored order lacks inserted after the column that precedes it by default, frozen columns first
 * and never hidden, widths clamped. Anything malformed falls back to the default.
 */
export function mergeLayout(columns: readonly LayoutColumn[], stored: unknown, hidden: readonly string[] = []): ColumnLayout {
  const fallback = defaultLayout(columns, hidden)
  if (typeof stored !== 'object' || stored === null) return fallback
  const s = stored as Partial<Record<keyof ColumnLayout, unknown>>
  const known = new Set(fallback.order)
  const all = new Set(columns.map((c) => c.key))
  const frozen = new Set(columns.filter((c) => c.frozen).map((c) => c.key))
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])

  const order = [...new Set(strings(s.order).filter((k) => known.has(k)))]
  fallback.order.forEach((key, i) => {
    if (order.includes(key)) return
    // After its default predecessor that is placed, else at the very start.
    let at = 0
    for (let j = i - 1; j >= 0; j--) {
      const p = order.indexOf(fallback.order[j]!)
      if (p >= 0) {
        at = p + 1
        break
      }
    }
    order.splice(at, 0, key)
  })

  const widths: Record<string, number> = {}
  if (typeof s.widths === 'object' && s.widths !== null && !Array.isArray(s.widths)) {
    for (const [k, v] of Object.entries(s.widths as Record<string, unknown>)) {
      if (all.has(k) && typeof v === 'number' && Number.isFinite(v)) widths[k] = clampWidth(v)
    }
  }
  const storedHidden = Array.isArray(s.hidden) ? strings(s.hidden) : fallback.hidden
  const hiddenKeys = [...new Set(storedHidden)].filter((k) => known.has(k) && !frozen.has(k))
  // At least one column stays visible.
  const visible = order.filter((k) => !hiddenKeys.includes(k))
  return { order: frozenFirst(order, frozen), widths, hidden: visible.length > 0 ? hiddenKeys : [] }
}

/**
 * The order with `key` moved to position `to` (clamped). Frozen columns do not move, and nothing
 * moves in front of them.
 */
export function moveColumn(order: readonly string[], key: string, to: number, frozen: ReadonlySet<string>): string[] {
  const from = order.indexOf(key)
  if (from < 0 || frozen.has(key)) return [...order]
  const firstMovable = order.filter((k) => frozen.has(k)).length
  const rest = order.filter((k) => k !== key)
  const at = Math.max(firstMovable, Math.min(rest.length, to))
  rest.splice(at, 0, key)
  return rest
}

/**
 * The columns to draw, in order: the layout's visible top-level columns, each opened column
 * followed by the columns folded under it.
 */
export function displayColumns<C extends LayoutColumn>(columns: readonly C[], layout: ColumnLayout, opened: ReadonlySet<string>): C[] {
  const byKey = new Map(columns.map((c) => [c.key, c]))
  const hidden = new Set(layout.hidden)
  const out: C[] = []
  for (const key of layout.order) {
    const c = byKey.get(key)
    if (!c || hidden.has(key)) continue
    out.push(c)
    if (!opened.has(key)) continue
    for (const child of c.expands ?? []) {
      const folded = byKey.get(child)
      if (folded) out.push(folded)
    }
  }
  return out
}

/**
 * The width that shows the widest of `texts` whole: the widest measured text plus `padding`,
 * within the allowed range.
 */
export function fitWidth(texts: readonly string[], measure: (text: string) => number, padding: number): number {
  let widest = 0
  for (const text of texts) widest = Math.max(widest, measure(text))
  return clampWidth(Math.ceil(widest + padding))
}

/** The stored layout of a table kind, or null (nothing stored, unreadable, or no storage). */
export function loadLayout(storage: Pick<Storage, 'getItem'> | null, kind: string): unknown {
  try {
    const text = storage?.getItem(LAYOUT_STORAGE_PREFIX + kind)
    return text ? (JSON.parse(text) as unknown) : null
  } catch {
    // A damaged entry is as good as none: the default layout is used.
    return null
  }
}

/** Keeps a table kind's layout. Storage that is full or refused is ignored: the layout is a comfort. */
export function saveLayout(storage: Pick<Storage, 'setItem'> | null, kind: string, layout: ColumnLayout): void {
  try {
    storage?.setItem(LAYOUT_STORAGE_PREFIX + kind, JSON.stringify(layout))
  } catch {
    // See above.
  }
}

/** Forgets a table kind's layout. */
export function clearLayout(storage: Pick<Storage, 'removeItem'> | null, kind: string): void {
  try {
    storage?.removeItem(LAYOUT_STORAGE_PREFIX + kind)
  } catch {
    // See above.
  }
}
