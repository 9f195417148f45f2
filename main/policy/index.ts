/** The machine's managed settings (policy file written by IT). */
export { loadPolicy, policyPathOf } from './policy-file.js'
