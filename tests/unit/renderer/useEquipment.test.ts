/**
 * The equipment tab's state: the URL round trip, the checks before sending, the status badge's
 * tone, the picker's grouping and "select all", the lots pages kept per conditions, and answers
 * held per sub-view and conditions (a tab shown again is not asked again).
 */
import { nextTick } from 'vue'
import { describe, expect, it } from 'vitest'
import type { EquipmentQuery, ProductionMachine } from '../../../shared/equipment'
import {
  answerKey,
  daysInRange,
  groupMachines,
  jobStatusTone,
  lotsFetcher,
  queryOfState,
  selectShown,
  stateFromQuery,
  useEquipment,
  validateConditions,
} from '../../../renderer/src/composables/useEquipment'
import { fakeApi } from './fake-api'

const LIMITS = { max_machines: 3, max_days: 90 }

describe('URL state', () => {
  it('reads source, repeated machines, dates and view; drops what is malformed', () => {
    expect(stateFromQuery({ source: 'demo', machine: ['M1', 'M2', 'M1'], start: '2026-10-02', end: '2026-10-31', view: 'timeline' })).toEqual({
      sourceId: 'demo',
      machines: ['M1', 'M2'],
      start: '2026-10-02',
      end: '2026-10-31',
      view: 'timeline',
    })
    expect(stateFromQuery({ machine: 'M9', start: '10/02/2026', view: 'materials' })).toEqual({ sourceId: '', machines: ['M9'], start: '', end: '', view: 'lots' })
  })

  it('writes a query that reads back to the same state, machines in the order picked', () => {
    const state = { sourceId: 's', machines: ['B', 'A'], start: '2026-10-01', end: '2026-10-30', view: 'jobs' as const }
    const query = queryOfState(state)
    expect(query).toEqual({ source: 's', machine: ['B', 'A'], start: '2026-10-01', end: '2026-10-30', view: 'jobs' })
    expect(stateFromQuery(query as Record<string, string | string[]>)).toEqual(state)
  })
})

describe('validateConditions', () => {
  const ok = { sourceId: 's', machines: ['A'], start: '2026-10-02', end: '2026-10-31' }

  it('passes a complete request', () => {
    expect(validateConditions(ok, LIMITS)).toEqual([])
    expect(daysInRange(ok.start, ok.end)).toBe(30)
  })

  it('names the field of each problem', () => {
    expect(validateConditions({ ...ok, machines: [] }, LIMITS).map((p) => [p.field, p.key])).toEqual([['machines', 'equipment.invalid.machines']])
    expect(validateConditions({ ...ok, machines: ['A', 'B', 'C', 'D'] }, LIMITS)).toEqual([{ field: 'machines', key: 'equipment.invalid.tooMany', values: { n: 4, max: 3 } }])
    expect(validateConditions({ ...ok, start: '' }, LIMITS).map((p) => p.field)).toEqual(['start'])
    expect(validateConditions({ ...ok, start: '2026-11-01' }, LIMITS).map((p) => p.key)).toEqual(['equipment.invalid.order'])
    expect(validateConditions({ ...ok, start: '2026-07-01' }, LIMITS)).toEqual([{ field: 'end', key: 'equipment.invalid.span', values: { days: 123, max: 90 } }])
    expect(validateConditions({ ...ok, sourceId: '' }, LIMITS).map((p) => p.field)).toEqual(['source'])
  })

  it('counts both ends of a range, so the limit itself passes and one more day does not', () => {
    expect(validateConditions({ ...ok, start: '2026-08-03', end: '2026-10-31' }, LIMITS)).toEqual([])
    expect(validateConditions({ ...ok, start: '2026-08-02', end: '2026-10-31' }, LIMITS).map((p) => p.values.days)).toEqual([91])
  })
})

describe('jobStatusTone', () => {
  it('follows the substrings of the original, case-insensitive', () => {
    expect(['Complete', 'CLOSED', 'done', 'Finished'].map(jobStatusTone)).toEqual(['success', 'success', 'success', 'success'])
    expect(['Open', 'pending', 'In Progress', 'on hold', 'Waiting'].map(jobStatusTone)).toEqual(['warning', 'warning', 'warning', 'warning', 'warning'])
    expect(['Cancelled', 'aborted', 'FAILED', 'error'].map(jobStatusTone)).toEqual(['danger', 'danger', 'danger', 'danger'])
    expect([null, '', 'Repair'].map(jobStatusTone)).toEqual(['neutral', 'neutral', 'neutral'])
  })
})

const machine = (id: string, station: string | null, workcenter = 'WC', family = 'FAM'): ProductionMachine => ({ resource_id: id, name: `N-${id}`, workcenter, station, family })

describe('the picker', () => {
  const list = [machine('1', '焊接_DB'), machine('2', '焊接_DB'), machine('3', '焊接_WB', 'WB-1', 'K&S'), machine('4', '焊接_WB'), machine('5', null)]

  it('groups by station in the list order, the search matching name, id, workcenter or family', () => {
    expect(groupMachines(list).map((g) => [g.station, g.machines.length])).toEqual([['焊接_DB', 2], ['焊接_WB', 2], [null, 1]])
    expect(groupMachines(list, 'k&s').map((g) => g.machines.map((m) => m.resource_id))).toEqual([['3']])
    expect(groupMachines(list, 'wb').flatMap((g) => g.machines.map((m) => m.resource_id))).toEqual(['3', '4'])
  })

  it('"select all" adds what is shown up to the limit and says when it stopped', () => {
    expect(selectShown(['9'], ['1', '2'], 3)).toEqual({ values: ['9', '1', '2'], capped: false })
    expect(selectShown(['9'], ['1', '9', '2', '3'], 3)).toEqual({ values: ['9', '1', '2'], capped: true })
  })
})

const Q: EquipmentQuery = { id: 's', equipment_ids: ['A', 'B'], start_date: '2026-10-02', end_date: '2026-10-31' }

describe('lotsFetcher', () => {
  it('asks for each page once and passes the conditions with offset and limit', async () => {
    const api = fakeApi()
    api.handle('equipment:lots', (p) => ({ rows: [{ CONTAINERNAME: `L${p.offset}` }], total: 401, offset: p.offset ?? 0, limit: p.limit ?? 200 }))
    const fetch = lotsFetcher(api, Q)
    const a = await fetch({ offset: 0, limit: 200 })
    const b = await fetch({ offset: 0, limit: 200 })
    await fetch({ offset: 200, limit: 200 })
    expect(a).toEqual({ rows: [{ CONTAINERNAME: 'L0' }], total: 401 })
    expect(b).toBe(a)
    expect(api.calls.map((c) => c.payload)).toEqual([
      { ...Q, offset: 0, limit: 200 },
      { ...Q, offset: 200, limit: 200 },
    ])
  })
})

describe('useEquipment', () => {
  function setup() {
    const api = fakeApi()
    api.handle('sources:list', () => [{ id: 's', name: 'Demo' } as never])
    api.handle('equipment:machines', () => ({
      machines: [machine('A', 'X'), machine('B', 'X')],
      from: 'resource',
      filtered_by: [],
      missing_tables: [],
      default_range: { start: '2026-10-02', end: '2026-10-31' },
      limits: { max_machines: 20, max_days: 90 },
    }))
    api.handle('equipment:jobs', () => ({ rows: [{ JOBID: 'J1' }] }))
    api.handle('equipment:rejects', () => ({ rows: [] }))
    api.handle('equipment:lots', () => ({ rows: [], total: 0, offset: 0, limit: 200 }))
    return api
  }
  const count = (api: ReturnType<typeof fakeApi>, channel: string) => api.calls.filter((c) => c.channel === channel).length

  it('takes the default range of the source, refuses to send without machines, and keeps answers per view and conditions', async () => {
    const api = setup()
    const eq = useEquipment(api)
    await eq.loadSources()
    eq.sourceId.value = 's'
    await eq.loadMachines(false)
    expect([eq.form.start, eq.form.end]).toEqual(['2026-10-02', '2026-10-31'])

    eq.view.value = 'jobs'
    expect(eq.query()).toBe(false)
    expect(eq.problems.value.map((p) => p.field)).toEqual(['machines'])
    expect(count(api, 'equipment:jobs')).toBe(0)

    eq.form.machines = ['A', 'B']
    await nextTick()
    // A shown problem goes once the field is fixed.
    expect(eq.problems.value).toEqual([])
    expect(eq.query()).toBe(true)
    await new Promise((r) => setTimeout(r, 0))
    expect(eq.held('jobs')).toEqual({ state: 'done', value: { rows: [{ JOBID: 'J1' }] } })
    expect(api.calls.find((c) => c.channel === 'equipment:jobs')!.payload).toEqual({ ...Q })

    // Another tab is asked once; coming back to jobs asks nothing.
    await eq.ensure('rejects')
    await eq.ensure('jobs')
    await eq.ensure('rejects')
    expect([count(api, 'equipment:jobs'), count(api, 'equipment:rejects')]).toEqual([1, 1])
    expect(eq.stale.value).toBe(false)
    eq.form.end = '2026-10-30'
    expect(eq.stale.value).toBe(true)
  })

  it('restores a URL state: applies complete conditions and asks for its view', async () => {
    const api = setup()
    const eq = useEquipment(api)
    eq.sourceId.value = 's'
    await eq.loadMachines(true)
    expect(eq.restore({ sourceId: 's', machines: ['B'], start: '2026-10-05', end: '2026-10-06', view: 'rejects' })).toBe(true)
    await new Promise((r) => setTimeout(r, 0))
    expect(eq.applied.value).toEqual({ id: 's', equipment_ids: ['B'], start_date: '2026-10-05', end_date: '2026-10-06' })
    expect(eq.held('rejects')?.state).toBe('done')
    expect(eq.urlState()).toEqual({ sourceId: 's', machines: ['B'], start: '2026-10-05', end: '2026-10-06', view: 'rejects' })
    expect(answerKey('rejects', eq.applied.value!)).not.toBe(answerKey('jobs', eq.applied.value!))
    // Incomplete: nothing applied, nothing asked.
    expect(eq.restore({ sourceId: 's', machines: [], start: '', end: '', view: 'jobs' })).toBe(false)
    expect(eq.applied.value).toBeNull()
  })

  it('keeps an error in the sub-view it belongs to, and asks again on the next 查詢', async () => {
    const api = setup()
    api.fail('equipment:jobs', 'source/query-failed', 'boom')
    const eq = useEquipment(api)
    eq.sourceId.value = 's'
    await eq.loadMachines(false)
    eq.form.machines = ['A']
    eq.view.value = 'jobs'
    eq.query()
    await new Promise((r) => setTimeout(r, 0))
    const held = eq.held('jobs')
    expect(held?.state).toBe('error')
    expect(held?.state === 'error' && held.error.code).toBe('source/query-failed')
    eq.query()
    await new Promise((r) => setTimeout(r, 0))
    expect(count(api, 'equipment:jobs')).toBe(2)
  })
})
