import { describe, expect, it } from 'vitest'
import {
  clampWidth,
  clearLayout,
  defaultLayout,
  displayColumns,
  fitWidth,
  LAYOUT_STORAGE_PREFIX,
  loadLayout,
  MAX_COLUMN_WIDTH,
  mergeLayout,
  MIN_COLUMN_WIDTH,
  moveColumn,
  saveLayout,
  type LayoutColumn,
} from '../../../../renderer/src/components/table/column-layout'

const COLUMNS: LayoutColumn[] = [
  { key: 'CONTAINERNAME', frozen: true },
  { key: 'WORKCENTERNAME' },
  { key: 'REJECT_TOTAL_QTY', numeric: true, expands: ['REJECT_QTY', 'STANDBY_QTY'] },
  { key: 'REJECT_QTY', numeric: true },
  { key: 'STANDBY_QTY', numeric: true },
  { key: 'DEFECT_QTY', numeric: true },
  { key: 'TXN_TIME' },
]

/** A Storage over a Map. */
function memoryStorage(): Storage & { map: Map<string, string> } {
  const map = new Map<string, string>()
  return {
    map,
    get length() {
      return map.size
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, v),
  }
}

describe('column layout', () => {
  describe('defaultLayout', () => {
    it('lists the top-level columns, frozen first, folded ones left to their parent', () => {
      const layout = defaultLayout([{ key: 'A' }, { key: 'LOT', frozen: true }, ...COLUMNS.slice(1)], ['TXN_TIME', 'LOT', 'NOPE'])
      expect(layout.order).toEqual(['LOT', 'A', 'WORKCENTERNAME', 'REJECT_TOTAL_QTY', 'DEFECT_QTY', 'TXN_TIME'])
      // A frozen column cannot start hidden; an unknown key is dropped.
      expect(layout.hidden).toEqual(['TXN_TIME'])
      expect(layout.widths).toEqual({})
    })
  })

  describe('mergeLayout', () => {
    it('keeps a stored order and widths, inserting a new column after its default predecessor', () => {
      const stored = { order: ['CONTAINERNAME', 'DEFECT_QTY', 'WORKCENTERNAME', 'GONE'], widths: { WORKCENTERNAME: 212.4, GONE: 90, REJECT_QTY: 5000 }, hidden: [] }
      const layout = mergeLayout(COLUMNS, stored)
      // Columns the stored order lacks go after their default predecessor: TXN_TIME after DEFECT_QTY,
      // REJECT_TOTAL_QTY after WORKCENTERNAME. Unknown keys go; widths are clamped.
      expect(layout.order).toEqual(['CONTAINERNAME', 'DEFECT_QTY', 'TXN_TIME', 'WORKCENTERNAME', 'REJECT_TOTAL_QTY'])
      expect(layout.widths).toEqual({ WORKCENTERNAME: 212, REJECT_QTY: MAX_COLUMN_WIDTH })
    })

    it('puts frozen columns first and never hides them, whatever was stored', () => {
      const layout = mergeLayout(COLUMNS, { order: ['TXN_TIME', 'CONTAINERNAME', 'WORKCENTERNAME'], hidden: ['CONTAINERNAME', 'TXN_TIME'] })
      expect(layout.order[0]).toBe('CONTAINERNAME')
      expect(layout.order.slice(0, 3)).toEqual(['CONTAINERNAME', 'TXN_TIME', 'WORKCENTERNAME'])
      expect(layout.hidden).toEqual(['TXN_TIME'])
    })

    it('falls back to the default for anything malformed', () => {
      const fallback = defaultLayout(COLUMNS, ['TXN_TIME'])
      for (const stored of [null, 'text', 42, []]) expect(mergeLayout(COLUMNS, stored, ['TXN_TIME'])).toEqual(fallback)
      const odd = mergeLayout(COLUMNS, { order: [1, 'TXN_TIME', null], widths: ['x'], hidden: 'TXN_TIME' }, ['TXN_TIME'])
      // Only the text entries of `order` count; the rest are put back after their default predecessors.
      expect(odd.order).toEqual(['CONTAINERNAME', 'WORKCENTERNAME', 'REJECT_TOTAL_QTY', 'DEFECT_QTY', 'TXN_TIME'])
      expect(odd.widths).toEqual({})
      // `hidden` that is not a list keeps the default hidden columns.
      expect(odd.hidden).toEqual(['TXN_TIME'])
    })
  })

  describe('moveColumn', () => {
    const frozen = new Set(['CONTAINERNAME'])
    const order = ['CONTAINERNAME', 'A', 'B', 'C']
    it('moves a column to a position among the others', () => {
      expect(moveColumn(order, 'C', 1, frozen)).toEqual(['CONTAINERNAME', 'C', 'A', 'B'])
      expect(moveColumn(order, 'A', 3, frozen)).toEqual(['CONTAINERNAME', 'B', 'C', 'A'])
      expect(moveColumn(order, 'A', 99, frozen)).toEqual(['CONTAINERNAME', 'B', 'C', 'A'])
    })
    it('moves nothing in front of a frozen column and never moves one', () => {
      expect(moveColumn(order, 'B', 0, frozen)).toEqual(['CONTAINERNAME', 'B', 'A', 'C'])
      expect(moveColumn(order, 'CONTAINERNAME', 3, frozen)).toEqual(order)
      expect(moveColumn(order, 'UNKNOWN', 1, frozen)).toEqual(order)
    })
  })

  describe('displayColumns', () => {
    it('draws the visible columns in order, the folded ones right after their opened parent', () => {
      const layout = { order: ['CONTAINERNAME', 'REJECT_TOTAL_QTY', 'DEFECT_QTY', 'WORKCENTERNAME', 'TXN_TIME'], widths: {}, hidden: ['WORKCENTERNAME'] }
      const keys = (opened: string[]) => displayColumns(COLUMNS, layout, new Set(opened)).map((c) => c.key)
      expect(keys([])).toEqual(['CONTAINERNAME', 'REJECT_TOTAL_QTY', 'DEFECT_QTY', 'TXN_TIME'])
      expect(keys(['REJECT_TOTAL_QTY'])).toEqual(['CONTAINERNAME', 'REJECT_TOTAL_QTY', 'REJECT_QTY', 'STANDBY_QTY', 'DEFECT_QTY', 'TXN_TIME'])
    })
  })

  describe('widths', () => {
    it('clamps to the allowed range in whole px', () => {
      expect(clampWidth(10)).toBe(MIN_COLUMN_WIDTH)
      expect(clampWidth(123.6)).toBe(124)
      expect(clampWidth(99_999)).toBe(MAX_COLUMN_WIDTH)
      expect(clampWidth(Number.NaN)).toBe(MIN_COLUMN_WIDTH)
    })

    it('fits the widest text plus the padding', () => {
      const measure = (text: string) => text.length * 7
      expect(fitWidth(['GA26090012-A01', 'GA26090012-A02-001', ''], measure, 18)).toBe(18 * 7 + 18)
      expect(fitWidth([], measure, 18)).toBe(MIN_COLUMN_WIDTH)
      expect(fitWidth(['x'.repeat(500)], measure, 18)).toBe(MAX_COLUMN_WIDTH)
    })
  })

  describe('storage', () => {
    it('keeps a layout per table kind, reads it back and forgets it', () => {
      const storage = memoryStorage()
      const layout = { order: ['CONTAINERNAME', 'TXN_TIME'], widths: { TXN_TIME: 200 }, hidden: [] }
      saveLayout(storage, 'domain:rejects', layout)
      expect([...storage.map.keys()]).toEqual([`${LAYOUT_STORAGE_PREFIX}domain:rejects`])
      expect(loadLayout(storage, 'domain:rejects')).toEqual(layout)
      expect(loadLayout(storage, 'domain:history')).toBeNull()
      clearLayout(storage, 'domain:rejects')
      expect(loadLayout(storage, 'domain:rejects')).toBeNull()
    })

    it('treats a damaged entry, a missing storage and a refusing storage as nothing stored', () => {
      const storage = memoryStorage()
      storage.setItem(`${LAYOUT_STORAGE_PREFIX}x`, '{not json')
      expect(loadLayout(storage, 'x')).toBeNull()
      expect(loadLayout(null, 'x')).toBeNull()
      const full = { setItem: () => { throw new Error('QuotaExceededError') } }
      expect(() => saveLayout(full, 'x', defaultLayout(COLUMNS))).not.toThrow()
    })
  })
})
