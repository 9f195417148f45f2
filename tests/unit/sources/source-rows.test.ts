/** Rows of a server source reach the app with upper-case column names, copied per row. */
import { describe, expect, it } from 'vitest'
import { rowUpperCaser } from '../../../main/sources/source-rows.js'

describe('rowUpperCaser', () => {
  it('copies each row of a statement with its column names upper-cased and its values unchanged', () => {
    const upper = rowUpperCaser()
    const first = { containerid: 'C1', qty: 3, trackintimestamp: new Date(0), note: null }
    const second = { containerid: 'C2', qty: 0, trackintimestamp: null, note: 'x' }
    const out = [first, second].map((row) => upper(row))
    expect(out).toEqual([
      { CONTAINERID: 'C1', QTY: 3, TRACKINTIMESTAMP: new Date(0), NOTE: null },
      { CONTAINERID: 'C2', QTY: 0, TRACKINTIMESTAMP: null, NOTE: 'x' },
    ])
    expect(out[0]).not.toBe(first)
    expect(Object.keys(out[1]!)).toEqual(['CONTAINERID', 'QTY', 'TRACKINTIMESTAMP', 'NOTE'])
  })

  it('upper-cases a name it meets only in a later row, and keeps mixed and upper-case names as upper case', () => {
    const upper = rowUpperCaser()
    expect(upper({ a: 1 })).toEqual({ A: 1 })
    expect(upper({ a: 2, Mixed_Case: 'm', ALREADY: 'u' })).toEqual({ A: 2, MIXED_CASE: 'm', ALREADY: 'u' })
  })

  it('gives a row with no columns as an empty row', () => {
    expect(rowUpperCaser()({})).toEqual({})
  })
})
