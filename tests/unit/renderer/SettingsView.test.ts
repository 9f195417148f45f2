// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import type { SourceProfile } from '../../../shared/api'
import { defaultSettings } from '../../../shared/settings'
import SettingsView from '../../../renderer/src/views/SettingsView.vue'
import { fakeApi, type FakeApi } from './fake-api'
import { mountView, settle, type Mounted } from './mount-app'

describe('SettingsView', () => {
  let api: FakeApi
  let m: Mounted
  let profiles: SourceProfile[]

  async function setup(policyWarnings: string[] = [], ttlLocked = true): Promise<void> {
    api = fakeApi()
    profiles = [{ id: 'managed', name: 'Plant replica', kind: 'sqlite', path: '\\\\fs01\\mes\\replica.sqlite', created_at: 0, managed: true, locked: true }]
    api.handle('sources:list', () => profiles)
    api.handle('sources:add', (input) => {
      const added: SourceProfile =
        input.kind === 'sqlite'
          ? { id: 'src-000000000001', name: input.name, kind: 'sqlite', path: input.path, created_at: 1 }
          : { id: 'src-000000000002', name: input.name, kind: input.kind, url: input.url, created_at: 1, password: input.password ? 'saved' : 'none', pushdown: input.pushdown ?? 'auto' }
      profiles = [...profiles, added]
      return added
    })
    api.handle('sources:set-pushdown', ({ id, pushdown }) => {
      profiles = profiles.map((p) => (p.id === id && p.kind !== 'sqlite' ? { ...p, pushdown } : p))
      return profiles.find((p) => p.id === id)!
    })
    api.handle('sources:test', () => ({ ok: true, description: 'postgres://reader@db.plant:5432/mes (schema mes)', warnings: ['DW_MES_WIP is missing: workflows come from the spec'] }))
    api.handle('settings:get', () => ({
      values: { ...defaultSettings(), TRACE_WORKER_COUNT: 4 },
      defaults: defaultSettings(),
      managed: Object.fromEntries(ttlLocked ? [['TRACE_JOB_TTL_SECONDS', { value: 86_400, locked: true }]] : []),
      in_effect: { TRACE_JOB_TIMEOUT_SECONDS: 600, ...(ttlLocked ? {} : { TRACE_JOB_TTL_SECONDS: 2 * 86_400 + 3 * 3_600 }) },
      updates: null,
      policy_warnings: policyWarnings,
    }))
    api.handle('settings:set', ({ key, value }) => ({ key, value }))
    api.handle('app:data-dir', () => ({ path: 'C:\\Users\\eng\\AppData\\Roaming\\MES Trace' }))
    m = await mountView(SettingsView, api, { path: '/settings' })
    await settle(10)
  }

  afterEach(() => {
    m?.wrapper.unmount()
    m?.jobs.dispose()
  })

  it('lists the sources, a locked managed one without a remove button', async () => {
    await setup()
    const item = m.wrapper.get('[data-source-id="managed"]')
    expect(item.text()).toContain('Plant replica')
    expect(item.text()).toContain('Set by IT (locked)')
    expect(item.findAll('button').map((b) => b.text())).toEqual(['Test connection'])
  })

  it('adds a PostgreSQL source with its password given apart, and tests a URL before saving', async () => {
    await setup()
    const w = m.wrapper
    await w.get('input[value="postgres"]').setValue(true)
    await w.get('[data-testid="source-name"]').setValue('MES replica')
    await w.get('[data-testid="source-url"]').setValue('postgres://reader@db.plant:5432/mes?schema=mes')
    await w.get('[data-testid="source-password"]').setValue('p@ss word')
    await w.get('[data-testid="source-test"]').trigger('click')
    await settle()
    expect(api.calls.find((c) => c.channel === 'sources:test')!.payload).toEqual({ kind: 'postgres', url: 'postgres://reader:p%40ss%20word@db.plant:5432/mes?schema=mes' })
    expect(w.get('[data-testid="test-result"]').text()).toContain('Connected: postgres://reader@db.plant:5432/mes (schema mes)')
    expect(w.get('[data-testid="test-result"]').text()).toContain('DW_MES_WIP is missing')
    await w.get('[data-testid="add-source"]').trigger('submit')
    await settle(10)
    expect(api.calls.find((c) => c.channel === 'sources:add')!.payload).toEqual({ name: 'MES replica', kind: 'postgres', url: 'postgres://reader@db.plant:5432/mes?schema=mes', password: 'p@ss word' })
    const added = w.get('[data-source-id="src-000000000002"]')
    expect(added.text()).toContain('password saved, encrypted')
    expect((w.get('[data-testid="source-password"]').element as HTMLInputElement).value).toBe('')
  })

  it('sets a server source\'s pushdown mode, and offers none for a SQLite file', async () => {
    await setup()
    const w = m.wrapper
    expect(w.get('[data-source-id="managed"]').find('[data-testid="source-pushdown"]').exists()).toBe(false)
    await w.get('input[value="postgres"]').setValue(true)
    await w.get('[data-testid="source-name"]').setValue('MES replica')
    await w.get('[data-testid="source-url"]').setValue('postgres://reader@db.plant:5432/mes')
    await w.get('[data-testid="add-source"]').trigger('submit')
    await settle(10)
    const select = w.get('[data-source-id="src-000000000002"] [data-testid="source-pushdown"]')
    expect((select.element as HTMLSelectElement).value).toBe('auto')
    expect(select.findAll('option').map((o) => o.text())).toEqual(['Auto (large traces)', 'Always', 'Never'])
    await select.setValue('on')
    await settle(10)
    expect(api.calls.find((c) => c.channel === 'sources:set-pushdown')!.payload).toEqual({ id: 'src-000000000002', pushdown: 'on' })
    expect((w.get('[data-source-id="src-000000000002"] [data-testid="source-pushdown"]').element as HTMLSelectElement).value).toBe('on')
  })

  it('shows engine settings with their defaults, locks what IT set, and saves a change', async () => {
    await setup()
    const w = m.wrapper
    const workers = w.get('#setting-TRACE_WORKER_COUNT')
    expect((workers.element as HTMLInputElement).value).toBe('4')
    expect((w.get('#setting-TRACE_JOB_TTL_SECONDS').element as HTMLInputElement).disabled).toBe(true)
    expect(w.get('[data-setting="TRACE_JOB_TTL_SECONDS"]').text()).toContain('Locked by IT')
    await workers.setValue('3')
    await workers.trigger('change')
    await settle()
    expect(api.calls.find((c) => c.channel === 'settings:set')!.payload).toEqual({ key: 'TRACE_WORKER_COUNT', value: 3 })
    expect(w.get('[data-setting="TRACE_WORKER_COUNT"]').text()).toContain('Saved')
  })

  it('says which values the app was started with over the saved ones, on their rows only', async () => {
    await setup([], false)
    const w = m.wrapper
    expect(w.get('[data-setting="TRACE_JOB_TIMEOUT_SECONDS"] [data-testid="in-effect"]').text()).toBe('Running with 600')
    expect(w.get('[data-setting="TRACE_JOB_TTL_SECONDS"] [data-testid="in-effect"]').text()).toBe('Running with 2 d 3 h')
    expect(w.findAll('[data-testid="in-effect"]')).toHaveLength(2)
    // The field still shows the saved value, which applies once the app starts without the override.
    expect((w.get('#setting-TRACE_JOB_TIMEOUT_SECONDS').element as HTMLInputElement).value).toBe(String(defaultSettings().TRACE_JOB_TIMEOUT_SECONDS))
  })

  it('takes the retention in days and hours and stores it in seconds', async () => {
    await setup([], false)
    const w = m.wrapper
    const days = w.get('[data-testid="retention-days"]')
    const hours = w.get('[data-testid="retention-hours"]')
    expect([(days.element as HTMLInputElement).value, (hours.element as HTMLInputElement).value]).toEqual(['7', '0'])
    expect(w.get('[data-setting="TRACE_JOB_TTL_SECONDS"]').text()).toContain('Default 7 d 0 h')
    await days.setValue('2')
    await hours.setValue('12')
    await hours.trigger('change')
    await settle()
    expect(api.calls.filter((c) => c.channel === 'settings:set').at(-1)!.payload).toEqual({ key: 'TRACE_JOB_TTL_SECONDS', value: 216_000 })
    // An hour count past a day is refused here, with nothing sent.
    const sent = api.calls.filter((c) => c.channel === 'settings:set').length
    await hours.setValue('30')
    await hours.trigger('change')
    await settle()
    expect(api.calls.filter((c) => c.channel === 'settings:set')).toHaveLength(sent)
    expect(w.get('[data-setting="TRACE_JOB_TTL_SECONDS"] [data-testid="setting-error"]').text()).toBe('Enter whole days, and hours from 0 to 23.')
  })

  it('shows a value the engine refused in the page’s language, with the engine’s words on a detail line', async () => {
    await setup([], false)
    api.fail('settings:set', 'input/invalid', 'value: must be from 0 to 315360000 s, got 432000000', { field: 'value' })
    const w = m.wrapper
    await w.get('[data-testid="retention-days"]').setValue('5000')
    await w.get('[data-testid="retention-days"]').trigger('change')
    await settle()
    const error = w.get('[data-setting="TRACE_JOB_TTL_SECONDS"] [data-testid="setting-error"]')
    expect(error.get('[data-testid="error-message"]').text()).toBe('Not a valid entry: setting value.')
    expect(error.get('[data-testid="error-detail"]').text()).toBe('Details: value: must be from 0 to 315360000 s, got 432000000')
    expect(error.text()).toContain('From 0 (keep until deleted) to 3650 days.')
  })

  it('says why the machine policy was ignored, in the words of main under a translated label', async () => {
    const why = 'The machine policy C:\\ProgramData\\MES Trace Desktop\\policy.json is ignored (nothing is managed): policy.json is writable by BUILTIN\\Users (write data).'
    await setup([why, 'MES_TRACE_POLICY_FILE is ignored: the installed app reads only the machine policy.'])
    const banner = m.wrapper.get('[data-testid="policy-warnings"]')
    expect(banner.text()).toContain('The settings managed by IT (machine policy) have a problem')
    expect(banner.findAll('li').map((li) => li.text())).toEqual([why, 'MES_TRACE_POLICY_FILE is ignored: the installed app reads only the machine policy.'])
    expect(banner.get('li').attributes('lang')).toBe('en')
  })

  it('shows no policy banner when the policy is in order', async () => {
    await setup()
    expect(m.wrapper.find('[data-testid="policy-warnings"]').exists()).toBe(false)
    expect(m.wrapper.text()).not.toContain('machine policy')
  })
})
