/**
 * When MES_TRACE_POLICY_FILE may stand in for the machine policy: never in the installed app, in a
 * development build (the app from a checkout, the CLI) only where IT placed no policy; a variable
 * that is not honoured says why.
 */
import { describe, expect, it } from 'vitest'
import { decideOverride } from '../../../main/policy/policy-override.js'

const machinePath = '/etc/mes-trace-desktop/policy.json'

describe('decideOverride', () => {
  it('does nothing when the variable is unset or empty', () => {
    for (const requested of [undefined, '']) {
      expect(decideOverride({ requested, build: 'packaged', machinePath, machinePolicyPresent: true })).toEqual({ use: null, warning: null })
    }
  })

  it('is never honoured by the installed app, with or without a machine policy', () => {
    for (const machinePolicyPresent of [true, false]) {
      expect(decideOverride({ requested: '/tmp/p.json', build: 'packaged', machinePath, machinePolicyPresent })).toEqual({
        use: null,
        warning: `MES_TRACE_POLICY_FILE is ignored: the installed app reads only the machine policy (${machinePath}).`,
      })
    }
  })

  it('is honoured by a development build on a machine without a machine policy', () => {
    expect(decideOverride({ requested: './policy.json', build: 'development', machinePath, machinePolicyPresent: false })).toEqual({ use: './policy.json', warning: null })
  })

  it('is not honoured by a development build where IT placed a policy', () => {
    expect(decideOverride({ requested: './policy.json', build: 'development', machinePath, machinePolicyPresent: true })).toEqual({
      use: null,
      warning: `MES_TRACE_POLICY_FILE is ignored: this machine has a policy file placed by IT (${machinePath}), and no variable replaces it.`,
    })
  })
})
