import { describe, expect, it } from 'vitest'
import { EVENT_DOMAINS } from '../../../main/trace/index.js'
import { NUMBER_COLUMNS } from '../../../main/store/index.js'
import { columnTypeOf, eventTableSql, sortColumnsOf } from '../../../main/store/result-schema.js'
import { DOMAINS } from '../../../shared/trace.js'

describe('result file schema', () => {
  it.each(DOMAINS)('declares only real, non-time columns of %s as numbers', (domain) => {
    const { columns, timeColumns } = EVENT_DOMAINS[domain]
    for (const column of NUMBER_COLUMNS[domain]) {
      expect(columns).toContain(column)
      expect(timeColumns).not.toContain(column)
    }
  })

  it('types number columns NUMERIC and text and time columns TEXT, after a _seq key', () => {
    expect(columnTypeOf('history', 'TRACKINQTY')).toBe('NUMERIC')
    expect(columnTypeOf('history', 'TRACKINTIMESTAMP')).toBe('TEXT')
    expect(columnTypeOf('history', 'EQUIPMENTNAME')).toBe('TEXT')
    const sql = eventTableSql('holds')
    expect(sql).toMatch(/^CREATE TABLE "events_holds" \(\n {2}_seq INTEGER PRIMARY KEY,\n {2}"CONTAINERID" TEXT,/)
    expect(sql).toContain('"HOLD_HOURS" NUMERIC')
  })

  it('sorts by lot, time and number columns, in column order', () => {
    expect(sortColumnsOf('history')).toEqual(['CONTAINERID', 'TRACKINTIMESTAMP', 'TRACKOUTTIMESTAMP', 'TRACKINQTY', 'TRACKOUTQTY', 'PARTIAL_COUNT'])
    expect(sortColumnsOf('jobs')).toEqual(['CREATEDATE', 'COMPLETEDATE', 'CONTAINERID'])
  })
})
