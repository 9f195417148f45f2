// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { MAX_SCROLL_HEIGHT, positionToReveal, scrollTopOf, virtualPositionOf, virtualWindow } from '../../../../renderer/src/components/table/virtual-rows'
import { filterText, parseFilterText } from '../../../../renderer/src/components/table/rows-filter'
import { countSelected, isSelected, normalizeRanges, rowsToTsv, selectedIndices, toggleIndex } from '../../../../renderer/src/components/table/rows-selection'

describe('virtual rows', () => {
  describe('when the content fits under the cap', () => {
    const g = { total: 1000, rowHeight: 28, viewportHeight: 280 }
    it('maps scroll offsets one to one', () => {
      expect(virtualPositionOf(2800, g)).toBe(2800)
      expect(scrollTopOf(2800, g)).toBe(2800)
      const w = virtualWindow(2800, 2800, g, 4)
      expect(w).toEqual({ contentHeight: 28_000, scale: 1, start: 96, end: 114, blockTop: 96 * 28, firstVisible: 100, lastVisible: 109 })
    })
  })

  describe('with 1 000 000 rows', () => {
    const g = { total: 1_000_000, rowHeight: 28, viewportHeight: 280 }
    it('caps the content height and scales the scroll', () => {
      const w = virtualWindow(0, 0, g)
      expect(w.contentHeight).toBe(MAX_SCROLL_HEIGHT)
      expect(w.scale).toBeCloseTo((28_000_000 - 280) / (MAX_SCROLL_HEIGHT - 280), 6)
    })
    it('reaches the last row at the end of the scroll range', () => {
      const end = MAX_SCROLL_HEIGHT - 280
      const pos = virtualPositionOf(end, g)
      expect(pos).toBe(28_000_000 - 280)
      const w = virtualWindow(pos, end, g, 4)
      expect(w.lastVisible).toBe(999_999)
      expect(w.firstVisible).toBe(999_990)
      expect(w.end).toBe(1_000_000)
      // The drawn block ends exactly at the bottom of the content.
      expect(w.blockTop + (w.end - w.start) * 28).toBe(MAX_SCROLL_HEIGHT)
    })
    it('draws the row of the position at the viewport top near the start, where the overscan shrinks', () => {
      const pos = virtualPositionOf(61, g)
      const w = virtualWindow(pos, 61, g, 4)
      expect(w.firstVisible).toBe(Math.floor(pos / 28))
      expect(w.start).toBe(Math.ceil((pos - 61) / 28))
      expect(w.start).toBeGreaterThan(w.firstVisible - 4)
      // The top of row `firstVisible` is at 61 minus the part of it scrolled past.
      expect(w.blockTop + (w.firstVisible - w.start) * 28).toBeCloseTo(61 - (pos - w.firstVisible * 28), 6)
    })
    it('keeps the drawn rows inside the content near the end', () => {
      const top = MAX_SCROLL_HEIGHT - 280 - 50
      const w = virtualWindow(virtualPositionOf(top, g), top, g, 4)
      expect(w.blockTop + (w.end - w.start) * 28).toBeLessThanOrEqual(MAX_SCROLL_HEIGHT)
      expect(w.end).toBeGreaterThan(w.lastVisible)
    })
    it('maps the middle of the scroll to the middle row, and back', () => {
      const s = scrollTopOf(500_000 * 28, g)
      expect(virtualPositionOf(s, g)).toBeCloseTo(500_000 * 28, 3)
      const w = virtualWindow(500_000 * 28, s, g, 2)
      expect(w.firstVisible).toBe(500_000)
      expect(w.start).toBe(499_998)
      // Row 500 000 is drawn at the viewport's top.
      expect(w.blockTop + 2 * 28).toBeCloseTo(s, 6)
    })
  })

  it('reveals a row below or above the viewport and leaves a visible one', () => {
    const g = { total: 100, rowHeight: 20, viewportHeight: 200 }
    expect(positionToReveal(3, 0, g)).toBe(0)
    expect(positionToReveal(12, 0, g)).toBe(13 * 20 - 200)
    expect(positionToReveal(2, 400, g)).toBe(40)
  })

  it('draws nothing for no rows', () => {
    expect(virtualWindow(0, 0, { total: 0, rowHeight: 28, viewportHeight: 300 })).toMatchObject({ start: 0, end: 0, firstVisible: -1 })
  })
})

describe('filter boxes', () => {
  it('reads number filters', () => {
    expect(parseFilterText('Q', '>=5', true)).toEqual({ ok: true, filter: { column: 'Q', op: 'gte', value: 5 } })
    expect(parseFilterText('Q', '<= 2.5', true)).toEqual({ ok: true, filter: { column: 'Q', op: 'lte', value: 2.5 } })
    expect(parseFilterText('Q', '=7', true)).toEqual({ ok: true, filter: { column: 'Q', op: 'eq', value: 7 } })
    expect(parseFilterText('Q', ' -3 ', true)).toEqual({ ok: true, filter: { column: 'Q', op: 'eq', value: -3 } })
    expect(parseFilterText('Q', '>5', true)).toEqual({ ok: false })
    expect(parseFilterText('Q', 'abc', true)).toEqual({ ok: false })
    expect(parseFilterText('Q', '  ', true)).toEqual({ ok: true, filter: null })
  })
  it('reads text filters and writes them back', () => {
    expect(parseFilterText('L', 'GA26', false)).toEqual({ ok: true, filter: { column: 'L', op: 'contains', value: 'GA26' } })
    expect(parseFilterText('L', '=GA26', false)).toEqual({ ok: true, filter: { column: 'L', op: 'eq', value: 'GA26' } })
    expect(filterText({ column: 'L', op: 'eq', value: 'GA26' })).toBe('=GA26')
    expect(filterText({ column: 'Q', op: 'gte', value: 5 })).toBe('>=5')
    expect(filterText({ column: 'Q', op: 'eq', value: 5 })).toBe('5')
  })
})

describe('selection ranges', () => {
  it('merges, toggles and counts', () => {
    expect(normalizeRanges([[5, 3], [7, 9], [1, 2], [8, 12]])).toEqual([[1, 5], [7, 12]])
    const r = toggleIndex([[1, 5]], 3)
    expect(r).toEqual([[1, 2], [4, 5]])
    expect(isSelected(r, 3)).toBe(false)
    expect(isSelected(r, 4)).toBe(true)
    expect(toggleIndex(r, 3)).toEqual([[1, 5]])
    expect(countSelected([[0, 999_999]])).toBe(1_000_000)
    expect(selectedIndices([[0, 999_999]], 10_000)).toBeNull()
    expect(selectedIndices([[2, 3], [9, 9]], 10)).toEqual([2, 3, 9])
  })
  it('writes tab-separated text with a header line', () => {
    const tsv = rowsToTsv(
      [{ key: 'A', label: 'Lot' }, { key: 'B' }],
      [{ A: 'x\ty', B: 3 }, { A: null, B: 0 }],
    )
    expect(tsv).toBe('Lot\tB\nx y\t3\n\t0\n')
  })
  it('keeps a cell a spreadsheet would run as a formula as text when pasted', () => {
    expect(rowsToTsv([{ key: 'A' }, { key: 'B' }], [{ A: '=HYPERLINK("http://x.example")', B: -4 }, { A: '\t+1', B: '@x' }])).toBe(
      'A\tB\n\'=HYPERLINK("http://x.example")\t-4\n\' +1\t\'@x\n',
    )
  })
})
