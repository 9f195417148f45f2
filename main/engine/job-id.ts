/** Job ids: `trace-evt-` and 12 random hex digits (the catalog and the contract check the form). */
import { randomBytes } from 'node:crypto'

/** A new, random job id. */
export function newJobId(): string {
  return `trace-evt-${randomBytes(6).toString('hex')}`
}
