import { describe, expect, it } from 'vitest'
import { formatDemoSummary, type DemoSummary } from '../../../main/demo/index.js'

const SUMMARY: DemoSummary = {
  out: '/data/plant.sqlite',
  seed: 'mes-trace',
  lots: 20_000,
  startDate: '2026-09-02',
  endDate: '2026-10-31',
  tables: { DW_MES_CONTAINER: 21_843, DW_MES_LOTWIPHISTORY: 198_767 },
  elapsedMs: 2345,
  planted: {
    bad_machine: {
      equipment_name: 'GWBE-0029', equipment_id: '0014d4e4e6bd8d41', station: '焊接_WB', from_date: '2026-10-05',
      loss_reason: '201_OPEN', detection_station: '測試', affected_lots: 345,
    },
    bad_material_lot: {
      material_part_name: 'EMC-G600-A', material_lot_name: 'SMB260923-57', station: '成型', loss_reason: '206_LEAKAGE',
      detection_station: '測試', affected_lots: 149,
    },
    downstream_effect: {
      detection_station: '成型', loss_reason: '061_SHORT_MOLD', downstream_stations: ['電鍍', '測試'],
      downstream_loss_reasons: { 電鍍: '094_SOLDER_BRIDGE', 測試: '202_SHORT' }, affected_lots: 306,
    },
    guards: {
      split_cycle: { cids: ['a', 'b', 'c'], names: ['GA26109901-A01', 'GA26109901-A01-001', 'GA26109901-A01-002'] },
      self_reference: { cid: 'd', name: 'GA26109902-A01' },
      deep_chain: { root_cid: 'e', root_name: 'GA26109903-A01', leaf_cid: 'f', leaf_name: 'GA26109903-A01-025', depth: 25 },
    },
    samples: {
      lot_ids: ['GA26100002-A39', 'GA26090070-A02'], work_orders: ['GA26090070'], wafer_lots: ['56518S20J-1U48P'],
      serials: ['PSN2609000923'], gd_work_orders: [], gd_lot_ids: [],
    },
  },
}

describe('formatDemoSummary', () => {
  const text = formatDemoSummary(SUMMARY)

  it('says where the file is, how it was made and how many rows each table has', () => {
    expect(text).toContain('Demo plant written to /data/plant.sqlite')
    expect(text).toContain('seed "mes-trace", 20,000 lots, 2026-09-02 … 2026-10-31, 2.3 s')
    expect(text).toMatch(/DW_MES_LOTWIPHISTORY\s+198,767/)
    expect(text).toMatch(/DW_MES_CONTAINER\s+21,843/)
  })

  it('names each planted problem with what to look for', () => {
    expect(text).toContain('Bad wire bonder GWBE-0029 (0014d4e4e6bd8d41) at 焊接_WB from 2026-10-05')
    expect(text).toContain('rejects 201_OPEN rise; 345 lots affected')
    expect(text).toContain('Bad material lot SMB260923-57 of EMC-G600-A at 成型')
    expect(text).toContain('061_SHORT_MOLD at 成型 (306 lots)')
    expect(text).toContain('電鍍 (094_SOLDER_BRIDGE), 測試 (202_SHORT)')
  })

  it('shows the guard cases and the samples, and says when a sample kind is missing', () => {
    expect(text).toContain('GA26109901-A01 → GA26109901-A01-001 → GA26109901-A01-002 → GA26109901-A01-001')
    expect(text).toContain('GA26109903-A01 … GA26109903-A01-025 (25 levels)')
    expect(text).toContain('lot IDs         GA26100002-A39, GA26090070-A02')
    expect(text).toMatch(/GD work orders\s+\(none in a run this small\)/)
  })
})
