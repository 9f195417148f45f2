import { describe, expect, it } from 'vitest'
import { chunk, createDialect, escapeLike, SqlParams } from '../../../main/sources/dialect.js'

describe('dialect', () => {
  it('numbers placeholders per database', () => {
    for (const [name, expected] of [
      ['sqlite', '?, ?, ?'],
      ['postgres', '$1, $2, $3'],
      ['oracle', ':1, :2, :3'],
    ] as const) {
      const params = new SqlParams(createDialect(name))
      expect(params.list(['a', 'b', 'c'])).toBe(expected)
      expect(params.values).toEqual(['a', 'b', 'c'])
    }
  })

  it('keeps a filter-only column out of SQLite index choice and leaves the server planners alone', async () => {
    expect(createDialect('sqlite').filterOnly('h.TRACKINTIMESTAMP')).toBe('+h.TRACKINTIMESTAMP')
    expect(createDialect('postgres').filterOnly('h.TRACKINTIMESTAMP')).toBe('h.TRACKINTIMESTAMP')
    expect(createDialect('oracle').filterOnly('h.TRACKINTIMESTAMP')).toBe('h.TRACKINTIMESTAMP')
    // What it is for: an IN list of a thousand CIDs and a time range on a table with a
    // (workcenter, time) index. With the range plain, SQLite skip-scans that index over the whole
    // range; with it filter-only, it seeks each CID.
    const { default: Database } = await import('better-sqlite3')
    const db = new Database(':memory:')
    db.exec('CREATE TABLE h (CONTAINERID TEXT, WORKCENTERNAME TEXT, TRACKINTIMESTAMP TEXT)')
    db.exec('CREATE INDEX h_cid ON h (CONTAINERID); CREATE INDEX h_wc_t ON h (WORKCENTERNAME, TRACKINTIMESTAMP)')
    // The planner statistics of the demo plant's WIP history (196 620 rows, 9 per CID, 1001 per workcenter).
    db.exec('ANALYZE')
    db.exec("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('h', 'h_cid', '196620 9'), ('h', 'h_wc_t', '196620 1001 2')")
    db.exec('ANALYZE sqlite_schema')
    const cids = Array.from({ length: 1000 }, (_, i) => `C${i}`)
    const plan = (column: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM h WHERE CONTAINERID IN (${cids.map(() => '?').join(', ')}) AND ${column} >= ? AND ${column} < ?`)
        .all(...cids, '2026-09-02', '2026-11-01') as { detail: string }[]).map((r) => r.detail).join('; ')
    expect(plan('TRACKINTIMESTAMP')).toContain('h_wc_t')
    expect(plan(createDialect('sqlite').filterOnly('TRACKINTIMESTAMP'))).toContain('h_cid')
    db.close()
  })

  it('continues numbering across add, list and timestamp', () => {
    const params = new SqlParams(createDialect('oracle', 'DWH'))
    expect(params.add('x')).toBe(':1')
    expect(params.list(['a', 'b'])).toBe(':2, :3')
    expect(params.timestamp('2026-01-02 00:00:00')).toBe("TO_DATE(:4, 'YYYY-MM-DD HH24:MI:SS')")
    expect(new SqlParams(createDialect('postgres')).timestamp('2026-01-02 00:00:00')).toBe('CAST($1 AS timestamp)')
    expect(new SqlParams(createDialect('sqlite')).timestamp('2026-01-02 00:00:00')).toBe('?')
  })

  it('prefixes tables with the schema and refuses a schema that is not an identifier', () => {
    expect(createDialect('oracle', 'DWH').table('DW_MES_CONTAINER')).toBe('DWH.DW_MES_CONTAINER')
    expect(createDialect('sqlite').table('DW_MES_CONTAINER')).toBe('DW_MES_CONTAINER')
    expect(() => createDialect('postgres', 'dwh; drop table x')).toThrow(/plain identifier/)
  })

  it('refuses IN lists above the 1000 limit and empty lists', () => {
    const params = new SqlParams(createDialect('oracle'))
    expect(() => params.list(Array.from({ length: 1001 }, (_, i) => String(i)))).toThrow(/exceeds the oracle limit of 1000/)
    expect(() => params.list([])).toThrow(/at least one value/)
  })

  it('binds a value list as one JSON text where the dialect reads JSON, as an IN list on Oracle', async () => {
    const values = ['a', 'b"\\', '晶圓-1', '𝒜']
    const sqlite = new SqlParams(createDialect('sqlite'))
    sqlite.add('x')
    expect(sqlite.valueList(values)).toBe('SELECT value FROM json_each(?)')
    expect(sqlite.values).toEqual(['x', JSON.stringify(values)])
    const pg = new SqlParams(createDialect('postgres'))
    pg.add('x')
    expect(pg.valueList(values)).toBe('SELECT json_array_elements_text(CAST($2 AS json))')
    expect(pg.add('y')).toBe('$3')
    const oracle = new SqlParams(createDialect('oracle'))
    expect(oracle.valueList(values)).toBe(':1, :2, :3, :4')
    // Limits: ten thousand in JSON, Oracle's thousand in an IN list.
    const many = (n: number): string[] => Array.from({ length: n }, (_, i) => `C${i}`)
    expect(() => new SqlParams(createDialect('postgres')).valueList(many(10_000))).not.toThrow()
    expect(() => new SqlParams(createDialect('postgres')).valueList(many(10_001))).toThrow(/exceeds the postgres limit of 10000/)
    expect(() => new SqlParams(createDialect('oracle')).valueList(many(1001))).toThrow(/exceeds the oracle limit of 1000/)
    expect(() => new SqlParams(createDialect('sqlite')).valueList([])).toThrow(/at least one value/)
    // A JSON list has no limit (a statement that must see every seed at once); Oracle binds nothing.
    const all = new SqlParams(createDialect('postgres'))
    expect(all.jsonList(many(20_000))).toBe('SELECT json_array_elements_text(CAST($1 AS json))')
    expect(all.values).toEqual([JSON.stringify(many(20_000))])
    const none = new SqlParams(createDialect('oracle'))
    expect(none.jsonList(many(3))).toBeNull()
    expect(none.values).toEqual([])
    // SQLite reads back exactly the values bound, hostile ones included.
    const { default: Database } = await import('better-sqlite3')
    const db = new Database(':memory:')
    const list = new SqlParams(createDialect('sqlite'))
    expect(db.prepare(list.valueList(values)).pluck().all(...list.values)).toEqual(values)
    db.close()
  })

  it('writes a recursive subquery over a cycle: UNION where the database drops rows found, UNION ALL with CYCLE on Oracle', async () => {
    const step = 'SELECT e.P, w.DEPTH + 1 FROM W w JOIN E e ON e.C = w.CID WHERE w.DEPTH < 6'
    expect(createDialect('oracle').recursiveSubquery('W (CID, DEPTH)', "SELECT 'A', 0 FROM DUAL", step, 'CID')).toBe(
      `W (CID, DEPTH) AS (\n  SELECT 'A', 0 FROM DUAL\n  UNION ALL\n  ${step}\n) CYCLE CID SET CYCLED TO 'Y' DEFAULT 'N'`,
    )
    expect(createDialect('postgres').recursiveSubquery('W (CID, DEPTH)', "SELECT 'A', 0", step, 'CID')).toBe(`W (CID, DEPTH) AS (\n  SELECT 'A', 0\n  UNION\n  ${step}\n)`)
    // Run on SQLite: A → B → A is a cycle; the walk ends, finds C, and no (container, depth) twice.
    const { default: Database } = await import('better-sqlite3')
    const db = new Database(':memory:')
    db.exec("CREATE TABLE E (C TEXT, P TEXT); INSERT INTO E VALUES ('A', 'B'), ('B', 'A'), ('B', 'C'), ('A', 'B')")
    const sqlite = createDialect('sqlite')
    const rows = db.prepare(`${sqlite.withRecursive} ${sqlite.recursiveSubquery('W (CID, DEPTH)', "SELECT 'A', 0", step, 'CID')} SELECT CID, DEPTH FROM W ORDER BY DEPTH, CID`).raw().all()
    expect(rows).toEqual([['A', 0], ['B', 1], ['A', 2], ['C', 2], ['B', 3], ['A', 4], ['C', 4], ['B', 5], ['A', 6], ['C', 6]])
    db.close()
  })

  it('chunks 1001 ids into 1000 + 1 and escapes LIKE specials', () => {
    const batches = chunk(Array.from({ length: 1001 }, (_, i) => i), 1000)
    expect(batches.map((b) => b.length)).toEqual([1000, 1])
    expect(batches[1]).toEqual([1000])
    expect(escapeLike('a%b_c\\d')).toBe('a\\%b\\_c\\\\d')
    expect(() => chunk([1], 0)).toThrow(/positive integer/)
  })
})
