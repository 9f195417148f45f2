/**
 * Where a trace reads from: the one description of an MES source, used by the main process (parsed
 * from what a person types), by the catalog (in its text form) and by the worker protocol.
 */

/**
 * An MES source. A server URL may hold its password only while a person's input is being handled;
 * the spec is stored, and sent to a worker, without it (the engine hands a worker its job's password
 * in the `start` message's `password`, never through the catalog or the worker's environment).
 */
export type SourceSpec =
  | {
      kind: 'sqlite'
      /** The SQLite file, as given (a relative path is resolved against the working folder when opened). */
      path: string
    }
  | {
      kind: 'postgres'
      /** `postgres://user@host:port/database`; without the password once it is stored or sent. */
      url: string
      /** Schema of the MES tables; absent: the connection's search path. */
      schema?: string
    }
  | {
      kind: 'oracle'
      /** `oracle://user@host:port/service`; without the password once it is stored or sent. */
      url: string
      /** Schema prefix of the MES tables. @default 'DWH' */
      schema?: string
    }
