import { describe, expect, it } from 'vitest'
import { PARETO_OTHER } from '../../../shared/msd'
import {
  createPlaceMemory,
  decodeDrill,
  decodeHistoryView,
  drillOfRef,
  encodeDrill,
  historyReach,
  placeOf,
  REMEMBERED_MAX,
  suspectOfRef,
  type DrillRef,
  type PlaceStorage,
} from '../../../renderer/src/nav-history'

/** A storage over a map, as session storage behaves. */
function memoryStorage(): PlaceStorage & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) }
}

const material: DrillRef = { from: 'bar', chart: 'by_material', name: 'EMC-G600-A/SMB260923-57', at: 'by_material' }
const bonder: DrillRef = { from: 'suspect', factor_type: 'machine', name: 'GWBE-0029', station: '焊接_WB', lots: 71, at: 'suspects' }

describe('drill-down references', () => {
  it('survive a round trip through a query value, names with slashes, colons and CJK included', () => {
    const refs: DrillRef[] = [
      material,
      bonder,
      { from: 'bar', chart: 'by_downstream_station', name: '電鍍', at: 'stations' },
      { from: 'bar', chart: 'by_loss_reason', name: '201_OPEN: wire "lift"', at: 'by_loss_reason' },
      { from: 'suspect', factor_type: 'wafer_root', name: '56098S24Y-8F03R', station: null, lots: 2, at: 'by_wafer_root' },
    ]
    for (const ref of refs) expect(decodeDrill(encodeDrill(ref))).toEqual(ref)
  })

  it('reads anything else as no drill-down: an edited URL never opens a panel it cannot explain', () => {
    for (const value of [
      undefined,
      '',
      'GWBE-0029',
      '{"from":"bar"}',
      '["bar","by_machine","GWBE-0029"]',
      '["bar","by_nothing","GWBE-0029","by_machine"]',
      '["bar","by_machine","","by_machine"]',
      '["bar","by_machine","GWBE-0029","elsewhere"]',
      JSON.stringify(['bar', 'by_machine', PARETO_OTHER, 'by_machine']),
      '["suspect","machine","GWBE-0029","焊接_WB",-1,"suspects"]',
      '["suspect","machine","GWBE-0029","焊接_WB",1.5,"suspects"]',
      '["suspect","operator","X",null,3,"suspects"]',
      '["suspect","machine","GWBE-0029",7,3,"suspects"]',
    ]) {
      expect(decodeDrill(value), String(value)).toBeNull()
    }
  })

  it('become the drill-down they name, a machine bar with its station group', () => {
    expect(drillOfRef({ from: 'bar', chart: 'by_machine', name: 'GWBE-0029', at: 'by_machine' }, (m) => (m === 'GWBE-0029' ? '焊接_WB' : undefined))).toMatchObject({
      kind: 'machine',
      name: '焊接_WB/GWBE-0029',
      events: { domain: 'upstream_history', filter: [{ column: 'EQUIPMENTNAME', op: 'eq', value: 'GWBE-0029' }] },
    })
    expect(drillOfRef(bonder)).toMatchObject({ kind: 'machine', name: '焊接_WB/GWBE-0029', lots: 71 })
    expect(drillOfRef(material)).toMatchObject({ kind: 'material', events: { domain: 'materials' } })
    expect(suspectOfRef(bonder)).toEqual({ factor_type: 'machine', name: 'GWBE-0029', station: '焊接_WB' })
    expect(suspectOfRef(material)).toBeNull()
  })
})

describe('a result’s place', () => {
  it('is the tab and the drill-downs of the query, nothing else', () => {
    expect(placeOf({ tab: 'msd', drill: encodeDrill(bonder), cached: '1', events: '' })).toEqual({ tab: 'msd', drill: encodeDrill(bonder) })
    expect(placeOf({ tab: ['a', 'b'] })).toEqual({})
  })

  it('holds the history tab’s view: the timeline when asked for, else the table', () => {
    expect(placeOf({ tab: 'history', view: 'timeline', cached: '1' })).toEqual({ tab: 'history', view: 'timeline' })
    expect(decodeHistoryView('timeline')).toBe('timeline')
    expect([undefined, '', 'table', 'gantt', ['timeline']].map(decodeHistoryView)).toEqual(['table', 'table', 'table', 'table', 'table'])
  })

  it('is remembered per result, with each tab’s scroll position, in storage that outlives a reload', () => {
    const storage = memoryStorage()
    const memory = createPlaceMemory(storage)
    memory.rememberPlace('trace-evt-000000000001', { tab: 'msd', drill: encodeDrill(bonder) })
    memory.rememberPlace('trace-evt-000000000002', { tab: 'history' })
    memory.rememberScroll('trace-evt-000000000001', 'msd', 1234.4)
    memory.rememberScroll('trace-evt-000000000001', 'history', 80)
    const reloaded = createPlaceMemory(storage)
    expect(reloaded.placeOf('trace-evt-000000000001')).toEqual({ tab: 'msd', drill: encodeDrill(bonder) })
    expect(reloaded.placeOf('trace-evt-000000000002')).toEqual({ tab: 'history' })
    expect(reloaded.placeOf('trace-evt-000000000003')).toBeUndefined()
    expect(reloaded.scrollOf('trace-evt-000000000001', 'msd')).toBe(1234)
    expect(reloaded.scrollOf('trace-evt-000000000001', 'history')).toBe(80)
    expect(reloaded.scrollOf('trace-evt-000000000002', 'msd')).toBe(0)
  })

  it('keeps the most recent results only, and treats a damaged or missing storage as empty', () => {
    const storage = memoryStorage()
    const memory = createPlaceMemory(storage)
    for (let i = 0; i <= REMEMBERED_MAX; i++) memory.rememberPlace(`job-${i}`, { tab: 'msd' })
    expect(memory.placeOf('job-0')).toBeUndefined()
    expect(memory.placeOf('job-1')).toEqual({ tab: 'msd' })
    expect(memory.placeOf(`job-${REMEMBERED_MAX}`)).toEqual({ tab: 'msd' })
    storage.data.set('mes-trace:places', '{not json')
    expect(memory.placeOf('job-1')).toBeUndefined()
    memory.rememberPlace('job-1', { tab: 'history' })
    expect(memory.placeOf('job-1')).toEqual({ tab: 'history' })
    const none = createPlaceMemory(null)
    none.rememberPlace('job-1', { tab: 'msd' })
    expect(none.placeOf('job-1')).toBeUndefined()
  })
})

describe('historyReach', () => {
  it('goes back or forward only to pages the app itself put in the history', () => {
    expect(historyReach({ back: null, current: '/jobs/x', forward: null })).toEqual({ canBack: false, canForward: false })
    expect(historyReach({ back: '/new', current: '/jobs/x?tab=msd', forward: null })).toEqual({ canBack: true, canForward: false })
    expect(historyReach({ back: '/new', current: '/jobs/x', forward: '/jobs/x?tab=history' })).toEqual({ canBack: true, canForward: true })
    // A page the app did not write (the browser's first entry) has no state.
    expect(historyReach(null)).toEqual({ canBack: false, canForward: false })
  })
})
