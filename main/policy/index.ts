/** The machine's managed settings (policy file written by IT), and whether it may be believed. */
export { loadMachinePolicy, inspectPolicyFile, type LoadedPolicy, type MachinePolicyOptions } from './machine-policy.js'
export { machinePolicyPathOf, readPolicyFile } from './policy-file.js'
export { POLICY_FILE_VARIABLE, type PolicyBuild } from './policy-override.js'
export type { PolicyTrust } from './policy-trust.js'
