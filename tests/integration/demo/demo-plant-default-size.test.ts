/**
 * The default demo plant (20 000 lots): generated within the time budget, with the volumes and
 * planted problems large enough to be significant.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemoPlant, type DemoSummary } from '../../../main/demo/index.js'
import { createLineage, groupRates, openDemo, scalar } from './demo-queries.js'

const BUDGET_MS = 30_000

let dir: string
let summary: DemoSummary
let wallMs: number
const progress: string[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mes-demo-default-'))
  const started = performance.now()
  summary = await generateDemoPlant({ out: join(dir, 'plant.sqlite'), onProgress: (m) => progress.push(m) })
  wallMs = performance.now() - started
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('generateDemoPlant with the default size', () => {
  it(`writes 20 000 lots within ${BUDGET_MS / 1000} s`, () => {
    expect(summary.lots).toBe(20_000)
    expect(wallMs).toBeLessThanOrEqual(BUDGET_MS)
    expect(summary.elapsedMs).toBeLessThanOrEqual(BUDGET_MS)
    expect(statSync(summary.out).size).toBeGreaterThan(20_000_000)
    expect(progress[0]).toMatch(/^Lots [\d,]+ \/ 20,000$/)
    expect(progress).toContain('Creating indexes')
  })

  it('has the row counts of a 20 000-lot plant', () => {
    const t = summary.tables
    const containers = t.DW_MES_CONTAINER!
    // Production lots plus wafer-lot and guard containers.
    expect(containers).toBeGreaterThan(20_000)
    expect(containers).toBeLessThan(24_000)
    expect(t.DW_MES_WIP).toBe(containers)
    expect(t.DW_MES_LOTWIPHISTORY! / containers).toBeGreaterThan(8)
    expect(t.DW_MES_LOTWIPHISTORY! / containers).toBeLessThan(11)
    expect(t.DW_MES_LOTREJECTHISTORY! / containers).toBeGreaterThan(2.5)
    expect(t.DW_MES_LOTREJECTHISTORY! / containers).toBeLessThan(3.5)
    expect(t.DW_MES_LOTMATERIALSHISTORY! / containers).toBeGreaterThan(3)
    expect(t.DW_MES_LOTMATERIALSHISTORY! / containers).toBeLessThan(4)
    expect(t.DW_MES_HOLDRELEASEHISTORY! / containers).toBeGreaterThan(0.04)
    expect(t.DW_MES_HOLDRELEASEHISTORY! / containers).toBeLessThan(0.08)
    expect(t.DW_MES_JOB! / containers).toBeGreaterThan(0.22)
    expect(t.DW_MES_JOB! / containers).toBeLessThan(0.28)
    expect(t.DW_MES_PJ_COMBINEDASSYLOTS! / containers).toBeGreaterThan(0.35)
    expect(t.DW_MES_PJ_COMBINEDASSYLOTS! / containers).toBeLessThan(0.5)
  })

  it('has 300–1 500 lots a day at final test in the busy part of the window', () => {
    const db = openDemo(summary.out)
    try {
      const perDay = scalar(
        db,
        `SELECT AVG(n) FROM (SELECT substr(TRACKINTIMESTAMP, 1, 10) AS day, COUNT(DISTINCT CONTAINERID) AS n
         FROM DW_MES_LOTWIPHISTORY WHERE WORKCENTERNAME = 'TMTT' AND TRACKINTIMESTAMP >= '2026-09-10' GROUP BY day)`,
      )
      expect(perDay).toBeGreaterThan(150)
      expect(perDay).toBeLessThan(1500)
    } finally {
      db.close()
    }
  })

  it('plants problems that touch at least 100 lots and stand out clearly', () => {
    const { bad_machine: machine, bad_material_lot: material, downstream_effect: effect } = summary.planted
    expect(machine.affected_lots).toBeGreaterThanOrEqual(100)
    expect(material.affected_lots).toBeGreaterThanOrEqual(50)
    expect(effect.affected_lots).toBeGreaterThanOrEqual(100)
    const db = openDemo(summary.out)
    try {
      createLineage(db)
      const rates = groupRates(
        db, '測試',
        'SELECT l.cid FROM lineage l JOIN DW_MES_LOTWIPHISTORY h ON h.CONTAINERID = l.anc WHERE h.EQUIPMENTID = ? AND h.TRACKINTIMESTAMP >= ?',
        machine.equipment_id, `${machine.from_date} 00:00:00`,
      )
      expect(rates.flaggedLots).toBeGreaterThanOrEqual(100)
      expect(rates.flaggedRate).toBeGreaterThanOrEqual(3 * rates.restRate)
    } finally {
      db.close()
    }
  })
})
