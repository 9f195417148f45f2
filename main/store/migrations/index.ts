/**
 * The catalog's migrations, registered in order. Each one is released once and never edited: a
 * change of schema is a new file numbered 10 above the last (`0020-…`), with its own test that
 * migrates a database of the previous version with data in place.
 */
import { initial } from './0010-initial.js'
import { jobLog } from './0020-job-log-and-runner.js'
import type { Migration } from './migration.js'

export type { Migration } from './migration.js'

/** Every catalog migration, oldest first. */
export const CATALOG_MIGRATIONS: readonly Migration[] = [initial, jobLog]
