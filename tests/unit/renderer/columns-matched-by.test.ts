import { describe, expect, it } from 'vitest'
import { EVENT_DOMAINS } from '../../../main/trace/event-domains'
import { MATCHED_BY_VALUES } from '../../../main/trace/jobs-matching'
import { createAppI18n } from '../../../renderer/src/i18n'
import { eventTableColumns } from '../../../renderer/src/columns'

describe('the jobs table says how each job matched its lot', () => {
  it.each([
    ['en', 'Matched by', ['Machine window', 'Listed on job', 'Both']],
    ['zh-TW', '對應方式', ['機台在站時段', '維修單列出', '兩者皆是']],
  ] as const)('in %s: right after the lot, with each value in words', (locale, header, words) => {
    const i18n = createAppI18n(locale)
    const t = (key: string) => i18n.global.t(key)
    const { columns } = eventTableColumns('jobs', EVENT_DOMAINS.jobs.columns, t, locale)
    expect(columns.slice(0, 3).map((c) => c.key)).toEqual(['CONTAINERNAME', 'MATCHED_BY', 'JOBID'])
    const column = columns[1]!
    expect([column.label, column.title]).toEqual([header, 'MATCHED_BY'])
    expect(MATCHED_BY_VALUES.map((value) => column.text!({ MATCHED_BY: value }))).toEqual(words)
    // A value this build does not know is shown as stored.
    expect(column.text!({ MATCHED_BY: 'other' })).toBe('other')
    expect(column.text!({ MATCHED_BY: null })).toBe('')
  })
})
