/**
 * The Oracle adapter's statement lifecycle (connection, result set, cancel, release) against a
 * scripted stand-in for node-oracledb: the build machines have no Oracle server, and its SQL is
 * covered through the dialect elsewhere.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { isAppError } from '../../../shared/errors.js'
import type { SourceRow } from '../../../main/sources/mes-source.js'

/** What the fake driver did, in order, and what it will answer. */
const driver = vi.hoisted(() => {
  const state = {
    log: [] as string[],
    /** Rows the next statement returns. */
    rows: [] as Record<string, unknown>[],
    /** Thrown by the next `execute`, if set. */
    executeError: null as unknown,
    /** Thrown by `createPool`, if set. */
    poolError: null as unknown,
    /** Called before each `getRows` answers (a test aborts from here). */
    beforeRows: (): void => undefined,
    /** The last connection's settings. */
    callTimeout: undefined as number | undefined,
    executeOptions: undefined as Record<string, unknown> | undefined,
  }
  const connection = () => {
    const conn = {
      callTimeout: undefined as number | undefined,
      async execute(sql: string, binds: unknown[], options: Record<string, unknown>) {
        state.log.push(`execute ${sql} [${binds.join(',')}]`)
        state.callTimeout = conn.callTimeout
        state.executeOptions = options
        if (state.executeError) throw state.executeError
        let at = 0
        return {
          resultSet: {
            async getRows(count: number) {
              state.beforeRows()
              const rows = state.rows.slice(at, at + count)
              at += rows.length
              state.log.push(`getRows ${count} -> ${rows.length}`)
              return rows
            },
            async close() {
              state.log.push('resultSet.close')
            },
          },
        }
      },
      async break() {
        state.log.push('break')
      },
      async close() {
        state.log.push('connection.close')
      },
    }
    return conn
  }
  const oracledb = {
    OUT_FORMAT_OBJECT: 4002,
    async createPool(options: Record<string, unknown>) {
      state.log.push(`createPool ${String(options.user)}@${String(options.connectString)} max ${String(options.poolMax)}`)
      if (state.poolError) throw state.poolError
      return {
        async getConnection() {
          state.log.push('getConnection')
          return connection()
        },
        async close(drainSeconds: number) {
          state.log.push(`pool.close ${drainSeconds}`)
        },
      }
    },
  }
  return { state, oracledb }
})

vi.mock('oracledb', () => ({ default: driver.oracledb }))

const { openOracleSource } = await import('../../../main/sources/oracle-source.js')

const OPTIONS = { user: 'reader', password: 'pw', connectString: 'db.plant:1521/MESDW', schema: 'DWH' }

async function open() {
  const source = await openOracleSource(OPTIONS)
  driver.state.log.length = 0
  return source
}

async function readAll(chunks: AsyncIterable<SourceRow[]>): Promise<SourceRow[][]> {
  const out: SourceRow[][] = []
  for await (const rows of chunks) out.push(rows)
  return out
}

afterEach(() => {
  Object.assign(driver.state, { log: [], rows: [], executeError: null, poolError: null, beforeRows: () => undefined })
})

describe('OracleMesSource', () => {
  it('checks the connection when it opens and describes itself without the password', async () => {
    const source = await openOracleSource(OPTIONS)
    expect(driver.state.log).toEqual([
      'createPool reader@db.plant:1521/MESDW max 3',
      'getConnection',
      'execute SELECT 1 AS OK FROM DUAL []',
      'getRows 5000 -> 0',
      'resultSet.close',
      'connection.close',
    ])
    expect(source.description).toBe('oracle://reader@db.plant:1521/MESDW (schema DWH)')
    expect(source.description).not.toContain('pw')
    await source.close()
  })

  it('streams a statement in chunks of fetchSize, then closes its result set and connection', async () => {
    const source = await open()
    driver.state.rows = [{ A: 1 }, { A: 2 }, { A: 3 }, { A: 4 }, { A: 5 }]
    const chunks = await readAll(source.stream('SELECT A FROM DWH.T WHERE B = :1', ['x'], { fetchSize: 2 }))
    expect(chunks).toEqual([[{ A: 1 }, { A: 2 }], [{ A: 3 }, { A: 4 }], [{ A: 5 }]])
    expect(driver.state.log).toEqual([
      'getConnection',
      'execute SELECT A FROM DWH.T WHERE B = :1 [x]',
      'getRows 2 -> 2',
      'getRows 2 -> 2',
      'getRows 2 -> 1',
      'resultSet.close',
      'connection.close',
    ])
    expect(driver.state.callTimeout).toBe(300_000)
    expect(driver.state.executeOptions).toEqual({ resultSet: true, outFormat: 4002, fetchArraySize: 2 })
    await source.close()
  })

  it('releases the statement when the caller stops early', async () => {
    const source = await open()
    driver.state.rows = [{ A: 1 }, { A: 2 }, { A: 3 }]
    for await (const rows of source.stream('SELECT A FROM DWH.T', [], { fetchSize: 1 })) {
      expect(rows).toEqual([{ A: 1 }])
      break
    }
    expect(driver.state.log).toEqual(['getConnection', 'execute SELECT A FROM DWH.T []', 'getRows 1 -> 1', 'resultSet.close', 'connection.close'])
    await source.close()
  })

  it('interrupts the statement on the server when the signal aborts, and rejects with trace/cancelled', async () => {
    const source = await open()
    driver.state.rows = [{ A: 1 }, { A: 2 }, { A: 3 }]
    const controller = new AbortController()
    let reads = 0
    driver.state.beforeRows = () => {
      reads += 1
      if (reads === 2) controller.abort()
    }
    const seen: SourceRow[][] = []
    const error = await (async () => {
      for await (const rows of source.stream('SELECT A FROM DWH.T', [], { fetchSize: 1, signal: controller.signal })) seen.push(rows)
    })().catch((e: unknown) => e)
    expect(isAppError(error, 'trace/cancelled')).toBe(true)
    expect(seen).toEqual([[{ A: 1 }]])
    expect(driver.state.log).toEqual([
      'getConnection',
      'execute SELECT A FROM DWH.T []',
      'getRows 1 -> 1',
      'break',
      'getRows 1 -> 1',
      'resultSet.close',
      'connection.close',
    ])
    await source.close()
  })

  it('does not start a statement for a signal that aborted before it', async () => {
    const source = await open()
    const controller = new AbortController()
    controller.abort()
    const error = await readAll(source.stream('SELECT A FROM DWH.T', [], { signal: controller.signal })).catch((e: unknown) => e)
    expect(isAppError(error, 'trace/cancelled')).toBe(true)
    expect(driver.state.log).toEqual([])
    await source.close()
  })

  it('names a missing table as source/schema and still closes the connection', async () => {
    const source = await open()
    driver.state.executeError = Object.assign(new Error('ORA-00942: table or view does not exist'), { errorNum: 942 })
    const error = await readAll(source.stream('SELECT A FROM DWH.NOPE', [])).catch((e: unknown) => e)
    expect(isAppError(error, 'source/schema')).toBe(true)
    expect((error as Error).message).toBe(
      'A query failed on oracle://reader@db.plant:1521/MESDW (schema DWH): a table or view does not exist or is not granted (ORA-00942: table or view does not exist).',
    )
    expect(driver.state.log).toEqual(['getConnection', 'execute SELECT A FROM DWH.NOPE []', 'connection.close'])
    await source.close()
  })

  it('refuses statements once closed, and closes its pool once', async () => {
    const source = await open()
    await source.close()
    await source.close()
    expect(driver.state.log).toEqual(['pool.close 5'])
    const error = await readAll(source.stream('SELECT 1 FROM DUAL', [])).catch((e: unknown) => e)
    expect(isAppError(error, 'source/unreachable')).toBe(true)
    expect((error as Error).message).toBe('The source oracle://reader@db.plant:1521/MESDW (schema DWH) is closed.')
  })

  it('reports a refused login as permanent, so nothing tries it again', async () => {
    driver.state.poolError = Object.assign(new Error('ORA-01017: invalid username/password; logon denied'), { errorNum: 1017 })
    const error = await openOracleSource(OPTIONS).catch((e: unknown) => e)
    expect(isAppError(error, 'source/unreachable')).toBe(true)
    expect((error as { details?: { permanent?: boolean } }).details?.permanent).toBe(true)
  })
})
