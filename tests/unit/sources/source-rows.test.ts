import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { rowsFromValues, upperRow } from '../../../main/sources/source-rows.js'

describe('rowsFromValues', () => {
  let db: Database.Database | undefined
  afterEach(() => {
    db?.close()
    db = undefined
  })

  /** The row made from the value array, and upperRow of the driver's object, of one statement. */
  function bothRows(sql: string): { fromValues: ReturnType<typeof rowsFromValues>; values: unknown[]; object: Record<string, unknown> } {
    db ??= new Database(':memory:')
    const statement = db.prepare(sql)
    const fromValues = rowsFromValues(statement.columns().map((column) => column.name))
    return { fromValues, values: statement.raw(true).get() as unknown[], object: db.prepare(sql).get() as Record<string, unknown> }
  }

  it('gives what upperRow gives for the driver\'s row object: same names, values and key order', () => {
    const { fromValues, values, object } = bothRows(`SELECT 1 AS b, 'x' AS Mixed_Case, NULL AS a, 'y' AS "2", 2.5 AS "1", 'z' AS UPPER`)
    const row = fromValues!(values)
    expect(row).toEqual({ B: 1, MIXED_CASE: 'x', A: null, 2: 'y', 1: 2.5, UPPER: 'z' })
    // Index-like names come first in any object, in numeric order, as in the driver's.
    expect(Object.keys(row)).toEqual(['1', '2', 'B', 'MIXED_CASE', 'A', 'UPPER'])
    expect(row).toEqual(upperRow(object))
    expect(Object.keys(row)).toEqual(Object.keys(upperRow(object)))
  })

  it('leaves names that meet once upper-cased to upperRow of the driver\'s object', () => {
    // The driver keeps the last value under the first place of `b`; upperRow then lets `B` win.
    const { fromValues, object } = bothRows('SELECT 1 AS b, 2.5 AS B, 3 AS b')
    expect(fromValues).toBeNull()
    expect(upperRow(object)).toEqual({ B: 2.5 })
    expect(rowsFromValues(['x', 'X'])).toBeNull()
    expect(rowsFromValues(['x', 'y'])).not.toBeNull()
  })
})
