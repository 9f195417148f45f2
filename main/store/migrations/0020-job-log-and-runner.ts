/**
 * Catalog schema 20:
 * - `log`: each job keeps what its worker reported (schema warnings, a source that did not close,
 *   an error's stack), a JSON array of `{ at, level, message, detail? }` the engine keeps bounded.
 *   Jobs of schema 10 get an empty log.
 * - `runner_pid`: the process whose engine runs the job, so any reader can tell a running job whose
 *   engine is gone (shown as interrupted) from one still running. Null for jobs of schema 10.
 */
import type { SqliteDatabase } from '../connection.js'
import type { Migration } from './migration.js'

export const jobLog: Migration = {
  version: 20,
  name: 'job-log-and-runner',
  up(db: SqliteDatabase): void {
    db.exec(`
ALTER TABLE jobs ADD COLUMN log TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(log) AND json_type(log) = 'array');
ALTER TABLE jobs ADD COLUMN runner_pid INTEGER CHECK (runner_pid IS NULL OR runner_pid > 0);
`)
  },
}
