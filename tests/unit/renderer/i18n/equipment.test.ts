/**
 * The equipment area's messages beyond what tests/unit/renderer/i18n.test.ts checks for every
 * area: the keys the renderer names as a `title:` or `key:` and those it builds from the
 * sub-views, exports, statuses and columns resolve in both languages, and zh-TW uses the plant's
 * terms.
 */
import { describe, expect, it } from 'vitest'
import { EQUIPMENT_EXPORTS, EQUIPMENT_REJECT_COLUMNS, EQUIPMENT_STATUS_COLUMNS, EQUIPMENT_VIEWS, MACHINE_STATUSES } from '../../../../shared/equipment'
import { keysInSource, messagesByKey, unresolvedKeys } from '../../../fixtures/i18n-keys'

describe('equipment messages', () => {
  it('resolves every equipment key the renderer names as a title or key, or builds', () => {
    const named = keysInSource(/\b(?:title|key): '(equipment\.[A-Za-z0-9_.-]+)'/g)
    expect(named.size).toBeGreaterThan(5)
    const built = [
      ...EQUIPMENT_VIEWS.map((v) => `equipment.views.${v}`),
      ...EQUIPMENT_EXPORTS.map((v) => `equipment.export.${v}`),
      ...MACHINE_STATUSES.map((s) => `equipment.timeline.statusName.${s}`),
      ...EQUIPMENT_REJECT_COLUMNS.map((c) => `equipment.rejects.col.${c}`),
      ...EQUIPMENT_STATUS_COLUMNS.map((c) => `equipment.hours.col.${c}`),
      ...['status', 'lot', 'job'].map((k) => `equipment.timeline.${k}`),
    ]
    expect(unresolvedKeys([...named, ...built])).toEqual([])
  })

  it('uses the plant terms in zh-TW', () => {
    const zh = messagesByKey('zh-TW')
    expect([zh.get('equipment.nav'), zh.get('equipment.views.lots'), zh.get('equipment.views.jobs'), zh.get('equipment.views.rejects'), zh.get('equipment.query')]).toEqual([
      '設備',
      '生產紀錄',
      '維修紀錄',
      '報廢紀錄',
      '查詢',
    ])
    expect(zh.get('equipment.rejects.col.TOTAL_CHARGE_OFF_QTY')).toBe('扣帳報廢量')
  })
})
