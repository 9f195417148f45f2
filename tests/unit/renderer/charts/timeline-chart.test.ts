// @vitest-environment happy-dom
/** The frame both timelines share: canvas height, lane rectangles, axes, zoom, tooltip routing, and the keyboard list. */
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams } from 'echarts'
import { laneRect, showLocalTime, timelineCanvasHeight, timelineFrame, VISIBLE_LANES, type TimelineFrameSpec } from '../../../../renderer/src/charts/timeline-chart'
import { plantTime } from '../../../../renderer/src/charts/lot-timeline-model'
import TimelineList from '../../../../renderer/src/components/charts/TimelineList.vue'

/** An item at lane 0 from x 100 to x 300 on a lane centred at y 200, 40 px high, in a plot from x 50 to 450. */
function fakeItem(end = 300, laneHeight: number | null = 40): { params: CustomSeriesRenderItemParams; api: CustomSeriesRenderItemAPI } {
  const values = [0, 1000, 2000]
  const api = {
    value: (i: number) => values[i],
    coord: ([t]: number[]) => [t === 1000 ? 100 : end, 200],
    ...(laneHeight === null ? {} : { size: () => [0, laneHeight] }),
  } as unknown as CustomSeriesRenderItemAPI
  const params = { coordSys: { x: 50, y: 0, width: 400, height: 500 } } as unknown as CustomSeriesRenderItemParams
  return { params, api }
}

const spec = (over: Partial<TimelineFrameSpec> = {}): TimelineFrameSpec => ({
  lanes: ['A', 'B'],
  window: { start: 0, end: 3_600_000 },
  laneLabelWidth: 200,
  stripe: '#eef2f7',
  description: 'two lanes',
  legend: ['x', 'y'],
  tooltip: ({ seriesId, data }) => `${seriesId ?? '-'}:${data.join(',')}`,
  ...over,
})

describe('timeline chart frame', () => {
  it('sizes the canvas by lanes, up to the visible lanes', () => {
    expect(timelineCanvasHeight(0, 50)).toBe(50 + 130)
    expect(timelineCanvasHeight(3, 50)).toBe(3 * 50 + 130)
    expect(timelineCanvasHeight(VISIBLE_LANES + 5, 50)).toBe(VISIBLE_LANES * 50 + 130)
  })

  it('shows a local time as the plant wrote it', () => {
    expect(showLocalTime(plantTime('2026-10-02 08:30:15')!)).toBe('2026-10-02 08:30:15')
  })

  it('places a rectangle in its part of the lane, clipped to the plot and at least minWidth wide', () => {
    const { params, api } = fakeItem()
    expect(laneRect(params, api, { top: 0.25, size: 0.5, minWidth: 0, laneHeight: 99 })).toEqual({ x: 100, y: 190, width: 200, height: 20 })
    const past = fakeItem(900)
    expect(laneRect(past.params, past.api, { top: 0, size: 1, minWidth: 0, laneHeight: 99 })).toMatchObject({ x: 100, width: 350 })
    const short = fakeItem(100)
    expect(laneRect(short.params, short.api, { top: 0, size: 1, minWidth: 4, laneHeight: 99 })).toMatchObject({ x: 100, width: 4 })
    expect(laneRect(short.params, short.api, { top: 0, size: 1, minWidth: 0, laneHeight: 99 })).toBeNull()
    const unsized = fakeItem(300, null)
    expect(laneRect(unsized.params, unsized.api, { top: 0, size: 1, minWidth: 0, laneHeight: 60 })).toMatchObject({ y: 170, height: 60 })
  })

  it('pads the time axis, caps the grid by the label width and adds the lane slider past the visible lanes', () => {
    const few = timelineFrame(spec({ timeSlider: { showDataShadow: false } }))
    expect(few.xAxis).toMatchObject({ type: 'time', min: -300_000, max: 3_900_000 })
    expect(few.yAxis).toMatchObject({ type: 'category', data: ['A', 'B'], inverse: true, axisLabel: { width: 200 }, splitArea: { areaStyle: { color: ['#f8fafc', '#eef2f7'] } } })
    expect(few.grid).toMatchObject({ left: 31.5, right: 24 })
    expect(few.dataZoom).toEqual([
      { type: 'inside', xAxisIndex: 0, filterMode: 'weakFilter' },
      { type: 'slider', xAxisIndex: 0, filterMode: 'weakFilter', bottom: 8, height: 20, labelFormatter: '', showDataShadow: false },
    ])
    expect(few.legend).toMatchObject({ data: ['x', 'y'] })
    expect(few.aria).toEqual({ enabled: true, label: { description: 'two lanes' } })
    const lanes = Array.from({ length: VISIBLE_LANES + 1 }, (_, i) => `a very long machine name ${i}`)
    const many = timelineFrame(spec({ lanes, window: null }))
    expect(many.grid).toMatchObject({ left: 220, right: 40 })
    expect(many.xAxis).not.toHaveProperty('min')
    expect((many.dataZoom as { yAxisIndex?: number; endValue?: number }[]).at(-1)).toMatchObject({ yAxisIndex: 0, endValue: VISIBLE_LANES - 1 })
  })

  it("hands the tooltip the item's series and data", () => {
    const tooltip = timelineFrame(spec()).tooltip as { formatter: (p: unknown) => string }
    expect(tooltip.formatter({ seriesId: 'lots', data: [1, 2, 3] })).toBe('lots:1,2,3')
    expect(tooltip.formatter({ seriesId: 'jobs', data: 'not an array' })).toBe('jobs:')
  })
})

describe('TimelineList', () => {
  it('draws worded rows with their kinds, times in tabular figures, the note and the open state', async () => {
    const wrapper = mount(TimelineList, {
      props: { summary: 'As a list', label: 'Timeline', headers: ['Lot', 'Kind', 'Start'], rows: [{ key: 'a', kind: 'visit', cells: ['L1', 'Visit', '2026-10-02 08:00:00'] }], numeric: [2], note: 'Cut' },
      attrs: { 'data-testid': 'the-list' },
    })
    expect(wrapper.get('details').attributes('data-testid')).toBe('the-list')
    expect(wrapper.get('summary').text()).toBe('As a list')
    expect(wrapper.get('.list-scroll').attributes('aria-label')).toBe('Timeline')
    expect(wrapper.get('.warn').text()).toBe('Cut')
    expect(wrapper.findAll('th').map((h) => h.text())).toEqual(['Lot', 'Kind', 'Start'])
    const cells = wrapper.findAll('tbody tr[data-kind="visit"] td')
    expect(cells.map((c) => [c.text(), c.classes()])).toEqual([
      ['L1', []],
      ['Visit', []],
      ['2026-10-02 08:00:00', ['num']],
    ])
    ;(wrapper.get('details').element as HTMLDetailsElement).open = true
    await wrapper.get('details').trigger('toggle')
    // happy-dom may fire its own toggle on `open` as well: every one says the list is open.
    expect(wrapper.emitted<[boolean]>('toggle')?.map((e) => e[0])).toContain(true)
    expect(wrapper.emitted<[boolean]>('toggle')?.every((e) => e[0] === true)).toBe(true)
    await wrapper.setProps({ note: undefined })
    expect(wrapper.find('.warn').exists()).toBe(false)
  })
})
