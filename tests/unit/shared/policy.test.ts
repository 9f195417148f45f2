/** The machine policy: its validation, and how it layers over the other settings. */
import { describe, expect, it } from 'vitest'
import { EMPTY_POLICY, lockedSettings, parsePolicy } from '../../../shared/policy.js'
import { resolveSettings } from '../../../shared/settings.js'
import { thrown } from '../../fixtures/thrown.js'

const FILE = 'C:\\ProgramData\\MES Trace Desktop\\policy.json'

describe('parsePolicy', () => {
  it('reads settings, a data source and the update policy', () => {
    const policy = parsePolicy({
      settings: { TRACE_WORKER_COUNT: { value: 1, locked: true }, TRACE_JOB_TTL_SECONDS: { value: 86400 } },
      source: { name: 'Plant warehouse replica', kind: 'sqlite', path: '\\\\fileserver\\mes\\replica.sqlite', locked: true },
      updates: { enabled: false, locked: true },
    }, FILE)
    expect(policy).toEqual({
      settings: { TRACE_WORKER_COUNT: { value: 1, locked: true }, TRACE_JOB_TTL_SECONDS: { value: 86400, locked: false } },
      source: { name: 'Plant warehouse replica', kind: 'sqlite', path: '\\\\fileserver\\mes\\replica.sqlite', locked: true },
      updates: { value: false, locked: true },
    })
    expect(lockedSettings(policy)).toEqual(['TRACE_WORKER_COUNT'])
    expect(parsePolicy({}, FILE)).toEqual(EMPTY_POLICY)
  })

  it('refuses a malformed file with policy/invalid naming the entry and the file', () => {
    const cases: [unknown, string][] = [
      [[], '(file)'],
      [{ setting: {} }, 'setting'],
      [{ settings: { TRACE_WORKERS: { value: 1 } } }, 'settings.TRACE_WORKERS'],
      [{ settings: { TRACE_WORKER_COUNT: 2 } }, 'settings.TRACE_WORKER_COUNT'],
      [{ settings: { TRACE_WORKER_COUNT: { value: 99 } } }, 'settings.TRACE_WORKER_COUNT.value'],
      [{ settings: { TRACE_WORKER_COUNT: { value: 2, locked: 'yes' } } }, 'settings.TRACE_WORKER_COUNT.locked'],
      [{ source: { name: 'X', kind: 'postgres', path: '/x' } }, 'source.kind'],
      [{ source: { name: 'X', kind: 'sqlite', path: 'relative.sqlite' } }, 'source.path'],
      [{ updates: { enabled: 'no' } }, 'updates'],
    ]
    for (const [raw, field] of cases) {
      const error = thrown(() => parsePolicy(raw, FILE))
      expect(error, field).toMatchObject({ code: 'policy/invalid', details: { field, origin: FILE } })
      expect(error.message).toContain(FILE)
    }
  })
})

describe('resolveSettings with a policy', () => {
  const policy = parsePolicy({ settings: { TRACE_WORKER_COUNT: { value: 1, locked: true }, TRACE_JOB_TTL_SECONDS: { value: 3600 } } })
  it('lets a locked value win over the settings table, the environment and flags', () => {
    const settings = resolveSettings({
      policy: policy.settings,
      stored: { TRACE_WORKER_COUNT: 4 },
      env: { TRACE_WORKER_COUNT: '5' },
      flags: { TRACE_WORKER_COUNT: '6' },
    })
    expect(settings.TRACE_WORKER_COUNT).toBe(1)
  })
  it('uses an unlocked value as the default the user may still change', () => {
    expect(resolveSettings({ policy: policy.settings }).TRACE_JOB_TTL_SECONDS).toBe(3600)
    expect(resolveSettings({ policy: policy.settings, stored: { TRACE_JOB_TTL_SECONDS: 60 } }).TRACE_JOB_TTL_SECONDS).toBe(60)
  })
})
