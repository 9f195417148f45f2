/**
 * The repair-jobs area's messages beyond what tests/unit/renderer/i18n.test.ts checks for every
 * area: the header of each transaction column, a key the panel builds, resolves in both languages.
 */
import { describe, expect, it } from 'vitest'
import { TRANSACTION_SHOWN } from '../../../../renderer/src/job-transactions'
import { unresolvedKeys } from '../../../fixtures/i18n-keys'

describe('jobs messages', () => {
  it('has a header for every transaction column in both languages', () => {
    expect(TRANSACTION_SHOWN.length).toBeGreaterThan(5)
    expect(unresolvedKeys(TRANSACTION_SHOWN.map((c) => `jobs.txn.col.${c}`))).toEqual([])
  })
})
