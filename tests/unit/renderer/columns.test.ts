import { describe, expect, it } from 'vitest'
import { DOMAINS } from '../../../shared/trace'
import { EVENT_DOMAINS } from '../../../main/trace/event-domains'
import { createAppI18n } from '../../../renderer/src/i18n'
import { eventTableColumns, LABELLED_COLUMNS, leadWithLot, rejectTotalOf, REJECT_BREAKDOWN, numberText } from '../../../renderer/src/columns'

const i18n = createAppI18n('en')
const en = (key: string) => i18n.global.t(key)
const zhI18n = createAppI18n('zh-TW')
const zh = (key: string) => zhI18n.global.t(key)

describe('event table columns', () => {
  it('lead every domain with the lot ID, frozen, with the CID hidden at first', () => {
    for (const domain of DOMAINS) {
      const { columns, hidden } = eventTableColumns(domain, EVENT_DOMAINS[domain].columns, en, 'en')
      expect(columns[0], domain).toMatchObject({ key: 'CONTAINERNAME', label: 'Lot ID', title: 'CONTAINERNAME', frozen: true })
      expect(columns.filter((c) => c.frozen).map((c) => c.key)).toEqual(['CONTAINERNAME'])
      expect(hidden, domain).toContain('CONTAINERID')
      // Every column of every domain has a friendly header.
      for (const c of columns) expect(c.label, `${domain}.${c.key}`).not.toBe(c.key)
    }
  })

  it('show history in the original order with friendly headers in both languages and the database name as tooltip', () => {
    const keys = EVENT_DOMAINS.history.columns
    const history = eventTableColumns('history', keys, zh, 'zh-TW')
    expect(history.columns.slice(0, 7).map((c) => [c.key, c.label, c.title])).toEqual([
      ['CONTAINERNAME', 'LOT ID', 'CONTAINERNAME'],
      ['WORKCENTER_GROUP', '站點群組', 'WORKCENTER_GROUP'],
      ['WORKCENTERNAME', '站點', 'WORKCENTERNAME'],
      ['SPECNAME', '規格', 'SPECNAME'],
      ['EQUIPMENTNAME', '機台', 'EQUIPMENTNAME'],
      ['TRACKINTIMESTAMP', '上機時間', 'TRACKINTIMESTAMP'],
      ['TRACKINQTY', '上機數量', 'TRACKINQTY'],
    ])
    expect(history.columns.map((c) => c.key).sort()).toEqual([...keys].sort())
    expect(history.hidden.sort()).toEqual(['CONTAINERID', 'EQUIPMENTID'])
  })

  it('lead with the CID, frozen, in a file whose domain has no lot ID (an upstream history of format version 2)', () => {
    const old = EVENT_DOMAINS.upstream_history.columns.filter((c) => c !== 'CONTAINERNAME')
    const { columns, hidden } = eventTableColumns('upstream_history', old, en, 'en')
    expect(columns[0]).toMatchObject({ key: 'CONTAINERID', frozen: true, label: 'Container ID (internal)' })
    expect(hidden).not.toContain('CONTAINERID')
    expect(columns.slice(1, 4).map((c) => c.key)).toEqual(['WORKCENTER_GROUP', 'WORKCENTERNAME', 'SPECNAME'])
  })

  it('fold the five charge-off fields under 扣帳報廢量 and keep 不扣帳報廢量 apart', () => {
    const { columns, hidden } = eventTableColumns('rejects', EVENT_DOMAINS.rejects.columns, zh, 'zh-TW')
    const keys = columns.map((c) => c.key)
    const total = columns.find((c) => c.key === 'REJECT_TOTAL_QTY')!
    expect(total.label).toBe('扣帳報廢量')
    expect(total.expands).toEqual([...REJECT_BREAKDOWN])
    expect(columns.find((c) => c.key === 'DEFECT_QTY')!.label).toBe('不扣帳報廢量')
    expect(keys.slice(0, 12)).toEqual([
      'CONTAINERNAME', 'WORKCENTERNAME', 'PRODUCTLINENAME', 'PJ_FUNCTION', 'PJ_TYPE', 'PRODUCTNAME', 'LOSSREASONNAME',
      'EQUIPMENTNAME', 'REJECTCOMMENT', 'REJECT_TOTAL_QTY', 'DEFECT_QTY', 'TXN_TIME',
    ])
    expect(columns.filter((c) => REJECT_BREAKDOWN.includes(c.key as never)).map((c) => c.label)).toEqual(['REJECT', 'STANDBY', 'QTYTOPROCESS', 'INPROCESS', 'PROCESSED'])
    expect(hidden.sort()).toEqual(['CONTAINERID', 'SPECNAME', 'TXNDATE', 'TXN_DAY', 'WORKCENTERSEQUENCE_GROUP', 'WORKCENTER_GROUP'])
    // The downstream total counts six fields: it is named differently.
    const downstream = eventTableColumns('downstream_rejects', EVENT_DOMAINS.downstream_rejects.columns, en, 'en')
    expect(downstream.columns.find((c) => c.key === 'REJECT_TOTAL_QTY')!.label).toBe('Scrap total (incl. non-charged)')
    expect(downstream.columns.find((c) => c.key === 'REJECT_TOTAL_QTY')!.expands).toBeUndefined()
  })

  it('show numbers grouped in the page\'s language, nulls of the breakdown as 0 and a missing total recomputed', () => {
    const { columns } = eventTableColumns('rejects', EVENT_DOMAINS.rejects.columns, en, 'en')
    const text = (key: string, row: Record<string, string | number | null>) => columns.find((c) => c.key === key)!.text!(row)
    const row = { REJECT_QTY: 1200, STANDBY_QTY: null, QTYTOPROCESS_QTY: '3', INPROCESS_QTY: null, PROCESSED_QTY: 5, REJECT_TOTAL_QTY: null, DEFECT_QTY: null }
    expect(text('REJECT_TOTAL_QTY', row)).toBe('1,208')
    expect(text('STANDBY_QTY', row)).toBe('0')
    expect(text('DEFECT_QTY', row)).toBe('0')
    expect(text('REJECT_TOTAL_QTY', { ...row, REJECT_TOTAL_QTY: 7 })).toBe('7')
    expect(rejectTotalOf({ REJECT_QTY: 1, STANDBY_QTY: 2, QTYTOPROCESS_QTY: 3, INPROCESS_QTY: 4, PROCESSED_QTY: 5 })).toBe(15)
    expect(rejectTotalOf({ REJECT_TOTAL_QTY: '' , REJECT_QTY: 2 })).toBe(2)
    const history = eventTableColumns('history', EVENT_DOMAINS.history.columns, zh, 'zh-TW').columns
    expect(history.find((c) => c.key === 'TRACKINQTY')!.text!({ TRACKINQTY: 54566 })).toBe('54,566')
    expect(history.find((c) => c.key === 'TRACKINQTY')!.text!({ TRACKINQTY: null })).toBe('')
  })

  it('has a header in both languages for every labelled column', () => {
    for (const key of LABELLED_COLUMNS) {
      expect(en(`table.col.${key}`), key).not.toBe(`table.col.${key}`)
      expect(zh(`table.col.${key}`), key).not.toBe(`table.col.${key}`)
    }
  })
})

describe('leadWithLot', () => {
  it('moves the lot ID first and freezes it, and is the same when applied twice', () => {
    const once = leadWithLot({ columns: [{ key: 'PJ_TYPE' }, { key: 'CONTAINERID' }, { key: 'CONTAINERNAME', label: 'LOT ID' }], hidden: [] })
    // Wide enough for a full lot ID unless the table set its own width.
    expect(once).toEqual({ columns: [{ key: 'CONTAINERNAME', label: 'LOT ID', frozen: true, width: 176 }, { key: 'PJ_TYPE' }, { key: 'CONTAINERID' }], hidden: ['CONTAINERID'] })
    expect(leadWithLot(once)).toEqual(once)
    expect(leadWithLot({ columns: [{ key: 'CONTAINERNAME', width: 200 }], hidden: [] }).columns[0]).toEqual({ key: 'CONTAINERNAME', width: 200, frozen: true })
    // A table without a lot column is left as it is.
    const none = { columns: [{ key: 'FACTOR' }], hidden: [] }
    expect(leadWithLot(none)).toBe(none)
  })
})

describe('numberText', () => {
  it('groups digits in the page language, keeps a rate’s decimals, and leaves empty and text cells alone', () => {
    const en = new Intl.NumberFormat('en', { maximumFractionDigits: 4 })
    expect(numberText(25090, en)).toBe('25,090')
    expect(numberText(8.08693, en)).toBe('8.0869')
    expect(numberText(null, en)).toBe('')
    expect(numberText('', en)).toBe('')
    expect(numberText('n/a', en)).toBe('n/a')
    expect(numberText(1234567, new Intl.NumberFormat('zh-TW'))).toBe('1,234,567')
  })
})
