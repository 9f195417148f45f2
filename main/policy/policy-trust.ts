/**
 * The verdict on a machine policy file — may it be believed? — and the warning a person sees when
 * it may not. Pure: the per-OS rules (posix-trust.ts, windows-trust.ts) produce the verdicts from
 * facts gathered elsewhere (posix-facts.ts, windows-facts.ts).
 */

/** What the rules found about who may change the policy file and its folder. */
export type PolicyTrust =
  /** There is no policy file: nothing is managed, nothing to say. */
  | { kind: 'absent' }
  /** Only administrators (root) own and may change the file and its folder: it is applied. */
  | { kind: 'trusted' }
  /** Someone else owns or may change the file or its folder: it is ignored. Each problem names who and what. */
  | { kind: 'untrusted'; problems: string[] }
  /** The facts could not be gathered: the file is applied as found (see machine-policy.ts for why). */
  | { kind: 'unverified'; reason: string }

/** Who may own and change the policy, as IT reads it in a warning. */
export function administratorsOf(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'Administrators, SYSTEM or TrustedInstaller' : 'root'
}

/** The warning for a verdict, or null when there is nothing to say (absent, trusted). */
export function trustWarning(path: string, trust: PolicyTrust, platform: NodeJS.Platform): string | null {
  if (trust.kind === 'untrusted') {
    return `The machine policy ${path} is ignored (nothing is managed): ${trust.problems.join('; ')}. Only ${administratorsOf(platform)} may own or change the file and its folder.`
  }
  if (trust.kind === 'unverified') {
    return `The machine policy ${path} is applied, but who may change it could not be checked: ${trust.reason}.`
  }
  return null
}
