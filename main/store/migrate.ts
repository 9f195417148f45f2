/**
 * Runs numbered migrations, tracking the schema in `PRAGMA user_version`. A database newer than
 * the code is refused: its rows may mean things this version does not know.
 */
import { AppError } from '../../shared/errors.js'
import type { SqliteDatabase } from './connection.js'
import type { Migration } from './migrations/index.js'

/** What the migration did. */
export interface MigrationReport {
  /** Schema version found. */
  from: number
  /** Schema version now. */
  to: number
  /** Names of the steps run, in order. */
  applied: string[]
}

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** The database as a person calls it, for messages (e.g. "The catalog"). */
  what: string
  path: string
  /** `PRAGMA application_id` the database must carry once migrated (0 = not checked). */
  applicationId: number
}

/** Schema version of an open database. */
export function schemaVersionOf(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number
}

function assertOrdered(migrations: readonly Migration[]): void {
  let previous = 0
  for (const m of migrations) {
    if (m.version <= previous || m.version % 10 !== 0) {
      throw new AppError('internal/unexpected', `Migration ${m.version}-${m.name} is out of order (after ${previous}).`)
    }
    previous = m.version
  }
}

/**
 * Brings `db` to the last version of `migrations`. Each step runs in its own immediate
 * transaction that re-reads the version first, so two processes opening the same fresh catalog
 * (the app and the CLI share it) cannot both run a step. A failed step leaves the previous version.
 */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[], options: MigrateOptions): MigrationReport {
  assertOrdered(migrations)
  const latest = migrations.at(-1)?.version ?? 0
  const from = schemaVersionOf(db)
  if (from > latest) {
    throw new AppError(
      'storage/incompatible',
      `${options.what} ${options.path} has schema version ${from}, but this version of MES Trace understands up to ${latest}. ` +
        'It was written by a newer version of the app: update the app, or use another data directory.',
      { path: options.path, fileVersion: from, codeVersion: latest },
    )
  }
  assertKind(db, from, options)
  const applied: string[] = []
  for (const migration of migrations) {
    if (migration.version <= from) continue
    const step = db.transaction(() => {
      if (schemaVersionOf(db) >= migration.version) return false
      migration.up(db)
      db.pragma(`user_version = ${migration.version}`)
      return true
    })
    if (step.immediate()) applied.push(`${String(migration.version).padStart(4, '0')}-${migration.name}`)
  }
  return { from, to: schemaVersionOf(db), applied }
}

/**
 * Refuses a database of another kind: a different application id, or an unversioned file that
 * already holds tables (someone's other SQLite file picked by mistake).
 */
function assertKind(db: SqliteDatabase, version: number, options: MigrateOptions): void {
  if (options.applicationId === 0) return
  const applicationId = db.pragma('application_id', { simple: true }) as number
  const hasTables = version === 0 && (db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get() as { n: number }).n > 0
  if ((applicationId !== 0 && applicationId !== options.applicationId) || (applicationId === 0 && (version > 0 || hasTables))) {
    throw new AppError('storage/unreadable', `${options.what} ${options.path} is a SQLite file of another kind, not an MES Trace catalog.`, {
      path: options.path,
      applicationId,
    })
  }
}
