/**
 * The machine-window match done in code on SQLite sources (`MachineWindows`, `windowOverlaps`):
 * it must give exactly the pairs SQLite gives for `WINDOW_OVERLAP_SQL`, for every value a `TEXT`
 * column can hold — missing dates, a completion before the creation, a track-out before the
 * track-in, other separators and lengths, text whose UTF-16 order is not its UTF-8 order, blobs.
 */
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { compareStored, MachineWindows, windowOverlaps, WINDOW_OVERLAP_SQL } from '../../../main/trace/jobs-matching.js'

/** Time values of every kind: a plain grid, edge shapes, surrogate text against private-use text, blobs. */
const VALUES: unknown[] = [
  null,
  '2026-01-05 08:00:00',
  '2026-01-05 10:00:00',
  '2026-01-05 12:00:00',
  '2026-01-05T10:00:00',
  '2026-01-05',
  '2026-01-05 10:00:00.5',
  '',
  '2026-01-05 10:00:00\u{1F600}',
  '2026-01-05 10:00:00\uE000',
  Buffer.from('2026-01-05 09:00:00'),
  Buffer.from('2026-01-05 11:00:00'),
]

describe('the overlap in code against SQLite on every combination of hostile values', () => {
  const db = new Database(':memory:')
  db.exec(`CREATE TABLE h (ID INTEGER, TRACKINTIMESTAMP TEXT, TRACKOUTTIMESTAMP TEXT);
    CREATE TABLE j (ID INTEGER, CREATEDATE TEXT, COMPLETEDATE TEXT)`)
  const insertH = db.prepare('INSERT INTO h VALUES (?, ?, ?)')
  const insertJ = db.prepare('INSERT INTO j VALUES (?, ?, ?)')
  const sessions: [unknown, unknown][] = []
  const jobs: [unknown, unknown][] = []
  for (const start of VALUES) {
    // A session always has a track-in (the read's filter).
    if (start === null) continue
    for (const end of VALUES) sessions.push([start, end])
  }
  for (const created of VALUES) for (const completed of VALUES) jobs.push([created, completed])
  sessions.forEach(([s, e], i) => insertH.run(i, s, e))
  jobs.forEach(([c, d], i) => insertJ.run(i, c, d))
  const expected = new Set(
    (db.prepare(`SELECT h.ID AS h, j.ID AS j FROM h, j WHERE ${WINDOW_OVERLAP_SQL}`).all() as { h: number; j: number }[]).map((r) => `${r.h}|${r.j}`),
  )

  it('gives the pairs SQLite gives, one by one', () => {
    // Stored back as they went in: blobs stay blobs, text stays text.
    expect(db.prepare("SELECT COUNT(*) FROM h WHERE typeof(TRACKINTIMESTAMP) = 'blob'").pluck().get()).toBe(2 * VALUES.length)
    const actual = new Set<string>()
    sessions.forEach(([s, e], i) => jobs.forEach(([c, d], k) => (windowOverlaps(c, d, s, e) ? actual.add(`${i}|${k}`) : undefined)))
    // Both outcomes occur often, so neither a constant true nor a constant false passes.
    expect(expected.size).toBeGreaterThan(1000)
    expect(sessions.length * jobs.length - expected.size).toBeGreaterThan(1000)
    expect([...actual].sort()).toEqual([...expected].sort())
  })

  it('through MachineWindows: each lot once per job, in CID order, named from its first session', () => {
    const windows = new MachineWindows()
    const cidOf = (i: number): string => `c${String(i % 7)}`
    sessions.forEach(([s, e], i) => windows.addSession({ MATCHED_CID: cidOf(i), MATCHED_NAME: `n${i}`, MACHINE: 'M1', WINDOW_START: s, WINDOW_END: e }))
    // A session of another machine never matches a job of M1.
    windows.addSession({ MATCHED_CID: 'c9', MATCHED_NAME: 'other', MACHINE: 'M2', WINDOW_START: '2000-01-01', WINDOW_END: null })
    for (const [k, [c, d]] of jobs.entries()) {
      const byCid = new Map<string, string>()
      sessions.forEach((_, i) => {
        if (expected.has(`${i}|${k}`) && !byCid.has(cidOf(i))) byCid.set(cidOf(i), `n${i}`)
      })
      const want = [...byCid.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([cid, name]) => ({ cid, name }))
      expect(windows.match({ MACHINE: 'M1', CREATEDATE: c, COMPLETEDATE: d }), `job ${k}`).toEqual(want)
    }
    expect(windows.match({ MACHINE: 'M3', CREATEDATE: '2026-01-05 10:00:00', COMPLETEDATE: null })).toEqual([])
  })
})

describe('compareStored: SQLite order of TEXT column values', () => {
  it('orders as SQLite does: text by UTF-8 bytes, then blobs; numbers before text', () => {
    const db = new Database(':memory:')
    const values: unknown[] = ['b', 'a\u{1F600}', 'a\uE000', 'a', '', Buffer.from('a'), Buffer.from(''), 'A', 10, 9.5]
    const sqlOrder = (db.prepare(`SELECT i FROM (${values.map((_, i) => `SELECT ${i} AS i, ? AS v`).join(' UNION ALL ')}) ORDER BY v, i`).pluck().all(...values) as number[])
    const codeOrder = values.map((_, i) => i).sort((a, b) => compareStored(values[a], values[b]) || a - b)
    expect(codeOrder).toEqual(sqlOrder)
    // Surrogate text sorts after private-use text by code point, unlike JavaScript's `<`.
    expect(compareStored('a\u{1F600}', 'a\uE000')).toBeGreaterThan(0)
    expect('a\u{1F600}' < 'a\uE000').toBe(true)
  })
})
