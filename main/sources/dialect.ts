/**
 * The small SQL dialect layer: the only place where SQL differs between SQLite, PostgreSQL and
 * Oracle. Trace SQL is written once with identifiers unquoted (source-schema.md) and asks the
 * dialect for placeholders, table names, IN-list sizes and time parameters.
 */

export type DialectName = 'sqlite' | 'postgres' | 'oracle'

/** A value bound to a placeholder. */
export type SqlValue = string | number | null

export interface Dialect {
  readonly name: DialectName
  /** Largest number of values in one `IN (...)` list (Oracle's hard limit is 1000). */
  readonly maxInList: number
  /**
   * Largest number of values one bound list may carry ({@link SqlParams.valueList}): PostgreSQL and
   * SQLite take the values as one JSON text, so a statement can name ten times what an IN list
   * holds (a tenth of the statements, and of their round trips to a far server); Oracle binds an IN
   * list (a longer text would have to be a LOB).
   */
  readonly maxValueList: number
  /** The values of the JSON array text bound at `placeholder` as a one-column subquery; null: IN lists only. */
  jsonValues(placeholder: string): string | null
  /** How a statement whose named subqueries refer to themselves begins (Oracle has no `RECURSIVE`). */
  readonly withRecursive: 'WITH RECURSIVE' | 'WITH'
  /**
   * A named subquery that refers to itself and may meet a row again (a genealogy's cycles):
   * `head AS (anchor UNION step)` on PostgreSQL and SQLite, where `UNION` drops a row already
   * found; Oracle's recursive subquery factoring takes only `UNION ALL`, and its `CYCLE` clause on
   * `cycleOn` stops a path that meets a value it holds. Either way a depth limit in `step` ends
   * the walk.
   */
  recursiveSubquery(head: string, anchor: string, step: string, cycleOn: string): string
  /**
   * Largest number of `LIKE` terms OR-ed in one statement (SQLite refuses expression trees deeper
   * than 1000, so it gets a smaller number).
   */
  readonly maxOrTerms: number
  /** The placeholder text of the `index`-th bound value (0-based). */
  placeholder(index: number): string
  /** A source table name with the source's schema prefix, e.g. `DWH.DW_MES_CONTAINER`. */
  table(name: string): string
  /** SQL that turns a bound `YYYY-MM-DD HH:MM:SS` text into the database's timestamp type. */
  timestamp(placeholder: string): string
  /**
   * A column the statement filters on but must not look its rows up by: SQLite's planner, offered
   * an IN list of a thousand CIDs and a time range, skip-scans a (workcenter, time) index over the
   * whole range for every batch instead of seeking each CID (unary `+` keeps the column out of
   * index choice). The server planners keep their own judgement: the column unchanged.
   */
  filterOnly(column: string): string
}

class SqliteDialect implements Dialect {
  readonly name = 'sqlite' as const
  readonly withRecursive = 'WITH RECURSIVE' as const
  readonly maxInList = 1000
  readonly maxValueList = 10_000
  readonly maxOrTerms = 400
  constructor(private readonly schema: string | undefined) {}
  jsonValues(placeholder: string): string {
    return `SELECT value FROM json_each(${placeholder})`
  }
  recursiveSubquery(head: string, anchor: string, step: string): string {
    return `${head} AS (\n  ${anchor}\n  UNION\n  ${step}\n)`
  }
  placeholder(): string {
    return '?'
  }
  table(name: string): string {
    return this.schema ? `${this.schema}.${name}` : name
  }
  timestamp(placeholder: string): string {
    // Times are TEXT `YYYY-MM-DD HH:MM:SS`, which compares correctly as text.
    return placeholder
  }
  filterOnly(column: string): string {
    return `+${column}`
  }
}

class PostgresDialect implements Dialect {
  readonly name = 'postgres' as const
  readonly withRecursive = 'WITH RECURSIVE' as const
  readonly maxInList = 1000
  readonly maxValueList = 10_000
  readonly maxOrTerms = 1000
  constructor(private readonly schema: string | undefined) {}
  jsonValues(placeholder: string): string {
    return `SELECT json_array_elements_text(CAST(${placeholder} AS json))`
  }
  recursiveSubquery(head: string, anchor: string, step: string): string {
    return `${head} AS (\n  ${anchor}\n  UNION\n  ${step}\n)`
  }
  placeholder(index: number): string {
    return `$${index + 1}`
  }
  table(name: string): string {
    return this.schema ? `${this.schema}.${name}` : name
  }
  timestamp(placeholder: string): string {
    return `CAST(${placeholder} AS timestamp)`
  }
  filterOnly(column: string): string {
    return column
  }
}

class OracleDialect implements Dialect {
  readonly name = 'oracle' as const
  readonly withRecursive = 'WITH' as const
  readonly maxInList = 1000
  readonly maxValueList = 1000
  readonly maxOrTerms = 1000
  constructor(private readonly schema: string | undefined) {}
  jsonValues(): null {
    return null
  }
  recursiveSubquery(head: string, anchor: string, step: string, cycleOn: string): string {
    return `${head} AS (\n  ${anchor}\n  UNION ALL\n  ${step}\n) CYCLE ${cycleOn} SET CYCLED TO 'Y' DEFAULT 'N'`
  }
  placeholder(index: number): string {
    return `:${index + 1}`
  }
  table(name: string): string {
    return this.schema ? `${this.schema}.${name}` : name
  }
  timestamp(placeholder: string): string {
    return `TO_DATE(${placeholder}, 'YYYY-MM-DD HH24:MI:SS')`
  }
  filterOnly(column: string): string {
    return column
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/

/**
 * Creates the dialect of a database kind. `schema` is the source's schema prefix (`DWH` on the
 * plant's Oracle warehouse, none on SQLite); it must be a plain identifier because it is written
 * into SQL text.
 */
export function createDialect(name: DialectName, schema?: string): Dialect {
  if (schema !== undefined && schema !== '' && !IDENTIFIER.test(schema)) {
    throw new Error(`schema prefix must be a plain identifier, got ${JSON.stringify(schema)}`)
  }
  const prefix = schema || undefined
  switch (name) {
    case 'sqlite':
      return new SqliteDialect(prefix)
    case 'postgres':
      return new PostgresDialect(prefix)
    case 'oracle':
      return new OracleDialect(prefix)
  }
}

/**
 * Collects bound values while a statement is being written and hands out their placeholders, so
 * that no value is ever spliced into SQL text.
 */
export class SqlParams {
  readonly values: SqlValue[] = []
  constructor(private readonly dialect: Dialect) {}

  /** Binds one value and returns its placeholder. */
  add(value: SqlValue): string {
    this.values.push(value)
    return this.dialect.placeholder(this.values.length - 1)
  }

  /** Binds a list and returns `ph1, ph2, …` for an `IN (...)` list. Throws past the dialect's IN limit. */
  list(values: readonly SqlValue[]): string {
    if (values.length === 0) throw new Error('an IN list needs at least one value')
    if (values.length > this.dialect.maxInList) {
      throw new Error(`IN list of ${values.length} values exceeds the ${this.dialect.name} limit of ${this.dialect.maxInList}`)
    }
    return values.map((v) => this.add(v)).join(', ')
  }

  /**
   * Binds a list of text values for `IN (…)`, as the dialect binds many: one JSON text and a
   * subquery of its values where the dialect reads JSON, else an IN list. Throws past
   * `dialect.maxValueList`.
   */
  valueList(values: readonly string[]): string {
    if (values.length === 0) throw new Error('a value list needs at least one value')
    if (values.length > this.dialect.maxValueList) {
      throw new Error(`value list of ${values.length} values exceeds the ${this.dialect.name} limit of ${this.dialect.maxValueList}`)
    }
    return this.jsonList(values) ?? this.list(values)
  }

  /**
   * Binds the values as one JSON text and returns the subquery of its values, however many there
   * are (a statement that must see them all at once); null, binding nothing, where the dialect
   * takes IN lists only.
   */
  jsonList(values: readonly string[]): string | null {
    const json = this.dialect.jsonValues(this.dialect.placeholder(this.values.length))
    if (json !== null) this.values.push(JSON.stringify(values))
    return json
  }

  /** Binds a `YYYY-MM-DD HH:MM:SS` text as a timestamp expression. */
  timestamp(value: string): string {
    return this.dialect.timestamp(this.add(value))
  }
}

/** Splits `items` into consecutive batches of at most `size` (order kept). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`batch size must be a positive integer, got ${size}`)
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Escapes `\`, `%` and `_` so a literal can be used in `LIKE … ESCAPE '\'`. */
export function escapeLike(literal: string): string {
  return literal.replace(/[\\%_]/g, (c) => `\\${c}`)
}
