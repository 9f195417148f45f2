/**
 * A machine's latest repair jobs (`readMachineJobs`) on the demo plant (2000 lots), against
 * independent SQL on the plant file: the jobs of one RESOURCEID created since 30 days before the
 * source's last track-in, newest first, five of them, open ones with no completion time.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { openSource, parseSourceSpec, readDataWindow, readMachineJobs, type MesSource } from '../../../main/sources/index.js'

describe('readMachineJobs (demo plant, 2000 lots)', () => {
  let dir: string
  let summary: DemoSummary
  let source: MesSource
  let raw: Database.Database

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-machine-jobs-'))
    summary = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), lots: 2000 })
    ;({ source } = await openSource(parseSourceSpec(summary.out)))
    raw = new Database(summary.out, { readonly: true })
  }, 120_000)

  afterAll(async () => {
    raw?.close()
    await source?.close()
    await rm(dir, { recursive: true, force: true })
  })

  /** The window's first day, by SQL: 29 days before the last track-in's day. */
  function sinceBySql(): { since: string; until: string } {
    const last = raw.prepare('SELECT MAX(TRACKINTIMESTAMP) AS t FROM DW_MES_LOTWIPHISTORY').get() as { t: string }
    const until = last.t.slice(0, 10)
    const since = (raw.prepare("SELECT date(?, '-29 days') AS d").get(until) as { d: string }).d
    return { since, until }
  }

  it('answers the five newest jobs of the busiest machine, as SQL on the plant has them', async () => {
    const { since, until } = sinceBySql()
    const busiest = raw
      .prepare('SELECT RESOURCEID AS id, COUNT(*) AS n FROM DW_MES_JOB WHERE CREATEDATE >= ? GROUP BY RESOURCEID ORDER BY n DESC, RESOURCEID LIMIT 1')
      .get(`${since} 00:00:00`) as { id: string; n: number }
    expect(busiest.n).toBeGreaterThan(0)
    const expected = raw
      .prepare('SELECT JOBID, COMPLETEDATE FROM DW_MES_JOB WHERE RESOURCEID = ? AND CREATEDATE >= ? ORDER BY CREATEDATE DESC, JOBID LIMIT 5')
      .all(busiest.id, `${since} 00:00:00`) as { JOBID: string; COMPLETEDATE: string | null }[]
    const answer = await readMachineJobs(source, busiest.id)
    expect([answer.since, answer.until]).toEqual([since, until])
    expect(answer.total).toBe(busiest.n)
    expect(answer.jobs.map((j) => j.job_id)).toEqual(expected.map((r) => r.JOBID))
    expect(answer.jobs.map((j) => j.completed === null)).toEqual(expected.map((r) => r.COMPLETEDATE === null))
  })

  it('answers an open job with no completion time (in progress), never a placeholder', async () => {
    const { since } = sinceBySql()
    const open = raw
      .prepare('SELECT RESOURCEID AS id, JOBID FROM DW_MES_JOB WHERE COMPLETEDATE IS NULL AND CREATEDATE >= ? ORDER BY CREATEDATE DESC LIMIT 1')
      .get(`${since} 00:00:00`) as { id: string; JOBID: string } | undefined
    // The generator leaves some jobs of its last days open.
    expect(open).toBeDefined()
    if (!open) return
    const rank = raw
      .prepare('SELECT COUNT(*) AS n FROM DW_MES_JOB WHERE RESOURCEID = ? AND CREATEDATE >= ? AND (CREATEDATE > (SELECT CREATEDATE FROM DW_MES_JOB WHERE JOBID = ?))')
      .get(open.id, `${since} 00:00:00`, open.JOBID) as { n: number }
    const answer = await readMachineJobs(source, open.id, { limit: rank.n + 1 })
    const job = answer.jobs.find((j) => j.job_id === open.JOBID)
    expect(job).toBeDefined()
    expect(job!.completed).toBeNull()
  })

  it('answers no jobs for a machine the table does not know, over the same window', async () => {
    const window = await readDataWindow(source)
    const answer = await readMachineJobs(source, 'NO-SUCH-MACHINE', { window })
    expect(answer.jobs).toEqual([])
    expect(answer.total).toBe(0)
    expect(answer.until).toBe(window.last!.slice(0, 10))
  })

  it('refuses an empty machine id, naming the field', async () => {
    await expect(readMachineJobs(source, ' ')).rejects.toMatchObject({ code: 'input/invalid', details: { field: 'equipment_id' } })
  })
})
