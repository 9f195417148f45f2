/**
 * The catalog's migrations, registered in order. Each one is released once and never edited: a
 * change of schema is a new file numbered 10 above the last (`0020-…`), with its own test that
 * migrates a database of the previous version with data in place.
 */
import type { SqliteDatabase } from '../connection.js'
import { initial } from './0010-initial.js'

/** One step of the schema. */
export interface Migration {
  /** `PRAGMA user_version` after this step: a multiple of 10, above the previous step's. */
  readonly version: number
  /** Kebab-case name, as in the file name. */
  readonly name: string
  /** Runs inside the step's transaction: synchronous, no `await`. */
  up(db: SqliteDatabase): void
}

/** Every catalog migration, oldest first. */
export const CATALOG_MIGRATIONS: readonly Migration[] = [initial]
