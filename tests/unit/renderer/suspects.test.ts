import { describe, expect, it } from 'vitest'
import { suspectRow } from '../../../shared/msd'
import { bonderSuspect } from '../../fixtures/suspect-fixture'
import { NO_SUSPECT_FILTERS, suspectOfRow, suspectPageFilters, testedFactors, verdictOf } from '../../../renderer/src/suspects'

const suspect = bonderSuspect

const BONDER = suspect({})
const CAPILLARY = suspect({
  factor_type: 'material',
  name: 'CAP-WB38 (CAP261009-GWBE-0029)',
  rank: 8,
  explained_by: { factor_type: 'machine', name: 'GWBE-0029', station: '焊接_WB' },
  conditional_p_value: 0.41,
  onset: null,
})

describe('suspect rows and filters', () => {
  it('reads a stored row back, verdict included', () => {
    const row = suspectOfRow(suspectRow(CAPILLARY))!
    expect(row).toMatchObject({ factor_type: 'material', rank: 8, significant: true, explained_by: CAPILLARY.explained_by, conditional_p_value: 0.41, onset: null })
    expect(verdictOf(row)).toBe('explained')
    expect(verdictOf(suspectOfRow(suspectRow(BONDER))!)).toBe('independent')
    expect(verdictOf(suspectOfRow(suspectRow(suspect({ rank: null, significant: false, lift: 0.8 })))!)).toBe('not_elevated')
    expect(verdictOf(suspectOfRow(suspectRow(suspect({ no_contrast: true, inconclusive: true, significant: false })))!)).toBe('no_contrast')
    // A version-1 row has no significance column: no verdict at all.
    expect(verdictOf(suspectOfRow(Object.fromEntries(Object.entries(suspectRow(BONDER)).slice(0, 16)))!)).toBeNull()
    expect(suspectOfRow({ factor_type: 'nonsense', name: 'x' })).toBeNull()
  })

  it('counts as tested every factor with a contrast', () => {
    expect(testedFactors({ total: 3520, no_contrast: 1 })).toBe(3519)
  })

  it('filters by the stored verdict, and leaves blank text and non-numbers out', () => {
    expect(suspectPageFilters({ ...NO_SUSPECT_FILTERS, verdict: 'independent' }, { predatesSignificance: false })).toEqual([
      { column: 'verdict', op: 'eq', value: 'independent' },
    ])
    expect(suspectPageFilters({ ...NO_SUSPECT_FILTERS, verdict: 'not_significant' }, { predatesSignificance: false })).toEqual([
      { column: 'significant', op: 'eq', value: 'no' },
    ])
    expect(suspectPageFilters({ ...NO_SUSPECT_FILTERS, station: '  ', minLift: Number.NaN }, { predatesSignificance: false })).toEqual([])
    // An older result has no verdict column: the verdict and q filters are not sent.
    expect(suspectPageFilters({ ...NO_SUSPECT_FILTERS, verdict: 'independent', maxQ: 0.05 }, { predatesSignificance: true })).toEqual([])
  })
})
