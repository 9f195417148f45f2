import { describe, expect, it } from 'vitest'
import { stageEtaMs } from '../../../main/engine/job-engine.js'
import { MSD_DIRECTION_STEPS, MSD_STEP_WEIGHTS } from '../../../shared/stage-timings.js'
import type { TraceProgress } from '../../../shared/trace.js'

const events = (done: number, total: number): TraceProgress => ({
  stage: 'events',
  completed_stages: ['seed', 'lineage'],
  domains: { upstream_history: { batches_done: done, batches_total: total, rows: 0 } },
})

const analysis = (direction: 'backward' | 'forward', done: number): TraceProgress => {
  const steps = MSD_DIRECTION_STEPS[direction]
  return {
    stage: 'analysis',
    completed_stages: ['seed', 'lineage', 'events'],
    analysis: { step: steps[Math.min(done, steps.length - 1)]!, steps_done: done, steps_total: steps.length },
  }
}

describe('stage time estimate', () => {
  it('events: the pace of the events stage so far, by batches', () => {
    // 4 of 10 batches in 2 s of the stage: 6 more at 0.5 s each.
    expect(stageEtaMs(events(4, 10), 2000)).toBe(3000)
    expect(stageEtaMs(events(0, 10), 2000)).toBeUndefined()
    expect(stageEtaMs(events(10, 10), 2000)).toBe(0)
  })

  it('analysis: the steps done weighed with their usual share of the analysis', () => {
    const steps = MSD_DIRECTION_STEPS.backward
    const total = steps.reduce((n, s) => n + MSD_STEP_WEIGHTS[s], 0)
    // detection, lot_map and factor_tables done (15 + 4 + 38 of 99.2) in 5.7 s of the stage.
    const done = MSD_STEP_WEIGHTS.detection + MSD_STEP_WEIGHTS.lot_map + MSD_STEP_WEIGHTS.factor_tables
    expect(done).toBe(57)
    expect(stageEtaMs(analysis('backward', 3), 5700)).toBe(Math.round((5700 * (total - 57)) / 57))
    // Nothing done yet: no pace to go by.
    expect(stageEtaMs(analysis('backward', 0), 5700)).toBeUndefined()
    // Forward weighs its own five steps.
    const forward = MSD_DIRECTION_STEPS.forward.reduce((n, s) => n + MSD_STEP_WEIGHTS[s], 0)
    expect(stageEtaMs(analysis('forward', 4), 1000)).toBe(Math.round((1000 * MSD_STEP_WEIGHTS.detail) / (forward - MSD_STEP_WEIGHTS.detail)))
  })

  it('analysis: a report whose step does not fit its count gives no estimate rather than a wrong one', () => {
    const odd: TraceProgress = { stage: 'analysis', completed_stages: [], analysis: { step: 'detail', steps_done: 1, steps_total: 9 } }
    expect(stageEtaMs(odd, 1000)).toBeUndefined()
    expect(stageEtaMs({ stage: 'analysis', completed_stages: [], message: 'older worker' }, 1000)).toBeUndefined()
    expect(stageEtaMs({ stage: 'lineage', completed_stages: ['seed'] }, 1000)).toBeUndefined()
  })
})
