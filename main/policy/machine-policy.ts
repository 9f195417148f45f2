/**
 * The policy the app and the CLI run with: the machine policy file when it may be believed, a
 * test file from `MES_TRACE_POLICY_FILE` where that is allowed (policy-override.ts), else nothing
 * managed — with a warning for everything a person should know (a file ignored and why, a
 * variable not honoured, a file whose protection could not be checked).
 */
import { EMPTY_POLICY, type ManagedPolicy } from '../../shared/policy.js'
import { machinePolicyPathOf, readPolicyFile } from './policy-file.js'
import { decideOverride, POLICY_FILE_VARIABLE, type PolicyBuild } from './policy-override.js'
import { trustWarning, type PolicyTrust } from './policy-trust.js'
import { gatherPosixFacts } from './posix-facts.js'
import { posixTrust } from './posix-trust.js'
import { gatherWindowsFacts } from './windows-facts.js'
import { windowsTrust } from './windows-trust.js'

/** The policy in force and what a person should be told about it. */
export interface LoadedPolicy {
  policy: ManagedPolicy
  /** The file it came from, or null when nothing is managed. */
  source: string | null
  /** Sentences for IT and the user (English); empty when all is well. */
  warnings: string[]
}

export interface MachinePolicyOptions {
  /** Which build reads it: only a development build may honour `MES_TRACE_POLICY_FILE`. */
  build: PolicyBuild
  /** @default process.platform */
  platform?: NodeJS.Platform
  /** Where `MES_TRACE_POLICY_FILE` is read. @default process.env */
  env?: NodeJS.ProcessEnv
  /** The machine policy file. @default the OS's (policy-file.ts) */
  machinePath?: string
  /** Judges a policy file (gathers its facts and applies the OS's rules). @default {@link inspectPolicyFile} */
  inspect?: (path: string) => PolicyTrust
}

/** Gathers the facts of the policy file at `path` and applies the rules of `platform`. */
export function inspectPolicyFile(path: string, platform: NodeJS.Platform = process.platform): PolicyTrust {
  return platform === 'win32' ? windowsTrust(gatherWindowsFacts(path)) : posixTrust(gatherPosixFacts(path), platform)
}

/**
 * Loads the policy in force. A file anybody but administrators (root) may change is ignored:
 * otherwise any user could unlock the settings by editing it, or impose a policy on the other
 * users of the machine. A malformed file that may be believed is still `policy/invalid`.
 */
export function loadMachinePolicy(options: MachinePolicyOptions): LoadedPolicy {
  const platform = options.platform ?? process.platform
  const env = options.env ?? process.env
  const machinePath = options.machinePath ?? machinePolicyPathOf(platform)
  const trust = (options.inspect ?? ((path: string) => inspectPolicyFile(path, platform)))(machinePath)
  const override = decideOverride({ requested: env[POLICY_FILE_VARIABLE], build: options.build, machinePath, machinePolicyPresent: trust.kind !== 'absent' })
  if (override.use !== null) return { policy: readPolicyFile(override.use), source: override.use, warnings: [] }
  const warnings = [override.warning, trustWarning(machinePath, trust, platform)].filter((w): w is string => w !== null)
  if (trust.kind === 'absent' || trust.kind === 'untrusted') return { policy: EMPTY_POLICY, source: null, warnings }
  // Trusted, or unverified: when the facts cannot be gathered (PowerShell blocked or missing, a
  // time-out), the file's settings and update policy are applied as found. The other way round, a
  // user could drop every lock by making the check fail (starting the app with a broken
  // environment, say), while a file planted by a user needs a folder IT left writable *and* a check
  // that fails for every other user too. Its data source is not: a planted source could point every
  // user's app at a file on someone else's share.
  const policy = readPolicyFile(machinePath)
  if (trust.kind === 'unverified' && policy.source !== null) {
    warnings.push(`Its data source "${policy.source.name}" is not offered until the file's protection can be checked.`)
    return { policy: { ...policy, source: null }, source: machinePath, warnings }
  }
  return { policy, source: machinePath, warnings }
}
