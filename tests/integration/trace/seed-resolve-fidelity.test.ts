/**
 * The seed-resolve decisions of docs/fidelity.md on a hand-built SQLite source (FIDELITY_ROWS):
 * a serial whose source lot has no container row still resolves (the original's LEFT JOIN), and
 * names are trimmed with the CID as the fallback (the original's `NVL(TRIM(…), CID)`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveContainerSeeds, resolveDetectionPopulation } from '../../../main/trace/seed-resolve.js'
import { createFixtureSource, type FixtureSource } from '../../fixtures/source-fixture.js'
import { FIDELITY_ROWS } from './fidelity-fixture.js'

describe('seed resolve fidelity on a hand-built source', () => {
  let fixture: FixtureSource

  beforeAll(async () => {
    fixture = await createFixtureSource(FIDELITY_ROWS)
  })

  afterAll(async () => {
    await fixture.cleanup()
  })

  it('resolves a serial to source lots the container table does not have, named by the merge record or by CID', async () => {
    const result = await resolveContainerSeeds(
      { mode: 'containers', resolve_type: 'serial_number', values: ['SN-NOROW'] },
      { source: fixture.source },
    )
    expect(result.seeds).toEqual([
      { container_id: 'NOROW', container_name: 'GA3009-A01', lot_id: 'GA3009-A01', input_value: 'SN-NOROW', match_source: 'finished_name' },
      { container_id: 'NOROW2', container_name: 'NOROW2', lot_id: 'NOROW2', input_value: 'SN-NOROW', match_source: 'finished_name' },
    ])
    expect(result.not_found).toEqual([])
    expect(result.expansion_info).toEqual({ 'SN-NOROW': 2 })
  })

  it('names a serial’s source lot by its container row when it has one', async () => {
    const result = await resolveContainerSeeds(
      { mode: 'containers', resolve_type: 'serial_number', values: ['SN-T'] },
      { source: fixture.source },
    )
    // G and X carry 'SN-T' exactly; A1's record is blank-padded and an exact token never reaches
    // it through the index, as in the original (docs/fidelity.md).
    expect(result.seeds.map((s) => [s.container_id, s.lot_id])).toEqual([
      ['X', 'GA3002-A01'],
      ['G', 'GD3003-A01'],
    ])
  })

  it('trims what a pattern matched: the blank-padded serial and lot name read as typed', async () => {
    const serial = await resolveContainerSeeds(
      { mode: 'containers', resolve_type: 'serial_number', values: ['SN-T*'] },
      { source: fixture.source },
    )
    expect(serial.seeds.find((s) => s.container_id === 'A1')).toEqual({
      container_id: 'A1', container_name: 'GA3001-A01-001', lot_id: 'GA3001-A01-001', input_value: 'SN-T*', match_source: 'finished_name',
    })
    const lots = await resolveContainerSeeds(
      { mode: 'containers', resolve_type: 'lot_id', values: ['GA3001-A01-00*'] },
      { source: fixture.source },
    )
    expect(lots.seeds.map((s) => [s.container_id, s.lot_id])).toEqual([
      ['A1', 'GA3001-A01-001'],
      ['A2', 'GA3001-A01-002'],
      ['A21', 'GA3001-A01-002-01'],
    ])
  })

  it('names a detection lot with a blank name by its CID', async () => {
    const result = await resolveDetectionPopulation(
      { mode: 'date_range', station: '測試', start_date: '2026-02-02', end_date: '2026-02-02' },
      { source: fixture.source },
    )
    expect(result.seeds).toEqual([
      { container_id: 'BL', container_name: 'BL', lot_id: 'BL' },
      { container_id: 'A1', container_name: 'GA3001-A01-001', lot_id: 'GA3001-A01-001' },
    ])
  })
})
