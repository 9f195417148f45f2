/**
 * The jobs domain's two matches (original-ui.md §3.1, docs/fidelity.md §5): the window overlap's
 * SQL on edge cases, and the post-processing that emits each (job, lot) pair once with its label,
 * in one batch statement and across the reads of a scan batch.
 */
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { EVENT_DOMAINS, type BatchContext } from '../../../main/trace/event-domains.js'
import { MATCHED_BY_BOTH, MATCHED_BY_LIST, MATCHED_BY_WINDOW, WINDOW_OVERLAP_SQL } from '../../../main/trace/jobs-matching.js'

const context = (cids: string[], extra: Partial<BatchContext> = {}): BatchContext => ({ cids, now: '2026-01-10T00:00:00', specMap: null, ...extra })

describe('the machine-window overlap (§3.1 step 6, per session)', () => {
  const db = new Database(':memory:')
  db.exec('CREATE TABLE h (TRACKINTIMESTAMP TEXT, TRACKOUTTIMESTAMP TEXT); CREATE TABLE j (CREATEDATE TEXT, COMPLETEDATE TEXT)')
  const overlaps = (session: [string, string | null], job: [string | null, string | null]): boolean => {
    db.exec('DELETE FROM h; DELETE FROM j')
    db.prepare('INSERT INTO h VALUES (?, ?)').run(...session)
    db.prepare('INSERT INTO j VALUES (?, ?)').run(...job)
    return (db.prepare(`SELECT COUNT(*) AS n FROM h, j WHERE ${WINDOW_OVERLAP_SQL}`).get() as { n: number }).n === 1
  }
  const session: [string, string] = ['2026-01-05 08:00:00', '2026-01-05 12:00:00']

  it.each([
    ['created inside', ['2026-01-05 09:00:00', '2026-01-05 20:00:00'], true],
    ['completed inside', ['2026-01-05 06:00:00', '2026-01-05 09:00:00'], true],
    ['created at the track-out', ['2026-01-05 12:00:00', null], true],
    ['completed at the track-in', ['2026-01-04 12:00:00', '2026-01-05 08:00:00'], true],
    ['spanning the whole session', ['2026-01-05 07:00:00', '2026-01-05 13:00:00'], true],
    ['open since before the session', ['2026-01-04 07:00:00', null], true],
    ['done before the session', ['2026-01-04 07:00:00', '2026-01-05 07:59:59'], false],
    ['created after the session', ['2026-01-05 12:00:01', null], false],
    ['no create date, completed inside', [null, '2026-01-05 10:00:00'], true],
  ] as const)('a job %s: %s', (_, job, expected) => {
    expect(overlaps(session, [job[0], job[1]])).toBe(expected)
  })

  it('treats a session without a track-out as not ended', () => {
    const open: [string, null] = ['2026-01-05 08:00:00', null]
    expect(overlaps(open, ['2026-01-09 00:00:00', '2026-01-09 01:00:00'])).toBe(true)
    expect(overlaps(open, ['2026-01-04 00:00:00', null])).toBe(true)
    expect(overlaps(open, ['2026-01-04 00:00:00', '2026-01-05 09:00:00'])).toBe(true)
    expect(overlaps(open, ['2026-01-04 00:00:00', '2026-01-05 07:00:00'])).toBe(false)
  })
})

describe('jobs post-processing: one row per (job, lot), labelled by how it matched', () => {
  const window = (job: string, cid: string, list: string | null, extra: Record<string, unknown> = {}) => ({
    JOBID: job, CREATEDATE: '2026-01-05 09:00:00', CONTAINERIDS: list, CONTAINERNAMES: list?.replace(/c/g, 'N') ?? null,
    MATCHED_CID: cid, MATCHED_NAME: `name-${cid}`, MATCH_KIND: 'W', ...extra,
  })
  const listRow = (job: string, list: string, created = '2026-01-05 09:00:00') => ({
    JOBID: job, CREATEDATE: created, CONTAINERIDS: list, CONTAINERNAMES: list.replace(/c/g, 'N'), MATCHED_CID: null, MATCHED_NAME: null, MATCH_KIND: 'L',
  })
  const triples = (rows: Record<string, unknown>[]) => rows.map((r) => [r.JOBID, r.CONTAINERID, r.CONTAINERNAME, r.MATCHED_BY])

  it('in one batch statement: window only, list only and both, each pair once', () => {
    const rows = EVENT_DOMAINS.jobs.postProcess(
      [
        // J1 is on c1's machine twice (two sessions) and does not list it.
        window('J1', 'c1', null),
        window('J1', 'c1', null),
        // J2 lists c1 and c2 and ran while c2 was on its machine.
        window('J2', 'c2', 'c1,c2'),
        listRow('J2', 'c1,c2'),
        // A window row of a lot outside the batch is not this batch's.
        window('J3', 'zz', null),
      ],
      context(['c1', 'c2']),
    )
    expect(triples(rows)).toEqual([
      ['J1', 'c1', 'name-c1', MATCHED_BY_WINDOW],
      ['J2', 'c1', 'N1', MATCHED_BY_LIST],
      ['J2', 'c2', 'N2', MATCHED_BY_BOTH],
    ])
  })

  it('orders by create date desc, missing dates last, then job ID', () => {
    const rows = EVENT_DOMAINS.jobs.postProcess(
      [listRow('J9', 'c1', '2026-01-01 00:00:00'), window('J5', 'c1', null, { CREATEDATE: null }), listRow('J2', 'c1', '2026-01-03 00:00:00'), listRow('J1', 'c1', '2026-01-03 00:00:00')],
      context(['c1']),
    )
    expect(rows.map((r) => r.JOBID)).toEqual(['J1', 'J2', 'J9', 'J5'])
  })

  it('across the reads of a scan batch: the window reads hand "both" to the scan and emit a pair once across chunks', () => {
    const carry = new Set<string>()
    const all = ['c1', 'c2', 'c3', 'c4']
    // The chunks of one read are passed the same context; each read before the scan has its batch of CIDs.
    const firstRead = context(['c1', 'c2'], { read: 'before-scan', carry })
    const firstChunk = EVENT_DOMAINS.jobs.postProcess([window('J1', 'c1', null), window('J2', 'c2', 'c2')], firstRead)
    const secondChunk = EVENT_DOMAINS.jobs.postProcess([window('J1', 'c1', null)], firstRead)
    const secondRead = EVENT_DOMAINS.jobs.postProcess([window('J1', 'c3', null), window('J1', 'c3', null)], context(['c3', 'c4'], { read: 'before-scan', carry }))
    // The scan's rows have no MATCH_KIND column.
    const scan = EVENT_DOMAINS.jobs.postProcess(
      [{ JOBID: 'J2', CREATEDATE: '2026-01-05 09:00:00', CONTAINERIDS: 'c2, c3', CONTAINERNAMES: 'N2,N3' }],
      context(all, { read: 'scan', carry }),
    )
    expect(triples([...firstChunk, ...secondChunk, ...secondRead, ...scan])).toEqual([
      ['J1', 'c1', 'name-c1', MATCHED_BY_WINDOW],
      ['J1', 'c3', 'name-c3', MATCHED_BY_WINDOW],
      ['J2', 'c2', 'N2', MATCHED_BY_BOTH],
      ['J2', 'c3', 'N3', MATCHED_BY_LIST],
    ])
    // Only the pairs found both ways outlive their read: the emitted window pairs are per read.
    expect(carry.size).toBe(1)
  })

  it('emits exactly the domain columns, MATCHED_BY last', () => {
    const [row] = EVENT_DOMAINS.jobs.postProcess([window('J1', 'c1', null)], context(['c1']))
    expect(Object.keys(row!)).toEqual([...EVENT_DOMAINS.jobs.columns])
    expect(Object.keys(row!).at(-1)).toBe('MATCHED_BY')
  })
})
