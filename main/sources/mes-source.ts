/**
 * The read-only view of an MES warehouse every adapter implements. The trace code builds SQL with
 * the adapter's {@link Dialect} and reads rows in chunks; it never asks a source to write.
 */
import type { Dialect, SqlValue } from './dialect.js'

/** A row as read from a source: upper-case column name → value. */
export type SourceRow = Record<string, unknown>

export type SourceKind = 'sqlite' | 'postgres' | 'oracle'

export interface QueryOptions {
  /** Stops the statement (and the iteration) when aborted. */
  signal?: AbortSignal
  /**
   * Rows per chunk handed to the caller.
   * @default 5000
   */
  fetchSize?: number
}

/** Table name (upper case) → its column names (upper case). */
export type SourceCatalog = ReadonlyMap<string, ReadonlySet<string>>

export interface MesSource {
  readonly kind: SourceKind
  readonly dialect: Dialect
  /** A person-readable description without secrets, e.g. `sqlite:/data/plant.sqlite`. */
  readonly description: string
  /**
   * Runs one statement and yields its rows in chunks of at most `fetchSize`. Column names are
   * upper case whatever the database returns. Breaking out of the loop releases the statement.
   */
  stream(sql: string, params: readonly SqlValue[], options?: QueryOptions): AsyncIterable<SourceRow[]>
  /** Runs a statement whose result the caller knows to be small and returns all rows. */
  all(sql: string, params: readonly SqlValue[], options?: QueryOptions): Promise<SourceRow[]>
  /** The tables and columns the source has (for the schema check). */
  catalog(): Promise<SourceCatalog>
  /** Releases the connection. Idempotent. */
  close(): Promise<void>
  /**
   * Bytes received from the database server so far, over every connection the source opened;
   * absent where the driver does not tell (a file source receives none).
   */
  bytesReceived?(): number
}

/** Default rows per chunk (the original's `fetchmany` size). */
export const DEFAULT_FETCH_SIZE = 5000
