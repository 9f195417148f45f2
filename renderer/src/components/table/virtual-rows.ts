/**
 * Which rows of a virtual list are on screen, and where to draw them. Browsers cap an element's
 * height (about 33 M px in Chromium), so past `maxHeight` the scroll position maps proportionally
 * onto the rows: the scroll range stays within the cap and its end is still the last row.
 */

/** Content height above which scrolling is scaled (well under every browser's cap). */
export const MAX_SCROLL_HEIGHT = 8_000_000

export interface VirtualGeometry {
  total: number
  rowHeight: number
  /** Height of the area the rows scroll in (px). */
  viewportHeight: number
  /** @default MAX_SCROLL_HEIGHT */
  maxHeight?: number
}

export interface VirtualWindow {
  /** Height of the scrolled content (px), at most `maxHeight`. */
  contentHeight: number
  /** Virtual pixels per scrolled pixel (1 when not scaled). */
  scale: number
  /** First row drawn (overscan included) and one past the last. */
  start: number
  end: number
  /** Offset of row `start` from the top of the content (px). */
  blockTop: number
  /** First and last row at least partly visible (-1 when there are no rows). */
  firstVisible: number
  lastVisible: number
}

function contentHeightOf(g: VirtualGeometry): number {
  return Math.min(g.total * g.rowHeight, g.maxHeight ?? MAX_SCROLL_HEIGHT)
}

/** Scrolled px → virtual px, and back. */
function ranges(g: VirtualGeometry): { scrollRange: number; virtualRange: number } {
  const vh = Math.max(0, g.viewportHeight)
  return {
    scrollRange: Math.max(0, contentHeightOf(g) - vh),
    virtualRange: Math.max(0, g.total * g.rowHeight - vh),
  }
}

/** Virtual position (px from the first row) shown at the top for a scroll offset. */
export function virtualPositionOf(scrollTop: number, g: VirtualGeometry): number {
  const { scrollRange, virtualRange } = ranges(g)
  if (scrollRange <= 0) return 0
  const s = Math.min(Math.max(0, scrollTop), scrollRange)
  return scrollRange === virtualRange ? s : (s / scrollRange) * virtualRange
}

/** The scroll offset that shows virtual position `position` at the top. */
export function scrollTopOf(position: number, g: VirtualGeometry): number {
  const { scrollRange, virtualRange } = ranges(g)
  if (virtualRange <= 0) return 0
  const p = Math.min(Math.max(0, position), virtualRange)
  return scrollRange === virtualRange ? p : (p / virtualRange) * scrollRange
}

/**
 * The rows to draw at virtual position `position` (see {@link virtualPositionOf}), with `overscan`
 * rows either side, and where row `start` goes so that `position` is at the top of the viewport
 * whose own top is at `scrollTop`.
 */
export function virtualWindow(position: number, scrollTop: number, g: VirtualGeometry, overscan = 4): VirtualWindow {
  const contentHeight = contentHeightOf(g)
  const { scrollRange, virtualRange } = ranges(g)
  const scale = scrollRange > 0 && virtualRange !== scrollRange ? virtualRange / scrollRange : 1
  if (g.total <= 0) return { contentHeight: 0, scale, start: 0, end: 0, blockTop: 0, firstVisible: -1, lastVisible: -1 }
  const rh = g.rowHeight
  const pos = Math.min(Math.max(0, position), virtualRange)
  const firstVisible = Math.min(g.total - 1, Math.floor(pos / rh))
  const lastVisible = Math.min(g.total - 1, Math.max(firstVisible, Math.ceil((pos + Math.max(rh, g.viewportHeight)) / rh) - 1))
  const top = Math.min(Math.max(0, scrollTop), scrollRange)
  // Row `firstVisible` sits at the viewport's top, shifted by how much of it is scrolled past.
  // Scaled, fewer px lie above the viewport than rows before it: the overscan shrinks so that
  // the drawn rows stay inside the content (else they would be pushed down).
  const start = Math.min(firstVisible, Math.max(0, firstVisible - overscan, Math.ceil((pos - top) / rh)))
  const blockTop = Math.max(0, top - (pos - start * rh))
  const room = Math.floor((contentHeight - blockTop) / rh + 1e-9)
  const end = Math.max(lastVisible + 1, Math.min(g.total, lastVisible + 1 + overscan, start + room))
  return { contentHeight, scale, start, end, blockTop: Math.max(0, Math.min(blockTop, contentHeight - (end - start) * rh)), firstVisible, lastVisible }
}

/**
 * The virtual position that brings row `index` fully into view from `position`: unchanged when it
 * is visible, else the row at the top (moving up) or at the bottom (moving down).
 */
export function positionToReveal(index: number, position: number, g: VirtualGeometry): number {
  const rh = g.rowHeight
  const rowTop = index * rh
  const rowBottom = rowTop + rh
  const vh = Math.max(rh, g.viewportHeight)
  if (rowTop < position) return rowTop
  if (rowBottom > position + vh) return rowBottom - vh
  return position
}
