// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createAppI18n } from '../../../../renderer/src/i18n'
import VirtualTable from '../../../../renderer/src/components/table/VirtualTable.vue'
import type { FetchPage, Row, RowsQuery } from '../../../../renderer/src/composables/useRowsPage'
import { MAX_SCROLL_HEIGHT } from '../../../../renderer/src/components/table/virtual-rows'

const COLUMNS = [
  { key: 'CONTAINERID', label: 'Lot' },
  { key: 'EQUIPMENTNAME', label: 'Machine' },
  { key: 'TRACKINQTY', label: 'Qty in', numeric: true },
]

const rowOf = (i: number): Row => ({ CONTAINERID: `GA${String(i).padStart(8, '0')}`, EQUIPMENTNAME: `GWBA-${String(i % 120).padStart(4, '0')}`, TRACKINQTY: 10000 + (i % 997) })

/** `total` generated rows (42 when a filter is set); records every query. */
function fakeFetcher(total: number): { fetch: FetchPage; queries: RowsQuery[] } {
  const queries: RowsQuery[] = []
  const fetch: FetchPage = async (q) => {
    queries.push(q)
    const n = q.filter?.length ? 42 : total
    const rows: Row[] = []
    for (let i = q.offset; i < Math.min(n, q.offset + q.limit); i++) rows.push(rowOf(i))
    return { rows, total: n }
  }
  return { fetch, queries }
}

const ROW_HEIGHT = 28
const VIEWPORT = 280
let wrapper: VueWrapper | undefined

async function mountTable(total: number, extra: Record<string, unknown> = {}) {
  const { fetch, queries } = fakeFetcher(total)
  wrapper = mount(VirtualTable, {
    props: { columns: COLUMNS, fetchPage: fetch, viewportHeight: VIEWPORT, rowHeight: ROW_HEIGHT, caption: 'History events', ...extra },
    global: { plugins: [createAppI18n('en')] },
    attachTo: document.body,
  })
  await flushPromises()
  return { wrapper, queries }
}

const bodyRows = (w: VueWrapper) => w.findAll('tbody tr.vt-row')
const cellsOf = (w: VueWrapper, index: number) => w.find(`tbody tr[data-index="${index}"]`).findAll('td').map((c) => c.text())

async function scrollTo(w: VueWrapper, top: number) {
  const el = w.find('.vt-scroller').element as HTMLElement
  el.scrollTop = top
  await w.find('.vt-scroller').trigger('scroll')
  await flushPromises()
}

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  vi.restoreAllMocks()
})

describe('VirtualTable', () => {
  describe('with 1 000 000 rows', () => {
    it('puts only the visible rows and a small overscan in the DOM', async () => {
      const { wrapper: w, queries } = await mountTable(1_000_000)
      const grid = w.find('[role="grid"]')
      expect(grid.attributes('aria-rowcount')).toBe('1000002')
      expect(grid.attributes('aria-colcount')).toBe('3')
      expect(grid.attributes('aria-label')).toBe('History events')
      const rows = bodyRows(w)
      // 10 visible rows + 4 of overscan below.
      expect(rows).toHaveLength(14)
      expect(w.findAll('tr').length).toBeLessThan(100)
      expect(rows[0]!.attributes('aria-rowindex')).toBe('3')
      expect(cellsOf(w, 0)).toEqual(['GA00000000', 'GWBA-0000', '10000'])
      expect(w.find('.vt-count').text()).toBe('Rows 1–10 of 1,000,000')
      expect(queries).toEqual([{ offset: 0, limit: 200 }])
    })

    it('reaches the last row when scrolled to the end', async () => {
      const { wrapper: w, queries } = await mountTable(1_000_000)
      await scrollTo(w, MAX_SCROLL_HEIGHT - VIEWPORT)
      const rows = bodyRows(w)
      expect(rows.length).toBeLessThan(100)
      const last = rows[rows.length - 1]!
      expect(last.attributes('aria-rowindex')).toBe('1000002')
      expect(cellsOf(w, 999_999)).toEqual(['GA00999999', 'GWBA-0039', String(10000 + (999_999 % 997))])
      expect(queries.at(-1)).toEqual({ offset: 999_800, limit: 200 })
      expect(w.find('.vt-count').text()).toBe('Rows 999,991–1,000,000 of 1,000,000')
      // The spacer above the rows keeps the content within the capped height.
      const spacer = w.find('tbody tr.vt-spacer').element as HTMLElement
      expect(parseFloat(spacer.style.height) + rows.length * ROW_HEIGHT).toBeCloseTo(MAX_SCROLL_HEIGHT, 3)
    })

    it('maps the middle of the scroll range to the middle rows', async () => {
      const { wrapper: w } = await mountTable(1_000_000)
      await scrollTo(w, (MAX_SCROLL_HEIGHT - VIEWPORT) / 2)
      const first = Math.floor(((1_000_000 * ROW_HEIGHT - VIEWPORT) / 2) / ROW_HEIGHT)
      expect(w.find('.vt-count').text()).toBe(`Rows ${(first + 1).toLocaleString('en')}–${(first + 10).toLocaleString('en')} of 1,000,000`)
      expect(cellsOf(w, first)[0]).toBe(`GA${String(first).padStart(8, '0')}`)
    })
  })

  describe('sorting and filtering', () => {
    it('cycles a header through ascending, descending and none, asking for each order', async () => {
      const { wrapper: w, queries } = await mountTable(1000)
      const header = () => w.find('th[data-column="TRACKINQTY"]')
      expect(header().attributes('aria-sort')).toBe('none')
      await header().find('button').trigger('click')
      await flushPromises()
      expect(header().attributes('aria-sort')).toBe('ascending')
      expect(queries.at(-1)).toEqual({ offset: 0, limit: 200, sort: { column: 'TRACKINQTY', direction: 'asc' } })
      await header().find('button').trigger('click')
      await flushPromises()
      expect(header().attributes('aria-sort')).toBe('descending')
      expect(queries.at(-1)).toEqual({ offset: 0, limit: 200, sort: { column: 'TRACKINQTY', direction: 'desc' } })
      await header().find('button').trigger('click')
      await flushPromises()
      expect(header().attributes('aria-sort')).toBe('none')
      expect(queries.at(-1)).toEqual({ offset: 0, limit: 200 })
      expect(w.emitted('update:sort')).toEqual([[{ column: 'TRACKINQTY', direction: 'asc' }], [{ column: 'TRACKINQTY', direction: 'desc' }], [null]])
    })

    it('turns the filter boxes into page filters', async () => {
      const { wrapper: w, queries } = await mountTable(1000)
      const qty = w.find('input[data-column="TRACKINQTY"]')
      expect(qty.attributes('aria-label')).toBe('Filter Qty in')
      await qty.setValue('>=10500')
      await qty.trigger('change')
      await w.find('input[data-column="CONTAINERID"]').setValue('GA0000')
      await w.find('input[data-column="CONTAINERID"]').trigger('keydown', { key: 'Enter' })
      await flushPromises()
      expect(queries.at(-1)).toEqual({
        offset: 0,
        limit: 200,
        filter: [
          { column: 'CONTAINERID', op: 'contains', value: 'GA0000' },
          { column: 'TRACKINQTY', op: 'gte', value: 10500 },
        ],
      })
      expect(w.emitted('update:filter')).toHaveLength(2)
      expect(w.find('.vt-count').text()).toBe('Rows 1–10 of 42')
      expect(w.find('[role="grid"]').attributes('aria-rowcount')).toBe('44')
    })

    it('marks a malformed number filter and does not send it', async () => {
      const { wrapper: w, queries } = await mountTable(1000)
      const qty = w.find('input[data-column="TRACKINQTY"]')
      await qty.setValue('>five')
      await qty.trigger('change')
      await flushPromises()
      expect(qty.attributes('aria-invalid')).toBe('true')
      expect(queries).toEqual([{ offset: 0, limit: 200 }])
      expect(w.emitted('update:filter')).toBeUndefined()
    })

    it('applies typed text after the delay', async () => {
      vi.useFakeTimers()
      try {
        const { wrapper: w, queries } = await mountTable(1000, { filterDelay: 300 })
        // Typing fires `input` only (`setValue` would also fire `change`, which applies at once).
        const box = w.find('input[data-column="EQUIPMENTNAME"]')
        ;(box.element as HTMLInputElement).value = 'GWBA-0007'
        await box.trigger('input')
        await vi.advanceTimersByTimeAsync(299)
        expect(queries).toHaveLength(1)
        await vi.advanceTimersByTimeAsync(1)
        expect(queries.at(-1)?.filter).toEqual([{ column: 'EQUIPMENTNAME', op: 'contains', value: 'GWBA-0007' }])
      } finally {
        vi.useRealTimers()
      }
    })

    it('starts from the initial sort and filter', async () => {
      const { wrapper: w, queries } = await mountTable(1000, {
        initialSort: { column: 'CONTAINERID', direction: 'desc' },
        initialFilter: [{ column: 'TRACKINQTY', op: 'lte', value: 10100 }],
      })
      expect(queries).toEqual([{ offset: 0, limit: 200, sort: { column: 'CONTAINERID', direction: 'desc' }, filter: [{ column: 'TRACKINQTY', op: 'lte', value: 10100 }] }])
      expect((w.find('input[data-column="TRACKINQTY"]').element as HTMLInputElement).value).toBe('<=10100')
      expect(w.find('th[data-column="CONTAINERID"]').attributes('aria-sort')).toBe('descending')
    })

    it('draws no filter row when no shown column takes a filter, and draws it once one is shown', async () => {
      const columns = [
        { key: 'CONTAINERID', label: 'Lot', filterable: false },
        { key: 'EQUIPMENTNAME', label: 'Machine', filterable: false },
        { key: 'TRACKINQTY', label: 'Qty in', numeric: true },
      ]
      const { wrapper: w } = await mountTable(100, { columns, initialHidden: ['TRACKINQTY'] })
      const grid = w.find('[role="grid"]')
      expect(w.findAll('thead tr')).toHaveLength(1)
      expect(w.find('tr.vt-filters').exists()).toBe(false)
      // The header is the only row above the data: the row indices follow.
      expect(grid.attributes('aria-rowcount')).toBe('101')
      expect(bodyRows(w)[0]!.attributes('aria-rowindex')).toBe('2')
      await w.find('button.vt-columns').trigger('click')
      await w.find('.vt-menu-item input[data-column="TRACKINQTY"]').trigger('change')
      expect(w.findAll('tr.vt-filters td')).toHaveLength(3)
      expect(w.findAll('tr.vt-filters input').map((i) => i.attributes('data-column'))).toEqual(['TRACKINQTY'])
      expect(grid.attributes('aria-rowcount')).toBe('102')
      expect(bodyRows(w)[0]!.attributes('aria-rowindex')).toBe('3')
    })
  })

  describe('selection and copy', () => {
    it('copies a shift-click range as TSV with a header line', async () => {
      const write = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue()
      const { wrapper: w } = await mountTable(1000)
      await w.find('tr[data-index="2"]').trigger('click')
      await w.find('tr[data-index="4"]').trigger('click', { shiftKey: true })
      expect(w.findAll('tr[aria-selected="true"]').map((r) => r.attributes('data-index'))).toEqual(['2', '3', '4'])
      await w.find('button.vt-copy').trigger('click')
      await flushPromises()
      expect(write).toHaveBeenCalledWith(
        'Lot\tMachine\tQty in\nGA00000002\tGWBA-0002\t10002\nGA00000003\tGWBA-0003\t10003\nGA00000004\tGWBA-0004\t10004\n',
      )
      expect(w.find('.vt-notice').text()).toBe('Copied 3 rows')
    })

    it('toggles rows with Ctrl-click and copies them with Ctrl+C, hidden columns left out', async () => {
      const write = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue()
      const { wrapper: w } = await mountTable(1000)
      await w.find('button.vt-columns').trigger('click')
      await w.find('.vt-menu input[data-column="EQUIPMENTNAME"]').setValue(false)
      expect(w.findAll('th[role="columnheader"]').map((h) => h.text())).toEqual(['Lot', 'Qty in'])
      expect(w.emitted('update:hidden')).toEqual([[['EQUIPMENTNAME']]])
      await w.find('tr[data-index="1"]').trigger('click')
      await w.find('tr[data-index="6"]').trigger('click', { ctrlKey: true })
      await w.find('tr[data-index="8"]').trigger('click', { metaKey: true })
      await w.find('tr[data-index="6"]').trigger('click', { ctrlKey: true })
      await w.find('[role="grid"]').trigger('keydown', { key: 'c', ctrlKey: true })
      await flushPromises()
      expect(write).toHaveBeenCalledWith('Lot\tQty in\nGA00000001\t10001\nGA00000008\t10008\n')
    })

    it('loads the pages of a selection that are not loaded yet', async () => {
      const write = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue()
      const { wrapper: w, queries } = await mountTable(1000, { pageSize: 100 })
      expect(queries.map((q) => q.offset)).toEqual([0])
      await w.find('[role="grid"]').trigger('keydown', { key: 'a', ctrlKey: true })
      expect(w.find('.vt-selected-count').text()).toBe('1,000 selected')
      await w.find('button.vt-copy').trigger('click')
      await flushPromises()
      expect(queries.map((q) => q.offset)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900])
      const lines = (write.mock.calls[0]![0] as string).split('\n')
      expect(lines).toHaveLength(1002)
      expect(lines[1000]).toBe(`GA00000999\tGWBA-0039\t${10000 + (999 % 997)}`)
      expect(lines[1001]).toBe('')
    })

    it('refuses to copy more rows than one copy takes', async () => {
      const write = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue()
      const { wrapper: w, queries } = await mountTable(1_000_000)
      await w.find('tr[data-index="5"]').trigger('click')
      await w.find('[role="grid"]').trigger('keydown', { key: 'End', shiftKey: true })
      await flushPromises()
      await w.find('[role="grid"]').trigger('keydown', { key: 'c', ctrlKey: true })
      await flushPromises()
      expect(write).not.toHaveBeenCalled()
      expect(w.find('.vt-notice').text()).toBe('Too many rows selected (999,995); one copy takes at most 10,000. Export the result instead.')
      expect(queries.map((q) => q.offset)).toEqual([0, 999_800])
    })

    it('says so when the clipboard is not available', async () => {
      const saved = Object.getOwnPropertyDescriptor(navigator, 'clipboard')
      Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true })
      try {
        const { wrapper: w } = await mountTable(10)
        await w.find('tr[data-index="0"]').trigger('click')
        await w.find('button.vt-copy').trigger('click')
        await flushPromises()
        expect(w.find('.vt-notice').text()).toBe('The clipboard is not available here; export the result instead.')
      } finally {
        if (saved) Object.defineProperty(navigator, 'clipboard', saved)
        else delete (navigator as unknown as Record<string, unknown>).clipboard
      }
    })
  })

  describe('keyboard', () => {
    it('moves the active row and scrolls it into view', async () => {
      const { wrapper: w } = await mountTable(1_000_000)
      const grid = w.find('[role="grid"]')
      const active = () => w.find('tr.vt-row-active').attributes('data-index')
      await grid.trigger('keydown', { key: 'ArrowDown' })
      expect(active()).toBe('0')
      await grid.trigger('keydown', { key: 'ArrowDown' })
      await grid.trigger('keydown', { key: 'ArrowDown' })
      expect(active()).toBe('2')
      expect(grid.attributes('aria-activedescendant')).toBe(w.find('tr.vt-row-active').attributes('id'))
      await grid.trigger('keydown', { key: 'PageDown' })
      await flushPromises()
      // A page is the 10 visible rows less one.
      expect(active()).toBe('11')
      expect(w.find('.vt-count').text()).toBe('Rows 3–12 of 1,000,000')
      await grid.trigger('keydown', { key: 'ArrowUp' })
      expect(active()).toBe('10')
      await grid.trigger('keydown', { key: 'End' })
      await flushPromises()
      expect(active()).toBe('999999')
      expect(cellsOf(w, 999_999)[0]).toBe('GA00999999')
      expect(w.find('.vt-count').text()).toBe('Rows 999,991–1,000,000 of 1,000,000')
      await grid.trigger('keydown', { key: 'PageUp' })
      await flushPromises()
      expect(active()).toBe('999990')
      await grid.trigger('keydown', { key: 'Home' })
      await flushPromises()
      expect(active()).toBe('0')
      expect(w.find('.vt-count').text()).toBe('Rows 1–10 of 1,000,000')
    })

    it('emits activate on Enter and on double-click', async () => {
      const { wrapper: w } = await mountTable(100)
      const grid = w.find('[role="grid"]')
      await grid.trigger('keydown', { key: 'ArrowDown' })
      await grid.trigger('keydown', { key: 'ArrowDown' })
      await grid.trigger('keydown', { key: 'Enter' })
      await w.find('tr[data-index="4"]').trigger('dblclick')
      expect(w.emitted('activate')).toEqual([
        [rowOf(1), 1],
        [rowOf(4), 4],
      ])
    })
  })

  describe('the view it emits', () => {
    it('sends the view once when mounted and again on each filter, sort, column and selection change', async () => {
      const { wrapper: w } = await mountTable(1000)
      const views = () => w.emitted('update:view')!.map((e) => e[0])
      expect(views()).toEqual([{ filter: [], sort: null, columns: ['CONTAINERID', 'EQUIPMENTNAME', 'TRACKINQTY'], selection: [] }])
      await w.find('input[data-column="TRACKINQTY"]').setValue('>=10500')
      await w.find('input[data-column="TRACKINQTY"]').trigger('change')
      await flushPromises()
      await w.find('th[data-column="CONTAINERID"] button.vt-sort').trigger('click')
      await flushPromises()
      await w.find('button.vt-columns').trigger('click')
      await w.find('.vt-menu input[data-column="EQUIPMENTNAME"]').setValue(false)
      await w.find('tr[data-index="2"]').trigger('click')
      await w.find('tr[data-index="5"]').trigger('click', { shiftKey: true })
      await w.find('tr[data-index="8"]').trigger('click', { ctrlKey: true })
      await flushPromises()
      const filter = [{ column: 'TRACKINQTY', op: 'gte', value: 10500 }]
      const sort = { column: 'CONTAINERID', direction: 'asc' }
      expect(views().slice(1)).toEqual([
        { filter, sort: null, columns: ['CONTAINERID', 'EQUIPMENTNAME', 'TRACKINQTY'], selection: [] },
        { filter, sort, columns: ['CONTAINERID', 'EQUIPMENTNAME', 'TRACKINQTY'], selection: [] },
        { filter, sort, columns: ['CONTAINERID', 'TRACKINQTY'], selection: [] },
        { filter, sort, columns: ['CONTAINERID', 'TRACKINQTY'], selection: [[2, 2]] },
        { filter, sort, columns: ['CONTAINERID', 'TRACKINQTY'], selection: [[2, 5]] },
        { filter, sort, columns: ['CONTAINERID', 'TRACKINQTY'], selection: [[2, 5], [8, 8]] },
      ])
    })
  })

  describe('columns', () => {
    const LAYOUT_KEY = 'mes-trace:columns:test:events'
    const FOLDED = [
      { key: 'CONTAINERID', label: 'Lot', frozen: true },
      { key: 'EQUIPMENTNAME', label: 'Machine', title: 'The machine' },
      { key: 'TRACKINQTY', label: 'Qty in', numeric: true, expands: ['PART_A', 'PART_B'] },
      { key: 'PART_A', label: 'A', numeric: true },
      { key: 'PART_B', label: 'B', numeric: true },
    ]
    const keys = (w: VueWrapper) => w.findAll('th[role="columnheader"]').map((h) => h.attributes('data-column'))
    afterEach(() => localStorage.clear())

    it('names each header\'s database column in its tooltip and keeps a frozen column at the left', async () => {
      const { wrapper: w } = await mountTable(100, { columns: FOLDED })
      expect(w.find('th[data-column="CONTAINERID"]').attributes('title')).toBe('CONTAINERID')
      expect(w.find('th[data-column="EQUIPMENTNAME"]').attributes('title')).toBe('The machine')
      const frozen = w.find('th[data-column="CONTAINERID"]')
      expect(frozen.classes()).toContain('vt-frozen')
      expect((frozen.element as HTMLElement).style.left).toBe('0px')
      const cell = w.find('tbody tr[data-index="0"] td[data-column="CONTAINERID"]')
      expect(cell.classes()).toContain('vt-frozen')
      expect(w.find('tbody tr[data-index="0"] td[data-column="EQUIPMENTNAME"]').classes()).not.toContain('vt-frozen')
    })

    it('opens and folds the columns under a header, in the view it emits too', async () => {
      const { wrapper: w } = await mountTable(100, { columns: FOLDED })
      expect(keys(w)).toEqual(['CONTAINERID', 'EQUIPMENTNAME', 'TRACKINQTY'])
      const toggle = w.find('th[data-column="TRACKINQTY"] .vt-expand')
      expect(toggle.text()).toBe('▸')
      expect(toggle.attributes('aria-label')).toBe('Show the Qty in breakdown')
      await toggle.trigger('click')
      expect(keys(w)).toEqual(['CONTAINERID', 'EQUIPMENTNAME', 'TRACKINQTY', 'PART_A', 'PART_B'])
      expect(w.find('th[data-column="TRACKINQTY"] .vt-expand').text()).toBe('▾')
      expect(w.emitted('update:view')!.at(-1)![0]).toMatchObject({ columns: ['CONTAINERID', 'EQUIPMENTNAME', 'TRACKINQTY', 'PART_A', 'PART_B'] })
      await w.find('th[data-column="TRACKINQTY"] .vt-expand').trigger('click')
      expect(keys(w)).toEqual(['CONTAINERID', 'EQUIPMENTNAME', 'TRACKINQTY'])
      // Folded columns are not offered on their own in the column menu.
      await w.find('button.vt-columns').trigger('click')
      expect(w.findAll('.vt-menu-item').map((m) => m.attributes('data-column'))).toEqual(['CONTAINERID', 'EQUIPMENTNAME', 'TRACKINQTY'])
    })

    it('moves a column with Ctrl+Shift+arrows and the menu, never before a frozen one, and keeps the order per table kind', async () => {
      const { wrapper: w } = await mountTable(100, { columns: FOLDED, storageKey: 'test:events' })
      await w.find('th[data-column="TRACKINQTY"] .vt-sort').trigger('keydown', { key: 'ArrowLeft', ctrlKey: true, shiftKey: true })
      expect(keys(w)).toEqual(['CONTAINERID', 'TRACKINQTY', 'EQUIPMENTNAME'])
      await w.find('th[data-column="TRACKINQTY"] .vt-sort').trigger('keydown', { key: 'ArrowLeft', ctrlKey: true, shiftKey: true })
      expect(keys(w)).toEqual(['CONTAINERID', 'TRACKINQTY', 'EQUIPMENTNAME'])
      await w.find('button.vt-columns').trigger('click')
      await w.find('.vt-menu-item[data-column="TRACKINQTY"] .vt-move-right').trigger('click')
      expect(keys(w)).toEqual(['CONTAINERID', 'EQUIPMENTNAME', 'TRACKINQTY'])
      await w.find('.vt-menu-item[data-column="EQUIPMENTNAME"] .vt-move-right').trigger('click')
      expect(keys(w)).toEqual(['CONTAINERID', 'TRACKINQTY', 'EQUIPMENTNAME'])
      expect(JSON.parse(localStorage.getItem(LAYOUT_KEY)!)).toEqual({ order: ['CONTAINERID', 'TRACKINQTY', 'EQUIPMENTNAME'], widths: {}, hidden: [] })
      expect(w.emitted('update:view')!.at(-1)![0]).toMatchObject({ columns: ['CONTAINERID', 'TRACKINQTY', 'EQUIPMENTNAME'] })
      w.unmount()
      // Another table of the same kind opens arranged the same way; another kind does not.
      const { wrapper: again } = await mountTable(100, { columns: FOLDED, storageKey: 'test:events' })
      expect(keys(again)).toEqual(['CONTAINERID', 'TRACKINQTY', 'EQUIPMENTNAME'])
      again.unmount()
      const { wrapper: other } = await mountTable(100, { columns: FOLDED, storageKey: 'test:other' })
      expect(keys(other)).toEqual(['CONTAINERID', 'EQUIPMENTNAME', 'TRACKINQTY'])
    })

    it('resizes from the keyboard, fits the widest cell on a double-click, and resets', async () => {
      const { wrapper: w } = await mountTable(100, { columns: FOLDED, storageKey: 'test:events' })
      const width = () => Number(w.find('th[data-column="EQUIPMENTNAME"] .vt-resize').attributes('aria-valuenow'))
      const col = () => (w.findAll('col')[1]!.element as HTMLElement).style.width
      expect(width()).toBe(160)
      await w.find('th[data-column="EQUIPMENTNAME"] .vt-resize').trigger('keydown', { key: 'ArrowRight' })
      await w.find('th[data-column="EQUIPMENTNAME"] .vt-resize').trigger('keydown', { key: 'ArrowRight', shiftKey: true })
      expect(width()).toBe(160 + 16 + 64)
      expect(col()).toBe('240px')
      expect(JSON.parse(localStorage.getItem(LAYOUT_KEY)!).widths).toEqual({ EQUIPMENTNAME: 240 })
      // 'GWBA-0000' is 9 characters: about 7.5 px each where the page cannot measure, plus padding.
      await w.find('th[data-column="EQUIPMENTNAME"] .vt-resize').trigger('dblclick')
      const fitted = width()
      expect(fitted).toBeLessThan(120)
      expect(fitted).toBeGreaterThanOrEqual(Math.ceil(9 * 7.5 + 18))
      await w.find('button.vt-columns').trigger('click')
      await w.find('.vt-menu-item[data-column="EQUIPMENTNAME"] .vt-move-right').trigger('click')
      await w.find('button.vt-reset').trigger('click')
      expect(width()).toBe(160)
      expect(keys(w)).toEqual(['CONTAINERID', 'EQUIPMENTNAME', 'TRACKINQTY'])
      expect(localStorage.getItem(LAYOUT_KEY)).toBeNull()
    })

    it('shows a column\'s own cell text when it has one', async () => {
      const columns = [...COLUMNS.slice(0, 2), { key: 'TRACKINQTY', label: 'Qty in', numeric: true, text: (row: Row) => `${row.TRACKINQTY} pcs` }]
      const { wrapper: w } = await mountTable(10, { columns })
      expect(cellsOf(w, 3)).toEqual(['GA00000003', 'GWBA-0003', '10003 pcs'])
    })
  })

  describe('when a page fails', () => {
    it('shows the code and message and retries', async () => {
      let fail = true
      const { fetch } = fakeFetcher(50)
      const fetchPage: FetchPage = (q) => (fail ? Promise.reject({ code: 'storage/unreadable', message: 'The result file is missing.' }) : fetch(q))
      wrapper = mount(VirtualTable, {
        props: { columns: COLUMNS, fetchPage, viewportHeight: VIEWPORT },
        global: { plugins: [createAppI18n('en')] },
      })
      await flushPromises()
      const alert = wrapper.find('[role="alert"]')
      expect(alert.find('.vt-error-code').text()).toBe('storage/unreadable')
      expect(alert.find('.vt-error-message').text()).toBe('The result file is missing.')
      fail = false
      await alert.find('button.vt-retry').trigger('click')
      await flushPromises()
      expect(wrapper.find('[role="alert"]').exists()).toBe(false)
      expect(cellsOf(wrapper, 0)[0]).toBe('GA00000000')
      expect(wrapper.find('.vt-count').text()).toBe('Rows 1–10 of 50')
    })
  })
})
