/**
 * The fidelity decisions of docs/fidelity.md give the same answers on the three dialects: the
 * hand-built plant (FIDELITY_ROWS: blank-padded names, serial source lots without a container row,
 * merge sources from another wafer and a GD rework, a wafer lot's split tree) is traced through
 * SQLite, through the Oracle dialect (every statement checked, then answered from the same SQLite
 * file) and, where MES_TRACE_PG_TEST_URL names a server, through PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MesSource } from '../../../main/sources/index.js'
import { resolveBackwardLineage, resolveContainerSeeds, resolveDetectionPopulation, resolveForwardLineage } from '../../../main/trace/index.js'
import { recordingOracleSource, type RecordedStatement } from '../../fixtures/oracle-recording.js'
import { createFixtureSource, type FixtureSource } from '../../fixtures/source-fixture.js'
import { FIDELITY_ROWS } from '../trace/fidelity-fixture.js'
import { postgresCopyOf, type PostgresCopy } from '../../fixtures/pg-schema.js'

/** Everything the fidelity decisions touch, from one source. */
async function answersOf(source: MesSource): Promise<unknown> {
  const serials = (values: string[]) => resolveContainerSeeds({ mode: 'containers', resolve_type: 'serial_number', values }, { source })
  return {
    serials: await serials(['SN-NOROW', 'SN-T*']),
    lots: await resolveContainerSeeds({ mode: 'containers', resolve_type: 'lot_id', values: ['GA3001-A01-00*'] }, { source }),
    detection: await resolveDetectionPopulation({ mode: 'date_range', station: '測試', start_date: '2026-02-02', end_date: '2026-02-02' }, { source }),
    forward: await resolveForwardLineage(['A21', 'T', 'A1'], { source }),
    backward: await resolveBackwardLineage(['T', 'NOROW', 'NOROW2', 'C1', 'V1'], { source }),
  }
}

describe('fidelity decisions on every dialect', () => {
  let fixture: FixtureSource
  let reference: unknown

  beforeAll(async () => {
    fixture = await createFixtureSource(FIDELITY_ROWS)
    reference = await answersOf(fixture.source)
  })
  afterAll(async () => {
    await fixture.cleanup()
  })

  it('answers on SQLite as the decisions say', () => {
    expect(reference).toMatchObject({
      serials: { not_found: [], expansion_info: { 'SN-NOROW': 2 } },
      detection: { seeds: [{ container_id: 'BL', lot_id: 'BL' }, { container_id: 'A1', lot_id: 'GA3001-A01-001' }] },
      forward: { seeds: ['A21', 'T', 'A1'], children_map: { W: ['A'], W2: ['X'], Z: ['G'] } },
      backward: { seed_serials: { NOROW: ['SN-NOROW'], NOROW2: ['SN-NOROW'] }, names: { NOROW: 'GA3009-A01' } },
    })
  })

  it('answers the same through the Oracle dialect, the serial lookup a LEFT JOIN', async () => {
    const recorded: RecordedStatement[] = []
    expect(await answersOf(recordingOracleSource(fixture.source, recorded))).toEqual(reference)
    const seen = recorded.map((s) => s.sql)
    expect(seen.filter((sql) => sql.includes('FINISHEDNAME IN'))).toEqual([
      expect.stringContaining('FROM DWH.DW_MES_PJ_COMBINEDASSYLOTS m LEFT JOIN DWH.DW_MES_CONTAINER c ON c.CONTAINERID = m.CONTAINERID'),
    ])
  })

  const url = process.env.MES_TRACE_PG_TEST_URL
  describe.skipIf(!url)('on PostgreSQL (MES_TRACE_PG_TEST_URL)', () => {
    const schema = `fidelity_${process.pid}`
    let postgres: MesSource
    let copy: PostgresCopy | undefined

    beforeAll(async () => {
      copy = await postgresCopyOf(fixture.path, url!, schema)
      postgres = copy.source
    }, 60_000)
    afterAll(async () => {
      await copy?.drop()
    })

    it('answers the same as SQLite', async () => {
      expect(await answersOf(postgres)).toEqual(reference)
    })
  })
})
