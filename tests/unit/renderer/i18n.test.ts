/**
 * Both languages are complete: every message key exists in zh-TW and in English, no message is
 * empty, and every key the renderer's source asks for — spelled out, or built from a list the
 * app shows (domains, statuses, stages…) — resolves in both.
 */
import { describe, expect, it } from 'vitest'
import { JOB_STATUSES } from '../../../shared/jobs'
import { SETTING_SPECS } from '../../../shared/settings'
import { ALL_RESOLVE_TYPES, DOMAINS, PROFILES, QUALITY_ORDER, TRACE_STAGES } from '../../../shared/trace'
import { BACKWARD_DETAIL_COLUMNS, FORWARD_DETAIL_COLUMNS } from '../../../shared/msd'
import { FORM_PROFILES } from '../../../renderer/src/composables/useTraceForm'
import { VALIDATION_KEYS } from '../../../renderer/src/validation'
import { VIEW_EDGE_TYPES, VIEW_NODE_TYPES } from '../../../renderer/src/charts/lineage-view'
import { AREAS, LOCALES, initialLocale } from '../../../renderer/src/i18n'
import { flattenMessages, keysInSource, messagesByKey } from '../../fixtures/i18n-keys'

const keys = Object.fromEntries(LOCALES.map((l) => [l, messagesByKey(l)])) as Record<(typeof LOCALES)[number], Map<string, string>>

describe('messages', () => {
  it('has the same keys in zh-TW and English, in every area', () => {
    for (const [area, messages] of Object.entries(AREAS)) {
      const zh = [...flattenMessages(messages['zh-TW']).keys()].sort()
      const en = [...flattenMessages(messages.en).keys()].sort()
      expect(zh, `area ${area}`).toEqual(en)
    }
    expect(keys['zh-TW'].size).toBeGreaterThan(250)
  })

  it('has no empty message, and the zh-TW text is not the English one left untranslated', () => {
    let same = 0
    for (const [key, zh] of keys['zh-TW']) {
      expect(zh.trim(), key).not.toBe('')
      expect(keys.en.get(key)!.trim(), key).not.toBe('')
      if (zh === keys.en.get(key) && /[a-z]{4,}/.test(zh)) same++
    }
    // A few are the same on purpose (product names, "Hold", codes); whole sentences are not.
    expect(same).toBeLessThan(12)
  })

  it('resolves every key the source spells out, in both languages', () => {
    // Every area's keys, so an area added later is checked too.
    const areaKey = new RegExp(`\\bt\\(\\s*'((?:${Object.keys(AREAS).join('|')})\\.[A-Za-z0-9_.-]+)'`, 'g')
    const used = new Set([...keysInSource(areaKey), ...keysInSource(/title: '((?:app|diff)\.[A-Za-z0-9_.-]+)'/g)])
    expect(used.size).toBeGreaterThan(150)
    const missing = [...used].filter((k) => !keys['zh-TW'].has(k) || !keys.en.has(k))
    expect(missing).toEqual([])
  })

  it('resolves every key built from a list the app shows', () => {
    const built = [
      ...DOMAINS.map((d) => `app.domain.${d}`),
      ...JOB_STATUSES.map((s) => `app.status.${s}`),
      ...TRACE_STAGES.map((s) => `app.stage.${s}`),
      ...['pending', 'active', 'complete', 'error'].map((s) => `app.stage.state.${s}`),
      ...ALL_RESOLVE_TYPES.map((r) => `app.resolveType.${r}`),
      ...FORM_PROFILES.flatMap((p) => [`app.formProfile.${p}.name`, `app.formProfile.${p}.hint`]),
      ...PROFILES.filter((p) => p !== 'mid_section_defect').map((p) => `app.profile.${p}`),
      'app.profile.msd_backward',
      'app.profile.msd_forward',
      ...Object.keys(SETTING_SPECS).map((k) => `app.settings.keys.${k}`),
      ...QUALITY_ORDER.map((q) => `app.quality.${q}`),
      ...LOCALES.map((l) => `app.locales.${l}`),
      ...['saved', 'session', 'none'].map((s) => `app.settings.passwordState.${s}`),
      ...Object.keys(SETTING_SPECS).map((k) => `app.settings.desc.${k}`),
      ...Object.values(SETTING_SPECS).map((spec) => `app.settings.unit.${spec.unit}`),
      ...[...BACKWARD_DETAIL_COLUMNS, ...FORWARD_DETAIL_COLUMNS].map((c) => `app.msd.detailCol.${c.key}`),
      ...VALIDATION_KEYS,
      ...['qty', 'rate'].map((m) => `charts.pareto.${m}`),
      ...VIEW_NODE_TYPES.map((k) => `charts.lineage.nodeTypes.${k}`),
      ...VIEW_EDGE_TYPES.map((k) => `charts.lineage.edgeTypes.${k}`),
      ...['machine', 'material', 'wafer_root'].map((f) => `app.msd.factor.${f}`),
      ...['machine', 'material', 'wafer_root', 'loss_reason', 'detection_machine', 'downstream_station', 'downstream_machine'].map((k) => `app.msd.drillKind.${k}`),
      ...['by_machine', 'by_material', 'by_wafer_root', 'by_loss_reason', 'by_detection_machine', 'by_downstream_station', 'by_downstream_machine', 'by_downstream_loss_reason'].map(
        (c) => `app.msd.chart.${c}`,
      ),
    ]
    const missing = built.filter((k) => !keys['zh-TW'].has(k) || !keys.en.has(k))
    expect(missing).toEqual([])
  })
})

describe('initialLocale', () => {
  const storage = (value: string | null) => ({ getItem: () => value })

  it('keeps the stored choice, else follows the system language, else zh-TW', () => {
    expect(initialLocale(storage('en'), ['zh-TW'])).toBe('en')
    expect(initialLocale(storage('zh-TW'), ['en-US'])).toBe('zh-TW')
    expect(initialLocale(storage(null), ['en-GB'])).toBe('en')
    expect(initialLocale(storage('fr'), ['zh-CN'])).toBe('zh-TW')
    expect(initialLocale(null, [])).toBe('zh-TW')
  })
})
