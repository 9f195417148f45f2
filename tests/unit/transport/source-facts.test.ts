import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MesSource, SourceSpec } from '../../../main/sources/index.js'
import { SourceFacts } from '../../../main/transport/source-facts.js'
import { createFixtureSource, SPLIT_LOT_ROWS, type FixtureSource } from '../../fixtures/source-fixture.js'

const SPEC: SourceSpec = { kind: 'sqlite', path: '/fixture.sqlite' }

describe('SourceFacts', () => {
  let fixture: FixtureSource
  beforeAll(async () => {
    fixture = await createFixtureSource({
      ...SPLIT_LOT_ROWS,
      DW_MES_LOTREJECTHISTORY: [{ CONTAINERID: 'k1', WORKCENTERNAME: 'TMTT', LOSSREASONNAME: '001_CRACK', TXNDATE: '2026-01-03 09:00:00' }],
    })
  })
  afterAll(async () => fixture.cleanup())

  /** Opens the fixture (never closing it for real) and counts the opens. */
  function counting(fail = 0): { facts: SourceFacts; opens: () => number; clock: { now: number } } {
    let opens = 0
    const clock = { now: 1_000 }
    const source: MesSource = { kind: 'sqlite', dialect: fixture.source.dialect, description: 'x', stream: (...a) => fixture.source.stream(...a), all: (...a) => fixture.source.all(...a), catalog: () => fixture.source.catalog(), close: async () => {} }
    const facts = new SourceFacts({
      now: () => clock.now,
      ttlMs: 60_000,
      open: async () => {
        opens++
        if (opens <= fail) throw Object.assign(new Error('The source cannot be reached.'), { code: 'source/unreachable' })
        return { source }
      },
    })
    return { facts, opens: () => opens, clock }
  }

  it('reads the window once per source while it is fresh, and again once it is old', async () => {
    const { facts, opens, clock } = counting()
    const [a, b] = await Promise.all([facts.dataWindow('src-1', SPEC), facts.dataWindow('src-1', SPEC)])
    expect(a).toBe(b)
    expect(a.stations['測試']).toEqual({ first: '2026-01-03T08:00:00', last: '2026-01-03T08:00:00' })
    expect(opens()).toBe(1)
    await facts.dataWindow('src-2', SPEC)
    expect(opens()).toBe(2)
    clock.now += 60_001
    await facts.dataWindow('src-1', SPEC)
    expect(opens()).toBe(3)
  })

  it('lists the loss reasons of a station with the cached window', async () => {
    const { facts, opens } = counting()
    expect(await facts.lossReasons('src-1', SPEC, '測試')).toEqual({ station: '測試', reasons: ['001_CRACK'], since: '2026-01-03', until: '2026-01-03' })
    await facts.lossReasons('src-1', SPEC, '測試')
    expect(opens()).toBe(2)
    expect(await facts.lossReasons('src-1', SPEC, '成型')).toEqual({ station: '成型', reasons: [], since: '2026-01-02', until: '2026-01-02' })
    expect(opens()).toBe(3)
  })

  it('keeps no failure: the next ask reads again', async () => {
    const { facts, opens } = counting(1)
    await expect(facts.dataWindow('src-1', SPEC)).rejects.toMatchObject({ code: 'source/unreachable' })
    expect((await facts.dataWindow('src-1', SPEC)).first).toBe('2026-01-02T08:00:00')
    expect(opens()).toBe(2)
  })
})
