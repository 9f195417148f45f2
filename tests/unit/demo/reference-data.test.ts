/**
 * The demo plant's reference data: raw workcenter names against the 12 station groups of
 * shared/stations.ts, the machine fleet, the spec view, loss reasons and materials.
 */
import { describe, expect, it } from 'vitest'
import { STATION_GROUPS, UNKNOWN_STATION_ORDER, stationGroupByName, stationGroupOf } from '../../../shared/stations.js'
import { MATERIAL_PARTS, PACKAGES, WORKCENTERS } from '../../../main/demo/catalog.js'
import { PlantClock } from '../../../main/demo/plant-clock.js'
import { MaterialLots, buildMachinePark, buildSpecRows } from '../../../main/demo/reference-data.js'
import { Rng } from '../../../main/demo/rng.js'

/** The intended group of every raw workcenter, written out independently of the catalog. */
const INTENDED_GROUP: Record<string, string | null> = {
  點測: null,
  切割: '切割',
  焊_DB_料: '焊接_DB',
  焊接_DB: '焊接_DB',
  焊_WB_料: '焊接_WB',
  焊接_WB: '焊接_WB',
  焊接_DW: '焊接_DW',
  成型_料: '成型',
  成型: '成型',
  去膠: '去膠',
  水吹砂: '水吹砂',
  條鍍: '電鍍',
  掛鍍: '電鍍',
  滾鍍: '電鍍',
  電鍍: '電鍍',
  移印: '移印',
  切彎腳: '切彎腳',
  PKG_SAW: '元件切割',
  TMTT: '測試',
  包裝: null,
  入庫: null,
}

describe('demo workcenters', () => {
  it('are exactly the intended raw names', () => {
    expect(WORKCENTERS.map((w) => w.name).sort()).toEqual(Object.keys(INTENDED_GROUP).sort())
  })

  it.each(Object.entries(INTENDED_GROUP))('%s maps to %s through stationGroupOf', (name, group) => {
    expect(stationGroupOf(name)?.name ?? null).toBe(group)
    expect(WORKCENTERS.find((w) => w.name === name)!.group).toBe(group)
  })

  it('cover all 12 station groups', () => {
    const covered = new Set(Object.values(INTENDED_GROUP).filter((g) => g !== null))
    expect([...covered].sort()).toEqual(STATION_GROUPS.map((g) => g.name).sort())
  })
})

describe('demo machine park', () => {
  const park = buildMachinePark('mes-trace')

  it('has ≈ 120 machines in ≈ 15–20 families with unique 16-hex IDs and names like GWBA-0012', () => {
    expect(park.all.length).toBeGreaterThanOrEqual(110)
    expect(park.all.length).toBeLessThanOrEqual(140)
    const families = new Set(park.all.map((m) => m.family))
    expect(families.size).toBeGreaterThanOrEqual(13)
    expect(families.size).toBeLessThanOrEqual(20)
    expect(families).toContain('WBK_ConnX Elite_EAP')
    expect(families).toContain('TMA_FT2018')
    expect(families).toContain('DSD_DAD3350')
    expect(new Set(park.all.map((m) => m.id)).size).toBe(park.all.length)
    expect(new Set(park.all.map((m) => m.name)).size).toBe(park.all.length)
    for (const m of park.all) {
      expect(m.id).toMatch(/^[0-9a-f]{16}$/)
      expect(m.name).toMatch(/^G[A-Z]{3}-\d{4}$/)
    }
  })

  it('follows the plant mix: wire bond, DW bond and molding have the most machines', () => {
    const count = (wc: string): number => park.all.filter((m) => m.workcenter === wc && m.role === 'main').length
    expect(count('焊接_WB')).toBeGreaterThan(count('TMTT'))
    expect(count('焊接_DW')).toBeGreaterThan(count('切割'))
    expect(count('成型')).toBeGreaterThan(count('去膠'))
    expect(count('PKG_SAW')).toBeLessThanOrEqual(2)
    expect(park.all.some((m) => m.workcenter === '包裝')).toBe(false)
  })

  it('plants the bad machine on a main wire bonder and picks only a workcenter’s own machines', () => {
    expect(park.badWireBonder.workcenter).toBe('焊接_WB')
    expect(park.badWireBonder.role).toBe('main')
    const rng = Rng.from('pick')
    for (let i = 0; i < 200; i++) {
      expect(park.pick('成型', rng)!.role).toBe('main')
      expect(park.pick('成型', rng, 'cure')!.family).toBe('MLD_CURE OVEN')
      expect(park.pick('TMTT', rng)!.workcenter).toBe('TMTT')
    }
    expect(park.pick('包裝', rng)).toBeUndefined()
  })

  it('depends on the seed only', () => {
    expect(buildMachinePark('mes-trace').all).toEqual(park.all)
    expect(buildMachinePark('other').all.map((m) => m.id)).not.toEqual(park.all.map((m) => m.id))
  })
})

describe('demo spec view', () => {
  const rows = buildSpecRows()

  it('has ≈ 230 rows, one per spec', () => {
    expect(rows.length).toBeGreaterThanOrEqual(200)
    expect(rows.length).toBeLessThanOrEqual(260)
    expect(new Set(rows.map((r) => r[0])).size).toBe(rows.length)
  })

  it('gives each workcenter its station group and the group order (999 when unmapped)', () => {
    for (const [, workcenter, group, sequence] of rows) {
      const mapped = stationGroupOf(workcenter)
      if (mapped) {
        expect(group).toBe(mapped.name)
        expect(sequence).toBe(stationGroupByName(mapped.name)!.order)
      } else {
        expect(group).toBe(workcenter)
        expect(sequence).toBe(UNKNOWN_STATION_ORDER)
      }
    }
  })

  it('lists specs for every package at final test', () => {
    for (const pkg of PACKAGES) expect(rows.some((r) => r[0] === `TMTT_${pkg.code}` && r[1] === 'TMTT')).toBe(true)
  })
})

describe('demo loss reasons', () => {
  it('has 30–80 distinct NNN_NAME reasons including the well-known ones', () => {
    const reasons = new Set(WORKCENTERS.flatMap((w) => w.rejects?.reasons ?? []))
    expect(reasons.size).toBeGreaterThanOrEqual(30)
    expect(reasons.size).toBeLessThanOrEqual(80)
    for (const r of reasons) expect(r).toMatch(/^\d{3}_\S+$/)
    for (const known of ['001_CRACK', '002_BREAK', '003_MATERIAL', '043_NSOP', '044_NSOL', '276_腳型不良', '277_印字不良']) {
      expect(reasons).toContain(known)
    }
  })

  it('keeps reject rates in the plant range (0.1–10 % per station)', () => {
    for (const w of WORKCENTERS) {
      if (!w.rejects) continue
      expect(w.rejects.meanRate).toBeGreaterThanOrEqual(0.001)
      expect(w.rejects.meanRate).toBeLessThanOrEqual(0.1)
    }
  })
})

describe('demo materials', () => {
  it('has 50–300 part numbers with unique names', () => {
    expect(MATERIAL_PARTS.length).toBeGreaterThanOrEqual(50)
    expect(MATERIAL_PARTS.length).toBeLessThanOrEqual(300)
    expect(new Set(MATERIAL_PARTS.map((p) => p.name)).size).toBe(MATERIAL_PARTS.length)
  })

  it('opens a new material lot every lotHours, each with its own name', () => {
    const clock = new PlantClock('2026-10-31', 60)
    const lots = new MaterialLots('mes-trace', clock)
    const part = MATERIAL_PARTS.find((p) => p.name === 'EMC-G600-A')!
    const first = lots.indexAt(part, clock.startSec)
    const later = lots.indexAt(part, clock.startSec + part.lotHours * 3600)
    expect(later).toBe(first + 1)
    expect(lots.openedAt(part, later)).toBeLessThanOrEqual(clock.startSec + part.lotHours * 3600)
    expect(lots.openedAt(part, later)).toBeGreaterThan(clock.startSec)
    const names = new Set<string>()
    for (const p of MATERIAL_PARTS) for (let i = first; i < first + 15; i++) names.add(lots.lotName(p, i))
    expect(names.size).toBe(MATERIAL_PARTS.length * 15)
  })
})
