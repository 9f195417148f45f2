import { describe, expect, it } from 'vitest'
import { isAppError } from '../../../shared/errors'
import { normalizeTraceRequest } from '../../../shared/trace-request'
import { createAppI18n } from '../../../renderer/src/i18n'
import { localizeValidation } from '../../../renderer/src/validation'

/** The message `normalizeTraceRequest` gives for a request, without its field prefix. */
function messageOf(params: Record<string, unknown>, profile = 'query_tool'): string {
  try {
    normalizeTraceRequest({ profile, params })
  } catch (error) {
    if (!isAppError(error)) throw error
    const field = String(error.details?.field)
    return error.message.slice(field.length + 2)
  }
  throw new Error('accepted')
}

describe('localizeValidation', () => {
  const zh = createAppI18n('zh-TW').global.t
  const en = createAppI18n('en').global.t

  it('puts the engine’s own messages in the user’s language, with their values', () => {
    const cases: [Record<string, unknown>, string, string, string?][] = [
      [{ resolve_type: 'lot_id', values: [] }, '請輸入至少一筆查詢值。', 'Enter at least one value.'],
      [{ resolve_type: 'work_order', values: ['XX123'] }, '「XX123」不是 GA/GC 工單。', '"XX123" is not a GA/GC work order.'],
      [{ resolve_type: 'work_order', values: ['GD26100001'] }, '「GD26100001」是 GD 重工工單；請用流水批反查（GD 工單）。', '"GD26100001" is a GD rework order: trace it with the serial reverse trace (GD work order).'],
      [{ resolve_type: 'lot_id', values: ['G*'] }, '樣式「G*」太寬：除了萬用字元外至少要 3 個字元。', 'The pattern "G*" is too broad: give at least 3 characters besides wildcards.'],
      [{ resolve_type: 'work_order', values: Array.from({ length: 2001 }, (_, i) => `GA${i}`) }, '輸入了 2001 筆；每次追溯最多 2000 筆。', '2001 values given; at most 2000 per trace.'],
      [{ start_date: '2026-10-31', end_date: '2026-10-01' }, '開始日期 2026-10-31 晚於結束日期 2026-10-01。', 'The start 2026-10-31 is after the end 2026-10-01.', 'mid_section_defect'],
      [{ start_date: '2026-1-1', end_date: '2026-10-01' }, '請輸入 YYYY-MM-DD 格式的日期。', 'Enter a date as YYYY-MM-DD.', 'mid_section_defect'],
      [{ start_date: '2020-01-01', end_date: '2026-10-01' }, '區間共 2466 天；最多 730 天。', 'The range is 2466 days; at most 730.', 'mid_section_defect'],
    ]
    for (const [params, zhText, enText, profile] of cases) {
      const message = messageOf(params, profile)
      expect(localizeValidation(message, zh)).toBe(zhText)
      expect(localizeValidation(message, en)).toBe(enText)
    }
  })

  it('shows an unknown message as it came', () => {
    expect(localizeValidation('something new', zh)).toBe('something new')
  })
})
