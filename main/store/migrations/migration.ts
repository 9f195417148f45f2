/** What one step of the catalog's schema is. */
import type { SqliteDatabase } from '../connection.js'

/** One step of the schema. */
export interface Migration {
  /** `PRAGMA user_version` after this step: a multiple of 10, above the previous step's. */
  readonly version: number
  /** Kebab-case name, as in the file name. */
  readonly name: string
  /** Runs inside the step's transaction: synchronous, no `await`. */
  up(db: SqliteDatabase): void
}
