/**
 * The equipment area's messages: the same keys in both languages, and every `equipment.*` key the
 * renderer spells out (or builds from the sub-views, exports, statuses and columns) resolves in both.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EQUIPMENT_EXPORTS, EQUIPMENT_REJECT_COLUMNS, EQUIPMENT_STATUS_COLUMNS, EQUIPMENT_VIEWS, MACHINE_STATUSES } from '../../../../shared/equipment'
import { messagesOf, type MessageTree } from '../../../../renderer/src/i18n'
import { equipment } from '../../../../renderer/src/i18n/equipment'

function flatten(tree: MessageTree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out.set(path, value)
    else for (const [k, v] of flatten(value, path)) out.set(k, v)
  }
  return out
}
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(vue|ts)$/.test(name) && !path.includes(join('src', 'i18n')) ? [path] : []
  })
}
const zh = flatten(messagesOf('zh-TW'))
const en = flatten(messagesOf('en'))

describe('equipment messages', () => {
  it('has the same non-empty keys in zh-TW and English', () => {
    expect([...flatten(equipment['zh-TW']).keys()].sort()).toEqual([...flatten(equipment.en).keys()].sort())
    for (const [k, v] of flatten(equipment['zh-TW'])) expect(v.trim(), k).not.toBe('')
  })

  it('resolves every equipment key the renderer asks for, spelled out or built', () => {
    const used = new Set<string>()
    for (const file of sourceFiles(join(__dirname, '..', '..', '..', '..', 'renderer', 'src'))) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/\bt\(\s*'(equipment\.[A-Za-z0-9_.-]+)'/g)) used.add(m[1]!)
      for (const m of text.matchAll(/title: '(equipment\.[A-Za-z0-9_.-]+)'/g)) used.add(m[1]!)
      for (const m of text.matchAll(/key: '(equipment\.[A-Za-z0-9_.-]+)'/g)) used.add(m[1]!)
    }
    expect(used.size).toBeGreaterThan(40)
    const built = [
      ...EQUIPMENT_VIEWS.map((v) => `equipment.views.${v}`),
      ...EQUIPMENT_EXPORTS.map((v) => `equipment.export.${v}`),
      ...MACHINE_STATUSES.map((s) => `equipment.timeline.statusName.${s}`),
      ...EQUIPMENT_REJECT_COLUMNS.map((c) => `equipment.rejects.col.${c}`),
      ...EQUIPMENT_STATUS_COLUMNS.map((c) => `equipment.hours.col.${c}`),
      ...['status', 'lot', 'job'].map((k) => `equipment.timeline.${k}`),
    ]
    const missing = [...used, ...built].filter((k) => !zh.has(k) || !en.has(k))
    expect(missing).toEqual([])
  })

  it('uses the plant terms in zh-TW', () => {
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
