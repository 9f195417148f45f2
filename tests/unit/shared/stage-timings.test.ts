import { describe, expect, it } from 'vitest'
import { isStageTimings, MSD_ANALYSIS_STEPS, MSD_DIRECTION_STEPS, msdStepsShareDone, roundStageTimings, stageLines, type StageTimings } from '../../../shared/stage-timings.js'

function timings(over: Partial<StageTimings> = {}): StageTimings {
  return {
    resolve: 10,
    lineage: 20,
    events: 40,
    domains: { history: { fetch: 30, write: 5 }, materials: { fetch: 12, write: 3 } },
    analysis: { detection: 8, detail: 2 },
    sort_index: 10,
    finish: 2,
    total: 100,
    ...over,
  }
}

describe('stage timings', () => {
  it('lists the stages in the order they ran, the parts under their stage, each with its share of the total', () => {
    expect(stageLines(timings()).map((l) => [l.stage, l.depth, l.ms, l.share])).toEqual([
      ['resolve', 0, 10, 0.1],
      ['lineage', 0, 20, 0.2],
      ['events', 0, 40, 0.4],
      ['events.history.fetch', 1, 30, 0.3],
      ['events.history.write', 1, 5, 0.05],
      ['events.materials.fetch', 1, 12, 0.12],
      ['events.materials.write', 1, 3, 0.03],
      ['analysis', 0, 10, 0.1],
      ['analysis.detection', 1, 8, 0.08],
      ['analysis.detail', 1, 2, 0.02],
      ['sort_index', 0, 10, 0.1],
      ['finish', 0, 2, 0.02],
      ['total', 0, 100, 1],
    ])
  })

  it('has no analysis line without analysis steps, and shares of 0 for a total of 0', () => {
    const lines = stageLines(timings({ analysis: {}, domains: {}, resolve: 0, lineage: 0, events: 0, sort_index: 0, finish: 0, total: 0 }))
    expect(lines.map((l) => l.stage)).toEqual(['resolve', 'lineage', 'events', 'sort_index', 'finish', 'total'])
    expect(lines.every((l) => l.share === 0)).toBe(true)
  })

  it('rounds to a tenth of a millisecond, the parts down and the total up', () => {
    const rounded = roundStageTimings(
      timings({ resolve: 1.26, domains: { history: { fetch: 0.99, write: 0.04 } }, analysis: { families: 3.33 }, total: 100.01 }),
    )
    expect(rounded.resolve).toBe(1.2)
    expect(rounded.domains).toEqual({ history: { fetch: 0.9, write: 0 } })
    expect(rounded.analysis).toEqual({ families: 3.3 })
    expect(rounded.total).toBe(100.1)
  })

  it('accepts a well-formed record and refuses one that does not hold together', () => {
    expect(isStageTimings(timings())).toBe(true)
    expect(isStageTimings(timings({ analysis: {}, domains: {} }))).toBe(true)
    expect(isStageTimings(null)).toBe(false)
    expect(isStageTimings({ ...timings(), total: -1 })).toBe(false)
    expect(isStageTimings({ ...timings(), finish: 'fast' })).toBe(false)
    const { sort_index: _dropped, ...missing } = timings()
    expect(isStageTimings(missing)).toBe(false)
    expect(isStageTimings(timings({ domains: { nowhere: { fetch: 1, write: 1 } } as never }))).toBe(false)
    expect(isStageTimings(timings({ domains: { history: { fetch: 1 } } as never }))).toBe(false)
    expect(isStageTimings(timings({ analysis: { guessing: 1 } as never }))).toBe(false)
    expect(isStageTimings(timings({ analysis: { detail: Number.NaN } }))).toBe(false)
  })
})

describe('analysis steps', () => {
  it('backward runs every step, forward its five, each in the order of the full list', () => {
    expect(MSD_DIRECTION_STEPS.backward).toEqual(MSD_ANALYSIS_STEPS)
    const forward = MSD_DIRECTION_STEPS.forward
    expect(forward.map((s) => MSD_ANALYSIS_STEPS.indexOf(s))).toEqual([...forward.map((s) => MSD_ANALYSIS_STEPS.indexOf(s))].sort((a, b) => a - b))
  })

  it('weighs the steps done with their usual share: none at the start, the heavy factor tables count more than a step', () => {
    expect(msdStepsShareDone({ step: 'detection', steps_done: 0, steps_total: 9 })).toBe(0)
    // detection 15 + lot map 4 + factor tables 38 of 99.2.
    expect(msdStepsShareDone({ step: 'aggregate', steps_done: 3, steps_total: 9 })).toBeCloseTo(57 / 99.2, 12)
    // Forward: detection, lot map, factor tables, aggregate (75) of its 87.
    expect(msdStepsShareDone({ step: 'detail', steps_done: 4, steps_total: 5 })).toBeCloseTo(75 / 87, 12)
    // A step that is not the list's step at that count: no share rather than a wrong one.
    expect(msdStepsShareDone({ step: 'detail', steps_done: 1, steps_total: 9 })).toBeNull()
    expect(msdStepsShareDone({ step: 'detection', steps_done: 0, steps_total: 7 })).toBeNull()
  })
})
