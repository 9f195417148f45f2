/**
 * When `MES_TRACE_POLICY_FILE` may stand in for the machine policy. Pure.
 *
 * The variable exists to try a policy file before IT deploys it, and to test the app with one. A
 * variable is the user's own to set, so it must never replace a policy IT placed:
 * - the installed (packaged) app never honours it;
 * - a development build — the Electron app run from a checkout (`npm start`), or the `mes-trace`
 *   CLI, which always runs on a Node of the machine from a checkout or an npm install (the
 *   installed app cannot run it: its runAsNode fuse is off) — honours it only on a machine
 *   without a machine policy file. Where IT placed one, it wins, and the CLI is bound by it too.
 */

/** What kind of build reads the policy. */
export type PolicyBuild =
  /** The installed app (Electron's `app.isPackaged`). */
  | 'packaged'
  /** The app run from a checkout, the CLI, the browser host, tests. */
  | 'development'

/** The name of the variable, for the messages. */
export const POLICY_FILE_VARIABLE = 'MES_TRACE_POLICY_FILE'

export interface OverrideRequest {
  /** The value of `MES_TRACE_POLICY_FILE` (unset or empty: no override asked for). */
  requested: string | undefined
  build: PolicyBuild
  /** The machine policy file of this OS. */
  machinePath: string
  /** Whether something is at `machinePath` (when that cannot be told, it counts as present). */
  machinePolicyPresent: boolean
}

/** The file to read instead of the machine policy (or null), and why the variable was not honoured. */
export interface OverrideDecision {
  use: string | null
  warning: string | null
}

/** Decides whether `MES_TRACE_POLICY_FILE` is honoured (see the file comment). */
export function decideOverride(request: OverrideRequest): OverrideDecision {
  const { requested, build, machinePath, machinePolicyPresent } = request
  if (!requested) return { use: null, warning: null }
  if (build === 'packaged') {
    return { use: null, warning: `${POLICY_FILE_VARIABLE} is ignored: the installed app reads only the machine policy (${machinePath}).` }
  }
  if (machinePolicyPresent) {
    return { use: null, warning: `${POLICY_FILE_VARIABLE} is ignored: this machine has a policy file placed by IT (${machinePath}), and no variable replaces it.` }
  }
  return { use: requested, warning: null }
}
