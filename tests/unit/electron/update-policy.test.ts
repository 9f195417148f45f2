/** When the desktop app updates itself. */
import { describe, expect, it } from 'vitest'
import { decideUpdates } from '../../../main/electron/update-policy.js'
import { EMPTY_POLICY, parsePolicy } from '../../../shared/policy.js'

describe('decideUpdates', () => {
  const self = { packaged: true, hasUpdateMetadata: true, policy: EMPTY_POLICY }
  it('checks by default for self-updating installers, never from sources or a per-machine MSI', () => {
    expect(decideUpdates(self)).toEqual({ check: true, reason: 'default for self-updating installers' })
    expect(decideUpdates({ ...self, packaged: false }).check).toBe(false)
    expect(decideUpdates({ ...self, hasUpdateMetadata: false })).toEqual({ check: false, reason: 'installed per machine (MSI): IT deploys new versions' })
  })
  it('follows the machine policy: a locked choice wins over the user, an unlocked one is a default', () => {
    const lockedOff = parsePolicy({ updates: { enabled: false, locked: true } })
    expect(decideUpdates({ ...self, policy: lockedOff, userChoice: true }).check).toBe(false)
    const defaultOff = parsePolicy({ updates: { enabled: false } })
    expect(decideUpdates({ ...self, policy: defaultOff }).check).toBe(false)
    expect(decideUpdates({ ...self, policy: defaultOff, userChoice: true }).check).toBe(true)
    // Even a policy cannot make the MSI update itself: it has no update feed.
    expect(decideUpdates({ ...self, hasUpdateMetadata: false, policy: parsePolicy({ updates: { enabled: true, locked: true } }) }).check).toBe(false)
  })
})
