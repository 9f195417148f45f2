/**
 * Whether the app updates itself. Installers that update themselves (per-user NSIS, dmg/zip,
 * AppImage) carry an `app-update.yml` in their resources; the per-machine MSI does not, because IT
 * deploys new versions. The machine policy can turn updates off (or on), and a locked choice is
 * final. Pure, so it is tested without Electron.
 */
import type { ManagedPolicy } from '../../shared/policy.js'

export interface UpdateDecision {
  check: boolean
  /** Why, in words for the log and the About box. */
  reason: string
}

export interface UpdateContext {
  /** The app runs from a package (not from sources). */
  packaged: boolean
  /** The installer wrote update metadata (`resources/app-update.yml`). */
  hasUpdateMetadata: boolean
  policy: ManagedPolicy
  /** The user's own choice from the settings, when they made one. */
  userChoice?: boolean
}

export function decideUpdates(context: UpdateContext): UpdateDecision {
  if (!context.packaged) return { check: false, reason: 'running from sources' }
  if (!context.hasUpdateMetadata) return { check: false, reason: 'installed per machine (MSI): IT deploys new versions' }
  const managed = context.policy.updates
  if (managed?.locked) return { check: managed.value, reason: `set by the machine policy (${managed.value ? 'on' : 'off'}, locked)` }
  if (context.userChoice !== undefined) return { check: context.userChoice, reason: `your setting (${context.userChoice ? 'on' : 'off'})` }
  if (managed) return { check: managed.value, reason: `the machine policy's default (${managed.value ? 'on' : 'off'})` }
  return { check: true, reason: 'default for self-updating installers' }
}
